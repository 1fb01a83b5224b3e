// The Policy base class a policy author extends, and the funnel every decision goes
// through (in a component and in a unit test alike).

import { isRecordLike, show } from "./check.js";
import { PolicyError, SlaError } from "./errors.js";
import { checkDecision } from "./decision.js";
import { Decision, Description } from "./types.js";

/**
 * A policy: extend it, set `name` and `version` as policy.toml has them, and write
 * `decide(ticket, now)`. The module `export default`s the class; `pacto build` exports
 * it.
 *
 *     export default class Hello extends Policy {
 *       name = "hello";
 *       version = "1.0.0";
 *       decide(ticket, now) {
 *         return new Decision({ notes: [`hello ${ticket.id}`] });
 *       }
 *     }
 */
export class Policy {
  /**
   * The decision on `ticket` as of `now` (Unix seconds, a BigInt). Throw a
   * PolicyError to decline.
   * @returns {Decision}
   */
  decide(ticket, now) {
    throw new Error(`${this.constructor.name}.decide is not written`);
  }

  /** The policy's name and version; by default the `name` and `version` fields. */
  describe() {
    return new Description({ name: this.name ?? "", version: this.version ?? "" });
  }
}

/**
 * `policy.decide` with every failure as a PolicyError: an uncaught SlaError becomes
 * its `cause` (the host reports it with its own kind), any other exception a message
 * with the stack; the decision comes back checked (every value the host takes, s64
 * fields as BigInt), with `wit` as the WIT world's `decision`. The component glue and
 * `testing.decide` both decide through here.
 */
export function decideThrough(policy, ticket, now, wit = false) {
  const who = `${policy?.constructor?.name ?? "policy"}.decide`;
  let d;
  try {
    d = policy.decide(ticket, now);
  } catch (e) {
    if (e instanceof PolicyError) throw e;
    if (e instanceof SlaError) throw new PolicyError(e.message, e);
    throw new PolicyError(withStack(e), { cause: e });
  }
  if (d !== null && typeof d === "object" && typeof d.then === "function") {
    throw new PolicyError(`${who} returned a Promise, expected a Decision: decide must not be async`);
  }
  if (!isRecordLike(d, Decision)) {
    throw new PolicyError(`${who} returned ${show(d)}, expected a Decision`);
  }
  try {
    return checkDecision(d, wit);
  } catch (e) {
    throw new PolicyError(`${who} returned a decision the host cannot take: ${e.message}`, {
      cause: e,
    });
  }
}

/** The most of an exception's text a policy error carries: the host keeps up to 4 KiB
 * of a message, and a stack's start is where it went wrong. */
export const MAX_MESSAGE = 4000;

let mapFrame = (line) => line;

/** Makes `f` rewrite every frame of a stack (one line) before it goes into a message
 * (the component glue maps the bundle's lines back to the author's files). */
export function _setFrameMapper(f) {
  mapFrame = f;
}

/** The most frames of a stack a message keeps: the innermost 30 and the outermost 8
 * (in a component, mapping every frame of a deep recursion back to its source would
 * cost more fuel than the decision has). */
const KEEP_INNER = 30;
const KEEP_OUTER = 8;

/** The stack's frames, those of the engine's bindings left out, a deep one cut in
 * the middle. */
function frames(stack) {
  // written for the engine in a component, which interprets: every step costs fuel
  const lines = stack.split("\n");
  const n = lines.length;
  const cut = n > KEEP_INNER + KEEP_OUTER + 2 ? n - KEEP_INNER - KEEP_OUTER : 0;
  let out = "";
  for (let i = 0; i < n; i++) {
    if (cut > 0 && i === KEEP_INNER) {
      out += `\n[... ${cut} frames left out ...]`;
      i += cut - 1;
      continue;
    }
    const l = lines[i];
    if (l === "" || l.includes("initializer.js:")) continue;
    out += `\n${mapFrame(l)}`;
  }
  return out.slice(1);
}

/**
 * `Name: message` and then the stack, innermost call first; past MAX_MESSAGE
 * characters the middle is left out.
 */
export function withStack(e) {
  let head;
  let stack = "";
  if (e instanceof Error) {
    const name = e.name || e.constructor?.name || "Error";
    head = e.message ? `${name}: ${e.message}` : name;
    stack = typeof e.stack === "string" ? e.stack : "";
    // V8 starts a stack with the error's `Name: message`; SpiderMonkey does not
    if (stack.startsWith(head)) stack = stack.slice(head.length);
    stack = frames(stack);
  } else {
    head = `Uncaught ${show(e)} (thrown, not an Error: no stack)`;
  }
  const text = stack ? `${head}\n${stack}` : head;
  if (text.length <= MAX_MESSAGE) return text;
  // the innermost calls come first in a JavaScript stack: keep more of the start
  const keepTail = 1000;
  const keepHead = MAX_MESSAGE - 1100;
  const cut = text.length - keepHead - keepTail;
  return `${text.slice(0, keepHead)}\n[... ${cut} characters left out ...]\n${text.slice(-keepTail)}`;
}
