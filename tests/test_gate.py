"""The CI gate: declared breaking changes, `schema-diff accept`, `--fail-on`, `--semver` and the project file's settings.

Each test works on a copy of the shipped example (`schemas/1.5.1` and `schemas/1.7.1`) in
tmp_path, with the current folder moved there, because the project file is looked up in the
current folder. Between the two versions the example has eight breaking changes under the
default mode (full), worked out in schemas/README.md:

- DeploymentStatus gained three enum values, in `deploymentStatus.json` and again in its copy
  inlined at `agentStatus.json#/properties/status` (six changes, each breaks forward);
- ResourceStatus gained `teardown-required` (breaks forward);
- the default of `AlienError.internal` went from false to true (breaks both directions);

plus one additive change, the optional `setupMetadata` property of the open StackImportRequest.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main

REPOSITORY = Path(__file__).resolve().parents[1]
CORPUS = REPOSITORY.parent / "shared" / "corpus"
OLD = "schemas/1.5.1"
NEW = "schemas/1.7.1"
REASON = "Readers map unknown statuses to pending, and callers always send internal."

#: The breaking changes of the example as (rule, document, new value), in report order:
#: by document path, then location, then value.
EXAMPLE_BREAKING = [
    ("enum-value-added", "agentStatus.json", "preflights-failed"),
    ("enum-value-added", "agentStatus.json", "teardown-failed"),
    ("enum-value-added", "agentStatus.json", "teardown-required"),
    ("default-changed", "alienError.json", True),
    ("enum-value-added", "deploymentStatus.json", "preflights-failed"),
    ("enum-value-added", "deploymentStatus.json", "teardown-failed"),
    ("enum-value-added", "deploymentStatus.json", "teardown-required"),
    ("enum-value-added", "resourceStatus.json", "teardown-required"),
]

#: What `accept` appends to an empty project: one entry per named type, rule and value, so the
#: six DeploymentStatus changes need only three entries (a type entry covers every inlined copy).
#: The order is that of the first change each entry covers.
EXAMPLE_DECLARATIONS = f"""\
[[declared]]
rule = "enum-value-added"
type = "DeploymentStatus"
value = "preflights-failed"
reason = "{REASON}"

[[declared]]
rule = "enum-value-added"
type = "DeploymentStatus"
value = "teardown-failed"
reason = "{REASON}"

[[declared]]
rule = "enum-value-added"
type = "DeploymentStatus"
value = "teardown-required"
reason = "{REASON}"

[[declared]]
rule = "default-changed"
type = "AlienError"
pointer = "/properties/internal"
value = true
reason = "{REASON}"

[[declared]]
rule = "enum-value-added"
type = "ResourceStatus"
value = "teardown-required"
reason = "{REASON}"
"""


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped example in tmp_path, which becomes the current folder."""
    shutil.copytree(REPOSITORY / "schemas", tmp_path / "schemas")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run(capsys, *argv, "--format", "json")
    return code, json.loads(out), err


def breaking(report: dict[str, Any], declared: bool | None = None) -> list[tuple[str, str, Any]]:
    """The breaking changes of a JSON report as (rule, document, new value), optionally only declared or undeclared ones."""
    return [
        (change["rule"], change["schema"], change["new_value"])
        for change in report["changes"]
        if change["severity"] == "breaking" and (declared is None or change["declared"] is declared)
    ]


def write_project(folder: Path, text: str) -> Path:
    path = folder / "schema-diff.toml"
    path.write_text(text, encoding="utf-8")
    return path


def declaration(rule: str, type_name: str, reason: str = REASON, **extra: str) -> str:
    lines = ["[[declared]]", f'rule = "{rule}"', f'type = "{type_name}"']
    lines += [f'{key} = "{value}"' for key, value in extra.items()]
    lines.append(f'reason = "{reason}"')
    return "\n".join(lines) + "\n\n"


