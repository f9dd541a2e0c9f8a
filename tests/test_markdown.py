"""The Markdown release notes and the sentences they are made of.

Every expected sentence below is written by hand from the change's rule, location and
values. It follows the sentence form of `checker.reporters.sentences`: the subject (a named
type and the reader's path inside it), what happened, and where else it occurs in brackets.
After a semicolon comes what the change does to old readers or old data.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from typing import Any

import markdown_it
import pytest

import checker
from checker.model import Change, Direction, Mode, Report, Severity, SourceInfo
from checker.reporters.markdown import write_markdown
from checker.reporters.sentences import Names, code_span, escape_markdown, place_name, sentence
from checker.rules import RULES, classify


REPOSITORY = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SENTINEL = "MESSAGE-OF-THE-ENGINE"

NONE: frozenset[Direction] = frozenset()
FORWARD = frozenset({Direction.FORWARD})
BACKWARD = frozenset({Direction.BACKWARD})


def make(rule: str, pointer: str | None = "", *, old: Any = None, new: Any = None, keyword: str | None = None,
         old_pointer: Any = "same", new_pointer: Any = "same", breaks: frozenset[Direction] | None = None,
         schema: str = "thing.json", type_name: str | None = "Thing", type_pointer: str | None = "",
         message: str = SENTINEL, operations: tuple[str, ...] = (), side: str | None = None) -> Change:
    """A change as the engine would record it; both pointers default to `pointer`."""
    change = Change(
        rule=rule, breaks=RULES[rule].breaks if breaks is None else breaks, schema=schema,
        old_pointer=pointer if old_pointer == "same" else old_pointer,
        new_pointer=pointer if new_pointer == "same" else new_pointer,
        old_value=old, new_value=new, message=message, keyword=keyword, type_name=type_name,
        type_pointer=type_pointer, operations=operations, side=side,
    )
    return dataclasses.replace(change, severity=classify(change, Mode.FULL))


def api(rule: str, pointer: str, operation: str = "GET /users", side: str | None = "request", **fields: Any) -> Change:
    """A change in an OpenAPI document `api.json`, found through one operation."""
    fields.setdefault("type_name", operation)
    fields.setdefault("type_pointer", None)
    return make(rule, pointer, schema="api.json", operations=(operation,), side=side, **fields)


# One row per rule (two where a closed object or a null changes the words).
SENTENCES = [
    # Documents: named by file, with the type they define.
    (make("schema-added", old_pointer=None), "New document `thing.json` defines `Thing`."),
    (make("schema-removed", new_pointer=None),
     "The document `thing.json` (`Thing`) was removed; producers and consumers that use it can no longer validate against it."),
    # Values: the subject is the subschema holding the keyword, `Thing.status` for /properties/status.
    (make("enum-value-added", "/properties/status", new="done", keyword="enum"),
     "`Thing.status` accepts a new value `done`; old readers reject it."),
    (make("enum-value-removed", "/properties/status", old="done", keyword="enum"),
     "`Thing.status` no longer accepts `done`; old data may carry it."),
    (make("enum-constraint-added", "/properties/status", new=["a", "b"], keyword="enum"),
     "`Thing.status` now accepts only `a` or `b`; old data may hold other values."),
    (make("enum-constraint-removed", "/properties/status", old=["a", "b", "c"], keyword="enum"),
     "`Thing.status` is no longer limited to `a`, `b` or `c`; old readers still reject other values."),
    (make("const-changed", "/properties/kind", old="v1", new="v2", keyword="const"),
     "`Thing.kind` must now be `v2` instead of `v1`; each version rejects the other's value."),
    (make("const-added", "/properties/kind", new=["v1"], keyword="const"),
     "`Thing.kind` must now be `v1`; old data may hold other values."),
    (make("const-removed", "/properties/kind", old=["v1"], keyword="const"),
     "`Thing.kind` no longer has to be `v1`; old readers still accept only that value."),
    # Becoming nullable is recorded as the kind "null" added, with no old value.
    (make("type-widened", "/properties/name", new=["null"], keyword="type"),
     "`Thing.name` now accepts null; old readers reject it."),
    (make("type-widened", "/properties/id", old=["string"], new=["integer", "string"], keyword="type"),
     "`Thing.id` widened its type from `string` to `integer` or `string`; old readers reject `integer` values."),
    # A schema without `type` accepts any type; the engine records that as ["any"].
    (make("type-widened", "/properties/id", old=["string"], new=["any"], keyword="type"),
     "`Thing.id` widened its type from `string` to any type; old readers reject values of other types."),
    (make("type-narrowed", "/properties/name", old=["null"], keyword="type"),
     "`Thing.name` no longer accepts null; old data may hold it."),
    (make("type-narrowed", "/properties/id", old=["integer", "string"], new=["string"], keyword="type"),
     "`Thing.id` narrowed its type from `integer` or `string` to `string`; old data may hold `integer` values."),
    (make("type-changed", "/properties/id", old=["integer"], new=["string"], keyword="type"),
     "`Thing.id` changed its type from `integer` to `string`; each version rejects values the other accepts."),
    # Objects: `required` is held by the object, so the subject is `Thing` itself.
    (make("required-added", new="id", keyword="required"), "`Thing` now requires `id`; old data may lack it."),
    (make("required-removed", old="id", keyword="required"), "`Thing` no longer requires `id`; old readers still expect it."),
    # A property change points at the property; the sentence names the object that has it.
    (make("property-added", old_pointer=None, new_pointer="/properties/note", new="note", keyword="properties"),
     "`Thing` has a new property `note`."),
    (make("property-added", old_pointer=None, new_pointer="/properties/note", new="note", keyword="properties", breaks=FORWARD),
     "`Thing` has a new property `note`; old readers reject it, since the old schema allows no undeclared properties."),
    (make("property-removed", old_pointer="/properties/note", new_pointer=None, old="note", keyword="properties"),
     "`Thing` no longer has the property `note`; readers lose the field."),
    (make("property-removed", old_pointer="/properties/note", new_pointer=None, old="note", keyword="properties", breaks=BACKWARD),
     "`Thing` no longer has the property `note`; old data that has it is rejected, since the new schema allows no undeclared properties."),
    (make("additional-properties-closed", new=False, keyword="additionalProperties"),
     "`Thing` no longer allows properties beyond those listed; old data that has others is rejected."),
    (make("additional-properties-opened", old=False, keyword="additionalProperties"),
     "`Thing` now allows properties beyond those listed."),
    (make("dependent-required-added", new=["card", "billing"], keyword="dependentRequired"),
     "In `Thing`, `card` now requires `billing`; old data may have the first property without the second."),
    (make("dependent-required-removed", old=["card", "billing"], keyword="dependentRequired"),
     "In `Thing`, `card` no longer requires `billing`; old readers still require it."),
    # Arrays: the change points at `items` or `contains`; the subject is the array.
    (make("additional-items-closed", "/properties/tags/items", keyword="items"),
     "`Thing.tags` no longer allows items past the listed ones; old arrays that have them are rejected."),
    # A listed position that now rejects every item; positions count from 1.
    (make("additional-items-closed", "/properties/pair/prefixItems/1", keyword="items"),
     "`Thing.pair` no longer allows items at position `2`; old arrays that have them are rejected."),
    (make("additional-items-opened", "/properties/tags/items", keyword="items"),
     "`Thing.tags` now allows items past the listed ones; old readers reject them."),
    (make("contains-added", old_pointer="/properties/tags", new_pointer="/properties/tags/contains", keyword="contains"),
     "`Thing.tags` must now contain an item that matches its `contains` schema; old arrays may have none."),
    (make("contains-removed", old_pointer="/properties/tags/contains", new_pointer="/properties/tags", keyword="contains"),
     "`Thing.tags` no longer has to contain an item that matches its `contains` schema; old readers still require one."),
    # Bounds: a changed value, a new one, a dropped one, an exclusive flag and uniqueness.
    (make("bound-tightened", "/properties/code", old=128, new=64, keyword="maxLength"),
     "The `maxLength` of `Thing.code` changed from `128` to `64`; old data may fall outside the new bound."),
    (make("bound-tightened", "/properties/code", new=1, keyword="minLength"),
     "`Thing.code` gained a `minLength` of `1`; old data may fall outside the new bound."),
    (make("bound-loosened", "/properties/code", old=128, keyword="maxLength"),
     "`Thing.code` dropped its `maxLength` of `128`; old readers reject values beyond the old bound."),
    (make("bound-tightened", "/properties/count", old=0, new=0, keyword="exclusiveMinimum"),
     "The `exclusiveMinimum` bound `0` of `Thing.count` is now exclusive; old data may fall outside the new bound."),
    (make("bound-tightened", "/properties/tags", old=False, new=True, keyword="uniqueItems"),
     "Items of `Thing.tags` must now be unique; old data may fall outside the new bound."),
    (make("bound-loosened", "/properties/count", old=10, new=20, keyword="maximum"),
     "The `maximum` of `Thing.count` changed from `10` to `20`; old readers reject values beyond the old bound."),
    (make("bound-changed", "/properties/count", old=2, new=3, keyword="multipleOf"),
     "The `multipleOf` of `Thing.count` changed from `2` to `3`; each version accepts numbers the other rejects."),
    (make("pattern-added", "/properties/code", new="^[a-z]+$", keyword="pattern"),
     "`Thing.code` must now match the pattern `^[a-z]+$`; old strings need not match it."),
    (make("pattern-removed", "/properties/code", old="^[a-z]+$", keyword="pattern"),
     "`Thing.code` no longer has to match the pattern `^[a-z]+$`; old readers still apply it."),
    (make("pattern-changed", "/properties/code", old="^a", new="^b", keyword="pattern"),
     "The pattern of `Thing.code` changed from `^a` to `^b`; either version may reject strings the other accepts."),
    (make("format-added", "/properties/at", new="date-time", keyword="format"),
     "`Thing.at` must now have the format `date-time`; old strings need not follow it."),
    (make("format-removed", "/properties/at", old="date-time", keyword="format"),
     "`Thing.at` no longer has the format `date-time`; old readers still expect it."),
    (make("format-changed", "/properties/at", old="date", new="date-time", keyword="format"),
     "The format of `Thing.at` changed from `date` to `date-time`; each format accepts strings the other rejects."),
    # Subschemas.
    (make("subschema-forbidden", "/properties/legacy"), "`Thing.legacy` now rejects every value; old data there is rejected."),
    (make("subschema-allowed", "/properties/legacy"),
     "`Thing.legacy` now accepts values where it rejected all; old readers reject them."),
    (make("not-added", old_pointer="/properties/code", new_pointer="/properties/code/not", keyword="not"),
     "`Thing.code` now rejects values that match a new `not` schema; old data that matches it is rejected."),
    (make("not-removed", old_pointer="/properties/code/not", new_pointer="/properties/code", keyword="not"),
     "`Thing.code` dropped its `not` schema; old readers still reject data that matches it."),
    (make("condition-changed", keyword="if"),
     "The `if` condition of `Thing` changed; data may move between its `then` and `else` schemas."),
    # Composition: a branch change points at the branch; the subject is the schema with the union.
    (make("variant-added", old_pointer=None, new_pointer="/properties/shape/oneOf/2", new='kind="circle"', keyword="oneOf"),
     '`Thing.shape` has a new variant `kind="circle"`; old readers reject data of this variant.'),
    (make("variant-removed", old_pointer="/properties/shape/oneOf/2", new_pointer=None, old='kind="circle"', keyword="oneOf"),
     '`Thing.shape` lost the variant `kind="circle"`; old data of this variant is rejected.'),
    (make("all-of-member-added", old_pointer=None, new_pointer="/allOf/1", new="Audited", keyword="allOf"),
     "`Thing` has a new `allOf` member `Audited`; old data must now match it too."),
    (make("all-of-member-removed", old_pointer="/allOf/1", new_pointer=None, old="Audited", keyword="allOf"),
     "`Thing` dropped the `allOf` member `Audited`; old readers still apply it."),
    (make("composition-added", keyword="anyOf"),
     "`Thing` now has `anyOf` beside its other keywords; old data that matches none of its schemas is rejected."),
    (make("composition-removed", keyword="anyOf"), "`Thing` dropped its `anyOf`; old readers still apply it."),
    (make("one-of-relaxed-to-any-of", "/properties/shape", old="oneOf", new="anyOf", keyword="anyOf"),
     "`Thing.shape` changed `oneOf` to `anyOf`; data that matches several variants is now valid and old readers reject it."),
    (make("any-of-tightened-to-one-of", "/properties/shape", old="anyOf", new="oneOf", keyword="oneOf"),
     "`Thing.shape` changed `anyOf` to `oneOf`; old data that matches several variants is now rejected."),
    # References: a remote reference replaced by a local schema has no new URI.
    (make("remote-ref-changed", "/properties/owner", old="https://schemas.test/owner.json", keyword="$ref"),
     "`Thing.owner` now refers to a local schema instead of `https://schemas.test/owner.json`; "
     "remote references are not fetched, so review the change by hand."),
    (make("definition-added", old_pointer=None, new_pointer="/$defs/Money", new="Money", keyword="$defs"),
     "`Thing` has a new definition `Money`."),
    (make("definition-removed", old_pointer="/$defs/Money", new_pointer=None, old="Money", keyword="$defs"),
     "`Thing` no longer defines `Money`; schemas outside the set may still refer to it."),
    (make("definition-renamed", old_pointer="/$defs/Cash", new_pointer="/$defs/Money", old="Cash", new="Money", keyword="$defs"),
     "`Thing` renamed the definition `Cash` to `Money` with the same content."),
    # OpenAPI operations: the subject is the operation.
    (api("path-added", "/paths/~1users", old_pointer=None, type_name="/users"), "New path `/users`."),
    (api("path-removed", "/paths/~1users", new_pointer=None, type_name="/users"),
     "The path `/users` was removed; old clients still call it and their requests now fail."),
    (api("operation-added", "/paths/~1users/post", "POST /users", old_pointer=None), "New operation `POST /users`."),
    (api("operation-removed", "/paths/~1users/post", "POST /users", new_pointer=None),
     "The operation `POST /users` was removed; old clients still call it and their requests now fail."),
    # The parameter's location and name come from the engine's message.
    (api("parameter-added", "/paths/~1users/get/parameters/0", old_pointer=None, new="limit", keyword="parameters",
         message='optional query parameter "limit" added'),
     "`GET /users` takes a new optional query parameter `limit`."),
    (api("parameter-added", "/paths/~1users/get/parameters/1", old_pointer=None, new="X-Tenant", keyword="parameters",
         breaks=BACKWARD, message='required header parameter "X-Tenant" added; old requests lack it'),
     "`GET /users` now requires a new header parameter `X-Tenant`; old requests lack it."),
    (api("parameter-removed", "/paths/~1users/get/parameters/0", new_pointer=None, old="limit", keyword="parameters",
         message='query parameter "limit" removed'),
     "`GET /users` no longer takes the query parameter `limit`; old clients still send it."),
    (api("parameter-became-required", "/paths/~1users/get/parameters/0", old=False, new=True, keyword="required",
         message='query parameter "limit" is now required'),
     "The query parameter `limit` of `GET /users` is now required; old requests may leave it out."),
    (api("parameter-became-optional", "/paths/~1users/get/parameters/0", old=True, new=False, keyword="required",
         message='query parameter "limit" is now optional'),
     "The query parameter `limit` of `GET /users` is now optional."),
    (api("parameter-moved", "/paths/~1users/get/parameters/0", old="query", new="header", keyword="in",
         message='parameter "tenant" moved from query to header'),
     "The parameter `tenant` of `GET /users` moved from the `query` to the `header`; "
     "old clients send it where the server no longer reads it."),
    (api("request-body-became-required", "/paths/~1users/post/requestBody", "POST /users", old=False, new=True),
     "The request body of `POST /users` is now required; old requests may have none."),
    (api("request-body-became-optional", "/paths/~1users/post/requestBody", "POST /users", old=True, new=False),
     "The request body of `POST /users` is now optional."),
    (api("request-media-type-added", "/paths/~1users/post/requestBody/content/application~1xml", "POST /users",
         old_pointer=None, new="application/xml"),
     "`POST /users` accepts a new request media type `application/xml`."),
    (api("request-media-type-removed", "/paths/~1users/post/requestBody/content/application~1xml", "POST /users",
         new_pointer=None, old="application/xml"),
     "`POST /users` no longer accepts request bodies of media type `application/xml`; old clients still send them."),
    (api("response-media-type-added", "/paths/~1users/get/responses/200/content/text~1csv", side="response",
         old_pointer=None, new="text/csv"),
     "`GET /users` may respond with a new media type `text/csv`; old clients may not be able to read it."),
    (api("response-media-type-removed", "/paths/~1users/get/responses/200/content/text~1csv", side="response",
         new_pointer=None, old="text/csv"),
     "`GET /users` no longer responds with media type `text/csv`; old clients that asked for it no longer get it."),
    # Status codes are shown as written, not as JSON strings.
    (api("response-status-added", "/paths/~1users/get/responses/404", side="response", old_pointer=None, new="404"),
     "`GET /users` may respond with a new status `404`; old clients do not expect it."),
    (api("response-status-removed", "/paths/~1users/get/responses/404", side="response", new_pointer=None, old="404"),
     "`GET /users` no longer responds with status `404`; old clients keep handling a status that no longer comes."),
    (api("operation-id-changed", "/paths/~1users/get", side=None, old="listUsers", new="getUsers", keyword="operationId"),
     "The operation id of `GET /users` changed from `listUsers` to `getUsers`; generated clients name their methods after it."),
    # A component used by an operation names it; one used by none does not.
    (api("component-added", "/components/schemas/Money", old_pointer=None, new="Money", side=None,
         type_name="Money", type_pointer="/components/schemas/Money"),
     "New component schema `Money` (used by `GET /users`)."),
    (make("component-removed", "/components/schemas/Money", schema="api.json", new_pointer=None, old="Money",
          type_name="Money", type_pointer="/components/schemas/Money"),
     "The component schema `Money` was removed; generated clients lose the type."),
    # Meaning.
    (make("default-changed", "/properties/internal", old=False, new=True, keyword="default"),
     "The default of `Thing.internal` changed from `false` to `true`; an omitted value now means `true`."),
    (make("default-added", "/properties/limit", new=10, keyword="default"),
     "`Thing.limit` has a new default `10`; an omitted value now means `10`."),
    (make("default-removed", "/properties/limit", old=10, keyword="default"),
     "`Thing.limit` no longer has the default `10`; an omitted value has no stated meaning any more."),
    (make("read-only-changed", "/properties/id", new=True, keyword="readOnly"),
     "`Thing.id` is now read-only; this decides whether clients may send it."),
    (make("write-only-changed", "/properties/secret", old=True, keyword="writeOnly"),
     "`Thing.secret` is no longer write-only; this decides whether clients receive it."),
    (make("draft-changed", old="http://json-schema.org/draft-07/schema#", new="https://json-schema.org/draft/2020-12/schema",
          keyword="$schema"),
     "The draft of `Thing` changed from `http://json-schema.org/draft-07/schema#` to "
     "`https://json-schema.org/draft/2020-12/schema`; the same keywords can validate differently."),
    (make("id-changed", old="https://schemas.test/a", new="https://schemas.test/b", keyword="$id"),
     "The `$id` of `Thing` changed from `https://schemas.test/a` to `https://schemas.test/b`; "
     "references from outside the set that use the old identifier no longer resolve."),
    # A keyword the draft does not define, added with the value false.
    (make("unjudged-keyword-changed", new=False, keyword="unevaluatedProperties"),
     "The keyword `unevaluatedProperties` of `Thing` was added: `false`; "
     "schema-diff cannot judge this keyword, so review the change by hand."),
    # Annotations: titles are short enough to show; descriptions and examples are not shown.
    (make("deprecated-changed", "/properties/old", new=True, keyword="deprecated"), "`Thing.old` is now deprecated."),
    (make("title-changed", old="Thing", new="Item", keyword="title"), "The title of `Thing` changed from `Thing` to `Item`."),
    (make("description-changed", old="Before.", new="After.", keyword="description"), "The description of `Thing` changed."),
    (make("description-changed", new="After.", keyword="description"), "The description of `Thing` was added."),
    (make("examples-changed", "/properties/code", old=["a"], new=["b"], keyword="examples"),
     "The examples of `Thing.code` changed."),
    (make("comment-changed", old="a", keyword="$comment"), "The `$comment` of `Thing` was removed."),
    (make("extension-changed", old="A", new="B", keyword="x-go-type"), "The extension `x-go-type` of `Thing` changed."),
    (make("annotation-changed", old="text/plain", new="text/html", keyword="contentMediaType"),
     "The annotation `contentMediaType` of `Thing` changed."),
]


@pytest.mark.parametrize(("change", "expected"), SENTENCES, ids=lambda item: item.rule if isinstance(item, Change) else "")
def test_sentence_per_rule(change: Change, expected: str) -> None:
    assert sentence(change) == expected


def test_sentence_for_every_rule() -> None:
    covered = {change.rule for change, _ in SENTENCES}
    assert sorted(set(RULES) - covered) == []
    for change, _ in SENTENCES:
        # The fallback repeats the engine's message; every rule has words of its own.
        assert SENTINEL not in sentence(change), change.rule


def test_sentence_lists_inlined_places() -> None:
    # The example of the release notes: the type's own document, then two inlined copies.
    change = make("enum-value-added", "/properties/agents/additionalProperties/properties/status",
                  schema="devStatus.json", new="teardown-required", keyword="enum", type_name="DeploymentStatus",
                  type_pointer="/properties/agents/additionalProperties/properties/status")
    places = ["deploymentStatus.json", "agentStatus.json at /properties/status",
              "devStatus.json at /properties/agents/additionalProperties/properties/status"]

    text = sentence(change, places, all_places=places)

    assert text == ("`DeploymentStatus` accepts a new value `teardown-required` (also inlined in `AgentStatus.status` "
                    "and `DevStatus.agents.*.status`); old readers reject it.")


def test_sentence_only_in_inlined_copy() -> None:
    # The type's own document did not change, only its copy inside AgentStatus.
    change = make("enum-value-added", "/properties/status", schema="agentStatus.json", new="x", keyword="enum",
                  type_name="DeploymentStatus", type_pointer="/properties/status")

    text = sentence(change, ["agentStatus.json at /properties/status"],
                    all_places=["deploymentStatus.json", "agentStatus.json at /properties/status"])

    assert text == "`DeploymentStatus` accepts a new value `x` (only in the copy inlined in `AgentStatus.status`); old readers reject it."


def test_sentence_counts_places_past_ten() -> None:
    places = ["status.json"] + [f"holder{number:02}.json at /properties/status" for number in range(12)]
    change = make("enum-value-added", schema="status.json", new="x", keyword="enum", type_name="Status")

    text = sentence(change, places)

    assert "`Holder09.status` and 2 more)" in text
    assert "Holder10" not in text


@pytest.mark.parametrize(("place", "expected"), [
    # A document alone is its type, named after the file.
    ("deploymentStatus.json", "DeploymentStatus"),
    # properties -> .name, additionalProperties -> .*
    ("devStatus.json at /properties/agents/additionalProperties/properties/status", "DevStatus.agents.*.status"),
    # items -> [], patternProperties -> .*
    ("list.json at /properties/rows/items/patternProperties/^x-/properties/id", "List.rows[].*.id"),
    # A oneOf branch without a known name -> its position.
    ("alienEvent.json at /oneOf/12/properties/nextState", "AlienEvent[12].nextState"),
    # Escaped pointer tokens are unescaped: ~1 is "/".
    ("paths.json at /properties/a~1b", "Paths.a/b"),
    # A file name that is not one identifier stays as it is.
    ("stack-state.json at /properties/id", "stack-state.json.id"),
])
def test_place_name(place: str, expected: str) -> None:
    assert place_name(place, Names()) == expected


def test_place_name_uses_branch_label() -> None:
    # A change inside the branch carries its name, and a change at the root the document's name.
    inside = make("enum-value-added", "/oneOf/1/properties/kind", schema="event.json", new="x",
                  type_name="Created", type_pointer="/oneOf/1")
    root = make("title-changed", schema="event.json", old="A", new="B", type_name="LifecycleEvent")

    names = Names([inside, root])

    assert place_name("event.json at /oneOf/1/properties/at", names) == "LifecycleEvent[Created].at"


@pytest.mark.parametrize(("text", "expected"), [
    ("plain", "`plain`"),
    # A backtick inside needs a longer fence.
    ("a`b", "``a`b``"),
    # A backtick at an end needs a space inside the fence.
    ("`a", "`` `a ``"),
    # A line break would end the list item; it becomes a space.
    ("a\nb", "`a b`"),
])
def test_code_span(text: str, expected: str) -> None:
    assert code_span(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("a*b_c", "a\\*b\\_c"),
    ("<script>", "\\<script>"),
    ("# not a heading", "\\# not a heading"),
    ("1. not a list", "1\\. not a list"),
    ("1.5.1 is fine", "1.5.1 is fine"),
])
def test_escape_markdown(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected


# The shipped example ------------------------------------------------------------------

#: Worked out from schemas/README.md: eight breaking changes (three DeploymentStatus values,
#: in its own document and inlined as AgentStatus.status, one ResourceStatus value, the
#: AlienError.internal default) on four lines, and one addition. Groups come in name order,
#: values in text order; the semver line is the one the report carries.
EXPECTED_EXAMPLE = """\
# Changes from 1.5.1 to 1.7.1

