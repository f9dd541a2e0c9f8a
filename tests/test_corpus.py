"""Real releases of the alienplatform/alien schemas, compared through the command line.

The corpus sits beside the repository (`../shared/corpus`) and is never copied into it.
Every test here skips when it is absent. The expected changes were found by comparing the
JSON files of each pair directly, without schema-diff, and checked against the schemas by
hand. A change to a keyword points at the subschema that contains the keyword, and a pointer
is null on the side where the changed node does not exist.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
ALIEN = CORPUS / "alien"

PAIRS = [("v1.5.1", "v1.7.1"), ("v1.10.4", "v1.10.5"), ("v3.2.0", "v3.3.0"), ("v3.3.1", "v3.3.2")]

DEPLOYMENT_STATUS_ADDED = ("preflights-failed", "teardown-failed", "teardown-required")

#: Where DeploymentStatus is written out in 1.5.1 and 1.7.1: (document, subschema holding the enum).
DEPLOYMENT_STATUS_PLACES = [
    ("deploymentStatus.json", ""),
    ("agentStatus.json", "/properties/status"),
    ("devStatus.json", "/properties/agents/additionalProperties/properties/status"),
]

#: Where ResourceStatus is written out in 1.5.1 and 1.7.1. eventChange.json contains two copies.
RESOURCE_STATUS_PLACES = [
    ("resourceStatus.json", ""),
    ("stackResourceState.json", "/properties/status"),
    ("stackState.json", "/properties/resources/additionalProperties/properties/status"),
    ("stackImportResponse.json", "/properties/stackState/properties/resources/additionalProperties/properties/status"),
    ("alienEvent.json", "/oneOf/12/properties/nextState/properties/resources/additionalProperties/properties/status"),
    ("eventChange.json", "/oneOf/0/properties/event/oneOf/12/properties/nextState/properties/resources/additionalProperties/properties/status"),
    ("eventChange.json", "/oneOf/1/properties/event/oneOf/12/properties/nextState/properties/resources/additionalProperties/properties/status"),
]


def schemas_of(tag: str) -> Path:
    """The schema folder of one release, skipping the test when the corpus lacks it."""
    folder = ALIEN / tag / "schemas"
    if not folder.is_dir():
        pytest.skip(f"corpus release {tag} not found at {folder} (the corpus lives in ../shared/corpus)")
    return folder


def run_json(capsys: pytest.CaptureFixture[str], old_tag: str, new_tag: str, *options: str) -> tuple[int, dict[str, Any]]:
    """Compare two releases with `--format json` and return the exit code and the report."""
    code = main([str(schemas_of(old_tag)), str(schemas_of(new_tag)), "--format", "json", *options])
    captured = capsys.readouterr()
    assert captured.err == ""
    return code, json.loads(captured.out)


def run_text(capsys: pytest.CaptureFixture[str], old_tag: str, new_tag: str) -> tuple[int, str]:
    code = main([str(schemas_of(old_tag)), str(schemas_of(new_tag)), "--no-color"])
    captured = capsys.readouterr()
    assert captured.err == ""
    return code, captured.out


def resolve(document: Any, pointer: str) -> Any:
    """Follow an RFC 6901 JSON Pointer, raising LookupError when it leads nowhere."""
    if pointer == "":
        return document
    assert pointer.startswith("/"), f"not a JSON Pointer: {pointer!r}"
    node = document
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            if not token.isdigit() or int(token) >= len(node):
                raise LookupError(f"{pointer!r}: no item {token!r}")
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            raise LookupError(f"{pointer!r}: no key {token!r}")
    return node


def document_names(tag: str) -> set[str]:
    return {path.relative_to(schemas_of(tag)).as_posix() for path in schemas_of(tag).rglob("*.json")}


def summarise(changes: list[dict[str, Any]], *keys: str) -> list[tuple[Any, ...]]:
    return sorted((tuple(json.dumps(change[key]) for key in keys) for change in changes))


def rows(*tuples: tuple[Any, ...]) -> list[tuple[str, ...]]:
    return sorted(tuple(json.dumps(value) for value in row) for row in tuples)


# 1.5.1 -> 1.7.1 -------------------------------------------------------------------------------

def test_1_5_1_to_1_7_1_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_json(capsys, "v1.5.1", "v1.7.1")

    keys = ("rule", "schema", "old_pointer", "new_pointer", "old_value", "new_value")
    expected = rows(
        *(("enum-value-added", schema, pointer, pointer, None, value)
          for schema, pointer in DEPLOYMENT_STATUS_PLACES for value in DEPLOYMENT_STATUS_ADDED),
        *(("enum-value-added", schema, pointer, pointer, None, "teardown-required")
          for schema, pointer in RESOURCE_STATUS_PLACES),
        # StackImportRequest is an open object, so the new optional property is additive.
        ("property-added", "stackImportRequest.json", None, "/properties/setupMetadata", None, "setupMetadata"),
    )
    assert len(report["changes"]) == 17
    assert summarise(report["changes"], *keys) == expected
    assert len({change["schema"] for change in report["changes"] if change["rule"] == "enum-value-added"}) == 9
    assert code == 1


def test_1_5_1_to_1_7_1_full_mode(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_json(capsys, "v1.5.1", "v1.7.1", "--mode", "full")

    by_rule = {(change["rule"], change["severity"], tuple(change["breaks"])) for change in report["changes"]}
    assert by_rule == {("enum-value-added", "breaking", ("forward",)), ("property-added", "additive", ())}
    assert report["summary"] == {"breaking": 16, "potentially-breaking": 0, "additive": 1, "cosmetic": 0}
    assert code == 1


def test_1_5_1_to_1_7_1_backward_mode(capsys: pytest.CaptureFixture[str]) -> None:
    # Added enum values break only forward, which backward mode does not protect.
    code, report = run_json(capsys, "v1.5.1", "v1.7.1", "--mode", "backward")

    assert report["summary"] == {"breaking": 0, "potentially-breaking": 0, "additive": 17, "cosmetic": 0}
    assert code == 0


def test_1_5_1_to_1_7_1_text_groups(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run_text(capsys, "v1.5.1", "v1.7.1")

    lines = text.splitlines()
    assert [line for line in lines if line.startswith("DeploymentStatus")] == ["DeploymentStatus"]
    assert [line for line in lines if line.startswith("ResourceStatus")] == ["ResourceStatus"]
    for schema, pointer in DEPLOYMENT_STATUS_PLACES + RESOURCE_STATUS_PLACES:
        place = f"{schema} at {pointer}" if pointer else schema
        assert f" {place}\n" in text, f"{place} is not listed"
    # One line per added value and named type, not one per copy of the type.
    assert len([line for line in lines if "enum-value-added" in line]) == 4
    assert len([line for line in lines if 'accepts a new value "teardown-required"' in line]) == 2
    assert lines[-1] == "17 changes: 16 breaking, 0 potentially breaking, 1 additive, 0 cosmetic"
    assert code == 1


# 1.10.4 -> 1.10.5 -----------------------------------------------------------------------------

def test_1_10_4_to_1_10_5_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_json(capsys, "v1.10.4", "v1.10.5")

    keys = ("rule", "schema", "old_pointer", "new_pointer", "old_value", "new_value", "breaks")
    # Each root object stopped requiring publicEndpoints, which old readers still require.
    expected = rows(*(("required-removed", schema, "", "", "publicEndpoints", None, ["forward"])
                      for schema in ("container.json", "daemon.json", "worker.json")))
    assert summarise(report["changes"], *keys) == expected
    assert code == 1


# 3.2.0 -> 3.3.0 -------------------------------------------------------------------------------

def test_3_2_0_to_3_3_0_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_json(capsys, "v3.2.0", "v3.3.0")

    added_documents = document_names("v3.3.0") - document_names("v3.2.0")
    assert len(added_documents) == 8
    expected = rows(
        *(("schema-added", schema, None, "") for schema in added_documents),
        # The tagged union of heartbeat data gained its 21st variant, resourceType "ai",
        # in its own document and where it is inlined as ResourceHeartbeat.data.
        ("variant-added", "resourceHeartbeat.json", None, "/properties/data/oneOf/20"),
        ("variant-added", "resourceHeartbeatData.json", None, "/oneOf/20"),
    )
    assert summarise(report["changes"], "rule", "schema", "old_pointer", "new_pointer") == expected
    assert code == 1


def test_3_2_0_to_3_3_0_variant_is_ai(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = run_json(capsys, "v3.2.0", "v3.3.0")

    variants = [change for change in report["changes"] if change["rule"] == "variant-added"]
    assert len(variants) == 2
    for change in variants:
        document = json.loads((schemas_of("v3.3.0") / change["schema"]).read_text(encoding="utf-8"))
        branch = resolve(document, change["new_pointer"])
        assert branch["properties"]["resourceType"]["enum"] == ["ai"]
        assert "ai" in json.dumps(change["new_value"])
        assert change["breaks"] == ["forward"]


# 3.3.1 -> 3.3.2 -------------------------------------------------------------------------------

def test_3_3_1_to_3_3_2_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_json(capsys, "v3.3.1", "v3.3.2")

    added_documents = document_names("v3.3.2") - document_names("v3.3.1")
    removed_documents = document_names("v3.3.1") - document_names("v3.3.2")
    assert len(added_documents) == 6
    assert removed_documents == {"remoteBindingsAccessOutputs.json"}
    keys = ("rule", "schema", "old_pointer", "new_pointer", "old_value", "breaks")
    expected = rows(
        *(("schema-added", schema, None, "", None, []) for schema in added_documents),
        # A removed document breaks everyone who validates against it.
        ("schema-removed", "remoteBindingsAccessOutputs.json", "", None, None, ["backward", "forward"]),
        # Optional properties removed from open objects: valid either way, readers lose a field.
        ("property-removed", "awsRemoteStackManagementImportData.json", "/properties/remoteBindingsRoleArn", None, "remoteBindingsRoleArn", []),
        ("property-removed", "azureRemoteStackManagementImportData.json", "/properties/remoteBindingsClientId", None, "remoteBindingsClientId", []),
        ("property-removed", "azureRemoteStackManagementImportData.json", "/properties/remoteBindingsIdentityId", None, "remoteBindingsIdentityId", []),
        ("property-removed", "gcpRemoteStackManagementImportData.json", "/properties/remoteBindingsServiceAccountEmail", None, "remoteBindingsServiceAccountEmail", []),
        # RemoteStackManagementOutputs has additionalProperties: false, so old data that has
        # the property is now rejected.
        ("property-removed", "remoteStackManagementOutputs.json", "/properties/remoteBindingsAccess", None, "remoteBindingsAccess", ["backward"]),
    )
    assert summarise(report["changes"], *keys) == expected
    assert report["summary"] == {"breaking": 2, "potentially-breaking": 4, "additive": 6, "cosmetic": 0}
    assert code == 1


# Every pair -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("old_tag", "new_tag"), PAIRS)
def test_pointers_resolve(capsys: pytest.CaptureFixture[str], old_tag: str, new_tag: str) -> None:
    _, report = run_json(capsys, old_tag, new_tag)

    assert report["changes"]
    for change in report["changes"]:
        for side, tag in (("old", old_tag), ("new", new_tag)):
            pointer = change[f"{side}_pointer"]
            if pointer is None:
                continue
            document = json.loads((schemas_of(tag) / change["schema"]).read_text(encoding="utf-8"))
            try:
                resolve(document, pointer)
            except LookupError as error:
                pytest.fail(f"{change['rule']} in {change['schema']}: {side}_pointer does not resolve: {error}")
