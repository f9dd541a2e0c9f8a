"""Witnesses: example instances that show a breaking change, checked with jsonschema.

A witness is one instance of the changed document that one version accepts and the other
rejects, in a direction the change breaks: `{"instance": ..., "valid_in": "old",
"rejected_by": "new"}` shows a backward break. The instance is the document's minimal valid
instance with a value chosen for the change placed where the change is (the added enum
value, a number between the old and the new bound, ...). It is attached only after the
validators of both versions have confirmed it; otherwise the change carries
`{"unavailable": reason}`.

Each version validates with the jsonschema validator of the document's draft, with a
registry of all its documents so that `$ref`s between them resolve, and with `format`
asserted, since schema-diff judges `format` as an assertion. Which formats are checked
depends on the optional packages jsonschema finds installed.

In an OpenAPI document the instance belongs to the schema that contains the change, and
`instance_of` gives that schema's pointer. The same holds for a definition that nothing in
its document refers to.
"""

from __future__ import annotations

import copy
import dataclasses
import fractions
import json
import math
import re
import urllib.parse
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

# NOTE: `re._parser` is CPython's private regular expression parser. Only the sample
# strings for `pattern` use it, and every sample is checked with `re.search` before use.
import re._parser as regex_parser  # type: ignore[import-not-found]
import jsonschema.exceptions
import referencing
import referencing.exceptions
from jsonschema.protocols import Validator
from referencing import Registry, Resource

from checker.documents import Document, DocumentSet
from checker.drafts import is_openapi
from checker.errors import InvalidSchemaError, UnresolvableReferenceError
from checker.jsonvalues import join, kind_of
from checker.metaschemas import check_tree
from checker.model import Change, Direction, Mode, Report, Severity
from checker.references import References, Remote
from checker.rules import SIDE_MODES

if TYPE_CHECKING:
    # `referencing` exports Resolver only from its private module (checked with referencing 0.37).
    from referencing._core import Resolver

OLD, NEW = "old", "new"

DEFAULT_CHANGED = "a changed default accepts the same instances; it changes what an omitted value means"

#: The maximum nesting depth of a generated value. A change deeper down, or a schema that requires an
#: instance of itself, gets no witness. The limit also keeps jsonschema's recursive
#: validation of the witness far from Python's recursion limit.
MAX_DEPTH = 40

#: The maximum length of a generated string and the maximum count of its items or
#: properties, so that a bound such as `minLength: 1000000000` fails cleanly instead of
#: exhausting memory.
MAX_SIZE = 10_000

#: The maximum count of subschemas the search for a path from the document's root to a change visits.
MAX_ROUTE_NODES = 20_000

#: Values tried at the changed location when the rule's own candidates fail.
PROBES: tuple[Any, ...] = (None, False, 0, 0.5, -1, "x", "", [], {})

STRING_PROBES = ("x", "", "0", "A", "-", " ", "unlisted", "x" * 256)

#: One value of each JSON kind, for type changes.
KIND_SAMPLES: dict[str, Any] = {
    "null": None, "boolean": False, "integer": 0, "number": 0.5, "string": "x", "array": [], "object": {},
}

#: A valid string for each format the jsonschema format checkers know.
FORMAT_SAMPLES = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00Z",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com/",
    "uri-reference": "https://example.com/",
    "iri": "https://example.com/",
    "iri-reference": "https://example.com/",
    "uri-template": "https://example.com/{id}",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "json-pointer": "/x",
    "relative-json-pointer": "0",
    "regex": "x",
}

_NUMERIC_BOUNDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
_SIZE_BOUNDS = {
    "minLength": "string", "maxLength": "string", "minItems": "array", "maxItems": "array",
    "minContains": "array", "maxContains": "array", "minProperties": "object", "maxProperties": "object",
}

#: Keywords whose subschema describes the same instance as the schema holding it.
_SAME_INSTANCE = ("allOf", "anyOf", "oneOf")


class NoInstance(Exception):
    """No instance could be generated for a subschema (it accepts nothing, or nests too deep)."""


class NoWitness(Exception):
    """No checked witness exists for a change in one direction; the message gives the reason."""


class _Any:
    """A value a schema leaves unconstrained; merging with any other value yields that value."""

    def __repr__(self) -> str:
        return "ANY"

    def __deepcopy__(self, memo: dict[int, Any]) -> _Any:
        # Generated values are copied out of a cache, and ANY is recognised by identity.
        return self


ANY = _Any()
#: A candidate that could not be generated.
NOTHING = object()
#: The goal of a build that places no particular value: the minimal instance.
MINIMAL = object()


# Locations and sides --------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, eq=False)
class Location:
    """A subschema: its document, its pointer there, the node, and the resolver for its `$ref`s."""

    document: Document
    pointer: str
    node: Any
    resolver: Resolver[Any] | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.document.path, self.pointer)


@dataclasses.dataclass(frozen=True, eq=False)
class Step:
    """One move from a subschema to a subschema inside it, and what it means for the instance.

    `kind` is "key" (a declared property), "pattern-key", "extra-key" (a property no
    schema declares), "name" (`propertyNames`: the step's value is a property name),
    "index", "contains", "branch" (`oneOf`/`anyOf` member), "member" (`allOf` member),
    "dependent" (`dependentSchemas`) or "ref".
    """

    kind: str
    token: Any
    location: Location


#: Exceptions jsonschema raises when it meets a malformed keyword while validating.
_SCHEMA_ERRORS = (jsonschema.exceptions.UnknownType, TypeError, AttributeError, ValueError, LookupError)


