"""The fetch layer against a real local HTTP server (pytest-httpserver), not mocks."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from outlook.ingest.fetch import (
    FetchError,
    FetchOptions,
    SourceNotInMirror,
    Validators,
    fetch,
    redact_url,
    url_relpath,
)

CSV = b"date,jobcountry,indeed_job_postings_index_SA,indeed_job_postings_index_NSA,variable\n"


def options(tmp_path: Path, **kw) -> FetchOptions:
    base = dict(
        raw_dir=tmp_path / "raw",
        user_agent="outlook-test (ops@example.org)",
        timeout_s=3.0,
        max_attempts=3,
        backoff_s=0.01,
        max_retry_after_s=1.5,
        expect="csv",
    )
    base.update(kw)
    return FetchOptions(**base)


def test_download_is_kept_immutable_with_checksum(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/US/file.csv").respond_with_data(CSV, content_type="text/csv")
    result = fetch(httpserver.url_for("/US/file.csv"), options(tmp_path))
    assert result.status == "downloaded" and result.http_status == 200
    rel = result.path.relative_to(tmp_path / "raw")
    assert rel.parts[0] == "localhost" and rel.parts[1:3] == ("US", "file.csv")
    assert rel.name == "file.csv" and len(rel.parts[3]) == 10  # retrieved date folder
    assert result.path.read_bytes() == CSV
    assert not result.path.stat().st_mode & 0o222, "raw files are read-only"
    again = fetch(httpserver.url_for("/US/file.csv"), options(tmp_path))
    assert again.path == result.path and again.sha256 == result.sha256


def test_sends_contact_user_agent(httpserver: HTTPServer, tmp_path: Path) -> None:
    def handler(request: Request) -> Response:
        if "@" not in request.headers.get("User-Agent", ""):
            return Response("Forbidden", status=403)
        return Response(CSV)

    httpserver.expect_request("/a.csv").respond_with_handler(handler)
    assert fetch(httpserver.url_for("/a.csv"), options(tmp_path)).status == "downloaded"
    with pytest.raises(FetchError, match="HTTP 403.*User-Agent"):
        fetch(httpserver.url_for("/a.csv"), options(tmp_path, user_agent="python-requests"))


def test_retries_5xx_then_succeeds(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_ordered_request("/b.csv").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/b.csv").respond_with_data("oops", status=500)
    httpserver.expect_ordered_request("/b.csv").respond_with_data(CSV)
    result = fetch(httpserver.url_for("/b.csv"), options(tmp_path))
    assert result.attempts == 3 and result.path.read_bytes() == CSV


def test_honours_retry_after(httpserver: HTTPServer, tmp_path: Path) -> None:
    waits: list[float] = []
    httpserver.expect_ordered_request("/c.csv").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request("/c.csv").respond_with_data(CSV)
    fetch(httpserver.url_for("/c.csv"), options(tmp_path), sleep=waits.append)
    assert waits == [1.0]


def test_gives_up_after_max_attempts(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/d.csv").respond_with_data("down", status=503)
    with pytest.raises(FetchError, match=r"/d.csv: HTTP 503.*after 3 attempt"):
        fetch(httpserver.url_for("/d.csv"), options(tmp_path), sleep=lambda s: None)


def test_conditional_get_reuses_previous_file(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_ordered_request("/e.csv").respond_with_data(
        CSV, headers={"ETag": '"v1"', "Last-Modified": "Wed, 01 Oct 2025 00:00:00 GMT"}
    )
    first = fetch(httpserver.url_for("/e.csv"), options(tmp_path))
    httpserver.expect_ordered_request(
        "/e.csv", headers={"If-None-Match": '"v1"'}
    ).respond_with_data("", status=304)
    previous = Validators(
        etag=first.etag, last_modified=first.last_modified, raw_path=first.path, sha256=first.sha256
    )
    second = fetch(httpserver.url_for("/e.csv"), options(tmp_path), previous=previous)
    assert second.status == "not_modified" and second.path == first.path
    assert second.sha256 == first.sha256


def test_html_error_page_is_rejected_and_kept(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/f.csv").respond_with_data(
        "<!DOCTYPE html><html><body>Access Denied</body></html>", content_type="text/html"
    )
    with pytest.raises(FetchError) as info:
        fetch(httpserver.url_for("/f.csv"), options(tmp_path))
    assert "HTML" in str(info.value) and "/f.csv" in str(info.value)
    assert info.value.raw_path is not None and info.value.raw_path.exists()


def test_empty_body_is_rejected(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/g.csv").respond_with_data(b"")
    with pytest.raises(FetchError, match="empty file"):
        fetch(httpserver.url_for("/g.csv"), options(tmp_path))


def _truncating_server() -> tuple[str, threading.Thread]:
    """A server that promises 1000 bytes and sends 10, then hangs up."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)

    def serve() -> None:
        conn, _ = sock.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + CSV[:10])
        conn.close()
        sock.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{sock.getsockname()[1]}/h.csv", thread


