"""DuckDB posting reader: the profile compiled to SQL, rejected lines, and agreement with the
frame reader (``read_postings_file``) on the cases its tests describe."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from outlook.config import PROFILES_DIR
from transforms.postings_duck import stage_postings_file
from transforms.postings_io import read_postings_file
from transforms.postings_profile import load_profile
from transforms.postings_sql import (
    clean_expr,
    constant_expr,
    csv_options,
    header_row_expr,
    join_expr,
    pick_expr,
    picked_columns,
)

HEADER = "source_id,title_raw,employer_raw,location_raw,posted_date,salary_text"
GOOD = [
    'a1,Registered Nurse,"Mercy Hospital, Inc.","Austin, TX",2025-03-01,$40/hr',
    'a2,Data Scientist,Globex LLC,"New York, NY",2025-03-02,"$120K - $150K a year"',
    "a3,Software Engineer,Initech,Remote,2025-03-03,DOE",
]
SHA = "f" * 64


@pytest.fixture(scope="module")
def generic():
    return load_profile("generic", PROFILES_DIR)


def _write(path: Path, lines: list[str]) -> Path:
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


def _value(sql: str, **columns: str | None) -> object:
    names = list(columns) or ["x"]
    values = list(columns.values()) or [None]
    select = ", ".join(f"cast(? as varchar) as {quote}" for quote in (f'"{n}"' for n in names))
    with duckdb.connect() as con:
        return con.execute(f"select {sql} from (select {select})", values).fetchall()[0][0]


def _staged(path: Path, profile) -> tuple[object, pd.DataFrame, pd.DataFrame]:
    con = duckdb.connect()
    staged = stage_postings_file(con, path, profile, SHA)
    if staged is None:
        return None, pd.DataFrame(), pd.DataFrame()
    rows = con.execute("select * from _canon order by row_number").df()
    quarantine = con.execute("select * from _canon_quarantine order by row_number").df()
    return staged, rows, quarantine


# --- compiling the profile ------------------------------------------------------------------


def test_clean_strips_python_whitespace_and_empties_to_null() -> None:
    assert _value(clean_expr("a"), a="\u00a0 Nurse\t") == "Nurse"
    assert _value(clean_expr("a"), a=" \u3000 ") is None
    assert _value(clean_expr("a"), a="Nurse") == "Nurse"


def test_pick_coalesces_in_profile_order_and_matches_case_insensitively() -> None:
    sql = pick_expr(["Agency", "department"], ["AGENCY", "Department"])
    assert _value(sql, AGENCY="", Department="VA") == "VA"
    assert _value(sql, AGENCY="DoD", Department="VA") == "DoD"
    assert pick_expr(["missing"], ["a"]) == "cast(null as varchar)"


def test_join_keeps_every_non_empty_text_column_in_profile_order() -> None:
    sql = join_expr(["description", "Requirements", "missing"], ["description", "requirements"])
    assert _value(sql, description="Lead audits.", requirements=" MBA; 5 years ") == (
        "Lead audits.\n\nMBA; 5 years"
    )
    assert _value(sql, description="  ", requirements="PMP") == "PMP"
    assert _value(sql, description=None, requirements="") is None
    assert join_expr(["missing"], ["a"]) == "cast(null as varchar)"


def test_a_joined_description_reads_the_same_in_both_readers(tmp_path: Path) -> None:
    profile_path = tmp_path / "p.toml"
    profile_path.write_text(
        'source = "x"\n[columns]\nsource_id = "id"\ntitle_raw = "t"\nposted_date = "p"\n'
        'description = { join = ["d", "req"] }\n'
    )
    profile = load_profile(profile_path)
    assert profile.joined == frozenset({"description"})
    path = _write(
        tmp_path / "p.csv",
        [
            "id,t,p,d,req",
            "1,Nurse,2025-01-02,Care for patients.,RN licence",
            "2,Clerk,2025-01-03,,",
            "3,Analyst,2025-01-04,SQL,",
        ],
    )
    _, rows, _ = _staged(path, profile)
    expected = ["Care for patients.\n\nRN licence", None, "SQL"]
    assert [None if pd.isna(v) else v for v in rows["description"]] == expected
    frame = read_postings_file(path, profile).rows
    assert [None if pd.isna(v) else v for v in frame["description"]] == expected


def test_join_is_only_for_the_description(tmp_path: Path) -> None:
    from transforms.errors import SourceFormatError

    profile_path = tmp_path / "p.toml"
    profile_path.write_text('source = "x"\n[columns]\ntitle_raw = { join = ["a", "b"] }\n')
    with pytest.raises(SourceFormatError, match="only description takes"):
        load_profile(profile_path)


def test_constants_fill_only_missing_values(tmp_path: Path) -> None:
    profile_path = tmp_path / "p.toml"
    profile_path.write_text(
        'source = "x"\n[columns]\ntitle_raw = "t"\ncountry = ["c1", "c2"]\n'
        '[constants]\ncountry = "US"\n'
    )
    profile = load_profile(profile_path)
    picked = picked_columns(profile, ["t", "c2"])
    assert picked["source"] == "'x'"
    assert picked["close_date"] == "cast(null as varchar)"
    assert '"c1"' not in picked["country"]  # the file has no c1: not referenced
    assert _value(constant_expr("country", profile), country=None) == "US"
    assert _value(constant_expr("country", profile), country="CA") == "CA"


def test_repeated_header_test_ignores_case_and_padding() -> None:
    sql = header_row_expr(["Title", "Posted"])
    assert _value(sql, Title=" TITLE ", Posted="posted") is True
    assert _value(sql, Title="Title", Posted="2025-01-01") is False
    assert _value(sql, Title=None, Posted="posted") is False


def test_csv_options_never_sniff_and_keep_strict_rows(generic) -> None:
    options = csv_options(generic, ["a", "b"], gz=True)
    assert "auto_detect = false" in options and "strict_mode = true" in options
    assert "store_rejects = true" in options and "compression = 'gzip'" in options
    assert "columns = {'a': 'varchar', 'b': 'varchar'}" in options


# --- reading and rejects ----------------------------------------------------------------------


def test_rejected_lines_are_quarantined_with_line_and_reason(tmp_path: Path, generic) -> None:
    lines = [
        HEADER,
        GOOD[0],
        "a4,Too,Many,Fields,2025-03-04,$1,extra",  # line 3: 7 fields
        "",  # blank line: not a record
        "a5,Too few,2025-03-05",  # line 5
        "=== export page 2 ===",  # line 6: junk
        HEADER,  # line 7: repeated header
        GOOD[1],
        GOOD[2],
    ]
    staged, rows, quarantine = _staged(_write(tmp_path / "r.csv.gz", lines), generic)
    assert (staged.rows_read, staged.rows, staged.quarantined) == (7, 3, 4)
    reasons = dict(zip(quarantine["row_number"], quarantine["reason"], strict=True))
    assert reasons[2] == "line 3: expected 6 fields, found 7"
    assert reasons[4] == "line 5: expected 6 fields, found 3"
    assert reasons[5] == "line 6: expected 6 fields, found 1"
    assert reasons[6] == "repeated header row"
    assert rows["row_number"].tolist() == [1, 7, 8]
    assert quarantine["raw_record"].iloc[0].startswith("a4,Too,Many")


def test_reject_handling_counts_each_line_once(tmp_path: Path, generic) -> None:
    # DuckDB writes one reject_errors row per missing column: still one quarantine row
    lines = [HEADER, "a1", "a2,x", *GOOD]
    staged, rows, quarantine = _staged(_write(tmp_path / "m.csv", lines), generic)
    assert (staged.rows_read, staged.rows, staged.quarantined) == (5, 3, 2)
    assert quarantine["reason"].tolist() == [
        "line 2: expected 6 fields, found 1",
        "line 3: expected 6 fields, found 2",
    ]
    assert rows["row_number"].tolist() == [3, 4, 5]


def test_bad_dates_and_titles_match_the_frame_reader(tmp_path: Path, generic) -> None:
    lines = [
        HEADER,
        "d1,Nurse,Mercy,Reno NV,2025-13-45,",
        "d2,Nurse,Mercy,Reno NV,1970-01-01,",
        "d3,,Mercy,Reno NV,,",
        "d4,Nurse,Mercy,Reno NV,03/04/2025,",
        "d5," + "x" * 600 + ",Mercy,Reno NV,4 Mar 2025,",
        *GOOD,
    ]
    path = _write(tmp_path / "d.csv", lines)
    staged, rows, quarantine = _staged(path, generic)
    old = read_postings_file(path, generic)
    assert staged.rows_read == old.rows_read
    assert quarantine["reason"].tolist() == old.quarantine["reason"].tolist()
    assert rows["source_id"].tolist() == old.rows["source_id"].tolist()
    assert rows["posted_date"].dt.date.tolist() == list(old.rows["posted_date"])


def test_files_duckdb_cannot_read_faithfully_fall_back(tmp_path: Path, generic) -> None:
    multi = _write(tmp_path / "m.csv", [HEADER, 'a1,"two\nlines",E,R,2025-03-01,'])
    cp1252 = tmp_path / "c.csv"
    cp1252.write_bytes(f"{HEADER}\nb1,Analyste,Société,Paris,2025-04-01,\n".encode("cp1252"))
    for path in (multi, cp1252):
        assert stage_postings_file(duckdb.connect(), path, generic, SHA) is None


def test_parquet_rows_are_numbered_from_one(tmp_path: Path, generic) -> None:
    frame = pd.DataFrame(
        {"source_id": ["p1", "p2"], "title_raw": ["Nurse", None],
         "employer_raw": ["Mercy", "Mercy"], "posted_date": ["2025-03-01", "2025-03-02"]}
    )  # fmt: skip
    path = tmp_path / "p.parquet"
    frame.to_parquet(path)
    staged, rows, quarantine = _staged(path, generic)
    assert (staged.rows_read, staged.rows, staged.quarantined) == (2, 1, 1)
    assert rows["row_number"].tolist() == [1]
    assert quarantine["row_number"].tolist() == [2]
    assert quarantine["reason"].tolist() == ["title_raw missing"]


def test_a_too_long_row_reports_all_its_fields(tmp_path: Path, generic) -> None:
    # DuckDB's message stops at the first extra field ("Found: 7"); the reason counts them all
    lines = [HEADER, "a1,Nurse,Mercy,Reno,2025-03-01,,x,y", *GOOD]
    _, _, quarantine = _staged(_write(tmp_path / "l.csv", lines), generic)
    assert quarantine["reason"].tolist() == ["line 2: expected 6 fields, found 8"]


def test_rejects_of_an_earlier_file_stay_with_it(tmp_path: Path, generic) -> None:
    # DuckDB appends every scan's rejects to the same table: a clean file read next on the
    # same connection must not inherit the previous file's rejected lines
    con = duckdb.connect()
    messy = _write(tmp_path / "a.csv", [HEADER, "junk", *GOOD])
    clean = _write(tmp_path / "b.csv", [HEADER, *GOOD])
    assert stage_postings_file(con, messy, generic, SHA).quarantined == 1
    staged = stage_postings_file(con, clean, generic, SHA)
    assert (staged.rows_read, staged.rows, staged.quarantined) == (3, 3, 0)
