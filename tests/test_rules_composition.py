"""Per-rule table for oneOf/anyOf/allOf, `not` and if/then/else, and how branches are paired."""

from __future__ import annotations

import pytest
from helpers import A, B, P, assert_no_changes, assert_pointers, assert_verdicts, changes_between, describe

S = {"type": "string"}
I = {"type": "integer"}  # noqa: E741
BOOL = {"type": "boolean"}


def pet(kind, **properties):
    """Return an object branch whose `kind` property is pinned to one value (a discriminator)."""
    return {"type": "object", "properties": {"kind": {"const": kind}, **properties}, "required": ["kind"]}


CAT = pet("cat", lives=I)
DOG = pet("dog", bark=S)
BIRD = pet("bird", wings=I)

#: Object branches with no name, no discriminator and the same type: only their structure tells them apart.
LETTERS = {"type": "object", "properties": {"a": S, "b": S, "c": S}, "required": ["a"]}
NUMBERS = {"type": "object", "properties": {"x": I, "y": I, "z": I}, "required": ["x"]}
LETTERS_AND_D = {"type": "object", "properties": {"a": S, "b": S, "c": S, "d": S}, "required": ["a"]}

DEFS = {
    "Cat": {"type": "object", "properties": {"lives": I}},
    "Dog": {"type": "object", "properties": {"bark": S}},
    "Bird": {"type": "object", "properties": {"wings": I}},
}


def kinded(kind, **keywords):
    """Return the `allOf` member that pins `kind`, used beside a `$ref` to the shared base.

    The extra keywords give an edited member enough in common with its old self to be paired by structure.
    """
    return {"properties": {"kind": {"const": kind}, "bark": S}, "required": ["kind"], "maxProperties": 3, **keywords}


def ref(name):
    return {"$ref": f"#/$defs/{name}"}


def with_defs(schema, **defs):
    return {**schema, "$defs": {**DEFS, **defs}}


