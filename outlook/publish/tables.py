"""The snapshot's tables as files, for readers without DuckDB: one Parquet file per table
(every mart, ``meta.checks``, ``meta.runs``) and a CSV beside it for the small ones.

Written from the published snapshot itself (not the warehouse), so the files hold exactly
what the snapshot holds, into ``<publish-dir>/tables/<schema>/<table>.parquet|csv`` with a
``manifest.json`` of rows per table. The folder is built aside and swapped in whole
(``lake.swap_folder``): a reader lists the old set or the new one, never a mix.
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

from outlook.publish.lake import swap_folder
from outlook.publish.snapshot import open_snapshot, published_tables, snapshot_info

# Tables up to this many rows also get a CSV: spreadsheets open them whole (Excel stops at
# 1,048,576 rows) and quickly; bigger ones are Parquet only (fct_postings at 10M rows).
CSV_MAX_ROWS = 100_000
TABLES_DIR = "tables"


def export_tables(
    snapshot_path: Path, publish_dir: Path, csv_max_rows: int = CSV_MAX_ROWS
) -> dict[str, dict[str, object]]:
    """Write every published table of the snapshot to ``publish_dir/tables``; return the
    manifest: ``schema.table`` -> rows and the files written (relative to that folder)."""
    target = publish_dir / TABLES_DIR
    tmp = publish_dir / f".{TABLES_DIR}.{uuid.uuid4().hex[:8]}.tmp"
    for stale in publish_dir.glob(f".{TABLES_DIR}.*.tmp"):  # a killed publish's
        shutil.rmtree(stale, ignore_errors=True)
    manifest: dict[str, dict[str, object]] = {}
    try:
        with open_snapshot(snapshot_path) as con:
            for schema, name in published_tables(con):
                (tmp / schema).mkdir(parents=True, exist_ok=True)
                rows = con.execute(f"select count(*) from {schema}.{name}").fetchone()[0]
                files = [f"{schema}/{name}.parquet"]
                con.execute(
                    f"copy {schema}.{name} to '{_quote(tmp / files[0])}' "
                    "(format parquet, compression zstd)"
                )
                if rows <= csv_max_rows:
                    files.append(f"{schema}/{name}.csv")
                    con.execute(
                        f"copy (select {_csv_columns(con, schema, name)} from {schema}.{name}) "
                        f"to '{_quote(tmp / files[1])}' (header, delimiter ',')"
                    )
                manifest[f"{schema}.{name}"] = {"rows": rows, "files": files}
            info = {k: None if v is None else str(v) for k, v in snapshot_info(con).items()}
        document = {"snapshot": info, "csv_max_rows": csv_max_rows, "tables": manifest}
        (tmp / "manifest.json").write_text(json.dumps(document, indent=2) + "\n", "utf-8")
        swap_folder(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _csv_columns(con, schema: str, name: str) -> str:
    """The select list of a table's CSV: a text cell a spreadsheet would run as a formula
    (starting with = + - @, tab or CR: posting titles and employers are anyone's text) gets a
    leading apostrophe, the usual guard against CSV injection; the Parquet file keeps it raw."""
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, name],
    ).fetchall()
    out = []
    for column, data_type in columns:
        quoted = '"' + column.replace('"', '""') + '"'
        if data_type == "VARCHAR":
            out.append(
                f"case when regexp_matches({quoted}, '^[-=+@\\t\\r]') "
                f"then chr(39) || {quoted} else {quoted} end as {quoted}"
            )
        else:
            out.append(quoted)
    return ", ".join(out)
