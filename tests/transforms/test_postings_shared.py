"""The three real posting files in ../shared, read with their shipped profiles.

Counts must reconcile exactly; salary and industry coverage are printed (run with -s) and held
above floors so a regression in a parser shows up here."""

from __future__ import annotations

from pathlib import Path

import pytest

from outlook.config import EMPLOYER_NAICS_TABLE, NAICS_SECTORS_TABLE, PROFILES_DIR
from transforms.industry import IndustryResolver
from transforms.postings import normalise_employers
from transforms.postings_io import read_postings_file
from transforms.postings_profile import load_profile
from transforms.salary import parse_salaries

pytestmark = pytest.mark.shared

# file, profile, rows in the file, minimum share with an annual salary, minimum share with NAICS
FILES = [
    ("usajobs_2025-06_to_2025-09.csv", "usajobs_csv", 13_649, 0.0, 0.99),
    ("usajobs_historicjoa_2016.parquet", "usajobs_historicjoa", 3_879, 0.98, 0.99),
    ("h1b_lca_fy2026_q1_sample.csv", "h1b_lca", 30_000, 0.99, 0.40),
]


@pytest.mark.parametrize(("name", "profile", "expected", "min_salary", "min_industry"), FILES)
def test_real_file(
    shared_dir: Path,
    name: str,
    profile: str,
    expected: int,
    min_salary: float,
    min_industry: float,
) -> None:
    batch = read_postings_file(shared_dir / "postings" / name, load_profile(profile, PROFILES_DIR))
    assert batch.rows_read == expected
    assert batch.rows_read == len(batch.rows) + len(batch.quarantine)
    rows = batch.rows
    salary = parse_salaries(
        rows["salary_text"],
        min_values=rows["salary_min_raw"],
        max_values=rows["salary_max_raw"],
        periods=rows["salary_period_raw"],
        currencies=rows["currency_raw"],
    )
    resolver = IndustryResolver(EMPLOYER_NAICS_TABLE, NAICS_SECTORS_TABLE)
    industry = resolver.resolve_many(
        rows["naics_code_raw"], normalise_employers(rows["employer_raw"]), rows["industry_text"]
    )
    salary_share = float(salary["annual_mid"].notna().mean())
    industry_share = float(industry["naics_code"].notna().mean())
    print(
        f"\n{name}: read {batch.rows_read}, loaded {len(rows)}, quarantined "
        f"{len(batch.quarantine)}, salary {salary_share:.1%}, industry {industry_share:.1%}"
    )
    assert salary_share >= min_salary
    assert industry_share >= min_industry
    assert rows["posted_date"].notna().all()
    assert rows["country"].notna().all()
    assert rows["row_number"].is_unique
