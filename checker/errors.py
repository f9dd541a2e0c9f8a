"""Errors that schema-diff reports to the user: one line each, naming the file and the problem."""

from __future__ import annotations


class SchemaDiffError(Exception):
    """Base of every error caused by the user's input rather than by a bug."""


class SourceNotFoundError(SchemaDiffError):
    """A source named on the command line does not exist."""


class EmptySourceError(SchemaDiffError):
    """A folder holds no schema documents."""


class DocumentParseError(SchemaDiffError):
    """A document is not valid JSON or YAML."""


class InvalidSchemaError(SchemaDiffError):
    """A document is not a valid schema for its draft."""


class UnresolvableReferenceError(SchemaDiffError):
    """A `$ref` inside the compared sources points at nothing."""


class UsageError(SchemaDiffError):
    """The sources or options cannot be used together."""
