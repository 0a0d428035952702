"""int_postings__requirements -> int_role_postings__text_windows -> role_requirements and
role_skills, built on small hand-made tables with the real SQL through
``outlook.build.models.build``: shares are of postings WITH a description, each job once (its
canonical row's own text), withheld below the evidence floor, changed on the previous window.

The upstream models are stand-ins (``select * from fixtures.<table>``); the extraction cache
(``cache.posting_requirements``) is written by hand, as the build's Python step would.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from tests.sql.model_tree import build_tree

PID = "PI Director"
FLOOR = 3
STAND_INS = {
    "staging/stg_postings__postings.sql": "fixtures.postings",
    "marts/role_postings.sql": "fixtures.role_postings",
    "marts/role_trend.sql": "fixtures.role_trend",
}
MINE = (
    "intermediate/int_postings__requirements.sql",
    "intermediate/int_role_postings__text_windows.sql",
    "intermediate/int_role_postings__evidence_basis.sql",
    "marts/role_requirements.sql",
    "marts/role_skills.sql",
)

# posting row, sector, month, canonical, description hash (None: no text)
POSTINGS = [
    ("c1", "62", "2025-03-01", True, "t-bachelor-5y-bb-required"),
    ("c2", "62", "2025-05-01", True, "t-master-10y-bb-preferred"),
    ("c3", "62", "2025-07-01", True, "t-excel-only"),
    ("c4", "62", "2025-08-01", True, None),  # no description: counted, never read
    ("c5", "62", "2025-08-01", False, "t-kaizen"),  # a repost: its text is not the job's
    ("c6", "62", "2025-09-01", True, "t-markup-only"),  # cleans to nothing: no text
    ("p1", "62", "2024-03-01", True, "t-six-sigma"),
    ("p2", "62", "2024-04-01", True, "t-lean"),
    ("p3", "62", "2024-05-01", True, "t-lean"),
    ("d1", "52", "2025-02-01", True, "t-lean"),
    ("d2", "52", "2025-04-01", True, "t-lean"),
    # manufacturing: one description in the current window, three older ones (one dated
    # only by year): every dated posting is read instead, and the period says so
    ("m1", "31-33", "2025-06-01", True, "t-lean"),
    ("m2", "31-33", "2019-02-01", True, "t-master-10y-bb-preferred"),
    ("m3", "31-33", "2020-07-01", True, "t-six-sigma"),
    ("m4", "31-33", "2018-01-01", True, "t-lean", "year"),
]

# hash: chars, education, or-equivalent, years, certifications, required, preferred, skills
READINGS = {
    "t-bachelor-5y-bb-required": (
        900,
        "bachelor",
        False,
        5.0,
        ["Six Sigma Black Belt"],
        ["Six Sigma Black Belt"],
        [],
        ["Lean", "Six Sigma"],
    ),
    "t-master-10y-bb-preferred": (
        700,
        "master",
        True,
        10.0,
        ["Six Sigma Black Belt"],
        [],
        ["Six Sigma Black Belt"],
        ["Six Sigma"],
    ),
    "t-excel-only": (300, None, False, None, [], [], [], ["Microsoft Excel"]),
    "t-kaizen": (300, "master", False, 12.0, [], [], [], ["Kaizen"]),
    "t-markup-only": (0, None, False, None, [], [], [], []),
    "t-six-sigma": (400, "bachelor", False, 3.0, [], [], [], ["Six Sigma"]),
    "t-lean": (400, "bachelor", False, 4.0, [], [], [], ["Lean"]),
}
TERMS = [
    ("Lean", "method", False),
    ("Six Sigma", "method", False),
    ("Six Sigma Black Belt", "certification", False),
    ("Microsoft Excel", "technology", True),
    ("Kaizen", "method", False),
]
WINDOWS = {  # current 2025, previous 2024, for each (role, sector) of role_trend
    "current_window_start": date(2025, 1, 1),
    "current_window_end": date(2025, 12, 1),
    "previous_window_start": date(2024, 1, 1),
    "previous_window_end": date(2024, 12, 1),
}
SECTORS = {
    "all": "All industries",
    "62": "Health Care",
    "52": "Finance and Insurance",
    "31-33": "Manufacturing",
}


def _tables() -> dict[str, pd.DataFrame]:
    rows = pd.DataFrame(
        [
            {
                "posting_row_id": rid,
                "role": PID,
                "role_slug": "pi-director",
                "naics_sector": sector,
                "posted_date": date.fromisoformat(day),
                "posted_date_precision": rest[0] if rest else "day",
                "is_canonical": canonical,
                "description_hash": text,
            }
            for rid, sector, day, canonical, text, *rest in POSTINGS
        ]
    )
    trend = pd.DataFrame(
        [
            {
                "role": PID,
                "role_slug": "pi-director",
                "industry_sector": code,
                "sector_title": title,
                "industry_group": code,
                **WINDOWS,
            }
            for code, title in SECTORS.items()
        ]
    )
    readings = pd.DataFrame(
        [
            {
                "version": "v2",
                "description_hash": key,
                "text_chars": r[0],
                "truncated": False,
                "education_min": r[1],
                "education_preferred": None,
                "education_or_equivalent": r[2],
                "experience_years_min": r[3],
                "certifications": r[4],
                "certifications_required": r[5],
                "certifications_preferred": r[6],
                "skills": r[7],
            }
            for key, r in READINGS.items()
        ]
    )
    stale = readings.assign(version="v1", education_min="doctorate")  # an old extraction
    return {
        "fixtures.postings": rows[["posting_row_id", "description_hash"]],
        "fixtures.role_postings": rows.drop(columns="description_hash"),
        "fixtures.role_trend": trend,
        "cache.posting_requirements": pd.concat([readings, stale]),
        "cache.requirement_terms": pd.DataFrame(
            TERMS, columns=["term", "kind", "hot_technology"]
        ).assign(version="v2"),
        "cache.requirements_state": pd.DataFrame({"version": ["v2"]}),
    }


def _floor(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create or replace table seeds.evidence_floor as select {FLOOR} as min_postings")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    tmp = tmp_path_factory.mktemp("requirement-marts")
    con = build_tree(tmp, models=MINE, stand_ins=STAND_INS, tables=_tables(), seed_loaders=[_floor])
    return con


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> dict:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1, rows
    return dict(zip(names, rows[0], strict=True))


def requirements(con, sector: str) -> dict:
    return _one(con, "select * from marts.role_requirements where industry_sector = ?", [sector])


def skill(con, sector: str, name: str) -> dict:
    return _one(
        con,
        "select * from marts.role_skills where industry_sector = ? and skill = ?",
        [sector, name],
    )


def test_requirements_are_shares_of_the_postings_with_a_description(built) -> None:
    row = requirements(built, "62")
    # c1..c4 and c6 are the jobs of the window (c5 is a repost); c4 and c6 have no text
    assert row["evidence_basis"] == "current window"
    assert (row["evidence_start"], row["evidence_end"]) == (date(2025, 3, 1), date(2025, 7, 1))
    assert (row["postings_current_window"], row["evidence_postings"]) == (5, 5)
    assert row["postings_with_text"] == 3
    assert row["share_with_text"] == 0.6
    assert row["postings_stating_education"] == 2
    assert (row["share_bachelor"], row["share_master"]) == (0.3333, 0.3333)
    assert row["share_doctorate"] == 0.0  # the stale extraction version is not read
    assert row["share_education_not_stated"] == 0.3333
    assert row["share_or_equivalent"] == 0.3333
    assert row["share_naming_certification"] == 0.6667
    # two postings state years, fewer than the floor: withheld, and said so
    assert row["postings_stating_years"] == 2
    assert row["experience_years_median"] is None
    assert "years: 2 postings stating a minimum, fewer than 3" in row["measures_withheld"]


def test_all_industries_pools_the_sectors_and_a_thin_sector_is_withheld(built) -> None:
    overall = requirements(built, "all")
    assert (overall["postings_current_window"], overall["postings_with_text"]) == (8, 6)
    assert overall["postings_stating_years"] == 5  # 5, 10, 4, 4, 4
    assert overall["experience_years_median"] == 4.0
    assert (overall["experience_years_p25"], overall["experience_years_p75"]) == (4.0, 5.0)
    assert overall["measures_withheld"] is None
    thin = requirements(built, "52")
    assert thin["postings_with_text"] == 2
    assert thin["share_bachelor"] is None
    assert thin["evidence_basis"] == "current window"  # no older descriptions either
    assert (
        "2 postings with a description in the current window and 2 of any date, fewer "
        in (thin["measures_withheld"])
    )


def test_skill_shares_and_their_change_on_the_previous_window(built) -> None:
    six_sigma = skill(built, "62", "Six Sigma")
    assert six_sigma["postings_mentioning"] == 2
    assert six_sigma["share_mentioning"] == 0.6667
    assert six_sigma["share_mentioning_previous"] == 0.3333
    assert six_sigma["share_change_pts"] == 33.33
    lean = skill(built, "62", "Lean")
    assert (lean["share_mentioning"], lean["share_change_pts"]) == (0.3333, -33.33)
    excel = skill(built, "62", "Microsoft Excel")
    assert (excel["skill_kind"], excel["hot_technology"]) == ("technology", True)
    assert (excel["share_mentioning_previous"], excel["share_change_pts"]) == (0.0, 33.33)


def test_certifications_carry_required_and_preferred(built) -> None:
    belt = skill(built, "62", "Six Sigma Black Belt")
    assert belt["skill_kind"] == "certification"
    assert (belt["postings_requiring"], belt["postings_preferring"]) == (1, 1)
    assert (belt["share_requiring"], belt["share_preferring"]) == (0.3333, 0.3333)
    assert skill(built, "62", "Lean")["postings_requiring"] is None  # not a certification


def test_a_reposts_text_and_thin_sectors(built) -> None:
    assert built.execute(
        "select count(*) from marts.role_skills where skill = 'Kaizen'"
    ).fetchone() == (0,)
    lean = skill(built, "52", "Lean")
    assert lean["share_mentioning"] is None and lean["share_change_pts"] is None
    assert "share: 2 postings with a description" in lean["measures_withheld"]
    assert skill(built, "all", "Lean")["share_mentioning"] == 0.6667  # c1, d1, d2, m1 of 6


def test_too_few_descriptions_in_the_window_reads_every_dated_posting(built) -> None:
    row = requirements(built, "31-33")
    assert row["evidence_basis"] == "all dates"
    assert (row["evidence_start"], row["evidence_end"]) == (date(2018, 1, 1), date(2025, 6, 1))
    assert (row["postings_current_window"], row["evidence_postings"]) == (1, 4)
    assert (row["postings_with_text"], row["share_master"]) == (4, 0.25)
    assert row["experience_years_median"] == 4.0  # 4, 10, 3, 4
    assert row["measures_withheld"] is None
    lean = skill(built, "31-33", "Lean")
    assert (lean["postings_mentioning"], lean["share_mentioning"]) == (2, 0.5)
    assert lean["share_change_pts"] is None  # a change only between the two windows
    assert "the share is over every dated posting" in lean["measures_withheld"]
