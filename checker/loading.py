"""Read schema documents from files and folders (the only module here that touches the disk)."""

from __future__ import annotations

import errno
import json
import math
import os
import re
import sys
import zlib
from pathlib import Path
from typing import Any, cast

import yaml

from checker.documents import Document, DocumentSet
from checker.drafts import draft_of, is_openapi
from checker.jsonvalues import kind_of
from checker.errors import DocumentParseError, EmptySourceError, InvalidSchemaError, SourceNotFoundError

SCHEMA_SUFFIXES = (".json", ".yaml", ".yml")


def load_path(path: str | os.PathLike[str]) -> DocumentSet:
    """Load a file as a one-document set, or every schema file under a folder."""
    root = Path(path)
    if root.is_dir():
        return _load_folder(root)
    if root.is_file():
        data, name = _read(root), root.name
        if name.endswith(".gz"):
            data, name = _gunzip(root, data), name[: -len(".gz")]
        document = load_document(name, data, shown_as=str(path))
        return DocumentSet(str(path), {document.path: document}, single_file=True)
    if root.is_symlink():
        raise SourceNotFoundError(_broken_link_message(root))
    if root.exists():
        raise SourceNotFoundError(f"{path}: not a regular file or folder")
    raise SourceNotFoundError(f"{path}: no such file or folder")


def _load_folder(root: Path) -> DocumentSet:
    documents = {}
    files, outside = _schema_files(root)
    for file in files:
        relative = file.relative_to(root).as_posix()
        documents[relative] = load_document(relative, _read(file), shown_as=str(file))
    notes = tuple(f"{file} links to {os.path.realpath(file)}, outside {root}; not read" for file in outside)
    if not documents:
        reason = f" ({len(outside)} linked from outside it, which are not read)" if outside else ""
        raise EmptySourceError(f"{root}: no schema documents (.json, .yaml, .yml) in this folder{reason}")
    return DocumentSet(str(root), documents, folder=str(root), notes=notes)


def _schema_files(root: Path) -> tuple[list[Path], list[Path]]:
    """The schema files under a folder, and the linked ones left out because they lead outside it.

    Sorted, so that every run reads and reports documents in the same order. Links to
    folders are not followed, so link loops end.
    """
    found: list[Path] = []
    outside: list[Path] = []
    real_root = os.path.realpath(root)
    for folder, subfolders, files in os.walk(root):
        subfolders.sort()
        for name in sorted(files):
            file = Path(folder) / name
            if not name.endswith(SCHEMA_SUFFIXES):
                continue
            if not _inside(real_root, file):
                outside.append(file)
            elif file.is_symlink() and not file.exists():
                raise SourceNotFoundError(_broken_link_message(file))
            elif not file.is_file():
                # Reading a FIFO or a device would block or never end.
                raise SourceNotFoundError(f"{file}: not a regular file; cannot be read")
            else:
                found.append(file)
    return sorted(found), sorted(outside)


def _inside(real_root: str, file: Path) -> bool:
    if not file.is_symlink():
        return True
    target = os.path.realpath(file)
    return os.path.commonpath([real_root, target]) == real_root


def _broken_link_message(link: Path) -> str:
    """Describe why a symbolic link leads to no file: it loops, or its target is missing."""
    try:
        os.stat(link)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return f"{link}: cannot be read: symbolic link loop (the link leads back to itself)"
        if error.errno != errno.ENOENT:
            return f"{link}: cannot be read: {error.strerror}"
        try:
            target = os.readlink(link)
        except OSError:
            # The link itself was removed after the caller's check.
            return f"{link}: cannot be read: {error.strerror}"
        return f"{link}: cannot be read: the symbolic link points to {target}, which does not exist"
    # The target appeared after the caller's check.
    return f"{link}: cannot be read: the symbolic link changed while it was read"


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as error:
        raise SourceNotFoundError(f"{file}: cannot be read: {error.strerror}") from error


#: The largest document a `.gz` file may unpack to, against decompression bombs.
MAX_UNPACKED_BYTES = 1 << 30


