"""JUnit XML: one test case per schema document, failing on undeclared breaking changes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from typing import TextIO

from checker.model import Change, Report, Severity


def write_junit(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write a `testsuites` document; each document compared is a test case."""
    # Every document compared is a test case; one without changes passes.
    by_schema: dict[str, list[Change]] = {schema: [] for schema in report.documents}
    for change in report.changes:
        by_schema.setdefault(change.schema, []).append(change)

    failures = sum(1 for changes in by_schema.values() if _failing(changes))
    suites = ElementTree.Element("testsuites", name="schema-diff", tests=str(len(by_schema)), failures=str(failures))
    suite = ElementTree.SubElement(suites, "testsuite", name=_xml_text(f"schema-diff {report.old.source} -> {report.new.source}"),
                                   tests=str(len(by_schema)), failures=str(failures), errors="0", skipped="0")
    for schema in sorted(by_schema):
        case = ElementTree.SubElement(suite, "testcase", classname="schema-diff", name=_xml_text(schema))
        failing = _failing(by_schema[schema])
        if failing:
            failure = ElementTree.SubElement(case, "failure", type="breaking-change",
                                             message=f"{len(failing)} undeclared breaking change{'s' if len(failing) != 1 else ''}")
            failure.text = _xml_text("\n".join(f"{change.rule} at {_where(change)}: {change.message}" for change in failing))
        others = [change for change in by_schema[schema] if change not in failing]
        if others:
            output = ElementTree.SubElement(case, "system-out")
            output.text = _xml_text("\n".join(f"{change.severity.value if change.severity else ''} {change.rule} at {_where(change)}: {change.message}"
                                    + (f" (declared: {change.reason})" if change.declared else "") for change in others))
    ElementTree.indent(suites)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ElementTree.tostring(suites, encoding="unicode"))
    stream.write("\n")


#: Characters XML 1.0 cannot hold at all, not even escaped as entities.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Show characters XML cannot hold (NUL, ESC, ...) as escapes, so the document stays well formed."""
    return _NOT_XML.sub(lambda match: repr(match.group())[1:-1], text)


def _failing(changes: list[Change]) -> list[Change]:
    return [change for change in changes if change.severity is Severity.BREAKING and not change.declared]


def _where(change: Change) -> str:
    pointer = change.new_pointer if change.new_pointer is not None else change.old_pointer
    return pointer or "/"
