"""The project file: settings and declared breaking changes, read from `schema-diff.toml`.

The file sits at the root of the repository being checked; a `[tool.schema-diff]` table in
`pyproject.toml` works too. A declaration accepts breaking changes with a reason:

    [[declared]]
    rule = "enum-value-added"
    type = "DeploymentStatus"      # or: schema = "deploymentStatus.json" and pointer = "/enum"
    value = "teardown-required"    # optional: without it, every value of that rule there
    reason = "Clients treat unknown statuses as pending since 1.4."
    version = "1.7.1"              # optional: only for this release
"""

from __future__ import annotations

import dataclasses
import fnmatch
import json
import os
import tempfile
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from checker.errors import ProjectFileError
from checker.jsonvalues import same
from checker.model import Change, Mode
from checker.rules import RULES
from checker.semver import version_of

PROJECT_FILE = "schema-diff.toml"
PYPROJECT = "pyproject.toml"


@dataclasses.dataclass(frozen=True)
class Declaration:
    """One accepted breaking change (or family of them), with the reason it is accepted."""

    rule: str
    reason: str
    type: str | None = None
    schema: str | None = None
    pointer: str | None = None
    value: Any = None
    has_value: bool = False
    version: str | None = None

    def matches(self, change: Change, version: str | None) -> bool:
        """Return whether this declaration covers a change found in a release of `version`."""
        if change.rule != self.rule:
            return False
        if self.version is not None and not _same_version(self.version, version):
            return False
        if self.type is not None and change.type_name != self.type:
            return False
        if self.schema is not None and not fnmatch.fnmatchcase(change.schema, self.schema):
            return False
        if self.pointer is not None and not self._matches_pointer(change):
            return False
        return not self.has_value or same(_value_of(change), self.value)

    def _matches_pointer(self, change: Change) -> bool:
        pointers = {pointer for pointer in (change.new_pointer, change.old_pointer) if pointer is not None}
        if self.type is not None and change.type_pointer is not None:
            # With a type, the pointer is inside the type, so it covers every place the type is inlined.
            pointers = {pointer[len(change.type_pointer):] for pointer in pointers if pointer.startswith(change.type_pointer)}
        # "/enum" names the keyword; the change points at the subschema holding it.
        with_keyword = {f"{pointer}/{change.keyword}" for pointer in pointers if change.keyword}
        return self.pointer in pointers | with_keyword


def _same_version(declared: str, version: str | None) -> bool:
    # "3.3.2" names the release whose folder or tag is "v3.3.2", as the report prints it.
    if version is None:
        return False
    if declared == version:
        return True
    declared_version, found = version_of(declared), version_of(version)
    return declared_version is not None and declared_version == found


def _value_of(change: Change) -> Any:
    return change.new_value if change.new_value is not None else change.old_value


@dataclasses.dataclass(frozen=True)
class Project:
    """Settings and declarations of one project, and the file they came from."""

    path: Path | None = None
    declarations: tuple[Declaration, ...] = ()
    modes: tuple[tuple[str, Mode], ...] = ()
    ignore: tuple[str, ...] = ()
    #: The table declarations live in: "declared" or "tool.schema-diff.declared".
    table: str = "declared"

    def mode_for(self, schema: str, default: Mode) -> Mode:
        """The mode for one document: the first glob that matches it, else the default."""
        for pattern, mode in self.modes:
            if fnmatch.fnmatchcase(schema, pattern) or fnmatch.fnmatchcase(os.path.basename(schema), pattern):
                return mode
        return default

    def ignores(self, schema: str) -> bool:
        """Whether a document is left out of the comparison."""
        return any(fnmatch.fnmatchcase(schema, pattern) or fnmatch.fnmatchcase(os.path.basename(schema), pattern)
                   for pattern in self.ignore)


