"""Per-rule table for `default`, `const`, annotations, extensions and keywords no rule judges."""

from __future__ import annotations

import pytest
from helpers import B, C, P, assert_no_changes, assert_pointers, assert_verdicts, draft7

S = {"type": "string"}


def string(**keywords):
    return {"type": "string", **keywords}


def prop(**keywords):
    """Return an object with one string property "a" carrying the given keywords."""
    return {"type": "object", "properties": {"a": string(**keywords)}}


VERDICT_ROWS = [
    # --- default ---
    # Same valid values, but an omitted value now means "b": breaking in every mode.
    pytest.param(string(default="a"), string(default="b"), "default-changed", "both", (B, B, B), id="default-changed"),
    # `true` and 1 are different JSON values, so the default changed.
    pytest.param({"default": 1}, {"default": True}, "default-changed", "both", (B, B, B), id="default-one-to-true"),
    # An object default compared as a whole.
    pytest.param({"type": "object", "default": {"a": 1}}, {"type": "object", "default": {"a": 2}}, "default-changed", "both",
                 (B, B, B), id="default-object-changed"),
    # A property's default changed: breaking in every mode just the same.
    pytest.param(prop(default="x"), prop(default="y"), "default-changed", "both", (B, B, B), id="property-default-changed"),
    # An omitted value now has a stated meaning readers may apply: nothing breaks, but it may matter.
    pytest.param(S, string(default="a"), "default-added", "none", (P, P, P), id="default-added"),
    # Readers that filled in the default lose it.
    pytest.param(string(default="a"), S, "default-removed", "none", (P, P, P), id="default-removed"),

    # --- const changes meaning in every mode ---
    # The only valid value changed, at the root.
    pytest.param({"const": "v1"}, {"const": "v2"}, "const-changed", "both", (B, B, B), id="const-changed"),
    # The same inside a property, such as a version tag.
    pytest.param({"properties": {"version": {"const": 1}}}, {"properties": {"version": {"const": 2}}}, "const-changed", "both",
                 (B, B, B), id="property-const-changed"),
    # The same for every item of an array.
    pytest.param({"items": {"const": "x"}}, {"items": {"const": "y"}}, "const-changed", "both", (B, B, B), id="items-const-changed"),

    # --- cosmetic annotations ---
    # Descriptions do not affect validation.
    pytest.param(string(description="old"), string(description="new"), "description-changed", "none", (C, C, C),
                 id="description-changed"),
    # Adding one is just as cosmetic.
    pytest.param(S, string(description="new"), "description-changed", "none", (C, C, C), id="description-added"),
    # So is removing one.
    pytest.param(string(description="old"), S, "description-changed", "none", (C, C, C), id="description-removed"),
    # Titles do not affect validation.
    pytest.param(string(title="Old"), string(title="New"), "title-changed", "none", (C, C, C), id="title-changed"),
    # Examples do not affect validation.
    pytest.param(string(examples=["a"]), string(examples=["a", "b"]), "examples-changed", "none", (C, C, C), id="examples-changed"),
    # OpenAPI's singular `example` is an example too.
    pytest.param(string(example="a"), string(example="b"), "examples-changed", "none", (C, C, C), id="example-changed"),
    # `$comment` is for schema authors only.
    pytest.param(string(**{"$comment": "old"}), string(**{"$comment": "new"}), "comment-changed", "none", (C, C, C),
                 id="comment-changed"),
    # `x-` extensions do not affect validation.
    pytest.param(string(**{"x-order": 1}), string(**{"x-order": 2}), "extension-changed", "none", (C, C, C),
                 id="extension-changed"),
    # An extension added.
    pytest.param(S, string(**{"x-internal": True}), "extension-changed", "none", (C, C, C), id="extension-added"),
    # An extension removed from a property.
    pytest.param(prop(**{"x-order": 1}), prop(), "extension-changed", "none", (C, C, C), id="property-extension-removed"),
    # `contentMediaType` is an annotation in draft 2020-12.
    pytest.param(string(contentMediaType="text/html"), string(contentMediaType="text/plain"), "annotation-changed", "none",
                 (C, C, C), id="content-media-type-changed"),

    # --- deprecated, readOnly, writeOnly ---
    # Deprecation is an annotation and changes no validation.
    pytest.param(string(deprecated=False), string(deprecated=True), "deprecated-changed", "none", (C, C, C),
                 id="deprecated-set"),
    # Deprecation added to a property.
    pytest.param(prop(), prop(deprecated=True), "deprecated-changed", "none", (C, C, C), id="property-deprecated-added"),
    # readOnly decides whether clients may send the property: validation is the same, but it may matter.
    pytest.param(prop(), prop(readOnly=True), "read-only-changed", "none", (P, P, P), id="read-only-added"),
    # readOnly dropped: clients may now send the property.
    pytest.param(prop(readOnly=True), prop(), "read-only-changed", "none", (P, P, P), id="read-only-removed"),
    # writeOnly decides whether responses carry the property.
    pytest.param(prop(), prop(writeOnly=True), "write-only-changed", "none", (P, P, P), id="write-only-added"),

    # --- keywords no rule judges are reported, never accepted silently ---
    # An unknown keyword's value changed: a person has to judge it.
    pytest.param(string(foo=1), string(foo=2), "unjudged-keyword-changed", "none", (P, P, P), id="unknown-keyword-changed"),
    # An unknown keyword added.
    pytest.param(S, string(uniqueKeys=["id"]), "unjudged-keyword-changed", "none", (P, P, P), id="unknown-keyword-added"),
    # An unknown keyword removed.
    pytest.param(string(uniqueKeys=["id"]), S, "unjudged-keyword-changed", "none", (P, P, P), id="unknown-keyword-removed"),
    # An unknown keyword deep inside a property, with a nested value that changed.
    pytest.param(prop(foo={"bar": [1]}), prop(foo={"bar": [2]}), "unjudged-keyword-changed", "none", (P, P, P),
                 id="unknown-keyword-nested-value"),
    # `prefixItems` means nothing in draft 7, so validators ignore it there and no rule can judge it.
    pytest.param(draft7({"type": "array", "prefixItems": [S]}), draft7({"type": "array", "prefixItems": [{"type": "integer"}]}),
                 "unjudged-keyword-changed", "none", (P, P, P), id="draft7-prefix-items"),
]


