"""The walker: pairs the subschemas of two versions and hands each pair to the judges.

The walker finds where subschemas live (properties, items, branches, references, ...);
the judges in `checker.judges` decide what a change of one keyword means. A pair of nodes
is compared once however many references lead to it, which also ends reference cycles.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from checker.documents import Document, DocumentSet
from checker.drafts import is_openapi
from checker.errors import SchemaDiffError, UnresolvableReferenceError, UsageError
from checker.jsonvalues import join, same, show
from checker.judges import JUDGES, dependency_lists, judge_annotations, judge_default
from checker.listed import NOTHING, Listed, Part, in_place_parts, own_names
from checker.matching import Candidate, match_branches
from checker.metaschemas import check_node, check_tree
from checker.model import Change, Direction
from checker.references import References, Remote, Target
from checker.rules import RULES
from checker.views import HIDDEN_ON, UNION_KEYWORDS, Branch, View, is_annotation, make_view

if TYPE_CHECKING:
    # `referencing` exports Resolver only from its private module (checked with referencing 0.37).
    from referencing._core import Resolver

#: The depth to which names of nested in-place schemas are gathered; deeper nesting is rare.
LISTED_DEPTH = 64

#: Keywords whose values are data, where a "$ref" key is a name, not a reference.
DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples", "example"})

#: Keywords whose value is one subschema, compared as "accepts anything" when absent.
SINGLE_SUBSCHEMAS = ("propertyNames", "then", "else", "contentSchema")


@dataclasses.dataclass(frozen=True)
class Place:
    """One side's position in the walk: a document, a pointer, and the resolver there."""

    document: Document
    pointer: str
    resolver: Resolver[Any] | None = None

    def down(self, *tokens: str | int) -> Place:
        return Place(self.document, join(self.pointer, *tokens), self.resolver)

    def at(self, pointer: str) -> Place:
        return Place(self.document, pointer, self.resolver)


@dataclasses.dataclass(frozen=True)
class Pair:
    """The walk's position on both sides, and the context a change found there carries."""

    old: Place
    new: Place
    flipped: bool = False
    type_name: str | None = None
    type_pointer: str | None = None
    #: In an OpenAPI document: whether the schema is read in a "request" or a "response".
    side: str | None = None
    operation: str | None = None
    #: What the other schemas applying to the same value list on each side (see `checker.listed`).
    old_listed: Listed = NOTHING
    new_listed: Listed = NOTHING

    @property
    def old_draft_boolean_bounds(self) -> bool:
        return self.old.document.draft.boolean_exclusive_bounds

    @property
    def new_draft_boolean_bounds(self) -> bool:
        return self.new.document.draft.boolean_exclusive_bounds

    def change(self, rule: str, old_pointer: str | None, new_pointer: str | None, *, message: str,
               keyword: str | None = None, old_value: Any = None, new_value: Any = None, closed: bool = False) -> Change:
        """Record a change found at this pair, breaking the rule's directions (swapped under `not`)."""
        breaks = RULES[rule].breaks
        if closed:
            breaks = RULES[rule].closed_breaks or breaks
        if self.flipped:
            breaks = frozenset({Direction.BACKWARD, Direction.FORWARD} - breaks) if len(breaks) == 1 else breaks
        return Change(
            rule=rule, breaks=breaks, schema=self.new.document.path,
            old_pointer=old_pointer, new_pointer=new_pointer, old_value=old_value, new_value=new_value,
            message=message, keyword=keyword, type_name=self.type_name, type_pointer=self.type_pointer,
            side=self.side, operations=(self.operation,) if self.operation else (),
        )

    def within(self, old: Place, new: Place, flip: bool = False) -> Pair:
        """Move to subschemas that apply to other values (a property's, an item's)."""
        return dataclasses.replace(self, old=old, new=new, flipped=self.flipped != flip, old_listed=NOTHING, new_listed=NOTHING)

    def beside(self, old: Place, new: Place, old_listed: Listed, new_listed: Listed) -> Pair:
        """Move to subschemas that apply to the same value, beside schemas that list these names."""
        return dataclasses.replace(self, old=old, new=new, old_listed=old_listed, new_listed=new_listed)


