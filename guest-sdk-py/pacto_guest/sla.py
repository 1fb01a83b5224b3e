"""Business time, computed by the Pacto host on the bundle's calendars.

Inside a component these functions call the host's ``sla`` imports; ``clock`` measures
on the case being decided. In plain CPython they call the stand-in host that
:func:`pacto_guest.testing.decide` installs for one decision, and raise
``RuntimeError`` when there is none. Each raises a :class:`~pacto_guest.errors.SlaError`
when the host has no answer.
"""

from __future__ import annotations

from typing import Protocol

from .errors import SlaError
from .types import ClockStatus, Deadline, Metric, Reading

__all__ = [
    "Host",
    "add_business_minutes",
    "business_minutes_between",
    "clock",
    "clocks",
    "is_business_time",
]


class Host(Protocol):
    """What answers the ``sla`` functions: the Pacto host in a component, a stand-in
    in a unit test. A method raises :class:`SlaError` when it has no answer."""

    def clock(self, metric: Metric, calendar: str, minutes: int) -> Reading: ...

    def add_business_minutes(self, calendar: str, start: int, minutes: int) -> int: ...

    def business_minutes_between(self, calendar: str, start: int, end: int) -> int: ...

    def is_business_time(self, calendar: str, at: int) -> bool: ...


class _NoHost:
    def __getattr__(self, name: str):
        raise RuntimeError(
            f"sla.{name} called outside a decision: in a unit test, run the policy "
            "with pacto_guest.testing.decide(policy, host, ticket, now)"
        )


_host: Host = _NoHost()  # type: ignore[assignment]


def _install(host: Host) -> Host:
    """Makes ``host`` answer the ``sla`` functions; returns the one it replaces."""
    global _host
    previous, _host = _host, host
    return previous


def clock(metric: Metric, calendar: str, minutes: int) -> Deadline:
    """The SLA clock ``metric`` measured on the case being decided, on ``calendar``,
    with a target of ``minutes`` business minutes: its due time, status, when it was
    met, how late it is or how much time is left."""
    r = _host.clock(metric, calendar, minutes)
    return Deadline(
        r.metric, calendar, r.target, r.due, r.status, r.met_at, r.breached_by, r.remaining, r.paused
    )


def clocks(response: tuple[str, int], resolution: tuple[str, int]) -> list[Deadline]:
    """The three clocks a decision lists, in the contract's order: first response and
    next response on ``response`` (calendar, business minutes; next response only once
    it has started, that is unless it is inactive), then resolution on
    ``resolution``."""
    out = [clock(Metric.FIRST_RESPONSE, *response)]
    nxt = clock(Metric.NEXT_RESPONSE, *response)
    if nxt.status != ClockStatus.INACTIVE:
        out.append(nxt)
    out.append(clock(Metric.RESOLUTION, *resolution))
    return out


def add_business_minutes(calendar: str, start: int, minutes: int) -> int:
    """``start`` moved by ``minutes`` business minutes on ``calendar``; negative minutes
    count backwards. A start outside hours begins at the next opening."""
    return _host.add_business_minutes(calendar, start, minutes)


def business_minutes_between(calendar: str, start: int, end: int) -> int:
    """Whole business minutes (rounded down) on ``calendar`` from ``start`` to ``end``;
    0 when ``end`` is not after ``start``."""
    return _host.business_minutes_between(calendar, start, end)


def is_business_time(calendar: str, at: int) -> bool:
    """Whether ``at`` falls inside ``calendar``'s opening hours."""
    return _host.is_business_time(calendar, at)

