"""Unit-testing a policy in plain CPython (no Wasm, no Pacto host).

:func:`decide` runs a policy with a stand-in host answering the :mod:`pacto_guest.sla`
functions, and fails as the component would: with a
:class:`~pacto_guest.errors.PolicyError` (an uncaught ``SlaError`` as its ``cause``,
any other exception with its traceback in the message). :class:`StubHost` is a
stand-in whose clocks say what the test tells them; :func:`case` builds a case with
defaults for what the test does not care about.

>>> from pacto_guest import ClockStatus, Decision, Metric, Policy, Reading, sla
>>> from pacto_guest import testing
>>> class FirstResponse(Policy):
...     name, version = "first-response", "1.0.0"
...     def decide(self, ticket, now):
...         return Decision(deadlines=[sla.clock(Metric.FIRST_RESPONSE, "support", 240)])
>>> late = testing.StubHost({Metric.FIRST_RESPONSE: Reading(
...     Metric.FIRST_RESPONSE, 240, due=1_767_261_600, status=ClockStatus.BREACHED, breached_by=15)})
>>> d = testing.decide(FirstResponse(), late, testing.case(), now=1_767_262_500)
>>> d.deadlines[0].calendar, d.deadlines[0].status, d.deadlines[0].breached_by
('support', <ClockStatus.BREACHED: 'breached'>, 15)

(For the real host's answers on real calendars, build the bundle and run its fixtures:
``pacto build DIR && pacto test DIR``.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from . import sla
from .errors import UnknownCalendar
from .policy import Policy, _decide
from .types import (
    Channel,
    ClockStatus,
    Customer,
    Decision,
    Kind,
    Metric,
    Priority,
    Reading,
    SupportCase,
    Timeline,
)

__all__ = ["StubHost", "case", "decide"]


def decide(policy: Policy | type[Policy], host: sla.Host, ticket: SupportCase, now: int) -> Decision:
    """``policy``'s decision on ``ticket`` as of ``now``, with ``host`` answering the
    ``sla`` functions for the length of the call."""
    if isinstance(policy, type):
        policy = policy()
    previous = sla._install(host)
    try:
        return _decide(policy, ticket, now)
    finally:
        sla._install(previous)


class StubHost:
    """A stand-in host. ``clock`` answers ``readings[metric]`` with the target the
    policy asked for, or a clock still pending with all its target left; the other
    functions count every minute as business time (a 24x7 calendar in UTC). With
    ``calendars`` given, any other calendar name raises ``UnknownCalendar``, as the
    host does."""

    def __init__(
        self,
        readings: Mapping[Metric, Reading] | None = None,
        calendars: Iterable[str] | None = None,
    ):
        self.readings = dict(readings or {})
        self.calendars = None if calendars is None else list(calendars)
        #: Every call the policy made, as ``(function, args)``, in order.
        self.calls: list[tuple[str, tuple]] = []

    def _check(self, calendar: str) -> None:
        if self.calendars is not None and calendar not in self.calendars:
            raise UnknownCalendar(calendar, self.calendars)

    def clock(self, metric: Metric, calendar: str, minutes: int) -> Reading:
        self.calls.append(("clock", (metric, calendar, minutes)))
        self._check(calendar)
        r = self.readings.get(metric)
        if r is None:
            return Reading(metric, minutes, due=None, status=ClockStatus.PENDING, remaining=minutes)
        return Reading(
            metric, minutes, r.due, r.status, r.met_at, r.breached_by, r.remaining, r.paused
        )

    def add_business_minutes(self, calendar: str, start: int, minutes: int) -> int:
        self.calls.append(("add_business_minutes", (calendar, start, minutes)))
        self._check(calendar)
        return start + 60 * minutes

    def business_minutes_between(self, calendar: str, start: int, end: int) -> int:
        self.calls.append(("business_minutes_between", (calendar, start, end)))
        self._check(calendar)
        return max(0, end - start) // 60

    def is_business_time(self, calendar: str, at: int) -> bool:
        self.calls.append(("is_business_time", (calendar, at)))
        self._check(calendar)
        return True


def case(
    id: str = "T-1",
    *,
    opened_at: int = 1_767_261_600,
    priority: Priority = Priority.NORMAL,
    channel: Channel = Channel.EMAIL,
    kind: Kind = Kind.QUESTION,
    tier: str = "standard",
    internal: bool = False,
    timeline: Timeline | None = None,
    **fields,
) -> SupportCase:
    """A case with defaults (opened 2026-01-01 10:00 UTC, normal priority, by email, a
    question from a standard external customer); any other ``SupportCase`` field may
    be given by name."""
    return SupportCase(
        id=id,
        opened_at=opened_at,
        priority=priority,
        channel=channel,
        kind=kind,
        customer=Customer(id="K-1", tier=tier, internal=internal),
        timeline=timeline or Timeline(),
        **fields,
    )
