"""Read `npm:NAME@VERSION[:SUBPATH]`: a package tarball from an npm registry, verified and read in memory."""

from __future__ import annotations

import dataclasses
import json
import os
import posixpath
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from checker.documents import DocumentSet
from checker.errors import DownloadError, IntegrityError, InvalidSourceError, PackageNotFoundError
from checker.sources import http
from checker.sources.archives import read_archive
from checker.sources.cache import CachedDownload, DownloadCache
from checker.sources.integrity import Digest, verify
from checker.sources.options import SourceOptions
from checker.sources.trees import FileTree, build_document_set, normalize_subpath, select

PREFIX = "npm:"
DEFAULT_REGISTRY = "https://registry.npmjs.org/"

# npm's own rules for package names, loosened to accept the upper-case names of old packages.
_NAME = re.compile(r"(?:@[A-Za-z0-9~-][A-Za-z0-9._~-]*/)?[A-Za-z0-9~-][A-Za-z0-9._~-]*")
# A version or dist-tag; starting with a letter or digit keeps it usable as a folder name in the cache.
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")
# An exact semantic version, the only kind whose tarball can be looked up in the cache without the registry.
_EXACT_VERSION = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")
# The abbreviated metadata document contains everything needed here and is much smaller than the full one.
_METADATA_TYPES = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8"


@dataclasses.dataclass(frozen=True)
class NpmPackage:
    """A parsed `npm:` source: package name, version or dist-tag, and the path inside the package."""

    name: str
    version: str
    subpath: str

    @property
    def label(self) -> str:
        return f"npm package {self.name}@{self.version}"


def parse_npm_spec(spec: str) -> NpmPackage:
    """Split `npm:NAME@VERSION[:SUBPATH]`, where NAME may be scoped (`@scope/name`)."""
    name_version, _, subpath = spec[len(PREFIX):].partition(":")
    # The last `@` separates the version, because a scoped name starts with one too.
    name, at, version = name_version.rpartition("@")
    if not at or not name:
        raise InvalidSourceError(f"{spec}: expected npm:NAME@VERSION[:SUBPATH], such as npm:@scope/name@1.2.3:schemas")
    check_package_name(spec, name)
    if not _VERSION.fullmatch(version):
        raise InvalidSourceError(f"{spec}: {version!r} is not a valid npm version or dist-tag")
    return NpmPackage(name, version, normalize_subpath(spec, subpath))


def check_package_name(spec: str, name: str) -> None:
    """Raise InvalidSourceError, naming `spec`, unless `name` is a valid npm package name."""
    if not _NAME.fullmatch(name):
        raise InvalidSourceError(f"{spec}: {name!r} is not a valid npm package name")


def open_npm(spec: str, options: SourceOptions) -> DocumentSet:
    """Download (or take from the cache) a package tarball and read its schema documents."""
    package = parse_npm_spec(spec)
    registry = registry_url(options.npm_registry, package.name)
    tarball, version = _tarball(package, registry, options)
    tree = read_archive(f"{package.label} ({tarball.file_name})", tarball.data, "tar", options.limits, strip_top=True)
    files, single_file = select(package.label, tree, package.subpath, skip=_is_package_metadata)
    return build_document_set(spec, files, single_file, _manifest_version(tree) or version)


def _tarball(package: NpmPackage, registry: str, options: SourceOptions) -> tuple[CachedDownload, str]:
    cache = DownloadCache(options.cache_dir, options.note)
    if _EXACT_VERSION.fullmatch(package.version):
        cached = cache.read(_cache_key(package.name, package.version), registry)
        if cached is not None:
            return cached, package.version
    metadata = _fetch_metadata(package, registry, options)
    version = _resolve_version(package, metadata, registry)
    if version != package.version:
        cached = cache.read(_cache_key(package.name, version), registry)
        if cached is not None:
            return cached, version
    url, digest = _distribution(package, metadata["versions"][version], registry)
    response = http.get(url, package.label, options.timeout, options.limits.max_bytes, credentials_from=registry)
    verify(response.body, digest, package.label, http.redact(url))
    download = CachedDownload(response.body, posixpath.basename(urllib.parse.urlsplit(url).path))
    cache.write(_cache_key(package.name, version), download, digest, registry)
    return download, version


def _cache_key(name: str, version: str) -> tuple[str, ...]:
    return ("npm", *name.split("/"), version)


