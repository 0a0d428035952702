"""End to end: the refresh flow over a mirror, under one session-wide Prefect harness."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES_MIRROR

pytestmark = pytest.mark.flow

INDEED_AGG = (
    "raw.githubusercontent.com/hiring-lab/job_postings_tracker/master/US/"
    "aggregate_job_postings_US.csv"
)


def run_refresh(settings, mirror: Path, sources: list[str] | None = None):
    from flows.refresh import refresh

    return refresh(
        db=str(settings.db),
        mirror=str(mirror),
        raw_dir=str(settings.raw_dir),
        publish_dir=str(settings.publish_dir),
        sources=sources,
    )


def counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from "
            "information_schema.tables where table_schema = 'raw'"
        ).fetchall()
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for (t,) in tables}


def test_refresh_twice_is_idempotent_and_recorded(prefect_harness, settings) -> None:
    first = run_refresh(settings, SAMPLES_MIRROR, ["indeed"])
    assert {o.status for o in first.sources} == {"loaded"}
    before = counts(settings.db)
    second = run_refresh(settings, SAMPLES_MIRROR, ["indeed"])
    assert {o.status for o in second.sources} == {"unchanged"}
    assert counts(settings.db) == before and before["raw.indeed__aggregate_postings"] > 0
    with duckdb.connect(str(settings.db), read_only=True) as con:
        runs = con.execute("select outcome from meta.runs").fetchall()
        assert [r[0] for r in runs] == ["succeeded", "succeeded"]
        assert con.execute("select count(*) from meta.fetches").fetchone()[0] == 8
    snapshot = settings.snapshot_path
    with duckdb.connect(str(snapshot), read_only=True) as con:
        assert con.execute("select count(*) from marts.indeed_postings_monthly").fetchone()[0] > 0


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<!DOCTYPE html><html><body>503 Service Unavailable</body></html>", "HTML"),
        (b"", "empty file"),
        (
            b"date,jobcountry,indeed_job_postings_index_SA,indeed_job_postings_index_NSA,variable\n"
            b"2020-02-01,US,100,100,total postings\n2020-02-02,US,10",
            "row 3",
        ),
    ],
    ids=["html-page", "empty", "truncated"],
)
def test_bad_file_fails_source_keeps_raw_and_warehouse(
    prefect_harness, settings, tmp_path, body: bytes, reason: str
) -> None:
    from flows.refresh import RefreshFailed

    run_refresh(settings, SAMPLES_MIRROR, ["indeed_us_aggregate"])
    before = counts(settings.db)
    mirror = tmp_path / "bad-mirror"
    shutil.copytree(
        SAMPLES_MIRROR / "raw.githubusercontent.com", mirror / "raw.githubusercontent.com"
    )
    (mirror / INDEED_AGG).write_bytes(body)
    with pytest.raises(RefreshFailed) as info:
        run_refresh(settings, mirror, ["indeed_us_aggregate"])
    message = str(info.value)
    assert "aggregate_job_postings_US.csv" in message and reason in message
    assert "\n" not in message
    assert counts(settings.db) == before
    kept = [p for p in settings.raw_dir.rglob("aggregate_job_postings_US.csv") if p.is_file()]
    assert any(p.read_bytes() == body for p in kept), "the bad file is kept for inspection"


def test_refresh_taxonomy_loads_every_taxonomy_file(prefect_harness, settings) -> None:
    summary = run_refresh(settings, SAMPLES_MIRROR, ["taxonomy"])
    outcomes = {o.source: (o.status, o.rows) for o in summary.sources}
    assert set(outcomes) == {
        "soc_structure",
        "soc_definitions",
        "soc_direct_match_titles",
        "soc_onet_crosswalk",
        "naics_codes",
    }
    assert {status for status, _ in outcomes.values()} == {"loaded"}
    assert outcomes["soc_direct_match_titles"] == ("loaded", 67)
    with duckdb.connect(str(settings.db), read_only=True) as con:
        staged = con.execute(
            "select count(*), count(distinct soc_code), count(*) filter (is_illustrative_example) "
            "from staging.stg_bls__soc_direct_match_titles"
        ).fetchone()
    assert staged == (67, 32, 33)


def _published(publish_dir: Path) -> dict[str, object]:
    """What a publish wrote, comparable between two publishes of the same data: export
    versions are content hashes, so equal data gives equal folder names."""
    site = publish_dir / "dashboard"
    return {
        "exports": sorted(
            f"{p.parent.name}/{p.name}"
            for p in (publish_dir / "exports").glob("*/*")
            if p.is_dir() and not p.is_symlink() and p.name != "latest"
        ),
        "pages": {p.name: p.read_text(encoding="utf-8") for p in site.glob("*.html")},
        "lake": sorted(
            str(p.relative_to(publish_dir / "lake")) for p in (publish_dir / "lake").glob("*/*/*")
        ),
    }


def test_cli_build_and_publish_publish_what_refresh_publishes(
    prefect_harness, settings, tmp_path
) -> None:
    """The README's `outlook build && outlook publish` used to write only the snapshot."""
    from flows.refresh import refresh
    from outlook.cli.main import main

    refresh(
        db=str(settings.db),
        mirror=str(SAMPLES_MIRROR),
        raw_dir=str(settings.raw_dir),
        publish_dir=str(settings.publish_dir),
        postings=[str(SAMPLES_MIRROR.parent / "postings")],
    )
    by_refresh = _published(settings.publish_dir)
    assert by_refresh["exports"] and by_refresh["pages"] and by_refresh["lake"]

    cli_db = tmp_path / "cli" / "warehouse" / settings.db.name
    shutil.copytree(settings.db.parent, cli_db.parent)
    cli_publish = tmp_path / "cli" / "published"
    paths = ["--db", str(cli_db), "--publish-dir", str(cli_publish)]
    assert main(["build", *paths]) == 0
    assert main(["publish", *paths]) == 0
    assert _published(cli_publish) == by_refresh
    with duckdb.connect(str(cli_db), read_only=True) as con:
        runs = con.execute("select command, outcome from meta.runs order by started_at").fetchall()
    assert runs == [("refresh", "succeeded"), ("build", "succeeded"), ("publish", "succeeded")]