def add_enum_value(document: Path, value: str) -> None:
    schema = json.loads(document.read_text(encoding="utf-8"))
    schema["enum"].append(value)
    document.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")


# Declaring the example's breaking changes ------------------------------------------------

def test_gate_fails_on_example(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report, err = run_json(capsys, OLD, NEW)

    assert code == 1
    assert breaking(report, declared=False) == EXAMPLE_BREAKING
    assert report["undeclared_breaking"] == 8
    assert err == ""


def test_gate_text_lists_breaking_changes(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, OLD, NEW, "--no-color")

    assert code == 1
    for value in ("preflights-failed", "teardown-failed", "teardown-required"):
        assert f'enum-value-added: accepts a new value "{value}"' in out
    assert "default-changed: /properties/internal" in out


def test_accept_writes_declarations(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "accept", OLD, NEW, "--reason", REASON)

    project = example / "schema-diff.toml"
    assert code == 0, err
    assert project.read_text(encoding="utf-8") == EXAMPLE_DECLARATIONS
    assert "5 declarations" in out
    assert err == ""


def test_gate_passes_after_accept(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "accept", OLD, NEW, "--reason", REASON)[0] == 0

    code, report, err = run_json(capsys, OLD, NEW)

    assert code == 0
    # Declared changes stay in the report, still breaking, with the reason they are accepted.
    assert breaking(report, declared=True) == EXAMPLE_BREAKING
    assert all(change["reason"] == REASON for change in report["changes"] if change["severity"] == "breaking")
    assert report["undeclared_breaking"] == 0
    assert report["summary"]["breaking"] == 8
    # The additive change needs no declaration and gets none.
    additive = [change for change in report["changes"] if change["severity"] == "additive"]
    assert [(change["declared"], change["reason"]) for change in additive] == [(False, None)]
    assert err == ""


def test_accept_twice_adds_nothing(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "accept", OLD, NEW, "--reason", REASON)[0] == 0
    first = (example / "schema-diff.toml").read_bytes()

    code, out, err = run(capsys, "accept", OLD, NEW, "--reason", "A second reason.")

    assert code == 0, err
    assert (example / "schema-diff.toml").read_bytes() == first
    assert "Nothing to declare" in out


def test_new_enum_value_fails_again(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "accept", OLD, NEW, "--reason", REASON)[0] == 0
    add_enum_value(example / NEW / "deploymentStatus.json", "archived")

    code, report, _ = run_json(capsys, OLD, NEW)

    # Only deploymentStatus.json got the value: the copy in agentStatus.json did not change.
    assert code == 1
    assert breaking(report, declared=False) == [("enum-value-added", "deploymentStatus.json", "archived")]
    assert len(breaking(report, declared=True)) == 8


def test_accept_declares_only_new_value(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "accept", OLD, NEW, "--reason", REASON)[0] == 0
    add_enum_value(example / NEW / "deploymentStatus.json", "archived")

    code, _, _ = run(capsys, "accept", OLD, NEW, "--reason", "Archived deployments are shown as deleted.")

    assert code == 0
    assert (example / "schema-diff.toml").read_text(encoding="utf-8") == EXAMPLE_DECLARATIONS + """
[[declared]]
rule = "enum-value-added"
type = "DeploymentStatus"
value = "archived"
reason = "Archived deployments are shown as deleted."
"""
    assert run(capsys, OLD, NEW)[0] == 0


def test_type_declaration_without_value(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Without `value` an entry covers every value its rule adds to the type, in every copy.
    write_project(example, declaration("enum-value-added", "DeploymentStatus") + declaration("enum-value-added", "ResourceStatus"))

    code, report, err = run_json(capsys, OLD, NEW)

    assert code == 1
    assert breaking(report, declared=False) == [("default-changed", "alienError.json", True)]
    assert err == ""


def test_schema_and_pointer_declaration(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A declaration by document and location covers only that place, not the inlined copy.
    write_project(example, f"""\
[[declared]]
rule = "enum-value-added"
schema = "deploymentStatus.json"
pointer = "/enum"
reason = "{REASON}"
""")

    code, report, _ = run_json(capsys, OLD, NEW)

    assert code == 1
    assert [(rule, schema) for rule, schema, _ in breaking(report, declared=True)] == [("enum-value-added", "deploymentStatus.json")] * 3
    assert len(breaking(report, declared=False)) == 5


# The real release 1.5.1 -> 1.7.1 of @alienplatform/core -----------------------------------

def corpus_schemas(tag: str) -> Path:
    folder = CORPUS / "alien" / tag / "schemas"
    if not folder.is_dir():
        pytest.skip(f"corpus release {tag} not found at {folder} (the corpus lives in ../shared/corpus)")
    return folder


def test_corpus_declared_by_type(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = corpus_schemas("v1.5.1"), corpus_schemas("v1.7.1")
    monkeypatch.chdir(tmp_path)
    write_project(tmp_path, declaration("enum-value-added", "DeploymentStatus") + declaration("enum-value-added", "ResourceStatus"))

    code, report, err = run_json(capsys, str(old), str(new))

    # DeploymentStatus is written out in 3 documents with 3 new values each, ResourceStatus
    # in 7 places with 1 new value: 16 changes, all covered by the two type names.
    declared = breaking(report, declared=True)
    assert code == 0
    assert len(declared) == 16
    assert {rule for rule, _, _ in declared} == {"enum-value-added"}
    assert report["undeclared_breaking"] == 0
    assert err == ""


def test_corpus_semver_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = corpus_schemas("v1.5.1"), corpus_schemas("v1.7.1")
    monkeypatch.chdir(tmp_path)

    code, out, _ = run(capsys, str(old), str(new), "--old-version", "1.5.1", "--new-version", "1.7.1", "--no-color")

    assert code == 1
    assert "1.5.1 → 1.7.1 is a minor release; its 16 breaking changes require 2.0.0" in out.splitlines()


# The semver check ------------------------------------------------------------------------

@pytest.mark.parametrize(("old_version", "new_version", "expected"), [
    # A major release may break: the eight undeclared breaking changes pass.
    ("1.5.1", "2.0.0", 0),
    # A minor release promises compatibility, and the example breaks it.
    ("1.5.1", "1.7.1", 1),
    # A patch release even more so.
    ("1.5.1", "1.5.2", 1),
    # Below 1.0.0 a breaking change needs only a minor release.
    ("0.5.1", "0.6.0", 0),
    # ... but a patch release below 1.0.0 still may not break.
    ("0.5.1", "0.5.2", 1),
    # Leaving 0.x for 1.0.0 is a major release.
    ("0.5.1", "1.0.0", 0),
    # A lower "new" version is no release at all, so nothing excuses the breaking changes.
    ("1.7.1", "1.5.1", 1),
])
def test_semver_gate(example: Path, capsys: pytest.CaptureFixture[str], old_version: str, new_version: str, expected: int) -> None:
    code, _, err = run(capsys, OLD, NEW, "--semver", "--old-version", old_version, "--new-version", new_version)

    assert code == expected, err


@pytest.mark.parametrize(("old_version", "new_version", "line"), [
    # Breaking changes from 1.x require the next major release.
    ("1.5.1", "1.7.1", "1.5.1 → 1.7.1 is a minor release; its 8 breaking changes require 2.0.0"),
    # Below 1.0.0 they require the next minor release.
    ("0.5.1", "0.5.2", "0.5.1 → 0.5.2 is a patch release; its 8 breaking changes require 0.6.0"),
])
def test_semver_line(example: Path, capsys: pytest.CaptureFixture[str], old_version: str, new_version: str, line: str) -> None:
    code, out, _ = run(capsys, OLD, NEW, "--old-version", old_version, "--new-version", new_version, "--no-color")

    assert code == 1
    assert line in out.splitlines()


def test_semver_line_in_json(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, report, _ = run_json(capsys, OLD, NEW, "--old-version", "1.5.1", "--new-version", "1.7.1")

    assert report["old"]["version"] == "1.5.1"
    assert report["new"]["version"] == "1.7.1"
    assert report["semver"] == "1.5.1 → 1.7.1 is a minor release; its 8 breaking changes require 2.0.0"


def test_semver_from_store_folders(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Bare version names are folders of the store (./schemas), and their names are the versions.
    code, out, _ = run(capsys, "1.5.1", "1.7.1", "--no-color")

    assert code == 1
    assert "1.5.1 → 1.7.1 is a minor release; its 8 breaking changes require 2.0.0" in out.splitlines()


def test_semver_prerelease_message(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, OLD, NEW, "--semver", "--old-version", "1.5.1", "--new-version", "2.0.0-rc.1")

    # A pre-release of the next major version may break; the run says it judged a pre-release.
    assert code == 0
    assert "pre-release" in err
    assert "2.0.0" in err


@pytest.mark.parametrize(("option", "value"), [
    ("--old-version", "1.x"),
    ("--new-version", "banana"),
])
def test_invalid_version(example: Path, capsys: pytest.CaptureFixture[str], option: str, value: str) -> None:
    code, out, err = run(capsys, OLD, NEW, "--semver", "--old-version", "1.5.1", "--new-version", "1.7.1", option, value)

    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert repr(value) in err or value in err
    assert "Traceback" not in err


def test_semver_needs_versions(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, OLD, NEW, "--semver")

    assert code == 2
    assert len(err.splitlines()) == 1, err
    assert "--old-version" in err


# --fail-on, stale declarations and --strict -----------------------------------------------

@pytest.fixture
def removed_property(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two versions of an open object; the new one lacks the optional property `nickname`."""
    schema = {"title": "Pet", "type": "object", "properties": {"name": {"type": "string"}, "nickname": {"type": "string"}}}
    for version in ("old", "new"):
        (tmp_path / version).mkdir()
        (tmp_path / version / "pet.json").write_text(json.dumps(schema, indent=2), encoding="utf-8")
        schema = {**schema, "properties": {"name": {"type": "string"}}}
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_removed_property_passes_by_default(removed_property: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The object is open, so data with or without `nickname` stays valid: potentially breaking only.
    code, report, _ = run_json(capsys, "old", "new")

    assert code == 0
    assert [(change["rule"], change["severity"]) for change in report["changes"]] == [("property-removed", "potentially-breaking")]


def test_fail_on_potentially_breaking(removed_property: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "old", "new", "--fail-on", "potentially-breaking")

    assert code == 1


def test_fail_on_potentially_breaking_declared(removed_property: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(removed_property, declaration("property-removed", "Pet", reason="No reader ever showed the nickname."))

    code, report, err = run_json(capsys, "old", "new", "--fail-on", "potentially-breaking")

    assert code == 0
    assert [change["declared"] for change in report["changes"]] == [True]
    assert err == ""


STALE = declaration("enum-value-removed", "DeploymentStatus", reason="Nobody sends the removed status.")


def test_stale_declaration_warns(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "schema-diff.toml").write_text(EXAMPLE_DECLARATIONS + "\n" + STALE, encoding="utf-8")

    code, report, err = run_json(capsys, OLD, NEW)

    # No enum value was removed, so the last declaration matches nothing.
    assert code == 0
    assert len(report["stale_declarations"]) == 1
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("schema-diff: warning:")
    assert "enum-value-removed" in lines[0]
    assert "DeploymentStatus" in lines[0]


def test_stale_declaration_names_type_and_schema(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A declaration may narrow a type to one schema. The warning names both, so a reader
    # can tell it from a declaration for the type everywhere.
    (example / "schema-diff.toml").write_text(
        EXAMPLE_DECLARATIONS + '\n[[declared]]\nrule = "enum-value-removed"\ntype = "DeploymentStatus"\n'
        'schema = "deploymentStatus.json"\nreason = "Nobody sends it."\n', encoding="utf-8")

    _, report, err = run_json(capsys, OLD, NEW)

    assert report["stale_declarations"] == ["enum-value-removed for type DeploymentStatus in schema deploymentStatus.json"]
    assert err == "schema-diff: warning: declaration matches no change: enum-value-removed for type DeploymentStatus in schema deploymentStatus.json\n"


def test_stale_declaration_strict(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "schema-diff.toml").write_text(EXAMPLE_DECLARATIONS + "\n" + STALE, encoding="utf-8")

    code, _, err = run(capsys, OLD, NEW, "--strict")

    assert code == 1
    assert "enum-value-removed" in err


def test_strict_without_stale(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "schema-diff.toml").write_text(EXAMPLE_DECLARATIONS, encoding="utf-8")

    code, _, err = run(capsys, OLD, NEW, "--strict")

    assert code == 0
    assert err == ""


# Settings: mode per schema glob, ignored paths, declarations for one release -----------------

def severities(report: dict[str, Any]) -> dict[tuple[str, str, Any], str]:
    return {(change["rule"], change["schema"], change["new_value"]): change["severity"] for change in report["changes"]}


def test_mode_per_glob(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(example, '[modes]\n"*Status.json" = "backward"\n')

    code, report, _ = run_json(capsys, OLD, NEW)

    # An added enum value breaks only forward, so under backward it is additive in the three
    # *Status.json documents. The changed default breaks both directions and stays breaking.
    found = severities(report)
    assert {found[key] for key in EXAMPLE_BREAKING if key[0] == "enum-value-added"} == {"additive"}
    assert found[("default-changed", "alienError.json", True)] == "breaking"
    assert code == 1


def test_mode_glob_leaves_other_documents(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(example, '[modes]\n"deploymentStatus.json" = "backward"\n')

    _, report, _ = run_json(capsys, OLD, NEW)

    # The inlined copy in agentStatus.json is another document, so the default mode (full) judges it.
    found = severities(report)
    assert found[("enum-value-added", "deploymentStatus.json", "teardown-failed")] == "additive"
    assert found[("enum-value-added", "agentStatus.json", "teardown-failed")] == "breaking"


def test_ignore_globs(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(example, 'ignore = ["alien*.json"]\n')

    code, report, _ = run_json(capsys, OLD, NEW)

    assert code == 1
    assert "alienError.json" not in {change["schema"] for change in report["changes"]}
    assert len(breaking(report)) == 7


def test_modes_and_ignore_pass(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(example, 'ignore = ["alienError.json"]\n\n[modes]\n"*Status.json" = "backward"\n')

    code, report, _ = run_json(capsys, OLD, NEW)

    assert code == 0
    assert breaking(report) == []


@pytest.mark.parametrize(("versions", "expected"), [
    # The declarations name release 1.7.1, and that is the new version: they apply.
    (("--old-version", "1.5.1", "--new-version", "1.7.1"), 0),
    # Another release: the declarations do not apply.
    (("--old-version", "1.7.1", "--new-version", "1.8.0"), 1),
    # No version known: a declaration for one release cannot apply.
    ((), 1),
])
def test_declaration_for_one_release(example: Path, capsys: pytest.CaptureFixture[str], versions: tuple[str, ...], expected: int) -> None:
    entries = EXAMPLE_DECLARATIONS.replace(f'reason = "{REASON}"', f'reason = "{REASON}"\nversion = "1.7.1"')
    write_project(example, entries)

    code, report, _ = run_json(capsys, OLD, NEW, *versions)

    assert code == expected
    assert report["undeclared_breaking"] == (0 if expected == 0 else 8)
    assert len(report["stale_declarations"]) == (0 if expected == 0 else 5)
