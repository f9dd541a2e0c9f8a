"""Witnesses: an instance that shows each breaking change, confirmed by jsonschema on both sides.

Each table row gives two versions of one schema, the rule of the breaking change between
them, the direction its witness must show, and the instance worked out by hand. That
instance is the minimal valid instance of the accepting version: required properties only,
the first `enum` value, "x" for a string, 0 for a number, and null where nothing constrains
the value. The value that shows the change is placed where the change is. Where the
value depends on which of several equally good probes is tried first, the row gives
SOME_INSTANCE and only the validation facts are checked.

Every test validates each witness itself with jsonschema, apart from the module under test:
valid under the version named by `valid_in`, invalid under the one named by `rejected_by`.
`format` is asserted in these checks, as schema-diff judges it as an assertion.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from helpers import DOCUMENT, draft4, draft7
from referencing import Registry, Resource

import checker
from checker.model import Change, Mode, Severity
from checker.witness import DEFAULT_CHANGED, attach_witnesses

REPOSITORY = Path(__file__).resolve().parents[1]
ALIEN = REPOSITORY.parent / "shared" / "corpus" / "alien"

#: Marks a row whose exact instance is not worked out by hand; only the validation facts are checked.
SOME_INSTANCE = object()

BACKWARD = ("old", "new")
FORWARD = ("new", "old")

STRING = {"type": "string"}


def props(required: list[str] | None = None, **properties: Any) -> dict[str, Any]:
    """An object schema with the given properties (and required names)."""
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required is not None:
        schema["required"] = required
    return schema


def tagged(*tags: str) -> dict[str, Any]:
    """A tagged union: one variant per tag, each requiring `type` with that one value and a field of its own."""
    return {"oneOf": [props(["type", tag.lower()], type={"enum": [tag]}, **{tag.lower(): {"type": "integer"}}) for tag in tags]}


WITNESS_ROWS = [
    # --- values ---
    # The added value "c" in the required property is what old readers reject.
    pytest.param(props(["status"], status={"enum": ["a", "b"]}), props(["status"], status={"enum": ["a", "b", "c"]}),
                 "enum-value-added", FORWARD, {"status": "c"}, id="enum-value-added"),
    # Old data may carry the removed value "c", which the new list rejects.
    pytest.param(props(["status"], status={"enum": ["a", "b", "c"]}), props(["status"], status={"enum": ["a", "b"]}),
                 "enum-value-removed", BACKWARD, {"status": "c"}, id="enum-value-removed"),
    # Each side accepts only its own constant; backward is preferred, so the old constant "a".
    pytest.param(props(k={"const": "a"}), props(k={"const": "b"}), "const-changed", BACKWARD, {"k": "a"}, id="const-changed"),
    # Any value other than "a" shows it; which probe comes first is not fixed here.
    pytest.param(STRING, {"type": "string", "const": "a"}, "const-added", BACKWARD, SOME_INSTANCE, id="const-added"),
    # Any string outside the old list shows it.
    pytest.param({"type": "string", "enum": ["a"]}, STRING, "enum-constraint-removed", FORWARD, SOME_INSTANCE,
                 id="enum-constraint-removed"),
    # An enum value added inside `not` breaks backward: "b" was accepted and is now excluded.
    pytest.param({"not": {"enum": ["a"]}}, {"not": {"enum": ["a", "b"]}}, "enum-value-added", BACKWARD, "b",
                 id="enum-value-added-inside-not"),
    # The enum value reached through `$ref` into `$defs`: the route follows the reference from property s.
    pytest.param({"$defs": {"S": {"enum": ["a", "b"]}}, **props(s={"$ref": "#/$defs/S"})},
                 {"$defs": {"S": {"enum": ["a", "b", "c"]}}, **props(s={"$ref": "#/$defs/S"})},
                 "enum-value-added", FORWARD, {"s": "c"}, id="enum-value-added-behind-ref"),
    # The value reached through an `$anchor`.
    pytest.param({**props(s={"$ref": "#kind"}), "$defs": {"K": {"$anchor": "kind", "enum": ["a"]}}},
                 {**props(s={"$ref": "#kind"}), "$defs": {"K": {"$anchor": "kind", "enum": ["a", "b"]}}},
                 "enum-value-added", FORWARD, {"s": "b"}, id="enum-value-added-behind-anchor"),
    # The items of an array: one item carrying the new value.
    pytest.param({"type": "array", "items": {"enum": ["a"]}}, {"type": "array", "items": {"enum": ["a", "b"]}},
                 "enum-value-added", FORWARD, ["b"], id="enum-value-added-in-items"),
    # Draft 4 tuple: the first item is the minimal string, the second carries the new value 2.
    pytest.param(draft4({"type": "array", "items": [STRING, {"enum": [1]}]}), draft4({"type": "array", "items": [STRING, {"enum": [1, 2]}]}),
                 "enum-value-added", FORWARD, ["x", 2], id="enum-value-added-in-draft4-tuple"),
    # In an `allOf` member: the other member requires n, whose minimal value is its minimum 3.
    pytest.param({"allOf": [props(["t"], t={"enum": ["a"]}), {"required": ["n"], "properties": {"n": {"type": "integer", "minimum": 3}}}]},
                 {"allOf": [props(["t"], t={"enum": ["a", "b"]}), {"required": ["n"], "properties": {"n": {"type": "integer", "minimum": 3}}}]},
                 "enum-value-added", FORWARD, {"n": 3, "t": "b"}, id="enum-value-added-in-all-of"),

    # o's minimal value {"z": null} is built once and reused for the second candidate, so
    # the reused copy must still have its unconstrained value turned into null.
    pytest.param(props(["o", "n"], o={"type": "object", "required": ["z"]}, n={"type": "integer"}),
                 props(["o", "n"], o={"type": "object", "required": ["z"]}, n={"type": "number"}),
                 "type-widened", FORWARD, {"o": {"z": None}, "n": 0.5}, id="reused-value-with-unconstrained-part"),

    # null matches both branches of d's `oneOf`, so the oneOf rejects it; false matches only
    # the branch that accepts anything.
    pytest.param(props(["d", "e"], d={"oneOf": [{"type": "null"}, {}]}, e={"enum": ["a"]}),
                 props(["d", "e"], d={"oneOf": [{"type": "null"}, {}]}, e={"enum": ["a", "b"]}),
                 "enum-value-added", FORWARD, {"d": False, "e": "b"}, id="value-matching-one-branch-only"),

    # --- types ---
    # An integer is now accepted beside strings; the minimal integer is 0.
    pytest.param(props(n=STRING), props(n={"type": ["string", "integer"]}), "type-widened", FORWARD, {"n": 0}, id="type-widened"),
    # Becoming nullable: null is what old readers reject.
    pytest.param(props(n=STRING), props(n={"type": ["string", "null"]}), "type-widened", FORWARD, {"n": None}, id="type-null-added"),
    # Nullable spelled as a `oneOf` with a null branch.
    pytest.param(props(n=STRING), props(n={"oneOf": [{"type": "null"}, STRING]}), "type-widened", FORWARD, {"n": None},
                 id="type-null-branch-added"),
    # Old data may hold an integer.
    pytest.param(props(n={"type": ["string", "integer"]}), props(n=STRING), "type-narrowed", BACKWARD, {"n": 0}, id="type-narrowed"),
    # Old data may be null.
    pytest.param({"anyOf": [STRING, {"type": "null"}]}, STRING, "type-narrowed", BACKWARD, None, id="type-null-removed"),
    # Both directions break; backward is preferred, so an old string.
    pytest.param(props(n=STRING), props(n={"type": "integer"}), "type-changed", BACKWARD, {"n": "x"}, id="type-changed"),
    # Every integer is a number, so the witness must be a fraction; 0.5 is the sample number.
    pytest.param({"type": "integer"}, {"type": "number"}, "type-widened", FORWARD, 0.5, id="integer-to-number"),

    # --- objects ---
    # The minimal old instance has a only, and the new version requires b.
    pytest.param(props(["a"], a=STRING, b=STRING), props(["a", "b"], a=STRING, b=STRING), "required-added", BACKWARD, {"a": "x"},
                 id="required-added"),
    # The minimal new instance lacks b, which old readers still require.
    pytest.param(props(["a", "b"], a=STRING, b=STRING), props(["a"], a=STRING, b=STRING), "required-removed", FORWARD, {"a": "x"},
                 id="required-removed"),
    # b is no longer required; the `allOf` member still requires a, which the schema
    # around it declares as a string.
    pytest.param(props(["a", "b"], a=STRING, b=STRING), {**props(a=STRING, b=STRING), "allOf": [{"required": ["a"]}]},
                 "required-removed", FORWARD, {"a": "x"}, id="required-moved-into-all-of"),
    # A closed object gained b: an instance that has it is rejected by old readers.
    pytest.param({**props(a=STRING), "additionalProperties": False}, {**props(a=STRING, b=STRING), "additionalProperties": False},
                 "property-added", FORWARD, {"b": "x"}, id="property-added-closed"),
    # A closed object lost b: old data that has it is rejected.
    pytest.param({**props(a=STRING, b=STRING), "additionalProperties": False}, {**props(a=STRING), "additionalProperties": False},
                 "property-removed", BACKWARD, {"b": "x"}, id="property-removed-closed"),
    # An undeclared property: its name is the module's choice, so only the facts are checked.
    pytest.param(props(a=STRING), {**props(a=STRING), "additionalProperties": False}, "additional-properties-closed", BACKWARD,
                 SOME_INSTANCE, id="additional-properties-closed"),
    # Old data may have a without b.
    pytest.param(props(a=STRING, b=STRING), {**props(a=STRING, b=STRING), "dependentRequired": {"a": ["b"]}},
                 "dependent-required-added", BACKWARD, {"a": "x"}, id="dependent-required-added"),
    # The property's subschema now rejects everything: any old value of a shows it.
    pytest.param(props(a=STRING), props(a=False), "subschema-forbidden", BACKWARD, {"a": "x"}, id="subschema-forbidden"),

    # --- bounds, patterns, formats ---
    # 0 is the old minimum and below the new one.
    pytest.param(props(n={"type": "integer", "minimum": 0}), props(n={"type": "integer", "minimum": 10}), "bound-tightened", BACKWARD,
                 {"n": 0}, id="minimum-raised"),
    # Six characters: over the old maximum 5, within the new 10.
    pytest.param(props(s={"type": "string", "maxLength": 5}), props(s={"type": "string", "maxLength": 10}), "bound-loosened", FORWARD,
                 {"s": "xxxxxx"}, id="max-length-raised"),
    # Three items: at the old maximum, over the new one; unconstrained items are null.
    pytest.param({"type": "array", "maxItems": 3}, {"type": "array", "maxItems": 1}, "bound-tightened", BACKWARD,
                 [None, None, None], id="max-items-lowered"),
    # One property is enough for the old minimum and too few for the new one.
    pytest.param({"type": "object", "minProperties": 1}, {"type": "object", "minProperties": 3}, "bound-tightened", BACKWARD,
                 SOME_INSTANCE, id="min-properties-raised"),
    # 2 is a multiple of the old step and not of the new one.
    pytest.param(props(n={"type": "integer", "multipleOf": 2}), props(n={"type": "integer", "multipleOf": 3}), "bound-changed", BACKWARD,
                 {"n": 2}, id="multiple-of-changed"),
    # Two equal items (both null) are now rejected.
    pytest.param({"type": "array"}, {"type": "array", "uniqueItems": True}, "bound-tightened", BACKWARD, [None, None], id="unique-items-added"),
    # Draft 4: the minimum 0 becomes exclusive, so 0 itself is the witness.
    pytest.param(draft4({"type": "number", "minimum": 0}), draft4({"type": "number", "minimum": 0, "exclusiveMinimum": True}),
                 "bound-tightened", BACKWARD, 0, id="draft4-minimum-made-exclusive"),
    # A property name of five characters: allowed before, too long now.
    pytest.param({"type": "object", "propertyNames": {"maxLength": 5}}, {"type": "object", "propertyNames": {"maxLength": 3}},
                 "bound-tightened", BACKWARD, {"xxxxx": None}, id="property-names-max-length-lowered"),
    # A string the new pattern does not match; which probe it is is not fixed here.
    pytest.param(props(s=STRING), props(s={"type": "string", "pattern": "^[a-z]+$"}), "pattern-added", BACKWARD, SOME_INSTANCE,
                 id="pattern-added"),
    # The sample of the old pattern, "a", does not match the new one.
    pytest.param(props(s={"type": "string", "pattern": "^[a-z]+$"}), props(s={"type": "string", "pattern": "^[0-9]+$"}),
                 "pattern-changed", BACKWARD, {"s": "a"}, id="pattern-changed"),
    # A string that is not a date.
    pytest.param(props(d=STRING), props(d={"type": "string", "format": "date"}), "format-added", BACKWARD, SOME_INSTANCE, id="format-added"),

    # --- arrays ---
    # One item past the listed one: the listed item is the minimal string, the extra one unconstrained.
    pytest.param({"type": "array", "prefixItems": [STRING]}, {"type": "array", "prefixItems": [STRING], "items": False},
                 "additional-items-closed", BACKWARD, ["x", None], id="additional-items-closed"),
    # Draft 7: items past the tuple are now allowed.
    pytest.param(draft7({"type": "array", "items": [STRING], "additionalItems": False}), draft7({"type": "array", "items": [STRING]}),
                 "additional-items-opened", FORWARD, ["x", None], id="additional-items-opened"),
    # The empty array has no item equal to 1.
    pytest.param({"type": "array"}, {"type": "array", "contains": {"const": 1}}, "contains-added", BACKWARD, [], id="contains-added"),

    # --- composition and conditions ---
    # The new variant's minimal instance is false.
    pytest.param({"oneOf": [STRING, {"type": "integer"}]}, {"oneOf": [STRING, {"type": "integer"}, {"type": "boolean"}]},
                 "variant-added", FORWARD, False, id="variant-added"),
    # Old data of the removed variant.
    pytest.param({"oneOf": [STRING, {"type": "integer"}, {"type": "boolean"}]}, {"oneOf": [STRING, {"type": "integer"}]},
                 "variant-removed", BACKWARD, False, id="variant-removed"),
    # A tagged union gained variant C: its tag and its required integer field.
    pytest.param(tagged("A", "B"), tagged("A", "B", "C"), "variant-added", FORWARD, {"type": "C", "c": 0}, id="tagged-variant-added"),
    # 0 matches both branches: valid under `anyOf`, rejected by `oneOf`.
    pytest.param({"oneOf": [{"type": "integer"}, {"type": "number"}]}, {"anyOf": [{"type": "integer"}, {"type": "number"}]},
                 "one-of-relaxed-to-any-of", FORWARD, 0, id="one-of-relaxed-to-any-of"),
    # The empty object satisfies the old schema and lacks the names the new members require.
    pytest.param({"type": "object"}, {"type": "object", "allOf": [{"required": ["a"]}, {"required": ["b"]}]},
                 "all-of-member-added", BACKWARD, {}, id="all-of-member-added"),
    # "x" is the old minimal string and exactly what the new `not` excludes.
    pytest.param(STRING, {"type": "string", "not": {"const": "x"}}, "not-added", BACKWARD, "x", id="not-added"),
    # o may be null or an object; the new `not` rejects objects that have a, so the object
    # branch's minimal instance {"a": "x"} shows it.
    pytest.param(props(o={"oneOf": [{"type": "null"}, props(["a"], a=STRING)]}),
                 props(o={"oneOf": [{"type": "null"}, props(["a"], a=STRING)], "not": {"required": ["a"]}}),
                 "not-added", BACKWARD, {"o": {"a": "x"}}, id="not-added-on-nullable-object"),
    # a = 2: the old condition (a = 1) does not hold, the new one does and then requires b.
    pytest.param({"if": props(a={"const": 1}), "then": {"required": ["b"]}}, {"if": props(a={"const": 2}), "then": {"required": ["b"]}},
                 "condition-changed", BACKWARD, {"a": 2}, id="condition-changed"),
]


@pytest.mark.parametrize(("old", "new", "rule", "direction", "instance"), WITNESS_ROWS)
def test_witness_table(old: Any, new: Any, rule: str, direction: tuple[str, str], instance: Any) -> None:
    change = breaking_change(old, new, rule)
    witness = change.witness

    assert witness is not None
    assert "unavailable" not in witness, witness
    assert (witness["valid_in"], witness["rejected_by"]) == direction
    if instance is not SOME_INSTANCE:
        assert witness["instance"] == instance
        assert kinds(witness["instance"]) == kinds(instance)
    schemas = {"old": old, "new": new}
    assert accepts(schemas[witness["valid_in"]], witness["instance"])
    assert not accepts(schemas[witness["rejected_by"]], witness["instance"])


def test_default_changed_is_unavailable() -> None:
    change = breaking_change(props(a={"type": "boolean", "default": False}), props(a={"type": "boolean", "default": True}), "default-changed")

    assert change.witness == {"unavailable": DEFAULT_CHANGED}


def test_removed_document_is_unavailable() -> None:
    report = witnessed_sets({"a.json": STRING, "b.json": STRING}, {"a.json": STRING})
    (change,) = breaking(report)

    assert change.rule == "schema-removed"
    # Backward is preferred, and the new version has no document to reject anything with.
    assert change.witness == {"unavailable": "the new version has no document b.json to validate against"}


def test_forward_mode_prefers_forward() -> None:
    # Under forward mode the forward break matters most: the new constant, rejected by old readers.
    change = breaking_change(props(k={"const": "a"}), props(k={"const": "b"}), "const-changed", mode="forward")

    assert change.witness == {"instance": {"k": "b"}, "valid_in": "new", "rejected_by": "old"}


def test_non_breaking_changes_get_none() -> None:
    # An optional property added to an open object is additive; an added enum value only
    # breaks forward, so it is additive under backward mode.
    report = witnessed_sets({DOCUMENT: props(status={"enum": ["a"]})},
                            {DOCUMENT: props(status={"enum": ["a", "b"]}, extra=STRING)}, mode="backward")

    assert {change.rule for change in report.changes} == {"enum-value-added", "property-added"}
    assert all(change.severity is not Severity.BREAKING for change in report.changes)
    assert all(change.witness is None for change in report.changes)


def test_unreferenced_definition_gets_own_instance() -> None:
    # Nothing in the document refers to S, so the witness is an instance of S itself.
    change = breaking_change({"$defs": {"S": {"enum": ["a"]}}, "type": "object"},
                             {"$defs": {"S": {"enum": ["a", "b"]}}, "type": "object"}, "enum-value-added")

    assert change.witness == {"instance": "b", "valid_in": "new", "rejected_by": "old", "instance_of": "/$defs/S"}


def test_reference_to_other_document() -> None:
    # The required property s refers to b.json, whose minimal instance is its minimum 3;
    # the changed enum is in a.json.
    b_schema = {"type": "integer", "minimum": 3}
    old = {"a.json": props(["s", "t"], s={"$ref": "b.json"}, t={"enum": ["a"]}), "b.json": b_schema}
    new = {"a.json": props(["s", "t"], s={"$ref": "b.json"}, t={"enum": ["a", "b"]}), "b.json": b_schema}
    (change,) = breaking(witnessed_sets(old, new))

    assert change.witness == {"instance": {"s": 3, "t": "b"}, "valid_in": "new", "rejected_by": "old"}
    assert accepts_in_set(checker.load_mapping("new", new), "a.json", change.witness["instance"])
    assert not accepts_in_set(checker.load_mapping("old", old), "a.json", change.witness["instance"])


def test_root_id_is_base_of_references() -> None:
    # `kind.json` resolves against the root `$id`, to the embedded schema with that id.
    def version(values: list[str]) -> dict[str, Any]:
        return {"$id": "https://example.com/root.json", **props(["s"], s={"$ref": "kind.json"}),
                "$defs": {"K": {"$id": "kind.json", "enum": values}}}

    change = breaking_change(version(["a"]), version(["a", "b"]), "enum-value-added")

    assert change.witness == {"instance": {"s": "b"}, "valid_in": "new", "rejected_by": "old"}


def test_remote_reference_is_unavailable() -> None:
    # The required property r refers to a schema that is never fetched, so no instance can be built.
    remote = {"$ref": "https://example.com/remote.json"}
    change = breaking_change(props(["r", "e"], r=remote, e={"enum": ["a"]}), props(["r", "e"], r=remote, e={"enum": ["a", "b"]}),
                             "enum-value-added")

    assert change.witness == {"unavailable": "no instance of the new version could be generated: "
                                             "$ref https://example.com/remote.json leads outside the compared documents"}


def test_self_requiring_schema_is_unavailable() -> None:
    # Every instance needs a `next` instance of the same schema, so none is finite.
    def version(values: list[str]) -> dict[str, Any]:
        return props(["v", "next"], v={"enum": values}, next={"$ref": "#"})

    change = breaking_change(version(["a"]), version(["a", "b"]), "enum-value-added")

    assert change.witness is not None
    assert change.witness["unavailable"].startswith("no instance of the new version could be generated: ")


def test_openapi_component_witness() -> None:
    def version(kinds_listed: list[str]) -> dict[str, Any]:
        response = {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}
        return {
            "openapi": "3.0.3", "info": {"title": "pets", "version": "1"},
            "paths": {"/pets": {"get": {"responses": {"200": response}}}},
            "components": {"schemas": {
                "Pet": props(["kind"], kind={"$ref": "#/components/schemas/Kind"}),
                "Kind": {"type": "string", "enum": kinds_listed},
            }},
        }

    (change,) = breaking(witnessed_sets({"api.json": version(["cat"])}, {"api.json": version(["cat", "dog"])}))

    # The enum is written once, in the component Kind, so the witness is an instance of Kind.
    assert change.witness == {"instance": "dog", "valid_in": "new", "rejected_by": "old", "instance_of": "/components/schemas/Kind"}
    assert jsonschema.Draft4Validator({"type": "string", "enum": ["cat", "dog"]}).is_valid("dog")
    assert not jsonschema.Draft4Validator({"type": "string", "enum": ["cat"]}).is_valid("dog")


def test_openapi_operation_change_is_unavailable() -> None:
    def version(required: bool) -> dict[str, Any]:
        parameter = {"name": "q", "in": "query", "required": required, "schema": STRING}
        return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                "paths": {"/pets": {"get": {"parameters": [parameter], "responses": {"200": {"description": "ok"}}}}}}

    (change,) = breaking(witnessed_sets({"api.json": version(False)}, {"api.json": version(True)}))

    assert change.rule == "parameter-became-required"
    assert change.witness == {"unavailable": "the change is to an operation of the OpenAPI document, not to a schema, so no instance shows it"}


def test_malformed_unchanged_part_is_unavailable() -> None:
    # `minimum: "5"` sits in a part that did not change, so the comparison never checked
    # it. Validation would fail on it, so the witness gives that reason instead.
    def version(values: list[str]) -> dict[str, Any]:
        return props(["a", "e"], a={"type": "integer", "minimum": "5"}, e={"enum": values})

    change = breaking_change(version(["a"]), version(["a", "b"]), "enum-value-added")

    assert change.witness == {"unavailable": "the new version is not a valid schema: new/schema.json: not a valid 2020-12 schema: "
                                             "at /properties/a/minimum (minimum): '5' is not of type 'number'"}


#: A union nested in a one-branch `oneOf`; the new version adds a boolean branch beside it.
#: The inner union of A and B stays, so old data of A or B stays valid and only booleans are new.
NESTED_UNION_OLD = {"oneOf": [{"oneOf": [props(["mode"], mode={"enum": ["a"]}), props(["mode"], mode={"enum": ["b"]})]}]}
NESTED_UNION_NEW = {"oneOf": [*NESTED_UNION_OLD["oneOf"], {"type": "boolean"}]}


def test_nested_union_witness() -> None:
    changes = breaking(witnessed_sets({DOCUMENT: NESTED_UNION_OLD}, {DOCUMENT: NESTED_UNION_NEW}))

    # Only the boolean variant is shown; any other change reported here has no witness,
    # since nothing else distinguishes the versions.
    witnessed = [change for change in changes if "instance" in (change.witness or {})]
    assert [(change.rule, change.new_pointer, change.witness) for change in witnessed] == [
        ("variant-added", "/oneOf/1", {"instance": False, "valid_in": "new", "rejected_by": "old"}),
    ]


def test_nested_union_verdict() -> None:
    changes = breaking(witnessed_sets({DOCUMENT: NESTED_UNION_OLD}, {DOCUMENT: NESTED_UNION_NEW}))

    # The added boolean branch is the one breaking change: it breaks forward only.
    assert [(change.rule, change.old_pointer, change.new_pointer) for change in changes] == [("variant-added", None, "/oneOf/1")]


def test_witnesses_are_deterministic() -> None:
    old, new = tagged("A", "B"), tagged("A", "B", "C")

    first = breaking(witnessed_sets({DOCUMENT: old}, {DOCUMENT: new}))
    second = breaking(witnessed_sets({DOCUMENT: old}, {DOCUMENT: new}))

    assert [json.dumps(change.witness) for change in first] == [json.dumps(change.witness) for change in second]


# The shipped example ----------------------------------------------------------------------

def test_shipped_example_witnesses() -> None:
    old, new = checker.load_path(REPOSITORY / "schemas" / "1.5.1"), checker.load_path(REPOSITORY / "schemas" / "1.7.1")
    changes = breaking(attach_witnesses(checker.compare(old, new), old, new))

    # The default of AlienError.internal flipped: the same instances validate, so no witness exists.
    (default,) = [change for change in changes if change.rule == "default-changed"]
    assert default.witness == {"unavailable": DEFAULT_CHANGED}
    added = [change for change in changes if change.rule == "enum-value-added"]
    assert len(added) == 7
    for change in added:
        assert_confirmed(change, old, new)


@pytest.mark.parametrize("value", ["preflights-failed", "teardown-failed", "teardown-required"])
def test_shipped_agent_status_witness(value: str) -> None:
    old, new = checker.load_path(REPOSITORY / "schemas" / "1.5.1"), checker.load_path(REPOSITORY / "schemas" / "1.7.1")
    changes = breaking(attach_witnesses(checker.compare(old, new), old, new))

    (change,) = [change for change in changes if change.schema == "agentStatus.json" and change.new_value == value]
    # AgentStatus requires id (a string) and status; commandsUrl is optional and left out.
    assert change.witness == {"instance": {"id": "x", "status": value}, "valid_in": "new", "rejected_by": "old"}
    (root,) = [change for change in changes if change.schema == "deploymentStatus.json" and change.new_value == value]
    # DeploymentStatus is the enum itself, so its instance is the bare value.
    assert root.witness == {"instance": value, "valid_in": "new", "rejected_by": "old"}


# The alien corpus -------------------------------------------------------------------------

def test_alien_enum_values_added() -> None:
    old, new = corpus_release("v1.5.1"), corpus_release("v1.7.1")
    changes = breaking(attach_witnesses(checker.compare(old, new), old, new))

    assert len(changes) == 16
    assert {change.rule for change in changes} == {"enum-value-added"}
    for change in changes:
        assert_confirmed(change, old, new)
        assert (change.witness["valid_in"], change.witness["rejected_by"]) == FORWARD
        assert change.new_value in strings_in(change.witness["instance"])


def test_alien_required_removed() -> None:
    old, new = corpus_release("v1.10.4"), corpus_release("v1.10.5")
    changes = breaking(attach_witnesses(checker.compare(old, new), old, new))

    assert [(change.rule, change.schema) for change in changes] == [
        ("required-removed", "container.json"), ("required-removed", "daemon.json"), ("required-removed", "worker.json"),
    ]
    for change in changes:
        assert_confirmed(change, old, new)
        # Valid in the new version without publicEndpoints, which the old version requires.
        assert (change.witness["valid_in"], change.witness["rejected_by"]) == FORWARD
        assert "publicEndpoints" not in change.witness["instance"]


def test_alien_variant_added() -> None:
    old, new = corpus_release("v3.2.0"), corpus_release("v3.3.0")
    changes = breaking(attach_witnesses(checker.compare(old, new), old, new))

    assert [(change.rule, change.schema) for change in changes] == [
        ("variant-added", "resourceHeartbeat.json"), ("variant-added", "resourceHeartbeatData.json"),
    ]
    for change in changes:
        assert_confirmed(change, old, new)
        assert (change.witness["valid_in"], change.witness["rejected_by"]) == FORWARD
    # The new variant of ResourceHeartbeatData is the one whose resourceType is "ai".
    data = changes[1].witness["instance"]
    assert data["resourceType"] == "ai"
    assert changes[0].witness["instance"]["data"] == data


# Helpers -----------------------------------------------------------------------------------

def witnessed_sets(old: dict[str, Any], new: dict[str, Any], mode: str = "full") -> checker.Report:
    """Compare two versions given as {document path: schema} and attach witnesses."""
    old_set, new_set = checker.load_mapping("old", old), checker.load_mapping("new", new)
    return attach_witnesses(checker.compare(old_set, new_set, Mode(mode)), old_set, new_set)


def breaking(report: checker.Report) -> list[Change]:
    return [change for change in report.changes if change.severity is Severity.BREAKING]


def breaking_change(old: Any, new: Any, rule: str, mode: str = "full") -> Change:
    """The first breaking change of a rule between two one-document versions."""
    changes = [change for change in breaking(witnessed_sets({DOCUMENT: old}, {DOCUMENT: new}, mode)) if change.rule == rule]
    assert changes, f"no breaking {rule} change found"
    return changes[0]


def accepts(schema: Any, instance: Any) -> bool:
    """Validate with the jsonschema validator of the schema's draft, asserting `format`."""
    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER).is_valid(instance)


