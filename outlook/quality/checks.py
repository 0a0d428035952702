"""What a quality check is, and what running one produced.

The check classes are plain declarations (no Great Expectations import here): the GX runner
and the SQL runner each translate them, so the same suite can run on a pandas frame in GX or
as aggregates inside DuckDB when the table is too big to pull into pandas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

ERROR = "error"  # fails the gate
WARN = "warn"  # reported with count and examples, never fails the gate


@dataclass(frozen=True)
class Check:
    severity: str = field(default=ERROR, kw_only=True)

    @property
    def expectation(self) -> str:
        """The GX expectation type this check is (or mirrors, for SQL-only checks)."""
        raise NotImplementedError

    @property
    def columns(self) -> tuple[str, ...]:
        return ()

    def label(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class NotNull(Check):
    column: str

    expectation = "expect_column_values_to_not_be_null"

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def label(self) -> str:
        return f"{self.column} not null"


@dataclass(frozen=True)
class Unique(Check):
    key: tuple[str, ...]

    @property
    def expectation(self) -> str:  # type: ignore[override]
        if len(self.key) == 1:
            return "expect_column_values_to_be_unique"
        return "expect_compound_columns_to_be_unique"

    @property
    def columns(self) -> tuple[str, ...]:
        return self.key

    def label(self) -> str:
        return f"({', '.join(self.key)}) unique"


@dataclass(frozen=True)
class Matches(Check):
    column: str
    pattern: str  # anchored; RE2-compatible so DuckDB runs the same pattern
    what: str = ""

    expectation = "expect_column_values_to_match_regex"

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def label(self) -> str:
        return f"{self.column} is a {self.what or 'value'} matching {self.pattern}"


@dataclass(frozen=True)
class InSet(Check):
    column: str
    values: tuple[object, ...]

    expectation = "expect_column_values_to_be_in_set"

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def label(self) -> str:
        shown = ", ".join(map(str, self.values[:6])) + (" ..." if len(self.values) > 6 else "")
        return f"{self.column} in {{{shown}}}"


@dataclass(frozen=True)
class Between(Check):
    column: str
    low: float | None = None
    high: float | None = None

    expectation = "expect_column_values_to_be_between"

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def label(self) -> str:
        return f"{self.column} within [{self.low}, {self.high}]"


@dataclass(frozen=True)
class DateWithin(Check):
    """A date no earlier than ``earliest`` and no later than today + ``days_ahead``.

    The upper bound moves with the clock, so it is a run-time parameter, not a constant.
    """

    column: str
    earliest: date = date(1990, 1, 1)
    days_ahead: int = 366

    expectation = "expect_column_values_to_be_between"

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def label(self) -> str:
        return f"{self.column} between {self.earliest} and today+{self.days_ahead}d"


@dataclass(frozen=True)
class NotAbove(Check):
    """``low <= high`` on every row where both are present (NULLs say nothing)."""

    low: str
    high: str

    expectation = "expect_column_pair_values_a_to_be_greater_than_b"

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.low, self.high)

    def label(self) -> str:
        return f"{self.low} <= {self.high}"


@dataclass(frozen=True)
class RowCountBand(Check):
    """No drop of ``max_drop`` or more against the previous load of the same source."""

    max_drop: float = 0.9

    expectation = "expect_table_row_count_to_be_between"

    def label(self) -> str:
        return f"row count not down {self.max_drop:.0%} or more on the previous load"


@dataclass(frozen=True)
class References(Check):
    """Referential integrity by anti-join in DuckDB (needs both tables: SQL only)."""

    column: str
    ref_table: str
    ref_column: str
    where: str | None = None  # filter on the child rows that must resolve
    ref_where: str | None = None  # filter on the parent rows they may resolve to

    expectation = "expect_column_values_to_be_in_set"

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def label(self) -> str:
        target = f"{self.ref_table}.{self.ref_column}"
        if self.ref_where:
            target += f" where {self.ref_where}"
        scope = f" (rows where {self.where})" if self.where else ""
        return f"{self.column}{scope} found in {target}"


@dataclass(frozen=True)
class SqlAssert(Check):
    """A rule easier said in SQL: ``sql`` selects the offending rows of ``{table}``."""

    name: str
    sql: str
    uses: tuple[str, ...] = ()

    expectation = "unexpected_rows_expectation"

    @property
    def columns(self) -> tuple[str, ...]:
        return self.uses

    def label(self) -> str:
        return self.name


# --- helpers the registry is written with -----------------------------------------------


def key(*columns: str) -> list[Check]:
    """A key: every part present, the combination unique."""
    return [*(NotNull(c) for c in columns), Unique(tuple(columns))]


def non_decreasing(*columns: str, severity: str = ERROR) -> list[Check]:
    """Every pair in order, not just neighbours: with p25 NULL, p10 <= median still holds."""
    return [NotAbove(a, b, severity=severity) for a, b in combinations(columns, 2)]


def non_negative(*columns: str, severity: str = ERROR) -> list[Check]:
    return [Between(c, 0, None, severity=severity) for c in columns]


def shares(*columns: str, severity: str = ERROR) -> list[Check]:
    return [Between(c, 0, 1, severity=severity) for c in columns]


@dataclass(frozen=True)
class Finding:
    """What one check found on one table or batch."""

    check: str  # human label
    expectation: str  # GX expectation type
    severity: str
    success: bool
    unexpected: int = 0
    rows: int | None = None
    examples: tuple[object, ...] = ()
    note: str = ""

    def describe(self) -> str:
        text = f"{self.expectation} [{self.check}]"
        if self.note:
            return f"{text}: {self.note}"
        if self.success:
            return f"{text}: ok"
        count = f"{self.unexpected:,}" + (f" of {self.rows:,} rows" if self.rows else "")
        shown = "[" + ", ".join(_show(e) for e in self.examples) + "]"
        if len(shown) > 300:  # long free text (titles) must not swamp the message
            shown = shown[:297] + "..."
        examples = f", e.g. {shown}" if self.examples else ""
        return f"{text}: {count}{examples}"


def _show(value: object) -> str:
    """Examples as a reader writes them: dates in ISO form, pairs as (low, high)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_show(v)}" for k, v in value.items()) + "}"
    return repr(value)