def test_truncated_download_fails_and_keeps_partial_file(tmp_path: Path) -> None:
    url, thread = _truncating_server()
    with pytest.raises(FetchError) as info:
        fetch(url, options(tmp_path, max_attempts=1))
    thread.join(2)
    assert "h.csv" in str(info.value)
    assert "truncated" in str(info.value) or "interrupted" in str(info.value)
    assert info.value.raw_path is not None and info.value.raw_path.exists()


def test_connection_refused_names_url(tmp_path: Path) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(FetchError, match=rf"127.0.0.1:{port}/x.csv: connection refused"):
        fetch(f"http://127.0.0.1:{port}/x.csv", options(tmp_path), sleep=lambda s: None)


def test_mirror_mode_reads_wget_layout(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    target = mirror / "www.census.gov" / "naics" / "2-6 digit_2022_Codes.csv"
    target.parent.mkdir(parents=True)
    target.write_bytes(CSV)
    result = fetch(
        "https://www.census.gov/naics/2-6%20digit_2022_Codes.csv", options(tmp_path, mirror=mirror)
    )
    assert result.origin == "mirror" and result.path.read_bytes() == CSV
    with pytest.raises(SourceNotInMirror, match="not in mirror"):
        fetch("https://www.census.gov/naics/other.csv", options(tmp_path, mirror=mirror))


def test_changed_file_same_day_keeps_both(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    target = mirror / "example.org" / "a.csv"
    target.parent.mkdir(parents=True)
    target.write_bytes(CSV)
    first = fetch("https://example.org/a.csv", options(tmp_path, mirror=mirror))
    target.write_bytes(CSV + b"2020-02-01,US,100,100,total postings\n")
    second = fetch("https://example.org/a.csv", options(tmp_path, mirror=mirror))
    assert first.path != second.path and first.path.read_bytes() == CSV


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "https://example.org/../../etc/passwd", "https://example.org/"]
)
def test_rejects_urls_that_escape(url: str) -> None:
    with pytest.raises(FetchError):
        url_relpath(url)


def test_redacts_credentials_in_urls() -> None:
    url = "https://api.adzuna.com/v1/api/jobs/us/search/1?app_id=abc&app_key=SECRET123&what=x"
    assert "SECRET123" not in redact_url(url) and "abc" not in redact_url(url)
    assert "what=x" in redact_url(url)


def test_retry_budget_comes_from_settings_and_the_environment() -> None:
    from outlook.config import resolve_settings

    assert FetchOptions.from_settings(resolve_settings(env={}), "csv").retry_budget_s == 120.0
    tight = resolve_settings(env={"OUTLOOK_RETRY_BUDGET_S": "7.5"})
    assert FetchOptions.from_settings(tight, "csv").retry_budget_s == 7.5
