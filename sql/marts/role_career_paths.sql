-- Grain: one row per (role, related O*NET-SOC occupation): where a role's occupations lead,
-- by O*NET's Related Occupations for the O*NET-SOC codes of the role's SOC codes (the
-- catalogue's general list, data/seeds/roles.yaml), each with its best tier and index over
-- those codes, its Job Zone, its OEWS national median wage and the step from the role's own
-- (marts.role_outlook, all industries: the employment-weighted median of its SOC codes), and
-- its BLS projected growth and openings. linked_roles names the catalogue roles whose SOC
-- codes include the related occupation's SOC code. Empty when no loaded O*NET archive holds
-- Related Occupations (`outlook status` says so).
-- Sources: O*NET Related Occupations and Job Zones (latest release, CC BY 4.0), O*NET-SOC
-- 2019 -> SOC 2018 crosswalk, marts.occupation_wages (latest release, cross-industry),
-- marts.occupation_projections (latest period), marts.role_outlook, seeds.role_soc.
with role_socs as (
    select distinct role, soc_code
    from seeds.role_soc
    where naics_sector is null
),

crosswalk as (
    select onet_soc_code, soc_code from staging.stg_onet__soc_crosswalk
),

related as (
    select
        onet_soc_code, related_onet_soc_code, related_title, relatedness_tier, related_index,
        onet_release,
        case relatedness_tier
            when 'Primary-Short' then 1
            when 'Primary-Long' then 2
            when 'Supplemental' then 3
            else 4
        end as tier_order
    from staging.stg_onet__related_occupations
),

onet_soc as (
    -- an O*NET-SOC code's SOC 2018 code: the crosswalk's (the first, should it list
    -- several), else its first seven characters
    select
        codes.onet_soc_code,
        coalesce(min(crosswalk.soc_code), left(codes.onet_soc_code, 7)) as soc_code
    from (
        select onet_soc_code from related
        union
        select related_onet_soc_code from related
    ) as codes
    left join crosswalk using (onet_soc_code)
    group by codes.onet_soc_code
),

paths as (
    select
        role_socs.role,
        role_socs.soc_code as from_soc_code,
        related.onet_soc_code as from_onet_soc_code,
        related.related_onet_soc_code,
        related.related_title,
        related.relatedness_tier,
        related.related_index,
        related.tier_order,
        related.onet_release
    from role_socs
    inner join onet_soc as from_soc on from_soc.soc_code = role_socs.soc_code
    inner join related on related.onet_soc_code = from_soc.onet_soc_code
),

best as (
    -- a related occupation reached from several of the role's codes: its closest link
    select *
    from paths
    qualify row_number() over (
        partition by role, related_onet_soc_code
        order by tier_order, related_index, from_onet_soc_code
    ) = 1
),

latest_oews as (
    select max_by(release, release_year) as release from marts.occupation_wages
),

oews as (
    select occupation_wages.release, occupation_wages.soc_code, occupation_wages.a_median
    from marts.occupation_wages
    inner join latest_oews on latest_oews.release = occupation_wages.release
    where occupation_wages.naics_code = '000000'
    qualify row_number() over (
        partition by occupation_wages.soc_code
        order by occupation_wages.o_group = 'detailed' desc, occupation_wages.o_group
    ) = 1
),

latest_projections as (
    select max(projection_period) as projection_period from marts.occupation_projections
),

projections as (
    select
        occupation_projections.projection_period, occupation_projections.soc_code,
        occupation_projections.employment_change_pct, occupation_projections.annual_openings,
        occupation_projections.growth_words, occupation_projections.bright_outlook
    from marts.occupation_projections
    inner join latest_projections using (projection_period)
),

job_zones as (
    select onet_soc_code, job_zone from staging.stg_onet__job_zones
),

own as (
    select role, oews_median_annual_wage, oews_release
    from marts.role_outlook
    where industry_sector = 'all'
),

linked as (
    -- other catalogue roles on the related occupation's SOC code
    select
        best.role,
        best.related_onet_soc_code,
        string_agg(distinct role_soc.role, '; ' order by role_soc.role) as linked_roles
    from best
    inner join onet_soc on onet_soc.onet_soc_code = best.related_onet_soc_code
    inner join seeds.role_soc on role_soc.soc_code = onet_soc.soc_code
    where role_soc.role <> best.role
    group by best.role, best.related_onet_soc_code
)

select
    best.role,
    roles.role_slug,
    best.from_soc_code,
    best.from_onet_soc_code,
    from_zone.job_zone as from_job_zone,
    best.related_onet_soc_code,
    best.related_title,
    related_soc.soc_code as related_soc_code,
    best.relatedness_tier,
    best.related_index,
    related_zone.job_zone as related_job_zone,
    related_zone.job_zone - from_zone.job_zone as job_zone_step,
    oews.a_median as related_median_annual_wage,
    own.oews_median_annual_wage as role_median_annual_wage,
    round(oews.a_median - own.oews_median_annual_wage, 0) as wage_step,
    round(100 * (oews.a_median / nullif(own.oews_median_annual_wage, 0) - 1), 1)
        as wage_step_pct,
    projections.employment_change_pct as related_projected_growth_pct,
    projections.growth_words as related_projected_growth_words,
    projections.annual_openings as related_projected_annual_openings_thousands,
    projections.bright_outlook as related_bright_outlook,
    related_soc.soc_code in (select soc_code from role_socs where role = best.role)
        as is_role_own_soc,
    linked.linked_roles,
    best.onet_release,
    oews.release as oews_release,
    projections.projection_period
from best
inner join seeds.roles as roles on roles.role = best.role
left join onet_soc as related_soc on related_soc.onet_soc_code = best.related_onet_soc_code
left join job_zones as from_zone on from_zone.onet_soc_code = best.from_onet_soc_code
left join job_zones as related_zone on related_zone.onet_soc_code = best.related_onet_soc_code
left join oews on oews.soc_code = related_soc.soc_code
left join projections on projections.soc_code = related_soc.soc_code
left join own on own.role = best.role
left join linked
    on linked.role = best.role
    and linked.related_onet_soc_code = best.related_onet_soc_code
order by best.role, best.tier_order, best.related_index, best.related_onet_soc_code
