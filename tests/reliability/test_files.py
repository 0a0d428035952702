"""Malformed upstream files, across the parsers: each fails its source with a message naming
file + row/column + reason, or loads with the bad rows quarantined, and the counts reconcile.

Complements tests/transforms/test_{indeed,oews,projections,postings_io}.py (which cover BOM +
CRLF, missing columns, truncated zips/gzip, unknown markers, repeated posting headers,
posting dates out of range): here the cases those do not reach.
"""

from __future__ import annotations

import gzip
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from outlook.config import PROFILES_DIR
from outlook.ingest.fetch import FetchOptions, fetch
from outlook.ingest.posting_files import load_postings_file
from outlook.ingest.raw_loads import load_fetched
from outlook.ingest.sources import by_name
from outlook.warehouse import connect
from scripts.samples.official import (
    EP_FOOTNOTES,
    OEWS_HEADER,
    _deterministic_zip,
    _ep_table12,
    _oews_rows,
    _write_xlsx,
    _xlsx_bytes,
)
from transforms.errors import SourceFormatError
from transforms.indeed import AGGREGATE, read_tracker
from transforms.oews import read_oews_industry_zip
from transforms.postings_io import read_postings_file
from transforms.postings_profile import load_profile
from transforms.projections import read_occupation_projections

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_POSTINGS = ROOT / "data/samples/postings/vendor_postings_2024-05_2026-10.csv.gz"

# --- Indeed tracker ------------------------------------------------------------------------

INDEED_HEADER = (
    "date,jobcountry,indeed_job_postings_index_SA,indeed_job_postings_index_NSA,variable\n"
)
INDEED_ROWS = "2020-02-01,US,100,100,total postings\n2020-02-02,US,101.5,99,total postings\n"


def indeed_file(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "aggregate_job_postings_US.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("text", "encoding", "message"),
    [
        (INDEED_HEADER + INDEED_ROWS + "2020-02-03,US,101,100,total postings,surplus\n",
         "utf-8", r"not a readable CSV \(.*line 4, saw 6"),
        (INDEED_HEADER + INDEED_ROWS + "2020-02-03,US,101\n", "utf-8",
         "row 4, column 'variable': unknown variable ''"),
        (INDEED_HEADER + INDEED_ROWS + INDEED_HEADER + "2020-02-03,US,1,1,total postings\n",
         "utf-8", "row 4, column 'date': unparseable date 'date'"),
        (INDEED_HEADER + INDEED_ROWS + "2099-02-03,US,101,100,total postings\n", "utf-8",
         r"row 4, column 'date': date '2099-02-03' outside \[1990-01-01, "),
        (INDEED_HEADER + "1989-12-31,US,101,100,total postings\n" + INDEED_ROWS, "utf-8",
         r"row 2, column 'date': date '1989-12-31' outside"),
        (INDEED_HEADER + INDEED_ROWS + '2020-02-03,US,"1,101.5",100,total postings\n', "utf-8",
         "row 4, column 'index_sa': not a number: '1,101.5'"),
        (INDEED_HEADER + INDEED_ROWS + "2020-02-03,US,101.5*,100,total postings\n", "utf-8",
         r"row 4, column 'index_sa': not a number: '101.5\*'"),
        (INDEED_HEADER + INDEED_ROWS + "2020-02-03,US\u00e9,1,1,total postings\n", "cp1252",
         r"not UTF-8 text \(byte 172\)"),
        (INDEED_HEADER + INDEED_ROWS, "utf-16", r"not UTF-8 text \(byte 0\)"),
    ],
    ids=["ragged-long", "ragged-short", "repeated-header", "future-date", "pre-1990-date",
         "thousands-separator", "footnote-marker", "cp1252", "utf-16"],
)  # fmt: skip
def test_indeed_bad_file_fails_naming_row_and_reason(
    tmp_path: Path, text: str, encoding: str, message: str
) -> None:
    # The index is a published trend: a tracker file with any bad row fails as a whole
    # (the previous vintage stays loaded) rather than loading a guessed point.
    path = indeed_file(tmp_path, text, encoding)
    with pytest.raises(SourceFormatError, match=message) as info:
        read_tracker(path, AGGREGATE)
    assert str(info.value).startswith(str(path))


