-- Grain: one row per posting row read from a file drop or API page (duplicates included).
-- Source: raw.postings (loaded by outlook.postings with a mapping profile). Renames and casts
-- only: parsing and normalisation happened at load time, in transforms/.
-- A view: a table would copy every posting row on each full build (27 s at 10M rows), and
-- the models that read it (dedup, facts) each read a few of its columns once.
-- materialized: view
with source as (
    select
        posting_row_id, posting_id, source, source_id, title_raw, title_normalised,
        employer_raw, employer_normalised, location_raw, city, state, country, posted_date,
        posted_date_precision, close_date, naics_code, naics_sector, industry_method,
        industry_confidence, industry_reason, salary_text, salary_min, salary_max, salary_period, salary_currency,
        annual_salary_min, annual_salary_max, annual_salary_mid, salary_status, salary_reason,
        description_hash, file_path, file_sha256, row_number, _load_id
    from raw.postings
)

select
    posting_row_id,
    posting_id,
    source,
    source_id,
    title_raw,
    nullif(title_normalised, '') as title_normalised,
    nullif(employer_normalised, '') as employer_normalised,
    employer_raw,
    location_raw,
    city,
    upper(state) as state,
    upper(country) as country,
    cast(posted_date as date) as posted_date,
    -- day | month | year: a year-precision date is 1 January of its year, never a January
    -- posting (NULL in warehouses loaded before the column existed: day, all they held)
    case
        when posted_date is null then null
        else coalesce(posted_date_precision, 'day')
    end as posted_date_precision,
    cast(close_date as date) as close_date,
    naics_code,
    naics_sector,
    industry_method,
    cast(industry_confidence as double) as industry_confidence,
    industry_reason,
    salary_text,
    cast(salary_min as double) as salary_min,
    cast(salary_max as double) as salary_max,
    salary_period,
    salary_currency,
    cast(annual_salary_min as double) as annual_salary_min,
    cast(annual_salary_max as double) as annual_salary_max,
    cast(annual_salary_mid as double) as annual_salary_mid,
    salary_status,
    salary_reason,
    description_hash,
    file_path,
    file_sha256,
    cast(row_number as bigint) as row_number,
    _load_id as load_id
from source
