"""Why a decision has no answer.

A policy declines to decide by raising :class:`PolicyError`. The ``sla`` functions
raise a :class:`SlaError` (an unknown calendar, a computation without an answer); left
uncaught, the host reports that error itself, with its own kind (``policy`` or
``time``) and the same message a Rhai or Rust policy gets for the same failure. Any
other exception ends the decision as a ``policy`` error whose message keeps the
traceback. The messages here are worded as the host words them.
"""

from __future__ import annotations


class SlaError(Exception):
    """A host function in :mod:`pacto_guest.sla` had no answer."""

    @property
    def message(self) -> str:
        return str(self)


class UnknownCalendar(SlaError):
    """The policy named a calendar the bundle does not have (a ``policy`` error)."""

    def __init__(self, name: str, known: list[str]):
        self.name = name
        self.known = list(known)
        listed = ", ".join(f"`{k}`" for k in self.known) or "no calendars"
        super().__init__(f"unknown calendar `{name}`; the bundle has {listed}")


class UnknownMetric(SlaError):
    """The policy named a metric that does not exist (a ``policy`` error)."""

    def __init__(self, metric: str):
        self.metric = metric
        super().__init__(
            f"unknown metric `{metric}`; expected `first_response`, `next_response` or `resolution`"
        )


class TimeError(SlaError):
    """The calendar computation had no answer (a ``time`` error)."""


class NoOpenTime(TimeError):
    """No open business time in the ``days`` days after ``start`` (Unix seconds)."""

    def __init__(self, start: int, days: int):
        self.start = start
        self.days = days
        super().__init__(f"no open business time in the {days} days after {start} (Unix seconds)")


class OutOfRange(TimeError):
    """An instant (Unix seconds) before 1900 or from 2200 on, given or reached."""

    def __init__(self, at: int):
        self.at = at
        super().__init__(
            f"{at} (Unix seconds) is outside the supported range 1900-01-01 to 2199-12-31"
        )


class Overflow(TimeError):
    """An amount of business time too large to represent (``seconds`` as decimal text)."""

    def __init__(self, seconds: str):
        self.seconds = seconds
        super().__init__(f"{seconds} seconds is too large an amount of business time")


class NegativeTarget(TimeError):
    """A clock target below zero (business minutes)."""

    def __init__(self, minutes: int):
        self.minutes = minutes
        super().__init__(f"a clock target must be at least 0 business minutes, got {minutes}")


class ReversedPause(TimeError):
    """A pause from ``start`` to ``end`` (Unix seconds) that ends before it starts."""

    def __init__(self, start: int, end: int):
        self.start = start
        self.end = end
        super().__init__(f"pause from {start} to {end} (Unix seconds) ends before it starts")


class PolicyError(Exception):
    """The policy declines to decide, for the reason given.

    ``cause`` is the :class:`SlaError` it gave up on, if any: the host then reports that
    error with its own kind and message. ``raise PolicyError("...") from err`` sets it
    too.
    """

    def __init__(self, message: str, cause: SlaError | None = None):
        super().__init__(message)
        self.message = message
        self._cause = cause

    @property
    def cause(self) -> SlaError | None:
        if self._cause is not None:
            return self._cause
        if isinstance(self.__cause__, SlaError):
            return self.__cause__
        return None
