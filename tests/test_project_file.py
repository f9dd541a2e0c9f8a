"""The project file survives `schema-diff accept`, and a broken one is rejected with one clear line.

`accept` appends declarations and must never leave a half-written or invalid file. A crash
or a full disk keeps the old bytes, and a read-only file is left alone. A file with comments
and unusual formatting keeps every byte it had. Every test runs on a copy of the shipped
example (`schemas/1.5.1` -> `schemas/1.7.1`) in tmp_path, which becomes the current folder.
Its breaking changes are declared by five entries: DeploymentStatus with three new values,
ResourceStatus with one, and the changed default of AlienError.internal.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main

REPOSITORY = Path(__file__).resolve().parents[1]
OLD = "schemas/1.5.1"
NEW = "schemas/1.7.1"
REASON = "Clients treat unknown statuses as pending."

#: Every undeclared breaking change of the example as (rule, type, value), in the order `accept` appends them.
EXAMPLE_ENTRIES = [
    ("enum-value-added", "DeploymentStatus", "preflights-failed"),
    ("enum-value-added", "DeploymentStatus", "teardown-failed"),
    ("enum-value-added", "DeploymentStatus", "teardown-required"),
    ("default-changed", "AlienError", True),
    ("enum-value-added", "ResourceStatus", "teardown-required"),
]

#: A project file as a person might write it: comments everywhere, a quoted glob, a
#: multi-line list with a trailing comma, a literal string, odd spacing, and no final newline.
COMMENTED = """\
# Settings for schema-diff.   Reviewed by the API team.

ignore = [
    "drafts/*.json",   # work in progress
]

[modes]
  "*Request.json"   =   'backward'   # requests only need to accept old data

