// Why a decision has no answer.
//
// A policy declines to decide by throwing a PolicyError. The `sla` functions throw an
// SlaError (an unknown calendar, a computation without an answer); left uncaught, the
// host reports that error itself, with its own kind (`policy` or `time`) and the same
// message a Rhai or Rust policy gets for the same failure. Any other exception ends
// the decision as a `policy` error whose message keeps the stack. The messages here
// are worded as the host words them.

/** A host function in `sla` had no answer. */
export class SlaError extends Error {}
SlaError.prototype.name = "SlaError";

/** The policy named a calendar the bundle does not have (a `policy` error). */
export class UnknownCalendar extends SlaError {
  /** @param {string} name @param {string[]} known */
  constructor(name, known) {
    const listed = known.map((k) => `\`${k}\``).join(", ") || "no calendars";
    super(`unknown calendar \`${name}\`; the bundle has ${listed}`);
    this.calendar = name;
    this.known = [...known];
  }
}
UnknownCalendar.prototype.name = "UnknownCalendar";

/** The policy named a metric that does not exist (a `policy` error). */
export class UnknownMetric extends SlaError {
  /** @param {string} metric */
  constructor(metric) {
    super(
      `unknown metric \`${metric}\`; expected \`first_response\`, \`next_response\` or \`resolution\``,
    );
    this.metric = metric;
  }
}
UnknownMetric.prototype.name = "UnknownMetric";

/** The calendar computation had no answer (a `time` error). */
export class TimeError extends SlaError {}
TimeError.prototype.name = "TimeError";

/** No open business time in the `days` days after `start` (Unix seconds). */
export class NoOpenTime extends TimeError {
  /** @param {bigint} start @param {number} days */
  constructor(start, days) {
    super(`no open business time in the ${days} days after ${start} (Unix seconds)`);
    this.start = start;
    this.days = days;
  }
}
NoOpenTime.prototype.name = "NoOpenTime";

/** An instant (Unix seconds) before 1900 or from 2200 on, given or reached. */
export class OutOfRange extends TimeError {
  /** @param {bigint} at */
  constructor(at) {
    super(`${at} (Unix seconds) is outside the supported range 1900-01-01 to 2199-12-31`);
    this.at = at;
  }
}
OutOfRange.prototype.name = "OutOfRange";

/** An amount of business time too large to represent (`seconds` as decimal text). */
export class Overflow extends TimeError {
  /** @param {string} seconds */
  constructor(seconds) {
    super(`${seconds} seconds is too large an amount of business time`);
    this.seconds = seconds;
  }
}
Overflow.prototype.name = "Overflow";

/** A clock target below zero (business minutes). */
export class NegativeTarget extends TimeError {
  /** @param {bigint} minutes */
  constructor(minutes) {
    super(`a clock target must be at least 0 business minutes, got ${minutes}`);
    this.minutes = minutes;
  }
}
NegativeTarget.prototype.name = "NegativeTarget";

/** A pause from `start` to `end` (Unix seconds) that ends before it starts. */
export class ReversedPause extends TimeError {
  /** @param {bigint} start @param {bigint} end */
  constructor(start, end) {
    super(`pause from ${start} to ${end} (Unix seconds) ends before it starts`);
    this.start = start;
    this.end = end;
  }
}
ReversedPause.prototype.name = "ReversedPause";

/**
 * The policy declines to decide, for the reason given.
 *
 * `cause` is the SlaError it gave up on, if any: the host then reports that error with
 * its own kind and message. Give it as the second argument, `new PolicyError("...",
 * err)`, or the standard way, `new PolicyError("...", { cause: err })`. A cause that is
 * not an SlaError the host gave is kept (for a unit test to look at) but not reported.
 */
export class PolicyError extends Error {
  /** @param {string} message @param {unknown} [cause] */
  constructor(message, cause) {
    const options =
      cause === undefined
        ? undefined
        : cause !== null && typeof cause === "object" && !(cause instanceof Error) && "cause" in cause
          ? { cause: cause.cause }
          : { cause };
    super(message, options);
  }
}
PolicyError.prototype.name = "PolicyError";
