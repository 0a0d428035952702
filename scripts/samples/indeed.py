"""Write small Indeed Hiring Lab tracker files for the demo mirror, in the upstream format.

The values are synthetic (a smooth trend plus weekly and yearly wiggles, seeded), written
by this project; only the layout (columns, date format, unsorted interleaved runs) follows
the public tracker files.
"""

from __future__ import annotations

import csv
import math
import random
from datetime import date, timedelta
from pathlib import Path

HOST = "raw.githubusercontent.com/hiring-lab"
START = date(2020, 2, 1)
END = date(2026, 10, 31)
# (category, level in Oct 2026 vs Feb 2020 = 100): the demo's occupational categories.
CATEGORIES = {
    "Management": 88.0,
    "Medical Information": 112.0,
    "Nursing": 121.0,
    "Software Development": 64.0,
    "Banking & Finance": 79.0,
    "Project Management": 83.0,
    "Industrial Engineering": 92.0,
    "Human Resources": 71.0,
    "Mathematics": 86.0,
    "Logistic Support": 97.0,
}


def _series(rng: random.Random, end_level: float, days: int) -> list[float]:
    values = []
    for i in range(days):
        t = i / max(days - 1, 1)
        covid_dip = -25 * math.exp(-(((i - 75) / 40) ** 2))
        boom = 35 * math.exp(-(((i - 800) / 250) ** 2))
        trend = 100 + (end_level - 100) * t + covid_dip + boom
        season = 2.0 * math.sin(2 * math.pi * i / 365.25)
        values.append(round(trend + season + rng.gauss(0, 0.3), 2))
    values[0] = 100.0
    return values


def write_indeed_samples(mirror_root: Path, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    days = (END - START).days + 1
    dates = [(START + timedelta(days=i)).isoformat() for i in range(days)]
    written: list[Path] = []

    aggregate = mirror_root / HOST / "job_postings_tracker/master/US/aggregate_job_postings_US.csv"
    rows = []
    for variable, end_level in (("total postings", 104.0), ("new postings", 96.0)):
        sa = _series(rng, end_level, days)
        nsa = [round(v + 1.5 * math.sin(2 * math.pi * i / 365.25 + 1), 2) for i, v in enumerate(sa)]
        nsa[0] = 100.0
        rows += [[d, "US", s, n, variable] for d, s, n in zip(dates, sa, nsa, strict=True)]
    written.append(
        _write(
            aggregate,
            [
                "date",
                "jobcountry",
                "indeed_job_postings_index_SA",
                "indeed_job_postings_index_NSA",
                "variable",
            ],
            rows,
        )
    )

    # Upstream rows are not sorted: categories are written in blocks, new-postings runs first.
    sector = mirror_root / HOST / "job_postings_tracker/master/US/job_postings_by_sector_US.csv"
    rows = []
    week = dates[::7] if len(dates) > 7 else dates
    for category, end_level in CATEGORIES.items():
        for variable, shift in (("new postings", -6.0), ("total postings", 0.0)):
            values = _series(rng, end_level + shift, len(week))
            rows += [[d, "US", v, variable, category] for d, v in zip(week, values, strict=True)]
    written.append(
        _write(
            sector,
            ["date", "jobcountry", "indeed_job_postings_index", "variable", "display_name"],
            rows,
        )
    )

    state = mirror_root / HOST / "job_postings_tracker/master/US/state_job_postings_us.csv"
    rows = []
    for code, end_level in (("ma", 98.0), ("oh", 90.0), ("tx", 108.0), ("ca", 85.0)):
        values = _series(rng, end_level, len(week))
        rows += [[d, code, v] for d, v in zip(week, values, strict=True)]
    written.append(_write(state, ["date", "state", "indeed_job_postings_index"], rows))

    wages = mirror_root / HOST / "indeed-wage-tracker/main/posted-wage-growth-by-sector.csv"
    rows = []
    month = date(2019, 1, 1)
    while month <= date(2026, 9, 1):
        for category in CATEGORIES:
            growth = round(3.0 + rng.gauss(0, 0.8), 2)
            rows.append(
                [
                    "US",
                    "United States",
                    category,
                    month.strftime("%b-%y"),
                    rng.randint(2000, 40000),
                    growth,
                    "NA"
                    if month.year == 2019 and month.month < 3
                    else round(growth + rng.gauss(0, 0.2), 2),
                ]
            )
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    written.append(
        _write(
            wages,
            [
                "jobcountry",
                "country",
                "sector",
                "month",
                "n_obs",
                "posted_wage_growth_yoy",
                "posted_wage_growth_yoy_3moavg",
            ],
            rows,
        )
    )
    return written


def _write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path
