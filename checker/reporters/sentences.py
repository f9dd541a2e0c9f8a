"""Sentences a person would write about a change, for the Markdown and HTML release notes.

A sentence is built as a sequence of parts: plain text, and `Code` for names, values and
locations. `markdown_inline` and `html_inline` render the same parts for each format, so
both reports show the same content.

Locations are written the way a reader thinks of them: the pointer
`/properties/agents/additionalProperties/properties/status` inside the document whose type
is `DevStatus` becomes `DevStatus.agents.*.status`.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from checker.jsonvalues import printable
from checker.model import Change, Direction, Mode, Report, Severity, SourceInfo
from checker.positions import pointer_tokens
from checker.reporters.text import Entry, entry_key, group_changes

#: Names and places listed in one sentence before the rest is counted ("and 3 more").
MAX_LISTED = 10
#: Maximum length of a value shown in a sentence, in characters. Longer values end in "...".
MAX_VALUE_LENGTH = 80

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclasses.dataclass(frozen=True)
class Code:
    """A name, value or location, shown as code."""

    text: str


Part = str | Code
Parts = tuple[Part, ...]


# Rendering --------------------------------------------------------------------------

#: Characters with a meaning in CommonMark (or GitHub's tables and strikethrough) anywhere in a line.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<&|~])")
#: Markers that open a heading, quote, list or setext underline, only at the start of a line.
_MARKDOWN_LINE_START = re.compile(r"^([#>+=-]|\d{1,9}[.)](?=\s|$))")


def escape_markdown(text: str, line_start: bool = True) -> str:
    """Escape plain text so that CommonMark shows it literally, on one line.

    With `line_start` the text is taken to begin a line (or a list item), where a few more
    characters open blocks.
    """
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))
    if not line_start:
        return text
    # Leading spaces could turn the line into an indented code block.
    return _MARKDOWN_LINE_START.sub(lambda match: _escape_start(match.group(1)), text.lstrip())


def _escape_start(token: str) -> str:
    # A backslash before the marker's punctuation keeps it from opening a block.
    return token[:-1] + "\\" + token[-1]


def code_span(text: str) -> str:
    """Write `text` as a CommonMark code span that shows it literally, whatever backticks it contains."""
    text = re.sub(r"\s+", " ", text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    # A space on each side keeps a leading or trailing backtick apart from the fence.
    padded = f" {text} " if text.startswith("`") or text.endswith("`") or not text.strip() else text
    return f"{fence}{padded}{fence}"


def markdown_inline(parts: Iterable[Part], line_start: bool = True) -> str:
    """Render parts as one line of CommonMark; `line_start` when the line (or list item) begins with them."""
    # Control characters from a schema (NUL, ESC, ...) are shown escaped, never passed through.
    rendered = []
    for position, part in enumerate(parts):
        if isinstance(part, Code):
            rendered.append(code_span(printable(part.text)))
        else:
            rendered.append(escape_markdown(printable(part), line_start and position == 0))
    return "".join(rendered)


def html_inline(parts: Iterable[Part]) -> str:
    """Render parts as HTML phrasing content, every character escaped."""
    return "".join(f"<code>{html.escape(printable(part.text))}</code>" if isinstance(part, Code) else html.escape(printable(part)) for part in parts)


def plain_text(parts: Iterable[Part]) -> str:
    """Render parts without markup, for a page title or a log."""
    return "".join(part.text if isinstance(part, Code) else part for part in parts)


# Values and lists ---------------------------------------------------------------------

def value(item: Any) -> Code:
    """Show a JSON value as code: a string as written, unless it would read as another value."""
    if isinstance(item, str) and item and item == item.strip() and not _reads_as_json(item):
        text = item
    else:
        text = json.dumps(item, sort_keys=True, ensure_ascii=False)
    if len(text) > MAX_VALUE_LENGTH:
        text = text[:MAX_VALUE_LENGTH - 3] + "..."
    return Code(text)


def _reads_as_json(text: str) -> bool:
    # "true", "null" and "42" as strings would be shown like the boolean, null and number.
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def listing(items: Sequence[Parts], conjunction: str = "and") -> Parts:
    """Join items as "a, b and c", counting those past `MAX_LISTED`."""
    shown = list(items[:MAX_LISTED])
    hidden = len(items) - len(shown)
    if hidden:
        shown.append((f"{hidden} more",))
    joined: list[Part] = []
    for position, item in enumerate(shown):
        if position == len(shown) - 1 and position > 0:
            joined.append(f" {conjunction} ")
        elif position > 0:
            joined.append(", ")
        joined.extend(item)
    return tuple(joined)


def values(items: Sequence[Any], conjunction: str = "and") -> Parts:
    """Show JSON values as code, joined as "a, b and c"."""
    return listing([(value(item),) for item in items], conjunction)


# Locations ---------------------------------------------------------------------------

class Names:
    """The named types a report mentions, used to name documents and union branches in locations.

    The report carries no documents. A document's own type is known only when some change
    sits directly in it, and is otherwise guessed from the file name.
    """

    def __init__(self, changes: Iterable[Change] = ()) -> None:
        self._types: dict[tuple[str, str], str] = {}
        for change in changes:
            if change.type_name and change.type_pointer is not None and not is_openapi(change):
                self._types.setdefault((change.schema, change.type_pointer), change.type_name)

    def root(self, schema: str) -> str:
        """Return the name of a document's own type."""
        return self._types.get((schema, "")) or name_from_file(schema)

    def label(self, schema: str, pointer: str) -> str | None:
        """Return the name of the subschema at a pointer, if a change there carries one."""
        return self._types.get((schema, pointer))


