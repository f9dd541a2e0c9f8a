"""Resolve `$ref` inside one version's documents, without ever fetching anything remote."""

from __future__ import annotations

import dataclasses
import urllib.parse
from typing import TYPE_CHECKING, Any

import referencing
import referencing.exceptions
from referencing import Registry, Resource

from checker.documents import Document, DocumentSet
from checker.errors import InvalidSchemaError, UnresolvableReferenceError
from checker.jsonvalues import join
from checker.metaschemas import check_tree

if TYPE_CHECKING:
    # `referencing` exports Resolver only from its private module (checked with referencing 0.37).
    from referencing._core import Resolver

LOCAL_SCHEME = "file"


@dataclasses.dataclass(frozen=True)
class Target:
    """Where a `$ref` leads: a node of a document, and the resolver to use inside it."""

    document: Document
    pointer: str
    node: Any
    resolver: Resolver[Any]


@dataclasses.dataclass(frozen=True)
class Remote:
    """A `$ref` to a URI outside the compared sources, which is never fetched."""

    uri: str


class References:
    """Resolves references in one document set, plus documents mapped in for remote URIs.

    The registry is built on the first `$ref` met, so sets without references (most
    generated schema packages) pay nothing for it.
    """

    def __init__(self, documents: DocumentSet, mapped: dict[str, Document] | None = None) -> None:
        self._documents = list(documents) + list((mapped or {}).values())
        self._uris = {document.uri: document for document in documents}
        self._uris.update(mapped or {})
        self._registry: Registry[Any] | None = None
        self._pointers: dict[str, dict[int, str]] = {}

    def resolver(self, document: Document) -> Resolver[Any]:
        """A resolver whose base is the document, honouring a root `$id`."""
        resource = document.draft.specification.create_resource(document.contents)
        return self._get_registry().resolver(base_uri=self._uri_of(document)).in_subresource(resource)

    def enter(self, resolver: Resolver[Any], document: Document, node: Any) -> Resolver[Any]:
        """The resolver inside a subschema, which changes only where the subschema has an id."""
        if isinstance(node, dict) and isinstance(node.get(document.draft.id_keyword), str):
            return resolver.in_subresource(document.draft.specification.create_resource(node))
        return resolver

    def resolve(self, resolver: Resolver[Any], ref: str, document: Document) -> Target | Remote:
        """Follow one `$ref`; raise UnresolvableReferenceError when a local one leads nowhere."""
        try:
            resolved = resolver.lookup(ref)
        except ValueError as error:
            # urllib rejects some references outright, such as "http://[::1/x" with its unclosed bracket.
            raise UnresolvableReferenceError(f"{document.shown_as or document.path}: $ref {ref!r} is not a valid URI reference ({error})") from error
        except referencing.exceptions.Unresolvable as error:
            absolute = urllib.parse.urljoin(resolver._base_uri, ref)  # noqa: SLF001
            target = absolute.split("#", 1)[0]
            if not target.startswith(LOCAL_SCHEME + ":") and target not in self._uris:
                return Remote(absolute)
            raise UnresolvableReferenceError(
                f"{document.shown_as or document.path}: $ref {ref!r} does not resolve: {_explain(error, ref)}"
            ) from error
        owner, pointer = self._locate(resolved.contents, resolved.resolver, ref)
        return Target(owner, pointer, resolved.contents, resolved.resolver)

    def _get_registry(self) -> Registry[Any]:
        if self._registry is None:
            # mypy sees no parameters on Resource, because referencing's stub (0.37) marks its attrs
            # classes with the pre-PEP 681 `__dataclass_transform__` name, which mypy does not read.
            resources = [
                (self._uri_of(document), Resource(document.contents, document.draft.specification))  # type: ignore[call-arg]
                for document in self._documents
            ]
            try:
                self._registry = Registry().with_resources(resources).crawl()
            except (AttributeError, TypeError, ValueError) as error:
                # Crawling reads identifiers and definitions before any meta-schema check of
                # the document that holds them: check that document now, to say what is wrong.
                culprit = self._uncrawlable()
                if culprit is not None:
                    check_tree(culprit.contents, culprit.draft, culprit.shown_as or culprit.path, "")
                name = culprit.shown_as or culprit.path if culprit is not None else "a document"
                raise InvalidSchemaError(f"{name}: not a valid schema: its identifiers or definitions cannot be read ({error})") from error
        return self._registry

    def _uncrawlable(self) -> Document | None:
        for document in self._documents:
            try:
                Registry().with_resource(self._uri_of(document), Resource(document.contents, document.draft.specification)).crawl()  # type: ignore[call-arg]
            except (AttributeError, TypeError, ValueError):
                return document
        return None

    def _uri_of(self, document: Document) -> str:
        for uri, known in self._uris.items():
            if known is document:
                return uri
        return document.uri

    def _locate(self, node: Any, resolver: Resolver[Any], ref: str) -> tuple[Document, str]:
        # `referencing` keeps the base URI private; it names the resource holding the node.
        base = resolver._base_uri  # noqa: SLF001
        fragment = urllib.parse.unquote(ref.partition("#")[2])
        if base in self._uris and (fragment == "" or fragment.startswith("/")):
            # A JSON pointer into a whole document is already the location.
            return self._uris[base], fragment
        # Otherwise (an anchor, or an embedded resource with its own id) the resolved node
        # is one of our documents' own objects, and identity finds it.
        for document in self._candidates(base):
            pointers = self._pointer_index(document)
            if isinstance(node, (dict, list)) and id(node) in pointers:
                return document, pointers[id(node)]
        raise UnresolvableReferenceError(f"$ref {ref!r} resolves outside the compared documents")

    def _candidates(self, base: str) -> list[Document]:
        first = [self._uris[base]] if base in self._uris else []
        return first + [document for document in self._documents if document not in first]

    def _pointer_index(self, document: Document) -> dict[int, str]:
        if document.path not in self._pointers:
            index: dict[int, str] = {}
            _index_nodes(document.contents, "", index)
            self._pointers[document.path] = index
        return self._pointers[document.path]


def _index_nodes(node: Any, pointer: str, index: dict[int, str]) -> None:
    stack = [(node, pointer)]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            index.setdefault(id(node), pointer)
            stack.extend((value, join(pointer, key)) for key, value in node.items())
        elif isinstance(node, list):
            index.setdefault(id(node), pointer)
            stack.extend((value, join(pointer, position)) for position, value in enumerate(node))


def _explain(error: referencing.exceptions.Unresolvable, ref: str) -> str:
    if isinstance(error, referencing.exceptions.PointerToNowhere):
        return f"no node at pointer {error.ref!r}"
    if isinstance(error, referencing.exceptions.NoSuchAnchor):
        return f"no anchor {error.anchor!r}"
    document = ref.partition("#")[0]
    if isinstance(error, referencing.exceptions.NoSuchResource) or document:
        return f"no document {document!r} among the compared sources"
    return str(error)
