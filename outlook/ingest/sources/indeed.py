"""Indeed Hiring Lab trackers: US aggregate, US by occupational category, US states, wages."""

from __future__ import annotations

from outlook.ingest.sources.base import FileSource
from transforms import indeed

TRACKER = "https://raw.githubusercontent.com/hiring-lab/job_postings_tracker/master"
WAGES = "https://raw.githubusercontent.com/hiring-lab/indeed-wage-tracker/main"


def _source(
    name: str,
    url: str,
    table: str,
    layout: indeed.IndeedLayout,
    columns: dict[str, str],
    description: str,
) -> FileSource:
    return FileSource(
        name=name,
        group="indeed",
        url=url,
        table=table,
        columns=columns,
        parse=lambda path, location: indeed.read_tracker(path, layout, location),
        release=lambda frame, url: indeed.vintage(frame),
        mode="snapshot",
        expect="csv",
        licence="CC BY 4.0",
        attribution=indeed.ATTRIBUTION,
        description=description,
    )


_DAILY_INDEX = {
    "date": "date",
    "country": "varchar",
    "index_sa": "double",
    "index_nsa": "double",
    "variable": "varchar",
}
_WAGE = {
    "country": "varchar",
    "country_name": "varchar",
    "month": "date",
    "n_obs": "double",
    "wage_growth_yoy": "double",
    "wage_growth_yoy_3mo": "double",
}

SOURCES = [
    _source(
        "indeed_us_aggregate",
        f"{TRACKER}/US/aggregate_job_postings_US.csv",
        "raw.indeed__aggregate_postings",
        indeed.AGGREGATE,
        _DAILY_INDEX,
        "Indeed job postings index, US total, daily, SA and NSA (Feb 1 2020 = 100)",
    ),
    _source(
        "indeed_us_category",
        f"{TRACKER}/US/job_postings_by_sector_US.csv",
        "raw.indeed__category_postings",
        indeed.SECTOR,
        {
            "date": "date",
            "country": "varchar",
            "index_sa": "double",
            "variable": "varchar",
            "category": "varchar",
        },
        "Indeed job postings index by occupational category ('sector'), US, daily",
    ),
    _source(
        "indeed_us_state",
        f"{TRACKER}/US/state_job_postings_us.csv",
        "raw.indeed__state_postings",
        indeed.STATE,
        {"date": "date", "state": "varchar", "index_sa": "double"},
        "Indeed job postings index by US state, daily",
    ),
    _source(
        "indeed_wage_category",
        f"{WAGES}/posted-wage-growth-by-sector.csv",
        "raw.indeed__wage_growth_category",
        indeed.WAGE_SECTOR,
        {**_WAGE, "category": "varchar"},
        "Indeed posted wage growth, year over year, by country and US occupational category",
    ),
]
