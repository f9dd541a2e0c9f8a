"""Errors a new user meets on the command line: each ends in one line on stderr and exit status 2.

The cases: a version store that is missing or a file, and malformed package names, which are
rejected before any request. Then the transitive check of the oldest version, `schema-diff`
without arguments, standard output that cannot be written, `--git-tags` outside a repository,
and invalid project files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.cli import main
from fakes import FakeServer

SCHEMA = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string", "enum": ["active"]}
# One enum value added: breaking under the default mode, so a written report would exit 1.
SCHEMA_NEXT = {**SCHEMA, "enum": ["active", "stopped"]}


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(argument) for argument in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write_schema(path: Path, schema: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(schema), encoding="utf-8")
    return path


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder with no ./schemas, a file named `afile`, and an isolated download cache."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "afile").write_text("not a folder\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("SCHEMA_DIFF_CACHE", str(tmp_path / "cache"))
    return folder


@pytest.fixture
def store(workdir: Path) -> Path:
    """A store with two versions, 1.5.1 and 1.7.1."""
    write_schema(workdir / "S" / "1.5.1" / "status.json", SCHEMA)
    write_schema(workdir / "S" / "1.7.1" / "status.json", SCHEMA_NEXT)
    return workdir / "S"


# A version store that is missing or is a file --------------------------------------------------

STORE_COMMANDS = [
    ["changelog", "--store", "{store}"],
    ["transitive", "--store", "{store}"],
    ["--transitive", "--store", "{store}"],
    ["--transitive", "1.7.1", "--store", "{store}"],
]


@pytest.mark.parametrize("command", STORE_COMMANDS, ids=lambda command: " ".join(command[:2]))
@pytest.mark.parametrize(("store_name", "problem"), [
    # Nothing of that name exists in the working folder.
    ("nope", "does not exist"),
    # `afile` exists but is a regular file, so it cannot contain version folders.
    ("afile", "is not a folder"),
])
def test_bad_store_one_line(workdir: Path, capsys: pytest.CaptureFixture[str], command: list[str], store_name: str,
                            problem: str) -> None:
    argv = [argument.format(store=store_name) for argument in command]

    code, out, err = run(capsys, *argv)

    assert code == 2
    assert out == ""
    assert err == f"schema-diff: error: the version store {store_name} {problem} (set one with --store DIR)\n"


@pytest.mark.parametrize("command", ["changelog", "transitive"])
def test_default_store_missing(workdir: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    # Without --store the store is ./schemas, which the working folder lacks.
    code, out, err = run(capsys, command)

    assert code == 2
    assert out == ""
    assert err == "schema-diff: error: the version store schemas does not exist (set one with --store DIR)\n"


def test_latest_store_is_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--latest", "--store", "afile")

    assert code == 2
    assert err == "schema-diff: error: --latest: the version store afile is not a folder (set one with --store DIR)\n"


def test_version_with_store_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "1.5.1", "1.7.1", "--store", "afile")

    assert code == 2
    assert err == ("schema-diff: error: 1.5.1: no such file or folder, and the version store afile is not a folder "
                   "(set one with --store DIR)\n")


# Package names are checked before any request ---------------------------------------------------

@pytest.mark.parametrize(("argv", "message"), [
    # Nothing after the prefix.
    (["changelog", "npm:"], "npm:: the package name is missing; give it as npm:NAME"),
    (["changelog", "pypi:"], "pypi:: the package name is missing; give it as pypi:NAME"),
    # The package in the VERSION place of `transitive` is still read as the package.
    (["transitive", "npm:"], "npm:: the package name is missing; give it as npm:NAME"),
    # npm names contain no spaces and no path segments.
    (["changelog", "npm:bad name"], "npm:bad name: 'bad name' is not a valid npm package name"),
    (["changelog", "npm:../../etc"], "npm:../../etc: '../../etc' is not a valid npm package name"),
    # PEP 508 names contain no spaces either.
    (["changelog", "pypi:a b"], "pypi:a b: 'a b' is not a valid Python project name"),
    # A history reads every version, so a pinned one is a mistake.
    (["changelog", "npm:@scope/pkg@1.0.0"],
     "npm:@scope/pkg@1.0.0: a history reads every version of a package, so give the name without a version "
     "(use --since VERSION to start at a later one)"),
    (["changelog", "pypi:pkg==1.0"],
     "pypi:pkg==1.0: a history reads every version of a package, so give the name without a version "
     "(use --since VERSION to start at a later one)"),
])
def test_bad_package_name_no_request(workdir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    with FakeServer() as server:
        code, out, err = run(capsys, *argv, "--npm-registry", server.url + "/", "--index-url", server.url + "/simple/")

    assert code == 2
    assert out == ""
    assert err == f"schema-diff: error: {message}\n"
    assert server.paths_requested() == []


def test_valid_package_name_is_requested(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The control for the test above: the same server does record the request of a valid name.
    with FakeServer() as server:
        code, _, _ = run(capsys, "changelog", "npm:valid-name", "--npm-registry", server.url + "/")

    assert code == 2
    assert server.paths_requested() == ["/valid-name"]


# The transitive check ---------------------------------------------------------------------------

def test_transitive_oldest_version_text(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "transitive", "1.5.1", "--store", store)

    assert code == 0
    assert out == "1.5.1 is the oldest version, so there is no earlier version to check it against.\n"
    assert err == ""


def test_transitive_oldest_version_json(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "transitive", "1.5.1", "--store", store, "--format", "json")

    assert code == 0
    assert json.loads(out) == {"new": "1.5.1", "against": [], "breaks": []}


def test_transitive_two_versions(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "transitive", "1.5.1", "1.7.1", "--store", store)

    assert code == 2
    assert out == ""
    assert err == ("schema-diff: error: transitive checks one version against every earlier one, but got two versions, "
                   "1.5.1 and 1.7.1 (check 1.7.1 with `schema-diff transitive 1.7.1`, "
                   "or compare the two with `schema-diff 1.5.1 1.7.1`)\n")


def test_transitive_second_word_not_package(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `left-pad` reads neither as a version nor as a package: the prefix is what is missing.
    code, _, err = run(capsys, "transitive", "1.5.1", "left-pad", "--store", store)

    assert code == 2
    assert err == "schema-diff: error: left-pad: name a package as npm:NAME or pypi:NAME\n"


def test_changelog_version_argument(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "changelog", "1.5.1", "--store", store)

    assert code == 2
    assert err == "schema-diff: error: 1.5.1 is a version, but changelog takes a package (npm:NAME or pypi:NAME) and covers every version\n"


# No arguments -----------------------------------------------------------------------------------

def test_no_arguments_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    help_code, help_text, _ = run(capsys, "--help")

    code, out, err = run(capsys)

    assert help_code == 0
    assert code == 2
    assert out == ""
    # The same text as --help, on stderr, with real line breaks.
    assert err == help_text
    assert err.startswith("Usage: schema-diff [OPTIONS] COMMAND [ARGS]...\n")
    assert "\\n" not in err


# Standard output that cannot be written ---------------------------------------------------------

needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full, whose writes fail with ENOSPC")


@needs_dev_full
@pytest.mark.parametrize("argv", [["old.json", "new.json"], ["rules"], ["--help"]], ids=" ".join)
def test_full_disk_one_line(workdir: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    write_schema(workdir / "old.json", SCHEMA)
    write_schema(workdir / "new.json", SCHEMA_NEXT)
    with open("/dev/full", "w", encoding="utf-8") as full, pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdout", full)
        code = main(argv)
    err = capsys.readouterr().err

    assert code == 2
    assert err == "schema-diff: error: cannot write to standard output: No space left on device\n"


def run_process(argv: list[str], cwd: Path, stdout: int) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "checker", *argv], cwd=cwd, stdout=stdout, stderr=subprocess.PIPE,
                          timeout=60, check=False)


@needs_dev_full
def test_full_disk_process_quiet(workdir: Path) -> None:
    # A real process: Python's own flush at exit must not add "Exception ignored" lines.
    write_schema(workdir / "old.json", SCHEMA)
    write_schema(workdir / "new.json", SCHEMA_NEXT)
    with open("/dev/full", "wb") as full:
        completed = run_process(["old.json", "new.json"], workdir, full.fileno())

    assert completed.returncode == 2
    assert completed.stderr == b"schema-diff: error: cannot write to standard output: No space left on device\n"


@pytest.mark.parametrize("argv", [
    # A breaking comparison: exit status 1 here would tell a pipefail script "breaking changes".
    ["old.json", "new.json", "--format", "sarif"],
    ["rules"],
    ["--help"],
], ids=" ".join)
def test_closed_pipe_exit_2(workdir: Path, argv: list[str]) -> None:
    write_schema(workdir / "old.json", SCHEMA)
    write_schema(workdir / "new.json", SCHEMA_NEXT)
    reader, writer = os.pipe()
    # The reader is gone before schema-diff writes a byte, as `| head -c 10` is after ten bytes.
    os.close(reader)
    try:
        completed = run_process(argv, workdir, writer)
    finally:
        os.close(writer)

    assert completed.returncode == 2
    assert completed.stderr == b"schema-diff: error: cannot write to standard output: Broken pipe\n"


# Markdown is left out: it keeps release notes short enough for a pull-request comment
# (under 64 KiB here), so the whole report fits in the pipe and is written in full.
@pytest.mark.parametrize("output_format", ["html", "text", "json"])
def test_pipe_closed_after_first_bytes_exit_2(workdir: Path, output_format: str) -> None:
    # 2,000 added properties make a report far larger than a pipe's capacity (64 KiB on Linux).
    # The reader takes ten bytes and goes away, as `| head -c 10` does, while schema-diff
    # is still writing. The rest cannot be written, which must end in exit 2, not in a
    # report cut short with the exit status of a complete one.
    write_schema(workdir / "old.json", {"type": "object", "properties": {}})
    write_schema(workdir / "new.json", {"type": "object", "additionalProperties": False,
                                        "properties": {f"p{index}": {"type": "string"} for index in range(2000)}})
    process = subprocess.Popen([sys.executable, "-m", "checker", "old.json", "new.json", "--format", output_format],
                               cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.read(10)
    process.stdout.close()
    errors = process.stderr.read()
    process.stderr.close()

    assert process.wait(timeout=60) == 2
    assert len(first) == 10
    assert errors == b"schema-diff: error: cannot write to standard output: Broken pipe\n"


# --git-tags outside a repository ----------------------------------------------------------------

@pytest.fixture
def git_isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Point git at empty configuration files, and stop its search for a repository at tmp_path."""
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS"):
        monkeypatch.delenv(name, raising=False)
    settings = {
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_SYSTEM": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CEILING_DIRECTORIES": str(tmp_path),
        "GIT_AUTHOR_NAME": "Schema Diff Tests",
        "GIT_AUTHOR_EMAIL": "tests@example.invalid",
        "GIT_COMMITTER_NAME": "Schema Diff Tests",
        "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    return {**os.environ, **settings}


def test_git_tags_outside_repository(tmp_path: Path, git_isolated: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.chdir(plain)

    code, out, err = run(capsys, "changelog", "--git-tags", "v*", tmp_path)

    assert code == 2
    assert out == ""
    assert err == (f"schema-diff: error: --git-tags v* {tmp_path}: the current folder {Path.cwd()} is not in a git repository; "
                   "--git-tags reads the tags of the repository around the current folder\n")


@pytest.mark.parametrize("outside", ["absolute", "../elsewhere"])
def test_git_tags_path_outside_repository(tmp_path: Path, git_isolated: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str], outside: str) -> None:
    repository = tmp_path / "repo"
    repository.mkdir()
    subprocess.run(["git", "-c", "init.defaultBranch=main", "init", "--quiet"], cwd=repository, env=git_isolated, check=True)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(repository)
    path = str(tmp_path / "elsewhere") if outside == "absolute" else outside

    code, out, err = run(capsys, "transitive", "--git-tags", "v*", path)

    assert code == 2
    assert out == ""
    assert err == (f"schema-diff: error: --git-tags v* {path}: the path {path} is not in the git repository at "
                   f"{repository.resolve()}, where --git-tags reads the tags; give a path inside it, "
                   "or run schema-diff in the repository that contains the path\n")


# Project files ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "problem"), [
    # The three modes are the values of the Mode enum, listed in words.
    ("schema-diff.toml", b'[modes]\n"*.json" = "sideways"\n',
     "invalid mode 'sideways' for '*.json' in `modes`; the valid modes are backward, forward and full"),
    # A number is no mode either.
    ("schema-diff.toml", b'[modes]\n"*.json" = 3\n',
     "invalid mode 3 for '*.json' in `modes`; the valid modes are backward, forward and full"),
    # EF BB BF is the UTF-8 byte order mark, which tomllib reads as an invalid statement.
    ("schema-diff.toml", b'\xef\xbb\xbf[modes]\n"*.json" = "full"\n',
     "starts with a UTF-8 byte order mark, which Python's TOML reader (tomllib) rejects; save the file without it"),
    ("pyproject.toml", b'\xef\xbb\xbf[tool.schema-diff]\n',
     "starts with a UTF-8 byte order mark, which Python's TOML reader (tomllib) rejects; save the file without it"),
    # "a", "b" and NUL are valid UTF-8 at offsets 0 to 2; 0xFF never is, so offset 3 is the first bad byte.
    ("schema-diff.toml", b"ab\x00\xff\xfe", "not UTF-8 text (invalid byte at offset 3)"),
])
def test_invalid_project_file_one_line(workdir: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes,
                                       problem: str) -> None:
    (workdir / name).write_bytes(content)
    write_schema(workdir / "old.json", SCHEMA)

    code, out, err = run(capsys, "old.json", "old.json")

    assert code == 2
    assert out == ""
    assert err == f"schema-diff: error: {workdir / name}: {problem}\n"
