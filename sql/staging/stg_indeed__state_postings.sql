-- Grain: one row per (US state, date) of Indeed's seasonally adjusted postings index.
with source as (
    select
        date,
        state,
        index_sa,
        _release,
        _source_file
    from raw.indeed__state_postings
)

select
    cast(date as date) as posting_date,
    upper(state) as state_code,
    cast(index_sa as double) as index_sa,
    _release as vintage,
    _source_file as source_file
from source
