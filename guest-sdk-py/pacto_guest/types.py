"""The types of the WIT world ``pacto:policy@0.3.0`` under Python names.

Enums are :class:`enum.StrEnum` whose values are the names the case and decision JSON
use (``Metric.FIRST_RESPONSE == "first_response"``), so ``f"{clock.metric} breached"``
reads as the Rhai and Rust policies' reasons do. Records are dataclasses. Instants are
Unix seconds (``int``, UTC), money is integer minor units, targets are business
minutes; there are no floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Channel(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    CHAT = "chat"
    SOCIAL = "social"
    WEB = "web"
    IN_PERSON = "in_person"
    MAIL = "mail"


class Kind(StrEnum):
    QUESTION = "question"
    INCIDENT = "incident"
    PROBLEM = "problem"
    REQUEST = "request"
    COMPLAINT = "complaint"
    COMPLIMENT = "compliment"


class Status(StrEnum):
    OPEN = "open"
    PENDING = "pending"
    ON_HOLD = "on_hold"
    SOLVED = "solved"
    CLOSED = "closed"


class Metric(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"


class ClockStatus(StrEnum):
    PENDING = "pending"
    MET = "met"
    BREACHED = "breached"
    PAUSED = "paused"
    INACTIVE = "inactive"


class CompensationKind(StrEnum):
    SERVICE_CREDIT = "service_credit"
    REFUND = "refund"
    VOUCHER = "voucher"
    WARRANTY_EXTENSION = "warranty_extension"
    APOLOGY = "apology"


class EventKind(StrEnum):
    """An event's ``type`` in the case JSON."""

    CUSTOMER_MESSAGE = "customer_message"
    AGENT_REPLY = "agent_reply"
    INTERNAL_NOTE = "internal_note"
    STATUS = "status"
    REOPENED = "reopened"
    SATISFACTION = "satisfaction"


@dataclass(slots=True)
class Customer:
    id: str
    #: As the business names its tiers: ``standard``, ``gold``, ``platinum``, …
    tier: str = "standard"
    #: A colleague rather than an external customer.
    internal: bool = False
    #: Minor units.
    lifetime_value: int = 0
    #: SLA breaches on this customer's cases in the last 90 days (``breaches_90d``).
    recent_breaches: int = 0
    #: Credits granted in the last 90 days (``credits_90d``).
    recent_credits: int = 0


@dataclass(slots=True)
class Order:
    #: Minor units.
    value: int
    #: ISO 4217.
    currency: str
    #: ``YYYY-MM-DD``.
    warranty_until: str | None = None


@dataclass(slots=True)
class Rating:
    score: int
    scale: int


@dataclass(slots=True)
class Event:
    """One event of the case; ``status`` is set for a ``STATUS`` event and ``rating``
    for a ``SATISFACTION`` one."""

    at: int
    kind: EventKind
    status: Status | None = None
    rating: Rating | None = None


@dataclass(slots=True)
class Interval:
    """``[start, end)``; ``end`` is ``None`` while still running at ``now``."""

    start: int
    end: int | None = None


@dataclass(slots=True)
class Timeline:
    """Facts the host derived from the events as of ``now``."""

    first_response_at: int | None = None
    last_agent_reply_at: int | None = None
    awaiting_reply_since: int | None = None
    solved_at: int | None = None
    reopen_count: int = 0
    status: Status = Status.OPEN
    paused: list[Interval] = field(default_factory=list)
    latest_satisfaction: Rating | None = None


@dataclass(slots=True)
class SupportCase:
    """The case being decided, with the timeline the host derived from its events.
    ``attributes`` maps each free attribute's key to its JSON text."""

    id: str
    opened_at: int
    priority: Priority
    channel: Channel
    kind: Kind
    customer: Customer
    category: str | None = None
    order: Order | None = None
    #: Sorted by time.
    events: list[Event] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    timeline: Timeline = field(default_factory=Timeline)


@dataclass(slots=True)
class Reading:
    """One SLA clock as the host measures it: a :class:`Deadline` without the
    calendar. A stand-in host (:mod:`pacto_guest.testing`) returns these."""

    metric: Metric
    #: Business minutes.
    target: int
    due: int | None
    status: ClockStatus
    met_at: int | None = None
    breached_by: int = 0
    remaining: int = 0
    paused: bool = False


@dataclass(slots=True)
class Deadline:
    """One SLA clock as a decision lists it, with the calendar it was read on."""

    metric: Metric
    calendar: str
    #: Business minutes.
    target: int
    due: int | None
    status: ClockStatus
    met_at: int | None = None
    #: Business minutes past due (0 unless breached).
    breached_by: int = 0
    #: Business minutes left (0 once breached or met).
    remaining: int = 0
    paused: bool = False


@dataclass(slots=True)
class Escalation:
    #: 0 to 5; the host refuses anything else.
    level: int
    team: str | None
    reason: str
    notify: list[str] = field(default_factory=list)
    raise_priority: Priority | None = None


@dataclass(slots=True)
class Compensation:
    kind: CompensationKind
    #: Minor units; the host refuses a negative amount.
    amount: int
    reason: str
    #: ISO 4217; required for money.
    currency: str | None = None
    #: Days added, for a warranty extension.
    days: int | None = None
    requires_approval: bool = False


@dataclass(slots=True)
class Decision:
    deadlines: list[Deadline] = field(default_factory=list)
    escalation: Escalation | None = None
    compensation: list[Compensation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Description:
    """A policy's name and version, as in its ``policy.toml``."""

    name: str
    version: str
