"""Normalised views of subschemas, so that re-spellings compare equal.

A view merges what several spellings say the same way: nullability written as a `null`
type, a `{"type": "null"}` branch or OpenAPI's `nullable: true`; a one-branch `oneOf`,
`anyOf` or `allOf`; `const` as a one-value `enum`. Every keyword remembers the pointer
of the object it came from, so changes point into the real document.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from checker.jsonvalues import join

UNION_KEYWORDS = ("oneOf", "anyOf")
JSON_KINDS = frozenset({"null", "boolean", "object", "array", "number", "integer", "string"})

#: Keywords that never change which data validates; they may differ between merged objects.
ANNOTATIONS = frozenset({
    "title", "description", "examples", "example", "$comment", "default", "deprecated",
    "readOnly", "writeOnly", "$schema", "$id", "id", "$anchor", "$dynamicAnchor", "$defs",
    "definitions", "contentEncoding", "contentMediaType", "discriminator", "externalDocs", "xml",
})


def is_annotation(keyword: str) -> bool:
    """Whether a keyword is an annotation (including `x-` extensions) rather than an assertion."""
    return keyword in ANNOTATIONS or keyword.startswith("x-")


@dataclasses.dataclass(frozen=True)
class Branch:
    """One member of a `oneOf`, `anyOf` or `allOf`: its node and the pointer to it."""

    node: Any
    pointer: str


@dataclasses.dataclass
class View:
    """One subschema as the judges see it."""

    pointer: str
    keywords: dict[str, Any]
    #: For each keyword, the pointer of the object it was written in.
    origin: dict[str, str]
    #: Boolean schema `false`: accepts nothing.
    rejects_all: bool = False
    #: Whether a `null` branch or OpenAPI's `nullable: true` admits null beside the type.
    null_branch: bool = False
    #: The `oneOf`/`anyOf` keyword and its non-null branches, if any.
    union: str | None = None
    branches: tuple[Branch, ...] = ()
    #: Keywords the document's draft does not define: validators ignore them, so no judge
    #: reads them, but a change to one is reported for a person to review.
    foreign: dict[str, Any] = dataclasses.field(default_factory=dict)

    def at(self, keyword: str) -> str:
        """The pointer of the keyword's value."""
        return join(self.origin.get(keyword, self.pointer), keyword)

    def holder(self, keyword: str) -> str:
        """The pointer of the object that holds the keyword."""
        return self.origin.get(keyword, self.pointer)

    @property
    def assertions(self) -> list[str]:
        """Keywords that constrain data, apart from the union."""
        return [keyword for keyword in self.keywords if not is_annotation(keyword) and keyword not in UNION_KEYWORDS]

    @property
    def name(self) -> str | None:
        """The subschema's named type, if it carries one."""
        for keyword in ("x-readme-ref-name", "title"):
            value = self.keywords.get(keyword)
            if isinstance(value, str) and value:
                return value
        return None


def make_view(node: Any, pointer: str, side: str | None = None, foreign_keywords: frozenset[str] = frozenset()) -> View:
    """Build the view of one subschema (a dict or a boolean) already freed of its `$ref`.

    On the request side of an OpenAPI operation `readOnly` properties are left out, and
    on the response side `writeOnly` ones: they are not part of that message.
    """
    if node is True or node is False:
        return View(pointer, {}, {}, rejects_all=node is False)
    if not isinstance(node, dict):
        # Malformed schemas are rejected by the meta-schema check before the walk.
        return View(pointer, {}, {})

    view = View(pointer, {key: value for key, value in node.items() if key not in foreign_keywords},
                {keyword: pointer for keyword in node},
                foreign={key: value for key, value in node.items() if key in foreign_keywords})
    _extract_null_branches(view)
    while _merge_single_members(view):
        # The merged member may hold a union of its own, with null branches of its own.
        view.union, view.branches = None, ()
        _extract_null_branches(view)
    if view.null_branch and not _admits_null(_beside_union(view)):
        # A `type`, `enum` or `const` beside the union that excludes null leaves its null
        # branch unreachable: `allOf: [{"type": "string"}]` beside `oneOf: [null, ...]`.
        view.null_branch = False
    if view.keywords.get("nullable") is True:
        view.null_branch = True
    if side in HIDDEN_ON:
        _hide_properties(view, HIDDEN_ON[side])
    return view


