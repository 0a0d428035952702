"""Fixtures the export tests share: the demo's published snapshot and exports folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from outlook.publish.snapshot import open_snapshot
from tests.exports.helpers import published


@pytest.fixture(scope="module")
def con(demo_settings):
    with open_snapshot(demo_settings.snapshot_path) as connection:
        yield connection


@pytest.fixture(scope="module")
def exports_root(demo_settings) -> Path:
    return published(demo_settings) / "exports"
