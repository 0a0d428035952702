"""Safe concurrency for real: two processes, a reader holding the snapshot, SIGKILL per stage.

Writers run as child processes (tests/reliability/killable.py) against the session's
Prefect API; each pauses at a known point, and the test kills or releases it there. Every
wait is bounded; every child is killed in a ``finally``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from outlook.config import Settings
from outlook.server import stop_process_group
from tests.conftest import ROOT, SAMPLES_MIRROR
from tests.reliability.killable import STAGES

pytestmark = pytest.mark.flow

# this checkout's CLI (cwd first on sys.path), not whatever copy is installed
OUTLOOK = [sys.executable, "-c", "from outlook.cli.main import main; raise SystemExit(main())"]
FIRST = ["indeed_us_aggregate"]  # the committed state a killed run starts from
ALL = ["indeed"]  # what the killed run (and its successor) ingests


def settings_in(root: Path) -> Settings:
    return Settings(
        db=root / "warehouse" / "outlook.duckdb",
        raw_dir=root / "raw",
        publish_dir=root / "published",
        mirror=SAMPLES_MIRROR,
    )


def flow_kwargs(s: Settings, sources: list[str]) -> dict[str, object]:
    return {
        "db": str(s.db),
        "mirror": str(s.mirror),
        "raw_dir": str(s.raw_dir),
        "publish_dir": str(s.publish_dir),
        "sources": sources,
    }


def refresh_in_process(s: Settings, sources: list[str]):
    from flows.refresh import refresh

    return refresh(**flow_kwargs(s, sources))


def table_counts(db: Path, schemas: tuple[str, ...] = ("raw", "marts")) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        names = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            f"where table_schema in {schemas!r} and table_type = 'BASE TABLE'"
        ).fetchall()
        return {n: con.execute(f"select count(*) from {n}").fetchone()[0] for (n,) in names}


def snapshot_run(s: Settings) -> str:
    with duckdb.connect(str(s.snapshot_path), read_only=True) as con:
        return con.execute("select run_id from snapshot_info").fetchone()[0]


def raw_files(s: Settings) -> set[Path]:
    return {p for p in s.raw_dir.rglob("*") if p.is_file() and not p.name.startswith(".")}


@pytest.fixture(scope="module")
def api_url(prefect_harness) -> str:
    """The session's temporary Prefect API, shared with the child processes."""
    from prefect.settings import PREFECT_API_URL

    return str(PREFECT_API_URL.value())


@pytest.fixture(scope="module")
def baseline(prefect_harness, tmp_path_factory) -> Path:
    """A warehouse with one committed refresh (FIRST) and its published snapshot."""
    root = tmp_path_factory.mktemp("baseline")
    refresh_in_process(settings_in(root), FIRST)
    return root


@pytest.fixture(scope="module")
def reference(baseline: Path, tmp_path_factory) -> dict[str, int]:
    """Row counts after an uninterrupted refresh of ALL on top of the baseline."""
    root = tmp_path_factory.mktemp("reference")
    shutil.copytree(baseline, root, dirs_exist_ok=True)
    refresh_in_process(settings_in(root), ALL)
    return table_counts(settings_in(root).db)


class Writer:
    """A refresh in a child process that pauses at ``stage`` until released or killed."""

    def __init__(
        self, stage: str, s: Settings, sources: list[str], markers: Path, api_url: str
    ) -> None:
        markers.mkdir(parents=True, exist_ok=True)
        self.stage, self.markers = stage, markers
        self.log = markers / f"{stage}.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.reliability.killable", stage, str(markers)]
                + [json.dumps(flow_kwargs(s, sources))],
                cwd=ROOT,
                env={**os.environ, "PREFECT_API_URL": api_url},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def wait_paused(self, timeout_s: float = 90.0) -> dict[str, str]:
        marker = self.markers / f"{self.stage}.reached"
        deadline = time.monotonic() + timeout_s
        while not marker.exists():
            assert self.process.poll() is None, f"writer exited early: {self.tail()}"
            assert time.monotonic() < deadline, f"writer never reached {self.stage}: {self.tail()}"
            time.sleep(0.1)
        time.sleep(0.2)  # the marker is written before the JSON is complete only in theory
        return json.loads(marker.read_text())

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def release(self) -> None:
        (self.markers / f"{self.stage}.release").touch()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


@pytest.fixture
def writers() -> Iterator[list[Writer]]:
    started: list[Writer] = []
    yield started
    for writer in started:
        stop_process_group(writer.process, timeout_s=5)


