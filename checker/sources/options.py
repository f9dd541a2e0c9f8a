"""Settings shared by every source reader: where to look, where to cache, and how much to accept."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

#: Seconds to wait for a registry or index to connect or send data before giving up.
DEFAULT_TIMEOUT = 30.0


@dataclasses.dataclass(frozen=True)
class ArchiveLimits:
    """Bounds on what one archive may expand to, against decompression bombs."""

    #: Sum of the uncompressed sizes of all members, in bytes.
    max_bytes: int = 512 * 1024 * 1024
    max_members: int = 100_000


def print_note(message: str) -> None:
    """Write a note that does not stop the run to stderr."""
    print(f"schema-diff: note: {message}", file=sys.stderr)


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Pick the download cache: $SCHEMA_DIFF_CACHE, else $XDG_CACHE_HOME/schema-diff, else ~/.cache/schema-diff."""
    environ = os.environ if environ is None else environ
    if environ.get("SCHEMA_DIFF_CACHE"):
        return Path(environ["SCHEMA_DIFF_CACHE"])
    if environ.get("XDG_CACHE_HOME"):
        return Path(environ["XDG_CACHE_HOME"]) / "schema-diff"
    return Path.home() / ".cache" / "schema-diff"


@dataclasses.dataclass(frozen=True)
class SourceOptions:
    """Settings for looking up and fetching sources; the command line builds one from its options."""

    #: Folder of version folders that bare version names (`1.5.1`) refer to.
    store: Path = Path("schemas")
    #: npm registry URL; None means the one npm is configured with (.npmrc, $npm_config_registry).
    npm_registry: str | None = None
    #: PyPI simple index URL; None means the one pip is configured with ($PIP_INDEX_URL, pip.conf).
    index_url: str | None = None
    #: Folder where verified package downloads are kept and reused.
    cache_dir: Path = dataclasses.field(default_factory=default_cache_dir)
    #: Folder inside the git repository that `git:` sources read from; their paths are relative to it.
    git_dir: Path = dataclasses.field(default_factory=Path.cwd)
    limits: ArchiveLimits = ArchiveLimits()
    #: Seconds before a registry request times out.
    timeout: float = DEFAULT_TIMEOUT
    #: Receives notes that do not stop the run (a skipped folder, a cache that cannot be written).
    note: Callable[[str], None] = print_note
