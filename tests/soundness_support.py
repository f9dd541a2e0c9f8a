"""Generated schema pairs and instances for the soundness checks in test_soundness.py.

A pair is a seed schema (a real one from the corpus or a generated one) and a copy of it
with a few random edits, or with its keys and unordered lists shuffled. Instances come
from both sides: for every subschema, values near each bound, every enum value, each
branch, objects with a required name missing or an undeclared name added, null and one
value of each JSON type. jsonschema's validator for the schema's draft decides which side
accepts each instance, with the draft's format checker on both sides, because schema-diff
judges `format` as an assertion.

An instance that one side accepts and the other rejects must be explained by a reported
change that breaks that direction, unless it carries a property that the accepting side
never declared: schema-diff assumes such properties are never sent.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema.exceptions
import referencing.exceptions
from jsonschema.validators import validator_for
from soundness_instances import InstanceMaker, Side
from soundness_schemas import DRAFT4, DRAFT7, DRAFT202012, SchemaFactory, apply_edit, canonical, locations, resolve_local_ref, shuffled

import checker
from checker.documents import DocumentSet
from checker.loading import load_document
from checker.model import Change, Direction, Severity

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "alien"


# Pairs ----------------------------------------------------------------------------------------

@dataclasses.dataclass
class Pair:
    """Two versions of one schema, how the new one was made, and where the edits are."""

    old: Any
    new: Any
    edits: list[str]
    focus: tuple[str, ...]
    reorder_only: bool = False
    seed_name: str = ""


def corpus_schemas() -> list[tuple[str, Any]]:
    """Read every distinct schema in the corpus, smallest first (an empty list without the corpus)."""
    found: dict[str, tuple[str, Any]] = {}
    for file in sorted(CORPUS.glob("*/schemas/*.json")):
        text = file.read_text(encoding="utf-8")
        found.setdefault(text, (f"{file.parent.parent.name}/{file.name}", json.loads(text)))
    return sorted(found.values(), key=lambda item: len(json.dumps(item[1])))


def make_pair(rng: random.Random, corpus: list[tuple[str, Any]], reorder_share: float = 0.15) -> Pair:
    """Build one pair from a random seed: shuffled only, or edited one to three times."""
    if corpus and rng.random() < 0.3:
        # Smaller real schemas are picked more often: they are faster to cover well.
        name, seed = corpus[int(len(corpus) * rng.random() ** 2)]
        dialect = DRAFT202012
    else:
        dialect = rng.choice([DRAFT202012] * 6 + [DRAFT7] * 3 + [DRAFT4])
        name, seed = f"generated {dialect.name}", SchemaFactory(rng, dialect).document()
    if rng.random() < reorder_share:
        return Pair(seed, shuffled(seed, rng), ["reordered"], (), reorder_only=True, seed_name=name)
    new, edits, focus = seed, [], []
    for _ in range(rng.choice([1, 1, 1, 1, 1, 2, 2, 3])):
        edited = apply_edit(new, rng, dialect)
        if edited is None:
            continue
        new, described, pointer = edited
        edits.append(f"{described} at {pointer or '/'}")
        focus.append(pointer)
    old = seed
    if rng.random() < 0.5:
        # The reverse edit (a removal for an addition) is as likely as the edit itself.
        old, new = new, old
    return Pair(shuffled(old, rng, branches=False), shuffled(new, rng, branches=False), edits, tuple(focus), seed_name=name)


def document_set(source: str, schema: Any, indent: int | None) -> DocumentSet:
    """Build a one-document version from bytes that keep the key order (unlike `load_mapping`)."""
    document = load_document("schema.json", json.dumps(schema, indent=indent).encode("utf-8"), shown_as=f"{source}/schema.json")
    return DocumentSet(source, {document.path: document})


def compare(old: Any, new: Any) -> checker.Report:
    # Different indents make the bytes differ, so that the engine walks even a pure reordering.
    return checker.compare(document_set("old", old, None), document_set("new", new, 1))


# Checking -------------------------------------------------------------------------------------

@dataclasses.dataclass
class Counterexample:
    """A verdict the instances contradict."""

    kind: str
    pair: Pair
    instance: Any = None
    changes: tuple[Change, ...] = ()
    detail: str = ""

    def describe(self) -> str:
        lines = [
            f"{self.kind}: {self.detail}",
            f"  seed: {self.pair.seed_name}; edits: {'; '.join(self.pair.edits)}",
            f"  old: {json.dumps(self.pair.old, sort_keys=True)}",
            f"  new: {json.dumps(self.pair.new, sort_keys=True)}",
        ]
        if self.kind not in ("engine-error", "reordering-changed"):
            lines.append(f"  instance: {json.dumps(self.instance, sort_keys=True)}")
        lines.append("  changes:" if self.changes else "  changes: none")
        for change in self.changes:
            directions = sorted(direction.value for direction in change.breaks)
            severity = change.severity.value if change.severity else None
            lines.append(f"    {change.rule} breaks={directions} severity={severity} old={change.old_pointer!r} new={change.new_pointer!r}")
        return "\n".join(lines)


@dataclasses.dataclass
class Outcome:
    """What checking one pair found."""

    instances: int = 0
    disagreements: int = 0
    excluded: int = 0
    counterexamples: list[Counterexample] = dataclasses.field(default_factory=list)
    rules: tuple[str, ...] = ()
    invalid: bool = False


def schema_is_valid(schema: Any) -> bool:
    try:
        validator_for(schema).check_schema(schema)
    except jsonschema.exceptions.SchemaError:
        return False
    return True


def references_resolve(schema: Any) -> bool:
    """Whether every `$ref` in the schema leads to a node of the same document."""
    for location in locations(schema):
        ref = location.node.get("$ref") if isinstance(location.node, dict) else None
        if isinstance(ref, str):
            try:
                resolve_local_ref(schema, ref)
            except (ValueError, LookupError, TypeError):
                return False
    return True


def check_pair(pair: Pair, rng: random.Random, compare_versions: Callable[[Any, Any], checker.Report] = compare,
               extra_instances: list[Any] | None = None) -> Outcome:
    """Compare a pair with the engine and test its verdict against instances of both sides (and any extra ones)."""
    try:
        report = compare_versions(pair.old, pair.new)
    except checker.SchemaDiffError as error:
        # The edits aim to keep schemas valid. One that slipped through is skipped, not held against the engine.
        if not (schema_is_valid(pair.old) and schema_is_valid(pair.new) and references_resolve(pair.old) and references_resolve(pair.new)):
            return Outcome(invalid=True)
        return Outcome(counterexamples=[Counterexample("engine-error", pair, detail=f"{type(error).__name__}: {error}")])
    changes = report.changes
    outcome = Outcome(rules=tuple(change.rule for change in changes))
    if pair.reorder_only and changes:
        outcome.counterexamples.append(Counterexample("reordering-changed", pair, changes=changes,
                                                      detail="a reordering produced changes"))
    old_side, new_side = Side(pair.old), Side(pair.new)
    instances = {canonical(instance): instance for instance in extra_instances or []}
    for side in (old_side, new_side):
        for instance in InstanceMaker(side, rng, pair.focus).instances():
            instances.setdefault(canonical(instance), instance)
    broken = {direction for change in changes for direction in change.breaks}
    harmless = all(change.severity in (Severity.ADDITIVE, Severity.COSMETIC) for change in changes)
    for instance in instances.values():
        outcome.instances += 1
        in_old, in_new = old_side.accepts(instance), new_side.accepts(instance)
        if in_old == in_new:
            continue
        outcome.disagreements += 1
        direction, accepting = (Direction.BACKWARD, old_side) if in_old else (Direction.FORWARD, new_side)
        if direction in broken:
            continue
        rejecting = new_side if in_old else old_side
        if accepting.undeclared(instance) or old_side.meets_overlap(instance) or new_side.meets_overlap(instance):
            outcome.excluded += 1
            continue
        kind = "harmless-contradicted" if harmless and changes else f"{direction.value}-unexplained"
        valid_in, rejected_by = ("old", "new") if in_old else ("new", "old")
        detail = f"valid under {valid_in}, rejected by {rejected_by}, and no change breaks {direction.value}"
        outcome.counterexamples.append(Counterexample(kind, pair, instance, changes, detail))
    return outcome


# Minimising -------------------------------------------------------------------------------------

#: Keys the minimiser leaves alone: without its `$schema` a document changes draft.
KEPT_KEYS = frozenset({"$schema"})

#: Errors jsonschema raises on a schema that shrinking made invalid, such as a dangling `$ref`.
INVALID_SCHEMA_ERRORS = (jsonschema.exceptions.SchemaError, jsonschema.exceptions.UnknownType,
                         referencing.exceptions.Unresolvable, re.error, RecursionError)

#: Whether shrunk (old, new, instance) still show the same failure.
FailureTest = Callable[[Any, Any, Any], bool]


def minimise(counterexample: Counterexample, budget_seconds: float = 20.0) -> Counterexample:
    """Shrink a counterexample's schemas and instance while it still fails the same way."""
    still_failing = _failure_test(counterexample)
    if still_failing is None:
        return counterexample
    state = (counterexample.pair.old, counterexample.pair.new, counterexample.instance)
    old, new, instance = _shrink(state, still_failing, time.monotonic() + budget_seconds)
    try:
        changes = compare(old, new).changes
    except checker.SchemaDiffError:
        changes = ()
    pair = dataclasses.replace(counterexample.pair, old=old, new=new)
    return dataclasses.replace(counterexample, pair=pair, instance=instance, changes=changes, detail=counterexample.detail + " (shrunk)")


