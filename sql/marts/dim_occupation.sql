-- Grain: one row per SOC 2018 code (major, minor, broad, detailed), with its definition and,
-- for detailed codes, the O*NET-SOC occupations that map to it.
-- Sources: BLS SOC 2018 structure and definitions; O*NET-SOC 2019 crosswalk (CC BY 4.0).
with structure as (
    select soc_code, soc_title, level, major_code, minor_code, broad_code
    from staging.stg_bls__soc_structure
),

definitions as (
    select soc_code, definition
    from staging.stg_bls__soc_definitions
),

onet as (
    select
        soc_code,
        list(onet_soc_code order by onet_soc_code) as onet_soc_codes,
        list(onet_title order by onet_soc_code) as onet_titles
    from staging.stg_onet__soc_crosswalk
    group by soc_code
)

select
    structure.soc_code,
    structure.soc_title,
    structure.level,
    structure.major_code,
    structure.minor_code,
    structure.broad_code,
    definitions.definition,
    onet.onet_soc_codes,
    onet.onet_titles
from structure
left join definitions using (soc_code)
left join onet using (soc_code)
order by structure.soc_code
