"""The README's "Running it on real data", run as a new user would, then read as an editor.

Every command of the recipe runs as a subprocess of the installed CLI over ../shared (the
mirror and the three posting files), into a scratch warehouse and publish folder. The tests
then check what an editor would paste: no label the rules reject, no monthly spike made of
year-only dates, as-of lines that agree with the rows, exports and dashboard that match the
snapshot, and counts that reconcile per file. ~5 minutes (three temporary Prefect servers).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from outlook.config import OUTLOOK_RULES
from outlook.publish.textfmt import oews_release_words
from transforms.outlook_rules import load_rules

pytestmark = [pytest.mark.shared, pytest.mark.flow]

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
OUTLOOK = Path(sys.executable).with_name("outlook")
# The posting files of the recipe, their profiles and the records each file holds.
POSTING_FILES = {
    "usajobs_2025-06_to_2025-09.csv": ("usajobs_csv", 13_649),
    "h1b_lca_fy2026_q1_sample.csv": ("h1b_lca", 30_000),
    "usajobs_historicjoa_2016.parquet": ("usajobs_historicjoa", 3_879),
}
GROWTH_OR_DECLINE = ("strong growth", "growing", "softening", "declining")


@dataclass(frozen=True)
class Recipe:
    db: Path
    publish_dir: Path
    env: dict[str, str]
    outputs: dict[str, subprocess.CompletedProcess[str]]

    def warehouse(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.db), read_only=True)

    def snapshot(self) -> duckdb.DuckDBPyConnection:
        path = self.publish_dir / "snapshot" / "outlook.duckdb"
        return duckdb.connect(str(path), read_only=True)


def _run(args: list[str], env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(OUTLOOK), *args], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def recipe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recipe]:
    if not SHARED.is_dir():
        pytest.skip(f"real data folder {SHARED} is absent")
    work = tmp_path_factory.mktemp("real-recipe")
    env = {
        **os.environ,
        "OUTLOOK_DB": str(work / "outlook.duckdb"),
        "OUTLOOK_PUBLISH_DIR": str(work / "published"),
        "OUTLOOK_RAW_DIR": str(work / "raw"),
        "OUTLOOK_STATE_DIR": str(work / "state"),
        "COLUMNS": "200",
    }
    for key in [k for k in env if k.startswith(("PREFECT_API", "OUTLOOK_USAJOBS", "OUTLOOK_ADZ"))]:
        env.pop(key)
    env.pop("PREFECT_HOME", None)  # the CLI keeps Prefect's home in its state folder
    steps: dict[str, list[str]] = {"refresh": ["refresh", "--mirror", str(SHARED / "mirror")]}
    for name, (profile, _) in POSTING_FILES.items():
        path = SHARED / "postings" / name
        steps[f"ingest {name}"] = ["ingest", "postings", str(path), "--profile", profile]
    steps["build"] = ["build"]
    steps["publish"] = ["publish"]
    steps["status"] = ["status"]
    steps["trends pid"] = [
        "trends",
        "--role",
        "Performance Improvement Director",
        "--format",
        "json",
    ]
    steps["trends swe"] = ["trends", "--role", "Software Engineer", "--format", "json"]
    outputs = {}
    for label, args in steps.items():
        done = _run(args, env)
        assert done.returncode == 0, f"`outlook {' '.join(args)}` failed:\n{done.stderr[-3000:]}"
        assert "Traceback" not in done.stderr, f"{label}: traceback\n{done.stderr[-3000:]}"
        outputs[label] = done
    yield Recipe(work / "outlook.duckdb", work / "published", env, outputs)


def test_counts_reconcile_per_file(recipe: Recipe) -> None:
    with recipe.warehouse() as con:
        loads = con.execute(
            "select release, rows_read, rows_loaded, rows_quarantined from meta.loads "
            "where source like 'postings:%' and outcome = 'loaded'"
        ).fetchall()
        quarantined = dict(
            con.execute(
                "select split_part(file_path, '/', -1), count(*) from quarantine.postings "
                "group by 1"
            ).fetchall()
        )
        in_raw = dict(
            con.execute("select _release, count(*) from raw.postings group by 1").fetchall()
        )
    by_file = {row[0]: row[1:] for row in loads}
    assert set(by_file) == set(POSTING_FILES)
    for name, (_, records) in POSTING_FILES.items():
        read, loaded, held = by_file[name]
        assert read == records == loaded + held, name
        assert in_raw[name] == loaded
        assert quarantined.get(name, 0) == held


def test_year_only_dates_make_no_monthly_spike(recipe: Recipe) -> None:
    with recipe.warehouse() as con:
        precision = dict(
            con.execute(
                "select posted_date_precision, count(*) from marts.fct_postings "
                "where source = 'h1b_lca' group by 1"
            ).fetchall()
        )
        # every month of the monthly mart counts only day- or month-precision postings
        mismatches = con.execute(
            """
            with expected as (
                select role, date_trunc('month', posted_date)::date as month,
                    count(distinct coalesce(duplicate_group_id, posting_id)) as n
                from marts.role_postings
                where posted_date_precision in ('day', 'month')
                group by 1, 2
            )
            select monthly.role, monthly.month, monthly.unique_postings, expected.n
            from marts.role_industry_monthly as monthly
            left join expected using (role, month)
            where monthly.industry_sector = 'all'
                and monthly.unique_postings <> coalesce(expected.n, 0)
            """
        ).fetchall()
        january = con.execute(
            "select sum(unique_postings) from marts.role_industry_monthly "
            "where industry_sector = 'all' and month = date '2025-01-01'"
        ).fetchone()[0]
        yearly = con.execute(
            "select sum(unique_postings_year_precision) from marts.role_industry_yearly "
            "where industry_sector = 'all' and year = 2025"
        ).fetchone()[0]
    assert set(precision) == {"year"}, precision  # the H-1B file gives only a year
    assert mismatches == []
    assert (january or 0) == 0  # no posting file has day-dated rows in January 2025
    assert yearly > 10_000  # the filings count in the yearly figures instead


def test_no_label_or_trend_the_rules_reject(recipe: Recipe) -> None:
    rules = load_rules(OUTLOOK_RULES)
    with recipe.snapshot() as con:
        rows = con.execute(
            "select role, industry_sector, label, postings_current_window, "
            "postings_previous_window, window_change_pct, trend_annualised_pct, "
            "trend_ci_low_annualised_pct, trend_ci_high_annualised_pct, evidence_text "
            "from marts.role_outlook"
        ).fetchall()
    assert rows
    for role, sector, label, cur, prev, change, trend, low, high, evidence in rows:
        where = f"{role} / {sector}: {label}; {evidence}"
        if change is not None:  # a percent change rests on enough postings in both windows
            assert min(cur, prev) >= rules.min_postings, where
        if label == "insufficient data":
            assert "seasonally adjusted" not in evidence or trend is not None, where
        if label in GROWTH_OR_DECLINE:
            assert (cur or 0) >= rules.min_postings, where
            sign = 1 if label in ("strong growth", "growing") else -1
            by_change = change is not None and sign * change >= (
                rules.support.min_window_change_pct
            )
            by_trend = low is not None and (low > 0 if sign > 0 else high < 0)
            assert by_change or by_trend, where
        if trend is not None:
            assert "trend: not estimated" not in evidence, where


def test_software_engineer_is_not_a_confident_false_growth(recipe: Recipe) -> None:
    rows = json.loads(recipe.outputs["trends swe"].stdout)
    overall = next(r for r in rows if r["industry_sector"] == "all")
    # main said "growing, +5024.1%" from 29,035 filings dated 1 January 2025
    assert overall["label"] not in GROWTH_OR_DECLINE or (
        overall["window_change_pct"] is not None and abs(overall["window_change_pct"]) < 1000
    )
    assert "dated only by year" in overall["evidence_text"]


def test_thin_evidence_prints_no_trend(recipe: Recipe) -> None:
    rows = json.loads(recipe.outputs["trends pid"].stdout)
    for row in rows:
        if (row["postings_current_window"] or 0) < load_rules(OUTLOOK_RULES).min_postings:
            assert row["label"] == "insufficient data"
            assert row["trend_annualised_pct"] is None
            assert row["trend_ci_low_annualised_pct"] is None
            assert "seasonally adjusted" not in row["evidence_text"]


def _latest_json(recipe: Recipe, slug: str) -> dict:
    path = recipe.publish_dir / "exports" / slug / "latest" / "outlook.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_as_of_lines_agree_with_the_rows(recipe: Recipe) -> None:
    exports = recipe.publish_dir / "exports"
    checked = 0
    for folder in sorted(p for p in exports.iterdir() if (p / "latest").exists()):
        document = _latest_json(recipe, folder.name)
        releases = {r["oews_release"] for r in document["rows"] if r["oews_release"]}
        markdown = (folder / "latest" / "outlook.md").read_text(encoding="utf-8")
        if releases:
            checked += 1
            as_of = json.dumps(document["as_of"])
            assert all(release in as_of for release in releases), folder.name
            assert "OEWS n/a" not in markdown, folder.name
            # outlook.md names releases in words ('May 2024'), the JSON keeps the code
            assert all(oews_release_words(release) in markdown for release in releases), folder.name
        periods = {r["projections_period"] for r in document["rows"] if r["projections_period"]}
        assert all(period in json.dumps(document["as_of"]) for period in periods)
    assert checked > 10  # most roles carry sector wages from OEWS M2024


def test_exports_and_dashboard_match_the_snapshot(recipe: Recipe) -> None:
    with recipe.snapshot() as con:
        by_role = dict(
            con.execute("select role_slug, count(*) from marts.role_postings group by 1").fetchall()
        )
        outlook = {
            (slug, sector): window
            for slug, sector, window in con.execute(
                "select role_slug, industry_sector, postings_current_window from marts.role_outlook"
            ).fetchall()
        }
    assert sum(by_role.values()) > 1_000
    dashboard = recipe.publish_dir / "dashboard"
    for slug, n in by_role.items():
        document = _latest_json(recipe, slug)
        for row in document["rows"]:
            assert outlook[(slug, row["industry_sector"])] == row["postings_current_window"]
        page = (dashboard / f"role-{slug}.html").read_text(encoding="utf-8")
        assert "No postings for this role" not in page, f"{slug} has {n} postings"
