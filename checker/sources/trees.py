"""Turn files read into memory (from an archive or a git tree) into a document set."""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Callable, Mapping

from checker.documents import DocumentSet
from checker.errors import EmptySourceError, InvalidSourceError, SourceNotFoundError
from checker.loading import SCHEMA_SUFFIXES, load_document


@dataclasses.dataclass(frozen=True)
class FileTree:
    """Files read into memory: the bytes of each schema file, and the path of every regular file."""

    files: dict[str, bytes]
    paths: frozenset[str]


def normalize_subpath(source: str, subpath: str) -> str:
    """Return a path inside a package with `.` parts and surrounding slashes removed; `..` is rejected."""
    parts = [part for part in subpath.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise InvalidSourceError(f"{source}: the path {subpath!r} must not contain '..'")
    return "/".join(parts)


def select(container: str, tree: FileTree, subpath: str, skip: Callable[[str], bool] | None = None) -> tuple[dict[str, bytes], bool]:
    """Pick the schema files at or below `subpath`, keyed by their path relative to it.

    `container` names the package or archive in errors. Returns the files and whether
    `subpath` named one file. Without a subpath, every schema
    file is taken except those `skip` excludes (a package's own manifest, for example).
    """
    if not subpath:
        return {path: data for path, data in tree.files.items() if skip is None or not skip(path)}, False
    if subpath in tree.paths:
        if subpath not in tree.files:
            raise InvalidSourceError(f"{container}: {subpath} is not a schema document ({', '.join(SCHEMA_SUFFIXES)})")
        return {posixpath.basename(subpath): tree.files[subpath]}, True
    prefix = subpath + "/"
    if not any(path.startswith(prefix) for path in tree.paths):
        raise SourceNotFoundError(f"{container}: no file or folder {subpath!r}")
    return {path[len(prefix):]: data for path, data in tree.files.items() if path.startswith(prefix)}, False


def build_document_set(source: str, files: Mapping[str, bytes], single_file: bool = False, version: str | None = None,
                       shown_root: str | None = None) -> DocumentSet:
    """Parse each file as a schema document.

    Messages name a document by `shown_root` (default: the source) joined with its path.
    """
    if not files:
        raise EmptySourceError(f"{source}: no schema documents ({', '.join(SCHEMA_SUFFIXES)}) in it")
    root = source if shown_root is None else shown_root
    documents = {}
    for path in sorted(files):
        shown_as = source if single_file else _join(root, path)
        documents[path] = load_document(path, files[path], shown_as=shown_as)
    return DocumentSet(source, documents, version=version, single_file=single_file)


def _join(source: str, path: str) -> str:
    return source + path if source.endswith((":", "/")) else f"{source}/{path}"
