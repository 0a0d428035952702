"""One role's published data, read from the snapshot, and what its pages say about it.

``load_role`` reads everything an export, the paragraph and the dashboard page of a role
are made from (outlook rows, monthly series, wages, posting sources) into a ``RoleData``;
the helpers here derive what more than one output prints from it: readable industry labels,
as-of lines summarised over every row shown, source lines, chart rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from outlook.publish import textfmt
from outlook.publish.figures import soc_list
from outlook.publish.section_data import SectionRows, load_sections

ATTRIBUTIONS = (
    "Indeed Hiring Lab, CC BY 4.0",
    "O*NET 29.3 Database by USDOL/ETA, CC BY 4.0",
    "U.S. Bureau of Labor Statistics (OEWS, Employment Projections, JOLTS), public domain",
)


MONTHLY_SQL = """
select month, industry_sector, unique_postings, unique_postings_3m_avg
from marts.role_industry_monthly
where role = ? and list_contains(?::varchar[], industry_sector)
order by month, industry_sector
"""


# Same reading of OEWS as the evidence query behind marts.role_outlook
# (sql/intermediate/int_role_outlook__evidence.sql): the row's release, sector-level estimates for a
# sector ('92' reads OEWS government '99'), cross-industry for 'all'/'unknown', and one row
# per code when BLS publishes it both as broad and detailed.
WAGES_SQL = """
select soc_code, occ_title, naics_code, naics_title, a_pct10, a_pct25, a_median, a_pct75,
    a_pct90, wage_markers, source
from marts.occupation_wages
where release = ?
    and list_contains(?::varchar[], soc_code)
    and case when ? = 'all' then naics_code = '000000'
        else i_group = 'sector' and naics_sector = ? end
qualify row_number() over (
    partition by soc_code, naics_code order by o_group = 'detailed' desc, o_group
) = 1
order by soc_code
"""


# A title for each SOC code: the SOC 2018 title, else the projections' or OEWS's own (the
# demo and older releases hold codes the loaded SOC structure may not), with the column it
# came from so the paragraph's trace can name it.
TITLES_SQL = """
with codes as (select distinct unnest(?::varchar[]) as soc_code),
projections as (
    select soc_code, max_by(title, projection_period) as title
    from marts.occupation_projections group by soc_code
),
wages as (
    select soc_code, max_by(occ_title, release_year) as title
    from marts.occupation_wages group by soc_code
)
select
    codes.soc_code,
    coalesce(dim_occupation.soc_title, projections.title, wages.title) as title,
    case
        when dim_occupation.soc_title is not null then 'marts.dim_occupation.soc_title'
        when projections.title is not null then 'marts.occupation_projections.title'
        when wages.title is not null then 'marts.occupation_wages.occ_title'
    end as title_column
from codes
left join marts.dim_occupation on dim_occupation.soc_code = codes.soc_code
left join projections on projections.soc_code = codes.soc_code
left join wages on wages.soc_code = codes.soc_code
"""


POSTING_SOURCES_SQL = "select distinct source from marts.role_postings where role = ? order by 1"


@dataclass(frozen=True)
class RoleData:
    """What the exports of one role are made from (all read from the snapshot)."""

    role: str
    slug: str
    industry: str | None
    outlook: list[dict[str, Any]]
    monthly: list[dict[str, Any]]
    wages: list[dict[str, Any]]
    posting_sources: list[str]
    # SOC code -> (title, the table.column it was read from)
    occupation_titles: dict[str, tuple[str, str]] = field(default_factory=dict)
    # rows of marts.role_requirements, role_skills and role_career_paths (section_data.py)
    sections: SectionRows = field(default_factory=SectionRows)

    def occupation(self, soc_code: str) -> str:
        """'Chief Executives (11-1011)', or the code alone when no table has a title."""
        title = self.occupation_titles.get(soc_code, ("", ""))[0]
        return f"{title} ({soc_code})" if title else soc_code

    @property
    def overall(self) -> dict[str, Any] | None:
        return next((r for r in self.outlook if r["industry_sector"] == "all"), None)

    @property
    def first(self) -> dict[str, Any]:
        return self.overall or self.outlook[0]

    @property
    def folder_slug(self) -> str:
        if self.industry is None:
            return self.slug
        return f"{self.slug}--{textfmt.slugify(self.industry)}"


def _rows(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def catalogue_roles(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every role with an outlook (each catalogue role has at least its 'all' row)."""
    return [
        r[0]
        for r in con.execute("select distinct role from marts.role_outlook order by 1").fetchall()
    ]


