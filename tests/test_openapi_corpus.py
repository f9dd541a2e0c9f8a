"""GitHub's REST API description, GHES 3.17 against 3.18, compared through the command line.

The two documents sit in the corpus beside the repository (`../shared/corpus/github`) and
are never copied into it; every test here skips when they are absent. The expected paths
and operations are computed here from the documents themselves, with the json module and
a walk of their `$ref`s, without schema-diff.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
GITHUB = CORPUS / "github"
OLD_NAME, NEW_NAME = "ghes-3.17.json.gz", "ghes-3.18.json.gz"

METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
#: The part of an operation each field belongs to: the server reads the request, clients the response.
SIDE_OF_FIELD = {"parameters": "request", "requestBody": "request", "responses": "response"}


def corpus_file(name: str) -> Path:
    path = GITHUB / name
    if not path.is_file():
        pytest.skip(f"corpus file {name} not found at {path} (the corpus lives in ../shared/corpus)")
    return path


@functools.cache
def load(name: str) -> dict[str, Any]:
    """Read one gzipped OpenAPI document with the json module."""
    with gzip.open(corpus_file(name)) as stream:
        document: dict[str, Any] = json.load(stream)
    return document


@functools.cache
def github_report() -> tuple[int, str, dict[str, Any]]:
    """Compare the two versions once with `--format json`, returning exit code, stderr and report."""
    # The comparison runs once for the whole module, which a function-scoped capsys
    # cannot capture. Click writes to the current sys.stdout, so redirecting it works.
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(corpus_file(OLD_NAME)), str(corpus_file(NEW_NAME)), "--format", "json"])
    return code, err.getvalue(), json.loads(out.getvalue())


def template_key(path: str) -> str:
    """Erase parameter names from a path template: `/users/{id}` and `/users/{userId}` match."""
    return re.sub(r"\{[^}/]*\}", "{}", path)


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def tokens(pointer: str) -> list[str]:
    """Split an RFC 6901 JSON Pointer into its unescaped reference tokens."""
    return [unescape(token) for token in pointer.split("/")[1:]] if pointer else []


def pointers(change: dict[str, Any]) -> list[str]:
    return [pointer for pointer in (change["old_pointer"], change["new_pointer"]) if pointer is not None]


def component_refs(node: Any) -> set[tuple[str, str]]:
    """Every `#/components/KIND/NAME` reference written anywhere inside a node."""
    found = set()
    pending = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            target = item.get("$ref")
            if isinstance(target, str) and target.startswith("#/components/"):
                kind, name = tokens(target[1:])[1:3]
                found.add((kind, name))
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return found


@functools.cache
def schema_users(name: str) -> dict[str, dict[str, set[str]]]:
    """For each component schema, the operations that use it on each side, through chains of `$ref`s."""
    document = load(name)
    components = document.get("components", {})
    users: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"request": set(), "response": set()})
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            label = f"{method.upper()} {path}"
            request_parts = [item.get("parameters"), operation.get("parameters"), operation.get("requestBody")]
            for side, parts in (("request", request_parts), ("response", [operation.get("responses")])):
                for kind, component in reachable(components, set().union(*(component_refs(part) for part in parts))):
                    if kind == "schemas":
                        users[component][side].add(label)
    return users


def reachable(components: dict[str, Any], start: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The components `start` refers to, and those they refer to in turn."""
    seen, pending = set(start), list(start)
    while pending:
        kind, name = pending.pop()
        for target in component_refs(components.get(kind, {}).get(name)):
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return seen


def operations_using(component: str, side: str) -> set[str]:
    """Operations using a component schema on a side ("both" meaning either), in either version."""
    sides = ("request", "response") if side == "both" else (side,)
    return {label for name in (OLD_NAME, NEW_NAME) for each in sides for label in schema_users(name)[component][each]}


def used_by_an_operation(component: str) -> bool:
    return any(component in schema_users(name) for name in (OLD_NAME, NEW_NAME))


# Tests ----------------------------------------------------------------------------------

def test_github_report_exit_code() -> None:
    code, err, report = github_report()

    assert err == ""
    # Exit 1 exactly when some change is breaking.
    assert code == (1 if report["summary"]["breaking"] else 0)


def test_github_added_paths() -> None:
    old_paths = {template_key(path) for path in load(OLD_NAME)["paths"]}
    expected = sorted(path for path in load(NEW_NAME)["paths"] if template_key(path) not in old_paths)
    _, _, report = github_report()

    added = [change for change in report["changes"] if change["rule"] == "path-added"]
    reported = sorted(tokens(change["new_pointer"])[1] for change in added)

    assert len(expected) == 8
    assert reported == expected
    assert all(change["old_pointer"] is None for change in added)


def test_github_no_removed_paths() -> None:
    new_paths = {template_key(path) for path in load(NEW_NAME)["paths"]}
    removed = [path for path in load(OLD_NAME)["paths"] if template_key(path) not in new_paths]
    _, _, report = github_report()

    assert removed == []
    assert [change for change in report["changes"] if change["rule"] == "path-removed"] == []


def test_github_changes_under_operations() -> None:
    _, _, report = github_report()
    checked = 0

    for change in report["changes"]:
        for pointer in pointers(change):
            parts = tokens(pointer)
            # Strictly below an operation: /paths/{path}/{method}/{field}/...
            if len(parts) < 4 or parts[0] != "paths" or parts[2] not in METHODS:
                continue
            checked += 1
            where = f"{change['rule']} at {pointer}"
            assert change["operation"] == f"{parts[2].upper()} {parts[1]}", where
            assert change["operation"] in change["operations"], where
            if parts[3] in SIDE_OF_FIELD:
                assert change["side"] == SIDE_OF_FIELD[parts[3]], where
            else:
                assert change["side"] in ("request", "response"), where

    # The two versions differ inside many operations; an empty walk would prove nothing.
    assert checked > 0


def test_github_component_changes_carry_operations() -> None:
    _, _, report = github_report()
    checked = 0

    for change in report["changes"]:
        for pointer in pointers(change):
            parts = tokens(pointer)
            if len(parts) < 3 or parts[:2] != ["components", "schemas"] or not used_by_an_operation(parts[2]):
                continue
            checked += 1
            where = f"{change['rule']} at {pointer} (side {change['side']})"
            assert change["operations"], where
            assert change["operation"] == change["operations"][0], where

    assert checked > 0


def test_github_component_operations_complete() -> None:
    # A change inside a component reaches every operation that uses the component on the
    # change's side, and no other.
    _, _, report = github_report()

    for change in report["changes"]:
        parts = tokens(change["new_pointer"] or change["old_pointer"])
        if len(parts) < 3 or parts[:2] != ["components", "schemas"] or change["side"] is None:
            continue
        where = f"{change['rule']} at {'/'.join(parts)} (side {change['side']})"
        expected, reported = operations_using(parts[2], change["side"]), set(change["operations"])
        missing, extra = sorted(expected - reported), sorted(reported - expected)
        assert missing == [], f"{where}: {len(missing)} of {len(expected)} operations missing, first {missing[:3]}"
        assert extra == [], f"{where}: operations that do not use {parts[2]} on this side: {extra[:3]}"


def test_github_unused_component_changes_follow_mode() -> None:
    # A component no operation uses has no side: the run's --mode judges it.
    _, _, report = github_report()

    for change in report["changes"]:
        parts = tokens(change["new_pointer"] or change["old_pointer"])
        if len(parts) < 3 or parts[:2] != ["components", "schemas"] or used_by_an_operation(parts[2]):
            continue
        assert change["side"] is None, change["new_pointer"]
        assert change["operations"] == [], change["new_pointer"]