def _fetch_metadata(package: NpmPackage, registry: str, options: SourceOptions) -> dict[str, Any]:
    # A scoped name keeps its `@` but its slash is encoded, as the registry API expects.
    url = registry.rstrip("/") + "/" + package.name.replace("/", "%2f")
    subject = f"npm package {package.name} in the registry {http.redact(registry)}"
    response = http.get(url, subject, options.timeout, options.limits.max_bytes, accept=_METADATA_TYPES)
    try:
        metadata = json.loads(response.body)
    except ValueError as error:
        raise DownloadError(f"{subject}: the registry's response is not JSON") from error
    if not isinstance(metadata, dict) or not isinstance(metadata.get("versions"), dict):
        raise DownloadError(f"{subject}: the registry's response has no list of versions")
    return metadata


def _resolve_version(package: NpmPackage, metadata: dict[str, Any], registry: str) -> str:
    """Return the exact version that VERSION names, which may be a dist-tag such as `latest`."""
    versions = metadata["versions"]
    tags = cast(dict[str, Any], metadata.get("dist-tags")) if isinstance(metadata.get("dist-tags"), dict) else {}
    version = package.version
    if version not in versions and isinstance(tags.get(version), str):
        version = tags[version]
    if version not in versions:
        latest = f" (latest is {tags['latest']})" if isinstance(tags.get("latest"), str) else ""
        raise PackageNotFoundError(f"npm package {package.name} has no version {package.version} in the registry {http.redact(registry)}{latest}")
    if not _VERSION.fullmatch(version):
        raise DownloadError(f"npm package {package.name}: the registry names a version {version!r} that is not valid")
    return version


def _distribution(package: NpmPackage, release: Any, registry: str) -> tuple[str, Digest]:
    """Return the tarball URL of one release and the hash it must match."""
    dist = release.get("dist") if isinstance(release, dict) else None
    if not isinstance(dist, dict) or not isinstance(dist.get("tarball"), str):
        raise DownloadError(f"{package.label}: the registry gives no tarball URL")
    digest = None
    if isinstance(dist.get("integrity"), str):
        digest = Digest.from_sri(dist["integrity"])
    if digest is None and isinstance(dist.get("shasum"), str):
        digest = Digest.from_hex("sha1", dist["shasum"])
    if digest is None:
        raise IntegrityError(f"{package.label}: the registry publishes no usable hash for its tarball, so it cannot be verified")
    return urllib.parse.urljoin(registry, dist["tarball"]), digest


def _is_package_metadata(path: str) -> bool:
    # The manifest and bundled dependencies are JSON but no schemas of this package.
    return path == "package.json" or path.startswith("node_modules/") or "/node_modules/" in path


def _manifest_version(tree: FileTree) -> str | None:
    try:
        manifest = json.loads(tree.files.get("package.json", b""))
    except ValueError:
        return None
    version = manifest.get("version") if isinstance(manifest, dict) else None
    return version if isinstance(version, str) else None


def registry_url(explicit: str | None, name: str, environ: Mapping[str, str] | None = None,
                 folders: Sequence[Path] | None = None) -> str:
    """Pick the registry for a package as npm does, after an explicit URL.

    Order: `explicit`; a `@scope:registry` line for the package's scope in `.npmrc`;
    $npm_config_registry; a `registry=` line in `.npmrc`; the public registry. `.npmrc` is
    read from `folders` (default: the home folder, then the current folder, which wins).
    """
    if explicit:
        return explicit
    environ = os.environ if environ is None else environ
    settings: dict[str, str] = {}
    for folder in folders if folders is not None else (Path.home(), Path.cwd()):
        settings.update(_read_npmrc(folder / ".npmrc", environ))
    scope = name.partition("/")[0] if name.startswith("@") else None
    if scope and settings.get(f"{scope}:registry"):
        return settings[f"{scope}:registry"]
    from_environment = environ.get("npm_config_registry") or environ.get("NPM_CONFIG_REGISTRY")
    return from_environment or settings.get("registry") or DEFAULT_REGISTRY


def _read_npmrc(file: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """Read the registry settings of one .npmrc file; other settings, tokens among them, are skipped."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    settings = {}
    for line in text.splitlines():
        key, separator, value = line.strip().partition("=")
        key = key.strip()
        if not separator or key.startswith(("#", ";")) or not (key == "registry" or key.endswith(":registry")):
            continue
        value = value.strip().strip("\"'")
        # npm expands ${NAME} from the environment in .npmrc values.
        settings[key] = re.sub(r"\$\{([^}]*)\}", lambda match: environ.get(match.group(1), ""), value)
    return settings
