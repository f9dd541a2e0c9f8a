"""YAML plain scalars resolve by the YAML 1.2 core schema, as JSON Schema and OpenAPI 3.1 expect.

PyYAML on its own follows YAML 1.1, under which `NO` and `on` are booleans, `017` is octal
and `12:30` is the sexagesimal number 750. The expected values below follow the core schema
of YAML 1.2.2 (section 10.3.2), under which every plain scalar outside its null, boolean,
integer and float patterns is a string.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import checker
from checker.cli import main
from checker.errors import DocumentParseError
from checker.loading import parse


def read_value(text: str) -> Any:
    """Parse `value: TEXT` as a YAML document and return the value."""
    return parse("values.yaml", f"value: {text}\n".encode(), yaml_syntax=True)["value"]


@pytest.mark.parametrize(("text", "expected"), [
    # Null: the core schema spells it null, Null, NULL or ~, or leaves the value empty.
    pytest.param("null", None, id="null"),
    pytest.param("Null", None, id="Null"),
    pytest.param("NULL", None, id="NULL"),
    pytest.param("~", None, id="tilde"),
    pytest.param("", None, id="empty"),
    # Only those three spellings of null count, so mixed case is a string.
    pytest.param("nULL", "nULL", id="nULL-string"),
    # Booleans: true and false in lower, title or upper case.
    pytest.param("true", True, id="true"),
    pytest.param("True", True, id="True"),
    pytest.param("TRUE", True, id="TRUE"),
    pytest.param("false", False, id="false"),
    pytest.param("False", False, id="False"),
    pytest.param("FALSE", False, id="FALSE"),
    pytest.param("tRUE", "tRUE", id="tRUE-string"),
    # YAML 1.1 booleans are strings in 1.2: "NO" is Norway's country code, not false.
    pytest.param("NO", "NO", id="NO"),
    pytest.param("yes", "yes", id="yes"),
    pytest.param("Yes", "Yes", id="Yes"),
    pytest.param("on", "on", id="on"),
    pytest.param("off", "off", id="off"),
    pytest.param("y", "y", id="y"),
    pytest.param("n", "n", id="n"),
    # Decimal integers, with an optional sign.
    pytest.param("0", 0, id="zero"),
    pytest.param("42", 42, id="decimal"),
    pytest.param("-17", -17, id="negative"),
    pytest.param("+17", 17, id="plus-sign"),
    # A leading zero does not make octal in 1.2: [-+]?[0-9]+ is decimal.
    pytest.param("017", 17, id="leading-zero-decimal"),
    # Octal is written 0o in 1.2: 1 * 8 + 7 = 15.
    pytest.param("0o17", 15, id="octal"),
    # 8 is not an octal digit, and the text matches no other pattern.
    pytest.param("0o18", "0o18", id="bad-octal-string"),
    # Hexadecimal: 0x1F = 1 * 16 + 15 = 31, in either letter case of the digits.
    pytest.param("0x1F", 31, id="hex"),
    pytest.param("0x1f", 31, id="hex-lower-digits"),
    # The prefix itself is lower case only, and a sign is allowed on decimals alone.
    pytest.param("0X1F", "0X1F", id="hex-upper-prefix-string"),
    pytest.param("-0x1F", "-0x1F", id="signed-hex-string"),
    pytest.param("-0o17", "-0o17", id="signed-octal-string"),
    # 1.2 has no binary integers, digit separators or base-60 numbers.
    pytest.param("0b101", "0b101", id="binary-string"),
    pytest.param("1_000", "1_000", id="underscore-string"),
    pytest.param("12:30", "12:30", id="sexagesimal-string"),
    pytest.param("190:20:30", "190:20:30", id="sexagesimal-three-parts-string"),
    # An integer far beyond 64 bits stays exact, as in JSON files.
    pytest.param("123456789012345678901234567890", 123456789012345678901234567890, id="huge-decimal"),
    pytest.param("0x" + "F" * 20, 16**20 - 1, id="huge-hex"),
    # Floats: a fraction, an exponent or both.
    pytest.param("1.0", 1.0, id="float"),
    pytest.param(".5", 0.5, id="leading-dot"),
    pytest.param("+.5", 0.5, id="plus-leading-dot"),
    pytest.param("1.", 1.0, id="trailing-dot"),
    pytest.param("-1.5e3", -1500.0, id="exponent"),
    # Unlike 1.1, 1.2 needs no dot before an exponent.
    pytest.param("1e3", 1000.0, id="exponent-without-dot"),
    pytest.param("1E-2", 0.01, id="upper-exponent"),
    # Only NaN without a sign is a float, and `.infinity` is no spelling of infinity.
    pytest.param("-.nan", "-.nan", id="signed-nan-string"),
    pytest.param(".infinity", ".infinity", id="infinity-word-string"),
    # 1.2 has no timestamp type, so dates and times stay the strings JSON would hold.
    pytest.param("2001-01-01", "2001-01-01", id="date-string"),
    pytest.param("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00", id="timestamp-string"),
    # Quoted scalars are never resolved: they are strings whatever they spell.
    pytest.param('"yes"', "yes", id="double-quoted-yes"),
    pytest.param("'017'", "017", id="single-quoted-integer"),
    pytest.param('"~"', "~", id="quoted-tilde"),
    # An explicit tag wins over the resolver.
    pytest.param("!!str 017", "017", id="tagged-str-integer"),
    pytest.param("!!str yes", "yes", id="tagged-str-yes"),
    pytest.param("!!str true", "true", id="tagged-str-true"),
    # Explicit number tags read their text by the same 1.2 rules.
    pytest.param("!!int 017", 17, id="tagged-int"),
    pytest.param("!!float 1", 1.0, id="tagged-float-from-integer-text"),
    pytest.param("!!null ''", None, id="tagged-null"),
])
def test_plain_scalar_value(text: str, expected: Any) -> None:
    value = read_value(text)

    # The type is compared too, because True == 1 and 1.0 == 1 in Python.
    assert (type(value), value) == (type(expected), expected)


@pytest.mark.parametrize(("text", "problem"), [
    # NaN and infinity are floats in YAML 1.2 but have no JSON value, so they are rejected
    # as NaN and Infinity are in JSON files.
    pytest.param(".nan", ".nan is not a JSON number", id="nan"),
    pytest.param(".NaN", ".NaN is not a JSON number", id="NaN"),
    pytest.param(".inf", ".inf is not a JSON number", id="inf"),
    pytest.param("+.inf", "+.inf is not a JSON number", id="plus-inf"),
    pytest.param("-.inf", "-.inf is not a JSON number", id="minus-inf"),
    pytest.param(".Inf", ".Inf is not a JSON number", id="Inf"),
    # 1e400 is a 1.2 float beyond the largest double (about 1.8e308), so it would read as infinity.
    pytest.param("1e400", "1e400 is not a JSON number", id="overflow"),
    # A tag cannot make an integer or boolean of text that 1.2 reads as a string.
    pytest.param("!!int 1_000", "'1_000' is not a YAML 1.2 integer", id="tagged-int-underscore"),
    pytest.param("!!bool yes", "'yes' is not a YAML 1.2 boolean", id="tagged-bool-yes"),
    # An explicit timestamp would be a date, which JSON has no type for.
    pytest.param("!!timestamp 2001-01-01", "timestamp values (!!timestamp) are not JSON", id="tagged-timestamp"),
    # 4000 hexadecimal digits are about 4800 decimal ones, beyond the 4300 that Python
    # converts by default, and reports print integers in decimal.
    pytest.param("0x" + "F" * 4000, "an integer has more than 4300 digits", id="hex-beyond-digit-limit"),
])
def test_value_without_json_meaning_rejected(text: str, problem: str) -> None:
    with pytest.raises(DocumentParseError) as error:
        read_value(text)

    assert problem in str(error.value)
    assert str(error.value).startswith("values.yaml: invalid YAML")


def test_keys_read_as_json_text() -> None:
    # `yes` is a string key, while 017 and 0x1F are the integers 17 and 31, written as JSON text.
    document = parse("keys.yaml", b"{yes: a, on: b, 017: c, 0x1F: d, NO: e}\n", yaml_syntax=True)

    assert document == {"yes": "a", "on": "b", "17": "c", "31": "d", "NO": "e"}


def test_merge_key_still_merges() -> None:
    # `<<` is a YAML 1.1 merge key, kept because files written with anchors rely on it.
    # As a value, where no merge can happen, it is the plain string "<<".
    text = b"base: &base {type: string}\nmerged: {<<: *base, minLength: 1}\nenum: [<<]\n"

    document = parse("merge.yaml", text, yaml_syntax=True)

    assert document["merged"] == {"type": "string", "minLength": 1}
    assert document["enum"] == ["<<"]


def test_pyyaml_loaders_left_on_yaml_1_1() -> None:
    # schema-diff changes the resolvers of its own loader class only, so other users of
    # PyYAML in the same process still get YAML 1.1 booleans and dates.
    assert yaml.safe_load("on") is True
    assert str(yaml.load("2001-01-01", Loader=yaml.SafeLoader)) == "2001-01-01"
    assert type(yaml.load("2001-01-01", Loader=yaml.SafeLoader)).__name__ == "date"


def test_cli_enum_no_stays_string(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Under YAML 1.1 the old enum would be [false, "SE"], which `type: string` contradicts.
    # Under 1.2 both sides hold the strings "NO" and "SE", and the new side adds only "DK".
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text("type: string\nenum: [NO, SE]\n")
    new.write_text("type: string\nenum: [NO, SE, DK]\n")

    code = main(["--format", "json", str(old), str(new)])
    out, err = capsys.readouterr()

    # A value added to an enum is one that old readers reject: it breaks forward, which
    # the full mode counts as breaking, so the exit code is 1.
    assert (code, err) == (1, "")
    changes = json.loads(out)["changes"]
    assert [(change["rule"], change["new_value"]) for change in changes] == [("enum-value-added", "DK")]
    assert checker.load_path(old).documents["old.yaml"].contents["enum"] == ["NO", "SE"]
