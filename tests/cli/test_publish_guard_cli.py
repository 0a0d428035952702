"""The clobbering sequence, refused: the demo published into the default folder, then
``OUTLOOK_DB=other.duckdb outlook refresh`` (a warehouse with no postings) in the same
place. It used to replace the demo's snapshot and every role's ``latest`` export with a
snapshot holding no postings; now it exits 1 with one line saying how to choose a folder,
and every published file is byte for byte what it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from outlook.config import DEFAULT_DB, Settings
from tests.conftest import ROOT, SAMPLES_MIRROR, tree_hashes

pytestmark = pytest.mark.flow

OUTLOOK = [sys.executable, "-c", "from outlook.cli.main import main; raise SystemExit(main())"]
PID = "Performance Improvement Director"


def outlook(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The CLI as a user runs it in ``cwd``: default paths, only the given OUTLOOK_* set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OUTLOOK_")}
    clean["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [*OUTLOOK, *args],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def one_error(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr + done.stdout, done.stderr[-3000:]
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, done.stderr[-3000:]
    return errors[0]


def test_another_warehouse_cannot_clobber_the_demo(demo_settings: Settings, tmp_path: Path) -> None:
    # the demo, built and published into the default folder (what `make demo` leaves)
    (tmp_path / DEFAULT_DB).parent.mkdir(parents=True)
    shutil.copy(demo_settings.db, tmp_path / DEFAULT_DB)
    published = tmp_path / "data" / "published"
    done = outlook(tmp_path, "publish")
    assert done.returncode == 0, done.stderr[-3000:]
    before = tree_hashes(published)
    assert any(name.endswith("latest") for name in before) and "owner.json" in before

    # the real-data recipe without a publish folder: refused, one line, nothing replaced
    done = outlook(
        tmp_path,
        "refresh",
        "--mirror",
        str(SAMPLES_MIRROR),
        "--source",
        "indeed",
        OUTLOOK_DB="other.duckdb",
    )
    assert done.returncode == 1, done.stderr[-3000:]
    line = one_error(done)
    assert f"belongs to warehouse {(tmp_path / DEFAULT_DB).resolve()}" in line
    assert "--publish-dir" in line and "OUTLOOK_PUBLISH_DIR" in line
    assert "is built and kept" in line and "is unchanged" in line
    assert tree_hashes(published) == before
    # the other warehouse is built and intact, and its run records why nothing was published
    with duckdb.connect(str(tmp_path / "other.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from marts.role_outlook").fetchone()[0] > 0
        outcome, message = con.execute(
            "select outcome, message from meta.runs order by started_at desc limit 1"
        ).fetchone()
    assert outcome == "failed" and "belongs to warehouse" in message

    # readers: --db names the warehouse whose snapshot they want; another one is refused
    done = outlook(tmp_path, "trends", "--role", PID, OUTLOOK_DB="other.duckdb")
    assert done.returncode == 2 and done.stdout == ""
    assert "was published from warehouse" in one_error(done)
    done = outlook(tmp_path, "trends", "--role", PID, "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("reading snapshot data/published/snapshot/outlook.duckdb (run ")
    assert done.stdout.startswith("role,")

    # the folder handed over (owner.json deleted): the shrink guard still refuses
    (published / "owner.json").unlink()
    done = outlook(tmp_path, "publish", OUTLOOK_DB="other.duckdb")
    assert done.returncode == 1
    line = one_error(done)
    assert "holds no postings where the published one holds" in line and "--allow-shrink" in line
    assert tree_hashes(published) == {k: v for k, v in before.items() if k != "owner.json"}
