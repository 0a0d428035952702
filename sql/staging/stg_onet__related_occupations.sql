-- Grain: one row per (O*NET-SOC occupation, related O*NET-SOC occupation) of the latest
-- O*NET release loaded: O*NET's Related Occupations, tier ('Primary-Short', 'Primary-Long',
-- 'Supplemental') and index (1 = most related). Source: O*NET database (CC BY 4.0), Related
-- Occupations.txt; empty when no loaded archive holds it.
with source as (
    select
        onet_soc_code, title, related_onet_soc_code, related_title, relatedness_tier,
        related_index, _release
    from raw.onet__related_occupations
),

latest as (
    select max(_release) as release from source
)

select
    source.onet_soc_code,
    source.title,
    source.related_onet_soc_code,
    source.related_title,
    source.relatedness_tier,
    cast(source.related_index as bigint) as related_index,
    source._release as onet_release
from source
inner join latest on latest.release = source._release
