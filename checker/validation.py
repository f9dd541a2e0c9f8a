"""Check documents against their draft's meta-schema before any verdict is drawn from them."""

from __future__ import annotations

from collections.abc import Iterable

import jsonschema.exceptions

from checker.documents import Document
from checker.errors import InvalidSchemaError
from checker.jsonvalues import join


def check_schema(document: Document, shown_as: str) -> None:
    """Raise InvalidSchemaError naming the keyword that makes a document an invalid schema."""
    validator = document.draft.validator(document.draft.validator.META_SCHEMA)
    error = jsonschema.exceptions.best_match(validator.iter_errors(document.contents))
    if error is None:
        return
    pointer = join("", *error.absolute_path) or "/"
    keyword = error.absolute_path[-1] if error.absolute_path else error.validator
    raise InvalidSchemaError(
        f"{shown_as}: not a valid {document.draft} schema: at {pointer} ({keyword}): {_shorten(error.message)}"
    )


def check_schemas(documents: Iterable[tuple[Document, str]]) -> None:
    """Check each (document, name shown to the user) pair; stop at the first invalid one."""
    for document, shown_as in documents:
        check_schema(document, shown_as)


def _shorten(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= 160 else message[:157] + "..."
