-- Grain: one row per distinct (title_normalised, naics_sector) of the postings and rank
-- (1 = the occupation the posting is counted under in fct_postings; up to 5 ranks), with
-- the classifier's probability of each candidate occupation (current classifier version;
-- see outlook/build/classification.py). Rank 1's probability is the posting's
-- classification_confidence; the ranks of a title sum to at most 1 (the rest is doubt the
-- classifier puts on no listed occupation). Unclassified titles have no row. Count by
-- rank 1, or spread a posting over its candidates: join fct_postings on title_normalised
-- and naics_sector (is not distinct from) and sum the probabilities per code.
with titles as (
    select distinct title_normalised, naics_sector
    from staging.stg_postings__postings
),

current_version as (
    select version from cache.classifier_state
),

candidates as (
    select title_normalised, naics_sector, rank, onet_soc_code, soc_code, soc_title, probability
    from cache.title_candidates
    where version = (select version from current_version)
)

select
    titles.title_normalised,
    titles.naics_sector,
    candidates.rank,
    candidates.onet_soc_code,
    candidates.soc_code,
    candidates.soc_title,
    candidates.probability
from titles
inner join candidates
    on candidates.title_normalised is not distinct from titles.title_normalised
    and candidates.naics_sector is not distinct from titles.naics_sector
order by titles.title_normalised, titles.naics_sector, candidates.rank