def accepts_in_set(documents: checker.DocumentSet, path: str, instance: Any) -> bool:
    """Validate against one document, with every document of its version registered for `$ref`."""
    registry: Registry[Any] = Registry().with_resources(
        (document.uri, Resource(document.contents, document.draft.specification)) for document in documents
    )
    document = documents.documents[path]
    validator_class = document.draft.validator
    # Relative references resolve against the document's URI, so the validator starts from a reference to it.
    validator = validator_class({"$ref": document.uri}, registry=registry, format_checker=validator_class.FORMAT_CHECKER)
    return validator.is_valid(instance)


def assert_confirmed(change: Change, old: checker.DocumentSet, new: checker.DocumentSet) -> None:
    """Check a change's witness with jsonschema: valid in one version, invalid in the other."""
    witness = change.witness
    assert witness is not None and "instance" in witness, (change.schema, change.new_pointer, witness)
    sets = {"old": old, "new": new}
    assert accepts_in_set(sets[witness["valid_in"]], change.schema, witness["instance"])
    assert not accepts_in_set(sets[witness["rejected_by"]], change.schema, witness["instance"])


def corpus_release(tag: str) -> checker.DocumentSet:
    folder = ALIEN / tag / "schemas"
    if not folder.is_dir():
        pytest.skip(f"corpus release {tag} not found at {folder} (the corpus lives in ../shared/corpus)")
    return checker.load_path(folder)


def strings_in(value: Any) -> list[str]:
    """Every string inside a JSON value, keys excluded."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings_in(item)]
    return []


def kinds(value: Any) -> Any:
    """The value with every scalar replaced by its Python type, so that `0 == False` cannot pass for equal."""
    if isinstance(value, dict):
        return {key: kinds(item) for key, item in value.items()}
    if isinstance(value, list):
        return [kinds(item) for item in value]
    return type(value).__name__
