-- Grain: one row per (JOLTS series, month) from the BLS Public Data API v2 (annual averages
-- M13 excluded by the parser). Values as published: levels in thousands, rates in percent.
with source as (
    select
        series_id, industry_code, data_element, ratelevel, seasonal, year, period, month,
        value, footnotes, preliminary, _release
    from raw.jolts__series
)

select
    series_id,
    industry_code,
    data_element,
    ratelevel as rate_or_level,
    seasonal,
    cast(month as date) as month,
    cast(value as double) as value,
    footnotes,
    preliminary,
    _release as vintage
from source
