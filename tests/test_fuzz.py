"""Fuzzing: random bytes, JSON values and schema-like documents never end in a traceback.

Every run must end with exit code 0, 1 or 2, and exit code 2 comes with exactly one line on
stderr. Below the command line, `checker.compare` may raise `checker.SchemaDiffError` and
nothing else. The library-level tests carry most of the examples because they are the
fastest; the command-line tests also cover file reading, YAML and the report writers.

The default run draws NORMAL_EXAMPLES in all; `pytest -m slow` draws SLOW_EXAMPLES, new ones each run.
"""

from __future__ import annotations

import contextlib
import io
import json
import signal
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import checker
from checker.cli import main
from checker.reporters import REPORTERS, write_report
from checker.witness import attach_witnesses

#: Leaves the large budgets out of a run that did not select them with `-m slow`. The project's
#: pytest options do not deselect the marker themselves.
only_when_selected = pytest.mark.skipif("'slow' not in config.getoption('markexpr')",
                                        reason="long-running; select it with -m slow")

DIALECTS = [
    "https://json-schema.org/draft/2020-12/schema",
    "https://json-schema.org/draft/2019-09/schema",
    "http://json-schema.org/draft-07/schema#",
    "http://json-schema.org/draft-06/schema#",
    "http://json-schema.org/draft-04/schema#",
]

#: Keywords of every draft and of OpenAPI, so that random documents reach the judges of each.
KEYWORDS = [
    "type", "enum", "const", "properties", "required", "items", "prefixItems", "additionalItems",
    "additionalProperties", "patternProperties", "propertyNames", "dependentRequired", "dependentSchemas",
    "dependencies", "unevaluatedProperties", "unevaluatedItems", "contains", "minContains", "maxContains",
    "anyOf", "oneOf", "allOf", "not", "if", "then", "else", "$ref", "$defs", "definitions", "$id", "id",
    "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor", "$schema",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength",
    "pattern", "format", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
    "default", "title", "description", "examples", "$comment", "deprecated", "readOnly", "writeOnly",
    "nullable", "discriminator", "example", "contentMediaType", "x-extension",
]

#: Values that keywords expect, so that a good share of random documents pass the meta-schema check.
KEYWORD_VALUES = [
    "string", "integer", "number", "object", "array", "boolean", "null", ["string", "null"],
    "#", "#/$defs/a", "#/definitions/a", "#a", "#/properties/a", "other.json", "other.json#/$defs/a",
    "https://example.com/remote.json", "urn:example:thing", "date-time", "email", "^[a-z]+$", "(", 0, 1, 2.5, -1,
    ["a"], ["a", "b"], True, False, "a",
    # A lone surrogate: valid JSON syntax, but no UTF-8 output can carry it.
    "\ud800",
]

json_scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-(2**80), max_value=2**80)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=6))
json_values = st.recursive(json_scalars,
                           lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
                           max_leaves=12)


