"""Sources: where one version of the schemas comes from, each read by one small reader.

Every reader turns a source named on the command line into a `DocumentSet`, so the engine
never knows whether documents came from a folder, a git revision or a package registry.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from checker.documents import DocumentSet
from checker.errors import InvalidSourceError
from checker.loading import SCHEMA_SUFFIXES, load_path
from checker.sources import git, npm, pypi, store
from checker.sources.archives import archive_kind
from checker.sources.options import ArchiveLimits, SourceOptions, default_cache_dir, print_note
from checker.sources.paths import open_path

__all__ = [
    "ArchiveLimits",
    "SourceOptions",
    "default_cache_dir",
    "open_against",
    "open_latest",
    "open_source",
    "print_note",
]

_PREFIXED_READERS = {
    git.PREFIX: git.open_git,
    npm.PREFIX: npm.open_npm,
    pypi.PREFIX: pypi.open_pypi,
}


def open_source(spec: str, options: SourceOptions) -> DocumentSet:
    """Read the source that `spec` names, as the user wrote it on the command line.

    A `git:`, `npm:` or `pypi:` prefix picks that reader, even where a file of that name
    exists. Otherwise an existing file, folder or archive is read, and so is anything that
    looks like a path (a slash, or a schema or archive suffix) so that a missing one is
    reported as a missing path. Any other name is a version folder in the store.
    """
    if not spec:
        raise InvalidSourceError("a source is empty; name a file, folder, archive, git:REV:PATH, npm:NAME@VERSION, pypi:NAME==VERSION or a version")
    for prefix, reader in _PREFIXED_READERS.items():
        if spec.startswith(prefix):
            return reader(spec, options)
    if Path(spec).exists() or _looks_like_path(spec):
        return open_path(spec, options)
    return store.open_version(spec, options)


def open_against(revision: str, path: str, options: SourceOptions) -> tuple[DocumentSet, DocumentSet]:
    """Read PATH at a git revision and in the working tree, for `--against REV PATH`."""
    old = git.open_git(f"{git.PREFIX}{revision}:{path}", options)
    return old, dataclasses.replace(load_path(path), source=path)


def open_staged_against(revision: str, path: str, options: SourceOptions) -> tuple[DocumentSet, DocumentSet]:
    """Read PATH at a git revision and as staged in the index, for `--against REV --staged PATH`."""
    old = git.open_git(f"{git.PREFIX}{revision}:{path}", options)
    tree = git.staged_tree(options.git_dir)
    new = git.open_git(f"{git.PREFIX}{tree}:{path}", options)
    return old, dataclasses.replace(new, source=f"{path} (staged)")


def open_latest(options: SourceOptions) -> tuple[DocumentSet, DocumentSet]:
    """Read the two highest version folders of the store, the older first, for `--latest`."""
    older, newer = store.latest_two(options.store, options.note)
    return store.open_version(older, options), store.open_version(newer, options)


def _looks_like_path(spec: str) -> bool:
    separators = {"/", os.sep} | ({os.altsep} if os.altsep else set())
    return any(separator in spec for separator in separators) or spec.lower().endswith(SCHEMA_SUFFIXES) or archive_kind(spec) is not None
