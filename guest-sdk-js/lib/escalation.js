// Combining the escalation rules that fired into one Escalation, the way every
// bundled policy does it.

import { Escalation } from "./types.js";

/** One escalation rule that fired: its level (0 to 5), the team it names, why (in
 * words for the agent) and who else must know. */
export class Fired {
  /** @param {number} level @param {string} team @param {string} reason @param {string[]} [notify] */
  constructor(level, team, reason, notify = []) {
    this.level = level;
    this.team = team;
    this.reason = reason;
    this.notify = notify;
    Object.freeze(this);
  }
}

/**
 * The escalation of the rules that fired, given in the order the policy lists its
 * rules: the highest level wins with its team (the first listed on a tie), the
 * reasons are joined with "; " in order, and the people to notify are collected in
 * order without duplicates; no priority is raised (set `raisePriority` on the result
 * for that). `undefined` when no rule fired.
 *
 * @param {Iterable<Fired | {level: number, team: string, reason: string, notify?: string[]}>} fired
 * @returns {Escalation | undefined}
 */
export function escalationOf(fired) {
  const all = [...fired];
  if (all.length === 0) return undefined;
  let top = all[0];
  for (const f of all) if (f.level > top.level) top = f;
  const notify = new Set();
  for (const f of all) for (const who of f.notify ?? []) notify.add(who);
  return new Escalation({
    level: top.level,
    team: top.team,
    reason: all.map((f) => f.reason).join("; "),
    notify: [...notify],
  });
}