VERDICT_ROWS = [
    # --- oneOf/anyOf branches ---
    # A new variant: old readers reject birds.
    pytest.param({"oneOf": [CAT, DOG]}, {"oneOf": [CAT, DOG, BIRD]}, "variant-added", "forward", (B, A, B), id="variant-added"),
    # A variant removed: old data may be a bird.
    pytest.param({"oneOf": [CAT, DOG, BIRD]}, {"oneOf": [CAT, DOG]}, "variant-removed", "backward", (B, B, P), id="variant-removed"),
    # Added at the front: the shifted branches are the same variants, so only the bird is new.
    pytest.param({"oneOf": [CAT, DOG]}, {"oneOf": [BIRD, CAT, DOG]}, "variant-added", "forward", (B, A, B),
                 id="variant-added-first"),
    # `anyOf` grows a boolean variant: old readers reject booleans.
    pytest.param({"anyOf": [S, I]}, {"anyOf": [S, I, BOOL]}, "variant-added", "forward", (B, A, B), id="any-of-variant-added"),
    # The middle `anyOf` branch removed: old data may be an integer.
    pytest.param({"anyOf": [S, I, BOOL]}, {"anyOf": [S, BOOL]}, "variant-removed", "backward", (B, B, P),
                 id="any-of-middle-variant-removed"),
    # A plain string schema grows into a union: the string stays the first variant, integers are new.
    pytest.param(S, {"oneOf": [S, I]}, "variant-added", "forward", (B, A, B), id="schema-becomes-union"),
    # A union collapses to its string variant: old data may be an integer.
    pytest.param({"oneOf": [S, I]}, S, "variant-removed", "backward", (B, B, P), id="union-becomes-schema"),
    # Variants referenced by `$ref`: a third one added.
    pytest.param(with_defs({"oneOf": [ref("Cat"), ref("Dog")]}), with_defs({"oneOf": [ref("Cat"), ref("Dog"), ref("Bird")]}),
                 "variant-added", "forward", (B, A, B), id="ref-variant-added"),
    # Variants referenced by `$ref`: one removed, the definition stays.
    pytest.param(with_defs({"anyOf": [ref("Cat"), ref("Dog"), ref("Bird")]}), with_defs({"anyOf": [ref("Cat"), ref("Bird")]}),
                 "variant-removed", "backward", (B, B, P), id="ref-variant-removed"),
    # A variant changed in place (dog's bark from string to integer), found by its discriminator after a reorder.
    pytest.param({"oneOf": [CAT, DOG]}, {"oneOf": [pet("dog", bark=I), CAT]}, "type-changed", "both", (B, B, B),
                 id="variant-changed-in-place"),

    # --- oneOf and anyOf ---
    # 5 matches both branches: `oneOf` rejected it, `anyOf` accepts it, so old readers reject it.
    pytest.param({"oneOf": [{"minimum": 0}, {"maximum": 10}]}, {"anyOf": [{"minimum": 0}, {"maximum": 10}]},
                 "one-of-relaxed-to-any-of", "forward", (B, A, B), id="one-of-to-any-of"),
    # 5 matches both branches: `anyOf` accepted it and `oneOf` rejects it, so old data is rejected.
    pytest.param({"anyOf": [{"minimum": 0}, {"maximum": 10}]}, {"oneOf": [{"minimum": 0}, {"maximum": 10}]},
                 "any-of-tightened-to-one-of", "backward", (B, B, P), id="any-of-to-one-of"),

    # --- allOf members ---
    # Every member must hold: old data need not match the new one.
    pytest.param(with_defs({"allOf": [ref("Cat")]}), with_defs({"allOf": [ref("Cat"), ref("Dog")]}), "all-of-member-added",
                 "backward", (B, B, P), id="all-of-ref-member-added"),
    # Old readers still apply the removed member.
    pytest.param(with_defs({"allOf": [ref("Cat"), ref("Dog")]}), with_defs({"allOf": [ref("Cat")]}), "all-of-member-removed",
                 "forward", (B, A, B), id="all-of-ref-member-removed"),
    # An inline member added beside one inline member: only the new member is new.
    pytest.param({"allOf": [LETTERS]}, {"allOf": [LETTERS, {"required": ["b"]}]}, "all-of-member-added", "backward",
                 (B, B, P), id="all-of-inline-member-added-to-one"),
    # An inline member removed, leaving one inline member: only that member is gone.
    pytest.param({"allOf": [LETTERS, {"required": ["b"]}]}, {"allOf": [LETTERS]}, "all-of-member-removed", "forward",
                 (B, A, B), id="all-of-inline-member-removed-to-one"),
    # A third inline member added to two: old data need not match it.
    pytest.param({"allOf": [LETTERS, {"required": ["b"]}]}, {"allOf": [LETTERS, {"required": ["b"]}, {"maxProperties": 3}]},
                 "all-of-member-added", "backward", (B, B, P), id="all-of-inline-member-added"),

    # --- what the schemas beside a subschema list ---
    # The first member's `false` rejected "b", which its sibling lists: {"a": "x", "b": "y"} is
    # valid under the new schema and rejected by the old one, so opening it breaks old readers.
    pytest.param({"allOf": [{"properties": {"a": S}, "additionalProperties": False}, {"properties": {"b": S}}]},
                 {"allOf": [{"properties": {"a": S}}, {"properties": {"b": S}}]},
                 "additional-properties-opened", "forward", (B, A, B), id="all-of-member-opened-beside-other-name"),
    # The closed member lists every name its sibling lists, so opening it lets in only names no schema lists.
    pytest.param({"allOf": [{"properties": {"a": S, "b": S}, "additionalProperties": False}, {"required": ["a"]}]},
                 {"allOf": [{"properties": {"a": S, "b": S}}, {"required": ["a"]}]},
                 "additional-properties-opened", "none", (A, A, A), id="all-of-member-opened-lists-every-name"),
    # The closed branch rejected "id", which the schema holding the `oneOf` lists: {"id": "x",
    # "type": "a"} is valid under the new schema and rejected by the old one.
    pytest.param({"properties": {"id": S}, "oneOf": [{"properties": {"type": {"const": "a"}}, "required": ["type"], "additionalProperties": False},
                                                      {"properties": {"type": {"const": "b"}}, "required": ["type"]}]},
                 {"properties": {"id": S}, "oneOf": [{"properties": {"type": {"const": "a"}}, "required": ["type"]},
                                                      {"properties": {"type": {"const": "b"}}, "required": ["type"]}]},
                 "additional-properties-opened", "forward", (B, A, B), id="one-of-branch-opened-beside-outer-name"),
    # "a" was listed by the first member and unconstrained there; the second member now
    # requires a string, and old data {"a": 1} is rejected.
    pytest.param({"allOf": [{"properties": {"a": {}}}, {"type": "object"}]},
                 {"allOf": [{"properties": {"a": {}}}, {"type": "object", "properties": {"a": S}}]},
                 "type-narrowed", "backward", (B, B, P), id="all-of-property-added-beside-listed-name"),
    # The reverse: the second member drops its string rule for "a", which the first member
    # still lists, so new data {"a": 1} is valid and old readers reject it.
    pytest.param({"allOf": [{"properties": {"a": {}}}, {"type": "object", "properties": {"a": S}}]},
                 {"allOf": [{"properties": {"a": {}}}, {"type": "object"}]},
                 "type-widened", "forward", (B, A, B), id="all-of-property-removed-beside-listed-name"),
    # "a" leaves the outer properties but an `anyOf` branch still lists it: new data {"a": 1}
    # matches that branch, and old readers reject it.
    pytest.param({"properties": {"a": S}, "anyOf": [{"properties": {"a": {}}}, {"required": ["b"]}]},
                 {"anyOf": [{"properties": {"a": {}}}, {"required": ["b"]}]},
                 "type-widened", "forward", (B, A, B), id="property-removed-still-listed-by-branch"),

    # --- a union beside other keywords ---
    # An `anyOf` added beside `type`: old data with neither "a" nor "b" is rejected.
    pytest.param({"type": "object"}, {"type": "object", "anyOf": [{"required": ["a"]}, {"required": ["b"]}]},
                 "composition-added", "backward", (B, B, P), id="composition-added"),
    # The `anyOf` removed: new data may have neither, which old readers reject.
    pytest.param({"type": "object", "anyOf": [{"required": ["a"]}, {"required": ["b"]}]}, {"type": "object"},
                 "composition-removed", "forward", (B, A, B), id="composition-removed"),

    # --- not ---
    # Strings are now rejected, and old data may be a string.
    pytest.param({}, {"not": S}, "not-added", "backward", (B, B, P), id="not-added"),
    # Strings are now accepted, and old readers reject them.
    pytest.param({"not": S}, {}, "not-removed", "forward", (B, A, B), id="not-removed"),
    # `not` now also excludes integers: the inner widening rejects old integer data, so directions swap.
    pytest.param({"not": S}, {"not": {"type": ["string", "integer"]}}, "type-widened", "backward", (B, B, P),
                 id="not-inner-widened"),
    # `not` now excludes only "a": "b" is accepted and old readers reject it, so directions swap.
    pytest.param({"not": {"enum": ["a", "b"]}}, {"not": {"enum": ["a"]}}, "enum-value-removed", "forward", (B, A, B),
                 id="not-inner-value-removed"),
    # `not` now excludes more values: old data "c" is rejected.
    pytest.param({"not": {"enum": ["a"]}}, {"not": {"enum": ["a", "c"]}}, "enum-value-added", "backward", (B, B, P),
                 id="not-inner-value-added"),
    # Two `not`s cancel: the inner value added is a widening of the whole again.
    pytest.param({"not": {"not": {"enum": ["a"]}}}, {"not": {"not": {"enum": ["a", "b"]}}}, "enum-value-added", "forward",
                 (B, A, B), id="not-not-value-added"),
    # A change that breaks both directions still breaks both under `not`.
    pytest.param({"not": {"const": "a"}}, {"not": {"const": "b"}}, "const-changed", "both", (B, B, B), id="not-const-changed"),
    # Inside `not`, a required name added makes the inner schema accept less, so the whole accepts more.
    pytest.param({"not": {"required": ["a"]}}, {"not": {"required": ["a", "b"]}}, "required-added", "forward", (B, A, B),
                 id="not-inner-required-added"),

    # --- if/then/else ---
    # Where the condition holds, "b" is now required: old data may lack it.
    pytest.param({"if": {"required": ["a"]}, "then": {"required": ["c"]}},
                 {"if": {"required": ["a"]}, "then": {"required": ["c", "b"]}},
                 "required-added", "backward", (B, B, P), id="then-required-added"),
    # Where the condition fails, "c" is no longer required: old readers still require it.
    pytest.param({"if": {"required": ["a"]}, "else": {"required": ["c"]}}, {"if": {"required": ["a"]}, "else": {}},
                 "required-removed", "forward", (B, A, B), id="else-required-removed"),
    # A `then` added where the `if` already existed: old data that meets the condition may lack "c".
    pytest.param({"if": {"required": ["a"]}, "else": {"required": ["d"]}},
                 {"if": {"required": ["a"]}, "then": {"required": ["c"]}, "else": {"required": ["d"]}},
                 "required-added", "backward", (B, B, P), id="then-added"),
    # A condition added where there was none: where "a" is 1, "b" is now required, and old
    # data {"a": 1} lacks it. Nothing valid now was invalid before, so only backward breaks.
    pytest.param({"type": "object"},
                 {"type": "object", "if": {"properties": {"a": {"const": 1}}, "required": ["a"]}, "then": {"required": ["b"]}},
                 "required-added", "backward", (B, B, P), id="condition-added"),
    # The condition removed: new data {"a": 1} without "b" is rejected by old readers.
    pytest.param({"type": "object", "if": {"properties": {"a": {"const": 1}}, "required": ["a"]}, "then": {"required": ["b"]}},
                 {"type": "object"},
                 "required-removed", "forward", (B, A, B), id="condition-removed"),
    # The condition changed: data moves between `then` and `else`, so either side may reject the other's data.
    pytest.param({"if": {"required": ["a"]}, "then": {"required": ["c"]}, "else": {"required": ["d"]}},
                 {"if": {"required": ["b"]}, "then": {"required": ["c"]}, "else": {"required": ["d"]}},
                 "condition-changed", "both", (B, B, B), id="if-changed"),
]


