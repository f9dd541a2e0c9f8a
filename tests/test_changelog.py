"""`schema-diff changelog`: release notes for every consecutive pair of versions, newest first.

The main history is a git repository built in tmp_path with twelve tagged releases, v1.0.0 to
v1.11.0. Each release changes the schemas in one known way, so each pair of neighbours has one
expected change, worked out from the direction table:

- an enum value added breaks forward (old readers reject the value), so it is breaking in full mode;
- a required name added breaks backward (old data may lack it), so it is breaking;
- an optional property added to an open object breaks nothing, so it is additive;
- v1.4.0 changes only the README, so the schemas have no change.

Every git command runs with HOME and GIT_CONFIG_GLOBAL in tmp_path and without the system
configuration, so the user's git setup is never read or written. Registries are served on 127.0.0.1.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import checker.sources.git

from checker.cli import cli, main
from checker.documents import DocumentSet
from checker.history import History, Release, git_tag_releases, npm_releases, store_releases
from checker.model import Mode
from checker.sources import SourceOptions
from fakes import SCHEMA_2020_12, GitRepository, NpmRegistry, git_environment, npm_tarball, schema_bytes

STATUS = {"$schema": SCHEMA_2020_12, "title": "Status", "type": "string", "enum": ["active", "stopped"]}
# No additionalProperties, so the object is open: a new optional property is additive.
USER = {"$schema": SCHEMA_2020_12, "title": "User", "type": "object",
        "properties": {"id": {"type": "string"}}, "required": ["id"]}


@dataclasses.dataclass(frozen=True)
class Step:
    """One release: its tag, how it edits the schemas of the release before, and the change expected from that edit."""

    tag: str
    edit: Callable[[dict[str, Any], dict[str, Any]], None] | None
    #: (rule, document, value added, severity), or None for a release whose schemas do not change.
    expected: tuple[str, str, str, str] | None


def add_enum_value(value: str) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    return lambda status, user: status["enum"].append(value)


def add_property(name: str, schema: dict[str, Any]) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    return lambda status, user: user["properties"].__setitem__(name, schema)


def add_required(name: str) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    return lambda status, user: user["required"].append(name)


STEPS = [
    Step("v1.0.0", None, None),
    # Old readers reject "failed": forward, so breaking.
    Step("v1.1.0", add_enum_value("failed"), ("enum-value-added", "status.json", "failed", "breaking")),
    # Optional, and User is open: old readers already accept any "name".
    Step("v1.2.0", add_property("name", {"type": "string"}), ("property-added", "user.json", "name", "additive")),
    # Users written under v1.2.0 may lack "name": backward, so breaking.
    Step("v1.3.0", add_required("name"), ("required-added", "user.json", "name", "breaking")),
    # Only the README changes; the schemas are byte for byte those of v1.3.0.
    Step("v1.4.0", None, None),
    Step("v1.5.0", add_enum_value("paused"), ("enum-value-added", "status.json", "paused", "breaking")),
    Step("v1.6.0", add_property("email", {"type": "string"}), ("property-added", "user.json", "email", "additive")),
    Step("v1.7.0", add_enum_value("archived"), ("enum-value-added", "status.json", "archived", "breaking")),
    Step("v1.8.0", add_required("email"), ("required-added", "user.json", "email", "breaking")),
    Step("v1.9.0", add_property("age", {"type": "integer"}), ("property-added", "user.json", "age", "additive")),
    # As text, "v1.10.0" sorts between "v1.1.0" and "v1.2.0", but as a version it follows v1.9.0.
    Step("v1.10.0", add_enum_value("deleted"), ("enum-value-added", "status.json", "deleted", "breaking")),
    Step("v1.11.0", add_property("nickname", {"type": "string"}), ("property-added", "user.json", "nickname", "additive")),
]
TAGS = [step.tag for step in STEPS]
NEWEST_FIRST = TAGS[::-1]


def git_settings(home: Path) -> dict[str, str]:
    """The environment for every git command: HOME and the global configuration in `home`, no system configuration."""
    environment = git_environment(home)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS"):
        environment.pop(name, None)
    return environment


@pytest.fixture(scope="module")
def built_repository(tmp_path_factory: pytest.TempPathFactory) -> GitRepository:
    """The twelve releases as tagged commits, plus tags the changelog must leave out; built once for this module."""
    root = tmp_path_factory.mktemp("changelog")
    repository = GitRepository(root / "repo", git_settings(root / "home"))

    status, user = copy.deepcopy(STATUS), copy.deepcopy(USER)
    for number, step in enumerate(STEPS):
        if step.edit is not None:
            step.edit(status, user)
        files = {"schemas/status.json": schema_bytes(status), "schemas/user.json": schema_bytes(user),
                 "README.md": f"release {number}\n".encode()}
        repository.commit(files, f"Release {step.tag}", tag=step.tag)

    # A tag outside the pattern and a tag that does not read as a version, on a commit whose schemas
    # differ from every release: either would add changes if the changelog took it in.
    repository.commit({"schemas/status.json": schema_bytes({"type": "integer"})}, "Experiment", tag="nightly-9.0.0")
    repository.git("-c", "tag.gpgsign=false", "tag", "v-next")
    return repository


def enter(repository: GitRepository, monkeypatch: pytest.MonkeyPatch) -> None:
    """Give schema-diff's git commands the repository's environment, and make its top the working folder."""
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM"):
        monkeypatch.setenv(name, repository.environment[name])
    monkeypatch.chdir(repository.root)


@pytest.fixture
def repository(built_repository: GitRepository, monkeypatch: pytest.MonkeyPatch) -> GitRepository:
    enter(built_repository, monkeypatch)
    return built_repository


@pytest.fixture(scope="module")
def changelog_markdown(built_repository: GitRepository) -> str:
    """The Markdown changelog of the repository, produced once for the tests that only read it."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        enter(built_repository, monkeypatch)
        result = CliRunner().invoke(cli, ["changelog", "--git-tags", "v*", "schemas"])
    assert result.exit_code == 0, result.output
    return result.output


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def release_sections(markdown: str) -> list[tuple[str, str]]:
    """Split a changelog at its level-2 headings: (heading, body) in document order."""
    parts = re.split(r"^## (.*)$", markdown, flags=re.MULTILINE)
    return [(parts[i].strip(), parts[i + 1]) for i in range(1, len(parts), 2)]


