"""Meta-schema checks of single subschemas, so that only what changed needs checking.

A draft's meta-schema checks a schema's own keywords and then applies itself to every
subschema. The "shallow" meta-schemas built here keep the first part and only require
each subschema position to hold an object (or a boolean, where the draft allows it):
checking every subschema the walker visits with them amounts to checking those
subschemas with the full meta-schema, without walking the parts equal on both sides.
"""

from __future__ import annotations

import functools
from typing import Any

import jsonschema.exceptions
from jsonschema.protocols import Validator
from jsonschema_specifications import REGISTRY as METASCHEMAS
from referencing import Registry, Resource

from checker.drafts import DRAFT4, Draft
from checker.errors import InvalidSchemaError
from checker.jsonvalues import join

#: Markers by which the meta-schemas apply themselves to a subschema.
_SELF_REFERENCES = ({"$ref": "#"}, {"$recursiveRef": "#"}, {"$dynamicRef": "#meta"})


def _replace_self_references(node: Any, subschema: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if node in _SELF_REFERENCES:
            return subschema
        return {key: _replace_self_references(value, subschema) for key, value in node.items()}
    if isinstance(node, list):
        return [_replace_self_references(value, subschema) for value in node]
    return node


@functools.cache
def _shallow_validator(draft: Draft) -> Validator:
    subschema = {"type": "object"} if draft is DRAFT4 else {"type": ["object", "boolean"]}
    meta_schema = draft.validator.META_SCHEMA
    root_uri = str(meta_schema.get("$id", meta_schema.get("id"))).rstrip("#")
    prefix = root_uri.rsplit("/", 1)[0]
    resources = []
    for uri in METASCHEMAS:
        if uri.startswith(prefix):
            contents = _replace_self_references(METASCHEMAS.contents(uri), subschema)
            resources.append((uri, Resource.from_contents(contents, default_specification=draft.specification)))
    registry: Registry[Any] = Registry().with_resources(resources)
    # Inlining every reference spares the validator a registry look-up per keyword,
    # which made these checks several times slower than the walk they guard.
    root = _inline(registry.contents(root_uri), registry.resolver(root_uri))
    return draft.validator(root)


def _inline(node: Any, resolver: Any, names: bool = False) -> Any:
    # `names` marks a mapping whose keys are names (of properties, definitions), not keywords.
    if isinstance(node, list):
        return [_inline(value, resolver) for value in node]
    if not isinstance(node, dict):
        return node
    if not names and isinstance(node.get("$ref"), str):
        resolved = resolver.lookup(node["$ref"])
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        target = _inline(resolved.contents, resolved.resolver)
        return {**siblings, "allOf": [target]} if siblings else target
    return {
        key: _inline(value, resolver, names=not names and key in _NAME_MAPS)
        for key, value in node.items()
        if names or key not in _IDENTIFIERS
    }


# Identifiers would make the inlined copies resources of their own again.
_IDENTIFIERS = frozenset({"$id", "id", "$schema", "$vocabulary", "$dynamicAnchor", "$recursiveAnchor", "$anchor"})


@functools.cache
def _full_validator(draft: Draft) -> Validator:
    # `$dynamicRef` and `$recursiveRef` make jsonschema search the dynamic scope at every
    # subschema, which made full checks several times slower. For the standard meta-schema
    # they always lead to its root, so a plain `$ref` to the root checks the same.
    meta_schema = draft.validator.META_SCHEMA
    root_uri = str(meta_schema.get("$id", meta_schema.get("id"))).rstrip("#")
    if draft.validator.META_SCHEMA.get("$schema", "").rstrip("#") in ("http://json-schema.org/draft-04/schema",
                                                                      "http://json-schema.org/draft-06/schema",
                                                                      "http://json-schema.org/draft-07/schema"):
        return draft.validator(meta_schema)
    prefix = root_uri.rsplit("/", 1)[0]
    resources = []
    for uri in METASCHEMAS:
        if uri.startswith(prefix):
            contents = _replace_self_references(METASCHEMAS.contents(uri), {"$ref": root_uri})
            contents = {key: value for key, value in contents.items() if key not in ("$dynamicAnchor", "$recursiveAnchor")}
            resources.append((uri, Resource.from_contents(contents, default_specification=draft.specification)))
    registry: Registry[Any] = Registry().with_resources(resources)
    return draft.validator(registry.contents(root_uri), registry=registry)


def check_node(node: Any, draft: Draft, shown_as: str, pointer: str) -> None:
    """Check one subschema's own keywords, leaving its subschemas to their own checks."""
    _raise_first(_shallow_validator(draft), node, draft, shown_as, pointer)


def check_tree(node: Any, draft: Draft, shown_as: str, pointer: str) -> None:
    """Check a subschema and everything below it against the draft's meta-schema.

    The shallow check of each subschema in turn amounts to the full check, and skips the
    full meta-schema's dynamic references, which made whole documents about three times
    slower to check.
    """
    validator = _shallow_validator(draft)
    single, arrays, objects = _SUBSCHEMA_KEYWORDS[draft.validator.META_SCHEMA.get("$schema", "")]
    pending = [(node, pointer)]
    while pending:
        node, where = pending.pop()
        _raise_first(validator, node, draft, shown_as, where)
        if not isinstance(node, dict):
            continue
        below: list[tuple[Any, str]] = []
        for keyword, value in node.items():
            if keyword in single and isinstance(value, dict):
                below.append((value, join(where, keyword)))
            elif keyword in arrays and isinstance(value, list):
                below.extend((member, join(where, keyword, position)) for position, member in enumerate(value) if isinstance(member, dict))
            elif keyword in objects and isinstance(value, dict):
                below.extend((member, join(where, keyword, name)) for name, member in value.items() if isinstance(member, dict))
        # Reversed, so that the first subschema in the document is checked (and reported) first.
        pending.extend(reversed(below))


def _full_check(node: Any, draft: Draft, shown_as: str, pointer: str) -> None:
    """Check a subschema with the full meta-schema; the tests hold `check_tree` to the same verdicts."""
    _raise_first(_full_validator(draft), node, draft, shown_as, pointer)


# The subschema positions of each draft's meta-schema, where it applies itself again:
# keywords whose value is one subschema, an array of them, or an object of them (before
# 2020-12 `items` is one or an array). Booleans need no check of their own, because the
# keyword's own check already accepts or rejects them.
_DRAFT4_POSITIONS = ({"additionalItems", "additionalProperties", "not", "items"}, {"allOf", "anyOf", "oneOf", "items"},
                     {"definitions", "dependencies", "patternProperties", "properties"})
_DRAFT6_POSITIONS = (_DRAFT4_POSITIONS[0] | {"contains", "propertyNames"}, _DRAFT4_POSITIONS[1], _DRAFT4_POSITIONS[2])
_DRAFT7_POSITIONS = (_DRAFT6_POSITIONS[0] | {"if", "then", "else"}, _DRAFT6_POSITIONS[1], _DRAFT6_POSITIONS[2])
_DRAFT2019_POSITIONS = (_DRAFT7_POSITIONS[0] | {"contentSchema", "unevaluatedItems", "unevaluatedProperties"}, _DRAFT7_POSITIONS[1],
                        _DRAFT7_POSITIONS[2] | {"$defs", "dependentSchemas"})
_SUBSCHEMA_KEYWORDS: dict[str, tuple[set[str], set[str], set[str]]] = {
    "http://json-schema.org/draft-04/schema#": _DRAFT4_POSITIONS,
    "http://json-schema.org/draft-06/schema#": _DRAFT6_POSITIONS,
    "http://json-schema.org/draft-07/schema#": _DRAFT7_POSITIONS,
    "https://json-schema.org/draft/2019-09/schema": _DRAFT2019_POSITIONS,
    "https://json-schema.org/draft/2020-12/schema": (_DRAFT2019_POSITIONS[0] - {"additionalItems"}, (_DRAFT2019_POSITIONS[1] - {"items"}) | {"prefixItems"},
                                                     _DRAFT2019_POSITIONS[2]),
}


def _raise_first(validator: Validator, node: Any, draft: Draft, shown_as: str, pointer: str) -> None:
    error = jsonschema.exceptions.best_match(validator.iter_errors(node))
    if error is None:
        return
    where = join(pointer, *error.absolute_path) or "/"
    keyword = _keyword_at(list(error.absolute_path)) or error.validator
    message = " ".join(error.message.split())
    if len(message) > 160:
        message = message[:157] + "..."
    raise InvalidSchemaError(f"{shown_as}: not a valid {draft} schema: at {where} ({keyword}): {message}")


_NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"})


def _keyword_at(path: list[Any]) -> str | None:
    """The schema keyword an error path ends in, skipping array positions and property names."""
    for position in range(len(path) - 1, -1, -1):
        token = path[position]
        parent = path[position - 1] if position else None
        if isinstance(token, str) and parent not in _NAME_MAPS:
            return token
    return None