@pytest.mark.parametrize(("old", "new", "rule", "breaks", "severities"), VERDICT_ROWS)
def test_composition_rule_verdict(old, new, rule, breaks, severities):
    assert_verdicts(old, new, rule, breaks, severities)


NO_CHANGE_ROWS = [
    # Branch order means nothing.
    pytest.param({"oneOf": [S, I, BOOL]}, {"oneOf": [BOOL, S, I]}, id="one-of-reordered"),
    # Discriminated branches reordered.
    pytest.param({"oneOf": [CAT, DOG, BIRD]}, {"oneOf": [BIRD, CAT, DOG]}, id="discriminated-reordered"),
    # `$ref` branches reordered.
    pytest.param(with_defs({"anyOf": [ref("Cat"), ref("Dog")]}), with_defs({"anyOf": [ref("Dog"), ref("Cat")]}),
                 id="ref-branches-reordered"),
    # `allOf` members reordered: all must hold either way.
    pytest.param({"allOf": [LETTERS, {"required": ["b"]}]}, {"allOf": [{"required": ["b"]}, LETTERS]}, id="all-of-reordered"),
    # A one-member `allOf` says the same as its member.
    pytest.param({"allOf": [S]}, S, id="all-of-of-one"),
    # A one-branch `oneOf` says the same as its branch.
    pytest.param({"oneOf": [LETTERS]}, LETTERS, id="one-of-of-one"),
    # Without `if`, `then` is ignored, so changing it changes nothing.
    pytest.param({"then": {"required": ["a"]}}, {"then": {"required": ["a", "b"]}}, id="then-without-if"),
    # Without `then` and `else`, `if` asserts nothing, so changing it changes nothing.
    pytest.param({"if": {"required": ["a"]}}, {"if": {"required": ["b"]}}, id="if-without-branches"),
    # A discriminator written as `const` or as a one-value `enum` is the same, whatever the order.
    pytest.param({"oneOf": [CAT, DOG]},
                 {"oneOf": [{"type": "object", "properties": {"kind": {"enum": ["dog"]}, "bark": S}, "required": ["kind"]}, CAT]},
                 id="discriminator-respelled"),
]


