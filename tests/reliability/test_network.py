"""The fetch layer against real local servers: every network failure has a known outcome.

Complements tests/ingest/test_fetch.py (which covers refused, 403, 5xx-then-success,
Retry-After seconds, HTML page, Content-Length truncation, mirror changes): here the
retry/transient bookkeeping, timeouts, slow drips, Retry-After dates and network-mode
changes. ``transient`` decides whether the Prefect task retries later, so it is asserted
everywhere.
"""

from __future__ import annotations

import email.utils
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from outlook.ingest.fetch import FetchError, FetchOptions, Validators, fetch
from outlook.ingest.retry_policy import host_breaker
from tests.reliability._servers import (
    chunked_then_cut,
    drips,
    free_port,
    never_answers,
    raw_server,
)

CSV = b"date,jobcountry,indeed_job_postings_index_SA,indeed_job_postings_index_NSA,variable\n"
NOW = datetime(2025, 10, 1, 12, 0, 0, tzinfo=UTC)


def options(tmp_path: Path, **kw) -> FetchOptions:
    base = dict(
        raw_dir=tmp_path / "raw",
        user_agent="outlook-test (ops@example.org)",
        timeout_s=2.0,
        max_attempts=3,
        backoff_s=0.01,
        max_retry_after_s=1.5,
        expect="csv",
    )
    base.update(kw)
    return FetchOptions(**base)


def raw_files(tmp_path: Path) -> list[Path]:
    """Settled raw files (the staging folder does not count)."""
    root = tmp_path / "raw"
    if not root.exists():
        return []
    return [p for p in root.rglob("*") if p.is_file() and ".incoming" not in p.parts]


def counting(status: int, body: str = "x", headers: dict[str, str] | None = None):
    """A handler answering ``status`` and counting the requests it saw."""
    hits: list[Request] = []

    def handle(request: Request) -> Response:
        hits.append(request)
        return Response(body, status=status, headers=headers or {})

    return handle, hits


# --- connection-level failures ------------------------------------------------------------


def test_connection_refused_is_retried_then_reported_transient(tmp_path: Path) -> None:
    waits: list[float] = []
    url = f"http://127.0.0.1:{free_port()}/x.csv"
    with pytest.raises(FetchError) as info:
        fetch(url, options(tmp_path), sleep=waits.append)
    assert "connection refused after 3 attempt(s)" in str(info.value)
    assert info.value.transient, "a refused connection may work later: the task retries"
    assert waits == [0.01, 0.02], "exponential backoff between attempts"
    assert raw_files(tmp_path) == []


def test_dns_failure_is_named_transient_and_not_retried(tmp_path: Path) -> None:
    # .invalid never resolves (RFC 6761), so this needs no network.
    waits: list[float] = []
    with pytest.raises(FetchError) as info:
        fetch("http://nonexistent.invalid/data.csv", options(tmp_path), sleep=waits.append)
    said = str(info.value)
    assert said == "http://nonexistent.invalid/data.csv: DNS lookup failed after 1 attempt(s)"
    assert waits == [], "the resolver has retried already: offline, waiting only costs time"
    assert info.value.transient and raw_files(tmp_path) == []


def test_read_timeout_when_server_never_answers(tmp_path: Path) -> None:
    with raw_server(never_answers(2.0), connections=2) as (base, seen):
        started = time.monotonic()
        with pytest.raises(FetchError) as info:
            fetch(f"{base}/slow.csv", options(tmp_path, timeout_s=0.3, max_attempts=2))
        elapsed = time.monotonic() - started
    assert "read timed out after 2 attempt(s)" in str(info.value)
    assert info.value.transient and len(seen) == 2
    assert elapsed < 1.9, "each attempt gives up after timeout_s, not when the server does"


