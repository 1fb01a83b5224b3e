"""The :class:`Policy` base class a policy author subclasses."""

from __future__ import annotations

from .errors import PolicyError, SlaError
from .types import Decision, Description, SupportCase


class Policy:
    """A policy: subclass it, set ``name`` and ``version`` as ``policy.toml`` has
    them, and write :meth:`decide`. ``pacto build`` exports the one subclass the
    module defines.

    >>> from pacto_guest import Decision, Policy
    >>> class Hello(Policy):
    ...     name, version = "hello", "1.0.0"
    ...     def decide(self, ticket, now):
    ...         return Decision(notes=[f"hello {ticket.id}"])
    >>> Hello().describe()
    Description(name='hello', version='1.0.0')
    """

    #: The policy's name, as in ``policy.toml``.
    name: str = ""
    #: Its version, as in ``policy.toml``.
    version: str = ""

    def decide(self, ticket: SupportCase, now: int) -> Decision:
        """The decision on ``ticket`` as of ``now`` (Unix seconds). Raise
        :class:`~pacto_guest.errors.PolicyError` to decline."""
        raise NotImplementedError(f"{type(self).__name__}.decide is not written")

    def describe(self) -> Description:
        """The policy's name and version; by default the class attributes."""
        return Description(self.name, self.version)


def _decide(policy: Policy, ticket: SupportCase, now: int) -> Decision:
    """``policy.decide`` with every failure as a :class:`PolicyError`: an uncaught
    :class:`SlaError` becomes its ``cause`` (the host reports it with its own kind), any
    other exception a message with the traceback. The component glue and
    :func:`pacto_guest.testing.decide` both decide through here."""
    try:
        decision = policy.decide(ticket, now)
    except PolicyError:
        raise
    except SlaError as e:
        raise PolicyError(str(e), e) from e
    except Exception as e:
        raise PolicyError(_with_traceback(e)) from e
    if not isinstance(decision, Decision):
        raise PolicyError(
            f"{type(policy).__name__}.decide returned {type(decision).__name__}, expected a Decision"
        )
    return decision


#: The most of an exception's text a policy error carries: the host keeps up to 4 KiB
#: of a message (``max_output_string``), and a traceback's end is where it went wrong.
_MAX_MESSAGE = 4000


def _with_traceback(e: BaseException) -> str:
    """``ExceptionType: message`` and then the traceback, innermost call last; past
    ``_MAX_MESSAGE`` characters the middle of the traceback is left out."""
    import traceback

    head = "".join(traceback.format_exception_only(e)).strip()
    tb = "".join(traceback.format_tb(e.__traceback__)).rstrip()
    text = f"{head}\nTraceback (most recent call last):\n{tb}" if tb else head
    if len(text) <= _MAX_MESSAGE:
        return text
    keep_head, keep_tail = 1000, _MAX_MESSAGE - 1100
    cut = len(text) - keep_head - keep_tail
    return f"{text[:keep_head]}\n[... {cut} characters left out ...]\n{text[-keep_tail:]}"
