"""Per-rule table for object keywords: required, properties, additional and pattern
properties, dependencies and propertyNames."""

from __future__ import annotations

import pytest
from helpers import A, B, P, assert_no_changes, assert_pointers, assert_verdicts, changes_between, draft7

S = {"type": "string"}
I = {"type": "integer"}  # noqa: E741


def obj(**keywords):
    """Return an object schema with properties a and b, plus the given keywords."""
    return {"type": "object", "properties": {"a": S, "b": S}, **keywords}


VERDICT_ROWS = [
    # --- required ---
    # Old data may lack "a", which is now required.
    pytest.param(obj(), obj(required=["a"]), "required-added", "backward", (B, B, P), id="required-added"),
    # New data may omit "b", but old readers still require it.
    pytest.param(obj(required=["a", "b"]), obj(required=["a"]), "required-removed", "forward", (B, A, B), id="required-removed"),
    # A required name nobody declared as a property is still a required name: old data may lack it.
    pytest.param(obj(required=["a"]), obj(required=["a", "c"]), "required-added", "backward", (B, B, P),
                 id="required-undeclared-name-added"),

    # --- properties ---
    # Open object: an undeclared property is assumed never sent, so adding one breaks nobody.
    pytest.param(obj(), {"type": "object", "properties": {"a": S, "b": S, "c": I}}, "property-added", "none", (A, A, A),
                 id="property-added-open"),
    # Closed object: old readers reject the new property "c".
    pytest.param(obj(additionalProperties=False), {**obj(additionalProperties=False), "properties": {"a": S, "b": S, "c": I}},
                 "property-added", "forward", (B, A, B), id="property-added-closed"),
    # Closed by `unevaluatedProperties: false`: old readers reject "c" just the same.
    pytest.param(obj(unevaluatedProperties=False), {**obj(unevaluatedProperties=False), "properties": {"a": S, "b": S, "c": I}},
                 "property-added", "forward", (B, A, B), id="property-added-unevaluated-closed"),
    # Closed object, but the old pattern already allowed "x_1" with the same schema: nothing new is accepted.
    pytest.param({"type": "object", "patternProperties": {"^x_": S}, "additionalProperties": False},
                 {"type": "object", "properties": {"x_1": S}, "patternProperties": {"^x_": S}, "additionalProperties": False},
                 "property-added", "none", (A, A, A), id="property-added-closed-but-pattern-allows"),
    # Open object: data with "b" stays valid, but readers lose a field they may rely on.
    pytest.param(obj(), {"type": "object", "properties": {"a": S}}, "property-removed", "none", (P, P, P), id="property-removed-open"),
    # Closed object: old data that has "b" is now rejected.
    pytest.param(obj(additionalProperties=False), {"type": "object", "properties": {"a": S}, "additionalProperties": False},
                 "property-removed", "backward", (B, B, P), id="property-removed-closed"),
    # Closed object, but a pattern still allows "x_1" with the same schema: old data stays valid.
    pytest.param({"type": "object", "properties": {"x_1": S}, "patternProperties": {"^x_": S}, "additionalProperties": False},
                 {"type": "object", "patternProperties": {"^x_": S}, "additionalProperties": False},
                 "property-removed", "none", (P, P, P), id="property-removed-closed-but-pattern-allows"),
    # A closed object that requires "a" without listing it rejects every object; listing "a"
    # lets {"a": "x"} in, and old readers reject it.
    pytest.param({"required": ["a"], "additionalProperties": False}, {"properties": {"a": S}, "required": ["a"], "additionalProperties": False},
                 "subschema-allowed", "forward", (B, A, B), id="property-added-required-closed"),
    # The reverse: old data {"a": "x"} is valid and now every object is rejected.
    pytest.param({"properties": {"a": S}, "required": ["a"], "additionalProperties": False}, {"required": ["a"], "additionalProperties": False},
                 "subschema-forbidden", "backward", (B, B, P), id="property-removed-required-closed"),
    # Opening it: {"a": 1} was rejected (as every object was) and is now valid.
    pytest.param({"properties": {"b": S}, "required": ["a"], "additionalProperties": False}, {"properties": {"b": S}, "required": ["a"]},
                 "additional-properties-opened", "forward", (B, A, B), id="additional-opened-required-unlisted"),
    # "b" was governed by `additionalProperties` (strings) and is now declared as an integer:
    # old data {"b": "x"} is rejected and new data {"b": 1} was rejected before.
    pytest.param({"properties": {"a": S}, "additionalProperties": S}, {"properties": {"a": S, "b": I}, "additionalProperties": S},
                 "type-changed", "both", (B, B, B), id="property-added-over-additional-schema"),
    # The reverse: "b" falls back to `additionalProperties` (strings), so both directions break again.
    pytest.param({"properties": {"a": S, "b": I}, "additionalProperties": S}, {"properties": {"a": S}, "additionalProperties": S},
                 "type-changed", "both", (B, B, B), id="property-removed-under-additional-schema"),
    # A property's own schema changed: judged inside the property (string to integer breaks both ways).
    pytest.param(obj(), {"type": "object", "properties": {"a": S, "b": I}}, "type-changed", "both", (B, B, B),
                 id="property-schema-changed"),
    # A property that accepted anything now rejects everything: old data that has it is rejected.
    pytest.param({"properties": {"a": True}}, {"properties": {"a": False}}, "subschema-forbidden", "backward", (B, B, P),
                 id="property-forbidden"),
    # A property that was forbidden is now allowed: old readers reject data that has it.
    pytest.param({"properties": {"a": False}}, {"properties": {"a": {}}}, "subschema-allowed", "forward", (B, A, B),
                 id="property-allowed"),

    # --- additionalProperties and unevaluatedProperties ---
    # Old data may carry undeclared properties, which are now rejected.
    pytest.param(obj(), obj(additionalProperties=False), "additional-properties-closed", "backward", (B, B, P),
                 id="additional-closed"),
    # `true` is the same as absent, so true to false closes the object too.
    pytest.param(obj(additionalProperties=True), obj(additionalProperties=False), "additional-properties-closed", "backward",
                 (B, B, P), id="additional-true-to-false"),
    # Undeclared string properties were allowed; now none are.
    pytest.param(obj(additionalProperties=S), obj(additionalProperties=False), "additional-properties-closed", "backward",
                 (B, B, P), id="additional-schema-to-false"),
    # Undeclared properties are assumed never sent, so allowing them breaks no reader.
    pytest.param(obj(additionalProperties=False), obj(), "additional-properties-opened", "none", (A, A, A), id="additional-opened"),
    # Opening to a schema that asserts something describes entries that are sent (a map's):
    # {"x": "y"} is valid under the new schema and rejected by the old one, so it breaks forward.
    pytest.param(obj(additionalProperties=False), obj(additionalProperties=S), "additional-properties-opened", "forward", (B, A, B),
                 id="additional-false-to-schema"),
    # Undeclared properties must be strings now; old data may carry others.
    pytest.param(obj(), obj(additionalProperties=S), "type-narrowed", "backward", (B, B, P), id="additional-schema-added"),
    # The schema for undeclared properties changed kind: each side rejects what the other accepts.
    pytest.param(obj(additionalProperties=S), obj(additionalProperties=I), "type-changed", "both", (B, B, B),
                 id="additional-schema-changed"),
    # `unevaluatedProperties: false` closes the object like `additionalProperties: false`.
    pytest.param(obj(), obj(unevaluatedProperties=False), "additional-properties-closed", "backward", (B, B, P),
                 id="unevaluated-closed"),
    # Opening `unevaluatedProperties` follows the same assumption as opening `additionalProperties`.
    pytest.param(obj(unevaluatedProperties=False), obj(), "additional-properties-opened", "none", (A, A, A),
                 id="unevaluated-opened"),

    # --- patternProperties ---
    # Names matching the pattern could hold anything; now they must hold strings.
    pytest.param({"type": "object"}, {"type": "object", "patternProperties": {"^x-": S}}, "type-narrowed", "backward",
                 (B, B, P), id="pattern-property-added-open"),
    # Names matching the pattern may now hold anything; old readers reject non-strings.
    pytest.param({"type": "object", "patternProperties": {"^x-": S}}, {"type": "object"}, "type-widened", "forward",
                 (B, A, B), id="pattern-property-removed-open"),
    # The pattern's schema changed kind.
    pytest.param({"patternProperties": {"^x-": S}}, {"patternProperties": {"^x-": I}}, "type-changed", "both", (B, B, B),
                 id="pattern-property-changed"),
    # Closed object: names matching the new pattern were rejected, so old readers reject them.
    pytest.param({"type": "object", "additionalProperties": False},
                 {"type": "object", "patternProperties": {"^x-": S}, "additionalProperties": False},
                 "subschema-allowed", "forward", (B, A, B), id="pattern-property-added-closed"),
    # Closed object: names matching the removed pattern are now rejected, and old data may have them.
    pytest.param({"type": "object", "patternProperties": {"^x-": S}, "additionalProperties": False},
                 {"type": "object", "additionalProperties": False},
                 "subschema-forbidden", "backward", (B, B, P), id="pattern-property-removed-closed"),

    # --- dependentRequired and the array form of dependencies ---
    # Old data may have "a" without "b".
    pytest.param(obj(), obj(dependentRequired={"a": ["b"]}), "dependent-required-added", "backward", (B, B, P),
                 id="dependent-required-added"),
    # New data may have "a" without "b", which old readers reject.
    pytest.param(obj(dependentRequired={"a": ["b"]}), obj(), "dependent-required-removed", "forward", (B, A, B),
                 id="dependent-required-removed"),
    # One more dependent name: old data may have "a" without "c".
    pytest.param(obj(dependentRequired={"a": ["b"]}), obj(dependentRequired={"a": ["b", "c"]}), "dependent-required-added",
                 "backward", (B, B, P), id="dependent-required-name-added"),
    # Draft 7 spells it `dependencies` with an array: old data may have "a" without "b".
    pytest.param(draft7(obj()), draft7(obj(dependencies={"a": ["b"]})), "dependent-required-added", "backward", (B, B, P),
                 id="draft7-dependencies-array-added"),
    # Draft 7 array form removed: old readers still require "b" beside "a".
    pytest.param(draft7(obj(dependencies={"a": ["b"]})), draft7(obj()), "dependent-required-removed", "forward", (B, A, B),
                 id="draft7-dependencies-array-removed"),

    # --- dependentSchemas and the schema form of dependencies ---
    # Where "a" is present, "b" is now required: old data may lack it.
    pytest.param(obj(), obj(dependentSchemas={"a": {"required": ["b"]}}), "required-added", "backward", (B, B, P),
                 id="dependent-schema-added"),
    # The dependent schema is gone: new data may have "a" without "b", which old readers reject.
    pytest.param(obj(dependentSchemas={"a": {"required": ["b"]}}), obj(), "required-removed", "forward", (B, A, B),
                 id="dependent-schema-removed"),
    # Inside the dependent schema, "b" changed from string to integer.
    pytest.param(obj(dependentSchemas={"a": {"properties": {"b": S}}}), obj(dependentSchemas={"a": {"properties": {"b": I}}}),
                 "type-changed", "both", (B, B, B), id="dependent-schema-changed"),
    # Draft 7 schema form of `dependencies` behaves like dependentSchemas.
    pytest.param(draft7(obj()), draft7(obj(dependencies={"a": {"required": ["b"]}})), "required-added", "backward", (B, B, P),
                 id="draft7-dependencies-schema-added"),

    # --- propertyNames ---
    # Names longer than 10 characters were allowed before.
    pytest.param({"type": "object"}, {"type": "object", "propertyNames": {"maxLength": 10}}, "bound-tightened", "backward",
                 (B, B, P), id="property-names-added"),
    # Long names are allowed now, and old readers reject them.
    pytest.param({"type": "object", "propertyNames": {"maxLength": 10}}, {"type": "object"}, "bound-loosened", "forward",
                 (B, A, B), id="property-names-removed"),
    # Names must now match a pattern they need not match before.
    pytest.param({"type": "object"}, {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}}, "pattern-added", "backward",
                 (B, B, P), id="property-names-pattern-added"),
    # Two regular expressions cannot be compared, so either side may reject names the other accepts.
    pytest.param({"propertyNames": {"pattern": "^[a-z]+$"}}, {"propertyNames": {"pattern": "^[a-z0-9]+$"}}, "pattern-changed",
                 "both", (B, B, B), id="property-names-pattern-changed"),
    # `propertyNames: false` allows only the empty object; old data may have properties.
    pytest.param({"type": "object"}, {"type": "object", "propertyNames": False}, "subschema-forbidden", "backward",
                 (B, B, P), id="property-names-false"),
]


