-- Grain: one row per (role, industry_sector, year) with postings in that year. Counts every
-- dated posting, whatever the precision of its date: postings dated only to the year (H-1B
-- filings) count here and nowhere in marts.role_industry_monthly. industry_sector as in the
-- monthly mart ('all' = every industry, 'unknown' = no sector resolved).
-- Sources: marts.role_postings; seeds.industry_groups for sector titles.
-- Counting: unique = distinct duplicate groups with a row posted in the year; of which
-- year_precision = groups known only by their year.
with role_posting_rows as (
    select
        role,
        role_slug,
        coalesce(naics_sector, 'unknown') as industry_sector,
        year(posted_date) as year,
        coalesce(duplicate_group_id, posting_id) as group_id,
        posted_date_precision
    from marts.role_postings
    where posted_date is not null
),

by_sector as (
    select role, role_slug, industry_sector, year, group_id, posted_date_precision
    from role_posting_rows
    union all
    select role, role_slug, 'all' as industry_sector, year, group_id, posted_date_precision
    from role_posting_rows
),

counts as (
    select
        role,
        role_slug,
        industry_sector,
        year,
        count(distinct group_id) as unique_postings,
        count(distinct group_id) filter (where posted_date_precision = 'year')
            as unique_postings_year_precision,
        count(*) as total_postings
    from by_sector
    group by role, role_slug, industry_sector, year
),

sectors as (
    select sector_code, sector_title from seeds.industry_groups
)

select
    counts.role,
    counts.role_slug,
    counts.industry_sector,
    case counts.industry_sector
        when 'all' then 'All industries'
        when 'unknown' then 'Industry not identified'
        else coalesce(sectors.sector_title, counts.industry_sector)
    end as sector_title,
    counts.year,
    counts.unique_postings,
    counts.unique_postings_year_precision,
    counts.total_postings
from counts
left join sectors on sectors.sector_code = counts.industry_sector
order by counts.role, counts.industry_sector, counts.year
