-- Grain: one row per (country, occupational category, month) of Indeed posted wage growth.
with source as (
    select
        country,
        country_name,
        category,
        month,
        n_obs,
        wage_growth_yoy,
        wage_growth_yoy_3mo,
        _release,
        _source_file
    from raw.indeed__wage_growth_category
)

select
    upper(country) as country_code,
    country_name,
    category as indeed_category,
    cast(month as date) as month,
    cast(n_obs as bigint) as observations,
    cast(wage_growth_yoy as double) as wage_growth_yoy_pct,
    cast(wage_growth_yoy_3mo as double) as wage_growth_yoy_3mo_pct,
    _release as vintage,
    _source_file as source_file
from source