@pytest.mark.parametrize(("old", "new", "rule", "breaks", "severities"), VERDICT_ROWS)
def test_object_rule_verdict(old, new, rule, breaks, severities):
    assert_verdicts(old, new, rule, breaks, severities)


NO_CHANGE_ROWS = [
    # The order of properties means nothing.
    pytest.param({"properties": {"a": S, "b": I}}, {"properties": {"b": I, "a": S}}, id="properties-reordered"),
    # `required` is a set of names.
    pytest.param(obj(required=["a", "b"]), obj(required=["b", "a"]), id="required-reordered"),
    # `additionalProperties: true` is the default.
    pytest.param(obj(), obj(additionalProperties=True), id="additional-true-is-default"),
    # `{}` and `true` both accept anything.
    pytest.param(obj(additionalProperties={}), obj(additionalProperties=True), id="additional-empty-schema-is-true"),
    # A property schema `{}` is the same as `true`.
    pytest.param({"properties": {"a": {}}}, {"properties": {"a": True}}, id="property-empty-schema-is-true"),
    # The order of dependent names means nothing.
    pytest.param(obj(dependentRequired={"a": ["b", "c"]}), obj(dependentRequired={"a": ["c", "b"]}),
                 id="dependent-required-reordered"),
    # The order of patterns means nothing.
    pytest.param({"patternProperties": {"^x-": S, "^y-": I}}, {"patternProperties": {"^y-": I, "^x-": S}},
                 id="pattern-properties-reordered"),
    # Draft 7: "a" needs "b" spelled as a name list or as a schema requiring "b" is the same rule.
    pytest.param(draft7(obj(dependencies={"a": ["b"]})), draft7(obj(dependencies={"a": {"required": ["b"]}})),
                 id="draft7-dependencies-array-as-schema"),
]


