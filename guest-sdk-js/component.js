// The component glue: the WIT world's values to the SDK's and back, the host's `sla`
// imports behind the SDK's `sla` functions, and the `decide` and `describe` exports
// componentize-js binds. Only a component imports this module (pacto-guest-js writes
// the entry module that does); "pacto:policy/sla@0.3.0" is the host's import, which
// componentize-js provides.
//
// componentize-js's conventions (those of jco): record fields camelCase, enums and
// variant tags kebab-case strings, a variant `{tag, val}`, an option `T` or
// `undefined`, s64/u64 BigInt and u32/u8 Number; an import returning `result` throws
// an Error whose `payload` is the `err`; an export returning `result` may return
// `{tag: "ok" | "err", val}` (which this glue does).

import * as wsla from "pacto:policy/sla@0.3.0";

import { show } from "./lib/check.js";
import {
  NegativeTarget,
  NoOpenTime,
  OutOfRange,
  Overflow,
  PolicyError,
  ReversedPause,
  UnknownCalendar,
  UnknownMetric,
} from "./lib/errors.js";
import { Policy, _setFrameMapper, decideThrough, withStack } from "./lib/policy.js";
import { TRUSTED, _install } from "./lib/sla.js";
import { Description, asRecord } from "./lib/types.js";

// ---- enums: the WIT names (kebab-case) to the JSON names (snake_case) and back ----

const METRIC_TO_WIT = {
  first_response: "first-response",
  next_response: "next-response",
  resolution: "resolution",
};
const METRIC_FROM_WIT = {
  "first-response": "first_response",
  "next-response": "next_response",
  resolution: "resolution",
};
const snake = (w) => w.replaceAll("-", "_");

// ---- the case, from the host ----

// The bindings' own objects are the SDK's (plain objects, fields camelCase): only the
// enum values with a hyphen are renamed, the events' variant flattened and the
// attributes made an object. (Every step costs: the engine interprets.)

function event(e) {
  const k = e.kind;
  switch (k.tag) {
    case "status":
      return { at: e.at, kind: "status", status: k.val === "on-hold" ? "on_hold" : k.val, rating: undefined };
    case "satisfaction":
      return { at: e.at, kind: "satisfaction", status: undefined, rating: k.val };
    case "customer-message":
      return { at: e.at, kind: "customer_message", status: undefined, rating: undefined };
    case "agent-reply":
      return { at: e.at, kind: "agent_reply", status: undefined, rating: undefined };
    case "internal-note":
      return { at: e.at, kind: "internal_note", status: undefined, rating: undefined };
    default:
      return { at: e.at, kind: snake(k.tag), status: undefined, rating: undefined };
  }
}

/** `obj[key]` made by `make(value)` the first time it is read: most policies never
 * look at the events or the attributes, and converting thousands of events costs
 * millions of instructions of fuel. */
function lazily(obj, key, make) {
  const raw = obj[key];
  Object.defineProperty(obj, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = make(raw);
      Object.defineProperty(obj, key, { value, writable: true, configurable: true, enumerable: true });
      return value;
    },
    set(value) {
      Object.defineProperty(obj, key, { value, writable: true, configurable: true, enumerable: true });
    },
  });
}

const events = (list) => {
  for (let i = 0; i < list.length; i++) list[i] = event(list[i]);
  return list;
};

const attributes = (list) => {
  const out = Object.create(null);
  for (const a of list) out[a.key] = a.value;
  return out;
};

function caseFromWit(t) {
  if (t.channel === "in-person") t.channel = "in_person";
  const tl = t.timeline;
  if (tl.status === "on-hold") tl.status = "on_hold";
  if (t.events.length > 0) lazily(t, "events", events);
  if (t.attributes.length > 0) lazily(t, "attributes", attributes);
  else t.attributes = Object.create(null);
  return t;
}

// ---- errors, both ways ----

function slaErrorFromWit(p) {
  switch (p.tag) {
    case "unknown-calendar":
      return new UnknownCalendar(p.val.name, p.val.known);
    case "unknown-metric":
      return new UnknownMetric(p.val);
    case "time": {
      const t = p.val;
      switch (t.tag) {
        case "no-open-time":
          return new NoOpenTime(t.val.start, t.val.days);
        case "out-of-range":
          return new OutOfRange(t.val);
        case "overflow":
          return new Overflow(t.val);
        case "negative-target":
          return new NegativeTarget(t.val);
        case "reversed-pause":
          return new ReversedPause(t.val.start, t.val.end);
      }
    }
  }
  return new Error(`the host gave an sla error this SDK does not know: ${show(p?.tag)}`);
}

/** The host's `sla-error` for `e`, or undefined when `e` is not one the host can
 * report as its own (none, or an SlaError the policy made up itself). */
