-- Grain: one row per (release, source file member, NAICS code, SOC code) as BLS published it.
-- Source: BLS OEWS national industry-specific estimates (oesmYYin4.zip). Renames and casts only;
-- suppressed cells are already NULL with their flags (** employment, * wage, # top-coded).
with source as (
    select
        release, source_member, naics_code, naics_title, i_group, soc_code, occ_title, o_group,
        tot_emp, emp_prse, pct_total, h_mean, a_mean, h_pct10, h_pct25, h_median, h_pct75,
        h_pct90, a_pct10, a_pct25, a_median, a_pct75, a_pct90, annual_only, hourly_only,
        emp_suppressed, wage_not_available, wage_top_coded, wage_markers, _source_file
    from raw.oews__industry_estimates
)

select
    release,
    cast(substr(release, 2) as integer) as release_year,
    source_member,
    naics_code,
    naics_title,
    i_group,
    soc_code,
    occ_title,
    o_group,
    cast(tot_emp as bigint) as tot_emp,
    cast(emp_prse as double) as emp_prse,
    cast(pct_total as double) as pct_total,
    cast(h_mean as double) as h_mean,
    cast(a_mean as double) as a_mean,
    cast(h_pct10 as double) as h_pct10,
    cast(h_pct25 as double) as h_pct25,
    cast(h_median as double) as h_median,
    cast(h_pct75 as double) as h_pct75,
    cast(h_pct90 as double) as h_pct90,
    cast(a_pct10 as double) as a_pct10,
    cast(a_pct25 as double) as a_pct25,
    cast(a_median as double) as a_median,
    cast(a_pct75 as double) as a_pct75,
    cast(a_pct90 as double) as a_pct90,
    annual_only,
    hourly_only,
    emp_suppressed,
    wage_not_available,
    wage_top_coded,
    wage_markers,
    _source_file as source_file
from source
