"""Release history: every version of a set of schemas, for changelogs and transitive checks.

Versions come from a version store, from git tags, or from a package registry. Each
version is loaded and parsed once, however many comparisons it takes part in.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import json
import os
from collections.abc import Callable
from pathlib import Path

from packaging.version import Version

from checker.documents import DocumentSet
from checker.engine import compare
from checker.gate import declare
from checker.project import Project
from checker.semver import check, version_of
from checker.errors import GitError, InvalidSourceError, UsageError
from checker.model import Change, Mode, Report, Severity, SourceInfo
from checker.sources import SourceOptions, git, npm, pypi, store


@dataclasses.dataclass(frozen=True)
class Release:
    """One version of the schemas: its name as written (folder, tag), its order, and how to read it."""

    name: str
    version: Version
    read: Callable[[], DocumentSet] = dataclasses.field(compare=False, repr=False)


def _ordered(releases: list[Release]) -> list[Release]:
    return sorted(releases, key=lambda release: release.version)


def store_releases(options: SourceOptions) -> list[Release]:
    """Every version folder of the store, oldest first."""
    names = store.version_folders(options.store, options.note)
    return _ordered([Release(name, Version(name), _reader(store.open_version, name, options)) for name in names])


def git_tag_releases(pattern: str, path: str, options: SourceOptions) -> list[Release]:
    """Every tag matching a glob (`v*`) whose name reads as a version, with PATH at that tag, oldest first.

    The tags are those of the repository around `options.git_dir`, and PATH must lie inside it.
    """
    _check_tag_path(pattern, path, options.git_dir)
    output = git.run_git(f"tags {pattern}", options.git_dir, ["for-each-ref", "--format=%(refname:strip=2)", "refs/tags/"])
    releases = []
    for tag in output.decode("utf-8", "surrogateescape").splitlines():
        version = version_of(tag)
        if fnmatch.fnmatchcase(tag, pattern) and version is not None and not tag.startswith("-"):
            releases.append(Release(tag, version, _reader(git.open_git, f"{git.PREFIX}{tag}:{path}", options, tag)))
    return _ordered(releases)


def _check_tag_path(pattern: str, path: str, folder: Path) -> None:
    """Raise GitError unless `folder` is in a git repository and PATH (relative to `folder`, or absolute) lies inside it."""
    label = f"--git-tags {pattern} {path}"
    try:
        output = git.run_git(label, folder, ["rev-parse", "--show-toplevel"])
    except GitError as error:
        # git runs with LC_ALL=C, so its message is in English.
        if "not a git repository" not in str(error):
            raise
        raise GitError(f"{label}: the current folder {folder} is not in a git repository; "
                       "--git-tags reads the tags of the repository around the current folder") from error
    top_level = Path(os.path.realpath(output.decode("utf-8", "surrogateescape").rstrip("\n")))
    if os.path.isabs(path):
        location = Path(os.path.realpath(path))
    else:
        location = Path(os.path.normpath(os.path.join(os.path.realpath(folder), path)))
    if not location.is_relative_to(top_level):
        raise GitError(f"{label}: the path {path} is not in the git repository at {top_level}, where --git-tags reads the tags; "
                       "give a path inside it, or run schema-diff in the repository that contains the path")


def _check_package_name(spec: str, name: str, versioned: bool, check_name: Callable[[str, str], None]) -> None:
    """Raise InvalidSourceError unless NAME of `npm:NAME` or `pypi:NAME` names a whole package, without a version."""
    if not name:
        raise InvalidSourceError(f"{spec}: the package name is missing; give it as {spec}NAME")
    if versioned:
        raise InvalidSourceError(f"{spec}: a history reads every version of a package, so give the name without a version "
                                 "(use --since VERSION to start at a later one)")
    check_name(spec, name)


def npm_releases(name: str, since: Version | None, options: SourceOptions) -> list[Release]:
    """Every published version of an npm package from `since` on, oldest first."""
    # A scoped name starts with `@`; any later `@` starts a version.
    _check_package_name(f"{npm.PREFIX}{name}", name, "@" in name[1:], npm.check_package_name)
    package = npm.NpmPackage(name, "latest", "")
    registry = npm.registry_url(options.npm_registry, name)
    metadata = npm._fetch_metadata(package, registry, options)  # noqa: SLF001
    return _package_releases(list(metadata["versions"]), since, lambda version: f"{npm.PREFIX}{name}@{version}", options)


def pypi_releases(name: str, since: Version | None, options: SourceOptions) -> list[Release]:
    """Every version of a PyPI project (as its index lists them) from `since` on, oldest first."""
    _check_package_name(f"{pypi.PREFIX}{name}", name, "==" in name, pypi.check_project_name)
    index = pypi.index_url(options.index_url)
    url = index.rstrip("/") + "/" + pypi.canonicalize_name(name) + "/"
    response = pypi.http.get(url, f"PyPI project {name}", options.timeout, options.limits.max_bytes, accept=pypi.SIMPLE_JSON)
    page = json.loads(response.body)
    versions = page.get("versions") if isinstance(page, dict) else None
    if not isinstance(versions, list):
        raise UsageError(f"PyPI project {name}: the index does not list versions (PEP 700), so a changelog cannot be built from it")
    return _package_releases(versions, since, lambda version: f"{pypi.PREFIX}{name}=={version}", options)


def _package_releases(names: list[str], since: Version | None, spec_of: Callable[[str], str],
                      options: SourceOptions) -> list[Release]:
    from checker.sources import open_source

    releases = []
    for name in names:
        version = version_of(name)
        if version is not None and (since is None or version >= since):
            releases.append(Release(name, version, _reader(open_source, spec_of(name), options, name)))
    return _ordered(releases)


def _reader(read: Callable[[str, SourceOptions], DocumentSet], spec: str, options: SourceOptions,
            version: str | None = None) -> Callable[[], DocumentSet]:
    def load() -> DocumentSet:
        documents = read(spec, options)
        return dataclasses.replace(documents, version=version) if version is not None else documents

    return load


class History:
    """The releases of one set of schemas, each read at most once."""

    def __init__(self, releases: list[Release], project: Project | None = None, minimum: int = 2) -> None:
        # A changelog needs a pair of versions; a transitive check of the first release has nothing to do, which is no error.
        if len(releases) < minimum:
            found = ", ".join(release.name for release in releases) or "none"
            raise UsageError(f"a history needs at least {'two versions' if minimum == 2 else 'one version'}; found {len(releases)} ({found})")
        self.releases = _ordered(releases)
        #: Declarations and settings applied to every comparison, as in a single run.
        self.project = project or Project()
        self._loaded: dict[str, DocumentSet] = {}
        #: How many times each release was read, so tests can check that each is read once.
        self.reads: dict[str, int] = {}

    def documents(self, release: Release) -> DocumentSet:
        """The release's documents, read on first use."""
        if release.name not in self._loaded:
            self.reads[release.name] = self.reads.get(release.name, 0) + 1
            documents = release.read()
            self._loaded[release.name] = dataclasses.replace(documents, version=documents.version or release.name)
        return self._loaded[release.name]

    def compare(self, older: Release, newer: Release, mode: Mode) -> Report:
        """Compare two releases, naming each side by its version."""
        report = compare(self.documents(older), self.documents(newer), mode, mode_for=self.project.mode_for)
        report = dataclasses.replace(report, old=SourceInfo(older.name, older.name), new=SourceInfo(newer.name, newer.name))
        report = declare(report, self.project)
        return dataclasses.replace(report, semver=check(report, str(older.version), str(newer.version)).line())

    def changelog(self, mode: Mode) -> list[Report]:
        """One report per consecutive pair of releases, newest first."""
        pairs = list(zip(self.releases, self.releases[1:]))
        return _stale_once([self.compare(older, newer, mode) for older, newer in reversed(pairs)], newest_first=True)

    def transitive(self, newest: Release | None, mode: Mode) -> list[Report]:
        """Compare one release (default: the newest) with every earlier one, oldest first."""
        newest = newest or self.releases[-1]
        return _stale_once([self.compare(older, newest, mode) for older in self.releases if older.version < newest.version], newest_first=False)

    def release(self, name: str) -> Release:
        """Find a release by its name or an equal version."""
        wanted = version_of(name)
        for release in self.releases:
            if release.name == name or (wanted is not None and release.version == wanted):
                return release
        raise UsageError(f"no version {name!r} in the history ({', '.join(release.name for release in self.releases)})")


