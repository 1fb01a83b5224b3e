"""What pacto.spark ships to executors: a bundle's files (`Bundle.files`, pickling,
`Policy.bundle`). No Spark needed: these run with the binding's own tests."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pacto
from conftest import CASE, REPO, rhai_bundle


def test_a_folder_bundle_gives_the_files_policy_toml_names() -> None:
    b = pacto.Bundle.from_dir(REPO / "rules" / "standard-rhai")
    files = b.files
    assert sorted(files) == [
        "calendars/24x7.toml",
        "calendars/business.toml",
        "policy.toml",
        "standard.rhai",
    ]  # not README.md, not the fixtures
    assert files["standard.rhai"] == (REPO / "rules/standard-rhai/standard.rhai").read_bytes()
    again = pacto.Bundle.from_files(files)
    assert (again.digest, again.name, again.version) == (b.digest, b.name, b.version)


def test_bundles_pickle_and_policies_keep_theirs(tmp_path: Path) -> None:
    b = rhai_bundle("fn decide(ticket, now) { #{ deadlines: [], notes: [\"hi\"] } }")
    copy = pickle.loads(pickle.dumps(b))
    assert isinstance(copy, pacto.Bundle) and copy.digest == b.digest
    policy = pacto.load(copy)
    assert policy.bundle.digest == policy.info["digest"] == b.digest
    assert policy.bundle.files == b.files
    # a policy loaded from a folder keeps the bytes it was loaded from
    d = tmp_path / "standard"
    shutil.copytree(REPO / "rules" / "standard-rhai", d)
    loaded = pacto.load(d)
    shutil.rmtree(d)
    rebuilt = pacto.load(pacto.Bundle.from_files(loaded.bundle.files))
    assert rebuilt.info == loaded.info
    assert rebuilt.decide(CASE) == loaded.decide(CASE)


def test_a_relative_calendar_path_is_named_as_the_bundle_names_it(tmp_path: Path) -> None:
    d = tmp_path / "b"
    shutil.copytree(REPO / "rules" / "standard-rhai", d)
    manifest = d / "policy.toml"
    manifest.write_text(
        manifest.read_text().replace('"calendars/24x7.toml"', '"./calendars//24x7.toml"')
    )
    b = pacto.Bundle.from_dir(d)
    assert "calendars/24x7.toml" in b.files
    assert pacto.Bundle.from_files(b.files).digest == b.digest


def test_pacto_spark_imports_without_pyspark() -> None:
    # pyspark is imported when replay or diff runs, not with the module
    import pacto.spark

    assert pacto.spark.MAX_CHANGED_IDS == 100
