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
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import requests

from outlook.config import Settings
from outlook.ingest.raw_store import (
    FetchError,
    FetchResult,
    RecordedResponse,
    SourceNotInMirror,
    Validators,
    check_body,
    keep_dropped_file,
    keep_recorded_responses,
    redact_url,
    settle,
    settle_raw,
    staging_dir,
    store_rel,
    sweep_incoming,
    url_relpath,
)
from outlook.ingest.retry_policy import (
    DNS_FAILED,
    HOST_DOWN_CAUSES,
    backoff,
    current_breaker,
    describe_network_error,
    retry_after,
)
from transforms.hashing import sha256_file

# The raw store's names callers import from here (the fetch layer's public face).
__all__ = [
    "FetchError", "FetchOptions", "FetchResult", "RecordedResponse", "SourceNotInMirror",
    "Validators", "fetch", "keep_dropped_file", "keep_recorded_responses", "redact_url",
    "settle_raw", "sweep_incoming", "url_relpath",
]  # fmt: skip

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


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
    rel = store_rel(url, store_as)
    source = options.mirror / rel  # type: ignore[operator]
    if not source.is_file():
        raise SourceNotInMirror(url, f"not in mirror {options.mirror}")
    retrieved = now()
    with tempfile.NamedTemporaryFile(dir=staging_dir(options.raw_dir), delete=False) as tmp:
        with open(source, "rb") as handle:
            shutil.copyfileobj(handle, tmp)
    path, digest = settle(Path(tmp.name), url, options.raw_dir, retrieved, store_as)
    check_body(url, path, options.expect)
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
    with tempfile.NamedTemporaryFile(dir=staging_dir(options.raw_dir), delete=False) as tmp:
        try:
            for chunk in response.raw.stream(1 << 16, decode_content=True):
                tmp.write(chunk)
            if cut.is_set():  # the cut may look like a clean end of a chunked body
                raise TimeoutError
        except Exception as exc:  # urllib3 raises several types for a cut connection
            tmp.close()
            kept, _ = settle(Path(tmp.name), url, options.raw_dir, retrieved, store_as)
            reason = (
                f"download took longer than {options.max_download_s:g}s (server too slow)"
                if cut.is_set()
                else f"download interrupted: {type(exc).__name__}"
            )
            raise FetchError(url, reason, raw_path=kept, transient=True) from None
        finally:
            watchdog.cancel()
            response.close()
    path, digest = settle(Path(tmp.name), url, options.raw_dir, retrieved, store_as)
    encoded = response.headers.get("Content-Encoding", "identity") not in {"identity", ""}
    if expected_length and not encoded and path.stat().st_size != int(expected_length):
        raise FetchError(
            url,
            f"truncated download: {path.stat().st_size} of {expected_length} bytes",
            raw_path=path,
        )
    check_body(url, path, options.expect)
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


def _cut_connection(response: requests.Response, cut: threading.Event) -> None:
    """Deadline passed mid-body: shut the socket so the blocked read returns at once."""
    cut.set()
    sock = getattr(getattr(response.raw, "connection", None), "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