def role_slug(role: str, catalogue_slug: object) -> str:
    """The catalogue slug when it is already path-safe, else a slug of the name."""
    if isinstance(catalogue_slug, str) and catalogue_slug:
        return textfmt.slugify(catalogue_slug)
    return textfmt.slugify(role)


def _official_sector(industry_sector: str) -> str:
    if industry_sector in ("all", "unknown"):
        return "all"
    return "99" if industry_sector == "92" else industry_sector


def load_role(con: duckdb.DuckDBPyConnection, role: str, industry: str | None = None) -> RoleData:
    """Read one role (catalogue name, any case) from the snapshot; LookupError when unknown."""
    from outlook.publish.readers import outlook_rows, resolve_role

    name = resolve_role(con, role)
    outlook = _rows(outlook_rows(con, name, industry, "*"))
    if not outlook:
        raise LookupError(f"no outlook for {name!r} in industry {industry!r}")
    sectors = [r["industry_sector"] for r in outlook]
    monthly = _rows(con.execute(MONTHLY_SQL, [name, sectors]))
    wages: list[dict[str, Any]] = []
    for row in outlook:
        if row["industry_sector"] == "unknown" or not row["oews_release"]:
            continue  # 'unknown' reads the same cross-industry figures as 'all'
        official = _official_sector(row["industry_sector"])
        for wage in _rows(
            con.execute(
                WAGES_SQL,
                [row["oews_release"], soc_list(row["soc_codes"]), official, official],
            )
        ):
            wages.append(
                {
                    "industry_sector": row["industry_sector"],
                    "sector_title": row["sector_title"],
                    "release": row["oews_release"],
                    **wage,
                }
            )
    sources = [r[0] for r in con.execute(POSTING_SOURCES_SQL, [name]).fetchall()]
    codes = sorted({c for row in outlook for c in soc_list(row["soc_codes"])})
    titles = {
        code: (title, column)
        for code, title, column in con.execute(TITLES_SQL, [codes]).fetchall()
        if title
    }
    return RoleData(
        role=name,
        slug=role_slug(name, outlook[0].get("role_slug")),
        industry=industry,
        outlook=outlook,
        monthly=monthly,
        wages=wages,
        posting_sources=sources,
        occupation_titles=titles,
        sections=load_sections(con, name, sectors),
    )


def industry_labels(data: RoleData) -> dict[str, str]:
    """industry_sector -> a unique readable label (titles are unique; codes break ties)."""
    labels: dict[str, str] = {}
    seen: set[str] = set()
    for row in data.outlook:
        label = str(row["sector_title"] or row["industry_sector"])
        if label in seen:
            label = f"{label} ({row['industry_sector']})"
        seen.add(label)
        labels[row["industry_sector"]] = label
    return labels


def _distinct(rows: Sequence[dict[str, Any]], key: str) -> list[Any]:
    return sorted({r[key] for r in rows if r.get(key) is not None}, key=str)


def as_of(data: RoleData) -> dict[str, object]:
    return as_of_rows(data.outlook)


def as_of_rows(rows: Sequence[dict[str, Any]]) -> dict[str, object]:
    """What a page's rows rest on, summarised over every row shown (each row carries its
    own releases and periods; 'all industries' may have none where a sector has some).
    Releases that differ between rows are listed together; dates give the latest."""

    def listed(key: str) -> str | None:
        return ", ".join(str(v) for v in _distinct(rows, key)) or None

    def latest(key: str) -> str | None:
        values = _distinct(rows, key)
        return textfmt.iso(max(values)) if values else None

    return {
        "postings": latest("postings_as_of"),
        "current_window_start": latest("current_window_start"),
        "current_window_end": latest("current_window_end"),
        "oews_release": listed("oews_release"),
        "projections_period": listed("projections_period"),
        "jolts": latest("jolts_as_of"),
        "indeed": latest("indeed_as_of"),
    }


def oews_words(a: dict[str, object]) -> str:
    if a["oews_release"]:
        return f"BLS OEWS {textfmt.oews_releases_words(a['oews_release'])}"
    return "none published for these occupations and industries in the loaded OEWS releases"


