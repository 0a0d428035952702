-- Grain: one row per (O*NET-SOC code, alternate title) of the loaded O*NET release.
with source as (
    select onet_soc_code, alternate_title, short_title, sources, _release
    from raw.onet__alternate_titles
)

select onet_soc_code, alternate_title, short_title, sources, _release as onet_release
from source
