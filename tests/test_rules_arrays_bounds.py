"""Per-rule table for array items, `contains`, numeric bounds, lengths, counts,
`multipleOf`, `uniqueItems`, `pattern` and `format`."""

from __future__ import annotations

import pytest
from helpers import A, B, P, assert_no_changes, assert_pointers, assert_verdicts, changes_between, describe, draft4, draft7

S = {"type": "string"}
I = {"type": "integer"}  # noqa: E741
N = {"type": "number"}


def array(**keywords):
    return {"type": "array", **keywords}


def number(**keywords):
    return {"type": "number", **keywords}


def string(**keywords):
    return {"type": "string", **keywords}


ITEM_ROWS = [
    # --- items, draft 2020-12 ---
    # Every item changed from string to integer: each side rejects the other's items.
    pytest.param(array(items=S), array(items=I), "type-changed", "both", (B, B, B), id="items-changed"),
    # Items could be anything, now only strings: old arrays may hold numbers.
    pytest.param(array(), array(items=S), "type-narrowed", "backward", (B, B, P), id="items-added"),
    # Items may now be anything: old readers reject non-strings.
    pytest.param(array(items=S), array(), "type-widened", "forward", (B, A, B), id="items-removed"),
    # `items: false` with no tuple allows only the empty array; old arrays of strings are rejected.
    pytest.param(array(items=S), array(items=False), "additional-items-closed", "backward", (B, B, P), id="items-false"),
    # From only the empty array to arrays of strings: old readers reject the new items.
    pytest.param(array(items=False), array(items=S), "additional-items-opened", "forward", (B, A, B), id="items-false-opened"),

    # --- prefixItems, draft 2020-12 ---
    # Position 1 was unconstrained and must now be an integer: old data may hold anything there.
    pytest.param(array(prefixItems=[S]), array(prefixItems=[S, I]), "type-narrowed", "backward", (B, B, P),
                 id="prefix-position-added-open"),
    # Position 1 is unconstrained now: old readers reject non-integers there.
    pytest.param(array(prefixItems=[S, I]), array(prefixItems=[S]), "type-widened", "forward", (B, A, B),
                 id="prefix-position-removed-open"),
    # A closed tuple grows a position: two-item arrays were rejected by old readers.
    pytest.param(array(prefixItems=[S], items=False), array(prefixItems=[S, I], items=False), "additional-items-opened",
                 "forward", (B, A, B), id="prefix-position-added-closed"),
    # A closed tuple loses a position: old two-item arrays are now rejected.
    pytest.param(array(prefixItems=[S, I], items=False), array(prefixItems=[S], items=False), "additional-items-closed",
                 "backward", (B, B, P), id="prefix-position-removed-closed"),
    # The tuple is opened: items past the first are allowed and old readers reject them.
    pytest.param(array(prefixItems=[S], items=False), array(prefixItems=[S]), "additional-items-opened", "forward",
                 (B, A, B), id="prefix-tuple-opened"),
    # The tuple is closed: old arrays with more than one item are rejected.
    pytest.param(array(prefixItems=[S]), array(prefixItems=[S], items=False), "additional-items-closed", "backward",
                 (B, B, P), id="prefix-tuple-closed"),
    # The first position changed kind.
    pytest.param(array(prefixItems=[S]), array(prefixItems=[I]), "type-changed", "both", (B, B, B), id="prefix-position-changed"),
    # Items past the tuple changed kind.
    pytest.param(array(prefixItems=[S], items=S), array(prefixItems=[S], items=I), "type-changed", "both", (B, B, B),
                 id="prefix-rest-changed"),

    # --- items and additionalItems, draft-07 tuple form ---
    # A closed tuple grows a position: old readers reject two-item arrays.
    pytest.param(draft7(array(items=[S], additionalItems=False)), draft7(array(items=[S, I], additionalItems=False)),
                 "additional-items-opened", "forward", (B, A, B), id="draft7-tuple-position-added-closed"),
    # A closed tuple loses a position: old two-item arrays are rejected.
    pytest.param(draft7(array(items=[S, I], additionalItems=False)), draft7(array(items=[S], additionalItems=False)),
                 "additional-items-closed", "backward", (B, B, P), id="draft7-tuple-position-removed-closed"),
    # The tuple is closed: old arrays with extra items are rejected.
    pytest.param(draft7(array(items=[S])), draft7(array(items=[S], additionalItems=False)), "additional-items-closed",
                 "backward", (B, B, P), id="draft7-additional-items-closed"),
    # The tuple is opened: old readers reject extra items.
    pytest.param(draft7(array(items=[S], additionalItems=False)), draft7(array(items=[S])), "additional-items-opened",
                 "forward", (B, A, B), id="draft7-additional-items-opened"),
    # Extra items changed kind.
    pytest.param(draft7(array(items=[S], additionalItems=S)), draft7(array(items=[S], additionalItems=I)), "type-changed",
                 "both", (B, B, B), id="draft7-additional-items-changed"),
    # The first listed position changed kind.
    pytest.param(draft7(array(items=[S])), draft7(array(items=[I])), "type-changed", "both", (B, B, B),
                 id="draft7-tuple-position-changed"),
    # Position 1 of an open tuple is unconstrained now: old readers reject non-integers there.
    pytest.param(draft7(array(items=[S, I])), draft7(array(items=[S])), "type-widened", "forward", (B, A, B),
                 id="draft7-tuple-position-removed-open"),
    # Draft 7 `items` as one schema applies to every item.
    pytest.param(draft7(array(items=S)), draft7(array(items=I)), "type-changed", "both", (B, B, B), id="draft7-items-schema-changed"),

    # --- contains, minContains, maxContains ---
    # Old arrays may have no string.
    pytest.param(array(), array(contains=S), "contains-added", "backward", (B, B, P), id="contains-added"),
    # New arrays may have no string, which old readers reject.
    pytest.param(array(contains=S), array(), "contains-removed", "forward", (B, A, B), id="contains-removed"),
    # An integer now satisfies `contains`: arrays without a string are new and old readers reject them.
    pytest.param(array(contains=S), array(contains={"type": ["string", "integer"]}), "type-widened", "forward", (B, A, B),
                 id="contains-widened"),
    # Old arrays with one matching item are rejected.
    pytest.param(array(contains=S, minContains=1), array(contains=S, minContains=2), "bound-tightened", "backward",
                 (B, B, P), id="min-contains-raised"),
    # Old arrays with three matching items are rejected.
    pytest.param(array(contains=S, maxContains=3), array(contains=S, maxContains=2), "bound-tightened", "backward",
                 (B, B, P), id="max-contains-lowered"),
    # Any number of matching items is allowed now; old readers reject more than three.
    pytest.param(array(contains=S, maxContains=3), array(contains=S), "bound-loosened", "forward", (B, A, B),
                 id="max-contains-removed"),
]


