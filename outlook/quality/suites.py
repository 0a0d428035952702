"""The suites: which checks each loaded batch, staging table and mart must pass.

Tables are the ones in ``docs/contracts.md`` plus ``staging.stg_indeed__*`` and
``staging.stg_bls__soc_direct_match_titles``. A suite for a table that is not built yet is
skipped and reported as 'not built'. Staging and mart tables without a suite of their own
get the convention suite (``CONVENTIONS``: a column named ``soc_code`` holds SOC codes
wherever it appears), so new models are checked from day one.

Severity: ``error`` fails the gate; ``warn`` is reported with count and examples. Cross-table
references are warnings where the upstream data is known to disagree with the dimension:
OEWS 2024 publishes 12 'detailed' codes that are SOC broad groups or BLS aggregates
(13-1020, 21-1018, 25-2052, ...), so a hard error would block every real build.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from datetime import date

from outlook.quality.checks import (
    WARN,
    Between,
    Check,
    DateWithin,
    InSet,
    Matches,
    NotAbove,
    NotNull,
    References,
    RowCountBand,
    SqlAssert,
    Unique,
    key,
    non_decreasing,
    non_negative,
    shares,
)
from transforms.postings_profile import DATE_PRECISIONS

SOC = r"^\d{2}-\d{4}$"
ONET_SOC = r"^\d{2}-\d{4}\.\d{2}$"
# NAICS 2-6 digits or a sector range; OEWS's '99' government and '000000' cross-industry
# are digit strings too.
NAICS = r"^(?:\d{2,6}|31-33|44-45|48-49)$"
SECTORS = (
    "11", "21", "22", "23", "31-33", "42", "44-45", "48-49", "51", "52", "53", "54", "55",
    "56", "61", "62", "71", "72", "81", "92", "99",
)  # fmt: skip
COUNTRY = r"^[A-Z]{2}$"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DEFAULT_MAX_DROP = 0.9
OUTLOOK_LABELS = (
    "strong growth", "growing", "stable", "softening", "declining", "insufficient data",
)  # fmt: skip
# which postings the requirement marts read (intermediate.int_role_postings__evidence_basis)
EVIDENCE_BASES = ("current window", "all dates")
# Indeed's trackers start in 2019-2020 and are never dated ahead of the publication day.
INDEED_START = date(2019, 1, 1)


@dataclass(frozen=True)
class TableSuite:
    table: str
    checks: tuple[Check, ...]
    # 'auto': GX on a pandas frame up to the row limit, SQL above it; 'sql': always SQL.
    engine: str = "auto"
    why: str = ""


@dataclass(frozen=True)
class BatchSuite:
    """Checks on a parsed file before it is merged (columns as the parser returns them)."""

    name: str
    checks: tuple[Check, ...]
    max_drop: float = DEFAULT_MAX_DROP
    patterns: tuple[str, ...] = field(default_factory=tuple)


def _suite(table: str, *groups: list[Check] | Check, **kw: str) -> TableSuite:
    checks: list[Check] = []
    for group in groups:
        checks.extend(group if isinstance(group, list) else [group])
    return TableSuite(table, tuple(checks), **kw)


def _batch(name: str, *groups: list[Check] | Check, patterns: tuple[str, ...] = ()) -> BatchSuite:
    checks: list[Check] = []
    for group in groups:
        checks.extend(group if isinstance(group, list) else [group])
    return BatchSuite(name, tuple(checks), patterns=patterns or (name,))


_WAGE_PCTS = ("pct10", "pct25", "median", "pct75", "pct90")

# --- batches: one per file source (and the patterns future loaders' names will match) ---

BATCH_SUITES: tuple[BatchSuite, ...] = (
    _batch(
        "indeed_us_aggregate",
        key("date", "country", "variable"),
        Matches("country", r"^[A-Za-z]{2}$", "country code"),
        InSet("variable", ("total postings", "new postings")),
        DateWithin("date", INDEED_START, 31),
        non_negative("index_sa", "index_nsa"),
    ),
    _batch(
        "indeed_us_category",
        key("date", "country", "category", "variable"),
        Matches("country", r"^[A-Za-z]{2}$", "country code"),
        InSet("variable", ("total postings", "new postings")),
        DateWithin("date", INDEED_START, 31),
        non_negative("index_sa"),
    ),
    _batch(
        "indeed_us_state",
        key("date", "state"),
        Matches("state", r"^[A-Za-z]{2}$", "state code"),
        DateWithin("date", INDEED_START, 31),
        non_negative("index_sa"),
    ),
    _batch(
        "indeed_wage_category",
        key("country", "category", "month"),
        Matches("country", r"^[A-Za-z]{2}$", "country code"),
        DateWithin("month", INDEED_START, 31),
        non_negative("n_obs"),
        Between("wage_growth_yoy", -100, 100),
        Between("wage_growth_yoy_3mo", -100, 100),
    ),
    # Official sources: the lead's loaders; columns as transforms/*.py return them.
    _batch(
        "oews",
        # o_group is in the key: BLS publishes some codes as broad and detailed rows
        key("release", "soc_code", "o_group", "naics_code"),
        Matches("soc_code", SOC, "SOC code"),
        Matches("naics_code", NAICS, "NAICS code"),
        Matches("release", r"^M\d{4}$", "OEWS release"),
        non_negative("tot_emp", "h_mean", "a_mean"),
        Between("pct_total", 0, 100),
        non_decreasing(*(f"h_{p}" for p in _WAGE_PCTS)),
        non_decreasing(*(f"a_{p}" for p in _WAGE_PCTS)),
        patterns=("oews_m*", "oews*"),
    ),
    _batch(
        "projections",
        key("projection_period", "soc_code"),
        Matches("soc_code", SOC, "SOC code"),
        Matches("projection_period", r"^\d{4}-\d{2}$", "projection period"),
        NotAbove("base_year", "projected_year"),
        non_negative("employment_base", "employment_projected", "annual_openings"),
        patterns=("ep_occupations", "*projection*", "ep_*"),
    ),
    _batch(
        "soc_onet_crosswalk",
        key("onet_soc_code"),
        Matches("onet_soc_code", ONET_SOC, "O*NET-SOC code"),
        Matches("soc_code", SOC, "SOC code"),
        patterns=("*onet*crosswalk*", "*crosswalk*"),
    ),
    _batch(
        "soc_direct_match_titles",
        key("soc_code", "direct_match_title"),
        NotNull("soc_title"),
        Matches("soc_code", SOC, "SOC code"),
        patterns=("*direct_match*",),
    ),
    _batch(
        "soc",
        key("soc_code"),
        Matches("soc_code", SOC, "SOC code"),
        InSet("level", ("major", "minor", "broad", "detailed")),
        patterns=("soc_structure", "soc_definitions", "soc_*"),
    ),
    _batch(
        "onet_occupations",
        key("onet_soc_code"),
        Matches("onet_soc_code", ONET_SOC, "O*NET-SOC code"),
    ),
    _batch(
        "onet",
        NotNull("onet_soc_code"),
        Matches("onet_soc_code", ONET_SOC, "O*NET-SOC code"),
        Matches("related_onet_soc_code", ONET_SOC, "O*NET-SOC code"),
        patterns=("onet*",),
    ),
    _batch(
        "naics",
        key("naics_code"),
        Matches("naics_code", NAICS, "NAICS code"),
        Between("level", 2, 6),
        patterns=("naics_codes", "naics*"),
    ),
    _batch(
        "jolts",
        key("series_id", "month"),
        Matches("industry_code", r"^\d{6}$", "JOLTS industry code"),
        DateWithin("month", date(2000, 12, 1), 31),
        non_negative("value"),
        patterns=("jolts*",),
    ),
    # Postings: canonical reader columns or the enriched fct_postings frame; checks whose
    # columns are absent are skipped (the reader's schema check owns column presence).
    _batch(
        "postings",
        key("file_sha256", "row_number"),
        NotNull("source"),
        DateWithin("posted_date", date(1990, 1, 1), 366),
        InSet("posted_date_precision", DATE_PRECISIONS),
        DateWithin("close_date", date(1990, 1, 1), 3 * 366, severity=WARN),
        NotAbove("salary_min_raw", "salary_max_raw"),
        NotAbove("salary_min", "salary_max"),
        NotAbove("annual_salary_min", "annual_salary_max"),
        non_negative("annual_salary_min", "annual_salary_max"),
        Matches("soc_code", SOC, "SOC code"),
        Matches("onet_soc_code", ONET_SOC, "O*NET-SOC code"),
        Matches("naics_code", NAICS, "NAICS code"),
        shares("classification_confidence", "industry_confidence"),
        patterns=("postings*", "*postings*", "usajobs*", "h1b*", "vendor*"),
    ),
)

# Every batch also gets the row-count band, whatever its source.
ROW_COUNT = RowCountBand(max_drop=DEFAULT_MAX_DROP)


def batch_suite(source_name: str) -> BatchSuite:
    """The suite for a source: exact name first, then the first matching pattern."""
    for suite in BATCH_SUITES:
        if suite.name == source_name:
            return suite
    for suite in BATCH_SUITES:
        if any(fnmatch.fnmatch(source_name, p) for p in suite.patterns):
            return suite
    return BatchSuite(source_name, ())


# --- staging and marts ------------------------------------------------------------------

_ONE_CANONICAL = SqlAssert(
    "exactly one canonical row per duplicate group",
    "select duplicate_group_id, count(*) filter (where is_canonical) as canonical_rows "
    "from {table} where duplicate_group_id is not null group by 1 "
    "having count(*) filter (where is_canonical) <> 1",
    uses=("duplicate_group_id", "is_canonical"),
)

TABLE_SUITES: tuple[TableSuite, ...] = (
    _suite(
        "staging.stg_indeed__aggregate_postings",
        key("country_code", "posting_date", "series"),
        Matches("country_code", COUNTRY, "country code"),
        InSet("series", ("total", "new")),
        DateWithin("posting_date", INDEED_START, 31),
        non_negative("index_sa", "index_nsa"),
    ),
    _suite(
        "staging.stg_indeed__category_postings",
        key("country_code", "indeed_category", "posting_date", "series"),
        Matches("country_code", COUNTRY, "country code"),
        InSet("series", ("total", "new")),
        DateWithin("posting_date", INDEED_START, 31),
        non_negative("index_sa"),
    ),
    _suite(
        "staging.stg_indeed__state_postings",
        key("state_code", "posting_date"),
        Matches("state_code", COUNTRY, "state code"),
        DateWithin("posting_date", INDEED_START, 31),
        non_negative("index_sa"),
    ),
    _suite(
        "staging.stg_indeed__wage_growth_category",
        key("country_code", "indeed_category", "month"),
        Matches("country_code", COUNTRY, "country code"),
        DateWithin("month", INDEED_START, 31),
        non_negative("observations"),
        Between("wage_growth_yoy_pct", -100, 100),
        Between("wage_growth_yoy_3mo_pct", -100, 100),
    ),
    _suite(
        "staging.stg_bls__soc_direct_match_titles",
        key("soc_code", "direct_match_title"),
        NotNull("soc_title"),
        Matches("soc_code", SOC, "SOC code"),
        References(
            "soc_code",
            "marts.dim_occupation",
            "soc_code",
            ref_where="level = 'detailed'",
            severity=WARN,
        ),
    ),
    _suite(
        "marts.indeed_postings_monthly",
        key("country_code", "scope", "month"),
        Matches("country_code", COUNTRY, "country code"),
        DateWithin("month", INDEED_START, 31),
        non_negative("index_level"),
        Between("days_observed", 1, 31),
        NotAbove("month", "last_observed_date"),
    ),
    _suite(
        "marts.fct_postings",
        key("posting_row_id"),
        key("file_sha256", "row_number"),
        NotNull("posting_id"),
        Matches("posting_id", r"^[0-9a-f]{16}$", "posting id"),
        NotNull("source"),
        DateWithin("posted_date", date(1990, 1, 1), 366),
        InSet("posted_date_precision", DATE_PRECISIONS),
        NotAbove("posted_date", "close_date", severity=WARN),
        NotAbove("salary_min", "salary_max"),
        NotAbove("annual_salary_min", "annual_salary_max"),
        NotAbove("annual_salary_min", "annual_salary_mid"),
        NotAbove("annual_salary_mid", "annual_salary_max"),
        non_negative("annual_salary_min", "annual_salary_max"),
        Matches("soc_code", SOC, "SOC code"),
        Matches("onet_soc_code", ONET_SOC, "O*NET-SOC code"),
        Matches("naics_code", NAICS, "NAICS code"),
        InSet("naics_sector", SECTORS),
        shares("classification_confidence", "industry_confidence"),
        _ONE_CANONICAL,
        References("soc_code", "marts.dim_occupation", "soc_code", severity=WARN),
        References("naics_code", "marts.dim_industry", "naics_code", severity=WARN),
        engine="sql",
        why="up to ~10M rows: exact full-table aggregates in DuckDB, no pandas copy",
    ),
    _suite(
        "marts.role_postings",
        key("posting_row_id"),
        NotNull("role"),
        Matches("role_slug", SLUG, "role slug"),
        DateWithin("posted_date", date(1990, 1, 1), 366),
        Matches("soc_code", SOC, "SOC code"),
        Matches("naics_code", NAICS, "NAICS code"),
        InSet("naics_sector", SECTORS),
        shares("match_score"),
        non_negative("annual_salary_mid"),
        SqlAssert(
            "has_salary = (annual_salary_mid is not null)",
            "select posting_row_id, has_salary, annual_salary_mid from {table} "
            "where has_salary is distinct from (annual_salary_mid is not null)",
            uses=("has_salary", "annual_salary_mid"),
        ),
        References("posting_row_id", "marts.fct_postings", "posting_row_id"),
        References("role", "seeds.roles", "role"),
        engine="sql",
        why="follows fct_postings in size: exact full-table aggregates in DuckDB",
    ),
    _suite(
        "marts.occupation_wages",
        key("release", "soc_code", "o_group", "naics_code"),
        Matches("release", r"^M\d{4}$", "OEWS release"),
        Between("release_year", 1997, date.today().year + 1),
        Matches("soc_code", SOC, "SOC code"),
        Matches("naics_code", NAICS, "NAICS code"),
        InSet("naics_sector", SECTORS),
        non_negative("tot_emp", "emp_prse", "h_mean", "a_mean"),
        Between("pct_total", 0, 100),
        non_decreasing(*(f"h_{p}" for p in _WAGE_PCTS)),
        non_decreasing(*(f"a_{p}" for p in _WAGE_PCTS)),
        References(
            "soc_code",
            "marts.dim_occupation",
            "soc_code",
            where="o_group = 'detailed'",
            ref_where="level = 'detailed'",
            severity=WARN,
        ),
        References(
            "soc_code",
            "marts.dim_occupation",
            "soc_code",
            where="soc_code <> '00-0000'",
            severity=WARN,
        ),
    ),
    _suite(
        "marts.occupation_projections",
        key("projection_period", "soc_code"),
        Matches("projection_period", r"^\d{4}-\d{2}$", "projection period"),
        Matches("soc_code", SOC, "SOC code"),
        NotAbove("base_year", "projected_year"),
        non_negative("employment_base", "employment_projected", "annual_openings"),
        non_negative("median_annual_wage"),
        References(
            "soc_code",
            "marts.dim_occupation",
            "soc_code",
            where="soc_code <> '00-0000'",
            severity=WARN,
        ),
    ),
    _suite(
        "marts.industry_openings",
        key("industry_code", "month"),
        Matches("industry_code", r"^\d{6}$", "JOLTS industry code"),
        InSet("naics_sector", SECTORS),
        DateWithin("month", date(2000, 12, 1), 31),
        non_negative("openings_level"),
        Between("openings_rate", 0, 100),
    ),
    _suite(
        "marts.dim_industry",
        key("naics_code"),
        Matches("naics_code", NAICS, "NAICS code"),
        Between("level", 2, 6),
        NotNull("sector_code"),
        InSet("sector_code", SECTORS),
    ),
    _suite(
        "marts.dim_occupation",
        key("soc_code"),
        Matches("soc_code", SOC, "SOC code"),
        InSet("level", ("major", "minor", "broad", "detailed")),
        SqlAssert(
            "every onet_soc_codes item is an O*NET-SOC code",
            "select soc_code, code from (select soc_code, unnest(onet_soc_codes) as code "
            "from {table}) where not regexp_full_match(code, '\\d{2}-\\d{4}\\.\\d{2}')",
            uses=("soc_code", "onet_soc_codes"),
        ),
    ),
    # The role marts editors quote: keys, labels from the documented set, shares in [0, 1].
    _suite(
        "marts.role_industry_monthly",
        key("role", "industry_sector", "month"),
        InSet("industry_sector", (*SECTORS, "all", "unknown")),
        non_negative("unique_postings", "total_postings", "new_postings", "salary_postings"),
        NotAbove("unique_postings", "total_postings"),
        shares("share_of_sector_postings"),
        References("role", "seeds.roles", "role"),
    ),
    _suite(
        "marts.role_industry_yearly",
        key("role", "industry_sector", "year"),
        InSet("industry_sector", (*SECTORS, "all", "unknown")),
        non_negative("unique_postings", "unique_postings_year_precision", "total_postings"),
        NotAbove("unique_postings_year_precision", "unique_postings"),
        NotAbove("unique_postings", "total_postings"),
        References("role", "seeds.roles", "role"),
    ),
    _suite(
        "marts.role_trend",
        key("role", "industry_sector"),
        NotAbove("trend_ci_low_annualised_pct", "trend_ci_high_annualised_pct"),
        non_negative("n_postings", "n_months"),
        References("role", "seeds.roles", "role"),
    ),
    _suite(
        "marts.role_outlook",
        key("role", "industry_sector"),
        NotNull("label"),
        InSet("label", OUTLOOK_LABELS),
        NotNull("evidence_text"),
        References("role", "seeds.roles", "role"),
    ),
    _suite(
        "marts.role_skills",
        key("role", "industry_sector", "skill"),
        InSet("industry_sector", (*SECTORS, "all", "unknown")),
        InSet("skill_kind", ("method", "certification", "technology", "technology category")),
        InSet("evidence_basis", EVIDENCE_BASES),
        non_negative("postings_with_text", "postings_mentioning"),
        NotAbove("postings_mentioning", "postings_with_text"),
        NotAbove("evidence_start", "evidence_end"),
        shares("share_mentioning", "share_requiring", "share_preferring"),
        References("role", "seeds.roles", "role"),
    ),
    _suite(
        "marts.role_requirements",
        key("role", "industry_sector"),
        InSet("industry_sector", (*SECTORS, "all", "unknown")),
        InSet("evidence_basis", EVIDENCE_BASES),
        NotAbove("postings_with_text", "evidence_postings"),
        NotAbove("postings_stating_years", "postings_with_text"),
        NotAbove("evidence_start", "evidence_end"),
        NotAbove("experience_years_p25", "experience_years_median"),
        NotAbove("experience_years_median", "experience_years_p75"),
        shares("share_with_text", "share_bachelor", "share_master", "share_or_equivalent"),
        References("role", "seeds.roles", "role"),
    ),
    _suite(
        "marts.role_career_paths",
        key("role", "related_onet_soc_code"),
        Matches("related_onet_soc_code", ONET_SOC, "O*NET-SOC code"),
        Matches("from_soc_code", SOC, "SOC code"),
        Between("related_job_zone", 1, 5),
        Between("related_index", 1, 20),
        References("role", "seeds.roles", "role"),
    ),
    _suite(
        "marts.title_soc_candidates",
        # naics_sector is NULL where the employer's industry is unresolved: not in the key check
        NotNull("title_normalised"),
        NotNull("rank"),
        Unique(("title_normalised", "naics_sector", "rank")),
        Between("rank", 1, 5),
        Matches("onet_soc_code", ONET_SOC, "O*NET-SOC code"),
        Matches("soc_code", SOC, "SOC code"),
        shares("probability"),
        non_negative("unique_postings", "total_postings"),
        NotAbove("unique_postings", "total_postings"),
    ),
    _suite(
        "seeds.roles",
        key("role"),
        Unique(("role_slug",)),
        Matches("role_slug", SLUG, "role slug"),
    ),
    _suite(
        "seeds.role_soc",
        NotNull("role"),
        NotNull("soc_code"),
        Matches("soc_code", SOC, "SOC code"),
        InSet("naics_sector", SECTORS),
        References("role", "seeds.roles", "role"),
    ),
)

# Column-name conventions: applied to staging and mart tables that have no suite above.
CONVENTIONS: dict[str, tuple[Check, ...]] = {
    "soc_code": (Matches("soc_code", SOC, "SOC code"),),
    "onet_soc_code": (Matches("onet_soc_code", ONET_SOC, "O*NET-SOC code"),),
    "naics_code": (Matches("naics_code", NAICS, "NAICS code"),),
    "naics_sector": (InSet("naics_sector", SECTORS),),
    "sector_code": (InSet("sector_code", SECTORS),),
    "posted_date": (DateWithin("posted_date", date(1990, 1, 1), 366),),
    **{
        col: (NotAbove(col.replace("_max", "_min"), col),)
        for col in ("salary_max", "annual_salary_max")
    },
    **{
        f"{prefix}_pct90": tuple(non_decreasing(*(f"{prefix}_{p}" for p in _WAGE_PCTS)))
        for prefix in ("h", "a")
    },
}
CONVENTION_SCHEMAS = ("staging", "marts")


def convention_suite(table: str, columns: list[str]) -> TableSuite | None:
    """Checks implied by column names alone, for a table the registry does not list."""
    present = set(columns)
    checks = [
        check
        for column, group in CONVENTIONS.items()
        if column in present
        for check in group
        if set(check.columns) <= present
    ]
    return TableSuite(table, tuple(checks), why="column-name conventions") if checks else None


SUITES_BY_TABLE: dict[str, TableSuite] = {s.table: s for s in TABLE_SUITES}
