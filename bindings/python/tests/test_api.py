"""The API reads as documentation, and a batch leaves the GIL to other threads."""

from __future__ import annotations

import json
import pydoc
import threading
import time

import pacto
from conftest import CASE, rhai_bundle


def test_help_documents_every_name() -> None:
    for name in pacto.__all__:
        obj = getattr(pacto, name)
        assert obj.__doc__ and len(obj.__doc__) > 20, name
    for method in ("decide", "decide_batch", "decide_arrow", "info"):
        assert getattr(pacto.Policy, method).__doc__, method
    for method in ("from_dir", "from_files", "name", "version", "digest", "engine"):
        assert getattr(pacto.Bundle, method).__doc__, method
    text = pydoc.render_doc(pacto, renderer=pydoc.plaintext)
    for needle in ("decide_batch", "replay --out", "BundleError", "kind", "from_files"):
        assert needle in text, needle


def test_a_batch_runs_without_the_gil() -> None:
    # each decision spins a few million Rhai operations: the batch takes a while on any
    # machine, and a thread that needs the GIL to count must make progress meanwhile
    policy = pacto.load(
        rhai_bundle(
            "fn decide(ticket, now) { let n = 0; while n < 1000000 { n += 1; } "
            "#{ deadlines: [], escalation: (), compensation: [], notes: [] } }",
            "[limits]\nmax_operations = 100000000\ntimeout_ms = 60000\n",
        )
    )
    lines = [json.dumps(dict(CASE, id=f"C-{i}")) for i in range(16)]
    counted = 0
    stop = threading.Event()
    started = threading.Event()

    def count() -> None:
        nonlocal counted
        started.set()
        while not stop.is_set():
            counted += 1  # needs the GIL
            time.sleep(0.001)  # gives it back each time

    thread = threading.Thread(target=count)
    thread.start()
    started.wait()
    try:
        before = counted
        rows = policy.decide_batch(lines)
        during = counted - before
    finally:
        stop.set()
        thread.join()
    assert [r["id"] for r in rows] == [f"C-{i}" for i in range(16)]
    assert all("decision" in r for r in rows), rows[0]
    # held for the whole batch, the GIL would let the counter move at the batch's two
    # ends only (a switch interval, 5 ms, each: a handful of counts)
    print(f"the counter moved {during} times during the batch")
    assert during >= 50, f"the counter moved {during} times during the batch"
