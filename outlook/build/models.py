"""Build the models in ``sql/`` (staging -> intermediate -> marts) inside one transaction.

A model is one file in a layer folder; its table is ``<layer>.<file stem>``:

- ``.sql``: one ``select``. Dependencies are read from the ``schema.table`` names it
  mentions, so files can be added without a manifest. A line ``-- materialized: view``
  makes it a view instead of a table (as dbt's staging models): for renames and casts of a
  big raw table, which a table would copy whole on every full build.
- ``.py``: a Python model, for statistics SQL does badly (as in dbt and nba-monte-carlo):
  its docstring states the grain, ``DEPENDS_ON`` the tables it reads, ``COLUMNS`` its
  columns and their DuckDB types in order, and ``model(con)`` returns a DataFrame; the
  logic itself lives in pure functions under ``transforms/``.

A failed build rolls back: the marts stay as they were.
"""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import pandas as pd

from outlook.build import incremental
from outlook.build.state import (
    checksum,
    ensure_state,
    files_checksum,
    raw_fingerprint,
    read_state,
    write_state,
)
from outlook.config import PROJECT_ROOT, SEEDS_DIR, SQL_DIR
from outlook.warehouse import insert_row, now_utc, replace_table, table_exists, transaction

LAYERS = ("staging", "intermediate", "marts")
_REF = re.compile(r"\b(staging|intermediate|marts)\.([a-z_][a-z0-9_]*)\b")
_MATERIALIZED = re.compile(r"^--\s*materialized:\s*(table|view)\s*$", re.MULTILINE)


PythonBuild = Callable[[duckdb.DuckDBPyConnection], pd.DataFrame]


@dataclass(frozen=True)
class Model:
    """A SQL file, or a Python model (``python`` and ``columns`` set)."""

    layer: str
    name: str
    path: Path
    sql: str
    python: PythonBuild | None = None
    depends_on: frozenset[str] = frozenset()
    columns: tuple[tuple[str, str], ...] = ()  # Python models: (column, DuckDB type)

    @property
    def table(self) -> str:
        return f"{self.layer}.{self.name}"

    @property
    def materialized(self) -> str:
        """'view' when the SQL says ``-- materialized: view``, else 'table'."""
        found = _MATERIALIZED.search(self.sql)
        return found.group(1) if found else "table"

    def refs(self) -> set[str]:
        body = re.sub(r"--[^\n]*", "", self.sql)
        found = {f"{layer}.{name}" for layer, name in _REF.findall(body)}
        return (found | set(self.depends_on)) - {self.table}