function slaErrorToWit(e) {
  if (e instanceof UnknownCalendar) {
    return { tag: "unknown-calendar", val: { name: e.calendar, known: e.known } };
  }
  if (e instanceof UnknownMetric) return { tag: "unknown-metric", val: e.metric };
  let t;
  if (e instanceof NoOpenTime) t = { tag: "no-open-time", val: { start: e.start, days: e.days } };
  else if (e instanceof OutOfRange) t = { tag: "out-of-range", val: e.at };
  else if (e instanceof Overflow) t = { tag: "overflow", val: e.seconds };
  else if (e instanceof NegativeTarget) t = { tag: "negative-target", val: e.minutes };
  else if (e instanceof ReversedPause) t = { tag: "reversed-pause", val: { start: e.start, end: e.end } };
  else return undefined;
  return { tag: "time", val: t };
}

/** The host's `err` (thrown by the bindings as an Error with a `payload`) as the SDK's
 * SlaError; anything else as it is. */
function fromHost(e) {
  if (e !== null && typeof e === "object" && Object.hasOwn(e, "payload")) {
    return slaErrorFromWit(e.payload);
  }
  return e;
}

/** The Pacto host's `sla` imports, throwing the SDK's errors. */
const HOST = Object.freeze({
  // its readings are right as they come, but for the metric's name
  [TRUSTED]: true,
  clock(metric, calendar, minutes) {
    let r;
    try {
      r = wsla.clock(METRIC_TO_WIT[metric], calendar, minutes);
    } catch (e) {
      throw fromHost(e);
    }
    r.metric = METRIC_FROM_WIT[r.metric];
    return r;
  },
  addBusinessMinutes(calendar, start, minutes) {
    try {
      return wsla.addBusinessMinutes(calendar, start, minutes);
    } catch (e) {
      throw fromHost(e);
    }
  },
  businessMinutesBetween(calendar, start, end) {
    try {
      return wsla.businessMinutesBetween(calendar, start, end);
    } catch (e) {
      throw fromHost(e);
    }
  },
  isBusinessTime(calendar, at) {
    try {
      return wsla.isBusinessTime(calendar, at);
    } catch (e) {
      throw fromHost(e);
    }
  },
});

// ---- stacks: the bundle's lines back to the author's files ----

/** A frame rewriter for the line table pacto-guest-js appends to the bundle
 * (`lineTable` in lib/build.js): `decide@standard.js:120:9` in the bundle becomes the
 * author's `decide@standard.js:45` (or `pacto-guest/lib/sla.js:60`). */
function frameMapper(map) {
  const { file, sources, at, seg } = map;
  const seen = new Map(); // a recursion repeats its frames
  return (line) => {
    let mapped = seen.get(line);
    if (mapped === undefined) seen.set(line, (mapped = frameAt(line)));
    return mapped;
  };
  function frameAt(line) {
    const c2 = line.lastIndexOf(":");
    const c1 = line.lastIndexOf(":", c2 - 1);
    const f = c1 - file.length;
    if (c1 < 0 || f < 0 || !line.startsWith(file, f)) return line;
    if (f > 0 && line[f - 1] !== "@" && line[f - 1] !== "/") return line;
    const l = Number(line.slice(c1 + 1, c2));
    const c = Number(line.slice(c2 + 1));
    if (!(l >= 1 && l < at.length)) return line;
    let found = -1;
    for (let i = at[l - 1]; i < at[l]; i += 3) if (found < 0 || seg[i] <= c - 1) found = i;
    if (found < 0) return line;
    return `${line.slice(0, f)}${sources[seg[found + 1]]}:${seg[found + 2] + 1}`;
  }
}

// ---- the exports ----

/**
 * The `decide` and `describe` exports, deciding with the Policy subclass the author's
 * module (`ns`, named `source`) exports as its default.
 */
export function exportPolicy(ns, source) {
  const P = ns.default;
  if (typeof P !== "function" || !(P.prototype instanceof Policy)) {
    throw new TypeError(
      `${source}: a policy module must \`export default\` a subclass of Policy (from "pacto-guest"); ` +
        `its default export is ${show(P)}`,
    );
  }
  const policy = new P();
  _install(HOST);
  // the source map pacto-guest-js appends to the bundle (after this runs), read when
  // a stack first needs it
  let mapper;
  _setFrameMapper((line) => {
    const map = globalThis.__pactoSourceMap;
    mapper ??= map ? frameMapper(map) : (l) => l;
    return mapper(line);
  });

  function decide(ticket, now) {
    try {
      return { tag: "ok", val: decideThrough(policy, caseFromWit(ticket), now, true) };
    } catch (e) {
      if (e instanceof PolicyError) {
        return { tag: "err", val: { message: e.message, cause: slaErrorToWit(e.cause) } };
      }
      // a failure of the glue itself
      return { tag: "err", val: { message: withStack(e), cause: undefined } };
    }
  }

  function describe() {
    const d = asRecord(Description, policy.describe(), `${P.name}.describe()`);
    return { name: d.name, version: d.version };
  }

  return { decide, describe };
}
