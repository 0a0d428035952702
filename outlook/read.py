"""Read the published snapshot from Python, as pandas DataFrames.

    from outlook import read
    read.role_outlook("Performance Improvement Director")   # the outlook by industry
    read.role_industry_monthly("Registered Nurse")          # monthly postings by industry
    read.role_requirements("Performance Improvement Director")  # education, years asked
    read.role_skills("Performance Improvement Director", "62")  # skills named, by industry
    read.tables()                                           # what the snapshot holds
    read.table("marts.occupation_wages")                    # any published table, whole
    read.columns("marts.role_outlook")                      # its columns and their meanings

Every reader opens the snapshot read-only for the call and closes it (a refresh swaps in a
new one atomically; an open reader never blocks it). Where: ``snapshot=`` (a file), else
``publish_dir=``, else the environment the CLI reads (``OUTLOOK_PUBLISH_DIR``), else
``data/published`` - relative paths from the working directory, as on the command line.
Role names match case-insensitively; an unknown one raises ``UnknownRole`` naming close ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from outlook.config import resolve_settings
from outlook.publish.readers import UnknownRole, outlook_rows, resolve_role, role_rows
from outlook.publish.snapshot import open_snapshot, snapshot_info

__all__ = [
    "UnknownRole",
    "columns",
    "connect",
    "info",
    "role_industry_monthly",
    "role_outlook",
    "role_requirements",
    "role_skills",
    "roles",
    "snapshot_path",
    "table",
    "tables",
]

PathLike = str | os.PathLike[str]


def snapshot_path(publish_dir: PathLike | None = None, snapshot: PathLike | None = None) -> Path:
    """The snapshot file the readers open (see the module docstring for the order)."""
    if snapshot is not None:
        return Path(snapshot).expanduser()
    publish = str(publish_dir) if publish_dir is not None else None
    return resolve_settings(publish_dir=publish).snapshot_path


@contextmanager
def connect(
    publish_dir: PathLike | None = None, snapshot: PathLike | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the snapshot, closed on leaving the block (for SQL of your
    own: ``with read.connect() as con: con.sql("...").df()``)."""
    con = open_snapshot(snapshot_path(publish_dir, snapshot))
    try:
        yield con
    finally:
        con.close()


def info(publish_dir: PathLike | None = None, snapshot: PathLike | None = None) -> dict:
    """Which run published the snapshot, when, from which warehouse, in which format."""
    with connect(publish_dir, snapshot) as con:
        return snapshot_info(con)


def tables(publish_dir: PathLike | None = None, snapshot: PathLike | None = None) -> pd.DataFrame:
    """Every published table: ``table`` (schema.name), rows, columns, and its description."""
    with connect(publish_dir, snapshot) as con:
        listed = con.execute(
            "select schema_name, table_name, column_count, comment from duckdb_tables() "
            "where database_name = current_database() "
            "order by schema_name = 'main', schema_name, table_name"
        ).fetchall()
        rows = [
            {
                "table": f"{schema}.{name}",
                "rows": con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0],
                "columns": count,
                "description": comment,
            }
            for schema, name, count, comment in listed
        ]
    return pd.DataFrame(rows, columns=["table", "rows", "columns", "description"])


def _known(con: duckdb.DuckDBPyConnection, name: str) -> tuple[str, str]:
    """(schema, table) of a published table named ``schema.table`` (or a bare mart name);
    anything else is a LookupError listing what there is. Names never reach SQL otherwise."""
    published = {
        f"{s}.{t}": (s, t)
        for s, t in con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = current_database()"
        ).fetchall()
    }
    key = name.strip().lower()
    found = published.get(key) or published.get(f"marts.{key}")
    if found is None:
        raise LookupError(
            f"no table {name!r} in the snapshot; it has: {', '.join(sorted(published))}"
        )
    return found


def table(
    name: str, publish_dir: PathLike | None = None, snapshot: PathLike | None = None
) -> pd.DataFrame:
    """A whole published table, e.g. ``read.table("marts.occupation_wages")`` or
    ``read.table("meta.checks")``."""
    with connect(publish_dir, snapshot) as con:
        schema, bare = _known(con, name)
        return con.execute(f'select * from "{schema}"."{bare}"').df()


def columns(
    name: str, publish_dir: PathLike | None = None, snapshot: PathLike | None = None
) -> pd.DataFrame:
    """A table's columns in order: ``column``, ``type`` and ``description`` (the comment
    from ``sql/marts/_columns.yml``)."""
    with connect(publish_dir, snapshot) as con:
        schema, bare = _known(con, name)
        return con.execute(
            'select column_name as "column", data_type as type, comment as description '
            "from duckdb_columns() where database_name = current_database() "
            "and schema_name = ? and table_name = ? order by column_index",
            [schema, bare],
        ).df()


def roles(publish_dir: PathLike | None = None, snapshot: PathLike | None = None) -> list[str]:
    """The catalogue roles that have an outlook."""
    with connect(publish_dir, snapshot) as con:
        return [
            r[0]
            for r in con.execute(
                "select distinct role from marts.role_outlook order by 1"
            ).fetchall()
        ]


def role_outlook(
    role: str,
    industry: str | None = None,
    publish_dir: PathLike | None = None,
    snapshot: PathLike | None = None,
) -> pd.DataFrame:
    """One role's rows of ``marts.role_outlook``, every column: the all-industries row first,
    then industries by current postings. ``industry``: a NAICS sector ('62'), group
    ('healthcare') or sector title, as ``outlook trends --industry`` takes."""
    with connect(publish_dir, snapshot) as con:
        return outlook_rows(con, resolve_role(con, role), industry, "*").df()


def role_industry_monthly(
    role: str, publish_dir: PathLike | None = None, snapshot: PathLike | None = None
) -> pd.DataFrame:
    """One role's ``marts.role_industry_monthly``: postings per industry and month."""
    with connect(publish_dir, snapshot) as con:
        name = resolve_role(con, role)
        return con.execute(
            "select * from marts.role_industry_monthly where role = ? "
            "order by industry_sector, month",
            [name],
        ).df()


def role_requirements(
    role: str,
    industry: str | None = None,
    publish_dir: PathLike | None = None,
    snapshot: PathLike | None = None,
) -> pd.DataFrame:
    """One role's ``marts.role_requirements``: education shares, minimum years (median and
    IQR) and the share naming a certification, per industry, over postings with a
    description (``industry`` as in ``role_outlook``)."""
    with connect(publish_dir, snapshot) as con:
        name = resolve_role(con, role)
        return role_rows(con, "marts.role_requirements", name, industry, "*").df()


def role_skills(
    role: str,
    industry: str | None = None,
    publish_dir: PathLike | None = None,
    snapshot: PathLike | None = None,
) -> pd.DataFrame:
    """One role's ``marts.role_skills``: each skill, method or certification its postings
    name, per industry, most named first, with the share and its change on the previous
    window."""
    with connect(publish_dir, snapshot) as con:
        name = resolve_role(con, role)
        return role_rows(con, "marts.role_skills", name, industry, "*").df()
