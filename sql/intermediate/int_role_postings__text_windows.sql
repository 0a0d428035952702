-- Grain: one row per (canonical role posting, industry_sector, window): every distinct job
-- of a role posted in the current or the previous window of its (role, industry_sector) in
-- marts.role_trend (the same windows, months and as-of month as role_trend/role_outlook),
-- under its own sector ('unknown' when none was resolved) and again under 'all'. has_text
-- says whether it has a description; the reading of that text is beside it (NULL without).
-- Sources: marts.role_postings (canonical rows: each job once, in the month it was posted,
-- as role_trend counts them), marts.role_trend, intermediate.int_postings__requirements.
-- Only the canonical row's own text is read: a repost's text does not stand in for it.
with role_posting_rows as (
    select
        posting_row_id,
        role,
        role_slug,
        coalesce(naics_sector, 'unknown') as industry_sector,
        date_trunc('month', posted_date)::date as month
    from marts.role_postings
    where is_canonical
        and posted_date is not null
        and posted_date_precision in ('day', 'month')
),

by_sector as (
    select posting_row_id, role, role_slug, industry_sector, month from role_posting_rows
    union all
    select posting_row_id, role, role_slug, 'all' as industry_sector, month
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
        case
            when by_sector.month between windows.current_window_start
                and windows.current_window_end then 'current'
            when by_sector.month between windows.previous_window_start
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
where windowed.time_window is not null