def name_from_file(schema: str) -> str:
    """Guess a document's type from its file name: `agentStatus.json` defines `AgentStatus`.

    NOTE: this follows the convention of generated schema sets (one type per file, named
    after the type in camelCase); a file named any other way keeps its file name.
    """
    stem = schema.rsplit("/", 1)[-1].split(".", 1)[0]
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", stem):
        return stem[0].upper() + stem[1:]
    return schema


_UNIONS = ("oneOf", "anyOf", "allOf")
_OBJECT_CHILDREN = ("additionalProperties", "unevaluatedProperties")
_NAMED_CHILDREN = ("patternProperties",)


def reader_path(tokens: Sequence[str], label: Callable[[int], str | None] = lambda end: None) -> str:
    """Write reference tokens as a reader's path: `.name`, `.*`, `[]`, `[N]` or a branch's label.

    `label(end)` names the subschema that `tokens[:end]` leads to, when it has a name.
    """
    path, position = "", 0
    while position < len(tokens):
        token = tokens[position]
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        if token == "properties" and following is not None:
            path, position = path + "." + following, position + 2
        elif token in _NAMED_CHILDREN and following is not None:
            path, position = path + ".*", position + 2
        elif token in _OBJECT_CHILDREN:
            path, position = path + ".*", position + 1
        elif token in ("items", "prefixItems") and following is not None and following.isdigit():
            path, position = path + f"[{following}]", position + 2
        elif token in ("items", "additionalItems", "unevaluatedItems"):
            path, position = path + "[]", position + 1
        elif token in _UNIONS and following is not None and following.isdigit():
            path, position = path + f"[{label(position + 2) or following}]", position + 2
        elif token in ("$defs", "definitions", "dependentSchemas", "dependencies") and following is not None:
            path, position = path + f".{token}.{following}", position + 2
        else:
            path, position = path + f"[{token}]", position + 1
    return path


def _is_definition(pointer: str) -> bool:
    tokens = pointer_tokens(pointer)
    if len(tokens) >= 2 and tokens[-2] in ("$defs", "definitions"):
        return True
    return len(tokens) == 3 and tokens[:2] == ["components", "schemas"]


def split_place(place: str) -> tuple[str, str]:
    """Split a place of `checker.reporters.text.group_changes` into document and pointer."""
    document, _, pointer = place.partition(" at ")
    return document, pointer


def place_name(place: str, names: Names) -> str:
    """Write a place as a reader's path: `agentStatus.json at /properties/status` is `AgentStatus.status`."""
    document, pointer = split_place(place)
    tokens = pointer_tokens(pointer)
    return names.root(document) + reader_path(tokens, lambda end: names.label(document, _pointer(tokens[:end])))


def _pointer(tokens: Sequence[str]) -> str:
    return "".join("/" + token.replace("~", "~0").replace("/", "~1") for token in tokens)


# OpenAPI ---------------------------------------------------------------------------

#: Rules whose subject is an operation or path rather than a schema.
OPERATION_RULES = frozenset({
    "path-added", "path-removed", "operation-added", "operation-removed", "parameter-added", "parameter-removed",
    "parameter-became-required", "parameter-became-optional", "parameter-moved", "request-body-became-required",
    "request-body-became-optional", "request-media-type-added", "request-media-type-removed",
    "response-media-type-added", "response-media-type-removed", "response-status-added", "response-status-removed",
    "operation-id-changed", "component-added", "component-removed",
})


def is_openapi(change: Change) -> bool:
    """Check whether a change comes from an OpenAPI document rather than a JSON Schema."""
    if change.operations or change.side is not None or change.rule in OPERATION_RULES:
        return True
    return (change.type_pointer or "").startswith(("/paths/", "/components/"))


def operation_group(change: Change) -> str:
    """Choose the heading an OpenAPI change is listed under: its operation, else its component or path."""
    if len(change.operations) == 1:
        return change.operations[0]
    tokens = pointer_tokens(_pointer_of(change))
    if len(tokens) >= 3 and tokens[0] == "components":
        return tokens[2]
    if len(tokens) >= 2 and tokens[0] == "paths":
        return tokens[1]
    return change.type_name or change.schema


def _openapi_subject(schema: str, pointer: str) -> Parts:
    tokens = pointer_tokens(pointer)
    if len(tokens) >= 3 and tokens[0] == "components":
        return (Code(tokens[2] + reader_path(_schema_tokens(tokens[3:]))),)
    if len(tokens) >= 2 and tokens[0] == "paths":
        return _path_subject(tokens[1], tokens[2:])
    return (Code(f"{schema}#{pointer}"),)


