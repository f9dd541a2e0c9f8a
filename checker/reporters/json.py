"""The JSON report: one object on stdout, stable keys and order, for bots and later tools."""

from __future__ import annotations

import json
from typing import Any, TextIO

from checker.model import Change, Report, Severity, ordered_directions


def change_to_json(change: Change) -> dict[str, Any]:
    """One change as a JSON object, with the keys of the documented report."""
    return {
        "id": change.id,
        "rule": change.rule,
        "severity": change.severity.value if change.severity else None,
        "breaks": [direction.value for direction in ordered_directions(change.breaks)],
        "schema": change.schema,
        "old_pointer": change.old_pointer,
        "new_pointer": change.new_pointer,
        "old_value": change.old_value,
        "new_value": change.new_value,
        "keyword": change.keyword,
        "type_name": change.type_name,
        "message": change.message,
        "operation": change.operations[0] if change.operations else None,
        "operations": list(change.operations),
        "side": change.side,
        "declared": change.declared,
        "reason": change.reason,
        "witness": change.witness,
    }


def report_to_json(report: Report) -> dict[str, Any]:
    """The whole report as a JSON object."""
    return {
        "old": {"source": report.old.source, "version": report.old.version},
        "new": {"source": report.new.source, "version": report.new.version},
        "mode": report.mode.value,
        "changes": [change_to_json(change) for change in report.changes],
        "summary": {severity.value: count for severity, count in report.summary.items()},
        "undeclared_breaking": len(report.undeclared(Severity.BREAKING)),
        "semver": report.semver,
        "stale_declarations": list(report.stale),
    }


def write_json(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write the report as indented JSON; `color` is accepted for a common signature and ignored."""
    json.dump(report_to_json(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
