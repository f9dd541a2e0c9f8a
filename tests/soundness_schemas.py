"""Schemas for the soundness checks: generated seeds, random edits and reordering.

The generators write the keywords schema-diff judges, in drafts 4, 7 and 2020-12, and
the edits are written to keep a schema valid under its draft's meta-schema (the checks
skip and count a pair where one is not). Keywords that schema-diff reports as unjudged
(`$dynamicRef`, `unevaluatedItems`, ...) and changes of `$schema` are never written,
since their verdict is a person's review rather than a direction.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import random
from collections.abc import Callable, Iterator
from typing import Any

JSON_TYPES = ("null", "boolean", "object", "array", "number", "integer", "string")

#: One value of each JSON type, offered at every place as a near miss.
GENERIC_VALUES: tuple[Any, ...] = (None, True, 0, 2.5, "zz", [], {})

#: Patterns the generators use, each with a matching string, a character that keeps it
#: matching when appended, and a string that does not match.
PATTERNS: dict[str, tuple[str, str | None, str]] = {
    "^[a-z]+$": ("abc", "a", "ABC"),
    "^[0-9]{3}$": ("123", None, "12a"),
    "[0-9]": ("a1", "a", "abc"),
    "^x-": ("x-a", "a", "a-x"),
    "^[A-Z][a-z]*$": ("Abc", "b", "abc"),
}

#: Strings tried against a pattern the generators did not write.
PATTERN_PROBES = ("", "a", "abc", "ABC", "Abc", "123", "a1", "x-a", "a b", "2024-01-02")

#: String formats with a valid and an invalid example, all checked by jsonschema's format checkers.
STRING_FORMATS: dict[str, tuple[str, str]] = {
    "date-time": ("2024-01-02T03:04:05Z", "2024-01-02"),
    "date": ("2024-01-02", "2024-13-45"),
    "email": ("a@example.com", "example.com"),
    "ipv4": ("192.0.2.7", "192.0.2"),
    "uuid": ("0a1b2c3d-0000-4000-8000-000000000000", "0a1b2c3d"),
}

#: OpenAPI number formats, as in the corpus; jsonschema does not check them.
NUMBER_FORMATS = ("int32", "int64", "double")

PROPERTY_NAMES = ("id", "name", "kind", "size", "tags", "status", "note", "a/b", "t~1")
WORDS = ("red", "green", "blue", "x-1", "Up", "down", "")

#: Keywords whose list value is a set of values or names; their order carries no meaning.
UNORDERED_VALUE_LISTS = frozenset({"enum", "required", "type"})
#: Keywords whose list of subschemas carries no meaning in its order.
UNORDERED_SUBSCHEMA_LISTS = frozenset({"oneOf", "anyOf", "allOf"})

SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMA_SINGLES = ("items", "additionalItems", "additionalProperties", "unevaluatedProperties",
                     "unevaluatedItems", "not", "if", "then", "else", "contains", "propertyNames")


def canonical(value: Any) -> str:
    """Key a JSON value for de-duplication: `1`, `1.0` and `true` stay apart."""
    return json.dumps(value, sort_keys=True)


# Drafts --------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Dialect:
    """What the generators may write in one draft."""

    name: str
    uri: str | None
    definitions: str
    has_const: bool
    boolean_schemas: bool
    boolean_exclusive_bounds: bool
    #: The keyword of a tuple of item schemas, and of the schema for the items after it.
    tuple_keyword: str
    rest_keyword: str
    dependent_required: str | None
    conditionals: bool


DRAFT202012 = Dialect("2020-12", None, "$defs", True, True, False, "prefixItems", "items", "dependentRequired", True)
DRAFT7 = Dialect("draft-07", "http://json-schema.org/draft-07/schema#", "definitions", True, True, False,
                 "items", "additionalItems", "dependencies", True)
DRAFT4 = Dialect("draft-04", "http://json-schema.org/draft-04/schema#", "definitions", False, False, True,
                 "items", "additionalItems", "dependencies", False)


# Locations of subschemas ----------------------------------------------------------------------

@dataclasses.dataclass
class Location:
    """A subschema inside a document, and where to put a replacement for it."""

    pointer: str
    node: Any
    container: Any = None
    key: Any = None

    def replace(self, document: dict[str, Any], node: Any) -> Any:
        """Put `node` in this location's place; return the document (a new one for the root)."""
        if self.container is None:
            return node
        self.container[self.key] = node
        return document


