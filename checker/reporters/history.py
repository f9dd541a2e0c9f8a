"""Reports over many releases: a changelog of consecutive pairs, and the transitive check."""

from __future__ import annotations

import io
from collections import Counter
import json
from typing import TextIO

from checker.history import change_identity, oldest_broken
from checker.model import Change, Report, Severity
from checker.reporters.json import change_to_json, report_to_json
from checker.reporters.text import summary_line


def write_changelog_markdown(reports: list[Report], stream: TextIO, title: str, include_cosmetic: bool = False) -> None:
    """One Markdown document with the release notes of every pair, newest first."""
    from checker.reporters.markdown import write_markdown

    stream.write(f"# {title}\n")
    for report in reports:
        stream.write("\n")
        if not report.changes:
            stream.write(f"## Changes from `{report.old.version}` to `{report.new.version}`\n\nNo changes since {report.old.version}.\n")
            continue
        buffer = io.StringIO()
        write_markdown(report, buffer, include_cosmetic=include_cosmetic)
        stream.write(_demoted(buffer.getvalue()))


def _demoted(markdown: str) -> str:
    # Each release's notes start at heading level 1; inside the changelog they sit one level down.
    lines = []
    fenced = False
    for line in markdown.splitlines():
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        lines.append("#" + line if line.startswith("#") and not fenced else line)
    return "\n".join(lines) + "\n"


def write_changelog_html(reports: list[Report], stream: TextIO, title: str, include_cosmetic: bool = False) -> None:
    """One HTML page with the release notes of every pair, newest first."""
    from checker.reporters.html import changelog_page
    from checker.reporters.sentences import release_notes

    stream.write(changelog_page(title, [release_notes(report, include_cosmetic) for report in reports]))


def write_changelog_json(reports: list[Report], stream: TextIO) -> None:
    """The reports of every pair, newest first, as one JSON array."""
    json.dump([report_to_json(report) for report in reports], stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def write_changelog_text(reports: list[Report], stream: TextIO) -> None:
    """One summary line per release, newest first."""
    for report in reports:
        stream.write(f"{report.new.version} (since {report.old.version}): {summary_line(report) if report.changes else 'no changes'}\n")


def write_transitive_text(reports: list[Report], stream: TextIO) -> None:
    """Each breaking change of the newest release, under the oldest version it breaks."""
    newest = reports[-1].new.version if reports else "?"
    oldest = oldest_broken(reports)
    stream.write(f"Transitive check of {newest} against {len(reports)} earlier version{'s' if len(reports) != 1 else ''}\n")
    if not oldest:
        stream.write(f"\n{newest} breaks no earlier version.\n")
        return
    for report in reports:
        changes = [change for change in report.changes
                   if oldest.get(change_identity(change)) == report.old.version and _undeclared_breaking(change)]
        if changes:
            stream.write(f"\nBreaks {report.old.version} (the oldest version it breaks):\n")
        # A type inlined in many places breaks the same way in each; say it once, with the count.
        counts = Counter(f"{change.rule}: {change.type_name or change.schema}: {change.message}" for change in changes)
        for line, count in counts.items():
            stream.write(f"  {line}" + (f" ({count} places)" if count > 1 else "") + "\n")
    first = next(report.old.version for report in reports if report.old.version in oldest.values())
    stream.write(f"\n{len(oldest)} breaking change{'s' if len(oldest) != 1 else ''}; the oldest version broken is {first}.\n")


def _undeclared_breaking(change: Change) -> bool:
    return change.severity is Severity.BREAKING and not change.declared


def write_transitive_json(reports: list[Report], stream: TextIO) -> None:
    """The breaking changes of the newest release, each with the oldest version it breaks."""
    oldest = oldest_broken(reports)
    seen = set()
    breaks = []
    for report in reports:
        for change in report.changes:
            key = change_identity(change)
            if key in oldest and key not in seen:
                seen.add(key)
                breaks.append({**change_to_json(change), "oldest_broken": oldest[key]})
    json.dump({
        "new": reports[-1].new.version if reports else None,
        "against": [{"version": report.old.version, "breaking": len(report.undeclared(Severity.BREAKING))} for report in reports],
        "breaks": breaks,
    }, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
