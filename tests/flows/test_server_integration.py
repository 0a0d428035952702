"""A real Prefect server: `outlook serve` starts one, serves the schedules, runs one, stops.

Everything runs in child processes with their own PREFECT_HOME under tmp_path; every
wait is bounded and every process started here is stopped (killed if it lingers).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
import yaml

from outlook.server import free_port, is_healthy, running_server, stop_process_group
from tests.conftest import ROOT, SAMPLES_MIRROR
from tests.prefect_api import call, run_and_wait, wait_for_deployment

pytestmark = pytest.mark.flow

# this checkout's CLI (cwd first on sys.path), not whatever copy is installed
OUTLOOK = [sys.executable, "-c", "from outlook.cli.main import main; raise SystemExit(main())"]
PREFECT = Path(sys.executable).with_name("prefect")


def child_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    return env


def test_serve_runs_daily_postings_deployment_and_stops_cleanly(tmp_path: Path) -> None:
    from flows.deployments import SCHEDULES, TIMEZONE, available_sources

    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    db = tmp_path / "warehouse" / "outlook.duckdb"
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed in finally
    serve = subprocess.Popen(
        [*OUTLOOK, "serve", "--port", str(port), "--db", str(db)]
        + ["--mirror", str(SAMPLES_MIRROR), "--raw-dir", str(tmp_path / "raw")]
        + ["--publish-dir", str(tmp_path / "published")],
        cwd=ROOT,
        env=child_env(tmp_path / "prefect-home"),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        started = time.monotonic()
        daily = wait_for_deployment(api_url, "refresh/postings-daily", timeout_s=90)
        print(f"server up and deployments served in {time.monotonic() - started:.1f}s")
        daily_spec = next(s for s in SCHEDULES if s.name == "postings-daily")
        sources = available_sources(daily_spec)  # 'postings' once that group exists
        assert daily["parameters"]["sources"] == sources and sources
        assert [(s["schedule"]["cron"], s["schedule"]["timezone"]) for s in daily["schedules"]] == [
            (daily_spec.cron, TIMEZONE)
        ]

        clock = time.monotonic()
        run = run_and_wait(api_url, daily["id"], timeout_s=90)
        print(f"deployment run finished in {time.monotonic() - clock:.1f}s")
        assert run["state"]["type"] == "COMPLETED", (run["state"], _tail(tmp_path / "serve.log"))

        with duckdb.connect(str(db), read_only=True) as con:
            loaded = dict(
                con.execute(
                    "select source, sum(rows_loaded) from meta.loads "
                    "where outcome = 'loaded' group by source"
                ).fetchall()
            )
            outcome = con.execute("select outcome, flow_run_id from meta.runs").fetchall()
        assert loaded and all(rows > 0 for rows in loaded.values()), loaded
        assert outcome == [("succeeded", run["id"])]
        assert (tmp_path / "published" / "snapshot" / "outlook.duckdb").exists()
        # serve created the writer limit; the run took its slot and gave it back
        writer = call(api_url, "GET", "/v2/concurrency_limits/outlook-writer")
        assert (writer["limit"], writer["active"], writer["active_slots"]) == (1, True, 0)
        artifacts = call(
            api_url, "POST", "/artifacts/filter", {"flow_runs": {"id": {"any_": [run["id"]]}}}
        )
        assert {(a["key"], a["type"]) for a in artifacts} == {
            ("outlook-refresh-summary", "markdown"),
            ("outlook-refresh-loads", "table"),
            ("outlook-refresh-checks", "table"),
        }

        serve.send_signal(signal.SIGINT)  # what Ctrl-C sends
        # Pausing the schedules and stopping the server took >45 s once on a loaded
        # 2-core machine (the server alone may take 20 s): the test is about a clean
        # stop, not a fast one.
        try:
            code = serve.wait(timeout=120)
        except subprocess.TimeoutExpired:
            pytest.fail(f"outlook serve did not stop in 120 s: {_tail(tmp_path / 'serve.log')}")
        assert code == 0, _tail(tmp_path / "serve.log")
        assert not is_healthy(api_url), "the server outlook serve started is still up"
    finally:
        stop_process_group(serve, timeout_s=10)
        log.close()
        # the server runs in its own session: make sure it went down with serve
        _kill_listeners(api_url)


def test_prefect_yaml_is_generated_from_the_schedules() -> None:
    import prefect

    from flows.deployments import render_prefect_yaml

    committed = (ROOT / "prefect.yaml").read_text(encoding="utf-8")
    assert committed == render_prefect_yaml(prefect.__version__), (
        "prefect.yaml is stale: run `python -m flows.deployments`"
    )


def test_prefect_yaml_deploys_every_schedule_to_a_process_pool(tmp_path: Path) -> None:
    from flows.deployments import SCHEDULES, TIMEZONE

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    by_name = {d["name"]: d for d in spec["deployments"]}
    assert set(by_name) == {s.name for s in SCHEDULES}
    for schedule in SCHEDULES:
        declared = by_name[schedule.name]
        assert declared["schedules"] == [
            {"cron": schedule.cron, "timezone": TIMEZONE, "active": True}
        ]
        assert declared["parameters"]["sources"] == list(schedule.sources)
        assert declared["entrypoint"] == "flows/refresh.py:refresh"

    home = tmp_path / "prefect-home"
    with running_server(home=home, timeout_s=90) as server:
        env = {**child_env(home), "PREFECT_API_URL": server.api_url, "PWD": str(ROOT)}
        for command in (
            ["work-pool", "create", "outlook-local", "--type", "process"],
            ["--no-prompt", "deploy", "--all"],
        ):
            done = subprocess.run(
                [str(PREFECT), *command],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        for schedule in SCHEDULES:
            deployed = call(server.api_url, "GET", f"/deployments/name/refresh/{schedule.name}")
            assert deployed["work_pool_name"] == "outlook-local"
            assert deployed["parameters"]["sources"] == list(schedule.sources)
            assert [s["schedule"]["timezone"] for s in deployed["schedules"]] == [TIMEZONE]
            assert deployed["pull_steps"][0]["prefect.deployments.steps.set_working_directory"] == {
                "directory": str(ROOT)
            }


def _kill_listeners(api_url: str) -> None:
    """Last resort if a server outlived its parent: find `prefect server start` on our port."""
    if not is_healthy(api_url, timeout_s=0.5):
        return
    port = api_url.rsplit(":", 1)[1].split("/")[0]
    found = subprocess.run(
        ["pgrep", "-f", f"prefect server start --host 127.0.0.1 --port {port}"],
        capture_output=True,
        text=True,
    )
    for pid in found.stdout.split():
        os.kill(int(pid), signal.SIGKILL)


def _tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else ""