class Comparison:
    """One comparison of two document sets; `run` returns the unclassified changes."""

    def __init__(self, old: DocumentSet, new: DocumentSet, old_references: References, new_references: References) -> None:
        self.old, self.new = old, new
        self.old_references, self.new_references = old_references, new_references
        self.changes: list[Change] = []
        self._visited: set[tuple[str, str, str, str, bool, str | None]] = set()
        self._listed: dict[tuple[str, str, str | None], Listed] = {}

    def run(self) -> list[Change]:
        if self.old.single_file and self.new.single_file:
            # Two files are two versions of one document, whatever their names.
            (old,), (new,) = self.old.documents.values(), self.new.documents.values()
            self._compare_pair(old, new)
            return self.changes
        for path in sorted(self.old.documents.keys() | self.new.documents.keys()):
            self._compare_pair(self.old.documents.get(path), self.new.documents.get(path))
        return self.changes

    def _compare_pair(self, old: Document | None, new: Document | None) -> None:
        path = new.path if new is not None else old.path  # type: ignore[union-attr]
        if old is None:
            assert new is not None, "every compared path comes from one of the two versions"
            _check_whole(new.contents, Place(new, ""))
            self._check_references(new.contents, Place(new, ""), self.new_references)
            self.changes.append(Change("schema-added", RULES["schema-added"].breaks, path, None, "", None, None,
                                       f"new document {path}", type_name=_name_of(new.contents), type_pointer=""))
            return
        if new is None:
            _check_whole(old.contents, Place(old, ""))
            self._check_references(old.contents, Place(old, ""), self.old_references)
            self.changes.append(Change("schema-removed", RULES["schema-removed"].breaks, path, "", None, None, None,
                                       f"document {path} removed", type_name=_name_of(old.contents), type_pointer=""))
            return
        if old.data == new.data:
            return
        if is_openapi(old.contents) or is_openapi(new.contents):
            self._compare_openapi(old, new)
            return
        pair = Pair(Place(old, ""), Place(new, ""))
        self.compare(old.contents, new.contents, pair)

    def _compare_openapi(self, old: Document, new: Document) -> None:
        if not (is_openapi(old.contents) and is_openapi(new.contents)):
            openapi, schema = (old, new) if is_openapi(old.contents) else (new, old)
            raise UsageError(f"{openapi.shown_as or openapi.path} is an OpenAPI document but {schema.shown_as or schema.path} is not; "
                             "compare two OpenAPI documents or two schemas")
        from checker.openapi import OpenAPIComparison

        OpenAPIComparison(self, old, new).run()

    # Nodes ---------------------------------------------------------------------

    def compare(self, old_node: Any, new_node: Any, pair: Pair) -> None:
        """Compare two subschemas at the pair's places, following `$ref` on each side."""
        if _has_ref(old_node) or _has_ref(new_node):
            # A node with a `$ref` is checked before the reference is followed, so a broken
            # sibling keyword is reported as such, not as a failure to resolve.
            _check(old_node, pair.old)
            _check(new_node, pair.new)
        if _defines_beside_ref(old_node) or _defines_beside_ref(new_node):
            # Definitions next to a `$ref` are not part of the schema the `$ref` leads to,
            # yet other references may use them: compare them where they are written.
            self.compare_definitions(_definitions_view(old_node, pair.old.pointer), _definitions_view(new_node, pair.new.pointer), pair)
        old_followed = self._follow(old_node, pair.old, self.old_references)
        new_followed = self._follow(new_node, pair.new, self.new_references)
        if isinstance(old_followed, Remote) or isinstance(new_followed, Remote):
            self._compare_remote(old_followed, new_followed, pair)
            return
        (old_node, old_place), (new_node, new_place) = old_followed, new_followed

        key = (old_place.document.path, old_place.pointer, new_place.document.path, new_place.pointer, pair.flipped, pair.side)
        if key in self._visited:
            return
        self._visited.add(key)
        if same(old_node, new_node):
            return
        # Every subschema a verdict is drawn from is checked against its meta-schema first.
        _check(old_node, old_place)
        _check(new_node, new_place)

        old_view = make_view(old_node, old_place.pointer, pair.side, old_place.document.draft.foreign_keywords)
        new_view = make_view(new_node, new_place.pointer, pair.side, new_place.document.draft.foreign_keywords)
        pair = self._named(dataclasses.replace(pair, old=old_place, new=new_place), old_view, new_view)
        self._compare_views(old_view, new_view, pair)

    def _follow(self, node: Any, place: Place, references: References) -> tuple[Any, Place] | Remote:
        seen = set()
        place = self._entered(node, place, references)
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            if not place.document.draft.ref_overrides_siblings and any(not is_annotation(key) for key in node if key != "$ref"):
                return self._with_siblings(node, place, references)
            if (place.document.path, place.pointer) in seen:
                raise UnresolvableReferenceError(f"{place.document.shown_as or place.document.path}: $ref cycle at {place.pointer or '/'} leads to no schema")
            seen.add((place.document.path, place.pointer))
            resolver = place.resolver or references.resolver(place.document)
            target = references.resolve(resolver, node["$ref"], place.document)
            if isinstance(target, Remote):
                return target
            node, place = target.node, Place(target.document, target.pointer, target.resolver)
            place = self._entered(node, place, references)
        return node, place

    def _with_siblings(self, node: dict[str, Any], place: Place, references: References) -> tuple[Any, Place] | Remote:
        # Since 2019-09 keywords beside `$ref` apply too. When they do not clash with the
        # target's own keywords, the node is equivalent to the target with them added.
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        target = self._follow({"$ref": node["$ref"]}, place, references)
        if isinstance(target, Remote):
            return target
        contents, _ = target
        if isinstance(contents, dict) and not any(key in contents for key in siblings if not is_annotation(key)):
            return {**contents, **siblings}, place
        # TODO: a clash leaves the `$ref` as an `allOf` member whose pointer (`.../allOf/0`)
        # does not exist in the document.
        return {**siblings, "allOf": [{"$ref": node["$ref"]}]}, place

    @staticmethod
    def _entered(node: Any, place: Place, references: References) -> Place:
        # Only a subschema with its own id changes the base URI references resolve against.
        if isinstance(node, dict) and isinstance(node.get(place.document.draft.id_keyword), str):
            resolver = place.resolver or references.resolver(place.document)
            return dataclasses.replace(place, resolver=references.enter(resolver, place.document, node))
        return place

    def _compare_remote(self, old: Any, new: Any, pair: Pair) -> None:
        old_uri = old.uri if isinstance(old, Remote) else None
        new_uri = new.uri if isinstance(new, Remote) else None
        if old_uri == new_uri:
            return
        self.changes.append(pair.change(
            "remote-ref-changed", pair.old.pointer, pair.new.pointer, keyword="$ref", old_value=old_uri, new_value=new_uri,
            message=f"reference changed from {old_uri or 'a local schema'} to {new_uri or 'a local schema'}; "
                    "remote references are never fetched (map one to local files with --ref-map)",
        ))

    @staticmethod
    def _named(pair: Pair, old: View, new: View) -> Pair:
        name = new.name or old.name
        if name is None:
            return pair
        return dataclasses.replace(pair, type_name=name, type_pointer=new.pointer if new.name else old.pointer)

    def _compare_views(self, old: View, new: View, pair: Pair) -> None:
        if old.rejects_all or new.rejects_all:
            self._compare_booleans(old, new, pair)
            return
        if self._compare_hoisted_union(old, new, pair):
            return
        for judge in JUDGES:
            self.changes.extend(judge(old, new, pair))
        for compare_children in CHILDREN:
            compare_children(self, old, new, pair)

    def _compare_booleans(self, old: View, new: View, pair: Pair) -> None:
        if old.rejects_all and new.rejects_all:
            return
        if new.rejects_all:
            self.changes.append(pair.change("subschema-forbidden", old.pointer, new.pointer,
                                            message="now rejects every value; old data here is rejected"))
        else:
            self.changes.append(pair.change("subschema-allowed", old.pointer, new.pointer,
                                            message="now accepts values where it rejected all; old readers reject them"))

    # Unions ---------------------------------------------------------------------

    def _compare_hoisted_union(self, old: View, new: View, pair: Pair) -> bool:
        # A node without a union compares with a union as if it were the union's only
        # branch, when the union is all its side asserts: that is how a type grows variants.
        # The same holds for `allOf`, which is how a type gains a constraint.
        old_members, new_members = _union_members(old), _union_members(new)
        if (old_members is None) == (new_members is None):
            return False
        with_union, without = (new, old) if new_members is not None else (old, new)
        keyword, members = (new_members or old_members)  # type: ignore[misc]
        if [assertion for assertion in with_union.assertions if assertion != "allOf"] or (keyword != "allOf" and "allOf" in with_union.keywords):
            return False
        # The node replaces a branch only if its assertions come from one object, so
        # that every pointer into the branch leads to a real place in the document.
        origins = {without.holder(keyword) for keyword in without.assertions}
        if len(origins) > 1:
            return False
        single = (Branch(_strip_annotations(without.keywords), origins.pop() if origins else without.pointer),)
        if without is old:
            self._compare_branches(keyword, single, keyword, members, pair, None, new)
        else:
            self._compare_branches(keyword, members, keyword, single, pair, old, None)
        if old.null_branch != new.null_branch:
            self.changes.append(_nullability_change(old, new, pair))
        # Annotations stay on the node itself, whatever moved into the union.
        self.changes.extend(judge_default(old, new, pair))
        self.changes.extend(judge_annotations(old, new, pair))
        return True

    def compare_unions(self, old: View, new: View, pair: Pair) -> None:
        if old.union is None and new.union is None:
            return
        if old.union is None or new.union is None:
            rule = "composition-added" if old.union is None else "composition-removed"
            keyword = new.union or old.union
            self.changes.append(pair.change(rule, old.pointer, new.pointer, keyword=keyword,
                                            message=f"{keyword} {'added' if old.union is None else 'removed'} beside other keywords"))
            return
        if old.union != new.union:
            rule = "one-of-relaxed-to-any-of" if old.union == "oneOf" else "any-of-tightened-to-one-of"
            self.changes.append(pair.change(rule, old.holder(old.union), new.holder(new.union), keyword=new.union,
                                            old_value=old.union, new_value=new.union,
                                            message=f"{old.union} became {new.union}"))
        self._compare_branches(old.union, old.branches, new.union, new.branches, pair, old, new)

    def compare_all_of(self, old: View, new: View, pair: Pair) -> None:
        old_members = _members(old, "allOf")
        new_members = _members(new, "allOf")
        if not old_members and not new_members:
            return
        self._compare_branches("allOf", old_members, "allOf", new_members, pair, old, new)

    def _compare_branches(self, old_keyword: str, old: tuple[Branch, ...], new_keyword: str, new: tuple[Branch, ...], pair: Pair,
                          old_view: View | None, new_view: View | None) -> None:
        """Pair the branches (or `allOf` members) of two views; a view is None where one node stands for its only branch."""
        old, new = _flattened(old, old_keyword), _flattened(new, new_keyword)
        old_candidates = [self._candidate(position, branch, pair.old, self.old_references) for position, branch in enumerate(old)]
        new_candidates = [self._candidate(position, branch, pair.new, self.new_references) for position, branch in enumerate(new)]
        matching = match_branches(old_candidates, new_candidates, members=old_keyword == "allOf")

        if matching.pairs:
            old_beside = self._beside_branches(old_keyword, old, old_view, pair.old, pair.old_listed, self.old_references, pair.side)
            new_beside = self._beside_branches(new_keyword, new, new_view, pair.new, pair.new_listed, self.new_references, pair.side)
        for old_position, new_position in matching.pairs:
            old_branch, new_branch = old[old_position], new[new_position]
            self.compare(old_branch.node, new_branch.node, pair.beside(pair.old.at(old_branch.pointer), pair.new.at(new_branch.pointer),
                                                                       old_beside, new_beside))
        member = old_keyword == "allOf"
        for position in matching.removed:
            branch = old[position]
            _check_whole(branch.node, pair.old.at(branch.pointer))
            self._check_references(branch.node, pair.old.at(branch.pointer), self.old_references)
            label = _branch_label(old_candidates[position].node)
            rule = "all-of-member-removed" if member else "variant-removed"
            self.changes.append(pair.change(rule, branch.pointer, None, keyword=old_keyword, old_value=label,
                                            message=f"{old_keyword} {'member' if member else 'variant'} {label} removed"
                                                    + ("; old readers still apply it" if member else "; old data of this variant is rejected")))
        for position in matching.added:
            branch = new[position]
            _check_whole(branch.node, pair.new.at(branch.pointer))
            self._check_references(branch.node, pair.new.at(branch.pointer), self.new_references)
            label = _branch_label(new_candidates[position].node)
            rule = "all-of-member-added" if member else "variant-added"
            self.changes.append(pair.change(rule, None, branch.pointer, keyword=new_keyword, new_value=label,
                                            message=f"{new_keyword} {'member' if member else 'variant'} {label} added"
                                                    + ("; old data must now match it too" if member else "; old readers reject data of this variant")))

    def _check_references(self, node: Any, place: Place, references: References) -> None:
        """Resolve every `$ref` in a subtree reported whole, so that a broken one is an error, not a pass."""
        pending = [(node, place)]
        while pending:
            item, where = pending.pop()
            if isinstance(item, dict):
                # A nested `$id` changes the base that references below it resolve against.
                where = self._entered(item, where, references)
                if isinstance(item.get("$ref"), str):
                    self._follow({"$ref": item["$ref"]}, where, references)
                pending.extend((value, where) for key, value in item.items() if key not in DATA_KEYWORDS)
            elif isinstance(item, list):
                pending.extend((value, where) for value in item)

    def _candidate(self, position: int, branch: Branch, place: Place, references: References) -> Candidate:
        node, ref = branch.node, None
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            followed = self._follow(node, place.at(branch.pointer), references)
            if not isinstance(followed, Remote):
                node = followed[0]
        return Candidate(position, node, ref)

    # What schemas beside a subschema list ------------------------------------------
    # The walk carries these names down (`Pair.old_listed`, `Pair.new_listed`) but does not
    # key its visits by them. So a subschema reached beside several different schemas is
    # judged beside the first ones, and the walk stays linear in the documents' size.
    # TODO: a `$ref` target whose referring schema is equal on both sides is reached only
    # from `$defs` (or components), with nothing listed beside it. An index per document of
    # what is listed beside each location would let it be judged beside its uses too.

    def _beside_branches(self, keyword: str, branches: tuple[Branch, ...], view: View | None, place: Place, inherited: Listed,
                         references: References, side: str | None) -> Listed:
        """Gather what the schemas applying beside the branches of a view list.

        Beside a union branch: the enclosing schema and its other in-place parts. The other
        branches are left out, as in a tagged union, where data matches one branch only.
        Beside an `allOf` member: the same, and every member, its own names included
        (they change no verdict about the member itself).
        """
        if view is None:
            return inherited
        around = inherited | self._own_view(view, place, side) | self._listed_parts(view, place, references, side, lambda part: part[0] == keyword)
        if keyword == "allOf":
            for branch in branches:
                around = around | self._listed_in_place(branch.node, place.at(branch.pointer), references, side)
        return around

    def _beside_view(self, view: View, place: Place, inherited: Listed, references: References, side: str | None, *leave_out: Part) -> Listed:
        """Gather what the schemas beside one in-place part of a view list: the view's own keywords and its other parts."""
        left_out = set(leave_out)
        return inherited | self._own_view(view, place, side) | self._listed_parts(view, place, references, side, lambda part: part in left_out)

    @staticmethod
    def _own_view(view: View, place: Place, side: str | None) -> Listed:
        return own_names(view.keywords, lambda name: place.at(join(view.at("properties"), name)), HIDDEN_ON.get(side or ""))

    def _listed_parts(self, view: View, place: Place, references: References, side: str | None,
                      leave_out: Callable[[Part], bool] = lambda part: False) -> Listed:
        """Gather what the in-place parts of a view (its members, branches, `then`, ...) list, apart from some parts."""
        listed = NOTHING
        for part, node, pointer in _view_parts(view):
            if not leave_out(part):
                listed = listed | self._listed_in_place(node, place.at(pointer), references, side)
        return listed

    def _listed_in_place(self, node: Any, place: Place, references: References, side: str | None) -> Listed:
        """Gather what a subschema and every schema applying in place below it list, through `$ref`s."""
        key = (place.document.path, place.pointer, side)
        if key not in self._listed:
            self._listed[key] = self._gather_in_place(node, place, references, HIDDEN_ON.get(side or ""))
        return self._listed[key]

    def _gather_in_place(self, node: Any, place: Place, references: References, hidden: str | None) -> Listed:
        seen: set[tuple[str, str]] = set()
        listed = NOTHING
        pending: list[tuple[Any, Place, int]] = [(node, place, 0)]
        while pending:
            node, place, depth = pending.pop()
            if depth > LISTED_DEPTH:
                continue
            try:
                followed = self._follow(node, place, references)
            except SchemaDiffError:
                # A broken reference is reported where the walk meets it, if it does.
                continue
            if isinstance(followed, Remote):
                continue
            node, place = followed
            if (place.document.path, place.pointer) in seen:
                continue
            seen.add((place.document.path, place.pointer))
            listed = listed | own_names(node, functools.partial(_property_place, place), hidden)
            for (keyword, key), member in in_place_parts(node):
                pending.append((member, place.down(keyword) if key == "" else place.down(keyword, key), depth + 1))
        return listed

    def _listed_around(self, old: View, new: View, pair: Pair) -> Listed:
        """Gather what either side's schemas list at the value a pair of views describes, the views' own keywords included."""
        return (pair.old_listed | pair.new_listed | self._own_view(old, pair.old, pair.side) | self._own_view(new, pair.new, pair.side)
                | self._listed_parts(old, pair.old, self.old_references, pair.side)
                | self._listed_parts(new, pair.new, self.new_references, pair.side))

    def _listed_elsewhere(self, view: View, listed: Callable[[], Listed], name: str) -> tuple[Any, Place | None] | None:
        """Find what another schema applying beside a view requires of a name the view does not list.

        Return that property schema and where it sits, or `True` and None when the other
        schemas only name it (in `required`, by a pattern). Return None when no other schema
        lists it, or when the view rejects names it does not list.
        """
        # `unevaluatedProperties: false` lets through what the schemas beside it evaluate, so
        # only `additionalProperties: false` makes the view reject a name listed beside it.
        closed = view.keywords.get("additionalProperties") is False and not _matching_pattern(view, name)
        if closed or not listed().lists(name):
            return None
        return listed().schema_of(name) or (True, None)

    def _judge_beside(self, old_node: Any, new_node: Any, pair: Pair, direction: Direction) -> bool:
        """Compare a property schema with what another schema applying beside it requires of the name.

        The other schema still applies, so only the direction in which the property's own
        schema adds (or drops) a constraint can break: a wider property schema does not
        widen the data, which must still meet the other one. Return whether a change was kept.
        """
        found = len(self.changes)
        self.compare(old_node, new_node, pair)
        judged, self.changes[found:] = self.changes[found:], []
        if pair.flipped:
            direction = Direction.FORWARD if direction is Direction.BACKWARD else Direction.BACKWARD
        for change in judged:
            if direction in change.breaks:
                self.changes.append(dataclasses.replace(change, breaks=frozenset({direction})))
        return len(self.changes) > found

    # Objects --------------------------------------------------------------------

    def compare_properties(self, old: View, new: View, pair: Pair) -> None:
        old_properties, new_properties = _mapping(old, "properties"), _mapping(new, "properties")
        # What the schemas beside each view list, gathered once and only when a name needs it.
        old_listed = functools.cache(lambda: pair.old_listed | self._listed_parts(old, pair.old, self.old_references, pair.side))
        new_listed = functools.cache(lambda: pair.new_listed | self._listed_parts(new, pair.new, self.new_references, pair.side))
        for name in sorted(old_properties.keys() | new_properties.keys()):
            old_pointer, new_pointer = join(old.at("properties"), name), join(new.at("properties"), name)
            if name in old_properties and name in new_properties:
                self.compare(old_properties[name], new_properties[name], pair.within(pair.old.at(old_pointer), pair.new.at(new_pointer)))
            elif name in new_properties and (governing := _undeclared_schema(old, name)) is not None:
                # The old schema already judged this name, by a pattern or `additionalProperties`;
                # when both judge it alike, the property is only newly named.
                found = len(self.changes)
                self.compare(governing[0], new_properties[name], pair.within(pair.old.at(governing[1]), pair.new.at(new_pointer)))
                if len(self.changes) == found:
                    self.changes.append(pair.change("property-added", None, new_pointer, keyword="properties", new_value=name,
                                                    message=f"property {show(name)} added; the old schema allowed it already"))
            elif name in old_properties and (governing := _undeclared_schema(new, name)) is not None:
                found = len(self.changes)
                self.compare(old_properties[name], governing[0], pair.within(pair.old.at(old_pointer), pair.new.at(governing[1])))
                if len(self.changes) == found:
                    self.changes.append(pair.change("property-removed", old_pointer, None, keyword="properties", old_value=name,
                                                    message=f"property {show(name)} removed; the new schema still allows it, but readers lose the named field"))
            elif name in new_properties and (beside := self._listed_elsewhere(old, old_listed, name)) is not None:
                # Another schema applying here listed the name, so old data may carry it: the
                # new property schema is a new constraint on that data.
                where = beside[1] or pair.old.at(old.pointer)
                if not self._judge_beside(beside[0], new_properties[name], pair.within(where, pair.new.at(new_pointer)), Direction.BACKWARD):
                    self.changes.append(pair.change("property-added", None, new_pointer, keyword="properties", new_value=name,
                                                    message=f"property {show(name)} added; another schema applying here listed it already"))
            elif name in old_properties and (beside := self._listed_elsewhere(new, new_listed, name)) is not None:
                where = beside[1] or pair.new.at(new.pointer)
                if not self._judge_beside(old_properties[name], beside[0], pair.within(pair.old.at(old_pointer), where), Direction.FORWARD):
                    self.changes.append(pair.change("property-removed", old_pointer, None, keyword="properties", old_value=name,
                                                    message=f"property {show(name)} removed; another schema applying here still lists it"))
            elif name in new_properties:
                _check_whole(new_properties[name], pair.new.at(new_pointer))
                self._check_references(new_properties[name], pair.new.at(new_pointer), self.new_references)
                closed = _is_closed(old, name)
                reason = "; the old schema allows no undeclared properties and rejects it" if closed else ""
                self.changes.append(pair.change("property-added", None, new_pointer,
                                                keyword="properties", new_value=name, message=f"property {show(name)} added{reason}", closed=closed))
            else:
                _check_whole(old_properties[name], pair.old.at(old_pointer))
                self._check_references(old_properties[name], pair.old.at(old_pointer), self.old_references)
                closed = _is_closed(new, name)
                reason = "; the new schema allows no undeclared properties, so old data that has it is rejected" if closed else "; readers lose the field"
                self.changes.append(pair.change("property-removed", old_pointer, None,
                                                keyword="properties", old_value=name, message=f"property {show(name)} removed{reason}", closed=closed))

    def compare_pattern_properties(self, old: View, new: View, pair: Pair) -> None:
        old_patterns, new_patterns = _mapping(old, "patternProperties"), _mapping(new, "patternProperties")
        for pattern in sorted(old_patterns.keys() | new_patterns.keys()):
            # A name the pattern matches was governed by `additionalProperties` where the pattern is absent.
            old_node = old_patterns.get(pattern, old.keywords.get("additionalProperties", True))
            new_node = new_patterns.get(pattern, new.keywords.get("additionalProperties", True))
            old_pointer = join(old.at("patternProperties"), pattern) if pattern in old_patterns else old.pointer
            new_pointer = join(new.at("patternProperties"), pattern) if pattern in new_patterns else new.pointer
            self.compare(old_node, new_node, pair.within(pair.old.at(old_pointer), pair.new.at(new_pointer)))

    def compare_additional(self, old: View, new: View, pair: Pair) -> None:
        for keyword, noun in (("additionalProperties", "properties"), ("unevaluatedProperties", "properties"),
                              ("unevaluatedItems", "items")):
            self._compare_open_or_closed(old, new, pair, keyword, noun)

    def _compare_open_or_closed(self, old: View, new: View, pair: Pair, keyword: str, noun: str) -> None:
        if keyword not in old.keywords and keyword not in new.keywords:
            return
        before, after = old.keywords.get(keyword, True), new.keywords.get(keyword, True)
        family = "additional-properties" if noun == "properties" else "additional-items"
        if before is not False and after is False:
            self.changes.append(pair.change(f"{family}-closed", old.pointer, new.holder(keyword), keyword=keyword,
                                            old_value=before if isinstance(before, bool) else None, new_value=False,
                                            message=f"{keyword} is now false; {noun} beyond those listed are rejected"))
        elif before is False and after is not False:
            # A schema that asserts something describes entries that are sent, like a map's.
            # And `false` beside no listed properties (an `allOf` member, say) rejected every
            # property, even those other members require, so opening it lets real data in.
            described = isinstance(after, dict) and any(not is_annotation(key) for key in after)
            described = described or (noun == "properties" and not _mapping(old, "properties") and not _mapping(old, "patternProperties"))
            # `false` also rejects the names that the schemas beside it list (an `allOf`
            # sibling, the schema holding a `oneOf`), and required names it does not list.
            described = described or (keyword == "additionalProperties" and self._listed_around(old, new, pair).beyond(
                _mapping(old, "properties"), _mapping(old, "patternProperties")))
            self.changes.append(pair.change(f"{family}-opened", old.holder(keyword), new.pointer, keyword=keyword,
                                            old_value=False, new_value=after if isinstance(after, bool) else None,
                                            message=f"{keyword} is no longer false; {noun} beyond those listed are allowed",
                                            closed=described))
        elif before is not False and after is not False:
            old_pointer = old.at(keyword) if keyword in old.keywords else old.pointer
            new_pointer = new.at(keyword) if keyword in new.keywords else new.pointer
            self.compare(before, after, pair.within(pair.old.at(old_pointer), pair.new.at(new_pointer)))

    def compare_dependent_schemas(self, old: View, new: View, pair: Pair) -> None:
        for keyword in ("dependentSchemas", "dependencies"):
            old_lists = dependency_lists(old, new) if keyword == "dependencies" else {}
            new_lists = dependency_lists(new, old) if keyword == "dependencies" else {}
            old_map = {name: _as_schema(node) for name, node in _mapping(old, keyword).items() if name not in old_lists}
            new_map = {name: _as_schema(node) for name, node in _mapping(new, keyword).items() if name not in new_lists}
            for name in sorted(old_map.keys() | new_map.keys()):
                old_pointer = join(old.at(keyword), name) if name in old_map else old.pointer
                new_pointer = join(new.at(keyword), name) if name in new_map else new.pointer
                # A dependent schema applies to the same value as the schema holding it.
                self.compare(old_map.get(name, True), new_map.get(name, True),
                             pair.beside(pair.old.at(old_pointer), pair.new.at(new_pointer),
                                         self._beside_view(old, pair.old, pair.old_listed, self.old_references, pair.side, (keyword, name)),
                                         self._beside_view(new, pair.new, pair.new_listed, self.new_references, pair.side, (keyword, name))))

    def compare_definitions(self, old: View, new: View, pair: Pair) -> None:
        for keyword in ("$defs", "definitions"):
            old_defs, new_defs = _mapping(old, keyword), _mapping(new, keyword)
            only_old = {name: node for name, node in old_defs.items() if name not in new_defs}
            only_new = {name: node for name, node in new_defs.items() if name not in old_defs}
            for name in sorted(old_defs.keys() & new_defs.keys()):
                old_pointer, new_pointer = join(old.at(keyword), name), join(new.at(keyword), name)
                named = dataclasses.replace(pair, type_name=name, type_pointer=new_pointer)
                self.compare(old_defs[name], new_defs[name], named.within(pair.old.at(old_pointer), pair.new.at(new_pointer)))
            self._report_definitions(old, new, pair, keyword, only_old, only_new)

    def _report_definitions(self, old: View, new: View, pair: Pair, keyword: str, only_old: dict[str, Any], only_new: dict[str, Any]) -> None:
        renamed_to: dict[str, str] = {}
        for old_name, old_node in only_old.items():
            for new_name, new_node in only_new.items():
                if new_name not in renamed_to.values() and same(old_node, new_node):
                    renamed_to[old_name] = new_name
                    break
        for old_name, new_name in sorted(renamed_to.items()):
            self.changes.append(pair.change("definition-renamed", join(old.at(keyword), old_name), join(new.at(keyword), new_name),
                                            keyword=keyword, old_value=old_name, new_value=new_name,
                                            message=f"definition {show(old_name)} renamed to {show(new_name)} with the same content"))
        for name in sorted(set(only_old) - set(renamed_to)):
            _check_whole(only_old[name], pair.old.at(join(old.at(keyword), name)))
            self._check_references(only_old[name], pair.old.at(join(old.at(keyword), name)), self.old_references)
            self.changes.append(pair.change("definition-removed", join(old.at(keyword), name), None, keyword=keyword,
                                            old_value=name, message=f"definition {show(name)} removed"))
        for name in sorted(set(only_new) - set(renamed_to.values())):
            _check_whole(only_new[name], pair.new.at(join(new.at(keyword), name)))
            self._check_references(only_new[name], pair.new.at(join(new.at(keyword), name)), self.new_references)
            self.changes.append(pair.change("definition-added", None, join(new.at(keyword), name), keyword=keyword,
                                            new_value=name, message=f"definition {show(name)} added"))

    # Arrays ---------------------------------------------------------------------

    def compare_items(self, old: View, new: View, pair: Pair) -> None:
        old_prefix, old_rest = _tuple_items(old, pair.old.document)
        new_prefix, new_rest = _tuple_items(new, pair.new.document)
        for position in range(max(len(old_prefix), len(new_prefix))):
            # A position the tuple does not list is governed by the schema for the remaining items.
            old_node, old_pointer = old_prefix[position] if position < len(old_prefix) else old_rest
            new_node, new_pointer = new_prefix[position] if position < len(new_prefix) else new_rest
            self._compare_item(old_node, new_node, pair, old_pointer, new_pointer)
        self._compare_item(old_rest[0], new_rest[0], pair, old_rest[1], new_rest[1])

    def _compare_item(self, old_node: Any, new_node: Any, pair: Pair, old_pointer: str, new_pointer: str) -> None:
        if old_node is not False and new_node is False:
            self.changes.append(pair.change("additional-items-closed", old_pointer, new_pointer, keyword="items",
                                            message="no items are allowed here any more; old arrays that have them are rejected"))
        elif old_node is False and new_node is not False:
            self.changes.append(pair.change("additional-items-opened", old_pointer, new_pointer, keyword="items",
                                            message="items are now allowed here; old readers reject them"))
        elif old_node is not False:
            self.compare(old_node, new_node, pair.within(pair.old.at(old_pointer), pair.new.at(new_pointer)))

    def compare_contains(self, old: View, new: View, pair: Pair) -> None:
        if "contains" in old.keywords and "contains" in new.keywords:
            self.compare(old.keywords["contains"], new.keywords["contains"], pair.within(pair.old.at(old.at("contains")), pair.new.at(new.at("contains"))))
        elif "contains" in new.keywords:
            self.changes.append(pair.change("contains-added", old.pointer, new.at("contains"), keyword="contains",
                                            message="arrays must now contain a matching item; old arrays may have none"))
        elif "contains" in old.keywords:
            self.changes.append(pair.change("contains-removed", old.at("contains"), new.pointer, keyword="contains",
                                            message="arrays need no longer contain a matching item; old readers still require one"))

    # Other subschemas -----------------------------------------------------------

    def compare_single_subschemas(self, old: View, new: View, pair: Pair) -> None:
        for keyword in SINGLE_SUBSCHEMAS:
            # `then` and `else` do nothing without an `if` beside them.
            old_has = keyword in old.keywords and (keyword not in ("then", "else") or "if" in old.keywords)
            new_has = keyword in new.keywords and (keyword not in ("then", "else") or "if" in new.keywords)
            if old_has or new_has:
                old_pointer = old.at(keyword) if old_has else old.pointer
                new_pointer = new.at(keyword) if new_has else new.pointer
                inner = pair.within(pair.old.at(old_pointer), pair.new.at(new_pointer))
                if keyword in ("then", "else"):
                    # `then` and `else` apply to the same value as the schema holding them.
                    inner = pair.beside(inner.old, inner.new,
                                        self._beside_view(old, pair.old, pair.old_listed, self.old_references, pair.side, ("then", ""), ("else", "")),
                                        self._beside_view(new, pair.new, pair.new_listed, self.new_references, pair.side, ("then", ""), ("else", "")))
                self.compare(old.keywords[keyword] if old_has else True, new.keywords[keyword] if new_has else True, inner)

    def compare_not(self, old: View, new: View, pair: Pair) -> None:
        if "not" in old.keywords and "not" in new.keywords:
            # Inside `not`, accepting more means the whole accepts less: directions swap.
            # The schema under `not` applies to the same value, beside the same schemas.
            inner = pair.within(pair.old.at(old.at("not")), pair.new.at(new.at("not")), flip=True)
            inner = inner.beside(inner.old, inner.new, self._beside_view(old, pair.old, pair.old_listed, self.old_references, pair.side),
                                 self._beside_view(new, pair.new, pair.new_listed, self.new_references, pair.side))
            self.compare(old.keywords["not"], new.keywords["not"], inner)
        elif "not" in new.keywords:
            self.changes.append(pair.change("not-added", old.pointer, new.at("not"), keyword="not",
                                            message=f"values matching {show(new.keywords['not'])} are now rejected"))
        elif "not" in old.keywords:
            self.changes.append(pair.change("not-removed", old.at("not"), new.pointer, keyword="not",
                                            message=f"values matching {show(old.keywords['not'])} are now accepted"))

    def compare_condition(self, old: View, new: View, pair: Pair) -> None:
        # An `if` without `then` or `else` constrains nothing.
        before, after = _condition(old), _condition(new)
        if before is None or after is None:
            # A condition added or removed as a whole is judged through its `then` and
            # `else`, which compare with "anything" on the side without it: adding one can
            # only narrow what is valid, and removing one only widen it.
            return
        if not same(before, after):
            # TODO: judge the `if` schema itself; for now any change to it breaks both directions.
            self.changes.append(pair.change("condition-changed", old.pointer, new.pointer, keyword="if",
                                            old_value=before, new_value=after, message="the `if` condition changed"))