def newest_tag(heading: str) -> str:
    """The release a section is about: the last version named in its heading ("Changes from v1.9.0 to v1.10.0")."""
    return re.findall(r"v\d+\.\d+\.\d+", heading)[-1]


# Markdown, the default format ---------------------------------------------------------------

def test_every_release_newest_first(changelog_markdown: str) -> None:
    out = changelog_markdown
    assert out.startswith("# ")
    sections = release_sections(out)
    # One section per pair of neighbours: eleven for twelve releases, none for v1.0.0 itself.
    assert [newest_tag(heading) for heading, _ in sections] == NEWEST_FIRST[:-1]


def test_version_order_not_text_order(changelog_markdown: str) -> None:
    out = changelog_markdown
    headings = [heading for heading, _ in release_sections(out)]
    # Each release is compared with the one just before it as a version.
    assert "v1.9.0" in headings[NEWEST_FIRST.index("v1.10.0")]
    assert "v1.10.0" in headings[NEWEST_FIRST.index("v1.11.0")]
    assert "v1.1.0" in headings[NEWEST_FIRST.index("v1.2.0")]
    newest = [newest_tag(heading) for heading in headings]
    assert newest.index("v1.11.0") < newest.index("v1.10.0") < newest.index("v1.9.0")


def test_other_tags_left_out(changelog_markdown: str) -> None:
    out = changelog_markdown
    assert "nightly" not in out
    assert "v-next" not in out
    assert "9.0.0" not in out


