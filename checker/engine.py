"""The public entry points: compare two loaded document sets, or two paths."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

from checker.documents import Document, DocumentSet
from checker.errors import UsageError
from checker.loading import load_path
from checker.openapi import merge_sides
from checker.model import Change, Mode, Report, SourceInfo
from checker.references import References
from checker.rules import classify_all
from checker.walker import walk_changes


def compare(old: DocumentSet, new: DocumentSet, mode: Mode = Mode.FULL,
            ref_map: Mapping[str, Document] | None = None,
            mode_for: Callable[[str, Mode], Mode] | None = None) -> Report:
    """Compare two versions of a set of schemas and classify every change under a mode.

    A pure function of its inputs: it reads no files and prints nothing. `ref_map` maps
    remote URIs to local documents so that references to them are judged too; `mode_for`
    picks the mode of each document (by its path) where a project sets one per glob.
    """
    if old.single_file != new.single_file:
        raise UsageError(f"cannot compare a {'file' if old.single_file else 'folder'} ({old.source}) "
                         f"with a {'file' if new.single_file else 'folder'} ({new.source}); give two files or two folders")
    walked = _walk(old, new, References(old, dict(ref_map or {})), References(new, dict(ref_map or {})))
    changes = merge_sides(walked)
    return Report(
        old=SourceInfo(old.source, old.version),
        new=SourceInfo(new.source, new.version),
        mode=mode,
        changes=classify_all(changes, mode, mode_for),
        documents=_document_paths(old, new),
    )


def _document_paths(old: DocumentSet, new: DocumentSet) -> tuple[str, ...]:
    if old.single_file and new.single_file:
        return tuple(new.documents)
    return tuple(sorted(old.documents.keys() | new.documents.keys()))


#: How deep the walk may recurse; each level of schema nesting takes a few frames.
WALK_RECURSION_LIMIT = 20_000


def _walk(old: DocumentSet, new: DocumentSet, old_references: References, new_references: References) -> list[Change]:
    # Documents the json module can read (up to about a thousand levels) may still nest
    # deeper than the walker's default recursion allows, so the limit is raised while it runs.
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, WALK_RECURSION_LIMIT))
    try:
        return list(walk_changes(old, new, old_references, new_references))
    except RecursionError as error:
        raise UsageError("the schemas are nested too deeply to compare") from error
    finally:
        sys.setrecursionlimit(previous)


def compare_paths(old: str | os.PathLike[str], new: str | os.PathLike[str], mode: Mode = Mode.FULL,
                  ref_map: Mapping[str, str | os.PathLike[str]] | None = None) -> Report:
    """Load two files or folders, check the changed documents, and compare them."""
    old_set, new_set = load_path(old), load_path(new)
    mapped = load_ref_map(ref_map or {})
    return compare(old_set, new_set, mode, mapped)


def load_ref_map(ref_map: Mapping[str, str | os.PathLike[str]]) -> dict[str, Document]:
    """Load the local files that stand in for remote URIs (a folder maps a URI prefix)."""
    mapped: dict[str, Document] = {}
    for uri, path in ref_map.items():
        documents = load_path(path)
        if documents.single_file:
            mapped[uri] = next(iter(documents))
            continue
        prefix = uri if uri.endswith("/") else uri + "/"
        for relative, document in documents.documents.items():
            mapped[prefix + relative] = document
    return mapped