def _schema_tokens(tokens: Sequence[str]) -> Sequence[str]:
    # Parameters, bodies and responses hold their schema under `schema` (or `content/TYPE/schema`).
    if "schema" in tokens[:3]:
        return tokens[tokens.index("schema") + 1:]
    return tokens


def _path_subject(path: str, rest: Sequence[str]) -> Parts:
    if rest and rest[0] in HTTP_METHODS:
        operation, rest = Code(f"{rest[0].upper()} {path}"), rest[1:]
    else:
        operation = Code(path)
    if not rest:
        return (operation,)
    if rest[0] == "requestBody":
        part: Parts = ("the request body of ", operation)
    elif rest[0] == "responses" and len(rest) > 1:
        part = ("the ", Code(rest[1]), " response of ", operation)
    elif rest[0] == "parameters" and len(rest) > 1 and rest[1].isdigit():
        part = (f"parameter {int(rest[1]) + 1} of ", operation)
    else:
        return (Code(f"{plain_text((operation,))} {reader_path(rest)}"),)
    inner = reader_path(_schema_tokens(rest[2:] if rest[0] != "requestBody" else rest[1:])).removeprefix(".")
    return (Code(inner), " in ", *part) if inner else part


def operation_label(change: Change) -> Code:
    """Name the operation (or, failing that, the path) a change belongs to, as `POST /v1/stack/import`."""
    if change.operations:
        return Code(change.operations[0])
    tokens = pointer_tokens(_pointer_of(change))
    if len(tokens) >= 3 and tokens[0] == "paths" and tokens[2] in HTTP_METHODS:
        return Code(f"{tokens[2].upper()} {tokens[1]}")
    if len(tokens) >= 2 and tokens[0] == "paths":
        return Code(tokens[1])
    return Code(change.type_name or change.schema)


def operations_clause(change: Change) -> Parts:
    """Write where an OpenAPI schema change is read: "in the response of `POST /v1/stack/import`"."""
    if not change.operations or _pointer_of(change).startswith("/paths/"):
        # A location inside an operation names the operation already.
        return ()
    side = {"request": "request", "response": "response", "both": "request and response"}.get(change.side or "")
    where = f"in the {side} of " if side else "in "
    return (where, *listing([(Code(operation),) for operation in change.operations]))


# Subjects ---------------------------------------------------------------------------

def _pointer_of(change: Change) -> str:
    return change.new_pointer if change.new_pointer is not None else change.old_pointer or ""


def _strip_child(pointer: str, rule: str) -> str:
    # Some rules point at the child they add or remove; the sentence names its parent.
    tokens = pointer_tokens(pointer)
    parents = {
        "property-added": ("properties",), "property-removed": ("properties",),
        "variant-added": ("oneOf", "anyOf"), "variant-removed": ("oneOf", "anyOf"),
        "all-of-member-added": ("allOf",), "all-of-member-removed": ("allOf",),
        "definition-added": ("$defs", "definitions"), "definition-removed": ("$defs", "definitions"),
        "definition-renamed": ("$defs", "definitions"),
        "additional-items-closed": ("items", "prefixItems"), "additional-items-opened": ("items", "prefixItems"),
    }.get(rule, ())
    if len(tokens) >= 2 and tokens[-2] in parents:
        return _pointer(tokens[:-2])
    keywords = {"contains-added": "contains", "contains-removed": "contains", "not-added": "not", "not-removed": "not",
                "additional-items-closed": "items additionalItems", "additional-items-opened": "items additionalItems"}
    if tokens and tokens[-1] in keywords.get(rule, "").split():
        return _pointer(tokens[:-1])
    return pointer


def subject(change: Change, names: Names) -> Parts:
    """Name what a change is about, as a reader would: a type, a place inside it, or an operation."""
    pointer = _strip_child(_pointer_of(change), change.rule)
    if change.rule in OPERATION_RULES:
        return (operation_label(change),)
    if is_openapi(change):
        return _openapi_subject(change.schema, pointer)
    type_pointer = change.type_pointer
    if change.type_name and type_pointer is not None and (pointer == type_pointer or pointer.startswith(type_pointer + "/")):
        root, inner = change.type_name, pointer[len(type_pointer):]
        base = pointer_tokens(type_pointer)
    else:
        root, inner, base = names.root(change.schema), pointer, []
    tokens = pointer_tokens(inner)
    return (Code(root + reader_path(tokens, lambda end: names.label(change.schema, _pointer([*base, *tokens[:end]])))),)


def places_clause(places: Sequence[str], names: Names, all_places: Sequence[str] = ()) -> Parts:
    """Write where else a type's change occurs: "also inlined in `AgentStatus.status`".

    `places` are the places where this change occurs, as `group_changes` writes them, and
    `all_places` are those where its type occurs. A type's own document or definition comes first.
    """
    unique = list(dict.fromkeys(places))
    defined = [place for place in unique if _is_definition_place(place)]
    inlined = [(Code(place_name(place, names)),) for place in unique if not _is_definition_place(place)]
    others = [(Code(place_name(place, names)),) for place in defined[1:]]
    if not defined:
        if not inlined:
            return ()
        only = any(_is_definition_place(place) for place in all_places)
        return ("only in the copy inlined in " if only else "inlined in ", *listing(inlined))
    clauses = []
    if inlined:
        clauses.append(("also inlined in ", *listing(inlined)))
    if others:
        clauses.append(("also defined in ", *listing(others)))
    return tuple(part for position, clause in enumerate(clauses) for part in ((", ",) if position else ()) + clause)


