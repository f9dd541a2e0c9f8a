"""Test doubles for the source readers: registries served on 127.0.0.1, archives built in memory, git repositories in tmp_path.

Nothing here reaches another host: every server binds 127.0.0.1 on a port the system picks,
and every git command runs with HOME and GIT_CONFIG_GLOBAL pointed at files of the test.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import os
import socket
import subprocess
import tarfile
import threading
import zipfile
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SCHEMA_2020_12 = "https://json-schema.org/draft/2020-12/schema"

#: A status enum, and the next version of it with one value added: `enum-value-added`, which
#: breaks forward (old readers reject "failed"), so it is breaking under the default mode.
STATUS_OLD = {"$schema": SCHEMA_2020_12, "title": "Status", "type": "string", "enum": ["active", "stopped"]}
STATUS_NEW = {"$schema": SCHEMA_2020_12, "title": "Status", "type": "string", "enum": ["active", "stopped", "failed"]}


def schema_bytes(schema: Any) -> bytes:
    return json.dumps(schema, indent=2).encode("utf-8")


# Archives ---------------------------------------------------------------------------------

def tar_bytes(files: Mapping[str, bytes], symlinks: Mapping[str, str] | None = None,
              hardlinks: Mapping[str, str] | None = None, compression: str = "gz") -> bytes:
    """Build a tar archive in memory: regular files, then symbolic links and hard links (name -> target)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=f"w:{compression}" if compression else "w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1_700_000_000
            archive.addfile(info, io.BytesIO(data))
        for kind, links in ((tarfile.SYMTYPE, symlinks or {}), (tarfile.LNKTYPE, hardlinks or {})):
            for name, target in links.items():
                info = tarfile.TarInfo(name)
                info.type = kind
                info.linkname = target
                archive.addfile(info)
    return buffer.getvalue()


def zip_bytes(files: Mapping[str, bytes], symlinks: Mapping[str, str] | None = None) -> bytes:
    """Build a zip archive in memory; a symbolic link is a member whose external attributes carry S_IFLNK."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3  # Unix, whose mode bits sit in the high half of external_attr
            info.external_attr = (0o120777 << 16)
            archive.writestr(info, target)
    return buffer.getvalue()


def npm_tarball(name: str, version: str, files: Mapping[str, bytes], extra: Mapping[str, bytes] | None = None) -> bytes:
    """Build a package tarball as `npm pack` lays it out: everything under `package/`, with a package.json."""
    members = {"package/package.json": json.dumps({"name": name, "version": version}).encode()}
    members.update({f"package/{path}": data for path, data in files.items()})
    members.update(extra or {})
    return tar_bytes(members)


def wheel_bytes(distribution: str, version: str, files: Mapping[str, bytes]) -> bytes:
    """Build a wheel: the files at the root, plus a minimal `.dist-info` folder with a JSON file in it."""
    dist_info = f"{distribution}-{version}.dist-info"
    members = dict(files)
    members[f"{dist_info}/METADATA"] = f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n".encode()
    members[f"{dist_info}/WHEEL"] = b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    # Some tools leave JSON in .dist-info; it is package metadata, not a schema.
    members[f"{dist_info}/direct_url.json"] = b'{"url": "file:///somewhere"}'
    return zip_bytes(members)


def sri_sha512(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# HTTP -------------------------------------------------------------------------------------

@dataclasses.dataclass
class Route:
    body: bytes
    content_type: str = "application/json"
    status: int = 200


@dataclasses.dataclass
class Request:
    path: str
    headers: dict[str, str]


class FakeServer:
    """An HTTP server on 127.0.0.1 that responds to GET requests from a table of routes and records every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        #: When set, a request must carry exactly this Authorization header, else it gets 401.
        self.required_authorization: str | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        # A short poll interval lets shutdown() return at once instead of after the default half second.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, path: str, body: bytes, content_type: str = "application/json", status: int = 200) -> None:
        self.routes[path] = Route(body, content_type, status)

    def paths_requested(self) -> list[str]:
        return [request.path for request in self.requests]

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append(Request(self.path, dict(self.headers.items())))
                route = fake.routes.get(self.path.partition("?")[0])
                if fake.required_authorization and self.headers.get("Authorization") != fake.required_authorization:
                    route = Route(b"authorization required", "text/plain", 401)
                if route is None:
                    route = Route(b"not found", "text/plain", 404)
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, format: str, *args: Any) -> None:
                # Quiet: the tests read stderr for schema-diff's own messages.
                pass

        return Handler


