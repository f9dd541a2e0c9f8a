"""Compare two OpenAPI 3.x documents: operations, parameters, bodies, responses, components.

A schema's protected direction comes from where it is used. The server reads requests
from old clients, so request parameters and bodies must stay backward compatible; old
clients read responses, so response bodies must stay forward compatible. A component
is compared once for each side it is used on, and once under the report's mode when no
operation uses it.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any, cast

from checker.documents import Document
from checker.metaschemas import check_tree
from checker.jsonvalues import join, same, show
from checker.model import Change

if TYPE_CHECKING:
    from checker.walker import Comparison, Pair

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMAS_POINTER = "/components/schemas"
_REFERENCE = re.compile(r'"\$ref":\s*"#/components/([^/"]+)/([^/"]+)"')


@dataclasses.dataclass(frozen=True)
class Operation:
    """One operation of a document: method, path template as written, and its pointer."""

    method: str
    path: str
    pointer: str
    node: dict[str, Any]
    path_item: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def path_key(path: str) -> str:
    """A path template with its parameter names erased: `/users/{id}` is `/users/{userId}`."""
    return re.sub(r"\{[^}/]*\}", "{}", path)


def operations(contents: dict[str, Any]) -> dict[tuple[str, str], Operation]:
    """Every operation of a document, keyed by method and path template without names."""
    found = {}
    paths = contents.get("paths") if isinstance(contents.get("paths"), dict) else {}
    for path, item in paths.items():  # type: ignore[union-attr]
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            if isinstance(item.get(method), dict):
                found[(method, path_key(path))] = Operation(method, path, join("/paths", path, method), item[method], item)
    return found


def resolve_local(contents: dict[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    """Follow `$ref`s between the document's own objects (parameters, bodies, responses)."""
    seen = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target = node["$ref"][1:]
        if target in seen:
            break
        seen.add(target)
        node, pointer = _at_pointer(contents, target), target
    return node, pointer


def _at_pointer(contents: Any, pointer: str) -> Any:
    node = contents
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


# Where components are used ------------------------------------------------------------

def component_usage(contents: dict[str, Any]) -> dict[str, dict[str, set[str]]]:
    """For each component (by pointer), the operations using it, per side, through any chain of `$ref`s."""
    components = contents.get("components") if isinstance(contents.get("components"), dict) else {}
    references: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for kind, entries in components.items():  # type: ignore[union-attr]
        if isinstance(entries, dict):
            for name, node in entries.items():
                references[(kind, name)] = _references_in(node)

    usage: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for operation in operations(contents).values():
        request = [operation.path_item.get("parameters"), operation.node.get("parameters"), operation.node.get("requestBody")]
        response = [operation.node.get("responses")]
        for side, parts in (("request", request), ("response", response)):
            for kind, name in _reachable(set().union(*(_references_in(part) for part in parts)), references):
                usage[join("/components", kind, name)][side].add(operation.label)
    return usage


def _references_in(node: Any) -> set[tuple[str, str]]:
    # Serialising and scanning runs in C, many times faster than walking the objects.
    if node is None:
        return set()
    return {(kind, name.replace("~1", "/").replace("~0", "~")) for kind, name in _REFERENCE.findall(json.dumps(node))}


def _reachable(start: set[tuple[str, str]], references: dict[tuple[str, str], set[tuple[str, str]]]) -> set[tuple[str, str]]:
    seen, pending = set(start), list(start)
    while pending:
        for target in references.get(pending.pop(), ()):
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return seen


# The comparison -----------------------------------------------------------------------

