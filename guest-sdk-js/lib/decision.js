// Checking the decision a policy returns, in one pass: every value the host takes,
// with s64 fields as BigInt, or a TypeError naming the field
// (`decision.compensation[0].amount`). It gives the SDK's records (for a unit test) or
// the WIT world's (in a component: plain objects, enum values kebab-case) at once.
// Written out by hand rather than with the records' generic checks: it runs on every
// decision, and in a component every step costs (the engine interprets).

import { at, bool, int64, isRecordLike, list, member, optional, show, string, uint8 } from "./check.js";
import {
  ClockStatus,
  Compensation,
  CompensationKind,
  Deadline,
  Decision,
  Escalation,
  Metric,
  Priority,
  _make,
  fieldsOf,
} from "./types.js";

const metric = member(Metric, "Metric");
const clockStatus = member(ClockStatus, "ClockStatus");
const compensationKind = member(CompensationKind, "CompensationKind");
const optPriority = optional(member(Priority, "Priority"));
const optInt64 = optional(int64);
const optString = optional(string);
const strings = list(string);

const RECORDS = new Map(
  Object.entries({ Deadline, Escalation, Compensation, Decision }).map(([name, cls]) => [
    cls,
    { name, known: new Set(fieldsOf(cls)) },
  ]),
);

/** `v` as the record `cls` at `path`: an instance of it, or a plain object with none
 * but its fields. */
function recordAt(v, cls, path) {
  if (v instanceof cls) return;
  const { name, known } = RECORDS.get(cls);
  if (!isRecordLike(v, cls)) throw new TypeError(`${path}: expected a ${name}, got ${show(v)}`);
  for (const k of Object.keys(v)) {
    if (!known.has(k)) {
      throw new TypeError(`${path} has no field \`${k}\`; its fields are ${[...known].join(", ")}`);
    }
  }
}

// the enum values of these two with an underscore, as the WIT names them
const WIT_METRIC = { first_response: "first-response", next_response: "next-response", resolution: "resolution" };
const WIT_KIND = {
  service_credit: "service-credit",
  refund: "refund",
  voucher: "voucher",
  warranty_extension: "warranty-extension",
  apology: "apology",
};

const plain = (cls, fields) => fields;

function deadline(x, path, i, wit) {
  const p = at(path, i);
  recordAt(x, Deadline, p);
  const m = metric(x.metric, p, "metric");
  return (wit ? plain : _make)(Deadline, {
    metric: wit ? WIT_METRIC[m] : m,
    calendar: string(x.calendar, p, "calendar"),
    target: int64(x.target, p, "target"),
    due: optInt64(x.due, p, "due"),
    status: clockStatus(x.status, p, "status"),
    metAt: optInt64(x.metAt, p, "metAt"),
    breachedBy: x.breachedBy === undefined ? 0n : int64(x.breachedBy, p, "breachedBy"),
    remaining: x.remaining === undefined ? 0n : int64(x.remaining, p, "remaining"),
    paused: x.paused === undefined ? false : bool(x.paused, p, "paused"),
  });
}

function escalation(e, p, wit) {
  recordAt(e, Escalation, p);
  return (wit ? plain : _make)(Escalation, {
    level: uint8(e.level, p, "level"),
    team: optString(e.team, p, "team"),
    reason: string(e.reason, p, "reason"),
    notify: e.notify === undefined ? [] : strings(e.notify, p, "notify"),
    raisePriority: optPriority(e.raisePriority, p, "raisePriority"),
  });
}

function compensation(c, path, i, wit) {
  const p = at(path, i);
  recordAt(c, Compensation, p);
  const kind = compensationKind(c.kind, p, "kind");
  return (wit ? plain : _make)(Compensation, {
    kind: wit ? WIT_KIND[kind] : kind,
    amount: int64(c.amount, p, "amount"),
    currency: optString(c.currency, p, "currency"),
    days: optInt64(c.days, p, "days"),
    reason: string(c.reason, p, "reason"),
    requiresApproval:
      c.requiresApproval === undefined ? false : bool(c.requiresApproval, p, "requiresApproval"),
  });
}

function each(v, where, f, wit) {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new TypeError(`${where}: expected an Array, got ${show(v)}`);
  const out = new Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = f(v[i], where, i, wit);
  return out;
}

/** `d` (a Decision, or a plain object of its fields) checked: a new Decision, or with
 * `wit` the WIT world's `decision`. */
export function checkDecision(d, wit = false) {
  recordAt(d, Decision, "decision");
  const e = d.escalation;
  return (wit ? plain : _make)(Decision, {
    deadlines: each(d.deadlines, "decision.deadlines", deadline, wit),
    escalation:
      e === undefined || e === null ? undefined : escalation(e, "decision.escalation", wit),
    compensation: each(d.compensation, "decision.compensation", compensation, wit),
    notes: d.notes === undefined ? [] : strings(d.notes, "decision", "notes"),
  });
}
