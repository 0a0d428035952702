"""Official sources end to end through a real local HTTP server serving upstream-format files:
good files load; schema drift, a missing sheet, a zip without its workbook and HTTP errors
fail the source with a clear error and leave the warehouse as it was."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from outlook.ingest.fetch import FetchError, fetch
from outlook.ingest.raw_loads import load_fetched, record_fetch
from outlook.ingest.sources import by_name
from outlook.warehouse import connect
from scripts.samples.official import (
    OEWS_HEADER,
    _deterministic_zip,
    _oews_rows,
    _xlsx_bytes,
    write_oews_sample,
    write_projections_sample,
    write_soc_samples,
)
from transforms.errors import SchemaDriftError, SourceFormatError

OEWS_PATH = "/oes/special-requests/oesm24in4.zip"
EP_PATH = "/emp/ind-occ-matrix/occupation.xlsx"
DIRECT_PATH = "/soc/2018/soc_2018_direct_match_title_file.xlsx"


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


def test_direct_match_titles_load_and_stage(httpserver, settings, tmp_path):
    from outlook.build.pipeline import build_warehouse
    from outlook.quality import validate_marts

    good = write_soc_samples(tmp_path / "mirror")[3].read_bytes()
    httpserver.expect_request(DIRECT_PATH).respond_with_data(good)
    source = served(httpserver, "soc_direct_match_titles", DIRECT_PATH)
    with connect(settings.db) as con:
        report = load(con, settings, source)
        assert (report.outcome, report.release, report.rows_loaded) == ("loaded", "SOC 2018", 67)
        build_warehouse(con, "t")
        staged = con.execute(
            "select soc_code, soc_title, is_illustrative_example "
            "from staging.stg_bls__soc_direct_match_titles where direct_match_title = 'RN'"
        ).fetchall()
        assert staged == [("29-1141", "Registered Nurses", False)]
        results = validate_marts(con, "t", build_docs=False)
    (mine,) = [r for r in results if r.table == "staging.stg_bls__soc_direct_match_titles"]
    assert mine.success and mine.status == "passed" and mine.evaluated >= 4
    # the same bytes again are a no-op
    with connect(settings.db) as con:
        assert load(con, settings, source).outcome == "unchanged"


def test_direct_match_titles_bad_code_fails_and_keeps_rows(httpserver, settings, tmp_path):
    good = write_soc_samples(tmp_path / "mirror")[3].read_bytes()
    httpserver.expect_oneshot_request(DIRECT_PATH).respond_with_data(good)
    source = served(httpserver, "soc_direct_match_titles", DIRECT_PATH)
    header = ["2018 SOC Code", "2018 SOC Title", "2018 SOC Direct Match Title"]
    bad = _xlsx_bytes(
        [("Sheet1", [["BLS"], [*header, "Illustrative Example"], ["29-114", "RN", "Nurse", ""]])]
    )
    with connect(settings.db) as con:
        assert load(con, settings, source).outcome == "loaded"
        httpserver.expect_request(DIRECT_PATH).respond_with_data(bad)
        with pytest.raises(SourceFormatError, match=r"row 3, column '2018 SOC Code'"):
            load(con, settings, source)
        rows = con.execute("select count(*) from raw.soc__direct_match_titles").fetchone()[0]
    assert rows == 67


def test_the_source_names_agree_with_the_registry() -> None:
    # outlook.ingest.sources lists the non-file names so quality and status code can know
    # them without importing the loaders; the registry holds the sources themselves
    from outlook.ingest import registry, sources

    assert sources.known_names() == registry.known_names()
