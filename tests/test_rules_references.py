"""Per-rule table for `$ref`: local, recursive, cross-document and remote references."""

from __future__ import annotations

import json
import socket

import pytest
from helpers import (
    A,
    B,
    C,
    DOCUMENT,
    P,
    assert_no_changes,
    assert_one_change,
    assert_set_verdicts,
    changes_between,
    compare_sets,
    describe,
    draft7,
)

import checker
from checker.model import Mode

S = {"type": "string"}
I = {"type": "integer"}  # noqa: E741
REMOTE = "https://schemas.example.com/common.json"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any attempt to open a connection, so that a fetched remote reference shows up as an error."""

    def refuse(*args, **kwargs):
        raise AssertionError("schema-diff tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def ref(name):
    return {"$ref": f"#/$defs/{name}"}


VERDICT_ROWS = [
    # --- local references ---
    # The definition two properties refer to changed kind: one change, at the definition.
    pytest.param({DOCUMENT: {"properties": {"a": ref("X"), "b": ref("X")}, "$defs": {"X": S}}},
                 {DOCUMENT: {"properties": {"a": ref("X"), "b": ref("X")}, "$defs": {"X": I}}},
                 "type-changed", "both", (B, B, B), "/$defs/X", "/$defs/X", id="defs"),
    # Draft 7 keeps definitions under `definitions`: a value removed from the referred enum.
    pytest.param({DOCUMENT: draft7({"properties": {"a": {"$ref": "#/definitions/X"}}, "definitions": {"X": {"enum": [1, 2]}}})},
                 {DOCUMENT: draft7({"properties": {"a": {"$ref": "#/definitions/X"}}, "definitions": {"X": {"enum": [1]}}})},
                 "enum-value-removed", "backward", (B, B, P), "/definitions/X", "/definitions/X", id="definitions"),
    # A definition reached from properties, items and a union alike is reported once.
    pytest.param({DOCUMENT: {"properties": {"a": ref("X"), "b": {"items": ref("X")}, "c": {"anyOf": [ref("X"), I]}},
                             "$defs": {"X": {"type": "string", "maxLength": 5}}}},
                 {DOCUMENT: {"properties": {"a": ref("X"), "b": {"items": ref("X")}, "c": {"anyOf": [ref("X"), I]}},
                             "$defs": {"X": {"type": "string", "maxLength": 3}}}},
                 "bound-tightened", "backward", (B, B, P), "/$defs/X", "/$defs/X", id="many-references-reported-once"),
    # A chain of references: the change is in the last definition and reported there once.
    pytest.param({DOCUMENT: {"properties": {"a": ref("X"), "b": ref("Y")}, "$defs": {"X": ref("Y"), "Y": {"minimum": 0}}}},
                 {DOCUMENT: {"properties": {"a": ref("X"), "b": ref("Y")}, "$defs": {"X": ref("Y"), "Y": {"minimum": 1}}}},
                 "bound-tightened", "backward", (B, B, P), "/$defs/Y", "/$defs/Y", id="reference-chain"),

    # --- recursion ---
    # A tree that refers to its own root with "#": the walk ends, and the changed leaf is reported once.
    pytest.param({DOCUMENT: {"type": "object", "properties": {"name": S, "children": {"type": "array", "items": {"$ref": "#"}}}}},
                 {DOCUMENT: {"type": "object", "properties": {"name": I, "children": {"type": "array", "items": {"$ref": "#"}}}}},
                 "type-changed", "both", (B, B, B), "/properties/name", "/properties/name", id="root-recursion"),
    # Two definitions that refer to each other: the walk ends, and the change is reported once.
    pytest.param({DOCUMENT: {"$ref": "#/$defs/A",
                             "$defs": {"A": {"properties": {"b": ref("B"), "v": S}}, "B": {"properties": {"a": ref("A"), "w": S}}}}},
                 {DOCUMENT: {"$ref": "#/$defs/A",
                             "$defs": {"A": {"properties": {"b": ref("B"), "v": S}}, "B": {"properties": {"a": ref("A"), "w": I}}}}},
                 "type-changed", "both", (B, B, B), "/$defs/B/properties/w", "/$defs/B/properties/w", id="mutual-recursion"),
    # A root that is only a `$ref`: a definition reached through another definition changed.
    pytest.param({DOCUMENT: {"$ref": "#/$defs/A", "$defs": {"A": {"properties": {"w": ref("B")}}, "B": S}}},
                 {DOCUMENT: {"$ref": "#/$defs/A", "$defs": {"A": {"properties": {"w": ref("B")}}, "B": I}}},
                 "type-changed", "both", (B, B, B), "/$defs/B", "/$defs/B", id="root-reference-nested-definition"),
    # The same in draft 7, where a root `$ref` beside `definitions` is the usual generated layout.
    pytest.param({DOCUMENT: draft7({"$ref": "#/definitions/A",
                                    "definitions": {"A": {"properties": {"w": {"$ref": "#/definitions/B"}}}, "B": S}})},
                 {DOCUMENT: draft7({"$ref": "#/definitions/A",
                                    "definitions": {"A": {"properties": {"w": {"$ref": "#/definitions/B"}}}, "B": I}})},
                 "type-changed", "both", (B, B, B), "/definitions/B", "/definitions/B", id="draft7-root-reference-nested-definition"),
    # A root that is only a `$ref` gains a definition: nothing refers to it yet.
    pytest.param({DOCUMENT: {"$ref": "#/$defs/A", "$defs": {"A": S}}}, {DOCUMENT: {"$ref": "#/$defs/A", "$defs": {"A": S, "C": I}}},
                 "definition-added", "none", (A, A, A), None, "/$defs/C", id="root-reference-definition-added"),

    # A reference retargeted from one definition to another with other content: judged between the two.
    pytest.param({DOCUMENT: {"properties": {"a": ref("X")}, "$defs": {"X": S, "Y": I}}},
                 {DOCUMENT: {"properties": {"a": ref("Y")}, "$defs": {"X": S, "Y": I}}},
                 "type-changed", "both", (B, B, B), "/$defs/X", "/$defs/Y", id="reference-retargeted"),

    # --- references between documents of the same folder ---
    # a.json refers into b.json, whose definition changed: one change, in b.json.
    pytest.param({"a.json": {"properties": {"x": {"$ref": "b.json#/$defs/X"}}}, "b.json": {"$defs": {"X": S}}},
                 {"a.json": {"properties": {"x": {"$ref": "b.json#/$defs/X"}}}, "b.json": {"$defs": {"X": I}}},
                 "type-changed", "both", (B, B, B), "/$defs/X", "/$defs/X", id="cross-document"),
    # a.json refers to b.json by the absolute `$id` b.json declares: it resolves inside the set, never remotely.
    pytest.param({"a.json": {"properties": {"x": {"$ref": "https://example.com/b.json#/$defs/X"}}},
                  "b.json": {"$id": "https://example.com/b.json", "$defs": {"X": S}}},
                 {"a.json": {"properties": {"x": {"$ref": "https://example.com/b.json#/$defs/X"}}},
                  "b.json": {"$id": "https://example.com/b.json", "$defs": {"X": I}}},
                 "type-changed", "both", (B, B, B), "/$defs/X", "/$defs/X", id="cross-document-by-id"),
    # a.json refers to the whole of b.json with a ./ path: a value added there, reported once.
    pytest.param({"a.json": {"items": {"$ref": "./b.json"}}, "b.json": {"enum": ["x"]}},
                 {"a.json": {"items": {"$ref": "./b.json"}}, "b.json": {"enum": ["x", "y"]}},
                 "enum-value-added", "forward", (B, A, B), "", "", id="cross-document-whole"),

    # --- renamed and inlined references ---
    # The definition is renamed with the same content and the reference follows it: validation is the same.
    pytest.param({DOCUMENT: {"properties": {"a": ref("Old")}, "$defs": {"Old": S}}},
                 {DOCUMENT: {"properties": {"a": ref("New")}, "$defs": {"New": S}}},
                 "definition-renamed", "none", (C, C, C), "/$defs/Old", "/$defs/New", id="definition-renamed"),
    # The reference is inlined and its definition dropped: nothing in the set uses it, but schemas outside may.
    pytest.param({DOCUMENT: {"properties": {"a": ref("X")}, "$defs": {"X": S}}}, {DOCUMENT: {"properties": {"a": S}}},
                 "definition-removed", "none", (P, P, P), "/$defs/X", None, id="inlined-and-definition-dropped"),
    # A referenced definition replaced by inline content that differs: the change is judged between the two.
    pytest.param({DOCUMENT: {"properties": {"a": ref("X"), "b": ref("X")}, "$defs": {"X": S}}},
                 {DOCUMENT: {"properties": {"a": I, "b": ref("X")}, "$defs": {"X": S}}},
                 "type-changed", "both", (B, B, B), "/$defs/X", "/properties/a", id="inlined-with-other-content"),

    # --- remote references, never fetched ---
    # The remote target changed and cannot be judged without fetching it.
    pytest.param({DOCUMENT: {"properties": {"a": {"$ref": REMOTE + "#/$defs/A"}}}},
                 {DOCUMENT: {"properties": {"a": {"$ref": REMOTE + "#/$defs/B"}}}},
                 "remote-ref-changed", "none", (P, P, P), "/properties/a", "/properties/a", id="remote-changed"),
    # A remote reference replaced by a local schema: what it replaced is unknown.
    pytest.param({DOCUMENT: {"properties": {"a": {"$ref": REMOTE}}}}, {DOCUMENT: {"properties": {"a": S}}},
                 "remote-ref-changed", "none", (P, P, P), "/properties/a", "/properties/a", id="remote-to-local"),
    # A local schema replaced by a remote reference.
    pytest.param({DOCUMENT: {"properties": {"a": S}}}, {DOCUMENT: {"properties": {"a": {"$ref": REMOTE}}}},
                 "remote-ref-changed", "none", (P, P, P), "/properties/a", "/properties/a", id="local-to-remote"),
]


@pytest.mark.parametrize(("old", "new", "rule", "breaks", "severities", "old_pointer", "new_pointer"), VERDICT_ROWS)
def test_reference_rule_verdict(old, new, rule, breaks, severities, old_pointer, new_pointer):
    change = assert_set_verdicts(old, new, rule, breaks, severities)

    assert change.old_pointer == old_pointer
    assert change.new_pointer == new_pointer


def test_cross_document_change_names_target_document():
    # The change is in b.json, so the report names b.json, not the document that refers to it.
    old = {"a.json": {"properties": {"x": {"$ref": "b.json#/$defs/X"}}}, "b.json": {"$defs": {"X": S}}}
    new = {"a.json": {"properties": {"x": {"$ref": "b.json#/$defs/X"}}}, "b.json": {"$defs": {"X": I}}}

    changes = compare_sets(old, new).changes

    assert [change.schema for change in changes] == ["b.json"], describe(changes)


NO_CHANGE_ROWS = [
    # One of two references inlined with the same content, the definition kept: validation is the same.
    pytest.param({"properties": {"a": ref("X"), "b": ref("X")}, "$defs": {"X": S}},
                 {"properties": {"a": S, "b": ref("X")}, "$defs": {"X": S}}, id="reference-inlined"),
    # Inline content moved into a definition and referred to: the reverse of inlining.
    pytest.param({"properties": {"a": S}, "$defs": {"X": S}}, {"properties": {"a": ref("X")}, "$defs": {"X": S}},
                 id="inline-moved-to-reference"),
    # The same content reached under a definition of another name, both kept.
    pytest.param({"properties": {"a": ref("X")}, "$defs": {"X": S, "Y": S}}, {"properties": {"a": ref("Y")}, "$defs": {"X": S, "Y": S}},
                 id="reference-to-equal-definition"),
    # Draft 7 ignores every keyword beside `$ref`, so changing one changes no validation.
    pytest.param(draft7({"properties": {"a": {"$ref": "#/definitions/X", "maxLength": 5}}, "definitions": {"X": S}}),
                 draft7({"properties": {"a": {"$ref": "#/definitions/X", "maxLength": 3}}, "definitions": {"X": S}}),
                 id="draft7-keyword-beside-ref"),
    # Recursion through "#" with only the keys reordered.
    pytest.param({"type": "object", "properties": {"children": {"items": {"$ref": "#"}}, "name": S}},
                 {"properties": {"name": S, "children": {"items": {"$ref": "#"}}}, "type": "object"}, id="recursion-reordered"),
]


@pytest.mark.parametrize(("old", "new"), NO_CHANGE_ROWS)
def test_reference_respelling_no_change(old, new):
    assert_no_changes(old, new)


def test_unchanged_remote_reference_reports_nothing():
    # The remote reference is the same on both sides; only the description beside it changed.
    old = {"description": "v1", "properties": {"a": {"$ref": REMOTE}}}
    new = {"description": "v2", "properties": {"a": {"$ref": REMOTE}}}

    changes = changes_between(old, new)

    assert_one_change(changes, "description-changed", "none", C)


def mapped_common():
    """The local stand-in for the remote document: A is a string, B an integer."""
    documents = checker.load_mapping("mapped", {"common.json": {"$defs": {"A": S, "B": I}}})
    return documents.documents["common.json"]


def test_ref_map_judges_remote_target():
    # Mapped to a local file, the remote reference is followed: A (string) became B (integer).
    old = {DOCUMENT: {"properties": {"a": {"$ref": REMOTE + "#/$defs/A"}}}}
    new = {DOCUMENT: {"properties": {"a": {"$ref": REMOTE + "#/$defs/B"}}}}

    change = assert_set_verdicts(old, new, "type-changed", "both", (B, B, B), ref_map={REMOTE: mapped_common()})

    assert change.old_pointer == "/$defs/A"
    assert change.new_pointer == "/$defs/B"


def test_ref_map_same_target_reports_nothing():
    # The mapped target is the same on both sides, so only the description changed.
    old = {DOCUMENT: {"description": "v1", "properties": {"a": {"$ref": REMOTE + "#/$defs/A"}}}}
    new = {DOCUMENT: {"description": "v2", "properties": {"a": {"$ref": REMOTE + "#/$defs/A"}}}}

    changes = compare_sets(old, new, ref_map={REMOTE: mapped_common()}).changes

    assert_one_change(changes, "description-changed", "none", C)


def write_json(path, contents):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(contents), encoding="utf-8")


def test_compare_paths_ref_map_file(tmp_path):
    # The same remote change as above, read from files with --ref-map given as {uri: path}.
    write_json(tmp_path / "old" / "schema.json", {"properties": {"a": {"$ref": REMOTE + "#/$defs/A"}}})
    write_json(tmp_path / "new" / "schema.json", {"properties": {"a": {"$ref": REMOTE + "#/$defs/B"}}})
    write_json(tmp_path / "mapped" / "common.json", {"$defs": {"A": S, "B": I}})

    report = checker.compare_paths(tmp_path / "old", tmp_path / "new", Mode.BACKWARD,
                                   ref_map={REMOTE: tmp_path / "mapped" / "common.json"})

    assert_one_change(report.changes, "type-changed", "both", B)


def test_compare_paths_ref_map_folder(tmp_path):
    # A folder maps a URI prefix: common.json under it stands for REMOTE.
    write_json(tmp_path / "old" / "schema.json", {"properties": {"a": {"$ref": REMOTE + "#/$defs/A"}}})
    write_json(tmp_path / "new" / "schema.json", {"properties": {"a": {"$ref": REMOTE + "#/$defs/B"}}})
    write_json(tmp_path / "mapped" / "common.json", {"$defs": {"A": S, "B": {"type": ["string", "null"]}}})

    report = checker.compare_paths(tmp_path / "old", tmp_path / "new", Mode.FORWARD,
                                   ref_map={"https://schemas.example.com/": tmp_path / "mapped"})

    # A string became a nullable string: old readers reject null, and forward mode protects them.
    assert_one_change(report.changes, "type-widened", "forward", B)


def test_compare_paths_without_ref_map(tmp_path):
    # Without a mapping the same files give only the unjudged remote change.
    write_json(tmp_path / "old" / "schema.json", {"properties": {"a": {"$ref": REMOTE + "#/$defs/A"}}})
    write_json(tmp_path / "new" / "schema.json", {"properties": {"a": {"$ref": REMOTE + "#/$defs/B"}}})

    report = checker.compare_paths(tmp_path / "old", tmp_path / "new")

    assert_one_change(report.changes, "remote-ref-changed", "none", P)
