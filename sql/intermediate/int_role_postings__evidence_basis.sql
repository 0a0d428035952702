-- Grain: one row per (role, industry_sector) of marts.role_trend: which postings the
-- requirement marts (role_requirements, role_skills) read for it. The current window of
-- role_trend when it holds seeds.evidence_floor postings with a description; else every
-- dated posting of the role with a description ('all dates'), when those reach the floor
-- (a role's requirements change slowly, so older ads still say what it asks for; the
-- evidence period says how old); else the current window, whose shares are then withheld.
-- evidence_start / evidence_end: the first and last month of the postings with a
-- description on that basis. Sources: intermediate.int_role_postings__text_windows,
-- marts.role_trend, seeds.evidence_floor.
with postings as (
    select role, industry_sector, month, time_window, has_text
    from intermediate.int_role_postings__text_windows
),

floor as (
    select min_postings from seeds.evidence_floor
),

counts as (
    select
        role,
        industry_sector,
        count(*) filter (where time_window = 'current') as postings_current,
        count(*) filter (where time_window = 'current' and has_text) as text_current,
        count(*) as postings_all_dates,
        count(*) filter (where has_text) as text_all_dates
    from postings
    group by role, industry_sector
),

trend as (
    select role, industry_sector from marts.role_trend
),

based as (
    select
        trend.role,
        trend.industry_sector,
        coalesce(counts.postings_current, 0) as postings_current,
        coalesce(counts.text_current, 0) as text_current,
        coalesce(counts.postings_all_dates, 0) as postings_all_dates,
        coalesce(counts.text_all_dates, 0) as text_all_dates,
        case
            when coalesce(counts.text_current, 0) < floor.min_postings
                and coalesce(counts.text_all_dates, 0) >= floor.min_postings
                then 'all dates'
            else 'current window'
        end as evidence_basis,
        floor.min_postings
    from trend
    left join counts using (role, industry_sector)
    cross join floor
),

periods as (
    select
        postings.role,
        postings.industry_sector,
        min(postings.month) as evidence_start,
        max(postings.month) as evidence_end
    from postings
    inner join based using (role, industry_sector)
    where postings.has_text
        and (based.evidence_basis = 'all dates' or postings.time_window = 'current')
    group by postings.role, postings.industry_sector
)

select
    based.role,
    based.industry_sector,
    based.evidence_basis,
    case
        when based.evidence_basis = 'all dates' then based.postings_all_dates
        else based.postings_current
    end as evidence_postings,
    case
        when based.evidence_basis = 'all dates' then based.text_all_dates
        else based.text_current
    end as evidence_postings_with_text,
    based.postings_current,
    based.text_current,
    based.text_all_dates,
    periods.evidence_start,
    periods.evidence_end,
    based.min_postings
from based
left join periods using (role, industry_sector)
