"""Acceptance over ../shared/mirror: the real Indeed files load, and again changes nothing."""

from __future__ import annotations

import pytest

from outlook.ingest.fetch import fetch
from outlook.ingest.raw_loads import load_fetched, record_fetch
from outlook.ingest.sources import select
from outlook.warehouse import connect

pytestmark = pytest.mark.shared


def test_real_indeed_files_load_once(shared_dir, settings) -> None:
    from flows.ingest import fetch_options

    settings = settings.with_(mirror=shared_dir / "mirror")
    with connect(settings.db) as con:
        for attempt in ("first", "second"):
            for source in select(["indeed"]):
                fetched = fetch(source.url, fetch_options(settings, source))
                report = load_fetched(
                    con, attempt, source, fetched, record_fetch(con, attempt, source, fetched)
                )
                assert report.outcome == ("loaded" if attempt == "first" else "unchanged")
        counts = con.execute(
            "select count(*), min(date), max(date), count(distinct variable) "
            "from raw.indeed__aggregate_postings"
        ).fetchall()[0]
        loads = con.execute(
            "select outcome, count(*) from meta.loads group by 1 order by 1"
        ).fetchall()
    # the real US aggregate file: 4,774 rows, two interleaved series, Feb 2020 to Aug 2026
    assert counts[0] == 4_774 and counts[3] == 2
    assert str(counts[1]) == "2020-02-01" and str(counts[2]) == "2026-08-14"
    assert loads == [("loaded", 4), ("unchanged", 4)]