CHILDREN = (
    Comparison.compare_properties,
    Comparison.compare_pattern_properties,
    Comparison.compare_additional,
    Comparison.compare_dependent_schemas,
    Comparison.compare_items,
    Comparison.compare_contains,
    Comparison.compare_single_subschemas,
    Comparison.compare_not,
    Comparison.compare_condition,
    Comparison.compare_unions,
    Comparison.compare_all_of,
    Comparison.compare_definitions,
)


def _check(node: Any, place: Place) -> None:
    if isinstance(node, bool) and place.document.draft.boolean_exclusive_bounds:
        # Draft 4 has no boolean schemas; here `True` stands for a keyword left out.
        return
    check_node(node, place.document.draft, place.document.shown_as or place.document.path, place.pointer)


def _check_whole(node: Any, place: Place) -> None:
    check_tree(node, place.document.draft, place.document.shown_as or place.document.path, place.pointer)


def _nullability_change(old: View, new: View, pair: Pair) -> Change:
    if new.null_branch:
        return pair.change("type-widened", old.pointer, new.pointer, keyword="type", new_value=["null"],
                           message="now accepts null; old readers reject it")
    return pair.change("type-narrowed", old.pointer, new.pointer, keyword="type", old_value=["null"],
                       message="no longer accepts null; old data may hold it")