def _failure_test(counterexample: Counterexample) -> FailureTest | None:
    old, new = counterexample.pair.old, counterexample.pair.new
    if counterexample.kind == "engine-error":
        error_type = _raised(old, new)
        if error_type is None:
            return None
        return lambda old, new, instance: still_raises(old, new, error_type)
    if counterexample.kind == "reordering-changed":
        return None
    direction = Direction.BACKWARD if "valid under old" in counterexample.detail else Direction.FORWARD
    rules = frozenset(change.rule for change in counterexample.changes)
    return lambda old, new, instance: still_fails(old, new, instance, direction, rules)


def _shrink(state: tuple[Any, Any, Any], still_failing: FailureTest, deadline: float) -> tuple[Any, Any, Any]:
    # After a success the next round starts at the same position, since the reductions
    # before it failed a moment ago and most likely fail again.
    start = 0
    while time.monotonic() < deadline:
        candidates = list(_pair_reductions(*state))
        start = min(start, len(candidates))
        order = [*range(start, len(candidates)), *range(start)]
        found = next((index for index in order if time.monotonic() < deadline and still_failing(*candidates[index])), None)
        if found is None:
            return state
        state, start = candidates[found], found
    return state


def still_fails(old: Any, new: Any, instance: Any, direction: Direction, rules: frozenset[str]) -> bool:
    """Whether the instance still shows a `direction` break that no reported change explains.

    The engine must still report the same set of rules, so that shrinking keeps the
    counterexample's cause instead of drifting to another one. The meta-schema check,
    the slowest step, comes last.
    """
    if not (references_resolve(old) and references_resolve(new)):
        return False
    try:
        changes = compare(old, new).changes
    except checker.SchemaDiffError:
        return False
    if frozenset(change.rule for change in changes) != rules or any(direction in change.breaks for change in changes):
        return False
    try:
        old_side, new_side = Side(old), Side(new)
        accepting, rejecting = (old_side, new_side) if direction is Direction.BACKWARD else (new_side, old_side)
        if not accepting.accepts(instance) or rejecting.accepts(instance) or accepting.undeclared(instance) or accepting.meets_overlap(instance) or rejecting.meets_overlap(instance):
            return False
    except INVALID_SCHEMA_ERRORS:
        return False
    return schema_is_valid(old) and schema_is_valid(new)


