"""Instances for the soundness checks, and jsonschema's verdict on them.

`Side` wraps jsonschema's validator for one version of a schema and finds the
properties an instance carries that the version never declares. `InstanceMaker`
builds candidate instances from a schema: values near each bound, every enum value,
each branch, objects with a required name missing or an undeclared name added, null
and one value of each JSON type.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

import jsonschema
from jsonschema.validators import validator_for
from soundness_schemas import GENERIC_VALUES, PATTERN_PROBES, PATTERNS, STRING_FORMATS, canonical, escape, resolve_local_ref

# Validation -----------------------------------------------------------------------------------

def _overlap_recording(validator_class: Any) -> tuple[Any, list[bool]]:
    """A validator class whose `oneOf` notes, in the returned list, each time several branches match."""
    met: list[bool] = []
    one_of = validator_class.VALIDATORS["oneOf"]

    def recording_one_of(validator: Any, branches: Any, instance: Any, schema: Any) -> Any:
        matching = [branch for branch in branches if next(validator.descend(instance, branch), None) is None]
        if len(matching) > 1:
            met.append(True)
        yield from one_of(validator, branches, instance, schema)

    return jsonschema.validators.extend(validator_class, {"oneOf": recording_one_of}), met


class Side:
    """One version of a schema, validated by jsonschema: which instances it accepts, and which property names it declares."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        cls = validator_for(schema)
        self.validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
        self.refs_hide_siblings = cls in (jsonschema.Draft4Validator, jsonschema.Draft6Validator, jsonschema.Draft7Validator)
        self.tuple_items = cls is not jsonschema.Draft202012Validator
        # Keyed by id(), with the node kept alive beside its validator so that the id stays its own.
        self._validators: dict[int, tuple[Any, Any]] = {}
        self._recording: tuple[Any, list[bool]] | None = None

    def accepts(self, instance: Any) -> bool:
        return self.validator.is_valid(instance)

    def meets_overlap(self, instance: Any) -> bool:
        """Whether validating the instance meets a `oneOf` that several of its branches match.

        schema-diff pairs `oneOf` branches as if they never overlap, as tagged unions do;
        instances that several branches match fall under that documented assumption,
        wherever the `oneOf` sits (inside a `not` too, where the overlap makes the side accept).
        """
        if self._recording is None:
            self._recording = _overlap_recording(type(self.validator))
        validator_class, met = self._recording
        met.clear()
        validator_class(self.schema, format_checker=self.validator.format_checker).is_valid(instance)
        return bool(met)

    def accepts_under(self, node: Any, instance: Any) -> bool:
        """Validate against a subschema; its same-document `$ref`s resolve against the whole schema."""
        cached = self._validators.get(id(node))
        if cached is None:
            # `evolve` keeps the root's resolver, so "#/$defs/..." still finds the definitions.
            cached = self._validators[id(node)] = (node, self.validator.evolve(schema=node))
        return bool(cached[1].is_valid(instance))

    # Declared properties -----------------------------------------------------------------

    def undeclared(self, instance: Any) -> list[str]:
        """List the JSON Pointers of properties in `instance` that no applicable subschema declares.

        The subschemas that apply to an object are those reached through `allOf`, `$ref`,
        the `anyOf`/`oneOf` branches it matches, `if`/`then`/`else` and `dependentSchemas`.
        A name counts as declared where one of them lists it in `properties` or `required`,
        matches it by `patternProperties`, or governs it by an `additionalProperties` schema
        that asserts something (the entries of a map). `additionalProperties: {}` leaves an object as
        open as no keyword at all.
        """
        found: list[str] = []
        self._walk([self.schema], instance, "", found)
        return found

    def _walk(self, schemas: list[Any], instance: Any, pointer: str, found: list[str]) -> None:
        applicable = [node for schema in schemas for node in self._in_place(schema, instance)]
        if isinstance(instance, dict):
            declared, children = self._declared(applicable, instance)
            found.extend(f"{pointer}/{escape(name)}" for name in instance if name not in declared)
            for name, value in instance.items():
                self._walk(children.get(name, []), value, f"{pointer}/{escape(name)}", found)
        elif isinstance(instance, list):
            for position, value in enumerate(instance):
                self._walk(self._item_schemas(applicable, instance, position), value, f"{pointer}/{position}", found)

    def _in_place(self, schema: Any, instance: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
        """Yield the subschemas that apply to the same instance as `schema`, `schema` included."""
        if not isinstance(schema, dict) or depth > 50:
            return
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target, _ = resolve_local_ref(self.schema, ref)
            yield from self._in_place(target, instance, depth + 1)
            if self.refs_hide_siblings:
                return
        yield schema
        for member in schema.get("allOf", []) if isinstance(schema.get("allOf"), list) else []:
            yield from self._in_place(member, instance, depth + 1)
        for keyword in ("anyOf", "oneOf"):
            for member in schema.get(keyword, []) if isinstance(schema.get(keyword), list) else []:
                if self.accepts_under(member, instance):
                    yield from self._in_place(member, instance, depth + 1)
        if "if" in schema:
            if self.accepts_under(schema["if"], instance):
                yield from self._in_place(schema["if"], instance, depth + 1)
                yield from self._in_place(schema.get("then", True), instance, depth + 1)
            else:
                yield from self._in_place(schema.get("else", True), instance, depth + 1)
        if isinstance(instance, dict):
            for keyword in ("dependentSchemas", "dependencies"):
                mapping = schema.get(keyword)
                if isinstance(mapping, dict):
                    for trigger, member in mapping.items():
                        if trigger in instance and isinstance(member, dict):
                            yield from self._in_place(member, instance, depth + 1)

    def _declared(self, applicable: list[dict[str, Any]], instance: dict[str, Any]) -> tuple[set[str], dict[str, list[Any]]]:
        declared: set[str] = set()
        children: dict[str, list[Any]] = {}
        for schema in applicable:
            properties: dict[str, Any] = schema["properties"] if isinstance(schema.get("properties"), dict) else {}
            patterns: dict[str, Any] = schema["patternProperties"] if isinstance(schema.get("patternProperties"), dict) else {}
            if isinstance(schema.get("required"), list):
                declared.update(name for name in schema["required"] if isinstance(name, str))
            for keyword in ("dependentRequired", "dependencies"):
                dependent = schema.get(keyword)
                if isinstance(dependent, dict):
                    declared.update(name for names in dependent.values() if isinstance(names, list) for name in names)
            for name in instance:
                governed = []
                if name in properties:
                    governed.append(properties[name])
                governed += [node for pattern, node in patterns.items() if re.search(pattern, name)]
                if not governed and _asserts(schema.get("additionalProperties")):
                    governed.append(schema["additionalProperties"])
                if governed:
                    declared.add(name)
                    children.setdefault(name, []).extend(governed)
        for schema in applicable:
            if _asserts(schema.get("unevaluatedProperties")):
                for name in instance:
                    if name not in declared:
                        declared.add(name)
                        children.setdefault(name, []).append(schema["unevaluatedProperties"])
        return declared, children

    def _item_schemas(self, applicable: list[dict[str, Any]], instance: list[Any], position: int) -> list[Any]:
        found = []
        for schema in applicable:
            items = schema.get("items")
            if self.tuple_items:
                prefix = items if isinstance(items, list) else None
            else:
                prefix = schema.get("prefixItems")
            rest = schema.get("additionalItems" if self.tuple_items else "items")
            if isinstance(prefix, list):
                if position < len(prefix):
                    found.append(prefix[position])
                elif rest is not None:
                    found.append(rest)
            elif isinstance(items, (dict, bool)):
                found.append(items)
            contains = schema.get("contains")
            if contains is not None and self.accepts_under(contains, instance[position]):
                found.append(contains)
        return found


#: Keywords that never change which data validates.
ANNOTATIONS = frozenset({"title", "description", "default", "examples", "$comment", "deprecated", "readOnly", "writeOnly"})


def _asserts(schema: Any) -> bool:
    """Whether a schema constrains values at all; `{}` or one with annotations only is as open as `true`."""
    return isinstance(schema, dict) and any(key not in ANNOTATIONS and not key.startswith("x-") for key in schema)


# Instances ------------------------------------------------------------------------------------

#: How many candidate values a subschema away from the edited place contributes.
UNFOCUSED_VALUES = 4
#: How many a subschema on the way to, or inside, the edited place contributes.
FOCUSED_VALUES = 60
#: How many instances one side contributes for a pair.
INSTANCES_PER_SIDE = 250
MAX_DEPTH = 7


class InstanceMaker:
    """Candidate instances for one side: values that should pass and near misses around them.

    Each subschema yields a list of values whose first entry is valid under it wherever
    one was found. Objects are built from a base of valid values, then varied one place
    at a time, so that a deep near miss still passes everywhere else. Places on the way to
    the edited subschema (the focus) keep all their variants; others keep a few.
    """

    def __init__(self, side: Side, rng: random.Random, focus: tuple[str, ...]) -> None:
        self.side = side
        self.rng = rng
        self.focus = focus
        self._cache: dict[tuple[str, int], list[Any]] = {}

    def instances(self) -> list[Any]:
        values = self.values(self.side.schema, "", 0)
        return _capped(values, INSTANCES_PER_SIDE, self.rng)

    def _focused(self, pointer: str) -> bool:
        return any(target.startswith(pointer) or pointer.startswith(target) for target in self.focus)

    def values(self, node: Any, pointer: str, depth: int) -> list[Any]:
        key = (pointer, depth)
        if key not in self._cache:
            self._cache[key] = self._values(node, pointer, depth)
        return self._cache[key]

    def _values(self, node: Any, pointer: str, depth: int) -> list[Any]:
        if not isinstance(node, dict) or depth > MAX_DEPTH:
            return list(GENERIC_VALUES)
        focused = self._focused(pointer)
        found: list[Any] = []
        ref = node.get("$ref")
        if isinstance(ref, str):
            target, target_pointer = resolve_local_ref(self.side.schema, ref)
            found += self.values(target, target_pointer, depth + 1)
            if self.side.refs_hide_siblings:
                return self._ordered(node, found, focused)
        found += self._constants(node)
        for kind in self._kinds(node):
            found += self._typed(kind, node, pointer, depth)
        for keyword in ("oneOf", "anyOf", "allOf"):
            members = node.get(keyword)
            if isinstance(members, list):
                for position, member in enumerate(members):
                    found += self.values(member, f"{pointer}/{keyword}/{position}", depth + 1)
        for keyword in ("not", "then", "else", "if"):
            if isinstance(node.get(keyword), dict):
                found += self.values(node[keyword], f"{pointer}/{keyword}", depth + 1)
        found += GENERIC_VALUES
        return self._ordered(node, found, focused)

    def _ordered(self, node: Any, found: list[Any], focused: bool) -> list[Any]:
        unique = list({canonical(value): value for value in found}.values())
        for position, value in enumerate(unique[:40]):
            if self.side.accepts_under(node, value):
                unique.insert(0, unique.pop(position))
                break
        limit = FOCUSED_VALUES if focused else UNFOCUSED_VALUES
        return _capped(unique, limit, self.rng)

    @staticmethod
    def _constants(node: dict[str, Any]) -> list[Any]:
        found: list[Any] = []
        if "const" in node:
            found += [node["const"], _near(node["const"])]
        if isinstance(node.get("enum"), list):
            found += node["enum"] + [_near(value) for value in node["enum"][:2]]
        return found

    def _kinds(self, node: dict[str, Any]) -> list[str]:
        written = node.get("type")
        if isinstance(written, str):
            return [written]
        if isinstance(written, list):
            return [kind for kind in written if isinstance(kind, str)]
        kinds = []
        if any(key in node for key in ("properties", "required", "additionalProperties", "patternProperties",
                                        "minProperties", "maxProperties", "dependentRequired", "dependencies")):
            kinds.append("object")
        if any(key in node for key in ("items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains")):
            kinds.append("array")
        if any(key in node for key in ("minLength", "maxLength", "pattern", "format")):
            kinds.append("string")
        if any(key in node for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")):
            kinds.append("number")
        if any(key in node for key in ("allOf", "oneOf", "anyOf")) and "object" not in kinds:
            # Object members of a composition still need an object with all their parts.
            kinds.append("composed-object")
        return kinds

    def _typed(self, kind: str, node: dict[str, Any], pointer: str, depth: int) -> list[Any]:
        if kind == "null":
            return [None]
        if kind == "boolean":
            return [True, False]
        if kind in ("integer", "number"):
            return _numbers(node, integer=kind == "integer")
        if kind == "string":
            return _strings(node)
        if kind == "array":
            return self._arrays(node, pointer, depth)
        if kind in ("object", "composed-object"):
            return self._objects(node, pointer, depth)
        return []

    # Arrays ------------------------------------------------------------------------------

    def _arrays(self, node: dict[str, Any], pointer: str, depth: int) -> list[Any]:
        tuple_keyword = "items" if self.side.tuple_items else "prefixItems"
        prefix: list[Any] = node[tuple_keyword] if isinstance(node.get(tuple_keyword), list) else []
        # Before 2020-12 the items after a tuple fall to `additionalItems`; from 2020-12 on, to `items`.
        rest_keyword = "additionalItems" if self.side.tuple_items and prefix else "items"
        rest = node.get(rest_keyword, True)
        prefix_values = [self.values(member, f"{pointer}/{tuple_keyword}/{position}", depth + 1) for position, member in enumerate(prefix)]
        rest_values = self.values(rest, f"{pointer}/{rest_keyword}", depth + 1) if rest is not False else ["extra"]
        base = [values[0] for values in prefix_values]
        arrays: list[Any] = [base, [*base, rest_values[0]], [*base, rest_values[0], rest_values[0]]]
        for position, values in enumerate(prefix_values):
            arrays += [base[:position] + [value] + base[position + 1:] for value in values[1:]]
        arrays += [[*base, value] for value in rest_values[1:]]
        for bound in ("minItems", "maxItems"):
            count = node.get(bound)
            if isinstance(count, int) and not isinstance(count, bool):
                for size in (count - 1, count, count + 1):
                    if size >= len(base):
                        arrays.append([*base, *[rest_values[index % len(rest_values)] for index in range(size - len(base))]])
                        arrays.append([*base, *[rest_values[0]] * (size - len(base))])
        if isinstance(node.get("contains"), dict):
            arrays += [[*base, value] for value in self.values(node["contains"], f"{pointer}/contains", depth + 1)[:3]]
        return arrays

    # Objects -----------------------------------------------------------------------------

    def _objects(self, node: dict[str, Any], pointer: str, depth: int) -> list[Any]:
        objects: list[Any] = []
        for parts in self._part_sets(node, pointer, depth):
            objects += self._objects_of(parts, depth)
        return objects

    def _part_sets(self, node: Any, pointer: str, depth: int) -> list[list[tuple[dict[str, Any], str]]]:
        """List the sets of subschemas that apply together to one object, one set per choice of branches.

        Up to eight sets are kept, enough for every branch of each union to appear in one.
        """
        if not isinstance(node, dict) or depth > MAX_DEPTH:
            return [[]]
        alternatives: list[list[tuple[dict[str, Any], str]]] = [[(node, pointer)]]
        ref = node.get("$ref")
        if isinstance(ref, str):
            target, target_pointer = resolve_local_ref(self.side.schema, ref)
            followed = self._part_sets(target, target_pointer, depth + 1)
            if self.side.refs_hide_siblings:
                return followed
            alternatives = _combine(alternatives, followed)
        members = node.get("allOf")
        if isinstance(members, list):
            for position, member in enumerate(members):
                alternatives = _combine(alternatives, self._part_sets(member, f"{pointer}/allOf/{position}", depth + 1))
        for keyword in ("oneOf", "anyOf"):
            members = node.get(keyword)
            if isinstance(members, list) and members:
                choices = [part for position, member in enumerate(members)
                           for part in self._part_sets(member, f"{pointer}/{keyword}/{position}", depth + 1)]
                alternatives = _combine(alternatives, choices)
        if isinstance(node.get("if"), dict):
            choices = [*self._part_sets(node.get("then", {}), f"{pointer}/then", depth + 1),
                       *self._part_sets(node.get("else", {}), f"{pointer}/else", depth + 1)]
            alternatives = _combine(alternatives, choices)
        return alternatives[:8]

    def _objects_of(self, parts: list[tuple[dict[str, Any], str]], depth: int) -> list[Any]:
        properties: dict[str, list[tuple[Any, str]]] = {}
        required: list[str] = []
        patterns: list[tuple[str, Any, str]] = []
        additional: list[tuple[Any, str]] = []
        dependent: list[tuple[str, str]] = []
        counts: dict[str, int] = {}
        for part, pointer in parts:
            declared: dict[str, Any] = part["properties"] if isinstance(part.get("properties"), dict) else {}
            for name, schema in declared.items():
                properties.setdefault(name, []).append((schema, f"{pointer}/properties/{escape(name)}"))
            if isinstance(part.get("required"), list):
                required += [name for name in part["required"] if isinstance(name, str) and name not in required]
            if isinstance(part.get("patternProperties"), dict):
                patterns += [(pattern, schema, f"{pointer}/patternProperties/{escape(pattern)}")
                             for pattern, schema in part["patternProperties"].items()]
            if isinstance(part.get("additionalProperties"), dict):
                additional.append((part["additionalProperties"], f"{pointer}/additionalProperties"))
            for keyword in ("dependentRequired", "dependencies"):
                if isinstance(part.get(keyword), dict):
                    dependent += [(trigger, name) for trigger, names in part[keyword].items() if isinstance(names, list)
                                  for name in names]
            for keyword in ("minProperties", "maxProperties"):
                if isinstance(part.get(keyword), int):
                    counts[keyword] = part[keyword]

        child_values = {name: self._child_values(schemas, depth) for name, schemas in properties.items()}
        for name in required:
            child_values.setdefault(name, list(GENERIC_VALUES))
        base = {name: child_values[name][0] for name in required}
        full = {**base, **{name: values[0] for name, values in child_values.items()}}
        objects: list[Any] = [base, full]
        for name, values in child_values.items():
            objects += [{**full, name: value} for value in values[1:]]
            objects.append({key: value for key, value in full.items() if key != name})
            if name not in required:
                objects.append({**base, name: values[0]})
        objects.append({**full, "zzExtra": "x"})
        for schema, pointer in additional:
            objects += [{**full, "zzExtra": value} for value in self.values(schema, pointer, depth + 1)]
        for pattern, schema, pointer in patterns:
            matching = _name_matching(pattern)
            if matching is not None:
                objects += [{**full, matching: value} for value in self.values(schema, pointer, depth + 1)]
        for trigger, name in dependent:
            objects.append({**{key: value for key, value in full.items() if key != name}, trigger: full.get(trigger, "x")})
        if "maxProperties" in counts:
            objects.append({**full, **{f"extra{index}": 1 for index in range(counts["maxProperties"] + 1)}})
        return objects

    def _child_values(self, schemas: list[tuple[Any, str]], depth: int) -> list[Any]:
        found: list[Any] = []
        for schema, pointer in schemas:
            found += self.values(schema, pointer, depth + 1)
        unique = list({canonical(value): value for value in found}.values())
        for position, value in enumerate(unique[:30]):
            if all(self.side.accepts_under(schema, value) for schema, _ in schemas):
                unique.insert(0, unique.pop(position))
                break
        return unique


def _combine(left: list[list[Any]], right: list[list[Any]]) -> list[list[Any]]:
    """Join two lists of alternatives so that each alternative of either list appears (up to eight in all)."""
    size = min(max(len(left), len(right)), 8)
    return [left[index % len(left)] + right[index % len(right)] for index in range(size)]


def _capped(values: list[Any], limit: int, rng: random.Random) -> list[Any]:
    if len(values) <= limit:
        return values
    head = values[:2]
    return head + rng.sample(values[2:], limit - 2)


def _near(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if value is None:
        return 0
    return [] if isinstance(value, dict) else {}


def _name_matching(pattern: str) -> str | None:
    for probe in ("x-a", "a", "abc", "1", "A"):
        try:
            if re.search(pattern, probe):
                return probe
        except re.error:
            return None
    return None


def _numbers(node: dict[str, Any], integer: bool) -> list[Any]:
    bounds = [node.get(keyword) for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")]
    numbers = [value for value in bounds if isinstance(value, (int, float)) and not isinstance(value, bool)]
    found: list[Any] = [0, 1, -1, 3, 2.5]
    for bound in numbers:
        found += [bound, bound - 1, bound + 1, bound - 0.5, bound + 0.5]
    step = node.get("multipleOf")
    if isinstance(step, (int, float)) and not isinstance(step, bool):
        found += [step, step * 2, step * 3, step / 2, step * 1.5]
    found += [2**31 - 1, 2**31]
    if integer:
        found.sort(key=lambda value: not float(value).is_integer())
    return found


def _strings(node: dict[str, Any]) -> list[Any]:
    pattern = node.get("pattern")
    form = node.get("format")
    example: str = "abc"
    pad: str | None = "a"
    miss: str | None = None
    if isinstance(pattern, str) and pattern in PATTERNS:
        example, pad, miss = PATTERNS[pattern]
    elif isinstance(pattern, str):
        matching = [probe for probe in PATTERN_PROBES if _matches(pattern, probe)]
        example = matching[0] if matching else "abc"
    found = [example]
    if isinstance(form, str) and form in STRING_FORMATS:
        valid, invalid = STRING_FORMATS[form]
        found = [valid, invalid, example]
    if miss is not None:
        found.append(miss)
    for keyword in ("minLength", "maxLength"):
        limit = node.get(keyword)
        if isinstance(limit, int) and not isinstance(limit, bool):
            for size in (limit - 1, limit, limit + 1):
                if size >= 0:
                    found += [_resized(example, size, pad), "a" * size]
    found += ["", "abc", "ABC"]
    return found


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


def _resized(text: str, size: int, pad: str | None) -> str:
    if len(text) >= size:
        return text[:size]
    return text + (pad or "a") * (size - len(text))
