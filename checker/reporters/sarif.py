"""SARIF 2.1.0: one result per change, with rule metadata from the rule catalogue."""

from __future__ import annotations

import json
import urllib.parse
from importlib import metadata
from typing import Any, TextIO

from checker.model import Change, Report, Severity, ordered_directions
from checker.rules import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {
    Severity.BREAKING: "error",
    Severity.POTENTIALLY_BREAKING: "warning",
    Severity.ADDITIVE: "note",
    Severity.COSMETIC: "note",
}


def _rules() -> list[dict[str, Any]]:
    described = []
    for rule in RULES.values():
        directions = [direction.value for direction in ordered_directions(rule.breaks)]
        described.append({
            "id": rule.id,
            "name": "".join(part.capitalize() for part in rule.id.split("-")),
            "shortDescription": {"text": rule.id.replace("-", " ").capitalize()},
            "fullDescription": {"text": rule.reason},
            "defaultConfiguration": {"level": "error" if directions else "note"},
            "properties": {"breaks": directions, "impact": rule.impact.value},
        })
    return described


def _result(change: Change, rule_index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": change.rule,
        "ruleIndex": rule_index[change.rule],
        "level": "note" if change.declared else LEVELS[change.severity or Severity.COSMETIC],
        "message": {"text": f"{change.type_name or change.schema}: {change.message}"},
        "partialFingerprints": {"schemaDiffChange/v1": change.id},
        "properties": {
            "severity": change.severity.value if change.severity else None,
            "breaks": [direction.value for direction in ordered_directions(change.breaks)],
            "schema": change.schema,
            "oldPointer": change.old_pointer,
            "newPointer": change.new_pointer,
            "declared": change.declared,
        },
    }
    if change.declared:
        result["suppressions"] = [{"kind": "external", "justification": change.reason or ""}]
    if change.file:
        result["locations"] = [{
            "physicalLocation": {
                "artifactLocation": {"uri": urllib.parse.quote(change.file)},
                "region": {"startLine": change.line or 1},
            }
        }]
    return result


def write_sarif(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write one SARIF log with one run."""
    rules = _rules()
    rule_index = {rule["id"]: position for position, rule in enumerate(rules)}
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "schema-diff",
                "version": _version(),
                "rules": rules,
            }},
            "results": [_result(change, rule_index) for change in report.changes],
        }],
    }
    json.dump(log, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def _version() -> str:
    try:
        return metadata.version("schema-diff")
    except metadata.PackageNotFoundError:
        return "0.0.0"
