-- Grain: one row per (role, industry_sector) of marts.role_trend, plus every catalogue role
-- for all industries: the postings measures and the official numbers for the role's SOC
-- codes and the row's industry, each with its as-of date. The evidence marts.role_outlook
-- (sql/marts/role_outlook.py) weighs into a label.
-- SOC codes: seeds.role_soc rows for that NAICS sector when the catalogue lists any, else the
-- role's general list. Industry for official sources: the posting sector; NAICS 92 (Public
-- Administration) reads OEWS's government code '99' (OEWS publishes no sector 92); 'all' and
-- 'unknown' read the cross-industry / total-nonfarm figures.
with trend as (
    select
        role, role_slug, industry_sector, sector_title, industry_group, first_month,
        last_month, n_months, n_postings, window_months, current_window_start,
        current_window_end, previous_window_start, previous_window_end,
        postings_current_window, postings_previous_window, window_change_pct, trend_months,
        seasonally_adjusted, trend_annualised_pct, trend_ci_low_annualised_pct,
        trend_ci_high_annualised_pct, trend_confidence, yoy_last_month_pct,
        yoy_last_3_months_pct, partial_month_excluded, covered_months, measures_withheld
    from marts.role_trend
),

year_only as (
    -- postings dated only to the year: counted in marts.role_industry_yearly, left out of
    -- every monthly figure; the evidence says how many
    select role, industry_sector, sum(unique_postings_year_precision) as postings_year_precision
    from marts.role_industry_yearly
    group by role, industry_sector
    having sum(unique_postings_year_precision) > 0
),

pairs as (
    -- every (role, sector) with a trend, and every catalogue role for all industries, so a
    -- role without postings still gets a row (insufficient data, with the official numbers)
    select
        role,
        industry_sector,
        case
            when industry_sector in ('all', 'unknown') then 'all'
            when industry_sector = '92' then '99'
            else industry_sector
        end as official_sector
    from (
        select role, industry_sector from trend
        union
        select role, 'all' as industry_sector from seeds.roles
    )
),

sector_specific as (
    select distinct role, naics_sector from seeds.role_soc where naics_sector is not null
),

role_socs as (
    select pairs.role, pairs.industry_sector, pairs.official_sector, role_soc.soc_code
    from pairs
    inner join seeds.role_soc
        on role_soc.role = pairs.role
    left join sector_specific
        on sector_specific.role = pairs.role
        and sector_specific.naics_sector = pairs.industry_sector
    where (sector_specific.role is not null and role_soc.naics_sector = pairs.industry_sector)
        or (sector_specific.role is null and role_soc.naics_sector is null)
),

latest_oews as (
    select max_by(release, release_year) as release from marts.occupation_wages
),

oews as (
    -- BLS publishes some codes twice, as a broad group and as its one detailed occupation
    -- (same figures): keep one row per code, the detailed one, so employment is not doubled
    select
        occupation_wages.release,
        occupation_wages.soc_code,
        case
            when occupation_wages.naics_code = '000000' then 'all'
            else occupation_wages.naics_sector
        end as official_sector,
        occupation_wages.tot_emp,
        occupation_wages.a_median
    from marts.occupation_wages
    inner join latest_oews on latest_oews.release = occupation_wages.release
    where occupation_wages.naics_code = '000000' or occupation_wages.i_group = 'sector'
    qualify row_number() over (
        partition by occupation_wages.soc_code, occupation_wages.naics_code
        order by occupation_wages.o_group = 'detailed' desc, occupation_wages.o_group
    ) = 1
),

role_oews as (
    select
        role_socs.role,
        role_socs.industry_sector,
        string_agg(distinct role_socs.soc_code, ', ' order by role_socs.soc_code) as soc_codes,
        sum(oews.tot_emp) as oews_employment,
        -- employment-weighted mean of the SOC medians (a pooled median is not published)
        coalesce(
            sum(oews.a_median * oews.tot_emp) filter (where oews.a_median is not null)
            / nullif(sum(oews.tot_emp) filter (where oews.a_median is not null), 0),
            avg(oews.a_median)
        ) as oews_median_annual_wage,
        max(oews.release) as oews_release
    from role_socs
    left join oews
        on oews.soc_code = role_socs.soc_code
        and oews.official_sector = role_socs.official_sector
    group by role_socs.role, role_socs.industry_sector
),

latest_projections as (
    select max(projection_period) as projection_period from marts.occupation_projections
),

role_projections as (
    select
        role_socs.role,
        role_socs.industry_sector,
        -- summed as decimals: exact, so the result does not depend on the order DuckDB's
        -- threads add the rows in (a double sum of 5.2 + 1.3 + ... can differ in the last
        -- bit between two builds, and so the export versions that hash these values)
        cast(
            100 * sum(cast(projections.employment_change as decimal(18, 3)))
            / nullif(sum(cast(projections.employment_base as decimal(18, 3))), 0) as double
        ) as projected_growth_pct,
        cast(sum(cast(projections.annual_openings as decimal(18, 3))) as double)
            as projected_annual_openings,
        max(projections.projection_period) as projections_period,
        max(projections.all_occupations_change_pct) as projected_growth_all_occupations_pct,
        string_agg(distinct projections.soc_code, ', ' order by projections.soc_code)
            filter (where projections.bright_outlook) as bright_outlook_soc_codes
    from role_socs
    left join (
        select occupation_projections.*
        from marts.occupation_projections
        inner join latest_projections using (projection_period)
    ) as projections
        on projections.soc_code = role_socs.soc_code
    group by role_socs.role, role_socs.industry_sector
),

