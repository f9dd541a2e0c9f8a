"""OpenAPI documents: operations matched by method and path, and verdicts that depend on the side.

The server reads requests that old clients send, so a request schema must stay backward
compatible (the new schema accepts what the old one accepted). Old clients read responses,
so a response schema must stay forward compatible (the old schema accepts what the new one
returns). A component used on both sides must stay both; one used by no operation keeps the
`--mode` of the run. Every document here is written by hand, and every expected verdict is
worked out from that rule and the direction table, never copied from the tool's output.
"""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import A, B, BREAKS, C, P, describe

import checker
from checker.cli import main
from checker.model import Change, Mode, Severity

#: The name both versions of the document get when they are compared in memory.
DOCUMENT = "api.json"
JSON = "application/json"

STATUS = {"type": "string", "enum": ["active", "blocked"]}
STATUS_WITH_DELETED = {"type": "string", "enum": ["active", "blocked", "deleted"]}
STATUS_ACTIVE_ONLY = {"type": "string", "enum": ["active"]}

USER_REF = {"$ref": "#/components/schemas/User"}


# Building documents --------------------------------------------------------------------

def api(paths: dict[str, Any], schemas: dict[str, Any] | None = None, version: str = "3.0.3") -> dict[str, Any]:
    """Return an OpenAPI document with the given paths and component schemas."""
    document: dict[str, Any] = {"openapi": version, "info": {"title": "Users", "version": "1.0.0"}, "paths": paths}
    if schemas is not None:
        document["components"] = {"schemas": schemas}
    return document


def content(schema: Any, media_type: str = JSON) -> dict[str, Any]:
    """Return a `content` map with one media type."""
    return {media_type: {"schema": schema}}


def returns(schema: Any, status: str = "200") -> dict[str, Any]:
    """Return an operation whose only response carries a JSON body."""
    return {"responses": {status: {"description": "the result", "content": content(schema)}}}


def accepts(schema: Any, required: bool = True) -> dict[str, Any]:
    """Return an operation with a JSON request body and an empty response."""
    return {
        "requestBody": {"required": required, "content": content(schema)},
        "responses": {"204": {"description": "done"}},
    }


def with_property(name: str, schema: dict[str, Any], required: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    """Return an object schema with one property."""
    node: dict[str, Any] = {"type": "object", "properties": {name: schema}, **extra}
    if required is not None:
        node["required"] = required
    return node


def user(status: dict[str, Any]) -> dict[str, Any]:
    """Return the User component: an id and a status."""
    return {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}, "status": status}}


def get_user(schema: Any = USER_REF) -> dict[str, Any]:
    """Return the path item `/users/{id}` with a GET that returns `schema`."""
    return {"get": {"parameters": [path_parameter("id")], **returns(schema)}}


