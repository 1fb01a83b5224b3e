"""The component glue: the WIT world's types to the SDK's and back, the host's ``sla``
imports behind :class:`pacto_guest.sla.Host`, and the ``WitWorld`` export
componentize-py looks for. Only a component imports this module (``pacto build``
writes the entry module that does); ``wit_world`` and ``componentize_py_types`` are the
bindings componentize-py generates from ``wit/policy.wit``.
"""

from __future__ import annotations

from types import ModuleType

from componentize_py_types import Err
from wit_world.imports import sla as wsla
from wit_world.imports import types as w

from . import errors, sla
from .errors import PolicyError, SlaError
from .policy import Policy, _decide, _with_traceback
from .types import (
    Channel,
    ClockStatus,
    CompensationKind,
    Customer,
    Decision,
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
)


def _by_name(sdk, wit):
    """The two enums' members matched by name, both ways."""
    there = {m: sdk[m.name] for m in wit}
    return there, {v: k for k, v in there.items()}


_PRIORITY, _W_PRIORITY = _by_name(Priority, w.Priority)
_CHANNEL, _ = _by_name(Channel, w.Channel)
_KIND, _ = _by_name(Kind, w.Kind)
_STATUS, _ = _by_name(Status, w.Status)
_METRIC, _W_METRIC = _by_name(Metric, w.Metric)
_CLOCK, _W_CLOCK = _by_name(ClockStatus, w.ClockStatus)
_, _W_COMPENSATION = _by_name(CompensationKind, w.CompensationKind)

_EVENT = {
    w.EventKind_CustomerMessage: EventKind.CUSTOMER_MESSAGE,
    w.EventKind_AgentReply: EventKind.AGENT_REPLY,
    w.EventKind_InternalNote: EventKind.INTERNAL_NOTE,
    w.EventKind_Status: EventKind.STATUS,
    w.EventKind_Reopened: EventKind.REOPENED,
    w.EventKind_Satisfaction: EventKind.SATISFACTION,
}


def _rating(r: w.Rating | None) -> Rating | None:
    return None if r is None else Rating(r.score, r.scale)


def _event(e: w.Event) -> Event:
    k = e.kind
    kind = _EVENT[type(k)]
    if kind is EventKind.STATUS:
        return Event(e.at, kind, status=_STATUS[k.value])
    if kind is EventKind.SATISFACTION:
        return Event(e.at, kind, rating=_rating(k.value))
    return Event(e.at, kind)


def _case(t: w.SupportCase) -> SupportCase:
    c, o, tl = t.customer, t.order, t.timeline
    return SupportCase(
        id=t.id,
        opened_at=t.opened_at,
        priority=_PRIORITY[t.priority],
        channel=_CHANNEL[t.channel],
        kind=_KIND[t.kind],
        category=t.category,
        customer=Customer(
            c.id, c.tier, c.internal, c.lifetime_value, c.recent_breaches, c.recent_credits
        ),
        order=None if o is None else Order(o.value, o.currency, o.warranty_until),
        events=[_event(e) for e in t.events],
        tags=list(t.tags),
        attributes={a.key: a.value for a in t.attributes},
        timeline=Timeline(
            tl.first_response_at,
            tl.last_agent_reply_at,
            tl.awaiting_reply_since,
            tl.solved_at,
            tl.reopen_count,
            _STATUS[tl.status],
            [Interval(p.start, p.end) for p in tl.paused],
            _rating(tl.latest_satisfaction),
        ),
    )


def _decision(d: Decision) -> w.Decision:
    e = d.escalation
    if e is not None and not (isinstance(e.level, int) and 0 <= e.level <= 255):
        # a WIT u8; the host itself refuses a level above 5
        raise ValueError(f"escalation level {e.level!r} is not an integer from 0 to 5")
    return w.Decision(
        [
            w.Deadline(
                _W_METRIC[x.metric],
                x.calendar,
                x.target,
                x.due,
                _W_CLOCK[x.status],
                x.met_at,
                x.breached_by,
                x.remaining,
                x.paused,
            )
            for x in d.deadlines
        ],
        None
        if e is None
        else w.Escalation(
            e.level,
            e.team,
            e.reason,
            list(e.notify),
            None if e.raise_priority is None else _W_PRIORITY[e.raise_priority],
        ),
        [
            w.Compensation(
                _W_COMPENSATION[c.kind], c.amount, c.currency, c.days, c.reason, c.requires_approval
            )
            for c in d.compensation
        ],
        list(d.notes),
    )


