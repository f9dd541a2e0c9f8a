"""Read `pypi:NAME==VERSION[:SUBPATH]`: a wheel or source archive from a package index, verified and read in memory."""

from __future__ import annotations

import configparser
import dataclasses
import json
import os
import re
import sys
import urllib.parse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from packaging.tags import Tag
from packaging.utils import InvalidSdistFilename, InvalidWheelFilename, canonicalize_name, parse_sdist_filename, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from checker.documents import DocumentSet
from checker.errors import DownloadError, IntegrityError, InvalidSourceError, PackageNotFoundError, UsageError
from checker.sources import http
from checker.sources.archives import archive_kind, read_archive
from checker.sources.cache import CachedDownload, DownloadCache
from checker.sources.integrity import Digest, verify
from checker.sources.options import SourceOptions
from checker.sources.trees import build_document_set, normalize_subpath, select

PREFIX = "pypi:"
DEFAULT_INDEX = "https://pypi.org/simple"
# The JSON form of the simple repository API (PEP 691), version 1.
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
# A project name as PEP 508 allows it.
_NAME = re.compile(r"[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9]", re.IGNORECASE)
_PURE_PYTHON = Tag("py3", "none", "any")


@dataclasses.dataclass(frozen=True)
class PypiPackage:
    """A parsed `pypi:` source: project name, exact version, and the path inside the wheel or archive."""

    name: str
    version: Version
    subpath: str

    @property
    def label(self) -> str:
        return f"PyPI package {self.name}=={self.version}"


def parse_pypi_spec(spec: str) -> PypiPackage:
    """Split `pypi:NAME==VERSION[:SUBPATH]`."""
    requirement, _, subpath = spec[len(PREFIX):].partition(":")
    name, separator, version_text = requirement.partition("==")
    if not separator or not name or not version_text:
        raise InvalidSourceError(f"{spec}: expected pypi:NAME==VERSION[:SUBPATH], such as pypi:example-schemas==1.2.0:schemas")
    check_project_name(spec, name)
    try:
        version = Version(version_text)
    except InvalidVersion as error:
        raise InvalidSourceError(f"{spec}: {version_text!r} is not a valid Python package version") from error
    return PypiPackage(name, version, normalize_subpath(spec, subpath))


def check_project_name(spec: str, name: str) -> None:
    """Raise InvalidSourceError, naming `spec`, unless `name` is a valid Python project name."""
    if not _NAME.fullmatch(name):
        raise InvalidSourceError(f"{spec}: {name!r} is not a valid Python project name")


def open_pypi(spec: str, options: SourceOptions) -> DocumentSet:
    """Download (or take from the cache) a wheel, else a source archive, and read its schema documents.

    SUBPATH is a path inside the wheel; in a source archive it is a path below the archive's
    top folder (`NAME-VERSION/`).
    """
    package = parse_pypi_spec(spec)
    download = _download(package, index_url(options.index_url), options)
    is_wheel = download.file_name.endswith(".whl")
    kind = archive_kind(download.file_name)
    if kind is None:
        raise DownloadError(f"{package.label}: {download.file_name} is neither a wheel nor a .tar.gz or .zip source archive")
    label = f"{package.label} ({download.file_name})"
    tree = read_archive(label, download.data, kind, options.limits, strip_top=not is_wheel)
    files, single_file = select(package.label, tree, package.subpath, skip=_is_wheel_metadata if is_wheel else None)
    return build_document_set(spec, files, single_file, _published_version(download.file_name, package.version))


def _download(package: PypiPackage, index: str, options: SourceOptions) -> CachedDownload:
    cache = DownloadCache(options.cache_dir, options.note)
    key = ("pypi", canonicalize_name(package.name), str(package.version))
    cached = cache.read(key, index)
    if cached is not None:
        return cached
    file, page_url = _find_file(package, index, options)
    digest = _digest(file["hashes"]) if isinstance(file.get("hashes"), dict) else None
    if digest is None:
        raise IntegrityError(f"{package.label}: the index publishes no usable hash for {file['filename']}, so it cannot be verified")
    url = urllib.parse.urljoin(page_url, file["url"])
    response = http.get(url, package.label, options.timeout, options.limits.max_bytes, credentials_from=index)
    verify(response.body, digest, package.label, http.redact(url))
    download = CachedDownload(response.body, file["filename"])
    cache.write(key, download, digest, index)
    return download