# AlienError.internal now defaults to true.
[[declared]]
rule="default-changed"
type = 'AlienError'
reason = '''Every caller sets "internal" explicitly since 1.2.'''
# end of the hand-written part"""


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped example in tmp_path, which becomes the current folder."""
    shutil.copytree(REPOSITORY / "schemas", tmp_path / "schemas")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def accept(capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str, str]:
    return run(capsys, "accept", OLD, NEW, "--reason", REASON, *options)


def entries(declared: list[dict[str, Any]]) -> list[tuple[str, str, Any]]:
    return [(entry["rule"], entry["type"], entry.get("value")) for entry in declared]


def one_error_line(code: int, err: str, name: str) -> str:
    """Check for exit code 2 and a single stderr line that names the file; return the line."""
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("schema-diff: error: ")
    assert name in lines[0]
    return lines[0]


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


# Failed writes leave the file as it was ------------------------------------------------------

ORIGINAL = b"# Declarations reviewed by the API team.\n"


def test_crash_in_replace(example: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    project = example / "schema-diff.toml"
    project.write_bytes(ORIGINAL)
    before = files_in(example)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", fail)
    code, _, err = accept(capsys)

    one_error_line(code, err, "schema-diff.toml")
    assert project.read_bytes() == ORIGINAL
    assert files_in(example) == before


def test_disk_full_during_write(example: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    project = example / "schema-diff.toml"
    project.write_bytes(ORIGINAL)
    before = files_in(example)

    def fail(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    code, _, err = accept(capsys)

    one_error_line(code, err, "schema-diff.toml")
    assert project.read_bytes() == ORIGINAL
    assert files_in(example) == before


def test_interrupt_during_write(example: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # Ctrl-C between writing the new content and renaming it over the old file.
    project = example / "schema-diff.toml"
    project.write_bytes(ORIGINAL)
    before = files_in(example)

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    code, _, _ = accept(capsys)

    assert code == 2
    assert project.read_bytes() == ORIGINAL
    assert files_in(example) == before


def test_read_only_file(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Tests run as root, which may write any file, so only the mode bits mark the file read-only.
    project = example / "schema-diff.toml"
    project.write_bytes(ORIGINAL)
    project.chmod(0o444)
    before = files_in(example)

    code, out, err = accept(capsys)

    line = one_error_line(code, err, "schema-diff.toml")
    assert "read-only" in line
    assert out == ""
    assert project.read_bytes() == ORIGINAL
    assert stat.S_IMODE(project.stat().st_mode) == 0o444
    assert files_in(example) == before


def test_write_keeps_file_mode(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = example / "schema-diff.toml"
    project.write_bytes(ORIGINAL)
    project.chmod(0o640)

    code, _, err = accept(capsys)

    assert code == 0, err
    assert stat.S_IMODE(project.stat().st_mode) == 0o640


# Extending files as written by people ----------------------------------------------------

@pytest.mark.parametrize("newline", [
    "\n",
    # Written on Windows: the appended lines end in \n, and TOML allows mixing the two.
    "\r\n",
])
def test_commented_file_extended(example: Path, capsys: pytest.CaptureFixture[str], newline: str) -> None:
    project = example / "schema-diff.toml"
    original = COMMENTED.replace("\n", newline).encode("utf-8")
    project.write_bytes(original)

    code, _, err = accept(capsys)

    content = project.read_bytes()
    data = tomllib.loads(content.decode("utf-8"))
    assert code == 0, err
    assert content.startswith(original)
    # The hand-written entry declared the changed default; accept added the four enum values.
    assert entries(data["declared"]) == [
        ("default-changed", "AlienError", None),
        *[entry for entry in EXAMPLE_ENTRIES if entry[0] != "default-changed"],
    ]
    assert all(entry["reason"] == REASON for entry in data["declared"][1:])
    assert data["modes"] == {"*Request.json": "backward"}
    assert data["ignore"] == ["drafts/*.json"]
    assert run(capsys, OLD, NEW)[0] == 0


def test_inline_array_extended(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `declared = [{...}]` is the same array written inline; a `[[declared]]` table appended
    # after it would redefine the array and make the file invalid TOML.
    project = example / "schema-diff.toml"
    original = b'declared = [\n  { rule = "default-changed", type = "AlienError", reason = "Callers set it." },\n]\n'
    project.write_bytes(original)

    code, _, err = accept(capsys)

    content = project.read_bytes()
    if code == 2:
        # Refusing is acceptable, as long as the file is left as it was.
        one_error_line(code, err, "schema-diff.toml")
        assert content == original
        return
    assert code == 0, err
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except tomllib.TOMLDecodeError as error:
        pytest.fail(f"accept left a project file that is not valid TOML: {error}")
    assert len(data["declared"]) == 5
    assert run(capsys, OLD, NEW)[0] == 0


def test_accept_creates_project_file(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = accept(capsys)

    data = tomllib.loads((example / "schema-diff.toml").read_text(encoding="utf-8"))
    assert code == 0, err
    assert entries(data["declared"]) == EXAMPLE_ENTRIES
    assert "schema-diff.toml" in out


def test_accept_writes_config_path(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = example / "settings"
    settings.mkdir()
    project = settings / "gate.toml"
    project.write_text("# The gate's declarations.\n", encoding="utf-8")

    code, _, err = accept(capsys, "--config", str(project))

    assert code == 0, err
    assert not (example / "schema-diff.toml").exists()
    assert entries(tomllib.loads(project.read_text(encoding="utf-8"))["declared"]) == EXAMPLE_ENTRIES
    assert run(capsys, OLD, NEW, "--config", str(project))[0] == 0
    assert run(capsys, OLD, NEW)[0] == 1


def test_accept_keeps_windows_line_endings(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A project file saved on Windows ends its lines in CR LF; the appended lines must too,
    # or the file would mix two kinds of line ending.
    project = example / "schema-diff.toml"
    project.write_bytes(b"# The gate's declarations.\r\n")

    code, _, err = accept(capsys)

    written = project.read_bytes()
    assert code == 0, err
    assert written.startswith(b"# The gate's declarations.\r\n\r\n")
    assert written.count(b"\n") == written.count(b"\r\n")
    assert entries(tomllib.loads(written.decode("utf-8"))["declared"]) == EXAMPLE_ENTRIES


def test_missing_config_path(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, OLD, NEW, "--config", "missing.toml")

    one_error_line(code, err, "missing.toml")


# [tool.schema-diff] in pyproject.toml --------------------------------------------------------

PYPROJECT = """\
[project]
name = "status-schemas"
version = "1.7.1"

[tool.schema-diff]
ignore = ["drafts/*"]

[[tool.schema-diff.declared]]
rule = "default-changed"
type = "AlienError"
reason = "Every caller sets internal explicitly."