1.5.1 -> 1.7.1 is a minor release; its 8 breaking changes require 2.0.0.

Mode: `full`.

## Breaking changes

### `AlienError`

- The default of `AlienError.internal` changed from `false` to `true`; an omitted value now means `true`.

### `DeploymentStatus`

- `DeploymentStatus` accepts a new value `preflights-failed` (also inlined in `AgentStatus.status`); old readers reject it.
- `DeploymentStatus` accepts a new value `teardown-failed` (also inlined in `AgentStatus.status`); old readers reject it.
- `DeploymentStatus` accepts a new value `teardown-required` (also inlined in `AgentStatus.status`); old readers reject it.

### `ResourceStatus`

- `ResourceStatus` accepts a new value `teardown-required`; old readers reject it.

## Additions

### `StackImportRequest`

- `StackImportRequest` has a new property `setupMetadata`.
"""


def example_report() -> Report:
    report = checker.compare_paths(REPOSITORY / "schemas" / "1.5.1", REPOSITORY / "schemas" / "1.7.1")
    return dataclasses.replace(
        report,
        old=dataclasses.replace(report.old, version="1.5.1"),
        new=dataclasses.replace(report.new, version="1.7.1"),
        semver="1.5.1 -> 1.7.1 is a minor release; its 8 breaking changes require 2.0.0",
    )


def render(report: Report, **options: Any) -> str:
    stream = io.StringIO()
    write_markdown(report, stream, **options)
    return stream.getvalue()


def test_example_exact_text() -> None:
    assert render(example_report()) == EXPECTED_EXAMPLE


def test_example_is_stable() -> None:
    assert render(example_report()) == render(example_report())


def test_heading_without_versions_names_sources() -> None:
    report = dataclasses.replace(example_report(), old=SourceInfo("schemas/1.5.1"), new=SourceInfo("schemas/1.7.1"), semver=None)

    lines = render(report).splitlines()

    assert lines[:4] == ["# Changes from `schemas/1.5.1` to `schemas/1.7.1`", "", "Mode: `full`.", ""]


# CommonMark ---------------------------------------------------------------------------

def parse(text: str) -> list[Any]:
    return markdown_it.MarkdownIt("commonmark").parse(text)


def headings(tokens: list[Any]) -> list[tuple[str, str]]:
    """Each heading's level and its text, code spans included."""
    found = []
    for position, token in enumerate(tokens):
        if token.type == "heading_open":
            found.append((token.tag, tokens[position + 1].content))
    return found