def still_raises(old: Any, new: Any, error_type: type[Exception]) -> bool:
    """Whether the engine still raises `error_type` on two valid schemas."""
    if not (references_resolve(old) and references_resolve(new)) or _raised(old, new) is not error_type:
        return False
    return schema_is_valid(old) and schema_is_valid(new)


def _raised(old: Any, new: Any) -> type[Exception] | None:
    try:
        compare(old, new)
    except checker.SchemaDiffError as error:
        return type(error)
    return None


def _pair_reductions(old: Any, new: Any, instance: Any) -> Iterator[tuple[Any, Any, Any]]:
    # The same removal on both sides first, since most of a pair is shared.
    for old_smaller, new_smaller in _joint_smaller(old, new):
        yield old_smaller, new_smaller, instance
    for smaller in _smaller(instance, strings=True):
        yield old, new, smaller
    for smaller in _smaller(old):
        yield smaller, new, instance
    for smaller in _smaller(new):
        yield old, smaller, instance


def _smaller(value: Any, strings: bool = False) -> Iterator[Any]:
    """Yield copies of a JSON value with one part removed, or with a string emptied (with `strings`)."""
    if isinstance(value, dict):
        keys = [key for key in value if key not in KEPT_KEYS]
        for key in keys:
            yield {other: member for other, member in value.items() if other != key}
        for key in keys:
            for smaller in _smaller(value[key], strings):
                yield {**value, key: smaller}
    elif isinstance(value, list):
        for position in range(len(value)):
            yield value[:position] + value[position + 1:]
        for position, member in enumerate(value):
            for smaller in _smaller(member, strings):
                yield value[:position] + [smaller] + value[position + 1:]
    elif strings and isinstance(value, str) and value:
        yield ""


