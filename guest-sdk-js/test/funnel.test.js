// The error funnel every decision goes through (in a component and in
// testing.decide alike), and the stand-in host.

import assert from "node:assert/strict";
import { after, test } from "node:test";

import {
  ClockStatus,
  Decision,
  Deadline,
  Description,
  Metric,
  NoOpenTime,
  OutOfRange,
  Overflow,
  NegativeTarget,
  Policy,
  PolicyError,
  Reading,
  ReversedPause,
  SlaError,
  UnknownCalendar,
  UnknownMetric,
  sla,
} from "../index.js";
import { StubHost, caseOf, decide } from "../testing.js";

class Clocky extends Policy {
  name = "clocky";
  version = "1.0.0";
  constructor(calendar = "support", fail = undefined) {
    super();
    this.calendar = calendar;
    this.fail = fail;
  }
  decide(ticket, now) {
    const fr = sla.clock(Metric.FIRST_RESPONSE, this.calendar, 240n);
    if (this.fail !== undefined) throw this.fail;
    return new Decision({ deadlines: [fr], notes: [`${now}`] });
  }
}

const host = () => new StubHost({}, ["support"]);

test("a decision gets the calendar it named; the host's calls are recorded", () => {
  const h = host();
  const d = decide(new Clocky(), h, caseOf(), 5);
  assert.ok(d instanceof Decision);
  assert.ok(d.deadlines[0] instanceof Deadline);
  assert.equal(d.deadlines[0].calendar, "support");
  assert.equal(d.deadlines[0].status, ClockStatus.PENDING);
  assert.equal(d.deadlines[0].remaining, 240n);
  assert.deepEqual(d.notes, ["5"]);
  assert.deepEqual(h.calls, [["clock", [Metric.FIRST_RESPONSE, "support", 240n]]]);
});

test("an uncaught SlaError is the policy error's cause, with its message", () => {
  assert.throws(
    () => decide(new Clocky("nope"), host(), caseOf(), 0),
    (e) => {
      assert.ok(e instanceof PolicyError);
      assert.ok(e.cause instanceof UnknownCalendar);
      assert.equal(e.message, "unknown calendar `nope`; the bundle has `support`");
      assert.equal(e.cause.calendar, "nope");
      assert.deepEqual(e.cause.known, ["support"]);
      return true;
    },
  );
});

test("another exception keeps its name, message and stack", () => {
  assert.throws(
    () => decide(new Clocky("support", new TypeError("no tier")), host(), caseOf(), 0),
    (e) => {
      assert.ok(e instanceof PolicyError);
      assert.match(e.message, /^TypeError: no tier\n/);
      assert.match(e.message, /funnel\.test\.js/);
      assert.ok(!(e.cause instanceof SlaError));
      return true;
    },
  );
});

test("a deep stack is cut: frames in the middle, then the message past 4,000 characters", () => {
  const down = (n) => (n === 0 ? null.boom : up(n - 1));
  const up = (n) => down(n);
  class Deep extends Policy {
    decide() {
      return down(100);
    }
  }
  const limit = Error.stackTraceLimit; // V8 keeps 10 frames unless told
  Error.stackTraceLimit = 500;
  after(() => (Error.stackTraceLimit = limit));
  assert.throws(
    () => decide(Deep, host(), caseOf(), 0),
    (e) => {
      assert.match(e.message, /^TypeError: Cannot read properties of null/);
      assert.match(e.message, /\[\.\.\. \d+ frames left out \.\.\.\]/);
      assert.ok(e.message.length <= 4000);
      return true;
    },
  );
  class Long extends Policy {
    decide() {
      throw new Error("x".repeat(10_000));
    }
  }
  assert.throws(
    () => decide(Long, host(), caseOf(), 0),
    (e) => {
      assert.ok(e.message.length <= 4000, e.message.length);
      assert.match(e.message, /^Error: xxx/);
      assert.match(e.message, /\[\.\.\. \d+ characters left out \.\.\.\]/);
      return true;
    },
  );
});

test("a thrown value that is not an Error is named", () => {
  assert.throws(() => decide(new Clocky("support", "oops"), host(), caseOf(), 0), {
    name: "PolicyError",
    message: 'Uncaught "oops" (thrown, not an Error: no stack)',
  });
});

test("a PolicyError passes as thrown; its cause may be given either way", () => {
  assert.throws(() => decide(new Clocky("support", new PolicyError("no")), host(), caseOf(), 0), {
    message: "no",
  });
  const err = new UnknownCalendar("x", []);
  assert.equal(err.message, "unknown calendar `x`; the bundle has no calendars");
  assert.equal(new PolicyError("gave up", err).cause, err);
  assert.equal(new PolicyError("gave up", { cause: err }).cause, err);
  assert.equal(new PolicyError("gave up").cause, undefined);
});

test("returning something other than a Decision is an error", () => {
  const returning = (v) =>
    class extends Policy {
      decide() {
        return v;
      }
    };
  assert.throws(() => decide(returning(undefined), host(), caseOf(), 0), {
    message: /\.decide returned undefined, expected a Decision$/,
  });
  assert.throws(() => decide(returning([]), host(), caseOf(), 0), {
    message: /\.decide returned an Array, expected a Decision$/,
  });
  assert.throws(() => decide(returning(Promise.resolve(new Decision())), host(), caseOf(), 0), {
    message: /returned a Promise, expected a Decision: decide must not be async$/,
  });
});