def path_parameter(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def query_parameter(name: str, required: bool = False, schema: Any = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema or {"type": "string"}}


# Comparing -----------------------------------------------------------------------------

def compare_documents(old: dict[str, Any], new: dict[str, Any], mode: str = "full") -> tuple[Change, ...]:
    """Compare two versions of one OpenAPI document in memory and return the classified changes."""
    old_set = checker.load_mapping("old", {DOCUMENT: old})
    new_set = checker.load_mapping("new", {DOCUMENT: new})
    return checker.compare(old_set, new_set, Mode(mode)).changes


def only_change(changes: tuple[Change, ...], rule: str) -> Change:
    """Return the one change of the report, checking that it was found by `rule`."""
    assert len(changes) == 1, f"expected one {rule} change, found:\n{describe(changes)}"
    assert changes[0].rule == rule, describe(changes)
    return changes[0]


def write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """Run the command line in-process and return (exit code, stdout, stderr)."""
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def json_report(capsys: pytest.CaptureFixture[str], old: Path, new: Path, *options: str) -> tuple[int, dict[str, Any]]:
    """Compare two files through the command line with `--format json`."""
    code, out, err = run(capsys, old, new, "--format", "json", *options)
    assert err == ""
    return code, json.loads(out)


# Direction rules: the same edit judged by the side it sits on -----------------------------

DIRECTION_ROWS = [
    # A response may now carry "deleted", which old clients reject: breaks forward, which
    # responses protect.
    pytest.param(api({"/users/{id}": get_user(with_property("status", STATUS))}),
                 api({"/users/{id}": get_user(with_property("status", STATUS_WITH_DELETED))}),
                 "enum-value-added", "forward", "response", B, id="enum-value-added-in-response"),
    # The server now also accepts "deleted"; every old request stays valid. It breaks only
    # forward, which requests do not protect, and it widens, so it is additive.
    pytest.param(api({"/users": {"post": accepts(with_property("status", STATUS))}}),
                 api({"/users": {"post": accepts(with_property("status", STATUS_WITH_DELETED))}}),
                 "enum-value-added", "forward", "request", A, id="enum-value-added-in-request"),
    # Old clients may leave `status` out of their requests, which the server now rejects.
    pytest.param(api({"/users": {"post": accepts(with_property("status", STATUS))}}),
                 api({"/users": {"post": accepts(with_property("status", STATUS, required=["status"]))}}),
                 "required-added", "backward", "request", B, id="request-property-became-required"),
    # Old clients still send "blocked", which the server now rejects.
    pytest.param(api({"/users": {"post": accepts(with_property("status", STATUS))}}),
                 api({"/users": {"post": accepts(with_property("status", STATUS_ACTIVE_ONLY))}}),
                 "enum-value-removed", "backward", "request", B, id="enum-value-removed-in-request"),
    # The server no longer returns "blocked": old clients still accept everything it sends.
    # It breaks backward only, which responses do not protect, and it narrows.
    pytest.param(api({"/users/{id}": get_user(with_property("status", STATUS))}),
                 api({"/users/{id}": get_user(with_property("status", STATUS_ACTIVE_ONLY))}),
                 "enum-value-removed", "backward", "response", P, id="enum-value-removed-in-response"),
    # Old clients that must see `status` in a response stop getting it.
    pytest.param(api({"/users/{id}": get_user(with_property("status", STATUS, required=["status"]))}),
                 api({"/users/{id}": get_user(with_property("status", STATUS))}),
                 "required-removed", "forward", "response", B, id="response-property-became-optional"),
    # A response may now hold null in `status`; old clients reject null.
    pytest.param(api({"/users/{id}": get_user(with_property("status", {"type": "string"}))}),
                 api({"/users/{id}": get_user(with_property("status", {"type": "string", "nullable": True}))}),
                 "type-widened", "forward", "response", B, id="nullable-added-in-response"),
    # The server now also accepts null: old requests stay valid.
    pytest.param(api({"/users": {"post": accepts(with_property("status", {"type": "string"}))}}),
                 api({"/users": {"post": accepts(with_property("status", {"type": "string", "nullable": True}))}}),
                 "type-widened", "forward", "request", A, id="nullable-added-in-request"),
    # The server stops accepting null, which old clients may still send.
    pytest.param(api({"/users": {"post": accepts(with_property("status", {"type": "string", "nullable": True}))}}),
                 api({"/users": {"post": accepts(with_property("status", {"type": "string"}))}}),
                 "type-narrowed", "backward", "request", B, id="nullable-removed-in-request"),
    # A closed response object gains a property: old clients reject responses that carry it.
    pytest.param(api({"/users/{id}": get_user(with_property("name", {"type": "string"}, additionalProperties=False))}),
                 api({"/users/{id}": get_user({"type": "object", "additionalProperties": False,
                                               "properties": {"name": {"type": "string"}, "email": {"type": "string"}}})}),
                 "property-added", "forward", "response", B, id="closed-response-property-added"),
    # The same in a request body: the server now accepts `email`, and old requests never had it.
    pytest.param(api({"/users": {"post": accepts(with_property("name", {"type": "string"}, additionalProperties=False))}}),
                 api({"/users": {"post": accepts({"type": "object", "additionalProperties": False,
                                                  "properties": {"name": {"type": "string"}, "email": {"type": "string"}}})}}),
                 "property-added", "forward", "request", A, id="closed-request-property-added"),
    # A query parameter's schema is part of the request: old clients still send "blocked".
    pytest.param(api({"/users": {"get": {"parameters": [query_parameter("status", schema=STATUS)], **returns({"type": "array"})}}}),
                 api({"/users": {"get": {"parameters": [query_parameter("status", schema=STATUS_ACTIVE_ONLY)], **returns({"type": "array"})}}}),
                 "enum-value-removed", "backward", "request", B, id="parameter-schema-narrowed"),
    # A lower maximum in a response body: every new value was valid before, so old clients
    # read it; the response protects forward, which holds.
    pytest.param(api({"/users/{id}": get_user(with_property("age", {"type": "integer", "maximum": 150}))}),
                 api({"/users/{id}": get_user(with_property("age", {"type": "integer", "maximum": 120}))}),
                 "bound-tightened", "backward", "response", P, id="bound-tightened-in-response"),
]


@pytest.mark.parametrize(("old", "new", "rule", "breaks", "side", "severity"), DIRECTION_ROWS)
def test_side_decides_severity(old: dict[str, Any], new: dict[str, Any], rule: str, breaks: str, side: str, severity: str) -> None:
    # The side fixes the protected direction, so every `--mode` gives the same verdict.
    for mode in ("full", "backward", "forward"):
        changes = compare_documents(old, new, mode)
        change = only_change(changes, rule)
        assert change.breaks == BREAKS[breaks], describe(changes)
        assert change.side == side, describe(changes)
        assert change.severity is Severity(severity), f"under --mode {mode}:\n{describe(changes)}"


def test_required_response_property_removed() -> None:
    old = api({"/users/{id}": get_user(user(STATUS) | {"required": ["id", "status"]})})
    new_user = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
    new = api({"/users/{id}": get_user(new_user)})

    changes = compare_documents(old, new)
    by_rule = {change.rule: change for change in changes}

    assert sorted(by_rule) == ["property-removed", "required-removed"], describe(changes)
    # Old clients still require `status`, and new responses lack it.
    assert by_rule["required-removed"].breaks == BREAKS["forward"]
    assert by_rule["required-removed"].side == "response"
    assert by_rule["required-removed"].severity is Severity.BREAKING
    # The object is open: no response turns invalid, but clients lose the field.
    assert by_rule["property-removed"].breaks == BREAKS["none"]
    assert by_rule["property-removed"].severity is Severity.POTENTIALLY_BREAKING


# readOnly and writeOnly -----------------------------------------------------------------

def test_read_only_property_narrowed_in_request() -> None:
    # `id` is readOnly, so clients never send it: narrowing it changes no valid request.
    old = api({"/users": {"post": accepts(with_property("id", {"type": "integer", "readOnly": True, "maximum": 1000}))}})
    new = api({"/users": {"post": accepts(with_property("id", {"type": "integer", "readOnly": True, "maximum": 10}))}})

    changes = compare_documents(old, new)

    assert changes == (), describe(changes)


def test_writable_property_narrowed_in_request() -> None:
    # The same edit without readOnly: old clients may send 500, which the server now rejects.
    old = api({"/users": {"post": accepts(with_property("id", {"type": "integer", "maximum": 1000}))}})
    new = api({"/users": {"post": accepts(with_property("id", {"type": "integer", "maximum": 10}))}})

    change = only_change(compare_documents(old, new), "bound-tightened")

    assert change.side == "request"
    assert change.severity is Severity.BREAKING


def test_read_only_property_made_required_in_request() -> None:
    # A readOnly name in `required` does not bind requests, which never carry the property.
    old = api({"/users": {"post": accepts(with_property("id", {"type": "integer", "readOnly": True}))}})
    new = api({"/users": {"post": accepts(with_property("id", {"type": "integer", "readOnly": True}, required=["id"]))}})

    changes = compare_documents(old, new)

    assert changes == (), describe(changes)


def test_write_only_property_widened_in_response() -> None:
    # `password` is writeOnly, so responses never carry it: a new enum value reaches no client.
    password = {"type": "string", "writeOnly": True, "enum": ["a", "b"]}
    old = api({"/users/{id}": get_user(with_property("password", password))})
    new = api({"/users/{id}": get_user(with_property("password", password | {"enum": ["a", "b", "c"]}))})

    changes = compare_documents(old, new)

    assert changes == (), describe(changes)


def test_readable_property_widened_in_response() -> None:
    # The same edit without writeOnly: old clients reject "c" in a response.
    old = api({"/users/{id}": get_user(with_property("password", {"type": "string", "enum": ["a", "b"]}))})
    new = api({"/users/{id}": get_user(with_property("password", {"type": "string", "enum": ["a", "b", "c"]}))})

    change = only_change(compare_documents(old, new), "enum-value-added")

    assert change.side == "response"
    assert change.severity is Severity.BREAKING


def test_read_only_component_property_narrowed_on_both_sides() -> None:
    # User is sent in POST /users and returned by GET /users/{id}. Its readOnly `id` is not
    # part of the request, so narrowing it is judged on the response side only: it breaks
    # backward, which responses do not protect.
    def document(maximum: int) -> dict[str, Any]:
        schema = {"type": "object", "properties": {"id": {"type": "integer", "readOnly": True, "maximum": maximum}}}
        return api({"/users": {"post": accepts(USER_REF)}, "/users/{id}": get_user()}, {"User": schema})

    changes = compare_documents(document(1000), document(10))
    change = only_change(changes, "bound-tightened")

    assert change.side == "response", describe(changes)
    assert change.operations == ("GET /users/{id}",), describe(changes)
    assert change.severity is Severity.POTENTIALLY_BREAKING


# Components: the side comes from where they are used --------------------------------------

def test_component_used_on_both_sides() -> None:
    # User is the POST /users body and the GET /users/{id} response. A new status value
    # is harmless in requests but breaks old clients reading responses. The change is
    # reported once, on side "both", which protects both directions.
    paths = {"/users": {"post": accepts(USER_REF)}, "/users/{id}": get_user()}
    old = api(paths, {"User": user(STATUS)})
    new = api(paths, {"User": user(STATUS_WITH_DELETED)})

    changes = compare_documents(old, new, "backward")
    change = only_change(changes, "enum-value-added")

    assert change.side == "both"
    assert change.breaks == BREAKS["forward"]
    assert change.severity is Severity.BREAKING
    assert change.new_pointer == "/components/schemas/User/properties/status"
    assert change.operations == ("GET /users/{id}", "POST /users")


def test_component_reached_through_ref_chain() -> None:
    # The request body is Signup, which contains a User: a new required name in User is
    # missing from old requests, so it breaks backward on the request side.
    signup = {"type": "object", "properties": {"user": USER_REF}}
    paths = {"/signup": {"post": accepts({"$ref": "#/components/schemas/Signup"})}}
    old = api(paths, {"Signup": signup, "User": user(STATUS)})
    new_user = user(STATUS) | {"required": ["id", "status"]}
    new = api(paths, {"Signup": signup, "User": new_user})

    changes = compare_documents(old, new, "forward")
    change = only_change(changes, "required-added")

    assert change.side == "request"
    assert change.severity is Severity.BREAKING
    assert change.operations == ("POST /signup",)


@pytest.mark.parametrize(("mode", "severity"), [
    # Full protects forward, which a new enum value breaks.
    ("full", B),
    # The new schema accepts every old value, so backward compatibility is kept. The change widens.
    ("backward", A),
    # Old readers reject "deleted".
    ("forward", B),
])
def test_unused_component_follows_mode(mode: str, severity: str) -> None:
    paths = {"/health": {"get": returns({"type": "string"})}}
    old = api(paths, {"User": user(STATUS)})
    new = api(paths, {"User": user(STATUS_WITH_DELETED)})

    changes = compare_documents(old, new, mode)
    change = only_change(changes, "enum-value-added")

    assert change.side is None
    assert change.operations == ()
    assert change.severity is Severity(severity)


def test_response_ref_carries_operation() -> None:
    old = api({"/users/{id}": get_user()}, {"User": user(STATUS)})
    new = api({"/users/{id}": get_user()}, {"User": user(STATUS_WITH_DELETED)})

    changes = compare_documents(old, new)
    change = only_change(changes, "enum-value-added")

    assert change.new_pointer == "/components/schemas/User/properties/status"
    assert change.operations == ("GET /users/{id}",)
    assert change.side == "response"
    assert change.severity is Severity.BREAKING


def test_component_lists_every_operation() -> None:
    # Three operations return User; a new status value reaches the clients of each one.
    paths = {
        "/users": {"get": returns({"type": "array", "items": USER_REF})},
        "/users/{id}": get_user(),
        "/me": {"get": returns(USER_REF)},
    }
    old = api(paths, {"User": user(STATUS)})
    new = api(paths, {"User": user(STATUS_WITH_DELETED)})

    changes = compare_documents(old, new)
    change = only_change(changes, "enum-value-added")

    assert change.operations == ("GET /me", "GET /users", "GET /users/{id}"), describe(changes)
    assert change.side == "response"


def test_shared_parameter_component() -> None:
    # A parameter defined once under components/parameters is part of every request that
    # refers to it: old clients may still send page=0.
    def document(minimum: int) -> dict[str, Any]:
        document = api({"/users": {"get": {"parameters": [{"$ref": "#/components/parameters/Page"}], **returns({"type": "array"})}}})
        document["components"] = {"parameters": {"Page": query_parameter("page", schema={"type": "integer", "minimum": minimum})}}
        return document

    changes = compare_documents(document(0), document(1))
    change = only_change(changes, "bound-tightened")

    assert change.side == "request"
    assert change.operations == ("GET /users",)
    assert change.severity is Severity.BREAKING


def test_shared_response_component() -> None:
    # A response defined once under components/responses: a new error code value reaches
    # old clients of the operation that returns it.
    def document(codes: list[str]) -> dict[str, Any]:
        error = {"type": "object", "properties": {"code": {"type": "string", "enum": codes}}}
        document = api({"/users/{id}": {"get": {"parameters": [path_parameter("id")],
                                               "responses": {"404": {"$ref": "#/components/responses/NotFound"}}}}})
        document["components"] = {"responses": {"NotFound": {"description": "not found", "content": content(error)}}}
        return document

    changes = compare_documents(document(["missing"]), document(["missing", "gone"]))
    change = only_change(changes, "enum-value-added")

    assert change.side == "response"
    assert change.operations == ("GET /users/{id}",)
    assert change.severity is Severity.BREAKING


def test_shared_request_body_component() -> None:
    # A request body defined once under components/requestBodies: a new required name is
    # missing from old requests.
    def document(required: list[str]) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object", "properties": {"name": {"type": "string"}}}
        if required:
            # OpenAPI 3.0 follows draft 4, where `required` must not be empty.
            schema["required"] = required
        body = {"required": True, "content": content(schema)}
        document = api({"/users": {"post": {"requestBody": {"$ref": "#/components/requestBodies/NewUser"},
                                            "responses": {"204": {"description": "done"}}}}})
        document["components"] = {"requestBodies": {"NewUser": body}}
        return document

    changes = compare_documents(document([]), document(["name"]))
    change = only_change(changes, "required-added")

    assert change.side == "request"
    assert change.operations == ("POST /users",)
    assert change.severity is Severity.BREAKING


def test_path_level_parameter_added() -> None:
    # A required parameter declared on the path item applies to GET and DELETE alike, so
    # old requests to either lack it.
    operations = {"get": returns({"type": "object"}), "delete": {"responses": {"204": {"description": "done"}}}}
    old = api({"/users": dict(operations)})
    new = api({"/users": {"parameters": [{"name": "X-Tenant", "in": "header", "required": True, "schema": {"type": "string"}}],
                          **operations}})

    changes = compare_documents(old, new)

    assert changes, "expected parameter-added"
    assert {change.rule for change in changes} == {"parameter-added"}, describe(changes)
    assert all(change.severity is Severity.BREAKING for change in changes), describe(changes)
    assert {label for change in changes for label in change.operations} == {"DELETE /users", "GET /users"}, describe(changes)


# Matching operations --------------------------------------------------------------------

RENAMED_PATH_ROWS = [
    # The parameter is renamed in the template and in its declaration: same slot, same path.
    pytest.param({"/users/{id}": get_user(with_property("name", {"type": "string"}))},
                 {"/users/{userId}": {"get": {"parameters": [path_parameter("userId")],
                                              **returns(with_property("name", {"type": "string"}))}}},
                 id="one-parameter-renamed"),
    # The two names swap places: matched by position, each slot keeps its integer schema.
    pytest.param({"/users/{id}/posts/{postId}": {"get": {"parameters": [path_parameter("id"), path_parameter("postId")],
                                                         **returns({"type": "object"})}}},
                 {"/users/{postId}/posts/{id}": {"get": {"parameters": [path_parameter("postId"), path_parameter("id")],
                                                         **returns({"type": "object"})}}},
                 id="two-parameters-swap-names"),
    # HTTP header names are case-insensitive, so X-Request-Id and x-request-id are one header.
    pytest.param({"/users": {"get": {"parameters": [{"name": "X-Request-Id", "in": "header", "schema": {"type": "string"}}],
                                     **returns({"type": "array"})}}},
                 {"/users": {"get": {"parameters": [{"name": "x-request-id", "in": "header", "schema": {"type": "string"}}],
                                     **returns({"type": "array"})}}},
                 id="header-name-case"),
    # Path-level parameters apply to every operation of the path, as if listed in each.
    pytest.param({"/users/{id}": {"parameters": [path_parameter("id")], "get": returns({"type": "object"})}},
                 {"/users/{id}": {"get": {"parameters": [path_parameter("id")], **returns({"type": "object"})}}},
                 id="parameter-moved-to-operation"),
]


@pytest.mark.parametrize(("old_paths", "new_paths"), RENAMED_PATH_ROWS)
def test_respelled_operation_no_change(old_paths: dict[str, Any], new_paths: dict[str, Any]) -> None:
    changes = compare_documents(api(old_paths), api(new_paths))

    assert changes == (), describe(changes)


def test_renamed_path_parameter_retyped() -> None:
    # `{id}` becomes `{userId}` and its schema goes from integer to string: the same slot,
    # whose old and new values share no kind, so each side rejects what the other accepts.
    old = api({"/users/{id}": {"get": {"parameters": [path_parameter("id")], **returns({"type": "object"})}}})
    new_parameter = {"name": "userId", "in": "path", "required": True, "schema": {"type": "string"}}
    new = api({"/users/{userId}": {"get": {"parameters": [new_parameter], **returns({"type": "object"})}}})

    changes = compare_documents(old, new)
    change = only_change(changes, "type-changed")

    assert change.side == "request"
    assert change.operations == ("GET /users/{userId}",)
    assert change.severity is Severity.BREAKING


# API-level rules ------------------------------------------------------------------------

LIST_USERS = {"get": {"parameters": [query_parameter("page")], **returns({"type": "array"})}}
CREATE_USER = {"post": accepts({"type": "object"})}


def _edited(*edits: Any) -> dict[str, Any]:
    """Return a fresh copy of the base document with the edits applied in order."""
    document = api({"/users": {**copy.deepcopy(LIST_USERS), **copy.deepcopy(CREATE_USER)}},
                   {"User": user(STATUS)})
    for edit in edits:
        edit(document)
    return document


def _parent(document: Any, keys: tuple[Any, ...]) -> Any:
    node = document
    for key in keys[:-1]:
        node = node[key]
    return node


def _set(keys: tuple[Any, ...], value: Any) -> Any:
    """Return an edit that sets the value under the keys (an index one past a list's end appends)."""
    def edit(document: dict[str, Any]) -> None:
        parent = _parent(document, keys)
        if isinstance(parent, list) and keys[-1] == len(parent):
            parent.append(value)
        else:
            parent[keys[-1]] = value
    return edit


def _delete(keys: tuple[Any, ...]) -> Any:
    """Return an edit that deletes the value under the keys."""
    def edit(document: dict[str, Any]) -> None:
        del _parent(document, keys)[keys[-1]]
    return edit


BASE = _edited()
GET = ("paths", "/users", "get")
POST = ("paths", "/users", "post")
PAGE = (*GET, "parameters", 0)

API_ROWS = [
    # A new path serves new requests; old clients never call it.
    pytest.param(BASE, _edited(_set(("paths", "/teams"), {"get": returns({"type": "string"})})), "path-added", "none", A, id="path-added"),
    # Old clients still call every operation of the removed path.
    pytest.param(_edited(_set(("paths", "/teams"), {"get": returns({"type": "string"})})), BASE, "path-removed", "backward", B,
                 id="path-removed"),
    # A new method on an existing path: old clients do not use it.
    pytest.param(BASE, _edited(_set(("paths", "/users", "delete"), {"responses": {"204": {"description": "done"}}})),
                 "operation-added", "none", A, id="operation-added"),
    # Old clients still send POST /users, which now fails.
    pytest.param(BASE, _edited(_delete(POST)), "operation-removed", "backward", B, id="operation-removed"),
    # An optional parameter may be left out, as every old request does.
    pytest.param(BASE, _edited(_set((*GET, "parameters", 1), query_parameter("sort"))),
                 "parameter-added", "none", A, id="optional-parameter-added"),
    # A required parameter is missing from every old request.
    pytest.param(BASE, _edited(_set((*GET, "parameters", 1), query_parameter("sort", required=True))),
                 "parameter-added", "backward", B, id="required-parameter-added"),
    # Old requests stay well-formed, but the value old clients send is no longer read.
    pytest.param(BASE, _edited(_delete(PAGE)), "parameter-removed", "none", P, id="parameter-removed"),
    # Old requests may leave `page` out.
    pytest.param(BASE, _edited(_set((*PAGE, "required"), True)),
                 "parameter-became-required", "backward", B, id="parameter-became-required"),
    # Every old request, with or without `page`, is still accepted.
    pytest.param(_edited(_set((*PAGE, "required"), True)), BASE,
                 "parameter-became-optional", "none", A, id="parameter-became-optional"),
    # Old clients send `page` in the query, where the server no longer reads it.
    pytest.param(BASE, _edited(_set((*PAGE, "in"), "header")),
                 "parameter-moved", "backward", B, id="parameter-moved-query-to-header"),
    # Old requests may have no body.
    pytest.param(_edited(_set((*POST, "requestBody", "required"), False)), BASE,
                 "request-body-became-required", "backward", B, id="request-body-became-required"),
    # Every old request had a body and is still accepted.
    pytest.param(BASE, _edited(_set((*POST, "requestBody", "required"), False)),
                 "request-body-became-optional", "none", A, id="request-body-became-optional"),
    # The server now also reads form bodies; old requests are unaffected.
    pytest.param(BASE, _edited(_set((*POST, "requestBody", "content", "application/x-www-form-urlencoded"), {"schema": {"type": "object"}})),
                 "request-media-type-added", "none", A, id="request-media-type-added"),
    # Old clients may still send plain-text bodies, which the server no longer reads.
    pytest.param(_edited(_set((*POST, "requestBody", "content", "text/plain"), {"schema": {"type": "string"}})), BASE,
                 "request-media-type-removed", "backward", B, id="request-media-type-removed"),
    # Old clients may now get a body in a media type they cannot read.
    pytest.param(BASE, _edited(_set((*GET, "responses", "200", "content", "text/csv"), {"schema": {"type": "string"}})),
                 "response-media-type-added", "forward", B, id="response-media-type-added"),
    # Nothing old clients receive turns unreadable, but those that asked for CSV stop getting it.
    pytest.param(_edited(_set((*GET, "responses", "200", "content", "text/csv"), {"schema": {"type": "string"}})), BASE,
                 "response-media-type-removed", "none", P, id="response-media-type-removed"),
    # Old clients do not expect a 404 from GET /users.
    pytest.param(BASE, _edited(_set((*GET, "responses", "404"), {"description": "not found"})),
                 "response-status-added", "forward", B, id="response-status-added"),
    # Old clients keep handling a 404 that no longer comes.
    pytest.param(_edited(_set((*GET, "responses", "404"), {"description": "not found"})), BASE,
                 "response-status-removed", "none", P, id="response-status-removed"),
    # A component that no operation uses changes no request or response.
    pytest.param(BASE, _edited(_set(("components", "schemas", "Team"), {"type": "object"})), "component-added", "none", A,
                 id="component-added"),
    # Nothing uses it, but generated clients lose the type.
    pytest.param(_edited(_set(("components", "schemas", "Team"), {"type": "object"})), BASE, "component-removed", "none", P,
                 id="component-removed"),
    # Requests and responses stay the same, but generated clients rename their method.
    pytest.param(_edited(_set((*GET, "operationId"), "listUsers")), _edited(_set((*GET, "operationId"), "getUsers")),
                 "operation-id-changed", "none", P, id="operation-id-changed"),
]


@pytest.mark.parametrize(("old", "new", "rule", "breaks", "severity"), API_ROWS)
def test_api_level_rule(old: dict[str, Any], new: dict[str, Any], rule: str, breaks: str, severity: str) -> None:
    changes = compare_documents(old, new)
    change = only_change(changes, rule)

    assert change.breaks == BREAKS[breaks], describe(changes)
    assert change.severity is Severity(severity), describe(changes)


def test_whole_path_removed_once() -> None:
    # Removing a path with two operations is one path-removed change, not two.
    old = _edited(_set(("paths", "/teams"), {"get": returns({"type": "array"}), "post": accepts({"type": "object"})}))

    changes = compare_documents(old, BASE)
    change = only_change(changes, "path-removed")

    assert change.severity is Severity.BREAKING


def test_parameter_moved_keeps_case() -> None:
    # An API key moves from the query to a header under the same name. Header names are
    # case-insensitive, which must not hide that `apiKey` is the same parameter.
    def document(location: str) -> dict[str, Any]:
        parameter = {"name": "apiKey", "in": location, "schema": {"type": "string"}}
        return api({"/users": {"get": {"parameters": [parameter], **returns({"type": "array"})}}})

    changes = compare_documents(document("query"), document("header"))
    change = only_change(changes, "parameter-moved")

    assert change.breaks == BREAKS["backward"]
    assert change.severity is Severity.BREAKING


def test_parameter_added_names_operation() -> None:
    new = _edited(_set((*GET, "parameters", 1), query_parameter("sort", required=True)))

    change = only_change(compare_documents(BASE, new), "parameter-added")

    assert change.operations == ("GET /users",)
    assert change.side == "request"


def test_response_status_added_names_operation() -> None:
    new = _edited(_set((*GET, "responses", "404"), {"description": "not found"}))

    change = only_change(compare_documents(BASE, new), "response-status-added")

    assert change.operations == ("GET /users",)
    assert change.side == "response"


# OpenAPI 3.1 ----------------------------------------------------------------------------

def test_openapi_31_null_type_added() -> None:
    # In 3.1 null is a type name: a response that may now be null breaks old clients.
    old = api({"/users/{id}": get_user(with_property("nickname", {"type": "string"}))}, version="3.1.0")
    new = api({"/users/{id}": get_user(with_property("nickname", {"type": ["string", "null"]}))}, version="3.1.0")

    change = only_change(compare_documents(old, new), "type-widened")

    assert change.side == "response"
    assert change.breaks == BREAKS["forward"]
    assert change.severity is Severity.BREAKING


def test_openapi_31_null_type_respelled() -> None:
    # `type: [string, "null"]` and a `oneOf` with a null branch accept the same values.
    old = api({"/users/{id}": get_user(with_property("nickname", {"type": ["string", "null"]}))}, version="3.1.0")
    new = api({"/users/{id}": get_user(with_property("nickname", {"oneOf": [{"type": "string"}, {"type": "null"}]}))},
              version="3.1.0")

    changes = compare_documents(old, new)

    assert changes == (), describe(changes)


def test_openapi_31_null_type_removed_in_request() -> None:
    # Old clients may still send null, which the server now rejects.
    old = api({"/users": {"post": accepts(with_property("nickname", {"type": ["string", "null"]}))}}, version="3.1.0")
    new = api({"/users": {"post": accepts(with_property("nickname", {"type": "string"}))}}, version="3.1.0")

    change = only_change(compare_documents(old, new), "type-narrowed")

    assert change.side == "request"
    assert change.severity is Severity.BREAKING


# Command line ---------------------------------------------------------------------------

def test_cli_response_enum_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = write(tmp_path / "old.json", api({"/users/{id}": get_user()}, {"User": user(STATUS)}))
    new = write(tmp_path / "new.json", api({"/users/{id}": get_user()}, {"User": user(STATUS_WITH_DELETED)}))

    code, report = json_report(capsys, old, new)

    assert code == 1
    [change] = report["changes"]
    assert change["rule"] == "enum-value-added"
    assert change["severity"] == "breaking"
    assert change["side"] == "response"
    assert change["operation"] == "GET /users/{id}"
    assert change["operations"] == ["GET /users/{id}"]


def test_cli_request_enum_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The same new value in a request body only: additive, so no breaking change.
    old = write(tmp_path / "old.json", api({"/users": {"post": accepts(USER_REF)}}, {"User": user(STATUS)}))
    new = write(tmp_path / "new.json", api({"/users": {"post": accepts(USER_REF)}}, {"User": user(STATUS_WITH_DELETED)}))

    code, report = json_report(capsys, old, new)

    assert code == 0
    [change] = report["changes"]
    assert change["severity"] == "additive"
    assert change["side"] == "request"
    assert change["operation"] == "POST /users"


def test_cli_mode_does_not_override_side(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `--mode backward` would accept a forward break, but responses always protect forward.
    old = write(tmp_path / "old.json", api({"/users/{id}": get_user()}, {"User": user(STATUS)}))
    new = write(tmp_path / "new.json", api({"/users/{id}": get_user()}, {"User": user(STATUS_WITH_DELETED)}))

    code, _, err = run(capsys, old, new, "--mode", "backward")

    assert err == ""
    assert code == 1


def test_cli_unused_component_follows_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = {"/health": {"get": returns({"type": "string"})}}
    old = write(tmp_path / "old.json", api(paths, {"User": user(STATUS)}))
    new = write(tmp_path / "new.json", api(paths, {"User": user(STATUS_WITH_DELETED)}))

    assert run(capsys, old, new, "--mode", "backward")[0] == 0
    assert run(capsys, old, new, "--mode", "forward")[0] == 1


def test_cli_yaml_against_gzip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # One version as YAML, the other as gzipped JSON: both are single-file OpenAPI documents.
    old = tmp_path / "api.yaml"
    old.write_text(yaml.safe_dump(api({"/users/{id}": get_user()}, {"User": user(STATUS)})), encoding="utf-8")
    new = tmp_path / "api-next.json.gz"
    new.write_bytes(gzip.compress(json.dumps(api({"/users/{id}": get_user()}, {"User": user(STATUS_WITH_DELETED)})).encode()))

    code, report = json_report(capsys, old, new)

    assert code == 1
    assert [change["rule"] for change in report["changes"]] == ["enum-value-added"]


def test_cli_yaml_integer_status_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # YAML reads an unquoted `200:` as the integer 200; it is the same status as "200" in JSON.
    old = tmp_path / "api.yaml"
    old.write_text("openapi: 3.0.3\n"
                   "info: {title: Users, version: 1.0.0}\n"
                   "paths:\n"
                   "  /users:\n"
                   "    get:\n"
                   "      responses:\n"
                   "        200:\n"
                   "          description: the result\n"
                   "          content:\n"
                   "            application/json:\n"
                   "              schema: {type: array}\n", encoding="utf-8")
    new = write(tmp_path / "api.json", api({"/users": {"get": returns({"type": "array"})}}))

    code, report = json_report(capsys, old, new)

    assert report["changes"] == []
    assert code == 0


def test_cli_identical_documents_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = api({"/users/{id}": get_user()}, {"User": user(STATUS)})
    old, new = write(tmp_path / "old.json", document), write(tmp_path / "new.json", document)

    code, report = json_report(capsys, old, new)

    assert code == 0
    assert report["changes"] == []


@pytest.mark.parametrize("openapi_first", [True, False], ids=["openapi-then-schema", "schema-then-openapi"])
def test_cli_openapi_against_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str], openapi_first: bool) -> None:
    openapi = write(tmp_path / "api.json", api({"/users/{id}": get_user()}, {"User": user(STATUS)}))
    schema = write(tmp_path / "user.json", user(STATUS))
    argv = (openapi, schema) if openapi_first else (schema, openapi)

    code, out, err = run(capsys, *argv)

    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("schema-diff: error: ")
    assert "OpenAPI" in err


