"""``outlook status``: what is loaded (sources, releases, rows), the last runs, the snapshot."""

from __future__ import annotations

import argparse
import json

from outlook.cli.registry import command
from outlook.config import Settings

# The last attempt per source counts failed fetches too (they write no meta.loads row): a
# source whose download failed last night says so, beside its last good load.
STATUS_SQL = """
with attempts as (
    select source, outcome, finished_at as attempted_at, message from meta.loads
    union all
    select source, 'failed', retrieved_at, message from meta.fetches where status = 'failed'
),
latest as (
    select *, row_number() over (partition by source order by attempted_at desc) as rn
    from attempts
),
good as (
    select source, max(finished_at) as last_loaded_at
    from meta.loads where outcome = 'loaded' group by source
)
select
    latest.source,
    latest.outcome as last_outcome,
    latest.attempted_at as last_attempt_at,
    good.last_loaded_at,
    latest.message
from latest left join good using (source)
where rn = 1
order by source
"""

# Sources can share a raw table (the OEWS releases do): a source's rows are the ones its
# own loads wrote, not the whole table.
SOURCE_ROWS_SQL = """
select _release, count(*) from {table}
where _load_id in (select load_id from meta.loads where source = ?)
group by 1 order by 1
"""

# Outcomes that need the message beside them; a success's message is its release.
_NOTEWORTHY = {"failed", "quarantined", "superseded"}


def collect_status(settings: Settings) -> dict[str, object]:
    """Everything ``status`` shows, as plain data (also printed as JSON with --json).

    While a writer holds the warehouse, opening it even read-only would fail (DuckDB locks
    the file) or, between two of the writer's tasks, make the writer's next connection fail.
    So then this reads the published snapshot instead and says who is writing.
    """
    from outlook.lock import busy_holder, duckdb_lock_holder, is_duckdb_lock_error

    if not settings.db.exists():
        return {"warehouse": str(settings.db), "exists": False}
    who = busy_holder(settings.lock_path)
    if who is None:
        try:
            return _from_warehouse(settings)
        except Exception as exc:
            if not is_duckdb_lock_error(exc):
                raise
            who = duckdb_lock_holder(settings.lock_path, exc)
    return _from_snapshot(settings, who)


def _from_warehouse(settings: Settings) -> dict[str, object]:
    from outlook.ingest.sources import ALL_SOURCES
    from outlook.warehouse import connect, table_exists

    with connect(settings.db, read_only=True) as con:
        loads = {row[0]: row for row in con.execute(STATUS_SQL).fetchall()}
        sources = []
        for source in ALL_SOURCES:
            per_release: list[tuple[str, int]] = []
            if table_exists(con, source.table):
                per_release = con.execute(
                    SOURCE_ROWS_SQL.format(table=source.table), [source.name]
                ).fetchall()
            load = loads.get(source.name)
            sources.append(
                {
                    "source": source.name,
                    "table": source.table,
                    "releases": [release for release, _ in per_release],
                    "rows": sum(rows for _, rows in per_release),
                    "last_outcome": load[1] if load else "never loaded",
                    "last_attempt_at": str(load[2]) if load and load[2] else None,
                    "last_loaded_at": str(load[3]) if load and load[3] else None,
                    "message": (load[4] or "") if load else "",
                }
            )
        runs = [
            dict(
                zip(
                    ("run_id", "command", "started_at", "finished_at", "outcome", "message"),
                    map(str, row),
                    strict=True,
                )
            )
            for row in con.execute(
                "select run_id, command, started_at, finished_at, outcome, coalesce(message, '') "
                "from meta.runs order by started_at desc limit 5"
            ).fetchall()
        ]
        marts = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "order by 1"
        ).fetchall()
        extra = _extra_sections(con)
    snapshot = settings.snapshot_path
    return {
        "warehouse": str(settings.db),
        "exists": True,
        "sources": sources,
        "runs": runs,
        "marts": [m[0] for m in marts],
        "snapshot": str(snapshot) if snapshot.exists() else None,
        **extra,
    }


