-- Grain: one row per (projection period, SOC code) of BLS Employment Projections table 1.2.
-- Employment and openings are in thousands, as published. Renames and casts only.
with source as (
    select
        projection_period, base_year, projected_year, soc_code, title, occupation_type,
        employment_base, employment_projected, employment_change, employment_change_pct,
        annual_openings, median_annual_wage, median_wage_top_coded, typical_education,
        work_experience, on_the_job_training, _source_file
    from raw.ep__occupation_projections
)

select
    projection_period,
    cast(base_year as integer) as base_year,
    cast(projected_year as integer) as projected_year,
    soc_code,
    title,
    occupation_type,
    cast(employment_base as double) as employment_base,
    cast(employment_projected as double) as employment_projected,
    cast(employment_change as double) as employment_change,
    cast(employment_change_pct as double) as employment_change_pct,
    cast(annual_openings as double) as annual_openings,
    cast(median_annual_wage as double) as median_annual_wage,
    median_wage_top_coded,
    typical_education,
    work_experience,
    on_the_job_training,
    _source_file as source_file
from source
