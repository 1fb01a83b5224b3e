// Write Pacto policies in JavaScript and build them into WebAssembly components.
//
// A policy extends `Policy` and writes `decide(ticket, now)`: it gets the support case
// (with the timeline the host derived from its events) and `now`, both in Unix seconds,
// and returns a `Decision`. Business time is computed by the host on the bundle's
// calendars through `sla`. `pacto build DIR` turns the module named by `source` in
// policy.toml into the bundle's component (bin/pacto-guest-js.js, with componentize-js);
// `pacto-guest/testing` runs a policy in plain Node with a stand-in host, for unit tests.
//
// The contract is the WIT world pacto:policy@0.3.0 (wit/policy.wit); its types are here
// under JavaScript names (index.d.ts declares them), and the component glue
// (component.js) stays out of sight.

import * as slaFunctions from "./lib/sla.js";

export {
  NegativeTarget,
  NoOpenTime,
  OutOfRange,
  Overflow,
  PolicyError,
  ReversedPause,
  SlaError,
  TimeError,
  UnknownCalendar,
  UnknownMetric,
} from "./lib/errors.js";
export { Fired, escalationOf } from "./lib/escalation.js";
export { Policy } from "./lib/policy.js";
export {
  Channel,
  ClockStatus,
  Compensation,
  CompensationKind,
  Customer,
  Deadline,
  Decision,
  Description,
  Escalation,
  Event,
  EventKind,
  Interval,
  Kind,
  Metric,
  Order,
  Priority,
  Rating,
  Reading,
  Status,
  SupportCase,
  Timeline,
} from "./lib/types.js";

/** Business time on the bundle's calendars, computed by the host. */
export const sla = Object.freeze({
  clock: slaFunctions.clock,
  clocks: slaFunctions.clocks,
  addBusinessMinutes: slaFunctions.addBusinessMinutes,
  businessMinutesBetween: slaFunctions.businessMinutesBetween,
  isBusinessTime: slaFunctions.isBusinessTime,
});