def test_cli_unsupported_openapi_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = write(tmp_path / "old.json", api({}, version="4.0.0"))
    new = write(tmp_path / "new.json", api({}, version="4.0.0"))

    code, out, err = run(capsys, old, new)

    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert "4.0.0" in err


def test_cosmetic_operation_summary() -> None:
    old = _edited(_set((*GET, "summary"), "List users"))
    new = _edited(_set((*GET, "summary"), "List every user"))

    change = only_change(compare_documents(old, new), "description-changed")

    assert change.severity is Severity(C)


def test_read_only_base_property_redeclared_in_request_extension() -> None:
    # NewUser extends Base through allOf; Base's `id` is readOnly, so requests never carry it.
    # The extension now also lists `id` with a length limit: no valid request changes, so
    # nothing breaks on the request side.
    base = {"type": "object", "properties": {"id": {"type": "string", "readOnly": True}}}
    old_body = {"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"name": {"type": "string"}}}]}
    new_body = {"allOf": [{"$ref": "#/components/schemas/Base"},
                          {"properties": {"name": {"type": "string"}, "id": {"type": "string", "maxLength": 3}}}]}
    old = api({"/users": {"post": accepts(old_body)}}, {"Base": base})
    new = api({"/users": {"post": accepts(new_body)}}, {"Base": base})

    changes = compare_documents(old, new)

    assert [change.rule for change in changes] == ["property-added"]
    assert changes[0].breaks == frozenset()


@pytest.mark.parametrize("dialect", [
    "https://spec.openapis.org/oas/3.1/dialect/base",        # the specification's default dialect, named
    "https://spec.openapis.org/oas/3.1/dialect/2024-10-25",  # a dated version of it
    "https://json-schema.org/draft/2020-12/schema",          # plain 2020-12
])
def test_openapi_31_dialects_read_as_2020_12(dialect: str) -> None:
    # Each dialect is 2020-12 (OpenAPI's adds annotations only), so an enum value added to a
    # response is judged as in any 2020-12 schema: it breaks old clients (forward).
    old = {**api({"/users": {"get": returns({"enum": ["a"]})}}, version="3.1.0"), "jsonSchemaDialect": dialect}
    new = {**api({"/users": {"get": returns({"enum": ["a", "b"]})}}, version="3.1.0"), "jsonSchemaDialect": dialect}

    changes = compare_documents(old, new)

    assert [(change.rule, sorted(direction.value for direction in change.breaks)) for change in changes] == [("enum-value-added", ["forward"])]