def test_indeed_extra_columns_are_ignored(tmp_path: Path) -> None:
    text = (
        "date,jobcountry,new_upstream_col,indeed_job_postings_index_SA,"
        "indeed_job_postings_index_NSA,variable\n"
        "2020-02-01,US,x,100,100,total postings\n2020-02-02,US,y,101.5,99,total postings\n"
    )
    frame = read_tracker(indeed_file(tmp_path, text), AGGREGATE)
    assert list(frame.columns) == list(AGGREGATE.rename.values())
    assert frame["index_sa"].tolist() == [100.0, 101.5]


def _mirror_file(tmp_path: Path, source_name: str, body: bytes) -> tuple[Any, FetchOptions]:
    source = by_name()[source_name]
    mirror = tmp_path / "mirror"
    target = mirror / source.url.split("://", 1)[1]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    return source, FetchOptions(raw_dir=tmp_path / "raw", mirror=mirror, expect=source.expect)


def test_indeed_10x_file_loads_and_counts_reconcile(tmp_path: Path) -> None:
    # The real file is ~2,100 days x 2 variables for one country; 10x that by adding
    # countries (dates must stay inside the quality gate's 2019..today window).
    days = pd.date_range("2020-02-01", periods=2100, freq="D").strftime("%Y-%m-%d")
    countries = ["US", "GB", "CA", "AU", "DE", "FR", "IE", "NL", "JP", "SG"]
    lines = [f"{d},{c},{100 + i % 50}.5,{99 + i % 40},{v}" for c in countries
             for i, d in enumerate(days) for v in ("total postings", "new postings")]  # fmt: skip
    body = (INDEED_HEADER + "\n".join(lines) + "\n").encode()
    source, opts = _mirror_file(tmp_path, "indeed_us_aggregate", body)
    started = time.monotonic()
    with connect(tmp_path / "w.duckdb") as con:
        fetched = fetch(source.url, opts)
        report = load_fetched(con, "run-1", source, fetched, "fetch-1")
        again = load_fetched(con, "run-2", source, fetched, "fetch-2")
        loads = con.execute(
            "select rows_read, rows_loaded, rows_quarantined, outcome from meta.loads "
            "order by finished_at"
        ).fetchall()
        stored = con.execute(f"select count(*) from {source.table}").fetchone()[0]
    assert time.monotonic() - started < 20
    assert report.outcome == "loaded" and report.rows_loaded == len(lines) == stored
    read, loaded, quarantined, _ = loads[0]
    assert read == loaded + quarantined == len(lines)
    # The same bytes again: skipped as a duplicate file, nothing read twice.
    assert again.outcome == "unchanged" and loads[1] == (0, 0, 0, "unchanged")


def test_indeed_bad_file_is_recorded_failed_and_warehouse_kept(tmp_path: Path) -> None:
    good = (INDEED_HEADER + INDEED_ROWS).encode()
    bad = (INDEED_HEADER + INDEED_ROWS + "2099-02-03,US,101,100,total postings\n").encode()
    with connect(tmp_path / "w.duckdb") as con:
        source, opts = _mirror_file(tmp_path / "a", "indeed_us_aggregate", good)
        load_fetched(con, "r1", source, fetch(source.url, opts), "f1")
        source, opts = _mirror_file(tmp_path / "b", "indeed_us_aggregate", bad)
        with pytest.raises(SourceFormatError, match="2099-02-03"):
            load_fetched(con, "r2", source, fetch(source.url, opts), "f2")
        # Before the date check, 2099 became the vintage and every real file afterwards
        # was "superseded": the source would have been frozen for good.
        assert con.execute(f"select max(_release) from {source.table}").fetchone()[0] == (
            "2020-02-02"
        )
        outcome, message = con.execute(
            "select outcome, message from meta.loads where run_id = 'r2'"
        ).fetchone()
    assert outcome == "failed" and "row 4, column 'date'" in message


