-- Grain: one row per SOC 2018 code with its published definition.
with source as (
    select soc_code, soc_title, definition
    from raw.soc__definitions
)

select soc_code, soc_title, definition
from source
