"""Declarative charts for the exports and the dashboard: Altair specs rendered by vl-convert.

vl-convert runs Vega in an embedded JS engine, so SVG and PNG come out without a browser
and, given the same spec, byte for byte the same (tests/exports checks it). Specs carry
their data inline and nothing time-dependent; months are plotted in UTC so the machine's
time zone cannot shift a point. Every chart names its source and period in its subtitle,
because editors paste charts without the surrounding page.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import altair as alt

WIDTH = 640
HEIGHT = 320
PNG_SCALE = 2
FONT = "DejaVu Sans"  # installed with Debian's fonts-dejavu-core; fixed so layouts agree
AXIS_MONTH = "%b %Y"  # "Apr 2025": a reader's month, not the ISO "2025-04"
AVERAGE_WIDTH = 2.5  # the 3-month average line, and its legend swatch


@dataclass(frozen=True)
class RenderedChart:
    name: str  # file stem: 'trend', 'wages'
    spec: dict[str, Any]
    svg: str
    png: bytes


def _title(title: str, subtitle: Sequence[str]) -> alt.TitleParams:
    return alt.TitleParams(
        text=title, subtitle=list(subtitle), anchor="start", fontSize=15, subtitleFontSize=11
    )


def _empty(message: str, title: str, subtitle: Sequence[str]) -> alt.Chart:
    return (
        alt.Chart(alt.Data(values=[{"message": message}]))
        .mark_text(fontSize=14, color="#555")
        .encode(text="message:N")
        .properties(width=WIDTH, height=80, title=_title(title, subtitle))
    )


def trend_chart(
    role: str, rows: Sequence[dict[str, Any]], period: str, source: str
) -> alt.Chart | alt.LayerChart:
    """Monthly unique postings by industry: faint monthly counts, solid 3-month average.

    ``rows``: month ('YYYY-MM-DD'), industry (label), unique_postings, avg_3m (rounded).
    The 3-month average points are drawn as marks so each carries an aria-label with its
    value (screen readers, and the browser test reads them back).
    """
    title = f"{role}: job postings by industry"
    subtitle = [
        f"Unique postings per month (thin) and 3-month moving average (thick), {period}",
        f"Source: {source}",
    ]
    if not rows:
        # no role name: every empty chart is the same spec, rendered once (see render)
        return _empty("No postings for this role in the data", "Job postings by industry", subtitle)
    base = alt.Chart(alt.Data(values=list(rows))).encode(
        x=alt.X(
            "month:T",
            timeUnit="utcyearmonth",
            title=None,
            axis=alt.Axis(format=AXIS_MONTH, labelAngle=0, tickCount=8),
        ),
        # the legend draws the thick 3-month line's swatch: full opacity and width, not the
        # faint monthly layer's (the first layer would otherwise set it)
        color=alt.Color(
            "industry:N",
            title="Industry",
            sort="ascending",
            legend=alt.Legend(
                labelLimit=260,
                symbolType="stroke",
                symbolOpacity=1,
                symbolStrokeWidth=AVERAGE_WIDTH,
            ),
        ),
    )
    monthly = base.mark_line(strokeWidth=1, opacity=0.35).encode(
        y=alt.Y("unique_postings:Q", title="Unique postings per month")
    )
    average = base.mark_line(strokeWidth=AVERAGE_WIDTH).encode(y="avg_3m:Q")
    points = base.mark_point(filled=True, size=18).encode(
        y="avg_3m:Q",
        tooltip=[
            alt.Tooltip("industry:N", title="industry"),
            alt.Tooltip("month:T", timeUnit="utcyearmonth", title="month", format="%B %Y"),
            alt.Tooltip("avg_3m:Q", title="3-month average"),
        ],
    )
    return alt.layer(monthly, average, points).properties(
        width=WIDTH, height=HEIGHT, title=_title(title, subtitle)
    )


def wage_chart(
    role: str, rows: Sequence[dict[str, Any]], period: str, source: str
) -> alt.Chart | alt.LayerChart:
    """OEWS annual wage range by occupation and industry: p10-p90 rule, p25-p75 bar, median.

    ``rows``: occupation ('Chief Executives (11-1011)'), industry (label), a_pct10, a_pct25,
    a_median, a_pct75, a_pct90 (NULL when BLS suppressed or top-coded the cell: that part
    is simply not drawn). One band per occupation, one coloured line per industry in it.
    """
    title = f"{role}: annual wages by occupation and industry"
    subtitle = [
        f"Related occupations, 10th-90th percentile (bar 25th-75th, tick median), {period}",
        f"Source: {source}",
    ]
    if not rows:
        return _empty(
            "No OEWS wage estimates for the role's occupations",
            "Annual wages by occupation and industry",
            subtitle,
        )
    occupations = list(dict.fromkeys(r["occupation"] for r in rows))
    industries = list(dict.fromkeys(r["industry"] for r in rows))
    base = alt.Chart(alt.Data(values=list(rows))).encode(
        y=alt.Y("occupation:N", title=None, sort=occupations, axis=alt.Axis(labelLimit=330)),
        yOffset=alt.YOffset("industry:N", sort=industries),
        color=alt.Color(
            "industry:N",
            title="Industry",
            sort=industries,
            legend=alt.Legend(
                orient="bottom", columns=2, labelLimit=320, symbolType="square", symbolOpacity=1
            ),
        ),
    )
    axis = alt.Axis(format="$,.0f", title="Annual wage (USD)")
    whisker = base.mark_rule(strokeWidth=1.5).encode(
        x=alt.X("a_pct10:Q", axis=axis, scale=alt.Scale(zero=False)), x2="a_pct90:Q"
    )
    box = base.mark_bar(size=8).encode(x="a_pct25:Q", x2="a_pct75:Q")
    median = base.mark_tick(thickness=2, size=10).encode(
        x="a_median:Q",
        color=alt.value("#222"),
        tooltip=[
            alt.Tooltip("occupation:N", title="occupation"),
            alt.Tooltip("industry:N", title="industry"),
            alt.Tooltip("a_pct10:Q", title="10th percentile", format="$,.0f"),
            alt.Tooltip("a_median:Q", title="median", format="$,.0f"),
            alt.Tooltip("a_pct90:Q", title="90th percentile", format="$,.0f"),
        ],
    )
    height = max(120, 12 * len(rows) + 18 * len(occupations))
    return alt.layer(whisker, box, median).properties(
        width=WIDTH - 180, height=height, title=_title(title, subtitle)
    )


def skills_chart(
    role: str, rows: Sequence[dict[str, Any]], period: str, source: str
) -> alt.Chart | alt.LayerChart:
    """Share of postings with a description naming each skill, by industry: one bar per
    industry in each skill's band, the legend's swatches filled in the series colour.

    ``rows``: skill, industry (label), share_pct (0-100, one decimal), postings (with a
    description in that industry). Skills in the order given (most named first).
    """
    title = f"{role}: skills named in job postings"
    subtitle = [
        f"Share of postings with a description naming each skill, by industry, {period}",
        f"Source: {source}",
    ]
    if not rows:
        return _empty(
            "Too few postings with a description to chart skills",
            "Skills named in job postings",
            subtitle,
        )
    skills = list(dict.fromkeys(r["skill"] for r in rows))
    industries = list(dict.fromkeys(r["industry"] for r in rows))
    bars = (
        alt.Chart(alt.Data(values=list(rows)))
        .mark_bar(size=8)
        .encode(
            y=alt.Y("skill:N", title=None, sort=skills, axis=alt.Axis(labelLimit=240)),
            yOffset=alt.YOffset("industry:N", sort=industries),
            x=alt.X(
                "share_pct:Q",
                title="Share of postings with a description (%)",
                scale=alt.Scale(domain=[0, 100]),
            ),
            color=alt.Color(
                "industry:N",
                title="Industry",
                sort=industries,
                legend=alt.Legend(
                    orient="bottom",
                    columns=2,
                    labelLimit=320,
                    symbolType="square",
                    symbolOpacity=1,
                ),
            ),
            tooltip=[
                alt.Tooltip("skill:N", title="skill"),
                alt.Tooltip("industry:N", title="industry"),
                alt.Tooltip("share_pct:Q", title="share (%)"),
                alt.Tooltip("postings:Q", title="postings with a description"),
            ],
        )
    )
    height = max(120, 10 * len(rows) + 14 * len(skills))
    return bars.properties(width=WIDTH - 180, height=height, title=_title(title, subtitle))


@lru_cache(maxsize=32)
def _render_json(spec_json: str) -> tuple[str, bytes]:
    import vl_convert as vlc  # lazily: it starts a JS engine on first use

    svg = vlc.vegalite_to_svg(spec_json)
    # PNG from the SVG (resvg only): same pixels, half the time of a second Vega run
    return svg, vlc.svg_to_png(svg, scale=PNG_SCALE)


def render(name: str, chart: alt.TopLevelMixin) -> RenderedChart:
    """SVG and PNG of ``chart``. Each call costs ~0.1-0.3 s whatever the data, so identical
    specs (the placeholder of every role without data) are rendered once per process."""
    # the font goes in the spec: passing ``config=`` to vl-convert costs ~0.1 s a call
    spec = chart.configure(font=FONT).to_dict()
    svg, png = _render_json(json.dumps(spec, sort_keys=True))
    return RenderedChart(name=name, spec=spec, svg=svg, png=png)