class Side:
    """One version: its documents, `$ref` resolution, and jsonschema validators at any location."""

    def __init__(self, name: str, documents: DocumentSet) -> None:
        self.name = name
        self.documents = documents
        self._references = References(documents)
        self._registry: Registry[Any] | None = None
        self._validators: dict[tuple[str, str], Validator] = {}

    def document(self, path: str) -> Document | None:
        if self.documents.single_file:
            # Two single files are two versions of one document, whatever their names.
            return next(iter(self.documents), None)
        return self.documents.documents.get(path)

    def locate(self, document: Document, pointer: str) -> Location | None:
        """Return the subschema at a pointer, or None when the pointer leads nowhere."""
        location: Location | None = Location(document, "", document.contents)
        for token in _tokens(pointer):
            location = self.child(location, token) if location is not None else None
        return location

    def child(self, location: Location, *tokens: str | int) -> Location | None:
        node, pointer, resolver = location.node, location.pointer, location.resolver
        for token in tokens:
            if isinstance(node, dict) and str(token) in node:
                node = node[str(token)]
            elif isinstance(node, list) and str(token).isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
            pointer = join(pointer, token)
            if isinstance(node, dict) and isinstance(node.get(location.document.draft.id_keyword), str):
                # A subschema with its own id changes the base its references resolve against.
                resolver = self._references.enter(resolver or self._references.resolver(location.document), location.document, node)
        return Location(location.document, pointer, node, resolver)

    def follow(self, location: Location) -> Location:
        """Return the subschema a `$ref` leads to; raise NoInstance when it leads outside the documents."""
        resolver = location.resolver or self._references.resolver(location.document)
        try:
            target = self._references.resolve(resolver, location.node["$ref"], location.document)
        except UnresolvableReferenceError as error:
            raise NoInstance(str(error)) from error
        if isinstance(target, Remote):
            raise NoInstance(f"$ref {target.uri} leads outside the compared documents")
        return Location(target.document, target.pointer, target.node, target.resolver)

    def accepts(self, location: Location, instance: Any) -> bool:
        """Validate an instance against the subschema with the jsonschema validator of its draft."""
        try:
            return self._validator(location).is_valid(instance)
        except referencing.exceptions.Unresolvable as error:
            raise NoWitness(f"$ref {error.ref} does not resolve among the {self.name} documents") from error
        except re.error as error:
            raise NoWitness(f"a pattern in the {self.name} version is not a valid regular expression: {error}") from error
        except _SCHEMA_ERRORS as error:
            explained = self._invalid_schema(location)
            if explained is None:
                raise
            raise explained from error

    def _invalid_schema(self, location: Location) -> NoWitness | None:
        """Explain a validation that failed with an error: a schema that is not valid for its draft.

        The comparison checks only the parts of a document that changed, so a malformed
        keyword elsewhere can make validation raise. Checking first would cost more than
        the whole comparison on large documents, so the check runs only after a failure.
        """
        schemas = [(location.document, location.pointer, location.node)]
        schemas += [(document, "", document.contents) for document in self.documents if not is_openapi(document.contents)]
        for document, pointer, node in schemas:
            try:
                check_tree(node, document.draft, document.shown_as or document.path, pointer)
            except InvalidSchemaError as error:
                return NoWitness(f"the {self.name} version is not a valid schema: {error}")
        return None

    def _validator(self, location: Location) -> Validator:
        if location.key not in self._validators:
            # A `$ref` to the location, rather than the node itself, keeps the document's URI
            # (or its root `$id`) as the base that relative references resolve against.
            reference = f"{_base_uri(location.document)}#{urllib.parse.quote(location.pointer)}"
            validator_class = location.document.draft.validator
            self._validators[location.key] = validator_class(
                {"$ref": reference}, registry=self._get_registry(), format_checker=validator_class.FORMAT_CHECKER,
            )
        return self._validators[location.key]

    def _get_registry(self) -> Registry[Any]:
        if self._registry is None:
            # mypy sees no parameters on Resource, because referencing's stub (0.37) marks its attrs
            # classes with the pre-PEP 681 `__dataclass_transform__` name, which mypy does not read.
            resources = [(document.uri, Resource(document.contents, document.draft.specification)) for document in self.documents]  # type: ignore[call-arg]
            self._registry = Registry().with_resources(resources).crawl()
        return self._registry

    def steps(self, location: Location) -> list[Step]:
        """List every step into a subschema that describes the instance or a part of it."""
        node = location.node
        if not isinstance(node, dict):
            return []
        found = []
        if isinstance(node.get("$ref"), str):
            try:
                found.append(Step("ref", None, self.follow(location)))
            except NoInstance:
                pass
            if location.document.draft.ref_overrides_siblings:
                return found
        found += self._object_steps(location) + self._array_steps(location) + self._composition_steps(location)
        return found

    def _object_steps(self, location: Location) -> list[Step]:
        node = location.node
        found = []
        for keyword, kind in (("properties", "key"), ("patternProperties", "pattern-key"), ("dependentSchemas", "dependent"),
                              ("dependencies", "dependent")):
            for name, subschema in _mapping(node, keyword).items():
                if isinstance(subschema, (dict, bool)):
                    found.append(self._step(kind, name, location, keyword, name))
        for keyword in ("additionalProperties", "unevaluatedProperties"):
            if isinstance(node.get(keyword), dict):
                found.append(self._step("extra-key", None, location, keyword))
        if isinstance(node.get("propertyNames"), dict):
            found.append(self._step("name", None, location, "propertyNames"))
        return [step for step in found if step is not None]

    def _array_steps(self, location: Location) -> list[Step]:
        prefix, rest = item_tokens(location.node, location.document)
        found = [self._step("index", position, location, *tokens) for position, tokens in enumerate(prefix)]
        if rest is not None:
            found.append(self._step("index", len(prefix), location, *rest))
        if "contains" in location.node:
            found.append(self._step("contains", None, location, "contains"))
        return [step for step in found if step is not None]

    def _composition_steps(self, location: Location) -> list[Step]:
        found = []
        for keyword in _SAME_INSTANCE:
            members = location.node.get(keyword)
            if isinstance(members, list):
                kind = "member" if keyword == "allOf" else "branch"
                found += [self._step(kind, (keyword, position), location, keyword, position) for position in range(len(members))]
        return [step for step in found if step is not None]

    def _step(self, kind: str, token: Any, location: Location, *tokens: str | int) -> Step | None:
        child = self.child(location, *tokens)
        return Step(kind, token, child) if child is not None else None


def _base_uri(document: Document) -> str:
    identifier = document.contents.get(document.draft.id_keyword) if isinstance(document.contents, dict) else None
    if not isinstance(identifier, str):
        return document.uri
    return urllib.parse.urljoin(document.uri, identifier).split("#", 1)[0]


def item_tokens(node: dict[str, Any], document: Document) -> tuple[list[tuple[str | int, ...]], tuple[str, ...] | None]:
    """Return the tokens that lead to an array schema's item schemas: one per listed position, and one for the rest."""
    if document.draft.array_items_is_tuple:
        items = node.get("items")
        if isinstance(items, list):
            prefix: list[tuple[str | int, ...]] = [("items", position) for position in range(len(items))]
            return prefix, ("additionalItems",) if "additionalItems" in node else None
        return [], ("items",) if "items" in node else None
    listed = node.get("prefixItems")
    prefix = [("prefixItems", position) for position in range(len(listed))] if isinstance(listed, list) else []
    return prefix, ("items",) if "items" in node else None


