"""Python models ``marts.role_trend`` and ``marts.role_outlook`` (statistics and label rules).

The numbers come from SQL (``marts.role_industry_monthly`` and the evidence query in
``sql/queries/role_outlook_evidence.sql``); the statistics and the label are pure functions
in ``transforms.trends`` and ``transforms.outlook_rules``, configured by
``data/seeds/outlook_rules.toml``. Both models are full rebuilds (a few thousand series at
most: well under a second); nothing reads the clock, so two builds give identical tables.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from outlook.config import SQL_DIR
from outlook.build.models import Model, python_model

EVIDENCE_SQL = SQL_DIR / "queries" / "role_outlook_evidence.sql"

OUTLOOK_COLUMNS = [
    "role",
    "role_slug",
    "industry_sector",
    "sector_title",
    "industry_group",
    "label",
    "score",
    "postings_current_window",
    "postings_previous_window",
    "window_change_pct",
    "trend_annualised_pct",
    "trend_ci_low_annualised_pct",
    "trend_ci_high_annualised_pct",
    "yoy_last_3_months_pct",
    "n_postings",
    "soc_codes",
    "oews_employment",
    "oews_median_annual_wage",
    "projected_growth_pct",
    "projected_annual_openings",
    "jolts_industry_code",
    "jolts_openings_level",
    "jolts_change_12m_pct",
    "indeed_category",
    "indeed_index_level",
    "indeed_change_vs_feb_2020_pts",
    "indeed_change_12m_pct",
    "evidence_text",
    "evidence_json",
    "postings_as_of",
    "postings_year_precision",
    "measures_withheld",
    "current_window_start",
    "current_window_end",
    "oews_release",
    "projections_period",
    "jolts_as_of",
    "indeed_as_of",
]


def _rules_path() -> Path:
    from transforms.outlook_rules import DEFAULT_RULES_PATH

    return DEFAULT_RULES_PATH


def build_role_trend(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    from transforms.outlook_rules import load_rules
    from transforms.trends import TrendConfig, role_trend_table

    monthly = con.execute(
        "select role, role_slug, industry_sector, sector_title, industry_group, month, "
        "unique_postings, new_postings, days_covered from marts.role_industry_monthly "
        "order by role, industry_sector, month"
    ).df()
    # Months the posting data cover at all: some posting of any role, any industry.
    covered = {
        row[0]
        for row in con.execute(
            "select distinct month from marts.role_industry_monthly "
            "where industry_sector = 'all' and sector_unique_postings > 0"
        ).fetchall()
    }
    rules = load_rules(_rules_path())
    config = TrendConfig.from_mapping({**rules.trend, "min_postings": rules.min_postings})
    return _typed(role_trend_table(monthly, config, covered))


def _none(value: object) -> object:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _month(value: object) -> str:
    value = _none(value)
    return "" if value is None else pd.Timestamp(value).strftime("%Y-%m")  # type: ignore[arg-type]


def _signed(value: object, unit: str = "%") -> str:
    return "n/a" if _none(value) is None else f"{float(value):+.1f}{unit}"  # type: ignore[arg-type]


def evidence_for(row: dict[str, object]) -> list:
    """The evidence items of one evidence-query row, in reading order."""
    from transforms.outlook_rules import Evidence

    window = (
        f"{_month(row['current_window_start'])}..{_month(row['current_window_end'])} vs "
        f"{_month(row['previous_window_start'])}..{_month(row['previous_window_end'])}"
    )
    current, previous = (
        _none(row["postings_current_window"]),
        _none(row["postings_previous_window"]),
    )
    withheld = str(_none(row.get("measures_withheld")) or "")
    if _none(row["last_month"]) is None:
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
    elif _none(row["window_change_pct"]) is None:
        postings_text = (
            f"postings: {current} vs {previous} new unique postings ({window}), too few to "
            "measure a change"
        )
    else:
        postings_text = (
            f"postings {_signed(row['window_change_pct'])} ({current} vs {previous} new unique "
            f"postings, {window})"
        )
    if _none(row.get("partial_month_excluded")) is not None:
        postings_text += f" ({_month(row['partial_month_excluded'])} left out: partial month)"
    year_only = int(_none(row.get("postings_year_precision")) or 0)
    if year_only:
        postings_text += (
            f"; {year_only:,} postings dated only by year left out of the monthly figures"
        )
    low, high = row["trend_ci_low_annualised_pct"], row["trend_ci_high_annualised_pct"]
    ci = None if _none(low) is None else (float(low), float(high))  # type: ignore[arg-type]
    confidence = int(round(100 * float(_none(row["trend_confidence"]) or 0.9)))  # type: ignore[arg-type]
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
    employment, wage = _none(row["oews_employment"]), _none(row["oews_median_annual_wage"])
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
    openings = _none(row["projected_annual_openings"])
    projections_text = (
        f"BLS projects {_signed(row['projected_growth_pct'])} employment "
        f"{row['projections_period']} for {socs}"
        + (f" ({float(openings):,.1f}k openings a year)" if openings is not None else "")  # type: ignore[arg-type]
        if _none(row["projected_growth_pct"]) is not None
        else "BLS projections: none for these SOC codes"
    )
    jolts_text = (
        f"JOLTS openings ({row['jolts_industry_title']}) {_signed(row['jolts_change_12m_pct'])} "
        f"over 12 months to {_month(row['jolts_as_of'])}"
        if _none(row["jolts_change_12m_pct"]) is not None
        else "JOLTS: no 12-month change for this industry"
    )
    indeed_text = (
        f"Indeed '{row['indeed_category']}' postings index {float(row['indeed_index_level']):.1f} "  # type: ignore[arg-type]
        f"(Feb 2020 = 100), {_signed(row['indeed_change_12m_pct'])} over 12 months to "
        f"{_month(row['indeed_as_of'])}"
        if _none(row["indeed_index_level"]) is not None
        else f"Indeed: no index for category '{row['indeed_category']}'"
    )
    return [
        Evidence(
            "postings_window_change",
            _none(row["window_change_pct"]),  # type: ignore[arg-type]
            window,
            "job postings (marts.role_industry_monthly)",
            postings_text,
        ),
        Evidence(
            "postings_trend",
            _none(row["trend_annualised_pct"]),  # type: ignore[arg-type]
            f"{row['trend_months']} months to {_month(row['last_month'])}",
            "job postings (marts.role_trend)",
            trend_text,
            ci,
        ),
        Evidence(
            "oews_employment",
            employment,  # type: ignore[arg-type]
            str(_none(row["oews_release"]) or ""),
            "BLS OEWS (marts.occupation_wages)",
            oews_text,
        ),
        Evidence(
            "projected_growth",
            _none(row["projected_growth_pct"]),  # type: ignore[arg-type]
            str(_none(row["projections_period"]) or ""),
            "BLS Employment Projections (marts.occupation_projections)",
            projections_text,
        ),
        Evidence(
            "jolts_openings",
            _none(row["jolts_change_12m_pct"]),  # type: ignore[arg-type]
            f"12 months to {_month(row['jolts_as_of'])}",
            "BLS JOLTS (marts.industry_openings)",
            jolts_text,
        ),
        Evidence(
            "indeed_index",
            _none(row["indeed_change_12m_pct"]),  # type: ignore[arg-type]
            f"12 months to {_month(row['indeed_as_of'])}",
            "Indeed Hiring Lab (marts.indeed_postings_monthly)",
            indeed_text,
        ),
    ]


def build_role_outlook(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    from transforms.outlook_rules import decide, load_rules

    rules = load_rules(_rules_path())
    evidence = con.execute(EVIDENCE_SQL.read_text(encoding="utf-8")).df()
    rows = []
    for row in evidence.to_dict("records"):
        decision = decide(_none(row["postings_current_window"]), evidence_for(row), rules)  # type: ignore[arg-type]
        rows.append(
            {
                **{c: _none(row.get(c)) for c in OUTLOOK_COLUMNS if c in row},
                "label": decision.label,
                "score": decision.score,
                "evidence_text": decision.evidence_text,
                "evidence_json": decision.evidence_json,
                "postings_as_of": _none(row["last_month"]),
            }
        )
    return _typed(pd.DataFrame(rows, columns=OUTLOOK_COLUMNS))


# DuckDB reads object columns by sniffing values; give each column an explicit type so an
# all-NULL column (no JOLTS yet, say) is still a DOUBLE/DATE, not an untyped NULL column.
_INTEGER = {
    "n_months",
    "n_postings",
    "window_months",
    "postings_current_window",
    "postings_previous_window",
    "trend_months",
    "oews_employment",
    "covered_months",
    "postings_year_precision",
}
_DATE = {
    "first_month",
    "last_month",
    "current_window_start",
    "current_window_end",
    "previous_window_start",
    "previous_window_end",
    "partial_month_excluded",
    "postings_as_of",
    "jolts_as_of",
    "indeed_as_of",
}
_TEXT = {
    "role",
    "role_slug",
    "industry_sector",
    "sector_title",
    "industry_group",
    "label",
    "soc_codes",
    "jolts_industry_code",
    "indeed_category",
    "evidence_text",
    "evidence_json",
    "oews_release",
    "projections_period",
    "measures_withheld",
}


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for column in frame.columns:
        values = frame[column]
        if column in _DATE:
            out[column] = (
                pd.to_datetime(values).astype("datetime64[s]").dt.date.astype("date32[pyarrow]")
            )
        elif column in _INTEGER:
            out[column] = pd.to_numeric(values).astype("Int64")
        elif column in _TEXT:
            out[column] = values.astype("string")
        elif column == "seasonally_adjusted":
            out[column] = values.astype("boolean")
        else:
            out[column] = pd.to_numeric(values).astype("Float64")
    return pd.DataFrame(out, columns=frame.columns)


def models() -> list[Model]:
    """The two models, for ``outlook.build.python_models``."""
    return [
        python_model("marts.role_trend", {"marts.role_industry_monthly"}, build_role_trend),
        python_model(
            "marts.role_outlook",
            {
                "marts.role_trend",
                "marts.role_industry_yearly",
                "marts.occupation_wages",
                "marts.occupation_projections",
                "marts.industry_openings",
                "marts.indeed_postings_monthly",
            },
            build_role_outlook,
        ),
    ]
