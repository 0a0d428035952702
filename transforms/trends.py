"""Demand trends for one monthly postings series: windows, log-linear slope, seasonality.

Pure functions on numbers (numpy/pandas, scipy for the t quantile). The Python model
``marts.role_trend`` applies :func:`role_trend_table` to ``marts.role_industry_monthly``.

Statistics, and why:

- **Windows**: postings in the trailing ``window_months`` months ending at the as-of month
  vs the ``window_months`` before. Counts are *new* postings (each canonical posting once,
  in the month it was posted), so a window total is a number of distinct jobs. A window
  that reaches before the first month of data is *incomplete*: its total is NULL, never a
  partial count that would fake a rise.
- **Trend**: OLS of ``log(unique_postings + 1)`` on the month index over the last
  ``trend_months`` months. ``+1`` keeps zero months in the fit (a month with no postings
  is information, not a gap). The slope ``b`` is a log change per month, reported as
  ``100 * (exp(b) - 1)`` % per month and ``100 * (exp(12 b) - 1)`` % per year, with a
  two-sided ``confidence`` (90%) interval ``b +- t(df = n - 2) * se(b)`` transformed the
  same way. Fewer than ``min_trend_months`` months -> no slope (NULL).
- **Seasonal adjustment** (only when the whole series has >= ``seasonal_min_months``
  months, i.e. three of each calendar month): month-of-year means in log space, estimated
  jointly with a linear trend (least squares of ``log y`` on the month index plus twelve
  calendar-month dummies), centred on zero and subtracted before the trend fit. Estimating
  them with the trend keeps a steady rise from leaking into the December effect (plain
  month means would); with fewer than three years a month-of-year mean is mostly noise,
  so the series is left as is (``seasonally_adjusted`` says which).
- **Year over year**: the last month and the last three months against the same calendar
  months a year before -- comparisons that seasonality cannot bias.
- **Evidence first**: a zero in a month the posting data do not cover at all (no posting
  of any role: the feed had not started, or paused) is not a fall. A window reaching into
  such a month is NULL, and the slope is fitted on the trailing run of covered months
  only. A percent change is computed only when each of its two counts holds at least
  ``min_postings`` postings, and a slope only when its months, and the current window,
  hold that many; what was
  left out, and why, is in ``measures_withheld``. ``min_postings`` is the label's minimum
  (``[label] min_postings``), so the rule is written once.
- **As-of month**: the last *complete* month. When the data stop before day
  ``complete_month_min_day`` of their last month (a feed pulled on the 14th), that month
  holds half a month of postings and would read as a fall; it is left out of every
  measure (``partial_month_excluded`` names it).

The t quantile is ``scipy.stats.t.ppf`` (exact for every df and confidence).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

__all__ = [
    "SlopeFit",
    "TrendConfig",
    "add_months",
    "ols_slope",
    "pct_change",
    "as_of_month",
    "role_trend_table",
    "seasonal_factors",
    "series_trend",
    "t_critical",
]


def t_critical(confidence: float, df: int) -> float:
    """Two-sided critical value of Student's t: P(|T| <= t) = confidence, df >= 1."""
    from scipy.stats import t  # here: scipy.stats costs ~0.7 s to import, trends need it late

    if not 0 < confidence < 1:
        raise ValueError(f"confidence {confidence} must be between 0 and 1 (e.g. 0.90)")
    if df < 1:
        raise ValueError("t needs at least one degree of freedom")
    return float(t.ppf(0.5 + confidence / 2, df))


@dataclass(frozen=True)
class SlopeFit:
    slope: float  # change in y per step of x
    se: float  # standard error of the slope (0 for a perfect fit)
    n: int


def ols_slope(y: Sequence[float]) -> SlopeFit:
    """Least-squares slope of ``y`` on x = 0, 1, ..., n-1 and its standard error (n >= 3)."""
    values = np.asarray(y, dtype=float)
    n = values.size
    if n < 3:
        raise ValueError("a slope with a standard error needs at least 3 points")
    x = np.arange(n, dtype=float)
    xc = x - x.mean()
    sxx = float(xc @ xc)
    slope = float(xc @ (values - values.mean())) / sxx
    residuals = values - values.mean() - slope * xc
    sigma2 = float(residuals @ residuals) / (n - 2)
    return SlopeFit(slope, math.sqrt(sigma2 / sxx), n)


def seasonal_factors(log_values: Sequence[float], month_of_year: Sequence[int]) -> np.ndarray:
    """Per-observation seasonal factor: the calendar-month effects of the least-squares fit
    ``log y = b * t + effect[month]``, centred on zero (see the module notes)."""
    values = np.asarray(log_values, dtype=float)
    months = np.asarray(month_of_year, dtype=int)
    calendar = np.unique(months)
    design = np.column_stack(
        [np.arange(values.size, dtype=float)] + [(months == m).astype(float) for m in calendar]
    )
    coef = np.linalg.lstsq(design, values, rcond=None)[0]
    effects = coef[1:] - coef[1:].mean()
    lookup = dict(zip(calendar.tolist(), effects.tolist(), strict=True))
    return np.array([lookup[m] for m in months.tolist()])