def _flattened(branches: tuple[Branch, ...], keyword: str) -> tuple[Branch, ...]:
    """Spread a branch that is only a union of the same kind into that union's branches.

    `anyOf` nested in `anyOf` (or `allOf` in `allOf`) says the same as one flat list. For
    `oneOf` the two differ only for data matching several nested branches and a sibling at
    once, which tagged unions never allow. Spreading lets a type that grew from one nested
    union into a wider one keep its branches paired.
    """
    spread: list[Branch] = []
    for branch in branches:
        node = branch.node
        members = node.get(keyword) if isinstance(node, dict) else None
        if isinstance(members, list) and members and all(key == keyword or is_annotation(key) for key in node):
            nested = tuple(Branch(member, join(branch.pointer, keyword, position)) for position, member in enumerate(members))
            spread.extend(_flattened(nested, keyword))
        else:
            spread.append(branch)
    return tuple(spread)


def _condition(view: View) -> Any:
    if "if" not in view.keywords or ("then" not in view.keywords and "else" not in view.keywords):
        return None
    return view.keywords["if"]


def _property_place(place: Place, name: str) -> Place:
    return place.down("properties", name)


def _view_parts(view: View) -> Iterator[tuple[Part, Any, str]]:
    """Yield the in-place parts of a view: each part, its node, and its pointer."""
    for position, branch in enumerate(_flattened(_members(view, "allOf"), "allOf")):
        yield ("allOf", position), branch.node, branch.pointer
    if view.union is not None:
        for position, branch in enumerate(_flattened(view.branches, view.union)):
            yield (view.union, position), branch.node, branch.pointer
    conditional = {keyword: view.keywords[keyword] for keyword in ("if", "then", "else", "dependentSchemas", "dependencies")
                   if keyword in view.keywords}
    for (keyword, key), node in in_place_parts(conditional):
        pointer = view.at(keyword) if key == "" else join(view.at(keyword), key)
        yield (keyword, key), node, pointer