def _artifacts(flow_run_id: str) -> dict[str, object]:
    """The flow run's artifacts as the Prefect API returns them, by key."""
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    only_this_run = ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
    with get_client(sync_client=True) as client:
        return {a.key: a for a in client.read_artifacts(artifact_filter=only_this_run)}


def test_a_demo_refresh_leaves_a_summary_and_tables_as_artifacts(prefect_harness, settings) -> None:
    from flows.refresh import refresh
    from outlook.run_summary import CHECKS_KEY, LOADS_KEY, SUMMARY_KEY

    summary = refresh(
        db=str(settings.db),
        mirror=str(SAMPLES_MIRROR),
        raw_dir=str(settings.raw_dir),
        publish_dir=str(settings.publish_dir),
        postings=[str(SAMPLES_MIRROR.parent / "postings")],
    )
    found = _artifacts(summary.run_id)
    assert set(found) == {SUMMARY_KEY, LOADS_KEY, CHECKS_KEY}
    assert [found[k].type for k in (SUMMARY_KEY, LOADS_KEY, CHECKS_KEY)] == [
        "markdown", "table", "table",
    ]  # fmt: skip
    text = found[SUMMARY_KEY].data
    assert text.startswith("# Refresh succeeded") and f"Published: `{summary.snapshot}`" in text
    assert "[Data Docs](file://" in text and "[Dashboard](file://" in text
    loads = json.loads(found[LOADS_KEY].data)
    with duckdb.connect(str(settings.db), read_only=True) as con:
        loaded = con.execute(
            "select count(*), sum(rows_loaded) from meta.loads where outcome = 'loaded'"
        ).fetchone()
    assert sum(1 for r in loads if r["outcome"] == "loaded") == loaded[0]
    assert sum(r["rows"] for r in loads if r["outcome"] == "loaded") == loaded[1]
    assert any(r["outcome"] == "loaded" and r["release"] for r in loads)
    checks = json.loads(found[CHECKS_KEY].data)
    assert len(checks) == len(summary.checks) and {c["status"] for c in checks} <= {
        "passed", "not built",
    }  # fmt: skip
    assert f"{sum(c['status'] == 'passed' for c in checks)} passed, 0 failed" in text