def find_route(side: Side, start: Location, target: Location) -> tuple[Step, ...] | None:
    """Find the steps from a subschema to another one, following `$ref`s where needed.

    While the target lies inside the current subschema, its pointer names the step to
    take. Elsewhere (a definition reached only through a `$ref`) a breadth-first search
    finds the shortest way.
    """
    queue: deque[tuple[Location, tuple[Step, ...]]] = deque([(start, ())])
    seen = {start.key}
    while queue and len(seen) < MAX_ROUTE_NODES:
        location, route = queue.popleft()
        if location.key == target.key:
            return route
        for step in _steps_toward(side, location, target):
            if step.location.key not in seen:
                seen.add(step.location.key)
                queue.append((step.location, (*route, step)))
    return None


def _steps_toward(side: Side, location: Location, target: Location) -> list[Step]:
    steps = side.steps(location)
    if location.document.path != target.document.path:
        return steps
    inside = [step for step in steps if step.kind != "ref" and _within(target.pointer, step.location.pointer)]
    return inside or steps


def _within(pointer: str, prefix: str) -> bool:
    return pointer == prefix or pointer.startswith(prefix + "/")


# Instances ------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Shape:
    """The outer form a generated value must take: a JSON kind, and a length or count."""

    kind: str | None = None
    size: int | None = None


#: Steps into an object or array schema's own keywords, as opposed to `$ref` and composition.
_OWN_STEPS = frozenset({"key", "pattern-key", "extra-key", "name", "index", "contains"})