def test_example_parses_as_intended() -> None:
    tokens = parse(render(example_report()))

    assert headings(tokens) == [
        ("h1", "Changes from 1.5.1 to 1.7.1"),
        ("h2", "Breaking changes"),
        ("h3", "`AlienError`"),
        ("h3", "`DeploymentStatus`"),
        ("h3", "`ResourceStatus`"),
        ("h2", "Additions"),
        ("h3", "`StackImportRequest`"),
    ]
    # One bullet list per group, one item per distinct change.
    items = [token for token in tokens if token.type == "list_item_open"]
    assert len(items) == 6
    assert [token.type for token in tokens].count("bullet_list_open") == 4
    assert not [token for token in tokens if token.type in ("html_block", "html_inline")]


def test_example_code_spans_render() -> None:
    html = markdown_it.MarkdownIt("commonmark").render(render(example_report()))

    assert "<code>DeploymentStatus</code> accepts a new value <code>teardown-required</code>" in html
    assert "(also inlined in <code>AgentStatus.status</code>)" in html


def test_hostile_names_stay_literal() -> None:
    # Names, values and reasons with Markdown and HTML in them must come out as text.
    change = make("enum-value-added", "/properties/a*b", new="`<b>x</b>`", keyword="enum", type_name="T_y|pe", breaks=FORWARD)
    change = dataclasses.replace(change, declared=True, reason="Clients *ignore* <unknown> values & [links](x)")
    report = Report(SourceInfo("a"), SourceInfo("b"), Mode.FULL, (change,), stale=("# stale <one>",))

    html = markdown_it.MarkdownIt("commonmark").render(render(report))

    assert "<code>T_y|pe.a*b</code>" in html
    assert "<code>`&lt;b&gt;x&lt;/b&gt;`</code>" in html
    assert "Declared: Clients *ignore* &lt;unknown&gt; values &amp; [links](x)." in html
    assert "<li># stale &lt;one&gt;</li>" in html
    assert "<em>" not in html
    assert "<a " not in html


