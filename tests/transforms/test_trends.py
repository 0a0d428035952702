"""transforms.trends on small series whose answers are worked out by hand."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from transforms.trends import (
    TrendConfig,
    add_months,
    ols_slope,
    pct_change,
    role_trend_table,
    seasonal_factors,
    series_trend,
    t_critical,
)

# The statistics on hand-sized counts: no minimum number of postings (the evidence rules
# have tests of their own below).
STATS = TrendConfig(min_postings=0)


def months_from(start: date, n: int) -> list[date]:
    return [add_months(start, i) for i in range(n)]


def test_t_critical_matches_published_t_tables() -> None:
    # two-sided critical values from the standard t table (three decimals)
    assert t_critical(0.90, 1) == pytest.approx(6.314, abs=5e-4)
    assert t_critical(0.90, 10) == pytest.approx(1.812, abs=5e-4)
    assert t_critical(0.95, 30) == pytest.approx(2.042, abs=5e-4)
    assert t_critical(0.90, 40) == pytest.approx(1.684, abs=5e-4)
    assert t_critical(0.95, 120) == pytest.approx(1.980, abs=5e-4)
    assert t_critical(0.99, 5) == pytest.approx(4.032, abs=5e-4)  # any confidence now
    with pytest.raises(ValueError, match="between 0 and 1"):
        t_critical(1.0, 5)
    with pytest.raises(ValueError, match="degree of freedom"):
        t_critical(0.90, 0)


def test_ols_slope_by_hand() -> None:
    # x centred [-1.5, -.5, .5, 1.5], Sxx = 5; y - mean = [-1, 0, 0, 1] -> slope 3/5.
    # fitted [.1, .7, 1.3, 1.9], residuals [-.1, .3, -.3, .1], SSE .2, sigma2 .1, se sqrt(.02)
    fit = ols_slope([0, 1, 1, 2])
    assert fit.slope == pytest.approx(0.6)
    assert fit.se == pytest.approx(math.sqrt(0.02))
    with pytest.raises(ValueError):
        ols_slope([1, 2])


def test_pct_change_base_zero_or_missing() -> None:
    assert pct_change(15, 10) == pytest.approx(50.0)
    assert pct_change(5, 0) is None
    assert pct_change(None, 3) is None
    assert pct_change(3, None) is None


def test_doubling_series_is_100_pct_a_month() -> None:
    # unique + 1 = 1, 2, 4, 8, 16, 32: log slope ln 2 exactly, zero residuals
    counts = [0, 1, 3, 7, 15, 31]
    start = date(2025, 1, 1)
    out = series_trend(months_from(start, 6), counts, counts, date(2025, 6, 1), STATS)
    assert out["trend_pct_per_month"] == pytest.approx(100.0)
    assert out["trend_ci_low_pct_per_month"] == pytest.approx(100.0)
    assert out["trend_annualised_pct"] == pytest.approx(100.0 * (2**12 - 1))
    assert out["n_postings"] == 57
    assert out["trend_months"] == 6


def test_zero_months_are_filled_not_skipped() -> None:
    # Jan 3, (Feb missing), Mar 3, Apr 3, (May missing), Jun 3 -> six months, two zeros
    months = [date(2025, 1, 1), date(2025, 3, 1), date(2025, 4, 1), date(2025, 6, 1)]
    out = series_trend(months, [3, 3, 3, 3], [3, 3, 3, 3], date(2025, 6, 1), STATS)
    assert out["n_months"] == 6
    assert out["n_postings"] == 12
    # log1p: [ln4, 0, ln4, ln4, 0, ln4] is symmetric around the centre -> slope 0
    assert out["trend_pct_per_month"] == pytest.approx(0.0, abs=1e-12)
    assert out["trend_ci_low_pct_per_month"] < 0 < out["trend_ci_high_pct_per_month"]


def test_series_starting_mid_year_has_no_previous_window() -> None:
    # Oct 2024 .. Dec 2025 = 15 months: the current window (Jan..Dec 2025) is complete,
    # the previous one (Jan..Dec 2024) starts before the data -> NULL, and no % change.
    start, as_of = date(2024, 10, 1), date(2025, 12, 1)
    new = [1] * 15
    out = series_trend(months_from(start, 15), new, new, as_of, STATS)
    assert out["n_months"] == 15
    assert out["current_window_start"] == date(2025, 1, 1)
    assert out["previous_window_start"] == date(2024, 1, 1)
    assert out["previous_window_end"] == date(2024, 12, 1)
    assert out["postings_current_window"] == 12
    assert out["postings_previous_window"] is None
    assert out["window_change_pct"] is None
    # Oct..Dec 2025 vs Oct..Dec 2024 exists; the last month vs a year before too
    assert out["yoy_last_3_months_pct"] == pytest.approx(0.0)
    assert out["yoy_last_month_pct"] == pytest.approx(0.0)


def test_two_full_windows_and_yoy() -> None:
    # 24 months: first year 2 a month, second year 3 a month -> 24 vs 36 = +50%
    new = [2] * 12 + [3] * 12
    unique = [2] * 12 + [3] * 11 + [6]
    out = series_trend(months_from(date(2024, 1, 1), 24), unique, new, date(2025, 12, 1), STATS)
    assert out["postings_previous_window"] == 24
    assert out["postings_current_window"] == 36
    assert out["window_change_pct"] == pytest.approx(50.0)
    assert out["yoy_last_month_pct"] == pytest.approx(200.0)  # 6 vs 2
    assert out["yoy_last_3_months_pct"] == pytest.approx(100 * (12 / 6 - 1))  # 3+3+6 vs 2+2+2


def test_spike_in_the_middle_does_not_tilt_the_trend() -> None:
    unique = [1, 1, 1, 15, 1, 1, 1]  # symmetric: slope 0, but a wide interval
    out = series_trend(months_from(date(2025, 1, 1), 7), unique, unique, date(2025, 7, 1), STATS)
    assert out["trend_pct_per_month"] == pytest.approx(0.0, abs=1e-12)
    low, high = out["trend_ci_low_pct_per_month"], out["trend_ci_high_pct_per_month"]
    # by hand: log1p -> ln2 x6 and ln16; mean-centred spike 3 ln2 * 6/7; Sxx = 28
    y = np.log1p(np.array(unique, float))
    resid = y - y.mean()
    se = math.sqrt(float(resid @ resid) / 5 / 28)
    # t(0.95, df=5) = 2.0150484 (two-sided 90%; three-decimal tables print 2.015)
    assert high == pytest.approx(100 * math.expm1(2.0150484 * se))
    assert low == pytest.approx(100 * math.expm1(-2.0150484 * se))


def test_short_series_has_no_slope() -> None:
    unique = [5, 6, 7, 8]
    out = series_trend(months_from(date(2025, 9, 1), 4), unique, unique, date(2025, 12, 1))
    assert out["trend_pct_per_month"] is None
    assert out["trend_annualised_pct"] is None
    assert out["trend_months"] == 0
    assert out["postings_current_window"] is None  # fewer than 12 months of data
    assert out["n_postings"] == 26
    # a shorter minimum lets it through
    cfg = TrendConfig(min_trend_months=4, min_postings=0)
    assert (
        series_trend(months_from(date(2025, 9, 1), 4), unique, unique, date(2025, 12, 1), cfg)[
            "trend_pct_per_month"
        ]
        is not None
    )


def test_months_after_as_of_are_ignored() -> None:
    months = months_from(date(2025, 1, 1), 8)
    out = series_trend(months, [1] * 7 + [100], [1] * 7 + [100], date(2025, 7, 1), STATS)
    assert out["n_months"] == 7 and out["n_postings"] == 7


def test_seasonal_factors_recover_a_known_pattern() -> None:
    pattern = np.array([0.3, -0.1, 0, 0, 0, 0.2, 0, 0, -0.2, 0, 0, -0.2])  # sums to 0
    x = np.arange(36)
    log_values = 1.0 + 0.02 * x + np.tile(pattern, 3)
    factors = seasonal_factors(log_values, [i % 12 + 1 for i in x])
    assert np.allclose(factors, np.tile(pattern, 3))


def test_seasonal_adjustment_only_from_36_months() -> None:
    pattern = np.array([0.3, -0.1, 0, 0, 0, 0.2, 0, 0, -0.2, 0, 0, -0.2])
    x = np.arange(36)
    unique = np.expm1(1.0 + 0.02 * x + np.tile(pattern, 3))
    months = months_from(date(2023, 1, 1), 36)
    out = series_trend(months, unique, unique, date(2025, 12, 1), STATS)
    assert out["seasonally_adjusted"] is True
    assert out["trend_pct_per_month"] == pytest.approx(100 * math.expm1(0.02))
    assert out["trend_ci_high_pct_per_month"] == pytest.approx(100 * math.expm1(0.02))
    short = series_trend(months[1:], unique[1:], unique[1:], date(2025, 12, 1), STATS)
    assert short["seasonally_adjusted"] is False
    assert short["trend_ci_high_pct_per_month"] > short["trend_ci_low_pct_per_month"] + 0.1


def test_role_trend_table_uses_one_as_of_month() -> None:
    monthly = pd.DataFrame(
        {
            "role": ["R"] * 3 + ["R"] * 2,
            "role_slug": ["r"] * 5,
            "industry_sector": ["62"] * 3 + ["all"] * 2,
            "sector_title": ["Health"] * 3 + ["All industries"] * 2,
            "industry_group": ["healthcare"] * 3 + ["all"] * 2,
            "month": pd.to_datetime(
                ["2025-01-01", "2025-02-01", "2025-03-01"] * 1 + ["2025-01-01", "2025-02-01"]
            ),
            "unique_postings": [1, 2, 3, 4, 5],
            "new_postings": [1, 2, 3, 4, 5],
        }
    )
    out = role_trend_table(monthly, STATS)
    assert list(out["industry_sector"]) == ["62", "all"]
    assert (out["last_month"] == date(2025, 3, 1)).all()
    assert list(out["n_months"]) == [3, 3]  # 'all' gets a zero March
    assert list(out["n_postings"]) == [6, 9]
    assert role_trend_table(monthly.iloc[0:0]).empty


def test_as_of_month_leaves_out_a_partial_last_month() -> None:
    from transforms.trends import as_of_month

    months = [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    assert as_of_month(months, [30, 31, 14]) == (date(2026, 10, 1), date(2026, 11, 1))
    assert as_of_month(months, [30, 31, 28]) == (date(2026, 11, 1), None)  # day 28 counts
    assert as_of_month(months, None) == (date(2026, 11, 1), None)  # no coverage known
    # February: its 28th is its last day; a 27-day February is partial.
    feb = [date(2026, 1, 1), date(2026, 2, 1)]
    assert as_of_month(feb, [31, 28]) == (date(2026, 2, 1), None)
    assert as_of_month(feb, [31, 27]) == (date(2026, 1, 1), date(2026, 2, 1))
    # All the data are one partial month: keep it, there is nothing else.
    assert as_of_month([date(2026, 11, 1)], [9]) == (date(2026, 11, 1), None)
    # A stricter setting.
    strict = TrendConfig(complete_month_min_day=31)
    assert as_of_month(months, [30, 31, 29], strict) == (date(2026, 10, 1), date(2026, 11, 1))
    assert as_of_month(months, [30, 31, 30], strict) == (date(2026, 11, 1), None)  # 30 days


# -- evidence rules: no measure on thin or uncovered data ---------------------------------


def test_changes_need_min_postings_in_both_counts() -> None:
    # 24 months, 2 then 5 a month: 24 vs 60 postings; +150% is a real change with 30 minimum
    new = [2] * 12 + [5] * 12
    months = months_from(date(2024, 1, 1), 24)
    cfg = TrendConfig(min_postings=30)
    out = series_trend(months, new, new, date(2025, 12, 1), cfg)
    assert out["postings_previous_window"] == 24 and out["postings_current_window"] == 60
    assert out["window_change_pct"] is None  # 24 < 30
    assert "window change: 60 vs 24 postings, fewer than 30" in out["measures_withheld"]
    assert out["yoy_last_3_months_pct"] is None  # 15 vs 6
    ok = series_trend(months, new, new, date(2025, 12, 1), TrendConfig(min_postings=24))
    assert ok["window_change_pct"] == pytest.approx(150.0)


def test_no_slope_and_no_seasonal_claim_on_too_few_postings() -> None:
    # 36 months of one posting a month: 24 over the fit, fewer than 30
    ones = [1] * 36
    out = series_trend(months_from(date(2023, 1, 1), 36), ones, ones, date(2025, 12, 1))
    assert out["trend_annualised_pct"] is None and out["trend_ci_low_annualised_pct"] is None
    assert out["seasonally_adjusted"] is False
    assert out["trend_months"] == 0
    assert "trend: 24 postings over 24 months, fewer than 30" in out["measures_withheld"]


def test_months_the_data_do_not_cover_are_not_zeros() -> None:
    # a feed that started in June 2025: 50 postings a month from then, nothing before;
    # the postings of a 2016 file put the first month far back
    months = [date(2016, 3, 1)] + months_from(date(2025, 6, 1), 7)
    new = [40] + [50] * 7
    covered = set(months)
    out = series_trend(months, new, new, date(2025, 12, 1), STATS, covered)
    assert out["n_months"] > 100  # the spine still runs from 2016
    assert out["postings_current_window"] is None  # 2025-01..05 not covered
    assert out["postings_previous_window"] is None
    assert out["window_change_pct"] is None
    assert "do not cover every month of the current window" in out["measures_withheld"]
    assert out["covered_months"] == 7
    assert out["trend_months"] == 7  # fitted on the covered run only: flat
    assert out["trend_pct_per_month"] == pytest.approx(0.0, abs=1e-9)
    # without the coverage, the zero-filled gap would read as a huge rise
    naive = series_trend(months, new, new, date(2025, 12, 1), STATS)
    assert naive["trend_pct_per_month"] > 10


def test_role_trend_table_passes_coverage() -> None:
    months = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-06-01"])
    monthly = pd.DataFrame(
        {
            "role": ["R"] * 3,
            "role_slug": ["r"] * 3,
            "industry_sector": ["all"] * 3,
            "sector_title": ["All industries"] * 3,
            "industry_group": ["all"] * 3,
            "month": months,
            "unique_postings": [1, 2, 3],
            "new_postings": [1, 2, 3],
        }
    )
    covered = {date(2025, 1, 1), date(2025, 2, 1), date(2025, 6, 1)}
    out = role_trend_table(monthly, STATS, covered)
    assert out["covered_months"].tolist() == [1]


def test_no_slope_for_a_thin_current_window() -> None:
    # busy a year ago, 2 a month now: 24 in the current window, fewer than 30
    new = [10] * 12 + [2] * 12
    out = series_trend(months_from(date(2024, 1, 1), 24), new, new, date(2025, 12, 1))
    assert out["trend_annualised_pct"] is None
    assert "trend: 24 postings in the current window, fewer than 30" in out["measures_withheld"]