# ---- errors, both ways ----

_TIME_FROM_WIT = {
    w.TimeError_NoOpenTime: lambda v: errors.NoOpenTime(v.start, v.days),
    w.TimeError_OutOfRange: errors.OutOfRange,
    w.TimeError_Overflow: errors.Overflow,
    w.TimeError_NegativeTarget: errors.NegativeTarget,
    w.TimeError_ReversedPause: lambda v: errors.ReversedPause(v.start, v.end),
}


def _sla_error(e: w.SlaError) -> SlaError:
    if isinstance(e, w.SlaError_UnknownCalendar):
        return errors.UnknownCalendar(e.value.name, e.value.known)
    if isinstance(e, w.SlaError_UnknownMetric):
        return errors.UnknownMetric(e.value)
    t = e.value
    return _TIME_FROM_WIT[type(t)](t.value)


def _wit_sla_error(e: SlaError | None) -> w.SlaError | None:
    if e is None:
        return None
    if isinstance(e, errors.UnknownCalendar):
        return w.SlaError_UnknownCalendar(w.UnknownCalendar(e.name, e.known))
    if isinstance(e, errors.UnknownMetric):
        return w.SlaError_UnknownMetric(e.metric)
    if isinstance(e, errors.NoOpenTime):
        t = w.TimeError_NoOpenTime(w.NoOpenTime(e.start, e.days))
    elif isinstance(e, errors.OutOfRange):
        t = w.TimeError_OutOfRange(e.at)
    elif isinstance(e, errors.Overflow):
        t = w.TimeError_Overflow(e.seconds)
    elif isinstance(e, errors.NegativeTarget):
        t = w.TimeError_NegativeTarget(e.minutes)
    elif isinstance(e, errors.ReversedPause):
        t = w.TimeError_ReversedPause(w.ReversedPause(e.start, e.end))
    else:
        # an SlaError the policy made up itself: not one the host can report as its own
        return None
    return w.SlaError_Time(t)


class _Host:
    """The Pacto host's ``sla`` imports, raising the SDK's errors."""

    def clock(self, metric: Metric, calendar: str, minutes: int) -> Reading:
        try:
            r = wsla.clock(_W_METRIC[metric], calendar, minutes)
        except Err as e:
            raise _sla_error(e.value) from None
        return Reading(
            _METRIC[r.metric],
            r.target,
            r.due,
            _CLOCK[r.status],
            r.met_at,
            r.breached_by,
            r.remaining,
            r.paused,
        )

    def add_business_minutes(self, calendar: str, start: int, minutes: int) -> int:
        try:
            return wsla.add_business_minutes(calendar, start, minutes)
        except Err as e:
            raise _sla_error(e.value) from None

    def business_minutes_between(self, calendar: str, start: int, end: int) -> int:
        try:
            return wsla.business_minutes_between(calendar, start, end)
        except Err as e:
            raise _sla_error(e.value) from None

    def is_business_time(self, calendar: str, at: int) -> bool:
        try:
            return wsla.is_business_time(calendar, at)
        except Err as e:
            raise _sla_error(e.value) from None


def export(module: ModuleType) -> type:
    """The ``WitWorld`` class componentize-py exports, deciding with the one
    :class:`Policy` subclass ``module`` defines."""
    found = [
        v
        for v in vars(module).values()
        if isinstance(v, type)
        and issubclass(v, Policy)
        and v is not Policy
        and v.__module__ == module.__name__
    ]
    if len(found) != 1:
        names = ", ".join(v.__name__ for v in found) or "none"
        raise TypeError(
            f"{module.__file__}: a policy module defines exactly one subclass of "
            f"pacto_guest.Policy; found {names}"
        )
    policy = found[0]()
    sla._install(_Host())

    class WitWorld:
        def decide(self, ticket: w.SupportCase, now: int) -> w.Decision:
            try:
                try:
                    return _decision(_decide(policy, _case(ticket), now))
                except PolicyError:
                    raise
                except Exception as e:
                    # a decision the glue cannot hand to the host (a float amount, say)
                    raise PolicyError(_with_traceback(e)) from e
            except PolicyError as e:
                raise Err(w.PolicyError(e.message, _wit_sla_error(e.cause))) from None

        def describe(self) -> w.Description:
            d = policy.describe()
            return w.Description(d.name, d.version)

    return WitWorld