@pytest.mark.parametrize("step", [step for step in STEPS[1:] if step.expected], ids=lambda step: step.tag)
def test_release_lists_its_change(changelog_markdown: str, step: Step) -> None:
    body = dict((newest_tag(heading), body) for heading, body in release_sections(changelog_markdown))[step.tag]
    assert step.expected is not None
    rule, document, value, severity = step.expected
    section_heading = {"breaking": "### Breaking changes", "additive": "### Additions"}[severity]
    type_name = {"status.json": "Status", "user.json": "User"}[document]
    assert section_heading in body
    assert f"#### `{type_name}`" in body
    assert f"`{value}`" in body
    # No other release's value leaks into this one; the values of the later steps are absent.
    for later in STEPS[STEPS.index(step) + 1:]:
        if later.expected is not None and later.expected[2] != value:
            assert f"`{later.expected[2]}`" not in body


def test_release_without_change_one_line(changelog_markdown: str) -> None:
    out = changelog_markdown
    body = dict((newest_tag(heading), body) for heading, body in release_sections(out))["v1.4.0"]
    lines = [line for line in body.splitlines() if line.strip()]
    assert len(lines) == 1, body
    assert "no change" in lines[0].lower()
    assert "v1.3.0" in lines[0]


def test_release_notes_carry_semver_verdict(changelog_markdown: str) -> None:
    bodies = dict((newest_tag(heading), body) for heading, body in release_sections(changelog_markdown))

    # Both versions of every pair are known, so each release's notes judge its version number.
    # 1.0.0 -> 1.1.0 is a minor release, but a breaking change from 1.x on needs the next major, 2.0.0.
    assert "2.0.0" in bodies["v1.1.0"]
    # 1.1.0 -> 1.2.0 only adds an optional property, which a minor release allows.
    assert "minor release" in bodies["v1.2.0"]
    # 1.9.0 -> 1.10.0 adds an enum value, which breaks, so it too needs 2.0.0.
    assert "2.0.0" in bodies["v1.10.0"]


