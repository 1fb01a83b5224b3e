// The types of the WIT world pacto:policy@0.3.0 under JavaScript names.
//
// Enums are frozen objects whose values are the names the case and decision JSON use
// (`Metric.FIRST_RESPONSE === "first_response"`), so `${clock.metric} breached` reads
// as the Rhai and Rust policies' reasons do. Records are classes whose constructor
// takes one object of fields (camelCase, as jco names them), fills in the defaults,
// checks every value and refuses a field the record does not have. Instants are Unix
// seconds and money integer minor units, as BigInt (every s64/u64); counts, scores and
// levels (u32/u8) are Numbers. There are no floats.

import {
  at,
  bool,
  enumOf,
  int64,
  isRecordLike,
  list,
  member,
  optional,
  show,
  string,
  uint32,
  uint64,
  uint8,
} from "./check.js";

export const Priority = enumOf(["low", "normal", "high", "urgent"]);
export const Channel = enumOf(["email", "phone", "chat", "social", "web", "in_person", "mail"]);
export const Kind = enumOf(["question", "incident", "problem", "request", "complaint", "compliment"]);
export const Status = enumOf(["open", "pending", "on_hold", "solved", "closed"]);
export const Metric = enumOf(["first_response", "next_response", "resolution"]);
export const ClockStatus = enumOf(["pending", "met", "breached", "paused", "inactive"]);
export const CompensationKind = enumOf([
  "service_credit",
  "refund",
  "voucher",
  "warranty_extension",
  "apology",
]);
/** An event's `type` in the case JSON (the WIT variant `event-kind`'s cases). */
export const EventKind = enumOf([
  "customer_message",
  "agent_reply",
  "internal_note",
  "status",
  "reopened",
  "satisfaction",
]);

const REQUIRED = Symbol("required");
const SPEC = Symbol("spec");
const NAME = Symbol("name");
// while `asRecord` runs: check records that are already instances again
let recheck = false;

const enumField = member;
const opt = optional;

/** A record field holding another record: a plain object is made into one. */
const recordField = (cls) => (v, path, key) => {
  if (v instanceof cls && !recheck) return v;
  if (!isRecordLike(v, cls)) {
    throw new TypeError(`${at(path, key)}: expected a ${cls[NAME]}, got ${show(v)}`);
  }
  return fill(Object.create(cls.prototype), cls, v, at(path, key));
};

const attributes = (v, path, key) => {
  if (v instanceof Map) v = Object.fromEntries(v);
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw new TypeError(`${at(path, key)}: expected an object of key to JSON text, got ${show(v)}`);
  }
  const out = Object.create(null);
  for (const k of Object.keys(v)) out[k] = string(v[k], at(path, key), k);
  return out;
};

/** Sets `target`'s fields from `fields` (checked, defaults filled in); errors name
 * `path`. */
function fill(target, cls, fields, path) {
  const { keys, known, checks, defaults } = cls[SPEC];
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) {
    throw new TypeError(`${path}: expected an object of fields, got ${show(fields)}`);
  }
  if (!(fields instanceof cls)) {
    for (const k of Object.keys(fields)) {
      if (!known.has(k)) {
        throw new TypeError(`${path} has no field \`${k}\`; its fields are ${keys.join(", ")}`);
      }
    }
  }
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = fields[k];
    if (v === undefined) {
      const d = defaults[i];
      if (d === REQUIRED) throw new TypeError(`${path}: \`${k}\` is required`);
      target[k] = typeof d === "function" ? d() : d;
    } else {
      target[k] = checks[i](v, path, k);
    }
  }
  return target;
}

function record(cls, name, spec) {
  cls[NAME] = name;
  const keys = Object.keys(spec);
  cls[SPEC] = {
    keys,
    known: new Set(keys),
    checks: keys.map((k) => spec[k][0]),
    defaults: keys.map((k) => spec[k][1]),
  };
  return cls;
}

export class Customer {
  /** @param {object} fields */
  constructor(fields) {
    fill(this, Customer, fields, "Customer");
  }
}
record(Customer, "Customer", {
  id: [string, REQUIRED],
  // As the business names its tiers: `standard`, `gold`, `platinum`, …
  tier: [string, "standard"],
  // A colleague rather than an external customer.
  internal: [bool, false],
  // Minor units.
  lifetimeValue: [uint64, 0n],
  // SLA breaches on this customer's cases in the last 90 days (`breaches_90d`).
  recentBreaches: [uint32, 0],
  // Credits granted in the last 90 days (`credits_90d`).
  recentCredits: [uint32, 0],
});

export class Order {
  constructor(fields) {
    fill(this, Order, fields, "Order");
  }
}
record(Order, "Order", {
  value: [uint64, REQUIRED], // minor units
  currency: [string, REQUIRED], // ISO 4217
  warrantyUntil: [opt(string), undefined], // YYYY-MM-DD
});

export class Rating {
  constructor(fields) {
    fill(this, Rating, fields, "Rating");
  }
}
record(Rating, "Rating", { score: [uint32, REQUIRED], scale: [uint32, REQUIRED] });

/** One event of the case: `status` is set for a `status` event and `rating` for a
 * `satisfaction` one. */
export class Event {
  constructor(fields) {
    fill(this, Event, fields, "Event");
  }
}
record(Event, "Event", {
  at: [int64, REQUIRED],
  kind: [enumField(EventKind, "EventKind"), REQUIRED],
  status: [opt(enumField(Status, "Status")), undefined],
  rating: [opt(recordField(Rating)), undefined],
});

