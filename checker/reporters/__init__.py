"""Reporters turn a classified report into text for people or JSON for programs.

Each reporter only formats: it takes a report and a stream, and writes to the stream.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from checker.model import Report
from checker.reporters.github import write_github
from checker.reporters.html import write_html
from checker.reporters.json import write_json
from checker.reporters.junit import write_junit
from checker.reporters.markdown import write_markdown
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
    "markdown": write_markdown,
    "html": write_html,
}

#: Formats that count cosmetic changes and list them only when asked (`--all`).
SUMMARISING_FORMATS = {"markdown": write_markdown, "html": write_html}

#: Formats that point at a line of a file, so the run looks up each change's line.
ANNOTATING_FORMATS = frozenset({"github", "sarif"})


def write_report(name: str, report: Report, stream: TextIO, color: bool = False, include_cosmetic: bool = False) -> None:
    """Write the report in the named format."""
    if name in SUMMARISING_FORMATS:
        SUMMARISING_FORMATS[name](report, stream, color, include_cosmetic=include_cosmetic)
        return
    REPORTERS[name](report, stream, color)
