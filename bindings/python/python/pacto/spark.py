"""Replay and diff a corpus held in a Spark DataFrame, on the executors.

    import pacto.spark
    out = pacto.spark.replay(df, "rules/standard-rhai")            # DataFrame[id, decision, error]
    changed, report = pacto.spark.diff(df, "rules/standard-rhai", "/tmp/standard-v2")

`df` has the case as JSON text (or a struct, written back with `to_json`) in `case_col`
and, in `now_col`, the instant to decide at as RFC 3339 text, or null for the case's
last event (`now_col=None`: no such column, every case at its last event). Each row becomes the corpus line
`{"case": …, "now": …}` and is decided by `Policy.decide_arrow` inside `mapInArrow`, so
the answers are the bytes `pacto replay --out` writes for the same lines.

A policy is a bundle folder (read on the driver), a `pacto.Bundle` or a `pacto.Policy`.
Its files (`Bundle.files`: `policy.toml`, the entry, the calendars) travel in the
task's closure and each Python worker process rebuilds and compiles the policy once,
keyed by digest: executors need the `pacto` wheel (and pyarrow), no shared filesystem.

Needs pyspark (4.x) and pyarrow; `import pacto` alone needs neither.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import Bundle, BundleError, Policy, load

if TYPE_CHECKING:
    import pyarrow
    from pyspark.sql import DataFrame

__all__ = ["replay", "diff", "release", "MAX_CHANGED_IDS"]

#: Case ids listed in `changed_ids`, at most (as `pacto diff`).
MAX_CHANGED_IDS = 100

# ---------------------------------------------------------------- the policy's bytes

# per Python worker process: compiled policies by digest
_POLICIES: dict[str, Policy] = {}


def _files(policy: str | os.PathLike[str] | Bundle | Policy) -> tuple[dict[str, bytes], str]:
    """The files and digest of `policy`, read on the driver."""
    if isinstance(policy, Policy):
        bundle = policy.bundle
    elif isinstance(policy, Bundle):
        bundle = policy
    elif isinstance(policy, (str, os.PathLike)):
        bundle = Bundle.from_dir(policy)
    else:
        raise BundleError(
            "pacto.spark: expected a bundle folder (str or os.PathLike), a pacto.Bundle "
            f"or a pacto.Policy, got {type(policy).__name__}"
        )
    return bundle.files, bundle.digest


def _policy(files: dict[str, bytes], digest: str) -> Policy:
    """The policy of `files`, compiled once per process."""
    policy = _POLICIES.get(digest)
    if policy is None:
        bundle = Bundle.from_files(files)
        if bundle.digest != digest:
            raise BundleError(
                f"pacto.spark: the bundle rebuilt on the executor has digest {bundle.digest}, "
                f"not {digest}"
            )
        policy = load(bundle)
        _POLICIES[digest] = policy
    return policy


# ---------------------------------------------------------------- corpus and answer lines


def _lines(batch: pyarrow.RecordBatch, now: bool) -> pyarrow.Array:
    """The corpus line of each row: `{"case":CASE,"now":"NOW"}` (no `now` when null)."""
    import pyarrow as pa

    cases = batch.column(0).to_pylist()
    nows = batch.column(1).to_pylist() if now else [None] * len(cases)
    return pa.array(
        [
            '{"case":'
            + ("null" if c is None else c)
            + ("}" if n is None else ',"now":' + json.dumps(n) + "}")
            for c, n in zip(cases, nows)
        ],
        pa.string(),
    )


_DECODER = json.JSONDecoder()


def _split(line: str) -> tuple[str | None, str, str]:
    """An answer line `{"id":ID,"decision":{…}}` or `{"id":ID,"error":{…}}`: the id, the
    key and the value's JSON text, exactly as written."""
    # serde writes `{"id":` first, then `,"decision":` or `,"error":`
    ident, end = _DECODER.raw_decode(line, 6)
    key = "decision" if line.startswith(',"decision":', end) else "error"
    return ident, key, line[end + len(key) + 4 : -1]


def _corpus(df: DataFrame, case_col: str, now_col: str | None) -> tuple[DataFrame, bool]:
    """`df`'s case and now columns as text (the now column only when there is one)."""
    from pyspark.sql import functions as F

    for name in (case_col, now_col):
        if name is not None and name not in df.columns:
            hint = ""
            if name == now_col:
                hint = "; pass now_col=None to decide each case at its last event"
            raise ValueError(
                f"pacto.spark: the DataFrame has no column `{name}` (it has "
                f"{', '.join(df.columns)}){hint}"
            )
    now = now_col is not None
    case = F.col(case_col)
    if df.schema[case_col].dataType.typeName() in ("struct", "map"):
        case = F.to_json(case)  # a parsed case (spark.read.json): back to JSON text
    cols = [case.cast("string").alias("case")]
    when = F.col(now_col) if now_col is not None else F.lit(None)
    cols.append(when.cast("string").alias("now"))
    return df.select(*cols), now