def test_each_tag_read_once_cli(repository: GitRepository, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    reads: Counter[str] = Counter()
    real_open_git = checker.sources.git.open_git

    def counting_open_git(spec: str, options: SourceOptions) -> DocumentSet:
        reads[spec] += 1
        return real_open_git(spec, options)

    monkeypatch.setattr(checker.sources.git, "open_git", counting_open_git)

    code, _, err = run(capsys, "changelog", "--git-tags", "v*", "schemas")

    assert code == 0, err
    # Eleven pairs take in each middle release twice, yet git is read once per tag.
    assert sorted(reads) == sorted(f"git:{tag}:schemas" for tag in TAGS)
    assert set(reads.values()) == {1}


# The library: History ------------------------------------------------------------------------

def counted(releases: list[Release], calls: Counter[str]) -> list[Release]:
    """The same releases, with readers that count their calls."""
    def wrap(release: Release) -> Release:
        def read() -> DocumentSet:
            calls[release.name] += 1
            return release.read()
        return dataclasses.replace(release, read=read)

    return [wrap(release) for release in releases]


def test_history_reads_each_release_once(repository: GitRepository) -> None:
    calls: Counter[str] = Counter()
    history = History(counted(git_tag_releases("v*", "schemas", SourceOptions()), calls))

    reports = history.changelog(Mode.FULL)

    assert len(reports) == len(TAGS) - 1
    assert sorted(history.reads) == sorted(TAGS)
    assert all(count == 1 for count in history.reads.values()), history.reads
    # The counter History keeps agrees with the calls its readers received.
    assert calls == Counter(TAGS)


def test_history_release_order(repository: GitRepository) -> None:
    releases = git_tag_releases("v*", "schemas", SourceOptions())

    # Oldest first, as versions, and without the tags outside the pattern or without a version.
    assert [release.name for release in releases] == TAGS


def test_history_reports_pair_neighbours(repository: GitRepository) -> None:
    history = History(git_tag_releases("v*", "schemas", SourceOptions()))

    reports = history.changelog(Mode.FULL)

    pairs = [(report.old.version, report.new.version) for report in reports]
    assert pairs == list(zip(NEWEST_FIRST[1:], NEWEST_FIRST))


# JSON and text formats ----------------------------------------------------------------------

def test_json_changes_per_release(repository: GitRepository, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "changelog", "--git-tags", "v*", "schemas", "--format", "json")

    assert code == 0, err
    reports = json.loads(out)
    assert [report["new"]["version"] for report in reports] == NEWEST_FIRST[:-1]
    assert [report["old"]["version"] for report in reports] == NEWEST_FIRST[1:]
    expected = {step.tag: step.expected for step in STEPS[1:]}
    for report in reports:
        found = [(change["rule"], change["schema"], change["new_value"], change["severity"]) for change in report["changes"]]
        expected_change = expected[report["new"]["version"]]
        assert found == ([expected_change] if expected_change else []), report["new"]["version"]


def test_text_one_line_per_release(repository: GitRepository, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "changelog", "--git-tags", "v*", "schemas", "--format", "text")

    assert code == 0, err
    breaking = "1 change: 1 breaking, 0 potentially breaking, 0 additive, 0 cosmetic"
    additive = "1 change: 0 breaking, 0 potentially breaking, 1 additive, 0 cosmetic"
    assert out.splitlines() == [
        f"v1.11.0 (since v1.10.0): {additive}",
        f"v1.10.0 (since v1.9.0): {breaking}",
        f"v1.9.0 (since v1.8.0): {additive}",
        f"v1.8.0 (since v1.7.0): {breaking}",
        f"v1.7.0 (since v1.6.0): {breaking}",
        f"v1.6.0 (since v1.5.0): {additive}",
        f"v1.5.0 (since v1.4.0): {breaking}",
        "v1.4.0 (since v1.3.0): no changes",
        f"v1.3.0 (since v1.2.0): {breaking}",
        f"v1.2.0 (since v1.1.0): {additive}",
        f"v1.1.0 (since v1.0.0): {breaking}",
    ]


def test_changelog_exits_zero_despite_breaks(repository: GitRepository, capsys: pytest.CaptureFixture[str]) -> None:
    # A changelog reports history; unlike a comparison it is no gate, so breaking releases do not fail it.
    code, out, err = run(capsys, "changelog", "--git-tags", "v*", "schemas", "--format", "text")

    assert code == 0, err
    assert err == ""


# A version store ----------------------------------------------------------------------------

@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store with 1.0.0, 1.2.0, 1.10.0 and a folder that is not a version, in a working folder of its own."""
    root = tmp_path / "store"
    versions = {
        "1.0.0": STATUS,
        # "failed" added: enum-value-added, breaking (forward).
        "1.2.0": {**STATUS, "enum": ["active", "stopped", "failed"]},
        # Only the description changes: cosmetic.
        "1.10.0": {**STATUS, "enum": ["active", "stopped", "failed"], "description": "Where a job is."},
    }
    for name, schema in versions.items():
        (root / name).mkdir(parents=True)
        (root / name / "status.json").write_text(json.dumps(schema))
    (root / "drafts").mkdir()
    (root / "drafts" / "status.json").write_text(json.dumps({"type": "integer"}))
    monkeypatch.chdir(tmp_path)
    return root


def test_store_changelog_json(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "changelog", "--store", store, "--format", "json")

    assert code == 0, err
    reports = json.loads(out)
    assert [(report["old"]["version"], report["new"]["version"]) for report in reports] == [("1.2.0", "1.10.0"), ("1.0.0", "1.2.0")]
    assert [(change["rule"], change["severity"]) for change in reports[0]["changes"]] == [("description-changed", "cosmetic")]
    assert [(change["rule"], change["new_value"]) for change in reports[1]["changes"]] == [("enum-value-added", "failed")]
    # The folder that is not a version is skipped with a note on stderr.
    assert "drafts" in err


def test_store_changelog_markdown(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "changelog", "--store", store)

    assert code == 0, err
    sections = release_sections(out)
    assert ["1.10.0" in heading for heading, _ in sections] == [True, False]
    assert "1.2.0" in sections[1][0]
    # A cosmetic change is counted, not listed, without --all.
    assert "Where a job is" not in out
    assert "### Breaking changes" in sections[1][1]
    assert "failed" in sections[1][1]


def test_store_changelog_all_lists_cosmetic(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "changelog", "--store", store, "--all")

    assert code == 0, err
    newest = release_sections(out)[0][1]
    assert "Status" in newest
    assert "description" in newest.lower()


def test_store_history_reads_once(store: Path) -> None:
    history = History(store_releases(SourceOptions(store=store, note=lambda message: None)))

    history.changelog(Mode.FULL)

    assert history.reads == {"1.0.0": 1, "1.2.0": 1, "1.10.0": 1}


def test_store_changelog_applies_declarations(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # schema-diff.toml in the working folder accepts the value added in 1.2.0, with a reason.
    (store.parent / "schema-diff.toml").write_text(
        '[[declared]]\nrule = "enum-value-added"\ntype = "Status"\nvalue = "failed"\n'
        'reason = "Clients treat unknown statuses as active."\nversion = "1.2.0"\n')

    code, out, err = run(capsys, "changelog", "--store", store, "--format", "json")

    assert code == 0, err
    change = json.loads(out)[1]["changes"][0]
    assert change["new_value"] == "failed"
    assert change["declared"] is True
    assert change["reason"] == "Clients treat unknown statuses as active."


def test_store_with_one_version(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "store" / "1.0.0").mkdir(parents=True)
    (tmp_path / "store" / "1.0.0" / "status.json").write_text(json.dumps(STATUS))
    monkeypatch.chdir(tmp_path)

    code, out, err = run(capsys, "changelog", "--store", tmp_path / "store")

    # Usage error: a changelog needs two versions; one line on stderr, no traceback.
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert "two versions" in err


# An npm package with --since ----------------------------------------------------------------

@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[NpmRegistry]:
    """A registry on 127.0.0.1 with 1.0.0, 1.1.0, 1.2.0 and 1.10.0 of one package; no proxy or npm settings from outside."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "npm_config_registry"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    (tmp_path / "home").mkdir()
    (tmp_path / "work").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SCHEMA_DIFF_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path / "work")
    enums = {
        "1.0.0": ["active"],
        "1.1.0": ["active", "stopped"],
        "1.2.0": ["active", "stopped", "failed"],
        "1.10.0": ["active", "stopped", "failed", "paused"],
    }
    server = NpmRegistry()
    with server:
        for version, enum in enums.items():
            files = {"schemas/status.json": schema_bytes({**STATUS, "enum": enum})}
            server.publish("status-schemas", version, npm_tarball("status-schemas", version, files))
        yield server


