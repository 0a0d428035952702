"""The one fetch layer for every upstream file.

``fetch`` turns a URL into an immutable local file under
``<raw_dir>/<host>/<path>/<retrieved-date>/<name>`` and says how it got there. It either
reads an offline mirror laid out like ``wget --mirror`` (``<mirror>/<host>/<path>``) or
GETs the URL with a contact User-Agent, timeouts, retries with backoff on 429/5xx (honouring
Retry-After) and a conditional GET against the validators of the previous fetch.

Retries happen here and nowhere else (the flows' tasks do not retry fetches): at most
``max_attempts`` requests per file within ``retry_budget_s`` seconds, and inside
``host_breaker()`` (one per ingest run) a host that could not be reached at all fails later
fetches to it at once (see ``outlook.ingest.retry_policy``).

The raw file is written before it is checked, so a bad download (HTML error page, empty,
truncated) stays on disk for inspection while the error names the URL and the reason.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests

from outlook.config import Settings
from outlook.ingest.retry_policy import (
    DNS_FAILED,
    HOST_DOWN_CAUSES,
    backoff,
    current_breaker,
    describe_network_error,
    retry_after,
)
from transforms.hashing import sha256_file

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Query parameters that carry credentials (Adzuna app_key, BLS registrationkey, ...).
_SECRET_PARAMS = re.compile(
    r"(?i)([?&](?:app_?key|api_?key|app_id|key|registrationkey|token|access_token|secret)=)[^&#]*"
)
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<?xml version")


class FetchError(RuntimeError):
    """A URL could not be turned into a good raw file. The message names the URL and why."""

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        raw_path: Path | None = None,
        transient: bool = False,
        host_down: str | None = None,
    ) -> None:
        self.transient = transient  # worth retrying later (network trouble, 429/5xx)
        # Why the whole host could not be reached ('DNS lookup failed', ...), else None.
        self.host_down = host_down
        self.url = redact_url(url)
        self.reason = reason
        self.raw_path = raw_path
        kept = f" (kept for inspection: {raw_path})" if raw_path else ""
        super().__init__(f"{self.url}: {reason}{kept}")


class SourceNotInMirror(FetchError):
    """Mirror mode and the mirror does not hold this URL: the source is skipped, not failed."""


@dataclass(frozen=True)
class Validators:
    """What the previous successful fetch of a URL saw, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None
    raw_path: Path | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class FetchResult:
    url: str
    path: Path
    sha256: str
    size: int
    origin: str  # 'network' | 'mirror'
    status: str  # 'downloaded' | 'not_modified' | 'mirror'
    http_status: int | None
    etag: str | None
    last_modified: str | None
    retrieved_at: datetime
    duration_s: float
    attempts: int


@dataclass(frozen=True)
class FetchOptions:
    raw_dir: Path
    mirror: Path | None = None
    user_agent: str = "outlook-pipeline/0.1"
    timeout_s: float = 30.0
    max_attempts: int = 4
    backoff_s: float = 1.0
    max_retry_after_s: float = 120.0
    retry_budget_s: float = 120.0  # seconds per file, requests plus waits (retry_policy)
    expect: str | None = None  # 'csv' | 'zip' | 'xlsx' | 'json': sniffed after download
    # timeout_s bounds each socket read, so a server dripping a byte at a time never times
    # out; this bounds the whole body download.
    max_download_s: float = 1800.0

    @classmethod
    def from_settings(
        cls, settings: Settings, expect: str | None, *, use_mirror: bool = True
    ) -> FetchOptions:
        """The fetch options a run's settings imply (API sources pass ``use_mirror=False``:
        a POST or a keyed query has no mirror path)."""
        return cls(
            raw_dir=settings.raw_dir,
            mirror=settings.mirror if use_mirror else None,
            user_agent=settings.user_agent,
            timeout_s=settings.timeout_s,
            max_attempts=settings.max_attempts,
            backoff_s=settings.backoff_s,
            max_retry_after_s=settings.max_retry_after_s,
            retry_budget_s=settings.retry_budget_s,
            expect=expect,
        )


def redact_url(url: str) -> str:
    """A URL fit for logs, tables and exceptions: credential parameters blanked."""
    return _SECRET_PARAMS.sub(r"\1***", url)