@pytest.mark.parametrize(("old", "new", "rule", "breaks", "severities"), ITEM_ROWS)
def test_array_rule_verdict(old, new, rule, breaks, severities):
    assert_verdicts(old, new, rule, breaks, severities)


BOUND_ROWS = [
    # --- minimum, maximum and their exclusive forms ---
    # Old data may be negative.
    pytest.param(N, number(minimum=0), "bound-tightened", "backward", (B, B, P), id="minimum-added"),
    # Negative numbers are allowed now; old readers reject them.
    pytest.param(number(minimum=0), N, "bound-loosened", "forward", (B, A, B), id="minimum-removed"),
    # Old data may be 0.5.
    pytest.param(number(minimum=0), number(minimum=1), "bound-tightened", "backward", (B, B, P), id="minimum-raised"),
    # 0.5 is allowed now and old readers reject it.
    pytest.param(number(minimum=1), number(minimum=0), "bound-loosened", "forward", (B, A, B), id="minimum-lowered"),
    # Old data may be 7.
    pytest.param(number(maximum=10), number(maximum=5), "bound-tightened", "backward", (B, B, P), id="maximum-lowered"),
    # 7 is allowed now and old readers reject it.
    pytest.param(number(maximum=5), number(maximum=10), "bound-loosened", "forward", (B, A, B), id="maximum-raised"),
    # Old data may be negative or 0.
    pytest.param(N, number(exclusiveMinimum=0), "bound-tightened", "backward", (B, B, P), id="exclusive-minimum-added"),
    # The limit stays 0 but 0 itself is now rejected, and old data may be 0.
    pytest.param(number(minimum=0), number(exclusiveMinimum=0), "bound-tightened", "backward", (B, B, P),
                 id="minimum-made-exclusive"),
    # 10 itself is allowed now, and old readers reject it.
    pytest.param(number(exclusiveMaximum=10), number(maximum=10), "bound-loosened", "forward", (B, A, B),
                 id="maximum-made-inclusive"),
    # x >= 0 became x > -1: -0.5 is allowed now and old readers reject it.
    pytest.param(number(minimum=0), number(exclusiveMinimum=-1), "bound-loosened", "forward", (B, A, B),
                 id="minimum-to-lower-exclusive"),
    # x < 10 became x < 9: old data may be 9.5.
    pytest.param(number(exclusiveMaximum=10), number(exclusiveMaximum=9), "bound-tightened", "backward", (B, B, P),
                 id="exclusive-maximum-lowered"),
    # Draft 7 writes exclusive bounds as numbers too: old data may be 10.
    pytest.param(draft7(number(maximum=10)), draft7(number(exclusiveMaximum=10)), "bound-tightened", "backward", (B, B, P),
                 id="draft7-maximum-made-exclusive"),

    # --- draft-04 boolean exclusive bounds ---
    # `exclusiveMinimum: true` turns minimum 0 exclusive: old data may be 0.
    pytest.param(draft4(number(minimum=0, exclusiveMinimum=False)), draft4(number(minimum=0, exclusiveMinimum=True)),
                 "bound-tightened", "backward", (B, B, P), id="draft4-minimum-made-exclusive"),
    # Dropping `exclusiveMinimum: true` admits 0, which old readers reject.
    pytest.param(draft4(number(minimum=0, exclusiveMinimum=True)), draft4(number(minimum=0)), "bound-loosened", "forward",
                 (B, A, B), id="draft4-exclusive-minimum-removed"),
    # x < 10 became x < 11: 10.5 is new and old readers reject it.
    pytest.param(draft4(number(maximum=10, exclusiveMaximum=True)), draft4(number(maximum=11, exclusiveMaximum=True)),
                 "bound-loosened", "forward", (B, A, B), id="draft4-exclusive-maximum-raised"),
    # `exclusiveMaximum: true` added: old data may be 10.
    pytest.param(draft4(number(maximum=10)), draft4(number(maximum=10, exclusiveMaximum=True)), "bound-tightened", "backward",
                 (B, B, P), id="draft4-maximum-made-exclusive"),
    # x > 0 became x >= 1: old data may be 0.5.
    pytest.param(draft4(number(minimum=0, exclusiveMinimum=True)), draft4(number(minimum=1)), "bound-tightened", "backward",
                 (B, B, P), id="draft4-exclusive-zero-to-inclusive-one"),
    # x >= 1 became x > 0: 0.5 is new and old readers reject it.
    pytest.param(draft4(number(minimum=1)), draft4(number(minimum=0, exclusiveMinimum=True)), "bound-loosened", "forward",
                 (B, A, B), id="draft4-inclusive-one-to-exclusive-zero"),

    # --- multipleOf ---
    # Old data may be 3.
    pytest.param(I, {"type": "integer", "multipleOf": 2}, "bound-tightened", "backward", (B, B, P), id="multiple-of-added"),
    # 3 is allowed now and old readers reject it.
    pytest.param({"type": "integer", "multipleOf": 2}, I, "bound-loosened", "forward", (B, A, B), id="multiple-of-removed"),
    # Every multiple of 4 is a multiple of 2, not the reverse: old data may be 2.
    pytest.param(number(multipleOf=2), number(multipleOf=4), "bound-tightened", "backward", (B, B, P), id="multiple-of-2-to-4"),
    # 2 is allowed now and old readers reject it.
    pytest.param(number(multipleOf=4), number(multipleOf=2), "bound-loosened", "forward", (B, A, B), id="multiple-of-4-to-2"),
    # 3 is new, 2 is gone: each side rejects what the other accepts.
    pytest.param(number(multipleOf=2), number(multipleOf=3), "bound-changed", "both", (B, B, B), id="multiple-of-2-to-3"),
    # 0.05 is allowed now and old readers reject it.
    pytest.param(number(multipleOf=0.1), number(multipleOf=0.01), "bound-loosened", "forward", (B, A, B),
                 id="multiple-of-tenth-to-hundredth"),
    # Every integer is a multiple of 0.5; old data may be 0.5.
    pytest.param(number(multipleOf=0.5), number(multipleOf=1), "bound-tightened", "backward", (B, B, P),
                 id="multiple-of-half-to-one"),
    # 4 is a multiple of 4 only and 6 of 6 only, so each side rejects values the other accepts.
    pytest.param(number(multipleOf=4), number(multipleOf=6), "bound-changed", "both", (B, B, B), id="multiple-of-4-to-6"),

    # --- uniqueItems ---
    # Old arrays may repeat items.
    pytest.param(array(uniqueItems=False), array(uniqueItems=True), "bound-tightened", "backward", (B, B, P),
                 id="unique-items-required"),
    # Absent is the same as false.
    pytest.param(array(), array(uniqueItems=True), "bound-tightened", "backward", (B, B, P), id="unique-items-added"),
    # Repeats are allowed now and old readers reject them.
    pytest.param(array(uniqueItems=True), array(), "bound-loosened", "forward", (B, A, B), id="unique-items-removed"),

    # --- lengths and counts ---
    # Old data may be one character long.
    pytest.param(string(minLength=1), string(minLength=2), "bound-tightened", "backward", (B, B, P), id="min-length-raised"),
    # Strings of 11 to 20 characters are new; old readers reject them.
    pytest.param(string(maxLength=10), string(maxLength=20), "bound-loosened", "forward", (B, A, B), id="max-length-raised"),
    # Old data may be the empty string.
    pytest.param(S, string(minLength=1), "bound-tightened", "backward", (B, B, P), id="min-length-added"),
    # Long strings are allowed now; old readers reject them.
    pytest.param(string(maxLength=10), S, "bound-loosened", "forward", (B, A, B), id="max-length-removed"),
    # Old data may be the empty array.
    pytest.param(array(), array(minItems=1), "bound-tightened", "backward", (B, B, P), id="min-items-added"),
    # Old data may hold four items.
    pytest.param(array(maxItems=5), array(maxItems=3), "bound-tightened", "backward", (B, B, P), id="max-items-lowered"),
    # Long arrays are allowed now; old readers reject them.
    pytest.param(array(maxItems=5), array(), "bound-loosened", "forward", (B, A, B), id="max-items-removed"),
    # The empty object is allowed now; old readers reject it.
    pytest.param({"type": "object", "minProperties": 1}, {"type": "object", "minProperties": 0}, "bound-loosened", "forward",
                 (B, A, B), id="min-properties-lowered"),
    # Old objects may have many properties.
    pytest.param({"type": "object"}, {"type": "object", "maxProperties": 3}, "bound-tightened", "backward", (B, B, P),
                 id="max-properties-added"),

    # --- pattern ---
    # Old strings need not match the new pattern.
    pytest.param(S, string(pattern="^[a-z]+$"), "pattern-added", "backward", (B, B, P), id="pattern-added"),
    # Any string is allowed now; old readers still apply the pattern.
    pytest.param(string(pattern="^[a-z]+$"), S, "pattern-removed", "forward", (B, A, B), id="pattern-removed"),
    # Regular expressions cannot be compared in general, so both directions may break.
    pytest.param(string(pattern="^[a-z]+$"), string(pattern="^[a-z0-9]+$"), "pattern-changed", "both", (B, B, B),
                 id="pattern-changed"),

    # --- format, judged as an assertion ---
    # Old strings need not be email addresses.
    pytest.param(S, string(format="email"), "format-added", "backward", (B, B, P), id="format-added"),
    # Any string is allowed now; old readers still expect an email address.
    pytest.param(string(format="email"), S, "format-removed", "forward", (B, A, B), id="format-removed"),
    # Emails and URIs are different string sets.
    pytest.param(string(format="email"), string(format="uri"), "format-changed", "both", (B, B, B), id="format-changed"),
]


