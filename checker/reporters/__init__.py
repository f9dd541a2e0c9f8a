"""Reporters turn a classified report into text for people or JSON for programs.

Each reporter only formats: it takes a report and a stream, and writes to the stream.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from checker.model import Report
from checker.reporters.json import write_json
from checker.reporters.text import write_text

Reporter = Callable[[Report, TextIO, bool], None]

#: Reporters by the name `--format` takes.
REPORTERS: dict[str, Reporter] = {
    "text": write_text,
    "json": write_json,
}
