"""Read a version folder from a store: a folder whose subfolders are named by version (`schemas/1.5.1`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from packaging.version import InvalidVersion, Version

from checker.documents import DocumentSet
from checker.errors import SourceNotFoundError, UsageError
from checker.loading import load_path
from checker.sources.options import SourceOptions, print_note


def parse_version(name: str) -> Version | None:
    """Read a folder name as a version (`1.10.0`, `v2.0.0rc1`), or None when it is not one."""
    try:
        return Version(name)
    except InvalidVersion:
        return None


def store_problem(store: Path) -> str | None:
    """Describe why `store` cannot be used as a version store, or return None when it is a folder."""
    if store.is_dir():
        return None
    if store.exists():
        return f"the version store {store} is not a folder (set one with --store DIR)"
    return f"the version store {store} does not exist (set one with --store DIR)"


def version_folders(store: Path, note: Callable[[str], None] | None = print_note) -> list[str]:
    """List the version folders of a store from the lowest version to the highest.

    Versions are ordered as Python packaging orders them: 1.10.0 after 1.9.0, and a
    pre-release (1.0.0rc1) before its release. Each other folder gets a note, unless `note`
    is None; hidden folders (`.git`) are skipped silently. A store that is missing, not a
    folder or unreadable raises SourceNotFoundError.
    """
    problem = store_problem(store)
    if problem is not None:
        raise SourceNotFoundError(problem)
    try:
        entries = sorted(store.iterdir())
    except OSError as error:
        raise SourceNotFoundError(f"the version store {store} cannot be read: {error.strerror}") from error
    versions = []
    for folder in entries:
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        version = parse_version(folder.name)
        if version is None:
            if note is not None:
                note(f"{folder} is not named by a version; ignoring it")
            continue
        versions.append((version, folder.name))
    return [name for _, name in sorted(versions)]


def latest_two(store: Path, note: Callable[[str], None] | None = print_note) -> tuple[str, str]:
    """Return the names of the two highest version folders in a store, the older first."""
    problem = store_problem(store)
    if problem is not None:
        raise SourceNotFoundError(f"--latest: {problem}")
    versions = version_folders(store, note)
    if len(versions) < 2:
        found = ", ".join(versions) or "none"
        raise UsageError(f"--latest needs at least two version folders in the store {store}; found {len(versions)} ({found})")
    return versions[-2], versions[-1]


def find_version_folder(store: Path, name: str) -> Path | None:
    """Find the folder for a version: the folder of that exact name, else the one folder of an equal version (`v1.5.1` for `1.5.1`)."""
    if "/" not in name and name not in (".", "..") and (store / name).is_dir():
        return store / name
    requested_version = parse_version(name)
    if requested_version is None or not store.is_dir():
        return None
    matches = [folder for folder in version_folders(store, note=None) if parse_version(folder) == requested_version]
    return store / matches[0] if len(matches) == 1 else None


def open_version(name: str, options: SourceOptions) -> DocumentSet:
    """Load the version folder `name` from the store; the document set's version is the folder's name."""
    if not options.store.exists():
        raise SourceNotFoundError(f"{name}: no such file or folder, and no version store {options.store} to look it up in (set one with --store DIR)")
    if not options.store.is_dir():
        raise SourceNotFoundError(f"{name}: no such file or folder, and the version store {options.store} is not a folder (set one with --store DIR)")
    folder = find_version_folder(options.store, name)
    if folder is None:
        known = ", ".join(version_folders(options.store, note=None)) or "none"
        raise SourceNotFoundError(f"{name}: no such file or folder, and no version folder {name!r} in the store {options.store} (versions: {known})")
    return dataclasses.replace(load_path(folder), source=name, version=folder.name)