def closed_port_url() -> str:
    """Return a URL on 127.0.0.1 whose port had a listener a moment ago and now has none."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class NpmRegistry(FakeServer):
    """A registry that serves package metadata at `/NAME` (scoped names as `@scope%2fname`) and tarballs at `/tarballs/...`."""

    def __init__(self) -> None:
        super().__init__()
        self.packages: dict[str, dict[str, Any]] = {}

    def publish(self, name: str, version: str, tarball: bytes, integrity: str | None = "", shasum: str | None = None,
                tags: Mapping[str, str] | None = None) -> str:
        """Serve a tarball and list it in the metadata; integrity "" means the true sha512, None means none."""
        tarball_path = f"/tarballs/{name.replace('/', '_')}-{version}.tgz"
        self.add(tarball_path, tarball, "application/octet-stream")
        dist: dict[str, Any] = {"tarball": self.url + tarball_path}
        if integrity is not None:
            dist["integrity"] = integrity or sri_sha512(tarball)
        if shasum is not None:
            dist["shasum"] = shasum
        document = self.packages.setdefault(name, {"name": name, "versions": {}, "dist-tags": {}})
        document["versions"][version] = {"name": name, "version": version, "dist": dist}
        document["dist-tags"].update(tags or {"latest": version})
        self.add("/" + name.replace("/", "%2f"), json.dumps(document).encode())
        return tarball_path


class PypiIndex(FakeServer):
    """A simple index that serves the PEP 691 JSON page of a project at `/simple/NAME/` and files at `/files/...`."""

    def __init__(self) -> None:
        super().__init__()
        self.projects: dict[str, list[dict[str, Any]]] = {}

    @property
    def index_url(self) -> str:
        return self.url + "/simple"

    def publish(self, project: str, filename: str, data: bytes, hashes: Mapping[str, str] | None = None) -> str:
        """Serve a file and list it on the project page; `hashes` defaults to its true sha256."""
        file_path = f"/files/{filename}"
        self.add(file_path, data, "application/octet-stream")
        files = self.projects.setdefault(project, [])
        # The URL is relative to the project page, which the index's clients must resolve.
        files.append({"filename": filename, "url": f"../../files/{filename}",
                      "hashes": dict(hashes) if hashes is not None else {"sha256": sha256_hex(data)}})
        page = {"meta": {"api-version": "1.1"}, "name": project, "files": files}
        self.add(f"/simple/{project}/", json.dumps(page).encode(), "application/vnd.pypi.simple.v1+json")
        return file_path


# Git --------------------------------------------------------------------------------------

class GitRepository:
    """A repository in a temporary folder, driven with the test's own HOME and an empty global configuration."""

    def __init__(self, root: Path, environment: Mapping[str, str]) -> None:
        self.root = root
        self.environment = dict(environment)
        root.mkdir(parents=True, exist_ok=True)
        self.git("-c", "init.defaultBranch=main", "init", "--quiet")

    def git(self, *arguments: str) -> str:
        completed = subprocess.run(["git", *arguments], cwd=self.root, env=self.environment, capture_output=True, check=True)
        return completed.stdout.decode()

    def write(self, files: Mapping[str, bytes]) -> None:
        for path, data in files.items():
            target = self.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def commit(self, files: Mapping[str, bytes], message: str, tag: str | None = None) -> None:
        """Write files, commit every change in the working tree, and tag the commit."""
        self.write(files)
        self.git("add", "--all")
        self.git("-c", "user.name=Schema Diff Tests", "-c", "user.email=tests@example.invalid",
                 "-c", "commit.gpgsign=false", "commit", "--quiet", "--allow-empty", "-m", message)
        if tag:
            self.git("-c", "tag.gpgsign=false", "tag", tag)


def git_environment(home: Path) -> dict[str, str]:
    """Return os.environ with HOME and the global git configuration moved into `home`, and no system configuration."""
    home.mkdir(parents=True, exist_ok=True)
    (home / ".gitconfig").write_text("")
    return {**os.environ, "HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}

