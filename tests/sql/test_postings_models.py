"""Postings models on small tables: duplicate groups, canonical rows, the title cache."""

from __future__ import annotations

from pathlib import Path

from outlook.build.classification import classify_new_titles
from outlook.build.pipeline import build_warehouse
from outlook.ingest.posting_files import load_postings_file
from outlook.warehouse import connect

HEADER = "source_id,title_raw,employer_raw,location_raw,posted_date\n"
ROWS = [
    # exact duplicates: the same source id sent twice
    'X1,Director of Performance Improvement,Mercy Health,"Dayton, OH",2026-01-05',
    'X1,Director of Performance Improvement,Mercy Health,"Dayton, OH",2026-01-05',
    # a repost 40 days later under a new id: same group
    'X2,Director of Performance Improvement,Mercy Health,"Dayton, OH",2026-02-14',
    # 90 days after that: a new posting
    'X3,Director of Performance Improvement,Mercy Health,"Dayton, OH",2026-05-15',
    # same title and employer, another city: its own group
    'X4,Director of Performance Improvement,Mercy Health,"Toledo, OH",2026-01-06',
    # no employer: never merged with anything
    'X5,Registered Nurse,,"Dayton, OH",2026-01-05',
    'X6,Registered Nurse,,"Dayton, OH",2026-01-05',
]


def warehouse(tmp_path: Path):
    drop = tmp_path / "drop.csv"
    drop.write_text(HEADER + "\n".join(ROWS) + "\n")
    con = connect(tmp_path / "w.duckdb")
    load_postings_file(con, drop, "generic", tmp_path / "raw", "r1")
    build_warehouse(con, "b1")
    return con


def test_duplicate_groups_and_canonical_postings(tmp_path: Path) -> None:
    with warehouse(tmp_path) as con:
        rows = con.execute(
            "select source_id, posted_date::varchar, duplicate_group_id, is_canonical "
            "from marts.fct_postings order by row_number"
        ).fetchall()
        group = {i + 1: r[2] for i, r in enumerate(rows)}
        canonical = {i + 1: r[3] for i, r in enumerate(rows)}
        assert group[1] == group[2] == group[3], "exact duplicate and 40-day repost merge"
        assert group[4] != group[1], "a 90-day gap starts a new posting"
        assert group[5] not in {group[1], group[4]}, "another city is another posting"
        assert group[6] != group[7], "rows without an employer are never merged"
        assert [canonical[i] for i in range(1, 8)] == [True, False, False, True, True, True, True]
        unique, total = con.execute(
            "select count(*) filter (where is_canonical), count(*) from marts.fct_postings"
        ).fetchall()[0]
        assert (unique, total) == (5, 7)


def test_roles_and_the_title_cache(tmp_path: Path) -> None:
    with warehouse(tmp_path) as con:
        roles = con.execute(
            "select role, count(*) from marts.role_postings group by role order by role"
        ).fetchall()
        assert roles == [("Performance Improvement Director", 5), ("Registered Nurse", 2)]
        again = classify_new_titles(con)
        assert again.new_titles == 0 and again.cached_titles == 2  # distinct (title, sector)


def test_a_flagged_salary_stays_in_facts_but_feeds_no_median(tmp_path: Path) -> None:
    drop = tmp_path / "pay.csv"
    drop.write_text(
        "source_id,title_raw,employer_raw,location_raw,posted_date,salary_text\n"
        'P1,Director of Performance Improvement,Mercy Health,"Dayton, OH",2026-01-05,'
        '"$999,999,999 per hour"\n'
        'P2,Director of Performance Improvement,Kettering Health,"Dayton, OH",2026-01-06,'
        '"$120,000 a year"\n'
    )
    with connect(tmp_path / "w.duckdb") as con:
        load_postings_file(con, drop, "generic", tmp_path / "raw", "r1")
        build_warehouse(con, "b1")
        facts = con.execute(
            "select source_id, salary_status, annual_salary_mid is not null "
            "from marts.fct_postings order by source_id"
        ).fetchall()
        role = con.execute(
            "select source_id, has_salary from marts.fct_postings join marts.role_postings "
            "using (posting_row_id) order by source_id"
        ).fetchall()
        median = con.execute(
            "select max(median_annual_salary) from marts.role_industry_monthly "
            "where industry_sector = 'all'"
        ).fetchone()[0]
    assert facts == [("P1", "flagged", True), ("P2", "ok", True)]  # kept for inspection
    assert role == [("P1", False), ("P2", True)]
    assert median == 120_000
