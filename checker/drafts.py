"""The JSON Schema drafts schema-diff reads, and the keyword differences between them."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeGuard

import jsonschema
import referencing.jsonschema
from jsonschema.protocols import Validator
from referencing import Specification


@dataclasses.dataclass(frozen=True)
class Draft:
    """One JSON Schema draft: its name, meta-schema and the quirks the walker needs."""

    name: str
    dialect: str
    validator: type[Validator]
    specification: Specification[Any]
    #: `id` in draft 4, `$id` later.
    id_keyword: str
    #: Drafts 4 to 7 ignore every keyword beside `$ref`.
    ref_overrides_siblings: bool
    #: Draft 4 writes exclusive bounds as booleans beside `minimum`/`maximum`.
    boolean_exclusive_bounds: bool
    #: Before 2020-12, `items` may be an array (a tuple) completed by `additionalItems`.
    array_items_is_tuple: bool
    #: Validation keywords of other drafts that this draft does not define, so ignores.
    foreign_keywords: frozenset[str] = frozenset()

    def __str__(self) -> str:
        return self.name


_SINCE_2019 = frozenset({"dependentRequired", "dependentSchemas", "unevaluatedItems", "unevaluatedProperties",
                         "minContains", "maxContains", "prefixItems"})
_SINCE_7 = frozenset({"if", "then", "else"}) | _SINCE_2019
_SINCE_6 = frozenset({"const", "contains", "propertyNames"}) | _SINCE_7

DRAFT4 = Draft("draft-04", "http://json-schema.org/draft-04/schema#", jsonschema.Draft4Validator,
               referencing.jsonschema.DRAFT4, "id", True, True, True, _SINCE_6)
DRAFT6 = Draft("draft-06", "http://json-schema.org/draft-06/schema#", jsonschema.Draft6Validator,
               referencing.jsonschema.DRAFT6, "$id", True, False, True, _SINCE_7)
DRAFT7 = Draft("draft-07", "http://json-schema.org/draft-07/schema#", jsonschema.Draft7Validator,
               referencing.jsonschema.DRAFT7, "$id", True, False, True, _SINCE_2019)
DRAFT201909 = Draft("2019-09", "https://json-schema.org/draft/2019-09/schema", jsonschema.Draft201909Validator,
                    referencing.jsonschema.DRAFT201909, "$id", False, False, True, frozenset({"prefixItems", "dependencies"}))
DRAFT202012 = Draft("2020-12", "https://json-schema.org/draft/2020-12/schema", jsonschema.Draft202012Validator,
                    referencing.jsonschema.DRAFT202012, "$id", False, False, False, frozenset({"additionalItems", "dependencies"}))

#: OpenAPI 3.0 and Swagger 2.0 schema objects: a draft 4 dialect with `nullable`,
#: `discriminator` and `example`, and `$ref` that hides its siblings.
OPENAPI30 = Draft("openapi-3.0", "https://spec.openapis.org/oas/3.0/schema", jsonschema.Draft4Validator,
                  # Draft 4's `id` would make every object with an `id` field a resource of its
                  # own; OpenAPI 3.0 has no identifier keyword, and `$id` is the rarer word.
                  referencing.jsonschema.DRAFT7, "$id", True, True, True, _SINCE_6)

#: OpenAPI 3.1's own schema dialects (`.../dialect/base` and dated ones) extend 2020-12.
OPENAPI31_DIALECT_PREFIX = "https://spec.openapis.org/oas/3.1/dialect/"

DRAFTS = (DRAFT4, DRAFT6, DRAFT7, DRAFT201909, DRAFT202012)
DEFAULT_DRAFT = DRAFT202012


def _normalise_dialect(uri: str) -> str:
    # `http://json-schema.org/draft-07/schema#` and `.../schema` name the same dialect.
    return uri.rstrip("#").replace("https://", "http://", 1)


_BY_DIALECT = {_normalise_dialect(draft.dialect): draft for draft in DRAFTS}


def draft_of(contents: Any) -> Draft | None:
    """Return the draft named by a document's `$schema`, the default when absent, None when unknown."""
    if isinstance(contents, dict) and ("openapi" in contents or "swagger" in contents):
        return _openapi_draft(contents)
    if not isinstance(contents, dict) or "$schema" not in contents:
        return DEFAULT_DRAFT
    dialect = contents["$schema"]
    if not isinstance(dialect, str):
        return None
    return _BY_DIALECT.get(_normalise_dialect(dialect))


def _openapi_draft(contents: dict[str, Any]) -> Draft | None:
    version = str(contents.get("openapi", contents.get("swagger", "")))
    if version.startswith("3.0"):
        return OPENAPI30
    if version.startswith("3.1"):
        dialect = contents.get("jsonSchemaDialect")
        if dialect is None or str(dialect).startswith(OPENAPI31_DIALECT_PREFIX):
            # The specification's own dialect is 2020-12 with OpenAPI's annotations (discriminator, xml, ...).
            return DRAFT202012
        return _BY_DIALECT.get(_normalise_dialect(str(dialect)))
    return None


def is_openapi(contents: Any) -> TypeGuard[dict[str, Any]]:
    """Whether a document is an OpenAPI (or Swagger) description rather than a schema."""
    return isinstance(contents, dict) and ("openapi" in contents or "swagger" in contents)
