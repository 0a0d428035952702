"""Chromium for the browser test: installed on demand (Debian package, root only) or skipped
with the reason. `make test` runs scripts/install_chromium.sh first, so CI never skips."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
INSTALL = ROOT / "scripts" / "install_chromium.sh"


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            pytest.skip(
                f"{CHROMIUM} is absent and cannot be installed here (needs root and apt-get): "
                "run scripts/install_chromium.sh as root"
            )
        subprocess.run(["sh", str(INSTALL)], check=True, timeout=900)
    if not CHROMIUM.exists():
        pytest.skip(f"{INSTALL} did not install {CHROMIUM}")
    return CHROMIUM
