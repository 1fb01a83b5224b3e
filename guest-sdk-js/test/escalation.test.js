import assert from "node:assert/strict";
import { test } from "node:test";

import { Escalation, Fired, escalationOf } from "../index.js";

test("the highest level wins, the first on a tie; reasons joined in order", () => {
  const e = escalationOf([new Fired(2, "a", "x"), new Fired(3, "b", "y"), new Fired(3, "c", "z")]);
  assert.ok(e instanceof Escalation);
  assert.deepEqual([e.level, e.team, e.reason], [3, "b", "x; y; z"]);
  assert.equal(e.raisePriority, undefined);
});

test("notify keeps order without duplicates", () => {
  const e = escalationOf([new Fired(1, "a", "x", ["m", "n"]), new Fired(1, "b", "y", ["n", "m", "o"])]);
  assert.deepEqual(e.notify, ["m", "n", "o"]);
});

test("the reasons read as the other twins' do", () => {
  const e = escalationOf([
    new Fired(1, "tier1-lead", "first_response at 80% of target"),
    new Fired(2, "tier2", "resolution breached by 95 min", ["account-manager"]),
    new Fired(2, "quality", "reopened 2 times", ["account-manager"]),
  ]);
  assert.deepEqual([e.level, e.team, e.notify], [2, "tier2", ["account-manager"]]);
  assert.equal(e.reason, "first_response at 80% of target; resolution breached by 95 min; reopened 2 times");
});

test("plain objects do as Fired; nothing fired is undefined", () => {
  assert.equal(escalationOf([]), undefined);
  assert.equal(escalationOf([{ level: 1, team: "t", reason: "r" }]).team, "t");
  assert.ok(Object.isFrozen(new Fired(1, "t", "r")));
});
