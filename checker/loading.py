"""Read schema documents from files and folders (the only module here that touches the disk)."""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

import yaml

from checker.documents import Document, DocumentSet
from checker.drafts import draft_of, is_openapi
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
    raise SourceNotFoundError(f"{path}: no such file or folder")


def _load_folder(root: Path) -> DocumentSet:
    documents = {}
    for file in _schema_files(root):
        relative = file.relative_to(root).as_posix()
        documents[relative] = load_document(relative, _read(file), shown_as=str(file))
    if not documents:
        raise EmptySourceError(f"{root}: no schema documents (.json, .yaml, .yml) in this folder")
    return DocumentSet(str(root), documents)


def _schema_files(root: Path) -> list[Path]:
    # Sorted so that every run reads and reports documents in the same order.
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders.sort()
        for name in sorted(files):
            if name.endswith(SCHEMA_SUFFIXES):
                found.append(Path(folder) / name)
    return sorted(found)


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as error:
        raise SourceNotFoundError(f"{file}: cannot be read: {error.strerror}") from error


#: The largest document a `.gz` file may unpack to, against decompression bombs.
MAX_UNPACKED_BYTES = 1 << 30


def _gunzip(file: Path, data: bytes) -> bytes:
    try:
        unpacker = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        unpacked = unpacker.decompress(data, MAX_UNPACKED_BYTES)
    except zlib.error as error:
        raise DocumentParseError(f"{file}: not a valid gzip file: {error}") from error
    if unpacker.unconsumed_tail:
        raise DocumentParseError(f"{file}: unpacks to more than {MAX_UNPACKED_BYTES >> 20} MiB")
    return unpacked


def load_document(path: str, data: bytes, shown_as: str | None = None) -> Document:
    """Parse one document's bytes (JSON, or YAML by suffix) and find its draft."""
    name = shown_as or path
    contents = parse(name, data, yaml_syntax=path.endswith((".yaml", ".yml")))
    if not isinstance(contents, (dict, bool)):
        raise InvalidSchemaError(f"{name}: not a schema: the document is a {_json_kind(contents)}, not an object")
    draft = draft_of(contents)
    if draft is None and is_openapi(contents):
        version = contents.get("openapi", contents.get("swagger"))
        raise InvalidSchemaError(f"{name}: unsupported OpenAPI version {version!r}; schema-diff reads OpenAPI 3.0 and 3.1")
    if draft is None:
        raise InvalidSchemaError(f"{name}: unknown $schema {contents['$schema']!r}; schema-diff reads drafts 4, 6, 7, 2019-09 and 2020-12")
    return Document(path, contents, draft, data, name)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    return "number"


def parse(name: str, data: bytes, yaml_syntax: bool) -> Any:
    """Parse JSON or YAML text, naming the file, line and column of a syntax error."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentParseError(f"{name}: not UTF-8 text (invalid byte at offset {error.start})") from error
    if yaml_syntax:
        return _parse_yaml(name, text)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentParseError(f"{name}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from error


def _parse_yaml(name: str, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise DocumentParseError(f"{name}: invalid YAML{where}: {error.problem or error.context}") from error
    except yaml.YAMLError as error:
        raise DocumentParseError(f"{name}: invalid YAML: {error}") from error


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_mapping(source: str, contents_by_path: dict[str, Any]) -> DocumentSet:
    """Build a document set from already-parsed documents, as tests and in-memory sources do."""
    documents = {}
    for path, contents in sorted(contents_by_path.items()):
        data = json.dumps(contents, sort_keys=True).encode("utf-8")
        documents[path] = load_document(path, data, shown_as=f"{source}/{path}")
    return DocumentSet(source, documents)