def source_lines(data: RoleData) -> list[str]:
    """Each source with its period, in words: these lines are pasted under tables."""
    a = as_of(data)
    # "generic" is the profile for files already in canonical columns: no publisher to name
    posting_sources = ", ".join(s for s in data.posting_sources if s != "generic")
    return [
        "job postings gathered by the outlook pipeline"
        + (f" ({posting_sources})" if posting_sources else "")
        + (f", to {textfmt.month_name(a['postings'])}" if a["postings"] else ": none loaded"),
        (
            "BLS Occupational Employment and Wage Statistics, "
            f"{textfmt.oews_releases_words(a['oews_release'])}"
            if a["oews_release"]
            else "BLS Occupational Employment and Wage Statistics: no figures for these "
            "occupations in the loaded releases"
        ),
        f"BLS Employment Projections {textfmt.period_words(a['projections_period'])}",
        f"BLS JOLTS, to {textfmt.month_name(a['jolts'])}",
        f"Indeed Hiring Lab job postings index, to {textfmt.month_name(a['indeed'])} (CC BY 4.0)",
        "O*NET 29.3 Database by USDOL/ETA (CC BY 4.0), for title classification",
    ]


def trend_rows(data: RoleData, months: int = 24) -> list[dict[str, Any]]:
    """Chart data: the last ``months`` months, industries only (not the 'all' total, which
    would flatten them) unless the role has no sector rows; 'unknown' is left out."""
    labels = industry_labels(data)
    sectors = [s for s in labels if s not in ("all", "unknown")] or [
        s for s in labels if s == "all"
    ]
    rows = [r for r in data.monthly if r["industry_sector"] in sectors]
    kept = sorted({r["month"] for r in rows})[-months:]
    return [
        {
            "month": textfmt.iso(r["month"]),
            "industry": labels[r["industry_sector"]],
            "unique_postings": r["unique_postings"],
            "avg_3m": None
            if r["unique_postings_3m_avg"] is None
            else round(float(r["unique_postings_3m_avg"]), 1),
        }
        for r in rows
        if r["month"] in kept
    ]


def wage_rows(data: RoleData) -> list[dict[str, Any]]:
    """Chart data: one row per (occupation, industry) with a median, occupations by title."""
    labels = industry_labels(data)
    return [
        {
            "occupation": data.occupation(w["soc_code"]),
            "industry": labels[w["industry_sector"]],
            **{k: w[k] for k in ("a_pct10", "a_pct25", "a_median", "a_pct75", "a_pct90")},
        }
        for w in sorted(data.wages, key=lambda w: w["soc_code"])
        if w["a_median"] is not None
    ]


def chart_periods(data: RoleData) -> dict[str, str]:
    """Each chart's period in words ('November 2024 to October 2026', 'May 2024')."""
    trend = trend_rows(data)
    months = sorted({r["month"] for r in trend})
    span = (
        f"{textfmt.month_name(months[0])} to {textfmt.month_name(months[-1])}"
        if months
        else "no posting data"
    )
    releases = _distinct(data.wages, "release")
    wages = (
        ", ".join(textfmt.oews_release_words(r) for r in releases)
        if releases
        else "no OEWS figures for these occupations"
    )
    return {"trend": span, "wages": wages}


# What each chart's source line says: in words, no table or loader names (the trace and
# the data dictionary name those), since charts are pasted without the page around them.
TREND_SOURCE = "job postings gathered by the outlook pipeline"
WAGES_SOURCE = (
    "U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics (public domain)"
)


MD_COLUMNS = (
    "Industry",
    "Outlook",
    "Postings (current window)",
    "Change vs previous window",
    "Trend per year (confidence interval)",
    "Median annual wage (OEWS)",
    "Projected employment change (BLS)",
    "Projected annual openings (thousands)",
    "Postings as of",
)


def md_table_rows(data: RoleData) -> list[list[str]]:
    """The Markdown table's cells; also used by the dashboard so both say the same."""
    labels = industry_labels(data)
    rows = []
    for r in data.outlook:
        trend = textfmt.pct(r["trend_annualised_pct"])
        if r["trend_ci_low_annualised_pct"] is not None:
            trend += (
                f" ({textfmt.pct(r['trend_ci_low_annualised_pct'])} to "
                f"{textfmt.pct(r['trend_ci_high_annualised_pct'])})"
            )
        rows.append(
            [
                labels[r["industry_sector"]],
                str(r["label"]),
                textfmt.count(r["postings_current_window"]),
                textfmt.pct(r["window_change_pct"]),
                trend,
                textfmt.money(r["oews_median_annual_wage"]),
                textfmt.pct(r["projected_growth_pct"]),
                textfmt.decimal(r["projected_annual_openings"]),
                textfmt.month(r["postings_as_of"]),
            ]
        )
    return rows
