"""The SQL model runner: dependency order, and all-or-nothing builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from outlook.build.models import build, discover
from outlook.warehouse import connect


def write_models(root: Path, models: dict[str, str]) -> Path:
    for rel, sql in models.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql)
    return root


def test_discover_orders_by_references(tmp_path: Path) -> None:
    root = write_models(
        tmp_path,
        {
            "marts/b.sql": "select * from intermediate.a",
            "intermediate/a.sql": "select * from staging.z",
            "staging/z.sql": "select 1 as x",
        },
    )
    assert [m.table for m in discover(root)] == ["staging.z", "intermediate.a", "marts.b"]


def test_unknown_reference_is_named(tmp_path: Path) -> None:
    root = write_models(tmp_path, {"marts/b.sql": "select * from staging.nope"})
    with pytest.raises(ValueError, match="b.sql: refers to unknown model.*staging.nope"):
        discover(root)


def test_failed_build_keeps_previous_marts(tmp_path: Path) -> None:
    root = write_models(
        tmp_path / "sql",
        {"staging/s.sql": "select 1 as x", "marts/m.sql": "select x from staging.s"},
    )
    with connect(tmp_path / "w.duckdb") as con:
        build(con, "r1", sql_dir=root)
        (root / "staging/s.sql").write_text("select 2 as x")
        (root / "marts/m.sql").write_text("select no_such_column from staging.s")
        with pytest.raises(RuntimeError, match="m.sql"):
            build(con, "r2", sql_dir=root)
        assert con.execute("select x from staging.s").fetchall() == [(1,)]
        assert con.execute("select x from marts.m").fetchall() == [(1,)]
