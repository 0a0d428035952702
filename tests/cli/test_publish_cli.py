"""`outlook build && outlook publish` (the README's real-data sequence) publishes everything a
refresh does: snapshot, postings lake, exports and dashboard, and records both runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from outlook.cli.main import main
from outlook.config import Settings


@pytest.fixture
def loaded(demo_settings: Settings, tmp_path: Path) -> Settings:
    """The demo warehouse (sources and postings loaded), nothing published yet."""
    shutil.copytree(demo_settings.db.parent, tmp_path / "warehouse")
    return demo_settings.with_(
        db=tmp_path / "warehouse" / demo_settings.db.name,
        publish_dir=tmp_path / "published",
        raw_dir=tmp_path / "raw",
    )


def run(s: Settings, *args: str) -> int:
    return main([*args, "--db", str(s.db), "--publish-dir", str(s.publish_dir)])


def test_build_then_publish_writes_snapshot_lake_exports_and_dashboard(
    loaded: Settings, capsys
) -> None:
    assert run(loaded, "build") == 0
    assert run(loaded, "publish") == 0
    out = capsys.readouterr().out
    assert "dashboard:" in out and "postings lake:" in out

    with duckdb.connect(str(loaded.snapshot_path), read_only=True) as con:
        postings = con.execute("select count(*) from marts.fct_postings").fetchone()[0]
        published = dict(
            con.execute(
                "select role, n_postings from marts.role_outlook where industry_sector = 'all'"
            ).fetchall()
        )
    assert postings > 0 and any(published.values())

    # the lake holds every dated posting of the warehouse, by month
    lake = loaded.publish_dir / "lake" / "postings"
    with duckdb.connect(str(loaded.db), read_only=True) as con:
        dated = con.execute(
            "select count(*) from raw.postings where posted_date is not null"
        ).fetchone()[0]
        in_lake = con.execute(
            f"select count(*) from read_parquet('{lake}/*/*/*.parquet')"
        ).fetchone()[0]
        runs = con.execute("select command, outcome from meta.runs order by started_at").fetchall()
    assert in_lake == dated > 0
    assert runs == [("build", "succeeded"), ("publish", "succeeded")]

    # one export and one dashboard page per role, carrying the snapshot's postings (the
    # dashboard used to say "No postings" for every role while the snapshot held 47,528)
    exported = {}
    for folder in (loaded.publish_dir / "exports").iterdir():
        data = json.loads((folder / "latest" / "outlook.json").read_text(encoding="utf-8"))
        exported[data["role"]] = next(
            r["n_postings"] for r in data["rows"] if r["industry_sector"] == "all"
        )
    assert exported == published
    dashboard = loaded.publish_dir / "dashboard"
    index = (dashboard / "index.html").read_text(encoding="utf-8")
    assert all(role in index for role in published)
    assert len(list(dashboard.glob("role-*.html"))) == len(published)


def test_publish_refuses_a_failed_gate_and_records_the_failure(loaded: Settings, capsys) -> None:
    assert run(loaded, "build") == 0
    with duckdb.connect(str(loaded.db)) as con:  # a mart the gates refuse: duplicate keys
        con.execute("insert into marts.role_outlook select * from marts.role_outlook limit 1")
    assert run(loaded, "publish") == 1
    err = capsys.readouterr().err
    assert "quality gate failed on marts.role_outlook" in err
    assert "not publishing a failed build" in err
    assert not loaded.snapshot_path.exists()
    assert not (loaded.publish_dir / "dashboard").exists()
    with duckdb.connect(str(loaded.db), read_only=True) as con:
        outcome, message = con.execute(
            "select outcome, message from meta.runs where command = 'publish'"
        ).fetchone()
    assert outcome == "failed" and "not publishing a failed build" in message


def test_cli_writers_mark_a_killed_run_crashed(loaded: Settings) -> None:
    """A run a kill left 'running' is swept by the next writer, CLI or refresh alike."""
    with duckdb.connect(str(loaded.db)) as con:
        con.execute(
            "insert into meta.runs (run_id, command, started_at, outcome) "
            "values ('killed-1', 'refresh', now(), 'running')"
        )
    assert run(loaded, "build") == 0
    with duckdb.connect(str(loaded.db), read_only=True) as con:
        rows = dict(con.execute("select run_id, outcome from meta.runs").fetchall())
    assert rows.pop("killed-1") == "crashed"
    assert list(rows.values()) == ["succeeded"]


def test_publish_without_a_warehouse_is_one_line_exit_2(tmp_path: Path, capsys) -> None:
    s = Settings(db=tmp_path / "none.duckdb", publish_dir=tmp_path / "published")
    assert run(s, "publish") == 2
    err = capsys.readouterr().err
    assert err == f"error: no warehouse at {s.db}: run `outlook refresh` first\n"
    assert not s.db.exists()