@pytest.mark.parametrize(("old", "new"), NO_CHANGE_ROWS)
def test_composition_respelling_no_change(old, new):
    assert_no_changes(old, new)


POINTER_ROWS = [
    # An added branch exists only in the new version.
    pytest.param({"oneOf": [CAT, DOG]}, {"oneOf": [BIRD, CAT, DOG]}, "variant-added", None, "/oneOf/0", id="variant-added"),
    # A removed branch exists only in the old version.
    pytest.param({"anyOf": [S, I, BOOL]}, {"anyOf": [S, BOOL]}, "variant-removed", "/anyOf/1", None, id="variant-removed"),
    # A change inside a branch that moved: each side's own position.
    pytest.param({"oneOf": [CAT, DOG]}, {"oneOf": [pet("dog", bark=I), CAT]}, "type-changed",
                 "/oneOf/1/properties/bark", "/oneOf/0/properties/bark", id="moved-variant"),
    # A new `allOf` member exists only in the new version.
    pytest.param(with_defs({"allOf": [ref("Cat")]}), with_defs({"allOf": [ref("Cat"), ref("Dog")]}), "all-of-member-added",
                 None, "/allOf/1", id="all-of-member-added"),
    # The root holds both `oneOf` and `anyOf`.
    pytest.param({"oneOf": [{"minimum": 0}, {"maximum": 10}]}, {"anyOf": [{"minimum": 0}, {"maximum": 10}]},
                 "one-of-relaxed-to-any-of", "", "", id="one-of-to-any-of"),
    # A change inside `not`: the `not` subschema on both sides.
    pytest.param({"not": {"enum": ["a"]}}, {"not": {"enum": ["a", "c"]}}, "enum-value-added", "/not", "/not", id="inside-not"),
    # A change inside `then`: the `then` subschema on both sides.
    pytest.param({"if": {"required": ["a"]}, "then": {"required": ["c"]}},
                 {"if": {"required": ["a"]}, "then": {"required": ["c", "b"]}}, "required-added", "/then", "/then", id="inside-then"),
]


