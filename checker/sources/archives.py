"""Read tar and zip archives in memory, rejecting unsafe members; nothing is ever extracted to disk.

Every member is checked, not only the schema files, because an archive that contains a link or a
path leading out of its folder is not one to trust for the rest of its contents either.
"""

from __future__ import annotations

import io
import lzma
import re
import stat
import tarfile
import zipfile
import zlib
from typing import Literal

from checker.errors import InvalidArchiveError, UnsafeArchiveError
from checker.loading import SCHEMA_SUFFIXES
from checker.sources.options import ArchiveLimits
from checker.sources.trees import FileTree

ArchiveKind = Literal["tar", "zip"]

# Exceptions the standard library raises for a damaged archive. gzip raises OSError on a damaged stream;
# zipfile raises NotImplementedError for an unknown compression method and RuntimeError for an
# encrypted member.
_DAMAGED_ARCHIVE = (
    tarfile.TarError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, lzma.LZMAError,
    OSError, NotImplementedError, RuntimeError,
)

# A Windows drive (`C:`) at the start of a member name makes it absolute on that system.
_DRIVE = re.compile(r"^[A-Za-z]:")


def archive_kind(file_name: str) -> ArchiveKind | None:
    """Tell from a file name whether it is a tar or zip archive that schema-diff reads."""
    lowered = file_name.lower()
    if lowered.endswith((".tgz", ".tar.gz", ".tar")):
        return "tar"
    if lowered.endswith((".zip", ".whl")):
        return "zip"
    return None


def read_archive(label: str, data: bytes, kind: ArchiveKind, limits: ArchiveLimits, strip_top: bool = False) -> FileTree:
    """Read the schema files of an archive held in memory, after checking every member.

    `label` names the archive in errors. With `strip_top`, the first folder of every member
    path is removed (npm tarballs keep everything under `package/`, source archives under
    `NAME-VERSION/`), and members outside any folder are dropped.
    """
    reader = _read_tar if kind == "tar" else _read_zip
    try:
        return reader(label, data, limits, strip_top)
    except _DAMAGED_ARCHIVE as error:
        # tarfile lists one line per compression it tried; the first line is the summary.
        detail = (str(error).splitlines() or [type(error).__name__])[0].rstrip(":")
        if isinstance(error, RuntimeError) and "encrypted" in detail:
            # zipfile names the member by the repr of its ZipInfo object, which reads badly in a message.
            detail = "a member is encrypted, and schema-diff reads no passwords"
        raise InvalidArchiveError(f"{label}: not a readable {kind} archive: {detail}") from error


class _Budget:
    """Counts members and uncompressed bytes, and stops the read when either limit is passed."""

    def __init__(self, label: str, limits: ArchiveLimits) -> None:
        self.label = label
        self.limits = limits
        self.members = 0
        self.bytes = 0

    def add(self, name: str, size: int) -> None:
        self.members += 1
        self.bytes += max(size, 0)
        if self.members > self.limits.max_members:
            raise UnsafeArchiveError(f"{self.label}: more than {self.limits.max_members} members, the member limit; the archive is rejected")
        if self.bytes > self.limits.max_bytes:
            raise UnsafeArchiveError(
                f"{self.label}: uncompressed contents exceed {_mebibytes(self.limits.max_bytes)} "
                f"(reached at member {name!r}); the archive is rejected"
            )


def _mebibytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB" if size >= 1024 * 1024 else f"{size} bytes"


def _read_tar(label: str, data: bytes, limits: ArchiveLimits, strip_top: bool) -> FileTree:
    budget = _Budget(label, limits)
    files: dict[str, bytes] = {}
    paths: set[str] = set()
    # Iterating reads one header at a time, and the budget is checked on each header before the
    # member's data is decompressed, so a bomb is stopped after at most `max_bytes` of output.
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
        for member in archive:
            budget.add(member.name, member.size)
            name = _safe_name(label, member.name)
            if member.issym() or member.islnk():
                raise UnsafeArchiveError(f"{label}: member {member.name!r} is a link; schema-diff reads no links from archives")
            if member.isdir():
                continue
            if not member.isfile():
                raise UnsafeArchiveError(f"{label}: member {member.name!r} is not a regular file or folder")
            path = _strip_top(name) if strip_top else name
            if path is None:
                continue
            _reject_duplicate(label, member.name, path, paths)
            paths.add(path)
            if path.endswith(SCHEMA_SUFFIXES):
                handle = archive.extractfile(member)
                assert handle is not None  # a regular file always has contents
                files[path] = handle.read()
    return FileTree(files, frozenset(paths))


def _read_zip(label: str, data: bytes, limits: ArchiveLimits, strip_top: bool) -> FileTree:
    budget = _Budget(label, limits)
    files: dict[str, bytes] = {}
    paths: set[str] = set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            # zipfile stops reading a member at its declared size, so the declared sizes bound the output.
            budget.add(info.filename, info.file_size)
            name = _safe_name(label, info.filename)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise UnsafeArchiveError(f"{label}: member {info.filename!r} is a link; schema-diff reads no links from archives")
            if info.is_dir():
                continue
            path = _strip_top(name) if strip_top else name
            if path is None:
                continue
            _reject_duplicate(label, info.filename, path, paths)
            paths.add(path)
            if path.endswith(SCHEMA_SUFFIXES):
                files[path] = archive.read(info)
    return FileTree(files, frozenset(paths))


def _reject_duplicate(label: str, raw: str, path: str, seen: set[str]) -> None:
    # Two members for one path would let the later one silently replace the earlier.
    if path in seen:
        raise InvalidArchiveError(f"{label}: member {raw!r} repeats the path {path!r}; refusing to pick one")


def _safe_name(label: str, raw: str) -> str:
    """Return a member's path without `.` parts, or reject one that is absolute or climbs out with `..`."""
    # Backslashes count as separators too: they are one on Windows, where the archive may be unpacked.
    parts = re.split(r"[/\\]", raw)
    if raw.startswith(("/", "\\")) or _DRIVE.match(raw):
        raise UnsafeArchiveError(f"{label}: member {raw!r} has an absolute path; the archive is rejected")
    if ".." in parts:
        raise UnsafeArchiveError(f"{label}: member {raw!r} leads out of its folder with '..'; the archive is rejected")
    return "/".join(part for part in parts if part not in ("", "."))


def _strip_top(path: str) -> str | None:
    top, separator, rest = path.partition("/")
    return rest if separator and rest else None