def python_model(layer: str, path: Path) -> Model:
    """The Python model in ``path`` (see the module notes for what it declares)."""
    spec = importlib.util.spec_from_file_location(f"outlook_models.{layer}.{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ValueError(f"{path}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    missing = [n for n in ("DEPENDS_ON", "COLUMNS", "model") if not hasattr(module, n)]
    if missing:
        raise ValueError(f"{path}: a Python model needs {', '.join(missing)}")
    return Model(
        layer,
        path.stem,
        path,
        "",
        module.model,
        frozenset(module.DEPENDS_ON),
        tuple(module.COLUMNS.items()),
    )


# pandas dtypes DuckDB reads as each declared type, all-NULL columns included (DuckDB
# sniffs object columns by value, so a column with no JOLTS yet would come out untyped)
_PANDAS_TYPES = {"varchar": "string", "bigint": "Int64", "double": "Float64", "boolean": "boolean"}


def typed_frame(frame: pd.DataFrame, columns: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    """``frame`` with exactly the declared columns, in order, each of its declared type."""
    out: dict[str, pd.Series] = {}
    for name, sql_type in columns:
        values = frame[name] if name in frame else pd.Series(None, index=frame.index)
        if sql_type == "date":
            out[name] = (
                pd.to_datetime(values).astype("datetime64[s]").dt.date.astype("date32[pyarrow]")
            )
        elif sql_type in ("bigint", "double"):
            out[name] = pd.to_numeric(values).astype(_PANDAS_TYPES[sql_type])
        else:
            out[name] = values.astype(_PANDAS_TYPES[sql_type])
    return pd.DataFrame(out, columns=[name for name, _ in columns])


def discover(sql_dir: Path = SQL_DIR) -> list[Model]:
    """Every model, in an order that builds each after the models it reads."""
    models: dict[str, Model] = {}
    for layer in LAYERS:
        for path in sorted((sql_dir / layer).glob("*.sql")):
            model = Model(layer, path.stem, path, path.read_text(encoding="utf-8"))
            models[model.table] = model
        for path in sorted((sql_dir / layer).glob("*.py")):
            model = python_model(layer, path)
            if model.table in models:
                raise ValueError(f"{path}: {model.table} is also a SQL model")
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


SEEDS_KEY = "seed_inputs_checksum"


def load_seeds(
    con: duckdb.DuckDBPyConnection,
    seed_loaders: list[SeedLoader],
    seed_inputs: list[Path] | None,
    full_refresh: bool,
) -> tuple[str, bool]:
    """Load the seeds unless the files they are made from are unchanged since they were last
    loaded (``seed_inputs``; None: always load). Returns (their checksum, loaded?)."""
    if seed_inputs is None:
        loaders = [f"{f.__module__}.{f.__qualname__}" for f in seed_loaders]
        inputs = files_checksum(SEEDS_DIR.glob("*.csv"))
        digest = checksum([inputs, *loaders])
    else:
        digest = files_checksum(seed_inputs)
        if not full_refresh and read_state(con, SEEDS_KEY) == digest:
            return digest, False
    load_csv_seeds(con)
    for loader in seed_loaders:
        loader(con)
    write_state(con, SEEDS_KEY, digest if seed_inputs is not None else None)
    return digest, True


INPUTS_KEY = "all_inputs_fingerprint"
# Code the Python models run (their logic lives in transforms/, per the module notes).
TRANSFORMS_DIR = PROJECT_ROOT / "transforms"
BUILD_CODE = Path(__file__).parent


@dataclass(frozen=True)
class Unchanged:
    fingerprint: str  # every input of every model
    skip: bool  # the same as when the tables were built: keep them all


def _unchanged(
    con: duckdb.DuckDBPyConnection,
    models: list[Model],
    sql_dir: Path,
    seeds: str,
    posting_plan: incremental.PostingPlan,
    full_refresh: bool,
    known_inputs: bool,
) -> Unchanged:
    """Whether nothing any model reads changed since the last build (model files and the
    code Python models run, seeds, the classifier version, every raw table's loads): then
    every table is already what a build would write, and none is rebuilt. Only for builds
    that declare their inputs (``seed_inputs``, as the warehouse pipeline does): a build on
    other tables (tests' fixtures) cannot tell whether those changed."""
    files = [*(m.path for m in models), *TRANSFORMS_DIR.glob("*.py"), *BUILD_CODE.glob("*.py")]
    parts = [str(sql_dir), files_checksum(files), seeds, posting_plan.fingerprint]
    fingerprint = checksum([*parts, raw_fingerprint(con)])
    if not known_inputs or full_refresh or not posting_plan.incremental or posting_plan.new_loads:
        return Unchanged(fingerprint, False)
    present = all(table_exists(con, m.table) for m in models)
    return Unchanged(fingerprint, present and read_state(con, INPUTS_KEY) == fingerprint)


@dataclass(frozen=True)
class BuildReport:
    models: list[tuple[str, int, float]]  # (table, rows, seconds)
    seconds: float
    # None: the posting models took only the new loads; else why they were rebuilt whole
    full_reason: str | None = None
    new_loads: int = 0
    seeds_loaded: bool = True
    setup: list[tuple[str, float]] = field(default_factory=list)  # (step, seconds)


def _record(
    con: duckdb.DuckDBPyConnection, run_id: str, step: tuple[str, str, int | None, float, str]
) -> None:
    model, layer, rows, seconds, mode = step
    insert_row(
        con,
        "meta.builds",
        {
            "run_id": run_id,
            "model": model,
            "layer": layer,
            "row_count": rows,
            "duration_s": seconds,
            "built_at": now_utc(),
            "mode": mode,
        },
    )


def build_model(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    """Replace ``model``'s table with the model computed from scratch."""
    try:
        kind = model.materialized
        _drop_if_kind(con, model.table, "table" if kind == "view" else "view")
        if model.python is not None:
            frame = typed_frame(model.python(con), model.columns)
            replace_table(con, model.table, frame)
        else:
            con.execute(f"create or replace {kind} {model.table} as\n{model.sql}")
    except duckdb.Error as exc:
        raise RuntimeError(f"{model.path} ({model.table}): {exc}") from None


def _apply_increment(increment: incremental.Increment, model: Model) -> None:
    try:
        increment.apply(model.table, model.sql)
    except duckdb.Error as exc:
        raise RuntimeError(f"{model.path} ({model.table}, incremental): {exc}") from None


def _drop_if_kind(con: duckdb.DuckDBPyConnection, name: str, kind: str) -> None:
    """Drop ``name`` if it is a ``kind`` ('table' or 'view'): a model that changes how it is
    materialized cannot be replaced in place (DuckDB refuses a view over a table)."""
    schema, table = name.split(".")
    found = con.execute(
        "select table_type from information_schema.tables where table_schema = ? "
        "and table_name = ?",
        [schema, table],
    ).fetchone()
    if found and found[0] == ("VIEW" if kind == "view" else "BASE TABLE"):
        con.execute(f"drop {kind} {name}")


def build(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    *,
    sql_dir: Path = SQL_DIR,
    seed_loaders: list[SeedLoader] | None = None,
    before_models: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    seed_inputs: list[Path] | None = None,
    full_refresh: bool = False,
) -> BuildReport:
    """Seeds (when their inputs changed), then every model, in one transaction. The posting
    models take only the loads that arrived since the last build, unless something they are
    computed from changed (``outlook.build.incremental``) or ``full_refresh``."""
    started = time.monotonic()
    models = discover(sql_dir)
    model_sql = {m.table: m.sql for m in models if m.python is None}
    built: list[tuple[str, int, float]] = []
    setup: list[tuple[str, float]] = []
    with transaction(con):
        ensure_state(con)
        clock = time.monotonic()
        seeds, seeds_loaded = load_seeds(con, seed_loaders or [], seed_inputs, full_refresh)
        setup.append(
            ("seeds" if seeds_loaded else "seeds (unchanged, kept)", time.monotonic() - clock)
        )
        if before_models is not None:
            clock = time.monotonic()
            before_models(con)
            setup.append(("before models", time.monotonic() - clock))
        clock = time.monotonic()
        posting_plan = incremental.plan(con, model_sql, seeds, full_refresh)
        increment = incremental.Increment(con, posting_plan.new_loads)
        setup.append(("plan", time.monotonic() - clock))
        unchanged = _unchanged(
            con, models, sql_dir, seeds, posting_plan, full_refresh, seed_inputs is not None
        )
        for step, seconds in setup:
            _record(con, run_id, (step, "setup", None, seconds, "setup"))
        for model in models:
            clock = time.monotonic()
            mode = "full"
            if unchanged.skip:
                mode = "skipped: no input changed"
            elif posting_plan.incremental and model.table in incremental.POSTING_MODELS:
                mode = "incremental"
                if model.materialized == "view":
                    mode = "incremental: a view, the new rows show through"
                else:
                    _apply_increment(increment, model)
            else:
                build_model(con, model)
            rows = int(con.execute(f"select count(*) from {model.table}").fetchone()[0])
            seconds = time.monotonic() - clock
            built.append((model.table, rows, seconds))
            _record(con, run_id, (model.table, model.layer, rows, seconds, mode))
        increment.close()
        incremental.finish(con, posting_plan)
        write_state(con, INPUTS_KEY, unchanged.fingerprint)
    return BuildReport(
        built,
        time.monotonic() - started,
        posting_plan.full_reason,
        len(posting_plan.new_loads),
        seeds_loaded,
        setup,
    )
