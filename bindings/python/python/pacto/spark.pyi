"""pacto.spark: replay and diff a corpus held in a Spark DataFrame, on the executors."""

import os
from typing import Any

from pyspark.sql import DataFrame

from . import Bundle, Policy

__all__ = ["replay", "diff", "release", "MAX_CHANGED_IDS"]

MAX_CHANGED_IDS: int

def replay(
    df: DataFrame,
    policy: str | os.PathLike[str] | Bundle | Policy,
    case_col: str = "case",
    now_col: str | None = "now",
) -> DataFrame: ...
def diff(
    df: DataFrame,
    from_policy: str | os.PathLike[str] | Bundle | Policy,
    to_policy: str | os.PathLike[str] | Bundle | Policy,
    case_col: str = "case",
    now_col: str | None = "now",
) -> tuple[DataFrame, dict[str, Any]]: ...
def release(changed: DataFrame) -> None: ...
