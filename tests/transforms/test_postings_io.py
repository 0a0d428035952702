"""Posting file reader: formats, encodings, malformed records, schema drift, reconciliation."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from outlook.config import PROFILES_DIR
from transforms.errors import SchemaDriftError, SourceFormatError
from transforms.postings_io import PostingsBatch, read_postings_file
from transforms.postings_profile import (
    CANONICAL_COLUMNS,
    LINEAGE_COLUMNS,
    QUARANTINE_COLUMNS,
    load_profile,
)

ROOT = Path(__file__).resolve().parents[2]
HEADER = "source_id,title_raw,employer_raw,location_raw,posted_date,salary_text"
GOOD = [
    'a1,Registered Nurse,"Mercy Hospital, Inc.","Austin, TX",2025-03-01,$40/hr',
    'a2,Data Scientist,Globex LLC,"New York, NY",2025-03-02,"$120K - $150K a year"',
    "a3,Software Engineer,Initech,Remote,2025-03-03,DOE",
]


@pytest.fixture(scope="module")
def generic():
    return load_profile("generic", PROFILES_DIR)


def _write(path: Path, lines: list[str], *, newline: str = "\n", encoding: str = "utf-8") -> Path:
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode())
    return path


def _check(batch: PostingsBatch) -> None:
    assert batch.rows_read == len(batch.rows) + len(batch.quarantine)
    assert list(batch.rows.columns) == CANONICAL_COLUMNS + LINEAGE_COLUMNS
    assert list(batch.quarantine.columns) == QUARANTINE_COLUMNS


def test_clean_csv(tmp_path: Path, generic) -> None:
    batch = read_postings_file(_write(tmp_path / "p.csv", [HEADER, *GOOD]), generic)
    _check(batch)
    assert (batch.rows_read, len(batch.rows), len(batch.quarantine)) == (3, 3, 0)
    row = batch.rows.iloc[1]
    assert row["source"] == "generic" and row["source_id"] == "a2"
    assert (row["city"], row["state"], row["country"]) == ("New York", "NY", "US")
    assert row["posted_date"] == date(2025, 3, 2)
    assert batch.rows["row_number"].tolist() == [1, 2, 3]
    assert len(batch.rows["file_sha256"].iloc[0]) == 64
    assert batch.encoding == "utf-8"


def test_csv_gz_bom_crlf(tmp_path: Path, generic) -> None:
    path = tmp_path / "p.csv.gz"
    path.write_bytes(
        gzip.compress(b"\xef\xbb\xbf" + "\r\n".join([HEADER, *GOOD]).encode() + b"\r\n")
    )
    batch = read_postings_file(path, generic)
    _check(batch)
    assert len(batch.rows) == 3 and batch.encoding == "utf-8-sig"
    assert batch.rows["source_id"].iloc[0] == "a1"  # BOM not glued to the first header
    assert not batch.rows["salary_text"].str.contains("\r").any()


def test_latin1_fallback(tmp_path: Path, generic) -> None:
    lines = [HEADER, 'b1,Analyste financier,Société Générale,"Montréal, Canada",2025-04-01,€50k']
    batch = read_postings_file(_write(tmp_path / "l.csv", lines, encoding="cp1252"), generic)
    _check(batch)
    assert batch.encoding == "cp1252"
    assert batch.rows["employer_raw"].iloc[0] == "Société Générale"
    assert batch.rows["salary_text"].iloc[0] == "€50k"


def test_ragged_junk_blank_and_repeated_header(tmp_path: Path, generic) -> None:
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
    batch = read_postings_file(_write(tmp_path / "r.csv", lines), generic)
    _check(batch)
    assert (batch.rows_read, len(batch.rows), len(batch.quarantine)) == (7, 3, 4)
    reasons = dict(zip(batch.quarantine["row_number"], batch.quarantine["reason"], strict=True))
    assert reasons[2] == "line 3: expected 6 fields, found 7"
    assert reasons[4] == "line 5: expected 6 fields, found 3"
    assert "line 6" in reasons[5]
    assert reasons[6] == "repeated header row"
    assert batch.rows["row_number"].tolist() == [1, 7, 8]
    assert batch.quarantine["raw_record"].iloc[0].startswith("a4,Too,Many")


def test_multiline_quoted_values_use_fallback_reader(tmp_path: Path, generic) -> None:
    lines = [
        HEADER + ",description",
        'c1,Nurse,Mercy,"Reno, NV",2025-05-01,$30/hr,"line one\nline two"',
        "c2,Bad,Row",
        'c3,Nurse,Mercy,"Reno, NV",2025-05-02,$31/hr,plain',
    ]
    batch = read_postings_file(_write(tmp_path / "m.csv", lines), generic)
    _check(batch)
    assert len(batch.rows) == 2 and len(batch.quarantine) == 1
    assert batch.rows["description"].iloc[0] == "line one\nline two"
    assert batch.rows["row_number"].tolist() == [1, 4]
    assert batch.quarantine["row_number"].tolist() == [3]


def test_dates_out_of_range_and_unparseable(tmp_path: Path, generic) -> None:
    lines = [
        HEADER + ",close_date",
        'd1,Nurse,Mercy,"Reno, NV",1989-12-31,,',
        f'd2,Nurse,Mercy,"Reno, NV",{date.today().year + 2}-01-01,,',
        'd3,Nurse,Mercy,"Reno, NV",not a date,,',
        'd4,Nurse,Mercy,"Reno, NV",,,',
        'd5,Nurse,Mercy,"Reno, NV",2025-01-01,,2025-02-30',
        'd6,Nurse,Mercy,"Reno, NV",03/15/2025,,2025-04-01',
    ]
    batch = read_postings_file(_write(tmp_path / "d.csv", lines), generic)
    _check(batch)
    assert batch.rows["source_id"].tolist() == ["d6"]
    assert batch.rows["close_date"].iloc[0] == date(2025, 4, 1)
    reasons = batch.quarantine["reason"].tolist()
    assert "posted_date 1989-12-31 outside" in reasons[0]
    assert "outside" in reasons[1]
    assert "posted_date not a date: not a date" in reasons[2]
    assert reasons[3] == "posted_date missing"
    assert "close_date not a date" in reasons[4]


def test_missing_required_columns(tmp_path: Path, generic) -> None:
    path = _write(tmp_path / "s.csv", ["id,title,company,when", "1,Nurse,Mercy,2025-01-01"])
    with pytest.raises(SchemaDriftError) as info:
        read_postings_file(path, generic)
    assert info.value.missing == ["title_raw", "employer_raw", "posted_date"]
    assert "s.csv" in str(info.value)


def test_truncated_gzip(tmp_path: Path, generic) -> None:
    data = gzip.compress(("\n".join([HEADER, *GOOD * 200]) + "\n").encode())
    path = tmp_path / "t.csv.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceFormatError, match=r"t\.csv\.gz.*truncated or corrupt gzip"):
        read_postings_file(path, generic)


def test_jsonl_with_bad_lines(tmp_path: Path, generic) -> None:
    records = [
        {"source_id": "j1", "title_raw": "Nurse", "employer_raw": "Mercy", "posted_date": "2025-06-01",
         "salary_min_raw": 30, "salary_max_raw": 35, "salary_period_raw": "hour", "currency_raw": "USD"},
        {"source_id": "j2", "title_raw": "Analyst", "employer_raw": "Globex", "posted_date": "2025-06-02",
         "location_raw": "Chicago, Illinois"},
    ]  # fmt: skip
    lines = [json.dumps(records[0]), "{not json", "", "[1, 2]", json.dumps(records[1])]
    batch = read_postings_file(_write(tmp_path / "p.jsonl", lines), generic)
    _check(batch)
    assert (batch.rows_read, len(batch.rows), len(batch.quarantine)) == (4, 2, 2)
    assert batch.rows["salary_text"].iloc[0] == "USD 30 - 35 hour"
    assert batch.rows["salary_min_raw"].iloc[0] == 30.0
    assert batch.rows["state"].iloc[1] == "IL"
    assert batch.quarantine["reason"].iloc[0].startswith("line 2: invalid JSON")
    assert batch.quarantine["reason"].iloc[1] == "line 4: not a JSON object"
    assert batch.rows["row_number"].tolist() == [1, 5]


def test_parquet(tmp_path: Path, generic) -> None:
    frame = pd.DataFrame(
        {
            "source_id": ["p1", "p2", "p3"],
            "title_raw": ["Nurse", "Engineer", None],
            "employer_raw": ["Mercy", "Initech", "X"],
            "posted_date": ["2025-01-01", "1970-01-01", "2025-01-01"],
            "salary_min_raw": [50000.0, 0.0, None],
        }
    )
    path = tmp_path / "p.parquet"
    frame.to_parquet(path)
    batch = read_postings_file(path, generic)
    _check(batch)
    assert batch.rows["source_id"].tolist() == ["p1"]
    assert batch.rows["row_number"].tolist() == [1]
    assert batch.quarantine["row_number"].tolist() == [2, 3]
    assert "title_raw missing" in batch.quarantine["reason"].iloc[1]
    assert json.loads(batch.quarantine["raw_record"].iloc[0])["source_id"] == "p2"


def test_bad_parquet(tmp_path: Path, generic) -> None:
    path = tmp_path / "x.parquet"
    path.write_bytes(b"PAR1 not really")
    with pytest.raises(SourceFormatError, match="unreadable Parquet"):
        read_postings_file(path, generic)


def test_profiles_load_and_validate(tmp_path: Path) -> None:
    for name in ("generic", "usajobs_csv", "usajobs_historicjoa", "h1b_lca"):
        profile = load_profile(name, PROFILES_DIR)
        assert profile.source and profile.columns
    custom = tmp_path / "vendor.toml"
    custom.write_text(
        'source = "vendor"\n[columns]\ntitle_raw = "Job Title"\nposted_date = "Date"\n'
    )
    assert load_profile(custom).columns["title_raw"] == ("Job Title",)
    bad = tmp_path / "bad.toml"
    bad.write_text('source = "x"\n[columns]\nsalary = "Pay"\n')
    with pytest.raises(SourceFormatError, match="not a canonical column"):
        load_profile(bad)
    with pytest.raises(FileNotFoundError, match="known: .*generic"):
        load_profile("no_such_profile", PROFILES_DIR)
    with pytest.raises(FileNotFoundError, match="profiles_dir"):
        load_profile("generic")  # a name needs the caller's profiles folder


def test_custom_profile_constants_and_coalesce(tmp_path: Path) -> None:
    profile_path = tmp_path / "vendor.toml"
    profile_path.write_text(
        'source = "vendor"\nrequired = ["Job Title", "Date"]\n'
        '[columns]\ntitle_raw = "Job Title"\nposted_date = "Date"\n'
        'employer_raw = ["Brand", "Company"]\nlocation_raw = "Where"\n'
        '[dates]\nformats = ["%d/%m/%Y"]\n[constants]\ncountry = "US"\ncurrency_raw = "USD"\n'
    )
    data = _write(
        tmp_path / "v.tsv",
        ["Job Title,Brand,Company,Where,Date", "Nurse,,Mercy Health,Remote,31/12/2025",
         "Nurse,Kids First,Mercy Health,\"Paris, France\",01/02/2025"],
    )  # fmt: skip
    batch = read_postings_file(data, load_profile(profile_path))
    _check(batch)
    assert batch.rows["employer_raw"].tolist() == ["Mercy Health", "Kids First"]
    assert batch.rows["country"].tolist() == ["US", "FR"]  # constants only fill gaps
    assert batch.rows["posted_date"].iloc[0] == date(2025, 12, 31)


def test_unknown_suffix(tmp_path: Path, generic) -> None:
    path = tmp_path / "p.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(SourceFormatError, match="suffix"):
        read_postings_file(path, generic)


def test_date_precision_is_detected_per_value(tmp_path: Path) -> None:
    profile_path = tmp_path / "vendor.toml"
    profile_path.write_text(
        'source = "vendor"\n[columns]\ntitle_raw = "Title"\nposted_date = "Posted"\n'
        '[dates]\nformats = ["ISO8601", "%Y-%m", "%m/%Y", "%Y"]\n'
    )
    lines = ["Title,Posted", "Nurse,2025-03-14", "Nurse,2025-03", "Nurse,03/2025", "Nurse,2025"]
    batch = read_postings_file(_write(tmp_path / "v.csv", lines), load_profile(profile_path))
    _check(batch)
    assert batch.rows["posted_date_precision"].tolist() == ["day", "month", "month", "year"]
    assert batch.rows["posted_date"].tolist() == [date(2025, 3, 14)] + [date(2025, 3, 1)] * 2 + [
        date(2025, 1, 1)
    ]


def test_a_declared_precision_wins(tmp_path: Path) -> None:
    h1b = load_profile("h1b_lca", PROFILES_DIR)
    assert h1b.date_precision == "year"
    lines = [
        "employer,job_title,country,work_location,wage,status,year",
        'Mercy,Nurse,Unknown,"Austin, TX",40.0,Certified,2025',
    ]
    batch = read_postings_file(_write(tmp_path / "h.csv", lines), h1b)
    assert batch.rows["posted_date_precision"].tolist() == ["year"]
    bad = tmp_path / "bad.toml"
    bad.write_text('source = "x"\n[dates]\nprecision = "week"\n')
    with pytest.raises(SourceFormatError, match="precision"):
        load_profile(bad)


def test_a_megabyte_title_is_quarantined_not_stored(tmp_path: Path, generic) -> None:
    long = "Director " * 120_000  # ~1 MB
    lines = [HEADER, *GOOD, f"a4,{long},Initech,Remote,2025-03-04,DOE"]
    batch = read_postings_file(_write(tmp_path / "p.csv", lines), generic)
    _check(batch)
    assert (len(batch.rows), len(batch.quarantine)) == (3, 1)
    reason = batch.quarantine["reason"].iloc[0]
    assert "title_raw has 1079999 characters (at most 500)" in reason
