"""Judges: each compares one keyword (or a family of keywords) of two subschema views.

A judge reads both views, never recurses into subschemas (the walker does that), and
yields changes through the `Pair` it is given. The table `JUDGES` at the bottom is the
one place that lists them.
"""

from __future__ import annotations

import fractions
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from checker.jsonvalues import kind_of, same, show, value_key
from checker.model import Change
from checker.views import JSON_KINDS, View

if TYPE_CHECKING:
    from checker.walker import Pair

Judge = Callable[[View, View, "Pair"], Iterator[Change]]


# Types, enums and const --------------------------------------------------------------

def declared_kinds(view: View) -> frozenset[str]:
    """Return the JSON kinds `type` (plus nullability) admits, every kind when `type` is absent."""
    written = view.keywords.get("type")
    if written is None:
        kinds = set(JSON_KINDS)
    elif isinstance(written, str):
        kinds = {written}
    else:
        kinds = {kind for kind in written if isinstance(kind, str)}
    if view.null_branch:
        kinds.add("null")
    if "number" in kinds:
        # Every integer is a number, so `integer` beside `number` adds nothing.
        kinds.add("integer")
    return frozenset(kinds)


def allowed_values(view: View) -> dict[Any, Any] | None:
    """Return the values an `enum` or `const` admits once filtered by `type`, keyed for set comparison."""
    if "const" in view.keywords:
        listed = [view.keywords["const"]]
        if isinstance(view.keywords.get("enum"), list):
            # Both must hold: the constant counts only if the enum lists it too.
            listed = [value for value in listed if value_key(value) in {value_key(item) for item in view.keywords["enum"]}]
    elif isinstance(view.keywords.get("enum"), list):
        listed = view.keywords["enum"]
    else:
        return None
    kinds = declared_kinds(view)
    if view.null_branch:
        listed = [*listed, None]
    return {value_key(value): value for value in listed if kind_of(value) in kinds or kind_of(value) == "integer" and "number" in kinds}


def judge_values(old: View, new: View, pair: Pair) -> Iterator[Change]:
    """Judge `type`, `enum`, `const` and nullability together, since each can stand for another."""
    if "const" in old.keywords and "const" in new.keywords and not same(old.keywords["const"], new.keywords["const"]):
        yield pair.change("const-changed", old.holder("const"), new.holder("const"), keyword="const",
                          old_value=old.keywords["const"], new_value=new.keywords["const"],
                          message=f"const changed from {show(old.keywords['const'])} to {show(new.keywords['const'])}; every value means something else")
        return

    old_values, new_values = allowed_values(old), allowed_values(new)
    if old_values is not None and new_values is not None:
        yield from _judge_enum_values(old, new, old_values, new_values, pair)
        return
    if old_values is None and new_values is not None:
        keyword = "const" if "const" in new.keywords else "enum"
        rule = "const-added" if keyword == "const" else "enum-constraint-added"
        yield pair.change(rule, old.pointer, new.holder(keyword), keyword=keyword, new_value=list(new_values.values()),
                          message=f"now accepts only {_list(new_values.values())}; old data may hold other values")
    if old_values is not None and new_values is None:
        keyword = "const" if "const" in old.keywords else "enum"
        rule = "const-removed" if keyword == "const" else "enum-constraint-removed"
        yield pair.change(rule, old.holder(keyword), new.pointer, keyword=keyword, old_value=list(old_values.values()),
                          message=f"no longer limited to {_list(old_values.values())}; old readers reject other values")
    yield from _judge_kinds(old, new, pair)


def _judge_enum_values(old: View, new: View, old_values: dict[Any, Any], new_values: dict[Any, Any], pair: Pair) -> Iterator[Change]:
    old_keyword = "const" if "const" in old.keywords else "enum"
    new_keyword = "const" if "const" in new.keywords else "enum"
    null = ("literal", None)
    for key in sorted(new_values.keys() - old_values.keys(), key=repr):
        if key == null:
            yield _nullability(old, new, pair, widened=True)
            continue
        value = new_values[key]
        yield pair.change("enum-value-added", old.holder(old_keyword), new.holder(new_keyword), keyword=new_keyword,
                          new_value=value, message=f"accepts a new value {show(value)}; old readers reject it")
    for key in sorted(old_values.keys() - new_values.keys(), key=repr):
        if key == null:
            yield _nullability(old, new, pair, widened=False)
            continue
        value = old_values[key]
        yield pair.change("enum-value-removed", old.holder(old_keyword), new.holder(new_keyword), keyword=old_keyword,
                          old_value=value, message=f"no longer accepts {show(value)}; old data may carry it")