def schema_like_node(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    names = st.sampled_from(KEYWORDS) | st.text(max_size=4)
    values = (children | st.sampled_from(KEYWORD_VALUES) | json_scalars | st.lists(children, max_size=3)
              | st.dictionaries(st.sampled_from(["a", "b", "$defs", "x"]) | st.text(max_size=3), children, max_size=3))
    return st.dictionaries(names, values, max_size=5)


#: Dicts that mix real keywords with random values, nested through the places subschemas live.
schema_like = st.recursive(st.booleans() | st.fixed_dictionaries({"type": st.sampled_from(KEYWORD_VALUES[:8])}),
                           schema_like_node, max_leaves=16)


@st.composite
def documents(draw: st.DrawFn) -> Any:
    """A random JSON value or schema-like dict, sometimes with a `$schema` naming a draft."""
    document = draw(st.one_of(json_values, schema_like, schema_like))
    if isinstance(document, dict) and draw(st.booleans()):
        document = {**document, "$schema": draw(st.sampled_from(DIALECTS))}
    return document


@st.composite
def edited(draw: st.DrawFn, document: Any) -> Any:
    """The document with one subtree replaced, so that both sides share most of their structure."""
    if not isinstance(document, dict) or not document:
        return draw(documents())
    key = draw(st.sampled_from(sorted(document)))
    replacement = draw(st.one_of(schema_like, json_scalars, st.sampled_from(KEYWORD_VALUES)))
    child = document[key]
    if isinstance(child, dict) and child and draw(st.booleans()):
        replacement = {**child, draw(st.sampled_from(sorted(child))): replacement}
    return {**document, key: replacement}


@st.composite
def document_pairs(draw: st.DrawFn) -> tuple[Any, Any]:
    """Two unrelated documents, or a document and an edit of it."""
    old = draw(documents())
    new = draw(edited(old)) if draw(st.booleans()) else draw(documents())
    return (old, new) if draw(st.booleans()) else (new, old)


# Bytes: random ones, and ones put together from JSON and YAML tokens, which get past the
# parsers far more often than random bytes do.
JSON_TOKENS = [b"{", b"}", b"[", b"]", b'"', b":", b",", b" ", b"\n", b"0", b"-1", b"1.5", b"1e400", b"9" * 5000, b"NaN",
               b"-Infinity", b"true", b"null", b'"type"', b'"string"', b'"$ref"', b'"#"', b'"enum"', b'"properties"',
               b'"a"', b"\\u0000", b'"\\ud800"', b"\xef\xbb\xbf", b"\xff", b"\xc3\xa9"]
YAML_TOKENS = [b"a: ", b"type: ", b"string", b"enum: ", b"properties:\n  ", b"&x ", b"*x ", b"[", b"]", b"{", b"}",
               b"- ", b"\n", b"  ", b"? ", b": ", b"'", b'"', b"!!python/object ", b"!tag ", b"!!binary ", b"!!set ",
               b"!!omap ", b"!!pairs ", b"!!str ", b"!!int ", b"!!float ", b"!!null ",
               b"<<: ", b"1e400", b".nan", b".inf", b"2020-01-01", b"0x1F", b"~", b"---\n", b"'#'", b"99999", b"\x07", b"\t"]
raw_bytes = (st.binary(max_size=80) | st.lists(st.sampled_from(JSON_TOKENS), max_size=24).map(b"".join)
             | st.lists(st.sampled_from(YAML_TOKENS), max_size=24).map(b"".join))

#: A document every fuzzed file is compared with, in both positions.
VALID_JSON = b'{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}'


@contextlib.contextmanager
def network_blocked() -> Iterator[None]:
    """Reject every connection while fuzzing, because remote `$ref`s must never be fetched."""

    def reject_connection(self: socket.socket, address: Any) -> None:
        raise AssertionError(f"schema-diff tried to connect to {address!r}")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", reject_connection)
        patch.setattr(socket.socket, "connect_ex", reject_connection)
        yield


#: Seconds one example may take; a hang is as much a failure as a traceback.
EXAMPLE_TIMEOUT = 10


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail the example, rather than hang the suite, when it runs longer than `seconds` (SIGALRM)."""

    def expire(signum: int, frame: Any) -> None:
        raise AssertionError(f"the example still ran after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def fuzz_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An empty working folder for the module, so no project file or version store is found, and no network."""
    folder = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as patch, network_blocked():
        patch.chdir(folder)
        patch.setenv("SCHEMA_DIFF_CACHE", str(folder / "cache"))
        yield folder


def fuzz_settings(examples: int, derandomize: bool = True) -> settings:
    """Settings for one fuzz test; the default run draws the same examples every time, so CI is repeatable."""
    return settings(max_examples=examples, deadline=None, database=None, derandomize=derandomize,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


# Below the command line ------------------------------------------------------------------------

def compare_documents(old: Any, new: Any) -> None:
    """Load, compare, find witnesses and write every report format; only SchemaDiffError may escape."""
    try:
        old_set = checker.load_mapping("old", {"s.json": old})
        new_set = checker.load_mapping("new", {"s.json": new})
        report = checker.compare(old_set, new_set)
    except checker.SchemaDiffError:
        return
    report = attach_witnesses(report, old_set, new_set)
    for name in ("text", "json"):
        write_report(name, report, io.StringIO())


def check_library(pair: tuple[Any, Any]) -> None:
    with network_blocked(), time_limit(EXAMPLE_TIMEOUT):
        compare_documents(*pair)


# The command line ------------------------------------------------------------------------------

def run_cli(*argv: str | Path) -> tuple[int, str, str]:
    """Run the command line with stdout and stderr that encode strict UTF-8, as a real process's do."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", write_through=True)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), time_limit(EXAMPLE_TIMEOUT):
        code = main([str(arg) for arg in argv])
    return code, _written(out), _written(err)


def _written(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


def assert_clean_exit(code: int, out: str, err: str) -> None:
    assert code in (0, 1, 2), f"exit code {code}, stderr: {err!r}"
    assert "Traceback" not in err, err
    # The command line turns an unexpected exception into this line: a bug, not an input error.
    assert not err.startswith("schema-diff: internal error"), err
    if code == 2:
        assert len(err.splitlines()) == 1, f"expected exactly one line on stderr, got: {err!r}"
        assert err.startswith("schema-diff: error: "), err
        assert out == "", out


def check_cli_bytes(folder: Path, data: bytes, suffix: str, fuzzed_is_new: bool, output_format: str) -> None:
    fuzzed = folder / f"fuzzed{suffix}"
    fuzzed.write_bytes(data)
    valid = folder / f"valid{suffix}"
    valid.write_bytes(VALID_JSON)  # JSON is YAML too.
    old, new = (valid, fuzzed) if fuzzed_is_new else (fuzzed, valid)

    assert_clean_exit(*run_cli("--format", output_format, old, new))


def check_cli_documents(folder: Path, pair: tuple[Any, Any], suffix: str, output_format: str) -> None:
    # Folders, so that a document that is not an object still goes through the folder reader.
    for side, document in zip(("old", "new"), pair, strict=True):
        (folder / side).mkdir(exist_ok=True)
        (folder / side / f"s{suffix}").write_text(json.dumps(document), encoding="utf-8")

    assert_clean_exit(*run_cli("--format", output_format, folder / "old", folder / "new"))


# The budgets -----------------------------------------------------------------------------------

#: Examples per test in the default run (about 20 s in all), and in the run with `-m slow`,
#: which draws new examples each time. Drawing a pair of random documents alone takes
#: hypothesis several milliseconds, so 10,000 examples do not fit in the default run.
NORMAL = {"library": 900, "library_edits": 900, "cli_bytes": 600, "cli_documents": 300}
SLOW = {"library": 4000, "library_edits": 3500, "cli_bytes": 2000, "cli_documents": 1000}
NORMAL_EXAMPLES = sum(NORMAL.values())
SLOW_EXAMPLES = sum(SLOW.values())


@fuzz_settings(NORMAL["library"])
@given(old=documents(), new=documents())
def test_library_random_documents(old: Any, new: Any) -> None:
    check_library((old, new))


@fuzz_settings(NORMAL["library_edits"])
@given(pair=document_pairs())
def test_library_edited_documents(pair: tuple[Any, Any]) -> None:
    check_library(pair)


@fuzz_settings(NORMAL["cli_bytes"])
@given(data=raw_bytes, suffix=st.sampled_from([".json", ".yaml"]), fuzzed_is_new=st.booleans(),
       output_format=st.sampled_from(["text", "json"]))
def test_cli_random_bytes(fuzz_folder: Path, data: bytes, suffix: str, fuzzed_is_new: bool, output_format: str) -> None:
    check_cli_bytes(fuzz_folder, data, suffix, fuzzed_is_new, output_format)


@fuzz_settings(NORMAL["cli_documents"])
@given(pair=document_pairs(), suffix=st.sampled_from([".json", ".yaml"]), output_format=st.sampled_from(sorted(REPORTERS)))
def test_cli_random_documents(fuzz_folder: Path, pair: tuple[Any, Any], suffix: str, output_format: str) -> None:
    check_cli_documents(fuzz_folder, pair, suffix, output_format)


@pytest.mark.slow
@only_when_selected
@fuzz_settings(SLOW["library"], derandomize=False)
@given(old=documents(), new=documents())
def test_library_random_documents_large(old: Any, new: Any) -> None:
    check_library((old, new))


@pytest.mark.slow
@only_when_selected
@fuzz_settings(SLOW["library_edits"], derandomize=False)
@given(pair=document_pairs())
def test_library_edited_documents_large(pair: tuple[Any, Any]) -> None:
    check_library(pair)


@pytest.mark.slow
@only_when_selected
@fuzz_settings(SLOW["cli_bytes"], derandomize=False)
@given(data=raw_bytes, suffix=st.sampled_from([".json", ".yaml"]), fuzzed_is_new=st.booleans(),
       output_format=st.sampled_from(["text", "json"]))
def test_cli_random_bytes_large(fuzz_folder: Path, data: bytes, suffix: str, fuzzed_is_new: bool, output_format: str) -> None:
    check_cli_bytes(fuzz_folder, data, suffix, fuzzed_is_new, output_format)


@pytest.mark.slow
@only_when_selected
@fuzz_settings(SLOW["cli_documents"], derandomize=False)
@given(pair=document_pairs(), suffix=st.sampled_from([".json", ".yaml"]), output_format=st.sampled_from(sorted(REPORTERS)))
def test_cli_random_documents_large(fuzz_folder: Path, pair: tuple[Any, Any], suffix: str, output_format: str) -> None:
    check_cli_documents(fuzz_folder, pair, suffix, output_format)