# Sections --------------------------------------------------------------------------

def cosmetic_report() -> Report:
    changes = (
        make("enum-value-added", "/properties/status", new="x", keyword="enum"),
        make("description-changed", "/properties/status", old="a", new="b", keyword="description"),
        make("title-changed", old="Thing", new="Item", keyword="title"),
    )
    return Report(SourceInfo("a"), SourceInfo("b"), Mode.FULL, changes)


def test_cosmetic_counted_by_default() -> None:
    text = render(cosmetic_report())

    assert "## Other changes\n\n2 cosmetic changes are not listed: they touch only descriptions, titles, examples or " \
           "other annotations, which do not affect validation. Use `--all` to list them.\n" in text
    assert "The title of" not in text


def test_cosmetic_listed_with_all() -> None:
    text = render(cosmetic_report(), include_cosmetic=True)

    # Inside a group, changes come in the order of their locations: the root before `status`.
    assert text.endswith("## Other changes\n\n### `Thing`\n\n"
                         "- The title of `Thing` changed from `Thing` to `Item`.\n"
                         "- The description of `Thing.status` changed.\n")


def test_sections_in_order() -> None:
    # Potentially breaking before additions before other changes; breaking first.
    changes = (
        make("title-changed", old="A", new="B", keyword="title"),
        make("property-added", old_pointer=None, new_pointer="/properties/n", new="n", keyword="properties"),
        make("property-removed", old_pointer="/properties/o", new_pointer=None, old="o", keyword="properties"),
        make("required-added", new="id", keyword="required"),
    )
    tokens = parse(render(Report(SourceInfo("a"), SourceInfo("b"), Mode.FULL, changes)))

    sections = [text for level, text in headings(tokens) if level == "h2"]
    assert sections == ["Breaking changes", "Potentially breaking changes", "Additions", "Other changes"]