def _nullability(old: View, new: View, pair: Pair, widened: bool) -> Change:
    if widened:
        return pair.change("type-widened", old.pointer, new.pointer, keyword="type", new_value=["null"],
                           message="now accepts null; old readers reject it")
    return pair.change("type-narrowed", old.pointer, new.pointer, keyword="type", old_value=["null"],
                       message="no longer accepts null; old data may hold it")


def _judge_kinds(old: View, new: View, pair: Pair) -> Iterator[Change]:
    old_kinds, new_kinds = declared_kinds(old), declared_kinds(new)
    if old_kinds == new_kinds and old.null_branch != new.null_branch and not ("type" in old.keywords and "type" in new.keywords):
        # Without `type` on both sides the kinds say nothing about null; the null branch of a union does.
        yield _nullability(old, new, pair, widened=new.null_branch)
        return
    if old_kinds == new_kinds:
        return
    added, removed = sorted(new_kinds - old_kinds), sorted(old_kinds - new_kinds)
    # `integer` is listed separately only where `number` does not already cover it.
    added = [kind for kind in added if not (kind == "integer" and "number" in added)]
    removed = [kind for kind in removed if not (kind == "integer" and "number" in removed)]
    if added == ["null"] and not removed:
        yield _nullability(old, new, pair, widened=True)
        return
    if removed == ["null"] and not added:
        yield _nullability(old, new, pair, widened=False)
        return
    if added and removed:
        rule = "type-changed"
    elif added:
        rule = "type-widened"
    else:
        rule = "type-narrowed"
    old_shown, new_shown = _kinds_shown(old_kinds), _kinds_shown(new_kinds)
    message = {
        "type-widened": f"type widened from {old_shown} to {new_shown}; old readers reject {_list(added)}",
        "type-narrowed": f"type narrowed from {old_shown} to {new_shown}; old data may be {_list(removed)}",
        "type-changed": f"type changed from {old_shown} to {new_shown}",
    }[rule]
    yield pair.change(rule, old.holder("type"), new.holder("type"), keyword="type",
                      old_value=sorted(_shown_kinds(old_kinds)), new_value=sorted(_shown_kinds(new_kinds)), message=message)


def _shown_kinds(kinds: frozenset[str]) -> set[str]:
    if kinds == JSON_KINDS:
        return {"any"}
    return {kind for kind in kinds if not (kind == "integer" and "number" in kinds)}


def _kinds_shown(kinds: frozenset[str]) -> str:
    return " | ".join(sorted(_shown_kinds(kinds)))


def _list(values: Any) -> str:
    return ", ".join(show(value) if not isinstance(value, str) or value.startswith('"') else value for value in values)


# Required names -------------------------------------------------------------------

def _names(view: View, keyword: str) -> list[str]:
    value = view.keywords.get(keyword)
    return [name for name in value if isinstance(name, str)] if isinstance(value, list) else []


def judge_required(old: View, new: View, pair: Pair) -> Iterator[Change]:
    """Judge `required` as a set of names: one change per name added or removed."""
    old_names, new_names = set(_names(old, "required")), set(_names(new, "required"))
    for name in sorted(new_names - old_names):
        yield pair.change("required-added", old.holder("required"), new.holder("required"), keyword="required",
                          new_value=name, message=f"property {show(name)} is now required; old data may lack it")
    for name in sorted(old_names - new_names):
        yield pair.change("required-removed", old.holder("required"), new.holder("required"), keyword="required",
                          old_value=name, message=f"property {show(name)} is no longer required; old readers still expect it")


def judge_dependent_required(old: View, new: View, pair: Pair) -> Iterator[Change]:
    """Judge `dependentRequired` (and the array form of `dependencies`) name by name."""
    old_pairs, new_pairs = _dependent_names(old, new), _dependent_names(new, old)
    for trigger, name in sorted(new_pairs - old_pairs):
        yield pair.change("dependent-required-added", old.pointer, new.pointer, keyword="dependentRequired",
                          new_value=[trigger, name], message=f"property {show(trigger)} now requires {show(name)}")
    for trigger, name in sorted(old_pairs - new_pairs):
        yield pair.change("dependent-required-removed", old.pointer, new.pointer, keyword="dependentRequired",
                          old_value=[trigger, name], message=f"property {show(trigger)} no longer requires {show(name)}")