class InstanceBuilder:
    """Builds minimal instances of one side's subschemas, optionally with a value placed deep inside.

    A minimal instance has only the required properties and items, the first `enum`
    value, the first type listed, and numbers and strings at their lower bounds. Of a
    `oneOf` or `anyOf` it takes the first branch that makes the instance valid. The
    result is not always valid (`not`, `if` and `uniqueItems` are not taken into account),
    so every witness is checked afterwards.
    """

    def __init__(self, side: Side) -> None:
        self.side = side
        self._minimal: dict[tuple[str, str], Any] = {}

    def sample(self, location: Location, kind: str | None = None, size: int | None = None) -> Any:
        """Build a minimal instance of the subschema in the given shape; return NOTHING when there is none."""
        shape = Shape(kind, size) if kind is not None or size is not None else None
        try:
            return self.build(location, (), MINIMAL, shape)
        except NoInstance:
            return NOTHING

    def build(self, location: Location, route: tuple[Step, ...], goal: Any, shape: Shape | None = None, depth: int = 0) -> Any:
        """Build an instance of the subschema with `goal` placed where the route ends (a minimal one for MINIMAL)."""
        if not route and goal is not MINIMAL:
            return self._complete(location, goal, depth)
        if depth > MAX_DEPTH:
            raise NoInstance(f"the instance would nest deeper than {MAX_DEPTH} levels")
        reusable = not route and shape is None
        if reusable and location.key in self._minimal:
            return copy.deepcopy(self._minimal[location.key])
        value = self._node(location, route, goal, shape, depth)
        if reusable:
            self._minimal[location.key] = copy.deepcopy(value)
        return value

    def _node(self, location: Location, route: tuple[Step, ...], goal: Any, shape: Shape | None, depth: int) -> Any:
        node = location.node
        if node is False:
            raise NoInstance(f"{location.pointer or '/'} accepts no value")
        if not isinstance(node, dict):
            return KIND_SAMPLES.get(shape.kind, ANY) if shape and shape.kind else ANY
        step = route[0] if route else None
        parts: list[Any] = []
        routed: Any = NOTHING

        if isinstance(node.get("$ref"), str):
            if step is not None and step.kind == "ref":
                routed = self.build(step.location, route[1:], goal, None, depth + 1)
            else:
                parts.append(self.build(self.side.follow(location), (), MINIMAL, shape, depth + 1))
            if location.document.draft.ref_overrides_siblings:
                return routed if routed is not NOTHING else parts[0]

        if step is not None and step.kind in _OWN_STEPS:
            routed = self._own(location, route, goal, shape, depth)
        else:
            parts.insert(0, self._own(location, (), MINIMAL, shape, depth))
        parts += self._members(location, route, depth)
        if step is not None and step.kind in ("member", "dependent"):
            routed = self.build(step.location, route[1:], goal, None, depth + 1)
            if step.kind == "dependent":
                parts.append({step.token: self.property_value(location, step.token, depth)})

        value = merge_all(parts)
        for keyword in ("anyOf", "oneOf"):
            if isinstance(node.get(keyword), list):
                value, routed = self._union(location, keyword, value, routed, route, goal, shape, depth)
        return self._complete(location, value if routed is NOTHING else merge(value, routed), depth)

    def _complete(self, location: Location, value: Any, depth: int) -> Any:
        """Give a value to each property that a part left unconstrained but the schema or a member declares.

        An `allOf` member often requires a name that another member, or the schema
        holding the `allOf`, declares; the member alone can only leave it unconstrained.
        The first schema that declares the name, in `allOf`, `anyOf`, `oneOf` order, gives the value.
        """
        if not isinstance(value, dict) or not isinstance(location.node, dict) or not any(item is ANY for item in value.values()):
            return value
        holders = self._declaring_schemas(location)
        completed = dict(value)
        for name in [name for name, item in value.items() if item is ANY]:
            for holder in holders:
                completed[name] = self.property_value(holder, name, depth)
                if completed[name] is not ANY:
                    break
        return completed

    def _declaring_schemas(self, location: Location) -> list[Location]:
        holders = [location]
        for keyword in _SAME_INSTANCE:
            for position in range(len(_list(location.node.get(keyword)))):
                member = self._child(location, keyword, position)
                if isinstance(member.node, dict) and isinstance(member.node.get("$ref"), str):
                    member = self.side.follow(member)
                holders.append(member)
        return holders

    def _members(self, location: Location, route: tuple[Step, ...], depth: int) -> list[Any]:
        members = location.node.get("allOf")
        if not isinstance(members, list):
            return []
        routed_member = route[0].token[1] if route and route[0].kind == "member" else None
        return [self.build(self._child(location, "allOf", position), (), MINIMAL, None, depth + 1)
                for position in range(len(members)) if position != routed_member]

    def _union(self, location: Location, keyword: str, base: Any, routed: Any, route: tuple[Step, ...], goal: Any,
               shape: Shape | None, depth: int) -> tuple[Any, Any]:
        step = route[0] if route else None
        if step is not None and step.kind == "branch" and step.token[0] == keyword:
            return base, self.build(step.location, route[1:], goal, None, depth + 1)
        fallback: Any = NOTHING
        for branch in self._branch_instances(location, keyword, depth):
            candidate = merge(base, branch)
            whole = finalize(candidate if routed is NOTHING else merge(candidate, routed))
            if shape is not None and shape.kind is not None and kind_of(whole) not in _KINDS_OF[shape.kind]:
                continue
            if self.side.accepts(location, whole):
                return candidate, routed
            if fallback is NOTHING:
                fallback = candidate
        if fallback is NOTHING:
            raise NoInstance(f"no branch of {keyword} at {location.pointer or '/'} has an instance")
        return fallback, routed

    def _branch_instances(self, location: Location, keyword: str, depth: int) -> Iterator[Any]:
        for position in range(len(location.node[keyword])):
            try:
                branch = self.build(self._child(location, keyword, position), (), MINIMAL, None, depth + 1)
            except NoInstance:
                continue
            yield branch
            if branch is ANY:
                # A branch that accepts anything matches null too, and so may another branch
                # of a `oneOf`. A value of another kind may match this branch alone.
                yield from KIND_SAMPLES.values()

    def _own(self, location: Location, route: tuple[Step, ...], goal: Any, shape: Shape | None, depth: int) -> Any:
        """Build the instance that the subschema's own keywords require, apart from `$ref` and composition."""
        node = location.node
        step = route[0] if route else None
        kind = shape.kind if shape is not None else None
        if step is None and kind is None:
            if "const" in node:
                return node["const"]
            if isinstance(node.get("enum"), list) and node["enum"]:
                return node["enum"][0]
        if step is not None:
            kind = "array" if step.kind in ("index", "contains") else "object"
        kind = kind or declared_kind(node)
        if kind == "object":
            return self._object(location, route, goal, shape, depth)
        if kind == "array":
            return self._array(location, route, goal, shape, depth)
        return scalar(node, kind, shape.size if shape is not None else None)

    def _object(self, location: Location, route: tuple[Step, ...], goal: Any, shape: Shape | None, depth: int) -> dict[str, Any]:
        node = location.node
        value = {name: self.property_value(location, name, depth) for name in _strings(node.get("required"))}
        wanted = shape.size if shape is not None and shape.size is not None else _count(node.get("minProperties"))
        _check_size(wanted, location)
        self._fill_properties(location, value, wanted, depth)
        if route and route[0].kind == "name":
            name = self.build(route[0].location, route[1:], goal, None, depth + 1)
            if not isinstance(name, str):
                raise NoInstance(f"a property name must be a string, not {name!r}")
            value[name] = self.property_value(location, name, depth)
        elif route:
            step = route[0]
            value[self._key_for(location, step)] = self.build(step.location, route[1:], goal, None, depth + 1)
        self._add_dependencies(location, value, depth)
        return value

    def property_value(self, location: Location, name: str, depth: int = 0) -> Any:
        """Build a minimal value for the named property of an object schema (ANY where nothing constrains it)."""
        node = location.node
        if name in _mapping(node, "properties"):
            return self.build(self._child(location, "properties", name), (), MINIMAL, None, depth + 1)
        for pattern in _mapping(node, "patternProperties"):
            if _search(pattern, name):
                return self.build(self._child(location, "patternProperties", pattern), (), MINIMAL, None, depth + 1)
        if isinstance(node.get("additionalProperties"), dict):
            return self.build(self._child(location, "additionalProperties"), (), MINIMAL, None, depth + 1)
        return ANY

    def _fill_properties(self, location: Location, value: dict[str, Any], wanted: int, depth: int) -> None:
        for name in _mapping(location.node, "properties"):
            if len(value) >= wanted:
                return
            if name not in value:
                try:
                    value[name] = self.property_value(location, name, depth)
                except NoInstance:
                    continue
        while len(value) < wanted and location.node.get("additionalProperties") is not False:
            name = fresh_key([location.node], avoid=value)
            value[name] = self.property_value(location, name, depth)

    def _key_for(self, location: Location, step: Step) -> str:
        if step.kind == "key":
            return str(step.token)
        if step.kind == "pattern-key":
            key = sample_matching(step.token)
            if key is None or key in _mapping(location.node, "properties"):
                raise NoInstance(f"no property name found that matches {step.token!r}")
            return key
        return fresh_key([location.node])

    def _add_dependencies(self, location: Location, value: dict[str, Any], depth: int) -> None:
        # A present property may require others (`dependentRequired`, or draft 7 `dependencies` lists).
        requirements = {**_mapping(location.node, "dependencies"), **_mapping(location.node, "dependentRequired")}
        added = True
        while added:
            added = False
            for trigger, names in requirements.items():
                if trigger not in value or not isinstance(names, list):
                    continue
                for name in _strings(names):
                    if name not in value:
                        value[name] = self.property_value(location, name, depth)
                        added = True

    def _array(self, location: Location, route: tuple[Step, ...], goal: Any, shape: Shape | None, depth: int) -> list[Any]:
        node = location.node
        prefix, rest = item_tokens(node, location.document)
        step = route[0] if route else None
        count = shape.size if shape is not None and shape.size is not None else _count(node.get("minItems"))
        if step is not None and step.kind == "index":
            count = max(count, step.token + 1)
        if "contains" in node:
            count = max(count, 1)
        _check_size(count, location)
        items = [self._item(location, prefix[position] if position < len(prefix) else rest, depth) for position in range(count)]
        if "contains" in node:
            # Every item matches `contains`, which also meets `minContains`.
            if step is not None and step.kind == "contains":
                contained = self.build(step.location, route[1:], goal, None, depth + 1)
            else:
                contained = self.build(self._child(location, "contains"), (), MINIMAL, None, depth + 1)
            items = [merge(item, contained) for item in items]
        if step is not None and step.kind == "index":
            items[step.token] = self.build(step.location, route[1:], goal, None, depth + 1)
        return items

    def _item(self, location: Location, tokens: tuple[str | int, ...] | None, depth: int) -> Any:
        if tokens is None:
            return ANY
        return self.build(self._child(location, *tokens), (), MINIMAL, None, depth + 1)

    def _child(self, location: Location, *tokens: str | int) -> Location:
        child = self.side.child(location, *tokens)
        if child is None:
            raise NoInstance(f"no subschema at {join(location.pointer, *tokens)}")
        return child


def declared_kind(node: dict[str, Any]) -> str | None:
    """Return the JSON kind of the node's minimal instance: the first listed type, or one its keywords imply."""
    written = node.get("type")
    if isinstance(written, str):
        return written
    if isinstance(written, list) and written and isinstance(written[0], str):
        return written[0]
    for kind, keywords in _KIND_KEYWORDS:
        if any(keyword in node for keyword in keywords):
            return kind
    return None


