-- Grain: one row per (role, industry_sector, month), dense: every month from the first to the
-- last month of posting data is present for every (role, sector) seen, with zeros when there
-- were no postings. industry_sector is a NAICS sector code, 'unknown' (no sector resolved) or
-- 'all' (every industry together); every catalogue role has 'all' rows, even with no postings.
-- Sources: marts.role_postings (role postings), marts.fct_postings (all postings, for shares
-- and the month range), seeds.roles, seeds.industry_groups (data/seeds/industry_groups.csv).
-- Counting: unique = distinct duplicate groups with a row posted in the month (a job reposted
-- next month counts in both months); new = canonical postings (the first row of a group)
-- posted in the month, so new postings sum to distinct jobs over any period; total = rows.
-- Postings without a posted_date are not counted in any month, and neither are postings
-- dated only to the year (posted_date_precision 'year', e.g. H-1B filings): they count in
-- marts.role_industry_yearly, and marts.role_outlook says how many were left out.
with role_posting_rows as (
    select
        role,
        role_slug,
        coalesce(naics_sector, 'unknown') as industry_sector,
        date_trunc('month', posted_date)::date as month,
        coalesce(duplicate_group_id, posting_id) as group_id,
        is_canonical,
        annual_salary_mid
    from marts.role_postings
    where posted_date is not null and posted_date_precision in ('day', 'month')
),

role_postings_by_sector as (
    select role, role_slug, industry_sector, month, group_id, is_canonical, annual_salary_mid
    from role_posting_rows
    union all
    select role, role_slug, 'all' as industry_sector, month, group_id, is_canonical,
        annual_salary_mid
    from role_posting_rows
),

all_posting_rows as (
    select
        coalesce(naics_sector, 'unknown') as industry_sector,
        posted_date,
        date_trunc('month', posted_date)::date as month,
        coalesce(duplicate_group_id, posting_id) as group_id
    from marts.fct_postings
    where posted_date is not null and posted_date_precision in ('day', 'month')
),

all_postings_by_sector as (
    select industry_sector, month, group_id from all_posting_rows
    union all
    select 'all' as industry_sector, month, group_id from all_posting_rows
),

month_range as (
    select min(month) as first_month, max(month) as last_month, max(posted_date) as last_date
    from all_posting_rows
),

months as (
    select unnest(generate_series(first_month, last_month, interval 1 month))::date as month
    from month_range
    where first_month is not null
),

series as (
    select distinct role, role_slug, industry_sector from role_postings_by_sector
    union
    select role, role_slug, 'all' as industry_sector from seeds.roles
),

spine as (
    select series.role, series.role_slug, series.industry_sector, months.month
    from series
    cross join months
),

role_counts as (
    select
        role,
        industry_sector,
        month,
        count(distinct group_id) as unique_postings,
        count(*) as total_postings,
        count(*) filter (where is_canonical) as new_postings,
        median(annual_salary_mid) filter (
            where is_canonical and annual_salary_mid is not null
        ) as median_annual_salary,
        count(*) filter (where is_canonical and annual_salary_mid is not null)
            as salary_postings
    from role_postings_by_sector
    group by role, industry_sector, month
),

sector_counts as (
    select industry_sector, month, count(distinct group_id) as sector_unique_postings
    from all_postings_by_sector
    group by industry_sector, month
),

filled as (
    select
        spine.role,
        spine.role_slug,
        spine.industry_sector,
        spine.month,
        coalesce(role_counts.unique_postings, 0) as unique_postings,
        coalesce(role_counts.total_postings, 0) as total_postings,
        coalesce(role_counts.new_postings, 0) as new_postings,
        coalesce(sector_counts.sector_unique_postings, 0) as sector_unique_postings,
        role_counts.median_annual_salary,
        coalesce(role_counts.salary_postings, 0) as salary_postings
    from spine
    left join role_counts
        on role_counts.role = spine.role
        and role_counts.industry_sector = spine.industry_sector
        and role_counts.month = spine.month
    left join sector_counts
        on sector_counts.industry_sector = spine.industry_sector
        and sector_counts.month = spine.month
),

with_windows as (
    select
        *,
        -- the moving average needs three months of spine behind it, else NULL
        case
            when count(*) over trailing_3 = 3 then avg(unique_postings) over trailing_3
        end as unique_postings_3m_avg,
        lag(unique_postings, 1) over by_month as unique_postings_month_before,
        lag(unique_postings, 12) over by_month as unique_postings_year_before
    from filled
    window
        by_month as (partition by role, industry_sector order by month),
        trailing_3 as (
            partition by role, industry_sector order by month
            rows between 2 preceding and current row
        )
),

sectors as (
    select sector_code, sector_title, industry_group from seeds.industry_groups
)

select
    with_windows.role,
    with_windows.role_slug,
    with_windows.industry_sector,
    case with_windows.industry_sector
        when 'all' then 'All industries'
        when 'unknown' then 'Industry not identified'
        else coalesce(sectors.sector_title, with_windows.industry_sector)
    end as sector_title,
    case with_windows.industry_sector
        when 'all' then 'all'
        else coalesce(sectors.industry_group, 'unknown')
    end as industry_group,
    with_windows.month,
    -- days of the month the posting data reach: short only in the last month, when the
    -- data stop before its end (marts.role_trend then leaves that month out)
    case
        when with_windows.month = month_range.last_month then day(month_range.last_date)
        else day(last_day(with_windows.month))
    end as days_covered,
    with_windows.month = month_range.last_month
        and month_range.last_date < last_day(with_windows.month) as is_partial_month,
    with_windows.unique_postings,
    with_windows.total_postings,
    with_windows.new_postings,
    -- posting intensity as the posting-analytics vendors define it: total / unique
    round(with_windows.total_postings / nullif(with_windows.unique_postings, 0), 4)
        as posting_intensity,
    with_windows.sector_unique_postings,
    round(
        with_windows.unique_postings / nullif(with_windows.sector_unique_postings, 0), 6
    ) as share_of_sector_postings,
    round(with_windows.unique_postings_3m_avg, 4) as unique_postings_3m_avg,
    round(
        100 * (
            with_windows.unique_postings / nullif(with_windows.unique_postings_month_before, 0)
            - 1
        ),
        2
    ) as mom_change_pct,
    round(
        100 * (
            with_windows.unique_postings / nullif(with_windows.unique_postings_year_before, 0)
            - 1
        ),
        2
    ) as yoy_change_pct,
    with_windows.median_annual_salary,
    with_windows.salary_postings
from with_windows
cross join month_range
left join sectors on sectors.sector_code = with_windows.industry_sector
order by with_windows.role, with_windows.industry_sector, with_windows.month
