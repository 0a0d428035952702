"""marts.role_career_paths on small hand-made tables, with the real SQL through
``outlook.build.models.build``: O*NET related occupations of the role's general SOC codes,
closest link kept, Job Zone and wage steps, projections, and other roles linked by SOC code.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from outlook.warehouse import replace_table
from tests.sql.model_tree import build_tree

PID = "PI Director"
STAND_INS = (
    "staging/stg_onet__related_occupations",
    "staging/stg_onet__soc_crosswalk",
    "staging/stg_onet__job_zones",
    "marts/occupation_wages",
    "marts/occupation_projections",
    "marts/role_outlook",
)

FIXTURES = {
    "stg_onet__related_occupations": pd.DataFrame(
        [
            # from, related, title, tier, index
            ("11-9111.00", "11-1011.00", "Chief Executives", "Primary-Short", 1),
            ("11-9111.00", "13-1111.00", "Management Analysts", "Primary-Long", 3),
            ("11-9111.00", "11-3051.00", "Industrial Production Managers", "Supplemental", 12),
            # reached from the role's second code too, less closely: the closest link stays
            ("11-3012.00", "11-1011.00", "Chief Executives", "Supplemental", 15),
            ("51-1011.00", "11-3051.00", "Industrial Production Managers", "Primary-Short", 1),
        ],
        columns=[
            "onet_soc_code",
            "related_onet_soc_code",
            "related_title",
            "relatedness_tier",
            "related_index",
        ],
    ).assign(onet_release="29.3"),
    "stg_onet__soc_crosswalk": pd.DataFrame(
        {
            "onet_soc_code": [
                "11-9111.00",
                "11-1011.00",
                "13-1111.00",
                "11-3051.00",
                "11-3012.00",
                "51-1011.00",
            ],
            "soc_code": ["11-9111", "11-1011", "13-1111", "11-3051", "11-3012", "51-1011"],
        }
    ),
    "stg_onet__job_zones": pd.DataFrame(
        {
            "onet_soc_code": ["11-9111.00", "11-1011.00", "13-1111.00", "11-3012.00"],
            "job_zone": [4, 5, 4, 4],
        }
    ),
    "occupation_wages": pd.DataFrame(
        [
            ("M2024", 2024, "11-1011", "detailed", "000000", 206_000.0),
            ("M2024", 2024, "13-1111", "detailed", "000000", 99_000.0),
            ("M2024", 2024, "13-1111", "broad", "000000", 1.0),  # detailed wins
            ("M2024", 2024, "11-1011", "detailed", "62", 150_000.0),  # a sector: not national
            ("M2023", 2023, "11-1011", "detailed", "000000", 2.0),  # an older release
        ],
        columns=["release", "release_year", "soc_code", "o_group", "naics_code", "a_median"],
    ),
    "occupation_projections": pd.DataFrame(
        [
            ("2024-34", "11-1011", -2.5, 18.0, "decline", False),
            ("2024-34", "13-1111", 9.0, 98.0, "much faster than average", True),
            ("2023-33", "13-1111", 1.0, 1.0, "slower than average", False),
        ],
        columns=[
            "projection_period",
            "soc_code",
            "employment_change_pct",
            "annual_openings",
            "growth_words",
            "bright_outlook",
        ],
    ),
    "role_outlook": pd.DataFrame(
        {
            "role": [PID, PID],
            "industry_sector": ["all", "62"],
            "oews_median_annual_wage": [110_000.0, 1.0],
            "oews_release": ["M2024", "M2024"],
        }
    ),
}
ROLES = pd.DataFrame(
    {"role": [PID, "Chief", "Plant Boss"], "role_slug": ["pi-director", "chief", "plant-boss"]}
)
ROLE_SOC = pd.DataFrame(
    {
        "role": [PID, PID, PID, "Chief", "Plant Boss"],
        "soc_code": ["11-9111", "11-3012", "51-1011", "11-1011", "11-3051"],
        # 51-1011 is PI Director's code in manufacturing only: not a general code
        "naics_sector": [None, None, "31-33", None, None],
    }
)


def _seeds(con: duckdb.DuckDBPyConnection) -> None:
    for table, frame in {"seeds.roles": ROLES, "seeds.role_soc": ROLE_SOC}.items():
        replace_table(con, table, frame)


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    tmp = tmp_path_factory.mktemp("career-paths")
    con = build_tree(
        tmp,
        models=["marts/role_career_paths.sql"],
        stand_ins={f"{path}.sql": f"fixtures.{path.split('/')[1]}" for path in STAND_INS},
        tables={f"fixtures.{name}": frame for name, frame in FIXTURES.items()},
        seed_loaders=[_seeds],
    )
    frame = con.execute(
        "select * from marts.role_career_paths where role = ? order by related_onet_soc_code",
        [PID],
    ).df()
    con.close()
    return frame.set_index("related_onet_soc_code")


def test_related_occupations_of_the_general_codes_closest_link_kept(paths) -> None:
    # 11-3051 comes only from 11-9111 (51-1011 is a sector-specific code: not followed)
    assert sorted(paths.index) == ["11-1011.00", "11-3051.00", "13-1111.00"]
    chief = paths.loc["11-1011.00"]
    assert (chief["from_onet_soc_code"], chief["relatedness_tier"]) == (
        "11-9111.00",
        "Primary-Short",
    )
    assert chief["related_index"] == 1
    assert paths.loc["11-3051.00", "relatedness_tier"] == "Supplemental"


def test_job_zone_and_wage_steps_from_the_latest_national_release(paths) -> None:
    chief = paths.loc["11-1011.00"]
    assert (chief["from_job_zone"], chief["related_job_zone"], chief["job_zone_step"]) == (4, 5, 1)
    assert chief["related_median_annual_wage"] == 206_000.0
    assert chief["role_median_annual_wage"] == 110_000.0
    assert (chief["wage_step"], chief["wage_step_pct"]) == (96_000.0, 87.3)
    analyst = paths.loc["13-1111.00"]
    assert analyst["related_median_annual_wage"] == 99_000.0  # detailed, not the broad row
    assert analyst["wage_step_pct"] == -10.0
    production = paths.loc["11-3051.00"]
    assert pd.isna(production["related_median_annual_wage"]) and pd.isna(production["wage_step"])
    assert pd.isna(production["related_job_zone"])
    assert (chief["oews_release"], chief["onet_release"]) == ("M2024", "29.3")


def test_projections_of_the_latest_period_and_linked_roles(paths) -> None:
    analyst = paths.loc["13-1111.00"]
    assert analyst["projection_period"] == "2024-34"
    assert analyst["related_projected_growth_pct"] == 9.0
    assert analyst["related_projected_growth_words"] == "much faster than average"
    assert bool(analyst["related_bright_outlook"])
    assert analyst["related_projected_annual_openings_thousands"] == 98.0
    assert paths.loc["11-1011.00", "linked_roles"] == "Chief"
    assert paths.loc["11-3051.00", "linked_roles"] == "Plant Boss"
    assert pd.isna(analyst["linked_roles"])
    assert not paths["is_role_own_soc"].any()
