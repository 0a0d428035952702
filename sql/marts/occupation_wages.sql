-- Grain: one row per (release, soc_code, o_group, naics_code): OEWS employment and wages as
-- published. Suppressed cells are NULL, never zero: emp_suppressed (**), wage_not_available
-- (*), wage_top_coded (#: at or above the top of the published scale); wage_markers lists
-- which cells. Source: BLS Occupational Employment and Wage Statistics (public domain).
-- o_group is part of the key: BLS publishes some codes both as a broad group and as the
-- single detailed occupation under it (e.g. 13-1020 Buyers and Purchasing Agents).
-- When a release has several files (sector and 3-6 digit), each NAICS code comes from one.
with estimates as (
    select
        release, release_year, source_member, naics_code, naics_title, i_group, soc_code,
        occ_title, o_group, tot_emp, emp_prse, pct_total, h_mean, a_mean, h_pct10, h_pct25,
        h_median, h_pct75, h_pct90, a_pct10, a_pct25, a_median, a_pct75, a_pct90, annual_only,
        hourly_only, emp_suppressed, wage_not_available, wage_top_coded, wage_markers,
        source_file
    from staging.stg_bls__oews_industry_estimates
),

with_sector as (
    select
        *,
        case
            when naics_code = '000000' then null
            when left(naics_code, 2) in ('31', '32', '33') then '31-33'
            when left(naics_code, 2) in ('44', '45') then '44-45'
            when left(naics_code, 2) in ('48', '49') then '48-49'
            else left(naics_code, 2)
        end as naics_sector
    from estimates
)

select
    release,
    release_year,
    soc_code,
    occ_title,
    o_group,
    naics_code,
    naics_title,
    naics_sector,
    i_group,
    tot_emp,
    emp_prse,
    pct_total,
    h_mean,
    a_mean,
    h_pct10,
    h_pct25,
    h_median,
    h_pct75,
    h_pct90,
    a_pct10,
    a_pct25,
    a_median,
    a_pct75,
    a_pct90,
    annual_only,
    hourly_only,
    emp_suppressed,
    wage_not_available,
    wage_top_coded,
    wage_markers,
    source_member || ' (' || source_file || ')' as source_file,
    'BLS OEWS ' || release || ' national industry-specific estimates' as source
from with_sector
qualify row_number() over (
    partition by release, soc_code, o_group, naics_code
    order by length(source_member), source_member
) = 1
order by release, naics_code, soc_code
