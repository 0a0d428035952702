-- Grain: one row per (projection_period, soc_code): BLS Employment Projections table 1.2,
-- line items and summary rows, as published (employment and openings in thousands).
-- Source: BLS Employment Projections program (public domain).
with projections as (
    select
        projection_period, base_year, projected_year, soc_code, title, occupation_type,
        employment_base, employment_projected, employment_change, employment_change_pct,
        annual_openings, median_annual_wage, median_wage_top_coded, typical_education,
        work_experience, on_the_job_training
    from staging.stg_bls__occupation_projections
)

select
    projection_period,
    base_year,
    projected_year,
    soc_code,
    title,
    occupation_type,
    employment_base,
    employment_projected,
    employment_change,
    employment_change_pct,
    annual_openings,
    median_annual_wage,
    median_wage_top_coded,
    typical_education,
    work_experience,
    on_the_job_training,
    'BLS Employment Projections ' || projection_period || ', table 1.2' as source
from projections
order by projection_period, soc_code
