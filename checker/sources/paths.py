"""Read a file, a folder, or an archive file (`.tgz`, `.tar.gz`, `.tar`, `.zip`) on the local disk."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from checker.documents import DocumentSet
from checker.errors import SourceNotFoundError
from checker.loading import load_path
from checker.sources.archives import archive_kind, read_archive
from checker.sources.options import SourceOptions
from checker.sources.trees import build_document_set, select


def open_path(spec: str, options: SourceOptions) -> DocumentSet:
    """Load a file or folder as `checker.load_path` does; an archive's members are read in memory instead."""
    path = Path(spec)
    kind = archive_kind(path.name)
    if kind is None or not path.is_file():
        # load_path names the source by the Path, which drops a trailing slash the user wrote.
        return dataclasses.replace(load_path(spec), source=spec)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceNotFoundError(f"{spec}: cannot be read: {error.strerror}") from error
    tree = read_archive(spec, data, kind, options.limits)
    files, _ = select(spec, tree, "")
    # A member is shown as `ARCHIVE:MEMBER`, as a git path is shown as `git:REV:PATH`.
    return build_document_set(spec, files, shown_root=spec + ":")
