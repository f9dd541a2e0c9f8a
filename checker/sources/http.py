"""HTTP GET for package registries, with a timeout, a size limit and one-line errors."""

from __future__ import annotations

import base64
import dataclasses
import http.client
import re
import urllib.error
import urllib.parse
import urllib.request
from importlib.metadata import PackageNotFoundError as DistributionNotFoundError, version as distribution_version

from checker.errors import DownloadError, PackageNotFoundError

# Only these handlers: a redirect to file:// or ftp:// must fail rather than read a local file or another protocol.
_OPENER = urllib.request.OpenerDirector()
for _handler in (
    urllib.request.ProxyHandler(),
    urllib.request.HTTPHandler(),
    urllib.request.HTTPSHandler(),
    urllib.request.HTTPRedirectHandler(),
    urllib.request.HTTPDefaultErrorHandler(),
    urllib.request.HTTPErrorProcessor(),
):
    _OPENER.add_handler(_handler)


_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@")


def _user_agent() -> str:
    try:
        return f"schema-diff/{distribution_version('schema-diff')}"
    except DistributionNotFoundError:
        return "schema-diff"


@dataclasses.dataclass(frozen=True)
class Response:
    """A successful response: its body, its media type, and the URL it came from after redirects."""

    body: bytes
    content_type: str
    url: str


def get(url: str, subject: str, timeout: float, max_bytes: int, accept: str | None = None,
        credentials_from: str | None = None) -> Response:
    """Download `url`; `subject` names what is fetched (`npm package left-pad`) in errors.

    HTTP 404 and 410 raise PackageNotFoundError, and every other failure raises DownloadError.
    Credentials written in the URL (`https://user:token@host/`) are sent as HTTP basic
    authentication and never appear in a message. A URL without them borrows those of
    `credentials_from` (the registry's URL) when both have the same scheme, host and port.
    """
    shown_url = redact(url)
    try:
        plain_url, authorization = _split_credentials(url)
        if authorization is None and credentials_from and _origin(credentials_from) == _origin(url):
            authorization = _split_credentials(credentials_from)[1]
    except ValueError as error:
        raise DownloadError(f"{subject}: {shown_url} is not a valid URL: {error}") from error
    if urllib.parse.urlsplit(plain_url).scheme not in ("http", "https"):
        raise DownloadError(f"{subject}: {shown_url} is not an http or https URL")
    request = urllib.request.Request(plain_url, headers={"User-Agent": _user_agent()})
    if accept:
        request.add_header("Accept", accept)
    if authorization:
        # Unredirected, so that a redirect to another host does not carry the credentials along.
        request.add_unredirected_header("Authorization", authorization)
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            body = _read_at_most(answer, max_bytes + 1)
            content_type = answer.headers.get_content_type()
            final_url = answer.geturl()
    except urllib.error.HTTPError as error:
        error.close()
        if error.code in (404, 410):
            raise PackageNotFoundError(f"{subject}: not found (HTTP {error.code} from {shown_url})") from error
        raise DownloadError(f"{subject}: GET {shown_url} failed with HTTP {error.code} {error.reason}") from error
    except urllib.error.URLError as error:
        raise DownloadError(f"{subject}: cannot reach {shown_url}: {_reason(error.reason)}") from error
    except TimeoutError as error:
        raise DownloadError(f"{subject}: GET {shown_url} timed out after {timeout:g} s") from error
    except (OSError, http.client.HTTPException) as error:
        raise DownloadError(f"{subject}: GET {shown_url} failed: {_reason(error)}") from error
    except ValueError as error:
        # urllib raises ValueError for a URL it cannot parse.
        raise DownloadError(f"{subject}: {shown_url} is not a valid URL: {error}") from error
    if len(body) > max_bytes:
        raise DownloadError(f"{subject}: {shown_url} is larger than {max_bytes} bytes, the download limit; the download was stopped")
    return Response(body, content_type, final_url)


def _read_at_most(answer: http.client.HTTPResponse, limit: int) -> bytes:
    # In chunks, because one read(limit) may allocate `limit` bytes up front when no Content-Length is sent.
    chunks = []
    size = 0
    while size < limit:
        chunk = answer.read(min(1024 * 1024, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _reason(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _split_credentials(url: str) -> tuple[str, str | None]:
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, None
    netloc = parts.netloc.rpartition("@")[2]
    user = urllib.parse.unquote(parts.username)
    password = urllib.parse.unquote(parts.password or "")
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), f"Basic {token}"


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return parts.scheme, parts.hostname, port or {"http": 80, "https": 443}.get(parts.scheme)


def redact(url: str) -> str:
    """Hide the credentials a URL may carry (`https://user:token@host/` becomes `https://***@host/`)."""
    # A pattern rather than urlsplit, so that even a URL urlsplit rejects is shown without them.
    return _USERINFO.sub(r"\1***@", url)
