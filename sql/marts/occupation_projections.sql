-- Grain: one row per (projection_period, soc_code): BLS Employment Projections table 1.2,
-- line items and summary rows, as published (employment and openings in thousands), with
-- the change worded as the Occupational Outlook Handbook words it against the release's
-- all-occupations change, and O*NET's Bright Outlook for detailed occupations.
-- Source: BLS Employment Projections program (public domain). Rules: the [projections]
-- section of data/seeds/outlook_rules.toml (seeds.projection_growth_bands,
-- seeds.bright_outlook_rules), where each rule's origin is cited.
with projections as (
    select
        projection_period, base_year, projected_year, soc_code, title, occupation_type,
        employment_base, employment_projected, employment_change, employment_change_pct,
        annual_openings, median_annual_wage, median_wage_top_coded, typical_education,
        work_experience, on_the_job_training
    from staging.stg_bls__occupation_projections
),

all_occupations as (
    -- the '00-0000' total of each release: the average every band is measured against
    select projection_period, employment_change_pct as all_occupations_change_pct
    from projections
    where soc_code = '00-0000'
),

bands as (
    select band_order, growth_words, min_ratio, bright_outlook_growth
    from seeds.projection_growth_bands
),

worded as (
    -- the highest band whose lower bound the change reaches; none when the release has no
    -- positive all-occupations change to measure against
    select
        projections.projection_period,
        projections.soc_code,
        all_occupations.all_occupations_change_pct,
        bands.growth_words,
        bands.bright_outlook_growth
    from projections
    inner join all_occupations using (projection_period)
    inner join bands
        on bands.min_ratio is null
        or projections.employment_change_pct
        >= bands.min_ratio * all_occupations.all_occupations_change_pct
    where all_occupations.all_occupations_change_pct > 0
        and projections.employment_change_pct is not null
    qualify row_number() over (
        partition by projections.projection_period, projections.soc_code
        order by bands.band_order
    ) = 1
),

bright as (
    select min_openings_over_period from seeds.bright_outlook_rules
),

criteria as (
    -- O*NET's two criteria the projections can answer, for detailed occupations only
    -- (O*NET flags occupations, not groups); NULL when the figure is missing
    select
        projections.projection_period,
        projections.soc_code,
        worded.bright_outlook_growth as grows_rapidly,
        1000 * projections.annual_openings * (projections.projected_year - projections.base_year)
        >= bright.min_openings_over_period as many_openings
    from projections
    cross join bright
    left join worded
        on worded.projection_period = projections.projection_period
        and worded.soc_code = projections.soc_code
    where projections.occupation_type = 'line_item'
)

select
    projections.projection_period,
    projections.base_year,
    projections.projected_year,
    projections.soc_code,
    projections.title,
    projections.occupation_type,
    projections.employment_base,
    projections.employment_projected,
    projections.employment_change,
    projections.employment_change_pct,
    projections.annual_openings,
    projections.median_annual_wage,
    projections.median_wage_top_coded,
    projections.typical_education,
    projections.work_experience,
    projections.on_the_job_training,
    all_occupations.all_occupations_change_pct,
    worded.growth_words,
    projections.annual_openings * (projections.projected_year - projections.base_year)
        as openings_over_period,
    case
        when criteria.grows_rapidly or criteria.many_openings then true
        when criteria.grows_rapidly is null and criteria.many_openings is null then null
        else false
    end as bright_outlook,
    nullif(
        concat_ws(
            ', ',
            case when criteria.grows_rapidly then 'grows rapidly' end,
            case when criteria.many_openings then 'many job openings' end
        ),
        ''
    ) as bright_outlook_criteria,
    'BLS Employment Projections ' || projections.projection_period || ', table 1.2' as source
from projections
left join all_occupations
    on all_occupations.projection_period = projections.projection_period
left join worded
    on worded.projection_period = projections.projection_period
    and worded.soc_code = projections.soc_code
left join criteria
    on criteria.projection_period = projections.projection_period
    and criteria.soc_code = projections.soc_code
order by projections.projection_period, projections.soc_code
