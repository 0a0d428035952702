-- Grain: one row per (role, industry_sector, skill) named in at least one posting with a
-- description in the current or the previous window: how many of the role's postings with
-- text name it, the share, and its change on the previous window. skill_kind: 'method',
-- 'certification', 'technology' (an O*NET Technology Skills example) or 'technology
-- category' (an O*NET commodity title named as such); hot_technology is O*NET's flag.
-- Certifications also carry how many postings require / prefer them (else unmarked).
-- Windows: those of marts.role_trend for the same (role, industry_sector), counting each job
-- once (canonical postings). A share is NULL below seeds.evidence_floor postings with text
-- ([label] min_postings in data/seeds/outlook_rules.toml), a change when either window is;
-- measures_withheld says why. Sources: intermediate.int_role_postings__text_windows,
-- marts.role_trend, cache.requirement_terms (the extraction taxonomy's terms).
with postings as (
    select
        posting_row_id, role, role_slug, industry_sector, time_window, has_text,
        certifications, certifications_required, certifications_preferred, skills
    from intermediate.int_role_postings__text_windows
),

floor as (
    select min_postings from seeds.evidence_floor
),

counts as (
    select
        role,
        industry_sector,
        count(*) filter (where time_window = 'current') as postings_current,
        count(*) filter (where time_window = 'current' and has_text) as text_current,
        count(*) filter (where time_window = 'previous' and has_text) as text_previous
    from postings
    group by role, industry_sector
),

mentions as (
    select posting_row_id, role, industry_sector, time_window, unnest(skills) as skill,
        false as required, false as preferred
    from postings
    where has_text
    union all
    select
        posting_row_id, role, industry_sector, time_window, unnest(certifications) as skill,
        false as required, false as preferred
    from postings
    where has_text
),

marked as (
    -- required / preferred marks of each certification a posting names
    select posting_row_id, unnest(certifications_required) as skill, 'required' as mark
    from postings
    where has_text
    union all
    select posting_row_id, unnest(certifications_preferred) as skill, 'preferred' as mark
    from postings
    where has_text
),

per_skill as (
    select
        mentions.role,
        mentions.industry_sector,
        mentions.skill,
        count(distinct mentions.posting_row_id) filter (
            where mentions.time_window = 'current'
        ) as mentioning_current,
        count(distinct mentions.posting_row_id) filter (
            where mentions.time_window = 'previous'
        ) as mentioning_previous,
        count(distinct mentions.posting_row_id) filter (
            where mentions.time_window = 'current' and marked.mark = 'required'
        ) as required_current,
        count(distinct mentions.posting_row_id) filter (
            where mentions.time_window = 'current' and marked.mark = 'preferred'
        ) as preferred_current
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
        per_skill.skill,
        coalesce(terms.kind, 'unknown') as skill_kind,
        coalesce(terms.hot_technology, false) as hot_technology,
        counts.postings_current as postings_current_window,
        counts.text_current as postings_with_text_current_window,
        per_skill.mentioning_current as postings_mentioning_current_window,
        counts.text_previous as postings_with_text_previous_window,
        per_skill.mentioning_previous as postings_mentioning_previous_window,
        per_skill.required_current,
        per_skill.preferred_current,
        counts.text_current >= floor.min_postings as current_enough,
        counts.text_previous >= floor.min_postings as previous_enough,
        floor.min_postings,
        trend.current_window_start,
        trend.current_window_end,
        trend.previous_window_start,
        trend.previous_window_end
    from per_skill
    inner join counts using (role, industry_sector)
    inner join trend using (role, industry_sector)
    left join terms on terms.term = per_skill.skill
    cross join floor
)

select
    role,
    role_slug,
    industry_sector,
    sector_title,
    industry_group,
    skill,
    skill_kind,
    hot_technology,
    postings_current_window,
    postings_with_text_current_window,
    postings_mentioning_current_window,
    case
        when current_enough
            then round(postings_mentioning_current_window / postings_with_text_current_window, 4)
    end as share_mentioning,
    case when skill_kind = 'certification' then required_current end as postings_requiring,
    case when skill_kind = 'certification' then preferred_current end as postings_preferring,
    case
        when skill_kind = 'certification' and current_enough
            then round(required_current / postings_with_text_current_window, 4)
    end as share_requiring,
    case
        when skill_kind = 'certification' and current_enough
            then round(preferred_current / postings_with_text_current_window, 4)
    end as share_preferring,
    postings_with_text_previous_window,
    postings_mentioning_previous_window,
    case
        when previous_enough
            then round(postings_mentioning_previous_window / postings_with_text_previous_window, 4)
    end as share_mentioning_previous,
    case
        when current_enough and previous_enough
            then round(
                100 * (
                    postings_mentioning_current_window / postings_with_text_current_window
                    - postings_mentioning_previous_window / postings_with_text_previous_window
                ),
                2
            )
    end as share_change_pts,
    nullif(concat_ws(
        '; ',
        case
            when not current_enough then format(
                'share: {} postings with a description in the current window, fewer than {}',
                postings_with_text_current_window, min_postings
            )
        end,
        case
            when current_enough and not previous_enough then format(
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
order by role, industry_sector, postings_mentioning_current_window desc, skill
