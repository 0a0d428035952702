"""Official sources end to end through a real local HTTP server serving upstream-format files:
good files load; schema drift, a missing sheet, a zip without its workbook and HTTP errors
fail the source with a clear error and leave the warehouse as it was."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from outlook.fetch import FetchError, fetch
from outlook.ingest import load_fetched, record_fetch
from outlook.sources import by_name
from outlook.warehouse import connect
from scripts.samples.official import (
    OEWS_HEADER,
    _deterministic_zip,
    _oews_rows,
    _xlsx_bytes,
    write_oews_sample,
    write_projections_sample,
)
from transforms.errors import SchemaDriftError, SourceFormatError

OEWS_PATH = "/oes/special-requests/oesm24in4.zip"
EP_PATH = "/emp/ind-occ-matrix/occupation.xlsx"


def served(httpserver: HTTPServer, name: str, path: str):
    """The registered source, pointed at the local server."""
    return dataclasses.replace(by_name()[name], url=httpserver.url_for(path))


def load(con, settings, source):
    from flows.ingest import fetch_options

    fetched = fetch(source.url, fetch_options(settings, source), sleep=lambda s: None)
    return load_fetched(con, "t", source, fetched, record_fetch(con, "t", source, fetched))


def oews_zip(tmp_path: Path, header: list[str], name: str = "natsector_M2024_dl.xlsx") -> bytes:
    rows = _oews_rows(2024)
    keep = [i for i, h in enumerate(OEWS_HEADER) if h in header or h.lower() in header]
    body = [[row[i] for i in keep] for row in rows]
    data = _xlsx_bytes([("Natsector_M2024_dl", [header, *body])])
    return _deterministic_zip(tmp_path / "drift.zip", [(f"oesm24in4/{name}", data)]).read_bytes()


def count(con) -> int:
    return con.execute("select count(*) from raw.oews__industry_estimates").fetchall()[0][0]


@pytest.fixture
def loaded(httpserver: HTTPServer, settings, tmp_path: Path):
    """A warehouse holding the good M2024 sample, served over HTTP."""
    good = write_oews_sample(tmp_path / "mirror", 2024).read_bytes()
    httpserver.expect_oneshot_request(OEWS_PATH).respond_with_data(good)
    con = connect(settings.db)
    report = load(con, settings, served(httpserver, "oews_m2024", OEWS_PATH))
    assert report.outcome == "loaded" and count(con) > 100
    yield con
    con.close()


def test_renamed_column_names_the_missing_columns(loaded, httpserver, settings, tmp_path):
    before = count(loaded)
    header = [("A_MED" if h == "A_MEDIAN" else h) for h in OEWS_HEADER]
    httpserver.expect_request(OEWS_PATH).respond_with_data(oews_zip(tmp_path, header))
    with pytest.raises(SchemaDriftError, match=r"(?i)a_median"):
        load(loaded, settings, served(httpserver, "oews_m2024", OEWS_PATH))
    assert count(loaded) == before


def test_removed_column_names_it(loaded, httpserver, settings, tmp_path):
    header = [h for h in OEWS_HEADER if h != "TOT_EMP"]
    httpserver.expect_request(OEWS_PATH).respond_with_data(oews_zip(tmp_path, header))
    with pytest.raises(SchemaDriftError, match=r"(?i)tot_emp"):
        load(loaded, settings, served(httpserver, "oews_m2024", OEWS_PATH))


def test_zip_without_the_workbook(loaded, httpserver, settings, tmp_path):
    archive = _deterministic_zip(tmp_path / "x.zip", [("oesm24in4/readme.txt", b"moved")])
    httpserver.expect_request(OEWS_PATH).respond_with_data(archive.read_bytes())
    with pytest.raises(SourceFormatError, match=r"oesm24in4.zip"):
        load(loaded, settings, served(httpserver, "oews_m2024", OEWS_PATH))
    outcome = loaded.execute("select outcome from meta.loads order by finished_at desc limit 1")
    assert outcome.fetchall() == [("failed",)]


def test_projections_without_table_1_2(httpserver, settings, tmp_path):
    good = write_projections_sample(tmp_path / "mirror")
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(good))
    sheets = [
        (n, book.get_sheet_by_name(n).to_python()) for n in book.sheet_names if "1.2" not in n
    ]
    httpserver.expect_request(EP_PATH).respond_with_data(_xlsx_bytes(sheets))
    with connect(settings.db) as con, pytest.raises(SourceFormatError, match=r"1\.2"):
        load(con, settings, served(httpserver, "ep_occupations", EP_PATH))


@pytest.mark.parametrize(("status", "transient"), [(403, False), (404, False), (503, True)])
def test_http_errors_fail_the_source(httpserver, settings, status, transient):
    httpserver.expect_request(EP_PATH).respond_with_data("no", status=status)
    with connect(settings.db) as con, pytest.raises(FetchError) as info:
        load(con, settings, served(httpserver, "ep_occupations", EP_PATH))
    assert f"HTTP {status}" in str(info.value) and info.value.transient is transient


def test_429_then_success_loads(httpserver, settings, tmp_path):
    good = write_projections_sample(tmp_path / "mirror").read_bytes()
    httpserver.expect_ordered_request(EP_PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request(EP_PATH).respond_with_data(good)
    with connect(settings.db) as con:
        report = load(con, settings, served(httpserver, "ep_occupations", EP_PATH))
    assert report.outcome == "loaded" and report.release == "2024-34"
