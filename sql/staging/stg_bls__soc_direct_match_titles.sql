-- Grain: one row per (SOC 2018 code, direct match title) of the BLS direct match title file.
with source as (
    select soc_code, soc_title, direct_match_title, illustrative
    from raw.soc__direct_match_titles
)

select
    soc_code,
    soc_title,
    direct_match_title,
    cast(illustrative as boolean) as is_illustrative_example
from source