def _is_definition_place(place: str) -> bool:
    _, pointer = split_place(place)
    return not pointer or _is_definition(pointer)


# The sentence per rule -----------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Facts:
    """The values a rule's sentence is built from."""

    change: Change
    subject: Parts

    @property
    def old(self) -> Any:
        return self.change.old_value

    @property
    def new(self) -> Any:
        return self.change.new_value

    @property
    def keyword(self) -> Code:
        return Code(self.change.keyword or "")

    @property
    def closed(self) -> bool:
        """Whether the rule's closed-object directions apply (a closed object, a required parameter)."""
        return bool(self.change.breaks)


#: A sentence: the main clause, and the consequence after the semicolon (or nothing).
Sentence = tuple[Parts, Parts]
Writer = Callable[[Facts], Sentence]


def _kinds(kinds: Any) -> Parts:
    if not isinstance(kinds, list) or kinds == ["any"]:
        return ("any type",)
    return values(kinds, "or")


def _kinds_between(kinds: Any, others: Any) -> Parts:
    # The kinds one side has and the other lacks, as "`integer` values".
    if kinds == ["any"]:
        return ("values of other types",)
    return (*values([kind for kind in kinds or [] if kind not in (others or [])], "or"), " values")


def _type_widened(facts: Facts) -> Sentence:
    if facts.new == ["null"] and facts.old is None:
        return (*facts.subject, " now accepts null"), ("old readers reject it",)
    return ((*facts.subject, " widened its type from ", *_kinds(facts.old), " to ", *_kinds(facts.new)),
            ("old readers reject ", *_kinds_between(facts.new, facts.old)))


def _type_narrowed(facts: Facts) -> Sentence:
    if facts.old == ["null"] and facts.new is None:
        return (*facts.subject, " no longer accepts null"), ("old data may hold it",)
    return ((*facts.subject, " narrowed its type from ", *_kinds(facts.old), " to ", *_kinds(facts.new)),
            ("old data may hold ", *_kinds_between(facts.old, facts.new)))


def _one_or_list(items: Any) -> Parts:
    listed = items if isinstance(items, list) else [items]
    return (value(listed[0]),) if len(listed) == 1 else ("one of ", *values(listed, "or"))


def _bound(facts: Facts) -> Parts:
    name = facts.keyword
    if facts.change.keyword == "uniqueItems":
        return ("items of ", *facts.subject, " must now be unique") if facts.new else ("items of ", *facts.subject, " may now repeat")
    if facts.old is None:
        return (*facts.subject, " gained a ", name, " of ", value(facts.new))
    if facts.new is None:
        return (*facts.subject, " dropped its ", name, " of ", value(facts.old))
    if facts.old == facts.new:
        exclusive = "exclusive" if facts.change.rule == "bound-tightened" else "inclusive"
        return ("the ", name, " bound ", value(facts.new), " of ", *facts.subject, f" is now {exclusive}")
    return ("the ", name, " of ", *facts.subject, " changed from ", value(facts.old), " to ", value(facts.new))


def _items(facts: Facts, verb: str, consequence: Parts) -> Sentence:
    # A listed position (`prefixItems/N`, or draft 4's `items/N`) or the items past the listed ones.
    tokens = pointer_tokens(_pointer_of(facts.change))
    if len(tokens) >= 2 and tokens[-2] in ("items", "prefixItems") and tokens[-1].isdigit():
        return (*facts.subject, verb, " items at position ", Code(str(int(tokens[-1]) + 1))), consequence
    return (*facts.subject, verb, " items past the listed ones"), consequence


def _changed(what: Parts, facts: Facts, show_values: bool = True) -> Parts:
    # An annotation or setting that appeared, disappeared or changed its value.
    if facts.old is None and facts.new is not None:
        return (*what, " was added") + ((": ", value(facts.new)) if show_values else ())
    if facts.new is None and facts.old is not None:
        return (*what, " was removed") + ((": ", value(facts.old)) if show_values else ())
    if show_values:
        return (*what, " changed from ", value(facts.old), " to ", value(facts.new))
    return (*what, " changed")


def _of(what: Parts, facts: Facts) -> Parts:
    return ("the ", *what, " of ", *facts.subject)


_ANNOTATION_WORDS = {"title": "title", "description": "description", "summary": "summary",
                     "examples": "examples", "example": "example"}


def _annotation(facts: Facts, show_values: bool) -> Sentence:
    keyword = facts.change.keyword or ""
    word: Parts = (_ANNOTATION_WORDS[keyword],) if keyword in _ANNOTATION_WORDS else (facts.keyword,)
    return _changed(_of(word, facts), facts, show_values), ()


