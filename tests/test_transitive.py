"""`schema-diff transitive` and `--transitive`: a release against every earlier one, naming the oldest version each break is against.

Most tests use the eight alien releases in the shared corpus as a version store: a folder in
tmp_path whose entries v1.5.1 ... v3.3.2 are symbolic links to the corpus folders, so nothing is
copied. The expected oldest versions are worked out from the JSON files with json and the
direction table, not taken from the tool. Small stores built in the test cover the exit codes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from checker.cli import cli, main

ALIEN = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "alien"
VERSIONS = ["v1.5.1", "v1.7.1", "v1.10.4", "v1.10.5", "v3.2.0", "v3.3.0", "v3.3.1", "v3.3.2"]

needs_alien = pytest.mark.skipif(not all((ALIEN / version / "schemas").is_dir() for version in VERSIONS),
                                 reason=f"the alien corpus ({ALIEN}) with all eight releases is not present")

#: (rule, document, value) for a change at the root of a document. The value is the enum value,
#: the required name or the property name, and None for a removed document.
Key = tuple[str, str, Any]


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def alien_store(folder: Path, versions: list[str]) -> Path:
    """A version store whose entries are symbolic links to the corpus's schema folders."""
    folder.mkdir()
    for version in versions:
        (folder / version).symlink_to(ALIEN / version / "schemas", target_is_directory=True)
    return folder


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not all((ALIEN / version / "schemas").is_dir() for version in VERSIONS):
        pytest.skip(f"the alien corpus ({ALIEN}) with all eight releases is not present")
    return alien_store(tmp_path_factory.mktemp("transitive") / "store", VERSIONS)


def invoke(argv: list[str]) -> tuple[int, str]:
    # The alien history takes seconds to compare, so the module runs each command once through
    # CliRunner and shares the result. For a run without an error, the exit code is the one main() returns.
    result = CliRunner().invoke(cli, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def newest_json(store: Path) -> tuple[int, dict[str, Any]]:
    code, output = invoke(["transitive", "--store", str(store), "--format", "json"])
    return code, json.loads(output)


def root_breaks(report: dict[str, Any]) -> dict[Key, str]:
    """List the breaks at the root of a document, with the oldest version each is against."""
    found = {}
    for change in report["breaks"]:
        rule = change["rule"]
        if rule == "schema-removed":
            found[(rule, change["schema"], None)] = change["oldest_broken"]
        elif rule in ("enum-value-added", "required-added", "required-removed") and change["new_pointer"] == "":
            value = change["new_value"] if rule != "required-removed" else change["old_value"]
            found[(rule, change["schema"], value)] = change["oldest_broken"]
        elif rule in ("property-added", "property-removed"):
            pointer = change["new_pointer"] if rule == "property-added" else change["old_pointer"]
            if pointer.count("/") == 2:
                found[(rule, change["schema"], pointer.split("/")[2])] = change["oldest_broken"]
    return found


def expected_root_breaks(versions: list[str]) -> dict[Key, str]:
    """Work out from the files which root-level changes of the last version break an earlier one, and the oldest such version.

    The direction table decides what counts, in full mode:
    - a document removed breaks both directions;
    - an enum value added breaks forward (old readers reject it);
    - a required name added breaks backward, one removed breaks forward;
    - a property added to an object the old version closes (additionalProperties false) breaks forward;
    - a property removed from an object the new version closes breaks backward.
    Versions are visited oldest first, so the first version a change appears against is the oldest.
    """
    documents = {version: {path.name: json.loads(path.read_text()) for path in (ALIEN / version / "schemas").glob("*.json")}
                 for version in versions}
    newest = documents[versions[-1]]
    expected: dict[Key, str] = {}
    for version in versions[:-1]:
        for name, old in documents[version].items():
            if name not in newest:
                expected.setdefault(("schema-removed", name, None), version)
                continue
            for key in root_changes(name, old, newest[name]):
                expected.setdefault(key, version)
    return expected


def root_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Key]:
    if isinstance(old.get("enum"), list) and isinstance(new.get("enum"), list):
        yield from (("enum-value-added", name, value) for value in new["enum"] if value not in old["enum"])
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    yield from (("required-added", name, required) for required in new_required - old_required)
    yield from (("required-removed", name, required) for required in old_required - new_required)
    old_properties, new_properties = old.get("properties"), new.get("properties")
    if isinstance(old_properties, dict) and isinstance(new_properties, dict):
        if old.get("additionalProperties") is False:
            yield from (("property-added", name, added) for added in set(new_properties) - set(old_properties))
        if new.get("additionalProperties") is False:
            yield from (("property-removed", name, removed) for removed in set(old_properties) - set(new_properties))


# The newest release, v3.3.2, against the seven before it ------------------------------------

