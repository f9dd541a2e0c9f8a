"""Reporters turn a classified report into text for people or JSON for programs.

Each reporter only formats: it takes a report and a stream, and writes to the stream.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from checker.model import Report
from checker.reporters.github import write_github
from checker.reporters.json import write_json
from checker.reporters.junit import write_junit
from checker.reporters.sarif import write_sarif
from checker.reporters.text import write_text

Reporter = Callable[[Report, TextIO, bool], None]

#: Reporters by the name `--format` takes.
REPORTERS: dict[str, Reporter] = {
    "text": write_text,
    "json": write_json,
    "github": write_github,
    "junit": write_junit,
    "sarif": write_sarif,
}

#: Formats that point at a line of a file, so the run looks up each change's line.
ANNOTATING_FORMATS = frozenset({"github", "sarif"})


def write_report(name: str, report: Report, stream: TextIO, color: bool = False, include_cosmetic: bool = False) -> None:
    """Write the report in the named format."""
    REPORTERS[name](report, stream, color)
