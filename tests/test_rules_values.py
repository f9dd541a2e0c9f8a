"""Per-rule table for `type`, `enum`, `const` and nullability in all its spellings."""

from __future__ import annotations

import pytest
from helpers import A, B, P, assert_no_changes, assert_pointers, assert_verdicts, changes_between, draft4

STRING = {"type": "string"}

VERDICT_ROWS = [
    # --- type ---
    # A second kind is accepted: new data may be a number, which old readers reject.
    pytest.param(STRING, {"type": ["string", "number"]}, "type-widened", "forward", (B, A, B), id="type-kind-added"),
    # Numbers are dropped: old data holding a number is now rejected.
    pytest.param({"type": ["string", "number"]}, STRING, "type-narrowed", "backward", (B, B, P), id="type-kind-removed"),
    # Strings and numbers share no value, so each side rejects everything the other accepts.
    pytest.param(STRING, {"type": "number"}, "type-changed", "both", (B, B, B), id="type-replaced"),
    # Every integer is a number, so only 1.5-like values are new; old readers reject them.
    pytest.param({"type": "integer"}, {"type": "number"}, "type-widened", "forward", (B, A, B), id="integer-to-number"),
    # Old data may hold 1.5, which `integer` rejects.
    pytest.param({"type": "number"}, {"type": "integer"}, "type-narrowed", "backward", (B, B, P), id="number-to-integer"),
    # No `type` accepts every kind; adding one rejects old data of the other kinds.
    pytest.param({"minLength": 1}, {"type": "string", "minLength": 1}, "type-narrowed", "backward", (B, B, P), id="type-added"),
    # Dropping `type` accepts every kind, which old readers reject.
    pytest.param({"type": "string", "minLength": 1}, {"minLength": 1}, "type-widened", "forward", (B, A, B), id="type-removed"),
    # Both sides keep string but swap integer for boolean: each rejects a kind the other accepts.
    pytest.param({"type": ["string", "integer"]}, {"type": ["string", "boolean"]}, "type-changed", "both", (B, B, B),
                 id="type-one-kind-swapped"),
    # An array may now be sent where only objects were accepted.
    pytest.param({"type": "object"}, {"type": ["object", "array"]}, "type-widened", "forward", (B, A, B), id="object-or-array"),

    # --- nullability, each spelling ---
    # null as a type name: new data may be null, old readers reject it.
    pytest.param(STRING, {"type": ["string", "null"]}, "type-widened", "forward", (B, A, B), id="null-type-added"),
    # Old data may be null, which the new schema rejects.
    pytest.param({"type": ["string", "null"]}, STRING, "type-narrowed", "backward", (B, B, P), id="null-type-removed"),
    # OpenAPI's `nullable: true` admits null just like a null type.
    pytest.param(STRING, {"type": "string", "nullable": True}, "type-widened", "forward", (B, A, B), id="nullable-added"),
    # `nullable: true` removed: old data may be null.
    pytest.param({"type": "string", "nullable": True}, STRING, "type-narrowed", "backward", (B, B, P), id="nullable-removed"),
    # `nullable: false` says the same as no `nullable`, so going from true to false drops null.
    pytest.param({"type": "string", "nullable": True}, {"type": "string", "nullable": False}, "type-narrowed", "backward",
                 (B, B, P), id="nullable-true-to-false"),
    # An `anyOf` with a null branch admits null beside the string: one widening, not a new union.
    pytest.param(STRING, {"anyOf": [STRING, {"type": "null"}]}, "type-widened", "forward", (B, A, B), id="null-any-of-branch-added"),
    # A `oneOf` with a null branch, spelled with `const: null`, removed: old data may be null.
    pytest.param({"oneOf": [{"const": None}, STRING]}, STRING, "type-narrowed", "backward", (B, B, P), id="null-one-of-branch-removed"),
    # A string `allOf` member beside the union leaves its null branch unreachable: null,
    # valid before, is now rejected, and "red" stays valid.
    pytest.param({"oneOf": [{"type": "null"}, {"const": "red"}]}, {"allOf": [{"type": "string"}], "oneOf": [{"type": "null"}, {"const": "red"}]},
                 "type-narrowed", "backward", (B, B, P), id="null-branch-beside-string-member"),
    # The null branch of a real two-variant union is dropped: only null becomes invalid.
    pytest.param({"oneOf": [STRING, {"type": "integer"}, {"type": "null"}]}, {"oneOf": [STRING, {"type": "integer"}]},
                 "type-narrowed", "backward", (B, B, P), id="null-branch-of-union-removed"),
    # A null branch added to a real two-variant union: new data may be null, old readers reject it.
    pytest.param({"anyOf": [STRING, {"type": "integer"}]}, {"anyOf": [STRING, {"type": "integer"}, {"type": "null"}]},
                 "type-widened", "forward", (B, A, B), id="null-branch-of-union-added"),
    # null dropped from both `type` and `enum`: one value is no longer valid, reported once as nullability.
    pytest.param({"type": ["string", "null"], "enum": ["a", None]}, {"type": "string", "enum": ["a"]}, "type-narrowed",
                 "backward", (B, B, P), id="null-dropped-from-type-and-enum"),
    # null added to `enum` and `type` of an enumeration: old readers reject null.
    pytest.param({"type": "string", "enum": ["a"]}, {"type": ["string", "null"], "enum": ["a", None]}, "type-widened",
                 "forward", (B, A, B), id="null-added-to-type-and-enum"),

    # --- enum ---
    # Old readers reject the new value "c".
    pytest.param({"enum": ["a", "b"]}, {"enum": ["a", "b", "c"]}, "enum-value-added", "forward", (B, A, B), id="enum-value-added"),
    # Old data may carry "c".
    pytest.param({"enum": ["a", "b", "c"]}, {"enum": ["a", "b"]}, "enum-value-removed", "backward", (B, B, P), id="enum-value-removed"),
    # `true` is not the number 1 in JSON, so it is a new value.
    pytest.param({"enum": [1, 2]}, {"enum": [1, 2, True]}, "enum-value-added", "forward", (B, A, B), id="enum-true-beside-one"),
    # 2.5 is not 2, so it is a new value even though 2 is listed.
    pytest.param({"enum": [1, 2]}, {"enum": [1, 2, 2.5]}, "enum-value-added", "forward", (B, A, B), id="enum-fraction-added"),
    # An object value is compared as a whole: a different object is a new value.
    pytest.param({"enum": [{"a": 1}]}, {"enum": [{"a": 1}, {"a": 2}]}, "enum-value-added", "forward", (B, A, B), id="enum-object-value-added"),
    # Any string was valid before; now only the listed ones, so old data may hold another.
    pytest.param(STRING, {"type": "string", "enum": ["a", "b"]}, "enum-constraint-added", "backward", (B, B, P), id="enum-added"),
    # Any string is now valid, but old readers accept only "a" and "b".
    pytest.param({"type": "string", "enum": ["a", "b"]}, STRING, "enum-constraint-removed", "forward", (B, A, B), id="enum-removed"),
    # A value the type rejects was never valid, so removing it from the list changes nothing but "b" added is new.
    pytest.param({"type": "string", "enum": ["a", 1]}, {"type": "string", "enum": ["a", "b"]}, "enum-value-added", "forward",
                 (B, A, B), id="enum-value-the-type-rejects-replaced"),

    # --- const ---
    # Each side accepts only its own value, and the value means something else: breaking in every mode.
    pytest.param({"const": "a"}, {"const": "b"}, "const-changed", "both", (B, B, B), id="const-changed"),
    # `true` and 1 are different JSON values, so the constant changed.
    pytest.param({"const": 1}, {"const": True}, "const-changed", "both", (B, B, B), id="const-one-to-true"),
    # Any string was valid, now only "a": old data may hold another string.
    pytest.param(STRING, {"type": "string", "const": "a"}, "const-added", "backward", (B, B, P), id="const-added"),
    # Any string is now valid, but old readers accept only "a".
    pytest.param({"type": "string", "const": "a"}, STRING, "const-removed", "forward", (B, A, B), id="const-removed"),
    # A constant widened into a list: "b" is new and old readers reject it.
    pytest.param({"const": "a"}, {"enum": ["a", "b"]}, "enum-value-added", "forward", (B, A, B), id="const-to-wider-enum"),
    # A list narrowed to a constant: old data may hold "b".
    pytest.param({"enum": ["a", "b"]}, {"const": "a"}, "enum-value-removed", "backward", (B, B, P), id="enum-to-const"),

    # --- draft-04 spelling ---
    # Draft 4 has the same `type` semantics: null added is a widening.
    pytest.param(draft4(STRING), draft4({"type": ["string", "null"]}), "type-widened", "forward", (B, A, B), id="draft4-null-added"),
]


