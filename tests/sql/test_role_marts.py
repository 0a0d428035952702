"""role_industry_monthly, role_trend and role_outlook built on small hand-built contract tables.

The upstream marts are stand-in models (``select * from fixtures.<table>``) so the real SQL
and Python models run through ``outlook.build.models.build`` exactly as in the warehouse.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from outlook.build.models import build
from outlook.build.seeds import load_jolts_industries, load_projection_seeds
from outlook.config import SQL_DIR
from outlook.warehouse import connect

UPSTREAM = (
    "fct_postings",
    "role_postings",
    "occupation_wages",
    "occupation_projections",
    "industry_openings",
    "indeed_postings_monthly",
)
MINE = (
    "marts/role_industry_monthly.sql",
    "marts/role_industry_yearly.sql",
    "marts/role_trend.py",
    "intermediate/int_role_outlook__evidence.sql",
    "marts/role_outlook.py",
)

ROLES = pd.DataFrame(
    {
        "role": ["PI Director", "Other", "Empty Role"],
        "role_slug": ["pi-director", "other", "empty-role"],
        "description": ["", "", ""],
        "indeed_category": ["Management", "Production & Manufacturing", "Management"],
        "priority": [100, 0, 0],
    }
)
ROLE_SOC = pd.DataFrame(
    {
        "role": ["PI Director", "PI Director", "PI Director", "Other"],
        "soc_code": ["11-9111", "11-3051", "11-9111", "51-1011"],
        "naics_sector": [None, None, "62", None],
        "rank": [1, 2, 1, 1],
    }
).astype({"naics_sector": "string"})


def posting(pid, role, sector, day, group, canonical=True, salary=None, precision="day"):
    return {
        "posting_id": pid,
        "role": role,
        "role_slug": None if role is None else ROLES.set_index("role").role_slug[role],
        "naics_sector": sector,
        "posted_date": None if day is None else date.fromisoformat(day),
        "posted_date_precision": None if day is None else precision,
        "duplicate_group_id": group,
        "is_canonical": canonical,
        "annual_salary_mid": salary,
    }


# Data months: 2024-01 .. 2025-02 (14). PI Director in 62: g1 (Jan, reposted in Feb), g2 (Jan),
# nothing in Mar, g4 (Apr), g5-g7 (Jan 2025); g8 has no date; g9 has no sector.
SMALL = [
    posting("p1", "PI Director", "62", "2024-01-05", "g1", True, 100000.0),
    posting("p2", "PI Director", "62", "2024-02-03", "g1", False, 100000.0),
    posting("p3", "PI Director", "62", "2024-01-20", "g2", True, 120000.0),
    posting("p4", "PI Director", "62", "2024-04-11", "g4", True),
    posting("p5", "PI Director", "62", "2025-01-02", "g5", True, 90000.0),
    posting("p6", "PI Director", "62", "2025-01-09", "g6", True, 110000.0),
    posting("p7", "PI Director", "62", "2025-01-30", "g7", True, 130000.0),
    posting("p8", "PI Director", "62", None, "g8", True, 50000.0),
    posting("p9", "PI Director", None, "2025-02-14", "g9", True),
    posting("p10", "Other", "31-33", "2024-01-15", "g10", True),
    posting("q1", None, "62", "2024-01-02", "g11", True),
    posting("q2", None, "62", "2024-01-03", "g12", True),
    # q3 ends the data on the last day of February: every month is complete
    posting("q3", None, "52", "2025-02-28", "g13", True),
    # postings of no role in the months above that have none, so the data cover every month
    # (a month without any posting at all is a gap in the feed, not a zero)
    *[
        posting(f"f{m}", None, "52", f"2024-{m:02d}-15", f"gf{m}", True)
        for m in (3, 5, 6, 7, 8, 9, 10, 11, 12)
    ],
]

WAGES = [
    # release, release_year, soc, o_group, naics_code, naics_sector, i_group, tot_emp, a_median
    ("M2024", 2024, "11-9111", "detailed", "62", "62", "sector", 1000, 120000.0),
    ("M2024", 2024, "11-9111", "broad", "62", "62", "sector", 1000, 120000.0),  # same, twice
    ("M2024", 2024, "11-1021", "detailed", "62", "62", "sector", 3000, 100000.0),
    ("M2024", 2024, "11-9111", "detailed", "622000", "62", "3-digit", 700, 125000.0),
    ("M2024", 2024, "11-9111", "detailed", "000000", None, "cross-industry", 5000, 110000.0),
    ("M2024", 2024, "11-3051", "detailed", "000000", None, "cross-industry", 1000, 130000.0),
    ("M2023", 2023, "11-9111", "detailed", "62", "62", "sector", 999, 1.0),
]
PROJECTIONS = [
    # period, soc, base, change, openings, all-occupations change %, bright outlook
    ("2024-34", "11-9111", 100.0, 10.0, 9.5, 3.0, True),
    ("2024-34", "11-3051", 50.0, -5.0, 4.0, 3.0, False),
    ("2023-33", "11-9111", 100.0, -50.0, 1.0, 5.0, False),
]
OPENINGS = [
    ("620000", "Health care and social assistance", "62", "2024-02-01", 100.0),
    ("620000", "Health care and social assistance", "62", "2025-02-01", 125.0),
    ("000000", "Total nonfarm", None, "2024-02-01", 1000.0),
    ("000000", "Total nonfarm", None, "2025-02-01", 900.0),
    ("540099", "Professional and business services", None, "2024-02-01", 200.0),
    ("540099", "Professional and business services", None, "2025-02-01", 210.0),
]
INDEED = [
    ("US", "Management", "2025-01-01", 110.0, 10.0, 5.0),
    ("US", "Management", "2025-02-01", 112.0, 12.0, -4.0),
    ("GB", "Management", "2025-03-01", 50.0, -50.0, -50.0),
]


def load_fixtures(con: duckdb.DuckDBPyConnection, postings: list[dict]) -> None:
    con.execute("create schema if not exists fixtures")
    frame = pd.DataFrame(postings).astype(
        {"naics_sector": "string", "annual_salary_mid": "Float64", "role": "string"}
    )
    frame["posted_date"] = pd.to_datetime(frame["posted_date"]).dt.date
    con.register("_p", frame)
    con.execute("create or replace table fixtures.fct_postings as select * from _p")
    con.execute(
        "create or replace table fixtures.role_postings as select *, "
        "annual_salary_mid is not null as has_salary from _p where role is not null"
    )
    con.unregister("_p")
    tables = {
        "occupation_wages": (
            "release varchar, release_year integer, soc_code varchar, o_group varchar, "
            "naics_code varchar, "
            "naics_sector varchar, i_group varchar, tot_emp bigint, a_median double",
            WAGES,
        ),
        "occupation_projections": (
            "projection_period varchar, soc_code varchar, employment_base double, "
            "employment_change double, annual_openings double, "
            "all_occupations_change_pct double, bright_outlook boolean",
            PROJECTIONS,
        ),
        "industry_openings": (
            "industry_code varchar, industry_title varchar, naics_sector varchar, month date, "
            "openings_level double",
            OPENINGS,
        ),
        "indeed_postings_monthly": (
            "country_code varchar, scope varchar, month date, index_level double, "
            "change_vs_feb_2020_pts double, change_12m_pct double",
            INDEED,
        ),
    }
    for name, (columns, rows) in tables.items():
        con.execute(f"create or replace table fixtures.{name} ({columns})")
        marks = ", ".join("?" for _ in rows[0])
        con.executemany(f"insert into fixtures.{name} values ({marks})", [list(r) for r in rows])


def seed_roles(con: duckdb.DuckDBPyConnection) -> None:
    for table, frame in {"seeds.roles": ROLES, "seeds.role_soc": ROLE_SOC}.items():
        con.register("_seed", frame)
        con.execute(f"create or replace table {table} as select * from _seed")
        con.unregister("_seed")


def sql_dir(tmp_path: Path) -> Path:
    root = tmp_path / "sql"
    (root / "marts").mkdir(parents=True)
    (root / "intermediate").mkdir()
    for name in UPSTREAM:
        (root / "marts" / f"{name}.sql").write_text(f"select * from fixtures.{name}")
    for name in MINE:
        shutil.copy(SQL_DIR / name, root / name)
    return root


def build_on(tmp_path: Path, postings: list[dict]) -> duckdb.DuckDBPyConnection:
    con = connect(tmp_path / "w.duckdb")
    load_fixtures(con, postings)
    build(
        con,
        "t1",
        sql_dir=sql_dir(tmp_path),
        seed_loaders=[seed_roles, load_jolts_industries, load_projection_seeds],
    )
    return con


@pytest.fixture
def small(tmp_path: Path):
    con = build_on(tmp_path, SMALL)
    yield con
    con.close()


def monthly(con, role: str, sector: str) -> pd.DataFrame:
    frame = con.execute(
        "select * from marts.role_industry_monthly where role = ? and industry_sector = ? "
        "order by month",
        [role, sector],
    ).df()
    frame["month"] = pd.to_datetime(frame["month"]).dt.strftime("%Y-%m")
    return frame.set_index("month")


def test_dense_spine_for_every_series(small) -> None:
    series = small.execute(
        "select role, industry_sector, count(*), min(month), max(month) "
        "from marts.role_industry_monthly group by all order by all"
    ).fetchall()
    first, last = date(2024, 1, 1), date(2025, 2, 1)
    assert series == [
        ("Empty Role", "all", 14, first, last),
        ("Other", "31-33", 14, first, last),
        ("Other", "all", 14, first, last),
        ("PI Director", "62", 14, first, last),
        ("PI Director", "all", 14, first, last),
        ("PI Director", "unknown", 14, first, last),
    ]
    empty = monthly(small, "Empty Role", "all")
    assert empty["unique_postings"].sum() == 0 and empty["industry_group"].eq("all").all()


def test_counts_and_zero_months(small) -> None:
    m = monthly(small, "PI Director", "62")
    assert m.loc["2024-01", ["unique_postings", "total_postings", "new_postings"]].tolist() == [
        2,
        2,
        2,
    ]
    # g1 reposted in Feb: still advertised (unique 1) but not new
    assert m.loc["2024-02", ["unique_postings", "total_postings", "new_postings"]].tolist() == [
        1,
        1,
        0,
    ]
    assert m.loc["2024-03", ["unique_postings", "total_postings", "new_postings"]].tolist() == [
        0,
        0,
        0,
    ]
    assert m.loc["2025-01", "new_postings"] == 3
    assert m.loc["2025-02", "unique_postings"] == 0  # p8 has no posted date
    assert m["sector_title"].iloc[0] == "Health Care and Social Assistance"
    assert m["industry_group"].iloc[0] == "healthcare"
    u = monthly(small, "PI Director", "unknown")
    assert u.loc["2025-02", "unique_postings"] == 1 and u["industry_group"].iloc[0] == "unknown"
    a = monthly(small, "PI Director", "all")
    assert a["unique_postings"].tolist() == [2, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 3, 1]


def test_shares(small) -> None:
    m = monthly(small, "PI Director", "62")
    assert m.loc["2024-01", "sector_unique_postings"] == 4  # g1, g2, g11, g12
    assert m.loc["2024-01", "share_of_sector_postings"] == pytest.approx(0.5)
    assert m.loc["2024-02", "share_of_sector_postings"] == pytest.approx(1.0)
    assert pd.isna(m.loc["2024-03", "share_of_sector_postings"])  # no postings at all
    a = monthly(small, "PI Director", "all")
    assert a.loc["2024-01", "share_of_sector_postings"] == pytest.approx(2 / 5)
    assert a.loc["2025-02", "share_of_sector_postings"] == pytest.approx(1 / 2)  # g9 of g9, g13
    shares = small.execute(
        "select min(share_of_sector_postings), max(share_of_sector_postings) "
        "from marts.role_industry_monthly"
    ).fetchone()
    assert 0 <= shares[0] <= shares[1] <= 1


def test_moving_average_mom_yoy(small) -> None:
    m = monthly(small, "PI Director", "62")
    assert pd.isna(m.loc["2024-01", "unique_postings_3m_avg"])
    assert pd.isna(m.loc["2024-02", "unique_postings_3m_avg"])
    assert m.loc["2024-03", "unique_postings_3m_avg"] == pytest.approx(1.0)  # (2+1+0)/3
    assert m.loc["2024-04", "unique_postings_3m_avg"] == pytest.approx(0.6667, abs=1e-4)
    assert pd.isna(m.loc["2024-01", "mom_change_pct"])  # no month before
    assert m.loc["2024-02", "mom_change_pct"] == pytest.approx(-50.0)
    assert m.loc["2024-03", "mom_change_pct"] == pytest.approx(-100.0)
    assert pd.isna(m.loc["2024-04", "mom_change_pct"])  # base 0
    assert pd.isna(m.loc["2024-12", "yoy_change_pct"])  # no year before
    assert m.loc["2025-01", "yoy_change_pct"] == pytest.approx(50.0)  # 3 vs 2
    assert m.loc["2025-02", "yoy_change_pct"] == pytest.approx(-100.0)  # 0 vs 1


def test_median_salary(small) -> None:
    m = monthly(small, "PI Director", "62")
    assert m.loc["2024-01", "median_annual_salary"] == pytest.approx(110000.0)
    assert m.loc["2024-01", "salary_postings"] == 2
    assert pd.isna(m.loc["2024-02", "median_annual_salary"])  # the repost is not canonical
    assert m.loc["2024-02", "salary_postings"] == 0
    assert m.loc["2024-04", "salary_postings"] == 0
    assert m.loc["2025-01", "median_annual_salary"] == pytest.approx(110000.0)
    assert m.loc["2025-01", "salary_postings"] == 3


def test_days_covered_mark_a_complete_last_month(small) -> None:
    rows = small.execute(
        "select strftime(month, '%Y-%m'), days_covered, is_partial_month "
        "from marts.role_industry_monthly where role = 'PI Director' and industry_sector = '62' "
        "and month >= date '2025-01-01' order by month"
    ).fetchall()
    assert rows == [("2025-01", 31, False), ("2025-02", 28, False)]


def test_a_partial_last_month_is_left_out_of_the_trend(tmp_path: Path) -> None:
    # The same data without q3: they stop on 14 February, so February is partial.
    with build_on(tmp_path, [p for p in SMALL if p["posting_id"] != "q3"]) as con:
        days, partial = con.execute(
            "select days_covered, is_partial_month from marts.role_industry_monthly "
            "where role = 'PI Director' and industry_sector = 'all' and month = date '2025-02-01'"
        ).fetchall()[0]
        assert (days, partial) == (14, True)
        row = con.execute(
            "select last_month, partial_month_excluded, postings_current_window "
            "from marts.role_trend where role = 'PI Director' and industry_sector = '62'"
        ).fetchall()[0]
        assert row == (date(2025, 1, 1), date(2025, 2, 1), 4)  # g4, g5-g7 in 2024-02 .. 2025-01
        text = con.execute(
            "select evidence_text from marts.role_outlook "
            "where role = 'PI Director' and industry_sector = '62'"
        ).fetchall()[0][0]
        assert "2025-02 left out: partial month" in text


def test_role_trend_rows(small) -> None:
    trend = small.execute(
        "select * from marts.role_trend where role = 'PI Director' order by industry_sector"
    ).df()
    assert trend["industry_sector"].tolist() == ["62", "all", "unknown"]
    row = trend.iloc[0]
    assert row["n_months"] == 14
    assert row["n_postings"] == 6  # new postings g1, g2, g4, g5, g6, g7
    assert row["postings_current_window"] == 4  # 2024-03 .. 2025-02
    assert pd.isna(row["postings_previous_window"])  # 2023-03 .. 2024-02 is before the data
    assert pd.to_datetime(row["current_window_start"]).date() == date(2024, 3, 1)
    # 6 postings over 14 months: too few for a slope (minimum 30), said in words
    assert row["trend_months"] == 0 and pd.isna(row["trend_annualised_pct"])
    assert row["covered_months"] == 14
    assert "trend: 6 postings over 14 months, fewer than 30" in row["measures_withheld"]
    assert not row["seasonally_adjusted"]


def test_role_outlook_insufficient_data_with_count(small) -> None:
    rows = small.execute(
        "select industry_sector, label, postings_current_window, evidence_text, evidence_json, "
        "soc_codes, oews_employment, oews_median_annual_wage, oews_release, "
        "projected_growth_pct, projected_annual_openings, projections_period, "
        "projected_growth_all_occupations_pct, projected_growth_words, bright_outlook_soc_codes, "
        "jolts_change_12m_pct, jolts_as_of, indeed_index_level, indeed_change_12m_pct, "
        "indeed_as_of, postings_as_of from marts.role_outlook where role = 'PI Director' "
        "order by industry_sector"
    ).df()
    health, everything, unknown = (rows.iloc[i] for i in range(3))
    assert (rows["label"] == "insufficient data").all()
    assert health["postings_current_window"] == 4
    assert "4 unique postings in the window (minimum 30)" in health["evidence_text"]
    # 62: the sector-specific SOC only; latest OEWS release; sector-level row
    assert health["soc_codes"] == "11-9111"
    assert health["oews_employment"] == 1000
    assert health["oews_median_annual_wage"] == pytest.approx(120000.0)
    assert health["oews_release"] == "M2024"
    assert health["projected_growth_pct"] == pytest.approx(10.0)
    assert health["projections_period"] == "2024-34"
    assert health["jolts_change_12m_pct"] == pytest.approx(25.0)
    assert pd.to_datetime(health["jolts_as_of"]).date() == date(2025, 2, 1)
    assert health["indeed_index_level"] == pytest.approx(112.0)
    assert health["indeed_change_12m_pct"] == pytest.approx(-4.0)
    assert pd.to_datetime(health["postings_as_of"]).date() == date(2025, 2, 1)
    # all industries: the general SOC list, cross-industry OEWS, total nonfarm JOLTS
    assert everything["soc_codes"] == "11-3051, 11-9111"
    assert everything["oews_employment"] == 6000
    assert everything["oews_median_annual_wage"] == pytest.approx(680000000 / 6000)
    assert everything["projected_growth_pct"] == pytest.approx(100 * 5 / 150)
    assert everything["projected_annual_openings"] == pytest.approx(13.5)
    # worded against the release's all-occupations change (3.0%), bands from the rules file:
    # 10% is 3.3x the average, 5/150 = 3.3% is 1.1x; Bright Outlook is per occupation
    assert health["projected_growth_all_occupations_pct"] == pytest.approx(3.0)
    assert health["projected_growth_words"] == "much faster than average"
    assert everything["projected_growth_words"] == "about as fast as average"
    assert health["bright_outlook_soc_codes"] == "11-9111"
    assert everything["bright_outlook_soc_codes"] == "11-9111"
    assert everything["jolts_change_12m_pct"] == pytest.approx(-10.0)
    assert unknown["oews_employment"] == 6000  # no sector -> national figures
    items = json.loads(health["evidence_json"])
    assert [i["name"] for i in items][:3] == [
        "postings_in_window",
        "postings_window_change",
        "postings_trend",
    ]
    assert all({"value", "period", "source"} <= set(i) for i in items)


def test_every_catalogue_role_has_an_outlook(small) -> None:
    empty = small.execute(
        "select industry_sector, label, postings_current_window from marts.role_outlook "
        "where role = 'Empty Role'"
    ).fetchall()
    assert empty == [("all", "insufficient data", 0)]


def test_no_posting_data_still_gives_each_role_an_outlook(tmp_path: Path) -> None:
    con = build_on(tmp_path, [posting("q0", None, "62", None, "g0", True)])  # no dated rows
    assert con.execute("select count(*) from marts.role_industry_monthly").fetchone()[0] == 0
    rows = con.execute(
        "select role, industry_sector, label, n_postings, postings_current_window, soc_codes, "
        "evidence_text from marts.role_outlook order by role"
    ).fetchall()
    con.close()
    assert [r[:5] for r in rows] == [
        ("Empty Role", "all", "insufficient data", 0, None),
        ("Other", "all", "insufficient data", 0, None),
        ("PI Director", "all", "insufficient data", 0, None),
    ]
    assert rows[2][5] == "11-3051, 11-9111"
    assert "no posting data" in rows[2][6] and "BLS projects" in rows[2][6]


def growing_postings() -> list[dict]:
    # 24 months, 2023-01 .. 2024-12: 3 new PI Director postings a month in 62, then 6 (each
    # window holds at least the 30 postings a change needs).
    rows = []
    for i in range(24):
        month = date(2023 + i // 12, i % 12 + 1, 1)
        for k in range(3 if i < 12 else 6):
            # spread over the month, the last on the 28th: December 2024 is complete
            day = (month + timedelta(days=27 - 4 * k)).isoformat()
            rows.append(posting(f"p{i}-{k}", "PI Director", "62", day, f"g{i}-{k}", True))
    return rows


def test_role_outlook_label_from_evidence(tmp_path: Path) -> None:
    con = build_on(tmp_path, growing_postings())
    row = con.execute(
        "select label, score, postings_current_window, postings_previous_window, "
        "window_change_pct, trend_ci_low_annualised_pct, evidence_json "
        "from marts.role_outlook where role = 'PI Director' and industry_sector = '62'"
    ).fetchone()
    con.close()
    label, score, current, previous, change, ci_low, evidence = row
    assert (current, previous) == (72, 36)
    assert change == pytest.approx(100.0)
    assert ci_low > 25  # a clear rise: the trend scores +2 too
    # window +2, trend +2, projections +10% -> +2; JOLTS/Indeed have no Dec 2024 data here
    # (latest JOLTS Feb 2025 +25% -> +2; Indeed -4% -> 0): (.4*2+.2*2+.2*2+.1*2+.1*0)/1 = 1.8
    assert score == pytest.approx(1.8)
    assert label == "strong growth"
    scored = {i["name"]: i["score"] for i in json.loads(evidence)}
    assert scored["indeed_index"] == 0 and scored["oews_employment"] is None


def test_build_is_deterministic(tmp_path: Path) -> None:
    tables = ("role_industry_monthly", "role_trend", "role_outlook")
    first = build_on(tmp_path / "a", SMALL)
    second = build_on(tmp_path / "b", SMALL)
    for table in tables:
        query = f"select * from marts.{table}"
        assert first.execute(query).fetchall() == second.execute(query).fetchall()
    first.close()
    second.close()


def test_sectors_without_their_own_jolts_industry_read_the_covering_group(
    tmp_path: Path,
) -> None:
    rows = [
        posting("s1", "PI Director", "54", "2025-02-28", "s1"),
        posting("s2", "PI Director", "62", "2025-02-27", "s2"),
    ]
    with build_on(tmp_path, rows) as con:
        found = con.execute(
            "select industry_sector, jolts_industry_code, jolts_change_12m_pct, evidence_text "
            "from marts.role_outlook where role = 'PI Director' order by industry_sector"
        ).fetchall()
    by_sector = {r[0]: r[1:] for r in found}
    assert by_sector["54"][:2] == ("540099", pytest.approx(5.0))
    assert "JOLTS openings (Professional and business services) +5.0%" in by_sector["54"][2]
    assert by_sector["62"][:2] == ("620000", pytest.approx(25.0))
    assert by_sector["all"][0] == "000000"


def test_few_postings_withhold_the_change_and_the_trend(tmp_path: Path) -> None:
    # 2 then 4 a month: 24 vs 48 postings is +100%, but 24 is fewer than the 30 a change needs
    rows = []
    for i in range(24):
        month = date(2023 + i // 12, i % 12 + 1, 1)
        for k in range(2 if i < 12 else 4):
            day = (month + timedelta(days=27 - 9 * k)).isoformat()
            rows.append(posting(f"p{i}-{k}", "PI Director", "62", day, f"g{i}-{k}", True))
    with build_on(tmp_path, rows) as con:
        label, change, trend, evidence = con.execute(
            "select label, window_change_pct, trend_annualised_pct, evidence_text "
            "from marts.role_outlook where role = 'PI Director' and industry_sector = '62'"
        ).fetchone()
    assert change is None
    assert "48 vs 24 new unique postings" in evidence and "too few to measure" in evidence
    # the trend (72 postings over 24 months) may stand; the label must show in the postings
    assert trend is not None
    assert label in ("strong growth", "growing", "stable")


def test_year_only_dates_count_in_years_not_months(tmp_path: Path) -> None:
    rows = [
        *SMALL,
        *[
            posting(f"h{i}", "PI Director", "62", "2025-01-01", f"gh{i}", True, precision="year")
            for i in range(40)
        ],
    ]
    with build_on(tmp_path, rows) as con:
        january = monthly(con, "PI Director", "62").loc["2025-01", "unique_postings"]
        yearly = con.execute(
            "select unique_postings, unique_postings_year_precision "
            "from marts.role_industry_yearly "
            "where role = 'PI Director' and industry_sector = '62' and year = 2025"
        ).fetchone()
        year_only, evidence = con.execute(
            "select postings_year_precision, evidence_text from marts.role_outlook "
            "where role = 'PI Director' and industry_sector = '62'"
        ).fetchone()
    assert january == 3  # g5-g7, as without the filings
    assert yearly == (43, 40)
    assert year_only == 40
    assert "40 postings dated only by year left out of the monthly figures" in evidence