def test_no_changes() -> None:
    text = render(Report(SourceInfo("a"), SourceInfo("b"), Mode.FULL, ()))

    assert text == "# Changes from `a` to `b`\n\nMode: `full`.\n\nNo changes.\n"


def test_declared_reason_shown() -> None:
    change = dataclasses.replace(make("enum-value-added", "/properties/status", new="x", keyword="enum"),
                                 declared=True, reason="Readers treat unknown statuses as pending")
    text = render(Report(SourceInfo("a"), SourceInfo("b"), Mode.FULL, (change,)))

    assert ("- `Thing.status` accepts a new value `x`; old readers reject it. "
            "Declared: Readers treat unknown statuses as pending.\n") in text


def test_stale_declarations_last() -> None:
    report = dataclasses.replace(cosmetic_report(), stale=("enum-value-added for type Gone",))

    text = render(report)

    assert text.endswith("## Warning: stale declarations\n\n"
                         "These declarations in the project file match no change. Remove them, or correct what they match:\n\n"
                         "- enum-value-added for type Gone\n")


def test_inlined_copy_changed_alone() -> None:
    # The type's own document changed only its description, which is cosmetic; the new
    # value is in the inlined copy alone, so the breaking line must say so.
    changes = (
        make("description-changed", schema="deploymentStatus.json", old="a", new="b", keyword="description",
             type_name="DeploymentStatus"),
        make("enum-value-added", "/properties/status", schema="agentStatus.json", new="x", keyword="enum",
             type_name="DeploymentStatus", type_pointer="/properties/status"),
    )
    text = render(Report(SourceInfo("a"), SourceInfo("b"), Mode.FULL, changes))

    assert ("- `DeploymentStatus` accepts a new value `x` (only in the copy inlined in `AgentStatus.status`); "
            "old readers reject it.\n") in text