class OpenAPIComparison:
    """Compares two versions of one OpenAPI document through the schema walker."""

    def __init__(self, walker: Comparison, old: Document, new: Document) -> None:
        from checker.walker import Pair, Place

        self.walker, self.old, self.new = walker, old, new
        self.root = Pair(Place(old, ""), Place(new, ""))
        self._place = Place

    def run(self) -> None:
        start = len(self.walker.changes)
        self.old_usage, self.new_usage = component_usage(self.old.contents), component_usage(self.new.contents)
        self._compare_operations()
        self._compare_components()
        self._attach_operations(start)

    def _attach_operations(self, start: int) -> None:
        # A component is compared once per side, from whichever operation reaches it
        # first; every operation that uses it is affected, so all of them are listed.
        changes = self.walker.changes
        for position in range(start, len(changes)):
            change = changes[position]
            component = _component_of(change.new_pointer if change.new_pointer is not None else change.old_pointer)
            if component is None:
                continue
            sides = [change.side] if change.side in ("request", "response") else ["request", "response"]
            labels = set().union(*(self.old_usage.get(component, {}).get(side, set()) | self.new_usage.get(component, {}).get(side, set())
                                   for side in sides))
            if labels:
                changes[position] = dataclasses.replace(change, operations=tuple(sorted(labels)))

    def _pair(self, old_pointer: str, new_pointer: str, **fields: Any) -> Pair:
        return dataclasses.replace(self.root, old=self._place(self.old, old_pointer), new=self._place(self.new, new_pointer), **fields)

    def _add(self, pair: Pair, rule: str, old_pointer: str | None, new_pointer: str | None, message: str, **fields: Any) -> None:
        self.walker.changes.append(pair.change(rule, old_pointer, new_pointer, message=message, **fields))

    # Operations -------------------------------------------------------------------

    def _compare_operations(self) -> None:
        old_operations, new_operations = operations(self.old.contents), operations(self.new.contents)
        old_paths = {path_key(path) for _, path in old_operations}
        new_paths = {path_key(path) for _, path in new_operations}
        reported_paths = set()
        for key in sorted(old_operations.keys() | new_operations.keys(), key=lambda item: (item[1], METHODS.index(item[0]))):
            old, new = old_operations.get(key), new_operations.get(key)
            if old is not None and new is not None:
                self._compare_operation(old, new)
                continue
            present = new or old
            assert present is not None
            self._check_one_side(present.node, present.pointer, new is not None)
            whole_path = key[1] not in (old_paths if new else new_paths)
            if whole_path and key[1] in reported_paths:
                continue
            reported_paths.add(key[1])
            # Adding or removing an operation changes which requests the server accepts.
            pair = self._pair("", "", operation=present.label, type_name=present.label if not whole_path else present.path, side="request")
            path_pointer = join("/paths", present.path)
            if new is not None:
                rule = "path-added" if whole_path else "operation-added"
                what = f"path {present.path} added" if whole_path else f"operation {present.label} added"
                self._add(pair, rule, None, path_pointer if whole_path else present.pointer, what)
            else:
                rule = "path-removed" if whole_path else "operation-removed"
                what = f"path {present.path} removed" if whole_path else f"operation {present.label} removed"
                self._add(pair, rule, path_pointer if whole_path else present.pointer, None,
                          what + "; old clients still call it")

    def _check_one_side(self, node: Any, pointer: str, in_new: bool, schema: bool = False) -> None:
        """Check a part found on one side only (an operation, a component schema).

        Its schemas are checked against the meta-schema and its `$ref`s resolved, so that a
        broken one is an error, not a pass. With `schema`, the part is itself a schema.
        """
        document, references = (self.new, self.walker.new_references) if in_new else (self.old, self.walker.old_references)
        schemas = [(node, pointer)] if schema else _schemas_in(node, pointer)
        for found, where in schemas:
            check_tree(found, document.draft, document.shown_as or document.path, where)
        self.walker._check_references(node, self._place(document, pointer), references)

    def _compare_operation(self, old: Operation, new: Operation) -> None:
        pair = self._pair(old.pointer, new.pointer, operation=new.label, type_name=new.label, type_pointer=new.pointer)
        self._compare_parameters(old, new, dataclasses.replace(pair, side="request"))
        self._compare_request_body(old, new, dataclasses.replace(pair, side="request"))
        self._compare_responses(old, new, dataclasses.replace(pair, side="response"))
        self._compare_operation_annotations(old, new, pair)

    def _compare_operation_annotations(self, old: Operation, new: Operation, pair: Pair) -> None:
        for keyword in sorted(old.node.keys() | new.node.keys()):
            rule = OPERATION_ANNOTATIONS.get(keyword, "extension-changed" if keyword.startswith("x-") else None)
            if rule is None:
                continue
            before, after = old.node.get(keyword), new.node.get(keyword)
            if (keyword in old.node) == (keyword in new.node) and same(before, after):
                continue
            self._add(pair, rule, old.pointer, new.pointer, f"operation {keyword} changed", keyword=keyword, old_value=before, new_value=after)

    def _parameters(self, operation: Operation, document: Document) -> dict[tuple[str, Any], tuple[dict[str, Any], str]]:
        found: dict[tuple[str, Any], tuple[dict[str, Any], str]] = {}
        path_names = re.findall(r"\{([^}/]*)\}", operation.path)
        item_pointer = operation.pointer.rsplit("/", 1)[0]
        sources = [(operation.path_item.get("parameters"), join(item_pointer, "parameters")),
                   (operation.node.get("parameters"), join(operation.pointer, "parameters"))]
        for listed, pointer in sources:
            for position, node in enumerate(listed if isinstance(listed, list) else []):
                parameter, where = resolve_local(document.contents, node, join(pointer, position))
                if not isinstance(parameter, dict) or not isinstance(parameter.get("name"), str):
                    continue
                found[_parameter_key(parameter, path_names)] = (parameter, where)
        return found

    def _compare_parameters(self, old: Operation, new: Operation, pair: Pair) -> None:
        old_parameters, new_parameters = self._parameters(old, self.old), self._parameters(new, self.new)
        moved = set()
        for key in sorted(old_parameters.keys() - new_parameters.keys(), key=str):
            for other in new_parameters.keys() - old_parameters.keys():
                # Header keys are lower case, so names are compared without case.
                if other[1].lower() == key[1].lower() and other not in moved and key[0] != "path" and other[0] != "path":
                    moved.update({key, other})
                    (_, old_where), (_, new_where) = old_parameters[key], new_parameters[other]
                    self._add(pair, "parameter-moved", old_where, new_where, f"parameter {show(key[1])} moved from {key[0]} to {other[0]}",
                              keyword="in", old_value=key[0], new_value=other[0])
                    break
        for key in sorted(old_parameters.keys() | new_parameters.keys(), key=str):
            if key in moved:
                continue
            where, name = key[0], key[1] if key[0] != "path" else None
            if key not in old_parameters:
                parameter, pointer = new_parameters[key]
                required = parameter.get("required") is True
                self._add(pair, "parameter-added", None, pointer, f"{'required' if required else 'optional'} {where} parameter {show(parameter['name'])} added"
                          + ("; old requests lack it" if required else ""), keyword="parameters", new_value=parameter["name"], closed=required)
            elif key not in new_parameters:
                parameter, pointer = old_parameters[key]
                self._add(pair, "parameter-removed", pointer, None, f"{where} parameter {show(parameter['name'])} removed",
                          keyword="parameters", old_value=parameter["name"])
            else:
                self._compare_parameter(old_parameters[key], new_parameters[key], pair, name)

    def _compare_parameter(self, old: tuple[dict[str, Any], str], new: tuple[dict[str, Any], str], pair: Pair, name: str | None) -> None:
        (old_parameter, old_pointer), (new_parameter, new_pointer) = old, new
        label = f"{new_parameter.get('in')} parameter {show(new_parameter['name'])}"
        before, after = old_parameter.get("required") is True, new_parameter.get("required") is True
        if before != after:
            rule = "parameter-became-required" if after else "parameter-became-optional"
            self._add(pair, rule, old_pointer, new_pointer, f"{label} is now {'required' if after else 'optional'}",
                      keyword="required", old_value=before, new_value=after)
        if "schema" in old_parameter or "schema" in new_parameter:
            self.walker.compare(old_parameter.get("schema", True), new_parameter.get("schema", True),
                                pair.within(pair.old.at(join(old_pointer, "schema")), pair.new.at(join(new_pointer, "schema"))))
        self._compare_content(old_parameter, new_parameter, old_pointer, new_pointer, pair)

    def _compare_request_body(self, old: Operation, new: Operation, pair: Pair) -> None:
        old_body, old_pointer = resolve_local(self.old.contents, old.node.get("requestBody"), join(old.pointer, "requestBody"))
        new_body, new_pointer = resolve_local(self.new.contents, new.node.get("requestBody"), join(new.pointer, "requestBody"))
        if not isinstance(old_body, dict) and not isinstance(new_body, dict):
            return
        old_body = old_body if isinstance(old_body, dict) else {}
        new_body = new_body if isinstance(new_body, dict) else {}
        before, after = old_body.get("required") is True, new_body.get("required") is True
        if before != after:
            rule = "request-body-became-required" if after else "request-body-became-optional"
            self._add(pair, rule, old_pointer, new_pointer, f"request body is now {'required' if after else 'optional'}",
                      keyword="required", old_value=before, new_value=after)
        self._compare_content(old_body, new_body, old_pointer, new_pointer, pair)

    def _compare_responses(self, old: Operation, new: Operation, pair: Pair) -> None:
        # YAML reads an unquoted `200:` as a number; status codes are compared as text.
        old_responses = {str(status): value for status, value in _mapping(old.node, "responses").items()}
        new_responses = {str(status): value for status, value in _mapping(new.node, "responses").items()}
        old_at, new_at = join(old.pointer, "responses"), join(new.pointer, "responses")
        for status in sorted(old_responses.keys() | new_responses.keys(), key=str):
            if status not in old_responses:
                self._add(pair, "response-status-added", None, join(new_at, status), f"response {status} added; old clients do not expect it",
                          keyword="responses", new_value=str(status))
            elif status not in new_responses:
                self._add(pair, "response-status-removed", join(old_at, status), None, f"response {status} removed",
                          keyword="responses", old_value=str(status))
            else:
                old_response, old_pointer = resolve_local(self.old.contents, old_responses[status], join(old_at, status))
                new_response, new_pointer = resolve_local(self.new.contents, new_responses[status], join(new_at, status))
                if isinstance(old_response, dict) and isinstance(new_response, dict):
                    self._compare_content(old_response, new_response, old_pointer, new_pointer, dataclasses.replace(pair, type_name=f"{pair.type_name} {status}"))

    def _compare_content(self, old: dict[str, Any], new: dict[str, Any], old_pointer: str, new_pointer: str, pair: Pair) -> None:
        old_content = cast(dict[str, Any], old.get("content")) if isinstance(old.get("content"), dict) else {}
        new_content = cast(dict[str, Any], new.get("content")) if isinstance(new.get("content"), dict) else {}
        side = pair.side or "request"
        for media_type in sorted(old_content.keys() | new_content.keys()):
            old_at, new_at = join(old_pointer, "content", media_type), join(new_pointer, "content", media_type)
            if media_type not in old_content:
                self._add(pair, f"{side}-media-type-added", None, new_at, f"{side} media type {media_type} added", keyword="content", new_value=media_type)
            elif media_type not in new_content:
                self._add(pair, f"{side}-media-type-removed", old_at, None, f"{side} media type {media_type} removed", keyword="content", old_value=media_type)
            else:
                old_media, new_media = old_content[media_type], new_content[media_type]
                if isinstance(old_media, dict) and isinstance(new_media, dict) and ("schema" in old_media or "schema" in new_media):
                    self.walker.compare(old_media.get("schema", True), new_media.get("schema", True),
                                        pair.within(pair.old.at(join(old_at, "schema")), pair.new.at(join(new_at, "schema"))))

    # Components -------------------------------------------------------------------

    def _compare_components(self) -> None:
        old_schemas = _components(self.old.contents)
        new_schemas = _components(self.new.contents)
        for name in sorted(old_schemas.keys() | new_schemas.keys()):
            pointer = join(SCHEMAS_POINTER, name)
            pair = self._pair(pointer, pointer, type_name=name, type_pointer=pointer)
            if name not in old_schemas or name not in new_schemas:
                # A component on one side only is reported, not walked: check it as a whole.
                in_new = name in new_schemas
                self._check_one_side(new_schemas[name] if in_new else old_schemas[name], pointer, in_new, schema=True)
            if name not in old_schemas:
                self._add(pair, "component-added", None, pointer, f"component schema {show(name)} added", keyword="schemas", new_value=name)
                continue
            if name not in new_schemas:
                self._add(pair, "component-removed", pointer, None, f"component schema {show(name)} removed", keyword="schemas", old_value=name)
                continue
            uses: dict[str | None, set[str]] = {side: self.old_usage.get(pointer, {}).get(side, set()) | self.new_usage.get(pointer, {}).get(side, set())
                    for side in ("request", "response")}
            for side in [side for side, labels in uses.items() if labels] or [None]:
                self.walker.compare(old_schemas[name], new_schemas[name], dataclasses.replace(pair, side=side))


