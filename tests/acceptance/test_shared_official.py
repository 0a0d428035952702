"""Acceptance over ../shared/mirror: the official marts hold exactly the published figures."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from outlook.build.pipeline import build_warehouse
from outlook.ingest.fetch import fetch
from outlook.ingest.raw_loads import load_fetched, record_fetch
from outlook.ingest.sources import select
from outlook.warehouse import connect

pytestmark = pytest.mark.shared

NUMBERS = [
    "tot_emp",
    "h_mean",
    "a_mean",
    "h_pct10",
    "h_pct25",
    "h_median",
    "h_pct75",
    "h_pct90",
    "a_pct10",
    "a_pct25",
    "a_median",
    "a_pct75",
    "a_pct90",
]
MARKERS = {"**": "emp_suppressed", "*": "wage_not_available", "#": "wage_top_coded"}


@pytest.fixture(scope="module")
def official(tmp_path_factory, shared_dir_module):
    """A warehouse loaded from the real mirror: OEWS releases, projections, taxonomies."""
    from flows.ingest import fetch_options
    from outlook.config import Settings

    root = tmp_path_factory.mktemp("official")
    settings = Settings(db=root / "w.duckdb", raw_dir=root / "raw", mirror=shared_dir_module)
    with connect(settings.db) as con:
        for source in select(["oews", "projections", "taxonomy"]):
            fetched = fetch(source.url, fetch_options(settings, source))
            load_fetched(con, "t", source, fetched, record_fetch(con, "t", source, fetched))
        build_warehouse(con, "t")
    return settings


@pytest.fixture(scope="module")
def shared_dir_module() -> Path:
    from tests.conftest import SHARED

    if not SHARED.is_dir():
        pytest.skip(f"real data folder {SHARED} is absent")
    return SHARED / "mirror"


def published_cells(zip_path: Path) -> tuple[list[str], list[list[object]]]:
    """The first sheet of the archive's workbook, read independently of the loader."""
    with zipfile.ZipFile(zip_path) as archive:
        (member,) = [n for n in archive.namelist() if n.endswith(".xlsx")]
        book = CalamineWorkbook.from_filelike(io.BytesIO(archive.read(member)))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    return [str(h).lower() for h in rows[0]], rows[1:]


@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_occupation_wages_equal_the_published_cells(official, shared_dir_module, year) -> None:
    header, body = published_cells(
        shared_dir_module / f"www.bls.gov/oes/special-requests/oesm{year % 100}in4.zip"
    )
    col = {name: header.index(name) for name in ["occ_code", "naics", "o_group", *NUMBERS]}
    with connect(official.db, read_only=True) as con:
        mart = con.execute(
            f"select soc_code, naics_code, o_group, {', '.join(NUMBERS)}, "
            "emp_suppressed, wage_not_available, wage_top_coded, wage_markers "
            "from marts.occupation_wages where release = ?",
            [f"M{year}"],
        ).fetchall()
    rows = {(r[0], r[1], r[2]): r[3:] for r in mart}
    assert len(rows) == len(body), "every published row is in the mart, none twice"

    def key(cells: list[object]) -> tuple[str, str, str]:
        naics = cells[col["naics"]]
        naics = str(int(naics)) if isinstance(naics, float) else str(naics)
        return (
            str(cells[col["occ_code"]]),
            "000000" if naics == "0" else naics,
            str(cells[col["o_group"]]),
        )

    rng = random.Random(year)
    for cells in rng.sample(body, 3_000):
        got = rows[key(cells)]
        for i, name in enumerate(NUMBERS):
            cell = cells[col[name]]
            if isinstance(cell, float | int):
                assert got[i] == cell, (key(cells), name, cell, got[i])
            else:
                assert got[i] is None, (key(cells), name, cell, got[i])
    # every suppressed cell in the whole file is NULL with its flag
    flags = {"emp_suppressed": 13, "wage_not_available": 14, "wage_top_coded": 15}
    for cells in body:
        got = rows[key(cells)]
        for i, name in enumerate(NUMBERS):
            marker = cells[col[name]]
            if marker in MARKERS:
                assert got[i] is None and got[flags[MARKERS[marker]]], (key(cells), name)


def test_projections_reproduce_table_1_2(official) -> None:
    with connect(official.db, read_only=True) as con:
        line_items = con.execute(
            "select count(*) from marts.occupation_projections "
            "where projection_period = '2024-34' and occupation_type = 'line_item'"
        ).fetchall()[0][0]
        managers = con.execute(
            "select title, employment_change_pct from marts.occupation_projections "
            "where soc_code = '11-9111'"
        ).fetchall()
    assert line_items == 832
    assert managers == [("Medical and health services managers", 23.2)]


def test_reloading_and_older_releases_change_nothing(official) -> None:
    from flows.ingest import fetch_options

    with connect(official.db) as con:
        before = con.execute(
            "select release, count(*) from raw.oews__industry_estimates group by 1 order by 1"
        ).fetchall()
        # newest first, then the older releases again: identical bytes are no-ops
        for source in reversed(select(["oews"])):
            fetched = fetch(source.url, fetch_options(official, source))
            report = load_fetched(
                con, "again", source, fetched, record_fetch(con, "again", source, fetched)
            )
            assert report.outcome == "unchanged"
        after = con.execute(
            "select release, count(*) from raw.oews__industry_estimates group by 1 order by 1"
        ).fetchall()
    assert before == after and [r[0] for r in after] == ["M2022", "M2023", "M2024"]


def test_direct_match_titles_load_in_full(official) -> None:
    with connect(official.db, read_only=True) as con:
        raw = con.execute(
            "select count(*), min(_release), max(_release) from raw.soc__direct_match_titles"
        ).fetchone()
        outside_dimension = con.execute(
            "select count(*) from staging.stg_bls__soc_direct_match_titles t "
            "anti join (select soc_code from marts.dim_occupation where level = 'detailed') d "
            "using (soc_code)"
        ).fetchone()[0]
    assert raw == (6_283, "SOC 2018", "SOC 2018")
    assert outside_dimension == 0