def dependency_lists(view: View, other: View) -> dict[str, list[Any]]:
    """Draft 7 `dependencies` written as name lists on this side and not as a schema on the other.

    An entry written as a list on one side and as a schema on the other is compared by the
    walker as two schemas, since a list of names says the same as a schema requiring them.
    """
    mine, theirs = view.keywords.get("dependencies"), other.keywords.get("dependencies")
    if not isinstance(mine, dict):
        return {}
    theirs = theirs if isinstance(theirs, dict) else {}
    return {trigger: names for trigger, names in mine.items() if isinstance(names, list) and isinstance(theirs.get(trigger, []), list)}


def _dependent_names(view: View, other: View) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    listed = view.keywords.get("dependentRequired")
    mappings = [listed if isinstance(listed, dict) else {}, dependency_lists(view, other)]
    for mapping in mappings:
        for trigger, names in mapping.items():
            if isinstance(names, list):
                found.update((trigger, name) for name in names if isinstance(name, str))
    return found


# Bounds --------------------------------------------------------------------------

#: Keywords that set a lower or upper limit on a count or length.
COUNT_BOUNDS = {
    "minLength": "lower", "maxLength": "upper", "minItems": "lower", "maxItems": "upper",
    "minProperties": "lower", "maxProperties": "upper", "minContains": "lower", "maxContains": "upper",
}


def judge_count_bounds(old: View, new: View, pair: Pair) -> Iterator[Change]:
    """Judge limits on lengths and counts: raising a minimum or lowering a maximum tightens."""
    for keyword, side in COUNT_BOUNDS.items():
        before, after = _count_bound(old, keyword), _count_bound(new, keyword)
        if before == after:
            continue
        yield _bound_change(old, new, pair, keyword, side, before, after, exclusive_change=0)


#: Values that constrain nothing, so writing them says the same as leaving them out.
NEUTRAL_COUNT_BOUNDS = {"minLength": 0, "minItems": 0, "minProperties": 0, "minContains": 1}


def _count_bound(view: View, keyword: str) -> Any:
    value = _number(view.keywords.get(keyword))
    return None if value is not None and value == NEUTRAL_COUNT_BOUNDS.get(keyword) else value


def judge_numeric_bounds(old: View, new: View, pair: Pair) -> Iterator[Change]:
    """Judge `minimum`/`maximum` and their exclusive forms, in both draft 4's and later spellings."""
    for side in ("lower", "upper"):
        before, after = _numeric_bound(old, side, pair.old_draft_boolean_bounds), _numeric_bound(new, side, pair.new_draft_boolean_bounds)
        # The keyword that spells a bound is not part of it: draft 4's `maximum: 5` with
        # `exclusiveMaximum: true` is the later `exclusiveMaximum: 5`.
        if (before and before[:2]) == (after and after[:2]):
            continue
        keyword = (after or before)[2]  # type: ignore[index]
        before_value = before[0] if before else None
        after_value = after[0] if after else None
        exclusive_change = 0
        if before and after and before[0] == after[0]:
            exclusive_change = 1 if after[1] and not before[1] else -1
        yield _bound_change(old, new, pair, keyword, side, before_value, after_value, exclusive_change)