def _from_snapshot(settings: Settings, who: str) -> dict[str, object]:
    """What the published snapshot says while the warehouse is busy: its run and marts."""
    from outlook.publish.snapshot import open_snapshot

    out: dict[str, object] = {
        "warehouse": str(settings.db),
        "exists": True,
        "busy": f"being written by {who}",
        "snapshot": None,
    }
    if not settings.snapshot_path.exists():
        return out
    with open_snapshot(settings.snapshot_path) as con:
        run_id, published_at = con.execute(
            "select run_id, published_at from snapshot_info"
        ).fetchone()
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        rows = {n: con.execute(f"select count(*) from marts.{n}").fetchone()[0] for n in names}
    out.update(
        snapshot=str(settings.snapshot_path),
        snapshot_run=str(run_id),
        published_at=str(published_at),
        marts=names,
        mart_rows=rows,
    )
    return out


def _extra_sections(con) -> dict[str, object]:
    """Sections contributed by other modules (postings, quality) when their tables exist."""
    from outlook.cli.status_sections import SECTIONS

    out: dict[str, object] = {}
    for name, section in SECTIONS.items():
        value = section(con)
        if value:
            out[name] = value
    return out


def _print(status: dict[str, object]) -> None:
    from outlook.cli.output import console, labelled, table

    out = console()
    out.print(labelled("warehouse", status["warehouse"]), soft_wrap=True)
    if not status["exists"]:
        out.print("not created yet: run `outlook refresh` (or `make demo`)")
        return
    if "busy" in status:
        _print_busy(status)
        return
    sources: list[dict[str, object]] = status["sources"]  # type: ignore[assignment]
    out.print(
        table(
            "Sources",
            ("source", "releases", "rows", "last attempt", "last loaded"),
            (_source_row(s) for s in sources),
        )
    )
    # Why a source failed, under the table: one whole line each, however narrow the terminal.
    for s in sources:
        if s["last_outcome"] in _NOTEWORTHY:
            out.print(labelled(f"{s['source']} {s['last_outcome']}", s["message"]), soft_wrap=True)
    out.print(
        table(
            "Last runs",
            ("run", "command", "started", "outcome", "message"),
            (
                (r["run_id"][:20], r["command"], r["started_at"][:19], r["outcome"], r["message"])
                for r in status["runs"]  # type: ignore[union-attr]
            ),
        )
    )
    for name, value in status.items():
        if name in {"warehouse", "exists", "sources", "runs", "marts", "snapshot"}:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out.print(table(name, list(value[0]), (list(row.values()) for row in value)))
        else:
            out.print(labelled(name, value), soft_wrap=True)
    out.print(labelled("marts", ", ".join(status["marts"]) or "none built"))  # type: ignore[arg-type]
    out.print(labelled("published snapshot", status["snapshot"] or "none yet"), soft_wrap=True)


def _source_row(s: dict[str, object]) -> tuple[object, ...]:
    releases: list[str] = s["releases"]  # type: ignore[assignment]
    shown = ", ".join(releases[-3:]) + (" ..." if len(releases) > 3 else "")
    attempt = f"{s['last_outcome']} {str(s['last_attempt_at'] or '')[:19]}".strip()
    loaded = str(s["last_loaded_at"] or "")[:19]
    return s["source"], shown, f"{s['rows']:,}", attempt, loaded


def _print_busy(status: dict[str, object]) -> None:
    from outlook.cli.output import console, labelled, table

    out = console()
    if not status["snapshot"]:
        out.print(
            labelled("note", f"the warehouse is {status['busy']}; no published snapshot"),
            soft_wrap=True,
        )
        return
    out.print(
        labelled(
            "note",
            f"the warehouse is {status['busy']}; showing the published snapshot "
            f"(run {status['snapshot_run']}, published {str(status['published_at'])[:19]})",
        ),
        soft_wrap=True,  # one line, however narrow the terminal
    )
    rows: dict[str, int] = status["mart_rows"]  # type: ignore[assignment]
    out.print(table("Published marts", ("mart", "rows"), ((n, f"{r:,}") for n, r in rows.items())))
    out.print(labelled("published snapshot", status["snapshot"]), soft_wrap=True)


@command(
    "status",
    "Show what is loaded: sources, releases, row counts, last runs, snapshot.",
    lambda p: p.add_argument("--json", action="store_true", help="print JSON"),
)
def status_cmd(args: argparse.Namespace, settings: Settings) -> int:
    status = collect_status(settings)
    if args.json:
        print(json.dumps(status, default=str, indent=2))
    else:
        _print(status)
    return 0