test("a plain object is a decision; what the host cannot take is named by its path", () => {
  const returning = (v) =>
    class extends Policy {
      decide() {
        return v;
      }
    };
  const d = decide(returning({ notes: ["n"], compensation: [{ kind: "refund", amount: 5, reason: "r", currency: "EUR" }] }), host(), caseOf(), 0);
  assert.ok(d instanceof Decision);
  assert.equal(d.compensation[0].amount, 5n);
  assert.equal(d.compensation[0].requiresApproval, false);
  assert.deepEqual(d.deadlines, []);
  assert.throws(() => decide(returning({ deadline: [] }), host(), caseOf(), 0), {
    message: /returned a decision the host cannot take: decision has no field `deadline`; its fields are deadlines, escalation, compensation, notes$/,
  });
  const c = { kind: "refund", amount: 1.5, reason: "r" };
  assert.throws(() => decide(returning({ compensation: [c] }), host(), caseOf(), 0), {
    message: /decision\.compensation\[0\]\.amount: expected an s64 \(a BigInt, or a Number that is a safe integer\), got 1\.5$/,
  });
  // an instance changed after it was made is checked again
  const e = new Decision({ escalation: { level: 1, reason: "r" } });
  e.escalation.level = 300;
  assert.throws(() => decide(returning(e), host(), caseOf(), 0), {
    message: /decision\.escalation\.level: 300 is outside a u8's range 0 to 255$/,
  });
});

test("the sla functions outside a decision say how to test", () => {
  decide(new Clocky(), host(), caseOf(), 0);
  assert.throws(() => sla.clock(Metric.RESOLUTION, "support", 1n), {
    message: /testing/,
  });
});

test("the stand-in host answers with the reading, the target asked for and 24x7 time", () => {
  const h = new StubHost({
    [Metric.FIRST_RESPONSE]: { due: 99n, status: ClockStatus.BREACHED, breachedBy: 7n },
  });
  const d = decide(new Clocky(), h, caseOf(), 0);
  assert.deepEqual([d.deadlines[0].target, d.deadlines[0].breachedBy, d.deadlines[0].due], [240n, 7n, 99n]);
  assert.equal(h.readings.get(Metric.FIRST_RESPONSE) instanceof Reading, true);
  assert.equal(h.addBusinessMinutes("c", 0n, 2n), 120n);
  assert.equal(h.businessMinutesBetween("c", 0n, 179n), 2n);
  assert.equal(h.businessMinutesBetween("c", 10n, 0n), 0n);
  assert.equal(h.isBusinessTime("c", 0n), true);
});

test("sla.clocks lists next response only once it runs; arguments may be safe Numbers", () => {
  const inactive = new StubHost({ [Metric.NEXT_RESPONSE]: { status: ClockStatus.INACTIVE } });
  const both = (h) =>
    decide(
      class extends Policy {
        decide() {
          return new Decision({ deadlines: sla.clocks(["a", 60], ["b", 600n]) });
        }
      },
      h,
      caseOf(),
      0,
    ).deadlines.map((x) => `${x.metric}@${x.calendar}:${x.target}`);
  assert.deepEqual(both(inactive), ["first_response@a:60", "resolution@b:600"]);
  assert.deepEqual(both(new StubHost()), ["first_response@a:60", "next_response@a:60", "resolution@b:600"]);
});

test("an unknown metric is the host's UnknownMetric", () => {
  class Bogus extends Policy {
    decide() {
      return new Decision({ deadlines: [sla.clock("first-response", "support", 1n)] });
    }
  }
  assert.throws(() => decide(Bogus, host(), caseOf(), 0), (e) => {
    assert.ok(e.cause instanceof UnknownMetric);
    assert.equal(
      e.message,
      "unknown metric `first-response`; expected `first_response`, `next_response` or `resolution`",
    );
    return true;
  });
});

test("the time errors are worded as the host words them", () => {
  assert.equal(
    new NoOpenTime(1767261600n, 366).message,
    "no open business time in the 366 days after 1767261600 (Unix seconds)",
  );
  assert.equal(
    new OutOfRange(-5000000000n).message,
    "-5000000000 (Unix seconds) is outside the supported range 1900-01-01 to 2199-12-31",
  );
  assert.equal(new Overflow("99999999999999999999").message, "99999999999999999999 seconds is too large an amount of business time");
  assert.equal(new NegativeTarget(-5n).message, "a clock target must be at least 0 business minutes, got -5");
  assert.equal(new ReversedPause(10n, 5n).message, "pause from 10 to 5 (Unix seconds) ends before it starts");
  for (const e of [new NoOpenTime(0n, 1), new OutOfRange(0n), new NegativeTarget(0n)]) {
    assert.ok(e instanceof SlaError);
    assert.equal(e.name, e.constructor.name);
  }
});

test("describe is name and version; caseOf has defaults and takes any field", () => {
  assert.deepEqual(new Clocky().describe(), new Description({ name: "clocky", version: "1.0.0" }));
  const t = caseOf({ tier: "gold", priority: "urgent", tags: ["vip"] });
  assert.deepEqual([t.id, t.openedAt, t.customer.tier, t.priority, t.channel, t.tags], [
    "T-1",
    1_767_261_600n,
    "gold",
    "urgent",
    "email",
    ["vip"],
  ]);
  assert.throws(() => caseOf({ tier: "gold", customer: { id: "K" } }), TypeError);
});