def _numeric_bound(view: View, side: str, boolean_exclusive: bool) -> tuple[Any, bool, str] | None:
    inclusive_keyword = "minimum" if side == "lower" else "maximum"
    exclusive_keyword = "exclusiveMinimum" if side == "lower" else "exclusiveMaximum"
    inclusive = _number(view.keywords.get(inclusive_keyword))
    exclusive_flag = view.keywords.get(exclusive_keyword)
    if boolean_exclusive or isinstance(exclusive_flag, bool):
        if inclusive is None:
            return None
        return (inclusive, exclusive_flag is True, inclusive_keyword)
    exclusive = _number(exclusive_flag)
    candidates = []
    if inclusive is not None:
        candidates.append((inclusive, False, inclusive_keyword))
    if exclusive is not None:
        candidates.append((exclusive, True, exclusive_keyword))
    if not candidates:
        return None
    # The tighter of the two limits is the one that holds.
    if side == "lower":
        return max(candidates, key=lambda bound: (bound[0], bound[1]))
    return min(candidates, key=lambda bound: (bound[0], not bound[1]))


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _bound_change(old: View, new: View, pair: Pair, keyword: str, side: str, before: Any, after: Any, exclusive_change: int) -> Change:
    if exclusive_change:
        tightened = exclusive_change > 0
    elif before is None:
        tightened = True
    elif after is None:
        tightened = False
    else:
        tightened = after > before if side == "lower" else after < before
    rule = "bound-tightened" if tightened else "bound-loosened"
    if exclusive_change:
        message = f"{keyword} {show(after)} is now {'exclusive' if tightened else 'inclusive'}"
    elif before is None:
        message = f"{keyword} {show(after)} added"
    elif after is None:
        message = f"{keyword} {show(before)} removed"
    else:
        message = f"{keyword} changed from {show(before)} to {show(after)}"
    consequence = "; old data may fall outside it" if tightened else "; old readers reject values beyond the old limit"
    return pair.change(rule, old.pointer, new.pointer, keyword=keyword, old_value=before, new_value=after, message=message + consequence)


def judge_multiple_of(old: View, new: View, pair: Pair) -> Iterator[Change]:
    """Judge `multipleOf`: a multiple of the old step tightens, a divisor of it loosens."""
    before, after = _number(old.keywords.get("multipleOf")), _number(new.keywords.get("multipleOf"))
    if before == after:
        return
    if before is None or after is None:
        rule = "bound-tightened" if before is None else "bound-loosened"
    else:
        ratio = fractions.Fraction(str(after)) / fractions.Fraction(str(before))
        if ratio.denominator == 1:
            rule = "bound-tightened"
        elif ratio.numerator == 1:
            rule = "bound-loosened"
        else:
            rule = "bound-changed"
    yield pair.change(rule, old.pointer, new.pointer, keyword="multipleOf", old_value=before, new_value=after,
                      message=f"multipleOf changed from {show(before)} to {show(after)}")


def judge_unique_items(old: View, new: View, pair: Pair) -> Iterator[Change]:
    """Judge `uniqueItems`: requiring unique items tightens, dropping the requirement loosens."""
    before, after = old.keywords.get("uniqueItems") is True, new.keywords.get("uniqueItems") is True
    if before == after:
        return
    rule = "bound-tightened" if after else "bound-loosened"
    message = "items must now be unique; old data may repeat them" if after else "items may now repeat; old readers reject repeats"
    yield pair.change(rule, old.pointer, new.pointer, keyword="uniqueItems", old_value=before, new_value=after, message=message)


# Strings -------------------------------------------------------------------------

def judge_pattern(old: View, new: View, pair: Pair) -> Iterator[Change]:
    """Judge `pattern`: any change to a regular expression is judged without comparing languages."""
    yield from _judge_string_keyword(old, new, pair, "pattern")


def judge_format(old: View, new: View, pair: Pair) -> Iterator[Change]:
    """Judge `format` as an assertion, since code generators and many validators enforce it."""
    yield from _judge_string_keyword(old, new, pair, "format")


def _judge_string_keyword(old: View, new: View, pair: Pair, keyword: str) -> Iterator[Change]:
    before, after = old.keywords.get(keyword), new.keywords.get(keyword)
    if before == after:
        return
    if before is None:
        rule, message = f"{keyword}-added", f"{keyword} {show(after)} added; old strings need not match it"
    elif after is None:
        rule, message = f"{keyword}-removed", f"{keyword} {show(before)} removed; old readers still apply it"
    else:
        rule, message = f"{keyword}-changed", f"{keyword} changed from {show(before)} to {show(after)}"
    yield pair.change(rule, old.pointer, new.pointer, keyword=keyword, old_value=before, new_value=after, message=message)


# Annotations and keywords that cannot be judged --------------------------------------

