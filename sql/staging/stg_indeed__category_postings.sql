-- Grain: one row per (country, occupational category, date, series) of Indeed's index.
-- Indeed calls these "sectors"; they are occupational categories, not industries.
with source as (
    select
        date,
        country,
        category,
        variable,
        index_sa,
        _release,
        _source_file
    from raw.indeed__category_postings
)

select
    cast(date as date) as posting_date,
    upper(country) as country_code,
    category as indeed_category,
    case variable when 'total postings' then 'total' when 'new postings' then 'new' end as series,
    cast(index_sa as double) as index_sa,
    _release as vintage,
    _source_file as source_file
from source