def _flag(facts: Facts, adjective: str, consequence: Parts) -> Sentence:
    state = " is now " if facts.new is True else " is no longer "
    return (*facts.subject, state, adjective), consequence


def _parameter(facts: Facts) -> tuple[str, Code]:
    """Read the location word and name of an OpenAPI parameter from the change's message."""
    # NOTE: the parameter's `in` and name reach the change only through its message.
    match = re.search(r'\b(?:(query|header|path|cookie) )?parameter ("(?:[^"\\]|\\.)*")', facts.change.message)
    if match is None:
        name = facts.new if facts.change.rule == "parameter-added" else facts.old
        return "", value(name) if facts.change.rule in ("parameter-added", "parameter-removed") else Code("?")
    return (match.group(1) + " " if match.group(1) else ""), value(json.loads(match.group(2)))


def _parameter_added(facts: Facts) -> Sentence:
    where, name = _parameter(facts)
    if Direction.BACKWARD in facts.change.breaks:
        return (*facts.subject, f" now requires a new {where}parameter ", name), ("old requests lack it",)
    return (*facts.subject, f" takes a new optional {where}parameter ", name), ()


def _parameter_state(facts: Facts, state: str, consequence: Parts) -> Sentence:
    where, name = _parameter(facts)
    return (f"the {where}parameter ", name, " of ", *facts.subject, f" is now {state}"), consequence


def _operation_path(facts: Facts) -> Code:
    tokens = pointer_tokens(_pointer_of(facts.change))
    return Code(tokens[1] if len(tokens) > 1 and tokens[0] == "paths" else facts.change.type_name or "")


def _dependency(facts: Facts, names: Any, verb: str, consequence: Parts) -> Sentence:
    trigger, name = names if isinstance(names, list) and len(names) == 2 else (None, None)
    return ("in ", *facts.subject, ", ", value(trigger), verb, value(name)), consequence


def _with_ref(uri: Any) -> Parts:
    return (value(uri),) if uri is not None else ("a local schema",)