@pytest.mark.parametrize(("old", "new", "rule", "breaks", "severities"), BOUND_ROWS)
def test_bound_rule_verdict(old, new, rule, breaks, severities):
    assert_verdicts(old, new, rule, breaks, severities)


NO_CHANGE_ROWS = [
    # `uniqueItems: false` is the default.
    pytest.param(array(), array(uniqueItems=False), id="unique-items-false"),
    # 1 and 1.0 are the same JSON number.
    pytest.param(number(minimum=1), number(minimum=1.0), id="minimum-one-as-float"),
    # 2 and 2.0 are the same step.
    pytest.param(number(multipleOf=2), number(multipleOf=2.0), id="multiple-of-two-as-float"),
    # Beside `exclusiveMinimum: 5`, raising `minimum` from 0 to 3 changes nothing: x > 5 holds either way.
    pytest.param(number(minimum=0, exclusiveMinimum=5), number(minimum=3, exclusiveMinimum=5), id="minimum-below-exclusive"),
    # Draft 4: `exclusiveMinimum: false` is the default.
    pytest.param(draft4(number(minimum=0)), draft4(number(minimum=0, exclusiveMinimum=False)), id="draft4-exclusive-false"),
    # `minLength: 0` accepts every string, like no `minLength`.
    pytest.param(S, string(minLength=0), id="min-length-zero"),
    # `minContains` is 1 when absent, so writing 1 changes nothing.
    pytest.param(array(contains=S), array(contains=S, minContains=1), id="min-contains-one"),
    # Position 1 was governed by `items: integer`; listing it as integer says the same.
    pytest.param(array(prefixItems=[S], items=I), array(prefixItems=[S, I], items=I), id="prefix-position-spelled-out"),
    # Draft 7 spelling of the same: the extra position was governed by `additionalItems`.
    pytest.param(draft7(array(items=[S], additionalItems=I)), draft7(array(items=[S, I], additionalItems=I)),
                 id="draft7-tuple-position-spelled-out"),
    # Draft 7 ignores `additionalItems` when `items` is one schema.
    pytest.param(draft7(array(items=S, additionalItems=False)), draft7(array(items=S)), id="draft7-additional-items-ignored"),
]


