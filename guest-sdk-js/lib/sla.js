// Business time, computed by the Pacto host on the bundle's calendars.
//
// Inside a component these functions call the host's `sla` imports; `clock` measures
// on the case being decided. In plain Node they call the stand-in host that
// `testing.decide` installs for one decision, and throw an Error when there is none.
// Each throws an SlaError when the host has no answer. Instants and minutes are
// BigInt (a Number that is a safe integer is taken as the same BigInt).

import { int64, string } from "./check.js";
import { UnknownMetric } from "./errors.js";
import { ClockStatus, Deadline, Metric, Reading, _make } from "./types.js";

const METRICS = new Set(Object.values(Metric));

const NO_HOST = new Proxy(
  {},
  {
    get(_, name) {
      throw new Error(
        `sla.${String(name)} called outside a decision: in a unit test, run the policy ` +
          "with decide(policy, host, ticket, now) from pacto-guest/testing",
      );
    },
  },
);

let host = NO_HOST;

/** A host whose readings need no checking (the component's). */
export const TRUSTED = Symbol("trusted");

/** Makes `h` answer the `sla` functions; returns the one it replaces. */
export function _install(h) {
  const previous = host;
  host = h ?? NO_HOST;
  return previous;
}

function metricOf(metric) {
  if (!METRICS.has(metric)) throw new UnknownMetric(String(metric));
  return metric;
}

/**
 * The SLA clock `metric` measured on the case being decided, on `calendar`, with a
 * target of `minutes` business minutes: its due time, status, when it was met, how
 * late it is or how much time is left.
 * @returns {Deadline}
 */
export function clock(metric, calendar, minutes) {
  metricOf(metric);
  string(calendar, "sla.clock: calendar");
  const r = host.clock(metric, calendar, int64(minutes, "sla.clock: minutes"));
  const fields = {
    metric: r.metric,
    calendar,
    target: r.target,
    due: r.due,
    status: r.status,
    metAt: r.metAt,
    breachedBy: r.breachedBy,
    remaining: r.remaining,
    paused: r.paused,
  };
  // a Reading was checked when it was made; anything else a stand-in host gives is now
  return r instanceof Reading || host[TRUSTED] ? _make(Deadline, fields) : new Deadline(fields);
}

/**
 * The three clocks a decision lists, in the contract's order: first response and next
 * response on `response` (`[calendar, businessMinutes]`; next response only once it
 * has started, that is unless it is inactive), then resolution on `resolution`.
 * @returns {Deadline[]}
 */
export function clocks(response, resolution) {
  const out = [clock(Metric.FIRST_RESPONSE, response[0], response[1])];
  const next = clock(Metric.NEXT_RESPONSE, response[0], response[1]);
  if (next.status !== ClockStatus.INACTIVE) out.push(next);
  out.push(clock(Metric.RESOLUTION, resolution[0], resolution[1]));
  return out;
}

/** `start` moved by `minutes` business minutes on `calendar`; negative minutes count
 * backwards. A start outside hours begins at the next opening. @returns {bigint} */
export function addBusinessMinutes(calendar, start, minutes) {
  const f = "sla.addBusinessMinutes";
  return host.addBusinessMinutes(
    string(calendar, `${f}: calendar`),
    int64(start, `${f}: start`),
    int64(minutes, `${f}: minutes`),
  );
}

/** Whole business minutes (rounded down) on `calendar` from `start` to `end`; 0 when
 * `end` is not after `start`. @returns {bigint} */
export function businessMinutesBetween(calendar, start, end) {
  const f = "sla.businessMinutesBetween";
  return host.businessMinutesBetween(
    string(calendar, `${f}: calendar`),
    int64(start, `${f}: start`),
    int64(end, `${f}: end`),
  );
}

/** Whether `at` falls inside `calendar`'s opening hours. @returns {boolean} */
export function isBusinessTime(calendar, at) {
  const f = "sla.isBusinessTime";
  return host.isBusinessTime(string(calendar, `${f}: calendar`), int64(at, `${f}: at`));
}