@needs_alien
def test_newest_breaks_exit_one(newest_json: tuple[int, dict[str, Any]]) -> None:
    code, _ = newest_json

    assert code == 1


@needs_alien
def test_newest_against_every_earlier(newest_json: tuple[int, dict[str, Any]]) -> None:
    _, report = newest_json

    assert report["new"] == "v3.3.2"
    assert [entry["version"] for entry in report["against"]] == VERSIONS[:-1]


@needs_alien
def test_teardown_required_oldest(newest_json: tuple[int, dict[str, Any]]) -> None:
    _, report = newest_json

    # DeploymentStatus gains "teardown-required" in v1.7.1 and keeps it; only v1.5.1 lacks it.
    found = root_breaks(report)
    assert found[("enum-value-added", "deploymentStatus.json", "teardown-required")] == "v1.5.1"
    # "waiting-for-machines" arrives in v3.2.0, so v1.10.5 lacks it too, but v1.5.1 is older still.
    assert found[("enum-value-added", "deploymentStatus.json", "waiting-for-machines")] == "v1.5.1"


@needs_alien
def test_teardown_required_inlined_oldest(newest_json: tuple[int, dict[str, Any]]) -> None:
    _, report = newest_json

    # AgentStatus inlines DeploymentStatus at /properties/status; it breaks against the same version.
    inlined = [change["oldest_broken"] for change in report["breaks"]
               if change["schema"] == "agentStatus.json" and change["new_pointer"] == "/properties/status"
               and change["new_value"] == "teardown-required"]
    assert inlined == ["v1.5.1"]


@needs_alien
def test_public_endpoints_oldest(newest_json: tuple[int, dict[str, Any]]) -> None:
    _, report = newest_json

    # publicEndpoints is required in v1.10.4 only (Container, Daemon, Worker), and dropped from
    # required in v1.10.5: old readers on v1.10.4 still expect it, so the oldest version broken is v1.10.4.
    found = root_breaks(report)
    for document in ("container.json", "daemon.json", "worker.json"):
        assert found[("required-removed", document, "publicEndpoints")] == "v1.10.4"


@needs_alien
def test_removed_document_oldest(newest_json: tuple[int, dict[str, Any]]) -> None:
    _, report = newest_json

    found = root_breaks(report)
    # ingress.json exists in v1.5.1 and is gone later.
    assert found[("schema-removed", "ingress.json", None)] == "v1.5.1"
    # remoteBindingsAccessOutputs.json exists only in v3.3.1.
    assert found[("schema-removed", "remoteBindingsAccessOutputs.json", None)] == "v3.3.1"


@needs_alien
def test_root_breaks_match_files(newest_json: tuple[int, dict[str, Any]]) -> None:
    _, report = newest_json

    expected = expected_root_breaks(VERSIONS)
    found = root_breaks(report)
    assert sorted(set(expected) - set(found)) == []
    assert sorted(set(found) - set(expected)) == []
    assert {key: found[key] for key in expected if found[key] != expected[key]} == {}


@needs_alien
def test_each_break_listed_once(newest_json: tuple[int, dict[str, Any]]) -> None:
    _, report = newest_json

    ids = [change["id"] for change in report["breaks"]]
    assert len(ids) == len(set(ids))
    assert all(change["severity"] == "breaking" for change in report["breaks"])
    assert all(change["oldest_broken"] in VERSIONS[:-1] for change in report["breaks"])


@needs_alien
def test_compare_transitive_flag(store: Path) -> None:
    code, output = invoke(["--transitive", "v1.10.5", "--store", str(store), "--format", "json"])

    report = json.loads(output)
    assert code == 1
    assert report["new"] == "v1.10.5"
    assert [entry["version"] for entry in report["against"]] == ["v1.5.1", "v1.7.1", "v1.10.4"]
    found = root_breaks(report)
    assert found[("required-removed", "container.json", "publicEndpoints")] == "v1.10.4"
    assert found == expected_root_breaks(VERSIONS[:4])


# Small stores: exit codes and oldest versions that are not the oldest release ------------------

def write_store(root: Path, versions: dict[str, dict[str, Any]]) -> Path:
    for version, schema in versions.items():
        (root / version).mkdir(parents=True)
        (root / version / "status.json").write_text(json.dumps(schema))
    return root


def status(enum: list[str], **extra: Any) -> dict[str, Any]:
    return {"title": "Status", "type": "string", "enum": enum, **extra}


