"""The shipped example: `schemas/1.5.1` against `schemas/1.7.1`.

Every expected change below was worked out by reading the two folders side by side (see
schemas/README.md for what the versions differ in). A change to a keyword points at the
subschema that contains the keyword, and the change's `keyword` field names the keyword.
A pointer is null on the side where the changed node does not exist.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import checker
from checker.cli import main
from checker.model import Direction, Mode, Severity

REPOSITORY = Path(__file__).resolve().parents[1]
OLD = "schemas/1.5.1"
NEW = "schemas/1.7.1"

FORWARD = frozenset({Direction.FORWARD})
BOTH = frozenset(Direction)
NONE: frozenset[Direction] = frozenset()

DEPLOYMENT_STATUS_ADDED = ("preflights-failed", "teardown-failed", "teardown-required")

#: (rule, document, old pointer, new pointer, old value, new value, directions broken, named type)
EXPECTED = {
    # DeploymentStatus gained three values. Its own document has the enum at the root.
    *(("enum-value-added", "deploymentStatus.json", "", "", None, value, FORWARD, "DeploymentStatus")
      for value in DEPLOYMENT_STATUS_ADDED),
    # The same three values in the copy of DeploymentStatus inlined as AgentStatus.status.
    *(("enum-value-added", "agentStatus.json", "/properties/status", "/properties/status", None, value, FORWARD, "DeploymentStatus")
      for value in DEPLOYMENT_STATUS_ADDED),
    # ResourceStatus gained one value, between delete-failed and deleted.
    ("enum-value-added", "resourceStatus.json", "", "", None, "teardown-required", FORWARD, "ResourceStatus"),
    # The default of AlienError.internal went from false to true, so an omitted value now means the opposite.
    ("default-changed", "alienError.json", "/properties/internal", "/properties/internal", False, True, BOTH, "AlienError"),
    # StackImportRequest gained an optional property, and the object is open (no additionalProperties).
    # The property is absent from the old version, so the old pointer is null.
    ("property-added", "stackImportRequest.json", None, "/properties/setupMetadata", None, "setupMetadata", NONE, "StackImportRequest"),
}

#: Each change's severity under each mode, keyed by rule.
SEVERITIES = {
    # An added enum value breaks only forward.
    Mode.FULL: {"enum-value-added": Severity.BREAKING, "default-changed": Severity.BREAKING, "property-added": Severity.ADDITIVE},
    Mode.BACKWARD: {"enum-value-added": Severity.ADDITIVE, "default-changed": Severity.BREAKING, "property-added": Severity.ADDITIVE},
    Mode.FORWARD: {"enum-value-added": Severity.BREAKING, "default-changed": Severity.BREAKING, "property-added": Severity.ADDITIVE},
}

EXPECTED_TEXT = """\
schemas/1.5.1 -> schemas/1.7.1 (mode: full)

AlienError
  in alienError.json
  breaking             default-changed: /properties/internal: default changed from false to true; an omitted value now means true [breaks backward, forward]

DeploymentStatus
  in deploymentStatus.json
     agentStatus.json at /properties/status
  breaking             enum-value-added: accepts a new value "preflights-failed"; old readers reject it [breaks forward]
  breaking             enum-value-added: accepts a new value "teardown-failed"; old readers reject it [breaks forward]
  breaking             enum-value-added: accepts a new value "teardown-required"; old readers reject it [breaks forward]

ResourceStatus
  in resourceStatus.json
  breaking             enum-value-added: accepts a new value "teardown-required"; old readers reject it [breaks forward]

StackImportRequest
  in stackImportRequest.json
  additive             property-added: /properties/setupMetadata: property "setupMetadata" added

9 changes: 8 breaking, 0 potentially breaking, 1 additive, 0 cosmetic
"""


@pytest.fixture
def in_repository(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, so that sources are named as the README names them."""
    monkeypatch.chdir(REPOSITORY)
    return REPOSITORY


def compare_example(mode: Mode = Mode.FULL) -> checker.Report:
    return checker.compare_paths(REPOSITORY / OLD, REPOSITORY / NEW, mode)


