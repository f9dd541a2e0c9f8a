"""Find the line of a JSON pointer in a document's text, for annotations on a file.

JSON is scanned with a small tokenizer that tracks the path to each value; YAML uses the
parser's own node marks. Both return 1-based lines, or None when the pointer is absent.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"[^,\]\}\s]+")
_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]', re.DOTALL)


def pointer_tokens(pointer: str) -> list[str]:
    """Split an RFC 6901 pointer into unescaped reference tokens."""
    if not pointer:
        return []
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]


def line_of(text: str, pointer: str, yaml_syntax: bool = False) -> int | None:
    """The 1-based line where the value at `pointer` starts."""
    return lines_of(text, [pointer], yaml_syntax).get(pointer)


def lines_of(text: str, pointers: list[str], yaml_syntax: bool = False) -> dict[str, int]:
    """The 1-based lines of several pointers, found in one pass over the text."""
    if yaml_syntax:
        yaml_lines = {pointer: _yaml_line(text, pointer_tokens(pointer)) for pointer in pointers}
        return {pointer: line for pointer, line in yaml_lines.items() if line is not None}
    if "\n" not in text.strip():
        # A document on one line (as many generators write them) has every node on line 1.
        return {pointer: 1 for pointer in pointers}
    targets = {tuple(pointer_tokens(pointer)): pointer for pointer in pointers}
    prefixes = {target[:length] for target in targets for length in range(len(target) + 1)}
    found: dict[str, int] = {}
    _scan_value(text, _skip_space(text, 0), (), _Search(targets, prefixes, found))
    return found


class _Search:
    """The pointers sought in one pass, the paths leading to them, and the lines found."""

    def __init__(self, targets: dict[tuple[str, ...], str], prefixes: set[tuple[str, ...]], found: dict[str, int]) -> None:
        self.targets, self.prefixes, self.found = targets, prefixes, found
        #: Paths with a sought path below them: the only containers worth entering.
        self.parents = {prefix[:-1] for prefix in prefixes if prefix}
        # The scan only moves forward, so lines are counted from the last place counted.
        self.counted_to, self.line = 0, 1

    def line_at(self, text: str, position: int) -> int:
        self.line += text.count("\n", self.counted_to, position)
        self.counted_to = position
        return self.line


def _scan_value(text: str, position: int, path: tuple[str, ...], search: _Search) -> int:
    """Scan the value starting at `position`, recording sought lines; return the position after it."""
    if path in search.targets:
        search.found[search.targets[path]] = search.line_at(text, position)
    character = text[position] if position < len(text) else ""
    if character not in "{[" or path not in search.parents:
        return _skip_value(text, position)
    if character == "{":
        return _scan_object(text, position, path, search)
    return _scan_array(text, position, path, search)


def _scan_object(text: str, position: int, path: tuple[str, ...], search: _Search) -> int:
    position = _skip_space(text, position + 1)
    while position < len(text) and text[position] != "}":
        match = _STRING.match(text, position)
        if match is None:
            return len(text)
        key = json.loads(match.group())
        position = _skip_space(text, match.end())
        position = _skip_space(text, position + 1)  # the colon
        child = (*path, key)
        position = _scan_value(text, position, child, search) if child in search.prefixes else _skip_value(text, position)
        position = _skip_space(text, position)
        if position < len(text) and text[position] == ",":
            position = _skip_space(text, position + 1)
    return position + 1


def _scan_array(text: str, position: int, path: tuple[str, ...], search: _Search) -> int:
    position = _skip_space(text, position + 1)
    index = 0
    while position < len(text) and text[position] != "]":
        child = (*path, str(index))
        position = _scan_value(text, position, child, search) if child in search.prefixes else _skip_value(text, position)
        position = _skip_space(text, position)
        if position < len(text) and text[position] == ",":
            position = _skip_space(text, position + 1)
        index += 1
    return position + 1


def _skip_value(text: str, position: int) -> int:
    if position >= len(text):
        return position
    character = text[position]
    if character == '"':
        match = _STRING.match(text, position)
        return match.end() if match else len(text)
    if character in "{[":
        # Jump from one bracket or string to the next; strings are skipped whole, so a
        # bracket inside a string never counts.
        depth = 0
        for match in _STRUCTURE.finditer(text, position):
            token = match.group()
            if token[0] == '"':
                continue
            depth += 1 if token in "{[" else -1
            if depth == 0:
                return match.end()
        return len(text)
    match = _SCALAR.match(text, position)
    return match.end() if match else position + 1


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _yaml_line(text: str, target: list[str]) -> int | None:
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    for token in target:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == token), None)
        elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
            node = node.value[int(token)]
        else:
            return None
        if node is None:
            return None
    return node.start_mark.line + 1 if node is not None else None
