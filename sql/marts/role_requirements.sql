-- Grain: one row per (role, industry_sector) of marts.role_trend ('all' = every industry,
-- 'unknown' = no sector resolved): what the role's postings ask for, read from their
-- descriptions. Which postings: intermediate.int_role_postings__evidence_basis (the current
-- window when it holds enough postings with a description, else every dated posting:
-- evidence_basis, with the months evidence_start..evidence_end). Education: the share of
-- postings with a description whose lowest required education is each level
-- (EDUCATION_LEVELS of transforms/requirements.py), 'not stated' when the text names none,
-- and the share saying "or equivalent experience". Years: median and interquartile range of
-- the minimum years asked, over the postings that state one. Certifications, each with its
-- required / preferred share: marts.role_skills rows with skill_kind = 'certification'.
-- Floors: shares need seeds.evidence_floor postings with a description ([label]
-- min_postings of data/seeds/outlook_rules.toml), years that many postings stating years;
-- below, NULL and measures_withheld says why. Postings without text are counted, not read.
-- Sources: intermediate.int_role_postings__text_windows,
-- intermediate.int_role_postings__evidence_basis, marts.role_trend.
with basis as (
    select
        role, industry_sector, evidence_basis, evidence_postings, evidence_start,
        evidence_end, postings_current, text_current, text_all_dates, min_postings
    from intermediate.int_role_postings__evidence_basis
),

postings as (
    select
        windows.role, windows.industry_sector, windows.has_text, windows.education_min,
        windows.education_or_equivalent, windows.experience_years_min, windows.certifications
    from intermediate.int_role_postings__text_windows as windows
    inner join basis using (role, industry_sector)
    where basis.evidence_basis = 'all dates' or windows.time_window = 'current'
),

counts as (
    select
        role,
        industry_sector,
        count(*) filter (where has_text) as n_text,
        count(*) filter (where education_min is not null) as n_education,
        count(*) filter (where education_min = 'none') as n_none,
        count(*) filter (where education_min = 'high_school') as n_high_school,
        count(*) filter (where education_min = 'associate') as n_associate,
        count(*) filter (where education_min = 'bachelor') as n_bachelor,
        count(*) filter (where education_min = 'master') as n_master,
        count(*) filter (where education_min = 'professional') as n_professional,
        count(*) filter (where education_min = 'doctorate') as n_doctorate,
        count(*) filter (where has_text and education_or_equivalent) as n_or_equivalent,
        count(*) filter (where len(certifications) > 0) as n_certification,
        count(experience_years_min) as n_years,
        quantile_cont(experience_years_min, 0.5) as years_median,
        quantile_cont(experience_years_min, 0.25) as years_p25,
        quantile_cont(experience_years_min, 0.75) as years_p75
    from postings
    group by role, industry_sector
),

trend as (
    select
        role, role_slug, industry_sector, sector_title, industry_group, current_window_start,
        current_window_end
    from marts.role_trend
),

joined as (
    select
        trend.*,
        basis.evidence_basis,
        basis.evidence_start,
        basis.evidence_end,
        basis.postings_current as n_postings_current,
        basis.evidence_postings as n_postings,
        basis.text_current,
        basis.text_all_dates,
        coalesce(counts.n_text, 0) as n_text,
        coalesce(counts.n_education, 0) as n_education,
        counts.n_none, counts.n_high_school, counts.n_associate, counts.n_bachelor,
        counts.n_master, counts.n_professional, counts.n_doctorate, counts.n_or_equivalent,
        counts.n_certification,
        coalesce(counts.n_years, 0) as n_years,
        counts.years_median, counts.years_p25, counts.years_p75,
        coalesce(counts.n_text, 0) >= basis.min_postings as text_enough,
        coalesce(counts.n_years, 0) >= basis.min_postings as years_enough,
        basis.min_postings
    from trend
    inner join basis using (role, industry_sector)
    left join counts using (role, industry_sector)
)

select
    role,
    role_slug,
    industry_sector,
    sector_title,
    industry_group,
    evidence_basis,
    evidence_start,
    evidence_end,
    n_postings_current as postings_current_window,
    n_postings as evidence_postings,
    n_text as postings_with_text,
    round(n_text / nullif(n_postings, 0), 4) as share_with_text,
    n_education as postings_stating_education,
    case when text_enough then round(n_none / n_text, 4) end as share_education_none,
    case when text_enough then round(n_high_school / n_text, 4) end as share_high_school,
    case when text_enough then round(n_associate / n_text, 4) end as share_associate,
    case when text_enough then round(n_bachelor / n_text, 4) end as share_bachelor,
    case when text_enough then round(n_master / n_text, 4) end as share_master,
    case when text_enough then round(n_professional / n_text, 4) end as share_professional,
    case when text_enough then round(n_doctorate / n_text, 4) end as share_doctorate,
    case
        when text_enough then round((n_text - n_education) / n_text, 4)
    end as share_education_not_stated,
    case when text_enough then round(n_or_equivalent / n_text, 4) end as share_or_equivalent,
    case
        when text_enough then round(n_certification / n_text, 4)
    end as share_naming_certification,
    n_years as postings_stating_years,
    case when years_enough then years_median end as experience_years_median,
    case when years_enough then years_p25 end as experience_years_p25,
    case when years_enough then years_p75 end as experience_years_p75,
    nullif(concat_ws(
        '; ',
        case
            when not text_enough then format(
                'education and certification shares: {} postings with a description in the '
                || 'current window and {} of any date, fewer than {}',
                text_current, text_all_dates, min_postings
            )
        end,
        case
            when not years_enough then format(
                'years: {} postings stating a minimum, fewer than {}', n_years, min_postings
            )
        end
    ), '') as measures_withheld,
    min_postings as evidence_floor,
    current_window_start,
    current_window_end
from joined
order by role, industry_sector
