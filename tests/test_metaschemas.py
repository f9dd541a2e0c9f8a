"""Checking whole subtrees against the meta-schema, one subschema at a time.

`check_tree` applies the shallow meta-schema to each subschema in turn instead of the
full meta-schema once. These tests hold it to the full meta-schema's verdicts and
messages, on generated schemas with a broken keyword somewhere and on a table of every
position where a draft's meta-schema applies itself again.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from soundness_schemas import DRAFT4 as GENERATED_DRAFT4
from soundness_schemas import DRAFT7 as GENERATED_DRAFT7
from soundness_schemas import DRAFT202012 as GENERATED_DRAFT202012
from soundness_schemas import SchemaFactory, locations

from checker.drafts import DRAFT4, DRAFT6, DRAFT7, DRAFT201909, DRAFT202012, OPENAPI30, Draft
from checker.errors import InvalidSchemaError
from checker.metaschemas import _full_check, check_tree

#: Keywords set to a value of the wrong kind, one per generated schema.
BROKEN = [("type", 5), ("minimum", "x"), ("properties", 3), ("required", [1]), ("items", 4), ("enum", 3),
          ("pattern", 5), ("allOf", []), ("additionalProperties", "no"), ("maxLength", -1), ("not", 1)]
GENERATED = [(GENERATED_DRAFT4, DRAFT4), (GENERATED_DRAFT7, DRAFT7), (GENERATED_DRAFT202012, DRAFT202012)]


def verdict(check: Any, schema: Any, draft: Draft) -> str | None:
    try:
        check(schema, draft, "schema.json", "")
    except InvalidSchemaError as error:
        return str(error)
    return None


def test_tree_check_agrees_with_full_meta_schema() -> None:
    broken = 0
    for seed in range(600):
        rng = random.Random(seed)
        dialect, draft = rng.choice(GENERATED)
        schema = SchemaFactory(rng, dialect).document()
        if rng.random() < 0.8:
            # One subschema, anywhere in the tree, gets a keyword of the wrong kind.
            node = rng.choice([location.node for location in locations(schema) if isinstance(location.node, dict)])
            keyword, value = rng.choice(BROKEN)
            node[keyword] = value

        expected = verdict(_full_check, schema, draft)

        assert verdict(check_tree, schema, draft) == expected, f"seed {seed}"
        broken += expected is not None
    # The generated schemas must exercise both verdicts, or the comparison proves little.
    assert 300 < broken < 600


POSITION_ROWS = [
    # Draft 4: the subschema positions of its meta-schema.
    pytest.param(DRAFT4, {"properties": {"a": {"type": 5}}}, "/properties/a", id="draft4-properties"),
    pytest.param(DRAFT4, {"patternProperties": {"^a": {"type": 5}}}, "/patternProperties/^a", id="draft4-pattern-properties"),
    pytest.param(DRAFT4, {"additionalProperties": {"type": 5}}, "/additionalProperties", id="draft4-additional-properties"),
    pytest.param(DRAFT4, {"definitions": {"A": {"type": 5}}}, "/definitions/A", id="draft4-definitions"),
    # The schema form of `dependencies`. The array form contains names, which the parent's check covers.
    pytest.param(DRAFT4, {"dependencies": {"a": {"type": 5}, "b": ["c"]}}, "/dependencies/a", id="draft4-dependencies"),
    pytest.param(DRAFT4, {"items": {"type": 5}}, "/items", id="draft4-items-schema"),
    pytest.param(DRAFT4, {"items": [{}, {"type": 5}]}, "/items/1", id="draft4-items-tuple"),
    pytest.param(DRAFT4, {"additionalItems": {"type": 5}}, "/additionalItems", id="draft4-additional-items"),
    pytest.param(DRAFT4, {"allOf": [{"type": 5}]}, "/allOf/0", id="draft4-all-of"),
    pytest.param(DRAFT4, {"anyOf": [{}, {"type": 5}]}, "/anyOf/1", id="draft4-any-of"),
    pytest.param(DRAFT4, {"oneOf": [{"type": 5}]}, "/oneOf/0", id="draft4-one-of"),
    pytest.param(DRAFT4, {"not": {"type": 5}}, "/not", id="draft4-not"),
    # OpenAPI 3.0 schemas are checked as draft 4.
    pytest.param(OPENAPI30, {"properties": {"a": {"items": {"type": 5}}}}, "/properties/a/items", id="openapi30-nested"),
    # Draft 4 has no `contains`: its meta-schema ignores the keyword, and so must the check.
    pytest.param(DRAFT4, {"contains": {"type": 5}}, None, id="draft4-contains-unknown"),
    # Draft 6 adds `contains` and `propertyNames`.
    pytest.param(DRAFT6, {"contains": {"type": 5}}, "/contains", id="draft6-contains"),
    pytest.param(DRAFT6, {"propertyNames": {"type": 5}}, "/propertyNames", id="draft6-property-names"),
    pytest.param(DRAFT6, {"if": {"type": 5}}, None, id="draft6-if-unknown"),
    # Draft 7 adds `if`, `then` and `else`.
    pytest.param(DRAFT7, {"if": {"type": 5}}, "/if", id="draft7-if"),
    pytest.param(DRAFT7, {"then": {"type": 5}}, "/then", id="draft7-then"),
    pytest.param(DRAFT7, {"else": {"type": 5}}, "/else", id="draft7-else"),
    pytest.param(DRAFT7, {"prefixItems": [{"type": 5}]}, None, id="draft7-prefix-items-unknown"),
    # 2019-09 adds `$defs`, `dependentSchemas`, `contentSchema` and the `unevaluated` keywords.
    pytest.param(DRAFT201909, {"$defs": {"A": {"type": 5}}}, "/$defs/A", id="2019-defs"),
    pytest.param(DRAFT201909, {"dependentSchemas": {"a": {"type": 5}}}, "/dependentSchemas/a", id="2019-dependent-schemas"),
    pytest.param(DRAFT201909, {"contentSchema": {"type": 5}}, "/contentSchema", id="2019-content-schema"),
    pytest.param(DRAFT201909, {"unevaluatedProperties": {"type": 5}}, "/unevaluatedProperties", id="2019-unevaluated-properties"),
    pytest.param(DRAFT201909, {"unevaluatedItems": {"type": 5}}, "/unevaluatedItems", id="2019-unevaluated-items"),
    pytest.param(DRAFT201909, {"items": [{"type": 5}]}, "/items/0", id="2019-items-tuple"),
    # 2020-12 lists a tuple in `prefixItems`; `items` is one schema and `additionalItems` is gone.
    pytest.param(DRAFT202012, {"prefixItems": [{}, {"type": 5}]}, "/prefixItems/1", id="2020-prefix-items"),
    pytest.param(DRAFT202012, {"items": {"type": 5}}, "/items", id="2020-items"),
    pytest.param(DRAFT202012, {"additionalItems": {"type": 5}}, None, id="2020-additional-items-unknown"),
    # Still in the 2020-12 meta-schema for old documents.
    pytest.param(DRAFT202012, {"definitions": {"A": {"type": 5}}}, "/definitions/A", id="2020-definitions"),
    pytest.param(DRAFT202012, {"dependencies": {"a": {"type": 5}}}, "/dependencies/a", id="2020-dependencies"),
    # Deep below other positions: every level is walked.
    pytest.param(DRAFT202012, {"properties": {"a": {"anyOf": [{"items": {"not": {"type": 5}}}]}}},
                 "/properties/a/anyOf/0/items/not", id="2020-deep"),
]


@pytest.mark.parametrize(("draft", "schema", "pointer"), POSITION_ROWS)
def test_tree_check_reaches_every_position(draft: Draft, schema: dict[str, Any], pointer: str | None) -> None:
    found = verdict(check_tree, schema, draft)

    assert found == verdict(_full_check, schema, draft)
    if pointer is None:
        assert found is None
    else:
        assert found is not None and f"at {pointer}/type (type)" in found, found
