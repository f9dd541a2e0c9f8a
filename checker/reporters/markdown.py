"""Release notes in Markdown (CommonMark), short enough for a pull-request comment.

The notes list breaking changes, potentially breaking changes, additions and other
changes, each section only when it has entries. One line per distinct change, however
many places it occurs in. Past a size limit the listing stops and the rest is counted.
"""

from __future__ import annotations

from typing import TextIO

from checker.model import Report, Severity
from checker.reporters.sentences import (
    Code,
    cosmetic_summary,
    Note,
    NoteSection,
    ReleaseNotes,
    counted,
    escape_markdown,
    markdown_inline,
    release_notes,
)

#: GitHub accepts pull-request comments of up to 65,536 characters; this leaves room to spare.
DEFAULT_MAX_BYTES = 60_000


def write_markdown(report: Report, stream: TextIO, color: bool = False, *, include_cosmetic: bool = False,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Write the report as Markdown release notes; `color` is accepted for a common signature and ignored.

    `include_cosmetic` lists cosmetic changes instead of only counting them. Once the text
    would pass `max_bytes` (UTF-8), the listing stops and a last section counts what is
    left out per section. The heading, that count and the stale declarations are always
    written, so a very small `max_bytes` can still be exceeded.
    """
    notes = release_notes(report, include_cosmetic)
    stream.write(markdown_notes(notes, max_bytes))


def markdown_notes(notes: ReleaseNotes, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Render release notes as one CommonMark document."""
    writer = _BlockWriter(max_bytes - _reserve(notes))
    writer.add("# " + markdown_inline(notes.title))
    if notes.semver:
        writer.add(escape_markdown(_sentence(notes.semver)))
    writer.add("Mode: " + markdown_inline((Code(notes.mode.value),)) + ".")
    if not notes.sections:
        writer.add("No changes.")
    left_out: dict[Severity, int] = {}
    for position, section in enumerate(notes.sections):
        if not _write_section(writer, section):
            left_out = {later.severity: _unlisted(later, writer) for later in notes.sections[position:]}
            break
    writer.limit = None
    if left_out:
        writer.add_all(_left_out_blocks(left_out))
    if notes.stale:
        writer.add_all(_stale_blocks(notes.stale))
    return writer.text()


class _BlockWriter:
    """Collects blocks separated by blank lines and checks whether another one fits in the limit."""

    def __init__(self, limit: int | None) -> None:
        self.blocks: list[str] = []
        self.size = 0
        self.limit = limit
        #: The notes written so far, to count the ones left out.
        self.written: set[int] = set()

    def fits(self, *blocks: str) -> bool:
        return self.fits_size(sum(len(block.encode("utf-8")) + 2 for block in blocks) - 2)

    def fits_size(self, size: int) -> bool:
        """Check whether a block of `size` bytes still fits, with the blank line before the next."""
        return self.limit is None or self.size + size + 2 <= self.limit

    def add(self, block: str) -> None:
        self.blocks.append(block)
        self.size += len(block.encode("utf-8")) + 2

    def add_all(self, blocks: list[str]) -> None:
        for block in blocks:
            self.add(block)

    def text(self) -> str:
        return "\n\n".join(self.blocks) + "\n"


def _write_section(writer: _BlockWriter, section: NoteSection) -> bool:
    """Write one section; False when the size limit stopped it before its end."""
    heading = "## " + section.title
    if not section.listed:
        summary = markdown_inline(cosmetic_summary(section.count))
        if not writer.fits(heading, summary):
            return False
        writer.add_all([heading, summary])
        writer.written.update(id(note) for group in section.groups for note in group.notes)
        return True
    for position, group in enumerate(section.groups):
        group_heading = "### " + markdown_inline((Code(group.title),))
        first = _line(group.notes[0])
        if not writer.fits(*([heading] if position == 0 else []), group_heading, first):
            return False
        if position == 0:
            writer.add(heading)
        writer.add(group_heading)
        if not _write_list(writer, group.notes):
            return False
    return True


def _write_list(writer: _BlockWriter, notes: tuple[Note, ...]) -> bool:
    lines: list[str] = []
    size = -1
    for note in notes:
        line = _line(note)
        # The list becomes one block: its lines and the newlines between them.
        size += len(line.encode("utf-8")) + 1
        if not writer.fits_size(size):
            break
        lines.append(line)
        writer.written.add(id(note))
    if lines:
        writer.add("\n".join(lines))
    return len(lines) == len(notes)


def _line(note: Note) -> str:
    line = "- " + markdown_inline(note.parts)
    reasons = [reason for reason in note.reasons if reason]
    if reasons:
        label = "Declared" if note.declared else "Declared in some places"
        line += f" {label}: " + " ".join(escape_markdown(_sentence(reason), line_start=False) for reason in reasons)
    return line


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _unlisted(section: NoteSection, writer: _BlockWriter) -> int:
    return sum(1 for group in section.groups for note in group.notes if id(note) not in writer.written)


def _left_out_blocks(left_out: dict[Severity, int]) -> list[str]:
    counts = [f"- {counted(count, severity)}" for severity, count in left_out.items() if count]
    return [
        "## Not listed",
        "The listing stops here to keep these notes short enough for a pull-request comment. Not listed:",
        "\n".join(counts),
        "The JSON and HTML reports list every change.",
    ]


def _stale_blocks(stale: tuple[str, ...]) -> list[str]:
    return [
        "## Warning: stale declarations",
        "These declarations in the project file match no change. Remove them, or correct what they match:",
        "\n".join("- " + escape_markdown(declaration) for declaration in stale),
    ]


def _reserve(notes: ReleaseNotes) -> int:
    """Count the bytes kept free for what is always written after the listing."""
    worst = {section.severity: section.count for section in notes.sections}
    tail = _left_out_blocks(worst) + (_stale_blocks(notes.stale) if notes.stale else [])
    return sum(len(block.encode("utf-8")) + 2 for block in tail)
