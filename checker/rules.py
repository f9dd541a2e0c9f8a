"""The rule catalogue: every rule id, the directions it breaks and why, in one table.

Judges create changes by rule id. The catalogue is the only place that defines which
directions a rule breaks, so the verdicts, `schema-diff rules` and docs/rules.md agree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from checker.model import Change, Direction, Impact, Mode, Severity

BACKWARD = frozenset({Direction.BACKWARD})
FORWARD = frozenset({Direction.FORWARD})
BOTH = frozenset(Direction)
NONE: frozenset[Direction] = frozenset()


@dataclasses.dataclass(frozen=True)
class Rule:
    """One kind of change: a stable id, the directions it breaks, and the reason."""

    id: str
    breaks: frozenset[Direction]
    impact: Impact
    reason: str
    #: Directions broken instead of `breaks` in the stricter case `variant` names.
    closed_breaks: frozenset[Direction] | None = None
    #: When `closed_breaks` applies, in words.
    variant: str = "in a closed object"


def _rule(id: str, breaks: frozenset[Direction], impact: Impact, reason: str,
          closed_breaks: frozenset[Direction] | None = None, variant: str = "in a closed object") -> Rule:
    return Rule(id, breaks, impact, reason, closed_breaks, variant)


V, M, P, A, C = Impact.VALIDATION, Impact.MEANING, Impact.POTENTIAL, Impact.ADDITION, Impact.COSMETIC

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        # Documents.
        _rule("schema-added", NONE, A, "A new document validates nothing that existed before."),
        _rule("schema-removed", BOTH, V, "Producers and consumers that use the document can no longer validate against it."),
        # Values.
        _rule("enum-value-added", FORWARD, V, "Old readers reject the new value."),
        _rule("enum-value-removed", BACKWARD, V, "Old data may carry the removed value."),
        _rule("enum-constraint-added", BACKWARD, V, "Old data may hold values outside the new list."),
        _rule("enum-constraint-removed", FORWARD, V, "Old readers still accept only the listed values."),
        _rule("const-changed", BOTH, M, "Each side accepts only its own value, and the value means something else."),
        _rule("const-added", BACKWARD, V, "Old data may hold any other value."),
        _rule("const-removed", FORWARD, V, "Old readers still accept only the one value."),
        _rule("type-widened", FORWARD, V, "Old readers reject the new kind of value (this includes becoming nullable)."),
        _rule("type-narrowed", BACKWARD, V, "Old data of the dropped kind is rejected (this includes no longer accepting null)."),
        _rule("type-changed", BOTH, V, "Each side rejects a kind of value the other accepts."),
        # Objects.
        _rule("required-added", BACKWARD, V, "Old data may lack the newly required name."),
        _rule("required-removed", FORWARD, V, "Old readers still require the name that new data may omit."),
        _rule("property-added", NONE, A, "In an open object properties nobody declared are assumed never sent, so no old data has it; "
              "a closed object (`additionalProperties: false`) rejects it in old readers. Where another schema applying to the same value "
              "already listed the name, the new property schema is judged against that schema's, and only a new constraint breaks (backward).", closed_breaks=FORWARD),
        _rule("property-removed", NONE, P, "In an open object data stays valid either way, but readers lose a field they may rely on; "
              "a closed object rejects old data that has it. Where another schema applying to the same value still lists the name, "
              "the old property schema is judged against that schema's, and only a dropped constraint breaks (forward).", closed_breaks=BACKWARD),
        _rule("additional-properties-closed", BACKWARD, V, "Old data carrying properties the schema never declared is now rejected."),
        _rule("additional-properties-opened", NONE, A, "Properties nobody declared are assumed never sent, so allowing them breaks no reader; "
              "old readers do reject names that are sent: entries a schema describes (a map's), properties of an object that listed none, "
              "names the schema requires without listing them, and names other schemas applying to the same value list "
              "(an `allOf` sibling, the schema holding a `oneOf`).", closed_breaks=FORWARD,
              variant="when a schema describes the entries"),
        _rule("dependent-required-added", BACKWARD, V, "Old data may have the property without the name it now depends on."),
        _rule("dependent-required-removed", FORWARD, V, "Old readers still require the dependent name."),
        # Arrays.
        _rule("additional-items-closed", BACKWARD, V, "Old data with items past the listed ones is now rejected."),
        _rule("additional-items-opened", FORWARD, V, "Old readers reject items past the listed ones."),
        _rule("contains-added", BACKWARD, V, "Old arrays may have no matching item."),
        _rule("contains-removed", FORWARD, V, "Old readers still require a matching item."),
        # Bounds, patterns and formats.
        _rule("bound-tightened", BACKWARD, V, "Old data between the old and the new bound is rejected."),
        _rule("bound-loosened", FORWARD, V, "Old readers reject data between the new and the old bound."),
        _rule("bound-changed", BOTH, V, "Each side accepts numbers the other rejects."),
        _rule("pattern-added", BACKWARD, V, "Old strings need not match the new pattern."),
        _rule("pattern-removed", FORWARD, V, "Old readers still require the pattern."),
        _rule("pattern-changed", BOTH, V, "Regular expressions cannot be compared in general, so either side may reject what the other accepts."),
        _rule("format-added", BACKWARD, V, "Old strings need not follow the new format."),
        _rule("format-removed", FORWARD, V, "Old readers still expect the format."),
        _rule("format-changed", BOTH, V, "Each format accepts strings the other rejects."),
        # Subschemas.
        _rule("subschema-forbidden", BACKWARD, V, "The place accepted values before and now rejects all of them."),
        _rule("subschema-allowed", FORWARD, V, "The place rejected every value before, so old readers reject what is now allowed."),
        _rule("not-added", BACKWARD, V, "Old data that matches the new `not` schema is rejected."),
        _rule("not-removed", FORWARD, V, "Old readers still reject data that matches the removed `not` schema."),
        _rule("condition-changed", BOTH, V, "The `if` schema decides which branch applies, so changing it moves data between `then` and `else`. "
              "A condition added or removed whole is judged by its `then` and `else` instead."),
        # Composition.
        _rule("variant-added", FORWARD, V, "Old readers reject data of the new variant."),
        _rule("variant-removed", BACKWARD, V, "Old data of the removed variant is rejected."),
        _rule("all-of-member-added", BACKWARD, V, "Every `allOf` member must hold, so a new member rejects old data it does not match."),
        _rule("all-of-member-removed", FORWARD, V, "Old readers still apply the removed member."),
        _rule("composition-added", BACKWARD, V, "A new `oneOf`/`anyOf`/`allOf` beside other keywords rejects old data that matches none of it."),
        _rule("composition-removed", FORWARD, V, "Old readers still apply the removed `oneOf`/`anyOf`/`allOf`."),
        _rule("one-of-relaxed-to-any-of", FORWARD, V, "Data matching several variants is now valid and old readers reject it."),
        _rule("any-of-tightened-to-one-of", BACKWARD, V, "Old data matching several variants is now rejected."),
        # References.
        _rule("remote-ref-changed", NONE, P, "The reference points outside the compared sources and is never fetched, so the change cannot be judged."),
        _rule("definition-added", NONE, A, "A new definition changes nothing until something refers to it."),
        _rule("definition-removed", NONE, P, "No schema in the set uses it any more, but schemas outside the set may."),
        _rule("definition-renamed", NONE, C, "The content is the same under a new name, so validation does not change."),
        # OpenAPI operations.
        _rule("path-added", NONE, A, "A new path serves new requests and changes nothing for old clients."),
        _rule("path-removed", BACKWARD, V, "Old clients still call the path and their requests now fail."),
        _rule("operation-added", NONE, A, "A new operation changes nothing for old clients."),
        _rule("operation-removed", BACKWARD, V, "Old clients still call the operation and their requests now fail."),
        _rule("parameter-added", NONE, A, "An optional parameter may be left out, so old requests stay valid; "
              "a required one is missing from every old request.", closed_breaks=BACKWARD, variant="for a required parameter"),
        _rule("parameter-removed", NONE, P, "Old clients still send the parameter, which the server now ignores or rejects."),
        _rule("parameter-became-required", BACKWARD, V, "Old requests may leave the parameter out."),
        _rule("parameter-became-optional", NONE, A, "Every old request still carries a value the server accepts."),
        _rule("parameter-moved", BACKWARD, V, "Old clients send the parameter where the server no longer reads it."),
        _rule("request-body-became-required", BACKWARD, V, "Old requests may have no body."),
        _rule("request-body-became-optional", NONE, A, "Old requests with a body stay valid."),
        _rule("request-media-type-added", NONE, A, "The server accepts a new kind of body; old requests are unaffected."),
        _rule("request-media-type-removed", BACKWARD, V, "Old clients still send bodies of the removed media type."),
        _rule("response-media-type-added", FORWARD, V, "Old clients may receive a body of a media type they cannot read."),
        _rule("response-media-type-removed", NONE, P, "Old clients that asked for the media type no longer get it."),
        _rule("response-status-added", FORWARD, V, "Old clients do not expect the new status code."),
        _rule("response-status-removed", NONE, P, "Old clients keep handling a status code that no longer comes."),
        _rule("operation-id-changed", NONE, P, "Generated clients name their methods after the operation id."),
        _rule("component-added", NONE, A, "A new component changes nothing until an operation uses it."),
        _rule("component-removed", NONE, P, "No operation in the document uses it any more, but generated clients lose the type."),
        # Meaning.
        _rule("default-changed", BOTH, M, "Same valid values, but an omitted value now means something else."),
        _rule("default-added", NONE, P, "An omitted value now has a stated meaning that readers may apply."),
        _rule("default-removed", NONE, P, "Readers that filled in the default for omitted values lose it."),
        _rule("read-only-changed", NONE, P, "Decides whether the property belongs in requests, which changes what clients may send."),
        _rule("write-only-changed", NONE, P, "Decides whether the property belongs in responses, which changes what clients receive."),
        _rule("draft-changed", NONE, P, "The same keywords can validate differently under another draft."),
        _rule("id-changed", NONE, P, "References from outside the set that use the old identifier no longer resolve."),
        _rule("unjudged-keyword-changed", NONE, P, "schema-diff cannot judge this keyword, so the change needs a person to review it."),
        # Annotations.
        _rule("deprecated-changed", NONE, C, "Deprecation is an annotation and does not change validation."),
        _rule("title-changed", NONE, C, "Titles do not affect validation."),
        _rule("description-changed", NONE, C, "Descriptions do not affect validation."),
        _rule("examples-changed", NONE, C, "Examples do not affect validation."),
        _rule("comment-changed", NONE, C, "`$comment` does not affect validation."),
        _rule("extension-changed", NONE, C, "`x-` extensions do not affect validation."),
        _rule("annotation-changed", NONE, C, "Annotations such as `contentMediaType` do not affect validation in this draft."),
    ]
}


def rule(id: str) -> Rule:
    """Look up a rule by id; an unknown id is a programming error."""
    return RULES[id]


#: The mode each side of an OpenAPI operation implies. The server reads requests that old
#: clients send, so they must stay backward compatible; old clients read the responses,
#: so they must stay forward compatible; a schema used on both sides must stay both.
SIDE_MODES = {"request": Mode.BACKWARD, "response": Mode.FORWARD, "both": Mode.FULL}


def classify(change: Change, mode: Mode) -> Severity:
    """Decide a change's severity under a mode (or the mode its OpenAPI side implies).

    A change that breaks a protected direction is breaking. Otherwise the rule's impact
    decides: a changed meaning is breaking anyway; a change that breaks only the
    unprotected direction is additive when it widens (it accepts more) and potentially
    breaking when it narrows (readers on the new version meet old data they now reject).
    """
    impact = RULES[change.rule].impact
    mode = SIDE_MODES.get(change.side or "", mode)
    if change.breaks & mode.protected or impact is Impact.MEANING:
        return Severity.BREAKING
    if impact is Impact.COSMETIC:
        return Severity.COSMETIC
    if change.breaks == FORWARD:
        return Severity.ADDITIVE
    if change.breaks:
        return Severity.POTENTIALLY_BREAKING
    if impact is Impact.POTENTIAL:
        return Severity.POTENTIALLY_BREAKING
    return Severity.ADDITIVE


def classify_all(changes: list[Change], mode: Mode,
                 mode_for: Callable[[str, Mode], Mode] | None = None) -> tuple[Change, ...]:
    """Classify every change (under its document's mode, if `mode_for` is given) and put them in report order."""
    classified = [
        dataclasses.replace(change, severity=classify(change, mode_for(change.schema, mode) if mode_for else mode))
        for change in changes
    ]
    return tuple(sorted(classified, key=lambda change: change.sort_key))