@pytest.mark.parametrize(("old", "new", "rule", "breaks", "severities"), VERDICT_ROWS)
def test_value_rule_verdict(old, new, rule, breaks, severities):
    assert_verdicts(old, new, rule, breaks, severities)


NO_CHANGE_ROWS = [
    # The order of `enum` values means nothing.
    pytest.param({"enum": ["a", "b", "c"]}, {"enum": ["c", "a", "b"]}, id="enum-reordered"),
    # The order of type names means nothing.
    pytest.param({"type": ["string", "null"]}, {"type": ["null", "string"]}, id="type-list-reordered"),
    # A one-name type list is the name itself.
    pytest.param(STRING, {"type": ["string"]}, id="type-list-of-one"),
    # `integer` beside `number` adds nothing, since every integer is a number.
    pytest.param({"type": "number"}, {"type": ["number", "integer"]}, id="integer-beside-number"),
    # 1 and 1.0 are the same JSON number.
    pytest.param({"enum": [1, 2]}, {"enum": [1.0, 2]}, id="enum-one-as-float"),
    # A one-value enum says the same as const.
    pytest.param({"const": "a"}, {"enum": ["a"]}, id="const-as-enum"),
    # A value the type rejects was never valid, so dropping it from the list changes nothing.
    pytest.param({"type": "string", "enum": ["a", 1]}, {"type": "string", "enum": ["a"]}, id="enum-value-the-type-rejects"),
    # With an enum of strings, widening `type` admits no new value: the list still decides.
    pytest.param({"type": "string", "enum": ["a"]}, {"type": ["string", "integer"], "enum": ["a"]}, id="type-widened-under-enum"),
    # Nullability re-spelled: a null type name and OpenAPI's `nullable`.
    pytest.param({"type": ["string", "null"]}, {"type": "string", "nullable": True}, id="null-type-as-nullable"),
    # Nullability re-spelled: a null type name and an `anyOf` null branch.
    pytest.param({"type": ["string", "null"]}, {"anyOf": [STRING, {"type": "null"}]}, id="null-type-as-any-of"),
    # Nullability re-spelled: `nullable` and a `oneOf` null branch listed first.
    pytest.param({"type": "string", "nullable": True}, {"oneOf": [{"type": "null"}, STRING]}, id="nullable-as-one-of"),
    # Nullability re-spelled: `oneOf` and `anyOf` agree because null and string share no value.
    pytest.param({"oneOf": [STRING, {"type": "null"}]}, {"anyOf": [{"type": "null"}, STRING]}, id="one-of-null-as-any-of-null"),
    # Nullability re-spelled: `{"enum": [null]}` and `{"type": "null"}` branches are the same branch.
    pytest.param({"anyOf": [STRING, {"enum": [None]}]}, {"anyOf": [STRING, {"type": "null"}]}, id="null-branch-spellings"),
    # `nullable: false` is the default.
    pytest.param(STRING, {"type": "string", "nullable": False}, id="nullable-false"),
    # Key order inside a schema means nothing.
    pytest.param({"type": "string", "enum": ["a"]}, {"enum": ["a"], "type": "string"}, id="keys-reordered"),
    # The null branch cannot match beside `type: string`, so both accept the same strings.
    pytest.param({"type": "string", "oneOf": [{"type": "null"}, {"minLength": 1}]}, {"type": "string", "minLength": 1},
                 id="null-branch-beside-string-type"),
]


