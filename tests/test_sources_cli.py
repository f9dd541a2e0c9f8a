"""How the command line picks a reader for each source, its source options, and its usage errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import cli, main
from checker.errors import InvalidSourceError, SourceNotFoundError
from checker.sources import SourceOptions, default_cache_dir, open_source
from fakes import STATUS_OLD, schema_bytes


@pytest.fixture(autouse=True)
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


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


@pytest.mark.parametrize(("environ", "expected"), [
    # An explicit cache folder wins over the XDG one.
    ({"SCHEMA_DIFF_CACHE": "/c/explicit", "XDG_CACHE_HOME": "/c/xdg"}, Path("/c/explicit")),
    ({"XDG_CACHE_HOME": "/c/xdg"}, Path("/c/xdg/schema-diff")),
    # Empty values count as unset, as the XDG Base Directory specification requires.
    ({"SCHEMA_DIFF_CACHE": "", "XDG_CACHE_HOME": ""}, Path.home() / ".cache" / "schema-diff"),
])
def test_default_cache_dir(environ: dict[str, str], expected: Path) -> None:
    assert default_cache_dir(environ) == expected


def test_source_options_defaults(monkeypatch: pytest.MonkeyPatch, in_empty_folder: Path) -> None:
    monkeypatch.setenv("SCHEMA_DIFF_CACHE", str(in_empty_folder / "cache"))

    options = SourceOptions()

    assert options.store == Path("schemas")
    assert options.cache_dir == in_empty_folder / "cache"
    assert options.git_dir == in_empty_folder
    assert options.npm_registry is None
    assert options.index_url is None


def test_empty_source_rejected() -> None:
    with pytest.raises(InvalidSourceError, match="^a source is empty"):
        open_source("", SourceOptions())


def test_plain_file_keeps_spelling(in_empty_folder: Path) -> None:
    (in_empty_folder / "schemas").mkdir()
    (in_empty_folder / "schemas" / "status.json").write_bytes(schema_bytes(STATUS_OLD))

    documents = open_source("schemas/", SourceOptions())

    # The source is named as the user wrote it, trailing slash and all; a path has no version.
    assert documents.source == "schemas/"
    assert documents.version is None


@pytest.mark.parametrize("spec", ["missing/", "missing.json", "missing.yaml", "missing.tgz", "missing.zip"])
def test_path_like_names_are_paths(spec: str) -> None:
    # A name with a slash or a known suffix is never a version, so it is reported as a missing path.
    with pytest.raises(SourceNotFoundError, match=f"^{re.escape(spec)}: no such file or folder$"):
        open_source(spec, SourceOptions())


@pytest.mark.parametrize(("argv", "message"), [
    ([], "Missing argument 'OLD'."),
    (["a.json"], "Missing argument 'NEW'."),
    (["a.json", "b.json", "c.json"], "Got unexpected extra argument (c.json)"),
    (["a.json", "b.json", "c.json", "d.json"], "Got unexpected extra arguments (c.json d.json)"),
])
def test_wrong_number_of_sources_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    assert one_error_line(*run(capsys, "compare", *argv)) == f"schema-diff: error: {message}"


def test_help_lists_source_options() -> None:
    result = CliRunner().invoke(cli, ["compare", "--help"], catch_exceptions=False)

    assert result.exit_code == 0
    for option in ("--store", "--latest", "--against", "--npm-registry", "--index-url", "--cache-dir"):
        assert option in result.output
    for form in ("git:REV:PATH", "npm:NAME@VERSION[:SUBPATH]", "pypi:NAME==VERSION[:SUBPATH]"):
        assert form in result.output