SENTENCES: dict[str, Writer] = {
    # Documents.
    "schema-added": lambda f: (("new document ", Code(f.change.schema),
                                *((" defines ", Code(f.change.type_name)) if f.change.type_name else ())), ()),
    "schema-removed": lambda f: (("the document ", Code(f.change.schema),
                                  *((" (", Code(f.change.type_name), ")") if f.change.type_name else ()), " was removed"),
                                 ("producers and consumers that use it can no longer validate against it",)),
    # Values.
    "enum-value-added": lambda f: ((*f.subject, " accepts a new value ", value(f.new)), ("old readers reject it",)),
    "enum-value-removed": lambda f: ((*f.subject, " no longer accepts ", value(f.old)), ("old data may carry it",)),
    "enum-constraint-added": lambda f: ((*f.subject, " now accepts only ", *values(f.new or [], "or")),
                                        ("old data may hold other values",)),
    "enum-constraint-removed": lambda f: ((*f.subject, " is no longer limited to ", *values(f.old or [], "or")),
                                          ("old readers still reject other values",)),
    "const-changed": lambda f: ((*f.subject, " must now be ", value(f.new), " instead of ", value(f.old)),
                                ("each version rejects the other's value",)),
    "const-added": lambda f: ((*f.subject, " must now be ", *_one_or_list(f.new)), ("old data may hold other values",)),
    "const-removed": lambda f: ((*f.subject, " no longer has to be ", *_one_or_list(f.old)),
                                ("old readers still accept only that value",)),
    "type-widened": _type_widened,
    "type-narrowed": _type_narrowed,
    "type-changed": lambda f: ((*f.subject, " changed its type from ", *_kinds(f.old), " to ", *_kinds(f.new)),
                               ("each version rejects values the other accepts",)),
    # Objects.
    "required-added": lambda f: ((*f.subject, " now requires ", value(f.new)), ("old data may lack it",)),
    "required-removed": lambda f: ((*f.subject, " no longer requires ", value(f.old)), ("old readers still expect it",)),
    "property-added": lambda f: ((*f.subject, " has a new property ", value(f.new)),
                                 ("old readers reject it, since the old schema allows no undeclared properties",) if f.closed else ()),
    "property-removed": lambda f: ((*f.subject, " no longer has the property ", value(f.old)),
                                   ("old data that has it is rejected, since the new schema allows no undeclared properties",)
                                   if f.closed else ("readers lose the field",)),
    "additional-properties-closed": lambda f: ((*f.subject, " no longer allows properties beyond those listed"),
                                               ("old data that has others is rejected",)),
    "additional-properties-opened": lambda f: ((*f.subject, " now allows properties beyond those listed"), ()),
    "dependent-required-added": lambda f: _dependency(f, f.new, " now requires ",
                                                      ("old data may have the first property without the second",)),
    "dependent-required-removed": lambda f: _dependency(f, f.old, " no longer requires ", ("old readers still require it",)),
    # Arrays.
    "additional-items-closed": lambda f: _items(f, " no longer allows", ("old arrays that have them are rejected",)),
    "additional-items-opened": lambda f: _items(f, " now allows", ("old readers reject them",)),
    "contains-added": lambda f: ((*f.subject, " must now contain an item that matches its ", Code("contains"), " schema"),
                                 ("old arrays may have none",)),
    "contains-removed": lambda f: ((*f.subject, " no longer has to contain an item that matches its ", Code("contains"), " schema"),
                                   ("old readers still require one",)),
    # Bounds, patterns and formats.
    "bound-tightened": lambda f: (_bound(f), ("old data may fall outside the new bound",)),
    "bound-loosened": lambda f: (_bound(f), ("old readers reject values beyond the old bound",)),
    "bound-changed": lambda f: (_bound(f), ("each version accepts numbers the other rejects",)),
    "pattern-added": lambda f: ((*f.subject, " must now match the pattern ", value(f.new)), ("old strings need not match it",)),
    "pattern-removed": lambda f: ((*f.subject, " no longer has to match the pattern ", value(f.old)),
                                  ("old readers still apply it",)),
    "pattern-changed": lambda f: (("the pattern of ", *f.subject, " changed from ", value(f.old), " to ", value(f.new)),
                                  ("either version may reject strings the other accepts",)),
    "format-added": lambda f: ((*f.subject, " must now have the format ", value(f.new)), ("old strings need not follow it",)),
    "format-removed": lambda f: ((*f.subject, " no longer has the format ", value(f.old)), ("old readers still expect it",)),
    "format-changed": lambda f: (("the format of ", *f.subject, " changed from ", value(f.old), " to ", value(f.new)),
                                 ("each format accepts strings the other rejects",)),
    # Subschemas.
    "subschema-forbidden": lambda f: ((*f.subject, " now rejects every value"), ("old data there is rejected",)),
    "subschema-allowed": lambda f: ((*f.subject, " now accepts values where it rejected all"), ("old readers reject them",)),
    "not-added": lambda f: ((*f.subject, " now rejects values that match a new ", Code("not"), " schema"),
                            ("old data that matches it is rejected",)),
    "not-removed": lambda f: ((*f.subject, " dropped its ", Code("not"), " schema"),
                              ("old readers still reject data that matches it",)),
    "condition-changed": lambda f: (("the ", Code("if"), " condition of ", *f.subject, " changed"),
                                    ("data may move between its ", Code("then"), " and ", Code("else"), " schemas")),
    # Composition.
    "variant-added": lambda f: ((*f.subject, " has a new variant ", value(f.new)), ("old readers reject data of this variant",)),
    "variant-removed": lambda f: ((*f.subject, " lost the variant ", value(f.old)), ("old data of this variant is rejected",)),
    "all-of-member-added": lambda f: ((*f.subject, " has a new ", Code("allOf"), " member ", value(f.new)),
                                      ("old data must now match it too",)),
    "all-of-member-removed": lambda f: ((*f.subject, " dropped the ", Code("allOf"), " member ", value(f.old)),
                                        ("old readers still apply it",)),
    "composition-added": lambda f: ((*f.subject, " now has ", f.keyword, " beside its other keywords"),
                                    ("old data that matches none of its schemas is rejected",)),
    "composition-removed": lambda f: ((*f.subject, " dropped its ", f.keyword), ("old readers still apply it",)),
    "one-of-relaxed-to-any-of": lambda f: ((*f.subject, " changed ", Code("oneOf"), " to ", Code("anyOf")),
                                           ("data that matches several variants is now valid and old readers reject it",)),
    "any-of-tightened-to-one-of": lambda f: ((*f.subject, " changed ", Code("anyOf"), " to ", Code("oneOf")),
                                             ("old data that matches several variants is now rejected",)),
    # References.
    "remote-ref-changed": lambda f: ((*f.subject, " now refers to ", *_with_ref(f.new), " instead of ", *_with_ref(f.old)),
                                     ("remote references are not fetched, so review the change by hand",)),
    "definition-added": lambda f: ((*f.subject, " has a new definition ", value(f.new)), ()),
    "definition-removed": lambda f: ((*f.subject, " no longer defines ", value(f.old)),
                                     ("schemas outside the set may still refer to it",)),
    "definition-renamed": lambda f: ((*f.subject, " renamed the definition ", value(f.old), " to ", value(f.new),
                                      " with the same content"), ()),
    # OpenAPI operations.
    "path-added": lambda f: (("new path ", _operation_path(f)), ()),
    "path-removed": lambda f: (("the path ", _operation_path(f), " was removed"),
                               ("old clients still call it and their requests now fail",)),
    "operation-added": lambda f: (("new operation ", operation_label(f.change)), ()),
    "operation-removed": lambda f: (("the operation ", operation_label(f.change), " was removed"),
                                    ("old clients still call it and their requests now fail",)),
    "parameter-added": _parameter_added,
    "parameter-removed": lambda f: ((*f.subject, f" no longer takes the {_parameter(f)[0]}parameter ", _parameter(f)[1]),
                                    ("old clients still send it",)),
    "parameter-became-required": lambda f: _parameter_state(f, "required", ("old requests may leave it out",)),
    "parameter-became-optional": lambda f: _parameter_state(f, "optional", ()),
    "parameter-moved": lambda f: (("the parameter ", _parameter(f)[1], " of ", *f.subject, " moved from the ", value(f.old),
                                   " to the ", value(f.new)), ("old clients send it where the server no longer reads it",)),
    "request-body-became-required": lambda f: (("the request body of ", *f.subject, " is now required"),
                                               ("old requests may have none",)),
    "request-body-became-optional": lambda f: (("the request body of ", *f.subject, " is now optional"), ()),
    "request-media-type-added": lambda f: ((*f.subject, " accepts a new request media type ", value(f.new)), ()),
    "request-media-type-removed": lambda f: ((*f.subject, " no longer accepts request bodies of media type ", value(f.old)),
                                             ("old clients still send them",)),
    "response-media-type-added": lambda f: ((*f.subject, " may respond with a new media type ", value(f.new)),
                                            ("old clients may not be able to read it",)),
    "response-media-type-removed": lambda f: ((*f.subject, " no longer responds with media type ", value(f.old)),
                                              ("old clients that asked for it no longer get it",)),
    "response-status-added": lambda f: ((*f.subject, " may respond with a new status ", Code(str(f.new))),
                                        ("old clients do not expect it",)),
    "response-status-removed": lambda f: ((*f.subject, " no longer responds with status ", Code(str(f.old))),
                                          ("old clients keep handling a status that no longer comes",)),
    "operation-id-changed": lambda f: (_changed(_of(("operation id",), f), f),
                                       ("generated clients name their methods after it",)),
    "component-added": lambda f: (("new component schema ", value(f.new)), ()),
    "component-removed": lambda f: (("the component schema ", value(f.old), " was removed"),
                                    ("generated clients lose the type",)),
    # Meaning.
    "default-changed": lambda f: (("the default of ", *f.subject, " changed from ", value(f.old), " to ", value(f.new)),
                                  ("an omitted value now means ", value(f.new))),
    "default-added": lambda f: ((*f.subject, " has a new default ", value(f.new)), ("an omitted value now means ", value(f.new))),
    "default-removed": lambda f: ((*f.subject, " no longer has the default ", value(f.old)),
                                  ("an omitted value has no stated meaning any more",)),
    "read-only-changed": lambda f: _flag(f, "read-only", ("this decides whether clients may send it",)),
    "write-only-changed": lambda f: _flag(f, "write-only", ("this decides whether clients receive it",)),
    "draft-changed": lambda f: (_changed(_of(("draft",), f), f), ("the same keywords can validate differently",)),
    "id-changed": lambda f: (_changed(_of((f.keyword,), f), f),
                             ("references from outside the set that use the old identifier no longer resolve",)),
    "unjudged-keyword-changed": lambda f: (_changed(_of(("keyword ", f.keyword), f), f),
                                           ("schema-diff cannot judge this keyword, so review the change by hand",)),
    # Annotations.
    "deprecated-changed": lambda f: _flag(f, "deprecated", ()),
    "title-changed": lambda f: _annotation(f, show_values=True),
    "description-changed": lambda f: _annotation(f, show_values=False),
    "examples-changed": lambda f: _annotation(f, show_values=False),
    "comment-changed": lambda f: _annotation(f, show_values=False),
    "extension-changed": lambda f: (_changed(_of(("extension ", f.keyword), f), f, show_values=False), ()),
    "annotation-changed": lambda f: (_changed(_of(("annotation ", f.keyword), f), f, show_values=False), ()),
}