def _gunzip(file: Path, data: bytes) -> bytes:
    # A gzip file may hold several members one after another (`cat a.gz b.gz`): their
    # contents join, as gzip itself unpacks them. Zero bytes after the last member are padding.
    parts, remaining, budget = [], data, MAX_UNPACKED_BYTES
    while True:
        unpacker = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        try:
            unpacked = unpacker.decompress(remaining, budget)
        except zlib.error as error:
            raise DocumentParseError(f"{file}: not a valid gzip file: {error}") from error
        if unpacker.unconsumed_tail:
            raise DocumentParseError(f"{file}: unpacks to more than {MAX_UNPACKED_BYTES >> 20} MiB")
        if remaining and not unpacker.eof:
            # zlib returns what it could unpack, without an error, when the stream stops before its end marker.
            raise DocumentParseError(f"{file}: the compressed data is truncated or corrupt (the gzip stream ends before its end marker)")
        parts.append(unpacked)
        budget -= len(unpacked)
        remaining = unpacker.unused_data
        if not remaining.strip(b"\0"):
            return b"".join(parts)
        if budget <= 0:
            # A limit of 0 would mean no limit to zlib, so the check comes first.
            raise DocumentParseError(f"{file}: unpacks to more than {MAX_UNPACKED_BYTES >> 20} MiB")


def load_document(path: str, data: bytes, shown_as: str | None = None) -> Document:
    """Parse one document's bytes (JSON, or YAML by suffix) and find its draft."""
    name = shown_as or path
    contents = parse(name, data, yaml_syntax=path.endswith((".yaml", ".yml")))
    if not isinstance(contents, (dict, bool)):
        raise InvalidSchemaError(f"{name}: not a schema: the document is {_DOCUMENT_KINDS[kind_of(contents)]}, "
                                 "but a schema must be an object (or a boolean, in drafts 6 and later)")
    draft = draft_of(contents)
    if draft is None and is_openapi(contents):
        raise InvalidSchemaError(f"{name}: {_unsupported_openapi(contents)}")
    if draft is None:
        # draft_of returns None only for an object whose $schema it does not know.
        raise InvalidSchemaError(f"{name}: unknown $schema {cast(dict[str, Any], contents)['$schema']!r}; schema-diff reads drafts 4, 6, 7, 2019-09 and 2020-12")
    return Document(path, contents, draft, data, name)


#: The names in messages of the parsed values that cannot be a schema. JSON has one number
#: type, so integers are numbers here.
_DOCUMENT_KINDS = {"null": "null", "array": "an array", "integer": "a number", "number": "a number", "string": "a string"}


def _unsupported_openapi(contents: dict[str, Any]) -> str:
    """Describe why draft_of found no dialect for an OpenAPI or Swagger document."""
    if "openapi" not in contents:
        # TODO: Swagger 2.0 keeps bodies in `in: body` parameters and responses' `schema`, which
        # the OpenAPI comparison does not read yet, so it is refused rather than half judged.
        version = contents["swagger"]
        return f"unsupported OpenAPI version {version!r}; schema-diff reads OpenAPI 3.0 and 3.1 (convert Swagger {version} to OpenAPI 3 first)"
    version = contents["openapi"]
    if str(version).startswith("3.1"):
        # draft_of reads a 3.1 document by its jsonSchemaDialect, so only an unknown one ends here.
        return (f"unknown jsonSchemaDialect {contents.get('jsonSchemaDialect')!r}; "
                "schema-diff reads drafts 4, 6, 7, 2019-09 and 2020-12")
    return f"unsupported OpenAPI version {version!r}; schema-diff reads OpenAPI 3.0 and 3.1"


