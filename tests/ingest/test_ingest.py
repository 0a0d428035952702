"""Loading fetched files: idempotent, all-or-nothing, recorded in meta."""

from __future__ import annotations

from pathlib import Path

import pytest

from outlook.ingest.fetch import FetchOptions, fetch
from outlook.ingest.raw_loads import load_fetched, record_fetch
from outlook.ingest.sources import by_name
from outlook.warehouse import connect
from transforms.errors import SourceFormatError

SOURCE = by_name()["indeed_us_aggregate"]
HEADER = "date,jobcountry,indeed_job_postings_index_SA,indeed_job_postings_index_NSA,variable\n"


def mirror_file(tmp_path: Path, body: str) -> FetchOptions:
    mirror = tmp_path / "mirror"
    target = mirror / "raw.githubusercontent.com/hiring-lab/job_postings_tracker/master/US"
    target.mkdir(parents=True, exist_ok=True)
    (target / "aggregate_job_postings_US.csv").write_text(body)
    return FetchOptions(raw_dir=tmp_path / "raw", mirror=mirror, expect="csv")


def load(con, tmp_path: Path, body: str):
    fetched = fetch(SOURCE.url, mirror_file(tmp_path, body))
    fetch_id = record_fetch(con, "run", SOURCE, fetched)
    return load_fetched(con, "run", SOURCE, fetched, fetch_id)


def rows(con) -> int:
    return con.execute("select count(*) from raw.indeed__aggregate_postings").fetchone()[0]


def test_same_file_twice_is_a_no_op(tmp_path: Path) -> None:
    body = HEADER + "2020-02-01,US,100,100,total postings\n2020-02-02,US,101,100,total postings\n"
    with connect(tmp_path / "w.duckdb") as con:
        first = load(con, tmp_path, body)
        second = load(con, tmp_path, body)
        assert (first.outcome, first.rows_loaded) == ("loaded", 2)
        assert second.outcome == "unchanged" and rows(con) == 2
        outcomes = con.execute("select outcome from meta.loads order by started_at").fetchall()
        assert [o[0] for o in outcomes] == ["loaded", "unchanged"]


def test_newer_vintage_replaces_older_is_ignored(tmp_path: Path) -> None:
    older = HEADER + "2020-02-01,US,100,100,total postings\n"
    newer = older + "2020-02-02,US,101,100,total postings\n"
    with connect(tmp_path / "w.duckdb") as con:
        load(con, tmp_path, newer)
        report = load(con, tmp_path, older)
        assert report.outcome == "superseded" and rows(con) == 2
        assert con.execute(
            "select distinct _release from raw.indeed__aggregate_postings"
        ).fetchall() == [("2020-02-02",)]


def test_bad_file_leaves_warehouse_as_it_was(tmp_path: Path) -> None:
    good = HEADER + "2020-02-01,US,100,100,total postings\n"
    with connect(tmp_path / "w.duckdb") as con:
        load(con, tmp_path, good)
        with pytest.raises(SourceFormatError, match="aggregate_job_postings_US.csv.*row 3"):
            load(con, tmp_path, good + "2020-02-02,US,oops,100,total postings\n")
        assert rows(con) == 1
        last = con.execute(
            "select outcome, message from meta.loads order by started_at desc limit 1"
        ).fetchone()
        assert last[0] == "failed" and "oops" in last[1]