def _union_members(view: View) -> tuple[str, tuple[Branch, ...]] | None:
    if view.union is not None:
        return view.union, view.branches
    members = _members(view, "allOf")
    return ("allOf", members) if members else None


def _strip_annotations(keywords: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in keywords.items() if not is_annotation(key) and key != "nullable"}


def _has_ref(node: Any) -> bool:
    return isinstance(node, dict) and "$ref" in node


def _defines_beside_ref(node: Any) -> bool:
    return isinstance(node, dict) and "$ref" in node and ("$defs" in node or "definitions" in node)


def _definitions_view(node: Any, pointer: str) -> View:
    keywords = {key: node[key] for key in ("$defs", "definitions") if isinstance(node, dict) and key in node}
    return View(pointer, keywords, {key: pointer for key in keywords})


def _as_schema(dependency: Any) -> Any:
    # Draft 7's `dependencies` lists names in an array, which says the same as a schema
    # requiring them, so both spellings compare as schemas.
    return {"required": dependency} if isinstance(dependency, list) else dependency


def _members(view: View, keyword: str) -> tuple[Branch, ...]:
    members = view.keywords.get(keyword)
    if not isinstance(members, list):
        return ()
    return tuple(Branch(member, join(view.at(keyword), position)) for position, member in enumerate(members))