@pytest.mark.parametrize(("old", "new", "rule", "old_pointer", "new_pointer"), POINTER_ROWS)
def test_composition_change_pointers(old, new, rule, old_pointer, new_pointer):
    assert_pointers(old, new, rule, old_pointer, new_pointer)


def found(changes):
    return sorted((change.rule, change.old_pointer, change.new_pointer) for change in changes)


# Each row: old, new, and every change expected as (rule, old_pointer, new_pointer). Branches
# must be paired by what identifies them, so that moving, adding or removing one branch
# reports exactly that branch and nothing inside the others.
MATCHING_ROWS = [
    # By discriminator: a bird inserted first and the dog changed; the dog is found at its new position.
    pytest.param({"oneOf": [CAT, DOG]}, {"oneOf": [BIRD, CAT, pet("dog", bark=I)]},
                 [("type-changed", "/oneOf/1/properties/bark", "/oneOf/2/properties/bark"), ("variant-added", None, "/oneOf/0")],
                 id="discriminator"),
    # By discriminator inside `allOf`: each branch is a shared base plus its pinned kind.
    pytest.param(
        with_defs({"oneOf": [{"allOf": [ref("Cat"), kinded("cat")]}, {"allOf": [ref("Dog"), kinded("dog")]}]}),
        with_defs({"oneOf": [{"allOf": [ref("Dog"), kinded("dog", maxProperties=2)]},
                             {"allOf": [ref("Bird"), kinded("bird")]},
                             {"allOf": [ref("Cat"), kinded("cat")]}]}),
        [("bound-tightened", "/oneOf/1/allOf/1", "/oneOf/0/allOf/1"), ("variant-added", None, "/oneOf/1")],
        id="discriminator-inside-all-of"),
    # By `$ref` target: Cat's definition changed, Bird added, order changed; Cat's change is reported once, at the definition.
    pytest.param(with_defs({"oneOf": [ref("Cat"), ref("Dog")]}),
                 with_defs({"oneOf": [ref("Dog"), ref("Bird"), ref("Cat")]}, Cat={"type": "object", "properties": {"lives": S}}),
                 [("type-changed", "/$defs/Cat/properties/lives", "/$defs/Cat/properties/lives"), ("variant-added", None, "/oneOf/1")],
                 id="ref-target"),
    # By `x-readme-ref-name`: inline named branches reordered, one changed.
    pytest.param({"anyOf": [{"x-readme-ref-name": "Cat", **DEFS["Cat"]}, {"x-readme-ref-name": "Dog", **DEFS["Dog"]}]},
                 {"anyOf": [{"x-readme-ref-name": "Dog", "type": "object", "properties": {"bark": I}},
                            {"x-readme-ref-name": "Cat", **DEFS["Cat"]}]},
                 [("type-changed", "/anyOf/1/properties/bark", "/anyOf/0/properties/bark")], id="readme-ref-name"),
    # By `title`: a titled branch inserted between two titled branches, one of which changed.
    pytest.param({"oneOf": [{"title": "Cat", **DEFS["Cat"]}, {"title": "Dog", **DEFS["Dog"]}]},
                 {"oneOf": [{"title": "Cat", "type": "object", "properties": {"lives": S}},
                            {"title": "Bird", **DEFS["Bird"]}, {"title": "Dog", **DEFS["Dog"]}]},
                 [("type-changed", "/oneOf/0/properties/lives", "/oneOf/0/properties/lives"), ("variant-added", None, "/oneOf/1")],
                 id="title"),
    # By type: the integer branch moved to the front and gained a minimum.
    pytest.param({"oneOf": [{"type": "string", "maxLength": 5}, I]},
                 {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "maxLength": 5}]},
                 [("bound-tightened", "/oneOf/1", "/oneOf/0")], id="type"),
    # By structure: two unnamed object branches swapped, and "b" of one changed from string to integer.
    pytest.param({"anyOf": [LETTERS, NUMBERS]},
                 {"anyOf": [NUMBERS, {"type": "object", "properties": {"a": S, "b": I, "c": S}, "required": ["a"]}]},
                 [("type-changed", "/anyOf/0/properties/b", "/anyOf/1/properties/b")], id="structure"),
    # A branch much like an existing one inserted between them: only the insert is reported.
    pytest.param({"anyOf": [LETTERS, NUMBERS]}, {"anyOf": [LETTERS, LETTERS_AND_D, NUMBERS]},
                 [("variant-added", None, "/anyOf/1")], id="similar-branch-inserted"),
    # A branch much like a remaining one removed: only the removal is reported.
    pytest.param({"anyOf": [LETTERS, LETTERS_AND_D, NUMBERS]}, {"anyOf": [NUMBERS, LETTERS]},
                 [("variant-removed", "/anyOf/1", None)], id="similar-branch-removed"),
    # Two string branches: the unchanged one pairs by content, the edited one by type among those left.
    pytest.param({"oneOf": [{"type": "string", "maxLength": 5}, {"type": "string", "format": "email"}]},
                 {"oneOf": [{"type": "string", "format": "email"}, {"type": "string", "maxLength": 6}]},
                 [("bound-loosened", "/oneOf/0", "/oneOf/1")], id="same-type-edited"),
    # A schema grows into a union and its default changes too: both changes are reported.
    pytest.param({"type": "string", "default": "a"}, {"oneOf": [S, I], "default": "b"},
                 [("default-changed", "", ""), ("variant-added", None, "/oneOf/1")], id="union-grows-default-changed"),
    # A union collapses to one branch and gains a description: the cosmetic change is not lost.
    pytest.param({"oneOf": [S, I]}, {"type": "string", "description": "a name"},
                 [("description-changed", "", ""), ("variant-removed", "/oneOf/1", None)], id="union-collapses-description-added"),
    # The first of three typed branches removed: the others shifted but did not change.
    pytest.param({"oneOf": [S, I, BOOL]}, {"oneOf": [I, BOOL]}, [("variant-removed", "/oneOf/0", None)], id="first-removed"),
]


