"""Input errors name the file and state in plain words what is wrong with it, in one line on stderr."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from checker.cli import main

SCHEMA = {"type": "object", "properties": {"id": {"type": "string"}}}


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in tmp_path, so that messages name files by the short relative paths passed in."""
    monkeypatch.chdir(tmp_path)
    Path("old.json").write_text(json.dumps(SCHEMA))
    return tmp_path


def error_line(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run schema-diff, check that it failed as an input error, and return its one stderr line."""
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 2, f"exit code {code}, stderr: {captured.err!r}"
    assert captured.out == ""
    assert captured.err.endswith("\n")
    assert captured.err.count("\n") == 1, captured.err
    return captured.err.removeprefix("schema-diff: error: ").rstrip("\n")


# JSON syntax ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    # Cut inside a string: the string's opening quote is the 10th character.
    ('{"type": "str', "invalid JSON at line 1, column 10: a string starts here, but the file ends before its closing quote"),
    # Cut after a property name: the colon would be the 8th character.
    ('{"type"', "invalid JSON at line 1, column 8: the file ends before an object is closed"),
    # Cut after the colon: the value would be the 9th character.
    ('{"type":', "invalid JSON at line 1, column 9: the file ends where a value is expected"),
    # Cut after a complete member: a comma or `}` would be the 18th character.
    ('{"type": "string"', "invalid JSON at line 1, column 18: the file ends before an object or array is closed"),
    # The second member's quote (19th character) comes where a comma should.
    ('{"type": "string" "title": "x"}', "invalid JSON at line 1, column 19: expected a comma or a closing bracket here"),
    # The comma after `2` is the 15th character and `]` follows it.
    ('{"enum": [1, 2,]}', "invalid JSON at line 1, column 15: JSON does not allow a comma before the closing ']'"),
    # The comma is the 19th character, after a space, and `}` follows another space.
    ('{"type": "string" , }', "invalid JSON at line 1, column 19: JSON does not allow a comma before the closing '}'"),
    # `type` at the 2nd character is a bare word, not a quoted name.
    ('{type: "string"}', "invalid JSON at line 1, column 2: expected a property name in double quotes here"),
    # The value's quote (9th character, after a space) comes where the colon should.
    ('{"type" "string"}', "invalid JSON at line 1, column 9: expected a colon after the property name"),
    # The first object ends at the 18th character, and the second one starts at the 20th.
    ('{"type": "string"} {}', "invalid JSON at line 1, column 20: unexpected text after the end of the JSON value "
                              "(a file contains exactly one value)"),
    # A raw line break, the 13th character, inside the string "a...b".
    ('{"title": "a\nb"}', "invalid JSON at line 1, column 13: a string contains a line break, which JSON allows only as the escape \\n"),
    # A regular expression written with one backslash: `\d` starts at the 14th character.
    ('{"pattern": "\\d"}', "invalid JSON at line 1, column 14: \\d is not a valid escape in a JSON string "
                           "(the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)"),
    # `\u12` has two of the four hex digits, and its backslash is the 12th character.
    ('{"title": "\\u12"}', "invalid JSON at line 1, column 12: a \\u escape must be followed by four hexadecimal digits"),
    # `tru`, from the 11th character, is no JSON value.
    ('{"const": tru}', "invalid JSON at line 1, column 11: expected a JSON value here"),
])
def test_invalid_json_message(capsys: pytest.CaptureFixture[str], text: str, message: str) -> None:
    Path("new.json").write_text(text)

    assert error_line(capsys, "old.json", "new.json") == f"new.json: {message}"


# Compressed files -----------------------------------------------------------------------

def test_gzip_cut_in_half(capsys: pytest.CaptureFixture[str]) -> None:
    packed = gzip.compress(json.dumps({**SCHEMA, "description": "x" * 2000}).encode())
    Path("new.json.gz").write_bytes(packed[: len(packed) // 2])

    assert error_line(capsys, "old.json", "new.json.gz") == (
        "new.json.gz: the compressed data is truncated or corrupt (the gzip stream ends before its end marker)")


def test_gzip_cut_in_header(capsys: pytest.CaptureFixture[str]) -> None:
    # A gzip header is 10 bytes, so 5 bytes unpack to nothing at all.
    Path("new.json.gz").write_bytes(gzip.compress(json.dumps(SCHEMA).encode())[:5])

    assert error_line(capsys, "old.json", "new.json.gz") == (
        "new.json.gz: the compressed data is truncated or corrupt (the gzip stream ends before its end marker)")


def test_gzip_zero_bytes_empty(capsys: pytest.CaptureFixture[str]) -> None:
    # A file of no bytes is empty rather than truncated.
    Path("new.json.gz").write_bytes(b"")

    assert error_line(capsys, "old.json", "new.json.gz") == "new.json.gz: the file is empty"


# Symbolic links -------------------------------------------------------------------------

def make_folders() -> None:
    for side in ("old", "new"):
        Path(side).mkdir()
        Path(side, "s.json").write_text(json.dumps(SCHEMA))


def test_link_loop_in_folder(capsys: pytest.CaptureFixture[str]) -> None:
    make_folders()
    Path("new", "loop.json").symlink_to("loop.json")

    assert error_line(capsys, "old", "new") == "new/loop.json: cannot be read: symbolic link loop (the link leads back to itself)"


def test_link_loop_argument(capsys: pytest.CaptureFixture[str]) -> None:
    Path("loop.json").symlink_to("loop.json")

    assert error_line(capsys, "old.json", "loop.json") == "loop.json: cannot be read: symbolic link loop (the link leads back to itself)"


def test_two_link_loop_argument(capsys: pytest.CaptureFixture[str]) -> None:
    # a.json leads to b.json, which leads back to a.json.
    Path("a.json").symlink_to("b.json")
    Path("b.json").symlink_to("a.json")

    assert error_line(capsys, "old.json", "a.json") == "a.json: cannot be read: symbolic link loop (the link leads back to itself)"


def test_dangling_link_argument(capsys: pytest.CaptureFixture[str]) -> None:
    Path("gone.json").symlink_to("missing.json")

    assert error_line(capsys, "old.json", "gone.json") == (
        "gone.json: cannot be read: the symbolic link points to missing.json, which does not exist")


# YAML streams ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "line"), [
    ("type: object\n---\ntype: string\n", 2),               # the `---` on line 2 starts the second document
    ("---\ntype: object\n---\ntype: string\n", 3),          # the first `---` opens the first document, so line 3 starts the second
    ("type: object\n---\n", 2),                             # a `---` with nothing after it still starts an (empty) document
])
def test_yaml_several_documents(capsys: pytest.CaptureFixture[str], text: str, line: int) -> None:
    Path("new.yaml").write_text(text)

    assert error_line(capsys, "old.json", "new.yaml") == (
        f"new.yaml: the file contains more than one YAML document (the second starts at line {line}, column 1); "
        "schema-diff reads one document per file")


# Documents that are not schemas ---------------------------------------------------------

@pytest.mark.parametrize(("name", "text", "found"), [
    ("new.json", "null", "null"),            # JSON null
    ("new.json", "[]", "an array"),          # an empty array is still an array
    ("new.json", "3", "a number"),           # JSON has one number type, integral or not
    ("new.json", "1.5", "a number"),
    ("new.json", '"x"', "a string"),
    ("new.yaml", "~\n", "null"),             # `~` is null in YAML
    ("new.yaml", "- type: string\n", "an array"),
])
def test_document_not_schema(capsys: pytest.CaptureFixture[str], name: str, text: str, found: str) -> None:
    Path(name).write_text(text)

    assert error_line(capsys, "old.json", name) == (
        f"{name}: not a schema: the document is {found}, but a schema must be an object (or a boolean, in drafts 6 and later)")


# OpenAPI versions -----------------------------------------------------------------------

@pytest.mark.parametrize(("document", "message"), [
    # No OpenAPI 9 exists: only the versions read are worth naming.
    ({"openapi": "9.9.9"}, "unsupported OpenAPI version '9.9.9'; schema-diff reads OpenAPI 3.0 and 3.1"),
    # Swagger 2.0 under the `openapi` key is still not the Swagger format.
    ({"openapi": "2.0"}, "unsupported OpenAPI version '2.0'; schema-diff reads OpenAPI 3.0 and 3.1"),
    # A `swagger` key is the older format, which a converter turns into OpenAPI 3.
    ({"swagger": "2.0"}, "unsupported OpenAPI version '2.0'; schema-diff reads OpenAPI 3.0 and 3.1 (convert Swagger 2.0 to OpenAPI 3 first)"),
    # OpenAPI 3.1 is read, but its schemas' dialect here is not.
    ({"openapi": "3.1.0", "jsonSchemaDialect": "https://example.com/dialect"},
     "unknown jsonSchemaDialect 'https://example.com/dialect'; schema-diff reads drafts 4, 6, 7, 2019-09 and 2020-12"),
])
def test_openapi_version_message(capsys: pytest.CaptureFixture[str], document: dict[str, str], message: str) -> None:
    Path("new.json").write_text(json.dumps({**document, "info": {"title": "Pets", "version": "1"}, "paths": {}}))

    assert error_line(capsys, "old.json", "new.json") == f"new.json: {message}"


@pytest.mark.parametrize("padding", [b"", b"\0" * 64], ids=["members", "members-then-zero-padding"])
def test_gzip_members_join(workdir: Path, capsys: pytest.CaptureFixture[str], padding: bytes) -> None:
    # `cat a.gz b.gz` makes one gzip file of two members, which gzip unpacks as one text;
    # here the text is {"type": "object"} split across the members, so a reader that kept
    # only the first member would see invalid JSON.
    (workdir / "old.json").write_text('{"type": "string"}', encoding="utf-8")
    (workdir / "new.json.gz").write_bytes(gzip.compress(b'{"type": "obj') + gzip.compress(b'ect"}') + padding)

    code = main(["--format", "json", "old.json", "new.json.gz"])

    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(change["rule"], change["old_value"], change["new_value"]) for change in report["changes"]] == [
        ("type-changed", ["string"], ["object"])]