def _mapping(view: View, keyword: str) -> dict[str, Any]:
    value = view.keywords.get(keyword)
    return value if isinstance(value, dict) else {}


def _undeclared_schema(view: View, name: str) -> tuple[Any, str] | None:
    """The schema (and its pointer) a name the view does not declare falls to, if not "anything".

    A matching `patternProperties` schema comes first; else an `additionalProperties` schema.
    """
    # TODO: a name several patterns match must satisfy all of them; only the first is judged.
    for pattern, schema in _mapping(view, "patternProperties").items():
        try:
            if re.search(pattern, name):
                return schema, join(view.at("patternProperties"), pattern)
        except re.error:
            continue
    if isinstance(view.keywords.get("additionalProperties"), dict):
        return view.keywords["additionalProperties"], view.at("additionalProperties")
    if name in _names(view, "required"):
        if view.keywords.get("additionalProperties") is False:
            # A closed schema that requires a name it does not list rejects every object.
            return False, view.at("additionalProperties")
        # A required name the schema does not describe may hold any value.
        return True, view.holder("required")
    return None


def _names(view: View, keyword: str) -> list[str]:
    value = view.keywords.get(keyword)
    return [name for name in value if isinstance(name, str)] if isinstance(value, list) else []


def _matching_pattern(view: View, name: str) -> bool:
    for pattern in _mapping(view, "patternProperties"):
        try:
            if re.search(pattern, name):
                return True
        except re.error:
            continue
    return False


