"""Replay and diff a `pacto sample` corpus with Spark (local[2]), writing Parquet.

    pip install ./bindings/python pyspark==4.3.0 "pandas<3"    # pacto, PySpark, pyarrow
    pacto sample --cases 20000 --seed 19 --out /tmp/sample.jsonl
    cp -r rules/standard-rhai /tmp/standard-v2                  # then change a rule there
    SPARK_LOCAL_IP=127.0.0.1 python examples/spark/replay_diff.py \\
        /tmp/sample.jsonl rules/standard-rhai /tmp/standard-v2 /tmp/pacto-out

It writes OUT/replay (id, decision, error: what `pacto replay --out` writes, as
columns) and OUT/changed (the cases the swap changes, with each side's answer and the
differences), both Parquet, and prints the report `pacto diff --format json` would
print (its contract's fields). MASTER (default local[2]) picks the cluster; see
README.md here for spark-submit.
"""

from __future__ import annotations

import json
import os
import sys
import time

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

import pacto
import pacto.spark


def main(corpus: str, today: str, candidate: str, out: str) -> None:
    # in local mode the executors' Python is this one (where pacto is installed); on a
    # cluster spark-submit's configuration says which (README.md)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(os.environ.get("MASTER", "local[2]"))
        .appName("pacto-replay-diff")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    started = time.monotonic()
    # one corpus line a row: the case as JSON text, `now` as RFC 3339 text (or null)
    df = spark.read.text(corpus).select(
        F.get_json_object("value", "$.case").alias("case"),
        F.get_json_object("value", "$.now").alias("now"),
    )

    # the bundles are read here, on the driver; their bytes travel with the tasks
    policy = pacto.load(today)
    replayed = pacto.spark.replay(df, policy)
    replayed.write.mode("overwrite").parquet(f"{out}/replay")
    failed = replayed.where("error IS NOT NULL").count()
    print(f"replay: {out}/replay ({failed} errors) with {policy.info['name']} {policy.info['version']}")

    changed, report = pacto.spark.diff(df, policy, candidate)
    changed.write.mode("overwrite").parquet(f"{out}/changed")
    pacto.spark.release(changed)
    contract = ("cases", "changed", "errors", "escalated", "breached", "compensation", "changed_ids")
    print(json.dumps({k: report[k] for k in contract}, indent=2))
    print(
        f"diff: {report['changed']} of {report['cases']} cases changed, "
        f"{out}/changed; {time.monotonic() - started:.1f} s"
    )
    spark.stop()


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
