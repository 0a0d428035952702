"""The evidence behind an outlook label, in words: one row of the evidence model
(``intermediate.int_role_outlook__evidence``) -> the ``Evidence`` items the label rules weigh,
each with its value, period, source and the sentence an editor reads.

All the wording of ``marts.role_outlook.evidence_text`` lives here, once. Pure: a dict in,
a list out.
"""

from __future__ import annotations

import pandas as pd

from transforms.outlook_rules import Evidence


def none_if_missing(value: object) -> object:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _month(value: object) -> str:
    value = none_if_missing(value)
    return "" if value is None else pd.Timestamp(value).strftime("%Y-%m")  # type: ignore[arg-type]


def _signed(value: object, unit: str = "%") -> str:
    return "n/a" if none_if_missing(value) is None else f"{float(value):+.1f}{unit}"  # type: ignore[arg-type]


def evidence_for(row: dict[str, object]) -> list[Evidence]:
    """The evidence items of one evidence-query row, in reading order."""
    window = (
        f"{_month(row['current_window_start'])}..{_month(row['current_window_end'])} vs "
        f"{_month(row['previous_window_start'])}..{_month(row['previous_window_end'])}"
    )
    current, previous = (
        none_if_missing(row["postings_current_window"]),
        none_if_missing(row["postings_previous_window"]),
    )
    withheld = str(none_if_missing(row.get("measures_withheld")) or "")
    if none_if_missing(row["last_month"]) is None:
        postings_text = "postings: no posting data for this role"
    elif current is None and "cover every month" in withheld:
        postings_text = (
            f"postings: the posting data cover only the {row['covered_months']} months to "
            f"{_month(row['last_month'])} without a gap, too few for a "
            f"{row['window_months']}-month window"
        )
    elif current is None:
        postings_text = (
            f"postings: fewer than {row['window_months']} months of posting data to "
            f"{_month(row['last_month'])}"
        )
    elif previous is None:
        postings_text = (
            f"postings: {current} new unique postings in "
            f"{_month(row['current_window_start'])}..{_month(row['current_window_end'])}; no "
            "full earlier window to compare"
        )
    elif none_if_missing(row["window_change_pct"]) is None:
        postings_text = (
            f"postings: {current} vs {previous} new unique postings ({window}), too few to "
            "measure a change"
        )
    else:
        postings_text = (
            f"postings {_signed(row['window_change_pct'])} ({current} vs {previous} new unique "
            f"postings, {window})"
        )
    if none_if_missing(row.get("partial_month_excluded")) is not None:
        postings_text += f" ({_month(row['partial_month_excluded'])} left out: partial month)"
    year_only = int(none_if_missing(row.get("postings_year_precision")) or 0)
    if year_only:
        postings_text += (
            f"; {year_only:,} postings dated only by year left out of the monthly figures"
        )
    low, high = row["trend_ci_low_annualised_pct"], row["trend_ci_high_annualised_pct"]
    ci = None if none_if_missing(low) is None else (float(low), float(high))  # type: ignore[arg-type]
    confidence = int(round(100 * float(none_if_missing(row["trend_confidence"]) or 0.9)))  # type: ignore[arg-type]
    adjusted = ", seasonally adjusted" if row["seasonally_adjusted"] else ""
    trend_reason = next(
        (part for part in withheld.split("; ") if part.startswith("trend: ")), ""
    ).removeprefix("trend: ")
    trend_text = (
        f"trend {_signed(row['trend_annualised_pct'])}/yr ({confidence}% CI {_signed(low)} to "
        f"{_signed(high)}, {row['trend_months']} months{adjusted})"
        if ci is not None
        else f"trend: not estimated ({trend_reason or 'no posting data'})"
    )
    socs = row["soc_codes"] or "no SOC codes"
    employment, wage = (
        none_if_missing(row["oews_employment"]),
        none_if_missing(row["oews_median_annual_wage"]),
    )
    oews_text = (
        f"OEWS {row['oews_release']}: {int(employment):,} employed in {socs}"  # type: ignore[arg-type]
        + (f", median ${float(wage):,.0f}/yr" if wage is not None else "")  # type: ignore[arg-type]
        if employment is not None
        else (
            f"OEWS: the loaded releases publish no cross-industry figures for {socs}"
            if row["industry_sector"] in ("all", "unknown")
            else f"OEWS: no published employment for {socs} in this industry"
        )
    )
    openings = none_if_missing(row["projected_annual_openings"])
    projections_text = (
        f"BLS projects {_signed(row['projected_growth_pct'])} employment "
        f"{row['projections_period']} for {socs}"
        + (f" ({float(openings):,.1f}k openings a year)" if openings is not None else "")  # type: ignore[arg-type]
        if none_if_missing(row["projected_growth_pct"]) is not None
        else "BLS projections: none for these SOC codes"
    )
    jolts_text = (
        f"JOLTS openings ({row['jolts_industry_title']}) {_signed(row['jolts_change_12m_pct'])} "
        f"over 12 months to {_month(row['jolts_as_of'])}"
        if none_if_missing(row["jolts_change_12m_pct"]) is not None
        else "JOLTS: no 12-month change for this industry"
    )
    indeed_text = (
        f"Indeed '{row['indeed_category']}' postings index {float(row['indeed_index_level']):.1f} "  # type: ignore[arg-type]
        f"(Feb 2020 = 100), {_signed(row['indeed_change_12m_pct'])} over 12 months to "
        f"{_month(row['indeed_as_of'])}"
        if none_if_missing(row["indeed_index_level"]) is not None
        else f"Indeed: no index for category '{row['indeed_category']}'"
    )
    return [
        Evidence(
            "postings_window_change",
            none_if_missing(row["window_change_pct"]),  # type: ignore[arg-type]
            window,
            "job postings (marts.role_industry_monthly)",
            postings_text,
        ),
        Evidence(
            "postings_trend",
            none_if_missing(row["trend_annualised_pct"]),  # type: ignore[arg-type]
            f"{row['trend_months']} months to {_month(row['last_month'])}",
            "job postings (marts.role_trend)",
            trend_text,
            ci,
        ),
        Evidence(
            "oews_employment",
            employment,  # type: ignore[arg-type]
            str(none_if_missing(row["oews_release"]) or ""),
            "BLS OEWS (marts.occupation_wages)",
            oews_text,
        ),
        Evidence(
            "projected_growth",
            none_if_missing(row["projected_growth_pct"]),  # type: ignore[arg-type]
            str(none_if_missing(row["projections_period"]) or ""),
            "BLS Employment Projections (marts.occupation_projections)",
            projections_text,
        ),
        Evidence(
            "jolts_openings",
            none_if_missing(row["jolts_change_12m_pct"]),  # type: ignore[arg-type]
            f"12 months to {_month(row['jolts_as_of'])}",
            "BLS JOLTS (marts.industry_openings)",
            jolts_text,
        ),
        Evidence(
            "indeed_index",
            none_if_missing(row["indeed_change_12m_pct"]),  # type: ignore[arg-type]
            f"12 months to {_month(row['indeed_as_of'])}",
            "Indeed Hiring Lab (marts.indeed_postings_monthly)",
            indeed_text,
        ),
    ]
