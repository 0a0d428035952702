-- Grain: one row per (country, date, series) of Indeed's aggregate job postings index.
-- Source: Indeed Hiring Lab job_postings_tracker (CC BY 4.0). Renames and casts only.
with source as (
    select
        date,
        country,
        variable,
        index_sa,
        index_nsa,
        _release,
        _source_file
    from raw.indeed__aggregate_postings
)

select
    cast(date as date) as posting_date,
    upper(country) as country_code,
    case variable when 'total postings' then 'total' when 'new postings' then 'new' end as series,
    cast(index_sa as double) as index_sa,
    cast(index_nsa as double) as index_nsa,
    _release as vintage,
    _source_file as source_file
from source
