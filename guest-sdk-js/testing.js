// Unit-testing a policy in plain Node (no Wasm, no Pacto host).
//
// `decide` runs a policy with a stand-in host answering the `sla` functions, and fails
// as the component would: with a PolicyError (an uncaught SlaError as its `cause`, any
// other exception with its stack in the message; a decision the host would refuse is
// refused here too). `StubHost` is a stand-in whose clocks say what the test tells
// them; `caseOf` builds a case with defaults for what the test does not care about.
//
//     import { ClockStatus, Decision, Metric, Policy, Reading, sla } from "pacto-guest";
//     import { StubHost, caseOf, decide } from "pacto-guest/testing";
//
//     class FirstResponse extends Policy {
//       name = "first-response";
//       version = "1.0.0";
//       decide(ticket, now) {
//         return new Decision({ deadlines: [sla.clock(Metric.FIRST_RESPONSE, "support", 240n)] });
//       }
//     }
//     const late = new StubHost({
//       [Metric.FIRST_RESPONSE]: { target: 240n, due: 1_767_261_600n, status: ClockStatus.BREACHED, breachedBy: 15n },
//     });
//     const d = decide(FirstResponse, late, caseOf(), 1_767_262_500n);
//     // d.deadlines[0]: calendar "support", status "breached", breachedBy 15n
//
// (For the real host's answers on real calendars, build the bundle and run its
// fixtures: `pacto build DIR && pacto test DIR`.)

import { int64 } from "./lib/check.js";
import { UnknownCalendar } from "./lib/errors.js";
import { Policy, decideThrough } from "./lib/policy.js";
import { _install } from "./lib/sla.js";
import {
  Channel,
  ClockStatus,
  Customer,
  Kind,
  Metric,
  Priority,
  Reading,
  SupportCase,
} from "./lib/types.js";

/**
 * `policy`'s decision on `ticket` as of `now`, with `host` answering the `sla`
 * functions for the length of the call. `policy` is a Policy or a Policy subclass
 * (made with `new`); `now` a BigInt (or a safe-integer Number).
 */
export function decide(policy, host, ticket, now) {
  if (typeof policy === "function" && policy.prototype instanceof Policy) policy = new policy();
  if (!(ticket instanceof SupportCase)) ticket = new SupportCase(ticket);
  now = int64(now, "now");
  const previous = _install(host);
  try {
    return decideThrough(policy, ticket, now);
  } finally {
    _install(previous);
  }
}

const MINUTE = 60n;

/**
 * A stand-in host. `clock` answers `readings[metric]` with the target the policy
 * asked for, or a clock still pending with all its target left; the other functions
 * count every minute as business time (a 24x7 calendar in UTC). With `calendars`
 * given, any other calendar name throws UnknownCalendar, as the host does.
 */
export class StubHost {
  /**
   * @param {Record<string, Reading | object> | Map<string, Reading | object>} [readings]
   *   by metric (`Metric.RESOLUTION`); a plain object is made a Reading (its `metric`
   *   and `target` may be left out)
   * @param {Iterable<string>} [calendars]
   */
  constructor(readings = {}, calendars = undefined) {
    const entries = readings instanceof Map ? [...readings] : Object.entries(readings);
    this.readings = new Map(
      entries.map(([metric, r]) => [
        metric,
        r instanceof Reading ? r : new Reading({ metric, target: 0n, ...r }),
      ]),
    );
    this.calendars = calendars === undefined ? undefined : [...calendars];
    /** Every call the policy made, as `[function, args]`, in order. */
    this.calls = [];
  }

  _check(calendar) {
    if (this.calendars !== undefined && !this.calendars.includes(calendar)) {
      throw new UnknownCalendar(calendar, this.calendars);
    }
  }

  clock(metric, calendar, minutes) {
    this.calls.push(["clock", [metric, calendar, minutes]]);
    this._check(calendar);
    const r = this.readings.get(metric);
    if (r === undefined) {
      return new Reading({ metric, target: minutes, status: ClockStatus.PENDING, remaining: minutes });
    }
    return new Reading({ ...r, metric, target: minutes });
  }

  addBusinessMinutes(calendar, start, minutes) {
    this.calls.push(["addBusinessMinutes", [calendar, start, minutes]]);
    this._check(calendar);
    return start + MINUTE * minutes;
  }

  businessMinutesBetween(calendar, start, end) {
    this.calls.push(["businessMinutesBetween", [calendar, start, end]]);
    this._check(calendar);
    return end > start ? (end - start) / MINUTE : 0n;
  }

  isBusinessTime(calendar, at) {
    this.calls.push(["isBusinessTime", [calendar, at]]);
    this._check(calendar);
    return true;
  }
}

/**
 * A case with defaults (opened 2026-01-01 10:00 UTC, normal priority, by email, a
 * question from a standard external customer); `tier` and `internal` set the
 * customer's, and any other SupportCase field may be given by name.
 * @returns {SupportCase}
 */
export function caseOf(overrides = {}) {
  const { tier, internal, ...fields } = overrides;
  if (fields.customer !== undefined && (tier !== undefined || internal !== undefined)) {
    throw new TypeError("caseOf: give `customer`, or `tier` and `internal`, not both");
  }
  return new SupportCase({
    id: "T-1",
    openedAt: 1_767_261_600n,
    priority: Priority.NORMAL,
    channel: Channel.EMAIL,
    kind: Kind.QUESTION,
    customer: new Customer({ id: "K-1", tier: tier ?? "standard", internal: internal ?? false }),
    ...fields,
  });
}
