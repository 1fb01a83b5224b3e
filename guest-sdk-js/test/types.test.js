// The SDK's types against the WIT world (wit/policy.wit, parsed as
// guest-sdk-py/tests/test_sdk.py parses it).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import * as sdk from "../index.js";
import { fieldsOf } from "../lib/types.js";

const WIT = readFileSync(new URL("../../wit/policy.wit", import.meta.url), "utf8");

const pascal = (kebab) => kebab.split("-").map((p) => p[0].toUpperCase() + p.slice(1)).join("");
const camel = (kebab) => kebab.replace(/-(\w)/g, (_, c) => c.toUpperCase());

test("every WIT enum is a frozen SDK enum with the JSON names", () => {
  const enums = [...WIT.matchAll(/enum ([\w-]+) \{([^}]*)\}/g)];
  assert.equal(enums.length, 7);
  for (const [, name, body] of enums) {
    const e = sdk[pascal(name)];
    assert.ok(e, name);
    assert.ok(Object.isFrozen(e), name);
    const cases = body.split(",").map((c) => c.trim()).filter(Boolean);
    assert.deepEqual(Object.keys(e), cases.map((c) => c.toUpperCase().replaceAll("-", "_")), name);
    assert.deepEqual(Object.values(e), cases.map((c) => c.replaceAll("-", "_")), name);
  }
  assert.equal(sdk.Metric.FIRST_RESPONSE, "first_response");
  assert.equal(sdk.Channel.IN_PERSON, "in_person");
  assert.equal(sdk.CompensationKind.SERVICE_CREDIT, "service_credit");
});

test("every WIT record the SDK exports has its fields, camelCase", () => {
  let checked = 0;
  for (const [, name, raw] of WIT.matchAll(/record ([\w-]+) \{([^}]*)\}/g)) {
    const cls = sdk[pascal(name)];
    // policy-error, unknown-calendar, no-open-time, reversed-pause are errors here
    if (typeof cls !== "function" || cls.prototype instanceof Error) continue;
    const body = raw.replace(/\/\/\/.*/g, "");
    const wit = body
      .split(",")
      .filter((f) => f.includes(":"))
      .map((f) => camel(f.split(":")[0].trim()));
    // the variant `event-kind`'s payloads, flattened
    if (name === "event") wit.push("status", "rating");
    assert.deepEqual(fieldsOf(cls), wit, name);
    checked++;
  }
  // customer, order, rating, event, interval, timeline, support-case, deadline,
  // reading, escalation, compensation, decision, description
  assert.equal(checked, 13);
});

test("the event variant's cases are the EventKind values", () => {
  const body = /variant event-kind \{([^}]*)\}/.exec(WIT)[1];
  const cases = body.split(",").map((c) => c.split("(")[0].trim()).filter(Boolean);
  assert.deepEqual(Object.values(sdk.EventKind), cases.map((c) => c.replaceAll("-", "_")));
});

test("a record fills its defaults and refuses a field it does not have", () => {
  const e = new sdk.Escalation({ level: 2, reason: "late" });
  assert.deepEqual({ ...e }, { level: 2, team: undefined, reason: "late", notify: [], raisePriority: undefined });
  assert.throws(() => new sdk.Escalation({ level: 2, reason: "x", raise: "high" }), {
    message: "Escalation has no field `raise`; its fields are level, team, reason, notify, raisePriority",
  });
  assert.throws(() => new sdk.Escalation({ level: 2 }), { message: "Escalation: `reason` is required" });
  assert.throws(() => new sdk.Deadline({ metric: "first-response", calendar: "c", target: 1n, status: "met" }), {
    message: /^Deadline.metric: expected a Metric \(first_response, next_response, resolution\), got "first-response"$/,
  });
});

test("s64 and u64 fields are BigInt, u32 and u8 Numbers; a safe integer is taken as either", () => {
  const c = new sdk.Compensation({ kind: "refund", amount: 250, days: 30n, reason: "x" });
  assert.equal(c.amount, 250n);
  assert.equal(c.days, 30n);
  assert.equal(new sdk.Escalation({ level: 3n, reason: "x" }).level, 3);
  assert.equal(new sdk.Rating({ score: 2, scale: 5n }).scale, 5);
  assert.throws(() => new sdk.Compensation({ kind: "refund", amount: 2.5, reason: "x" }), {
    message: "Compensation.amount: expected an s64 (a BigInt, or a Number that is a safe integer), got 2.5",
  });
  assert.throws(() => new sdk.Compensation({ kind: "refund", amount: 2 ** 60, reason: "x" }), TypeError);
  assert.throws(() => new sdk.Compensation({ kind: "refund", amount: 2n ** 63n, reason: "x" }), {
    message: /^Compensation.amount: 9223372036854775808 is outside an s64's range/,
  });
  assert.throws(() => new sdk.Escalation({ level: 256, reason: "x" }), RangeError);
  assert.throws(() => new sdk.Escalation({ level: 1.5, reason: "x" }), TypeError);
  assert.throws(() => new sdk.Order({ value: -1n, currency: "EUR" }), RangeError);
});

test("nested records may be plain objects; attributes an object or a Map of JSON text", () => {
  const t = new sdk.SupportCase({
    id: "T",
    openedAt: 0,
    priority: "low",
    channel: "web",
    kind: "question",
    customer: { id: "K" },
    order: { value: 10, currency: "EUR" },
    events: [{ at: 5, kind: "status", status: "on_hold" }],
    attributes: new Map([["vip", "true"]]),
  });
  assert.ok(t.customer instanceof sdk.Customer);
  assert.equal(t.customer.tier, "standard");
  assert.equal(t.order.value, 10n);
  assert.equal(t.events[0].at, 5n);
  assert.equal(t.timeline.status, "open");
  assert.equal(Object.getPrototypeOf(t.attributes), null);
  assert.equal(JSON.parse(t.attributes.vip), true);
  assert.throws(
    () => new sdk.SupportCase({ ...t, events: [{ at: 1n, kind: "call" }] }),
    { message: /^SupportCase.events\[0\].kind: expected a EventKind/ },
  );
});

test("index.d.ts declares every export of the index", () => {
  const dts = readFileSync(new URL("../index.d.ts", import.meta.url), "utf8");
  for (const name of Object.keys(sdk)) {
    assert.match(dts, new RegExp(`^export (declare )?(const|class|function) ${name}\\b`, "m"), name);
  }
});
