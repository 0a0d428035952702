"""marts.occupation_projections: the OOH wording against the release's all-occupations
change, and O*NET's Bright Outlook, built by the real SQL on a hand-made table 1.2."""

from __future__ import annotations

import pytest

from outlook.build.models import build
from outlook.build.seeds import load_projection_seeds
from outlook.config import SQL_DIR
from outlook.warehouse import connect

COLUMNS = (
    "projection_period varchar, base_year integer, projected_year integer, soc_code varchar, "
    "title varchar, occupation_type varchar, employment_base double, "
    "employment_projected double, employment_change double, employment_change_pct double, "
    "annual_openings double, median_annual_wage double, median_wage_top_coded boolean, "
    "typical_education varchar, work_experience varchar, on_the_job_training varchar"
)
# soc, type, change %, annual openings (thousands); all occupations +4.0% in 2024-34, so
# the bands start at 7.8 / 5.2 / 2.6 / 1.0 / -1.0 (1.95, 1.3, 0.65, 0.25, -0.25 x 4.0)
ROWS_2024 = [
    ("00-0000", "summary", 4.0, 18000.0),
    ("11-0000", "summary", 9.0, 1500.0),
    ("11-1111", "line_item", 7.8, 1.0),  # much faster (at the boundary, [a, b))
    ("11-2222", "line_item", 5.2, 1.0),  # faster
    ("11-3333", "line_item", 5.1, 9.9),  # about as fast; 99,000 openings: not bright
    ("11-4444", "line_item", 1.0, 10.0),  # slower; 100,000 openings over 10 years: bright
    ("11-5555", "line_item", -0.9, 2.0),  # little or no change
    ("11-6666", "line_item", -1.1, 2.0),  # decline
    ("11-7777", "line_item", None, None),  # nothing published: no words, no flag
]


def _row(period, base, soc, kind, pct, openings):
    return (period, base, base + 10, soc, f"title {soc}", kind, 100.0, 100.0, pct, pct,
            openings, None, False, None, None, None)  # fmt: skip


@pytest.fixture(scope="module")
def projections(tmp_path_factory):
    root = tmp_path_factory.mktemp("proj")
    sql = root / "sql"
    for layer in ("staging", "intermediate", "marts"):
        (sql / layer).mkdir(parents=True)
    (sql / "staging" / "stg_bls__occupation_projections.sql").write_text(
        "select * from fixtures.projections"
    )
    name = "occupation_projections.sql"
    (sql / "marts" / name).write_text((SQL_DIR / "marts" / name).read_text())
    con = connect(root / "w.duckdb")
    con.execute("create schema if not exists fixtures")
    con.execute(f"create table fixtures.projections ({COLUMNS})")
    rows = [_row("2024-34", 2024, *r) for r in ROWS_2024]
    # an older release whose all-occupations change fell: no band can be measured against it
    rows += [_row("2014-24", 2014, "00-0000", "summary", -1.0, 10.0)]
    rows += [_row("2014-24", 2014, "11-1111", "line_item", 9.0, 1.0)]
    con.executemany(f"insert into fixtures.projections values ({', '.join('?' * 16)})", rows)
    build(con, "t", sql_dir=sql, seed_loaders=[load_projection_seeds])
    yield {
        (r[0], r[1]): r[2:]
        for r in con.execute(
            "select projection_period, soc_code, all_occupations_change_pct, growth_words, "
            "openings_over_period, bright_outlook, bright_outlook_criteria "
            "from marts.occupation_projections"
        ).fetchall()
    }
    con.close()


def test_growth_is_worded_against_the_all_occupations_change(projections) -> None:
    words = {soc: v[1] for (period, soc), v in projections.items() if period == "2024-34"}
    assert words == {
        "00-0000": "about as fast as average",
        "11-0000": "much faster than average",
        "11-1111": "much faster than average",
        "11-2222": "faster than average",
        "11-3333": "about as fast as average",
        "11-4444": "slower than average",
        "11-5555": "little or no change",
        "11-6666": "decline",
        "11-7777": None,
    }
    assert {v[0] for (p, _), v in projections.items() if p == "2024-34"} == {4.0}
    # a release whose average fell has nothing to be "faster than"
    assert projections[("2014-24", "11-1111")][1] is None


def test_bright_outlook_follows_the_two_onet_criteria(projections) -> None:
    def flag(soc: str) -> tuple[object, object]:
        return projections[("2024-34", soc)][3:5]

    assert flag("11-1111") == (True, "grows rapidly")
    assert flag("11-2222") == (True, "grows rapidly")
    assert flag("11-3333") == (False, None)  # 99,000 openings over the period
    assert projections[("2024-34", "11-3333")][2] == pytest.approx(99.0)
    assert flag("11-4444") == (True, "many job openings")
    assert flag("11-6666") == (False, None)
    assert flag("11-7777") == (None, None)  # nothing to judge
    assert flag("11-0000") == (None, None)  # groups are not flagged