def test_openapi_grouped_by_operation() -> None:
    changes = (
        api("enum-value-added", "/components/schemas/Status", "GET /jobs", side="response", new="paused",
            keyword="enum", type_name="Status", type_pointer="/components/schemas/Status"),
        api("response-status-added", "/paths/~1jobs/get/responses/404", "GET /jobs", side="response",
            old_pointer=None, new="404"),
    )
    text = render(Report(SourceInfo("a.json"), SourceInfo("b.json"), Mode.FULL, changes))

    assert ("## Breaking changes\n\n### `GET /jobs`\n\n"
            "- `Status` accepts a new value `paused` (in the response of `GET /jobs`); old readers reject it.\n"
            "- `GET /jobs` may respond with a new status `404`; old clients do not expect it.\n") in text


# The size limit ---------------------------------------------------------------------

def large_report() -> Report:
    """3,000 breaking changes in 100 types, 1,000 additions and 500 cosmetic changes."""
    changes = []
    for number in range(3000):
        changes.append(make("enum-value-added", schema=f"type{number % 100:03}.json", new=f"value-{number:04}",
                            keyword="enum", type_name=f"Type{number % 100:03}"))
    for number in range(1000):
        changes.append(make("property-added", old_pointer=None, new_pointer=f"/properties/p{number:04}", new=f"p{number:04}",
                            keyword="properties", schema="added.json", type_name="Added"))
    for number in range(500):
        changes.append(make("description-changed", f"/properties/p{number:04}", old="a", new="b", keyword="description",
                            schema="added.json", type_name="Added"))
    return Report(SourceInfo("old"), SourceInfo("new"), Mode.FULL, tuple(sorted(changes, key=lambda change: change.sort_key)))