def _schemas_in(node: Any, pointer: str) -> list[tuple[Any, str]]:
    """Find the schemas an operation holds: under `schema` in its parameters, bodies, responses and headers."""
    found = []
    pending = [(node, pointer)]
    while pending:
        item, where = pending.pop()
        if isinstance(item, dict):
            entries: Any = item.items()
        elif isinstance(item, list):
            entries = enumerate(item)
        else:
            continue
        for key, value in entries:
            if key == "schema" and isinstance(item, dict) and isinstance(value, (dict, bool)):
                found.append((value, join(where, key)))
            elif not (isinstance(key, str) and (key in ("example", "examples") or key.startswith("x-"))):
                # Examples and extensions contain data, where a "schema" key is just a name.
                pending.append((value, join(where, key)))
    return sorted(found, key=lambda entry: entry[1])


def _mapping(node: dict[str, Any], key: str) -> dict[Any, Any]:
    value = node.get(key)
    return value if isinstance(value, dict) else {}


def _component_of(pointer: str | None) -> str | None:
    """The pointer of the component (`/components/KIND/NAME`) a pointer lies in, if any."""
    if pointer is None or not pointer.startswith("/components/"):
        return None
    parts = pointer.split("/")
    return "/".join(parts[:4]) if len(parts) >= 4 else None


