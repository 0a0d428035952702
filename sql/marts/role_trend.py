"""Grain: one row per (role, industry_sector) of marts.role_industry_monthly: the current
window against the one before it, a log-linear trend with its interval (seasonally adjusted
from 36 months), and year-over-year changes, all up to the last complete month.
Source: marts.role_industry_monthly. Statistics: transforms/trends.py; settings:
data/seeds/outlook_rules.toml ([trend], and [label] min_postings as the floor of every
measure). A Python model: statistics SQL does badly.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from outlook.config import OUTLOOK_RULES
from transforms.outlook_rules import load_rules
from transforms.trends import TrendConfig, role_trend_table

DEPENDS_ON = ("marts.role_industry_monthly",)
COLUMNS = {
    "role": "varchar",
    "role_slug": "varchar",
    "industry_sector": "varchar",
    "sector_title": "varchar",
    "industry_group": "varchar",
    "first_month": "date",
    "last_month": "date",
    "n_months": "bigint",
    "n_postings": "bigint",
    "window_months": "bigint",
    "current_window_start": "date",
    "current_window_end": "date",
    "previous_window_start": "date",
    "previous_window_end": "date",
    "postings_current_window": "bigint",
    "postings_previous_window": "bigint",
    "window_change_pct": "double",
    "trend_months": "bigint",
    "seasonally_adjusted": "boolean",
    "trend_pct_per_month": "double",
    "trend_ci_low_pct_per_month": "double",
    "trend_ci_high_pct_per_month": "double",
    "trend_annualised_pct": "double",
    "trend_ci_low_annualised_pct": "double",
    "trend_ci_high_annualised_pct": "double",
    "trend_confidence": "double",
    "yoy_last_month_pct": "double",
    "yoy_last_3_months_pct": "double",
    "covered_months": "bigint",
    "measures_withheld": "varchar",
    "partial_month_excluded": "date",
}


def model(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    monthly = con.execute(
        "select role, role_slug, industry_sector, sector_title, industry_group, month, "
        "unique_postings, new_postings, days_covered from marts.role_industry_monthly "
        "order by role, industry_sector, month"
    ).df()
    # Months the posting data cover at all: some posting of any role, any industry.
    covered = {
        row[0]
        for row in con.execute(
            "select distinct month from marts.role_industry_monthly "
            "where industry_sector = 'all' and sector_unique_postings > 0"
        ).fetchall()
    }
    rules = load_rules(OUTLOOK_RULES)
    config = TrendConfig.from_mapping({**rules.trend, "min_postings": rules.min_postings})
    return role_trend_table(monthly, config, covered)
