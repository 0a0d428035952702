-- Grain: one row per posting row, with the occupation and role its title was classified as
-- (from the title cache, current classifier version only; see outlook/classification.py).
with postings as (
    select posting_row_id, title_normalised, naics_sector
    from staging.stg_postings__postings
),

current_version as (
    select version from cache.classifier_state
),

classifications as (
    select
        title_normalised, naics_sector, onet_soc_code, soc_code, soc_title, confidence,
        method, reason, role, role_slug, role_rule, role_score
    from cache.title_classifications
    where version = (select version from current_version)
)

select
    postings.posting_row_id,
    classifications.onet_soc_code,
    classifications.soc_code,
    classifications.soc_title,
    classifications.confidence as classification_confidence,
    classifications.method as classification_method,
    classifications.role,
    classifications.role_slug,
    classifications.role_rule,
    classifications.role_score
from postings
left join classifications
    on classifications.title_normalised is not distinct from postings.title_normalised
    and classifications.naics_sector is not distinct from postings.naics_sector
