"""Prefect only where it orchestrates: the reading and labelling commands never import it.

`refresh` and `ingest` run flows (and use PREFECT_API_URL or start a local server); every
other command is a plain function over the warehouse or the snapshot, so it must not pay
Prefect's import, let alone a server's start-up. Each command runs in its own interpreter
so that what the test suite imported does not count.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from outlook.cli.main import main
code = main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m == "prefect" or m.startswith("prefect."))
print("\\n" + json.dumps({"code": code, "prefect_modules": len(loaded)}))
"""


def _probe(args: list[str], cwd: Path) -> dict[str, int]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(cwd)},
    )
    assert proc.stdout.strip(), proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "command",
    [
        ["classify", "Registered Nurse"],
        ["trends", "--role", "Performance Improvement Director"],
        ["status"],
        ["export", "--role", "Performance Improvement Director", "--out", "{tmp}/exports"],
        ["dashboard", "--out", "{tmp}/dashboard"],
        ["docs", "--output", "{tmp}/marts.md"],
    ],
    ids=lambda c: c[0],
)
def test_command_imports_no_prefect(command, demo_settings, tmp_path: Path) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    common = [
        "--db", str(demo_settings.db), "--publish-dir", str(demo_settings.publish_dir),
        "--raw-dir", str(demo_settings.raw_dir),
    ]  # fmt: skip
    result = _probe([*args, *common], tmp_path)
    assert result["code"] == 0, result
    assert result["prefect_modules"] == 0, f"outlook {command[0]} imported Prefect"
