"""A disk cache of verified package downloads, keyed by package name and version.

Each entry is a folder `KIND/NAME/VERSION/` holding the downloaded file as `download` and an
`entry.json` with the origin it came from, its original file name and its hash. `entry.json` is
written last, so an entry without it is incomplete and ignored. Both files are replaced
atomically, so a reader never sees half a file, and every read checks the hash again.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from checker.sources.integrity import Digest

# One folder name in a cache key: no separators, and never `.` or `..` because it cannot start with a dot.
_KEY_PART = re.compile(r"[A-Za-z0-9@_~+!-][A-Za-z0-9._~+!@-]*")


@dataclasses.dataclass(frozen=True)
class CachedDownload:
    """A downloaded file and the name it was published under (`core-1.7.1.tgz`)."""

    data: bytes
    file_name: str


class DownloadCache:
    """Downloads kept under one folder and reused while their hash still matches."""

    def __init__(self, root: Path, note: Callable[[str], None]) -> None:
        self.root = root
        self.note = note

    def read(self, key: Sequence[str], origin: str) -> CachedDownload | None:
        """Return the cached download for `key` fetched from `origin`, or None when there is no valid one."""
        folder = self._folder(key)
        try:
            entry = json.loads((folder / "entry.json").read_text(encoding="utf-8"))
            data = (folder / "download").read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("origin") != origin:
            return None
        digest = Digest.from_hex(str(entry.get("algorithm")), str(entry.get("digest")))
        if digest is None or not digest.matches(data):
            self.note(f"the cached download in {folder} does not match its recorded hash; downloading it again")
            return None
        return CachedDownload(data, str(entry.get("file_name", "")))

    def write(self, key: Sequence[str], download: CachedDownload, digest: Digest, origin: str) -> None:
        """Store a verified download; a cache that cannot be written only costs a note."""
        folder = self._folder(key)
        entry = {"origin": origin, "file_name": download.file_name, "algorithm": digest.algorithm, "digest": digest.value.hex()}
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _write_atomically(folder / "download", download.data)
            _write_atomically(folder / "entry.json", json.dumps(entry, indent=2).encode("utf-8"))
        except OSError as error:
            self.note(f"cannot write to the download cache {self.root}: {error.strerror or error}; continuing without it")

    def _folder(self, key: Sequence[str]) -> Path:
        for part in key:
            if not _KEY_PART.fullmatch(part):
                raise ValueError(f"unsafe cache key part {part!r}")
        return self.root.joinpath(*key)


def _write_atomically(target: Path, data: bytes) -> None:
    # The temporary file sits in the target's folder, so os.replace stays on one file system and is atomic.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix="-" + target.name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    finally:
        # After os.replace the temporary name is gone; this only removes it after a failure.
        Path(temporary).unlink(missing_ok=True)