# --- OEWS industry zip ---------------------------------------------------------------------

OEWS_MEMBER = "oesm24in4/natsector_M2024_dl.xlsx"


def oews_zip(tmp_path: Path, rows: list[list[Any]], header: list[str] | None = None) -> Path:
    sheet = [list(header or OEWS_HEADER), *rows]
    data = _xlsx_bytes([("Natsector_M2024_dl", sheet)])
    return _deterministic_zip(tmp_path / "oesm24in4.zip", [(OEWS_MEMBER, data)])


@pytest.fixture(scope="module")
def oews_body() -> list[list[Any]]:
    return [list(r) for r in _oews_rows(2024)]


def _set(rows: list[list[Any]], row: int, column: str, value: Any) -> list[list[Any]]:
    rows = [list(r) for r in rows]
    rows[row][OEWS_HEADER.index(column)] = value
    return rows


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda b: _set(b, 0, "TOT_EMP", "1234(5)"),
         r"row 2, column 'TOT_EMP': unexpected cell '1234\(5\)'"),
        (lambda b: [*b[:3], list(OEWS_HEADER), *b[3:]],
         "row 5, column 'OCC_CODE': not a SOC code: 'OCC_CODE'"),
        (lambda b: _set(b, 1, "OCC_CODE", "\u0661\u0661-\u0669\u0661\u0661\u0661"),
         "row 3, column 'OCC_CODE': not a SOC code"),
    ],
    ids=["footnote-marker", "repeated-header", "unicode-digits"],
)  # fmt: skip
def test_oews_bad_cell_fails_naming_member_row_column(
    tmp_path: Path, oews_body: list[list[Any]], mutate: Any, message: str
) -> None:
    path = oews_zip(tmp_path, mutate(oews_body))
    with pytest.raises(SourceFormatError, match=message) as info:
        read_oews_industry_zip(path)
    assert f"{path} [{OEWS_MEMBER}]" in str(info.value)


def test_oews_empty_file_fails(tmp_path: Path) -> None:
    path = tmp_path / "oesm24in4.zip"
    path.write_bytes(b"")
    with pytest.raises(SourceFormatError, match="not a readable zip archive"):
        read_oews_industry_zip(path)


def test_oews_tolerated_variations(tmp_path: Path, oews_body: list[list[Any]]) -> None:
    rows = _set(oews_body, 0, "TOT_EMP", "1,234")  # text with a thousands separator
    rows[1] = rows[1][: OEWS_HEADER.index("H_MEAN")]  # ragged: wage cells absent
    header = [*OEWS_HEADER[:5], "NEW_COLUMN", *OEWS_HEADER[5:]]
    rows = [[*r[:5], "x", *r[5:]] for r in rows]  # an extra column in the middle
    frame = read_oews_industry_zip(oews_zip(tmp_path, rows, header))
    assert len(frame) == len(oews_body)
    assert frame["tot_emp"].iloc[0] == 1234
    short = frame.iloc[1]
    # Absent wage cells are NULL and explained, never zero.
    assert pd.isna(short["h_mean"]) and short["wage_not_available"]
    assert "h_mean=*" in short["wage_markers"]


def test_oews_10x_archive_parses_every_row(tmp_path: Path, oews_body: list[list[Any]]) -> None:
    started = time.monotonic()
    frame = read_oews_industry_zip(oews_zip(tmp_path, oews_body * 10))
    assert len(frame) == 10 * len(oews_body)
    assert time.monotonic() - started < 30


# --- Employment Projections xlsx -------------------------------------------------------------