@pytest.mark.parametrize(("old", "new", "rule", "breaks", "severities"), VERDICT_ROWS)
def test_annotation_rule_verdict(old, new, rule, breaks, severities):
    assert_verdicts(old, new, rule, breaks, severities)


NO_CHANGE_ROWS = [
    # 1 and 1.0 are the same JSON number.
    pytest.param({"default": 1}, {"default": 1.0}, id="default-one-as-float"),
    # Key order inside an object default means nothing.
    pytest.param({"default": {"a": 1, "b": 2}}, {"default": {"b": 2, "a": 1}}, id="default-keys-reordered"),
    # An unknown keyword with the same value on both sides, keys reordered.
    pytest.param(string(foo={"a": 1, "b": 2}, minLength=1), {"minLength": 1, "foo": {"b": 2, "a": 1}, "type": "string"},
                 id="unknown-keyword-unchanged"),
]


@pytest.mark.parametrize(("old", "new"), NO_CHANGE_ROWS)
def test_annotation_no_change(old, new):
    assert_no_changes(old, new)


POINTER_ROWS = [
    # A property's default: the property's subschema on both sides.
    pytest.param(prop(default="x"), prop(default="y"), "default-changed", "/properties/a", "/properties/a", id="default"),
    # An added default: the subschema exists on both sides, so both pointers name it.
    pytest.param(prop(), prop(default="y"), "default-added", "/properties/a", "/properties/a", id="default-added"),
    # A root description.
    pytest.param(string(description="old"), string(description="new"), "description-changed", "", "", id="description"),
    # An unknown keyword in a property.
    pytest.param(prop(foo=1), prop(foo=2), "unjudged-keyword-changed", "/properties/a", "/properties/a", id="unknown-keyword"),
]


@pytest.mark.parametrize(("old", "new", "rule", "old_pointer", "new_pointer"), POINTER_ROWS)
def test_annotation_change_pointers(old, new, rule, old_pointer, new_pointer):
    assert_pointers(old, new, rule, old_pointer, new_pointer)