def _joint_smaller(old: Any, new: Any) -> Iterator[tuple[Any, Any]]:
    """Yield copies of two JSON values with the same part removed from both."""
    if isinstance(old, dict) and isinstance(new, dict):
        shared = [key for key in old if key in new and key not in KEPT_KEYS]
        if len(shared) >= 4:
            # Halves first: large real schemas shrink in a few steps instead of one key at a time.
            for half in (shared[: len(shared) // 2], shared[len(shared) // 2:]):
                yield ({key: value for key, value in old.items() if key not in half},
                       {key: value for key, value in new.items() if key not in half})
        for key in shared:
            yield ({other: value for other, value in old.items() if other != key},
                   {other: value for other, value in new.items() if other != key})
        for key in shared:
            for old_smaller, new_smaller in _joint_smaller(old[key], new[key]):
                yield {**old, key: old_smaller}, {**new, key: new_smaller}
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for position in range(len(old)):
            yield old[:position] + old[position + 1:], new[:position] + new[position + 1:]
        for position in range(len(old)):
            for old_smaller, new_smaller in _joint_smaller(old[position], new[position]):
                yield old[:position] + [old_smaller] + old[position + 1:], new[:position] + [new_smaller] + new[position + 1:]


# Running a budget ------------------------------------------------------------------------------

@dataclasses.dataclass
class Tally:
    """Counts over a whole run, printed so that a reader sees how much was checked."""

    pairs: int = 0
    reorder_pairs: int = 0
    failed_pairs: int = 0
    instances: int = 0
    disagreements: int = 0
    excluded: int = 0
    invalid_edits: int = 0
    seconds: float = 0.0
    rules: dict[str, int] = dataclasses.field(default_factory=dict)
    counterexamples: list[Counterexample] = dataclasses.field(default_factory=list)

    def summary(self, label: str) -> str:
        return (f"soundness ({label}): {self.pairs} pairs ({self.reorder_pairs} reordering only), "
                f"{self.instances} instances, {self.disagreements} on which the versions disagree "
                f"({self.excluded} of them excluded for undeclared properties or overlapping oneOf branches), {len(self.rules)} rules seen, "
                f"{self.failed_pairs} pairs with counterexamples, {self.invalid_edits} edits skipped as invalid schemas, "
                f"{self.seconds:.1f} s")


def run_budget(pairs: int, seed: int | str, corpus: list[tuple[str, Any]], max_counterexamples: int = 50) -> Tally:
    """Check `pairs` generated pairs; pair i comes from `make_pair(random.Random(f"{seed}:{i}"), corpus)`."""
    tally = Tally()
    started = time.monotonic()
    index = 0
    while tally.pairs < pairs:
        rng = random.Random(f"{seed}:{index}")
        index += 1
        pair = make_pair(rng, corpus)
        outcome = check_pair(pair, rng)
        if outcome.invalid:
            tally.invalid_edits += 1
            continue
        tally.pairs += 1
        tally.reorder_pairs += pair.reorder_only
        tally.instances += outcome.instances
        tally.disagreements += outcome.disagreements
        tally.excluded += outcome.excluded
        for rule in outcome.rules:
            tally.rules[rule] = tally.rules.get(rule, 0) + 1
        if not outcome.counterexamples:
            continue
        tally.failed_pairs += 1
        if len(tally.counterexamples) < max_counterexamples:
            # One counterexample per pair is enough to show the verdict is wrong.
            found = outcome.counterexamples[0]
            named = dataclasses.replace(found.pair, seed_name=f"{found.pair.seed_name} (pair {seed}:{index - 1})")
            tally.counterexamples.append(dataclasses.replace(found, pair=named))
    tally.seconds = time.monotonic() - started
    return tally