@pytest.fixture(scope="module")
def ep_rows() -> list[list[Any]]:
    return [list(r) for r in _ep_table12()]


def ep_book(tmp_path: Path, rows: list[list[Any]]) -> Path:
    return _write_xlsx(tmp_path / "occupation.xlsx", [("Index", [["x"]]), ("Table 1.2", rows)])


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: [*r[:3], [*r[3][:3], "12.5(1)", *r[3][4:]], *r[4:]],
         r"row 4, column 'Employment, 2024': expected a number or '\u2014', got '12.5\(1\)'"),
        (lambda r: [*r[:6], list(r[1]), *r[6:]],
         "row 7, column 'code': not a matrix code: '2024 National Employment Matrix code'"),
        (lambda r: [*r[:3], [r[3][0], "\uff11\uff11-9111", *r[3][2:]], *r[4:]],
         "row 4, column 'code': not a matrix code"),
    ],
    ids=["footnote-marker", "repeated-header", "fullwidth-digits"],
)  # fmt: skip
def test_projections_bad_cell_fails_naming_sheet_row_column(
    tmp_path: Path, ep_rows: list[list[Any]], mutate: Any, message: str
) -> None:
    path = ep_book(tmp_path, mutate(ep_rows))
    with pytest.raises(SourceFormatError, match=message) as info:
        read_occupation_projections(path)
    assert str(info.value).startswith(f"{path} [Table 1.2]")


