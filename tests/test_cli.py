"""Command-line acceptance: exit codes, one-line errors, the JSON report, folders and drafts.

Most tests call `checker.cli.main(argv)`, which returns the exit code and maps every error
to exit code 2, and read stdout and stderr through capsys.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import checker
from checker.cli import cli, main

DRAFT4 = "http://json-schema.org/draft-04/schema#"
DRAFT6 = "http://json-schema.org/draft-06/schema#"
DRAFT7 = "http://json-schema.org/draft-07/schema#"
DRAFT201909 = "https://json-schema.org/draft/2019-09/schema"
DRAFT202012 = "https://json-schema.org/draft/2020-12/schema"

#: Keys the contract promises in every JSON report and in every change of it.
REPORT_KEYS = {"old", "new", "mode", "changes", "summary"}
CHANGE_KEYS = {"id", "rule", "severity", "breaks", "schema", "old_pointer", "new_pointer",
               "old_value", "new_value", "type_name", "message"}

STATUS = {"type": "string", "enum": ["pending", "running"]}
STATUS_WITH_FAILED = {"type": "string", "enum": ["pending", "running", "failed"]}


@pytest.fixture(autouse=True)
def outside_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test from its own empty folder, so that no ./schemas version store is found."""
    monkeypatch.chdir(tmp_path)


def write_json(path: Path, contents: Any) -> Path:
    """Write a JSON document, creating its folder, and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(contents, indent=2), encoding="utf-8")
    return path


def write_bytes(path: Path, data: bytes) -> Path:
    """Write raw bytes, creating the folder, and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """Run the command line in-process and return (exit code, stdout, stderr)."""
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, out: str, err: str) -> str:
    """Check the shape every input or usage error must have, and return its line."""
    assert code == 2, f"exit code {code}, stderr: {err!r}"
    assert out == "", f"stdout must stay empty on an error, got: {out!r}"
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, f"expected exactly one line on stderr, got: {err!r}"
    assert err.endswith("\n")
    assert lines[0].startswith("schema-diff: error: "), lines[0]
    return lines[0]


def versions(tmp_path: Path, old: Any, new: Any, name: str = "status.json") -> tuple[Path, Path]:
    """Write one document into an old and a new folder, under the same name."""
    write_json(tmp_path / "old" / name, old)
    write_json(tmp_path / "new" / name, new)
    return tmp_path / "old", tmp_path / "new"


def json_report(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, dict[str, Any]]:
    """Run a comparison with `--format json` and return the exit code and the parsed report."""
    code, out, err = run(capsys, *argv, "--format", "json")
    assert err == ""
    return code, json.loads(out)


# Exit codes 0 and 1 -------------------------------------------------------------------

def test_identical_folders_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = versions(tmp_path, STATUS, STATUS)

    code, out, err = run(capsys, old, new)

    assert code == 0
    assert err == ""
    assert out == f"{old} -> {new} (mode: full)\n\nNo changes.\n"


def test_additive_change_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # An optional property added to an open object breaks no direction.
    old_schema = {"type": "object", "properties": {"id": {"type": "string"}}}
    new_schema = {"type": "object", "properties": {"id": {"type": "string"}, "note": {"type": "string"}}}
    old, new = versions(tmp_path, old_schema, new_schema)

    code, report = json_report(capsys, old, new)

    assert code == 0
    assert [change["rule"] for change in report["changes"]] == ["property-added"]
    assert report["changes"][0]["severity"] == "additive"


def test_breaking_change_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # An enum value added breaks forward, which the default mode (full) protects.
    old, new = versions(tmp_path, STATUS, STATUS_WITH_FAILED)

    code, out, err = run(capsys, old, new)

    assert code == 1
    assert err == ""
    assert "enum-value-added" in out