@pytest.mark.parametrize(("old", "new"), NO_CHANGE_ROWS)
def test_array_bound_respelling_no_change(old, new):
    assert_no_changes(old, new)


POINTER_ROWS = [
    # The item schema on both sides.
    pytest.param(array(items=S), array(items=I), "type-changed", "/items", "/items", id="items"),
    # The second tuple position on both sides.
    pytest.param(array(prefixItems=[S, S]), array(prefixItems=[S, I]), "type-changed", "/prefixItems/1", "/prefixItems/1",
                 id="prefix-items"),
    # Draft 7: the first tuple position lives under `items`.
    pytest.param(draft7(array(items=[S])), draft7(array(items=[I])), "type-changed", "/items/0", "/items/0", id="draft7-tuple"),
    # Draft 7: extra items live under `additionalItems`.
    pytest.param(draft7(array(items=[S], additionalItems=S)), draft7(array(items=[S], additionalItems=I)), "type-changed",
                 "/additionalItems", "/additionalItems", id="draft7-additional-items"),
    # A root bound: the root holds `minimum` on both sides.
    pytest.param(number(minimum=0), number(minimum=1), "bound-tightened", "", "", id="root-minimum"),
    # A property's `maxLength`: the property's subschema on both sides.
    pytest.param({"properties": {"name": string(maxLength=5)}}, {"properties": {"name": string(maxLength=4)}},
                 "bound-tightened", "/properties/name", "/properties/name", id="property-max-length"),
    # The `contains` subschema on both sides.
    pytest.param(array(contains=S), array(contains=I), "type-changed", "/contains", "/contains", id="contains"),
]