def parse(name: str, data: bytes, yaml_syntax: bool) -> Any:
    """Parse JSON or YAML text, naming the file, line and column of a syntax error.

    Beyond what the json module checks, this rejects what would make two readers of the
    same file disagree: duplicate keys, NaN and Infinity, numbers out of range, and a
    byte order mark.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        raise DocumentParseError(f"{name}: starts with a UTF-8 byte order mark, which JSON does not allow; save the file without it")
    if not data.strip():
        raise DocumentParseError(f"{name}: the file is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentParseError(f"{name}: not UTF-8 text (invalid byte at offset {error.start})") from error
    try:
        contents = _parse_yaml(name, text) if yaml_syntax else _parse_json(name, text)
    except RecursionError as error:
        raise DocumentParseError(f"{name}: nested too deeply to read (more than about {sys.getrecursionlimit()} levels)") from error
    if _ESCAPED_SURROGATE.search(text) and _has_lone_surrogate(contents):
        raise DocumentParseError(f"{name}: a string contains a lone UTF-16 surrogate (such as \\ud800), which is not text")
    return contents


# Only an escape can put a surrogate into parsed text, so the values are searched only then.
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def _has_lone_surrogate(value: Any) -> bool:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _parse_json(name: str, text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_reject_constant, parse_float=_finite_float)
    except json.JSONDecodeError as error:
        position, problem = _json_problem(error)
        line = text.count("\n", 0, position) + 1
        column = position - text.rfind("\n", 0, position)
        raise DocumentParseError(f"{name}: invalid JSON at line {line}, column {column}: {problem}") from error
    except _ValueProblem as problem:
        raise DocumentParseError(f"{name}: invalid JSON: {problem}") from problem
    except ValueError as error:
        # Python refuses to convert integers of thousands of digits.
        raise DocumentParseError(f"{name}: invalid JSON: an integer has more than {sys.get_int_max_str_digits()} digits") from error


def _json_problem(error: json.JSONDecodeError) -> tuple[int, str]:
    """Reword a json module error in plain English, and return it with the offset it points at.

    The json module's messages are cut where they would name the offset ("Unterminated
    string starting at"), and Python 3.13 reports a trailing comma at the comma where 3.11
    and 3.12 report a missing value or name at the bracket after it. Each is reworded here,
    and a trailing comma is reported at the comma on every version.
    """
    text, position, message = error.doc, error.pos, error.msg
    at_end = not text[position:].strip()
    before = text[:position].rstrip()
    character = text[position : position + 1]
    if message.startswith("Illegal trailing comma"):
        closer = "]" if "array" in message else "}"
        return position, f"JSON does not allow a comma before the closing {closer!r}"
    if before.endswith(",") and ((message == "Expecting value" and character == "]")
                                 or (message.startswith("Expecting property name") and character == "}")):
        return len(before) - 1, f"JSON does not allow a comma before the closing {character!r}"
    if message.startswith("Unterminated string"):
        # The json module points at the opening quote, and only the end of the text leaves a string open.
        return position, "a string starts here, but the file ends before its closing quote"
    if message.startswith("Invalid control character"):
        return position, _control_character_problem(character)
    if message.startswith("Invalid \\escape"):
        # The C scanner points at the backslash, the pure-Python one at the character after it.
        if character != "\\":
            position -= 1
        escaped = text[position + 1 : position + 2]
        sequence = f"\\{escaped}" if escaped.isprintable() else f"a backslash followed by U+{ord(escaped):04X}"
        return position, f"{sequence} is not a valid escape in a JSON string (the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)"
    if message.startswith("Invalid \\uXXXX escape"):
        # The json module points at the `u`, and the message points at the backslash that starts the escape.
        if text[position - 1 : position] == "\\":
            position -= 1
        return position, "a \\u escape must be followed by four hexadecimal digits"
    if message == "Extra data":
        return position, "unexpected text after the end of the JSON value (a file contains exactly one value)"
    if at_end and message.startswith(("Expecting property name", "Expecting ':'")):
        return position, "the file ends before an object is closed"
    if at_end and message.startswith("Expecting ','"):
        return position, "the file ends before an object or array is closed"
    if at_end and message == "Expecting value":
        return position, "the file ends where a value is expected"
    rewordings = {
        "Expecting value": "expected a JSON value here",
        "Expecting ',' delimiter": "expected a comma or a closing bracket here",
        "Expecting ':' delimiter": "expected a colon after the property name",
        "Expecting property name enclosed in double quotes": "expected a property name in double quotes here",
    }
    # A message this list lacks, from another Python version, loses the dangling "at" it may end with.
    return position, rewordings.get(message, re.sub(r"\s+at$", "", message))


def _control_character_problem(character: str) -> str:
    names = {"\n": "a line break", "\r": "a carriage return", "\t": "a tab"}
    escapes = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
    code = ord(character) if character else 0
    name = names.get(character, f"the control character U+{code:04X}")
    escape = escapes.get(character, f"\\u{code:04x}")
    return f"a string contains {name}, which JSON allows only as the escape {escape}"


class _ValueProblem(ValueError):
    """A JSON value the json module accepts but schema-diff rejects."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        duplicate = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        raise _ValueProblem(f"duplicate key {duplicate!r} in an object; readers disagree on which value counts")
    return result