def test_mode_backward_accepts_forward_break(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The added enum value breaks only forward, which `--mode backward` does not protect.
    old, new = versions(tmp_path, STATUS, STATUS_WITH_FAILED)

    assert run(capsys, old, new, "--mode", "backward")[0] == 0
    assert run(capsys, old, new, "--mode", "forward")[0] == 1


def test_cli_runner_default_command(tmp_path: Path) -> None:
    # `cli` is a group whose default command is `compare`, so OLD NEW needs no command name.
    old, new = versions(tmp_path, STATUS, STATUS_WITH_FAILED)

    result = CliRunner().invoke(cli, [str(old), str(new), "--format", "json"], catch_exceptions=False)

    # The added value breaks forward, so the runner sees exit code 1, as a shell would.
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [change["new_value"] for change in report["changes"]] == ["failed"]


def test_two_files_with_different_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Two files are two versions of one document, whatever their names.
    old = write_json(tmp_path / "status-1.json", STATUS)
    new = write_json(tmp_path / "status-2.json", STATUS_WITH_FAILED)

    code, report = json_report(capsys, old, new)

    assert [change["rule"] for change in report["changes"]] == ["enum-value-added"]
    assert code == 1


# Usage errors ---------------------------------------------------------------------------

def test_missing_argument(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old = write_json(tmp_path / "status.json", STATUS)

    line = assert_one_line_error(*run(capsys, old))

    assert line == "schema-diff: error: Missing argument 'NEW'."


def test_unknown_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, new = versions(tmp_path, STATUS, STATUS)

    line = assert_one_line_error(*run(capsys, old, new, "--bogus"))

    assert line == "schema-diff: error: No such option '--bogus'."


def test_bad_mode(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, new = versions(tmp_path, STATUS, STATUS)

    line = assert_one_line_error(*run(capsys, old, new, "--mode", "sideways"))

    assert line == "schema-diff: error: Invalid value for '--mode': 'sideways' is not one of 'backward', 'forward', 'full'."


def test_bad_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, new = versions(tmp_path, STATUS, STATUS)

    line = assert_one_line_error(*run(capsys, old, new, "--format", "yaml"))

    assert line.startswith("schema-diff: error: Invalid value for '--format': 'yaml' is not one of ")


@pytest.mark.parametrize("value", [
    "no-equals-sign",          # no separator at all
    "=schemas/remote",         # empty URL
    "https://example.com/s=",  # empty path
])
def test_bad_ref_map(capsys: pytest.CaptureFixture[str], tmp_path: Path, value: str) -> None:
    old, new = versions(tmp_path, STATUS, STATUS)

    line = assert_one_line_error(*run(capsys, old, new, "--ref-map", value))

    assert line == f"schema-diff: error: Invalid value for '--ref-map': {value!r} is not URL=PATH"


def test_file_compared_with_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # A file is one document and a folder a set of them: there is nothing sound to pair.
    old_folder, new_folder = versions(tmp_path, STATUS, STATUS_WITH_FAILED)
    old_file = old_folder / "status.json"

    line = assert_one_line_error(*run(capsys, old_file, new_folder))

    assert str(old_file) in line
    assert str(new_folder) in line


def test_folder_compared_with_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old_folder, new_folder = versions(tmp_path, STATUS, STATUS_WITH_FAILED)
    new_file = new_folder / "status.json"

    line = assert_one_line_error(*run(capsys, old_folder, new_file))

    assert str(old_folder) in line
    assert str(new_file) in line


# Input errors ---------------------------------------------------------------------------

def test_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old = write_json(tmp_path / "status.json", STATUS)
    missing = tmp_path / "nowhere.json"

    line = assert_one_line_error(*run(capsys, old, missing))

    assert line == f"schema-diff: error: {missing}: no such file or folder"


def test_invalid_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, new = versions(tmp_path, STATUS, STATUS)
    # Line 3 starts a new key where a comma should have come after "string".
    broken = write_bytes(new / "status.json", b'{\n  "type": "string"\n  "title": "Status"\n}\n')

    line = assert_one_line_error(*run(capsys, old, new))

    assert line == f"schema-diff: error: {broken}: invalid JSON at line 3, column 3: expected a comma or a closing bracket here"


def test_invalid_json_trailing_comma(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old = write_json(tmp_path / "old.json", STATUS)
    # The comma before the closing brace is the 18th character.
    broken = write_bytes(tmp_path / "new.json", b'{"type": "string",}')

    line = assert_one_line_error(*run(capsys, old, broken))

    assert line == f"schema-diff: error: {broken}: invalid JSON at line 1, column 18: JSON does not allow a comma before the closing '}}'"


@pytest.mark.parametrize(("text", "line_number", "column"), [
    # A mapping value on an indented line continues the scalar `object`: the colon is at column 8.
    ("type: object\n  title: x\n", 2, 8),
    # The flow mapping opened on line 3 is never closed, and the parser notices at `b:` on line 4.
    ("type: object\nproperties:\n  a: {type: string\n  b: 1\n", 4, 4),
])
def test_invalid_yaml(capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, line_number: int, column: int) -> None:
    write_bytes(tmp_path / "old" / "status.yaml", b"type: string\n")
    broken = write_bytes(tmp_path / "new" / "status.yaml", text.encode("utf-8"))

    line = assert_one_line_error(*run(capsys, tmp_path / "old", tmp_path / "new"))

    # The problem text differs between PyYAML's C and pure-Python parsers, but the place does not.
    assert line.startswith(f"schema-diff: error: {broken}: invalid YAML at line {line_number}, column {column}: ")


@pytest.mark.parametrize(("schema", "where", "keyword"), [
    ({"type": 5}, "/type", "type"),                                       # a type name must be a string
    ({"minimum": "x"}, "/minimum", "minimum"),                            # a bound must be a number
    ({"type": "object", "required": "id"}, "/required", "required"),      # required lists names
    ({"type": "object", "properties": {"id": {"type": "text"}}}, "/properties/id/type", "type"),  # no such type
    ({"type": "string", "maxLength": -1}, "/maxLength", "maxLength"),     # a length is not negative
])
def test_invalid_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path, schema: dict[str, Any], where: str, keyword: str) -> None:
    old, new = versions(tmp_path, {"type": "object"}, schema)

    line = assert_one_line_error(*run(capsys, old, new))

    assert line.startswith(f"schema-diff: error: {new / 'status.json'}: not a valid 2020-12 schema: at {where} ({keyword}): ")


def test_invalid_schema_in_added_document(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, new = versions(tmp_path, STATUS, STATUS)
    write_json(new / "extra.json", {"type": "object", "minProperties": "two"})

    line = assert_one_line_error(*run(capsys, old, new))

    assert line.startswith(f"schema-diff: error: {new / 'extra.json'}: not a valid 2020-12 schema: at /minProperties (minProperties): ")


@pytest.mark.parametrize(("data", "kind"), [
    (b"[1, 2]", "an array"),       # an array is not a schema
    (b'"string"', "a string"),     # nor is a string
    (b"3", "a number"),            # nor a number
    (b"null", "null"),             # nor null
])
def test_document_not_an_object(capsys: pytest.CaptureFixture[str], tmp_path: Path, data: bytes, kind: str) -> None:
    old = write_json(tmp_path / "old" / "status.json", STATUS)
    broken = write_bytes(tmp_path / "new" / "status.json", data)

    line = assert_one_line_error(*run(capsys, old, broken))

    assert line == (f"schema-diff: error: {broken}: not a schema: the document is {kind}, "
                    "but a schema must be an object (or a boolean, in drafts 6 and later)")


def test_unknown_dialect(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, new = versions(tmp_path, STATUS, {"$schema": "https://example.com/my-dialect", **STATUS})

    line = assert_one_line_error(*run(capsys, old, new))

    assert line == (f"schema-diff: error: {new / 'status.json'}: unknown $schema 'https://example.com/my-dialect'; "
                    "schema-diff reads drafts 4, 6, 7, 2019-09 and 2020-12")


def test_unresolvable_local_pointer(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # The changed property refers to a definition that does not exist.
    old_schema = {"type": "object", "properties": {"status": {"type": "string"}}}
    new_schema = {"type": "object", "properties": {"status": {"$ref": "#/$defs/missing"}}}
    old, new = versions(tmp_path, old_schema, new_schema)

    line = assert_one_line_error(*run(capsys, old, new))

    # Like every other input error, the message names the file by the path the user gave.
    assert line == (f"schema-diff: error: {new / 'status.json'}: $ref '#/$defs/missing' does not resolve: "
                    "no node at pointer '/$defs/missing'")


def test_unresolvable_sibling_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # The changed property refers to a file next to the document that is not in the folder.
    old_schema = {"type": "object", "properties": {"status": {"type": "string"}}}
    new_schema = {"type": "object", "properties": {"status": {"$ref": "missing.json"}}}
    old, new = versions(tmp_path, old_schema, new_schema)

    line = assert_one_line_error(*run(capsys, old, new))

    # Like every other input error, the message names the file by the path the user gave.
    assert line == (f"schema-diff: error: {new / 'status.json'}: $ref 'missing.json' does not resolve: "
                    "no document 'missing.json' among the compared sources")


def test_empty_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, _ = versions(tmp_path, STATUS, STATUS)
    empty = tmp_path / "empty"
    write_bytes(empty / "notes.txt", b"not a schema")

    line = assert_one_line_error(*run(capsys, old, empty))

    assert line == f"schema-diff: error: {empty}: no schema documents (.json, .yaml, .yml) in this folder"


def test_non_utf8_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, new = versions(tmp_path, STATUS, STATUS)
    # The byte 0xff never occurs in UTF-8. It is the 18th byte, at offset 17.
    broken = write_bytes(new / "status.json", b'{"description": "\xff", "type": "string"}')

    line = assert_one_line_error(*run(capsys, old, new))

    assert line == f"schema-diff: error: {broken}: not UTF-8 text (invalid byte at offset 17)"


# The JSON report --------------------------------------------------------------------------

def test_json_report_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = versions(tmp_path, STATUS, STATUS_WITH_FAILED)

    code, report = json_report(capsys, old, new)

    assert code == 1
    assert REPORT_KEYS <= report.keys()
    assert report["old"] == {"source": str(old), "version": None}
    assert report["new"] == {"source": str(new), "version": None}
    assert report["mode"] == "full"
    assert report["summary"] == {"breaking": 1, "potentially-breaking": 0, "additive": 0, "cosmetic": 0}
    assert len(report["changes"]) == 1
    change = report["changes"][0]
    assert CHANGE_KEYS <= change.keys()
    assert change["rule"] == "enum-value-added"
    assert change["severity"] == "breaking"
    assert change["breaks"] == ["forward"]
    assert change["schema"] == "status.json"
    assert change["old_value"] is None
    assert change["new_value"] == "failed"
    assert isinstance(change["id"], str) and change["id"]
    assert isinstance(change["message"], str) and change["message"]


def test_json_report_same_bytes_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old_schema = {"type": "object", "required": ["id", "kind"],
                  "properties": {"id": {"type": "string"}, "kind": STATUS, "size": {"type": "integer", "maximum": 10}}}
    new_schema = {"type": "object", "required": ["id"],
                  "properties": {"id": {"type": ["string", "null"]}, "kind": STATUS_WITH_FAILED, "size": {"type": "integer", "maximum": 5},
                                 "note": {"type": "string"}}}
    old, new = versions(tmp_path, old_schema, new_schema)

    first = run(capsys, old, new, "--format", "json")
    second = run(capsys, old, new, "--format", "json")

    assert first == second
    assert len(json.loads(first[1])["changes"]) >= 4


def test_json_report_same_bytes_across_processes(tmp_path: Path) -> None:
    # Different hash seeds change the iteration order of sets, and the report must not depend on it.
    old_schema = {"type": "object", "required": ["a", "b", "c"],
                  "properties": {name: {"type": "string", "enum": ["x", "y", "z"]} for name in "abcdef"}}
    new_schema = {"type": "object", "required": ["d", "e"],
                  "properties": {name: {"type": "string", "enum": ["u", "v", "w"]} for name in "defghi"}}
    old, new = versions(tmp_path, old_schema, new_schema)
    outputs = []
    for seed in ("1", "2", "3"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        completed = subprocess.run([sys.executable, "-m", "checker", str(old), str(new), "--format", "json"],
                                   capture_output=True, env=environment, check=False)
        assert completed.returncode == 1, completed.stderr
        outputs.append(completed.stdout)

    assert outputs[0] == outputs[1] == outputs[2]


# Other commands and options ---------------------------------------------------------------

def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rules")

    assert code == 0
    assert err == ""
    first_words = {line.split()[0] for line in out.splitlines() if line and not line[0].isspace()}
    assert first_words == set(checker.RULES)


def test_rules_json_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")

    listing = json.loads(out)
    assert code == 0
    assert [entry["rule"] for entry in listing] == list(checker.RULES)


def test_python_m_checker_help() -> None:
    completed = subprocess.run([sys.executable, "-m", "checker", "--help"], capture_output=True, text=True, check=False)

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("Usage: ")
    assert "rules" in completed.stdout
    assert completed.stderr == ""


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")

    assert code == 0
    assert out == f"schema-diff, version {importlib.metadata.version('schema-diff')}\n"


# Folders -------------------------------------------------------------------------------------

def test_folder_read_recursively(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for side in ("old", "new"):
        write_json(tmp_path / side / "top.json", STATUS)
        write_bytes(tmp_path / side / "nested" / "deeper" / "kind.yaml", b"type: string\nenum: [a, b]\n")
        write_bytes(tmp_path / side / "nested" / "size.yml", b"type: integer\nmaximum: 10\n")
        # Files with other suffixes are not schema documents and are never parsed.
        write_bytes(tmp_path / side / "nested" / "notes.txt", b"{ not json")
    write_json(tmp_path / "new" / "top.json", STATUS_WITH_FAILED)
    write_bytes(tmp_path / "new" / "nested" / "deeper" / "kind.yaml", b"type: string\nenum: [b, a, c]\n")
    write_bytes(tmp_path / "new" / "nested" / "size.yml", b"maximum: 5\ntype: integer\n")

    code, report = json_report(capsys, tmp_path / "old", tmp_path / "new")

    found = [(change["schema"], change["rule"], change["old_value"], change["new_value"]) for change in report["changes"]]
    assert found == [
        ("nested/deeper/kind.yaml", "enum-value-added", None, "c"),
        ("nested/size.yml", "bound-tightened", 10, 5),
        ("top.json", "enum-value-added", None, "failed"),
    ]
    assert code == 1


def test_folder_one_sided_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_json(tmp_path / "old" / "kept.json", STATUS)
    write_json(tmp_path / "new" / "kept.json", STATUS)
    write_json(tmp_path / "old" / "a" / "moved.json", STATUS)
    # The same document under another folder is another document: paired by relative path only.
    write_json(tmp_path / "new" / "b" / "moved.json", STATUS)
    write_json(tmp_path / "new" / "added.json", {"type": "integer"})

    code, report = json_report(capsys, tmp_path / "old", tmp_path / "new")

    found = [(change["schema"], change["rule"], change["old_pointer"], change["new_pointer"]) for change in report["changes"]]
    assert found == [
        ("a/moved.json", "schema-removed", "", None),
        ("added.json", "schema-added", None, ""),
        ("b/moved.json", "schema-added", None, ""),
    ]
    severities = {change["schema"]: change["severity"] for change in report["changes"]}
    assert severities == {"a/moved.json": "breaking", "added.json": "additive", "b/moved.json": "additive"}
    assert code == 1


def test_folder_only_added_documents_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_json(tmp_path / "old" / "kept.json", STATUS)
    write_json(tmp_path / "new" / "kept.json", STATUS)
    write_json(tmp_path / "new" / "added.json", {"type": "integer"})

    code, report = json_report(capsys, tmp_path / "old", tmp_path / "new")

    assert [change["rule"] for change in report["changes"]] == ["schema-added"]
    assert code == 0


# Drafts --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("dialect", "draft_name"), [
    (DRAFT4, "draft-04"),
    (DRAFT6, "draft-06"),
    (DRAFT7, "draft-07"),
    (DRAFT201909, "2019-09"),
    (DRAFT202012, "2020-12"),
    ("http://json-schema.org/draft-07/schema", "draft-07"),            # without the empty fragment
    ("https://json-schema.org/draft-04/schema#", "draft-04"),          # https spelling
    ("https://json-schema.org/draft/2020-12/schema#", "2020-12"),      # with an empty fragment
])
def test_draft_recognised(tmp_path: Path, capsys: pytest.CaptureFixture[str], dialect: str, draft_name: str) -> None:
    old, new = versions(tmp_path, {"$schema": dialect, **STATUS}, {"$schema": dialect, **STATUS_WITH_FAILED})

    assert checker.load_path(new).documents["status.json"].draft.name == draft_name
    code, report = json_report(capsys, old, new)
    assert [change["rule"] for change in report["changes"]] == ["enum-value-added"]
    assert code == 1


def test_draft_missing_means_2020_12(tmp_path: Path) -> None:
    path = write_json(tmp_path / "status.json", STATUS)

    assert checker.load_path(path).documents["status.json"].draft.name == "2020-12"


def test_draft4_boolean_exclusive_minimum(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Draft 4 writes an exclusive bound as `exclusiveMinimum: true` beside `minimum`. Making the
    # bound exclusive rejects the old boundary value 0.
    old, new = versions(tmp_path, {"$schema": DRAFT4, "type": "number", "minimum": 0},
                        {"$schema": DRAFT4, "type": "number", "minimum": 0, "exclusiveMinimum": True})

    code, report = json_report(capsys, old, new)

    assert [(change["rule"], change["breaks"]) for change in report["changes"]] == [("bound-tightened", ["backward"])]
    assert code == 1


@pytest.mark.parametrize("dialect", [DRAFT6, DRAFT7, DRAFT201909, DRAFT202012])
def test_boolean_exclusive_minimum_invalid_after_draft4(tmp_path: Path, capsys: pytest.CaptureFixture[str], dialect: str) -> None:
    # From draft 6 on, `exclusiveMinimum` is a number, so `true` makes the schema invalid.
    old, new = versions(tmp_path, {"$schema": dialect, "type": "number", "minimum": 0},
                        {"$schema": dialect, "type": "number", "minimum": 0, "exclusiveMinimum": True})

    line = assert_one_line_error(*run(capsys, old, new))

    assert "(exclusiveMinimum)" in line


def test_text_report_line_per_verdict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The same Status type, once as a plain document and once as an OpenAPI component used
    # in a response. Under --mode backward the plain document's new value breaks no one
    # (it breaks forward), while the response side is judged as forward, so there it breaks.
    for side, values in (("old", ["a", "b"]), ("new", ["a", "b", "c"])):
        status = {"title": "Status", "type": "string", "enum": values}
        response = {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}}
        write_json(tmp_path / side / "status.json", status)
        write_json(tmp_path / side / "api.json", {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                                                   "paths": {"/s": {"get": {"responses": {"200": response}}}},
                                                   "components": {"schemas": {"Status": status}}})

    code, out, _ = run(capsys, tmp_path / "old", tmp_path / "new", "--mode", "backward")

    assert code == 1
    lines = [line for line in out.splitlines() if "enum-value-added" in line]
    assert lines == [
        '  breaking             enum-value-added: accepts a new value "c"; old readers reject it [breaks forward] '
        "(only in api.json at /components/schemas/Status)",
        '  additive             enum-value-added: accepts a new value "c"; old readers reject it [breaks forward] (only in status.json)',
    ]
