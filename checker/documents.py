"""Loaded documents: one version of a set of schemas, independent of where it came from."""

from __future__ import annotations

import dataclasses
from typing import Any

from checker.drafts import Draft


@dataclasses.dataclass(frozen=True)
class Document:
    """One schema file of a source, named by its path relative to the source's root."""

    path: str
    contents: Any
    draft: Draft
    #: The bytes the document was parsed from; equal bytes mean equal documents.
    data: bytes
    #: How messages name the document: the path the user gave, joined with its own.
    shown_as: str = ""

    @property
    def uri(self) -> str:
        """The base URI relative references in this document resolve against."""
        return "file:///" + self.path


@dataclasses.dataclass(frozen=True)
class DocumentSet:
    """One version of a set of schemas: documents by path, and where they came from."""

    source: str
    documents: dict[str, Document]
    version: str | None = None
    #: Whether the source named one file, not a folder (reports then name the file only).
    single_file: bool = False
    #: The folder on disk the documents were read from, when they were (for annotations).
    folder: str | None = None
    #: What the reader left out and why, for the user to see (a link leading outside the folder).
    notes: tuple[str, ...] = ()

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.documents.values())