@pytest.mark.parametrize(("old", "new"), NO_CHANGE_ROWS)
def test_value_respelling_no_change(old, new):
    assert_no_changes(old, new)


POINTER_ROWS = [
    # A root keyword: the root subschema holds it on both sides.
    pytest.param({"enum": ["a"]}, {"enum": ["a", "b"]}, "enum-value-added", "", "", id="root-enum"),
    # A property's type: the property's own subschema on both sides.
    pytest.param({"properties": {"size": {"type": "integer"}}}, {"properties": {"size": {"type": "number"}}},
                 "type-widened", "/properties/size", "/properties/size", id="property-type"),
    # A key with a slash is escaped as ~1 in the pointer.
    pytest.param({"properties": {"a/b": {"const": 1}}}, {"properties": {"a/b": {"const": 2}}},
                 "const-changed", "/properties/a~1b", "/properties/a~1b", id="escaped-property"),
    # An item schema: the pointer ends at `items`.
    pytest.param({"items": {"enum": [1, 2]}}, {"items": {"enum": [1]}}, "enum-value-removed", "/items", "/items", id="items-enum"),
]


@pytest.mark.parametrize(("old", "new", "rule", "old_pointer", "new_pointer"), POINTER_ROWS)
def test_value_change_pointers(old, new, rule, old_pointer, new_pointer):
    assert_pointers(old, new, rule, old_pointer, new_pointer)


def test_enum_values_reported_one_by_one():
    # One change per enum value: "c" added and "a" removed are two changes.
    changes = changes_between({"enum": ["a", "b"]}, {"enum": ["b", "c"]})

    found = sorted((change.rule, change.old_value, change.new_value) for change in changes)
    assert found == [("enum-value-added", None, "c"), ("enum-value-removed", "a", None)]


def test_enum_value_added_records_value():
    changes = changes_between({"enum": ["a"]}, {"enum": ["a", "b"]})

    assert [change.new_value for change in changes] == ["b"]
    assert [change.keyword for change in changes] == ["enum"]


def test_const_changed_records_both_values():
    changes = changes_between({"const": "a"}, {"const": "b"})

    assert [(change.old_value, change.new_value) for change in changes] == [("a", "b")]