def as_tuple(change: checker.Change) -> tuple[Any, ...]:
    return (change.rule, change.schema, change.old_pointer, change.new_pointer, change.old_value,
            change.new_value, change.breaks, change.type_name)


def test_example_exact_changes() -> None:
    changes = compare_example().changes

    found = [as_tuple(change) for change in changes]
    assert len(found) == len(set(found)), "a change is reported twice"
    assert set(found) == EXPECTED


@pytest.mark.parametrize("mode", list(Mode))
def test_example_severities(mode: Mode) -> None:
    changes = compare_example(mode).changes

    assert {(change.rule, change.severity) for change in changes} == set(SEVERITIES[mode].items())


def test_example_enum_additions_break_forward() -> None:
    changes = compare_example().changes

    enum_changes = [change for change in changes if change.rule == "enum-value-added"]
    assert len(enum_changes) == 7
    for change in enum_changes:
        assert change.breaks == FORWARD
        assert change.severity is Severity.BREAKING
        assert change.keyword == "enum"


def test_example_default_flip_breaks_both() -> None:
    changes = compare_example().changes

    (change,) = [change for change in changes if change.rule == "default-changed"]
    assert change.breaks == BOTH
    assert change.severity is Severity.BREAKING
    assert change.keyword == "default"


def test_example_no_respelling_reported() -> None:
    # commandsUrl is re-spelled from a type list to a oneOf with a null branch, and
    # stackImportRequest.json reorders keys and required names: none of it is a change.
    changes = compare_example().changes

    assert not [change for change in changes if "commandsUrl" in (change.new_pointer or "")]
    assert [change.rule for change in changes if change.schema == "stackImportRequest.json"] == ["property-added"]


@pytest.mark.parametrize(("mode", "exit_code"), [
    ("full", 1),      # the enum additions and the default flip are breaking
    ("backward", 1),  # the default flip changes meaning, which breaks in every mode
    ("forward", 1),   # the enum additions break forward
])
def test_example_exit_code(in_repository: Path, capsys: pytest.CaptureFixture[str], mode: str, exit_code: int) -> None:
    assert main([OLD, NEW, "--mode", mode]) == exit_code
    assert capsys.readouterr().err == ""


def test_example_text_report(in_repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main([OLD, NEW, "--no-color"])

    captured = capsys.readouterr()
    assert captured.out == EXPECTED_TEXT
    assert captured.err == ""
    assert code == 1


def test_example_json_report_matches(in_repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main([OLD, NEW, "--format", "json"])

    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["summary"] == {"breaking": 8, "potentially-breaking": 0, "additive": 1, "cosmetic": 0}
    found = {(change["rule"], change["schema"], change["old_pointer"], change["new_pointer"],
              json.dumps(change["old_value"]), json.dumps(change["new_value"])) for change in report["changes"]}
    expected = {(rule, schema, old_pointer, new_pointer, json.dumps(old_value), json.dumps(new_value))
                for rule, schema, old_pointer, new_pointer, old_value, new_value, _, _ in EXPECTED}
    assert found == expected


def test_example_version_names_from_root(in_repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # schemas/README.md: from the repository root, `schema-diff 1.5.1 1.7.1` names the version folders in ./schemas.
    code = main(["1.5.1", "1.7.1", "--format", "json"])

    captured = capsys.readouterr()
    assert captured.err == ""
    assert code == 1
    assert len(json.loads(captured.out)["changes"]) == len(EXPECTED)


def test_example_release_line_as_readme_quotes(in_repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The README quotes this line: the store's folder names are the versions, 1.5.1 to 1.7.1
    # is a minor release, and its 8 breaking changes (EXPECTED) need a major one.
    code = main(["1.5.1", "1.7.1", "--no-color"])

    last = capsys.readouterr().out.splitlines()[-1]
    assert code == 1
    assert last == "1.5.1 → 1.7.1 is a minor release; its 8 breaking changes require 2.0.0"
    assert f"`{last}`" in (in_repository / "README.md").read_text(encoding="utf-8")
