-- Grain: one row per posting row, with its duplicate group and whether it is the group's
-- canonical posting. Two rules, as the posting-analytics vendors define them:
--   1. exact duplicates: the same (source, source_id) seen again (re-sent, re-scraped);
--   2. reposts and cross-source duplicates: the same normalised title + employer + city +
--      state, each posted within 60 days of the previous one in the chain.
-- Rows without a normalised title or employer are never merged by rule 2.
-- The canonical posting is the earliest (then lowest posting_row_id) in its group.
-- Incremental builds recompute only the rows connected to new rows by either key: the match
-- key below is mirrored in outlook/build/incremental.py (_MATCH_KEY); change both together.
with postings as (
    select
        posting_row_id, posting_id, source, source_id, title_normalised,
        employer_normalised, city, state, posted_date
    from staging.stg_postings__postings
),

exact as (
    -- rule 1: one representative per (source, source_id); rows without an id stand alone
    select
        *,
        case
            when source_id is null then posting_row_id
            else first_value(posting_row_id) over (
                partition by source, source_id order by posted_date, posting_row_id
            )
        end as exact_representative
    from postings
),

representatives as (
    select
        posting_row_id,
        posted_date,
        case
            when title_normalised is null or employer_normalised is null then posting_row_id
            else title_normalised || chr(31) || employer_normalised || chr(31)
                || coalesce(city, '') || chr(31) || coalesce(state, '')
        end as match_key
    from exact
    where posting_row_id = exact_representative
),

chained as (
    -- rule 2: a new chain starts when the gap to the previous posting exceeds 60 days
    select
        posting_row_id,
        posted_date,
        match_key,
        case
            when posted_date - lag(posted_date) over (
                partition by match_key order by posted_date, posting_row_id
            ) <= 60 then 0
            else 1
        end as starts_chain
    from representatives
),

grouped as (
    select
        posting_row_id,
        match_key,
        sum(starts_chain) over (
            partition by match_key order by posted_date, posting_row_id
            rows between unbounded preceding and current row
        ) as chain_number
    from chained
),

group_ids as (
    select
        posting_row_id,
        substr(sha256(match_key || chr(31) || cast(chain_number as varchar)), 1, 16)
            as duplicate_group_id
    from grouped
),

all_rows as (
    select
        exact.posting_row_id,
        exact.posting_id,
        exact.posted_date,
        group_ids.duplicate_group_id
    from exact
    inner join group_ids on group_ids.posting_row_id = exact.exact_representative
)

select
    posting_row_id,
    posting_id,
    duplicate_group_id,
    row_number() over (
        partition by duplicate_group_id order by posted_date, posting_row_id
    ) = 1 as is_canonical,
    count(*) over (partition by duplicate_group_id) as group_size
from all_rows