[tool.pytest.ini_options]
addopts = "-q"
"""


def test_pyproject_table_read(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")

    code, out, _ = run(capsys, OLD, NEW, "--format", "json")

    assert code == 1
    assert '"declared": true' in out
    assert out.count('"declared": true') == 1


def test_pyproject_accept(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pyproject = example / "pyproject.toml"
    pyproject.write_text(PYPROJECT, encoding="utf-8")

    code, _, err = accept(capsys)

    content = pyproject.read_text(encoding="utf-8")
    data = tomllib.loads(content)
    assert code == 0, err
    assert content.startswith(PYPROJECT)
    assert not (example / "schema-diff.toml").exists()
    assert entries(data["tool"]["schema-diff"]["declared"]) == [
        ("default-changed", "AlienError", None),
        *[entry for entry in EXAMPLE_ENTRIES if entry[0] != "default-changed"],
    ]
    assert data["tool"]["pytest"] == {"ini_options": {"addopts": "-q"}}
    assert data["project"]["name"] == "status-schemas"
    assert run(capsys, OLD, NEW)[0] == 0


def test_pyproject_without_table(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A pyproject.toml that does not configure schema-diff is not touched; accept makes schema-diff.toml.
    pyproject = example / "pyproject.toml"
    pyproject.write_text('[project]\nname = "status-schemas"\n', encoding="utf-8")

    code, _, err = accept(capsys)

    assert code == 0, err
    assert pyproject.read_text(encoding="utf-8") == '[project]\nname = "status-schemas"\n'
    assert entries(tomllib.loads((example / "schema-diff.toml").read_text(encoding="utf-8"))["declared"]) == EXAMPLE_ENTRIES


def test_project_file_before_pyproject(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # schema-diff.toml wins over [tool.schema-diff]; here it declares nothing that changed.
    (example / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (example / "schema-diff.toml").write_text("# No declarations yet.\n", encoding="utf-8")

    code, out, _ = run(capsys, OLD, NEW, "--format", "json")

    assert code == 1
    assert '"declared": true' not in out


# Invalid project files ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "fragment"), [
    # A key without a value.
    ("[[declared]]\nrule =\n", "invalid TOML"),
    # A rule id that is not in the catalogue (the real one is enum-value-added).
    ('[[declared]]\nrule = "enum-added"\ntype = "DeploymentStatus"\nreason = "Readers cope."\n', "enum-added"),
    # Every declaration needs a reason.
    ('[[declared]]\nrule = "enum-value-added"\ntype = "DeploymentStatus"\n', "reason"),
    # ... and not an empty one.
    ('[[declared]]\nrule = "enum-value-added"\ntype = "DeploymentStatus"\nreason = "  "\n', "reason"),
    # A declaration must say where it applies.
    ('[[declared]]\nrule = "enum-value-added"\nreason = "Readers cope."\n', "type"),
    # A misspelt key would otherwise silently widen the declaration.
    ('[[declared]]\nrule = "enum-value-added"\ntype = "DeploymentStatus"\nvalues = ["x"]\nreason = "Readers cope."\n', "values"),
    # Modes are full, backward or forward.
    ('[modes]\n"*.json" = "sideways"\n', "sideways"),
    # `ignore` is a list of globs.
    ('ignore = "drafts/*"\n', "ignore"),
])
@pytest.mark.parametrize("command", ["compare", "accept"])
def test_invalid_project_file(example: Path, capsys: pytest.CaptureFixture[str], text: str, fragment: str, command: str) -> None:
    project = example / "schema-diff.toml"
    project.write_text(text, encoding="utf-8")

    if command == "accept":
        code, out, err = accept(capsys)
    else:
        code, out, err = run(capsys, OLD, NEW)

    line = one_error_line(code, err, "schema-diff.toml")
    assert fragment in line
    assert out == ""
    assert project.read_text(encoding="utf-8") == text


def test_invalid_pyproject_table(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "pyproject.toml").write_text('[tool.schema-diff]\n[[tool.schema-diff.declared]]\nrule = "enum-value-added"\ntype = "X"\n',
                                            encoding="utf-8")

    code, _, err = run(capsys, OLD, NEW)

    line = one_error_line(code, err, "pyproject.toml")
    assert "reason" in line
