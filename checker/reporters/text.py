"""The text report for people: changes grouped by named type or document, one line each."""

from __future__ import annotations

import dataclasses
import json
from typing import TextIO

import click

from checker.jsonvalues import printable
from checker.model import Change, Report, Severity, SourceInfo, ordered_directions

SEVERITY_ORDER = list(Severity)
COLORS = {
    Severity.BREAKING: "red",
    Severity.POTENTIALLY_BREAKING: "yellow",
    Severity.ADDITIVE: "green",
    Severity.COSMETIC: "bright_black",
}


@dataclasses.dataclass
class Entry:
    """One line of the report: the same change found at one or more places."""

    change: Change
    location: str
    places: list[str]


@dataclasses.dataclass
class Group:
    """The changes of one named type, or of one document when no name applies."""

    title: str
    places: list[str]
    entries: list[Entry]

    @property
    def worst(self) -> int:
        return min(SEVERITY_ORDER.index(entry.change.severity) for entry in self.entries)  # type: ignore[arg-type]


def group_changes(changes: tuple[Change, ...]) -> list[Group]:
    """Group changes by named type (listing every place it occurs) or else by document."""
    groups: dict[str, Group] = {}
    entries: dict[tuple[str, str], Entry] = {}
    for change in changes:
        title, place, location = _placement(change)
        group = groups.setdefault(title, Group(title, [], []))
        if place not in group.places:
            group.places.append(place)
        key = (title, entry_key(change, location))
        if key not in entries:
            entries[key] = Entry(change, location, [])
            group.entries.append(entries[key])
        entries[key].places.append(place)
    for group in groups.values():
        # The place that defines a type (the root of its own document) comes first.
        group.places.sort(key=lambda place: (" at " in place, place))
        group.entries.sort(key=lambda entry: (SEVERITY_ORDER.index(entry.change.severity), entry.location, entry.change.rule))  # type: ignore[arg-type]
    return sorted(groups.values(), key=lambda group: (group.worst, group.title))


def entry_key(change: Change, location: str) -> str:
    """Tell distinct lines of a group apart: the same change at places judged differently
    (an OpenAPI component breaking on the response side only, say) needs one line per verdict."""
    verdict = [change.severity.value if change.severity else None, sorted(direction.value for direction in change.breaks), change.declared]
    return json.dumps([change.rule, location, change.old_value, change.new_value, change.message, verdict], default=str)


def _placement(change: Change) -> tuple[str, str, str]:
    pointer = change.new_pointer if change.new_pointer is not None else change.old_pointer or ""
    if change.type_name and change.type_pointer is not None and pointer.startswith(change.type_pointer):
        place = change.schema + (f" at {change.type_pointer}" if change.type_pointer else "")
        return change.type_name, place, pointer[len(change.type_pointer):]
    return change.schema, change.schema, pointer


def write_text(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write the report for a person reading a terminal or a CI log."""
    def style(text: str, **options: object) -> str:
        return click.style(text, **options) if color else text  # type: ignore[arg-type]

    stream.write(f"{_side(report.old)} -> {_side(report.new)} (mode: {report.mode.value})\n")
    if not report.changes:
        stream.write("\nNo changes.\n")
        if report.semver:
            stream.write(report.semver + "\n")
        return
    for group in group_changes(report.changes):
        stream.write("\n" + style(printable(group.title), bold=True) + "\n")
        if group.places != [group.title]:
            stream.write("".join(f"  {'in' if position == 0 else '  '} {printable(place)}\n" for position, place in enumerate(group.places)))
        for entry in group.entries:
            stream.write(_line(entry, group, style) + "\n")
    stream.write("\n" + summary_line(report) + "\n")
    if report.semver:
        stream.write(report.semver + "\n")


def _side(side: SourceInfo) -> str:
    if side.version and side.version not in side.source:
        return f"{side.source} ({side.version})"
    return side.source


def _line(entry: Entry, group: Group, style: object) -> str:
    change = entry.change
    severity = change.severity or Severity.COSMETIC
    label = style(f"{severity.value:<20}", fg=COLORS[severity] if not change.declared else "bright_black")  # type: ignore[operator]
    where = f"{entry.location}: " if entry.location else ""
    breaks = ", ".join(direction.value for direction in ordered_directions(change.breaks))
    suffix = f" [breaks {breaks}]" if breaks else ""
    only = ""
    if len(group.places) > 1 and len(entry.places) < len(group.places):
        # Whichever list is shorter: the places that have the change, or those that lack it.
        missing = [place for place in group.places if place not in entry.places]
        only = f" (only in {', '.join(entry.places)})" if len(entry.places) <= len(missing) else f" (not in {', '.join(missing)})"
    declared = f"\n  {'':<20} declared: {printable(change.reason or '')}" if change.declared else ""
    return f"  {label} {change.rule}: {printable(where + change.message)}{suffix}{only}{declared}{_witness(change)}"



def _witness(change: Change) -> str:
    # Present only when the run looked for witnesses (`--explain`).
    witness = change.witness
    if not witness:
        return ""
    indent = f"\n  {'':<20} "
    if "unavailable" in witness:
        return f"{indent}no witness: {witness['unavailable']}"
    instance = json.dumps(witness["instance"], sort_keys=True, ensure_ascii=False)
    if len(instance) > 200:
        instance = instance[:197] + "..."
    of = f" (an instance of {witness['instance_of']})" if witness.get("instance_of") else ""
    return f"{indent}witness{of}: {instance}{indent}valid in {witness['valid_in']}, rejected by {witness['rejected_by']}"


def summary_line(report: Report) -> str:
    """One line with the number of changes per severity."""
    counts = ", ".join(f"{count} {severity.value.replace('-', ' ')}" for severity, count in report.summary.items())
    total = len(report.changes)
    declared = sum(1 for change in report.changes if change.declared)
    suffix = f" ({declared} declared)" if declared else ""
    return f"{total} change{'s' if total != 1 else ''}: {counts}{suffix}"
