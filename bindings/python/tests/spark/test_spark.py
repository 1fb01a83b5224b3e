"""pacto.spark in a local[2] Spark: replay and diff of a 20,000-case `pacto sample`
corpus equal `pacto replay --out` line for line and `pacto diff --format json`.

Run by scripts/spark-tests (PACTO_SPARK_TESTS=1, pinned pyspark, Java 17+); skipped
otherwise, so the binding's own test run stays fast."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

if os.environ.get("PACTO_SPARK_TESTS") != "1":
    pytest.skip(
        "the Spark tests run with scripts/spark-tests (PACTO_SPARK_TESTS=1)",
        allow_module_level=True,
    )
pytest.importorskip(
    "pyspark", reason="pyspark is not installed (scripts/spark-tests installs it)"
)

from pyspark.sql import DataFrame, SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

import pacto  # noqa: E402
import pacto.spark  # noqa: E402

from conftest import REPO, run_pacto  # noqa: E402

CASES = int(os.environ.get("PACTO_SPARK_CASES", "20000"))
STANDARD = REPO / "rules" / "standard-rhai"
# a decision past `limits.timeout_ms` (50 ms by default) is a `limit` error: on a busy
# machine, with Spark's JVM and two Python workers beside the CLI, one slow decision
# would flip a case; the copies lift it to 60 s, as the CLI's tests do
LIFTED = "\n[limits]\ntimeout_ms = 60000\n"


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # the executors' Python is this one, where pacto is installed
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("pacto-spark-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        # a 20,000-line corpus (16 MB) is read as 16 partitions, in file order
        .config("spark.sql.files.maxPartitionBytes", str(1 << 20))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "sample.jsonl"
    run_pacto("sample", "--cases", str(CASES), "--seed", "19", "--out", path)
    return path


@pytest.fixture(scope="module")
def standard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """rules/standard-rhai, its timeout lifted."""
    d = tmp_path_factory.mktemp("bundles") / "standard"
    shutil.copytree(STANDARD, d)
    manifest = d / "policy.toml"
    assert "[limits]" not in manifest.read_text()
    manifest.write_text(manifest.read_text() + LIFTED)
    return d


@pytest.fixture(scope="module")
def v2(standard: Path) -> Path:
    """The standard policy with the gold credit cap at 150.00 (version 1.1.0), as
    rules/standard-rhai/README.md's diff example."""
    d = standard.parent / "standard-v2"
    shutil.copytree(standard, d)
    script = d / "standard.rhai"
    old = 'if tier == "platinum" { 25000 } else { 10000 }'
    text = script.read_text()
    assert old in text
    script.write_text(text.replace(old, old.replace("10000", "15000")))
    manifest = d / "policy.toml"
    manifest.write_text(manifest.read_text().replace('version = "1.0.0"', 'version = "1.1.0"'))
    return d


def cases(spark: SparkSession, corpus: Path) -> DataFrame:
    """The corpus as DataFrame[case, now] of JSON text and RFC 3339 text."""
    return spark.read.text(str(corpus)).select(
        F.get_json_object("value", "$.case").alias("case"),
        F.get_json_object("value", "$.now").alias("now"),
    )


def line(row: dict[str, str | None]) -> str:
    """A replay row as the `replay --out` line."""
    head = '{"id":' + json.dumps(row["id"], ensure_ascii=False)
    if row["decision"] is not None:
        assert row["error"] is None
        return head + ',"decision":' + row["decision"] + "}"
    assert row["error"] is not None
    return head + ',"error":' + row["error"] + "}"