class _RedactCredentials(logging.Filter):
    """urllib3 logs every request line ('"GET /path?app_key=... HTTP/1.1" 200') at DEBUG:
    blank credential parameters before any handler sees the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_url(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_url(a) if isinstance(a, str) else a for a in record.args)
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_RedactCredentials())


def url_relpath(url: str) -> Path:
    """``https://host/a/b%20c.xlsx`` -> ``host/a/b c.xlsx``, refusing anything that climbs out."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(url, "only http(s) URLs with a host can be fetched")
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if not segments or any(s in {".", ".."} or "/" in s or "\x00" in s for s in segments):
        raise FetchError(url, "URL path is empty or escapes its folder")
    return Path(parts.hostname, *segments)


def fetch(
    url: str,
    options: FetchOptions,
    *,
    previous: Validators | None = None,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    body: dict | None = None,
    store_as: str | None = None,
    headers: dict[str, str] | None = None,
) -> FetchResult:
    """Fetch ``url`` into the raw store (from the mirror when one is configured).

    With ``body``, POST it as JSON (APIs such as BLS's); the response is stored as
    ``<host>/<path>/<store_as>/<date>/<store_as>`` and, in mirror mode, read from
    ``<mirror>/<host>/<path>/<store_as>``. ``headers`` are sent as given, over the defaults
    (USAJOBS takes its key in ``Authorization-Key``); their values may be credentials, so they
    never reach an error message or ``meta``.
    """
    if options.mirror is not None:
        return _from_mirror(url, options, now=now, store_as=store_as)
    hosts = current_breaker()
    cause = hosts.cause(url) if hosts is not None else None
    if cause is not None:
        host = urlsplit(url).netloc
        raise FetchError(
            url,
            f"{cause} for {host} earlier in this run: not tried again",
            transient=True,
            host_down=cause,
        )
    try:
        return _from_network(
            url,
            options,
            previous=previous,
            session=session,
            sleep=sleep,
            now=now,
            body=body,
            store_as=store_as,
            headers=headers,
        )
    except FetchError as exc:
        if hosts is not None and exc.host_down:
            hosts.trip(url, exc.host_down)
        raise


def _from_mirror(
    url: str, options: FetchOptions, *, now: Callable[[], datetime], store_as: str | None = None
) -> FetchResult:
    started = time.monotonic()
    rel = _store_rel(url, store_as)
    source = options.mirror / rel  # type: ignore[operator]
    if not source.is_file():
        raise SourceNotInMirror(url, f"not in mirror {options.mirror}")
    retrieved = now()
    with tempfile.NamedTemporaryFile(dir=_staging_dir(options.raw_dir), delete=False) as tmp:
        with open(source, "rb") as handle:
            shutil.copyfileobj(handle, tmp)
    path, digest = _settle(Path(tmp.name), url, options.raw_dir, retrieved, store_as)
    _check_body(url, path, options.expect)
    return FetchResult(
        url=url,
        path=path,
        sha256=digest,
        size=path.stat().st_size,
        origin="mirror",
        status="mirror",
        http_status=None,
        etag=None,
        last_modified=None,
        retrieved_at=retrieved,
        duration_s=time.monotonic() - started,
        attempts=1,
    )


def _send(
    http: requests.Session,
    url: str,
    headers: dict[str, str],
    options: FetchOptions,
    *,
    body: dict | None,
    sleep: Callable[[float], None],
    now: Callable[[], datetime],
) -> tuple[requests.Response, int]:
    """GET (or POST ``body`` as JSON), retrying connection trouble and 429/5xx with backoff;
    Retry-After wins over the backoff, capped by ``max_retry_after_s``. Gives up after
    ``max_attempts`` requests, or when the next wait would take the time spent past
    ``retry_budget_s``; returns the last response and how many attempts it took."""
    attempt = 0
    spent = 0.0  # requests (clocked) plus waits (counted, so a test's fake sleep counts)

    def may_retry(wait: float) -> bool:
        return attempt < options.max_attempts and spent + wait <= options.retry_budget_s

    while True:
        attempt += 1
        started = time.monotonic()
        try:
            if body is None:
                response = http.get(url, headers=headers, timeout=options.timeout_s, stream=True)
            else:
                response = http.post(
                    url, json=body, headers=headers, timeout=options.timeout_s, stream=True
                )
        except (requests.ConnectionError, requests.Timeout) as exc:
            spent += time.monotonic() - started
            cause = describe_network_error(exc)
            wait = backoff(options.backoff_s, attempt)
            # getaddrinfo has asked the resolver as often as resolv.conf says: a failed
            # lookup is the resolver's answer, not retried here (offline, it only cost time).
            retryable = cause != DNS_FAILED
            if not retryable or not may_retry(wait):
                raise FetchError(
                    url,
                    f"{cause} {_after(attempt, options, retryable=retryable)}",
                    transient=True,
                    host_down=cause if cause in HOST_DOWN_CAUSES else None,
                ) from None
            sleep(wait)
            spent += wait
            continue
        spent += time.monotonic() - started
        if response.status_code in RETRY_STATUSES:
            wait = retry_after(response.headers.get("Retry-After"), now())
            wait = min(
                wait if wait is not None else backoff(options.backoff_s, attempt),
                options.max_retry_after_s,
            )
            if may_retry(wait):
                response.close()
                sleep(wait)
                spent += wait
                continue
        return response, attempt


