"""Write Pacto policies in Python and build them into WebAssembly components.

A policy subclasses :class:`Policy` and writes ``decide(ticket, now)``: it gets the
support case (with the timeline the host derived from its events) and ``now``, both in
Unix seconds, and returns a :class:`Decision`. Business time is computed by the host
on the bundle's calendars through :mod:`pacto_guest.sla`. ``pacto build DIR`` turns
the module named by ``source`` in ``policy.toml`` into the bundle's component (with
componentize-py); :mod:`pacto_guest.testing` runs a policy in plain CPython with a
stand-in host, for unit tests.

The contract is the WIT world ``pacto:policy@0.3.0`` (``wit/policy.wit``); its types
are here under Python names, and the component glue stays out of sight.
"""

from . import sla
from .errors import (
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
)
from .escalation import Fired, escalation_of
from .policy import Policy
from .types import (
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
)

__all__ = [
    "Channel", "ClockStatus", "Compensation", "CompensationKind", "Customer", "Deadline",
    "Decision", "Description", "Escalation", "Event", "EventKind", "Fired", "Interval",
    "Kind", "Metric", "NegativeTarget", "NoOpenTime", "Order", "OutOfRange", "Overflow",
    "Policy", "PolicyError", "Priority", "Rating", "Reading", "ReversedPause", "SlaError",
    "Status", "SupportCase", "TimeError", "Timeline", "UnknownCalendar", "UnknownMetric",
    "escalation_of", "sla",
]
