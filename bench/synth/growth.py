"""The calendar of a drop: its months, the intensity of each cell in each month, and the
date texts a row is written with.

Intensity of a cell in month m: ``emp * exp(growth * m / 12) * (1 + amp * sin(...))``, with
a log growth per cell and a seasonal amplitude and phase per sector, all drawn from the
seed.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bench.synth.config import Taxonomy
from bench.synth.sampling import choice, lookup


def month_range(end_month: str, n: int) -> np.ndarray:
    end = np.datetime64(end_month, "M")
    return np.arange(end - (n - 1), end + 1)


def cell_intensity(
    rng: np.random.Generator, tax: Taxonomy, months: np.ndarray
) -> dict[str, np.ndarray]:
    n_cells = len(tax.cell_soc)
    sector_index = {s: i for i, s in enumerate(tax.sectors)}
    cell_s = np.array([sector_index[s] for s in tax.cell_sector])
    growth = rng.normal(0.02, 0.15, size=n_cells)  # annual log growth per cell
    amp = rng.uniform(0.03, 0.2, size=len(tax.sectors))
    phase = rng.uniform(0, 12, size=len(tax.sectors))
    t = np.arange(len(months)) / 12.0
    moy = (months.astype("datetime64[M]").astype(int) % 12).astype(float)
    season = 1 + amp[cell_s, None] * np.sin(2 * np.pi * (moy[None, :] - phase[cell_s, None]) / 12)
    lam = tax.cell_emp[:, None] * np.exp(growth[:, None] * t[None, :]) * season
    return {"lam": lam, "growth": growth, "cell_sector_idx": cell_s, "amp": amp, "phase": phase}


def _fmt_day(v: object) -> str:
    d, f = divmod(int(v), 10)
    when = date.fromordinal(date(1970, 1, 1).toordinal() + d)
    return (when.isoformat(), when.strftime("%m/%d/%Y"), when.strftime("%d %b %Y"))[f]


def date_texts(rng: np.random.Generator, day: np.ndarray) -> tuple[pa.Array, pa.Array]:
    """Posted and close dates of rows posted on ``day`` (days since 1970-01-01), as text:
    ISO, US or day-month-year (one format per row, both dates alike); 60% of rows have a
    close date 30, 45 or 60 days later."""
    n = len(day)
    date_fmt = choice(rng, [("iso", 85), ("us", 12), ("dmy", 3)], n)
    posted = lookup(day * 10 + date_fmt, _fmt_day)
    close_off = np.array([30, 45, 60])[rng.integers(0, 3, n)]
    has_close = rng.random(n) < 0.6
    close = lookup((day + close_off) * 10 + date_fmt, _fmt_day)
    close = pc.if_else(pa.array(has_close), close, "")
    return posted, close
