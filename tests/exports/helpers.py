"""Shared by tests/exports and tests/dashboard: one publish of the demo snapshot's exports
and dashboard per session (rendering every role's charts is the slow part), and a checker
that every number printed in a text comes from a marts.role_outlook row."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from outlook.config import Settings

PID = "Performance Improvement Director"
PID_SLUG = "performance-improvement-director"


@cache
def published(settings: Settings) -> Path:
    """``<tmp>/outputs`` holding ``exports/`` and ``dashboard/`` as a publish writes them."""
    from outlook.publish.dashboard import publish_outputs

    root = settings.publish_dir.parent / "outputs"
    publish_outputs(settings.snapshot_path, root, log=lambda message: None)
    return root


def outlook_rows(con: duckdb.DuckDBPyConnection, role: str) -> list[dict[str, Any]]:
    cursor = con.execute("select * from marts.role_outlook where role = ?", [role])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


# Attribution names carry version numbers that are not data.
ATTRIBUTION = re.compile(r"CC BY 4\.0|O\*NET 29\.3")
# Identifiers printed as text: months and projection periods (2026-10, 2024-34), SOC codes
# (11-9111), OEWS releases (M2024), sector codes in footnotes (industry_sector "62").
STRUCTURED = re.compile(r'\b\d{4}-\d{2}\b|\b\d{2}-\d{4}\b|\bM\d{4}\b|industry_sector "([^"]+)"')
NUMBER = re.compile(r"(?<![\w.])([-+]?)\$?(\d[\d,]*(?:\.\d+)?)(%?)")


def allowed_strings(rows: list[dict[str, Any]]) -> set[str]:
    allowed: set[str] = set()
    for row in rows:
        for value in row.values():
            if isinstance(value, date):
                allowed.add(value.strftime("%Y-%m"))
        allowed.update(c.strip() for c in str(row["soc_codes"] or "").split(","))
        allowed.update(
            str(row[k]) for k in ("projections_period", "oews_release", "industry_sector") if row[k]
        )
    return allowed


def numbers(text: str) -> list[tuple[float, int, str]]:
    """(value, decimals shown, token) of every number left once identifiers are removed."""
    found = []
    for match in NUMBER.finditer(text):
        sign, digits, _ = match.groups()
        value = float(digits.replace(",", ""))
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        found.append((-value if sign == "-" else value, decimals, match.group(0)))
    return found


def strip_identifiers(text: str, allowed: set[str]) -> tuple[str, list[str]]:
    """Text without identifiers, and the identifiers that are not in ``allowed``."""
    unknown = []

    def check(match: re.Match[str]) -> str:
        token = match.group(1) if match.group(1) is not None else match.group(0)
        if token not in allowed:
            unknown.append(token)
        return " "

    return STRUCTURED.sub(check, ATTRIBUTION.sub(" ", text)), unknown


def numeric_values(rows: list[dict[str, Any]]) -> list[float]:
    return [
        float(v)
        for row in rows
        for v in row.values()
        if isinstance(v, int | float) and not isinstance(v, bool) and v == v
    ]


def matches(value: float, decimals: int, candidates: list[float]) -> bool:
    tolerance = 0.5 * 10**-decimals + 1e-9
    return any(abs(value - c) <= tolerance for c in candidates)


def unexplained_numbers(text: str, rows: list[dict[str, Any]]) -> list[str]:
    """Every number or identifier in ``text`` that no marts.role_outlook row of the role
    explains (at the precision it is printed with)."""
    stripped, unknown = strip_identifiers(text, allowed_strings(rows))
    candidates = numeric_values(rows)
    return unknown + [
        token
        for value, decimals, token in numbers(stripped)
        if not matches(value, decimals, candidates)
    ]


# -- the paragraph's trace (outlook_section.trace.md) -------------------------------------

TRACE_ROW = re.compile(r"^\| (.*?) \| (.*?) \| `([^`]+)` \| (.*) \|$")
TOKEN = re.compile(r"\d[\d,.]*")
KEY = re.compile(r'role "(.*)", industry\\?_sector "([^"]*)"')


def trace_figures(trace: str) -> list[tuple[str, str, str, str]]:
    """(text as printed, stored value, table.column, row) of each row of the trace table."""
    rows = [TRACE_ROW.match(line) for line in trace.splitlines()]
    return [m.groups() for m in rows if m and m.group(1) != "In the text"]  # type: ignore[misc]


def _tokens(text: str) -> list[str]:
    return [t.rstrip(".,") for t in TOKEN.findall(text)]


def untraced_numbers(section: str, trace: str, role: str) -> list[str]:
    """Numbers printed in the paragraph (and its footnotes) that no figure of the trace
    printed: every number must reach the text through the tracer."""
    text = ATTRIBUTION.sub(" ", section.replace(role, " "))
    traced = {t for figure in trace_figures(trace) for t in _tokens(figure[0])}
    return [t for t in _tokens(text) if t not in traced]


def trace_mismatches(trace: str, con: duckdb.DuckDBPyConnection) -> list[str]:
    """Trace rows whose stored value is not the snapshot's, or whose printed figure is not
    that value rounded (to the precision printed; '(thousands)' columns written out)."""
    from outlook.publish import textfmt

    wrong = []
    for text, stored, column, row in trace_figures(trace):
        table, _, name = column.partition(" ")[0].rpartition(".")
        if row.startswith("soc\\_code") or row.startswith("soc_code"):  # an occupation title
            code = row.split('"')[1]
            if column == "(no title loaded)":
                ok = text == stored == code
            else:
                found = con.execute(
                    f"select count(*) from {table} where soc_code = ? and {name} = ?",
                    [code, stored],
                ).fetchone()
                ok = found is not None and found[0] > 0 and text == f"{stored} ({code})"
            if not ok:
                wrong.append(text)
            continue
        if table != "marts.role_outlook":
            wrong.append(f"{text}: unexpected table {table}")
            continue
        key = KEY.search(row)
        assert key is not None, row
        cursor = con.execute(
            f"select {name} from marts.role_outlook where role = ? and industry_sector = ?",
            [key.group(1).replace("\\", ""), key.group(2)],
        )
        value = cursor.fetchone()[0]  # type: ignore[index]
        if isinstance(value, date):
            ok = stored == value.isoformat() and text == textfmt.month_name(value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            scale = 1000 if "(thousands)" in column else 1
            ok = float(stored) == value and all(
                _rounds_to(value * scale, token) for token in _tokens(text)
            )
        else:
            ok = stored == str(value)
        if not ok:
            wrong.append(f"{text} ({column}: {value!r})")
    return wrong


def _rounds_to(value: float, token: str) -> bool:
    """``token`` ('107,000', '5.2') is ``value`` rounded to the precision it shows."""
    digits = token.replace(",", "")
    if "." in digits:
        tolerance = 0.5 * 10 ** -len(digits.split(".")[1])
    else:
        tolerance = 0.5 * 10 ** (len(digits) - len(digits.rstrip("0")))
    return abs(abs(value) - float(digits)) <= tolerance + 1e-9
