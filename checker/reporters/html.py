"""Release notes as one self-contained HTML5 page.

The page has the same content as the Markdown notes, with no external scripts, styles
or fonts. Everything is visible without JavaScript: groups are `<details open>`, which
browsers collapse and expand natively. When JavaScript runs, checkboxes filter the
sections by severity. Each change record has an anchor id (`change-` and its id) and
shows its document and pointer, and its file and line when known.
"""

from __future__ import annotations

import dataclasses
import html
from typing import TextIO

from checker.jsonvalues import printable
from checker.model import Change, Report, ordered_directions
from checker.reporters.sentences import (
    Note,
    NoteGroup,
    NoteSection,
    ReleaseNotes,
    cosmetic_summary,
    html_inline,
    plain_text,
    release_notes,
)

STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; color: #1f2328; }
code { font: 0.9em ui-monospace, monospace; background: #f3f4f6; padding: 0 0.2em; border-radius: 3px; }
h2 { border-bottom: 1px solid #d0d7de; padding-bottom: 0.2em; }
section[data-severity="breaking"] h2 { color: #b42318; }
section[data-severity="potentially-breaking"] h2 { color: #9a6700; }
section[data-severity="additive"] h2 { color: #1a7f37; }
section[data-severity="cosmetic"] h2 { color: #57606a; }
details { margin: 0.5em 0; }
summary { cursor: pointer; font-weight: 600; }
ul.notes > li { margin: 0.4em 0; }
ul.places { font-size: 0.85em; color: #57606a; list-style: none; padding-left: 1em; }
ul.places li:target { background: #fff8c5; }
a.anchor { color: inherit; text-decoration: none; }
.declared { color: #0969da; }
.warning { border-left: 4px solid #9a6700; padding-left: 1em; }
#filters label { margin-right: 1em; }
""".strip()

#: Shows the filters and hides a severity's section when its box is cleared.
SCRIPT = """
(function () {
  var form = document.getElementById("filters");
  form.hidden = false;
  form.addEventListener("change", function (event) {
    var box = event.target;
    var sections = document.querySelectorAll("section[data-severity]");
    for (var i = 0; i < sections.length; i++) {
      if (sections[i].getAttribute("data-severity") === box.value) {
        sections[i].hidden = !box.checked;
      }
    }
  });
})();
""".strip()


def write_html(report: Report, stream: TextIO, color: bool = False, *, include_cosmetic: bool = False) -> None:
    """Write the report as one HTML page; `color` is accepted for a common signature and ignored.

    `include_cosmetic` lists cosmetic changes instead of only counting them.
    """
    stream.write(html_page(release_notes(report, include_cosmetic)))


def html_page(notes: ReleaseNotes) -> str:
    """Render release notes as an HTML5 document."""
    title = _escape(plain_text(notes.title))
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{html_inline(notes.title)}</h1>",
    ]
    if notes.semver:
        lines.append(f'<p class="semver">{_escape(notes.semver)}</p>')
    lines.append(f"<p>Mode: <code>{_escape(notes.mode.value)}</code>.</p>")
    if not notes.sections:
        lines.append("<p>No changes.</p>")
    else:
        lines.extend(_filters(notes.sections))
    ids: set[str] = set()
    for section in notes.sections:
        lines.extend(_section(section, ids))
    if notes.stale:
        lines.extend(_stale(notes.stale))
    lines.extend([f"<script>\n{SCRIPT}\n</script>", "</body>", "</html>"])
    return "\n".join(lines) + "\n"


def changelog_page(title: str, releases: list[ReleaseNotes]) -> str:
    """Render the release notes of many releases, newest first, as one HTML5 document."""
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_escape(title)}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{_escape(title)}</h1>",
    ]
    every_section = tuple(section for notes in releases for section in notes.sections)
    if every_section:
        lines.extend(_filters(_one_per_severity(every_section)))
    ids: set[str] = set()
    for notes in releases:
        lines.extend(["<article>", f"<h2>{html_inline(notes.title)}</h2>"])
        if notes.semver:
            lines.append(f'<p class="semver">{_escape(notes.semver)}</p>')
        if not notes.sections:
            lines.append("<p>No changes.</p>")
        for section in notes.sections:
            # Inside a release, a section's heading sits one level below the release's.
            release = plain_text(notes.title)
            lines.extend(_in_release(line, release) for line in _section(section, ids))
        lines.append("</article>")
    lines.extend([f"<script>\n{SCRIPT}\n</script>", "</body>", "</html>"])
    return "\n".join(lines) + "\n"


def _in_release(line: str, release: str) -> str:
    # Inside a release a section's heading sits one level lower, and its id names the
    # release, so that every id stays unique on the page.
    line = line.replace("<h2", "<h3").replace("</h2>", "</h3>")
    if line.startswith("<section id=\""):
        line = line.replace('<section id="', f'<section id="{_slug(release)}-', 1)
    return line


def _slug(text: str) -> str:
    return "".join(character if character.isalnum() or character in "-." else "-" for character in text).strip("-")


def _one_per_severity(sections: tuple[NoteSection, ...]) -> tuple[NoteSection, ...]:
    # The page's filters count every release's changes of a severity together.
    merged: dict[object, NoteSection] = {}
    for section in sections:
        earlier = merged.get(section.severity)
        merged[section.severity] = section if earlier is None else dataclasses.replace(earlier, groups=earlier.groups + section.groups)
    return tuple(merged.values())


def _filters(sections: tuple[NoteSection, ...]) -> list[str]:
    # Hidden until the script runs, since the boxes do nothing without it.
    boxes = [f'<label><input type="checkbox" value="{_escape(section.severity.value)}" checked> '
             f"{_escape(section.title)} ({section.count})</label>" for section in sections]
    return ['<form id="filters" hidden>', "<p>Show:", *boxes, "</p>", "</form>"]


def _section(section: NoteSection, ids: set[str]) -> list[str]:
    severity = _escape(section.severity.value)
    lines = [f'<section id="{severity}" data-severity="{severity}">', f"<h2>{_escape(section.title)}</h2>"]
    if not section.listed:
        lines.append(f"<p>{html_inline(cosmetic_summary(section.count))}</p>")
        lines.extend(_hidden_anchors(section, ids))
    else:
        for group in section.groups:
            lines.extend(_group(group, ids))
    lines.append("</section>")
    return lines


def _hidden_anchors(section: NoteSection, ids: set[str]) -> list[str]:
    # Unlisted changes still get their anchors, so that links to them land on the count.
    anchors = [f'<span id="{_unique_id(change, ids)}"></span>' for group in section.groups
               for note in group.notes for change in note.changes]
    return [f'<p hidden>{"".join(anchors)}</p>'] if anchors else []


def _group(group: NoteGroup, ids: set[str]) -> list[str]:
    lines = ["<details open>", f"<summary><code>{_escape(group.title)}</code> ({len(group.notes)})</summary>",
             '<ul class="notes">']
    for note in group.notes:
        lines.extend(_note(note, ids))
    lines.extend(["</ul>", "</details>"])
    return lines


def _note(note: Note, ids: set[str]) -> list[str]:
    lines = ["<li>", f"<p>{html_inline(note.parts)}</p>"]
    reasons = [reason for reason in note.reasons if reason]
    if reasons:
        label = "Declared" if note.declared else "Declared in some places"
        lines.append(f'<p class="declared">{label}: {_escape(" ".join(reasons))}</p>')
    lines.append('<ul class="places">')
    lines.extend(_place(change, _unique_id(change, ids)) for change in note.changes)
    lines.extend(["</ul>", "</li>"])
    return lines


def _place(change: Change, anchor: str) -> str:
    pointer = change.new_pointer if change.new_pointer is not None else change.old_pointer or ""
    breaks = ", ".join(direction.value for direction in ordered_directions(change.breaks))
    details = [f'<a class="anchor" href="#{anchor}" title="Link to this change">#</a>',
               f"<code>{_escape(change.schema)}#{_escape(pointer)}</code>"]
    if change.file:
        where = change.file + (f":{change.line}" if change.line else "")
        details.append(f'<span class="file">{_escape(where)}</span>')
    details.append(f'<span class="rule">{_escape(change.rule)}</span>')
    if breaks:
        details.append(f'<span class="breaks">breaks {_escape(breaks)}</span>')
    if change.declared:
        details.append('<span class="declared">declared</span>')
    return f'<li id="{anchor}">{" ".join(details)}</li>'


def _unique_id(change: Change, ids: set[str]) -> str:
    anchor, number = f"change-{change.id}", 2
    while anchor in ids:
        anchor, number = f"change-{change.id}-{number}", number + 1
    ids.add(anchor)
    return anchor


def _stale(stale: tuple[str, ...]) -> list[str]:
    items = [f"<li>{_escape(declaration)}</li>" for declaration in stale]
    return ['<section id="stale" class="warning">', "<h2>Warning: stale declarations</h2>",
            "<p>These declarations in the project file match no change. Remove them, or correct what they match:</p>",
            "<ul>", *items, "</ul>", "</section>"]


def _escape(text: str) -> str:
    # Control characters from a schema (NUL, ESC, ...) are shown escaped, never passed through.
    return html.escape(printable(text))
