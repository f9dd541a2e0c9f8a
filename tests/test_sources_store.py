"""The version store: version folders named on the command line, their order, and --latest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.cli import main
from checker.errors import SourceNotFoundError, UsageError
from checker.sources import SourceOptions, open_latest, open_source
from checker.sources.store import find_version_folder, latest_two, version_folders
from fakes import STATUS_NEW, STATUS_OLD, schema_bytes

REPOSITORY = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_error_line(code: int, out: str, err: str) -> str:
    assert code == 2, f"exit code {code}, stderr: {err!r}"
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("schema-diff: error: ")
    return lines[0]


def make_store(root: Path, versions: dict[str, dict[str, object]]) -> Path:
    """Write one status.json into a folder per version name."""
    for name, schema in versions.items():
        (root / name).mkdir(parents=True)
        (root / name / "status.json").write_bytes(schema_bytes(schema))
    return root


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ./schemas store in an empty working folder."""
    monkeypatch.chdir(tmp_path)
    return make_store(tmp_path / "schemas", {"1.9.0": STATUS_OLD, "1.10.0": STATUS_NEW})


# Ordering ---------------------------------------------------------------------------------

def test_versions_ordered_numerically(tmp_path: Path) -> None:
    # As strings "1.10.0" < "1.9.0"; as versions 1.10.0 is the higher one.
    make_store(tmp_path, {"1.10.0": {}, "1.9.0": {}, "1.2.0": {}})

    assert version_folders(tmp_path) == ["1.2.0", "1.9.0", "1.10.0"]


def test_prerelease_before_release(tmp_path: Path) -> None:
    # A release candidate, beta or alpha comes before its release and after the previous one.
    make_store(tmp_path, {"2.0.0": {}, "2.0.0rc1": {}, "2.0.0b2": {}, "1.9.9": {}, "2.0.0a1": {}})

    assert version_folders(tmp_path) == ["1.9.9", "2.0.0a1", "2.0.0b2", "2.0.0rc1", "2.0.0"]


def test_non_version_folder_ignored_with_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_store(tmp_path, {"1.0.0": {}, "drafts": {}, "2.0.0": {}})
    (tmp_path / ".git").mkdir()
    (tmp_path / "README.md").write_text("versions live here")

    found = version_folders(tmp_path)

    assert found == ["1.0.0", "2.0.0"]
    # One note, for the folder only: files and hidden folders are not candidates.
    assert capsys.readouterr().err == f"schema-diff: note: {tmp_path / 'drafts'} is not named by a version; ignoring it\n"


def test_latest_two_picks_highest(tmp_path: Path) -> None:
    make_store(tmp_path, {"1.9.0": {}, "1.10.0": {}, "1.10.1rc1": {}, "1.2.0": {}})

    # 1.10.1rc1 is a pre-release of 1.10.1, so it is above 1.10.0.
    assert latest_two(tmp_path) == ("1.10.0", "1.10.1rc1")


def test_latest_two_needs_two_versions(tmp_path: Path) -> None:
    make_store(tmp_path, {"1.0.0": {}})

    with pytest.raises(UsageError, match=r"--latest needs at least two version folders in the store .*; found 1 \(1.0.0\)"):
        latest_two(tmp_path)


def test_find_equal_version_spelling(tmp_path: Path) -> None:
    # packaging reads "v1.5.1" as version 1.5.1, so either spelling finds the folder.
    make_store(tmp_path, {"v1.5.1": {}})

    assert find_version_folder(tmp_path, "1.5.1") == tmp_path / "v1.5.1"
    assert find_version_folder(tmp_path, "v1.5.1") == tmp_path / "v1.5.1"
    assert find_version_folder(tmp_path, "1.5.2") is None


def test_find_rejects_parent_folder(tmp_path: Path) -> None:
    make_store(tmp_path / "store", {"1.0.0": {}})

    assert find_version_folder(tmp_path / "store", "..") is None


# Opening versions -------------------------------------------------------------------------

def test_open_source_version_folder(store: Path) -> None:
    documents = open_source("1.9.0", SourceOptions(store=Path("schemas")))

    assert documents.source == "1.9.0"
    assert documents.version == "1.9.0"
    assert list(documents.documents) == ["status.json"]


