"""Build the SQL models in ``sql/`` (staging -> intermediate -> marts) inside one transaction.

A model is one ``.sql`` file holding one ``select``; its table is ``<layer>.<file stem>``.
Dependencies are read from the ``schema.table`` names a model mentions, so the files can be
added without a manifest. A failed build rolls back: the marts stay as they were.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import pandas as pd

from outlook.config import SEEDS_DIR, SQL_DIR
from outlook.warehouse import insert_row, now_utc, replace_table, transaction

LAYERS = ("staging", "intermediate", "marts")
_REF = re.compile(r"\b(staging|intermediate|marts)\.([a-z_][a-z0-9_]*)\b")


PythonBuild = Callable[[duckdb.DuckDBPyConnection], pd.DataFrame]


@dataclass(frozen=True)
class Model:
    """A SQL file, or a Python function for statistics SQL does badly (``python`` set)."""

    layer: str
    name: str
    path: Path
    sql: str
    python: PythonBuild | None = None
    depends_on: frozenset[str] = frozenset()

    @property
    def table(self) -> str:
        return f"{self.layer}.{self.name}"

    def refs(self) -> set[str]:
        body = re.sub(r"--[^\n]*", "", self.sql)
        found = {f"{layer}.{name}" for layer, name in _REF.findall(body)}
        return (found | set(self.depends_on)) - {self.table}


def python_model(table: str, depends_on: set[str], build: PythonBuild) -> Model:
    """Declare a model computed in Python (from ``transforms/``) and stored as a table."""
    layer, name = table.split(".", 1)
    path = Path(build.__code__.co_filename)
    return Model(layer, name, path, "", build, frozenset(depends_on))


def discover(sql_dir: Path = SQL_DIR, extra: list[Model] | None = None) -> list[Model]:
    """Every model, in an order that builds each after the models it reads."""
    models: dict[str, Model] = {m.table: m for m in extra or []}
    for layer in LAYERS:
        for path in sorted((sql_dir / layer).glob("*.sql")):
            model = Model(layer, path.stem, path, path.read_text(encoding="utf-8"))
            models[model.table] = model
    graph = {table: {r for r in m.refs() if r in models} for table, m in models.items()}
    for model in models.values():
        unknown = sorted(r for r in model.refs() if r not in models)
        if unknown:
            raise ValueError(f"{model.path}: refers to unknown model(s) {', '.join(unknown)}")
    return [models[t] for t in TopologicalSorter(graph).static_order()]


SeedLoader = Callable[[duckdb.DuckDBPyConnection], None]


def load_csv_seeds(con: duckdb.DuckDBPyConnection, seeds_dir: Path = SEEDS_DIR) -> list[str]:
    """Each ``data/seeds/*.csv`` becomes ``seeds.<stem>``, all text (models cast)."""
    loaded = []
    for path in sorted(seeds_dir.glob("*.csv")):
        con.execute(
            f"create or replace table seeds.{path.stem} as "
            "select * from read_csv(?, header = true, all_varchar = true)",
            [str(path)],
        )
        loaded.append(f"seeds.{path.stem}")
    return loaded


@dataclass(frozen=True)
class BuildReport:
    models: list[tuple[str, int, float]]  # (table, rows, seconds)
    seconds: float


def build(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    *,
    sql_dir: Path = SQL_DIR,
    seed_loaders: list[SeedLoader] | None = None,
    before_models: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    python_models: list[Model] | None = None,
) -> BuildReport:
    """Reload seeds and rebuild every model, in one transaction."""
    started = time.monotonic()
    models = discover(sql_dir, python_models)
    built: list[tuple[str, int, float]] = []
    with transaction(con):
        load_csv_seeds(con)
        for loader in seed_loaders or []:
            loader(con)
        if before_models is not None:
            before_models(con)
        for model in models:
            clock = time.monotonic()
            try:
                if model.python is not None:
                    replace_table(con, model.table, model.python(con))
                else:
                    con.execute(f"create or replace table {model.table} as\n{model.sql}")
            except duckdb.Error as exc:
                raise RuntimeError(f"{model.path} ({model.table}): {exc}") from None
            rows = con.execute(f"select count(*) from {model.table}").fetchone()[0]
            seconds = time.monotonic() - clock
            built.append((model.table, int(rows), seconds))
            insert_row(
                con,
                "meta.builds",
                {
                    "run_id": run_id,
                    "model": model.table,
                    "layer": model.layer,
                    "row_count": int(rows),
                    "duration_s": seconds,
                    "built_at": now_utc(),
                },
            )
    return BuildReport(built, time.monotonic() - started)
