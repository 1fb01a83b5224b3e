"""The exceptions of pacto: one class per error kind, all of them pacto.PactoError."""

from __future__ import annotations

__all__ = [
    "PactoError",
    "InputError",
    "LimitError",
    "PolicyError",
    "InvalidDecisionError",
    "TimeError",
    "BundleError",
]


class PactoError(Exception):
    """An error of pacto. `kind` is the machine-readable kind the command line and the
    HTTP API report (`input`, `limit`, `policy`, `invalid_decision`, `time`,
    `bundle`); `message` what went wrong, naming the field, file or limit."""

    kind: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(PactoError, ValueError):
    """The case, its `now` or a corpus line is not usable (kind `input`): not JSON, an
    unknown or missing field, a bad value, a wrong Python type."""

    kind = "input"


class LimitError(PactoError):
    """The policy hit one of its bundle's limits on this case (kind `limit`):
    operations, fuel, time, memory, sizes, host calls."""

    kind = "limit"


class PolicyError(PactoError):
    """The policy failed or declined on this case (kind `policy`)."""

    kind = "policy"


class InvalidDecisionError(PactoError):
    """The policy returned a decision the host refuses (kind `invalid_decision`): the
    message names the field."""

    kind = "invalid_decision"


class TimeError(PactoError):
    """A calendar computation had no answer (kind `time`), such as no open time
    within the search horizon."""

    kind = "time"


class BundleError(PactoError):
    """The policy bundle cannot be loaded (kind `bundle`): the message names the file,
    line and column."""

    kind = "bundle"