def escape(token: Any) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def locations(node: Any, pointer: str = "", container: Any = None, key: Any = None) -> Iterator[Location]:
    """Yield every subschema (objects and booleans) under and including `node`."""
    if not isinstance(node, (dict, bool)):
        return
    yield Location(pointer, node, container, key)
    if not isinstance(node, dict):
        return
    for keyword in SUBSCHEMA_MAPS:
        members = node.get(keyword)
        if isinstance(members, dict):
            for name, member in members.items():
                yield from locations(member, f"{pointer}/{keyword}/{escape(name)}", members, name)
    dependencies = node.get("dependencies")
    if isinstance(dependencies, dict):
        for name, member in dependencies.items():
            if isinstance(member, dict):
                yield from locations(member, f"{pointer}/dependencies/{escape(name)}", dependencies, name)
    for keyword in (*SUBSCHEMA_LISTS, "items"):
        members = node.get(keyword)
        if isinstance(members, list):
            for position, member in enumerate(members):
                yield from locations(member, f"{pointer}/{keyword}/{position}", members, position)
    for keyword in SUBSCHEMA_SINGLES:
        if keyword in node and not isinstance(node[keyword], list):
            yield from locations(node[keyword], f"{pointer}/{keyword}", node, keyword)


def resolve_pointer(document: Any, pointer: str) -> Any:
    node = document
    for token in pointer.split("/")[1:] if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def resolve_local_ref(root: Any, ref: str) -> tuple[Any, str]:
    """Follow a same-document `$ref` ("#/..."), the only kind the generators write or the corpus holds."""
    if not ref.startswith("#"):
        raise ValueError(f"only same-document references are generated, not {ref!r}")
    pointer = ref[1:]
    return resolve_pointer(root, pointer), pointer


# Shuffling ------------------------------------------------------------------------------------

#: Keywords whose value is data rather than a schema: shuffling stops there.
DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples", "example"})


def shuffled(node: Any, rng: random.Random, branches: bool = True) -> Any:
    """Copy a schema with object keys, enum values, required names and types in a random order.

    With `branches`, `oneOf`/`anyOf`/`allOf` members are shuffled too. Edited pairs keep
    the branch order, so that pointers to the edited place stay valid in both versions.
    Values that are data (a `default`, `const`, `x-` extension, ...) are copied unchanged,
    except that an `enum` list is shuffled as a whole.
    """
    if isinstance(node, list):
        return [shuffled(member, rng, branches) for member in node]
    if not isinstance(node, dict):
        return node
    keys = list(node)
    rng.shuffle(keys)
    result = {}
    for key in keys:
        data = key in DATA_KEYWORDS or key.startswith("x-")
        value = copy.deepcopy(node[key]) if data else shuffled(node[key], rng, branches)
        if isinstance(value, list) and (key in UNORDERED_VALUE_LISTS or (branches and key in UNORDERED_SUBSCHEMA_LISTS)):
            rng.shuffle(value)
        result[key] = value
    return result


# Generated schemas ----------------------------------------------------------------------------

