-- Grain: one row per posting row read (key posting_row_id); duplicates kept, one canonical
-- posting per duplicate group. Sources: every posting file and API page loaded, with lineage
-- back to the raw file and row. Salaries annualised at 2,080 hours / 260 days / 52 weeks.
with postings as (
    select * from staging.stg_postings__postings
),

dedup as (
    select posting_row_id, duplicate_group_id, is_canonical
    from intermediate.int_postings__deduplicated
),

classified as (
    select
        posting_row_id, onet_soc_code, soc_code, soc_title, classification_confidence, role,
        role_slug
    from intermediate.int_postings__classified
)

select
    postings.posting_row_id,
    postings.posting_id,
    postings.source,
    postings.source_id,
    postings.title_raw,
    postings.title_normalised,
    postings.employer_raw,
    postings.employer_normalised,
    postings.location_raw,
    postings.city,
    postings.state,
    postings.country,
    postings.posted_date,
    postings.posted_date_precision,
    postings.close_date,
    postings.naics_code,
    postings.naics_sector,
    postings.industry_method,
    postings.industry_confidence,
    postings.industry_reason,
    postings.salary_text,
    postings.salary_min,
    postings.salary_max,
    postings.salary_period,
    postings.salary_currency,
    postings.annual_salary_min,
    postings.annual_salary_max,
    postings.annual_salary_mid,
    postings.salary_status,
    postings.salary_reason,
    postings.description_hash,
    dedup.duplicate_group_id,
    dedup.is_canonical,
    classified.onet_soc_code,
    classified.soc_code,
    classified.soc_title,
    classified.classification_confidence,
    classified.role,
    classified.role_slug,
    postings.file_path,
    postings.file_sha256,
    postings.row_number
from postings
inner join dedup using (posting_row_id)
left join classified using (posting_row_id)
order by postings.posted_date, postings.posting_row_id
