"""One run of schema-diff from options to a finished report: the steps the commands share.

Reads the sources and the project file, compares, applies declarations and the semver
check, and finds lines for annotations. The commands in `checker.cli` only parse options
and pick a reporter and an exit code.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from collections.abc import Mapping
from pathlib import Path

from checker.documents import DocumentSet
from checker.engine import compare, load_ref_map
from checker.errors import UsageError
from checker.gate import declare, locate
from checker.model import Mode, Report, SourceInfo
from checker.project import Project, find_project
from checker.semver import Verdict, check
from checker.witness import attach_witnesses
from checker.sources import SourceOptions, open_against, open_latest, open_source, open_staged_against


@dataclasses.dataclass(frozen=True)
class Request:
    """What to compare and how, as the command line gave it."""

    sources: tuple[str, ...]
    options: SourceOptions
    mode: Mode = Mode.FULL
    latest: bool = False
    against: str | None = None
    ref_map: Mapping[str, str] = dataclasses.field(default_factory=dict)
    config: Path | None = None
    old_version: str | None = None
    new_version: str | None = None
    locate_lines: bool = False
    #: Whether breaking changes get a witness instance, checked against both sides.
    witnesses: bool = False
    #: With `against`: read the new side from the git index rather than the working tree.
    staged: bool = False


@dataclasses.dataclass(frozen=True)
class Outcome:
    """A finished report with what it was built from."""

    report: Report
    project: Project
    verdict: Verdict | None
    old: DocumentSet
    new: DocumentSet


def run(request: Request) -> Outcome:
    """Compare the two sources a request names and finish the report."""
    old, new = open_sources(request)
    project = find_project(Path.cwd(), request.config)
    old, new = _without_ignored(old, project), _without_ignored(new, project)

    report = compare(old, new, request.mode, load_ref_map(request.ref_map), project.mode_for)
    old_version = request.old_version or old.version or manifest_version(old.source)
    new_version = request.new_version or new.version or manifest_version(new.source)
    report = dataclasses.replace(report, old=SourceInfo(old.source, old_version), new=SourceInfo(new.source, new_version))
    report = declare(report, project)

    verdict = None
    if old_version is not None and new_version is not None:
        verdict = check(report, old_version, new_version)
        report = dataclasses.replace(report, semver=verdict.line())
    if request.locate_lines:
        report = locate(report, old, new)
    if request.witnesses:
        report = attach_witnesses(report, old, new)
    return Outcome(report, project, verdict, old, new)


def open_sources(request: Request) -> tuple[DocumentSet, DocumentSet]:
    """Check that the arguments fit the options, then read both sides."""
    sources = request.sources
    if request.latest and request.against is not None:
        raise UsageError("--latest and --against cannot be used together")
    if request.staged and request.against is None:
        raise UsageError("--staged needs --against REV: it compares the staged PATH with PATH at REV")
    if request.latest:
        if sources:
            raise UsageError("--latest compares the two highest versions in the store; give no OLD or NEW")
        return open_latest(request.options)
    if request.against is not None:
        if len(sources) != 1:
            raise UsageError(f"--against REV takes exactly one argument, PATH; got {len(sources)}")
        if request.staged:
            return open_staged_against(request.against, sources[0], request.options)
        return open_against(request.against, sources[0], request.options)
    # The same words click uses for OLD and NEW when they were two plain arguments.
    if len(sources) < 2:
        raise UsageError(f"Missing argument '{('OLD', 'NEW')[len(sources)]}'.")
    if len(sources) > 2:
        extra = sources[2:]
        raise UsageError(f"Got unexpected extra argument{'s' if len(extra) > 1 else ''} ({' '.join(extra)})")
    return open_source(sources[0], request.options), open_source(sources[1], request.options)


def _without_ignored(documents: DocumentSet, project: Project) -> DocumentSet:
    if not project.ignore:
        return documents
    kept = {path: document for path, document in documents.documents.items() if not project.ignores(path)}
    return dataclasses.replace(documents, documents=kept)


def manifest_version(source: str) -> str | None:
    """The `version` of a `package.json` or `pyproject.toml` at the root of a folder source."""
    folder = Path(source)
    if not folder.is_dir():
        return None
    package = folder / "package.json"
    if package.is_file():
        try:
            version = json.loads(package.read_text(encoding="utf-8")).get("version")
        except (OSError, ValueError, AttributeError):
            version = None
        if isinstance(version, str):
            return version
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            version = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("version")
        except (OSError, ValueError, AttributeError):
            version = None
        if isinstance(version, str):
            return version
    return None