def test_replay_equals_the_command_line_line_for_line(
    spark: SparkSession, corpus: Path, standard: Path, tmp_path: Path
) -> None:
    df = cases(spark, corpus)
    assert df.rdd.getNumPartitions() >= 2
    rows = pacto.spark.replay(df, standard).collect()
    out = tmp_path / "replay.jsonl"
    run_pacto("replay", "--policy", standard, "--cases", corpus, "--out", out)
    expected = out.read_text().splitlines()
    assert len(rows) == len(expected) == CASES
    got = sorted((line(r.asDict()) for r in rows), key=lambda l: json.loads(l)["id"])
    expected.sort(key=lambda l: json.loads(l)["id"])
    for i, (g, e) in enumerate(zip(got, expected)):
        assert g == e, f"line {i} (by id) differs"


def test_diff_equals_the_command_line(
    spark: SparkSession, corpus: Path, standard: Path, v2: Path
) -> None:
    df = cases(spark, corpus)
    # the policies as a folder and as a pacto.Policy (its bundle's files travel)
    changed, report = pacto.spark.diff(df, standard, pacto.load(v2))
    cli = json.loads(
        run_pacto("diff", "--from", standard, "--to", v2, "--cases", corpus, "--format", "json")
    )
    assert set(cli) - set(report) == {"fields", "segments"}
    for key in report:
        assert report[key] == cli[key], f"{key}: {str(report[key])[:500]} != {str(cli[key])[:500]}"
    assert report["changed"] > 0
    assert report["compensation"]["EUR"]["to"] > report["compensation"]["EUR"]["from"]

    rows = changed.collect()
    assert len(rows) == cli["changed"]
    by_id = {r["id"]: r for r in rows}
    assert set(cli["changed_ids"]) <= set(by_id)
    first = by_id[cli["example"]["id"]]
    assert json.loads(first["from"]) == cli["example"]["from"]
    assert json.loads(first["to"]) == cli["example"]["to"]
    assert json.loads(first["differences"]) == cli["example"]["differences"]
    pacto.spark.release(changed)


def test_rows_that_are_not_cases_and_null_now(
    spark: SparkSession, corpus: Path, standard: Path
) -> None:
    sample = [json.loads(l) for l in corpus.read_text().splitlines()[:3]]
    rows = [
        (json.dumps(sample[0]["case"]), sample[0]["now"]),
        (json.dumps(sample[1]["case"]), None),  # the case's last event
        ("not json", None),
        (None, "2026-03-02T10:00:00Z"),
        (json.dumps(sample[2]["case"]), "yesterday"),
    ]
    df = spark.createDataFrame(rows, "c string, t string").repartition(1)
    bundle = pacto.Bundle.from_dir(standard)
    got = [line(r.asDict()) for r in pacto.spark.replay(df, bundle, case_col="c", now_col="t").collect()]
    policy = pacto.load(bundle)
    wrapped = [
        '{"case":' + (c if c is not None else "null") + ("" if t is None else ',"now":' + json.dumps(t)) + "}"
        for c, t in rows
    ]
    expected = [
        json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in policy.decide_batch(wrapped)
    ]
    assert [json.loads(g) for g in got] == [json.loads(e) for e in expected]
    assert json.loads(got[1])["decision"] == policy.decide(sample[1]["case"])
    assert [json.loads(g).get("error", {}).get("kind") for g in got] == [None, None, "input", "input", "input"]

    # a case as a struct (as spark.read.json gives it) is written back as JSON text
    parsed = spark.read.json(spark.sparkContext.parallelize([json.dumps(sample[0]["case"])]))
    structs = parsed.select(F.struct("*").alias("case"), F.lit(sample[0]["now"]).alias("now"))
    [as_struct] = pacto.spark.replay(structs, bundle).collect()
    assert json.loads(as_struct["decision"]) == policy.decide(sample[0]["case"], now=sample[0]["now"])

    with pytest.raises(ValueError, match="now_col=None"):
        pacto.spark.replay(df, bundle, case_col="c")
    no_now = pacto.spark.replay(df.select("c"), bundle, case_col="c", now_col=None).collect()
    assert json.loads(line(no_now[1].asDict())) == json.loads(got[1])