@pytest.mark.parametrize(("old", "new", "rule", "old_pointer", "new_pointer"), POINTER_ROWS)
def test_array_bound_change_pointers(old, new, rule, old_pointer, new_pointer):
    assert_pointers(old, new, rule, old_pointer, new_pointer)


def test_bounds_on_both_sides_reported_apart():
    # The minimum went up and the maximum went up: one tightening and one loosening.
    changes = changes_between(number(minimum=0, maximum=10), number(minimum=1, maximum=20))

    found = sorted((change.keyword, change.rule) for change in changes)
    assert found == [("maximum", "bound-loosened"), ("minimum", "bound-tightened")]


def test_bound_change_records_values():
    changes = changes_between(string(maxLength=10), string(maxLength=20))

    assert [(change.old_value, change.new_value) for change in changes] == [(10, 20)]


@pytest.mark.parametrize(("old", "new"), [
    # x < 5 in draft 4's spelling, then in the spelling of later drafts: the same numbers.
    (draft4(number(maximum=5, exclusiveMaximum=True)), number(exclusiveMaximum=5)),
    # x > 0, moving the other way.
    (number(exclusiveMinimum=0), draft4(number(minimum=0, exclusiveMinimum=True))),
], ids=["draft4-to-2020-12-maximum", "2020-12-to-draft4-minimum"])
def test_exclusive_bound_respelled_across_drafts(old, new):
    # Only the draft itself changed; the bound is the same.
    changes = changes_between(old, new)

    assert [change.rule for change in changes] == ["draft-changed"], describe(changes)