def _after(attempt: int, options: FetchOptions, *, retryable: bool) -> str:
    """'after 3 attempt(s)', naming the budget when it, not max_attempts, ended the retries."""
    said = f"after {attempt} attempt(s)"
    if retryable and attempt < options.max_attempts:
        said += f" (retry budget of {options.retry_budget_s:g}s spent)"
    return said


def _from_network(
    url: str,
    options: FetchOptions,
    *,
    previous: Validators | None,
    session: requests.Session | None,
    sleep: Callable[[float], None],
    now: Callable[[], datetime],
    body: dict | None = None,
    store_as: str | None = None,
    headers: dict[str, str] | None = None,
) -> FetchResult:
    started = time.monotonic()
    http = session or requests.Session()
    extra = headers or {}
    headers = {"User-Agent": options.user_agent, "Accept-Encoding": "gzip, deflate", **extra}
    reusable = previous is not None and previous.raw_path is not None and previous.raw_path.exists()
    if reusable and previous.etag:  # type: ignore[union-attr]
        headers["If-None-Match"] = previous.etag  # type: ignore[union-attr]
    if reusable and previous.last_modified:  # type: ignore[union-attr]
        headers["If-Modified-Since"] = previous.last_modified  # type: ignore[union-attr]

    response, attempt = _send(http, url, headers, options, body=body, sleep=sleep, now=now)

    retrieved = now()
    if response.status_code == 304 and reusable:
        response.close()
        assert previous is not None and previous.raw_path is not None
        return FetchResult(
            url=url,
            path=previous.raw_path,
            sha256=previous.sha256 or sha256_file(previous.raw_path),
            size=previous.raw_path.stat().st_size,
            origin="network",
            status="not_modified",
            http_status=304,
            etag=previous.etag,
            last_modified=previous.last_modified,
            retrieved_at=retrieved,
            duration_s=time.monotonic() - started,
            attempts=attempt,
        )
    if response.status_code != 200:
        reason = f"HTTP {response.status_code} {response.reason or ''}".strip()
        if response.status_code == 403:
            reason += (
                " (BLS refuses requests without a contact User-Agent: set OUTLOOK_CONTACT_EMAIL)"
            )
        response.close()
        transient = response.status_code in RETRY_STATUSES
        after = _after(attempt, options, retryable=transient)
        raise FetchError(url, f"{reason} {after}", transient=transient)

    expected_length = response.headers.get("Content-Length")
    cut = threading.Event()
    watchdog = threading.Timer(options.max_download_s, _cut_connection, (response, cut))
    watchdog.daemon = True
    watchdog.start()
    with tempfile.NamedTemporaryFile(dir=_staging_dir(options.raw_dir), delete=False) as tmp:
        try:
            for chunk in response.raw.stream(1 << 16, decode_content=True):
                tmp.write(chunk)
            if cut.is_set():  # the cut may look like a clean end of a chunked body
                raise TimeoutError
        except Exception as exc:  # urllib3 raises several types for a cut connection
            tmp.close()
            kept, _ = _settle(Path(tmp.name), url, options.raw_dir, retrieved, store_as)
            reason = (
                f"download took longer than {options.max_download_s:g}s (server too slow)"
                if cut.is_set()
                else f"download interrupted: {type(exc).__name__}"
            )
            raise FetchError(url, reason, raw_path=kept, transient=True) from None
        finally:
            watchdog.cancel()
            response.close()
    path, digest = _settle(Path(tmp.name), url, options.raw_dir, retrieved, store_as)
    encoded = response.headers.get("Content-Encoding", "identity") not in {"identity", ""}
    if expected_length and not encoded and path.stat().st_size != int(expected_length):
        raise FetchError(
            url,
            f"truncated download: {path.stat().st_size} of {expected_length} bytes",
            raw_path=path,
        )
    _check_body(url, path, options.expect)
    return FetchResult(
        url=url,
        path=path,
        sha256=digest,
        size=path.stat().st_size,
        origin="network",
        status="downloaded",
        http_status=response.status_code,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        retrieved_at=retrieved,
        duration_s=time.monotonic() - started,
        attempts=attempt,
    )


