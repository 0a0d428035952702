-- Grain: one row per NAICS 2022 code (2- to 6-digit, sectors as published ranges), with its
-- sector. Source: U.S. Census Bureau NAICS 2022. OEWS's government code '99' is added as a
-- pseudo-sector because OEWS publishes cross-ownership government estimates under it.
with codes as (
    select naics_code, naics_title, level, sector_code
    from staging.stg_census__naics_codes
),

sectors as (
    select naics_code as sector_code, naics_title as sector_title
    from codes
    where level = 2
),

oews_government as (
    select
        '99' as naics_code,
        'Federal, State, and Local Government (OEWS designation)' as naics_title,
        2 as level,
        '99' as sector_code
)

select
    codes.naics_code,
    codes.naics_title,
    codes.level,
    codes.sector_code,
    sectors.sector_title
from codes
left join sectors using (sector_code)
union all
select naics_code, naics_title, level, sector_code, naics_title as sector_title
from oews_government
order by naics_code
