"""``from outlook import read``: DataFrames over the published snapshot, found the way the
CLI finds it (argument, then OUTLOOK_PUBLISH_DIR), with role names matched as the CLI does."""

from __future__ import annotations

import duckdb
import pytest

from outlook import read
from outlook.config import Settings
from outlook.publish.mart_docs import load_descriptions

PID = "Performance Improvement Director"


def test_role_outlook_is_the_mart_rows_for_the_role(published_demo: Settings) -> None:
    frame = read.role_outlook(
        "performance improvement DIRECTOR", publish_dir=published_demo.publish_dir
    )
    with duckdb.connect(str(published_demo.snapshot_path), read_only=True) as con:
        expected = con.execute(
            "select * from marts.role_outlook where role = ? order by industry_sector", [PID]
        ).df()
    assert list(frame.columns) == list(expected.columns)
    assert frame.iloc[0]["industry_sector"] == "all"  # all industries first, as trends shows
    assert sorted(frame["industry_sector"]) == sorted(expected["industry_sector"])
    by_sector = frame.set_index("industry_sector").sort_index()
    assert by_sector["postings_current_window"].tolist() == (
        expected.set_index("industry_sector").sort_index()["postings_current_window"].tolist()
    )
    one = read.role_outlook(PID, industry="62", publish_dir=published_demo.publish_dir)
    assert one["industry_sector"].tolist() == ["62"]
    with pytest.raises(read.UnknownRole, match="did you mean: Performance Improvement"):
        read.role_outlook("Performance Improvment", publish_dir=published_demo.publish_dir)


def test_the_environment_and_snapshot_argument_choose_the_file(
    published_demo: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("OUTLOOK_PUBLISH_DIR", str(published_demo.publish_dir))
    assert read.snapshot_path() == published_demo.snapshot_path
    monthly = read.role_industry_monthly(PID)
    assert set(monthly["role"]) == {PID} and len(monthly) > 12
    assert read.info()["run_id"] == "published-demo"
    # an explicit snapshot file wins over the environment
    monkeypatch.setenv("OUTLOOK_PUBLISH_DIR", str(tmp_path / "nowhere"))
    assert len(read.roles(snapshot=published_demo.snapshot_path)) == 46
    with pytest.raises(FileNotFoundError, match="outlook refresh"):
        read.roles()


def test_tables_columns_and_any_table(published_demo: Settings) -> None:
    where = {"publish_dir": published_demo.publish_dir}
    listed = read.tables(**where).set_index("table")
    assert {"marts.role_outlook", "meta.checks", "meta.runs", "main.snapshot_info"} <= set(
        listed.index
    )
    assert listed.loc["marts.role_outlook", "rows"] == len(read.table("role_outlook", **where))
    assert listed.loc["marts.role_outlook", "description"].startswith("Grain")
    columns = read.columns("marts.role_outlook", **where)
    described = load_descriptions()["marts.role_outlook"]["columns"]
    assert dict(zip(columns["column"], columns["description"], strict=True)) == described
    assert columns["description"].notna().all()
    checks = read.table("meta.checks", **where)
    assert len(checks) == listed.loc["meta.checks", "rows"] > 0
    with pytest.raises(LookupError, match="no table 'marts.x; drop table' .*marts.role_outlook"):
        read.table("marts.x; drop table", **where)


def test_requirements_and_skills_answer_the_role_page_claims(published_demo: Settings) -> None:
    """The demo's planted prerequisites for Performance Improvement Director come back as
    shares: a Six Sigma Black Belt, a master's, about ten years, Lean and Kaizen."""
    where = {"publish_dir": published_demo.publish_dir}
    requirements = read.role_requirements(PID, **where).set_index("industry_sector")
    assert requirements.index[0] == "all"
    overall = requirements.loc["all"]
    assert overall["postings_with_text"] > 100
    assert 0.2 < overall["share_master"] < 0.6
    assert 7 <= overall["experience_years_median"] <= 12
    assert overall["experience_years_p25"] <= overall["experience_years_p75"]
    skills = read.role_skills(PID, "all", **where).set_index("skill")
    assert skills.loc["Six Sigma Black Belt", "skill_kind"] == "certification"
    assert skills.loc["Six Sigma Black Belt", "share_mentioning"] > 0.5
    assert {"Lean", "Kaizen"} <= set(skills.index)
    mentions = read.role_skills(PID, "all", **where)["postings_mentioning"]
    assert mentions.is_monotonic_decreasing  # most named first
