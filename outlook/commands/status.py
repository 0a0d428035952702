"""``outlook status``: what is loaded (sources, releases, rows), the last runs, the snapshot."""

from __future__ import annotations

import argparse
import json

from outlook.cli import command
from outlook.config import Settings

STATUS_SQL = """
with latest as (
    select
        source,
        outcome,
        release,
        finished_at,
        message,
        row_number() over (partition by source order by finished_at desc) as rn
    from meta.loads
),
good as (
    select source, max(finished_at) as last_loaded_at
    from meta.loads where outcome = 'loaded' group by source
)
select
    latest.source,
    latest.outcome as last_outcome,
    latest.finished_at as last_attempt_at,
    good.last_loaded_at,
    latest.message
from latest left join good using (source)
where rn = 1
order by source
"""


def collect_status(settings: Settings) -> dict[str, object]:
    """Everything ``status`` shows, as plain data (also printed as JSON with --json)."""
    from outlook.sources import ALL_SOURCES
    from outlook.warehouse import connect, table_exists

    if not settings.db.exists():
        return {"warehouse": str(settings.db), "exists": False}
    with connect(settings.db, read_only=True) as con:
        loads = {row[0]: row for row in con.execute(STATUS_SQL).fetchall()}
        sources = []
        for source in ALL_SOURCES:
            rows, releases = 0, []
            if table_exists(con, source.table):
                rows = con.execute(f"select count(*) from {source.table}").fetchone()[0]
                releases = [
                    r[0]
                    for r in con.execute(
                        f"select distinct _release from {source.table} order by 1"
                    ).fetchall()
                ]
            load = loads.get(source.name)
            sources.append(
                {
                    "source": source.name,
                    "table": source.table,
                    "releases": releases,
                    "rows": rows,
                    "last_outcome": load[1] if load else "never loaded",
                    "last_loaded_at": str(load[3]) if load and load[3] else None,
                    "message": load[4] if load else "",
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


def _extra_sections(con) -> dict[str, object]:
    """Sections contributed by other modules (postings, quality) when their tables exist."""
    from outlook.status_sections import SECTIONS

    out: dict[str, object] = {}
    for name, section in SECTIONS.items():
        value = section(con)
        if value:
            out[name] = value
    return out


def _print(status: dict[str, object]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]warehouse[/bold]: {status['warehouse']}")
    if not status["exists"]:
        console.print("not created yet: run `outlook refresh` (or `make demo`)")
        return
    table = Table(title="Sources")
    for column in ("source", "releases", "rows", "last outcome", "last loaded"):
        table.add_column(column, overflow="fold")
    for s in status["sources"]:  # type: ignore[union-attr]
        releases = s["releases"]
        shown = ", ".join(releases[-3:]) + (" ..." if len(releases) > 3 else "")
        table.add_row(
            s["source"], shown, f"{s['rows']:,}", s["last_outcome"], s["last_loaded_at"] or ""
        )
    console.print(table)
    runs = Table(title="Last runs")
    for column in ("run", "command", "started", "outcome", "message"):
        runs.add_column(column, overflow="fold")
    for r in status["runs"]:  # type: ignore[union-attr]
        runs.add_row(
            r["run_id"][:12], r["command"], r["started_at"][:19], r["outcome"], r["message"][:100]
        )
    console.print(runs)
    for name, value in status.items():
        if name in {"warehouse", "exists", "sources", "runs", "marts", "snapshot"}:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            section = Table(title=name)
            for column in value[0]:
                section.add_column(str(column), overflow="fold")
            for row in value:
                section.add_row(*("" if v is None else str(v) for v in row.values()))
            console.print(section)
        else:
            console.print(f"[bold]{name}[/bold]: {value}")
    console.print(f"[bold]marts[/bold]: {', '.join(status['marts']) or 'none built'}")  # type: ignore[arg-type]
    console.print(f"[bold]published snapshot[/bold]: {status['snapshot'] or 'none yet'}")


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
