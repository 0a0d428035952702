-- Grain: one row per distinct (title_normalised, naics_sector) of the postings and rank
-- (1 = the occupation fct_postings counts the posting under; up to 5 ranks), with the
-- classifier's probability of each candidate occupation (current classifier version, from
-- cache.title_candidates; see outlook/build/classification.py) and how many postings carry
-- the title. Rank 1's probability is fct_postings.classification_confidence; a title's
-- ranks sum to at most 1 (the rest is doubt on no listed occupation). Count by rank 1, or
-- spread each posting over its candidates: join fct_postings on title_normalised and
-- naics_sector (is not distinct from) and sum the probabilities per code. Unclassified
-- titles have no row.

-- One model, not an intermediate plus a mart: it is recomputed on every build, and a
-- second copy of its 560k rows cost ~0.3 s at 1M postings.
with current_version as (
    select version from cache.classifier_state
),

candidates as (
    select title_normalised, naics_sector, rank, onet_soc_code, soc_code, soc_title, probability
    from cache.title_candidates
    where version = (select version from current_version)
),

title_postings as (
    select
        title_normalised,
        naics_sector,
        count(*) as total_postings,
        count(*) filter (where is_canonical) as unique_postings
    from marts.fct_postings
    group by title_normalised, naics_sector
)

select
    candidates.title_normalised,
    candidates.naics_sector,
    candidates.rank,
    candidates.onet_soc_code,
    candidates.soc_code,
    candidates.soc_title,
    candidates.probability,
    title_postings.unique_postings,
    title_postings.total_postings
from candidates
inner join title_postings
    on title_postings.title_normalised is not distinct from candidates.title_normalised
    and title_postings.naics_sector is not distinct from candidates.naics_sector
order by candidates.title_normalised, candidates.naics_sector, candidates.rank
