-- Grain: one row per NAICS 2022 code (2- to 6-digit; sectors 31-33, 44-45, 48-49 as ranges).
with source as (
    select naics_code, naics_title, level, sector_code
    from raw.naics__codes
)

select naics_code, naics_title, cast(level as integer) as level, sector_code
from source