@pytest.fixture
def quiet_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """1.0.0; 1.1.0 adds a description (cosmetic); 1.2.0 adds an optional property to an open object (additive)."""
    monkeypatch.chdir(tmp_path)
    user = {"title": "User", "type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
    described = {**user, "description": "A person with an account."}
    grown = {**described, "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}
    return write_store(tmp_path / "store", {"1.0.0": user, "1.1.0": described, "1.2.0": grown})


def test_no_break_exits_zero(quiet_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "transitive", "--store", quiet_store, "--format", "json")

    assert code == 0, err
    report = json.loads(out)
    assert report["new"] == "1.2.0"
    assert report["against"] == [{"version": "1.0.0", "breaking": 0}, {"version": "1.1.0", "breaking": 0}]
    assert report["breaks"] == []


def test_no_break_text(quiet_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "transitive", "--store", quiet_store)

    assert code == 0, err
    assert "1.2.0 breaks no earlier version." in out


def test_no_break_compare_flag(quiet_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--transitive", "--store", quiet_store)

    assert code == 0, err


@pytest.fixture
def returning_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """"stopped" is in 1.0.0, dropped in 1.1.0, back in 1.2.0; 1.3.0 adds "failed"."""
    monkeypatch.chdir(tmp_path)
    return write_store(tmp_path / "store", {
        "1.0.0": status(["active", "stopped"]),
        "1.1.0": status(["active"]),
        "1.2.0": status(["active", "stopped"]),
        "1.3.0": status(["active", "stopped", "failed"]),
    })


def test_oldest_broken_skips_compatible_release(returning_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "transitive", "1.2.0", "--store", returning_store, "--format", "json")

    report = json.loads(out)
    assert code == 1
    assert [entry["version"] for entry in report["against"]] == ["1.0.0", "1.1.0"]
    # Against 1.0.0 nothing breaks: both accept "active" and "stopped". Against 1.1.0 "stopped" is
    # new, and readers on 1.1.0 reject it, so the oldest version broken is 1.1.0, not 1.0.0.
    assert [(change["rule"], change["new_value"], change["oldest_broken"]) for change in report["breaks"]] == [
        ("enum-value-added", "stopped", "1.1.0"),
    ]


def test_oldest_broken_newest(returning_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "transitive", "--store", returning_store, "--format", "json")

    report = json.loads(out)
    assert code == 1
    assert report["new"] == "1.3.0"
    # "failed" is new against every earlier release, so the oldest, 1.0.0; "stopped" is new against 1.1.0 only.
    breaks = sorted((change["new_value"], change["oldest_broken"]) for change in report["breaks"])
    assert breaks == [("failed", "1.0.0"), ("stopped", "1.1.0")]


def heading_above(text: str, needle: str) -> str:
    """The last line ending with a colon before the first line containing `needle`."""
    lines = text.splitlines()
    position = next(number for number, line in enumerate(lines) if needle in line)
    return next(line for line in reversed(lines[:position]) if line.endswith(":"))


def test_text_groups_by_oldest(returning_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "transitive", "--store", returning_store)

    assert code == 1
    assert out.splitlines()[0] == "Transitive check of 1.3.0 against 3 earlier versions"
    assert "1.0.0" in heading_above(out, '"failed"')
    assert "1.1.0" in heading_above(out, '"stopped"')
    assert "the oldest version broken is 1.0.0" in out.splitlines()[-1]


def test_text_claims_no_later_versions(returning_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "transitive", "--store", returning_store)

    # 1.2.0 accepts "stopped" as 1.3.0 does, so "stopped" breaks 1.1.0 but no version after it.
    # The heading over it must not say that it breaks every later version.
    assert "every later version" not in heading_above(out, '"stopped"')


def test_unknown_version(returning_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "transitive", "2.0.0", "--store", returning_store)

    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert "2.0.0" in err


def test_declared_break_passes(returning_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The project file in the working folder accepts "failed" being added. An accepted breaking
    # change fails no check, because exit 1 means an undeclared breaking change. So only "stopped"
    # fails the transitive check of 1.3.0.
    (returning_store.parent / "schema-diff.toml").write_text(
        '[[declared]]\nrule = "enum-value-added"\ntype = "Status"\nvalue = "failed"\n'
        'reason = "Clients show unknown statuses as active."\n')

    code, out, _ = run(capsys, "transitive", "--store", returning_store, "--format", "json")

    report = json.loads(out)
    assert code == 1
    assert [(change["new_value"], change["oldest_broken"]) for change in report["breaks"]] == [("stopped", "1.1.0")]


def test_declared_breaks_only_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = write_store(tmp_path / "store", {"1.0.0": status(["active"]), "1.1.0": status(["active", "failed"])})
    (tmp_path / "schema-diff.toml").write_text(
        '[[declared]]\nrule = "enum-value-added"\ntype = "Status"\nvalue = "failed"\n'
        'reason = "Clients show unknown statuses as active."\n')

    code, out, err = run(capsys, "transitive", "--store", store, "--format", "json")

    # The one breaking change is declared, so nothing undeclared breaks: exit 0.
    assert code == 0, out + err
