"""`npm:NAME@VERSION[:SUBPATH]` sources, against a registry served on 127.0.0.1 inside each test."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.cli import main
from checker.errors import DownloadError, IntegrityError, InvalidSourceError, SourceNotFoundError
from checker.sources import ArchiveLimits, SourceOptions, open_source
from checker.sources.npm import DEFAULT_REGISTRY, parse_npm_spec, registry_url
from fakes import STATUS_NEW, STATUS_OLD, NpmRegistry, closed_port_url, npm_tarball, schema_bytes, tar_bytes

SCOPED = "@alienplatform/core"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty folder with a home folder of the test's own and no proxy or npm settings from outside."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "npm_config_registry"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    (tmp_path / "home").mkdir()
    (tmp_path / "work").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SCHEMA_DIFF_CACHE", str(tmp_path / "default-cache"))
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path


@pytest.fixture
def registry() -> Iterator[NpmRegistry]:
    with NpmRegistry() as server:
        yield server


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def options(registry: NpmRegistry | str, cache: Path, **overrides: object) -> SourceOptions:
    url = registry if isinstance(registry, str) else registry.url
    return SourceOptions(npm_registry=url, cache_dir=cache, **overrides)  # type: ignore[arg-type]


def publish_status(registry: NpmRegistry, name: str = SCOPED) -> None:
    """Publish 1.0.0 and 1.1.0 of a package whose schemas/status.json gains the enum value "failed"."""
    registry.publish(name, "1.0.0", npm_tarball(name, "1.0.0", {"schemas/status.json": schema_bytes(STATUS_OLD)}))
    registry.publish(name, "1.1.0", npm_tarball(name, "1.1.0", {"schemas/status.json": schema_bytes(STATUS_NEW)}))


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_error_line(code: int, out: str, err: str) -> str:
    assert code == 2, f"exit code {code}, stderr: {err!r}"
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("schema-diff: error: ")
    return lines[0]


# Parsing ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("spec", "name", "version", "subpath"), [
    ("npm:left-pad@1.3.0", "left-pad", "1.3.0", ""),
    # A scoped name starts with "@" too; the last "@" separates the version.
    ("npm:@alienplatform/core@1.7.1", "@alienplatform/core", "1.7.1", ""),
    ("npm:@alienplatform/core@1.7.1:dist/schemas", "@alienplatform/core", "1.7.1", "dist/schemas"),
    # Surrounding slashes and "." parts of SUBPATH carry no meaning.
    ("npm:pkg@2.0.0-beta.1:/schemas/./", "pkg", "2.0.0-beta.1", "schemas"),
    # A dist-tag in place of a version.
    ("npm:pkg@latest", "pkg", "latest", ""),
])
def test_parse_spec(spec: str, name: str, version: str, subpath: str) -> None:
    package = parse_npm_spec(spec)

    assert (package.name, package.version, package.subpath) == (name, version, subpath)


@pytest.mark.parametrize(("spec", "message"), [
    ("npm:left-pad", "npm:left-pad: expected npm:NAME@VERSION[:SUBPATH], such as npm:@scope/name@1.2.3:schemas"),
    ("npm:@scope/name", "npm:@scope/name: expected npm:NAME@VERSION[:SUBPATH], such as npm:@scope/name@1.2.3:schemas"),
    ("npm:@1.0.0", "npm:@1.0.0: expected npm:NAME@VERSION[:SUBPATH], such as npm:@scope/name@1.2.3:schemas"),
    ("npm:bad name@1.0.0", "npm:bad name@1.0.0: 'bad name' is not a valid npm package name"),
    ("npm:../../etc@1.0.0", "npm:../../etc@1.0.0: '../../etc' is not a valid npm package name"),
    ("npm:pkg@../1", "npm:pkg@../1: '../1' is not a valid npm version or dist-tag"),
    ("npm:pkg@", "npm:pkg@: '' is not a valid npm version or dist-tag"),
    ("npm:pkg@1.0.0:../outside", "npm:pkg@1.0.0:../outside: the path '../outside' must not contain '..'"),
])
def test_parse_spec_rejects(spec: str, message: str) -> None:
    with pytest.raises(InvalidSourceError) as raised:
        parse_npm_spec(spec)

    assert str(raised.value) == message


# Registry configuration -------------------------------------------------------------------

def test_registry_explicit_wins(tmp_path: Path) -> None:
    (tmp_path / ".npmrc").write_text("registry=http://from-npmrc.invalid/\n")

    assert registry_url("http://explicit.invalid/", "pkg", {"npm_config_registry": "http://env.invalid/"}, [tmp_path]) == "http://explicit.invalid/"


def test_registry_default() -> None:
    assert registry_url(None, "pkg", {}, []) == DEFAULT_REGISTRY == "https://registry.npmjs.org/"


def test_registry_from_environment_over_npmrc(tmp_path: Path) -> None:
    # npm reads settings from the environment before those in .npmrc files.
    (tmp_path / ".npmrc").write_text("registry=http://from-npmrc.invalid/\n")

    assert registry_url(None, "pkg", {"npm_config_registry": "http://env.invalid/"}, [tmp_path]) == "http://env.invalid/"


def test_registry_project_npmrc_over_user(tmp_path: Path) -> None:
    (tmp_path / "user").mkdir()
    (tmp_path / "project").mkdir()
    (tmp_path / "user" / ".npmrc").write_text("registry=http://user.invalid/\n")
    (tmp_path / "project" / ".npmrc").write_text("; a comment\n# another\nregistry = http://project.invalid/\n")

    assert registry_url(None, "pkg", {}, [tmp_path / "user", tmp_path / "project"]) == "http://project.invalid/"


def test_registry_scoped_line(tmp_path: Path) -> None:
    # A registry for one scope applies to that scope's packages only.
    (tmp_path / ".npmrc").write_text("@alienplatform:registry=http://scoped.invalid/\nregistry=http://plain.invalid/\n"
                                     "//scoped.invalid/:_authToken=${NPM_TOKEN}\n")

    assert registry_url(None, "@alienplatform/core", {}, [tmp_path]) == "http://scoped.invalid/"
    assert registry_url(None, "left-pad", {}, [tmp_path]) == "http://plain.invalid/"


def test_registry_expands_environment(tmp_path: Path) -> None:
    (tmp_path / ".npmrc").write_text("registry=http://${REGISTRY_HOST}/npm/\n")

    assert registry_url(None, "pkg", {"REGISTRY_HOST": "mirror.invalid"}, [tmp_path]) == "http://mirror.invalid/npm/"


def test_registry_npmrc_in_working_folder(isolated: Path, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Without --npm-registry the .npmrc of the working folder names the registry.
    with NpmRegistry() as registry:
        publish_status(registry, "pkg")
        (isolated / "work" / ".npmrc").write_text(f"registry={registry.url}/\n")

        code, _, _ = run(capsys, "npm:pkg@1.0.0:schemas", "npm:pkg@1.1.0:schemas", "--cache-dir", cache)

    assert code == 1
    assert registry.paths_requested()[0] == "/pkg"


# Reading packages -------------------------------------------------------------------------

def test_scoped_package_with_subpath(registry: NpmRegistry, cache: Path) -> None:
    publish_status(registry)

    documents = open_source(f"npm:{SCOPED}@1.0.0:schemas", options(registry, cache))

    assert documents.source == f"npm:{SCOPED}@1.0.0:schemas"
    assert documents.version == "1.0.0"
    assert list(documents.documents) == ["status.json"]
    assert documents.documents["status.json"].contents == STATUS_OLD
    assert documents.documents["status.json"].shown_as == f"npm:{SCOPED}@1.0.0:schemas/status.json"
    # The scope's slash is encoded in the metadata URL, and the abbreviated metadata is asked for.
    first = registry.requests[0]
    assert first.path == "/@alienplatform%2fcore"
    assert first.headers["Accept"].startswith("application/vnd.npm.install-v1+json")


def test_whole_package_skips_manifest(registry: NpmRegistry, cache: Path) -> None:
    tarball = npm_tarball("pkg", "1.0.0", {"schemas/status.json": schema_bytes(STATUS_OLD), "index.js": b"",
                                           "node_modules/dep/package.json": b"{}"})
    registry.publish("pkg", "1.0.0", tarball)

    documents = open_source("npm:pkg@1.0.0", options(registry, cache))

    # package.json and bundled dependencies are JSON, but no schemas of this package.
    assert list(documents.documents) == ["schemas/status.json"]


def test_subpath_names_a_file(registry: NpmRegistry, cache: Path) -> None:
    publish_status(registry)

    documents = open_source(f"npm:{SCOPED}@1.1.0:schemas/status.json", options(registry, cache))

    assert documents.single_file
    assert documents.documents["status.json"].contents == STATUS_NEW


def test_version_from_package_json(registry: NpmRegistry, cache: Path) -> None:
    # The report's version is the one package.json declares, here reached through a dist-tag.
    publish_status(registry, "pkg")
    registry.publish("pkg", "1.1.0", npm_tarball("pkg", "1.1.0", {"schemas/status.json": schema_bytes(STATUS_NEW)}),
                     tags={"latest": "1.1.0", "next": "1.1.0"})

    documents = open_source("npm:pkg@next:schemas", options(registry, cache))

    assert documents.version == "1.1.0"


def test_sha1_shasum_fallback(registry: NpmRegistry, cache: Path) -> None:
    # Old packages publish only a sha1 `shasum`, no `integrity`.
    tarball = npm_tarball("old", "0.1.0", {"s.json": schema_bytes(STATUS_OLD)})
    registry.publish("old", "0.1.0", tarball, integrity=None, shasum=hashlib.sha1(tarball).hexdigest())

    assert list(open_source("npm:old@0.1.0", options(registry, cache)).documents) == ["s.json"]


def test_missing_subpath(registry: NpmRegistry, cache: Path) -> None:
    publish_status(registry, "pkg")

    with pytest.raises(SourceNotFoundError) as raised:
        open_source("npm:pkg@1.0.0:nope", options(registry, cache))

    assert str(raised.value) == "npm package pkg@1.0.0: no file or folder 'nope'"


def test_subpath_not_a_schema(registry: NpmRegistry, cache: Path) -> None:
    registry.publish("pkg", "1.0.0", npm_tarball("pkg", "1.0.0", {"README.md": b"# pkg"}))

    with pytest.raises(InvalidSourceError, match=r"^npm package pkg@1.0.0: README.md is not a schema document"):
        open_source("npm:pkg@1.0.0:README.md", options(registry, cache))


# The cache --------------------------------------------------------------------------------

def test_second_open_uses_cache(registry: NpmRegistry, cache: Path) -> None:
    publish_status(registry)
    open_source(f"npm:{SCOPED}@1.0.0:schemas", options(registry, cache))
    requests_after_first = len(registry.requests)

    documents = open_source(f"npm:{SCOPED}@1.0.0:schemas", options(registry, cache))

    assert requests_after_first == 2  # metadata and tarball
    assert len(registry.requests) == requests_after_first
    assert documents.documents["status.json"].contents == STATUS_OLD
    entry = cache / "npm" / "@alienplatform" / "core" / "1.0.0"
    assert sorted(os.listdir(entry)) == ["download", "entry.json"]


def test_cache_ignored_for_other_registry(registry: NpmRegistry, cache: Path) -> None:
    publish_status(registry, "pkg")
    open_source("npm:pkg@1.0.0", options(registry, cache))

    with NpmRegistry() as other:
        publish_status(other, "pkg")
        open_source("npm:pkg@1.0.0", options(other, cache))

    # A tarball cached from one registry is not taken for another's.
    assert other.paths_requested() == ["/pkg", "/tarballs/pkg-1.0.0.tgz"]


def test_tampered_cache_downloaded_again(registry: NpmRegistry, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    publish_status(registry, "pkg")
    open_source("npm:pkg@1.0.0", options(registry, cache))
    entry = cache / "npm" / "pkg" / "1.0.0"
    (entry / "download").write_bytes(npm_tarball("pkg", "1.0.0", {"schemas/status.json": schema_bytes(STATUS_NEW)}))

    documents = open_source("npm:pkg@1.0.0", options(registry, cache))

    # The cached file no longer matches its hash, so it is fetched again and the true contents are read.
    assert documents.documents["schemas/status.json"].contents == STATUS_OLD
    assert registry.paths_requested()[-2:] == ["/pkg", "/tarballs/pkg-1.0.0.tgz"]
    assert capsys.readouterr().err == f"schema-diff: note: the cached download in {entry} does not match its recorded hash; downloading it again\n"


def test_dist_tag_not_looked_up_in_cache(registry: NpmRegistry, cache: Path) -> None:
    # A dist-tag moves between versions, so only the registry can resolve it to a version.
    publish_status(registry, "pkg")
    open_source("npm:pkg@latest", options(registry, cache))
    open_source("npm:pkg@latest", options(registry, cache))

    assert registry.paths_requested() == ["/pkg", "/tarballs/pkg-1.1.0.tgz", "/pkg"]


def test_nothing_written_outside_cache(registry: NpmRegistry, isolated: Path, cache: Path) -> None:
    publish_status(registry)
    before = sorted(str(path.relative_to(isolated)) for path in isolated.rglob("*"))

    open_source(f"npm:{SCOPED}@1.0.0", options(registry, cache))

    after = sorted(str(path.relative_to(isolated)) for path in isolated.rglob("*"))
    assert [path for path in after if path not in before and not path.startswith("cache")] == []
    # The atomic writes leave no temporary files behind.
    assert [path for path in after if ".tmp-" in path] == []


def test_unwritable_cache_is_a_note(registry: NpmRegistry, isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    publish_status(registry, "pkg")
    blocker = isolated / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")

    documents = open_source("npm:pkg@1.0.0", options(registry, blocker))

    assert documents.version == "1.0.0"
    assert capsys.readouterr().err.startswith(f"schema-diff: note: cannot write to the download cache {blocker}: ")


# Bad input --------------------------------------------------------------------------------

def test_integrity_mismatch(registry: NpmRegistry, cache: Path) -> None:
    tarball = npm_tarball("pkg", "1.0.0", {"s.json": schema_bytes(STATUS_OLD)})
    wrong = "sha512-" + base64.b64encode(hashlib.sha512(b"something else").digest()).decode()
    path = registry.publish("pkg", "1.0.0", tarball, integrity=wrong)

    with pytest.raises(IntegrityError) as raised:
        open_source("npm:pkg@1.0.0", options(registry, cache))

    assert str(raised.value) == (f"npm package pkg@1.0.0: the download from {registry.url}{path} does not match the sha512 hash "
                                 "the registry published for it; the file is damaged or was replaced, so schema-diff does not read it")
    assert not cache.exists()


def test_wrong_shasum(registry: NpmRegistry, cache: Path) -> None:
    tarball = npm_tarball("pkg", "1.0.0", {"s.json": schema_bytes(STATUS_OLD)})
    registry.publish("pkg", "1.0.0", tarball, integrity=None, shasum=hashlib.sha1(b"other").hexdigest())

    with pytest.raises(IntegrityError, match="does not match the sha1 hash"):
        open_source("npm:pkg@1.0.0", options(registry, cache))


def test_no_hash_published(registry: NpmRegistry, cache: Path) -> None:
    registry.publish("pkg", "1.0.0", npm_tarball("pkg", "1.0.0", {"s.json": b"{}"}), integrity=None)

    with pytest.raises(IntegrityError, match="^npm package pkg@1.0.0: the registry publishes no usable hash for its tarball"):
        open_source("npm:pkg@1.0.0", options(registry, cache))


def test_tarball_url_must_be_http(registry: NpmRegistry, cache: Path) -> None:
    registry.add("/pkg", json.dumps({"versions": {"1.0.0": {"dist": {"tarball": "file:///etc/passwd", "shasum": "00"}}}}).encode())

    with pytest.raises(DownloadError, match=r"^npm package pkg@1.0.0: file:///etc/passwd is not an http or https URL"):
        open_source("npm:pkg@1.0.0", options(registry, cache))


@pytest.mark.parametrize(("body", "problem"), [
    (b"<html>", "the registry's response is not JSON"),
    (b'{"name": "pkg"}', "the registry's response has no list of versions"),
])
def test_malformed_metadata(registry: NpmRegistry, cache: Path, body: bytes, problem: str) -> None:
    registry.add("/pkg", body)

    with pytest.raises(DownloadError, match=f"^npm package pkg in the registry {registry.url}: {problem}$"):
        open_source("npm:pkg@1.0.0", options(registry, cache))


def test_server_error(registry: NpmRegistry, cache: Path) -> None:
    registry.add("/pkg", b"down for maintenance", "text/plain", status=503)

    with pytest.raises(DownloadError) as raised:
        open_source("npm:pkg@1.0.0", options(registry, cache))

    assert str(raised.value) == f"npm package pkg in the registry {registry.url}: GET {registry.url}/pkg failed with HTTP 503 Service Unavailable"


def test_timeout(cache: Path) -> None:
    # A listener that accepts connections but never responds.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = "http://127.0.0.1:%d" % silent.getsockname()[1]

        with pytest.raises(DownloadError) as raised:
            open_source("npm:pkg@1.0.0", options(url, cache, timeout=0.2))

    assert str(raised.value) == f"npm package pkg in the registry {url}: GET {url}/pkg timed out after 0.2 s"


def test_download_over_size_limit(registry: NpmRegistry, cache: Path) -> None:
    # Random bytes do not compress, so the tarball is larger than the 2000-byte limit; the metadata is not.
    tarball = npm_tarball("pkg", "1.0.0", {"noise.bin": os.urandom(5000)})
    path = registry.publish("pkg", "1.0.0", tarball)

    with pytest.raises(DownloadError) as raised:
        open_source("npm:pkg@1.0.0", options(registry, cache, limits=ArchiveLimits(max_bytes=2000)))

    assert str(raised.value) == f"npm package pkg@1.0.0: {registry.url}{path} is larger than 2000 bytes, the download limit; the download was stopped"


def test_cli_two_versions(registry: NpmRegistry, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    publish_status(registry)

    code, out, _ = run(capsys, f"npm:{SCOPED}@1.0.0:schemas", f"npm:{SCOPED}@1.1.0:schemas",
                       "--npm-registry", registry.url, "--cache-dir", cache, "--format", "json")
    report = json.loads(out)

    # 1.1.0 adds "failed" to the enum: old readers reject it, so it breaks forward.
    assert code == 1
    assert [(change["rule"], change["new_value"], change["breaks"]) for change in report["changes"]] == [
        ("enum-value-added", "failed", ["forward"])]
    assert report["old"] == {"source": f"npm:{SCOPED}@1.0.0:schemas", "version": "1.0.0"}
    assert report["new"] == {"source": f"npm:{SCOPED}@1.1.0:schemas", "version": "1.1.0"}


def test_cli_package_not_found_exit_2(registry: NpmRegistry, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = one_error_line(*run(capsys, "npm:nothere@1.0.0", "npm:nothere@1.1.0", "--npm-registry", registry.url, "--cache-dir", cache))

    assert line == f"schema-diff: error: npm package nothere in the registry {registry.url}: not found (HTTP 404 from {registry.url}/nothere)"


def test_cli_version_not_found_exit_2(registry: NpmRegistry, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    publish_status(registry, "pkg")

    line = one_error_line(*run(capsys, "npm:pkg@1.0.0", "npm:pkg@9.9.9", "--npm-registry", registry.url, "--cache-dir", cache))

    assert line == f"schema-diff: error: npm package pkg has no version 9.9.9 in the registry {registry.url} (latest is 1.1.0)"


def test_cli_network_failure_exit_2(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = closed_port_url()

    line = one_error_line(*run(capsys, "npm:pkg@1.0.0", "npm:pkg@1.1.0", "--npm-registry", url, "--cache-dir", cache))

    assert line == f"schema-diff: error: npm package pkg in the registry {url}: cannot reach {url}/pkg: Connection refused"


def test_cli_integrity_mismatch_exit_2(registry: NpmRegistry, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    publish_status(registry, "pkg")
    # The registry lists the true hash of 1.1.0, but now serves other bytes for it.
    registry.add("/tarballs/pkg-1.1.0.tgz", npm_tarball("pkg", "1.1.0", {"evil.json": b"{}"}), "application/octet-stream")

    line = one_error_line(*run(capsys, "npm:pkg@1.0.0", "npm:pkg@1.1.0", "--npm-registry", registry.url, "--cache-dir", cache))

    assert line.startswith("schema-diff: error: npm package pkg@1.1.0: the download from ")
    assert "does not match the sha512 hash the registry published for it" in line
    assert not (cache / "npm" / "pkg" / "1.1.0").exists()


@pytest.mark.parametrize(("members", "symlinks", "problem"), [
    ({"package/../../evil.json": b"{}"}, {}, "member 'package/../../evil.json' leads out of its folder with '..'"),
    ({}, {"package/link.json": "/etc/passwd"}, "member 'package/link.json' is a link"),
])
def test_cli_unsafe_tarball_exit_2(registry: NpmRegistry, cache: Path, capsys: pytest.CaptureFixture[str],
                                   members: dict[str, bytes], symlinks: dict[str, str], problem: str) -> None:
    publish_status(registry, "pkg")
    files = {"package/package.json": b'{"version": "1.1.0"}', **members}
    registry.publish("pkg", "1.1.0", tar_bytes(files, symlinks=symlinks))

    line = one_error_line(*run(capsys, "npm:pkg@1.0.0", "npm:pkg@1.1.0", "--npm-registry", registry.url, "--cache-dir", cache))

    assert line.startswith(f"schema-diff: error: npm package pkg@1.1.0 (pkg-1.1.0.tgz): {problem}")


def test_cli_malformed_spec_exit_2(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = one_error_line(*run(capsys, "npm:pkg", "npm:pkg@1.0.0", "--npm-registry", closed_port_url(), "--cache-dir", cache))

    assert line == "schema-diff: error: npm:pkg: expected npm:NAME@VERSION[:SUBPATH], such as npm:@scope/name@1.2.3:schemas"
