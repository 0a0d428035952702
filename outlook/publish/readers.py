"""Readers of the published marts that more than one output shares (exports, dashboard,
``outlook trends``): one role's outlook rows, and a role name as the catalogue spells it.
Role and industry are always bound parameters, never formatted into the SQL."""

from __future__ import annotations

import difflib

# One role's outlook rows, optionally one industry (code, group or title); both bound.
OUTLOOK_ROWS_SQL = """
select {columns}
from marts.role_outlook
where role = ?
    and (
        ? is null
        or lower(industry_sector) = lower(?)
        or lower(industry_group) = lower(?)
        or lower(sector_title) = lower(?)
    )
order by industry_sector = 'all' desc, industry_sector = 'unknown',
    postings_current_window desc nulls last, industry_sector
"""


def outlook_rows(con, role: str, industry: str | None, columns: str):
    """Execute ``OUTLOOK_ROWS_SQL`` for a resolved role name (values bound, never formatted)."""
    sql = OUTLOOK_ROWS_SQL.format(columns=columns)
    return con.execute(sql, [role, industry, industry, industry, industry])


class UnknownRole(LookupError):
    pass


def resolve_role(con, role: str) -> str:
    """The catalogue name of ``role`` (case-insensitive), or UnknownRole naming close ones."""
    names = [
        r[0]
        for r in con.execute("select distinct role from marts.role_outlook order by 1").fetchall()
    ]
    if not names:
        raise UnknownRole("the snapshot has no role outlooks: run `outlook refresh` first")
    exact = [n for n in names if n.lower() == role.strip().lower()]
    if exact:
        return exact[0]
    by_lower = {n.lower(): n for n in names}
    close = difflib.get_close_matches(role.strip().lower(), list(by_lower), n=5, cutoff=0.5)
    contains = [n for n in names if role.strip().lower() in n.lower()]
    suggestions = list(dict.fromkeys([by_lower[c] for c in close] + contains))[:5]
    hint = f"; did you mean: {', '.join(suggestions)}" if suggestions else ""
    raise UnknownRole(f"unknown role {role!r}{hint} (`outlook trends --list` lists all)")
