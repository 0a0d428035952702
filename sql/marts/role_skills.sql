-- Grain: one row per (role, industry_sector, skill) named in at least one posting with a
-- description on the role's evidence basis (intermediate.int_role_postings__evidence_basis:
-- the current window of marts.role_trend when it holds enough postings with a description,
-- else every dated posting, evidence_start..evidence_end) or in the previous window: how many
-- of those postings name it, the share, and, on the current-window basis, its change on the
-- previous window. skill_kind: 'method', 'certification', 'technology' (an O*NET Technology
-- Skills example) or 'technology category' (an O*NET commodity title named as such);
-- hot_technology is O*NET's flag. Certifications also carry how many postings require /
-- prefer them (else unmarked). Each job counts once (canonical postings). A share is NULL
-- below seeds.evidence_floor postings with a description ([label] min_postings in
-- data/seeds/outlook_rules.toml), a change when either window is or the basis is not the
-- current window; measures_withheld says why. Sources:
-- intermediate.int_role_postings__text_windows, intermediate.int_role_postings__evidence_basis,
-- marts.role_trend, cache.requirement_terms (the extraction taxonomy's terms).
with basis as (
    select
        role, industry_sector, evidence_basis, evidence_postings_with_text, evidence_start,
        evidence_end, postings_current, text_current, text_all_dates, min_postings
    from intermediate.int_role_postings__evidence_basis
),

postings as (
    -- each posting with a description, marked as on the basis and/or in the previous window
    select
        windows.posting_row_id, windows.role, windows.industry_sector,
        basis.evidence_basis = 'all dates' or windows.time_window = 'current' as on_basis,
        windows.time_window = 'previous' as in_previous,
        windows.certifications, windows.certifications_required,
        windows.certifications_preferred, windows.skills
    from intermediate.int_role_postings__text_windows as windows
    inner join basis using (role, industry_sector)
    where windows.has_text
),

text_previous as (
    select role, industry_sector, count(*) as text_previous
    from postings
    where in_previous
    group by role, industry_sector
),

mentions as (
    select posting_row_id, role, industry_sector, on_basis, in_previous, unnest(skills) as skill
    from postings
    union all
    select
        posting_row_id, role, industry_sector, on_basis, in_previous,
        unnest(certifications) as skill
    from postings
),

marked as (
    -- required / preferred marks of each certification a posting names
    select posting_row_id, unnest(certifications_required) as skill, 'required' as mark
    from postings
    union all
    select posting_row_id, unnest(certifications_preferred) as skill, 'preferred' as mark
    from postings
),

per_skill as (
    select
        mentions.role,
        mentions.industry_sector,
        mentions.skill,
        count(distinct mentions.posting_row_id) filter (where mentions.on_basis) as mentioning,
        count(distinct mentions.posting_row_id) filter (
            where mentions.in_previous
        ) as mentioning_previous,
        count(distinct mentions.posting_row_id) filter (
            where mentions.on_basis and marked.mark = 'required'
        ) as requiring,
        count(distinct mentions.posting_row_id) filter (
            where mentions.on_basis and marked.mark = 'preferred'
        ) as preferring
    from mentions
    left join marked
        on marked.posting_row_id = mentions.posting_row_id
        and marked.skill = mentions.skill
    group by mentions.role, mentions.industry_sector, mentions.skill
),

terms as (
    select term, kind, hot_technology
    from cache.requirement_terms
    where version = (select max(version) from cache.requirements_state)
),

trend as (
    select
        role, role_slug, industry_sector, sector_title, industry_group, current_window_start,
        current_window_end, previous_window_start, previous_window_end
    from marts.role_trend
),

measured as (
    select
        trend.role,
        trend.role_slug,
        trend.industry_sector,
        trend.sector_title,
        trend.industry_group,
        basis.evidence_basis,
        basis.evidence_start,
        basis.evidence_end,
        per_skill.skill,
        coalesce(terms.kind, 'unknown') as skill_kind,
        coalesce(terms.hot_technology, false) as hot_technology,
        basis.postings_current as postings_current_window,
        basis.evidence_postings_with_text as postings_with_text,
        per_skill.mentioning as postings_mentioning,
        coalesce(text_previous.text_previous, 0) as postings_with_text_previous_window,
        per_skill.mentioning_previous as postings_mentioning_previous_window,
        per_skill.requiring,
        per_skill.preferring,
        basis.text_current,
        basis.text_all_dates,
        basis.evidence_postings_with_text >= basis.min_postings as basis_enough,
        basis.evidence_basis = 'current window' as on_current_window,
        coalesce(text_previous.text_previous, 0) >= basis.min_postings as previous_enough,
        basis.min_postings,
        trend.current_window_start,
        trend.current_window_end,
        trend.previous_window_start,
        trend.previous_window_end
    from per_skill
    inner join basis using (role, industry_sector)
    inner join trend using (role, industry_sector)
    left join text_previous using (role, industry_sector)
    left join terms on terms.term = per_skill.skill
    where per_skill.mentioning > 0 or per_skill.mentioning_previous > 0
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
    skill,
    skill_kind,
    hot_technology,
    postings_current_window,
    postings_with_text,
    postings_mentioning,
    case
        when basis_enough then round(postings_mentioning / postings_with_text, 4)
    end as share_mentioning,
    case when skill_kind = 'certification' then requiring end as postings_requiring,
    case when skill_kind = 'certification' then preferring end as postings_preferring,
    case
        when skill_kind = 'certification' and basis_enough
            then round(requiring / postings_with_text, 4)
    end as share_requiring,
    case
        when skill_kind = 'certification' and basis_enough
            then round(preferring / postings_with_text, 4)
    end as share_preferring,
    postings_with_text_previous_window,
    postings_mentioning_previous_window,
    case
        when previous_enough
            then round(postings_mentioning_previous_window / postings_with_text_previous_window, 4)
    end as share_mentioning_previous,
    case
        when basis_enough and on_current_window and previous_enough
            then round(
                100 * (
                    postings_mentioning / postings_with_text
                    - postings_mentioning_previous_window / postings_with_text_previous_window
                ),
                2
            )
    end as share_change_pts,
    nullif(concat_ws(
        '; ',
        case
            when not basis_enough then format(
                'share: {} postings with a description in the current window and {} of any '
                || 'date, fewer than {}',
                text_current, text_all_dates, min_postings
            )
        end,
        case
            when basis_enough and not on_current_window then format(
                'change: {} postings with a description in the current window, fewer than {}; '
                || 'the share is over every dated posting',
                text_current, min_postings
            )
        end,
        case
            when basis_enough and on_current_window and not previous_enough then format(
                'change: {} postings with a description in the previous window, fewer than {}',
                postings_with_text_previous_window, min_postings
            )
        end
    ), '') as measures_withheld,
    current_window_start,
    current_window_end,
    previous_window_start,
    previous_window_end
from measured
order by role, industry_sector, postings_mentioning desc, skill