def _stale_once(reports: list[Report], newest_first: bool) -> list[Report]:
    """Keep a declaration as stale only where it matches nothing in any report, and name it once.

    A declaration without a version applies to every pair, so one pair it does not match
    says nothing about it. Each stale declaration is listed on one report: the newest.
    """
    if not reports:
        return reports
    stale_everywhere = set.intersection(*(set(report.stale) for report in reports))
    newest = 0 if newest_first else len(reports) - 1
    marked = []
    for position, report in enumerate(reports):
        stale = tuple(item for item in report.stale if item in stale_everywhere) if position == newest else ()
        marked.append(dataclasses.replace(report, stale=stale))
    return marked


def oldest_broken(reports: list[Report]) -> dict[str, str]:
    """For each breaking change (by id), the oldest version it breaks against."""
    oldest: dict[str, str] = {}
    for report in reports:
        for change in report.changes:
            if change.severity is Severity.BREAKING and not change.declared:
                oldest.setdefault(change_identity(change), report.old.version or report.old.source)
    return oldest


def change_identity(change: Change) -> str:
    """A key equal for the same change found against different old versions."""
    return json.dumps([change.rule, change.schema, change.new_pointer, change.keyword, change.new_value, change.old_value],
                      sort_keys=True, default=str)


def store_path(store_folder: Path) -> Path:
    """The store folder, checked to be an existing folder."""
    problem = store.store_problem(store_folder)
    if problem is not None:
        raise UsageError(problem)
    return store_folder
