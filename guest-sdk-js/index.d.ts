// The TypeScript declarations of pacto-guest: the WIT world pacto:policy@0.3.0
// (wit/policy.wit) under JavaScript names, and the SDK's exports.
//
// Numbers: every s64/u64 (instants in Unix seconds, business minutes, money in minor
// units) is a `bigint`; every u32/u8 (counts, scores, levels) a `number`. Where a
// policy gives a value, a `number` that is a safe integer is taken for a `bigint`
// field (`Int64In`), and a `bigint` in range for a `number` one.

/** An s64 or u64 as the SDK gives it. */
export type Int64 = bigint;
/** An s64 or u64 as a policy may give it: a BigInt, or a Number that is a safe integer. */
export type Int64In = bigint | number;
/** A u32 or u8 as a policy may give it. */
export type SmallIn = number | bigint;

// ---- enums: frozen objects whose values are the case and decision JSON names ----

export declare const Priority: Readonly<{ LOW: "low"; NORMAL: "normal"; HIGH: "high"; URGENT: "urgent" }>;
export type Priority = (typeof Priority)[keyof typeof Priority];

export declare const Channel: Readonly<{
  EMAIL: "email";
  PHONE: "phone";
  CHAT: "chat";
  SOCIAL: "social";
  WEB: "web";
  IN_PERSON: "in_person";
  MAIL: "mail";
}>;
export type Channel = (typeof Channel)[keyof typeof Channel];

export declare const Kind: Readonly<{
  QUESTION: "question";
  INCIDENT: "incident";
  PROBLEM: "problem";
  REQUEST: "request";
  COMPLAINT: "complaint";
  COMPLIMENT: "compliment";
}>;
export type Kind = (typeof Kind)[keyof typeof Kind];

export declare const Status: Readonly<{
  OPEN: "open";
  PENDING: "pending";
  ON_HOLD: "on_hold";
  SOLVED: "solved";
  CLOSED: "closed";
}>;
export type Status = (typeof Status)[keyof typeof Status];

export declare const Metric: Readonly<{
  FIRST_RESPONSE: "first_response";
  NEXT_RESPONSE: "next_response";
  RESOLUTION: "resolution";
}>;
export type Metric = (typeof Metric)[keyof typeof Metric];

export declare const ClockStatus: Readonly<{
  PENDING: "pending";
  MET: "met";
  BREACHED: "breached";
  PAUSED: "paused";
  INACTIVE: "inactive";
}>;
export type ClockStatus = (typeof ClockStatus)[keyof typeof ClockStatus];

export declare const CompensationKind: Readonly<{
  SERVICE_CREDIT: "service_credit";
  REFUND: "refund";
  VOUCHER: "voucher";
  WARRANTY_EXTENSION: "warranty_extension";
  APOLOGY: "apology";
}>;
export type CompensationKind = (typeof CompensationKind)[keyof typeof CompensationKind];

/** An event's `type` in the case JSON: the cases of the WIT variant `event-kind`. */
export declare const EventKind: Readonly<{
  CUSTOMER_MESSAGE: "customer_message";
  AGENT_REPLY: "agent_reply";
  INTERNAL_NOTE: "internal_note";
  STATUS: "status";
  REOPENED: "reopened";
  SATISFACTION: "satisfaction";
}>;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

// ---- records: classes whose constructor takes one object of fields ----
//
// In a component the case arrives as plain objects of these shapes (not instances);
// a policy may return instances or plain objects alike.

export declare class Customer {
  constructor(fields: {
    id: string;
    tier?: string;
    internal?: boolean;
    lifetimeValue?: Int64In;
    recentBreaches?: SmallIn;
    recentCredits?: SmallIn;
  });
  id: string;
  /** As the business names its tiers: `standard`, `gold`, `platinum`, … */
  tier: string;
  /** A colleague rather than an external customer. */
  internal: boolean;
  /** Minor units. */
  lifetimeValue: Int64;
  /** SLA breaches on this customer's cases in the last 90 days (`breaches_90d`). */
  recentBreaches: number;
  /** Credits granted in the last 90 days (`credits_90d`). */
  recentCredits: number;
}

export declare class Order {
  constructor(fields: { value: Int64In; currency: string; warrantyUntil?: string });
  /** Minor units. */
  value: Int64;
  /** ISO 4217. */
  currency: string;
  /** `YYYY-MM-DD`. */
  warrantyUntil: string | undefined;
}

export declare class Rating {
  constructor(fields: { score: SmallIn; scale: SmallIn });
  score: number;
  scale: number;
}

/** One event of the case: `status` is set for a `status` event and `rating` for a
 * `satisfaction` one. */
export declare class Event {
  constructor(fields: { at: Int64In; kind: EventKind; status?: Status; rating?: RatingLike });
  at: Int64;
  kind: EventKind;
  status: Status | undefined;
  rating: Rating | undefined;
}