def test_existing_path_wins_over_store(store: Path, tmp_path: Path) -> None:
    # A folder named like a version in the working folder is a path, not a store version.
    (tmp_path / "1.9.0").mkdir()
    (tmp_path / "1.9.0" / "other.json").write_bytes(schema_bytes(STATUS_NEW))

    documents = open_source("1.9.0", SourceOptions(store=Path("schemas")))

    assert list(documents.documents) == ["other.json"]
    assert documents.version is None


def test_open_latest(store: Path) -> None:
    old, new = open_latest(SourceOptions(store=Path("schemas")))

    assert (old.version, new.version) == ("1.9.0", "1.10.0")


def test_missing_version_lists_known(store: Path) -> None:
    with pytest.raises(SourceNotFoundError) as raised:
        open_source("3.0.0", SourceOptions(store=Path("schemas")))

    assert str(raised.value) == "3.0.0: no such file or folder, and no version folder '3.0.0' in the store schemas (versions: 1.9.0, 1.10.0)"


# Command line -----------------------------------------------------------------------------

def test_cli_shipped_example_from_repository_root(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPOSITORY)

    code, out, err = run(capsys, "1.5.1", "1.7.1", "--format", "json")
    report = json.loads(out)

    # schemas/README.md lists the nine changes: seven enum values added (forward), one default
    # changed (both directions) and one optional property added to an open object (additive).
    assert code == 1
    assert err == ""
    assert report["old"] == {"source": "1.5.1", "version": "1.5.1"}
    assert report["new"] == {"source": "1.7.1", "version": "1.7.1"}
    rules = sorted(change["rule"] for change in report["changes"])
    assert rules == ["default-changed", *["enum-value-added"] * 7, "property-added"]


def test_cli_latest_in_repository(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # The shipped store contains 1.5.1 and 1.7.1 (and a README file, which is no folder).
    monkeypatch.chdir(REPOSITORY)

    code, out, _ = run(capsys, "--latest", "--format", "json")
    report = json.loads(out)

    assert code == 1
    assert (report["old"]["version"], report["new"]["version"]) == ("1.5.1", "1.7.1")


def test_cli_latest_with_store_option(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_store(tmp_path / "elsewhere", {"1.9.0": STATUS_OLD, "1.10.0": STATUS_NEW, "1.2.0": STATUS_NEW, "notes": {}})

    code, out, err = run(capsys, "--latest", "--store", "elsewhere", "--format", "json")
    report = json.loads(out)

    # 1.9.0 -> 1.10.0 adds "failed" to the enum, which breaks forward. Ordered as strings,
    # 1.9.0 would have been the newest and the comparison would run the wrong way.
    assert code == 1
    assert (report["old"]["version"], report["new"]["version"]) == ("1.9.0", "1.10.0")
    assert [(change["rule"], change["new_value"]) for change in report["changes"]] == [("enum-value-added", "failed")]
    assert err == f"schema-diff: note: {Path('elsewhere') / 'notes'} is not named by a version; ignoring it\n"


def test_cli_versions_in_store(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "1.9.0", "1.10.0")

    assert code == 1
    assert out.splitlines()[0] == "1.9.0 -> 1.10.0 (mode: full)"


def test_cli_same_version_exit_0(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "1.9.0", "1.9.0")

    assert code == 0


def test_cli_latest_with_arguments_exit_2(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = one_error_line(*run(capsys, "--latest", "1.9.0"))

    assert line == "schema-diff: error: --latest compares the two highest versions in the store; give no OLD or NEW"


def test_cli_latest_without_store_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    line = one_error_line(*run(capsys, "--latest"))

    assert line == "schema-diff: error: --latest: the version store schemas does not exist (set one with --store DIR)"


def test_cli_unknown_version_exit_2(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = one_error_line(*run(capsys, "1.9.0", "2.0.0"))

    assert line == "schema-diff: error: 2.0.0: no such file or folder, and no version folder '2.0.0' in the store schemas (versions: 1.9.0, 1.10.0)"


def test_cli_no_store_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    line = one_error_line(*run(capsys, "1.0.0", "2.0.0"))

    assert line == "schema-diff: error: 1.0.0: no such file or folder, and no version store schemas to look it up in (set one with --store DIR)"