@pytest.mark.parametrize("cut", ["empty", "half"])
def test_projections_empty_or_truncated_workbook(
    tmp_path: Path, ep_rows: list[list[Any]], cut: str
) -> None:
    path = ep_book(tmp_path, ep_rows)
    data = path.read_bytes()
    path.write_bytes(b"" if cut == "empty" else data[: len(data) // 2])
    with pytest.raises(SourceFormatError, match="not a readable xlsx workbook") as info:
        read_occupation_projections(path)
    assert str(path) in str(info.value)


def test_projections_tolerated_variations(tmp_path: Path, ep_rows: list[list[Any]]) -> None:
    rows = [list(r) for r in ep_rows]
    rows[1] = [f"{h}(1)" if h.startswith("Typical education") else h for h in rows[1]]
    rows[3][3] = "1,234.5"  # a number typed as text with a thousands separator
    rows = [[*r, "surplus column"] for r in rows]
    frame = read_occupation_projections(ep_book(tmp_path, rows))
    assert frame["employment_base"].iloc[1] == 1234.5
    assert frame["typical_education"].notna().any(), "footnoted header still matched"


def test_projections_10x_table(tmp_path: Path, ep_rows: list[list[Any]]) -> None:
    head, body, notes = ep_rows[:2], ep_rows[2 : -len(EP_FOOTNOTES)], ep_rows[-len(EP_FOOTNOTES) :]
    started = time.monotonic()
    frame = read_occupation_projections(ep_book(tmp_path, [*head, *body * 10, *notes]))
    assert len(frame) == 10 * len(body)
    assert time.monotonic() - started < 30


# --- postings file drops -------------------------------------------------------------------

POSTINGS_HEADER = "source_id,title_raw,employer_raw,location_raw,posted_date,salary_min_raw"
POSTINGS_GOOD = [
    'a1,Registered Nurse,Mercy,"Austin, TX",2025-03-01,"85,000"',
    'a2,Data Scientist,Globex,"New York, NY",2025-03-02,85000*',
]


def postings_file(tmp_path: Path, lines: list[str], encoding: str = "utf-8", name="p.csv"):
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


@pytest.fixture(scope="module")
def generic():
    return load_profile("generic", PROFILES_DIR)


def test_postings_utf16_with_bom_is_read(tmp_path: Path, generic) -> None:
    batch = read_postings_file(
        postings_file(tmp_path, [POSTINGS_HEADER, *POSTINGS_GOOD], "utf-16"), generic
    )
    assert batch.encoding == "utf-16" and len(batch.rows) == 2 and batch.quarantine.empty


def test_postings_utf16_without_bom_fails_clearly(tmp_path: Path, generic) -> None:
    path = postings_file(tmp_path, [POSTINGS_HEADER, *POSTINGS_GOOD], "utf-16-le")
    with pytest.raises(SourceFormatError, match="NUL bytes in the header line") as info:
        read_postings_file(path, generic)
    assert str(path) in str(info.value)


def test_postings_empty_file_fails(tmp_path: Path, generic) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(SourceFormatError, match="empty file"):
        read_postings_file(path, generic)


def test_postings_salary_numbers_keep_separators_and_footnotes(tmp_path: Path, generic) -> None:
    lines = [
        POSTINGS_HEADER + ",extra_col",
        *(line + ",ignored" for line in POSTINGS_GOOD),
        'a3,Analyst,Initech,"Austin, TX",2025-03-03,85k DOE,x',
    ]
    batch = read_postings_file(postings_file(tmp_path, lines), generic)
    assert batch.rows["salary_min_raw"].tolist()[:2] == [85000.0, 85000.0]
    # Before the fix '85000*' became NULL with no trace; an unreadable value now survives
    # as the salary text the salary parser reports on.
    assert batch.rows["salary_text"].tolist()[2] == "85k DOE"


def test_postings_messy_drop_reconciles_in_meta_loads(tmp_path: Path) -> None:
    lines = [
        "\ufeff" + POSTINGS_HEADER,
        *POSTINGS_GOOD,
        'a3,Nurse,Mercy,"Austin, TX",2025-03-03,1,2,3',  # ragged
        POSTINGS_HEADER,  # a concatenated export repeats its header
        'a4,Nurse,Mercy,"Austin, TX",2099-01-01,',  # future
        'a5,Nurse,Mercy,"Austin, TX",1989-06-30,',  # before 1990
        'a6,,Mercy,"Austin, TX",2025-03-03,',  # no title
    ]
    drop = postings_file(tmp_path, lines, name="drop.csv")
    with connect(tmp_path / "w.duckdb") as con:
        first = load_postings_file(con, drop, "generic", tmp_path / "raw", "r1")
        second = load_postings_file(con, drop, "generic", tmp_path / "raw", "r2")
        reasons = dict(con.execute("select row_number, reason from quarantine.postings").fetchall())
        loads = con.execute(
            "select rows_read, rows_loaded, rows_quarantined, outcome from meta.loads "
            "order by finished_at"
        ).fetchall()
    assert (first.rows_read, first.rows_loaded, first.rows_quarantined) == (7, 2, 5)
    assert loads[0] == (7, 2, 5, "loaded") and loads[1] == (0, 0, 0, "unchanged")
    assert second.outcome == "unchanged", "same bytes: skipped as a duplicate file"
    assert "expected 6 fields, found 8" in reasons[3]
    assert reasons[4] == "repeated header row"
    assert "posted_date 2099-01-01 outside" in reasons[5]
    assert "posted_date 1989-06-30 outside" in reasons[6]
    assert reasons[7] == "title_raw missing"


def test_postings_10x_sample_drop_reconciles(tmp_path: Path, generic) -> None:
    text = gzip.decompress(SAMPLE_POSTINGS.read_bytes()).decode()
    header, body = text.split("\n", 1)
    big = tmp_path / "big.csv.gz"
    big.write_bytes(gzip.compress((header + "\n" + body * 10).encode()))
    one = read_postings_file(SAMPLE_POSTINGS, generic)
    started = time.monotonic()
    batch = read_postings_file(big, generic)
    assert time.monotonic() - started < 30
    assert batch.rows_read == 10 * one.rows_read == len(batch.rows) + len(batch.quarantine)
    assert len(batch.quarantine) == 10 * len(one.quarantine)