def _reject_constant(constant: str) -> Any:
    raise _ValueProblem(f"{constant} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _ValueProblem(f"the number {text[:40]} is out of range for a double")
    return value


def _parse_yaml(name: str, text: str) -> Any:
    try:
        node = yaml.compose(text, Loader=_SafeLoader)
        _check_expansion(name, node)
        return yaml.load(text, Loader=_SafeLoader) if node is not None else None
    except yaml.MarkedYAMLError as error:
        if "nesting depth" in str(error.problem):
            # libyaml stops at its own depth limit where the Python parser would recurse.
            raise RecursionError from error
        if isinstance(error, yaml.composer.ComposerError) and error.problem == "but found another document" and error.problem_mark:
            second = error.problem_mark
            raise DocumentParseError(f"{name}: the file contains more than one YAML document (the second starts at line {second.line + 1}, "
                                     f"column {second.column + 1}); schema-diff reads one document per file") from error
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise DocumentParseError(f"{name}: invalid YAML{where}: {error.problem or error.context}") from error
    except yaml.reader.ReaderError as error:
        raise DocumentParseError(f"{name}: invalid YAML: {error.reason} (character {error.character!r} at position {error.position})") from error
    except yaml.YAMLError as error:
        raise DocumentParseError(f"{name}: invalid YAML: {' '.join(str(error).split())}") from error
    except ValueError as error:
        if "digits" in str(error):
            # Python refuses to convert integers of thousands of digits.
            raise DocumentParseError(f"{name}: invalid YAML: an integer has more than {sys.get_int_max_str_digits()} digits") from error
        raise DocumentParseError(f"{name}: invalid YAML: a value cannot be read ({' '.join(str(error).split())})") from error
    except (IndexError, TypeError) as error:
        # PyYAML's own constructors fail this way on tagged text they cannot read. The loader replaces those
        # for null, bool, int and float, so this guards the ones it keeps.
        raise DocumentParseError(f"{name}: invalid YAML: a tagged value cannot be read ({error})") from error


_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SafeLoader(_BaseLoader):  # type: ignore[misc]
    """YAML's safe loader, limited to what JSON can express and to the YAML 1.2 core schema.

    PyYAML resolves plain scalars by YAML 1.1 rules, under which `NO` and `on` are booleans,
    `017` is octal and `12:30` is 750, while JSON Schema and OpenAPI 3.1 documents are
    written for YAML 1.2. This loader resolves plain scalars by the 1.2 core schema instead
    (see `_CORE_SCHEMA_RESOLVERS`), so dates and everything else outside it stay strings.
    Keys that YAML reads as numbers or booleans become their JSON text (`200:` is "200"),
    and duplicate keys, binary values and non-finite numbers are rejected, as they are in
    JSON files.
    """

    # A dict of our own, so that the resolvers added below leave PyYAML's shared ones alone.
    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, f"expected a mapping, found {node.id}", node.start_mark)
        self.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _json_key(self.construct_object(key_node, deep=True), key_node)
            if key in mapping:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_binary(self, node: yaml.ScalarNode) -> Any:
        raise yaml.constructor.ConstructorError(None, None, "binary values (!!binary) are not JSON", node.start_mark)

    def construct_not_json(self, node: yaml.Node) -> Any:
        raise yaml.constructor.ConstructorError(None, None, f"{node.tag.rsplit(':', 1)[-1]} values (!!{node.tag.rsplit(':', 1)[-1]}) are not JSON", node.start_mark)

    # The constructors below also read explicitly tagged scalars (`!!int 017`), so each
    # checks its text against the 1.2 core form rather than trusting the resolver.

    def construct_yaml_null(self, node: yaml.ScalarNode) -> None:
        self._core_text(node, _CORE_NULL, "null")
        return None

    def construct_yaml_bool(self, node: yaml.ScalarNode) -> bool:
        return self._core_text(node, _CORE_BOOL, "boolean").lower() == "true"

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        text = self._core_text(node, _CORE_INT, "integer")
        if not text.startswith(("0o", "0x")):
            # Leading zeros are decimal in YAML 1.2, and int() reads them so: "017" is 17.
            return int(text, 10)
        value = int(text[2:], 8 if text[1] == "o" else 16)
        # int() limits the digits of decimal text only, but reports print every integer in decimal.
        limit = sys.get_int_max_str_digits()
        if limit and value >= 10**limit:
            raise ValueError(f"an integer has more than {limit} digits")
        return value

    def construct_merge_value(self, node: yaml.ScalarNode) -> str:
        # flatten_mapping() consumes every `<<` key, so one that gets here is a value, a plain string in YAML 1.2.
        return cast(str, self.construct_scalar(node))

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        text = self._core_text(node, _CORE_FLOAT, "number")
        # `.inf` and `.nan` have no JSON form, and nor does 1e400, which float() reads as infinity.
        if text.lstrip("+-").lower() in (".inf", ".nan") or not math.isfinite(float(text)):
            raise yaml.constructor.ConstructorError(None, None, f"{node.value} is not a JSON number", node.start_mark)
        return float(text)

    def _core_text(self, node: yaml.ScalarNode, pattern: re.Pattern[str], kind: str) -> str:
        text = self.construct_scalar(node)
        if not pattern.match(text):
            tag = node.tag.rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(None, None, f"{text!r} is not a YAML 1.2 {kind}, so it cannot be tagged !!{tag}",
                                                    node.start_mark)
        return text


