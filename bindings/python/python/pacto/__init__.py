"""Pacto: SLA and policy decisions for customer service, from Python.

A policy bundle (a folder with `policy.toml`, a Rhai script or a WebAssembly
component, its calendars) answers, for each support case: when must we answer
(deadlines on business-hours calendars), who must know (escalation) and what do we
owe the customer (compensation). The decisions are the Rust library's, byte for byte
what the `pacto` command line prints:

    import pacto
    policy = pacto.load("rules/standard-rhai")       # raises pacto.BundleError
    d = policy.decide(case, now=None)                 # a dict: the decision JSON, parsed
    rows = policy.decide_batch(lines)                 # list of dicts, as `pacto replay --out` lines
    out = policy.decide_arrow(arr)                    # pyarrow string array in, out
    policy.info                                       # {"name", "version", "digest"}
    bundle = pacto.Bundle.from_files({"policy.toml": b"...", ...}); pacto.load(bundle)

Errors are pacto.PactoError, with `kind` as the command line and the HTTP API
report it, one subclass per kind: InputError, LimitError, PolicyError,
InvalidDecisionError, TimeError, BundleError.

Batches decide in parallel on Rust threads (rayon's pool: all cores, or
RAYON_NUM_THREADS) with the GIL released, so other Python threads run meanwhile.
Compiled WebAssembly components are cached in $PACTO_CACHE_DIR (else
~/.cache/pacto), as the command line caches them.
"""

from __future__ import annotations

from ._errors import (
    BundleError,
    InputError,
    InvalidDecisionError,
    LimitError,
    PactoError,
    PolicyError,
    TimeError,
)
from ._pacto import Bundle, Policy, load

__all__ = [
    "load",
    "Bundle",
    "Policy",
    "PactoError",
    "InputError",
    "LimitError",
    "PolicyError",
    "InvalidDecisionError",
    "TimeError",
    "BundleError",
]
