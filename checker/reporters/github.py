"""GitHub Actions workflow commands, which GitHub shows as annotations on a pull request's files."""

from __future__ import annotations

from typing import TextIO

from checker.jsonvalues import printable
from checker.model import Change, Report, Severity
from checker.reporters.text import summary_line

#: The workflow command for each severity; cosmetic changes get no annotation.
LEVELS = {
    Severity.BREAKING: "error",
    Severity.POTENTIALLY_BREAKING: "warning",
    Severity.ADDITIVE: "notice",
}


def _escape_data(text: str) -> str:
    # The runner's escapes for a command's message; other control characters are written
    # as Python escapes, so that none reaches the log raw.
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    # Property values also escape the separators `:` and `,`.
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(change: Change) -> str | None:
    """One `::error file=...,line=...,title=...::message` line, or None for a cosmetic change."""
    level = LEVELS.get(change.severity)  # type: ignore[arg-type]
    if level is None:
        return None
    if change.declared:
        level = "notice"
    properties = []
    if change.file:
        properties.append(f"file={_escape_property(change.file)}")
        properties.append(f"line={change.line or 1}")
    declared = " (declared)" if change.declared else ""
    properties.append(f"title={_escape_property(f'schema-diff {change.rule}{declared}')}")
    where = change.new_pointer if change.new_pointer is not None else change.old_pointer
    subject = change.type_name or change.schema
    message = f"{subject} {where}: {change.message}" if where else f"{subject}: {change.message}"
    if change.declared and change.reason:
        message += f". Declared: {change.reason}"
    return f"::{level} {','.join(properties)}::{_escape_data(message)}"


def write_github(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write one workflow command per change that matters, then the summary as a notice."""
    for change in report.changes:
        line = annotation(change)
        if line is not None:
            stream.write(line + "\n")
    stream.write(f"::notice title=schema-diff::{_escape_data(summary_line(report))}\n")
