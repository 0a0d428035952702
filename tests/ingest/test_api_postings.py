"""Posting APIs against a real local HTTP server answering in the recorded formats."""

from __future__ import annotations

import copy
import json
import logging
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from outlook.ingest.fetch import SourceNotInMirror
from outlook.ingest.posting_apis import (
    get_watermark,
    ingest_adzuna,
    ingest_usajobs,
)
from outlook.warehouse import connect
from transforms.errors import SourceFormatError

DATA = Path(__file__).resolve().parents[1] / "data" / "api"
USAJOBS_KEY = "FAKEKEY-usajobs-0123456789abcdef"
USAJOBS_EMAIL = "FAKEKEY-ops@example.org"
ADZUNA_ID = "FAKEKEY-adzid-77"
ADZUNA_KEY = "FAKEKEY-adzkey-0123456789abcdef"
DAY1, DAY2 = date(2026, 3, 1), date(2026, 3, 5)


def fixture(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def search_page(first_id: int, n: int, total: int) -> dict:
    """A Search API page of ``n`` items (ids from ``first_id``) out of ``total``."""
    page = fixture("usajobs_search_page.json")
    template = page["SearchResult"]["SearchResultItems"][0]
    items = []
    for i in range(n):
        item = copy.deepcopy(template)
        item["MatchedObjectId"] = str(first_id + i)
        item["MatchedObjectDescriptor"]["PositionTitle"] = f"IT Specialist {first_id + i}"
        items.append(item)
    page["SearchResult"].update(
        SearchResultItems=items, SearchResultCount=n, SearchResultCountAll=total
    )
    return page


def adzuna_page(first_id: int, n: int) -> dict:
    page = fixture("adzuna_gb_page.json")
    template = page["results"][0]
    results = []
    for i in range(n):
        item = copy.deepcopy(template)
        item["id"] = str(first_id + i)
        item["redirect_url"] = item["redirect_url"].replace("APPID", ADZUNA_ID)
        results.append(item)
    page.update(results=results, count=99)
    return page


def json_response(payload: object, status: int = 200, **headers: str) -> Response:
    return Response(json.dumps(payload), status=status, headers=headers,
                    content_type="application/json")  # fmt: skip


class Pages:
    """A handler serving page N of a fixed list (by a query arg or the last path part),
    remembering every request; ``faults`` answers a page with something else first."""

    def __init__(self, pages: list[object], by: str = "Page") -> None:
        self.pages = pages
        self.by = by
        self.requests: list[Request] = []
        self.faults: dict[int, list[Response]] = {}

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        key = request.args.get(self.by) if self.by != "path" else request.path.rsplit("/", 1)[1]
        number = int(key)
        if self.faults.get(number):
            return self.faults[number].pop(0)
        if number > len(self.pages):
            return json_response({"SearchResult": {"SearchResultItems": []}, "results": []})
        body = self.pages[number - 1]
        return (
            Response(body, content_type="application/json")
            if isinstance(body, str)
            else json_response(body)
        )


def rows(con, table: str = "raw.postings") -> int:
    return con.execute(f"select count(*) from {table}").fetchall()[0][0]


def loads(con, source: str) -> list[tuple]:
    return con.execute(
        "select outcome, rows_read, rows_loaded, rows_quarantined, message from meta.loads "
        "where source = ? order by started_at",
        [source],
    ).fetchall()


@pytest.fixture
def usajobs_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTLOOK_USAJOBS_API_KEY", USAJOBS_KEY)
    monkeypatch.setenv("OUTLOOK_USAJOBS_EMAIL", USAJOBS_EMAIL)


@pytest.fixture
def adzuna_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTLOOK_ADZUNA_APP_ID", ADZUNA_ID)
    monkeypatch.setenv("OUTLOOK_ADZUNA_APP_KEY", ADZUNA_KEY)


# --- paging ------------------------------------------------------------------------------------


def test_usajobs_search_pages_until_the_count_is_reached(
    httpserver: HTTPServer, settings, usajobs_keys
) -> None:
    server = Pages([search_page(1, 2, 5), search_page(3, 2, 5), search_page(5, 1, 5)])
    httpserver.expect_request("/api/search").respond_with_handler(server)
    with connect(settings.db) as con:
        report = ingest_usajobs(
            con, settings, "r1", api_url=httpserver.url_for("/api/search"), today=DAY1,
            per_page=2,
        )  # fmt: skip
        assert (report.outcome, report.rows_loaded) == ("loaded", 5)
        assert [r.args["Page"] for r in server.requests] == ["1", "2", "3"]
        sent = server.requests[0].headers
        assert sent["Authorization-Key"] == USAJOBS_KEY and sent["User-Agent"] == USAJOBS_EMAIL
        assert sent["Host"] == httpserver.url_for("/").split("/")[2]
        assert [r[:4] for r in loads(con, "postings-api:usajobs")] == [
            ("loaded", 2, 2, 0), ("loaded", 2, 2, 0), ("loaded", 1, 1, 0),
        ]  # fmt: skip
        lineage = con.execute(
            "select distinct file_path, row_number from raw.postings order by 1, 2"
        ).fetchall()
        assert len({p for p, _ in lineage}) == 3 and {n for _, n in lineage} == {1, 2}
        assert all(Path(p).is_file() and "search-d30-p000" in p for p, _ in lineage)
        assert get_watermark(con, "usajobs") == DAY1


def test_adzuna_pages_until_an_empty_page(httpserver: HTTPServer, settings, adzuna_keys) -> None:
    server = Pages([adzuna_page(1, 2), adzuna_page(3, 2), adzuna_page(5, 2)], by="path")
    httpserver.expect_request("/v1/api/jobs/gb/search/1").respond_with_handler(server)
    for n in (2, 3, 4):
        httpserver.expect_request(f"/v1/api/jobs/gb/search/{n}").respond_with_handler(server)
    with connect(settings.db) as con:
        report = ingest_adzuna(
            con, settings, "r1", country="gb", api_url=httpserver.url_for("/v1/api/jobs"),
            today=DAY1, per_page=2,
        )  # fmt: skip
        assert (report.outcome, report.rows_loaded) == ("loaded", 6)
        assert [r.path.rsplit("/", 1)[1] for r in server.requests] == ["1", "2", "3", "4"]
        first = server.requests[0].args
        assert (first["app_id"], first["app_key"]) == (ADZUNA_ID, ADZUNA_KEY)
        assert (first["results_per_page"], first["max_days_old"]) == ("2", "30")
        assert "1 empty" in report.message and len(loads(con, "postings-api:adzuna")) == 3
        currency = con.execute("select distinct salary_currency, country from raw.postings")
        assert currency.fetchall() == [("GBP", "GB")]


def test_empty_first_page_loads_nothing_and_moves_the_watermark(
    httpserver: HTTPServer, settings, usajobs_keys
) -> None:
    httpserver.expect_request("/api/search").respond_with_handler(Pages([]))
    with connect(settings.db) as con:
        report = ingest_usajobs(
            con, settings, "r1", api_url=httpserver.url_for("/api/search"), today=DAY1
        )
        assert (report.outcome, report.rows_loaded) == ("unchanged", 0)
        assert loads(con, "postings-api:usajobs") == []
        assert get_watermark(con, "usajobs") == DAY1


# --- retries -----------------------------------------------------------------------------------


def test_429_with_retry_after_then_success(httpserver: HTTPServer, settings, usajobs_keys) -> None:
    server = Pages([search_page(1, 2, 4), search_page(3, 2, 4)])
    server.faults[2] = [json_response({"Message": "slow down"}, 429, **{"Retry-After": "1"})]
    httpserver.expect_request("/api/search").respond_with_handler(server)
    slept: list[float] = []
    with connect(settings.db) as con:
        report = ingest_usajobs(
            con, settings, "r1", api_url=httpserver.url_for("/api/search"), today=DAY1,
            per_page=2, sleep=slept.append,
        )  # fmt: skip
        assert (report.outcome, report.rows_loaded) == ("loaded", 4)
        assert slept == [1.0], "Retry-After is honoured"
        attempts = con.execute("select attempts from meta.fetches order by retrieved_at")
        assert [a for (a,) in attempts.fetchall()] == [1, 2]


def test_5xx_then_success(httpserver: HTTPServer, settings, adzuna_keys) -> None:
    server = Pages([adzuna_page(1, 2), adzuna_page(3, 1)], by="path")
    server.faults[1] = [Response("upstream down", status=503), Response("", status=502)]
    for n in (1, 2):
        httpserver.expect_request(f"/v1/api/jobs/us/search/{n}").respond_with_handler(server)
    slept: list[float] = []
    with connect(settings.db) as con:
        report = ingest_adzuna(
            con, settings, "r1", api_url=httpserver.url_for("/v1/api/jobs"), today=DAY1,
            per_page=2, sleep=slept.append,
        )  # fmt: skip
        assert (report.outcome, report.rows_loaded) == ("loaded", 3)
        assert len(slept) == 2 and len(server.requests) == 4
        assert con.execute("select distinct salary_currency from raw.postings").fetchall() == [
            ("USD",)
        ]


# --- failure -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad_page",
    [{"results": "temporarily unavailable"}, '{"results": [{"id": "7", "title": "cut'],
    ids=["wrong-shape", "truncated-json"],
)
def test_malformed_page_fails_the_source_and_keeps_earlier_pages(
    httpserver: HTTPServer, settings, adzuna_keys, bad_page: object
) -> None:
    # A str is served verbatim (broken JSON), anything else as JSON.
    server = Pages([adzuna_page(1, 2), adzuna_page(3, 2), bad_page, adzuna_page(9, 2)], by="path")
    for n in (1, 2, 3, 4):
        httpserver.expect_request(f"/v1/api/jobs/gb/search/{n}").respond_with_handler(server)
    with connect(settings.db) as con:
        with pytest.raises(SourceFormatError) as info:
            ingest_adzuna(
                con, settings, "r1", country="gb", api_url=httpserver.url_for("/v1/api/jobs"),
                today=DAY1, per_page=2,
            )  # fmt: skip
        said = str(info.value)
        assert "/gb/search/3" in said and "(page 3)" in said
        assert "app_key=***" in said and ADZUNA_KEY not in said
        assert rows(con) == 4, "pages 1 and 2 stay loaded; page 3 wrote nothing"
        outcomes = [(o, n) for o, _, n, _, _ in loads(con, "postings-api:adzuna")]
        assert outcomes == [("loaded", 2), ("loaded", 2), ("failed", 0)]
        assert len(server.requests) == 3, "nothing after the bad page is asked for"
        assert get_watermark(con, "adzuna") is None, "the watermark does not move"


