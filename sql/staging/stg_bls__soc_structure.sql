-- Grain: one row per SOC 2018 code at any level (major, minor, broad, detailed).
with source as (
    select soc_code, soc_title, level, major_code, minor_code, broad_code
    from raw.soc__structure
)

select soc_code, soc_title, level, major_code, minor_code, broad_code
from source
