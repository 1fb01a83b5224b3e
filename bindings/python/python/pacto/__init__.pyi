"""Pacto: SLA and policy decisions for customer service, from Python."""

import datetime
import os
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypedDict

import pyarrow

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

class PolicyInfo(TypedDict):
    name: str
    version: str
    digest: str

class Bundle:
    """A policy bundle, loaded and checked but not compiled."""

    @staticmethod
    def from_dir(path: str | os.PathLike[str]) -> Bundle: ...
    @staticmethod
    def from_files(files: Mapping[str, bytes | str]) -> Bundle: ...
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def digest(self) -> str: ...
    @property
    def engine(self) -> Literal["rhai", "wasm"]: ...
    @property
    def files(self) -> dict[str, bytes]: ...
    def __reduce__(self) -> tuple[Any, tuple[dict[str, bytes]]]: ...

class Policy:
    """A loaded, compiled policy."""

    def decide(
        self,
        case: Mapping[str, Any] | str | bytes,
        now: str | datetime.datetime | None = None,
    ) -> dict[str, Any]: ...
    def decide_batch(self, lines: Iterable[str | bytes]) -> list[dict[str, Any]]: ...
    def decide_arrow(
        self, arr: pyarrow.Array | pyarrow.ChunkedArray
    ) -> pyarrow.StringArray | pyarrow.LargeStringArray: ...
    @property
    def info(self) -> PolicyInfo: ...
    @property
    def bundle(self) -> Bundle: ...

def load(source: str | os.PathLike[str] | Bundle) -> Policy: ...

class PactoError(Exception):
    kind: str
    message: str
    def __init__(self, message: str) -> None: ...

class InputError(PactoError, ValueError):
    kind: Literal["input"]

class LimitError(PactoError):
    kind: Literal["limit"]

class PolicyError(PactoError):
    kind: Literal["policy"]

class InvalidDecisionError(PactoError):
    kind: Literal["invalid_decision"]

class TimeError(PactoError):
    kind: Literal["time"]

class BundleError(PactoError):
    kind: Literal["bundle"]