# --- incremental -------------------------------------------------------------------------------


def test_second_run_asks_only_for_what_is_newer(
    httpserver: HTTPServer, settings, usajobs_keys, adzuna_keys
) -> None:
    search = Pages([search_page(1, 2, 2)])
    httpserver.expect_request("/api/search").respond_with_handler(search)
    ads = Pages([adzuna_page(1, 1)], by="path")
    httpserver.expect_request("/v1/api/jobs/us/search/1").respond_with_handler(ads)
    with connect(settings.db) as con:
        for day in (DAY1, DAY2):
            ingest_usajobs(con, settings, "r", api_url=httpserver.url_for("/api/search"), today=day)
            ingest_adzuna(con, settings, "r", api_url=httpserver.url_for("/v1/api/jobs"), today=day)
        assert [r.args["DatePosted"] for r in search.requests] == ["30", "5"]
        assert [r.args["max_days_old"] for r in ads.requests] == ["30", "5"]
        marks = con.execute("select source, watermark from meta.watermarks order by 1")
        assert marks.fetchall() == [
            ("adzuna", "2026-03-05"),
            ("usajobs", "2026-03-05"),
        ]


def test_search_window_is_capped_at_60_days(httpserver: HTTPServer, settings, usajobs_keys) -> None:
    server = Pages([search_page(1, 1, 1)])
    httpserver.expect_request("/api/search").respond_with_handler(server)
    url = httpserver.url_for("/api/search")
    with connect(settings.db) as con:
        ingest_usajobs(con, settings, "r1", api_url=url, today=date(2026, 1, 1))
        report = ingest_usajobs(con, settings, "r2", api_url=url, today=date(2026, 6, 1))
        assert server.requests[-1].args["DatePosted"] == "60"
        assert "older postings are not fetched" in report.message