# The YAML 1.2 core schema (YAML 1.2.2, section 10.3.2). Every plain scalar that matches
# none of these is a string. `\Z` ends each pattern because `$` would also match before a
# final newline.
_CORE_NULL = re.compile(r"(?:null|Null|NULL|~|)\Z")
_CORE_BOOL = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_CORE_INT = re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z")
_CORE_FLOAT = re.compile(r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                         r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z")
# NOTE: `<<` merge keys are a YAML 1.1 type that the 1.2 core schema lacks. They are kept,
# because YAML files written with anchors use them and reading `<<` as a plain key would
# silently change those documents.
_MERGE_KEY = re.compile(r"<<\Z")

#: (tag, pattern, first characters) in the order tried: the integer pattern comes before
#: the float one, which also matches every integer.
_CORE_SCHEMA_RESOLVERS = (
    ("tag:yaml.org,2002:null", _CORE_NULL, ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", _CORE_BOOL, list("tTfF")),
    ("tag:yaml.org,2002:int", _CORE_INT, list("-+0123456789")),
    ("tag:yaml.org,2002:float", _CORE_FLOAT, list("-+.0123456789")),
    ("tag:yaml.org,2002:merge", _MERGE_KEY, ["<"]),
)
for _tag, _pattern, _first in _CORE_SCHEMA_RESOLVERS:
    _SafeLoader.add_implicit_resolver(_tag, _pattern, _first)

_SafeLoader.add_constructor("tag:yaml.org,2002:binary", _SafeLoader.construct_yaml_binary)
# An explicit `!!timestamp` would make a Python date, which JSON lacks. Unquoted dates stay strings anyway.
for _name in ("set", "omap", "pairs", "timestamp"):
    _SafeLoader.add_constructor(f"tag:yaml.org,2002:{_name}", _SafeLoader.construct_not_json)
_SafeLoader.add_constructor("tag:yaml.org,2002:null", _SafeLoader.construct_yaml_null)
_SafeLoader.add_constructor("tag:yaml.org,2002:bool", _SafeLoader.construct_yaml_bool)
_SafeLoader.add_constructor("tag:yaml.org,2002:int", _SafeLoader.construct_yaml_int)
_SafeLoader.add_constructor("tag:yaml.org,2002:float", _SafeLoader.construct_yaml_float)
_SafeLoader.add_constructor("tag:yaml.org,2002:merge", _SafeLoader.construct_merge_value)
_SafeLoader.add_constructor("tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node))


def _json_key(key: Any, node: yaml.Node) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    if isinstance(key, (int, float)):
        return str(key)
    raise yaml.constructor.ConstructorError(None, None, f"a mapping key must be a string, not {type(key).__name__}", node.start_mark)

#: The maximum number of nodes a YAML document may expand to through its aliases, against
#: "billion laughs" files whose few lines expand to billions of values.
MAX_YAML_NODES = 5_000_000


def _check_expansion(name: str, root: yaml.Node | None) -> None:
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)] if root is not None else []
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not children_done and children:
            if any(id(child) in open_nodes for child in children):
                raise DocumentParseError(f"{name}: a YAML alias contains itself, so the document never ends; refusing to read it")
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        open_nodes.discard(id(node))
        # An alias is the same node object again, so its size counts once per use.
        size = 1 + sum(sizes.get(id(child), 1) for child in children)
        if size > MAX_YAML_NODES:
            raise DocumentParseError(f"{name}: YAML aliases expand to more than {MAX_YAML_NODES:,} values; refusing to read it")
        sizes[id(node)] = size


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load_mapping(source: str, contents_by_path: dict[str, Any]) -> DocumentSet:
    """Build a document set from already-parsed documents, as tests and in-memory sources do."""
    documents = {}
    for path, contents in sorted(contents_by_path.items()):
        data = json.dumps(contents, sort_keys=True).encode("utf-8")
        documents[path] = load_document(path, data, shown_as=f"{source}/{path}")
    return DocumentSet(source, documents)
