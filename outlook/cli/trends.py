"""``outlook trends``: the outlook for one role, by industry, from the published snapshot.

Reads ``marts.role_outlook`` in the snapshot (never the warehouse, which a refresh may be
writing), and says on stderr which snapshot that is. Role and industry are bound parameters; the role may differ in case from the
catalogue name, and an unknown role lists the closest names.
"""

from __future__ import annotations

import argparse
import sys

from outlook.cli.output import render_rows
from outlook.cli.registry import command
from outlook.config import Settings
from outlook.publish.readers import UnknownRole, outlook_rows, resolve_role

FORMATS = ("table", "csv", "json", "md")

# Columns every format gives, in order (the table shows a readable subset).
COLUMNS = [
    "role",
    "industry_sector",
    "sector_title",
    "industry_group",
    "label",
    "score",
    "postings_current_window",
    "postings_previous_window",
    "window_change_pct",
    "trend_annualised_pct",
    "trend_ci_low_annualised_pct",
    "trend_ci_high_annualised_pct",
    "oews_employment",
    "oews_median_annual_wage",
    "projected_growth_pct",
    "projected_annual_openings",
    "jolts_change_12m_pct",
    "indeed_category",
    "indeed_index_level",
    "indeed_change_12m_pct",
    "evidence_text",
    "evidence_json",
    "postings_as_of",
    "oews_release",
    "projections_period",
    "jolts_as_of",
    "indeed_as_of",
]


def fetch_rows(con, role: str, industry: str | None) -> list[dict[str, object]]:
    name = resolve_role(con, role)
    cursor = outlook_rows(con, name, industry, ", ".join(COLUMNS))
    return [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def _pct(value: object) -> str:
    return "" if value is None else f"{float(value):+.1f}%"  # type: ignore[arg-type]


def print_table(rows: list[dict[str, object]]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from outlook.publish import textfmt
    from outlook.publish.role_data import as_of_rows

    first = rows[0]
    as_of = first["postings_as_of"]
    # the month as the exports write it ("postings to October 2026"), not an ISO date
    through = textfmt.month_name(as_of) if as_of else "n/a: no posting data"
    table = Table(title=Text(f"{first['role']}: outlook by industry (postings to {through})"))
    for column in ("industry", "label", "postings", "change", "trend / yr"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(  # Text cells: a [bracketed] name is data, not Rich markup
            Text(f"{row['sector_title']} ({row['industry_sector']})"),
            Text(str(row["label"])),
            "" if row["postings_current_window"] is None else f"{row['postings_current_window']:,}",
            _pct(row["window_change_pct"]),
            _pct(row["trend_annualised_pct"]),
        )
    console = Console()
    console.print(table)
    # The evidence is prose: printed under the table so narrow terminals stay readable.
    console.print("[bold]evidence[/bold]")
    for row in rows:
        console.print(
            f"- [bold]{escape(str(row['sector_title']))}[/bold] ({escape(str(row['label']))}): "
            f"{escape(str(row['evidence_text'] or 'no evidence'))}",
            highlight=False,
        )
    # over every row shown: each row carries its own releases ('all' may have none)
    a = as_of_rows(rows)
    console.print(
        f"sources: OEWS {a['oews_release'] or 'none for these occupations'}, projections "
        f"{a['projections_period'] or 'none'}, JOLTS to {textfmt.month(a['jolts'])}, Indeed to "
        f"{textfmt.month(a['indeed'])} (Indeed Hiring Lab, CC BY 4.0)",
        highlight=False,
        markup=False,
    )


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", help='role name, e.g. "Performance Improvement Director"')
    parser.add_argument(
        "--industry",
        metavar="SECTOR_OR_GROUP",
        help="NAICS sector code ('62'), industry group ('healthcare'), sector title, or 'all'",
    )
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.add_argument("--list", action="store_true", help="list the roles with an outlook")


@command(
    "trends", "Demand trend and outlook label for a role, by industry, with evidence.", _configure
)
def trends_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from outlook.cli.output import snapshot_note
    from outlook.publish.snapshot import open_snapshot

    try:
        snapshot_note(settings)  # which snapshot, and that it is --db's when one is named
        con = open_snapshot(settings.snapshot_path)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with con:
        if args.list or not args.role:
            if not args.list:
                print("error: --role is required (or --list)", file=sys.stderr)
            for (name,) in con.execute(
                "select distinct role from marts.role_outlook order by 1"
            ).fetchall():
                print(name)
            return 0 if args.list else 2
        try:
            rows = fetch_rows(con, args.role, args.industry)
        except UnknownRole as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if not rows:
        print(
            f"error: no outlook for {args.role!r} in industry {args.industry!r}",
            file=sys.stderr,
        )
        return 1
    if args.format == "table":
        print_table(rows)
    else:
        print(render_rows(rows, COLUMNS, args.format))
    return 0