@dataclass(frozen=True)
class RecordedResponse:
    recorded: Path  # the file in the mirror
    kept: Path  # its immutable copy in the raw store
    sha256: str
    seconds: float


def keep_recorded_responses(url: str, mirror: Path, raw_dir: Path) -> list[RecordedResponse]:
    """API responses recorded under ``<mirror>/<host>/<path>/*.json`` (a POST or a keyed query
    has no URL of its own to mirror), kept in the raw store, in name order."""
    rel = url_relpath(url)
    folder = mirror / rel
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise SourceNotInMirror(url, f"no recorded responses in mirror {mirror}")
    kept = []
    for recorded in files:
        started = time.monotonic()
        path, digest = keep_dropped_file(recorded, rel, raw_dir, datetime.now(UTC))
        kept.append(RecordedResponse(recorded, path, digest, time.monotonic() - started))
    return kept


def keep_dropped_file(
    path: Path, rel: Path, raw_dir: Path, retrieved: datetime
) -> tuple[Path, str]:
    """Copy a file-drop file into the raw store (the drop folder may be cleaned by others)."""
    with tempfile.NamedTemporaryFile(dir=_staging_dir(raw_dir), delete=False) as tmp:
        with open(path, "rb") as handle:
            shutil.copyfileobj(handle, tmp)
    return settle_raw(Path(tmp.name), rel / path.name, raw_dir, retrieved)


def sweep_incoming(raw_dir: Path) -> int:
    """Remove partial downloads a killed run left in the staging folder (call under the
    writer lock: no other fetch is running). Finished raw files are never touched."""
    staging = raw_dir / ".incoming"
    removed = 0
    for leftover in staging.glob("*") if staging.is_dir() else []:
        if leftover.is_file():
            leftover.unlink()
            removed += 1
    return removed


def _staging_dir(raw_dir: Path) -> Path:
    staging = raw_dir / ".incoming"
    staging.mkdir(parents=True, exist_ok=True)
    return staging


def _store_rel(url: str, store_as: str | None) -> Path:
    rel = url_relpath(url)
    if store_as is None:
        return rel
    if "/" in store_as or store_as in {"", ".", ".."}:
        raise FetchError(url, f"bad storage name {store_as!r}")
    return rel / store_as


def _settle(
    tmp: Path, url: str, raw_dir: Path, retrieved: datetime, store_as: str | None = None
) -> tuple[Path, str]:
    return settle_raw(tmp, _store_rel(url, store_as), raw_dir, retrieved)


def settle_raw(tmp: Path, rel: Path, raw_dir: Path, retrieved: datetime) -> tuple[Path, str]:
    """Move a finished file to ``raw_dir/<rel>/<date>/<name>``, read-only; identical bytes
    reuse the existing file, different bytes on the same day get their own folder."""
    digest = sha256_file(tmp)
    folder = raw_dir / rel / retrieved.strftime("%Y-%m-%d")
    target = folder / rel.name
    if target.exists():
        if sha256_file(target) == digest:
            tmp.unlink()
            return target, digest
        # Same day, different bytes (file changed upstream): never overwrite, keep both.
        folder = raw_dir / rel / f"{retrieved.strftime('%Y-%m-%d')}.{digest[:12]}"
        target = folder / rel.name
        if target.exists():
            tmp.unlink()
            return target, digest
    folder.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, target)
    target.chmod(0o444)
    return target, digest


def _cut_connection(response: requests.Response, cut: threading.Event) -> None:
    """Deadline passed mid-body: shut the socket so the blocked read returns at once."""
    cut.set()
    sock = getattr(getattr(response.raw, "connection", None), "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _check_body(url: str, path: Path, expect: str | None) -> None:
    """Catch files that are not what they claim before a parser sees them."""
    size = path.stat().st_size
    if size == 0:
        raise FetchError(url, "empty file (0 bytes)", raw_path=path)
    with open(path, "rb") as handle:
        head = handle.read(512)
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if expect != "xml" and lowered.startswith(_HTML_MARKERS):
        raise FetchError(url, f"got an HTML/XML page instead of {expect or 'data'}", raw_path=path)
    if expect in {"zip", "xlsx"} and not head.startswith(b"PK\x03\x04"):
        raise FetchError(url, f"not a {expect} file (no zip signature)", raw_path=path)
    if expect == "json" and lowered[:1] not in (b"{", b"["):
        raise FetchError(url, "not a JSON document", raw_path=path)
