-- Grain: one row per O*NET-SOC occupation of the loaded O*NET release.
with source as (
    select onet_soc_code, title, description, _release
    from raw.onet__occupation_data
)

select onet_soc_code, title as onet_title, description, _release as onet_release
from source
