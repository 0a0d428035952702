"""Official sources: BLS OEWS, Employment Projections, SOC 2018, NAICS 2022, O*NET.

Each is a public-domain (O*NET: CC BY 4.0) file parsed by a pure reader in ``transforms/``.
Releases sit side by side (``mode='release'``): loading a release again replaces only that
release's rows, and identical bytes are a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from outlook.ingest.sources.base import FileSource

BLS = "https://www.bls.gov"
# OEWS national industry-specific archives to keep side by side (May reference month).
OEWS_YEARS = (2022, 2023, 2024)
ONET_RELEASE = "29_3"
ONET_CREDIT = (
    "O*NET 29.3 Database by the U.S. Department of Labor, Employment and Training "
    "Administration (USDOL/ETA), CC BY 4.0"
)


def _cols(text: str = "", double: str = "", bigint: str = "", boolean: str = "") -> dict[str, str]:
    """Column declarations from space-separated names per type, in the order given."""
    out: dict[str, str] = {}
    for names, sql_type in (
        (text, "varchar"),
        (double, "double"),
        (bigint, "bigint"),
        (boolean, "boolean"),
    ):
        out.update({name: sql_type for name in names.split()})
    return out


def _ordered(names: str, types: dict[str, str]) -> dict[str, str]:
    return {name: types[name] for name in names.split()}


def _constant(label: str) -> Callable[[pd.DataFrame, str], str]:
    return lambda frame, url: label


def _column_value(column: str) -> Callable[[pd.DataFrame, str], str]:
    def release(frame: pd.DataFrame, url: str) -> str:
        values = frame[column].dropna().unique()
        if len(values) != 1:
            raise ValueError(f"{url}: expected one {column}, found {list(values)[:5]}")
        return str(values[0])

    return release


def _lazy(module: str, function: str) -> Callable[[Path, str], pd.DataFrame]:
    """Import the reader when a file is parsed, not when the CLI starts."""

    def parse(path: Path, location: str) -> pd.DataFrame:
        import importlib

        return getattr(importlib.import_module(module), function)(path, location)

    return parse


_OEWS_TYPES = _cols(
    text="release source_member naics_code naics_title i_group soc_code occ_title o_group "
    "wage_markers",
    double="emp_prse pct_total h_mean a_mean h_pct10 h_pct25 h_median h_pct75 h_pct90 a_pct10 "
    "a_pct25 a_median a_pct75 a_pct90",
    bigint="tot_emp",
    boolean="annual_only hourly_only emp_suppressed wage_not_available wage_top_coded",
)
OEWS_COLUMNS = _ordered(
    "release source_member naics_code naics_title i_group soc_code occ_title o_group tot_emp "
    "emp_prse pct_total h_mean a_mean h_pct10 h_pct25 h_median h_pct75 h_pct90 a_pct10 a_pct25 "
    "a_median a_pct75 a_pct90 annual_only hourly_only emp_suppressed wage_not_available "
    "wage_top_coded wage_markers",
    _OEWS_TYPES,
)
PROJECTION_COLUMNS = {
    **_cols(text="projection_period"),
    **_cols(bigint="base_year projected_year"),
    **_cols(text="soc_code title occupation_type"),
    **_cols(
        double="employment_base employment_projected employment_dist_pct_base "
        "employment_dist_pct_projected employment_change employment_change_pct "
        "self_employed_pct annual_openings median_annual_wage"
    ),
    **_cols(boolean="median_wage_top_coded"),
    **_cols(text="typical_education work_experience on_the_job_training"),
}


def _oews(year: int) -> FileSource:
    yy = f"{year % 100:02d}"
    return FileSource(
        name=f"oews_m{year}",
        group="oews",
        url=f"{BLS}/oes/special-requests/oesm{yy}in4.zip",
        table="raw.oews__industry_estimates",
        columns=OEWS_COLUMNS,
        parse=_lazy("transforms.oews", "read_oews_industry_zip"),
        release=_column_value("release"),
        expect="zip",
        description=f"OEWS national industry-specific estimates, May {year}",
    )


def _onet(
    name: str, key: str, columns: dict[str, str], description: str, *, optional: bool = False
) -> FileSource:
    """An O*NET table of the text archive; ``optional``: a member some archives lack (the
    embedded sample's), skipped when absent rather than failing the run."""

    def parse(path: Path, location: str) -> pd.DataFrame:
        from transforms.onet import read_onet_archive

        frames = read_onet_archive(path, location)
        if key not in frames:
            from transforms.errors import MemberAbsent, SourceFormatError

            what = f"archive has no {key.replace('_', ' ')} file"
            if optional:
                raise MemberAbsent(f"{location}: {what}: skipped")
            raise SourceFormatError(location, what)
        return frames[key]

    def release(frame: pd.DataFrame, url: str) -> str:
        from transforms.onet import onet_release_from_name

        return onet_release_from_name(url.rsplit("/", 1)[-1])

    return FileSource(
        name=name,
        group="onet",
        url=f"https://www.onetcenter.org/dl_files/database/db_{ONET_RELEASE}_text.zip",
        table=f"raw.onet__{key}",
        columns=columns,
        parse=parse,
        release=release,
        expect="zip",
        licence="CC BY 4.0",
        attribution=ONET_CREDIT,
        description=description,
    )


SOURCES: list[FileSource] = [
    FileSource(
        name="soc_structure",
        group="taxonomy",
        url=f"{BLS}/soc/2018/soc_structure_2018.xlsx",
        table="raw.soc__structure",
        columns=_cols(text="soc_code soc_title level major_code minor_code broad_code"),
        parse=_lazy("transforms.taxonomy", "read_soc_structure"),
        release=_constant("SOC 2018"),
        expect="xlsx",
        description="SOC 2018 hierarchy: major, minor, broad and detailed groups",
    ),
    FileSource(
        name="soc_definitions",
        group="taxonomy",
        url=f"{BLS}/soc/2018/soc_2018_definitions.xlsx",
        table="raw.soc__definitions",
        columns=_cols(text="soc_code soc_title definition"),
        parse=_lazy("transforms.taxonomy", "read_soc_definitions"),
        release=_constant("SOC 2018"),
        expect="xlsx",
        description="SOC 2018 definitions",
    ),
    FileSource(
        name="soc_direct_match_titles",
        group="taxonomy",
        url=f"{BLS}/soc/2018/soc_2018_direct_match_title_file.xlsx",
        table="raw.soc__direct_match_titles",
        columns=_cols(text="soc_code soc_title direct_match_title", boolean="illustrative"),
        parse=_lazy("transforms.taxonomy", "read_soc_direct_match_titles"),
        release=_constant("SOC 2018"),
        expect="xlsx",
        description="SOC 2018 direct match titles",
    ),
    FileSource(
        name="soc_onet_crosswalk",
        group="taxonomy",
        url=f"{BLS}/soc/2018/soc_2019_onet_crosswalk.xlsx",
        table="raw.soc__onet_crosswalk",
        columns=_cols(text="onet_soc_code onet_title soc_code soc_title"),
        parse=_lazy("transforms.taxonomy", "read_soc_onet_crosswalk"),
        release=_constant("O*NET-SOC 2019"),
        expect="xlsx",
        licence="CC BY 4.0",
        attribution=ONET_CREDIT,
        description="O*NET-SOC 2019 to SOC 2018 crosswalk",
    ),
    FileSource(
        name="naics_codes",
        group="taxonomy",
        url="https://www.census.gov/naics/2022NAICS/2-6%20digit_2022_Codes.xlsx",
        table="raw.naics__codes",
        columns={
            **_cols(text="naics_code naics_title"),
            "level": "bigint",
            "sector_code": "varchar",
        },
        parse=_lazy("transforms.taxonomy", "read_naics_codes"),
        release=_constant("NAICS 2022"),
        expect="xlsx",
        description="NAICS 2022 codes, 2- to 6-digit, with sector ranges",
    ),
    FileSource(
        name="ep_occupations",
        group="projections",
        url=f"{BLS}/emp/ind-occ-matrix/occupation.xlsx",
        table="raw.ep__occupation_projections",
        columns=PROJECTION_COLUMNS,
        parse=_lazy("transforms.projections", "read_occupation_projections"),
        release=_column_value("projection_period"),
        expect="xlsx",
        description="BLS Employment Projections, occupation table 1.2",
    ),
    *[_oews(year) for year in OEWS_YEARS],
    _onet(
        "onet_occupations",
        "occupation_data",
        _cols(text="onet_soc_code title description"),
        "O*NET occupations",
    ),
    _onet(
        "onet_alternate_titles",
        "alternate_titles",
        _cols(text="onet_soc_code title alternate_title short_title sources"),
        "O*NET alternate titles",
    ),
    _onet(
        "onet_reported_titles",
        "reported_titles",
        {**_cols(text="onet_soc_code title reported_title"), "shown_in_my_next_move": "boolean"},
        "O*NET sample of reported titles",
    ),
    _onet(
        "onet_tasks",
        "task_statements",
        {
            "onet_soc_code": "varchar",
            "task_id": "bigint",
            "task": "varchar",
            "task_type": "varchar",
        },
        "O*NET task statements",
    ),
    _onet(
        "onet_technology_skills",
        "technology_skills",
        {
            **_cols(text="onet_soc_code example commodity_code commodity_title"),
            **_cols(boolean="hot_technology in_demand"),
        },
        "O*NET technology skills",
    ),
    _onet(
        "onet_job_zones",
        "job_zones",
        {
            **_cols(text="onet_soc_code title"),
            "job_zone": "bigint",
            **_cols(text="date domain_source"),
        },
        "O*NET Job Zones (preparation needed, 1-5)",
        optional=True,
    ),
    _onet(
        "onet_related_occupations",
        "related_occupations",
        {
            **_cols(
                text="onet_soc_code title related_onet_soc_code related_title relatedness_tier"
            ),
            "related_index": "bigint",
        },
        "O*NET Related Occupations",
        optional=True,
    ),
]
