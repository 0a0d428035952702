-- Grain: one row per (JOLTS industry, month): job openings level (thousands) and rate
-- (percent), seasonally adjusted, with the NAICS sector the industry stands for
-- (naics_sector is set only for the one industry chosen to represent a sector; totals and
-- multi-sector groups have it NULL and list their coverage in naics_sectors).
-- Source: BLS Job Openings and Labor Turnover Survey (public domain), via the BLS API v2.
with series as (
    select industry_code, rate_or_level, month, value, preliminary, vintage
    from staging.stg_bls__jolts_series
    where data_element = 'JO' and seasonal = 'S'
),

pivoted as (
    select
        industry_code,
        month,
        max(value) filter (where rate_or_level = 'L') as openings_level,
        max(value) filter (where rate_or_level = 'R') as openings_rate,
        bool_or(preliminary) as preliminary,
        max(vintage) as vintage
    from series
    group by industry_code, month
),

industries as (
    select
        industry_code,
        any_value(industry_title) as industry_title,
        max(case when is_primary then naics_sector end) as naics_sector,
        list(naics_sector order by naics_sector) filter (where naics_sector is not null)
            as naics_sectors
    from seeds.jolts_industries
    group by industry_code
)

select
    pivoted.industry_code,
    industries.industry_title,
    industries.naics_sector,
    industries.naics_sectors,
    pivoted.month,
    pivoted.openings_level,
    pivoted.openings_rate,
    pivoted.preliminary,
    'BLS JOLTS job openings, seasonally adjusted' as source,
    pivoted.vintage
from pivoted
left join industries using (industry_code)
order by pivoted.industry_code, pivoted.month