#: The flag that keeps a property out of a message on each side of an OpenAPI operation.
HIDDEN_ON = {"request": "readOnly", "response": "writeOnly"}


def _hide_properties(view: View, flag: str) -> None:
    # TODO: a flag set inside a `$ref` target is not seen here.
    properties = view.keywords.get("properties")
    if not isinstance(properties, dict):
        return
    hidden = {name for name, schema in properties.items() if isinstance(schema, dict) and schema.get(flag) is True}
    if not hidden:
        return
    view.keywords["properties"] = {name: schema for name, schema in properties.items() if name not in hidden}
    required = view.keywords.get("required")
    if isinstance(required, list):
        view.keywords["required"] = [name for name in required if name not in hidden]


def _beside_union(view: View) -> dict[str, Any]:
    """Return the view's keywords apart from those merged in from a union's branch."""
    unmerged = {}
    for keyword, value in view.keywords.items():
        # The pointer below the view's own names the merged member, such as "/oneOf/1".
        below = view.origin.get(keyword, view.pointer)[len(view.pointer):].split("/")
        if not any(token in UNION_KEYWORDS for token in below):
            unmerged[keyword] = value
    return unmerged


def _admits_null(keywords: dict[str, Any]) -> bool:
    kinds = keywords.get("type")
    if isinstance(kinds, str) and kinds != "null":
        return False
    if isinstance(kinds, list) and "null" not in kinds:
        return False
    if isinstance(keywords.get("enum"), list) and None not in keywords["enum"]:
        return False
    return "const" not in keywords or keywords["const"] is None


def is_null_branch(node: Any) -> bool:
    """Whether a union branch only admits null (`{"type": "null"}` and its spellings)."""
    if not isinstance(node, dict):
        return False
    assertions = {keyword: value for keyword, value in node.items() if not is_annotation(keyword)}
    return assertions in ({"type": "null"}, {"type": ["null"]}, {"const": None}, {"enum": [None]})


def _extract_null_branches(view: View) -> None:
    for keyword in UNION_KEYWORDS:
        members = view.keywords.get(keyword)
        if not isinstance(members, list):
            continue
        holder = view.origin[keyword]
        branches = [Branch(member, join(holder, keyword, position)) for position, member in enumerate(members)]
        kept = tuple(branch for branch in branches if not is_null_branch(branch.node))
        if len(kept) < len(branches):
            view.null_branch = True
        if view.union is None and kept:
            view.union, view.branches = keyword, kept
        elif not kept:
            # Only null branches: the node admits null and nothing the union adds.
            del view.keywords[keyword]
            view.keywords.setdefault("type", "null")
            view.origin.setdefault("type", holder)


def _merge_single_members(view: View) -> bool:
    # A union or `allOf` with one member says the same as the member itself, so its
    # keywords join the node's, unless the two disagree on an assertion.
    if view.union is not None and len(view.branches) == 1:
        keyword, branch = view.union, view.branches[0]
        if _can_merge(view, branch, keyword):
            del view.keywords[keyword]
            view.union, view.branches = None, ()
            _merge(view, branch)
            return True

    members = view.keywords.get("allOf")
    if isinstance(members, list) and len(members) == 1:
        branch = Branch(members[0], join(view.origin["allOf"], "allOf", 0))
        if _can_merge(view, branch, "allOf"):
            del view.keywords["allOf"]
            _merge(view, branch)
            return True
    return False


def _can_merge(view: View, branch: Branch, keyword: str) -> bool:
    node = branch.node
    if not isinstance(node, dict) or "$ref" in node:
        return False
    # `additionalProperties` sees only the `properties` beside it, so it cannot move
    # into an object that lists other properties (and the same for items).
    for closing, listing in (("additionalProperties", ("properties", "patternProperties")), ("additionalItems", ("items",))):
        if (closing in node and any(key in view.keywords for key in listing)) or (closing in view.keywords and any(key in node for key in listing)):
            return False
    return not any(key in view.keywords and key != keyword and not is_annotation(key) for key in node)


def _merge(view: View, branch: Branch) -> None:
    for key, value in branch.node.items():
        if key not in view.keywords or key not in _KEEP_OUTER:
            view.keywords[key] = value
            view.origin[key] = branch.pointer


# Annotations the outer object keeps when both it and the merged member carry them.
_KEEP_OUTER = frozenset({"$schema", "$id", "id", "$defs", "definitions"})