@pytest.mark.parametrize(("old", "new"), NO_CHANGE_ROWS)
def test_object_respelling_no_change(old, new):
    assert_no_changes(old, new)


POINTER_ROWS = [
    # The property exists only in the new version: its own subschema there, null before.
    pytest.param(obj(), {"type": "object", "properties": {"a": S, "b": S, "c": I}}, "property-added", None, "/properties/c",
                 id="property-added"),
    # The property exists only in the old version: its own subschema there, null after.
    pytest.param(obj(), {"type": "object", "properties": {"a": S}}, "property-removed", "/properties/b", None,
                 id="property-removed"),
    # `required` of a nested object: the nested object's subschema on both sides.
    pytest.param({"properties": {"child": obj()}}, {"properties": {"child": obj(required=["a"])}}, "required-added",
                 "/properties/child", "/properties/child", id="nested-required"),
    # A property of a property: the innermost property's subschema.
    pytest.param({"properties": {"child": obj()}}, {"properties": {"child": {"type": "object", "properties": {"a": S, "b": I}}}},
                 "type-changed", "/properties/child/properties/b", "/properties/child/properties/b", id="nested-property-type"),
    # A property added to a nested object: null before, the new property's subschema after.
    pytest.param({"properties": {"child": obj()}}, {"properties": {"child": {"type": "object", "properties": {"a": S, "b": S, "c": S}}}},
                 "property-added", None, "/properties/child/properties/c", id="nested-property-added"),
    # `additionalProperties` closed at the root: the root holds the keyword on both sides.
    pytest.param(obj(), obj(additionalProperties=False), "additional-properties-closed", "", "", id="additional-closed"),
    # A pattern's schema: the pointer names the pattern, with its characters as they are.
    pytest.param({"patternProperties": {"^x-": S}}, {"patternProperties": {"^x-": I}}, "type-changed",
                 "/patternProperties/^x-", "/patternProperties/^x-", id="pattern-property"),
    # A dependent schema's keyword: the dependent schema on both sides.
    pytest.param(obj(dependentSchemas={"a": {"required": ["b"]}}), obj(dependentSchemas={"a": {"required": ["b", "a"]}}),
                 "required-added", "/dependentSchemas/a", "/dependentSchemas/a", id="dependent-schema"),
    # The `propertyNames` subschema on both sides.
    pytest.param({"propertyNames": {"maxLength": 5}}, {"propertyNames": {"maxLength": 4}}, "bound-tightened",
                 "/propertyNames", "/propertyNames", id="property-names"),
]


@pytest.mark.parametrize(("old", "new", "rule", "old_pointer", "new_pointer"), POINTER_ROWS)
def test_object_change_pointers(old, new, rule, old_pointer, new_pointer):
    assert_pointers(old, new, rule, old_pointer, new_pointer)


def test_required_names_reported_one_by_one():
    # "a" dropped and "b" added are two changes, one per name.
    changes = changes_between(obj(required=["a"]), obj(required=["b"]))

    found = sorted((change.rule, change.old_value, change.new_value) for change in changes)
    assert found == [("required-added", None, "b"), ("required-removed", "a", None)]


def test_properties_reported_one_by_one():
    # Two new properties in an open object are two additive changes.
    new = {"type": "object", "properties": {"a": S, "b": S, "c": S, "d": I}}

    changes = changes_between(obj(), new)

    assert sorted(change.new_value for change in changes) == ["c", "d"]
    assert {change.rule for change in changes} == {"property-added"}
