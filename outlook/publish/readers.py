"""Readers of the published marts that more than one output shares (exports, dashboard,
``outlook trends``): one role's outlook rows, and a role name as the catalogue spells it.
Role and industry are always bound parameters, never formatted into the SQL."""

from __future__ import annotations

import difflib

# One role's rows of a role x industry mart, optionally one industry (code, group or title);
# role and industry bound. {order} continues the industry order (all first, unknown last).
ROLE_ROWS_SQL = """
select {columns}
from {table}
where role = ?
    and (
        ? is null
        or lower(industry_sector) = lower(?)
        or lower(industry_group) = lower(?)
        or lower(sector_title) = lower(?)
    )
order by industry_sector = 'all' desc, industry_sector = 'unknown', {order}
"""

# The marts ``role_rows`` reads, and how each orders rows within the industry order.
ROLE_TABLE_ORDER = {
    "marts.role_outlook": "postings_current_window desc nulls last, industry_sector",
    "marts.role_requirements": "postings_current_window desc nulls last, industry_sector",
    "marts.role_skills": (
        "postings_current_window desc nulls last, industry_sector, postings_mentioning desc, skill"
    ),
}


def role_rows(con, table: str, role: str, industry: str | None, columns: str):
    """One resolved role's rows of ``table`` (a key of ROLE_TABLE_ORDER), all industries or
    one; values bound, never formatted."""
    sql = ROLE_ROWS_SQL.format(columns=columns, table=table, order=ROLE_TABLE_ORDER[table])
    return con.execute(sql, [role, industry, industry, industry, industry])


def outlook_rows(con, role: str, industry: str | None, columns: str):
    """``marts.role_outlook`` rows of a resolved role name (see ``role_rows``)."""
    return role_rows(con, "marts.role_outlook", role, industry, columns)


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
