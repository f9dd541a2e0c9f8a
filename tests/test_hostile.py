"""Hostile and broken inputs through the command line: each ends in one clear error line or a correct report.

Every input error must give exit code 2, exactly one line on stderr that names the file and
the problem, nothing on stdout, no traceback, and no file written anywhere. Inputs that could
hang or crash the interpreter (deep nesting, recursive YAML aliases, FIFOs, `$ref` cycles)
run in a subprocess with a timeout, so that a regression fails the test instead of stopping
the suite.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tarfile
import time
import uuid
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

import checker.cli
import checker.loading
from checker.cli import main
from checker.sources import ArchiveLimits, SourceOptions

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

#: A valid document that every broken file is compared with.
VALID = b'{"type": "object", "properties": {"name": {"type": "string"}}}\n'

#: Seconds a subprocess may take before the test counts it as hung.
SUBPROCESS_TIMEOUT = 10

#: Leaves the slow tests out of a run that did not select them with `-m slow`. The project's
#: pytest options do not deselect the marker themselves.
only_when_selected = pytest.mark.skipif("'slow' not in config.getoption('markexpr')",
                                        reason="long-running; select it with -m slow")


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty folder with a private download cache, so that nothing outside tmp_path is read or written."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("SCHEMA_DIFF_CACHE", str(tmp_path / "cache"))
    return folder


@pytest.fixture(autouse=True)
def connections(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record and reject every attempt to open a network connection; the list contains the addresses tried."""
    attempts: list[Any] = []

    def reject_connection(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError("network access is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", reject_connection)
    monkeypatch.setattr(socket.socket, "connect_ex", reject_connection)
    return attempts


# Helpers ------------------------------------------------------------------------------------

def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """Run the command line in-process and return (exit code, stdout, stderr)."""
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_process(*argv: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run schema-diff as its own process; a run that outlives the timeout fails the test as hung."""
    command = [sys.executable, "-m", "checker", *map(str, argv)]
    try:
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT,
                              env={**os.environ, "SCHEMA_DIFF_CACHE": str(cwd / ".cache")}, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"schema-diff {' '.join(map(str, argv))} still ran after {SUBPROCESS_TIMEOUT} s", pytrace=False)


def assert_error(code: int, out: str, err: str, expected: str) -> None:
    """Check the shape of an input error and its exact message (without the `schema-diff: error: ` prefix)."""
    assert "Traceback" not in err, err
    assert code == 2, f"exit code {code}, stderr: {err!r}"
    assert out == "", f"stdout must stay empty on an error, got: {out[:500]!r}"
    assert err == f"schema-diff: error: {expected}\n"


def assert_error_about(code: int, out: str, err: str, file: str, *words: str) -> str:
    """Check the shape of an input error that names `file` and contains each of `words`, and return its line.

    For inputs whose exact wording schema-diff does not fix yet: the file and the problem must
    be named, in one line.
    """
    assert "Traceback" not in err, err
    assert code == 2, f"exit code {code}, stderr: {err!r}"
    assert out == "", f"stdout must stay empty on an error, got: {out[:500]!r}"
    lines = err.splitlines()
    assert len(lines) == 1, f"expected exactly one line on stderr, got: {err!r}"
    assert lines[0].startswith(f"schema-diff: error: {file}: "), lines[0]
    for word in words:
        assert word.lower() in lines[0].lower(), lines[0]
    return lines[0]


def listing(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every path under a folder with its type bits, size and modification time, links not followed."""
    found = {}
    for parent, folders, files in os.walk(folder):
        for name in folders + files:
            path = Path(parent) / name
            info = path.lstat()
            found[path.relative_to(folder).as_posix()] = (stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns)
    return found


def write(path: Path, data: bytes | str | Any) -> Path:
    """Write bytes, text, or any other value as JSON, creating the folder, and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    elif isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_text(json.dumps(data), encoding="utf-8")
    return path


def changes_of(out: str) -> list[tuple[str, str, str | None, str | None, list[str]]]:
    """The (rule, schema, old_pointer, new_pointer, breaks) of every change in a JSON report."""
    report = json.loads(out)
    return [(change["rule"], change["schema"], change["old_pointer"], change["new_pointer"], change["breaks"])
            for change in report["changes"]]


# Broken files ---------------------------------------------------------------------------------

MAX_DIGITS = sys.get_int_max_str_digits()

BROKEN_FILES = [
    # The file ends inside a string: the json module points at the quote that opens it, column 10.
    pytest.param("new.json", b'{"type": "str',
                 "invalid JSON at line 1, column 10: a string starts here, but the file ends before its closing quote",
                 id="truncated-in-string"),
    # The file ends after a comma, where the next member's name should start (offset 18, column 19).
    pytest.param("new.json", b'{"type": "string",', "invalid JSON at line 1, column 19: the file ends before an object is closed",
                 id="truncated-after-comma"),
    # Cut on the fourth line: in `    "a": {"type": "str` the unterminated string opens at column 19.
    pytest.param("new.json", b'{\n  "type": "object",\n  "properties": {\n    "a": {"type": "str',
                 "invalid JSON at line 4, column 19: a string starts here, but the file ends before its closing quote",
                 id="truncated-multiline"),
    pytest.param("new.json", b"", "the file is empty", id="empty"),
    # Only whitespace is as empty as no bytes at all.
    pytest.param("new.json", b"  \n\t\n", "the file is empty", id="whitespace-only"),
    pytest.param("new.yaml", b"", "the file is empty", id="empty-yaml"),
    # Latin-1 "é" (0xE9) at byte offset 14, after `{"title": "caf`.
    pytest.param("new.json", b'{"title": "caf\xe9"}', "not UTF-8 text (invalid byte at offset 14)", id="latin-1"),
    # UTF-16 starts with the byte order mark FF FE, invalid in UTF-8 at offset 0.
    pytest.param("new.json", '{"type": "string"}'.encode("utf-16"), "not UTF-8 text (invalid byte at offset 0)", id="utf-16"),
    pytest.param("new.json", b'\xef\xbb\xbf{"type": "string"}',
                 "starts with a UTF-8 byte order mark, which JSON does not allow; save the file without it", id="bom"),
    # Python's json keeps the last of two equal keys and other readers the first, so the file is rejected.
    pytest.param("new.json", b'{"type": "string", "type": "integer"}',
                 "invalid JSON: duplicate key 'type' in an object; readers disagree on which value counts", id="duplicate-key"),
    # A duplicate deep inside counts as much as one at the root.
    pytest.param("new.json", b'{"properties": {"a": {"type": "string"}, "a": {"type": "integer"}}}',
                 "invalid JSON: duplicate key 'a' in an object; readers disagree on which value counts", id="duplicate-property"),
    # NaN and Infinity are JavaScript, not JSON (RFC 8259, section 6).
    pytest.param("new.json", b'{"maximum": NaN}', "invalid JSON: NaN is not a JSON number", id="nan"),
    pytest.param("new.json", b'{"maximum": Infinity}', "invalid JSON: Infinity is not a JSON number", id="infinity"),
    pytest.param("new.json", b'{"minimum": -Infinity}', "invalid JSON: -Infinity is not a JSON number", id="minus-infinity"),
    # 1e400 is valid JSON syntax but beyond the largest double (about 1.8e308), so it would read as infinity.
    pytest.param("new.json", b'{"maximum": 1e400}', "invalid JSON: the number 1e400 is out of range for a double", id="1e400"),
    pytest.param("new.json", b'{"minimum": -1e400}', "invalid JSON: the number -1e400 is out of range for a double", id="minus-1e400"),
    # Python refuses to convert integers longer than sys.get_int_max_str_digits() (4300 by default).
    pytest.param("new.json", b'{"maximum": ' + b"9" * 5000 + b"}",
                 f"invalid JSON: an integer has more than {MAX_DIGITS} digits", id="5000-digit-integer"),
    # Unclosed flow sequence: the parser notices at the start of the next line.
    pytest.param("new.yaml", b"type: [string\n", "invalid YAML at line 2, column 1: did not find expected ',' or ']'",
                 id="truncated-yaml"),
    # Safe loading has no constructor for python/* tags, so nothing is ever instantiated.
    pytest.param("new.yaml", b"type: !!python/object:os.system {}\n",
                 "invalid YAML at line 1, column 7: could not determine a constructor for the tag "
                 "'tag:yaml.org,2002:python/object:os.system'", id="python-object-tag"),
    pytest.param("new.yaml", b"type: !custom string\n",
                 "invalid YAML at line 1, column 7: could not determine a constructor for the tag '!custom'", id="custom-tag"),
]


@pytest.mark.parametrize("side", ["old", "new"])
@pytest.mark.parametrize(("name", "data", "problem"), BROKEN_FILES)
def test_broken_file_one_line(side: str, name: str, data: bytes, problem: str, workdir: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    broken = write(workdir / name, data)
    valid = write(workdir / f"valid{broken.suffix}", VALID if broken.suffix == ".json" else b"type: string\n")
    before = listing(workdir.parent)

    arguments = (broken.name, valid.name) if side == "old" else (valid.name, broken.name)
    code, out, err = run(capsys, *arguments)

    assert_error(code, out, err, f"{name}: {problem}")
    assert listing(workdir.parent) == before


def test_broken_file_inside_folder_named(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # In a folder the message names the file by its path under the folder given on the command line.
    write(workdir / "old" / "nested" / "s.json", VALID)
    write(workdir / "new" / "nested" / "s.json", b'{"maximum": NaN}')

    code, out, err = run(capsys, "old", "new")

    assert_error(code, out, err, "new/nested/s.json: invalid JSON: NaN is not a JSON number")


def test_yaml_alias_bomb_rejected(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Nine levels of nine aliases each stand for 9**9 (about 387 million) strings.
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]" for level in range(1, 9)]
    write(workdir / "new.yaml", "\n".join(lines) + "\n")
    write(workdir / "old.yaml", "type: string\n")
    before = listing(workdir.parent)

    started = time.monotonic()
    code, out, err = run(capsys, "old.yaml", "new.yaml")

    assert_error(code, out, err, "new.yaml: YAML aliases expand to more than 5,000,000 values; refusing to read it")
    assert time.monotonic() - started < 10
    assert listing(workdir.parent) == before


def test_yaml_python_apply_never_runs(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Were the tag honoured, os.system would create the marker file.
    marker = workdir / "pwned"
    write(workdir / "new.yaml", f'!!python/object/apply:os.system ["touch {marker}"]\n')
    write(workdir / "old.yaml", "type: string\n")

    code, out, err = run(capsys, "old.yaml", "new.yaml")

    assert_error(code, out, err, "new.yaml: invalid YAML at line 1, column 1: could not determine a constructor "
                                 "for the tag 'tag:yaml.org,2002:python/object/apply:os.system'")
    assert not marker.exists()


@pytest.mark.parametrize("text", [
    # An anchored sequence that contains itself.
    pytest.param("a: &a [*a]\n", id="sequence-contains-itself"),
    # An anchored mapping whose value is the mapping itself.
    pytest.param("&a\nb: *a\n", id="mapping-contains-itself"),
])
def test_yaml_recursive_alias_rejected(text: str, workdir: Path) -> None:
    # A JSON value is a tree, so a node that contains itself cannot be a schema; it must not hang the reader.
    write(workdir / "new.yaml", text)
    write(workdir / "old.yaml", "type: string\n")

    result = run_process("old.yaml", "new.yaml", cwd=workdir)

    assert_error(result.returncode, result.stdout, result.stderr,
                 "new.yaml: a YAML alias contains itself, so the document never ends; refusing to read it")


@pytest.mark.parametrize(("text", "problem"), [
    # .nan and .inf are YAML 1.1 floats with no JSON value, rejected as NaN is in JSON; `.nan` starts at column 10.
    pytest.param("maximum: .nan\n", "invalid YAML at line 1, column 10: .nan is not a JSON number", id="nan"),
    pytest.param("maximum: .inf\n", "invalid YAML at line 1, column 10: .inf is not a JSON number", id="infinity"),
    pytest.param("minimum: -.inf\n", "invalid YAML at line 1, column 10: -.inf is not a JSON number", id="minus-infinity"),
    # JSON readers disagree on which of two equal keys counts, and YAML 1.2 itself forbids them.
    pytest.param("type: string\ntype: integer\n", "invalid YAML at line 2, column 1: duplicate key 'type'", id="duplicate-key"),
    # The integer key 1 is the string "1" to a JSON reader, so `'1'` (column 19) repeats it.
    pytest.param("type: string\nx-codes: {1: one, '1': uno}\n", "invalid YAML at line 2, column 19: duplicate key '1'",
                 id="integer-and-string-key"),
    # A binary value has no JSON form; the tag starts at column 10.
    pytest.param("type: string\ndefault: !!binary aGVsbG8=\n",
                 "invalid YAML at line 2, column 10: binary values (!!binary) are not JSON", id="binary-value"),
])
def test_yaml_value_without_json_meaning(text: str, problem: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "new.yaml", text)
    write(workdir / "old.yaml", "type: string\n")

    code, out, err = run(capsys, "old.yaml", "new.yaml")

    assert_error(code, out, err, f"new.yaml: {problem}")


@pytest.mark.parametrize(("text", "word"), [
    # The 4300-digit limit of Python's int() applies to YAML integers as to JSON ones.
    pytest.param("maximum: " + "9" * 5000 + "\n", "digits", id="5000-digit-integer"),
    # A control character is not allowed in YAML; PyYAML's message about it spans two lines.
    pytest.param("type: string\x07\n", "control character", id="control-character"),
])
def test_yaml_error_one_line(text: str, word: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "new.yaml", text)
    write(workdir / "old.yaml", "type: string\n")

    code, out, err = run(capsys, "old.yaml", "new.yaml")

    assert_error_about(code, out, err, "new.yaml", word)


@pytest.mark.parametrize("text", [
    # `!!set` on a scalar: YAML's set type needs a mapping.
    pytest.param("enum: !!set a\n", id="set-on-scalar"),
    # A set has no JSON form, and its order, which a message would show, changes between runs.
    pytest.param("enum: !!set {a, b}\n", id="set"),
    # An ordered map reads as a list of pairs, which no JSON reader of the same text would produce.
    pytest.param("enum: !!omap [{a: 1}]\n", id="omap"),
    pytest.param("enum: !!pairs [{a: 1}]\n", id="pairs"),
])
def test_yaml_collection_tag_rejected(text: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "new.yaml", text)
    write(workdir / "old.yaml", "type: string\n")

    code, out, err = run(capsys, "old.yaml", "new.yaml")

    line = assert_error_about(code, out, err, "new.yaml")
    assert "{'" not in line, "a Python set in the message changes order from run to run"


@pytest.mark.parametrize(("old_text", "new_text"), [
    # An unquoted date is a timestamp in YAML 1.1 and a string in YAML 1.2; both sides mean "2020-01-01".
    pytest.param("enum: ['2020-01-01']\n", "enum: [2020-01-01]\n", id="date"),
    # An integer key is the string "1" to every JSON reader.
    pytest.param("properties:\n  '1': {type: string}\n", "properties:\n  1: {type: string}\n", id="integer-key"),
    # A null key is the string "null" in JSON text.
    pytest.param("properties:\n  'null': {type: string}\n", "properties:\n  null: {type: string}\n", id="null-key"),
])
def test_yaml_scalar_spelling_not_a_change(old_text: str, new_text: str, workdir: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    # Either reading is acceptable: the same string on both sides (no change), or a clear
    # rejection of the YAML-only value. Reporting a change, or a traceback, is not.
    write(workdir / "old.yaml", old_text)
    write(workdir / "new.yaml", new_text)

    code, out, err = run(capsys, "old.yaml", "new.yaml")

    if code == 2:
        assert_error_about(code, out, err, "new.yaml")
    else:
        assert (code, err) == (0, ""), out
        assert out.endswith("No changes.\n"), out


def test_lone_surrogate_no_traceback(workdir: Path) -> None:
    # `"\ud800"` is valid JSON syntax for a string that is not valid Unicode, so no UTF-8
    # output can carry it (RFC 8259, section 8.2). A real process writes UTF-8 to stdout,
    # which is where it must not fail halfway through a report.
    write(workdir / "old.json", b'{"enum": ["a"]}')
    write(workdir / "new.json", b'{"enum": ["a", "\\ud800"]}')

    result = run_process("old.json", "new.json", cwd=workdir)

    assert_error_about(result.returncode, result.stdout, result.stderr, "new.json")


def test_file_name_with_newline_one_line(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A file name may contain a newline; the error about it must still be one line.
    write(workdir / "old" / "s.json", VALID)
    write(workdir / "new" / "s.json", VALID)
    write(workdir / "new" / "a\nb.json", b"{not json")

    code, out, err = run(capsys, "old", "new")

    assert "Traceback" not in err
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err


@pytest.mark.parametrize("output_format", ["text", "github"])
def test_control_characters_in_names_not_printed(output_format: str, workdir: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # A property name with a newline and an escape sequence: printed raw, the newline would
    # start a line that GitHub Actions reads as a workflow command, and ESC [2J would clear
    # the reader's terminal.
    name = "x\n::error file=evil.json::injected\x1b[2J"
    write(workdir / "old.json", {"type": "object", "properties": {}})
    write(workdir / "new.json", {"type": "object", "properties": {name: {"type": "string"}}, "required": [name]})

    code, out, err = run(capsys, "--format", output_format, "old.json", "new.json")

    # The required name added breaks backward, so the run fails; the output stays inert.
    assert (code, err) == (1, "")
    assert "\x1b" not in out
    assert not [line for line in out.splitlines() if line.startswith("::error file=evil.json")]


def test_gzip_bomb_rejected(workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # 4 MiB of spaces compress to about 4 KiB; the limit is lowered to 1 MiB so the test stays small.
    monkeypatch.setattr(checker.loading, "MAX_UNPACKED_BYTES", 1 << 20)
    write(workdir / "new.json.gz", gzip.compress(b'{"type": "string"}' + b" " * (4 << 20)))
    write(workdir / "old.json", b'{"type": "string"}')

    code, out, err = run(capsys, "old.json", "new.json.gz")

    assert_error(code, out, err, "new.json.gz: unpacks to more than 1 MiB")


# Deep nesting ----------------------------------------------------------------------------------

def properties_chain(levels: int, leaf: Any) -> Any:
    """An object schema whose leaf sits `levels` properties deep, each named `p`."""
    node = leaf
    for _ in range(levels):
        node = {"type": "object", "properties": {"p": node}}
    return node


@pytest.mark.parametrize(("name", "text"), [
    pytest.param("new.json", '{"items": ' * 10_000 + "{}" + "}" * 10_000, id="json-objects"),
    pytest.param("new.json", '{"enum": ' + "[" * 10_000 + "]" * 10_000 + "}", id="json-arrays"),
])
def test_json_nested_10000_levels(name: str, text: str, workdir: Path) -> None:
    write(workdir / name, text)
    write(workdir / "old.json", VALID)

    result = run_process("old.json", name, cwd=workdir)

    assert "RecursionError" not in result.stderr
    assert_error(result.returncode, result.stdout, result.stderr,
                 f"{name}: nested too deeply to read (more than about 1000 levels)")


def test_yaml_nested_10000_levels(workdir: Path) -> None:
    # Flow style, as a generated file would be; the block style would need 100 MB of indentation.
    write(workdir / "new.yaml", '{"items": ' * 10_000 + "{}" + "}" * 10_000 + "\n")
    write(workdir / "old.yaml", "type: string\n")

    result = run_process("old.yaml", "new.yaml", cwd=workdir)

    assert "RecursionError" not in result.stderr
    assert_error(result.returncode, result.stdout, result.stderr,
                 "new.yaml: nested too deeply to read (more than about 1000 levels)")


def test_450_levels_compared(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 450 levels of properties are 900 levels of JSON, which the json module still reads.
    # The leaf's type changed from string to integer: each side rejects the other's values.
    leaf_pointer = "/properties/p" * 450
    write(workdir / "old.json", properties_chain(450, {"type": "string"}))
    write(workdir / "new.json", properties_chain(450, {"type": "integer"}))

    code, out, err = run(capsys, "--format", "json", "old.json", "new.json")

    assert (code, err) == (1, "")
    assert changes_of(out) == [("type-changed", "new.json", leaf_pointer, leaf_pointer, ["backward", "forward"])]


# A 200 MB document -------------------------------------------------------------------------------

#: Peak memory allowed, as a multiple of the bytes of both documents read.
MEMORY_MULTIPLE = 8
BIG_BYTES = 200 * 1024 * 1024
#: The definition whose property changes type in the new version.
CHANGED_RECORD = 12_345


def write_big_schema(path: Path, size: int, changed: bool) -> int:
    """Write a schema of `size` bytes or a little more: generated records under `$defs`; return their count."""
    with path.open("w", encoding="utf-8") as out:
        out.write(f'{{"$schema": "{DRAFT_2020_12}", "type": "object", "$defs": {{')
        written = count = 0
        while written < size:
            kind = "integer" if changed and count == CHANGED_RECORD else "string"
            record = json.dumps({
                "type": "object",
                "description": f"Record {count} of a generated document, with a sentence of description.",
                "properties": {"id": {"type": "integer", "minimum": 0}, "name": {"type": kind, "maxLength": 100}},
                "required": ["id"],
            })
            piece = f'{"," if count else ""}"Record{count}": {record}'
            out.write(piece)
            written += len(piece)
            count += 1
        out.write("}}")
    return count


def available_memory() -> int:
    """Bytes of memory available to a new process, from /proc/meminfo where present."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


#: Parses the two files named on the command line and keeps both, as the baseline for memory.
PARSE_BOTH = "import json, sys; documents = [json.load(open(path, encoding='utf-8')) for path in sys.argv[1:]]"


def run_measured(command: list[str], stdout_path: Path, stderr_path: Path, cwd: Path) -> tuple[int, int]:
    """Run a command; return its exit code and its peak resident memory in bytes."""
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, cwd=cwd)
        # wait4 returns the child's resource usage, which Popen.wait does not.
        _, status, usage = os.wait4(process.pid, 0)
        # Popen learns of the exit only through its own wait; without this it warns that the child still runs.
        process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kibibytes on Linux.
    return process.returncode, usage.ru_maxrss * 1024


@pytest.mark.slow
@only_when_selected
def test_200_mb_document_memory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    budget = MEMORY_MULTIPLE * 2 * BIG_BYTES
    if shutil.disk_usage(tmp_path).free < 3 * BIG_BYTES:
        pytest.skip(f"needs {3 * BIG_BYTES >> 20} MiB of free disk in {tmp_path}")
    if available_memory() < budget + (512 << 20):
        pytest.skip(f"needs {(budget >> 20) + 512} MiB of available memory to measure against a {budget >> 20} MiB bound")
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    write_big_schema(old, BIG_BYTES, changed=False)
    write_big_schema(new, BIG_BYTES, changed=True)
    input_bytes = old.stat().st_size + new.stat().st_size

    report, errors = tmp_path / "report.json", tmp_path / "stderr.txt"
    started = time.monotonic()
    returncode, peak = run_measured([sys.executable, "-m", "checker", "--format", "json", str(old), str(new)], report, errors, tmp_path)
    seconds = time.monotonic() - started
    # The baseline: Python's json module holding both documents parsed, as any reader of them must.
    _, baseline = run_measured([sys.executable, "-c", PARSE_BOTH, str(old), str(new)], tmp_path / "baseline.txt", errors, tmp_path)
    with capsys.disabled():
        print(f"\n200 MB document: peak {peak >> 20} MiB for {input_bytes >> 20} MiB of input "
              f"({peak / input_bytes:.1f}x; json.load of both files peaks at {baseline >> 20} MiB, "
              f"so schema-diff takes {peak / baseline:.2f}x that), {seconds:.0f} s")

    assert returncode == 1, errors.read_text()
    assert peak <= MEMORY_MULTIPLE * input_bytes, f"peak {peak >> 20} MiB for {input_bytes >> 20} MiB of input"
    pointer = f"/$defs/Record{CHANGED_RECORD}/properties/name"
    assert changes_of(report.read_text()) == [("type-changed", "new.json", pointer, pointer, ["backward", "forward"])]


# References ---------------------------------------------------------------------------------------

def test_ref_cycle_through_three_files(workdir: Path) -> None:
    # a.json -> b.json -> c.json -> a.json; only c.json's `v` changed kind, so one change, in c.json.
    for side, kind in (("old", "string"), ("new", "integer")):
        write(workdir / side / "a.json", {"type": "object", "properties": {"next": {"$ref": "b.json"}}})
        write(workdir / side / "b.json", {"type": "object", "properties": {"next": {"$ref": "c.json"}}})
        write(workdir / side / "c.json", {"type": "object", "properties": {"back": {"$ref": "a.json"}, "v": {"type": kind}}})

    result = run_process("--format", "json", "old", "new", cwd=workdir)

    assert (result.returncode, result.stderr) == (1, "")
    assert changes_of(result.stdout) == [("type-changed", "c.json", "/properties/v", "/properties/v", ["backward", "forward"])]


def test_ref_cycle_unchanged_ends(workdir: Path) -> None:
    # The same cycle with a cosmetic edit in a.json, so the documents differ and the cycle is walked.
    for side, title in (("old", "A"), ("new", "A, renamed")):
        write(workdir / side / "a.json", {"title": title, "type": "object", "properties": {"next": {"$ref": "b.json"}}})
        write(workdir / side / "b.json", {"type": "object", "properties": {"next": {"$ref": "c.json"}}})
        write(workdir / side / "c.json", {"type": "object", "properties": {"back": {"$ref": "a.json"}}})

    result = run_process("--format", "json", "old", "new", cwd=workdir)

    assert (result.returncode, result.stderr) == (0, "")
    assert changes_of(result.stdout) == [("title-changed", "a.json", "", "", [])]


@pytest.mark.parametrize(("ref", "problem"), [
    pytest.param("#/$defs/nope", "$ref '#/$defs/nope' does not resolve: no node at pointer '/$defs/nope'", id="pointer"),
    # `~` must be followed by 0 or 1 in a JSON pointer, so `ok~` names no key.
    pytest.param("#/$defs/ok~", "$ref '#/$defs/ok~' does not resolve: no node at pointer '/$defs/ok~'", id="bad-escape"),
    pytest.param("#nope", "$ref '#nope' does not resolve: no anchor 'nope'", id="anchor"),
    pytest.param("b.json#/$defs/X", "$ref 'b.json#/$defs/X' does not resolve: no document 'b.json' among the compared sources",
                 id="document"),
    # A path that climbs out of the folder is never read from the disk.
    pytest.param("../outside.json", "$ref '../outside.json' does not resolve: no document '../outside.json' among the compared sources",
                 id="outside-folder"),
    pytest.param("file:///etc/passwd", "$ref 'file:///etc/passwd' does not resolve: no document 'file:///etc/passwd' "
                 "among the compared sources", id="file-uri"),
])
def test_ref_missing_target(ref: str, problem: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The property existed before with a working reference; only the new reference is broken.
    write(workdir / "outside.json", {"type": "string"})
    write(workdir / "old" / "s.json", {"type": "object", "properties": {"a": {"$ref": "#/$defs/ok"}}, "$defs": {"ok": {"type": "string"}}})
    write(workdir / "new" / "s.json", {"type": "object", "properties": {"a": {"$ref": ref}}, "$defs": {"ok": {"type": "string"}}})

    code, out, err = run(capsys, "old", "new")

    assert_error(code, out, err, f"new/s.json: {problem}")


@pytest.mark.parametrize(("document", "problem"), [
    # Each document breaks its draft's meta-schema and has a `$ref` or `$id`, so the references
    # are set up before the walk reaches the broken keyword. The message must be the one the
    # same document gives without them.
    pytest.param({"definitions": "x", "$ref": "#"},
                 "not a valid 2020-12 schema: at /definitions (definitions): 'x' is not of type 'object'", id="definitions-string"),
    pytest.param({"properties": {"": []}, "$ref": "#"},
                 "not a valid 2020-12 schema: at /properties/ (properties): [] is not of type 'object', 'boolean'",
                 id="property-list"),
    pytest.param({"anyOf": False, "$ref": "#"},
                 "not a valid 2020-12 schema: at /anyOf (anyOf): False is not of type 'array'", id="any-of-boolean"),
    pytest.param({"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"a": None}, "$id": "x"},
                 "not a valid draft-07 schema: at /definitions/a (definitions): None is not of type 'object', 'boolean'",
                 id="definition-null-with-id"),
])
def test_invalid_schema_with_ref_one_line(document: Any, problem: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "old.json", {})
    write(workdir / "new.json", document)

    code, out, err = run(capsys, "old.json", "new.json")

    assert_error(code, out, err, f"new.json: {problem}")


def test_ref_missing_in_added_property(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The new version adds a property whose reference leads nowhere: the new schema cannot be
    # used by any validator, so it must not pass as an additive change.
    write(workdir / "old" / "s.json", {"type": "object", "properties": {}})
    write(workdir / "new" / "s.json", {"type": "object", "properties": {"a": {"$ref": "#/$defs/nope"}}})

    code, out, err = run(capsys, "old", "new")

    assert_error(code, out, err, "new/s.json: $ref '#/$defs/nope' does not resolve: no node at pointer '/$defs/nope'")


#: A broken reference in each kind of part that exists on one side only. Such a part is
#: reported whole (added or removed), never walked, yet a validator could not use it.
BROKEN_REF = {"$ref": "#/$defs/nope"}
OPENAPI_INFO = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}


def _operation(schema: Any) -> dict[str, Any]:
    return {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}}


@pytest.mark.parametrize(("old", "new", "problem"), [
    # A document added to a folder.
    pytest.param({"a.json": {"type": "string"}}, {"a.json": {"type": "string"}, "b.json": {"properties": {"x": BROKEN_REF}}},
                 "new/b.json: $ref '#/$defs/nope' does not resolve: no node at pointer '/$defs/nope'", id="document-added"),
    # A document removed from a folder: the old version was broken too.
    pytest.param({"a.json": {"type": "string"}, "b.json": {"properties": {"x": BROKEN_REF}}}, {"a.json": {"type": "string"}},
                 "old/b.json: $ref '#/$defs/nope' does not resolve: no node at pointer '/$defs/nope'", id="document-removed"),
    # A definition nothing uses yet.
    pytest.param({"s.json": {"type": "object"}}, {"s.json": {"type": "object", "$defs": {"u": BROKEN_REF}}},
                 "new/s.json: $ref '#/$defs/nope' does not resolve: no node at pointer '/$defs/nope'", id="definition-added"),
    # A oneOf variant removed.
    pytest.param({"s.json": {"oneOf": [{"type": "string"}, {"type": "object", "properties": {"x": BROKEN_REF}}]}},
                 {"s.json": {"oneOf": [{"type": "string"}]}},
                 "old/s.json: $ref '#/$defs/nope' does not resolve: no node at pointer '/$defs/nope'", id="variant-removed"),
    # An OpenAPI path added, whose response refers to a component that does not exist.
    pytest.param({"api.json": {**OPENAPI_INFO, "paths": {}}},
                 {"api.json": {**OPENAPI_INFO, "paths": {"/a": _operation({"$ref": "#/components/schemas/Nope"})}}},
                 "new/api.json: $ref '#/components/schemas/Nope' does not resolve: no node at pointer '/components/schemas/Nope'",
                 id="openapi-path-added"),
    # An OpenAPI path removed: its response schema breaks the draft's meta-schema.
    pytest.param({"api.json": {**OPENAPI_INFO, "paths": {"/a": _operation({"type": "strin"})}}}, {"api.json": {**OPENAPI_INFO, "paths": {}}},
                 "old/api.json: not a valid 2020-12 schema: at /paths/~1a/get/responses/200/content/application~1json/schema/type (type): "
                 "'strin' is not valid under any of the given schemas", id="openapi-path-removed-invalid"),
    # An OpenAPI component removed, which was no valid schema.
    pytest.param({"api.json": {**OPENAPI_INFO, "paths": {}, "components": {"schemas": {"A": {"type": "strin"}}}}},
                 {"api.json": {**OPENAPI_INFO, "paths": {}}},
                 "old/api.json: not a valid 2020-12 schema: at /components/schemas/A/type (type): "
                 "'strin' is not valid under any of the given schemas", id="openapi-component-removed-invalid"),
])
def test_broken_part_on_one_side(old: dict[str, Any], new: dict[str, Any], problem: str, workdir: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    for side, documents in (("old", old), ("new", new)):
        for name, document in documents.items():
            write(workdir / side / name, document)

    code, out, err = run(capsys, "old", "new")

    assert_error(code, out, err, problem)


def test_ref_in_data_is_no_reference(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A document added with an enum value and an example that happen to have a "$ref" key:
    # they are data, so nothing is resolved and the document is simply added.
    write(workdir / "old" / "a.json", {"type": "string"})
    write(workdir / "new" / "a.json", {"type": "string"})
    write(workdir / "new" / "b.json", {"enum": [{"$ref": "#/nowhere"}], "examples": [{"$ref": "#/nowhere"}]})

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert (code, err) == (0, "")
    assert changes_of(out) == [("schema-added", "b.json", None, "", [])]


def test_added_document_resolves_below_nested_id(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Inside the definition with its own `$id`, "#/$defs/B" means that resource's B, which
    # exists; against the document's root it would lead nowhere.
    write(workdir / "old" / "a.json", {"type": "string"})
    write(workdir / "new" / "a.json", {"type": "string"})
    write(workdir / "new" / "b.json", {"$defs": {"A": {"$id": "https://example.com/inner.json", "$ref": "#/$defs/B",
                                                       "$defs": {"B": {"type": "integer"}}}}})

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert (code, err) == (0, "")
    assert changes_of(out) == [("schema-added", "b.json", None, "", [])]


#: Definitions whose names need escaping in a pointer: `~` as `~0`, `/` as `~1`, and in a URI
#: fragment `%` as `%25` and a space as `%20`. Each has its own type, so a reference that
#: resolved to the wrong one would show the wrong types.
ESCAPED_DEFS = {"a~b": {"type": "string"}, "a/b": {"type": "integer"}, "100%": {"type": "boolean"},
                "two words": {"type": "null"}, "plain": {"type": "array"}}


@pytest.mark.parametrize(("old_ref", "new_ref", "old_pointer", "new_pointer", "old_type", "new_type"), [
    # `~0` is `~` and `~1` is `/` (RFC 6901): string to integer.
    pytest.param("#/$defs/a~0b", "#/$defs/a~1b", "/$defs/a~0b", "/$defs/a~1b", "string", "integer", id="tilde-escapes"),
    # `%25` decodes to `%` and `%20` to a space before the pointer is read (RFC 6901, section 6).
    pytest.param("#/$defs/100%25", "#/$defs/two%20words", "/$defs/100%", "/$defs/two words", "boolean", "null", id="percent"),
    # Percent-encoding and `~1` together: a space-named definition to the slash-named one.
    pytest.param("#/$defs/two%20words", "#/$defs/a~1b", "/$defs/two words", "/$defs/a~1b", "null", "integer", id="mixed"),
    pytest.param("#/$defs/plain", "#/$defs/a~0b", "/$defs/plain", "/$defs/a~0b", "array", "string", id="to-tilde"),
])
def test_ref_escaped_pointer_resolves(old_ref: str, new_ref: str, old_pointer: str, new_pointer: str, old_type: str,
                                      new_type: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The definitions are the same on both sides and only the reference moves, so the one
    # change compares the two definitions it points at: each side rejects the other's kind.
    write(workdir / "old" / "s.json", {"type": "object", "properties": {"x": {"$ref": old_ref}}, "$defs": ESCAPED_DEFS})
    write(workdir / "new" / "s.json", {"type": "object", "properties": {"x": {"$ref": new_ref}}, "$defs": ESCAPED_DEFS})

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert (code, err) == (1, "")
    assert changes_of(out) == [("type-changed", "s.json", old_pointer, new_pointer, ["backward", "forward"])]
    change = json.loads(out)["changes"][0]
    assert (change["old_value"], change["new_value"]) == ([old_type], [new_type])


def test_ref_percent_encoded_same_target(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `%6B` is `k`: both references name the definition "ok", so validation is the same.
    defs = {"ok": {"type": "string"}}
    write(workdir / "old" / "s.json", {"type": "object", "properties": {"x": {"$ref": "#/$defs/ok"}}, "$defs": defs})
    write(workdir / "new" / "s.json", {"type": "object", "properties": {"x": {"$ref": "#/$defs/o%6B"}}, "$defs": defs})

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert (code, err) == (0, "")
    assert changes_of(out) == []


def test_ref_anchor_target_changed(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `#node` names the subschema with `"$anchor": "node"`; its type changed, which breaks both ways.
    for side, kind in (("old", "string"), ("new", "integer")):
        write(workdir / side / "s.json", {"type": "object", "properties": {"n": {"$ref": "#node"}},
                                          "$defs": {"node": {"$anchor": "node", "type": kind}}})

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert (code, err) == (1, "")
    assert changes_of(out) == [("type-changed", "s.json", "/$defs/node", "/$defs/node", ["backward", "forward"])]


def test_ref_anchor_retargeted(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Both anchors exist on both sides; only the reference moves from `#node` (string) to
    # `#leaf` (integer). No identifier changed, so the one change is the type.
    defs = {"a": {"$anchor": "node", "type": "string"}, "b": {"$anchor": "leaf", "type": "integer"}}
    write(workdir / "old" / "s.json", {"type": "object", "properties": {"x": {"$ref": "#node"}}, "$defs": defs})
    write(workdir / "new" / "s.json", {"type": "object", "properties": {"x": {"$ref": "#leaf"}}, "$defs": defs})

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert (code, err) == (1, "")
    assert changes_of(out) == [("type-changed", "s.json", "/$defs/a", "/$defs/b", ["backward", "forward"])]


def test_ref_relative_to_id_across_documents(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a.json's `$id` makes `common/b.json` mean https://example.com/schemas/common/b.json, the
    # `$id` of the file stored as v1/b.json: the reference resolves by identifier, not by file
    # path, and is never fetched. It moves from X (string) to Y (integer).
    b = {"$id": "https://example.com/schemas/common/b.json", "$defs": {"X": {"type": "string"}, "Y": {"type": "integer"}}}
    for side, name in (("old", "X"), ("new", "Y")):
        write(workdir / side / "a.json", {"$id": "https://example.com/schemas/a.json", "type": "object",
                                          "properties": {"x": {"$ref": f"common/b.json#/$defs/{name}"}}})
        write(workdir / side / "v1" / "b.json", b)

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert (code, err) == (1, "")
    assert changes_of(out) == [("type-changed", "v1/b.json", "/$defs/X", "/$defs/Y", ["backward", "forward"])]


def test_ref_inside_embedded_id(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `item.json` is a resource embedded under `$defs/item` with its own `$id`; `#/$defs/...`
    # inside it is relative to that resource, not to the document root.
    def document(target: str) -> Any:
        item = {"$id": "item.json", "type": "object", "properties": {"v": {"$ref": target}},
                "$defs": {"leaf": {"type": "string"}, "leaf2": {"type": "integer"}}}
        return {"$id": "https://example.com/root.json", "type": "object", "properties": {"x": {"$ref": "item.json"}},
                "$defs": {"item": item}}

    write(workdir / "old" / "s.json", document("#/$defs/leaf"))
    write(workdir / "new" / "s.json", document("#/$defs/leaf2"))

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert (code, err) == (1, "")
    assert changes_of(out) == [("type-changed", "s.json", "/$defs/item/$defs/leaf", "/$defs/item/$defs/leaf2",
                                ["backward", "forward"])]


def dynamic_schema(target: str) -> Any:
    return {"$schema": DRAFT_2020_12, "$dynamicAnchor": "meta", "type": "object",
            "properties": {"n": {"$dynamicRef": target}},
            "$defs": {"other": {"$dynamicAnchor": "other", "type": "string"}}}


def test_dynamic_ref_change_reported_unjudged(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # schema-diff does not resolve `$dynamicRef`, so a change to it is reported for review:
    # potentially breaking, which passes the default gate and fails --fail-on potentially-breaking.
    write(workdir / "old" / "s.json", dynamic_schema("#meta"))
    write(workdir / "new" / "s.json", dynamic_schema("#other"))

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert (code, err) == (0, "")
    assert changes_of(out) == [("unjudged-keyword-changed", "s.json", "/properties/n", "/properties/n", [])]
    change = json.loads(out)["changes"][0]
    assert (change["severity"], change["old_value"], change["new_value"]) == ("potentially-breaking", "#meta", "#other")
    assert run(capsys, "--fail-on", "potentially-breaking", "old", "new")[0] == 1


REMOTE = "https://schemas.example.com/common.json"


def remote_schema(ref: str, title: str = "S") -> Any:
    return {"title": title, "type": "object", "properties": {"n": {"$ref": ref}}}


def test_remote_ref_unchanged_not_fetched(workdir: Path, connections: list[Any], capsys: pytest.CaptureFixture[str]) -> None:
    # The title changed so that the documents differ and the reference is walked.
    write(workdir / "old" / "s.json", remote_schema(REMOTE, "S"))
    write(workdir / "new" / "s.json", remote_schema(REMOTE, "S2"))

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert (code, err) == (0, "")
    assert changes_of(out) == [("title-changed", "s.json", "", "", [])]
    assert connections == []


def test_remote_ref_changed_not_fetched(workdir: Path, connections: list[Any], capsys: pytest.CaptureFixture[str]) -> None:
    # The new reference points to another remote document, which schema-diff cannot judge, so it reports the change for review.
    write(workdir / "old" / "s.json", remote_schema(REMOTE))
    write(workdir / "new" / "s.json", remote_schema(REMOTE.replace("common", "shared")))

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert (code, err) == (0, "")
    assert changes_of(out) == [("remote-ref-changed", "s.json", "/properties/n", "/properties/n", [])]
    assert json.loads(out)["changes"][0]["severity"] == "potentially-breaking"
    assert connections == []


def test_remote_ref_in_subprocess_not_fetched(workdir: Path) -> None:
    # Without the in-process socket patch: a fetch of this unroutable documentation address
    # (RFC 5737) would time out, but schema-diff must finish at once.
    ref = "http://192.0.2.1/schemas/common.json"
    write(workdir / "old" / "s.json", remote_schema(ref))
    write(workdir / "new" / "s.json", remote_schema(ref + "#/$defs/other"))

    started = time.monotonic()
    result = run_process("--format", "json", "old", "new", cwd=workdir)

    assert (result.returncode, result.stderr) == (0, "")
    assert changes_of(result.stdout) == [("remote-ref-changed", "s.json", "/properties/n", "/properties/n", [])]
    assert time.monotonic() - started < 10


# Folders ----------------------------------------------------------------------------------------

def test_folder_link_loop_ends(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # sub/loop leads back to the folder itself; links to folders are not followed, so each
    # document is read once and only s.json's change is reported.
    for side, kind in (("old", "string"), ("new", "integer")):
        write(workdir / side / "s.json", {"type": kind})
        (workdir / side / "sub").mkdir()
        (workdir / side / "sub" / "loop").symlink_to("..", target_is_directory=True)

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert (code, err) == (1, "")
    assert changes_of(out) == [("type-changed", "s.json", "", "", ["backward", "forward"])]


def test_folder_link_to_outside_folder_not_followed(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A folder outside contains a broken document, so reading it would end in an error.
    write(workdir / "outside" / "broken.json", b"{not json")
    for side in ("old", "new"):
        write(workdir / side / "s.json", {"type": "string"})
    (workdir / "new" / "elsewhere").symlink_to("../outside", target_is_directory=True)

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert (code, err) == (0, "")
    assert changes_of(out) == []


def test_file_link_outside_not_read(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # new/o.json links to a broken file outside the compared folder: not read, and not a
    # change, but a note on stderr says that it was skipped.
    target = write(workdir / "outside" / "o.json", b'{"maximum": NaN}')
    for side in ("old", "new"):
        write(workdir / side / "s.json", {"type": "string"})
    (workdir / "new" / "o.json").symlink_to("../outside/o.json")

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert code == 0
    assert err == f"schema-diff: note: new/o.json links to {os.path.realpath(target)}, outside new; not read\n"
    assert changes_of(out) == []


def test_file_link_inside_read(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The counterpart of the test above: a link to a file inside the folder is read like a file,
    # so alias.json is a new document.
    for side in ("old", "new"):
        write(workdir / side / "s.json", {"type": "string"})
    (workdir / "new" / "alias.json").symlink_to("s.json")

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert (code, err) == (0, "")
    assert changes_of(out) == [("schema-added", "alias.json", None, "", [])]


def test_dangling_link_one_line(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A link inside the folder to a file that does not exist: a file that cannot be read.
    for side in ("old", "new"):
        write(workdir / side / "s.json", {"type": "string"})
    (workdir / "new" / "gone.json").symlink_to("missing.json")

    code, out, err = run(capsys, "old", "new")

    assert_error(code, out, err, "new/gone.json: cannot be read: the symbolic link points to missing.json, which does not exist")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its permission bits; the FIFO and link tests cover unreadable files")
def test_unreadable_file_one_line(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for side in ("old", "new"):
        write(workdir / side / "s.json", {"type": "string"})
    locked = write(workdir / "new" / "locked.json", {"type": "string"})
    locked.chmod(0)

    try:
        code, out, err = run(capsys, "old", "new")
    finally:
        locked.chmod(0o644)

    assert_error(code, out, err, "new/locked.json: cannot be read: Permission denied")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (os.mkfifo)")
def test_fifo_in_folder_one_line(workdir: Path) -> None:
    # Opening a FIFO blocks until a writer comes, which would hang the run. It is no schema file.
    for side in ("old", "new"):
        write(workdir / side / "s.json", {"type": "string"})
    os.mkfifo(workdir / "new" / "pipe.json")

    result = run_process("old", "new", cwd=workdir)

    assert_error_about(result.returncode, result.stdout, result.stderr, "new/pipe.json")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (os.mkfifo)")
def test_fifo_argument_one_line(workdir: Path) -> None:
    # The FIFO exists, so "no such file" would send the user looking for a typo.
    write(workdir / "old.json", {"type": "string"})
    os.mkfifo(workdir / "new.json")

    result = run_process("old.json", "new.json", cwd=workdir)

    line = assert_error_about(result.returncode, result.stdout, result.stderr, "new.json")
    assert "no such file" not in line


def test_folder_named_like_schema_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `kinds.json` is a folder: its documents are read under it, and it is never opened as a file.
    for side, values in (("old", ["a"]), ("new", ["a", "b"])):
        write(workdir / side / "kinds.json" / "kind.json", {"type": "string", "enum": values})

    code, out, err = run(capsys, "--format", "json", "old", "new")

    # An enum value added breaks forward: old readers reject "b".
    assert (code, err) == (1, "")
    found = [(change["rule"], change["schema"], change["new_value"], change["breaks"]) for change in json.loads(out)["changes"]]
    assert found == [("enum-value-added", "kinds.json/kind.json", "b", ["forward"])]


def test_thousands_of_files(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 3000 documents a side; every 100th changes type, so 30 type changes, each breaking both ways.
    for number in range(3000):
        changed = number % 100 == 0
        write(workdir / "old" / f"s{number:04d}.json", b'{"type": "string"}')
        write(workdir / "new" / f"s{number:04d}.json", b'{"type": "integer"}' if changed else b'{"type": "string"}')

    code, out, err = run(capsys, "--format", "json", "old", "new")

    assert (code, err) == (1, "")
    expected = [("type-changed", f"s{number:04d}.json", "", "", ["backward", "forward"]) for number in range(0, 3000, 100)]
    assert sorted(changes_of(out)) == expected
    assert json.loads(out)["summary"]["breaking"] == 30


# Archives -----------------------------------------------------------------------------------------

GOOD_TREE = {"package/status.json": b'{"type": "string", "enum": ["a"]}'}


def tar_member(archive: tarfile.TarFile, name: str, data: bytes = b"", kind: bytes = tarfile.REGTYPE, link: str = "") -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    info.mtime = 1_700_000_000
    archive.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


def tgz(files: dict[str, bytes], extra: tuple[tuple[str, bytes, str], ...] = ()) -> bytes:
    """A gzipped tar of regular files, then `extra` members given as (name, type, link target)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            tar_member(archive, name, data)
        for name, kind, link in extra:
            tar_member(archive, name, kind=kind, link=link)
    return buffer.getvalue()


def zipped(files: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


#: A file name no other test or program uses, for members with absolute paths.
ABSOLUTE = f"/tmp/schema-diff-hostile-{uuid.uuid4().hex}.json"

UNSAFE_ARCHIVES = [
    pytest.param("new.tgz", lambda: tgz({**GOOD_TREE, "../evil.json": b"{}"}),
                 "member '../evil.json' leads out of its folder with '..'; the archive is rejected", id="tar-dotdot"),
    pytest.param("new.tgz", lambda: tgz({**GOOD_TREE, "package/../../evil.json": b"{}"}),
                 "member 'package/../../evil.json' leads out of its folder with '..'; the archive is rejected", id="tar-nested-dotdot"),
    pytest.param("new.tgz", lambda: tgz({**GOOD_TREE, ABSOLUTE: b"{}"}),
                 f"member '{ABSOLUTE}' has an absolute path; the archive is rejected", id="tar-absolute"),
    pytest.param("new.tgz", lambda: tgz(GOOD_TREE, (("package/link.json", tarfile.SYMTYPE, "/etc/passwd"),)),
                 "member 'package/link.json' is a link; schema-diff reads no links from archives", id="tar-symlink"),
    pytest.param("new.tgz", lambda: tgz(GOOD_TREE, (("package/hard.json", tarfile.LNKTYPE, "package/status.json"),)),
                 "member 'package/hard.json' is a link; schema-diff reads no links from archives", id="tar-hardlink"),
    pytest.param("new.zip", lambda: zipped({**GOOD_TREE, "../evil.json": b"{}"}),
                 "member '../evil.json' leads out of its folder with '..'; the archive is rejected", id="zip-dotdot"),
    pytest.param("new.zip", lambda: zipped({**GOOD_TREE, ABSOLUTE: b"{}"}),
                 f"member '{ABSOLUTE}' has an absolute path; the archive is rejected", id="zip-absolute"),
    pytest.param("new.zip", lambda: zipped(GOOD_TREE, {"package/link.json": "/etc/passwd"}),
                 "member 'package/link.json' is a link; schema-diff reads no links from archives", id="zip-symlink"),
]


@pytest.mark.parametrize(("name", "build", "problem"), UNSAFE_ARCHIVES)
def test_unsafe_archive_rejected(name: str, build: Any, problem: str, workdir: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "old.tgz", tgz(GOOD_TREE))
    write(workdir / name, build())
    before = listing(tmp_path)

    code, out, err = run(capsys, "old.tgz", name)

    assert_error(code, out, err, f"{name}: {problem}")
    assert listing(tmp_path) == before
    assert not Path(ABSOLUTE).exists()
    assert not (tmp_path / "cache").exists()


def gzip_member(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(data) + compressor.flush()


def tar_bomb(member_bytes: int) -> bytes:
    """A .tgz with one member of `member_bytes` zero bytes, built as concatenated gzip members.

    A gzip file may contain several members one after the other, and readers join their output.
    One compressed MiB of zeros repeated stands for any multiple of a MiB without compressing it each time.
    """
    info = tarfile.TarInfo("package/big.json")
    info.size = member_bytes
    info.mtime = 1_700_000_000
    mebibyte = gzip_member(bytes(1 << 20))
    padding = (-member_bytes) % tarfile.BLOCKSIZE
    return (gzip_member(info.tobuf(format=tarfile.GNU_FORMAT)) + mebibyte * (member_bytes >> 20)
            + gzip_member(bytes(padding + 2 * tarfile.BLOCKSIZE)))


def test_tar_bomb_over_default_limit(workdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # About 600 KiB of gzip expand to 600 MiB, past the default limit of 512 MiB of contents.
    write(workdir / "old.tgz", tgz(GOOD_TREE))
    bomb = write(workdir / "new.tgz", tar_bomb(600 << 20))
    assert bomb.stat().st_size < 1 << 20
    before = listing(tmp_path)

    started = time.monotonic()
    code, out, err = run(capsys, "old.tgz", "new.tgz")

    assert_error(code, out, err, "new.tgz: uncompressed contents exceed 512 MiB (reached at member 'package/big.json'); "
                                 "the archive is rejected")
    # The limit is checked on the member's header, before its contents are decompressed.
    assert time.monotonic() - started < 5
    assert listing(tmp_path) == before


def test_tar_bomb_of_many_members(workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # Members below the limit add up past it. The limit is lowered to 64 KiB through the
    # options that the command line builds, so the archive stays small.
    def small_limits(**options: Any) -> SourceOptions:
        return SourceOptions(**options, limits=ArchiveLimits(max_bytes=64 * 1024))

    monkeypatch.setattr(checker.cli, "SourceOptions", small_limits)
    write(workdir / "old.tgz", tgz(GOOD_TREE))
    write(workdir / "new.tgz", tgz({f"package/s{number}.json": b" " * 10_000 + b"{}" for number in range(10)}))

    code, out, err = run(capsys, "old.tgz", "new.tgz")

    # Six members of 10,002 bytes fit in 65,536 bytes, and the seventh (s6.json) ends at 70,014, past the limit.
    assert_error(code, out, err, "new.tgz: uncompressed contents exceed 65536 bytes (reached at member 'package/s6.json'); "
                                 "the archive is rejected")

