"""`pypi:NAME==VERSION[:SUBPATH]` sources, against a PEP 691 simple index served on 127.0.0.1 inside each test."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.version import Version

from checker.cli import main
from checker.errors import DownloadError, IntegrityError, InvalidSourceError, PackageNotFoundError, UsageError
from checker.sources import SourceOptions, open_source
from checker.sources.pypi import DEFAULT_INDEX, choose_file, index_url, parse_pypi_spec, pip_config_files
from fakes import STATUS_NEW, STATUS_OLD, PypiIndex, closed_port_url, schema_bytes, tar_bytes, wheel_bytes, zip_bytes

INTEGER = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "integer"}


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty folder with a home folder of the test's own and no proxy or pip settings from outside."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    for name in ("PIP_INDEX_URL", "PIP_CONFIG_FILE", "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "home").mkdir()
    (tmp_path / "work").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SCHEMA_DIFF_CACHE", str(tmp_path / "default-cache"))
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path


@pytest.fixture
def index() -> Iterator[PypiIndex]:
    with PypiIndex() as server:
        yield server


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def options(index: PypiIndex | str, cache: Path, **overrides: object) -> SourceOptions:
    url = index if isinstance(index, str) else index.index_url
    return SourceOptions(index_url=url, cache_dir=cache, **overrides)  # type: ignore[arg-type]


def publish_status(index: PypiIndex) -> None:
    """Publish wheels 1.0.0 and 1.1.0 whose example_schemas/status.json gains the enum value "failed"."""
    for version, schema in (("1.0.0", STATUS_OLD), ("1.1.0", STATUS_NEW)):
        wheel = wheel_bytes("example_schemas", version, {"example_schemas/status.json": schema_bytes(schema)})
        index.publish("example-schemas", f"example_schemas-{version}-py3-none-any.whl", wheel)


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
    ("pypi:example-schemas==1.2.0", "example-schemas", Version("1.2.0"), ""),
    ("pypi:Example_Schemas==1.2.0rc1:example_schemas/json", "Example_Schemas", Version("1.2.0rc1"), "example_schemas/json"),
    ("pypi:x==2:/a/./b/", "x", Version("2"), "a/b"),
])
def test_parse_spec(spec: str, name: str, version: Version, subpath: str) -> None:
    package = parse_pypi_spec(spec)

    assert (package.name, package.version, package.subpath) == (name, version, subpath)


@pytest.mark.parametrize(("spec", "message"), [
    ("pypi:pkg", "pypi:pkg: expected pypi:NAME==VERSION[:SUBPATH], such as pypi:example-schemas==1.2.0:schemas"),
    # Only an exact version names one file; a range would need a resolver.
    ("pypi:pkg>=1.0", "pypi:pkg>=1.0: expected pypi:NAME==VERSION[:SUBPATH], such as pypi:example-schemas==1.2.0:schemas"),
    ("pypi:-pkg==1.0", "pypi:-pkg==1.0: '-pkg' is not a valid Python project name"),
    ("pypi:../pkg==1.0", "pypi:../pkg==1.0: '../pkg' is not a valid Python project name"),
    ("pypi:pkg==one", "pypi:pkg==one: 'one' is not a valid Python package version"),
    ("pypi:pkg==1.0:../up", "pypi:pkg==1.0:../up: the path '../up' must not contain '..'"),
])
def test_parse_spec_rejects(spec: str, message: str) -> None:
    with pytest.raises(InvalidSourceError) as raised:
        parse_pypi_spec(spec)

    assert str(raised.value) == message


# Choosing a file --------------------------------------------------------------------------

def listing(*names: str) -> list[dict[str, object]]:
    return [{"filename": name, "url": name, "hashes": {}} for name in names]


@pytest.mark.parametrize(("names", "chosen"), [
    # A pure-Python wheel beats a platform wheel and the source archive.
    (["pkg-1.0.tar.gz", "pkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", "pkg-1.0-py3-none-any.whl"], "pkg-1.0-py3-none-any.whl"),
    # A wheel for Python 2 and 3 carries the py3-none-any tag too.
    (["pkg-1.0-cp311-cp311-win_amd64.whl", "pkg-1.0-py2.py3-none-any.whl"], "pkg-1.0-py2.py3-none-any.whl"),
    # Without a pure wheel any wheel will do (the first by name, whatever the listing order).
    (["pkg-1.0.tar.gz", "pkg-1.0-cp312-cp312-win_amd64.whl", "pkg-1.0-cp311-cp311-win_amd64.whl"], "pkg-1.0-cp311-cp311-win_amd64.whl"),
    # Without wheels, the source archive.
    (["pkg-1.0.tar.gz", "pkg-0.9-py3-none-any.whl"], "pkg-1.0.tar.gz"),
    # Versions compare as versions: 1.0.0 is 1.0.
    (["pkg-1.0.0-py3-none-any.whl"], "pkg-1.0.0-py3-none-any.whl"),
    # Other versions, unknown kinds and malformed names are passed over.
    (["pkg-1.0.1-py3-none-any.whl", "pkg-1.0.exe", "pkg-1.0-bad.whl", "pkg-1.0rc1.tar.gz"], None),
])
def test_choose_file(names: list[str], chosen: str | None) -> None:
    found = choose_file(listing(*names), Version("1.0"))

    assert (found["filename"] if found else None) == chosen


# Index configuration ----------------------------------------------------------------------

def test_index_explicit_wins() -> None:
    assert index_url("http://explicit.invalid/simple", {"PIP_INDEX_URL": "http://env.invalid/simple"}, []) == "http://explicit.invalid/simple"


def test_index_from_environment() -> None:
    assert index_url(None, {"PIP_INDEX_URL": "http://env.invalid/simple"}, []) == "http://env.invalid/simple"


def test_index_default() -> None:
    assert index_url(None, {}, []) == DEFAULT_INDEX == "https://pypi.org/simple"


def test_index_later_config_file_wins(tmp_path: Path) -> None:
    system, user = tmp_path / "system.conf", tmp_path / "user.conf"
    system.write_text("[global]\nindex-url = http://system.invalid/simple\n")
    user.write_text("[global]\nindex-url = http://user.invalid/simple\ntimeout = 60\n")

    assert index_url(None, {}, [system, user]) == "http://user.invalid/simple"
    assert index_url(None, {}, [user, system]) == "http://system.invalid/simple"


def test_index_config_without_index_url(tmp_path: Path) -> None:
    system, user = tmp_path / "system.conf", tmp_path / "user.conf"
    system.write_text("[global]\nindex-url = http://system.invalid/simple\n")
    user.write_text("[install]\nno-compile = true\n")

    # The user's file sets nothing about the index, so the system file's setting applies.
    assert index_url(None, {}, [system, user, tmp_path / "missing.conf"]) == "http://system.invalid/simple"


def test_index_invalid_config(tmp_path: Path) -> None:
    broken = tmp_path / "pip.conf"
    broken.write_text("index-url = no section header\n")

    with pytest.raises(UsageError, match=f"^{broken}: invalid pip configuration file: "):
        index_url(None, {}, [broken])


def test_pip_config_files_order(tmp_path: Path) -> None:
    files = pip_config_files({"HOME": str(tmp_path / "h"), "XDG_CONFIG_DIRS": str(tmp_path / "xdg")})

    # Lowest precedence first: system-wide, then the user's legacy and current files, then the environment's.
    assert files[:4] == [tmp_path / "xdg" / "pip" / "pip.conf", Path("/etc/pip.conf"),
                         tmp_path / "h" / ".pip" / "pip.conf", tmp_path / "h" / ".config" / "pip" / "pip.conf"]


def test_pip_config_file_variable(tmp_path: Path) -> None:
    named = tmp_path / "named.conf"
    named.write_text("[global]\nindex-url = http://named.invalid/simple\n")

    files = pip_config_files({"HOME": str(tmp_path / "h"), "PIP_CONFIG_FILE": str(named)})

    # pip reads the named file last and skips the user's files when it exists.
    assert files[-1] == named
    assert tmp_path / "h" / ".config" / "pip" / "pip.conf" not in files
    assert pip_config_files({"PIP_CONFIG_FILE": os.devnull}) == []


def test_index_from_user_config(isolated: Path, index: PypiIndex, cache: Path) -> None:
    publish_status(index)
    config = isolated / "home" / ".config" / "pip" / "pip.conf"
    config.parent.mkdir(parents=True)
    config.write_text(f"[global]\nindex-url = {index.index_url}\n")
    user_files = [isolated / "home" / ".pip" / "pip.conf", config]

    assert index_url(None, {"HOME": str(isolated / "home")}, user_files) == index.index_url


# Reading packages -------------------------------------------------------------------------

def test_wheel_with_subpath(index: PypiIndex, cache: Path) -> None:
    publish_status(index)

    documents = open_source("pypi:example-schemas==1.0.0:example_schemas", options(index, cache))

    assert documents.source == "pypi:example-schemas==1.0.0:example_schemas"
    assert documents.version == "1.0.0"
    assert documents.documents["status.json"].contents == STATUS_OLD
    first = index.requests[0]
    assert first.path == "/simple/example-schemas/"
    assert first.headers["Accept"] == "application/vnd.pypi.simple.v1+json"


def test_name_normalized_for_index(index: PypiIndex, cache: Path) -> None:
    # The index lists projects by their normalized name (PEP 503): Example_Schemas is example-schemas.
    publish_status(index)

    documents = open_source("pypi:Example_Schemas==1.1:example_schemas/status.json", options(index, cache))

    assert documents.single_file
    assert documents.version == "1.1.0"
    assert documents.documents["status.json"].contents == STATUS_NEW


def test_wheel_skips_dist_info(index: PypiIndex, cache: Path) -> None:
    publish_status(index)

    documents = open_source("pypi:example-schemas==1.0.0", options(index, cache))

    # direct_url.json in .dist-info is metadata of the wheel, not a schema.
    assert list(documents.documents) == ["example_schemas/status.json"]


def test_pure_wheel_preferred(index: PypiIndex, cache: Path) -> None:
    index.publish("pkg", "pkg-1.0.tar.gz", tar_bytes({"pkg-1.0/s.json": schema_bytes(INTEGER)}))
    index.publish("pkg", "pkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", wheel_bytes("pkg", "1.0", {"s.json": schema_bytes(INTEGER)}))
    index.publish("pkg", "pkg-1.0-py3-none-any.whl", wheel_bytes("pkg", "1.0", {"s.json": schema_bytes(STATUS_OLD)}))

    documents = open_source("pypi:pkg==1.0", options(index, cache))

    assert documents.documents["s.json"].contents == STATUS_OLD
    assert index.paths_requested() == ["/simple/pkg/", "/files/pkg-1.0-py3-none-any.whl"]


def test_source_archive_top_folder_stripped(index: PypiIndex, cache: Path) -> None:
    sdist = tar_bytes({"pkg-2.0/PKG-INFO": b"Name: pkg\n", "pkg-2.0/src/pkg/schemas/s.json": schema_bytes(STATUS_OLD)})
    index.publish("pkg", "pkg-2.0.tar.gz", sdist)

    documents = open_source("pypi:pkg==2.0:src/pkg/schemas", options(index, cache))

    assert list(documents.documents) == ["s.json"]
    assert documents.version == "2.0"


def test_zip_source_archive(index: PypiIndex, cache: Path) -> None:
    index.publish("pkg", "pkg-2.0.zip", zip_bytes({"pkg-2.0/schemas/s.json": schema_bytes(STATUS_OLD)}))

    assert list(open_source("pypi:pkg==2.0:schemas", options(index, cache)).documents) == ["s.json"]


def test_other_hash_algorithm(index: PypiIndex, cache: Path) -> None:
    # sha256 is recommended, not required: any hash hashlib always has is checked.
    wheel = wheel_bytes("pkg", "1.0", {"s.json": schema_bytes(STATUS_OLD)})
    index.publish("pkg", "pkg-1.0-py3-none-any.whl", wheel, hashes={"sha512": hashlib.sha512(wheel).hexdigest()})

    assert list(open_source("pypi:pkg==1.0", options(index, cache)).documents) == ["s.json"]


def test_second_open_uses_cache(index: PypiIndex, cache: Path) -> None:
    publish_status(index)
    open_source("pypi:example-schemas==1.0.0", options(index, cache))
    requests_after_first = len(index.requests)

    documents = open_source("pypi:example-schemas==1.0.0", options(index, cache))

    assert requests_after_first == 2  # the project page and the wheel
    assert len(index.requests) == requests_after_first
    assert documents.version == "1.0.0"
    assert sorted(os.listdir(cache / "pypi" / "example-schemas" / "1.0.0")) == ["download", "entry.json"]


def test_credentials_in_index_url(index: PypiIndex, cache: Path) -> None:
    publish_status(index)
    index.required_authorization = "Basic " + base64.b64encode(b"reader:s3cret").decode()
    url = index.index_url.replace("http://", "http://reader:s3cret@")

    documents = open_source("pypi:example-schemas==1.0.0", options(url, cache))

    assert documents.version == "1.0.0"
    assert all(request.headers.get("Authorization") == index.required_authorization for request in index.requests)


def test_credentials_never_in_messages(index: PypiIndex, cache: Path) -> None:
    url = index.index_url.replace("http://", "http://reader:s3cret@")

    with pytest.raises(PackageNotFoundError) as raised:
        open_source("pypi:nothere==1.0", options(url, cache))

    assert "s3cret" not in str(raised.value)
    assert f"http://***@{index.url.removeprefix('http://')}/simple/nothere/" in str(raised.value)


# Bad input --------------------------------------------------------------------------------

def test_hash_mismatch(index: PypiIndex, cache: Path) -> None:
    wheel = wheel_bytes("pkg", "1.0", {"s.json": schema_bytes(STATUS_OLD)})
    path = index.publish("pkg", "pkg-1.0-py3-none-any.whl", wheel, hashes={"sha256": hashlib.sha256(b"other").hexdigest()})

    with pytest.raises(IntegrityError) as raised:
        open_source("pypi:pkg==1.0", options(index, cache))

    assert str(raised.value) == (f"PyPI package pkg==1.0: the download from {index.url}{path} does not match the sha256 hash "
                                 "the registry published for it; the file is damaged or was replaced, so schema-diff does not read it")
    assert not cache.exists()


def test_no_hash(index: PypiIndex, cache: Path) -> None:
    index.publish("pkg", "pkg-1.0-py3-none-any.whl", wheel_bytes("pkg", "1.0", {}), hashes={})

    with pytest.raises(IntegrityError, match=r"^PyPI package pkg==1.0: the index publishes no usable hash for pkg-1.0-py3-none-any.whl"):
        open_source("pypi:pkg==1.0", options(index, cache))


def test_html_only_index(index: PypiIndex, cache: Path) -> None:
    index.add("/simple/pkg/", b"<html><body></body></html>", "text/html")

    with pytest.raises(DownloadError) as raised:
        open_source("pypi:pkg==1.0", options(index, cache))

    assert str(raised.value) == (f"PyPI project pkg in the index {index.index_url}: the index does not serve the JSON "
                                 "simple API (PEP 691); it responded with text/html")


def test_cli_two_versions(index: PypiIndex, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    publish_status(index)

    code, out, _ = run(capsys, "pypi:example-schemas==1.0.0:example_schemas", "pypi:example-schemas==1.1.0:example_schemas",
                       "--index-url", index.index_url, "--cache-dir", cache, "--format", "json")
    report = json.loads(out)

    # 1.1.0 adds "failed" to the enum: old readers reject it, so it breaks forward.
    assert code == 1
    assert [(change["rule"], change["new_value"], change["breaks"]) for change in report["changes"]] == [
        ("enum-value-added", "failed", ["forward"])]
    assert (report["old"]["version"], report["new"]["version"]) == ("1.0.0", "1.1.0")


def test_cli_project_not_found_exit_2(index: PypiIndex, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = one_error_line(*run(capsys, "pypi:nothere==1.0", "pypi:nothere==1.1", "--index-url", index.index_url, "--cache-dir", cache))

    assert line == (f"schema-diff: error: PyPI project nothere in the index {index.index_url}: "
                    f"not found (HTTP 404 from {index.index_url}/nothere/)")


def test_cli_version_not_found_exit_2(index: PypiIndex, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    publish_status(index)

    line = one_error_line(*run(capsys, "pypi:example-schemas==1.0.0", "pypi:example-schemas==9.0",
                               "--index-url", index.index_url, "--cache-dir", cache))

    assert line == f"schema-diff: error: PyPI project example-schemas has no wheel or source archive for version 9.0 in the index {index.index_url}"


def test_cli_network_failure_exit_2(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = closed_port_url() + "/simple"

    line = one_error_line(*run(capsys, "pypi:pkg==1.0", "pypi:pkg==1.1", "--index-url", url, "--cache-dir", cache))

    assert line == f"schema-diff: error: PyPI project pkg in the index {url}: cannot reach {url}/pkg/: Connection refused"


def test_cli_hash_mismatch_exit_2(index: PypiIndex, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    publish_status(index)
    # The index lists the true hash of 1.1.0, but now serves other bytes for it.
    index.add("/files/example_schemas-1.1.0-py3-none-any.whl", wheel_bytes("example_schemas", "1.1.0", {}))

    line = one_error_line(*run(capsys, "pypi:example-schemas==1.0.0", "pypi:example-schemas==1.1.0",
                               "--index-url", index.index_url, "--cache-dir", cache))

    assert line.startswith("schema-diff: error: PyPI package example-schemas==1.1.0: the download from ")
    assert "does not match the sha256 hash" in line


@pytest.mark.parametrize(("wheel", "problem"), [
    (zip_bytes({"../../evil.json": b"{}"}), "member '../../evil.json' leads out of its folder with '..'"),
    (zip_bytes({"pkg/s.json": b"{}"}, symlinks={"pkg/link.json": "/etc/passwd"}), "member 'pkg/link.json' is a link"),
])
def test_cli_unsafe_wheel_exit_2(index: PypiIndex, cache: Path, capsys: pytest.CaptureFixture[str], wheel: bytes, problem: str) -> None:
    publish_status(index)
    index.publish("example-schemas", "example_schemas-1.2.0-py3-none-any.whl", wheel)

    line = one_error_line(*run(capsys, "pypi:example-schemas==1.0.0", "pypi:example-schemas==1.2.0",
                               "--index-url", index.index_url, "--cache-dir", cache))

    assert line.startswith(f"schema-diff: error: PyPI package example-schemas==1.2.0 (example_schemas-1.2.0-py3-none-any.whl): {problem}")