def test_size_limit_cuts_and_counts() -> None:
    text = render(large_report(), max_bytes=20_000)

    assert len(text.encode("utf-8")) <= 20_000
    listed = text.count("accepts a new value")
    assert 0 < listed < 3000
    # Every breaking change not listed is counted, and the later sections entirely.
    assert text.endswith("## Not listed\n\n"
                         "The listing stops here to keep these notes short enough for a pull-request comment. Not listed:\n\n"
                         f"- {3000 - listed} breaking changes\n- 1000 additions\n- 500 other changes\n\n"
                         "The JSON and HTML reports list every change.\n")
    tokens = parse(text)
    assert headings(tokens)[-1] == ("h2", "Not listed")


def test_size_limit_mid_additions() -> None:
    # Room for every breaking change but not every addition.
    full = render(large_report(), max_bytes=10_000_000)
    breaking_end = full.index("## Additions")
    text = render(large_report(), max_bytes=breaking_end + 5_000)

    listed = text.count("has a new property")
    assert text.count("accepts a new value") == 3000
    assert 0 < listed < 1000
    assert f"- {1000 - listed} additions\n- 500 other changes\n" in text
    assert "breaking changes\n" not in text.split("## Not listed")[1]


def test_size_limit_not_reached() -> None:
    text = render(large_report(), max_bytes=10_000_000)

    assert text.count("accepts a new value") == 3000
    assert text.count("has a new property") == 1000
    assert "## Not listed" not in text