def find_project(start: Path, config: Path | None = None) -> Project:
    """Read the project file named by `--config`, else `schema-diff.toml` or `pyproject.toml` in `start`."""
    if config is not None:
        if not config.is_file():
            raise ProjectFileError(f"{config}: no such project file")
        return read_project(config)
    for name in (PROJECT_FILE, PYPROJECT):
        candidate = start / name
        if candidate.is_file():
            project = read_project(candidate)
            if name == PROJECT_FILE or project.table.startswith("tool."):
                return project
    return Project()


def read_project(path: Path) -> Project:
    """Parse a project file; a `pyproject.toml` without a `[tool.schema-diff]` table yields an empty project."""
    try:
        data = tomllib.loads(_project_text(path))
    except tomllib.TOMLDecodeError as error:
        raise ProjectFileError(f"{path}: invalid TOML: {error}") from error
    if path.name == PYPROJECT:
        table = data.get("tool", {}).get("schema-diff")
        if table is None:
            return Project()
        return _project(path, table, "tool.schema-diff.declared")
    return _project(path, data, "declared")


def _project_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ProjectFileError(f"{path}: cannot be read: {error.strerror or error}") from error
    # tomllib rejects a byte order mark with "Invalid statement (at line 1, column 1)", which hides the cause.
    if data.startswith(b"\xef\xbb\xbf"):
        raise ProjectFileError(f"{path}: starts with a UTF-8 byte order mark, which Python's TOML reader (tomllib) rejects; save the file without it")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProjectFileError(f"{path}: not UTF-8 text (invalid byte at offset {error.start})") from error


_SETTINGS = frozenset({"declared", "modes", "ignore"})


def _project(path: Path, table: dict[str, Any], declared_table: str) -> Project:
    unknown = sorted(set(table) - _SETTINGS)
    if unknown:
        raise ProjectFileError(f"{path}: unknown setting {unknown[0]!r}; the project file knows {', '.join(sorted(_SETTINGS))}")
    entries = table.get("declared", [])
    if not isinstance(entries, list):
        raise ProjectFileError(f"{path}: `declared` must be an array of tables ([[declared]])")
    declarations = tuple(_declaration(path, position, entry) for position, entry in enumerate(entries))
    modes = table.get("modes", {})
    if not isinstance(modes, dict):
        raise ProjectFileError(f"{path}: `modes` must be a table of glob = mode")
    mode_list = tuple((str(glob), _mode(path, str(glob), value)) for glob, value in modes.items())
    ignore = table.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(item, str) for item in ignore):
        raise ProjectFileError(f"{path}: `ignore` must be a list of globs")
    return Project(path, declarations, mode_list, tuple(ignore), declared_table)


def _mode(path: Path, glob: str, value: Any) -> Mode:
    valid = [mode.value for mode in Mode]
    if value not in valid:
        raise ProjectFileError(f"{path}: invalid mode {value!r} for {glob!r} in `modes`; "
                               f"the valid modes are {', '.join(valid[:-1])} and {valid[-1]}")
    return Mode(value)


def _declaration(path: Path, position: int, entry: Any) -> Declaration:
    where = f"{path}: declared[{position}]"
    if not isinstance(entry, dict):
        raise ProjectFileError(f"{where}: must be a table")
    unknown = set(entry) - {"rule", "reason", "type", "schema", "pointer", "value", "version"}
    if unknown:
        raise ProjectFileError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    rule = entry.get("rule")
    if rule is None:
        raise ProjectFileError(f"{where}: missing `rule`; `schema-diff rules` lists the rule ids")
    if rule not in RULES:
        raise ProjectFileError(f"{where}: unknown rule {rule!r}; `schema-diff rules` lists them")
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ProjectFileError(f"{where}: a declaration needs a non-empty reason")
    if "type" not in entry and "schema" not in entry:
        raise ProjectFileError(f"{where}: name a `type` or a `schema` the declaration applies to")
    pointer = entry.get("pointer")
    if pointer is not None and (not isinstance(pointer, str) or (pointer and not pointer.startswith("/"))):
        raise ProjectFileError(f"{where}: `pointer` must be a JSON Pointer such as \"/properties/status\" (or \"\" for the root)")
    version = _string(where, entry, "version")
    if version is not None:
        try:
            Version(version)
        except InvalidVersion as error:
            raise ProjectFileError(f"{where}: `version` {version!r} is not a valid version number") from error
    return Declaration(
        rule=rule, reason=reason, type=entry.get("type"), schema=entry.get("schema"), pointer=pointer,
        value=entry.get("value"), has_value="value" in entry, version=version,
    )


