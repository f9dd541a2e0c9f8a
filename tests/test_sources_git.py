"""`git:REV:PATH` sources and `--against REV PATH`, on repositories built in tmp_path.

Every git command, the test's and schema-diff's, runs with HOME and GIT_CONFIG_GLOBAL in
tmp_path and without the system configuration, so the user's git setup is never read or written.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checker.cli import main
from checker.errors import GitError, InvalidSourceError
from checker.sources import SourceOptions, open_source
from fakes import STATUS_NEW, STATUS_OLD, GitRepository, git_environment, schema_bytes

REPOSITORY = Path(__file__).resolve().parents[1]
OTHER = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "integer"}


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepository:
    """A repository with `schemas/` at tag v1 and, one enum value later, at tag v2; the working folder is its top."""
    environment = git_environment(tmp_path / "home")
    for name in ("HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM"):
        monkeypatch.setenv(name, environment[name])
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS"):
        monkeypatch.delenv(name, raising=False)
        environment.pop(name, None)
    repository = GitRepository(tmp_path / "repo", environment)
    repository.commit({"schemas/status.json": schema_bytes(STATUS_OLD), "schemas/nested/other.json": schema_bytes(OTHER),
                       "README.md": b"# test repository\n"}, "Add the schemas", tag="v1")
    repository.commit({"schemas/status.json": schema_bytes(STATUS_NEW)}, "Add the failed status", tag="v2")
    monkeypatch.chdir(repository.root)
    return repository


def options(**overrides: object) -> SourceOptions:
    return SourceOptions(**overrides)  # type: ignore[arg-type]


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_error_line(code: int, out: str, err: str) -> str:
    assert code == 2, f"exit code {code}, stderr: {err!r}"
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("schema-diff: error: ")
    return lines[0]


# Reading a revision -----------------------------------------------------------------------

def test_folder_at_tag(repository: GitRepository) -> None:
    documents = open_source("git:v1:schemas", options())

    assert documents.source == "git:v1:schemas"
    assert sorted(documents.documents) == ["nested/other.json", "status.json"]
    assert documents.documents["status.json"].contents == STATUS_OLD
    assert documents.documents["status.json"].shown_as == "git:v1:schemas/status.json"


def test_file_at_tag(repository: GitRepository) -> None:
    documents = open_source("git:v2:schemas/status.json", options())

    assert documents.single_file
    assert list(documents.documents) == ["status.json"]
    assert documents.documents["status.json"].contents == STATUS_NEW


def test_whole_repository(repository: GitRepository) -> None:
    # An empty PATH is the top of the repository; README.md is no schema file.
    documents = open_source("git:v1:", options())

    assert sorted(documents.documents) == ["schemas/nested/other.json", "schemas/status.json"]


@pytest.mark.parametrize("path", ["schemas/", "./schemas", "schemas/nested/..", "schemas//"])
def test_path_spellings(repository: GitRepository, path: str) -> None:
    assert sorted(open_source(f"git:v1:{path}", options()).documents) == ["nested/other.json", "status.json"]


def test_commit_and_relative_revisions(repository: GitRepository) -> None:
    commit = repository.git("rev-parse", "v1").strip()

    assert open_source(f"git:{commit}:schemas/status.json", options()).documents["status.json"].contents == STATUS_OLD
    assert open_source("git:HEAD~1:schemas/status.json", options()).documents["status.json"].contents == STATUS_OLD
    assert open_source("git:main:schemas/status.json", options()).documents["status.json"].contents == STATUS_NEW


def test_path_relative_to_subfolder(repository: GitRepository, monkeypatch: pytest.MonkeyPatch) -> None:
    # As with the working tree, PATH is relative to the folder schema-diff runs in.
    monkeypatch.chdir(repository.root / "schemas" / "nested")

    assert list(open_source("git:v1:other.json", options()).documents) == ["other.json"]
    assert sorted(open_source("git:v1:..", options()).documents) == ["nested/other.json", "status.json"]


def test_absolute_path(repository: GitRepository) -> None:
    documents = open_source(f"git:v1:{repository.root / 'schemas' / 'nested'}", options())

    assert list(documents.documents) == ["other.json"]


def test_git_dir_option(repository: GitRepository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    documents = open_source("git:v1:schemas/nested", options(git_dir=repository.root))

    assert list(documents.documents) == ["other.json"]


def test_working_tree_and_index_untouched(repository: GitRepository) -> None:
    (repository.root / "schemas" / "status.json").write_bytes(b'{"type": "boolean"}')
    (repository.root / "schemas" / "staged.json").write_bytes(b"{}")
    repository.git("add", "schemas/staged.json")
    status_before = repository.git("status", "--porcelain")
    index_before = (repository.root / ".git" / "index").read_bytes()

    documents = open_source("git:v1:schemas", options())

    # The revision's contents, not the working tree's or the index's.
    assert documents.documents["status.json"].contents == STATUS_OLD
    assert "staged.json" not in documents.documents
    assert repository.git("status", "--porcelain") == status_before
    assert (repository.root / ".git" / "index").read_bytes() == index_before
    assert (repository.root / "schemas" / "status.json").read_bytes() == b'{"type": "boolean"}'


def test_star_in_path_is_literal(repository: GitRepository) -> None:
    # With literal pathspecs `sche*` names a file called "sche*", which does not exist.
    with pytest.raises(GitError, match=r"no file or folder 'sche\*' in revision 'v1'"):
        open_source("git:v1:sche*", options())


def test_star_in_file_name(repository: GitRepository) -> None:
    repository.commit({"odd/*.json": schema_bytes(OTHER), "odd/a.json": schema_bytes(STATUS_OLD)}, "Add an odd name", tag="v3")

    documents = open_source("git:v3:odd/*.json", options())

    assert documents.single_file
    assert documents.documents["*.json"].contents == OTHER


def test_symlink_rejected(repository: GitRepository) -> None:
    (repository.root / "schemas" / "link.json").symlink_to("status.json")
    repository.commit({}, "Add a link", tag="v3")

    with pytest.raises(GitError, match="^git:v3:schemas: link.json is a symbolic link"):
        open_source("git:v3:schemas", options())


# Bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize(("spec", "message"), [
    # A revision that names nothing in the repository.
    ("git:nope:schemas", "git:nope:schemas: revision 'nope' not found in the repository at {root}"),
    # A path that exists in no revision.
    ("git:v1:missing", "git:v1:missing: no file or folder 'missing' in revision 'v1'"),
    ("git:v1:schemas/missing.json", "git:v1:schemas/missing.json: no file or folder 'schemas/missing.json' in revision 'v1'"),
    # The path leaves the repository.
    ("git:v1:../elsewhere", "git:v1:../elsewhere: the path '../elsewhere' is outside the repository at {root}"),
])
def test_bad_revision_or_path(repository: GitRepository, spec: str, message: str) -> None:
    with pytest.raises(GitError) as raised:
        open_source(spec, options())

    assert str(raised.value) == message.format(root=repository.root)


@pytest.mark.parametrize(("spec", "message"), [
    ("git:--output=/tmp/x:schemas", "git:--output=/tmp/x:schemas: a revision must not start with '-'"),
    ("git:-p:schemas", "git:-p:schemas: a revision must not start with '-'"),
    ("git:v1", "git:v1: expected git:REV:PATH, such as git:main:schemas"),
    ("git::schemas", "git::schemas: expected git:REV:PATH, such as git:main:schemas"),
    ("git:v1\nHEAD:schemas", "git:v1\nHEAD:schemas: a revision or path must not contain a newline or NUL character"),
])
def test_malformed_spec(repository: GitRepository, spec: str, message: str) -> None:
    with pytest.raises(InvalidSourceError) as raised:
        open_source(spec, options())

    assert str(raised.value) == message


def test_not_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    environment = git_environment(tmp_path / "home")
    monkeypatch.setenv("HOME", environment["HOME"])
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", environment["GIT_CONFIG_GLOBAL"])
    # GIT_CEILING_DIRECTORIES stops git from finding a repository above tmp_path.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "plain").mkdir()
    monkeypatch.chdir(tmp_path / "plain")

    with pytest.raises(GitError, match=r"^git:HEAD:schemas: git rev-parse failed: not a git repository"):
        open_source("git:HEAD:schemas", options())


def test_missing_git_dir(tmp_path: Path) -> None:
    with pytest.raises(GitError, match=r"cannot run git: the folder .*nowhere does not exist"):
        open_source("git:HEAD:schemas", options(git_dir=tmp_path / "nowhere"))


# Command line -----------------------------------------------------------------------------

def test_cli_two_tags(repository: GitRepository, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "git:v1:schemas", "git:v2:schemas", "--format", "json")
    report = json.loads(out)

    # v2 adds "failed" to the status enum: old readers reject it, so it breaks forward.
    assert code == 1
    assert [(change["rule"], change["new_value"], change["schema"]) for change in report["changes"]] == [
        ("enum-value-added", "failed", "status.json")]
    assert report["old"]["source"] == "git:v1:schemas"


def test_cli_shipped_example_as_tags(repository: GitRepository, capsys: pytest.CaptureFixture[str]) -> None:
    for version in ("1.5.1", "1.7.1"):
        shutil.rmtree(repository.root / "schemas")
        shutil.copytree(REPOSITORY / "schemas" / version, repository.root / "schemas")
        repository.commit({}, f"Schemas of {version}", tag=f"v{version}")

    code, out, _ = run(capsys, "git:v1.5.1:schemas", "git:v1.7.1:schemas", "--format", "json")
    rules = sorted(change["rule"] for change in json.loads(out)["changes"])

    # schemas/README.md lists the nine changes between the two example versions.
    assert code == 1
    assert rules == ["default-changed", *["enum-value-added"] * 7, "property-added"]


def test_cli_against_modified_working_tree(repository: GitRepository, capsys: pytest.CaptureFixture[str]) -> None:
    # HEAD is v2; the working tree removes "stopped", which old data may still carry (breaks backward).
    modified = dict(STATUS_NEW, enum=["active", "failed"])
    (repository.root / "schemas" / "status.json").write_bytes(schema_bytes(modified))

    code, out, _ = run(capsys, "--against", "HEAD", "schemas", "--format", "json")
    report = json.loads(out)

    assert code == 1
    assert [(change["rule"], change["old_value"], change["breaks"]) for change in report["changes"]] == [
        ("enum-value-removed", "stopped", ["backward"])]
    assert report["old"]["source"] == "git:HEAD:schemas"
    assert report["new"]["source"] == "schemas"


def test_cli_against_unchanged_exit_0(repository: GitRepository, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--against", "HEAD", "schemas/")

    assert code == 0
    assert out == "git:HEAD:schemas/ -> schemas/ (mode: full)\n\nNo changes.\n"


def test_cli_against_older_tag(repository: GitRepository, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "--against", "v1", "schemas/status.json")

    # v1 -> working tree (= v2) adds "failed": breaks forward.
    assert code == 1


@pytest.mark.parametrize(("argv", "message"), [
    (["git:nope:schemas", "schemas"], "git:nope:schemas: revision 'nope' not found in the repository at {root}"),
    (["git:v1:missing", "schemas"], "git:v1:missing: no file or folder 'missing' in revision 'v1'"),
    (["git:-v1:schemas", "schemas"], "git:-v1:schemas: a revision must not start with '-'"),
    (["--against", "nope", "schemas"], "git:nope:schemas: revision 'nope' not found in the repository at {root}"),
    (["--against=--all", "schemas"], "git:--all:schemas: a revision must not start with '-'"),
    (["--against", "HEAD", "schemas", "schemas"], "--against REV takes exactly one argument, PATH; got 2"),
    (["--against", "HEAD"], "--against REV takes exactly one argument, PATH; got 0"),
    (["--against", "HEAD", "--latest", "schemas"], "--latest and --against cannot be used together"),
])
def test_cli_bad_git_input_exit_2(repository: GitRepository, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    line = one_error_line(*run(capsys, *argv))

    assert line == "schema-diff: error: " + message.format(root=repository.root)


def test_cli_against_missing_working_path_exit_2(repository: GitRepository, capsys: pytest.CaptureFixture[str]) -> None:
    line = one_error_line(*run(capsys, "--against", "HEAD", "gone"))

    assert line == "schema-diff: error: git:HEAD:gone: no file or folder 'gone' in revision 'HEAD'"