role_projection_words as (
    -- the role's occupations together, worded like one occupation (same bands and the same
    -- rule as each occupation in sql/marts/occupation_projections.sql)
    select role_projections.role, role_projections.industry_sector, bands.growth_words
    from role_projections
    inner join seeds.projection_growth_bands as bands
        on bands.min_ratio is null
        or role_projections.projected_growth_pct
        >= bands.min_ratio * role_projections.projected_growth_all_occupations_pct
    where role_projections.projected_growth_all_occupations_pct > 0
        and role_projections.projected_growth_pct is not null
    qualify row_number() over (
        partition by role_projections.role, role_projections.industry_sector
        order by bands.band_order
    ) = 1
),

jolts_series as (
    -- one JOLTS series per sector: the industry that stands for exactly that sector where
    -- JOLTS publishes one, else the narrowest published group covering it (54, 55 and 56
    -- read "Professional and business services", 22 and 48-49 "Transportation,
    -- warehousing, and utilities"; the evidence names the industry); '000000' total
    -- nonfarm stands for all industries, and government (92 or 99) is read as '99'
    select
        case when naics_sector = '92' then '99' else naics_sector end as official_sector,
        industry_code
    from (
        select
            naics_sector,
            industry_code,
            is_primary,
            list_order,
            count(*) over (partition by industry_code) as sectors_covered
        from seeds.jolts_industries
        where naics_sector is not null
            and industry_code in (select industry_code from marts.industry_openings)
    )
    qualify row_number() over (
        partition by naics_sector order by is_primary desc, sectors_covered, list_order
    ) = 1
    union all
    select distinct 'all' as official_sector, industry_code
    from marts.industry_openings
    where industry_code = '000000'
),

jolts_latest as (
    select
        jolts_series.official_sector,
        current_month.industry_code,
        current_month.industry_title,
        current_month.month as jolts_as_of,
        current_month.openings_level as jolts_openings_level,
        round(
            100 * (current_month.openings_level / nullif(year_before.openings_level, 0) - 1), 2
        ) as jolts_change_12m_pct
    from jolts_series
    inner join marts.industry_openings as current_month
        on current_month.industry_code = jolts_series.industry_code
    left join marts.industry_openings as year_before
        on year_before.industry_code = current_month.industry_code
        and year_before.month = current_month.month - interval 12 month
    qualify row_number() over (
        partition by jolts_series.official_sector order by current_month.month desc
    ) = 1
),

indeed_latest as (
    select scope, month, index_level, change_vs_feb_2020_pts, change_12m_pct
    from marts.indeed_postings_monthly
    where country_code = 'US'
    qualify row_number() over (partition by scope order by month desc) = 1
)

select
    pairs.role,
    coalesce(trend.role_slug, roles.role_slug) as role_slug,
    pairs.industry_sector,
    coalesce(trend.sector_title, 'All industries') as sector_title,
    coalesce(trend.industry_group, 'all') as industry_group,
    trend.first_month,
    trend.last_month,
    coalesce(trend.n_months, 0) as n_months,
    coalesce(trend.n_postings, 0) as n_postings,
    trend.window_months,
    trend.current_window_start,
    trend.current_window_end,
    trend.previous_window_start,
    trend.previous_window_end,
    trend.postings_current_window,
    trend.postings_previous_window,
    trend.window_change_pct,
    coalesce(trend.trend_months, 0) as trend_months,
    coalesce(trend.seasonally_adjusted, false) as seasonally_adjusted,
    trend.trend_annualised_pct,
    trend.trend_ci_low_annualised_pct,
    trend.trend_ci_high_annualised_pct,
    trend.trend_confidence,
    trend.yoy_last_month_pct,
    trend.yoy_last_3_months_pct,
    trend.partial_month_excluded,
    trend.covered_months,
    trend.measures_withheld,
    coalesce(year_only.postings_year_precision, 0) as postings_year_precision,
    role_oews.soc_codes,
    role_oews.oews_employment,
    role_oews.oews_median_annual_wage,
    role_oews.oews_release,
    role_projections.projected_growth_pct,
    role_projections.projected_annual_openings,
    role_projections.projections_period,
    role_projections.projected_growth_all_occupations_pct,
    role_projection_words.growth_words as projected_growth_words,
    role_projections.bright_outlook_soc_codes,
    jolts_latest.industry_code as jolts_industry_code,
    jolts_latest.industry_title as jolts_industry_title,
    jolts_latest.jolts_openings_level,
    jolts_latest.jolts_change_12m_pct,
    jolts_latest.jolts_as_of,
    roles.indeed_category,
    indeed_latest.index_level as indeed_index_level,
    indeed_latest.change_vs_feb_2020_pts as indeed_change_vs_feb_2020_pts,
    indeed_latest.change_12m_pct as indeed_change_12m_pct,
    indeed_latest.month as indeed_as_of
from pairs
left join trend
    on trend.role = pairs.role
    and trend.industry_sector = pairs.industry_sector
left join year_only
    on year_only.role = pairs.role
    and year_only.industry_sector = pairs.industry_sector
left join role_oews
    on role_oews.role = pairs.role
    and role_oews.industry_sector = pairs.industry_sector
left join role_projections
    on role_projections.role = pairs.role
    and role_projections.industry_sector = pairs.industry_sector
left join role_projection_words
    on role_projection_words.role = pairs.role
    and role_projection_words.industry_sector = pairs.industry_sector
left join jolts_latest
    on jolts_latest.official_sector = pairs.official_sector
left join seeds.roles
    on roles.role = pairs.role
left join indeed_latest
    on indeed_latest.scope = roles.indeed_category
order by pairs.role, pairs.industry_sector