def _string(where: str, entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    if value is not None and not isinstance(value, str):
        raise ProjectFileError(f"{where}: `{key}` must be a string")
    return value


# Writing declarations ------------------------------------------------------------------

def declaration_text(change: Change, reason: str, table: str = "declared") -> str:
    """A TOML `[[declared]]` entry that covers exactly this change."""
    lines = [f"[[{table}]]", f"rule = {_toml(change.rule)}"]
    pointer = change.new_pointer if change.new_pointer is not None else change.old_pointer
    if change.type_name:
        lines.append(f"type = {_toml(change.type_name)}")
        inside = pointer[len(change.type_pointer):] if pointer and change.type_pointer is not None and pointer.startswith(change.type_pointer) else ""
        if inside:
            # Narrows the entry to this place inside the type, wherever the type is inlined.
            lines.append(f"pointer = {_toml(inside)}")
    else:
        lines.append(f"schema = {_toml(change.schema)}")
        lines.append(f"pointer = {_toml(pointer or '')}")
    value = _value_of(change)
    if value is not None and _representable(value):
        lines.append(f"value = {_toml(value)}")
    lines.append(f"reason = {_toml(reason)}")
    return "\n".join(lines) + "\n"


def _representable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or (isinstance(value, list) and all(isinstance(item, (str, int, float, bool)) for item in value))


def _toml(value: Any) -> str:
    # JSON strings are valid TOML basic strings once non-ASCII stays escaped as \uXXXX.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(value)


def append_declarations(path: Path, entries: Iterable[str]) -> int:
    """Append entries to the project file, keeping every existing byte; write atomically.

    The new content goes to a temporary file in the same folder, which is flushed to disk
    and then renamed over the original, so a crash or a full disk leaves the old file whole.
    """
    texts = list(entries)
    if not texts:
        return 0
    if path.exists() and not path.stat().st_mode & 0o222:
        # Checked by mode bits: as root, access() would call every file writable.
        raise ProjectFileError(f"{path}: the file is read-only; nothing was written")
    try:
        original = path.read_bytes() if path.exists() else b""
    except OSError as error:
        raise ProjectFileError(f"{path}: cannot be read: {error.strerror}") from error
    # The new lines end as the file's own do (Windows files end them in CR LF).
    newline = b"\r\n" if b"\r\n" in original else b"\n"
    # One blank line between the old content and the new entries.
    if not original or original.endswith(newline * 2):
        separator = b""
    elif original.endswith(newline):
        separator = newline
    else:
        separator = newline * 2
    content = original + separator + "\n".join(texts).encode("utf-8").replace(b"\n", newline)
    try:
        tomllib.loads(content.decode("utf-8"))
    except tomllib.TOMLDecodeError as error:
        # Appending tables cannot extend, for one, a `declared = [...]` written inline.
        raise ProjectFileError(f"{path}: new declarations cannot be appended to this file ({error}); "
                               "write `declared` as [[declared]] tables; the file is unchanged") from error
    _write_atomically(path, content)
    return len(texts)


def _write_atomically(path: Path, content: bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise ProjectFileError(f"{path}: cannot write next to it: {error.strerror}") from error
    replaced = False
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
        replaced = True
    except OSError as error:
        raise ProjectFileError(f"{path}: cannot be written: {error.strerror}; the file is unchanged") from error
    finally:
        # Also on an interrupt: the temporary file never outlives a failed write.
        if not replaced:
            Path(temporary).unlink(missing_ok=True)
