-- Grain: one row per O*NET-SOC occupation of the latest O*NET release loaded: its Job Zone
-- (1 = little or no preparation needed ... 5 = extensive preparation). Source: O*NET
-- database (CC BY 4.0), Job Zones.txt; empty when no loaded archive holds it.
with source as (
    select onet_soc_code, title, job_zone, _release
    from raw.onet__job_zones
),

latest as (
    select max(_release) as release from source
)

select
    source.onet_soc_code,
    source.title,
    cast(source.job_zone as bigint) as job_zone,
    source._release as onet_release
from source
inner join latest on latest.release = source._release