def test_default_limit_fits_comment() -> None:
    text = render(large_report())

    assert len(text.encode("utf-8")) <= 60_000
    assert "## Not listed" in text


# The real corpus --------------------------------------------------------------------

ALIEN = CORPUS / "alien"


@pytest.mark.skipif(not (ALIEN / "v1.5.1").is_dir(), reason="the alien corpus is absent (../shared/corpus/alien)")
def test_alien_release_notes() -> None:
    report = checker.compare_paths(ALIEN / "v1.5.1" / "schemas", ALIEN / "v1.7.1" / "schemas")

    text = render(report)

    lines = text.splitlines()
    # DeploymentStatus: one group, its three new values, each with both inlined copies.
    assert lines.count("### `DeploymentStatus`") == 1
    for added in ("preflights-failed", "teardown-failed", "teardown-required"):
        assert (f"- `DeploymentStatus` accepts a new value `{added}` (also inlined in `AgentStatus.status` and "
                "`DevStatus.agents.*.status`); old readers reject it.") in lines
    # ResourceStatus: one group and one line that names its six inlined copies.
    assert lines.count("### `ResourceStatus`") == 1
    resource = [line for line in lines if line.startswith("- `ResourceStatus` accepts a new value `teardown-required`")]
    assert len(resource) == 1
    for place in ("`AlienEvent[12].nextState.resources.*.status`", "`StackImportResponse.stackState.resources.*.status`",
                  "`StackResourceState.status`", "`StackState.resources.*.status`"):
        assert place in resource[0]
    # setupMetadata is the only addition.
    additions = text.split("## Additions\n\n")[1]
    assert additions == "### `StackImportRequest`\n\n- `StackImportRequest` has a new property `setupMetadata`.\n"
    assert text.index("## Breaking changes") < text.index("## Additions")
