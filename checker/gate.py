"""The CI gate: declared breaking changes, file positions for annotations, and the exit code."""

from __future__ import annotations

import dataclasses
import os

from checker.documents import Document, DocumentSet
from checker.model import Change, Report, Severity
from checker.positions import lines_of, pointer_tokens
from checker.project import Declaration, Project, declaration_text

EXIT_OK, EXIT_BREAKING = 0, 1


def declare(report: Report, project: Project) -> Report:
    """Mark the breaking changes the project declares, and list declarations that match nothing."""
    used: set[int] = set()
    changes = []
    for change in report.changes:
        declaration = _declaration_for(change, project.declarations, report.new.version, used)
        if declaration is not None:
            change = dataclasses.replace(change, declared=True, reason=declaration.reason)
        changes.append(change)
    stale = tuple(_describe(declaration) for position, declaration in enumerate(project.declarations) if position not in used)
    return dataclasses.replace(report, changes=tuple(changes), stale=stale)


def _declaration_for(change: Change, declarations: tuple[Declaration, ...], version: str | None, used: set[int]) -> Declaration | None:
    if change.severity not in (Severity.BREAKING, Severity.POTENTIALLY_BREAKING):
        return None
    for position, declaration in enumerate(declarations):
        if declaration.matches(change, version):
            used.add(position)
            return declaration
    return None


def _describe(declaration: Declaration) -> str:
    scopes = []
    if declaration.type:
        scopes.append(f"type {declaration.type}")
    if declaration.schema:
        scopes.append(f"schema {declaration.schema}")
    where = " in ".join(scopes)
    value = f" value {declaration.value!r}" if declaration.has_value else ""
    version = f" in version {declaration.version}" if declaration.version else ""
    return f"{declaration.rule} for {where}{value}{version}"


def locate(report: Report, old: DocumentSet, new: DocumentSet) -> Report:
    """Give each change the file it is shown on and its line there, for annotations."""
    placed = [_placement(change, old, new) for change in report.changes]
    wanted: dict[tuple[int, str], set[str]] = {}
    for placement in placed:
        if placement is not None:
            side, document, pointer = placement
            wanted.setdefault((id(side), document.path), set()).add(pointer)

    # One pass over each document's text finds the lines of all its pointers.
    lines: dict[tuple[int, str], dict[str, int]] = {}
    for placement in placed:
        if placement is None:
            continue
        side, document, _ = placement
        key = (id(side), document.path)
        if key not in lines:
            text = document.data.decode("utf-8", errors="replace")
            lines[key] = lines_of(text, sorted(wanted[key]), yaml_syntax=document.path.endswith((".yaml", ".yml")))

    changes = []
    for change, placement in zip(report.changes, placed):
        if placement is None:
            changes.append(change)
            continue
        side, document, pointer = placement
        line = lines[(id(side), document.path)].get(pointer)
        changes.append(dataclasses.replace(change, file=_file_of(side, document.path), line=line))
    return dataclasses.replace(report, changes=tuple(changes))


def _placement(change: Change, old: DocumentSet, new: DocumentSet) -> tuple[DocumentSet, Document, str] | None:
    # Annotations go on the new file; a removed node is shown at its nearest ancestor there.
    side, pointer = new, change.new_pointer
    document = side.documents.get(change.schema) or (next(iter(side.documents.values())) if side.single_file else None)
    if document is None:
        side, pointer = old, change.old_pointer
        document = side.documents.get(change.schema)
    if document is None:
        return None
    if pointer is None:
        pointer = _existing_ancestor(document.contents, change.old_pointer or "")
    return side, document, pointer


def _existing_ancestor(contents: object, pointer: str) -> str:
    """The longest prefix of a pointer that leads to a node of the document."""
    tokens = pointer_tokens(pointer)
    node, found = contents, []
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            break
        found.append(token)
    return "".join("/" + token.replace("~", "~0").replace("/", "~1") for token in found)


def _file_of(documents: DocumentSet, path: str) -> str:
    if documents.single_file:
        return documents.source
    folder = documents.folder or (documents.source if os.path.isdir(documents.source) else None)
    return os.path.normpath(os.path.join(folder, path)) if folder else path


def exit_code(report: Report, fail_on: Severity = Severity.BREAKING) -> int:
    """1 when an undeclared change is at least as severe as `fail_on`, else 0."""
    failing = [Severity.BREAKING] if fail_on is Severity.BREAKING else [Severity.BREAKING, Severity.POTENTIALLY_BREAKING]
    return EXIT_BREAKING if any(report.undeclared(severity) for severity in failing) else EXIT_OK


def declarations_for(report: Report, reason: str, table: str = "declared") -> list[str]:
    """Declaration entries for every undeclared breaking change, one per type (or place) and value.

    A change inside a named type is declared by the type's name, so one entry covers every
    place the type is inlined.
    """
    entries: dict[str, str] = {}
    for change in report.undeclared(Severity.BREAKING):
        text = declaration_text(change, reason, table)
        entries.setdefault(text, text)
    return list(entries.values())