def test_slow_drip_is_cut_at_the_download_deadline(tmp_path: Path) -> None:
    # One byte every 0.1 s never trips the 0.5 s per-read timeout; only a deadline on the
    # whole body stops it (before the fix this download took 30 s and "succeeded").
    with raw_server(drips(300, 0.1)) as (base, _):
        started = time.monotonic()
        with pytest.raises(FetchError) as info:
            fetch(f"{base}/drip.csv", options(tmp_path, timeout_s=0.5, max_download_s=1.0))
        elapsed = time.monotonic() - started
    assert "download took longer than 1s" in str(info.value)
    assert info.value.transient
    assert info.value.raw_path is not None and info.value.raw_path.exists(), "partial kept"
    assert elapsed < 10.0, "the drip would take 30 s; the deadline is 1 s"


def test_chunked_body_cut_mid_chunk_is_interrupted_and_kept(tmp_path: Path) -> None:
    # No Content-Length to compare against: the cut must still be noticed.
    with raw_server(chunked_then_cut(CSV)) as (base, _):
        with pytest.raises(FetchError) as info:
            fetch(f"{base}/cut.csv", options(tmp_path, max_attempts=1))
    assert "download interrupted" in str(info.value) and info.value.transient
    assert info.value.raw_path is not None and info.value.raw_path.exists()


# --- HTTP statuses ------------------------------------------------------------------------


def test_403_is_not_retried_and_says_why(httpserver: HTTPServer, tmp_path: Path) -> None:
    handler, hits = counting(403, "Forbidden")
    httpserver.expect_request("/bls.csv").respond_with_handler(handler)
    with pytest.raises(FetchError) as info:
        fetch(httpserver.url_for("/bls.csv"), options(tmp_path), sleep=lambda s: None)
    assert len(hits) == 1, "a refusal will not change on retry"
    assert not info.value.transient
    assert "HTTP 403" in str(info.value) and "OUTLOOK_CONTACT_EMAIL" in str(info.value)


def test_404_fails_at_once_and_keeps_nothing(httpserver: HTTPServer, tmp_path: Path) -> None:
    handler, hits = counting(404, "<html>Not Found</html>")
    httpserver.expect_request("/gone.csv").respond_with_handler(handler)
    with pytest.raises(FetchError, match=r"/gone.csv: HTTP 404 NOT FOUND after 1 attempt") as info:
        fetch(httpserver.url_for("/gone.csv"), options(tmp_path), sleep=lambda s: None)
    assert len(hits) == 1 and not info.value.transient
    assert info.value.raw_path is None and raw_files(tmp_path) == []


def test_429_without_retry_after_backs_off(httpserver: HTTPServer, tmp_path: Path) -> None:
    for _ in range(2):
        httpserver.expect_ordered_request("/r.csv").respond_with_data("slow down", status=429)
    httpserver.expect_ordered_request("/r.csv").respond_with_data(CSV)
    waits: list[float] = []
    result = fetch(httpserver.url_for("/r.csv"), options(tmp_path), sleep=waits.append)
    assert waits == [0.01, 0.02] and result.attempts == 3
    assert result.path.read_bytes() == CSV


@pytest.mark.parametrize(
    ("retry_after", "expected_wait"),
    [
        (email.utils.format_datetime(NOW + timedelta(seconds=1), usegmt=True), 1.0),
        (email.utils.format_datetime(NOW - timedelta(hours=1), usegmt=True), 0.0),
        ("3600", 1.5),  # capped at max_retry_after_s: a hostile header cannot park the run
        ("soon", 0.01),  # unparseable: fall back to the backoff
    ],
    ids=["http-date", "http-date-past", "over-cap", "garbage"],
)
def test_429_retry_after_forms(
    httpserver: HTTPServer, tmp_path: Path, retry_after: str, expected_wait: float
) -> None:
    httpserver.expect_ordered_request("/ra.csv").respond_with_data(
        "slow down", status=429, headers={"Retry-After": retry_after}
    )
    httpserver.expect_ordered_request("/ra.csv").respond_with_data(CSV)
    waits: list[float] = []
    fetch(httpserver.url_for("/ra.csv"), options(tmp_path), sleep=waits.append, now=lambda: NOW)
    assert waits == [pytest.approx(expected_wait)]


def test_429_that_never_clears_fails_transient(httpserver: HTTPServer, tmp_path: Path) -> None:
    handler, hits = counting(429, "quota", {"Retry-After": "0"})
    httpserver.expect_request("/q.csv").respond_with_handler(handler)
    with pytest.raises(FetchError, match=r"HTTP 429 .*after 3 attempt") as info:
        fetch(httpserver.url_for("/q.csv"), options(tmp_path), sleep=lambda s: None)
    assert info.value.transient and len(hits) == 3