def _is_closed(view: View, name: str) -> bool:
    # A name is governed by `additionalProperties` only when no pattern claims it.
    if view.keywords.get("additionalProperties") is not False and view.keywords.get("unevaluatedProperties") is not False:
        return False
    return not _matching_pattern(view, name)


def _tuple_items(view: View, document: Document) -> tuple[list[tuple[Any, str]], tuple[Any, str]]:
    """Split array item schemas into the listed positions and the schema for the rest."""
    items = view.keywords.get("items")
    if document.draft.array_items_is_tuple:
        if isinstance(items, list):
            prefix = [(node, join(view.at("items"), position)) for position, node in enumerate(items)]
            rest_keyword = "additionalItems"
        else:
            prefix, rest_keyword = [], "items"
    else:
        listed = view.keywords.get("prefixItems")
        prefix = [(node, join(view.at("prefixItems"), position)) for position, node in enumerate(listed)] if isinstance(listed, list) else []
        rest_keyword = "items"
    rest = view.keywords.get(rest_keyword, True)
    rest_pointer = view.at(rest_keyword) if rest_keyword in view.keywords else view.pointer
    if isinstance(rest, list):
        rest, rest_pointer = True, view.pointer
    return prefix, (rest, rest_pointer)


def _branch_label(node: Any) -> str:
    """Name a branch for messages: its discriminator value, name, or type."""
    from checker.matching import single_valued_properties

    if isinstance(node, dict):
        pinned = single_valued_properties(node)
        for name, key in sorted(pinned.items()):
            return f"{name}={show(key[1])}"
        for keyword in ("x-readme-ref-name", "title"):
            if isinstance(node.get(keyword), str):
                return node[keyword]
        if "type" in node:
            return f"type {show(node['type'])}"
    return show(node)


def _name_of(contents: Any) -> str | None:
    if isinstance(contents, dict):
        for keyword in ("x-readme-ref-name", "title"):
            if isinstance(contents.get(keyword), str):
                return contents[keyword]
    return None


def walk_changes(old: DocumentSet, new: DocumentSet, old_references: References, new_references: References) -> Iterator[Change]:
    """Compare two document sets and yield every change, unclassified."""
    yield from Comparison(old, new, old_references, new_references).run()