def test_sigkill_at_each_stage_leaves_last_commit_and_next_run_completes(
    baseline: Path, reference: dict[str, int], api_url: str, tmp_path: Path, writers
) -> None:
    """One warehouse, killed at every stage in turn (a bad night), then one clean run.

    Chained rather than parametrised to keep the suite fast: each kill starts from what
    the previous kill left, which is the harder case anyway.
    """
    root = tmp_path / "work"
    shutil.copytree(baseline, root)
    s = settings_in(root)
    before = table_counts(s.db)
    before_snapshot = snapshot_run(s)
    files_before = raw_files(s)

    for stage in STAGES:
        writer = Writer(stage, s, ALL, tmp_path / "markers", api_url)
        writers.append(writer)
        killed_run = writer.wait_paused()["flow_run"]
        writer.kill()
        assert files_before <= raw_files(s), f"a raw file vanished after a kill at {stage}"
        files_before = raw_files(s)

        # The killed writer's database (and its WAL) reopens read-write.
        with duckdb.connect(str(s.db)) as con:
            con.execute("checkpoint")
            outcome = con.execute(
                "select outcome from meta.runs where run_id = ?", [killed_run]
            ).fetchone()
            orphans = con.execute(
                "select count(*) from meta.loads l where outcome = 'loaded' and not exists "
                "(select 1 from meta.fetches f where f.fetch_id = l.fetch_id)"
            ).fetchone()[0]
        assert outcome == ("running",), f"the run killed at {stage} is left marked running"
        assert orphans == 0, f"a load without its fetch after a kill at {stage}"
        ingest_committed = stage in {"build", "validate", "publish"}
        build_committed = stage in {"validate", "publish"}
        for table, rows in table_counts(s.db).items():
            done = ingest_committed if table.startswith("raw.") else build_committed
            expected = reference[table] if done else before.get(table, 0)
            assert rows == expected, f"{table} after a kill at {stage}"
        assert snapshot_run(s) == before_snapshot, f"snapshot changed by a kill at {stage}"

    summary = refresh_in_process(s, ALL)
    assert table_counts(s.db) == reference, "the next run completes the work, no duplicates"
    assert files_before <= raw_files(s), "no raw file is lost"
    assert snapshot_run(s) == summary.run_id
    with duckdb.connect(str(s.db), read_only=True) as con:
        outcomes = dict(
            con.execute("select outcome, count(*) from meta.runs group by 1").fetchall()
        )
    assert "running" not in outcomes, "killed runs are marked crashed by the next run"
    assert outcomes.get("crashed", 0) >= len(STAGES) - 1
    assert not list(s.snapshot_path.parent.glob("*.tmp*")), "half-written snapshots are swept"
    assert not [p for p in (s.raw_dir / ".incoming").glob("*") if p.is_file()]
    with duckdb.connect(str(s.snapshot_path), read_only=True) as con:
        assert con.execute("select count(*) from marts.indeed_postings_monthly").fetchone()[0] > 0


def test_second_refresh_exits_3_naming_the_running_flow_run_then_waits_its_turn(
    baseline: Path, api_url: str, tmp_path: Path, writers
) -> None:
    root = tmp_path / "work"
    shutil.copytree(baseline, root)
    s = settings_in(root)
    first = Writer("build", s, ALL, tmp_path / "markers", api_url)
    writers.append(first)
    holder = first.wait_paused()

    cli = [*OUTLOOK, "refresh", "--db", str(s.db), "--mirror", str(SAMPLES_MIRROR)]
    cli += ["--raw-dir", str(s.raw_dir), "--publish-dir", str(s.publish_dir), "--source", "indeed"]
    env = {**os.environ, "PREFECT_API_URL": api_url}
    clock = time.monotonic()
    busy = subprocess.run(cli, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    refused_in = time.monotonic() - clock
    assert busy.returncode == 3, busy.stderr[-2000:]
    assert f"flow run {holder['flow_run']}" in busy.stderr
    assert f"pid {holder['pid']}" in busy.stderr and "'refresh'" in busy.stderr
    # refused before Prefect's temporary server starts (was 13-37 s), in one line
    assert "Traceback" not in busy.stderr and len(busy.stderr.strip().splitlines()) == 1
    assert refused_in < 8, f"the second refresh took {refused_in:.1f} s to be refused"

    waiting = subprocess.Popen(
        [*cli, "--wait", "90"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        time.sleep(3)
        assert waiting.poll() is None, "a --wait refresh queues instead of failing"
        first.release()
        assert first.process.wait(timeout=90) == 0, first.tail()
        output, _ = waiting.communicate(timeout=120)
        assert waiting.returncode == 0, output[-3000:]
    finally:
        stop_process_group(waiting, timeout_s=5)
    with duckdb.connect(str(s.db), read_only=True) as con:
        runs = con.execute("select outcome from meta.runs order by started_at").fetchall()
    assert [r[0] for r in runs] == ["succeeded"] * 3  # baseline, first, the one that waited


def test_reader_holding_the_snapshot_never_blocks_a_publish(baseline: Path, tmp_path: Path) -> None:
    from outlook.publish.snapshot import open_snapshot

    root = tmp_path / "work"
    shutil.copytree(baseline, root)
    s = settings_in(root)
    reader = open_snapshot(s.snapshot_path)
    try:
        old_run = reader.execute("select run_id from snapshot_info").fetchone()[0]
        old_rows = reader.execute("select count(*) from marts.indeed_postings_monthly").fetchone()
        clock = time.monotonic()
        summary = refresh_in_process(s, ALL)  # publishes while the reader is open
        assert time.monotonic() - clock < 120
        # The open reader still sees its own, whole snapshot; a new reader sees the new one.
        assert reader.execute("select run_id from snapshot_info").fetchone()[0] == old_run
        assert (
            reader.execute("select count(*) from marts.indeed_postings_monthly").fetchone()
            == old_rows
        )
    finally:
        reader.close()
    assert snapshot_run(s) == summary.run_id != old_run
    assert not os.access(s.snapshot_path, os.W_OK) or os.geteuid() == 0
    assert oct(s.snapshot_path.stat().st_mode & 0o777) == oct(0o444)