def _find_file(package: PypiPackage, index: str, options: SourceOptions) -> tuple[dict[str, Any], str]:
    """Fetch the project's page from the index and pick the file to read for the version."""
    url = index.rstrip("/") + "/" + canonicalize_name(package.name) + "/"
    subject = f"PyPI project {package.name} in the index {http.redact(index)}"
    response = http.get(url, subject, options.timeout, options.limits.max_bytes, accept=SIMPLE_JSON)
    # NOTE: indexes that only serve the HTML form of the simple API (PEP 503) are not read.
    if response.content_type != SIMPLE_JSON:
        raise DownloadError(f"{subject}: the index does not serve the JSON simple API (PEP 691); it responded with {response.content_type}")
    try:
        page = json.loads(response.body)
    except ValueError as error:
        raise DownloadError(f"{subject}: the index's response is not JSON") from error
    files = page.get("files") if isinstance(page, dict) else None
    if not isinstance(files, list):
        raise DownloadError(f"{subject}: the index's response has no list of files")
    chosen = choose_file(files, package.version)
    if chosen is None:
        raise PackageNotFoundError(f"PyPI project {package.name} has no wheel or source archive for version {package.version} in the index {http.redact(index)}")
    return chosen, response.url


def choose_file(files: Sequence[Any], version: Version) -> dict[str, Any] | None:
    """Pick the file of one version: a `py3-none-any` wheel, else any wheel, else a source archive.

    Among equals the first file name in sorted order wins, so the choice does not depend on
    the order the index lists files in.
    """
    wheels: list[tuple[bool, str, dict[str, Any]]] = []
    source_archives: list[tuple[str, dict[str, Any]]] = []
    for file in files:
        if not isinstance(file, dict) or not isinstance(file.get("filename"), str) or not isinstance(file.get("url"), str):
            continue
        name = file["filename"]
        try:
            if name.endswith(".whl"):
                _, wheel_version, _, tags = parse_wheel_filename(name)
                if wheel_version == version:
                    wheels.append((_PURE_PYTHON not in tags, name, file))
            elif name.endswith((".tar.gz", ".zip")) and parse_sdist_filename(name)[1] == version:
                source_archives.append((name, file))
        except (InvalidWheelFilename, InvalidSdistFilename):
            continue
    if wheels:
        return min(wheels, key=lambda wheel: wheel[:2])[2]
    if source_archives:
        return min(source_archives, key=lambda archive: archive[0])[1]
    return None


def _digest(hashes: dict[str, Any]) -> Digest | None:
    # sha256 is the hash PEP 691 recommends; any other hash hashlib always has will do.
    for algorithm in ("sha256", *sorted(hashes)):
        if isinstance(hashes.get(algorithm), str):
            digest = Digest.from_hex(algorithm, hashes[algorithm])
            if digest is not None:
                return digest
    return None


def _published_version(file_name: str, requested: Version) -> str:
    """Return the version as the file name spells it (`1.0.0` where `1.0` was requested)."""
    try:
        if file_name.endswith(".whl"):
            return str(parse_wheel_filename(file_name)[1])
        return str(parse_sdist_filename(file_name)[1])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return str(requested)


def _is_wheel_metadata(path: str) -> bool:
    return path.partition("/")[0].endswith(".dist-info")


def index_url(explicit: str | None, environ: Mapping[str, str] | None = None, config_files: Sequence[Path] | None = None) -> str:
    """Pick the package index as pip does: `explicit`, else $PIP_INDEX_URL, else pip's configuration files.

    `config_files` are in increasing precedence (default: pip's own list for this system);
    the `index-url` of their `[global]` section counts. pip itself is never run.
    """
    if explicit:
        return explicit
    environ = os.environ if environ is None else environ
    if environ.get("PIP_INDEX_URL"):
        return environ["PIP_INDEX_URL"]
    for file in reversed(config_files if config_files is not None else pip_config_files(environ)):
        found = _read_index_url(file)
        if found:
            return found
    return DEFAULT_INDEX


def pip_config_files(environ: Mapping[str, str]) -> list[Path]:
    """List pip's configuration files on POSIX systems, lowest precedence first, as pip 23 and later read them."""
    named = environ.get("PIP_CONFIG_FILE")
    if named == os.devnull:
        return []
    config_dirs = environ.get("XDG_CONFIG_DIRS") or "/etc/xdg"
    files = [Path(folder) / "pip" / "pip.conf" for folder in config_dirs.split(os.pathsep) if folder]
    files.append(Path("/etc/pip.conf"))
    # pip skips the user's files when PIP_CONFIG_FILE names a file that exists.
    if not (named and Path(named).exists()):
        home = Path(environ["HOME"]) if environ.get("HOME") else Path.home()
        config_home = Path(environ["XDG_CONFIG_HOME"]) if environ.get("XDG_CONFIG_HOME") else home / ".config"
        files += [home / ".pip" / "pip.conf", config_home / "pip" / "pip.conf"]
    files.append(Path(sys.prefix) / "pip.conf")
    if named:
        files.append(Path(named))
    return files


def _read_index_url(file: Path) -> str | None:
    parser = configparser.RawConfigParser()
    try:
        parser.read(file, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as error:
        raise UsageError(f"{file}: invalid pip configuration file: {error}") from error
    return parser.get("global", "index-url", fallback=None) or None