def _fallback(facts: Facts) -> Sentence:
    return (*facts.subject, ": ", facts.change.message), ()


def sentence_parts(change: Change, places: Sequence[str] = (), *, names: Names | None = None,
                   all_places: Sequence[str] = ()) -> Parts:
    """Write one change as a sentence, in parts; see `sentence` for the arguments."""
    names = names or Names([change])
    facts = Facts(change, subject(change, names))
    main, consequence = SENTENCES.get(change.rule, _fallback)(facts)
    if change.rule in ("component-added", "component-removed") and change.operations:
        where: Parts = ("used by ", *listing([(Code(operation),) for operation in change.operations]))
    elif is_openapi(change):
        where = operations_clause(change) if change.rule not in OPERATION_RULES else ()
    else:
        where = places_clause(places, names, all_places)
    parts = list(main)
    if where:
        parts.extend((" (", *where, ")"))
    if consequence:
        parts.extend(("; ", *consequence))
    parts.append(".")
    return _capitalised(parts)


def sentence(change: Change, places: Sequence[str] = (), *, names: Names | None = None,
             all_places: Sequence[str] = ()) -> str:
    """Write one change as a Markdown sentence a person would write.

    `places` are the places where the same change occurs, as
    `checker.reporters.text.group_changes` lists them ("agentStatus.json at /properties/status");
    `all_places` are those of the change's whole type, which tell an inlined copy that
    changed alone. `names` names documents and branches from the rest of the report.
    """
    return markdown_inline(sentence_parts(change, places, names=names, all_places=all_places))


def _capitalised(parts: list[Part]) -> Parts:
    first = parts[0] if parts else ""
    if isinstance(first, str) and first:
        parts[0] = first[0].upper() + first[1:]
    return tuple(parts)


