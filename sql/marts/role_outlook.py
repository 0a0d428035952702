"""Grain: one row per (role, industry_sector) of intermediate.int_role_outlook__evidence:
the outlook label with the evidence behind it, in numbers and in words, and each source's
release or period. The label: transforms/outlook_rules.py (``decide``) with the rules in
data/seeds/outlook_rules.toml; the wording of the evidence: transforms/evidence.py; every
number comes from the evidence model (sql/intermediate/int_role_outlook__evidence.sql).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from outlook.config import OUTLOOK_RULES
from transforms.evidence import evidence_for, none_if_missing
from transforms.outlook_rules import decide, load_rules

DEPENDS_ON = ("intermediate.int_role_outlook__evidence",)
COLUMNS = {
    "role": "varchar",
    "role_slug": "varchar",
    "industry_sector": "varchar",
    "sector_title": "varchar",
    "industry_group": "varchar",
    "label": "varchar",
    "score": "double",
    "postings_current_window": "bigint",
    "postings_previous_window": "bigint",
    "window_change_pct": "double",
    "trend_annualised_pct": "double",
    "trend_ci_low_annualised_pct": "double",
    "trend_ci_high_annualised_pct": "double",
    "yoy_last_3_months_pct": "double",
    "n_postings": "bigint",
    "soc_codes": "varchar",
    "oews_employment": "bigint",
    "oews_median_annual_wage": "double",
    "projected_growth_pct": "double",
    "projected_annual_openings": "double",
    "projected_growth_all_occupations_pct": "double",
    "projected_growth_words": "varchar",
    "bright_outlook_soc_codes": "varchar",
    "jolts_industry_code": "varchar",
    "jolts_openings_level": "double",
    "jolts_change_12m_pct": "double",
    "indeed_category": "varchar",
    "indeed_index_level": "double",
    "indeed_change_vs_feb_2020_pts": "double",
    "indeed_change_12m_pct": "double",
    "evidence_text": "varchar",
    "evidence_json": "varchar",
    "postings_as_of": "date",
    "postings_year_precision": "bigint",
    "measures_withheld": "varchar",
    "current_window_start": "date",
    "current_window_end": "date",
    "oews_release": "varchar",
    "projections_period": "varchar",
    "jolts_as_of": "date",
    "indeed_as_of": "date",
}


def model(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    rules = load_rules(OUTLOOK_RULES)
    evidence = con.execute("select * from intermediate.int_role_outlook__evidence").df()
    rows = []
    for row in evidence.to_dict("records"):
        decision = decide(
            none_if_missing(row["postings_current_window"]),  # type: ignore[arg-type]
            evidence_for(row),
            rules,
        )
        rows.append(
            {
                **{c: none_if_missing(row.get(c)) for c in COLUMNS if c in row},
                "label": decision.label,
                "score": decision.score,
                "evidence_text": decision.evidence_text,
                "evidence_json": decision.evidence_json,
                "postings_as_of": none_if_missing(row["last_month"]),
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))
