// The standard policy (`standard` 1.0.0) in JavaScript: the twin of
// rules/standard-rhai/standard.rhai, rules/standard-wasm and rules/standard-py. Same
// rules, same integer math (BigInt, which divides as Rust's i64 does, and the same
// 64-bit overflow check), same order of deadlines, reasons and people to notify;
// rules/standard-rhai/README.md states the rules for people.

import {
  Channel,
  ClockStatus,
  Compensation,
  CompensationKind,
  Decision,
  Fired,
  Kind,
  Metric,
  Policy,
  PolicyError,
  Priority,
  escalationOf,
  sla,
} from "pacto-guest";

// ---- when ----

const BASE_RESPONSE = new Map([
  [Priority.LOW, 480n],
  [Priority.NORMAL, 240n],
  [Priority.HIGH, 120n],
  [Priority.URGENT, 30n],
]);
const BASE_RESOLUTION = new Map([
  [Priority.LOW, 2400n],
  [Priority.NORMAL, 1440n],
  [Priority.HIGH, 960n],
  [Priority.URGENT, 240n],
]);
/** Percentage of the base targets a tier gets; any other tier gets 100. (A Map, not
 * an object: a tier is free text, and `"constructor"` is not a tier of ours.) */
const TIER_PERCENT = new Map([
  ["platinum", 50n],
  ["gold", 75n],
]);

const tierPercent = (tier) => TIER_PERCENT.get(tier) ?? 100n;

const calendarFor = (priority) => (priority === Priority.URGENT ? "24x7" : "business");

/** First (and next) response target: base, then tier, then halved on phone and chat. */
function responseTarget(ticket) {
  const target = (BASE_RESPONSE.get(ticket.priority) * tierPercent(ticket.customer.tier)) / 100n;
  const halved = ticket.channel === Channel.PHONE || ticket.channel === Channel.CHAT;
  return halved ? target / 2n : target;
}

function resolutionTarget(ticket) {
  return (BASE_RESOLUTION.get(ticket.priority) * tierPercent(ticket.customer.tier)) / 100n;
}

// ---- who ----

function escalationHits(ticket, clocks) {
  const tier = ticket.customer.tier;
  const hits = [];
  // Running clocks that have used 80% or more of their target.
  for (const c of clocks) {
    const running = c.status === ClockStatus.PENDING || c.status === ClockStatus.PAUSED;
    if (running && c.target > 0n && (c.target - c.remaining) * 10n >= c.target * 8n) {
      hits.push(new Fired(1, "tier1-lead", `${c.metric} at 80% of target`));
    }
  }
  // Breached clocks; a platinum customer's late resolution goes to escalations.
  for (const c of clocks) {
    if (c.status !== ClockStatus.BREACHED) continue;
    const reason = `${c.metric} breached by ${c.breachedBy} min`;
    if (tier === "platinum" && c.metric === Metric.RESOLUTION) {
      hits.push(new Fired(3, "escalations", reason, ["account-manager"]));
    } else {
      hits.push(new Fired(2, "tier2", reason));
    }
  }
  const reopened = ticket.timeline.reopenCount;
  if (reopened >= 2) hits.push(new Fired(2, "quality", `reopened ${reopened} times`));
  // A rating of 40% of the scale or less (u32 scores: exact as Numbers).
  const rating = ticket.timeline.latestSatisfaction;
  if (rating !== undefined && rating.score * 5 <= 2 * rating.scale) {
    const notify = tier === "gold" || tier === "platinum" ? ["account-manager"] : [];
    hits.push(new Fired(2, "customer-success", `satisfaction ${rating.score}/${rating.scale}`, notify));
  }
  return hits;
}

/** The highest level wins; at level 2 or more a low or normal case is raised to high. */
function escalation(hits, priority) {
  const e = escalationOf(hits);
  if (e !== undefined && e.level >= 2 && (priority === Priority.LOW || priority === Priority.NORMAL)) {
    e.raisePriority = Priority.HIGH;
  }
  return e;
}

// ---- what we owe ----

const I64_MAX = 2n ** 63n - 1n;

const creditPercent = (minutesLate) => (minutesLate < 60n ? 5n : minutesLate < 240n ? 10n : 20n);

/** Gold and platinum customers with an order get a share of it back when a clock
 * breached, set by the worst lateness and capped by tier. */
function serviceCredit(ticket, clocks) {
  const { tier } = ticket.customer;
  const order = ticket.order;
  if (order === undefined || (tier !== "gold" && tier !== "platinum")) return undefined;
  const late = clocks.filter((c) => c.status === ClockStatus.BREACHED).map((c) => c.breachedBy);
  if (late.length === 0) return undefined;
  const worst = late.reduce((a, b) => (b > a ? b : a));
  const pct = creditPercent(worst);
  // The other twins compute in 64-bit integers with checked arithmetic; so do we.
  const value = order.value < I64_MAX ? order.value : I64_MAX;
  if (value * pct > I64_MAX) throw new PolicyError(`${value} * ${pct} overflows`);
  const share = (value * pct) / 100n;
  const cap = tier === "platinum" ? 25_000n : 10_000n;
  const amount = share < cap ? share : cap;
  return new Compensation({
    kind: CompensationKind.SERVICE_CREDIT,
    amount,
    currency: order.currency,
    reason: `${pct}% credit: SLA breached by ${worst} min`,
    requiresApproval: amount > 5000n,
  });
}

/** Standard-tier complaints get an apology. */
function apology(ticket) {
  if (ticket.kind === Kind.COMPLAINT && ticket.customer.tier === "standard") {
    return new Compensation({
      kind: CompensationKind.APOLOGY,
      amount: 0n,
      reason: "apology for the trouble",
    });
  }
  return undefined;
}

export default class Standard extends Policy {
  name = "standard";
  version = "1.0.0";

  decide(ticket, now) {
    const calendar = calendarFor(ticket.priority);
    const clocks = sla.clocks(
      [calendar, responseTarget(ticket)],
      [calendar, resolutionTarget(ticket)],
    );
    const owed = ticket.customer.internal
      ? []
      : [serviceCredit(ticket, clocks), apology(ticket)].filter((c) => c !== undefined);
    return new Decision({
      deadlines: clocks,
      escalation: escalation(escalationHits(ticket, clocks), ticket.priority),
      compensation: owed,
      notes: ["standard v1"],
    });
  }
}