def pct_change(new: float | None, old: float | None) -> float | None:
    """``100 * (new / old - 1)``; None when either is missing or the base is 0."""
    if new is None or old is None or old == 0 or pd.isna(new) or pd.isna(old):
        return None
    return 100.0 * (float(new) / float(old) - 1.0)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class TrendConfig:
    window_months: int = 12
    trend_months: int = 24
    min_trend_months: int = 6
    confidence: float = 0.90
    seasonal_min_months: int = 36
    complete_month_min_day: int = 28
    # Fewest postings a measure may rest on ([label] min_postings in outlook_rules.toml,
    # passed in by the model so the rule is written once): each count of a percent change,
    # and the months a slope is fitted on.
    min_postings: int = 30

    @classmethod
    def from_mapping(cls, values: dict[str, object]) -> TrendConfig:
        known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}
        return cls(**known)  # type: ignore[arg-type]


def _growth(log_slope: float | None, months: int) -> float | None:
    return None if log_slope is None else 100.0 * math.expm1(months * log_slope)


def _trailing_run(flags: np.ndarray) -> int:
    """Length of the run of True at the end of ``flags``."""
    gaps = np.nonzero(~flags)[0]
    return int(flags.size if gaps.size == 0 else flags.size - 1 - gaps[-1])


def series_trend(
    months: Sequence[date],
    unique_postings: Sequence[float],
    new_postings: Sequence[float],
    as_of: date,
    config: TrendConfig = TrendConfig(),
    covered_months: Collection[date] | None = None,
) -> dict[str, object]:
    """Trend measures of one series. Months missing between the first month and ``as_of``
    count as zero postings; months after ``as_of`` are ignored.

    ``covered_months``: the months the posting data cover at all (any posting of any role);
    None means every month. A zero in a month the data do not cover is not a fall: windows
    reaching into such months are NULL, and the slope is fitted only on the trailing run of
    covered months. ``withheld`` says, in words, which measures were left out and why.
    """
    # Sum each month's counts (a month may repeat; NaN counts as nothing), up to as_of.
    # Plain dicts, not a frame per series: role_trend runs this for every series.
    totals: dict[date, list[float]] = {}
    for month, u, n in zip(months, unique_postings, new_postings, strict=True):
        if month <= as_of:
            total = totals.setdefault(month, [0.0, 0.0])
            total[0] += float(u) if u == u else 0.0
            total[1] += float(n) if n == n else 0.0
    first = min(totals) if totals else as_of
    n_total = (as_of.year - first.year) * 12 + as_of.month - first.month + 1
    spine = [add_months(first, i) for i in range(n_total)]
    counts = np.array([totals.get(m, (0.0, 0.0)) for m in spine], dtype=float).reshape(-1, 2)
    unique, new = counts[:, 0].copy(), counts[:, 1].copy()
    covered = np.array([covered_months is None or m in covered_months for m in spine], dtype=bool)
    withheld: list[str] = []

    w = config.window_months
    cur_start, prev_start = add_months(as_of, -(w - 1)), add_months(as_of, -(2 * w - 1))
    prev_end = add_months(as_of, -w)

    def window_total(lo: int, hi: int | None) -> float | None:
        """New postings over spine[lo:hi] (negative indices), NULL unless the data cover it."""
        if n_total < -lo:
            return None
        if not covered[lo:hi].all():
            return None
        return float(new[lo:hi].sum())

    cur, prev = window_total(-w, None), window_total(-2 * w, -w)
    if n_total >= w and cur is None:
        withheld.append("the posting data do not cover every month of the current window")
    elif n_total >= 2 * w and prev is None:
        withheld.append("the posting data do not cover every month of the previous window")
    change = _supported_change(cur, prev, config.min_postings, withheld, "window change")

    span = _trailing_run(covered)  # the covered months up to the as-of month
    run = min(span, config.trend_months)
    log_values = np.log1p(unique)
    adjusted = span >= config.seasonal_min_months
    if adjusted:
        log_values[-span:] -= seasonal_factors(log_values[-span:], [m.month for m in spine[-span:]])
    fit_values = log_values[-run:] if run else log_values[:0]
    fit_postings = float(new[-run:].sum()) if run else 0.0
    slope = low = high = None
    if fit_values.size < max(config.min_trend_months, 3):
        withheld.append(
            f"trend: {fit_values.size} covered months, fewer than {config.min_trend_months}"
        )
    elif fit_postings < config.min_postings:
        withheld.append(
            f"trend: {int(fit_postings)} postings over {fit_values.size} months, fewer than "
            f"{config.min_postings}"
        )
    elif cur is not None and cur < config.min_postings:
        # a slope drawn through older, busier months would speak for a window that holds
        # too few postings to speak for itself
        withheld.append(
            f"trend: {int(cur)} postings in the current window, fewer than {config.min_postings}"
        )
    else:
        fit = ols_slope(fit_values)
        half = t_critical(config.confidence, fit.n - 2) * fit.se
        slope, low, high = fit.slope, fit.slope - half, fit.slope + half
    if slope is None:
        adjusted = False  # no claim of seasonal adjustment without a trend to adjust

    def yoy(last: int) -> float | None:
        if n_total < 12 + last or not covered[-12 - last :].all():
            return None
        return _supported_change(
            float(unique[-last:].sum()), float(unique[-12 - last : -12].sum()),
            config.min_postings, None, "",
        )  # fmt: skip

    return {
        "first_month": first,
        "last_month": as_of,
        "n_months": n_total,
        "n_postings": int(new.sum()),
        "window_months": w,
        "current_window_start": cur_start,
        "current_window_end": as_of,
        "previous_window_start": prev_start,
        "previous_window_end": prev_end,
        "postings_current_window": None if cur is None else int(cur),
        "postings_previous_window": None if prev is None else int(prev),
        "window_change_pct": change,
        "trend_months": int(fit_values.size) if slope is not None else 0,
        "seasonally_adjusted": adjusted,
        "trend_pct_per_month": _growth(slope, 1),
        "trend_ci_low_pct_per_month": _growth(low, 1),
        "trend_ci_high_pct_per_month": _growth(high, 1),
        "trend_annualised_pct": _growth(slope, 12),
        "trend_ci_low_annualised_pct": _growth(low, 12),
        "trend_ci_high_annualised_pct": _growth(high, 12),
        "trend_confidence": config.confidence,
        "yoy_last_month_pct": yoy(1),
        "yoy_last_3_months_pct": yoy(3),
        "covered_months": span,
        "measures_withheld": "; ".join(withheld) or None,
    }


