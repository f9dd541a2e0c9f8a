"""The vocabulary of schema-diff: directions, modes, severities and change records."""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
from typing import Any


class Direction(enum.Enum):
    """A way in which two versions of a schema can fail to agree on data."""

    #: The new schema rejects data valid under the old one (consumers that upgrade first break).
    BACKWARD = "backward"
    #: The old schema rejects data valid under the new one (readers still on the old version break).
    FORWARD = "forward"


class Mode(enum.Enum):
    """Which directions must hold between two versions."""

    BACKWARD = "backward"
    FORWARD = "forward"
    FULL = "full"

    @property
    def protected(self) -> frozenset[Direction]:
        """The directions a change must not break under this mode."""
        if self is Mode.BACKWARD:
            return frozenset({Direction.BACKWARD})
        if self is Mode.FORWARD:
            return frozenset({Direction.FORWARD})
        return frozenset(Direction)


class Severity(enum.Enum):
    """How much a change matters under a mode, from worst to harmless."""

    BREAKING = "breaking"
    POTENTIALLY_BREAKING = "potentially-breaking"
    ADDITIVE = "additive"
    COSMETIC = "cosmetic"


class Impact(enum.Enum):
    """What a rule's change does besides the directions it breaks; decides severity with the mode."""

    #: Changes which data validates; the severity follows from the directions broken.
    VALIDATION = "validation"
    #: Same data validates but means something else (a changed default): breaking in every mode.
    MEANING = "meaning"
    #: Breaks no direction, but is likely to hurt some consumers (a field they read disappears).
    POTENTIAL = "potential"
    #: Adds something and breaks no direction.
    ADDITION = "addition"
    #: No effect on validation: descriptions, titles, examples, comments, extensions.
    COSMETIC = "cosmetic"


def ordered_directions(directions: frozenset[Direction]) -> list[Direction]:
    """List directions in the fixed order used by every report (backward, then forward)."""
    return [direction for direction in Direction if direction in directions]


@dataclasses.dataclass(frozen=True)
class Change:
    """One difference between two versions of a schema, found by one rule.

    `old_pointer` and `new_pointer` are RFC 6901 pointers into the document on each side,
    None on the side where the changed node does not exist. `severity` is None until the
    change is classified under a mode.
    """

    rule: str
    breaks: frozenset[Direction]
    schema: str
    old_pointer: str | None
    new_pointer: str | None
    old_value: Any
    new_value: Any
    message: str
    keyword: str | None = None
    type_name: str | None = None
    type_pointer: str | None = None
    #: In an OpenAPI document: "request", "response" or "both" (a schema used on both sides).
    side: str | None = None
    #: In an OpenAPI document: the operations the change affects, as "GET /users/{id}".
    operations: tuple[str, ...] = ()
    severity: Severity | None = None
    #: Whether the project file accepts this breaking change, and why.
    declared: bool = False
    reason: str | None = None
    #: The file the change is shown on (the new side's, where it exists) and its 1-based line.
    file: str | None = None
    line: int | None = None
    #: An instance that shows a breaking change, checked against both sides:
    #: {"instance": ..., "valid_in": "new", "rejected_by": "old"}; or {"unavailable": reason}.
    witness: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        """A short hash that stays the same for the same change across runs."""
        identity = [
            self.rule,
            self.schema,
            self.old_pointer,
            self.new_pointer,
            self.keyword,
            self.old_value,
            self.new_value,
        ]
        text = json.dumps(identity, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    @property
    def sort_key(self) -> tuple[str, ...]:
        """The order of changes in every report: by document, then location, then rule."""
        pointer = self.new_pointer if self.new_pointer is not None else self.old_pointer
        return (
            self.schema,
            pointer or "",
            self.rule,
            json.dumps(self.old_value, sort_keys=True, default=str),
            json.dumps(self.new_value, sort_keys=True, default=str),
        )


@dataclasses.dataclass(frozen=True)
class SourceInfo:
    """Where one side of a comparison came from."""

    source: str
    version: str | None = None


@dataclasses.dataclass(frozen=True)
class Report:
    """The outcome of comparing two versions: every change, classified under one mode."""

    old: SourceInfo
    new: SourceInfo
    mode: Mode
    changes: tuple[Change, ...]
    #: Declarations in the project file that matched no change.
    stale: tuple[str, ...] = ()
    #: The semver verdict line, when both versions are known.
    semver: str | None = None
    #: Every document compared, by path, changed or not.
    documents: tuple[str, ...] = ()

    def count(self, severity: Severity) -> int:
        """Count the changes of one severity."""
        return sum(1 for change in self.changes if change.severity is severity)

    @property
    def summary(self) -> dict[Severity, int]:
        """Counts per severity, every severity present, worst first."""
        return {severity: self.count(severity) for severity in Severity}

    @property
    def has_breaking(self) -> bool:
        """Whether any change is breaking under the report's mode."""
        return self.count(Severity.BREAKING) > 0

    def undeclared(self, severity: Severity) -> list[Change]:
        """Changes of a severity that no declaration accepts."""
        return [change for change in self.changes if change.severity is severity and not change.declared]
