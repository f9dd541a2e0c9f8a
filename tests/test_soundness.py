"""Soundness of schema-diff's verdicts, checked on generated schema pairs and their instances.

Each pair is a seed schema (a real one from the corpus of released schemas beside the
repository when present, or a generated one) and a copy with random edits, or with only its keys, enum values,
required names, types and branches shuffled. Instances come from both sides, and
jsonschema's validator for the draft decides which side accepts each. The checks:

- an instance valid under the old schema and rejected by the new one must be explained
  by a reported change that breaks backward, and likewise forward;
- so when every reported change is additive or cosmetic under full mode, no instance may
  tell the two versions apart;
- a reordering alone yields no change at all.

Instances that carry a property the accepting side never declares are left out, since
schema-diff assumes such properties are never sent, and so are instances that several
branches of some `oneOf` match on either side (inside a `not` too), since schema-diff
assumes `oneOf` branches do not overlap. `format` is asserted on both sides
with the draft's format checker, because schema-diff judges it as an assertion. Formats
that jsonschema does not check (the OpenAPI `int32`, `int64`, `double`) accept every
value on both sides.

The default run checks NORMAL_PAIRS pairs. `pytest -m slow` checks SOUNDNESS_PAIRS pairs
(20,000 unless that environment variable is set). Pair i is built by
`make_pair(random.Random(f"{run}:{i}"), corpus)`, with run 0 for the default budget and 1
for the large one, so a counterexample can be rebuilt from the "pair run:i" printed with it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from soundness_instances import InstanceMaker, Side
from soundness_schemas import DRAFT4, DRAFT7, SchemaFactory, apply_edit, canonical, shuffled
from soundness_support import CORPUS, Counterexample, Pair, Tally, check_pair, compare, corpus_schemas, minimise, run_budget, schema_is_valid

import checker
from checker.model import Direction

NORMAL_PAIRS = 550
LARGE_PAIRS = int(os.environ.get("SOUNDNESS_PAIRS", "20000"))
#: Counterexamples shrunk before they are shown, and the seconds each may take.
MINIMISED_SHOWN = 3
SHRINK_SECONDS = 3.0


#: Leaves the large budgets out of a run that did not select them with `-m slow`, as the
#: marker's description promises. The project's pytest options do not deselect them.
only_when_selected = pytest.mark.skipif("'slow' not in config.getoption('markexpr')",
                                        reason="long-running; select it with -m slow")


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, Any]]:
    # Without the corpus the pairs come from generated schemas only.
    return corpus_schemas() if CORPUS.is_dir() else []


def report(tally: Tally, label: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Print the counts in pytest's normal output, and fail with the counterexamples found."""
    with capsys.disabled():
        print(f"\n{tally.summary(label)}")
    if not tally.counterexamples:
        return
    shrunk = [minimise(found, budget_seconds=SHRINK_SECONDS).describe() for found in tally.counterexamples[:MINIMISED_SHOWN]]
    message = f"counterexamples in {tally.failed_pairs} of {tally.pairs} pairs; the first ones, shrunk:\n\n" + "\n\n".join(shrunk)
    others = tally.counterexamples[MINIMISED_SHOWN:]
    if others:
        message += "\n\nand in these pairs:\n" + "\n".join(f"{found.kind}: {found.pair.seed_name}; edits: {'; '.join(found.pair.edits)}"
                                                          for found in others)
    pytest.fail(message, pytrace=False)


# The budgets ------------------------------------------------------------------------------------