def test_rerun_with_identical_pages_adds_nothing(
    httpserver: HTTPServer, settings, usajobs_keys
) -> None:
    server = Pages([search_page(1, 2, 3), search_page(3, 1, 3)])
    httpserver.expect_request("/api/search").respond_with_handler(server)
    url = httpserver.url_for("/api/search")
    with connect(settings.db) as con:
        ingest_usajobs(con, settings, "r1", api_url=url, today=DAY1, per_page=2)
        before = rows(con), rows(con, "quarantine.postings")
        again = ingest_usajobs(con, settings, "r2", api_url=url, today=DAY1, per_page=2)
        assert (again.outcome, again.rows_loaded) == ("unchanged", 0)
        assert (rows(con), rows(con, "quarantine.postings")) == before == (3, 0)
        assert [o for o, *_ in loads(con, "postings-api:usajobs")] == [
            "loaded", "loaded", "unchanged", "unchanged",
        ]  # fmt: skip


# --- keys --------------------------------------------------------------------------------------


def _dump_every_table(con) -> str:
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('meta', 'raw', 'quarantine')"
    ).fetchall()
    assert {"meta.loads", "meta.fetches", "meta.watermarks", "raw.postings"} <= {
        f"{s}.{t}" for s, t in tables
    }
    return "\n".join(repr(con.execute(f'select * from "{s}"."{t}"').fetchall()) for s, t in tables)