# The release notes ------------------------------------------------------------------

#: The sections of the release notes, in order, with their headings.
SECTIONS = (
    (Severity.BREAKING, "Breaking changes"),
    (Severity.POTENTIALLY_BREAKING, "Potentially breaking changes"),
    (Severity.ADDITIVE, "Additions"),
    (Severity.COSMETIC, "Other changes"),
)

#: Singular and plural nouns that count a section's changes: "3 additions", "1 breaking change".
COUNT_NOUNS = {
    Severity.BREAKING: ("breaking change", "breaking changes"),
    Severity.POTENTIALLY_BREAKING: ("potentially breaking change", "potentially breaking changes"),
    Severity.ADDITIVE: ("addition", "additions"),
    Severity.COSMETIC: ("other change", "other changes"),
}


def counted(count: int, severity: Severity) -> str:
    """Write a count with the section's noun: "1 addition", "12 breaking changes"."""
    singular, plural = COUNT_NOUNS[severity]
    return f"{count} {singular if count == 1 else plural}"


def cosmetic_summary(count: int) -> Parts:
    """Write the paragraph that counts cosmetic changes in place of listing them."""
    verb, pronoun, touches = ("is", "it", "touches") if count == 1 else ("are", "they", "touch")
    return (f"{count} cosmetic change{'s' if count != 1 else ''} {verb} not listed: {pronoun} {touches} only descriptions, "
            "titles, examples or other annotations, which do not affect validation. Use ", Code("--all"), " to list them.")


@dataclasses.dataclass(frozen=True)
class Note:
    """One line of the release notes: a distinct change, and every change record behind it."""

    parts: Parts
    changes: tuple[Change, ...]

    @property
    def reasons(self) -> list[str]:
        """The reasons of the declarations that accept this change, without repeats."""
        return list(dict.fromkeys(change.reason or "" for change in self.changes if change.declared))

    @property
    def declared(self) -> bool:
        """Whether a declaration accepts the change wherever it occurs."""
        return all(change.declared for change in self.changes)


@dataclasses.dataclass(frozen=True)
class NoteGroup:
    """The notes of one named type or schema (one operation or component in OpenAPI)."""

    title: str
    notes: tuple[Note, ...]


@dataclasses.dataclass(frozen=True)
class NoteSection:
    """The notes of one severity; `listed` is False for cosmetic changes that are only counted."""

    severity: Severity
    title: str
    groups: tuple[NoteGroup, ...]
    listed: bool = True

    @property
    def count(self) -> int:
        """The number of distinct changes in the section."""
        return sum(len(group.notes) for group in self.groups)


@dataclasses.dataclass(frozen=True)
class ReleaseNotes:
    """The content of the Markdown and HTML reports, in order."""

    title: Parts
    semver: str | None
    mode: Mode
    #: Only the sections that have changes.
    sections: tuple[NoteSection, ...]
    stale: tuple[str, ...]


def release_notes(report: Report, include_cosmetic: bool = False) -> ReleaseNotes:
    """Arrange a report's changes as release notes: sections by severity, groups, one note per change."""
    names = Names(report.changes)
    # Where each type occurs, over every section: tells a change made only in an inlined copy.
    type_places = {group.title: group.places for group in group_changes(_for_grouping(report.changes))}
    sections = []
    for severity, title in SECTIONS:
        changes = tuple(change for change in report.changes if change.severity is severity)
        if changes:
            listed = include_cosmetic or severity is not Severity.COSMETIC
            sections.append(NoteSection(severity, title, _note_groups(changes, names, type_places), listed))
    heading = ("Changes from ", *_side(report.old), " to ", *_side(report.new))
    return ReleaseNotes(heading, report.semver, report.mode, tuple(sections), report.stale)


def _side(info: SourceInfo) -> Parts:
    return (info.version,) if info.version else (Code(info.source),)


def _for_grouping(changes: tuple[Change, ...]) -> tuple[Change, ...]:
    # OpenAPI changes are grouped by operation: `group_changes` groups by type name, so
    # each gets the operation (or component) as its type name, placed at the document root.
    return tuple(dataclasses.replace(change, type_name=operation_group(change), type_pointer="")
                 if is_openapi(change) else change for change in changes)


def _note_groups(changes: tuple[Change, ...], names: Names, type_places: dict[str, list[str]]) -> tuple[NoteGroup, ...]:
    grouped = _for_grouping(changes)
    members: dict[tuple[str, str], list[Change]] = {}
    for original, change in zip(changes, grouped):
        (single,) = group_changes((change,))
        members.setdefault((single.title, _entry_key(single.entries[0])), []).append(original)
    groups = []
    for group in group_changes(grouped):
        notes = []
        for entry in group.entries:
            behind = tuple(members[(group.title, _entry_key(entry))])
            parts = sentence_parts(behind[0], entry.places, names=names, all_places=type_places[group.title])
            notes.append(Note(parts, behind))
        groups.append(NoteGroup(group.title, tuple(notes)))
    return tuple(groups)


def _entry_key(entry: Entry) -> str:
    return entry_key(entry.change, entry.location)
