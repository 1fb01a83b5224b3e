// The TypeScript declarations of pacto-guest/testing: unit-testing a policy in plain
// Node with a stand-in host.

import type {
  Decision,
  Int64,
  Int64In,
  Metric,
  Policy,
  Reading,
  SupportCase,
  SupportCaseFields,
} from "./index.js";

/** What answers the `sla` functions: the Pacto host in a component, a stand-in in a
 * unit test. A method throws an SlaError when it has no answer; arguments arrive as
 * BigInt. */
export interface Host {
  clock(metric: Metric, calendar: string, minutes: Int64): Reading;
  addBusinessMinutes(calendar: string, start: Int64, minutes: Int64): Int64;
  businessMinutesBetween(calendar: string, start: Int64, end: Int64): Int64;
  isBusinessTime(calendar: string, at: Int64): boolean;
}

/** `policy`'s decision on `ticket` as of `now`, with `host` answering the `sla`
 * functions for the length of the call; throws a PolicyError as the component would
 * fail (an uncaught SlaError as its `cause`). */
export declare function decide(
  policy: Policy | (new () => Policy),
  host: Host,
  ticket: SupportCase | SupportCaseFields,
  now: Int64In,
): Decision;

type ReadingFields = Partial<ConstructorParameters<typeof Reading>[0]> & Pick<Reading, "status">;

/** A stand-in host: `clock` answers the reading given for the metric (with the target
 * the policy asked for), or a clock still pending with all its target left; the other
 * functions count every minute as business time. With `calendars` given, any other
 * calendar throws UnknownCalendar. */
export declare class StubHost implements Host {
  constructor(
    readings?: Partial<Record<Metric, Reading | ReadingFields>> | Map<Metric, Reading | ReadingFields>,
    calendars?: Iterable<string>,
  );
  readings: Map<Metric, Reading>;
  calendars: string[] | undefined;
  /** Every call the policy made, as `[function, args]`, in order. */
  calls: Array<[string, unknown[]]>;
  clock(metric: Metric, calendar: string, minutes: Int64): Reading;
  addBusinessMinutes(calendar: string, start: Int64, minutes: Int64): Int64;
  businessMinutesBetween(calendar: string, start: Int64, end: Int64): Int64;
  isBusinessTime(calendar: string, at: Int64): boolean;
}

/** A case with defaults (opened 2026-01-01 10:00 UTC, normal priority, by email, a
 * question from a standard external customer `K-1`); `tier` and `internal` set the
 * customer's, any other SupportCase field may be given by name. */
export declare function caseOf(
  overrides?: Partial<SupportCaseFields> & { tier?: string; internal?: boolean },
): SupportCase;