# ---------------------------------------------------------------- replay

_REPLAY_SCHEMA = "id string, decision string, error string"


def replay(
    df: DataFrame,
    policy: str | os.PathLike[str] | Bundle | Policy,
    case_col: str = "case",
    now_col: str | None = "now",
) -> DataFrame:
    """pacto.spark.replay(df, policy, case_col="case", now_col="now") -> DataFrame

    Decides every row of `df` with `policy` (a bundle folder, pacto.Bundle or
    pacto.Policy) and returns a DataFrame[id string, decision string, error string],
    one row per input row, in the same partitions and order: `decision` is the decision
    JSON and `error` `{"kind": …, "message": …}`, each the exact text of the line
    `pacto replay --out` writes, `{"id":ID,"decision":DECISION}` or
    `{"id":ID,"error":ERROR}` (the other column null; `id` null when a row is not a
    usable case). A row that is not a usable case is an `input` error whose message
    starts `batch:N: `, N its place in its Arrow batch (a row has no line number).
    Lazy, as any DataFrame: nothing is decided until an action runs.
    """
    files, digest = _files(policy)
    corpus, now = _corpus(df, case_col, now_col)

    def decide(batches: Iterator[pyarrow.RecordBatch]) -> Iterator[pyarrow.RecordBatch]:
        import pyarrow as pa

        p = _policy(files, digest)
        for batch in batches:
            ids: list[str | None] = []
            decisions: list[str | None] = []
            errors: list[str | None] = []
            for line in p.decide_arrow(_lines(batch, now)).to_pylist():
                ident, key, value = _split(line)
                ids.append(ident)
                decisions.append(value if key == "decision" else None)
                errors.append(value if key == "error" else None)
            yield pa.RecordBatch.from_arrays(
                [pa.array(c, pa.string()) for c in (ids, decisions, errors)],
                names=["id", "decision", "error"],
            )

    return corpus.mapInArrow(decide, _REPLAY_SCHEMA)


# ---------------------------------------------------------------- diff

_FACTS_SCHEMA = (
    "part int, row bigint, id string, changed boolean, bad_line boolean, "
    "from_error boolean, to_error boolean, from_escalated boolean, to_escalated boolean, "
    "from_breached boolean, to_breached boolean, "
    "money array<struct<currency:string, from_minor:bigint, to_minor:bigint>>, "
    "kinds array<struct<kind:string, from_count:bigint, to_count:bigint>>, "
    "`from` string, `to` string, differences string"
)


def _differ(out: list[dict[str, Any]], path: str, x: Any, y: Any) -> None:
    """Every leaf that differs between `x` and `y`, the policy aside (as `pacto diff`'s
    example: keys in sorted order, arrays by position, null when absent)."""
    if x == y or path == "decision.policy":
        return
    if isinstance(x, dict) and isinstance(y, dict):
        for key in sorted(set(x) | set(y)):
            _differ(out, f"{path}.{key}" if path else key, x.get(key), y.get(key))
    elif isinstance(x, list) and isinstance(y, list):
        for i in range(max(len(x), len(y))):
            _differ(out, f"{path}[{i}]", x[i] if i < len(x) else None, y[i] if i < len(y) else None)
    else:
        out.append({"path": path, "from": x, "to": y})


def _level(d: dict[str, Any]) -> int:
    e = d.get("escalation")
    return int(e.get("level", 0)) if isinstance(e, dict) else 0


def _changed(x: dict[str, Any], y: dict[str, Any]) -> bool:
    """As `pacto diff`: deadlines, escalation or compensation differ (notes and the
    policy do not count)."""
    return (
        x.get("deadlines", []) != y.get("deadlines", [])
        or x.get("escalation") != y.get("escalation")
        or x.get("compensation", []) != y.get("compensation", [])
    )


def _is_bad_line(answer: dict[str, Any]) -> bool:
    error = answer.get("error")
    if not isinstance(error, dict) or error.get("kind") != "input":
        return False
    head, sep, _ = str(error.get("message", "")).partition(": ")
    return bool(sep) and head.startswith("batch:") and head[6:].isdigit()