@pytest.mark.parametrize(("old", "new", "expected"), MATCHING_ROWS)
def test_branch_matching(old, new, expected):
    changes = changes_between(old, new)

    assert found(changes) == sorted(expected), describe(changes)


def test_variant_added_names_branch():
    # The message names the new variant by its discriminator value, so readers can tell which one.
    changes = changes_between({"oneOf": [CAT, DOG]}, {"oneOf": [CAT, DOG, BIRD]})

    assert len(changes) == 1
    assert "bird" in changes[0].message


def tagged(kind, extra):
    """Return a union branch tagged by `kind`, with more properties."""
    return {"properties": {**extra, "kind": {"const": kind}}, "required": ["kind"]}


BASE = {"properties": {"id": S}}


def extended(extension):
    """Return a schema that extends BASE through an `allOf` with a `$ref`, as OpenAPI documents do."""
    return {"$defs": {"Base": BASE}, "allOf": [{"$ref": "#/$defs/Base"}, {"properties": {"name": S, **extension}}]}


MOVE_ROWS = [
    # "id" moves from every branch to the schema holding the union: every instance valid
    # before is valid after and the other way round, so nothing may break.
    pytest.param({"oneOf": [tagged("a", {"id": S}), tagged("b", {"id": S})]},
                 {"properties": {"id": S}, "oneOf": [tagged("a", {}), tagged("b", {})]}, id="hoisted-into-holder"),
    # The reverse move: pushed down into every branch.
    pytest.param({"properties": {"id": S}, "oneOf": [tagged("a", {}), tagged("b", {})]},
                 {"oneOf": [tagged("a", {"id": S}), tagged("b", {"id": S})]}, id="pushed-into-branches"),
    # The extension repeats Base's "id" with the same type and a description: Base still
    # applies, and the repeated schema adds no constraint.
    pytest.param(extended({}), extended({"id": {"type": "string", "description": "The id again."}}), id="redeclared-in-extension"),
    # `unevaluatedProperties: false` accepted "a" because the `allOf` member evaluates it; the
    # outer schema now lists "a" with the same schema, which changes no valid instance.
    pytest.param({"allOf": [{"properties": {"a": S}}], "properties": {"b": S}, "unevaluatedProperties": False},
                 {"allOf": [{"properties": {"a": S}}], "properties": {"b": S, "a": S}, "unevaluatedProperties": False},
                 id="listed-beside-unevaluated-false"),
]


