"""`outlook build` is incremental by default; `--full-refresh` rebuilds every model."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from outlook.cli.main import main
from outlook.config import Settings


@pytest.fixture
def built(demo_settings: Settings, tmp_path: Path) -> Settings:
    """A copy of the demo warehouse, built once already."""
    shutil.copytree(demo_settings.db.parent, tmp_path / "warehouse")
    return demo_settings.with_(db=tmp_path / "warehouse" / demo_settings.db.name)


def test_build_keeps_what_did_not_change_and_full_refresh_rebuilds(built: Settings, capsys) -> None:
    args = ["--db", str(built.db)]
    assert main(["build", *args]) == 0
    assert "(incremental, 0 new posting load(s);" in capsys.readouterr().out
    assert main(["build", "--full-refresh", *args]) == 0
    assert "(full: --full-refresh;" in capsys.readouterr().out
    with duckdb.connect(str(built.db), read_only=True) as con:
        modes = con.execute(
            "select distinct mode from meta.builds where layer <> 'setup' and run_id in "
            "(select run_id from meta.runs where command = 'build') order by mode"
        ).fetchall()
    assert modes == [("full",), ("skipped: no input changed",)]