def diff(
    df: DataFrame,
    from_policy: str | os.PathLike[str] | Bundle | Policy,
    to_policy: str | os.PathLike[str] | Bundle | Policy,
    case_col: str = "case",
    now_col: str | None = "now",
) -> tuple[DataFrame, dict[str, Any]]:
    """pacto.spark.diff(df, from_policy, to_policy, case_col="case", now_col="now")
        -> (DataFrame, dict)

    Decides every row with both policies, as `pacto diff` does, and returns:

    - the changed cases, DataFrame[id string, from string, to string,
      differences string]: `from` and `to` each policy's answer as `replay --out`
      writes it without `id` (`{"decision":…}` or `{"error":…}`), `differences` the
      JSON list of `{"path", "from", "to"}` of every leaf that differs, the policy aside;
    - the report, a dict with the keys of `pacto diff --format json`'s contract and
      the same values: `cases`, `changed`, `errors`, `escalated`, `breached`,
      `compensation` (per currency, minor units), `changed_ids` (the first 100, in the
      DataFrame's order), and `bad_lines`, `compensation_kinds`, `example` (the first
      changed case) and `policies`. The per-field breakdown (`fields`) and `segments`
      are the command line's only.

    A case is changed when its deadlines, escalation or compensation differ, when one
    side decides and the other fails, or when both fail with different kinds; notes
    alone do not count. The report is aggregated by Spark (sums over the executors'
    per-row facts, the first ids by a bounded top-k); no row is collected to the driver
    but the first 100 changed. The per-row facts are persisted (MEMORY_AND_DISK), so
    the report and the changed cases come from one pass of decisions; release them
    with `pacto.spark.release(changed)` (`changed.unpersist()` would not: the cache is
    the facts it is filtered from).
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    a_files, a_digest = _files(from_policy)
    b_files, b_digest = _files(to_policy)
    corpus, now = _corpus(df, case_col, now_col)

    def compare(batches: Iterator[pyarrow.RecordBatch]) -> Iterator[pyarrow.RecordBatch]:
        import pyarrow as pa
        from pyspark import TaskContext

        ctx = TaskContext.get()
        part = ctx.partitionId() if ctx is not None else 0
        a, b = _policy(a_files, a_digest), _policy(b_files, b_digest)
        row = 0
        for batch in batches:
            lines = _lines(batch, now)
            cols: dict[str, list[Any]] = {name: [] for name in _FACT_NAMES}
            for x_line, y_line in zip(
                a.decide_arrow(lines).to_pylist(), b.decide_arrow(lines).to_pylist()
            ):
                ident, x_key, x_text = _split(x_line)
                _, y_key, y_text = _split(y_line)
                x, y = json.loads(x_text), json.loads(y_text)
                x_ok, y_ok = x_key == "decision", y_key == "decision"
                if x_ok and y_ok:
                    changed = _changed(x, y)
                elif x_ok or y_ok:
                    changed = True
                else:
                    changed = x.get("kind") != y.get("kind")
                money: dict[str, list[int]] = {}
                kinds: dict[str, list[int]] = {}
                for side, d, ok in ((0, x, x_ok), (1, y, y_ok)):
                    if not ok:
                        continue
                    for c in d.get("compensation", []):
                        k = kinds.setdefault(str(c.get("kind", "")), [0, 0])
                        k[side] += 1
                        if c.get("currency") is not None:
                            m = money.setdefault(c["currency"], [0, 0])
                            m[side] += int(c.get("amount", 0))
                cols["part"].append(part)
                cols["row"].append(row)
                row += 1
                cols["id"].append(ident)
                cols["changed"].append(changed)
                cols["bad_line"].append(not x_ok and _is_bad_line({"error": x}))
                cols["from_error"].append(not x_ok)
                cols["to_error"].append(not y_ok)
                cols["from_escalated"].append(x_ok and _level(x) > 0)
                cols["to_escalated"].append(y_ok and _level(y) > 0)
                cols["from_breached"].append(
                    x_ok and any(dl.get("status") == "breached" for dl in x.get("deadlines", []))
                )
                cols["to_breached"].append(
                    y_ok and any(dl.get("status") == "breached" for dl in y.get("deadlines", []))
                )
                cols["money"].append(
                    [{"currency": c, "from_minor": f, "to_minor": t} for c, (f, t) in money.items()]
                )
                cols["kinds"].append(
                    [{"kind": k, "from_count": f, "to_count": t} for k, (f, t) in kinds.items()]
                )
                if changed:
                    differences: list[dict[str, Any]] = []
                    _differ(differences, "", {x_key: x}, {y_key: y})
                    cols["from"].append(f'{{"{x_key}":{x_text}}}')
                    cols["to"].append(f'{{"{y_key}":{y_text}}}')
                    cols["differences"].append(json.dumps(differences, ensure_ascii=False))
                else:
                    cols["from"].append(None)
                    cols["to"].append(None)
                    cols["differences"].append(None)
            yield pa.RecordBatch.from_pydict(cols, schema=_facts_arrow_schema())

    facts = corpus.mapInArrow(compare, _FACTS_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK)

    n = lambda c: F.sum(F.col(c).cast("long"))  # noqa: E731
    totals = facts.agg(
        F.count(F.lit(1)).alias("cases"),
        n("changed").alias("changed"),
        n("bad_line").alias("bad_lines"),
        *(
            n(f"{side}_{what}").alias(f"{side}_{what}")
            for what in ("error", "escalated", "breached")
            for side in ("from", "to")
        ),
    ).first()
    money = (
        facts.select(F.explode("money").alias("m"))
        .groupBy(F.col("m.currency").alias("currency"))
        .agg(
            F.sum(F.col("m.from_minor").cast("decimal(38,0)")).alias("from"),
            F.sum(F.col("m.to_minor").cast("decimal(38,0)")).alias("to"),
        )
        .collect()
    )
    kinds = (
        facts.select(F.explode("kinds").alias("k"))
        .groupBy(F.col("k.kind").alias("kind"))
        .agg(F.sum("k.from_count").alias("from"), F.sum("k.to_count").alias("to"))
        .collect()
    )
    first = (
        facts.where("changed")
        .orderBy("part", "row")
        .select("id", "from", "to", "differences")
        .limit(MAX_CHANGED_IDS)
        .collect()
    )

    def count(value: Any) -> int:
        return int(value or 0)

    report: dict[str, Any] = {
        "cases": count(totals["cases"]),
        "changed": count(totals["changed"]),
        **{
            key: {"from": count(totals[f"from_{what}"]), "to": count(totals[f"to_{what}"])}
            for key, what in (
                ("errors", "error"),
                ("escalated", "escalated"),
                ("breached", "breached"),
            )
        },
        "compensation": {
            r["currency"]: {"from": int(r["from"]), "to": int(r["to"])}
            for r in sorted(money, key=lambda r: r["currency"])
        },
        "changed_ids": [r["id"] for r in first],
        "bad_lines": count(totals["bad_lines"]),
        "compensation_kinds": {
            r["kind"]: {"from": int(r["from"]), "to": int(r["to"])}
            for r in sorted(kinds, key=lambda r: r["kind"])
        },
        "example": (
            {
                "id": first[0]["id"],
                "differences": json.loads(first[0]["differences"]),
                "from": json.loads(first[0]["from"]),
                "to": json.loads(first[0]["to"]),
            }
            if first
            else None
        ),
        "policies": {
            "from": _info(a_files, a_digest),
            "to": _info(b_files, b_digest),
        },
    }
    changed = facts.where("changed").select("id", "from", "to", "differences")
    changed._pacto_facts = facts  # type: ignore[attr-defined]  # for release()
    return changed, report


_FACT_NAMES = [
    "part", "row", "id", "changed", "bad_line", "from_error", "to_error",
    "from_escalated", "to_escalated", "from_breached", "to_breached",
    "money", "kinds", "from", "to", "differences",
]  # fmt: skip


def release(changed: DataFrame) -> None:
    """Unpersists the per-case facts behind a changed-cases DataFrame `diff`
    returned (using it afterwards decides its cases again)."""
    facts = getattr(changed, "_pacto_facts", None)
    if facts is not None:
        facts.unpersist()


def _facts_arrow_schema() -> pyarrow.Schema:
    import pyarrow as pa

    def pairs(key: str, a: str, b: str) -> pyarrow.DataType:
        return pa.list_(pa.struct([(key, pa.string()), (a, pa.int64()), (b, pa.int64())]))

    money = pairs("currency", "from_minor", "to_minor")
    kinds = pairs("kind", "from_count", "to_count")
    types = {
        "part": pa.int32(), "row": pa.int64(), "id": pa.string(), "money": money, "kinds": kinds,
        "from": pa.string(), "to": pa.string(), "differences": pa.string(),
    }  # fmt: skip
    return pa.schema([(name, types.get(name, pa.bool_())) for name in _FACT_NAMES])


def _info(files: dict[str, bytes], digest: str) -> dict[str, str]:
    bundle = Bundle.from_files(files)
    return {"name": bundle.name, "version": bundle.version, "digest": digest}