/** `[start, end)`; `end` is undefined while still running at `now`. */
export declare class Interval {
  constructor(fields: { start: Int64In; end?: Int64In });
  start: Int64;
  end: Int64 | undefined;
}

/** Facts the host derived from the events as of `now`. */
export declare class Timeline {
  constructor(fields?: {
    firstResponseAt?: Int64In;
    lastAgentReplyAt?: Int64In;
    awaitingReplySince?: Int64In;
    solvedAt?: Int64In;
    reopenCount?: SmallIn;
    status?: Status;
    paused?: Array<Interval | { start: Int64In; end?: Int64In }>;
    latestSatisfaction?: RatingLike;
  });
  firstResponseAt: Int64 | undefined;
  lastAgentReplyAt: Int64 | undefined;
  awaitingReplySince: Int64 | undefined;
  solvedAt: Int64 | undefined;
  reopenCount: number;
  status: Status;
  paused: Interval[];
  latestSatisfaction: Rating | undefined;
}

type RatingLike = Rating | { score: SmallIn; scale: SmallIn };

/** The fields of a SupportCase, as its constructor (and `testing.caseOf`) take them. */
export interface SupportCaseFields {
  id: string;
  openedAt: Int64In;
  priority: Priority;
  channel: Channel;
  kind: Kind;
  category?: string;
  customer: Customer | ConstructorParameters<typeof Customer>[0];
  order?: Order | ConstructorParameters<typeof Order>[0];
  events?: Array<Event | ConstructorParameters<typeof Event>[0]>;
  tags?: string[];
  /** Key to JSON text; a Map is taken too. */
  attributes?: Record<string, string> | Map<string, string>;
  timeline?: Timeline | ConstructorParameters<typeof Timeline>[0];
}

/** The case being decided, with the timeline the host derived from its events. */
export declare class SupportCase {
  constructor(fields: SupportCaseFields);
  id: string;
  openedAt: Int64;
  priority: Priority;
  channel: Channel;
  kind: Kind;
  category: string | undefined;
  customer: Customer;
  order: Order | undefined;
  /** Sorted by time. */
  events: Event[];
  tags: string[];
  /** Each free attribute's key to its JSON text, in an object without a prototype:
   * `JSON.parse(ticket.attributes.vip ?? "false")`. */
  attributes: Record<string, string>;
  timeline: Timeline;
}

interface ClockFields {
  /** Business minutes. */
  target: Int64In;
  due?: Int64In;
  status: ClockStatus;
  metAt?: Int64In;
  breachedBy?: Int64In;
  remaining?: Int64In;
  paused?: boolean;
}

/** One SLA clock as the host measures it: a Deadline without the calendar. A
 * stand-in host (`pacto-guest/testing`) returns these. */
export declare class Reading {
  constructor(fields: ClockFields & { metric: Metric });
  metric: Metric;
  /** Business minutes. */
  target: Int64;
  due: Int64 | undefined;
  status: ClockStatus;
  metAt: Int64 | undefined;
  /** Business minutes past due (0 unless breached). */
  breachedBy: Int64;
  /** Business minutes left (0 once breached or met). */
  remaining: Int64;
  paused: boolean;
}

/** One SLA clock as a decision lists it, with the calendar it was read on. */
export declare class Deadline {
  constructor(fields: ClockFields & { metric: Metric; calendar: string });
  metric: Metric;
  calendar: string;
  /** Business minutes. */
  target: Int64;
  due: Int64 | undefined;
  status: ClockStatus;
  metAt: Int64 | undefined;
  /** Business minutes past due (0 unless breached). */
  breachedBy: Int64;
  /** Business minutes left (0 once breached or met). */
  remaining: Int64;
  paused: boolean;
}

export declare class Escalation {
  constructor(fields: {
    level: SmallIn;
    team?: string;
    reason: string;
    notify?: string[];
    raisePriority?: Priority;
  });
  /** 0 to 5; the host refuses anything else. */
  level: number;
  team: string | undefined;
  reason: string;
  notify: string[];
  raisePriority: Priority | undefined;
}

export declare class Compensation {
  constructor(fields: {
    kind: CompensationKind;
    amount: Int64In;
    currency?: string;
    days?: Int64In;
    reason: string;
    requiresApproval?: boolean;
  });
  kind: CompensationKind;
  /** Minor units; the host refuses a negative amount. */
  amount: Int64;
  /** ISO 4217; required for money. */
  currency: string | undefined;
  /** Days added, for a warranty extension. */
  days: Int64 | undefined;
  reason: string;
  requiresApproval: boolean;
}

/** What `decide` returns: a Decision, or a plain object of its fields. */
export type DecisionLike = Decision | ConstructorParameters<typeof Decision>[0];