@pytest.mark.parametrize(("old", "new"), MOVE_ROWS)
def test_moved_property_breaks_nothing(old, new):
    changes = changes_between(old, new)

    assert not [change for change in changes if change.breaks], describe(changes)


BESIDE_ROWS = [
    # The extension repeats Base's "id" with a length limit: old data {"id": "long"} is
    # rejected, so it breaks backward, and only backward, since Base still applies.
    pytest.param(extended({}), extended({"id": {"type": "string", "maxLength": 3}}), "bound-tightened", "backward", id="narrowed-beside"),
    # The limit dropped from the extension: new data {"id": "long"} is rejected by old readers.
    pytest.param(extended({"id": {"maxLength": 3}}), extended({}), "bound-loosened", "forward", id="narrowing-dropped-beside"),
    # `then` opened while the `if` lists "kind": {"kind": "a", "x": "s"} was rejected by the
    # closed `then` and is now valid, so old readers reject it.
    pytest.param({"if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]},
                  "then": {"properties": {"x": S}, "additionalProperties": False}},
                 {"if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]}, "then": {"properties": {"x": S}}},
                 "additional-properties-opened", "forward", id="then-opened-beside-if-names"),
    # Under `not`, opening the closed schema makes it match {"b": "y"}, which the holder lists;
    # the `not` now rejects that old data, so it breaks backward.
    pytest.param({"properties": {"b": S}, "not": {"properties": {"a": S}, "additionalProperties": False}},
                 {"properties": {"b": S}, "not": {"properties": {"a": S}}},
                 "additional-properties-opened", "backward", id="opened-under-not"),
]


@pytest.mark.parametrize(("old", "new", "rule", "breaks"), BESIDE_ROWS)
def test_property_judged_beside_other_schemas(old, new, rule, breaks):
    changes = changes_between(old, new)

    assert [(change.rule, "+".join(sorted(direction.value for direction in change.breaks))) for change in changes] == [(rule, breaks)], \
        describe(changes)