/** `[start, end)`; `end` is undefined while still running at `now`. */
export class Interval {
  constructor(fields) {
    fill(this, Interval, fields, "Interval");
  }
}
record(Interval, "Interval", { start: [int64, REQUIRED], end: [opt(int64), undefined] });

/** Facts the host derived from the events as of `now`. */
export class Timeline {
  constructor(fields = {}) {
    fill(this, Timeline, fields, "Timeline");
  }
}
record(Timeline, "Timeline", {
  firstResponseAt: [opt(int64), undefined],
  lastAgentReplyAt: [opt(int64), undefined],
  awaitingReplySince: [opt(int64), undefined],
  solvedAt: [opt(int64), undefined],
  reopenCount: [uint32, 0],
  status: [enumField(Status, "Status"), Status.OPEN],
  paused: [list(recordField(Interval)), () => []],
  latestSatisfaction: [opt(recordField(Rating)), undefined],
});

/** The case being decided, with the timeline the host derived from its events.
 * `attributes` maps each free attribute's key to its JSON text (an object without a
 * prototype: `JSON.parse(ticket.attributes.vip ?? "false")`). */
export class SupportCase {
  constructor(fields) {
    fill(this, SupportCase, fields, "SupportCase");
  }
}
record(SupportCase, "SupportCase", {
  id: [string, REQUIRED],
  openedAt: [int64, REQUIRED],
  priority: [enumField(Priority, "Priority"), REQUIRED],
  channel: [enumField(Channel, "Channel"), REQUIRED],
  kind: [enumField(Kind, "Kind"), REQUIRED],
  category: [opt(string), undefined],
  customer: [recordField(Customer), REQUIRED],
  order: [opt(recordField(Order)), undefined],
  events: [list(recordField(Event)), () => []], // sorted by time
  tags: [list(string), () => []],
  attributes: [attributes, () => Object.create(null)],
  timeline: [recordField(Timeline), () => new Timeline()],
});

const readingSpec = () => ({
  target: [int64, REQUIRED], // business minutes
  due: [opt(int64), undefined],
  status: [enumField(ClockStatus, "ClockStatus"), REQUIRED],
  metAt: [opt(int64), undefined],
  breachedBy: [int64, 0n], // business minutes past due (0 unless breached)
  remaining: [int64, 0n], // business minutes left (0 once breached or met)
  paused: [bool, false],
});

/** One SLA clock as the host measures it: a Deadline without the calendar. A
 * stand-in host (`pacto-guest/testing`) returns these. */
export class Reading {
  constructor(fields) {
    fill(this, Reading, fields, "Reading");
  }
}
record(Reading, "Reading", { metric: [enumField(Metric, "Metric"), REQUIRED], ...readingSpec() });

/** One SLA clock as a decision lists it, with the calendar it was read on. */
export class Deadline {
  constructor(fields) {
    fill(this, Deadline, fields, "Deadline");
  }
}
record(Deadline, "Deadline", {
  metric: [enumField(Metric, "Metric"), REQUIRED],
  calendar: [string, REQUIRED],
  ...readingSpec(),
});

export class Escalation {
  constructor(fields) {
    fill(this, Escalation, fields, "Escalation");
  }
}
record(Escalation, "Escalation", {
  level: [uint8, REQUIRED], // 0 to 5; the host refuses anything else
  team: [opt(string), undefined],
  reason: [string, REQUIRED],
  notify: [list(string), () => []],
  raisePriority: [opt(enumField(Priority, "Priority")), undefined],
});

export class Compensation {
  constructor(fields) {
    fill(this, Compensation, fields, "Compensation");
  }
}
record(Compensation, "Compensation", {
  kind: [enumField(CompensationKind, "CompensationKind"), REQUIRED],
  amount: [int64, REQUIRED], // minor units; the host refuses a negative amount
  currency: [opt(string), undefined], // ISO 4217; required for money
  days: [opt(int64), undefined], // days added, for a warranty extension
  reason: [string, REQUIRED],
  requiresApproval: [bool, false],
});

export class Decision {
  constructor(fields = {}) {
    fill(this, Decision, fields, "Decision");
  }
}
record(Decision, "Decision", {
  deadlines: [list(recordField(Deadline)), () => []],
  escalation: [opt(recordField(Escalation)), undefined],
  compensation: [list(recordField(Compensation)), () => []],
  notes: [list(string), () => []],
});

/** A policy's name and version, as in its policy.toml. */
export class Description {
  constructor(fields) {
    fill(this, Description, fields, "Description");
  }
}
record(Description, "Description", { name: [string, REQUIRED], version: [string, REQUIRED] });

/** The fields of a record class, in order (for the SDK's tests and glue). */
export const fieldsOf = (cls) => [...cls[SPEC].keys];

/** `v` (an instance of `cls` or a plain object of its fields) as a checked instance;
 * errors name `path`. An instance is checked again: it may have changed since. */
export function asRecord(cls, v, path) {
  if (!isRecordLike(v, cls)) throw new TypeError(`${path}: expected a ${cls[NAME]}, got ${show(v)}`);
  recheck = true;
  try {
    return fill(Object.create(cls.prototype), cls, v, path);
  } finally {
    recheck = false;
  }
}

/** An instance of `cls` with `fields` as they are, unchecked (for the SDK's own
 * values, already checked or from the host). */
export const _make = (cls, fields) => Object.assign(Object.create(cls.prototype), fields);
