"""A few calls to a Prefect server's REST API, for tests that run it in other processes.

The session-wide ``prefect_harness`` pins this process's Prefect settings to a temporary
server, so tests talking to a server of their own use plain HTTP instead of the client.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

FINAL_STATES = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def call(api_url: str, method: str, path: str, body: object | None = None) -> Any:
    """One API call; a busy server's 503 (its SQLite is locked under load) is retried."""
    data = json.dumps(body).encode() if body is not None else None
    for attempt in range(10):
        request = urllib.request.Request(
            api_url + path, method=method, data=data, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                raw = response.read()
            return json.loads(raw) if raw else None
        except urllib.error.HTTPError as exc:
            if exc.code not in (429, 502, 503) or attempt == 9:
                raise
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")


def wait_for_deployment(api_url: str, name: str, timeout_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return call(api_url, "GET", f"/deployments/name/{name}")
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def run_and_wait(api_url: str, deployment_id: str, timeout_s: float) -> dict[str, Any]:
    """Create a flow run of the deployment and poll until it is final (or time runs out)."""
    run = call(api_url, "POST", f"/deployments/{deployment_id}/create_flow_run", {})
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        run = call(api_url, "GET", f"/flow_runs/{run['id']}")
        if run["state"]["type"] in FINAL_STATES:
            return run
        time.sleep(1.0)
    raise TimeoutError(f"flow run {run['id']} still {run['state']['type']} after {timeout_s}s")
