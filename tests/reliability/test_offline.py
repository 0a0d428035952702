"""Offline and failing upstreams through the real ingest flow: fail fast, one line each.

With API keys set and no network, ``outlook ingest adzuna usajobs jolts`` took 538 s to
report three DNS errors (4 fetch attempts x 3 task tries per source, one source after
another). Here the APIs point at hosts that cannot resolve (``*.invalid``) or a closed
loopback port, through the Settings' base-URL overrides (OUTLOOK_*_URL). The CLI runs
against the session's Prefect API, so its wall time measures the ingest, not the start of
a temporary server (tests/reliability/test_orphans.py covers that server).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from outlook.ingest.file_sources import FileIngest
from outlook.ingest.sources import by_name
from tests.conftest import ROOT, SAMPLES_MIRROR
from tests.reliability._servers import free_port

pytestmark = pytest.mark.flow

OUTLOOK = [sys.executable, "-c", "from outlook.cli.main import main; raise SystemExit(main())"]
KEYS = {
    "OUTLOOK_USAJOBS_API_KEY": "SECRET-usajobs-key-0123",
    "OUTLOOK_USAJOBS_EMAIL": "SECRET-ops@example.org",
    "OUTLOOK_ADZUNA_APP_ID": "SECRET-adzuna-id-45",
    "OUTLOOK_ADZUNA_APP_KEY": "SECRET-adzuna-key-6789",
    "OUTLOOK_BLS_API_KEY": "SECRET-bls-key-abcd",
}
AGGREGATE = by_name()["indeed_us_aggregate"]
AGGREGATE_CSV = (
    SAMPLES_MIRROR
    / "raw.githubusercontent.com/hiring-lab/job_postings_tracker/master/US"
    / "aggregate_job_postings_US.csv"
)


@pytest.fixture(scope="module")
def api_url(prefect_harness) -> str:
    from prefect.settings import PREFECT_API_URL

    return str(PREFECT_API_URL.value())


def run_cli(args: list[str], tmp_path: Path, env: dict[str, str]) -> tuple[int, str, float]:
    """``outlook ARGS`` on scratch paths; (exit code, stdout + stderr, wall seconds)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("OUTLOOK_")}
    scratch = ["--db", str(tmp_path / "w.duckdb"), "--raw-dir", str(tmp_path / "raw")]
    clock = time.monotonic()
    done = subprocess.run(
        [*OUTLOOK, *args, *scratch],
        cwd=ROOT,
        env={**base, "OUTLOOK_STATE_DIR": str(tmp_path / "state"), "COLUMNS": "200", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr, time.monotonic() - clock


@pytest.mark.parametrize("offline", ["unresolvable", "refused"])
def test_offline_apis_with_keys_fail_within_30_s_one_line_each(
    api_url: str, tmp_path: Path, offline: str
) -> None:
    if offline == "unresolvable":  # three hosts: fetched at once, each fails on its lookup
        urls = {
            "usajobs": "https://usajobs.invalid/api/search",
            "adzuna": "https://adzuna.invalid/v1/api/jobs",
            "jolts": "https://bls.invalid/publicAPI/v2/timeseries/data/",
        }
        reason = "DNS lookup failed"
    else:  # one host for all three: the first pays the retries, the others fail at once
        base = f"http://127.0.0.1:{free_port()}"
        urls = {
            "usajobs": f"{base}/api/search",
            "adzuna": f"{base}/v1/api/jobs",
            "jolts": f"{base}/publicAPI/v2/timeseries/data/",
        }
        reason = "connection refused"
    env = {
        **KEYS,
        "PREFECT_API_URL": api_url,
        "OUTLOOK_USAJOBS_URL": urls["usajobs"],
        "OUTLOOK_ADZUNA_URL": urls["adzuna"],
        "OUTLOOK_BLS_API_URL": urls["jolts"],
    }
    code, output, seconds = run_cli(["ingest", "adzuna", "usajobs", "jolts"], tmp_path, env)
    print(f"{offline}: exit {code} in {seconds:.1f}s")
    assert code == 1, output[-3000:]
    assert seconds < 30, f"took {seconds:.0f}s (was 538 s offline)"
    errors = [line for line in output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 3, output[-3000:]
    for name in ("jolts", "usajobs", "adzuna"):
        (line,) = [e for e in errors if e.startswith(f"error: source {name} failed: ")]
        host = urls[name].split("/")[2]
        assert f"://{host}/" in line and reason in line, line
    if offline == "refused":
        assert sum("earlier in this run: not tried again" in e for e in errors) == 2, errors
    assert "Traceback" not in output
    for secret in KEYS.values():
        assert secret not in output


def test_skipped_sources_are_logged_as_skipped_not_as_failed_tasks(
    api_url: str, tmp_path: Path
) -> None:
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    env = {
        "PREFECT_API_URL": api_url,
        "OUTLOOK_MIRROR": str(empty),
        "PREFECT_LOGGING_LEVEL": "INFO",
    }
    code, output, _ = run_cli(["ingest", "jolts", "usajobs", "adzuna"], tmp_path, env)
    assert code == 0, output[-3000:]
    for name in ("jolts", "usajobs", "adzuna"):
        (line,) = [line for line in output.splitlines() if f"skipped {name}: " in line]
        assert "| INFO " in line, line
    assert "ERROR" not in output and "Failed(" not in output, output[-3000:]
    assert "Traceback" not in output


@pytest.fixture
def monkeypatched_sources(monkeypatch: pytest.MonkeyPatch):
    """Replace the registry the ingest flow selects from with the test's own sources."""
    import flows.ingest

    def use(*sources):
        monkeypatch.setattr(flows.ingest, "select", lambda names: [FileIngest(s) for s in sources])

    return use


def test_a_failing_file_gets_max_attempts_requests_in_all(
    prefect_harness, settings, httpserver: HTTPServer, monkeypatched_sources
) -> None:
    """One retry policy: the fetch layer's. The task used to retry it twice more (30 s, then
    120 s later): up to 4 x 3 = 12 requests and 150 s of waiting for one file."""
    from flows.ingest import fetch_cached, fetch_source, ingest, load_source

    assert fetch_cached.retries == fetch_source.retries == load_source.retries == 0
    hits: list[Request] = []
    httpserver.expect_request("/busy.csv").respond_with_handler(
        lambda request: hits.append(request) or Response("busy", status=503)
    )
    monkeypatched_sources(replace(AGGREGATE, name="busy", url=httpserver.url_for("/busy.csv")))
    clock = time.monotonic()
    (outcome,) = ingest(settings.with_(max_attempts=3), "r1", ["busy"])
    assert time.monotonic() - clock < 20
    assert outcome.status == "failed" and "HTTP 503" in outcome.message
    assert "after 3 attempt(s)" in outcome.message and len(hits) == 3
    with duckdb.connect(str(settings.db), read_only=True) as con:
        recorded = con.execute("select status from meta.fetches where source = 'busy'").fetchall()
    assert recorded == [("failed",)]


@pytest.fixture
def threaded_server() -> Iterator[HTTPServer]:
    server = HTTPServer(threaded=True)  # requests from two lanes must be answered at once
    server.start()
    try:
        yield server
    finally:
        server.clear()
        server.stop()


def test_hosts_are_fetched_at_once_and_each_host_one_file_at_a_time(
    prefect_harness, settings, threaded_server: HTTPServer, monkeypatched_sources
) -> None:
    from flows.ingest import ingest

    body = AGGREGATE_CSV.read_bytes()
    lock, both_hosts = threading.Lock(), threading.Event()
    in_flight: dict[str, int] = {"localhost": 0, "127.0.0.1": 0}
    peak = dict(in_flight)

    def handler(request: Request) -> Response:
        host = request.host.split(":")[0]
        with lock:
            in_flight[host] += 1
            peak[host] = max(peak[host], in_flight[host])
            if all(in_flight.values()):
                both_hosts.set()
        both_hosts.wait(timeout=5)  # one host after the other would wait here in vain
        time.sleep(0.2)
        with lock:
            in_flight[host] -= 1
        return Response(body, content_type="text/csv")

    threaded_server.expect_request("/a1.csv").respond_with_handler(handler)
    threaded_server.expect_request("/a2.csv").respond_with_handler(handler)
    threaded_server.expect_request("/b1.csv").respond_with_handler(handler)
    port = threaded_server.port
    monkeypatched_sources(
        replace(AGGREGATE, name="a1", url=f"http://localhost:{port}/a1.csv"),
        replace(AGGREGATE, name="a2", url=f"http://localhost:{port}/a2.csv"),
        replace(AGGREGATE, name="b1", url=f"http://127.0.0.1:{port}/b1.csv"),
    )
    outcomes = ingest(settings, "r1", ["a1"])
    assert [o.source for o in outcomes] == ["a1", "a2", "b1"], "loads keep the load order"
    assert all(o.status != "failed" for o in outcomes), outcomes
    assert both_hosts.is_set(), "two hosts were fetched at the same time"
    assert peak == {"localhost": 1, "127.0.0.1": 1}, "one request at a time per host"


def test_a_failed_download_is_not_served_from_the_download_cache(
    prefect_harness, settings, httpserver: HTTPServer, monkeypatched_sources
) -> None:
    """The fetch task caches good downloads for an hour, keyed on the last good fetch; a
    failure returned under that key must not be cached, or the next hour's runs would
    report the old failure without asking upstream again."""
    from flows.ingest import ingest

    body = AGGREGATE_CSV.read_bytes()
    httpserver.expect_ordered_request("/c.csv").respond_with_data(body, headers={"ETag": '"v1"'})
    httpserver.expect_ordered_request("/c.csv").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/c.csv").respond_with_data("", status=304)
    monkeypatched_sources(replace(AGGREGATE, name="cached", url=httpserver.url_for("/c.csv")))
    once = settings.with_(max_attempts=1)
    statuses = [ingest(once, f"r{i}", ["cached"])[0].status for i in (1, 2, 3)]
    assert statuses == ["loaded", "failed", "unchanged"]
    assert len(httpserver.log) == 3, "the third run asked upstream again"
