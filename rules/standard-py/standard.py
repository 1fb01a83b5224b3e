"""The standard policy (``standard`` 1.0.0) in Python: the twin of
``rules/standard-rhai/standard.rhai`` and ``rules/standard-wasm``. Same rules, same
integer math, same order of deadlines, reasons and people to notify;
``rules/standard-rhai/README.md`` states the rules for people."""

from pacto_guest import (
    Channel,
    ClockStatus,
    Compensation,
    CompensationKind,
    Deadline,
    Decision,
    Escalation,
    Fired,
    Kind,
    Metric,
    Policy,
    PolicyError,
    Priority,
    SupportCase,
    escalation_of,
    sla,
)

# ---- when ----

BASE_RESPONSE = {Priority.LOW: 480, Priority.NORMAL: 240, Priority.HIGH: 120, Priority.URGENT: 30}
BASE_RESOLUTION = {Priority.LOW: 2400, Priority.NORMAL: 1440, Priority.HIGH: 960, Priority.URGENT: 240}
#: Percentage of the base targets a tier gets; any other tier gets 100.
TIER_PERCENT = {"platinum": 50, "gold": 75}


def calendar_for(priority: Priority) -> str:
    return "24x7" if priority is Priority.URGENT else "business"


def response_target(ticket: SupportCase) -> int:
    """First (and next) response target: base, then tier, then halved on phone and chat."""
    target = BASE_RESPONSE[ticket.priority] * TIER_PERCENT.get(ticket.customer.tier, 100) // 100
    if ticket.channel in (Channel.PHONE, Channel.CHAT):
        target //= 2
    return target


def resolution_target(ticket: SupportCase) -> int:
    return BASE_RESOLUTION[ticket.priority] * TIER_PERCENT.get(ticket.customer.tier, 100) // 100


# ---- who ----


def escalation_hits(ticket: SupportCase, clocks: list[Deadline]) -> list[Fired]:
    tier = ticket.customer.tier
    hits = []
    # Running clocks that have used 80% or more of their target.
    for c in clocks:
        running = c.status in (ClockStatus.PENDING, ClockStatus.PAUSED)
        if running and c.target > 0 and (c.target - c.remaining) * 10 >= c.target * 8:
            hits.append(Fired(1, "tier1-lead", f"{c.metric} at 80% of target"))
    # Breached clocks; a platinum customer's late resolution goes to escalations.
    for c in clocks:
        if c.status is not ClockStatus.BREACHED:
            continue
        reason = f"{c.metric} breached by {c.breached_by} min"
        if tier == "platinum" and c.metric is Metric.RESOLUTION:
            hits.append(Fired(3, "escalations", reason, ["account-manager"]))
        else:
            hits.append(Fired(2, "tier2", reason))
    reopened = ticket.timeline.reopen_count
    if reopened >= 2:
        hits.append(Fired(2, "quality", f"reopened {reopened} times"))
    # A rating of 40% of the scale or less.
    rating = ticket.timeline.latest_satisfaction
    if rating is not None and rating.score * 5 <= 2 * rating.scale:
        notify = ["account-manager"] if tier in ("gold", "platinum") else []
        hits.append(Fired(2, "customer-success", f"satisfaction {rating.score}/{rating.scale}", notify))
    return hits


def escalation(hits: list[Fired], priority: Priority) -> Escalation | None:
    """The highest level wins; at level 2 or more a low or normal case is raised to high."""
    e = escalation_of(hits)
    if e is not None and e.level >= 2 and priority in (Priority.LOW, Priority.NORMAL):
        e.raise_priority = Priority.HIGH
    return e


# ---- what we owe ----

I64_MAX = 2**63 - 1


def credit_percent(minutes_late: int) -> int:
    if minutes_late < 60:
        return 5
    if minutes_late < 240:
        return 10
    return 20


def service_credit(ticket: SupportCase, clocks: list[Deadline]) -> Compensation | None:
    """Gold and platinum customers with an order get a share of it back when a clock
    breached, set by the worst lateness and capped by tier."""
    tier, order = ticket.customer.tier, ticket.order
    if order is None or tier not in ("gold", "platinum"):
        return None
    late = [c.breached_by for c in clocks if c.status is ClockStatus.BREACHED]
    if not late:
        return None
    worst = max(late)
    pct = credit_percent(worst)
    # The other twins compute in 64-bit integers with checked arithmetic; so do we.
    value = min(order.value, I64_MAX)
    if value * pct > I64_MAX:
        raise PolicyError(f"{value} * {pct} overflows")
    amount = min(value * pct // 100, 25_000 if tier == "platinum" else 10_000)
    return Compensation(
        CompensationKind.SERVICE_CREDIT,
        amount,
        f"{pct}% credit: SLA breached by {worst} min",
        currency=order.currency,
        requires_approval=amount > 5000,
    )


def apology(ticket: SupportCase) -> Compensation | None:
    """Standard-tier complaints get an apology."""
    if ticket.kind is Kind.COMPLAINT and ticket.customer.tier == "standard":
        return Compensation(CompensationKind.APOLOGY, 0, "apology for the trouble")
    return None


class Standard(Policy):
    name, version = "standard", "1.0.0"

    def decide(self, ticket: SupportCase, now: int) -> Decision:
        calendar = calendar_for(ticket.priority)
        clocks = sla.clocks(
            (calendar, response_target(ticket)), (calendar, resolution_target(ticket))
        )
        owed = []
        if not ticket.customer.internal:
            owed = [c for c in (service_credit(ticket, clocks), apology(ticket)) if c is not None]
        return Decision(
            deadlines=clocks,
            escalation=escalation(escalation_hits(ticket, clocks), ticket.priority),
            compensation=owed,
            notes=["standard v1"],
        )