def test_npm_since(registry: NpmRegistry, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "changelog", "npm:status-schemas", "--since", "1.1.0",
                         "--npm-registry", registry.url, "--format", "json")

    assert code == 0, err
    reports = json.loads(out)
    # From 1.1.0 on: two pairs, newest first, each adding one enum value.
    assert [(report["old"]["version"], report["new"]["version"]) for report in reports] == [("1.2.0", "1.10.0"), ("1.1.0", "1.2.0")]
    assert [change["new_value"] for change in reports[0]["changes"]] == ["paused"]
    assert [change["new_value"] for change in reports[1]["changes"]] == ["failed"]
    # Versions before --since are never downloaded, and each tarball is fetched once.
    tarballs = [path for path in registry.paths_requested() if path.startswith("/tarballs/")]
    assert sorted(tarballs) == sorted(f"/tarballs/status-schemas-{version}.tgz" for version in ("1.1.0", "1.2.0", "1.10.0"))


def test_npm_without_since(registry: NpmRegistry, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "changelog", "npm:status-schemas", "--npm-registry", registry.url, "--format", "text")

    assert code == 0, err
    assert [line.split(" ")[0] for line in out.splitlines()] == ["1.10.0", "1.2.0", "1.1.0"]


def test_npm_history_reads_once(registry: NpmRegistry, tmp_path: Path) -> None:
    options = SourceOptions(npm_registry=registry.url, cache_dir=tmp_path / "cache")
    history = History(npm_releases("status-schemas", None, options))

    history.changelog(Mode.FULL)

    assert history.reads == {"1.0.0": 1, "1.1.0": 1, "1.2.0": 1, "1.10.0": 1}