class SchemaFactory:
    """Random schemas of one draft, a few levels deep, using the keywords schema-diff judges."""

    def __init__(self, rng: random.Random, dialect: Dialect) -> None:
        self.rng = rng
        self.dialect = dialect

    def document(self) -> dict[str, Any]:
        rng = self.rng
        root = self.object_schema(2) if rng.random() < 0.7 else self.schema(2)
        if not isinstance(root, dict):
            root = {"type": "object", "properties": {"id": root}}
        if rng.random() < 0.25:
            # A definition used through `$ref`, as real schema sets share types.
            name = rng.choice(["Thing", "Status", "Item"])
            root.setdefault(self.dialect.definitions, {})[name] = self.schema(1)
            properties = root.setdefault("properties", {})
            properties[rng.choice(PROPERTY_NAMES)] = {"$ref": f"#/{self.dialect.definitions}/{name}"}
        if self.dialect.uri is not None:
            root = {"$schema": self.dialect.uri, **root}
        return root

    def schema(self, depth: int) -> Any:
        rng = self.rng
        if depth <= 0:
            return self.leaf()
        builders: list[Callable[[], Any]] = [
            self.leaf, self.leaf, lambda: self.object_schema(depth - 1), lambda: self.array_schema(depth - 1),
            lambda: self.union(depth - 1), lambda: self.tagged_union(depth - 1), lambda: self.nullable(depth - 1),
            lambda: self.all_of(depth - 1),
        ]
        if rng.random() < 0.1:
            builders.append(lambda: {"not": self.leaf()})
        if self.dialect.conditionals and rng.random() < 0.05:
            builders.append(self.conditional)
        if self.dialect.boolean_schemas and rng.random() < 0.05:
            builders.append(lambda: rng.choice([True, False]))
        return rng.choice(builders)()

    def leaf(self) -> dict[str, Any]:
        rng = self.rng
        schema = rng.choice([self.string, self.number, self.enum, self.const, self.boolean, self.untyped])()
        if rng.random() < 0.15:
            schema["description"] = rng.choice(["A value.", "The thing's state."])
        if rng.random() < 0.1:
            schema["default"] = rng.choice([0, "red", None, True])
        return schema

    def string(self) -> dict[str, Any]:
        rng = self.rng
        schema: dict[str, Any] = {"type": "string"}
        if rng.random() < 0.3:
            schema["minLength"] = rng.randrange(0, 4)
        if rng.random() < 0.3:
            schema["maxLength"] = rng.randrange(3, 12)
        if rng.random() < 0.25:
            schema["pattern"] = rng.choice(list(PATTERNS))
        if rng.random() < 0.25:
            schema["format"] = rng.choice(list(STRING_FORMATS))
        return schema

    def number(self) -> dict[str, Any]:
        rng = self.rng
        schema: dict[str, Any] = {"type": rng.choice(["integer", "number"])}
        if rng.random() < 0.4:
            schema["minimum"] = rng.choice([-5, 0, 1, 2.5])
        if rng.random() < 0.4:
            schema["maximum"] = rng.choice([10, 100, 7.5])
        if rng.random() < 0.2:
            if self.dialect.boolean_exclusive_bounds:
                if "minimum" in schema:
                    schema["exclusiveMinimum"] = True
            else:
                schema["exclusiveMaximum"] = rng.choice([50, 101])
        if rng.random() < 0.15:
            schema["multipleOf"] = rng.choice([1, 2, 5, 0.5])
        if rng.random() < 0.15:
            schema["format"] = rng.choice(NUMBER_FORMATS)
        return schema

    def enum(self) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.6:
            return {"type": "string", "enum": rng.sample(WORDS, rng.randrange(1, 5))}
        values = rng.sample(["red", 1, 2.5, True, None, "blue", 0], rng.randrange(1, 5))
        return {"enum": values}

    def const(self) -> dict[str, Any]:
        value = self.rng.choice(["red", 3, True, "x-1"])
        if not self.dialect.has_const:
            return {"enum": [value]}
        return {"const": value}

    def boolean(self) -> dict[str, Any]:
        return {"type": "boolean"}

    def untyped(self) -> dict[str, Any]:
        return self.rng.choice([{}, {"type": ["string", "integer"]}, {"minimum": 0}, {"maxLength": 4}])

    def object_schema(self, depth: int) -> dict[str, Any]:
        rng = self.rng
        names = rng.sample(PROPERTY_NAMES, rng.randrange(0, 5))
        properties = {name: self.schema(depth) for name in names}
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        required = [name for name in names if rng.random() < 0.5]
        if required:
            schema["required"] = required
        roll = rng.random()
        if roll < 0.3:
            schema["additionalProperties"] = False
        elif roll < 0.4:
            schema["additionalProperties"] = self.leaf()
        elif roll < 0.45:
            schema["additionalProperties"] = True
        if rng.random() < 0.08:
            schema["patternProperties"] = {"^x-": self.leaf()}
        if rng.random() < 0.08:
            schema[rng.choice(["minProperties", "maxProperties"])] = rng.randrange(1, 4)
        if self.dialect.dependent_required and len(names) >= 2 and rng.random() < 0.08:
            schema[self.dialect.dependent_required] = {names[0]: [names[1]]}
        if rng.random() < 0.2:
            schema["title"] = rng.choice(["Thing", "Widget", "Order"])
        return schema

    def array_schema(self, depth: int) -> dict[str, Any]:
        rng = self.rng
        schema: dict[str, Any] = {"type": "array"}
        if rng.random() < 0.12:
            schema[self.dialect.tuple_keyword] = [self.schema(depth) for _ in range(rng.randrange(1, 3))]
            if rng.random() < 0.5:
                schema[self.dialect.rest_keyword] = rng.choice([False, self.leaf()])
        elif rng.random() < 0.9:
            schema["items"] = self.schema(depth)
        if rng.random() < 0.3:
            schema["minItems"] = rng.randrange(0, 3)
        if rng.random() < 0.3:
            schema["maxItems"] = rng.randrange(2, 6)
        if rng.random() < 0.15:
            schema["uniqueItems"] = True
        if self.dialect is not DRAFT4 and rng.random() < 0.05:
            schema["contains"] = self.leaf()
        return schema

    def union(self, depth: int) -> dict[str, Any]:
        rng = self.rng
        count = rng.randrange(2, 4)
        branches = [self.schema(depth) for _ in range(count)]
        return {rng.choice(["oneOf", "anyOf"]): branches}

    def tagged_union(self, depth: int) -> dict[str, Any]:
        rng = self.rng
        tags = rng.sample(["cat", "dog", "fish", "bird"], rng.randrange(2, 4))
        branches = []
        for tag in tags:
            pinned = {"const": tag} if self.dialect.has_const and rng.random() < 0.5 else {"enum": [tag]}
            branch: dict[str, Any] = {"type": "object", "required": ["type"],
                                      "properties": {"type": {"type": "string", **pinned}}}
            for name in rng.sample(PROPERTY_NAMES[:6], rng.randrange(0, 3)):
                branch["properties"][name] = self.schema(depth)
            if rng.random() < 0.3:
                branch["additionalProperties"] = False
            branches.append(branch)
        return {rng.choice(["oneOf", "anyOf"]): branches}

    def nullable(self, depth: int) -> dict[str, Any]:
        inner = self.schema(depth)
        if not isinstance(inner, dict):
            inner = self.leaf()
        return wrap_nullable(inner, self.rng)

    def all_of(self, depth: int) -> dict[str, Any]:
        rng = self.rng
        members: list[Any] = [self.object_schema(depth)]
        if rng.random() < 0.7:
            members.append({"type": "object", "required": [rng.choice(PROPERTY_NAMES)]})
        return {"allOf": members}

    def conditional(self) -> dict[str, Any]:
        return {"type": "object", "properties": {"kind": {"type": "string"}, "size": {"type": "integer"}},
                "if": {"properties": {"kind": {"const": "big"}}, "required": ["kind"]},
                "then": {"properties": {"size": {"minimum": 10}}}, "else": {"properties": {"size": {"maximum": 9}}}}


