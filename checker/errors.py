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


class InvalidSourceError(UsageError):
    """A source argument is malformed, such as `npm:` without a version or a git revision starting with `-`."""


class GitError(SchemaDiffError):
    """A git command failed, or a git revision or path does not exist; the message carries git's own."""


class DownloadError(SchemaDiffError):
    """A download failed: the server could not be reached, timed out, or returned an error or a malformed response."""


class PackageNotFoundError(SourceNotFoundError):
    """A package registry or index has no such package, or no such version of it."""


class IntegrityError(SchemaDiffError):
    """A download does not match the hash that its registry or index published for it."""


class InvalidArchiveError(SchemaDiffError):
    """An archive (tarball, zip, wheel) cannot be read."""


class UnsafeArchiveError(InvalidArchiveError):
    """An archive member would land outside its folder or is a link, or the archive exceeds a size or member limit."""


class ProjectFileError(SchemaDiffError):
    """The project file (`schema-diff.toml`) cannot be read, parsed or written."""


class VersionError(SchemaDiffError):
    """A version number does not parse, or cannot be compared."""
