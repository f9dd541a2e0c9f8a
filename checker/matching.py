"""Pair the branches of two `oneOf`/`anyOf`/`allOf` lists by what identifies them, never by position.

Branches are paired in rounds, each round only pairing keys that are unique on both
sides: equal content first, then the value of a discriminator property (a property whose
schema is a one-value `enum` or a `const`, also inside an `allOf`), then a name (`$ref`
target, `x-readme-ref-name`, `title`), then the set of types, and last the closest
structure. Whatever is left is an added or removed branch.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from checker.jsonvalues import value_key

#: Branches less alike than this (shared leaves over all leaves) are not paired by structure.
MIN_SIMILARITY = 0.5


@dataclasses.dataclass(frozen=True)
class Candidate:
    """A branch as the matcher sees it: its position and its node with `$ref`s followed."""

    position: int
    node: Any
    ref: str | None = None


@dataclasses.dataclass
class Matching:
    """The outcome of matching: pairs of positions, and positions left on each side."""

    pairs: list[tuple[int, int]]
    removed: list[int]
    added: list[int]


def match_branches(old: Sequence[Candidate], new: Sequence[Candidate], members: bool = False) -> Matching:
    """Pair old and new branches; see the module docstring for the order of the rounds.

    With `members`, the lists are `allOf` members, and one member left on each side is a
    member that changed. Comparing the two judges what the conjunction gains or loses;
    an added and a removed member would claim that both directions break.
    """
    pairs: list[tuple[Candidate, Candidate]] = []
    old_left, new_left = list(old), list(new)
    discriminator = _discriminator(old, new)
    rounds: list[Callable[[Candidate], Hashable | None]] = [_content_key]
    if discriminator is not None:
        rounds.append(lambda candidate: _discriminator_value(candidate.node, discriminator))
    rounds += [_name_key, _type_key]
    for key in rounds:
        found = _pair_unique(old_left, new_left, key)
        pairs += found
        old_left = [candidate for candidate in old_left if all(candidate is not a for a, _ in found)]
        new_left = [candidate for candidate in new_left if all(candidate is not b for _, b in found)]
    found = _pair_by_structure(old_left, new_left)
    pairs += found
    old_left = [candidate for candidate in old_left if all(candidate is not a for a, _ in found)]
    new_left = [candidate for candidate in new_left if all(candidate is not b for _, b in found)]
    if members and len(old_left) == len(new_left) == 1:
        pairs.append((old_left.pop(), new_left.pop()))
    return Matching(
        sorted((a.position, b.position) for a, b in pairs),
        [candidate.position for candidate in old_left],
        [candidate.position for candidate in new_left],
    )


def _pair_unique(old: list[Candidate], new: list[Candidate], key: Callable[[Candidate], Hashable | None]) -> list[tuple[Candidate, Candidate]]:
    old_keys = {candidate.position: key(candidate) for candidate in old}
    new_keys = {candidate.position: key(candidate) for candidate in new}
    old_counts = Counter(value for value in old_keys.values() if value is not None)
    new_counts = Counter(value for value in new_keys.values() if value is not None)
    by_key = {new_keys[candidate.position]: candidate for candidate in new if new_counts[new_keys[candidate.position]] == 1}
    pairs = []
    for candidate in old:
        value = old_keys[candidate.position]
        if value is not None and old_counts[value] == 1 and value in by_key:
            pairs.append((candidate, by_key[value]))
    return pairs


def _content_key(candidate: Candidate) -> Hashable:
    return json.dumps(candidate.node, sort_keys=True)


def _name_key(candidate: Candidate) -> Hashable | None:
    if candidate.ref is not None:
        # A `$ref` names its target by the last token, as a `$defs` key names its schema.
        return ("name", candidate.ref.rsplit("/", 1)[-1])
    node = candidate.node
    if isinstance(node, dict):
        for keyword in ("x-readme-ref-name", "title"):
            if isinstance(node.get(keyword), str):
                return ("name", node[keyword])
    return None


def _type_key(candidate: Candidate) -> Hashable | None:
    node = candidate.node
    if not isinstance(node, dict) or "type" not in node:
        return None
    written = node["type"]
    return ("type", tuple(sorted(written)) if isinstance(written, list) else written)


def single_valued_properties(node: Any) -> dict[str, Any]:
    """Properties whose schema admits one value (a one-value `enum` or a `const`), looking inside `allOf`."""
    if not isinstance(node, dict):
        return {}
    found: dict[str, Any] = {}
    properties = node.get("properties")
    if isinstance(properties, dict):
        for name, schema in properties.items():
            if isinstance(schema, dict):
                if "const" in schema:
                    found[name] = value_key(schema["const"])
                elif isinstance(schema.get("enum"), list) and len(schema["enum"]) == 1:
                    found[name] = value_key(schema["enum"][0])
    for member in node.get("allOf", []) if isinstance(node.get("allOf"), list) else []:
        found.update(single_valued_properties(member))
    return found


def _discriminator(old: Sequence[Candidate], new: Sequence[Candidate]) -> str | None:
    # The discriminator is a property every branch on both sides pins to one value.
    every = [single_valued_properties(candidate.node) for candidate in [*old, *new]]
    if not every:
        return None
    common = set(every[0]).intersection(*every[1:])
    for name in sorted(common):
        old_values = [single_valued_properties(candidate.node)[name] for candidate in old]
        new_values = [single_valued_properties(candidate.node)[name] for candidate in new]
        if len(set(old_values)) == len(old_values) and len(set(new_values)) == len(new_values):
            return name
    return None


def _discriminator_value(node: Any, name: str) -> Hashable | None:
    return ("discriminator", single_valued_properties(node).get(name))


def _leaves(node: Any, prefix: str = "") -> set[str]:
    if isinstance(node, dict):
        leaves: set[str] = set()
        for key, value in node.items():
            leaves |= _leaves(value, f"{prefix}/{key}")
        return leaves or {prefix + "={}"}
    if isinstance(node, list) and prefix.endswith(("/enum", "/required", "/type")):
        # Sets compare as sets: their order means nothing.
        return {f"{prefix}={json.dumps(item, sort_keys=True)}" for item in node}
    if isinstance(node, list):
        leaves = set()
        for item in node:
            leaves |= _leaves(item, prefix + "/*")
        return leaves or {prefix + "=[]"}
    return {f"{prefix}={json.dumps(node)}"}


def similarity(old: Any, new: Any) -> float:
    """Shared leaves over all leaves of two nodes, 1.0 for equal content."""
    old_leaves, new_leaves = _leaves(old), _leaves(new)
    union = old_leaves | new_leaves
    return len(old_leaves & new_leaves) / len(union) if union else 1.0


def _pair_by_structure(old: list[Candidate], new: list[Candidate]) -> list[tuple[Candidate, Candidate]]:
    scored = sorted(
        ((similarity(a.node, b.node), a.position, b.position, a, b) for a in old for b in new),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    pairs, used_old, used_new = [], set(), set()
    for score, old_position, new_position, a, b in scored:
        if score < MIN_SIMILARITY or old_position in used_old or new_position in used_new:
            continue
        pairs.append((a, b))
        used_old.add(old_position)
        used_new.add(new_position)
    return pairs