ANNOTATION_RULES = {
    "title": "title-changed",
    "description": "description-changed",
    "examples": "examples-changed",
    "example": "examples-changed",
    "$comment": "comment-changed",
    "deprecated": "deprecated-changed",
    "readOnly": "read-only-changed",
    "writeOnly": "write-only-changed",
    "$schema": "draft-changed",
    "$id": "id-changed",
    "id": "id-changed",
    "$anchor": "id-changed",
    "$dynamicAnchor": "id-changed",
    "contentEncoding": "annotation-changed",
    "contentMediaType": "annotation-changed",
    "discriminator": "annotation-changed",
    "externalDocs": "annotation-changed",
    "xml": "annotation-changed",
}

#: Keywords the walker or a judge handles; anything else is reported as unjudged.
JUDGED_KEYWORDS = frozenset({
    "type", "enum", "const", "nullable", "required", "properties", "additionalProperties",
    "patternProperties", "propertyNames", "unevaluatedProperties", "dependentRequired",
    "dependentSchemas", "dependencies", "items", "prefixItems", "additionalItems",
    "unevaluatedItems", "contains", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "uniqueItems", "pattern", "format", "allOf", "anyOf", "oneOf", "not", "if",
    "then", "else", "$defs", "definitions", "$ref", "default", "contentSchema",
    *COUNT_BOUNDS, *ANNOTATION_RULES,
})


def judge_default(old: View, new: View, pair: Pair) -> Iterator[Change]:
    """Judge `default`: the same values validate, but an omitted value changes meaning."""
    present_before, present_after = "default" in old.keywords, "default" in new.keywords
    before, after = old.keywords.get("default"), new.keywords.get("default")
    if present_before and present_after:
        if not same(before, after):
            yield pair.change("default-changed", old.holder("default"), new.holder("default"), keyword="default",
                              old_value=before, new_value=after,
                              message=f"default changed from {show(before)} to {show(after)}; an omitted value now means {show(after)}")
    elif present_after:
        yield pair.change("default-added", old.pointer, new.holder("default"), keyword="default", new_value=after,
                          message=f"default {show(after)} added; an omitted value now means {show(after)}")
    elif present_before:
        yield pair.change("default-removed", old.holder("default"), new.pointer, keyword="default", old_value=before,
                          message=f"default {show(before)} removed; an omitted value has no stated meaning any more")


def judge_annotations(old: View, new: View, pair: Pair) -> Iterator[Change]:
    """Judge annotations, `x-` extensions and keywords no other judge handles, by value."""
    old_keywords, new_keywords = {**old.keywords, **old.foreign}, {**new.keywords, **new.foreign}
    foreign = old.foreign.keys() | new.foreign.keys()
    for keyword in sorted(old_keywords.keys() | new_keywords.keys()):
        if keyword in JUDGED_KEYWORDS and keyword not in ANNOTATION_RULES and keyword not in foreign:
            continue
        before, after = old_keywords.get(keyword), new_keywords.get(keyword)
        if (keyword in old_keywords) == (keyword in new_keywords) and same(before, after):
            continue
        if ANNOTATION_RULES.get(keyword) == "id-changed" and old.pointer != new.pointer:
            # Two places paired through a retargeted `$ref` carry their own identifiers.
            continue
        if keyword in foreign:
            rule, what = "unjudged-keyword-changed", f"keyword {keyword!r} changed, which this draft does not define, so validators ignore it"
        elif keyword in ANNOTATION_RULES:
            rule, what = ANNOTATION_RULES[keyword], f"{keyword} changed"
        elif keyword.startswith("x-"):
            rule, what = "extension-changed", f"extension {keyword} changed"
        else:
            rule, what = "unjudged-keyword-changed", f"keyword {keyword!r} changed and schema-diff cannot judge it"
        yield pair.change(rule, old.holder(keyword), new.holder(keyword), keyword=keyword,
                          old_value=before, new_value=after, message=_describe(what, keyword, old, new))


def _describe(what: str, keyword: str, old: View, new: View) -> str:
    if keyword in old.keywords or keyword in old.foreign:
        if keyword not in new.keywords and keyword not in new.foreign and "keyword" not in what:
            return what.replace(" changed", " removed", 1)
        return what
    return what.replace(" changed", " added", 1) if "keyword" not in what else what


JUDGES: tuple[Judge, ...] = (
    judge_values,
    judge_required,
    judge_dependent_required,
    judge_count_bounds,
    judge_numeric_bounds,
    judge_multiple_of,
    judge_unique_items,
    judge_pattern,
    judge_format,
    judge_default,
    judge_annotations,
)