def test_502_504_then_success_doubles_the_wait(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_ordered_request("/g.csv").respond_with_data("bad gateway", status=502)
    httpserver.expect_ordered_request("/g.csv").respond_with_data("timeout", status=504)
    httpserver.expect_ordered_request("/g.csv").respond_with_data(CSV)
    waits: list[float] = []
    result = fetch(httpserver.url_for("/g.csv"), options(tmp_path), sleep=waits.append)
    assert waits == [0.01, 0.02] and result.attempts == 3 and result.status == "downloaded"


def test_unsolicited_304_is_an_error(httpserver: HTTPServer, tmp_path: Path) -> None:
    # A 304 we did not ask for has no previous file behind it: never "succeed" with nothing.
    httpserver.expect_request("/n.csv").respond_with_data("", status=304)
    with pytest.raises(FetchError, match="HTTP 304") as info:
        fetch(httpserver.url_for("/n.csv"), options(tmp_path))
    assert not info.value.transient


def test_previous_raw_file_gone_means_full_get(httpserver: HTTPServer, tmp_path: Path) -> None:
    # Validators pointing at a deleted raw file must not produce a conditional GET.
    def handler(request: Request) -> Response:
        assert "If-None-Match" not in request.headers
        assert "If-Modified-Since" not in request.headers
        return Response(CSV)

    httpserver.expect_request("/v.csv").respond_with_handler(handler)
    previous = Validators(etag='"v1"', last_modified="x", raw_path=tmp_path / "deleted.csv")
    result = fetch(httpserver.url_for("/v.csv"), options(tmp_path), previous=previous)
    assert result.status == "downloaded" and result.path.read_bytes() == CSV


# --- bodies that are not what they claim ----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expect", "reason"),
    [
        (b"\xef\xbb\xbf \r\n<!DOCTYPE html><title>Error</title>", "csv", "HTML/XML page"),
        (b"<HTML><BODY>Service unavailable</BODY></HTML>", "csv", "HTML/XML page"),
        (b"<?xml version='1.0'?><Error>AccessDenied</Error>", "zip", "HTML/XML page"),
        (b"date,value\n2024-01-01,1\n", "zip", "no zip signature"),
        (b"date,value\n2024-01-01,1\n", "xlsx", "no zip signature"),
        (b"<html><body>Rate limited</body></html>", "json", "HTML/XML page"),
        (b"Request could not be processed", "json", "not a JSON document"),
    ],
    ids=["bom-ws-html", "upper-html", "s3-xml-error", "csv-as-zip", "csv-as-xlsx", "html-json",
         "text-json"],
)  # fmt: skip
def test_200_with_the_wrong_body_is_rejected_and_kept(
    httpserver: HTTPServer, tmp_path: Path, body: bytes, expect: str, reason: str
) -> None:
    httpserver.expect_request("/file").respond_with_data(body)
    with pytest.raises(FetchError, match=reason) as info:
        fetch(httpserver.url_for("/file"), options(tmp_path, expect=expect))
    assert not info.value.transient, "the same URL will serve the same page"
    assert info.value.raw_path is not None and info.value.raw_path.read_bytes() == body


