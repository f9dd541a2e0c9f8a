"""docs/rules.md agrees with the catalogue that `schema-diff rules --format json` prints.

The page lists one table row per rule: id, the directions it breaks, the severity under
each mode, and the reason. The ids, directions and reasons must match the command's
output exactly and in the same order. The severities on the page were worked out by hand
from the severity rules the page states, so they are checked against `classify` as well.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from checker.cli import cli
from checker.model import Change, Direction, Mode
from checker.rules import classify

RULES_PAGE = Path(__file__).resolve().parents[1] / "docs" / "rules.md"

#: A table row whose first cell is a rule id in backticks.
RULE_ROW = re.compile(r"^\| `(?P<id>[a-z0-9-]+)` \|")

#: The Breaks cell: directions, then optionally the variant (in a closed object, for a
#: required parameter, when a schema describes the entries), in brackets.
BREAKS_CELL = re.compile(
    r"^(?P<breaks>none|[a-z]+(?:, [a-z]+)*)"
    r"(?: \((?P<variant>[a-z]+(?:, [a-z]+)*) (?:in a closed object|for a required parameter|when a schema describes the entries)\))?$"
)

#: A severity cell: the plain severity, then optionally "; closed: X" or "; required: X".
SEVERITY_CELL = re.compile(r"^(?P<plain>[a-z-]+)(?:; (?:closed|required): (?P<variant>[a-z-]+))?$")

MODE_COLUMNS = (Mode.FULL, Mode.BACKWARD, Mode.FORWARD)


def parse_rule_rows(text: str) -> list[dict[str, str]]:
    """Split every rule row under the page's "## Rules" heading into its six cells, in page order."""
    heading, found, rules_section = text.partition("\n## Rules\n")
    assert found, f'{RULES_PAGE} has no "## Rules" heading'
    rows = []
    for line in rules_section.splitlines():
        if not RULE_ROW.match(line):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        assert len(cells) == 6, f"a rule row needs 6 cells, not {len(cells)}: {line}"
        rule_id, breaks, full, backward, forward, reason = cells
        rows.append({"id": rule_id.strip("`"), "breaks": breaks, "full": full, "backward": backward,
                     "forward": forward, "reason": reason})
    return rows


def parse_directions(text: str) -> list[str]:
    return [] if text == "none" else text.split(", ")


def parse_breaks(cell: str) -> tuple[list[str], list[str] | None]:
    """Read a Breaks cell as (directions, directions of the variant or None)."""
    match = BREAKS_CELL.match(cell)
    assert match is not None, f"unreadable Breaks cell: {cell!r}"
    variant = match.group("variant")
    return parse_directions(match.group("breaks")), parse_directions(variant) if variant else None


@pytest.fixture(scope="module")
def page_rows() -> list[dict[str, str]]:
    return parse_rule_rows(RULES_PAGE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def listed_rules() -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, ["rules", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_page_lists_rules(page_rows: list[dict[str, str]]) -> None:
    assert len(page_rows) > 0, f"no rule rows found in {RULES_PAGE}"


def test_page_has_no_unknown_rule(page_rows: list[dict[str, str]], listed_rules: list[dict[str, Any]]) -> None:
    unknown = [row["id"] for row in page_rows if row["id"] not in {rule["rule"] for rule in listed_rules}]
    assert unknown == []


def test_page_misses_no_rule(page_rows: list[dict[str, str]], listed_rules: list[dict[str, Any]]) -> None:
    missing = [rule["rule"] for rule in listed_rules if rule["rule"] not in {row["id"] for row in page_rows}]
    assert missing == []


def test_page_rule_order(page_rows: list[dict[str, str]], listed_rules: list[dict[str, Any]]) -> None:
    assert [row["id"] for row in page_rows] == [rule["rule"] for rule in listed_rules]


def test_page_directions(page_rows: list[dict[str, str]], listed_rules: list[dict[str, Any]]) -> None:
    on_page = {row["id"]: parse_breaks(row["breaks"]) for row in page_rows}
    listed = {rule["rule"]: (rule["breaks"], rule["closed_breaks"]) for rule in listed_rules}
    assert on_page == listed


def test_page_reasons(page_rows: list[dict[str, str]], listed_rules: list[dict[str, Any]]) -> None:
    on_page = {row["id"]: row["reason"] for row in page_rows}
    listed = {rule["rule"]: rule["reason"] for rule in listed_rules}
    assert on_page == listed


def test_page_severities(page_rows: list[dict[str, str]]) -> None:
    # Each cell must equal `classify` of a change of that rule that breaks the directions the
    # page states, under the column's mode. The variant part of a cell uses the variant's directions.
    wrong = []
    for row in page_rows:
        breaks, variant_breaks = parse_breaks(row["breaks"])
        for mode in MODE_COLUMNS:
            match = SEVERITY_CELL.match(row[mode.value])
            assert match is not None, f"{row['id']}: unreadable {mode.value} cell {row[mode.value]!r}"
            expected = [(breaks, match.group("plain"))]
            if variant_breaks is not None:
                expected.append((variant_breaks, match.group("variant")))
            for directions, severity in expected:
                change = Change(rule=row["id"], breaks=frozenset(Direction(name) for name in directions),
                                schema="schema.json", old_pointer="", new_pointer="", old_value=None,
                                new_value=None, message="")
                actual = classify(change, mode).value
                if actual != severity:
                    wrong.append(f"{row['id']} under {mode.value} breaking {directions or 'nothing'}: "
                                 f"page says {severity}, classify gives {actual}")
    assert wrong == []
