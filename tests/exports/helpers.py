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