def test_keys_never_reach_tables_exceptions_or_logs(
    httpserver: HTTPServer, settings, usajobs_keys, adzuna_keys, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    ads = adzuna_page(1, 2)
    ads["results"][1]["title"] = None  # quarantined: its raw record holds the redirect_url
    refusal = {"exception": "AUTH_FAIL", "display": f"bad app_key {ADZUNA_KEY}"}
    server = Pages([ads, refusal], by="path")
    for n in (1, 2):
        httpserver.expect_request(f"/v1/api/jobs/gb/search/{n}").respond_with_handler(server)
    search = Pages([search_page(1, 1, 1)])
    httpserver.expect_request("/api/search").respond_with_handler(search)
    with connect(settings.db) as con:
        ingest_usajobs(con, settings, "r1", api_url=httpserver.url_for("/api/search"))
        with pytest.raises(SourceFormatError) as info:
            ingest_adzuna(
                con, settings, "r1", country="gb", api_url=httpserver.url_for("/v1/api/jobs"),
                per_page=2,
            )  # fmt: skip
        assert "AUTH_FAIL" not in str(info.value) and "bad app_key" in str(info.value)
        assert rows(con, "quarantine.postings") == 1
        dump = _dump_every_table(con)
    ours = "\n".join(
        r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug")
    )  # werkzeug is the test server's own access log, not the pipeline's
    assert "api/jobs/gb/search" in ours or "adzuna" in ours, "the logs did say something"
    for secret in (USAJOBS_KEY, USAJOBS_EMAIL, ADZUNA_ID, ADZUNA_KEY):
        assert secret not in dump
        assert secret not in str(info.value)
        assert secret not in ours
    assert "FAKEKEY" not in dump + str(info.value) + ours


def test_missing_keys_skip_without_a_request(httpserver: HTTPServer, settings, monkeypatch) -> None:
    for var in ("OUTLOOK_USAJOBS_API_KEY", "OUTLOOK_ADZUNA_APP_KEY", "PREFECT_API_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("OUTLOOK_USAJOBS_EMAIL", USAJOBS_EMAIL)
    monkeypatch.setenv("OUTLOOK_ADZUNA_APP_ID", ADZUNA_ID)
    with connect(settings.db) as con:
        for mirror in (None, settings.raw_dir):
            here = settings.with_(mirror=mirror)
            usajobs = ingest_usajobs(con, here, "r1", api_url=httpserver.url_for("/api/search"))
            adzuna = ingest_adzuna(con, here, "r1", api_url=httpserver.url_for("/v1/api/jobs"))
            assert (usajobs.outcome, adzuna.outcome) == ("skipped", "skipped")
            assert "OUTLOOK_USAJOBS_API_KEY" in usajobs.message
            assert "OUTLOOK_ADZUNA_APP_KEY" in adzuna.message
    assert httpserver.log == []


def test_mirror_reads_recorded_pages_and_keeps_the_watermark(
    settings, tmp_path: Path, usajobs_keys
) -> None:
    mirror = tmp_path / "mirror"
    with connect(settings.db) as con:
        with pytest.raises(SourceNotInMirror):
            ingest_usajobs(con, settings.with_(mirror=mirror), "r1", today=DAY1)
        folder = mirror / "data.usajobs.gov/api/search"
        folder.mkdir(parents=True)
        (folder / "page-1.json").write_text(json.dumps(search_page(1, 2, 3)))
        (folder / "page-2.json").write_text(json.dumps(search_page(3, 1, 3)))
        report = ingest_usajobs(con, settings.with_(mirror=mirror), "r1", today=DAY1)
        assert (report.outcome, report.rows_loaded) == ("loaded", 3)
        assert get_watermark(con, "usajobs") is None
        origins = con.execute("select distinct origin, url from meta.fetches order by 2")
        assert origins.fetchall() == [
            ("mirror", "https://data.usajobs.gov/api/search/page-1.json"),
            ("mirror", "https://data.usajobs.gov/api/search/page-2.json"),
        ]


# --- the flows ---------------------------------------------------------------------------------


@pytest.mark.flow
def test_ingest_flow_skips_without_keys_or_recordings_and_loads_recorded_pages(
    prefect_harness, settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.ingest import ingest

    for var in ("OUTLOOK_USAJOBS_API_KEY", "OUTLOOK_ADZUNA_APP_ID", "OUTLOOK_ADZUNA_APP_KEY"):
        monkeypatch.delenv(var, raising=False)
    mirror = tmp_path / "mirror"
    folder = mirror / "data.usajobs.gov/api/search"
    folder.mkdir(parents=True)
    (folder / "page-1.json").write_text(json.dumps(search_page(1, 2, 2)))
    here = settings.with_(mirror=mirror)
    first = ingest(here, "r1", ["usajobs", "adzuna"])
    assert [(o.source, o.status) for o in first] == [("usajobs", "skipped"), ("adzuna", "skipped")]
    assert "OUTLOOK_USAJOBS_API_KEY" in first[0].message
    monkeypatch.setenv("OUTLOOK_USAJOBS_API_KEY", USAJOBS_KEY)
    monkeypatch.setenv("OUTLOOK_USAJOBS_EMAIL", USAJOBS_EMAIL)
    monkeypatch.setenv("OUTLOOK_ADZUNA_APP_ID", ADZUNA_ID)
    monkeypatch.setenv("OUTLOOK_ADZUNA_APP_KEY", ADZUNA_KEY)
    second = ingest(here, "r2", ["usajobs", "adzuna"])
    assert [(o.source, o.status, o.rows) for o in second] == [
        ("usajobs", "loaded", 2),
        ("adzuna", "skipped", 0),
    ]
    assert "no recorded responses" in second[1].message
