"""Figures for the editor's paragraph, each written down with where it came from.

The paragraph (``outlook_section.md``) reads as plain English; its trace
(``outlook_section.trace.md``) lists every figure it prints with the table, column and row
it was read from and the exact value before rounding. Both come from one render: the
template prints figures only through a ``Tracer``, which formats a value and records it in
the same call, so a figure cannot reach the text without reaching the trace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from outlook.publish import textfmt

ROLE_OUTLOOK = "marts.role_outlook"
# A row read from another mart names it under this key (``tag_rows``); untagged rows are
# marts.role_outlook's. Key columns name the row in the trace, in this order, when present.
TABLE_KEY = "_table"
ROW_KEYS = ("role", "industry_sector", "skill", "related_onet_soc_code")


@dataclass(frozen=True)
class Figure:
    text: str  # as printed in the paragraph
    value: str  # the stored value, exactly
    column: str  # schema.table.column, with its unit when not plain
    row: str  # which row: its key columns and values


def row_key(row: dict[str, Any]) -> str:
    return ", ".join(f'{key} "{row[key]}"' for key in ROW_KEYS if key in row)


def tag_rows(table: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` of ``table`` marked with it, so the tracer names their table."""
    return [{**row, TABLE_KEY: table} for row in rows]


def _exact(value: object) -> str:
    if value is None:
        return "NULL"
    iso = textfmt.iso(value)
    return str(iso if iso is not None else value)


@dataclass
class Tracer:
    """Formats mart values for a paragraph and records each one (``marts.role_outlook``
    unless the row is tagged with another table by ``tag_rows``)."""

    titles: dict[str, tuple[str, str]] = field(default_factory=dict)  # soc -> (title, column)
    figures: list[Figure] = field(default_factory=list)

    def _record(self, text: str, value: object, column: str, row: str) -> str:
        figure = Figure(text, _exact(value), column, row)
        if figure not in self.figures:
            self.figures.append(figure)
        return text

    def _column(
        self, row: dict[str, Any], column: str, fmt: Callable[[object], str], unit: str = ""
    ) -> str:
        table = row.get(TABLE_KEY, ROLE_OUTLOOK)
        where = f"{table}.{column}" + (f" ({unit})" if unit else "")
        return self._record(fmt(row[column]), row[column], where, row_key(row))

    # one method per way a figure is written; the template calls these, never textfmt
    def count(self, row: dict[str, Any], column: str) -> str:
        return self._column(row, column, textfmt.count)

    def about(self, row: dict[str, Any], column: str) -> str:
        return self._column(row, column, textfmt.count_rounded)

    def pct(self, row: dict[str, Any], column: str) -> str:
        return self._column(row, column, textfmt.pct)

    def share(self, row: dict[str, Any], column: str) -> str:
        """A share stored as a fraction, as a whole percent: 0.6835 -> '68%'."""
        return self._column(row, column, textfmt.share_pct, "fraction")

    def points(self, row: dict[str, Any], column: str) -> str:
        """The size of a change in percentage points, whole: '7 points' (the verb says which
        way)."""
        return self._column(row, column, textfmt.points, "percentage points")

    def number(self, row: dict[str, Any], column: str) -> str:
        """A small figure as a person writes it: 10.0 -> '10', 9.5 -> '9.5'."""
        return self._column(row, column, textfmt.plain)

    def money(self, row: dict[str, Any], column: str) -> str:
        return self._column(row, column, textfmt.money_rounded)

    def thousands(self, row: dict[str, Any], column: str) -> str:
        return self._column(row, column, textfmt.thousands, "thousands")

    def month(self, row: dict[str, Any], column: str) -> str:
        return self._column(row, column, textfmt.month_name)

    def period(self, row: dict[str, Any], column: str) -> str:
        return self._column(row, column, textfmt.period_words)

    def release(self, row: dict[str, Any], column: str) -> str:
        return self._column(row, column, textfmt.oews_release_words)

    def words(self, row: dict[str, Any], column: str) -> str:
        """A text column printed as it is (a label, the projection's wording)."""
        return self._column(row, column, lambda v: "" if v is None else str(v))

    def occupation(self, soc_code: str) -> str:
        """'Medical and Health Services Managers (11-9111)'; the code alone when no loaded
        table has its title."""
        title, column = self.titles.get(soc_code, ("", ""))
        text = f"{textfmt.md_text(title)} ({soc_code})" if title else soc_code
        return self._record(
            text, title or soc_code, column or "(no title loaded)", f'soc_code "{soc_code}"'
        )

    def occupations(self, soc_codes: object) -> list[str]:
        return [self.occupation(code) for code in soc_list(soc_codes)]


def soc_list(soc_codes: object) -> list[str]:
    """'11-1021, 11-3051' -> ['11-1021', '11-3051'] (the mart's list columns)."""
    return [c.strip() for c in str(soc_codes or "").split(",") if c.strip()]
