-- Grain: one row per (canonical role posting with a date, industry_sector): every distinct
-- job of a role, under its own sector ('unknown' when none was resolved) and again under
-- 'all', with the month it was posted, the window of marts.role_trend it falls in for that
-- (role, industry_sector) ('current', 'previous', or NULL: outside both, or dated only by
-- year) and the reading of its description (has_text; the readings NULL without text).
-- The requirement marts read the current window, or every dated posting where the current
-- window holds too few descriptions: a role's requirements change slowly, its demand fast.
-- Sources: marts.role_postings (canonical rows: each job once, in the month it was posted,
-- as role_trend counts them), marts.role_trend, intermediate.int_postings__requirements.
-- Only the canonical row's own text is read: a repost's text does not stand in for it.
with role_posting_rows as (
    select
        posting_row_id,
        role,
        role_slug,
        coalesce(naics_sector, 'unknown') as industry_sector,
        date_trunc('month', posted_date)::date as month,
        posted_date_precision in ('day', 'month') as has_month
    from marts.role_postings
    where is_canonical
        and posted_date is not null
),

by_sector as (
    select posting_row_id, role, role_slug, industry_sector, month, has_month
    from role_posting_rows
    union all
    select posting_row_id, role, role_slug, 'all' as industry_sector, month, has_month
    from role_posting_rows
),

windows as (
    select
        role, industry_sector, current_window_start, current_window_end,
        previous_window_start, previous_window_end
    from marts.role_trend
),

windowed as (
    select
        by_sector.posting_row_id,
        by_sector.role,
        by_sector.role_slug,
        by_sector.industry_sector,
        by_sector.month,
        case
            when by_sector.has_month and by_sector.month between windows.current_window_start
                and windows.current_window_end then 'current'
            when by_sector.has_month and by_sector.month between windows.previous_window_start
                and windows.previous_window_end then 'previous'
        end as time_window
    from by_sector
    inner join windows
        on windows.role = by_sector.role
        and windows.industry_sector = by_sector.industry_sector
)

select
    windowed.posting_row_id,
    windowed.role,
    windowed.role_slug,
    windowed.industry_sector,
    windowed.month,
    windowed.time_window,
    readings.posting_row_id is not null as has_text,
    readings.education_min,
    readings.education_or_equivalent,
    readings.experience_years_min,
    readings.certifications,
    readings.certifications_required,
    readings.certifications_preferred,
    readings.skills
from windowed
left join intermediate.int_postings__requirements as readings using (posting_row_id)