def wrap_nullable(inner: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Write "inner or null" in one of the spellings schema-diff must treat alike."""
    spelling = rng.choice(["type-list", "oneOf", "anyOf"])
    if spelling == "type-list" and isinstance(inner.get("type"), str) and inner["type"] != "null":
        wrapped = dict(inner)
        wrapped["type"] = rng.choice([[inner["type"], "null"], ["null", inner["type"]]])
        # A type list does not widen an enum or const: null has to be listed as a value too.
        if "const" in wrapped:
            wrapped["enum"] = [wrapped.pop("const"), None]
        elif isinstance(wrapped.get("enum"), list) and None not in wrapped["enum"]:
            wrapped["enum"] = [*wrapped["enum"], None]
        return wrapped
    keyword = spelling if spelling != "type-list" else "anyOf"
    branches = [{"type": "null"}, inner] if rng.random() < 0.5 else [inner, {"type": "null"}]
    return {keyword: branches}


# Edits ----------------------------------------------------------------------------------------

@dataclasses.dataclass
class EditContext:
    """What an edit may look at besides the node it edits."""

    rng: random.Random
    dialect: Dialect
    factory: SchemaFactory
    document: Any
    location: Location


Edit = Callable[[dict[str, Any], EditContext], "str | None"]


def _types(node: dict[str, Any]) -> list[str]:
    written = node.get("type")
    if isinstance(written, str):
        return [written]
    if isinstance(written, list):
        return [kind for kind in written if isinstance(kind, str)]
    return []


def _new_value_like(values: list[Any], rng: random.Random) -> Any:
    kinds = {type(value) for value in values}
    if kinds <= {str} or not values:
        return rng.choice(["added", "teardown-required", "x-2", "Down"]) + str(rng.randrange(9))
    if kinds <= {int, float}:
        return rng.choice([7, 42, -1, 3.5])
    return rng.choice(["added", 9, False, None, 0.5])


def edit_enum_add(node: dict[str, Any], context: EditContext) -> str | None:
    values = node.get("enum")
    if not isinstance(values, list):
        return None
    value = _new_value_like([value for value in values if value is not None], context.rng)
    if any(canonical(value) == canonical(existing) for existing in values):
        return None
    values.insert(context.rng.randrange(len(values) + 1), value)
    return f"enum value {canonical(value)} added"


def edit_enum_remove(node: dict[str, Any], context: EditContext) -> str | None:
    values = node.get("enum")
    if not isinstance(values, list) or len(values) < 2:
        return None
    value = values.pop(context.rng.randrange(len(values)))
    return f"enum value {canonical(value)} removed"


def edit_enum_toggle(node: dict[str, Any], context: EditContext) -> str | None:
    if "enum" in node:
        del node["enum"]
        return "enum removed"
    if node.get("type") == "string" and "const" not in node:
        node["enum"] = context.rng.sample(WORDS, 2)
        return "enum added"
    return None


def edit_const(node: dict[str, Any], context: EditContext) -> str | None:
    if not context.dialect.has_const:
        return None
    rng = context.rng
    if "const" in node:
        if rng.random() < 0.5:
            del node["const"]
            return "const removed"
        node["const"] = _new_value_like([node["const"]], rng)
        return "const changed"
    if "enum" not in node and _types(node) in (["string"], []):
        node["const"] = rng.choice(WORDS)
        return "const added"
    return None


def edit_required(node: dict[str, Any], context: EditContext) -> str | None:
    rng = context.rng
    required = node.get("required")
    properties: dict[str, Any] = node["properties"] if isinstance(node.get("properties"), dict) else {}
    if isinstance(required, list) and required and rng.random() < 0.5:
        name = required.pop(rng.randrange(len(required)))
        if not required:
            del node["required"]
        return f"required name {name!r} removed"
    if not properties and "object" not in _types(node):
        return None
    candidates = [name for name in properties if name not in (required or [])]
    if not candidates or rng.random() < 0.1:
        # A required name no property declares.
        candidates = [name for name in PROPERTY_NAMES if name not in (required or [])]
    name = rng.choice(candidates)
    node.setdefault("required", []).append(name)
    return f"required name {name!r} added"


def edit_properties(node: dict[str, Any], context: EditContext) -> str | None:
    rng = context.rng
    properties = node.get("properties")
    if not isinstance(properties, dict):
        if "object" not in _types(node):
            return None
        properties = node["properties"] = {}
    roll = rng.random()
    if properties and roll < 0.4:
        name = rng.choice(sorted(properties))
        del properties[name]
        return f"property {name!r} removed"
    if properties and roll < 0.55:
        name = rng.choice(sorted(properties))
        properties[name] = context.factory.schema(1)
        return f"property {name!r} replaced"
    free = [name for name in PROPERTY_NAMES if name not in properties] or ["extra"]
    name = rng.choice(free)
    properties[name] = context.factory.schema(1)
    return f"property {name!r} added"


def edit_additional_properties(node: dict[str, Any], context: EditContext) -> str | None:
    if "object" not in _types(node) and "properties" not in node:
        return None
    options: list[Any] = ["absent", False, True, {"type": "string"}, {"type": "integer", "minimum": 0}]
    before = node.get("additionalProperties", "absent")
    after = context.rng.choice([option for option in options if canonical(option) != canonical(before)])
    if after == "absent":
        node.pop("additionalProperties", None)
    else:
        node["additionalProperties"] = after
    return f"additionalProperties {canonical(before)} -> {canonical(after)}"


def edit_type(node: dict[str, Any], context: EditContext) -> str | None:
    rng = context.rng
    types = _types(node)
    roll = rng.random()
    if not types:
        if "enum" in node or "const" in node or "oneOf" in node or "anyOf" in node or "allOf" in node:
            return None
        node["type"] = rng.choice(["string", "integer", "object"])
        return "type added"
    if "integer" in types and roll < 0.3:
        _replace_type(node, "integer", "number")
        return "integer widened to number"
    if "number" in types and roll < 0.3:
        _replace_type(node, "number", "integer")
        return "number narrowed to integer"
    if len(types) > 1 and roll < 0.6:
        types.remove(rng.choice(types))
        node["type"] = types if len(types) > 1 or rng.random() < 0.5 else types[0]
        return "type narrowed"
    if roll < 0.8:
        extra = rng.choice([kind for kind in JSON_TYPES if kind not in types])
        node["type"] = [*types, extra]
        return f"type {extra} added"
    if roll < 0.9:
        del node["type"]
        return "type removed"
    node["type"] = rng.choice([kind for kind in JSON_TYPES if kind not in types])
    return "type replaced"


def _replace_type(node: dict[str, Any], before: str, after: str) -> None:
    if isinstance(node["type"], list):
        node["type"] = [after if kind == before else kind for kind in node["type"]]
    else:
        node["type"] = after


BOUND_KEYWORDS = {
    "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "integer": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "string": ("minLength", "maxLength"),
    "array": ("minItems", "maxItems", "uniqueItems"),
    "object": ("minProperties", "maxProperties"),
}
#: Draft 4's boolean flag that qualifies each bound.
EXCLUSIVE_FLAG_OF = {"minimum": "exclusiveMinimum", "maximum": "exclusiveMaximum"}
COUNT_KEYWORDS = frozenset({"minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"})


def edit_bound(node: dict[str, Any], context: EditContext) -> str | None:
    rng = context.rng
    keywords = [keyword for kind in _types(node) for keyword in BOUND_KEYWORDS.get(kind, ())]
    keywords += [keyword for keywords_of_kind in BOUND_KEYWORDS.values() for keyword in keywords_of_kind if keyword in node]
    if not keywords:
        return None
    keyword = rng.choice(keywords)
    before = node.get(keyword)
    if keyword == "uniqueItems":
        node[keyword] = not before if before is not None else True
        if rng.random() < 0.3:
            del node[keyword]
        return f"uniqueItems {before!r} -> {node.get(keyword)!r}"
    if keyword.startswith("exclusive") and context.dialect.boolean_exclusive_bounds:
        if ("minimum" if keyword == "exclusiveMinimum" else "maximum") not in node:
            return None
        node[keyword] = not node.get(keyword, False)
        return f"{keyword} toggled"
    if before is not None and rng.random() < 0.25:
        del node[keyword]
        paired = EXCLUSIVE_FLAG_OF.get(keyword)
        if context.dialect.boolean_exclusive_bounds and paired in node:
            # Draft 4's meta-schema requires the bound beside each exclusive flag.
            del node[paired]
            return f"{keyword} removed with {paired}"
        return f"{keyword} removed"
    after: float
    if keyword in COUNT_KEYWORDS:
        base = before if isinstance(before, int) else rng.randrange(0, 4)
        after = max(0, base + rng.choice([-2, -1, 1, 2, 3]))
    elif keyword == "multipleOf":
        after = rng.choice([1, 2, 3, 4, 0.5, 0.25, 10])
    else:
        start = before if isinstance(before, (int, float)) and not isinstance(before, bool) else rng.choice([0, 5, 10])
        after = start + rng.choice([-3, -1, -0.5, 0.5, 1, 2])
    if after == before:
        return None
    node[keyword] = after
    return f"{keyword} {before!r} -> {after!r}"


def edit_pattern(node: dict[str, Any], context: EditContext) -> str | None:
    if "string" not in _types(node) and "pattern" not in node:
        return None
    options = ["absent", *PATTERNS]
    before = node.get("pattern", "absent")
    after = context.rng.choice([option for option in options if option != before])
    if after == "absent":
        del node["pattern"]
    else:
        node["pattern"] = after
    return f"pattern {before!r} -> {after!r}"


def edit_format(node: dict[str, Any], context: EditContext) -> str | None:
    types = _types(node)
    if "string" in types:
        options = ["absent", *STRING_FORMATS]
    elif "integer" in types or "number" in types:
        options = ["absent", *NUMBER_FORMATS]
    elif "format" in node:
        options = ["absent"]
    else:
        return None
    before = node.get("format", "absent")
    choices = [option for option in options if option != before]
    if not choices:
        return None
    after = context.rng.choice(choices)
    if after == "absent":
        del node["format"]
    else:
        node["format"] = after
    return f"format {before!r} -> {after!r}"


def edit_default(node: dict[str, Any], context: EditContext) -> str | None:
    rng = context.rng
    if "default" in node and rng.random() < 0.4:
        del node["default"]
        return "default removed"
    node["default"] = rng.choice([0, 1, "red", "blue", None, True, [], {}])
    return "default set"


def edit_annotation(node: dict[str, Any], context: EditContext) -> str | None:
    rng = context.rng
    keyword = rng.choice(["description", "title", "examples", "$comment", "x-note", "deprecated"])
    value = {"examples": ["e" + str(rng.randrange(9))], "deprecated": rng.random() < 0.5}.get(keyword, "edited " + str(rng.randrange(9)))
    if keyword == "title" and "title" not in node and node is not context.document:
        # A title names a type, which decides how branches pair up: keep edits cosmetic.
        keyword = "description"
    node[keyword] = value
    return f"{keyword} set"


def edit_branches(node: dict[str, Any], context: EditContext) -> str | None:
    rng = context.rng
    for keyword in ("oneOf", "anyOf"):
        branches = node.get(keyword)
        if not isinstance(branches, list):
            continue
        roll = rng.random()
        if roll < 0.2:
            node[{"oneOf": "anyOf", "anyOf": "oneOf"}[keyword]] = node.pop(keyword)
            return f"{keyword} switched"
        if len(branches) > 1 and roll < 0.6:
            branches.pop(rng.randrange(len(branches)))
            return f"{keyword} branch removed"
        tagged = [branch for branch in branches if isinstance(branch, dict) and isinstance(branch.get("properties"), dict)
                  and "type" in branch["properties"]]
        if tagged and rng.random() < 0.6:
            branch = copy.deepcopy(rng.choice(tagged))
            pinned = {"enum": ["new" + str(rng.randrange(99))]}
            branch["properties"]["type"] = {"type": "string", **pinned}
        else:
            branch = context.factory.schema(1)
        branches.insert(rng.randrange(len(branches) + 1), branch)
        return f"{keyword} branch added"
    return None


def edit_all_of(node: dict[str, Any], context: EditContext) -> str | None:
    rng = context.rng
    members = node.get("allOf")
    if isinstance(members, list) and members and rng.random() < 0.5:
        members.pop(rng.randrange(len(members)))
        if not members:
            del node["allOf"]
        return "allOf member removed"
    member = rng.choice([{"required": [rng.choice(PROPERTY_NAMES)]}, {"minProperties": 1}, context.factory.leaf()])
    node.setdefault("allOf", []).append(member)
    return "allOf member added"


def edit_not(node: dict[str, Any], context: EditContext) -> str | None:
    if "not" in node:
        if context.rng.random() < 0.5:
            del node["not"]
            return "not removed"
        node["not"] = context.factory.leaf()
        return "not replaced"
    node["not"] = context.rng.choice([{"type": "null"}, {"enum": ["red", 0]}, context.factory.leaf()])
    return "not added"


def edit_items(node: dict[str, Any], context: EditContext) -> str | None:
    if "array" not in _types(node) and "items" not in node:
        return None
    if "items" in node and context.rng.random() < 0.3:
        del node["items"]
        return "items removed"
    node["items"] = context.factory.schema(1)
    return "items replaced"


def edit_nullable(node: dict[str, Any], context: EditContext) -> str | None:
    """Wrap the node in "or null", or unwrap it when it already is."""
    for keyword in ("oneOf", "anyOf"):
        branches = node.get(keyword)
        if isinstance(branches, list) and len(branches) == 2 and {"type": "null"} in branches and len(node) == 1:
            inner = next(branch for branch in branches if branch != {"type": "null"})
            context.document = context.location.replace(context.document, inner)
            return "null branch unwrapped"
    types = node.get("type")
    if isinstance(types, list) and "null" in types and len(types) > 1:
        types.remove("null")
        if isinstance(node.get("enum"), list) and None in node["enum"] and len(node["enum"]) > 1:
            node["enum"].remove(None)
        return "null removed from the type list"
    inner = copy.deepcopy(node)
    staying: dict[str, Any] = {}
    if context.location.container is None:
        # The root keeps `$schema` and its definitions, so that references still resolve.
        staying = {key: inner.pop(key) for key in ("$schema", "$defs", "definitions") if key in inner}
    context.document = context.location.replace(context.document, {**staying, **wrap_nullable(inner, context.rng)})
    return "wrapped in null"


def edit_extract_definition(node: dict[str, Any], context: EditContext) -> str | None:
    """Move the node into the definitions and refer to it: the same schema spelled another way."""
    if context.location.container is None or not isinstance(context.document, dict):
        return None
    if "$ref" in node:
        return None
    definitions = context.document.setdefault(context.dialect.definitions, {})
    name = "Extracted" + str(len(definitions))
    definitions[name] = copy.deepcopy(node)
    context.document = context.location.replace(context.document, {"$ref": f"#/{context.dialect.definitions}/{name}"})
    return f"moved into {context.dialect.definitions}/{name}"


def edit_boolean(node: Any, context: EditContext) -> str | None:
    if not context.dialect.boolean_schemas or context.location.container is None:
        return None
    context.document = context.location.replace(context.document, not node)
    return f"boolean schema {node} -> {not node}"


EDITS: dict[str, Edit] = {
    "enum-add": edit_enum_add,
    "enum-remove": edit_enum_remove,
    "enum-toggle": edit_enum_toggle,
    "const": edit_const,
    "required": edit_required,
    "properties": edit_properties,
    "additional-properties": edit_additional_properties,
    "type": edit_type,
    "bound": edit_bound,
    "pattern": edit_pattern,
    "format": edit_format,
    "default": edit_default,
    "annotation": edit_annotation,
    "branches": edit_branches,
    "all-of": edit_all_of,
    "not": edit_not,
    "items": edit_items,
    "nullable": edit_nullable,
    "extract-definition": edit_extract_definition,
}


def apply_edit(document: Any, rng: random.Random, dialect: Dialect) -> tuple[Any, str, str] | None:
    """Apply one random edit at one random subschema; return the new document, the edit and its place."""
    document = copy.deepcopy(document)
    places = list(locations(document))
    factory = SchemaFactory(rng, dialect)
    for _ in range(20):
        location = rng.choice(places)
        context = EditContext(rng, dialect, factory, document, location)
        if isinstance(location.node, bool):
            described = edit_boolean(location.node, context)
        else:
            name = rng.choice(list(EDITS))
            described = EDITS[name](location.node, context)
        if described is not None:
            return context.document, described, location.pointer
    return None
