"""``outlook skills`` on a small hand-made snapshot: the long table adds up to the mart
rows, formats agree, withheld shares print as withheld, the industry filter and --top hold."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest

from outlook.cli.main import main
from outlook.cli.skills import COLUMNS

PID = "Performance Improvement Director"

REQUIREMENTS = """
create table marts.role_requirements as
select * from (values
    ('all', 'All industries', 'all', 40, 30, 0.75, 28, 0.0, 0.0, 0.0, 0.5, 0.4, 0.0, 0.0,
     0.1, 0.2, 0.3, 30, 10.0, 8.0, 12.0, null),
    ('62', 'Health Care and Social Assistance', 'healthcare', 12, 9, 0.75, 9, null, null,
     null, null, null, null, null, null, null, null, 9, null, null, null,
     'education and certification shares: 9 postings with a description, fewer than 30')
) as t(industry_sector, sector_title, industry_group, postings_current_window,
       postings_with_text, share_with_text, postings_stating_education,
       share_education_none, share_high_school, share_associate, share_bachelor,
       share_master, share_professional, share_doctorate, share_education_not_stated,
       share_or_equivalent, share_naming_certification, postings_stating_years,
       experience_years_median, experience_years_p25, experience_years_p75,
       measures_withheld)
"""

SKILLS = """
create table marts.role_skills as
select * from (values
    ('all', 'All industries', 'all', 'Six Sigma', 'method', false, 30, 27, 0.9, null, 3.0,
     null),
    ('all', 'All industries', 'all', 'Six Sigma Black Belt', 'certification', false, 30, 21,
     0.7, 0.4, -1.5, null),
    ('all', 'All industries', 'all', 'Microsoft Excel', 'technology', true, 30, 6, 0.2, null,
     null, null),
    ('62', 'Health Care and Social Assistance', 'healthcare', 'Six Sigma', 'method', false,
     9, 8, null, null, null, 'shares: 9 postings with a description, fewer than 30')
) as t(industry_sector, sector_title, industry_group, skill, skill_kind, hot_technology,
       postings_with_text, postings_mentioning,
       share_mentioning, share_requiring, share_change_pts, measures_withheld)
"""

# role_skills carries the role's postings in the window, as role_requirements does
POSTINGS = "case industry_sector when 'all' then 40 else 12 end as postings_current_window, "


@pytest.fixture
def publish_dir(tmp_path: Path) -> Path:
    snapshot = tmp_path / "published" / "snapshot" / "outlook.duckdb"
    snapshot.parent.mkdir(parents=True)
    con = duckdb.connect(str(snapshot))
    con.execute("create schema marts")
    con.execute(f"create table marts.role_outlook as select '{PID}' as role")
    for sql, extra in (
        (REQUIREMENTS, "postings_current_window as evidence_postings, "),
        (SKILLS, POSTINGS),
    ):
        con.execute(sql)
        table = sql.split()[2]
        con.execute(
            f"create or replace table {table} as select '{PID}' as role, "
            "'performance-improvement-director' as role_slug, 'current window' as "
            "evidence_basis, date '2025-11-01' as evidence_start, date '2026-10-01' as "
            f"evidence_end, {extra}* "
            f"from {table}"
        )
    con.close()
    return tmp_path / "published"


def run(publish_dir: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["skills", "--publish-dir", str(publish_dir), "--role", PID, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_long_table_holds_every_measure_in_every_format(publish_dir: Path, capsys) -> None:
    code, as_json, err = run(publish_dir, capsys, "--format", "json")
    assert code == 0 and "reading snapshot" in err
    records = json.loads(as_json)
    # per industry: 1 text row + 9 education rows + 3 years rows, then its skills
    assert len(records) == 2 * 13 + 4
    assert [r["industry_sector"] for r in records[:13]] == ["all"] * 13
    years = {
        r["item"]: r["value"]
        for r in records
        if r["section"] == "experience" and r["industry_sector"] == "all"
    }
    assert years == {
        "minimum years, median": 10.0,
        "minimum years, 25th percentile": 8.0,
        "minimum years, 75th percentile": 12.0,
    }
    black_belt = next(r for r in records if r["item"] == "Six Sigma Black Belt")
    assert black_belt["section"] == "certification"
    assert (black_belt["value"], black_belt["share_required"]) == (0.7, 0.4)
    withheld = [r for r in records if r["industry_sector"] == "62" and r["value"] is None]
    assert withheld and all(r["measures_withheld"] for r in withheld)
    _, as_csv, _ = run(publish_dir, capsys, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert list(rows[0]) == COLUMNS
    assert [(r["section"], r["item"]) for r in rows] == [(r["section"], r["item"]) for r in records]
    _, as_md, _ = run(publish_dir, capsys, "--format", "md")
    assert len(as_md.splitlines()) == 2 + len(records)


def test_industry_filter_and_top(publish_dir: Path, capsys) -> None:
    _, as_json, _ = run(publish_dir, capsys, "--industry", "healthcare", "--format", "json")
    assert {r["industry_sector"] for r in json.loads(as_json)} == {"62"}
    _, as_json, _ = run(publish_dir, capsys, "--industry", "all", "--top", "1", "--format", "json")
    skills = [r["item"] for r in json.loads(as_json) if r["section"] in ("skill", "certification")]
    assert skills == ["Six Sigma"]  # the most named first
    code, _, err = run(publish_dir, capsys, "--top", "0")
    assert code == 2 and "--top" in err
    code, _, err = run(publish_dir, capsys, "--industry", "mining")
    assert code == 1 and "no requirements" in err


def test_table_says_withheld_and_names_shares(publish_dir: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "240")
    code, out, _ = run(publish_dir, capsys)
    assert code == 0
    assert "10 (8-12)" in out  # median years and IQR
    assert "Six Sigma Black Belt 70% (40% required)" in out
    assert "Microsoft Excel 20% (hot technology)" in out
    assert "withheld, education and certification shares: 9 postings" in out


def test_unknown_role_names_close_ones(publish_dir: Path, capsys) -> None:
    code = main(["skills", "--publish-dir", str(publish_dir), "--role", "Performance Improvment"])
    assert code == 2
    assert PID in capsys.readouterr().err
