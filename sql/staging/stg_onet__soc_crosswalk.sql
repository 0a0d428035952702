-- Grain: one row per (O*NET-SOC 2019 code, SOC 2018 code) pair of the published crosswalk.
with source as (
    select onet_soc_code, onet_title, soc_code, soc_title
    from raw.soc__onet_crosswalk
)

select onet_soc_code, onet_title, soc_code, soc_title
from source