def _components(contents: dict[str, Any]) -> dict[str, Any]:
    components = contents.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    return schemas if isinstance(schemas, dict) else {}


def _parameter_key(parameter: dict[str, Any], path_names: list[str]) -> tuple[str, Any]:
    location, name = str(parameter.get("in")), parameter["name"]
    if location == "path" and name in path_names:
        # Path parameters are matched by position: `{id}` and `{userId}` are the same slot.
        return ("path", f"#{path_names.index(name)}")
    if location == "header":
        return ("header", name.lower())
    return (location, name)


#: Fields of an operation that do not change what it accepts or returns, and their rules.
OPERATION_ANNOTATIONS = {
    "summary": "description-changed",
    "description": "description-changed",
    "deprecated": "deprecated-changed",
    "tags": "annotation-changed",
    "externalDocs": "annotation-changed",
    "operationId": "operation-id-changed",
}


def merge_sides(changes: list[Change]) -> list[Change]:
    """Merge a component's change found on both sides into one change on side "both"."""
    merged: dict[tuple[Any, ...], Change] = {}
    for change in changes:
        key = (change.rule, change.schema, change.old_pointer, change.new_pointer, change.keyword,
               json.dumps(change.old_value, sort_keys=True), json.dumps(change.new_value, sort_keys=True))
        earlier = merged.get(key)
        if earlier is None:
            merged[key] = change
            continue
        operations = tuple(sorted(set(earlier.operations) | set(change.operations)))
        sides = {earlier.side, change.side} - {None}
        side = "both" if len(sides) == 2 else next(iter(sides), None)
        merged[key] = dataclasses.replace(earlier, side=side, breaks=earlier.breaks | change.breaks, operations=operations)
    return list(merged.values())
