"""Combining the escalation rules that fired into one :class:`Escalation`, the way
every bundled policy does it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .types import Escalation


@dataclass(slots=True, frozen=True)
class Fired:
    """One escalation rule that fired: its level (0 to 5), the team it names, why (in
    words for the agent) and who else must know."""

    level: int
    team: str
    reason: str
    notify: Sequence[str] = ()


def escalation_of(fired: Iterable[Fired]) -> Escalation | None:
    """The escalation of the rules that fired, given in the order the policy lists its
    rules: the **highest level** wins with **its team** (the first listed on a tie),
    the reasons are joined with ``"; "`` in order, and the people to notify are
    collected in order without duplicates; no priority is raised (set
    ``raise_priority`` on the result for that). ``None`` when no rule fired.

    >>> e = escalation_of([
    ...     Fired(1, "tier1-lead", "first_response at 80% of target"),
    ...     Fired(2, "tier2", "resolution breached by 95 min", ["account-manager"]),
    ...     Fired(2, "quality", "reopened 2 times", ["account-manager"]),
    ... ])
    >>> (e.level, e.team, e.notify)
    (2, 'tier2', ['account-manager'])
    >>> e.reason
    'first_response at 80% of target; resolution breached by 95 min; reopened 2 times'
    >>> escalation_of([]) is None
    True
    """
    fired = list(fired)
    if not fired:
        return None
    top = fired[0]
    for f in fired[1:]:
        if f.level > top.level:
            top = f
    notify = list(dict.fromkeys(who for f in fired for who in f.notify))
    return Escalation(top.level, top.team, "; ".join(f.reason for f in fired), notify)