def _supported_change(
    new: float | None, old: float | None, min_postings: int, withheld: list[str] | None, what: str
) -> float | None:
    """``pct_change`` only when both counts hold at least ``min_postings`` postings: a
    change from 2 to 5 postings is +150% and means nothing."""
    if new is None or old is None:
        return None
    if min(new, old) < min_postings:
        if withheld is not None:
            withheld.append(
                f"{what}: {int(new)} vs {int(old)} postings, fewer than {min_postings} in a window"
            )
        return None
    return pct_change(new, old)


KEY_COLUMNS = ["role", "role_slug", "industry_sector", "sector_title", "industry_group"]
TREND_COLUMNS = [
    *KEY_COLUMNS,
    *series_trend([date(2020, 1, 1)], [0], [0], date(2020, 1, 1)).keys(),
    "partial_month_excluded",
]


def as_of_month(
    months: Sequence[date], days_covered: Sequence[int] | None, config: TrendConfig = TrendConfig()
) -> tuple[date, date | None]:
    """The as-of month and the partial month left out (or None).

    ``days_covered``: days of each month the data reach (``role_industry_monthly``); the
    last month counts when they reach ``complete_month_min_day`` (or its last day, in a
    shorter month). Data that are all one partial month keep it: there is nothing else.
    """
    last = max(months)
    if days_covered is None:
        return last, None
    covered = min(d for m, d in zip(months, days_covered, strict=True) if m == last)
    month_days = (add_months(last, 1) - last).days
    if covered >= min(config.complete_month_min_day, month_days) or len(set(months)) == 1:
        return last, None
    return add_months(last, -1), last


def role_trend_table(
    monthly: pd.DataFrame,
    config: TrendConfig = TrendConfig(),
    covered_months: Collection[date] | None = None,
) -> pd.DataFrame:
    """One row per (role, industry_sector) of ``marts.role_industry_monthly`` rows.

    Every series is measured up to the same as-of month (the last complete month in the
    table, see ``as_of_month``), so windows line up across roles and industries.
    ``covered_months``: months with any posting data (see ``series_trend``).
    """
    if monthly.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in TREND_COLUMNS})
    frame = monthly.assign(month=pd.to_datetime(monthly["month"]).dt.date)
    days = frame["days_covered"].astype(int).tolist() if "days_covered" in frame else None
    as_of, partial = as_of_month(frame["month"].tolist(), days, config)
    # One pass over columns as Python lists, cut at key changes (a groupby of 800 series
    # cost more than the statistics).
    frame = frame.sort_values([*KEY_COLUMNS, "month"], kind="stable", na_position="last")
    keys = list(zip(*(frame[c].tolist() for c in KEY_COLUMNS), strict=True))
    months = frame["month"].tolist()
    unique = frame["unique_postings"].astype(float).tolist()
    new = frame["new_postings"].astype(float).tolist()
    rows = []
    start = 0
    for end in range(1, len(keys) + 1):
        if end < len(keys) and keys[end] == keys[start]:
            continue
        measures = series_trend(
            months[start:end], unique[start:end], new[start:end], as_of, config, covered_months
        )
        rows.append(
            dict(zip(KEY_COLUMNS, keys[start], strict=True))
            | measures
            | {"partial_month_excluded": partial}
        )
        start = end
    return pd.DataFrame(rows, columns=TREND_COLUMNS)
