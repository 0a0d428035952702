"""Printing for the commands: data is never Rich markup, and never cut short.

Messages name files as ``archive [member]`` (``oesm24in4.zip [natsector_M2024_dl.xlsx]``);
Rich reads ``[...]`` as markup and drops it, so every value goes in as a ``Text``. Tables
fold long cells instead of cutting them, and error lines go to stderr as plain text, whole,
whatever the terminal width.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from outlook.config import Settings


def console() -> Console:
    from rich.console import Console

    # no highlighting: numbers and paths in messages stay as they were written
    return Console(highlight=False)


def text(value: object) -> Text:
    """A table cell or line that Rich prints literally (brackets included)."""
    from rich.text import Text

    return Text("" if value is None else str(value))


def table(title: str, columns: Iterable[str], rows: Iterable[Sequence[object]]) -> Table:
    from rich.table import Table

    out = Table(title=title)
    for column in columns:
        out.add_column(column, overflow="fold")
    for row in rows:
        out.add_row(*(text(cell) for cell in row))
    return out


def labelled(label: str, value: object) -> Text:
    """``label: value`` with the label bold and the value literal."""
    from rich.text import Text

    line = Text(f"{label}", style="bold")
    line.append(": ")
    line.append(text(value))
    return line


def error(message: str) -> None:
    """One plain ``error: ...`` line on stderr (no markup, no wrapping, no truncation)."""
    print(f"error: {message}", file=sys.stderr)


def print_outcomes(outcomes: Sequence[object], errors: Sequence[str]) -> None:
    """The per-source table of an ingest or refresh, then each error in full."""
    rows = [
        (o.source, o.status, o.release or "", f"{o.rows:,}", o.message)  # type: ignore[attr-defined]
        for o in outcomes
    ]
    console().print(table("Sources", ("source", "status", "release", "rows", "message"), rows))
    for message in errors:
        error(message)


def snapshot_note(settings: Settings) -> None:
    """Readers name the snapshot they read, on stderr (stdout stays the data): which file,
    run and warehouse. Raises ``SnapshotMismatch`` when --db names another warehouse."""
    from outlook.publish.guard import reader_line

    print(reader_line(settings), file=sys.stderr)


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | Decimal):  # DECIMAL columns too: JSON has no Decimal
        return round(float(value), 4)
    return value


def render_rows(rows: Sequence[Mapping[str, object]], columns: Sequence[str], fmt: str) -> str:
    """csv, json or md text of the rows (the same rows and columns, in order, in each)."""
    plain = [{c: _plain(row[c]) for c in columns} for row in rows]
    if fmt == "json":
        return json.dumps(plain, indent=2, ensure_ascii=False)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(plain)
        return out.getvalue().rstrip("\n")
    if fmt == "md":

        def cell(value: object) -> str:
            text = "" if value is None else str(value)
            return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(cell(r[c]) for c in columns) + " |" for r in plain]
        return "\n".join(lines)
    raise ValueError(f"unknown format {fmt!r}")