def test_since_not_a_version(registry: NpmRegistry, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "changelog", "npm:status-schemas", "--since", "soon", "--npm-registry", registry.url)

    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert "soon" in err


def test_stale_declaration_named_once_across_pairs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # Three versions: 1.1.0 adds the value "b", 1.2.0 only adds a description. The first
    # declaration has no version, so it applies to every pair and matches the 1.1.0 change:
    # it is not stale, though the pair to 1.2.0 has nothing for it. The second matches no
    # change in any pair, so it is stale, and is named once.
    for version, schema in (("1.0.0", {"enum": ["a"]}), ("1.1.0", {"enum": ["a", "b"]}), ("1.2.0", {"enum": ["a", "b"], "description": "d"})):
        (tmp_path / "schemas" / version).mkdir(parents=True)
        (tmp_path / "schemas" / version / "s.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "schema-diff.toml").write_text(
        '[[declared]]\nrule = "enum-value-added"\nschema = "s.json"\nreason = "b is new"\n\n'
        '[[declared]]\nrule = "enum-value-removed"\nschema = "s.json"\nreason = "matches nothing"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    code, out, err = run(capsys, "changelog")

    assert code == 0
    assert out.count("- enum-value-removed for schema s.json") == 1
    assert "enum-value-added for schema s.json" not in out
    assert err == "schema-diff: warning: declaration matches no change: enum-value-removed for schema s.json\n"

    # Every format, and transitive too, warn on stderr, as a single comparison does.
    for argv in (["changelog", "--format", "html"], ["changelog", "--format", "text"], ["transitive"], ["transitive", "--format", "json"]):
        code, _, err = run(capsys, *argv)
        assert (code, err) == (0, "schema-diff: warning: declaration matches no change: enum-value-removed for schema s.json\n"), argv


def test_declared_version_matches_prefixed_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # The store's folders are named v1.0.0 and v1.1.0, and the report calls the new one
    # 1.1.0; a declaration for version "1.1.0" names that release and covers its change.
    for version, schema in (("v1.0.0", {"enum": ["a"]}), ("v1.1.0", {"enum": ["a", "b"]})):
        (tmp_path / "schemas" / version).mkdir(parents=True)
        (tmp_path / "schemas" / version / "s.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "schema-diff.toml").write_text('[[declared]]\nrule = "enum-value-added"\nschema = "s.json"\nversion = "1.1.0"\n'
                                               'reason = "b is new"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    code, out, err = run(capsys, "v1.0.0", "v1.1.0", "--format", "json")

    assert (code, err) == (0, "")
    assert [(change["rule"], change["declared"]) for change in json.loads(out)["changes"]] == [("enum-value-added", True)]


def test_transitive_single_version_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # A repository's first release: nothing earlier to check against, which is no error.
    (tmp_path / "schemas" / "1.0.0").mkdir(parents=True)
    (tmp_path / "schemas" / "1.0.0" / "s.json").write_text('{"type": "string"}', encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    code, out, err = run(capsys, "transitive")

    assert (code, err) == (0, "")
    assert out == "1.0.0 is the oldest version, so there is no earlier version to check it against.\n"
