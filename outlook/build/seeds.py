"""Seeds that are not plain CSV: each loader writes ``seeds.*`` tables inside the build."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from outlook.build.models import SeedLoader
from outlook.config import OUTLOOK_RULES, PROJECT_ROOT, ROLES_FILE, SEEDS_DIR
from outlook.warehouse import replace_table


def load_role_seeds(con: duckdb.DuckDBPyConnection) -> None:
    """``data/seeds/roles.yaml`` -> ``seeds.roles`` (one row per role) and ``seeds.role_soc``
    (one row per role, SOC code and, where the catalogue says so, NAICS sector)."""
    from transforms.roles import load_roles

    catalogue = load_roles(ROLES_FILE)
    roles, socs = [], []
    for role in catalogue.roles:
        roles.append(
            {
                "role": role.name,
                "role_slug": role.slug,
                "description": role.description,
                "indeed_category": role.indeed_category,
                "priority": role.priority,
            }
        )
        for rank, soc in enumerate(role.soc_codes, start=1):
            socs.append({"role": role.name, "soc_code": soc, "naics_sector": None, "rank": rank})
        for sector, codes in role.soc_by_naics.items():
            for rank, soc in enumerate(codes, start=1):
                socs.append(
                    {"role": role.name, "soc_code": soc, "naics_sector": sector, "rank": rank}
                )
    frames = {
        "seeds.roles": pd.DataFrame(roles),
        "seeds.role_soc": pd.DataFrame(
            socs, columns=["role", "soc_code", "naics_sector", "rank"]
        ).astype({"naics_sector": "string"}),
    }
    for table, frame in frames.items():
        replace_table(con, table, frame)


def load_jolts_industries(con: duckdb.DuckDBPyConnection) -> None:
    """``seeds.jolts_industries``: one row per (JOLTS industry, NAICS sector it covers);
    ``is_primary`` marks the one industry that stands for a sector (the first listed whose
    coverage is exactly that sector), so sector joins do not double count."""
    from transforms.jolts import JOLTS_INDUSTRIES

    rows, primary_taken = [], set()
    for order, industry in enumerate(JOLTS_INDUSTRIES):
        sectors = industry.naics_sectors or (None,)
        exact = len(industry.naics_sectors) == 1
        for sector in sectors:
            primary = exact and sector not in primary_taken
            if primary:
                primary_taken.add(sector)
            rows.append(
                {
                    "industry_code": industry.code,
                    "industry_title": industry.title,
                    "naics_sector": sector,
                    "is_primary": primary,
                    "list_order": order,
                }
            )
    replace_table(
        con, "seeds.jolts_industries", pd.DataFrame(rows).astype({"naics_sector": "string"})
    )


def load_projection_seeds(con: duckdb.DuckDBPyConnection) -> None:
    """``[projections]`` of ``data/seeds/outlook_rules.toml`` -> ``seeds.projection_growth_bands``
    (one row per OOH growth band) and ``seeds.bright_outlook_rules`` (one row: O*NET's
    openings threshold), the tables the projection models join."""
    from transforms.projection_rules import band_rows, load_projection_rules

    rules = load_projection_rules(OUTLOOK_RULES)
    bands = pd.DataFrame(band_rows(rules)).astype(
        {"band_order": "Int64", "min_ratio": "Float64", "bright_outlook_growth": "boolean"}
    )
    replace_table(con, "seeds.projection_growth_bands", bands)
    replace_table(
        con,
        "seeds.bright_outlook_rules",
        pd.DataFrame({"min_openings_over_period": [rules.bright_min_openings]}).astype("Int64"),
    )


def load_evidence_floor(con: duckdb.DuckDBPyConnection) -> None:
    """``[label] min_postings`` of ``data/seeds/outlook_rules.toml`` -> ``seeds.evidence_floor``
    (one row): the floor the SQL marts on posting text hold their shares and medians to,
    the same one every marts.role_trend measure is held to."""
    from transforms.outlook_rules import load_rules

    floor = load_rules(OUTLOOK_RULES).min_postings
    replace_table(
        con, "seeds.evidence_floor", pd.DataFrame({"min_postings": [floor]}).astype("Int64")
    )


def seed_loaders() -> list[SeedLoader]:
    """Loaders run after the CSV seeds, in the build's transaction."""
    return [load_role_seeds, load_jolts_industries, load_projection_seeds, load_evidence_floor]


def seed_inputs() -> list[Path]:
    """Every file the seeds are made from: the seed data, and the code that turns the
    catalogue and the JOLTS industry list into tables (a change to any reloads the seeds)."""
    code = [Path(__file__), PROJECT_ROOT / "transforms" / "roles.py"]
    code.append(PROJECT_ROOT / "transforms" / "jolts.py")
    code.append(PROJECT_ROOT / "transforms" / "projection_rules.py")
    code.append(PROJECT_ROOT / "transforms" / "outlook_rules.py")
    return sorted(p for p in SEEDS_DIR.iterdir() if p.is_file()) + code
