-- Grain: one row per posting row that matched a role (key posting_row_id); each posting gets
-- at most one role, with the rule (alias, pattern or SOC) and score that matched.
-- Source: marts.fct_postings; role catalogue data/seeds/roles.yaml.
-- annual_salary_mid is the posting's annual salary only when it parsed cleanly
-- (salary_status 'ok'): a flagged parse ("999999999 per hour", an ambiguous unit) is kept in
-- fct_postings for inspection but never feeds a median.
with postings as (
    select
        posting_row_id, posting_id, role, role_slug, source, posted_date,
        posted_date_precision, naics_code, naics_sector, soc_code, is_canonical,
        duplicate_group_id,
        case when salary_status = 'ok' then annual_salary_mid end as annual_salary_mid
    from marts.fct_postings
    where role is not null
),

rules as (
    select posting_row_id, role_rule, role_score
    from intermediate.int_postings__classified
)

select
    postings.posting_row_id,
    postings.posting_id,
    postings.role,
    postings.role_slug,
    rules.role_rule as match_rule,
    rules.role_score as match_score,
    postings.source,
    postings.posted_date,
    postings.posted_date_precision,
    postings.naics_code,
    postings.naics_sector,
    postings.soc_code,
    postings.is_canonical,
    postings.duplicate_group_id,
    postings.annual_salary_mid,
    postings.annual_salary_mid is not null as has_salary
from postings
inner join rules using (posting_row_id)
order by postings.posted_date, postings.posting_row_id
