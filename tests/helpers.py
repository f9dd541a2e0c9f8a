"""Helpers for the per-rule tables: compare two versions of one schema and check the verdict.

Each table row gives the expected severity under the three modes as a tuple in the order
(full, backward, forward), written with the short names below.
"""

from __future__ import annotations

from typing import Any

import checker
from checker.model import Change, Direction, Mode, Severity

#: The document name every one-document version uses.
DOCUMENT = "schema.json"

DRAFT4 = "http://json-schema.org/draft-04/schema#"
DRAFT7 = "http://json-schema.org/draft-07/schema#"

# Severities, short enough to line up in tables.
B = "breaking"
P = "potentially-breaking"
A = "additive"
C = "cosmetic"

#: The modes in the order of a row's severity tuple.
MODES = (Mode.FULL, Mode.BACKWARD, Mode.FORWARD)

BREAKS = {
    "none": frozenset(),
    "backward": frozenset({Direction.BACKWARD}),
    "forward": frozenset({Direction.FORWARD}),
    "both": frozenset(Direction),
}

#: Marks a pointer the caller did not ask to check.
UNCHECKED = object()


def draft7(schema: dict[str, Any]) -> dict[str, Any]:
    """Return the schema declared as draft-07."""
    return {"$schema": DRAFT7, **schema}


def draft4(schema: dict[str, Any]) -> dict[str, Any]:
    """Return the schema declared as draft-04."""
    return {"$schema": DRAFT4, **schema}


def compare_sets(old: dict[str, Any], new: dict[str, Any], mode: str | Mode = "full",
                 ref_map: dict[str, checker.Document] | None = None) -> checker.Report:
    """Compare two versions given as {document path: schema} and return the report."""
    old_set = checker.load_mapping("old", old)
    new_set = checker.load_mapping("new", new)
    return checker.compare(old_set, new_set, Mode(mode), ref_map=ref_map)


def changes_between(old: Any, new: Any, mode: str | Mode = "full") -> tuple[Change, ...]:
    """Return the changes between two one-document versions, classified under a mode."""
    return compare_sets({DOCUMENT: old}, {DOCUMENT: new}, mode).changes


def describe(changes: tuple[Change, ...]) -> str:
    """Render changes one per line, so that a failed assertion shows what the engine found."""
    lines = [
        f"  {change.rule} breaks={sorted(d.value for d in change.breaks)} severity={change.severity and change.severity.value} "
        f"old={change.old_pointer!r} new={change.new_pointer!r} schema={change.schema!r}: {change.message}"
        for change in changes
    ]
    return "\n".join(lines) or "  (no changes)"


def assert_one_change(changes: tuple[Change, ...], rule: str, breaks: str, severity: str, *,
                      old_pointer: Any = UNCHECKED, new_pointer: Any = UNCHECKED) -> Change:
    """Check that there is exactly one change, with the expected rule, directions, severity and pointers."""
    assert len(changes) == 1, f"expected one {rule} change, found:\n{describe(changes)}"
    change = changes[0]
    assert change.rule == rule, describe(changes)
    assert change.breaks == BREAKS[breaks], describe(changes)
    assert change.severity is Severity(severity), describe(changes)
    if old_pointer is not UNCHECKED:
        assert change.old_pointer == old_pointer, describe(changes)
    if new_pointer is not UNCHECKED:
        assert change.new_pointer == new_pointer, describe(changes)
    return change


def assert_verdicts(old: Any, new: Any, rule: str, breaks: str, severities: tuple[str, str, str]) -> None:
    """Check the single change between two schemas under full, backward and forward modes."""
    assert_set_verdicts({DOCUMENT: old}, {DOCUMENT: new}, rule, breaks, severities)


def assert_set_verdicts(old: dict[str, Any], new: dict[str, Any], rule: str, breaks: str, severities: tuple[str, str, str],
                        ref_map: dict[str, checker.Document] | None = None) -> Change:
    """Check the single change between two versions given as {document path: schema}, in every mode."""
    for mode, severity in zip(MODES, severities, strict=True):
        changes = compare_sets(old, new, mode, ref_map).changes
        change = assert_one_change(changes, rule, breaks, severity)
    return change


def assert_pointers(old: Any, new: Any, rule: str, old_pointer: str | None, new_pointer: str | None) -> None:
    """Check the pointers of the single change between two schemas."""
    changes = changes_between(old, new)
    assert len(changes) == 1, f"expected one {rule} change, found:\n{describe(changes)}"
    change = changes[0]
    assert change.rule == rule, describe(changes)
    assert change.old_pointer == old_pointer, describe(changes)
    assert change.new_pointer == new_pointer, describe(changes)


def assert_no_changes(old: Any, new: Any) -> None:
    """Check that two schemas compare equal in every mode."""
    for mode in MODES:
        changes = changes_between(old, new, mode)
        assert changes == (), f"expected no changes under {mode.value}, found:\n{describe(changes)}"
