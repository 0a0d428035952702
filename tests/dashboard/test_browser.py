"""The dashboard in real headless Chromium, driven over the Chrome DevTools Protocol.

The site is served by ``http.server`` on 127.0.0.1 (fetch does not work from file://);
Chromium runs with networking extras off and a throwaway profile; the test speaks CDP over
the ``websockets`` client Prefect already installs (no npm, no Selenium). It picks
"Performance Improvement Director" in the <select>, waits for the role view, then checks
the outlook table and the trend chart's points against the snapshot, and saves a
screenshot to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import base64
import contextlib
import csv
import functools
import io
import itertools
import json
import re
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from outlook.publish import role_data
from outlook.publish.snapshot import open_snapshot
from tests.conftest import ROOT
from tests.exports.helpers import PID, PID_SLUG, published

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
TIMEOUT_S = 30.0


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium_process(binary: Path, profile: Path) -> Iterator[int]:
    """Start Chromium with a DevTools port; yield the port; always kill it (by its pid)."""
    process = subprocess.Popen(
        [
            str(binary),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "--window-size=1280,1600",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + TIMEOUT_S
        while not (port_file.exists() and port_file.read_text().strip()):
            if process.poll() is not None:
                raise RuntimeError(f"chromium exited with {process.returncode}")
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not open its DevTools port")
            time.sleep(0.05)
        yield int(port_file.read_text().splitlines()[0])
    finally:
        process.kill()
        process.wait(timeout=10)


class Page:
    """Just enough CDP: call a method, evaluate JS, wait for a condition."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.ids = itertools.count(1)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        message_id = next(self.ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:  # events arrive interleaved with replies
            message = json.loads(self.ws.recv(timeout=TIMEOUT_S))
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str) -> None:
        deadline = time.monotonic() + TIMEOUT_S
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {TIMEOUT_S}s for {expression}")
            time.sleep(0.1)


@contextlib.contextmanager
def open_page(port: int) -> Iterator[Page]:
    from websockets.sync.client import connect

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
        targets = json.load(response)
    url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
    with connect(url, max_size=None, open_timeout=TIMEOUT_S) as ws:
        yield Page(ws)


READ_VIEW = """(() => {
  const view = document.getElementById('role-view');
  const rows = Array.from(view.querySelectorAll('table.outlook tbody tr')).map(
    tr => [tr.dataset.sector, ...Array.from(tr.children).map(c => c.textContent.trim())]);
  const svg = view.querySelector('#trend svg');
  const box = svg ? svg.getBoundingClientRect() : null;
  const points = svg ? Array.from(svg.querySelectorAll('[aria-roledescription="point"]'))
    .map(p => p.getAttribute('aria-label')) : [];
  const panels = Object.fromEntries(['prerequisites', 'skills', 'career'].map(id => {
    const section = view.querySelector('#' + id);
    return [id, section ? {
      draft: section.querySelector('pre.draft').textContent,
      rows: Array.from(section.querySelectorAll('table tbody tr')).map(
        tr => Array.from(tr.children).map(c => c.textContent.trim())),
      svg: !!section.querySelector('svg')} : null];
  }));
  return {slug: view.dataset.roleSlug, rows, points, panels,
          width: box ? box.width : 0, height: box ? box.height : 0,
          selected: document.getElementById('role-picker').value};
})()"""


def expected_rows(con) -> dict[str, list[str]]:
    data = role_data.load_role(con, PID)
    return {
        r["industry_sector"]: cells
        for r, cells in zip(data.outlook, role_data.md_table_rows(data), strict=True)
    }


def expected_last_averages(con) -> dict[str, float]:
    """3-month average of the last month per industry, straight from the mart."""
    rows = con.execute(
        "select sector_title, round(unique_postings_3m_avg, 1) from marts.role_industry_monthly "
        "where role = ? and month = (select max(month) from marts.role_industry_monthly) "
        "and industry_sector not in ('all', 'unknown')",
        [PID],
    ).fetchall()
    return {title: value for title, value in rows}


def test_pick_a_role_and_read_table_and_chart(chromium: Path, demo_settings, tmp_path) -> None:
    site = published(demo_settings) / "dashboard"
    with open_snapshot(demo_settings.snapshot_path) as con:
        want_rows = expected_rows(con)
        want_points = expected_last_averages(con)
        last_month = con.execute(
            # the chart's tooltips name months as readers do ("October 2026")
            "select strftime(max(month), '%B %Y') from marts.role_industry_monthly"
        ).fetchall()[0][0]
    with (
        serve(site) as base,
        chromium_process(chromium, tmp_path / "profile") as port,
        open_page(port) as page,
    ):
        page.call("Page.enable")
        page.call("Runtime.enable")
        page.call("Page.navigate", url=f"{base}/index.html")
        page.wait_for(
            "document.readyState === 'complete' && !!document.getElementById('role-picker')"
        )
        # choose the role the way a user does: set the <select> and fire its change event
        page.evaluate(
            "(() => { const s = document.getElementById('role-picker');"
            f" s.value = {json.dumps(PID_SLUG)};"
            " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
        )
        page.wait_for(
            f"document.getElementById('role-view').dataset.roleSlug === {json.dumps(PID_SLUG)}"
        )
        view = page.evaluate(READ_VIEW)
        shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "dashboard_performance_improvement_director.png").write_bytes(
            base64.b64decode(shot["data"])
        )
        assert page.evaluate("location.hash") == f"#{PID_SLUG}"

        # a link naming a role in its hash opens it directly
        page.call("Page.navigate", url=f"{base}/index.html#cashier")
        page.wait_for("document.getElementById('role-view').dataset.roleSlug === 'cashier'")
        assert page.evaluate("document.querySelector('#role-view h1').textContent") == "Cashier"

    assert view["selected"] == PID_SLUG
    got_rows = {row[0]: row[1:] for row in view["rows"]}
    assert got_rows == want_rows  # every cell, every industry, as in the snapshot
    assert view["width"] > 300 and view["height"] > 150  # the chart is laid out, not empty

    last = {}
    for label in view["points"]:
        fields = dict(part.split(": ", 1) for part in label.split("; "))
        if fields["month"] == last_month:
            last[fields["industry"]] = float(fields["3-month average"])
    assert last == pytest.approx(want_points)
    assert re.search(r"\d", json.dumps(last))  # numbers were really read

    # the requirement panels: each draft as exported, the tables as the CSVs have them
    latest = published(demo_settings) / "exports" / PID_SLUG / "latest"
    panels = view["panels"]
    for section in ("prerequisites", "skills", "career"):
        assert panels[section] is not None, section
        want = (latest / f"{section}_section.md").read_text(encoding="utf-8")
        assert panels[section]["draft"] == want
    assert panels["skills"]["svg"]
    requirements = list(csv.reader(io.StringIO((latest / "requirements.csv").read_text())))
    assert panels["prerequisites"]["rows"] == requirements[1:]
    career = list(csv.reader(io.StringIO((latest / "career_paths.csv").read_text())))
    assert panels["career"]["rows"] == career[1:]
    assert any(row[1] == "Six Sigma Black Belt" for row in panels["skills"]["rows"])
