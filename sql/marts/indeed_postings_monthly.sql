-- Grain: one row per (country, scope, month) where scope is 'All postings' (aggregate index)
-- or an Indeed occupational category. Monthly mean of the daily seasonally adjusted index of
-- total postings (Feb 1 2020 = 100), its 12-month change, and the vintage it came from.
-- Attribution required: Indeed Hiring Lab, CC BY 4.0.
with aggregate_daily as (
    select
        country_code,
        'All postings' as scope,
        posting_date,
        index_sa,
        vintage
    from staging.stg_indeed__aggregate_postings
    where series = 'total'
),

category_daily as (
    select
        country_code,
        indeed_category as scope,
        posting_date,
        index_sa,
        vintage
    from staging.stg_indeed__category_postings
    where series = 'total'
),

daily as (
    select country_code, scope, posting_date, index_sa, vintage from aggregate_daily
    union all
    select country_code, scope, posting_date, index_sa, vintage from category_daily
),

monthly as (
    select
        country_code,
        scope,
        date_trunc('month', posting_date)::date as month,
        avg(index_sa) as index_level,
        count(*) as days_observed,
        max(posting_date) as last_observed_date,
        max(vintage) as vintage
    from daily
    group by country_code, scope, date_trunc('month', posting_date)
),

with_change as (
    select
        current_month.country_code,
        current_month.scope,
        current_month.month,
        round(current_month.index_level, 2) as index_level,
        round(current_month.index_level - 100, 2) as change_vs_feb_2020_pts,
        round(100 * (current_month.index_level / year_before.index_level - 1), 2)
            as change_12m_pct,
        current_month.days_observed,
        current_month.last_observed_date,
        current_month.vintage
    from monthly as current_month
    left join monthly as year_before
        on year_before.country_code = current_month.country_code
        and year_before.scope = current_month.scope
        and year_before.month = current_month.month - interval 12 month
)

select
    country_code,
    scope,
    month,
    index_level,
    change_vs_feb_2020_pts,
    change_12m_pct,
    days_observed,
    last_observed_date,
    vintage,
    'Indeed Hiring Lab job postings index (CC BY 4.0)' as source
from with_change
order by country_code, scope, month
