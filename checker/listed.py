"""Property names that the schemas applying to one value list, for verdicts that depend on them.

Several schemas can apply to one value at once: a schema's own keywords, the members of
its `allOf`, the `anyOf` or `oneOf` branches the value matches, `then` or `else`, and
`dependentSchemas`. A name any of them lists is a name data may carry (schema-diff
assumes data carries no others). Three verdicts depend on what the other schemas list:

- `additionalProperties: false` rejects every name its own schema does not list, even a
  name a sibling lists. Opening it lets such data in, which old readers reject.
- a property added to one schema constrains data that already carried the name when
  another schema listed it, instead of naming something new.
- a property removed from one schema loosens data that another schema still lists,
  instead of dropping the field.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from checker.views import is_annotation

#: The pattern that stands for every name: a map's `additionalProperties` schema lists them all.
EVERY_NAME = ""


@dataclasses.dataclass(frozen=True)
class Listed:
    """Names, and patterns of names, that some schemas list, with the property schemas they give."""

    names: frozenset[str] = frozenset()
    patterns: frozenset[str] = frozenset()
    #: (name, property schema, where it sits) for each listed property, in the order found.
    schemas: tuple[tuple[str, Any, Any], ...] = ()

    def __or__(self, other: Listed) -> Listed:
        if not other.names and not other.patterns:
            return self
        if not self.names and not self.patterns:
            return other
        return Listed(self.names | other.names, self.patterns | other.patterns, self.schemas + other.schemas)

    def lists(self, name: str) -> bool:
        return name in self.names or any(_matches(pattern, name) for pattern in self.patterns)

    def schema_of(self, name: str) -> tuple[Any, Any] | None:
        """Return the first property schema listed for the name and where it sits, if any."""
        for listed, schema, where in self.schemas:
            if listed == name:
                return schema, where
        return None

    def beyond(self, names: Iterable[str], patterns: Iterable[str]) -> bool:
        """Tell whether some name here falls outside the given names and patterns.

        A pattern here counts as outside unless the same pattern is given, because in
        general no one can work out which names two different patterns share.
        """
        names, patterns = set(names), set(patterns)
        if self.patterns - patterns:
            return True
        return any(name not in names and not any(_matches(pattern, name) for pattern in patterns) for name in self.names)


NOTHING = Listed()


def _matches(pattern: str, name: str) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error:
        # A pattern Python cannot read might match: assume it does, the cautious verdict.
        return True


def own_names(node: Any, place_of: Callable[[str], Any], hidden: str | None = None) -> Listed:
    """Collect what a schema's own keywords list: properties, required names, property patterns.

    `place_of` gives where a property's schema sits. A property whose schema carries the
    `hidden` flag (`readOnly` in a request, `writeOnly` in a response) is not part of the
    message, so it is not listed.
    """
    if not isinstance(node, dict):
        return NOTHING
    names: set[str] = set()
    patterns: set[str] = set()
    schemas = []
    properties = node.get("properties")
    if isinstance(properties, dict):
        for name, schema in properties.items():
            if hidden is not None and isinstance(schema, dict) and schema.get(hidden) is True:
                continue
            names.add(name)
            schemas.append((name, schema, place_of(name)))
    if isinstance(node.get("required"), list):
        names.update(name for name in node["required"] if isinstance(name, str))
    if isinstance(node.get("patternProperties"), dict):
        patterns.update(node["patternProperties"])
    additional = node.get("additionalProperties")
    if isinstance(additional, dict) and any(not is_annotation(key) for key in additional):
        # A schema for every other name describes the entries of a map.
        patterns.add(EVERY_NAME)
    if not names and not patterns:
        return NOTHING
    return Listed(frozenset(names), frozenset(patterns), tuple(schemas))


#: A part of a schema that applies to the same value: its keyword and where it sits under it.
Part = tuple[str, str | int]


def in_place_parts(node: Any) -> Iterator[tuple[Part, Any]]:
    """Yield the subschemas that apply to the same value as `node`, each with its place.

    `not` is left out: what a negated schema lists is what data must not match. `if` is
    in: data that meets the condition carries what it lists.
    """
    if not isinstance(node, dict):
        return
    for keyword in ("allOf", "anyOf", "oneOf"):
        members = node.get(keyword)
        if isinstance(members, list):
            for position, member in enumerate(members):
                yield (keyword, position), member
    if "if" in node:
        for keyword in ("if", "then", "else"):
            if keyword in node:
                yield (keyword, ""), node[keyword]
    for keyword in ("dependentSchemas", "dependencies"):
        mapping = node.get(keyword)
        if isinstance(mapping, dict):
            for name, member in mapping.items():
                if isinstance(member, dict):
                    yield (keyword, name), member
