// Unit tests of the standard policy's rules in plain Node, with the SDK's stand-in
// host (`node --test` in this folder, after `npm install`). The fixtures check the
// same rules against the real host: `pacto build . && pacto test .`.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  ClockStatus,
  CompensationKind,
  Kind,
  Metric,
  Order,
  PolicyError,
  Priority,
  Rating,
  Timeline,
} from "pacto-guest";
import { StubHost, caseOf, decide } from "pacto-guest/testing";

import Standard from "./standard.js";

const breached = (by) => ({ due: 0n, status: ClockStatus.BREACHED, breachedBy: by });

test("describe() is the policy policy.toml names", () => {
  assert.deepEqual({ ...new Standard().describe() }, { name: "standard", version: "1.0.0" });
});

test("targets by priority, tier and channel", () => {
  const host = new StubHost();
  decide(Standard, host, caseOf({ priority: Priority.HIGH, tier: "gold" }), 0n);
  // 120 * 75% = 90 for the responses, 960 * 75% = 720 for resolution
  assert.deepEqual(
    host.calls.map(([, args]) => args),
    [
      [Metric.FIRST_RESPONSE, "business", 90n],
      [Metric.NEXT_RESPONSE, "business", 90n],
      [Metric.RESOLUTION, "business", 720n],
    ],
  );
  const chat = new StubHost();
  decide(Standard, chat, caseOf({ priority: Priority.URGENT, tier: "platinum", channel: "chat" }), 0n);
  // 30 * 50% = 15, halved (rounded down) = 7; 240 * 50% = 120; on the 24x7 calendar
  assert.deepEqual(
    chat.calls.map(([, [m, cal, min]]) => `${m}@${cal}:${min}`),
    ["first_response@24x7:7", "next_response@24x7:7", "resolution@24x7:120"],
  );
});

test("a clock at 80% of its target goes to the tier-1 lead", () => {
  // 240 minutes, 48 left: 192 used, exactly 80%
  const host = new StubHost({ [Metric.FIRST_RESPONSE]: { due: 0n, status: ClockStatus.PENDING, remaining: 48n } });
  const d = decide(Standard, host, caseOf(), 0n);
  assert.deepEqual([d.escalation.level, d.escalation.team], [1, "tier1-lead"]);
  assert.equal(d.escalation.reason, "first_response at 80% of target");
  assert.equal(d.escalation.raisePriority, undefined);
});

test("a gold customer gets a credit, capped and to approve", () => {
  const host = new StubHost({ [Metric.RESOLUTION]: breached(300n) });
  const ticket = caseOf({ tier: "gold", order: new Order({ value: 500_000n, currency: "EUR" }) });
  const d = decide(Standard, host, ticket, 0n);
  const credit = d.compensation[0];
  assert.deepEqual(
    [credit.kind, credit.amount, credit.currency],
    [CompensationKind.SERVICE_CREDIT, 10_000n, "EUR"],
  );
  assert.equal(credit.requiresApproval, true);
  assert.equal(credit.reason, "20% credit: SLA breached by 300 min");
  assert.deepEqual([d.escalation.level, d.escalation.team], [2, "tier2"]);
  assert.equal(d.escalation.raisePriority, Priority.HIGH);
});

test("a platinum customer's late resolution goes to escalations, with the account manager", () => {
  const host = new StubHost({ [Metric.RESOLUTION]: breached(95n) });
  const d = decide(Standard, host, caseOf({ tier: "platinum", priority: Priority.HIGH }), 0n);
  assert.deepEqual([d.escalation.level, d.escalation.team, d.escalation.notify], [3, "escalations", ["account-manager"]]);
  assert.equal(d.escalation.reason, "resolution breached by 95 min");
  // a high priority case is not raised
  assert.equal(d.escalation.raisePriority, undefined);
});

test("an order too large to credit is declined, as the 64-bit twins decline it", () => {
  const host = new StubHost({ [Metric.FIRST_RESPONSE]: breached(5n) });
  const ticket = caseOf({ tier: "platinum", order: new Order({ value: 2n ** 64n - 1n, currency: "EUR" }) });
  assert.throws(() => decide(Standard, host, ticket, 0n), {
    name: "PolicyError",
    message: "9223372036854775807 * 5 overflows",
  });
  assert.ok(PolicyError);
});

test("a standard complaint gets an apology, an internal one nothing", () => {
  let d = decide(Standard, new StubHost(), caseOf({ kind: Kind.COMPLAINT }), 0n);
  assert.deepEqual(d.compensation.map((c) => [c.kind, c.amount]), [[CompensationKind.APOLOGY, 0n]]);
  d = decide(Standard, new StubHost(), caseOf({ kind: Kind.COMPLAINT, internal: true }), 0n);
  assert.deepEqual(d.compensation, []);
});

test("a poor rating goes to customer success; two reopenings to quality", () => {
  const ticket = caseOf({
    tier: "platinum",
    timeline: new Timeline({ latestSatisfaction: new Rating({ score: 2, scale: 5 }), reopenCount: 2 }),
  });
  const d = decide(Standard, new StubHost(), ticket, 0n);
  assert.deepEqual([d.escalation.team, d.escalation.notify], ["quality", ["account-manager"]]);
  assert.equal(d.escalation.reason, "reopened 2 times; satisfaction 2/5");
});

test("next response is listed only once it runs; notes say the version", () => {
  const host = new StubHost({ [Metric.NEXT_RESPONSE]: { status: ClockStatus.INACTIVE } });
  const d = decide(Standard, host, caseOf(), 0n);
  assert.deepEqual(d.deadlines.map((x) => x.metric), [Metric.FIRST_RESPONSE, Metric.RESOLUTION]);
  assert.deepEqual(d.notes, ["standard v1"]);
});

test("a tier named like an Object property is just another tier", () => {
  const host = new StubHost();
  decide(Standard, host, caseOf({ tier: "constructor" }), 0n);
  assert.equal(host.calls[0][1][2], 240n);
});