def test_changed_file_at_same_url_keeps_both_immutable(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    v1, v2 = CSV + b"2020-02-01,US,100,100,total postings\n", CSV
    httpserver.expect_ordered_request("/c.csv").respond_with_data(v1)
    httpserver.expect_ordered_request("/c.csv").respond_with_data(v2)
    httpserver.expect_ordered_request("/c.csv").respond_with_data(v1)
    first = fetch(httpserver.url_for("/c.csv"), options(tmp_path), now=lambda: NOW)
    second = fetch(httpserver.url_for("/c.csv"), options(tmp_path), now=lambda: NOW)
    third = fetch(httpserver.url_for("/c.csv"), options(tmp_path), now=lambda: NOW)
    assert first.path != second.path and first.sha256 != second.sha256
    assert first.path.read_bytes() == v1 and second.path.read_bytes() == v2
    assert third.path == first.path, "identical bytes reuse the file already kept"
    for kept in (first.path, second.path):
        assert not kept.stat().st_mode & 0o222, f"{kept} must be read-only"
    assert len(raw_files(tmp_path)) == 2


# --- one retry budget per file; a host that cannot be reached fails the rest of the run ---


def test_retry_budget_ends_the_retries_before_max_attempts(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    handler, hits = counting(503, "busy")
    httpserver.expect_request("/b.csv").respond_with_handler(handler)
    waits: list[float] = []
    budget = options(tmp_path, max_attempts=10, backoff_s=0.4, retry_budget_s=1.0)
    with pytest.raises(FetchError) as info:
        fetch(httpserver.url_for("/b.csv"), budget, sleep=waits.append)
    # waits 0.4, then 0.8 would pass the 1 s budget: two requests, not ten
    assert waits == [0.4] and len(hits) == 2
    assert "HTTP 503 SERVICE UNAVAILABLE after 2 attempt(s) (retry budget of 1s spent)" in str(
        info.value
    )
    assert info.value.transient


def test_retry_after_beyond_the_budget_is_not_waited_for(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    handler, hits = counting(429, "quota", {"Retry-After": "100"})
    httpserver.expect_request("/q.csv").respond_with_handler(handler)
    waits: list[float] = []
    capped = options(tmp_path, max_retry_after_s=120.0, retry_budget_s=30.0)
    with pytest.raises(FetchError, match=r"HTTP 429 .*after 1 attempt\(s\) \(retry budget"):
        fetch(httpserver.url_for("/q.csv"), capped, sleep=waits.append)
    assert waits == [] and len(hits) == 1


def test_unresolvable_host_fails_the_rest_of_the_run_at_once(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/ok.csv").respond_with_data(CSV)
    waits: list[float] = []
    with host_breaker() as hosts:
        with pytest.raises(FetchError):
            fetch("http://gone.invalid/a.csv", options(tmp_path), sleep=waits.append)
        clock = time.monotonic()
        with pytest.raises(FetchError) as info:
            fetch("http://gone.invalid/b.csv", options(tmp_path), sleep=waits.append)
        assert time.monotonic() - clock < 0.1, "no request, no wait"
        # another host is not affected
        assert fetch(httpserver.url_for("/ok.csv"), options(tmp_path)).status == "downloaded"
    assert str(info.value) == (
        "http://gone.invalid/b.csv: DNS lookup failed for gone.invalid earlier in this run: "
        "not tried again"
    )
    assert info.value.transient and hosts.down() == {"gone.invalid": "DNS lookup failed"}
    with pytest.raises(FetchError, match="after 1 attempt"):  # the next run asks again
        fetch("http://gone.invalid/b.csv", options(tmp_path), sleep=waits.append)


def test_refused_host_is_retried_once_per_run_then_failed_at_once(tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{free_port()}"
    waits: list[float] = []
    with host_breaker():
        with pytest.raises(FetchError, match="connection refused after 3 attempt"):
            fetch(f"{base}/a.csv", options(tmp_path), sleep=waits.append)
        with pytest.raises(FetchError, match="connection refused for 127.0.0.1:.* not tried"):
            fetch(f"{base}/b.json", options(tmp_path, expect="json"), sleep=waits.append)
    assert waits == [0.01, 0.02], "only the first file paid the retries"


def test_http_errors_do_not_trip_the_host_breaker(httpserver: HTTPServer, tmp_path: Path) -> None:
    handler, hits = counting(503, "busy")
    httpserver.expect_request("/busy.csv").respond_with_handler(handler)
    httpserver.expect_request("/fine.csv").respond_with_data(CSV)
    with host_breaker() as hosts:
        with pytest.raises(FetchError, match="HTTP 503"):
            fetch(httpserver.url_for("/busy.csv"), options(tmp_path), sleep=lambda s: None)
        assert fetch(httpserver.url_for("/fine.csv"), options(tmp_path)).status == "downloaded"
    assert hosts.down() == {} and len(hits) == 3
