"""schema-diff: compare two versions of a set of JSON Schemas and classify every change."""

from checker.documents import Document, DocumentSet
from checker.engine import compare, compare_paths
from checker.errors import SchemaDiffError
from checker.loading import load_mapping, load_path
from checker.model import Change, Direction, Mode, Report, Severity, SourceInfo
from checker.rules import RULES, Rule

__all__ = [
    "RULES",
    "Change",
    "Direction",
    "Document",
    "DocumentSet",
    "Mode",
    "Report",
    "Rule",
    "SchemaDiffError",
    "Severity",
    "SourceInfo",
    "compare",
    "compare_paths",
    "load_mapping",
    "load_path",
]
