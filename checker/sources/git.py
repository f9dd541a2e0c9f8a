"""Read `git:REV:PATH`: schema files as they are in a git revision, from git's object store.

Only plumbing commands run (`rev-parse`, `ls-tree`, `cat-file`), so the working tree and the
index are never read or written. User input reaches git as data: the revision on the standard
input of `cat-file`, and the path after `--` with literal pathspecs, so neither can be taken
as an option or a pattern.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import subprocess
from collections.abc import Sequence
from pathlib import Path

from checker.documents import DocumentSet
from checker.errors import GitError, InvalidSourceError
from checker.loading import SCHEMA_SUFFIXES
from checker.sources.options import SourceOptions
from checker.sources.trees import build_document_set

PREFIX = "git:"

# Set for every git call. Without the system configuration, the machine's git setup cannot change what
# these commands do, and the plumbing used here ignores the user's porcelain settings.
# GIT_LITERAL_PATHSPECS keeps `*` or `:(glob)` in a path from being read as a pattern.
_GIT_ENVIRONMENT = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_LITERAL_PATHSPECS": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}
_SYMLINK_MODE = "120000"


@dataclasses.dataclass(frozen=True)
class GitSource:
    """A parsed `git:` source: the revision and the path inside the repository."""

    revision: str
    path: str


@dataclasses.dataclass(frozen=True)
class _TreeEntry:
    mode: str
    kind: str
    object_id: str
    path: str


def parse_git_spec(spec: str) -> GitSource:
    """Split `git:REV:PATH`; PATH may be empty for the whole repository."""
    revision, separator, path = spec[len(PREFIX):].partition(":")
    if not separator or not revision:
        raise InvalidSourceError(f"{spec}: expected git:REV:PATH, such as git:main:schemas")
    if revision.startswith("-"):
        raise InvalidSourceError(f"{spec}: a revision must not start with '-'")
    if any(character in revision + path for character in "\n\0"):
        raise InvalidSourceError(f"{spec}: a revision or path must not contain a newline or NUL character")
    return GitSource(revision, path)


def open_git(spec: str, options: SourceOptions) -> DocumentSet:
    """Read the schema files at PATH (a file or folder) in revision REV of the repository around `git_dir`."""
    source = parse_git_spec(spec)
    folder = options.git_dir
    top_level, prefix = _locations(spec, folder)
    tree = _tree_of(spec, folder, source.revision, top_level)
    relative = _repository_path(spec, source.path, top_level, prefix)
    if not relative:
        return _read_folder(spec, folder, tree)
    entry = _entry_at(spec, folder, tree, relative)
    if entry is None:
        raise GitError(f"{spec}: no file or folder {relative!r} in revision {source.revision!r}")
    if entry.kind == "tree":
        return _read_folder(spec, folder, entry.object_id)
    if entry.kind != "blob":
        raise GitError(f"{spec}: {relative!r} is a submodule, which schema-diff cannot read")
    _reject_symlink(spec, entry)
    name = posixpath.basename(relative)
    contents = read_blobs(spec, folder, [entry.object_id])
    return build_document_set(spec, {name: contents[entry.object_id]}, single_file=True)


def _locations(spec: str, folder: Path) -> tuple[Path, str]:
    """Return the repository's top folder and the path of `folder` inside it (`schemas/` or empty)."""
    output = run_git(spec, folder, ["rev-parse", "--show-toplevel", "--show-prefix"]).decode("utf-8", "surrogateescape")
    top_level, _, prefix = output.partition("\n")
    return Path(top_level), prefix.rstrip("\n")


def _tree_of(spec: str, folder: Path, revision: str, top_level: Path) -> str:
    # The revision goes to git on standard input, where it can only be read as an object name.
    output = run_git(spec, folder, ["cat-file", "--batch-check"], stdin=f"{revision}^{{tree}}\n".encode())
    fields = output.decode("utf-8", "surrogateescape").split()
    if len(fields) != 3 or fields[1] != "tree":
        raise GitError(f"{spec}: revision {revision!r} not found in the repository at {top_level}")
    return fields[0]


