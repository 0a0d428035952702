-- Grain: one row per posting row with a description (key posting_row_id): what its text asks
-- for (minimum education and the "or equivalent" flag, minimum years of experience,
-- certifications required / preferred / named, skills), read once per distinct text by
-- outlook/build/posting_requirements.py (cache.posting_requirements, current version only;
-- extraction: transforms/requirements.py). Posting rows without text have no row here:
-- they are counted as such in the marts, never guessed.
with postings as (
    select posting_row_id, description_hash
    from staging.stg_postings__postings
    where description_hash is not null
),

current_version as (
    select version from cache.requirements_state
),

readings as (
    select
        description_hash, text_chars, truncated, education_min, education_preferred,
        education_or_equivalent, experience_years_min, certifications,
        certifications_required, certifications_preferred, skills
    from cache.posting_requirements
    where version = (select version from current_version)
        -- a description that cleans to nothing (markup, whitespace) is no text
        and text_chars > 0
)

select
    postings.posting_row_id,
    postings.description_hash,
    readings.text_chars,
    readings.truncated,
    readings.education_min,
    readings.education_preferred,
    readings.education_or_equivalent,
    readings.experience_years_min,
    readings.certifications,
    readings.certifications_required,
    readings.certifications_preferred,
    readings.skills
from postings
inner join readings using (description_hash)