_KIND_KEYWORDS = (
    ("object", ("properties", "required", "additionalProperties", "patternProperties", "minProperties", "maxProperties",
                "dependentRequired", "propertyNames")),
    ("array", ("items", "prefixItems", "additionalItems", "contains", "minItems", "maxItems", "uniqueItems")),
    ("string", ("pattern", "minLength", "maxLength", "format")),
    ("number", ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")),
)

_KINDS_OF = {
    "null": {"null"}, "boolean": {"boolean"}, "string": {"string"}, "array": {"array"}, "object": {"object"},
    "integer": {"integer"}, "number": {"integer", "number"},
}


def scalar(node: dict[str, Any], kind: str | None, size: int | None) -> Any:
    """Return the minimal value of a scalar kind within the node's bounds (ANY when no kind is known)."""
    if kind == "null":
        return None
    if kind == "boolean":
        return False
    if kind in ("integer", "number"):
        return _number(node, kind)
    if kind == "string":
        return _string(node, size)
    return ANY


def _number(node: dict[str, Any], kind: str) -> int | float:
    low, low_exclusive = _bound(node, "minimum", "exclusiveMinimum", max)
    high, high_exclusive = _bound(node, "maximum", "exclusiveMaximum", min)
    value = fractions.Fraction(0)
    if low is not None and (value < low or (value == low and low_exclusive)):
        value = low
        if low_exclusive:
            value = (low + high) / 2 if high is not None and high - low <= 1 else low + 1
    elif high is not None and (value > high or (value == high and high_exclusive)):
        value = high - 1 if high_exclusive else high
    step = _fraction(node.get("multipleOf"))
    if step:
        value = math.ceil(value / step) * step
    if kind == "integer":
        value = fractions.Fraction(math.ceil(value))
    return int(value) if value.denominator == 1 else float(value)


def _bound(node: dict[str, Any], inclusive: str, exclusive: str, tighter: Any) -> tuple[fractions.Fraction | None, bool]:
    value, flag = _fraction(node.get(inclusive)), node.get(exclusive)
    if isinstance(flag, bool):
        # Draft 4 marks the inclusive bound exclusive with a boolean.
        return value, flag and value is not None
    candidates = [(bound, is_exclusive) for bound, is_exclusive in ((value, False), (_fraction(flag), True)) if bound is not None]
    if not candidates:
        return None, False
    return tighter(candidates)


def _fraction(value: Any) -> fractions.Fraction | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return fractions.Fraction(str(value)) if isinstance(value, float) else fractions.Fraction(value)


def _check_size(size: int, location: Location | None = None) -> None:
    if size > MAX_SIZE:
        where = f" at {location.pointer or '/'}" if location is not None else ""
        raise NoInstance(f"a value{where} would need {size} characters, items or properties, more than the {MAX_SIZE} generated")


def _string(node: dict[str, Any], size: int | None) -> str:
    if size is not None:
        _check_size(size)
        return "x" * size
    if node.get("format") in FORMAT_SAMPLES:
        return FORMAT_SAMPLES[node["format"]]
    if isinstance(node.get("pattern"), str):
        sample = sample_matching(node["pattern"])
        if sample is not None:
            return sample
    length = max(_count(node.get("minLength")), 1)
    limit = node.get("maxLength")
    if isinstance(limit, int) and not isinstance(limit, bool):
        length = min(length, limit)
    _check_size(length)
    return "x" * length


def merge(first: Any, second: Any) -> Any:
    """Combine two instances of schemas that must both hold; `second` wins where they disagree."""
    if first is ANY:
        return second
    if second is ANY:
        return first
    if isinstance(first, dict) and isinstance(second, dict):
        merged = dict(first)
        for key, value in second.items():
            merged[key] = merge(first[key], value) if key in first else value
        return merged
    if isinstance(first, list) and isinstance(second, list):
        shared = [merge(a, b) for a, b in zip(first, second)]
        return shared + first[len(second):] + second[len(first):]
    return second


def merge_all(values: list[Any]) -> Any:
    merged: Any = ANY
    for value in values:
        merged = merge(merged, value)
    return merged


def finalize(value: Any) -> Any:
    """Replace every unconstrained part of a generated value with null."""
    if value is ANY:
        return None
    if isinstance(value, dict):
        return {key: finalize(item) for key, item in value.items()}
    if isinstance(value, list):
        return [finalize(item) for item in value]
    return value


def fresh_key(nodes: list[Any], avoid: Any = ()) -> str:
    """Return a property name that none of the object schemas declares or matches with a pattern."""
    for candidate in ("extra", "extra2", "extra3", "x-extra", "_extra", "EXTRA"):
        if candidate in avoid:
            continue
        if not any(candidate in _mapping(node, "properties") or any(_search(pattern, candidate) for pattern in _mapping(node, "patternProperties"))
                   for node in nodes if isinstance(node, dict)):
            return candidate
    raise NoInstance("every property name tried is declared or matches a pattern")


# Strings that match a pattern ----------------------------------------------------------

_CATEGORY_SAMPLES = {
    "CATEGORY_DIGIT": "0", "CATEGORY_NOT_DIGIT": "x", "CATEGORY_SPACE": " ", "CATEGORY_NOT_SPACE": "x",
    "CATEGORY_WORD": "x", "CATEGORY_NOT_WORD": "-", "CATEGORY_LINEBREAK": "\n", "CATEGORY_NOT_LINEBREAK": "x",
}


class _UnsupportedRegex(Exception):
    pass


def sample_matching(pattern: str) -> str | None:
    """Return a short string that the regular expression matches (searching, as JSON Schema does), or None."""
    try:
        text = _sample_sequence(regex_parser.parse(pattern))
        return text if re.search(pattern, text) else None
    except (re.error, _UnsupportedRegex, RecursionError, OverflowError):
        return None


def _sample_sequence(items: Any) -> str:
    return "".join(_sample_item(str(opcode), argument) for opcode, argument in items)


def _sample_item(opcode: str, argument: Any) -> str:
    if opcode == "LITERAL":
        return chr(argument)
    if opcode == "NOT_LITERAL":
        return "x" if argument != ord("x") else "y"
    if opcode == "ANY":
        return "x"
    if opcode == "IN":
        return _sample_class(argument)
    if opcode in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, inner = argument
        # One repetition where zero is allowed reads better than an empty string.
        text, count = _sample_sequence(inner), low if low > 0 else min(1, high)
        if len(text) * count > MAX_SIZE:
            raise _UnsupportedRegex("the shortest match is too long")
        return text * count
    if opcode == "SUBPATTERN":
        return _sample_sequence(argument[-1])
    if opcode == "ATOMIC_GROUP":
        return _sample_sequence(argument)
    if opcode == "BRANCH":
        return _sample_sequence(argument[1][0])
    if opcode in ("AT", "ASSERT", "ASSERT_NOT"):
        return ""
    raise _UnsupportedRegex(opcode)


def _sample_class(members: list[tuple[Any, Any]]) -> str:
    negated = bool(members) and str(members[0][0]) == "NEGATE"
    if not negated:
        return _class_member_sample(members[0])
    for candidate in "xa0_-Z ":
        if not any(_in_class_member(member, candidate) for member in members[1:]):
            return candidate
    raise _UnsupportedRegex("negated class")


def _class_member_sample(member: tuple[Any, Any]) -> str:
    opcode, argument = str(member[0]), member[1]
    if opcode == "LITERAL":
        return chr(argument)
    if opcode == "RANGE":
        return chr(argument[0])
    if opcode == "CATEGORY":
        return _CATEGORY_SAMPLES.get(str(argument), "x")
    raise _UnsupportedRegex(opcode)


def _in_class_member(member: tuple[Any, Any], character: str) -> bool:
    opcode, argument = str(member[0]), member[1]
    if opcode == "LITERAL":
        return chr(argument) == character
    if opcode == "RANGE":
        return argument[0] <= ord(character) <= argument[1]
    if opcode == "CATEGORY":
        return re.fullmatch(_CATEGORY_PATTERNS.get(str(argument), "."), character) is not None
    return True


_CATEGORY_PATTERNS = {
    "CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s", "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W",
}


# Candidate values per rule ----------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Attempt:
    """One try at a witness: the change, the side that must accept, and the side that must reject."""

    change: Change
    valid: Side
    rejecting: Side
    builder: InstanceBuilder
    other_builder: InstanceBuilder
    placement: Placement
    #: The schema on the rejecting side that the instance is validated against.
    rejecting_root: Location
    #: The changed subschema on the rejecting side, when it exists.
    opposite: Location | None

    @property
    def target(self) -> Location:
        """The changed subschema on the accepting side, where the candidate value goes."""
        return self.placement.target

    @property
    def valid_value(self) -> Any:
        return self.change.old_value if self.valid.name == OLD else self.change.new_value

    @property
    def rejected_value(self) -> Any:
        return self.change.new_value if self.valid.name == OLD else self.change.old_value

    @property
    def named_value(self) -> Any:
        """The change's value on whichever side has one (a name, a name pair, a label)."""
        return self.change.new_value if self.change.new_value is not None else self.change.old_value


def _listed_value(attempt: Attempt) -> Iterator[Any]:
    rule = attempt.change.rule
    if rule == "enum-value-added":
        yield attempt.change.new_value
    elif rule == "enum-value-removed":
        yield attempt.change.old_value
    else:
        yield attempt.valid_value


def _values_of_kinds(attempt: Attempt) -> Iterator[Any]:
    kinds = _kinds(attempt.valid_value) - _kinds(attempt.rejected_value)
    for kind in sorted(kinds):
        yield attempt.builder.sample(attempt.target, kind=kind)
        yield KIND_SAMPLES[kind]


def _kinds(value: Any) -> set[str]:
    if value is None:
        return set()
    kinds = set(KIND_SAMPLES) if "any" in value else set(value)
    return kinds | {"integer"} if "number" in kinds else kinds


def _without_name(attempt: Attempt) -> Iterator[Any]:
    minimal = attempt.builder.sample(attempt.target)
    yield minimal
    if isinstance(minimal, dict):
        yield {key: value for key, value in minimal.items() if key != attempt.named_value}


def _dependency_values(attempt: Attempt) -> Iterator[Any]:
    trigger, name = attempt.named_value
    minimal = attempt.builder.sample(attempt.target, kind="object")
    if not isinstance(minimal, dict):
        return
    try:
        trigger_value = attempt.builder.property_value(attempt.target, trigger)
    except NoInstance:
        return
    values = {key: value for key, value in minimal.items() if key != name}
    yield {**values, trigger: trigger_value}


def _extra_property_values(attempt: Attempt) -> Iterator[Any]:
    minimal = attempt.builder.sample(attempt.target, kind="object")
    if not isinstance(minimal, dict):
        return
    nodes = [attempt.target.node] + ([attempt.opposite.node] if attempt.opposite is not None else [])
    try:
        key = fresh_key(nodes, avoid=minimal)
    except NoInstance:
        return
    extra = attempt.builder.property_value(attempt.target, key)
    for value in (extra, *PROBES):
        yield {**minimal, key: value}


def _bound_values(attempt: Attempt) -> Iterator[Any]:
    keyword = attempt.change.keyword
    old, new = attempt.change.old_value, attempt.change.new_value
    if keyword in _NUMERIC_BOUNDS:
        yield from _near(old, new)
    elif keyword in _SIZE_BOUNDS:
        for size in _near(old, new):
            if isinstance(size, int) and size >= 0:
                yield attempt.builder.sample(attempt.target, kind=_SIZE_BOUNDS[keyword], size=size)
    elif keyword == "multipleOf":
        step = attempt.valid_value
        yield from [step * factor for factor in range(1, 8)] if isinstance(step, (int, float)) else (0.5, 0.25, 0.1, 1, 2, 3, 5, 7)
    elif keyword == "uniqueItems":
        yield attempt.builder.sample(attempt.target, kind="array", size=2)


def _near(*bounds: Any) -> list[Any]:
    numbers = [bound for bound in bounds if isinstance(bound, (int, float)) and not isinstance(bound, bool)]
    found = []
    for bound in numbers:
        found += [bound, bound - 1, bound + 1, bound - 0.5, bound + 0.5]
    if len(numbers) == 2:
        found.append((numbers[0] + numbers[1]) / 2)
    return found


def _string_values(attempt: Attempt) -> Iterator[Any]:
    written = attempt.valid_value
    if attempt.change.keyword == "pattern" and isinstance(written, str):
        sample = sample_matching(written)
        if sample is not None:
            yield sample
    if attempt.change.keyword == "format" and written in FORMAT_SAMPLES:
        yield FORMAT_SAMPLES[written]
    yield from STRING_PROBES
    yield from FORMAT_SAMPLES.values()


def _array_values(attempt: Attempt) -> Iterator[Any]:
    for size in range(4):
        yield attempt.builder.sample(attempt.target, kind="array", size=size)


def _negated_values(attempt: Attempt) -> Iterator[Any]:
    # The `not` schema sits on the rejecting side; an instance of it is what that side rejects.
    if attempt.opposite is None:
        return
    negated = attempt.other_builder.sample(attempt.opposite)
    if negated is NOTHING:
        return
    yield negated
    for minimal in (attempt.builder.sample(attempt.target), attempt.builder.sample(attempt.target, kind=kind_of(finalize(negated)))):
        if minimal is not NOTHING:
            yield merge(minimal, negated)


def _overlap_values(attempt: Attempt) -> Iterator[Any]:
    # An instance that matches two branches is valid under `anyOf` and rejected by `oneOf`.
    keyword = attempt.valid_value
    members = attempt.target.node.get(keyword) if isinstance(keyword, str) else None
    if not isinstance(members, list):
        return
    branches = []
    for position in range(len(members)):
        child = attempt.valid.child(attempt.target, keyword, position)
        branch = attempt.builder.sample(child) if child is not None else NOTHING
        if branch is not NOTHING:
            branches.append(branch)
    for first in range(len(branches)):
        for second in range(first + 1, len(branches)):
            yield merge(branches[first], branches[second])


def _condition_values(attempt: Attempt) -> Iterator[Any]:
    # Instances of the `if`, `then` and `else` schemas of both sides, alone and combined,
    # are where the two conditions disagree.
    samples = [_full_sample(attempt.builder, attempt.valid, attempt.target, keyword) for keyword in ("if", "then", "else")]
    if attempt.opposite is not None:
        samples += [_full_sample(attempt.other_builder, attempt.rejecting, attempt.opposite, keyword) for keyword in ("if", "then", "else")]
    samples = [sample for sample in samples if sample is not NOTHING]
    yield from samples
    for first in samples:
        for second in samples:
            yield merge(first, second)


def _full_sample(builder: InstanceBuilder, side: Side, location: Location, keyword: str) -> Any:
    """Build an instance of a keyword's subschema with every declared property, so that conditions on them apply."""
    child = side.child(location, keyword)
    if child is None:
        return NOTHING
    declared = len(_mapping(child.node, "properties"))
    return builder.sample(child, size=declared) if declared else builder.sample(child)


def _other_kinds(attempt: Attempt) -> Iterator[Any]:
    yield from STRING_PROBES
    yield from KIND_SAMPLES.values()


CANDIDATES = {
    "enum-value-added": _listed_value,
    "enum-value-removed": _listed_value,
    "const-changed": _listed_value,
    "const-added": _other_kinds,
    "const-removed": _other_kinds,
    "enum-constraint-added": _other_kinds,
    "enum-constraint-removed": _other_kinds,
    "type-widened": _values_of_kinds,
    "type-narrowed": _values_of_kinds,
    "type-changed": _values_of_kinds,
    "required-added": _without_name,
    "required-removed": _without_name,
    "dependent-required-added": _dependency_values,
    "dependent-required-removed": _dependency_values,
    "additional-properties-closed": _extra_property_values,
    "bound-tightened": _bound_values,
    "bound-loosened": _bound_values,
    "bound-changed": _bound_values,
    "pattern-added": _string_values,
    "pattern-removed": _string_values,
    "pattern-changed": _string_values,
    "format-added": _string_values,
    "format-removed": _string_values,
    "format-changed": _string_values,
    "additional-items-closed": _array_values,
    "additional-items-opened": _array_values,
    "contains-added": _array_values,
    "contains-removed": _array_values,
    "not-added": _negated_values,
    "not-removed": _negated_values,
    "condition-changed": _condition_values,
    "one-of-relaxed-to-any-of": _overlap_values,
    "any-of-tightened-to-one-of": _overlap_values,
}


def candidates(attempt: Attempt) -> Iterator[Any]:
    """Yield the values to try at the changed location: the rule's own first, then general ones, each once."""
    seen = set()
    produce = CANDIDATES.get(attempt.change.rule)
    produced = list(_until_no_instance(produce(attempt))) if produce is not None else []
    general = (attempt.builder.sample(attempt.target), *PROBES)
    for value in (*produced, *general):
        if value is NOTHING:
            continue
        key = json.dumps(value, sort_keys=True, default=repr)
        if key not in seen:
            seen.add(key)
            yield value


def _until_no_instance(values: Iterator[Any]) -> Iterator[Any]:
    try:
        yield from values
    except NoInstance:
        return


# Witnesses ------------------------------------------------------------------------------

def attach_witnesses(report: Report, old: DocumentSet, new: DocumentSet) -> Report:
    """Return the report with a witness, or the reason there is none, on every breaking change."""
    finder = WitnessFinder(old, new)
    changes = tuple(
        dataclasses.replace(change, witness=finder.witness(change, report.mode)) if change.severity is Severity.BREAKING else change
        for change in report.changes
    )
    return dataclasses.replace(report, changes=changes)


class WitnessFinder:
    """Finds and checks witnesses for the changes between two document sets."""

    def __init__(self, old: DocumentSet, new: DocumentSet) -> None:
        self.sides = {OLD: Side(OLD, old), NEW: Side(NEW, new)}
        self.builders = {name: InstanceBuilder(side) for name, side in self.sides.items()}

    def witness(self, change: Change, mode: Mode) -> dict[str, Any]:
        """Return a checked witness for one direction the change breaks, or {"unavailable": reason}."""
        if change.rule == "default-changed":
            return {"unavailable": DEFAULT_CHANGED}
        reasons = []
        for direction in preferred_directions(change, mode):
            try:
                return self._witness(change, direction)
            except NoWitness as error:
                reasons.append(str(error))
        return {"unavailable": reasons[0] if reasons else "the change breaks no direction, so no instance tells the versions apart"}

    def _witness(self, change: Change, direction: Direction) -> dict[str, Any]:
        attempt = self._attempt(change, direction)
        placement, valid, rejecting = attempt.placement, attempt.valid, attempt.rejecting
        failure: NoInstance | None = None
        built = False
        for value in candidates(attempt):
            try:
                placed = finalize(attempt.builder.build(placement.target, (), value))
                instance = finalize(attempt.builder.build(placement.root, placement.route, value))
            except NoInstance as error:
                failure = failure or error
                continue
            built = True
            if not valid.accepts(placement.target, placed):
                # The value must belong to the changed subschema itself, or the instance
                # could show a difference made by a neighbouring change.
                continue
            if valid.accepts(placement.root, instance) and not rejecting.accepts(attempt.rejecting_root, instance):
                witness = {"instance": instance, "valid_in": valid.name, "rejected_by": rejecting.name}
                return witness | ({"instance_of": placement.root_pointer} if placement.root_pointer else {})

        if not built and failure is not None:
            # No candidate made it into a whole instance, so the reason lies in the schema.
            raise NoWitness(f"no instance of the {valid.name} version could be generated: {failure}")
        raise NoWitness(f"no generated instance is valid in the {valid.name} version and rejected by the {rejecting.name} one")

    def _attempt(self, change: Change, direction: Direction) -> Attempt:
        """Find the documents, the changed subschemas and the route a witness in this direction needs."""
        valid, rejecting = (self.sides[OLD], self.sides[NEW]) if direction is Direction.BACKWARD else (self.sides[NEW], self.sides[OLD])
        valid_document, rejecting_document = valid.document(change.schema), rejecting.document(change.schema)
        if valid_document is None or rejecting_document is None:
            missing = valid if valid_document is None else rejecting
            raise NoWitness(f"the {missing.name} version has no document {change.schema} to validate against")

        valid_pointer, rejecting_pointer = _pointers(change, valid.name)
        placement = place(valid, valid_document, _target(valid, valid_document, valid_pointer, rejecting_pointer))
        return Attempt(
            change=change, valid=valid, rejecting=rejecting,
            builder=self.builders[valid.name], other_builder=self.builders[rejecting.name], placement=placement,
            rejecting_root=_rejecting_root(rejecting, rejecting_document, rejecting_pointer, placement.root_pointer),
            opposite=rejecting.locate(rejecting_document, rejecting_pointer) if rejecting_pointer is not None else None,
        )


def preferred_directions(change: Change, mode: Mode) -> list[Direction]:
    """List the directions a change breaks: those the mode protects first, backward before forward."""
    protected = SIDE_MODES.get(change.side or "", mode).protected
    broken = [direction for direction in (Direction.BACKWARD, Direction.FORWARD) if direction in change.breaks]
    return [direction for direction in broken if direction in protected] + [direction for direction in broken if direction not in protected]


def _pointers(change: Change, valid_name: str) -> tuple[str | None, str | None]:
    if valid_name == OLD:
        return change.old_pointer, change.new_pointer
    return change.new_pointer, change.old_pointer


def _target(side: Side, document: Document, pointer: str | None, other_pointer: str | None) -> Location:
    """Locate the changed subschema on the accepting side, or, where it has none, the schema that contains the change."""
    if pointer is None and other_pointer is not None:
        # An added branch or member has no old pointer; the schema holding the list is the place.
        pointer = _holder(other_pointer)
    target = side.locate(document, pointer) if pointer is not None else None
    if target is None:
        raise NoWitness(f"the changed subschema {pointer} is not in the {side.name} version")
    return target


def _holder(pointer: str) -> str:
    tokens = _tokens(pointer)
    if len(tokens) >= 2 and tokens[-2] in ("allOf", "anyOf", "oneOf", "properties", "patternProperties", "prefixItems", "dependentSchemas"):
        tokens = tokens[:-2]
    elif tokens and tokens[-1] in ("not", "contains", "items", "additionalItems", "additionalProperties", "if", "then", "else"):
        tokens = tokens[:-1]
    return join("", *tokens)


@dataclasses.dataclass(frozen=True, eq=False)
class Placement:
    """The place of a witness: the schema it is an instance of, and the steps from there to the change."""

    root_pointer: str
    root: Location
    route: tuple[Step, ...]
    #: The subschema that receives the candidate value: the changed one, or the one containing its `not`.
    target: Location


def place(side: Side, document: Document, target: Location) -> Placement:
    """Choose the schema to build an instance of, and find the steps from it to the changed subschema.

    The whole document (in OpenAPI, the schema holding the change) comes first. Since no
    instance is built inside `not`, a change there is shown by a value placed where the
    `not` is. A definition that nothing in its document refers to gets an instance of its own.
    """
    root_pointer = schema_root(document, target.pointer)
    if root_pointer is None:
        raise NoWitness("the change is to an operation of the OpenAPI document, not to a schema, so no instance shows it")
    for pointer, goal in _placements(side, root_pointer, target):
        root = side.locate(document, pointer)
        route = find_route(side, root, goal) if root is not None else None
        if root is not None and route is not None:
            return Placement(pointer, root, route, goal)
    raise NoWitness(f"no instance of {document.path} reaches {target.pointer or '/'} (only `$ref`, properties, items "
                    "and composition keywords are followed)")


def _placements(side: Side, root_pointer: str, target: Location) -> Iterator[tuple[str, Location]]:
    yield root_pointer, target
    tokens = _tokens(target.pointer)
    if "not" in tokens[len(_tokens(root_pointer)):]:
        last = len(tokens) - 1 - tokens[::-1].index("not")
        outside = side.locate(target.document, join("", *tokens[:last]))
        if outside is not None:
            yield root_pointer, outside
    definitions = [position for position, token in enumerate(tokens[:-1]) if token in ("$defs", "definitions")]
    if definitions and definitions[-1] + 2 > len(_tokens(root_pointer)):
        yield join("", *tokens[:definitions[-1] + 2]), target


def schema_root(document: Document, pointer: str) -> str | None:
    """Return the pointer of the schema an instance is built for.

    That is the whole document, except in an OpenAPI document, where it is the schema
    holding the pointer (a component, or a parameter's or body's `schema`), and None
    when the pointer is not inside a schema at all.
    """
    if not is_openapi(document.contents):
        return ""
    tokens = _tokens(pointer)
    for length in range(1, len(tokens) + 1):
        if _is_schema_position(tokens[:length]):
            return join("", *tokens[:length])
    return None


def _is_schema_position(tokens: list[str]) -> bool:
    if tokens[:2] == ["components", "schemas"]:
        return len(tokens) == 3
    if tokens[0] == "definitions":
        # Swagger 2.0 keeps its named schemas here.
        return len(tokens) == 2
    return len(tokens) > 1 and tokens[-1] == "schema"


def _rejecting_root(side: Side, document: Document, pointer: str | None, valid_root: str) -> Location:
    """Locate the schema on the rejecting side that the instance is validated against."""
    root = side.locate(document, valid_root)
    if root is None and pointer is not None:
        # An OpenAPI path may be spelled differently in the other version.
        other_root = schema_root(document, pointer)
        root = side.locate(document, other_root) if other_root is not None else None
    if root is None:
        raise NoWitness(f"the {side.name} version has no schema at {valid_root}")
    return root


# Small helpers ----------------------------------------------------------------------------

def _tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def _mapping(node: Any, keyword: str) -> dict[str, Any]:
    value = node.get(keyword) if isinstance(node, dict) else None
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _search(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False