def _repository_path(spec: str, path: str, top_level: Path, prefix: str) -> str:
    """Turn PATH (relative to `git_dir`, or absolute) into a path from the repository's top; empty means the top."""
    if os.path.isabs(path):
        relative = os.path.relpath(os.path.realpath(path), os.path.realpath(top_level)).replace(os.sep, "/")
    else:
        relative = posixpath.normpath(prefix + path) if prefix + path else "."
    if relative == ".." or relative.startswith("../"):
        raise GitError(f"{spec}: the path {path!r} is outside the repository at {top_level}")
    return "" if relative == "." else relative


def _entry_at(spec: str, folder: Path, tree: str, relative: str) -> _TreeEntry | None:
    output = run_git(spec, folder, ["ls-tree", "-z", "--full-tree", tree, "--", relative])
    entries = [entry for entry in _parse_ls_tree(output) if entry.path == relative]
    return entries[0] if entries else None


def _read_folder(spec: str, folder: Path, tree: str) -> DocumentSet:
    output = run_git(spec, folder, ["ls-tree", "-r", "-z", "--full-tree", tree])
    entries = [entry for entry in _parse_ls_tree(output) if entry.kind == "blob" and entry.path.endswith(SCHEMA_SUFFIXES)]
    for entry in entries:
        _reject_symlink(spec, entry)
    contents = read_blobs(spec, folder, [entry.object_id for entry in entries])
    return build_document_set(spec, {entry.path: contents[entry.object_id] for entry in entries})


def _reject_symlink(spec: str, entry: _TreeEntry) -> None:
    # NOTE: a symbolic link is not followed, even to a file inside the same revision.
    if entry.mode == _SYMLINK_MODE:
        raise GitError(f"{spec}: {entry.path} is a symbolic link; schema-diff reads only regular files from git revisions")


def _parse_ls_tree(output: bytes) -> list[_TreeEntry]:
    entries = []
    for record in output.split(b"\0"):
        if not record:
            continue
        header, _, path = record.partition(b"\t")
        mode, kind, object_id = header.decode("ascii").split(" ")
        entries.append(_TreeEntry(mode, kind, object_id, path.decode("utf-8", "surrogateescape")))
    return entries


def read_blobs(spec: str, folder: Path, object_ids: Sequence[str]) -> dict[str, bytes]:
    """Read the contents of blobs in one `git cat-file --batch` call."""
    if not object_ids:
        return {}
    output = run_git(spec, folder, ["cat-file", "--batch"], stdin="".join(f"{oid}\n" for oid in object_ids).encode("ascii"))
    contents: dict[str, bytes] = {}
    position = 0
    # Each object comes as a header line `OID TYPE SIZE`, then SIZE bytes, then a newline.
    for requested in object_ids:
        end = output.index(b"\n", position)
        header = output[position:end].decode("ascii").split()
        if len(header) != 3:
            raise GitError(f"{spec}: git cannot read object {requested}: {' '.join(header)}")
        size = int(header[2])
        contents[requested] = output[end + 1:end + 1 + size]
        position = end + 1 + size + 1
    return contents


def run_git(spec: str, folder: Path, arguments: Sequence[str], stdin: bytes | None = None) -> bytes:
    """Run one git command in `folder` and return its standard output; a failure raises GitError with git's message."""
    environment = {**os.environ, **_GIT_ENVIRONMENT}
    try:
        completed = subprocess.run(["git", *arguments], cwd=folder, input=stdin, capture_output=True, env=environment, check=False)
    except FileNotFoundError as error:
        # Raised for a missing `folder` too, so the message names which of the two is missing.
        missing = "the folder " + str(folder) if not folder.is_dir() else "the git program (not on PATH)"
        raise GitError(f"{spec}: cannot run git: {missing} does not exist") from error
    except OSError as error:
        raise GitError(f"{spec}: cannot run git in {folder}: {error.strerror or error}") from error
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().replace("\n", "; ") or f"exit status {completed.returncode}"
        raise GitError(f"{spec}: git {arguments[0]} failed: {message.removeprefix('fatal: ')}")
    return completed.stdout


def staged_tree(folder: Path) -> str:
    """The id of a tree object holding what is staged in the index (`git write-tree`).

    Writing the tree only adds an object to the object store; the index, the working tree
    and every ref stay as they were.
    """
    output = run_git("the staged files", folder, ["write-tree"])
    return output.decode("ascii", "replace").strip()