def test_generated_pairs_sound(corpus: list[tuple[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    tally = run_budget(NORMAL_PAIRS, seed=0, corpus=corpus)

    report(tally, "normal budget", capsys)


@pytest.mark.slow
@only_when_selected
def test_generated_pairs_sound_large(corpus: list[tuple[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    tally = run_budget(LARGE_PAIRS, seed=1, corpus=corpus)

    report(tally, "large budget", capsys)


HYPOTHESIS_SETTINGS = settings(max_examples=150, deadline=None, database=None,
                               suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])


@pytest.mark.slow
@only_when_selected
@HYPOTHESIS_SETTINGS
@given(seed=st.integers(0, 2**32), data=st.data())
def test_hypothesis_instances_sound(seed: int, data: st.DataObject) -> None:
    # hypothesis-jsonschema draws valid instances of drafts 4, 6 and 7 only, so these pairs
    # are generated in drafts 4 and 7. Each side's draws join the other candidate instances.
    rng = random.Random(seed)
    dialect = rng.choice([DRAFT7, DRAFT4])
    old = SchemaFactory(rng, dialect).document()
    edited = apply_edit(old, rng, dialect)
    if edited is None:
        return
    new, described, pointer = edited
    # The edits aim to keep schemas valid; hypothesis-jsonschema cannot draw from one that slipped through.
    assume(schema_is_valid(old) and schema_is_valid(new))
    pair = Pair(old, new, [f"{described} at {pointer or '/'}"], (pointer,), seed_name=f"generated {dialect.name} (seed {seed})")
    extra = [data.draw(from_schema(schema)) for schema in (old, new) for _ in range(3)]

    outcome = check_pair(pair, rng, extra_instances=extra)

    assert not outcome.counterexamples, outcome.counterexamples[0].describe()


# The checker itself ----------------------------------------------------------------------------
# These show that the checks can fail: with a verdict removed, or an instance that the
# documented assumption does not cover, a counterexample must come out.

ENUM_REMOVED = Pair({"type": "object", "properties": {"status": {"enum": ["on", "off"]}}},
                    {"type": "object", "properties": {"status": {"enum": ["on"]}}},
                    ["enum value \"off\" removed"], ("/properties/status",))


def test_check_finds_hidden_break() -> None:
    # The engine reports enum-value-removed. A report without it leaves {"status": "off"} unexplained.
    def without_changes(old: Any, new: Any) -> checker.Report:
        return dataclasses.replace(compare(old, new), changes=())

    outcome = check_pair(ENUM_REMOVED, random.Random(0), compare_versions=without_changes)

    instances = [found.instance for found in outcome.counterexamples]
    assert {"status": "off"} in instances
    assert all(found.kind == "backward-unexplained" for found in outcome.counterexamples)


def test_check_accepts_explained_break() -> None:
    outcome = check_pair(ENUM_REMOVED, random.Random(0))

    assert outcome.disagreements > 0
    assert outcome.counterexamples == []


def test_check_flags_reordering_change() -> None:
    pair = dataclasses.replace(ENUM_REMOVED, edits=["reordered"], reorder_only=True)

    outcome = check_pair(pair, random.Random(0))

    assert [found.kind for found in outcome.counterexamples][:1] == ["reordering-changed"]


def test_check_flags_contradicted_addition() -> None:
    # Adding a property to a closed object breaks forward. A report that calls it additive
    # (breaking nothing) is contradicted by {"note": "abc"}, whose "note" the new version declares.
    pair = Pair({"type": "object", "additionalProperties": False},
                {"type": "object", "additionalProperties": False, "properties": {"note": {"type": "string"}}},
                ["property \"note\" added"], ("",))

    def as_additive(old: Any, new: Any) -> checker.Report:
        report = compare(old, new)
        changes = tuple(dataclasses.replace(change, breaks=frozenset(), severity=checker.Severity.ADDITIVE) for change in report.changes)
        return dataclasses.replace(report, changes=changes)

    outcome = check_pair(pair, random.Random(0), compare_versions=as_additive)

    assert "harmless-contradicted" in {found.kind for found in outcome.counterexamples}


@pytest.mark.parametrize(("schema", "instance", "undeclared"), [
    # "b" is in no `properties`: undeclared.
    ({"type": "object", "properties": {"a": {}}}, {"a": 1, "b": 2}, ["/b"]),
    # A name listed in `required` is sent by every valid instance, so it counts as declared.
    ({"type": "object", "required": ["b"]}, {"b": 2}, []),
    # "size" is declared only by the branch the instance does not match.
    ({"oneOf": [{"properties": {"kind": {"const": "a"}, "size": {}}, "required": ["kind"]},
                {"properties": {"kind": {"const": "b"}}, "required": ["kind"]}]}, {"kind": "b", "size": 1}, ["/size"]),
    # An `allOf` member declares names for the whole object.
    ({"allOf": [{"properties": {"a": {}}}, {"properties": {"b": {}}}]}, {"a": 1, "b": 2}, []),
    # An `additionalProperties` schema that asserts something describes every other name (a map).
    ({"type": "object", "additionalProperties": {"type": "string"}}, {"x": "y"}, []),
    # `additionalProperties: {}` asserts nothing: as open as no keyword at all.
    ({"type": "object", "additionalProperties": {}}, {"x": "y"}, ["/x"]),
    # Nested objects are checked at their own level, through `$ref` too.
    ({"$defs": {"Inner": {"properties": {"c": {}}}}, "properties": {"inner": {"$ref": "#/$defs/Inner"}}},
     {"inner": {"c": 1, "d": 2}}, ["/inner/d"]),
    # Items of an array take their declarations from `items`.
    ({"type": "array", "items": {"properties": {"a~b": {}}}}, [{"a~b": 1, "a/b": 2}], ["/0/a~1b"]),
])
def test_undeclared_properties(schema: dict[str, Any], instance: Any, undeclared: list[str]) -> None:
    assert Side(schema).undeclared(instance) == undeclared


def instances_of(schema: dict[str, Any]) -> list[Any]:
    return InstanceMaker(Side(schema), random.Random(0), ("",)).instances()


def test_instances_reach_bounds() -> None:
    instances = instances_of({"type": "integer", "minimum": 3, "exclusiveMaximum": 10})

    # Each bound, one step inside and one step outside it.
    for value in (2, 3, 4, 9, 10, 11):
        assert value in instances


def test_instances_list_enum_values() -> None:
    instances = instances_of({"enum": ["a", "b", 3, None]})

    for value in ("a", "b", 3, None):
        assert value in instances
    # A near miss of a listed value.
    assert "ax" in instances


def test_instances_vary_required_names() -> None:
    schema = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "note": {"type": "string"}},
              "additionalProperties": False}

    instances = instances_of(schema)

    assert instances[0] == {"id": "abc"}
    assert {} in instances
    assert {"id": "abc", "note": "abc", "zzExtra": "x"} in instances
    assert {"id": None, "note": "abc"} in instances


def test_instances_cover_each_branch() -> None:
    schema = {"oneOf": [{"type": "object", "required": ["type"], "properties": {"type": {"const": "cat"}}},
                        {"type": "object", "required": ["type", "size"], "properties": {"type": {"const": "dog"}, "size": {"type": "integer"}}}]}

    instances = instances_of(schema)

    assert {"type": "cat"} in instances
    assert {"type": "dog", "size": 0} in instances
    assert {"type": "dog"} in instances


def test_shuffled_keeps_content() -> None:
    schema = {"type": "object", "required": ["a", "b", "c"], "properties": {"a": {"enum": [1, 2, 3]}, "b": {}, "c": {}},
              "oneOf": [{"required": ["a"]}, {"required": ["b"]}]}

    reordered = shuffled(schema, random.Random(3))

    assert canonical(sorted(reordered["required"])) == canonical(["a", "b", "c"])
    assert sorted(reordered["properties"]["a"]["enum"]) == [1, 2, 3]
    assert sorted(map(json.dumps, reordered["oneOf"])) == sorted(map(json.dumps, schema["oneOf"]))


def test_counterexample_names_instance() -> None:
    found = Counterexample("backward-unexplained", ENUM_REMOVED, {"status": "off"}, (), "valid under old, rejected by new")

    text = found.describe()

    assert '"status": "off"' in text
    assert Direction.BACKWARD.value in found.kind