export declare class Decision {
  constructor(fields?: {
    deadlines?: Array<Deadline | ConstructorParameters<typeof Deadline>[0]>;
    escalation?: Escalation | ConstructorParameters<typeof Escalation>[0];
    compensation?: Array<Compensation | ConstructorParameters<typeof Compensation>[0]>;
    notes?: string[];
  });
  deadlines: Deadline[];
  escalation: Escalation | undefined;
  compensation: Compensation[];
  notes: string[];
}

/** A policy's name and version, as in its policy.toml. */
export declare class Description {
  constructor(fields: { name: string; version: string });
  name: string;
  version: string;
}

// ---- the policy ----

/** A policy: extend it, set `name` and `version` as policy.toml has them, write
 * `decide`, and `export default` the class. */
export declare class Policy {
  /** The policy's name, as in policy.toml. */
  name?: string;
  /** Its version, as in policy.toml. */
  version?: string;
  /** The decision on `ticket` as of `now` (Unix seconds). Throw a PolicyError to
   * decline. */
  decide(ticket: SupportCase, now: Int64): DecisionLike;
  /** The policy's name and version; by default the `name` and `version` fields. */
  describe(): Description | { name: string; version: string };
}

// ---- escalation ----

/** One escalation rule that fired. */
export declare class Fired {
  constructor(level: number, team: string, reason: string, notify?: readonly string[]);
  readonly level: number;
  readonly team: string;
  readonly reason: string;
  readonly notify: readonly string[];
}

/** The escalation of the rules that fired, in the order the policy lists them: the
 * highest level wins with its team (the first on a tie), the reasons joined with
 * "; ", the people to notify collected in order without duplicates; no priority is
 * raised. `undefined` when no rule fired. */
export declare function escalationOf(
  fired: Iterable<Fired | { level: number; team: string; reason: string; notify?: readonly string[] }>,
): Escalation | undefined;

// ---- business time ----

/** Business time on the bundle's calendars, computed by the host. Each function
 * throws an SlaError when the host has no answer. */
export declare const sla: Readonly<{
  /** The SLA clock `metric` measured on the case being decided, on `calendar`, with a
   * target of `minutes` business minutes. */
  clock(metric: Metric, calendar: string, minutes: Int64In): Deadline;
  /** First response and next response on `response` (next response unless it is
   * inactive), then resolution on `resolution`: `[calendar, businessMinutes]` each. */
  clocks(response: readonly [string, Int64In], resolution: readonly [string, Int64In]): Deadline[];
  /** `start` moved by `minutes` business minutes; negative minutes count backwards. */
  addBusinessMinutes(calendar: string, start: Int64In, minutes: Int64In): Int64;
  /** Whole business minutes (rounded down) from `start` to `end`; 0 when `end` is not
   * after `start`. */
  businessMinutesBetween(calendar: string, start: Int64In, end: Int64In): Int64;
  /** Whether `at` falls inside the calendar's opening hours. */
  isBusinessTime(calendar: string, at: Int64In): boolean;
}>;

// ---- errors ----

/** A host function in `sla` had no answer. */
export declare class SlaError extends Error {}

/** The policy named a calendar the bundle does not have (a `policy` error). */
export declare class UnknownCalendar extends SlaError {
  constructor(calendar: string, known: readonly string[]);
  /** The calendar named (`name` is the error's name, as for every Error). */
  readonly calendar: string;
  readonly known: string[];
}

/** The policy named a metric that does not exist (a `policy` error). */
export declare class UnknownMetric extends SlaError {
  constructor(metric: string);
  readonly metric: string;
}

/** The calendar computation had no answer (a `time` error). */
export declare class TimeError extends SlaError {}

/** No open business time in the `days` days after `start` (Unix seconds). */
export declare class NoOpenTime extends TimeError {
  constructor(start: Int64, days: number);
  readonly start: Int64;
  readonly days: number;
}

/** An instant (Unix seconds) before 1900 or from 2200 on, given or reached. */
export declare class OutOfRange extends TimeError {
  constructor(at: Int64);
  readonly at: Int64;
}

/** An amount of business time too large to represent (`seconds` as decimal text). */
export declare class Overflow extends TimeError {
  constructor(seconds: string);
  readonly seconds: string;
}

/** A clock target below zero (business minutes). */
export declare class NegativeTarget extends TimeError {
  constructor(minutes: Int64);
  readonly minutes: Int64;
}

/** A pause from `start` to `end` (Unix seconds) that ends before it starts. */
export declare class ReversedPause extends TimeError {
  constructor(start: Int64, end: Int64);
  readonly start: Int64;
  readonly end: Int64;
}

/** The policy declines to decide. `cause`, when an SlaError the host gave, is what
 * the host reports, with its own kind and message. */
export declare class PolicyError extends Error {
  constructor(message: string, cause?: unknown);
}
