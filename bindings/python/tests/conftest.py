"""Shared fixtures: the repository, the `pacto` binary to compare with, the bundles."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import pacto

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO / "examples" / "corpus.jsonl"


def pacto_bin() -> Path:
    """The `pacto` command line the binding is compared with: $PACTO_BIN, else the
    release build in the target folder."""
    given = os.environ.get("PACTO_BIN")
    if given:
        return Path(given)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "release" / "pacto"


def run_pacto(*args: str | os.PathLike[str]) -> str:
    """Runs the command line from the repository's top folder; its standard output."""
    binary = pacto_bin()
    if not binary.exists():
        pytest.fail(f"{binary}: no pacto binary to compare with; set PACTO_BIN")
    done = subprocess.run(
        [binary, *map(str, args)], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def bundles() -> list[str]:
    """The standard policy's bundles to compare: Rhai, and Wasm when its component
    has been built from source (`pacto build rules/standard-wasm`; the test script does;
    with PACTO_REQUIRE_WASM=1 a missing one fails instead of being skipped)."""
    return ["rules/standard-rhai", "rules/standard-wasm"]


@pytest.fixture(params=bundles())
def bundle_dir(request: pytest.FixtureRequest) -> str:
    d = request.param
    if d.endswith("-wasm") and not (REPO / d / "standard.wasm").exists():
        message = f"{d}/standard.wasm is not built (pacto build {d})"
        if os.environ.get("PACTO_REQUIRE_WASM") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return d


@pytest.fixture
def policy(bundle_dir: str) -> pacto.Policy:
    return pacto.load(REPO / bundle_dir)


@pytest.fixture(scope="session")
def corpus_lines() -> list[str]:
    return CORPUS.read_text().splitlines()


OFFICE = b'timezone = "UTC"\n' + b"".join(
    day.encode() + b' = ["00:00-24:00"]\n'
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
)


def rhai_bundle(script: str, limits: str = "") -> pacto.Bundle:
    """A Rhai bundle in memory with a 24x7 `office` calendar."""
    manifest = (
        'name = "t"\nversion = "0.0.1"\nengine = "rhai"\nentry = "p.rhai"\n'
        '[calendars]\noffice = "calendars/office.toml"\n' + limits
    )
    return pacto.Bundle.from_files(
        {"policy.toml": manifest.encode(), "p.rhai": script, "calendars/office.toml": OFFICE}
    )


CASE = {
    "id": "C-1",
    "opened_at": "2026-03-02T10:00:00Z",
    "priority": "normal",
    "channel": "email",
    "kind": "question",
    "customer": {"id": "K", "tier": "standard"},
}
