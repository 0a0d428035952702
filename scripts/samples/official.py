"""Write small, deterministic sample files in the exact upstream formats (official sources).

``write_official_samples(mirror_root)`` lays files out like ``wget --mirror``
(``mirror_root/<host>/<url path>``) so the fetch layer can serve them offline:

- www.bls.gov/oes/special-requests/oesm23in4.zip, oesm24in4.zip (natsector_M20YY_dl.xlsx)
- www.bls.gov/emp/ind-occ-matrix/occupation.xlsx (table 1.2 in full format, other tables
  abbreviated)
- www.bls.gov/soc/2018/soc_structure_2018.xlsx, soc_2018_definitions.xlsx,
  soc_2019_onet_crosswalk.xlsx, soc_2018_direct_match_title_file.xlsx
- www.census.gov/naics/2022NAICS/2-6 digit_2022_Codes.xlsx
- www.onetcenter.org/dl_files/database/db_29_3_text.zip
- api.bls.gov/publicAPI/v2/timeseries/data/jolts_sample.json (see :func:`write_jolts_fixture`)

Codes and titles are the public SOC/NAICS/O*NET taxonomies; every figure, definition,
task, alternate title and direct match title is made up for the sample (plausible, not
published).  Output bytes are deterministic (fixed seeds, fixed zip timestamps and workbook
properties), so regenerating does not churn git.  openpyxl (a dev dependency) writes the
workbooks.

Run: ``python -m scripts.samples.official [mirror_root]`` (default data/samples/mirror).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import sys
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from scripts.samples.onet_real import JOB_ZONES, RELATED_OCCUPATIONS

FIXED_TIME = (2025, 1, 1, 0, 0, 0)
FIXED_DT = dt.datetime(2025, 1, 1)

# --------------------------------------------------------------------------------------
# Occupations: SOC hierarchy used by every sample.  (code, title, level)
# --------------------------------------------------------------------------------------
SOC_TREE: list[tuple[str, str, str]] = [
    ("11-0000", "Management Occupations", "major"),
    ("11-1000", "Top Executives", "minor"),
    ("11-1020", "General and Operations Managers", "broad"),
    ("11-1021", "General and Operations Managers", "detailed"),
    (
        "11-2000",
        "Advertising, Marketing, Promotions, Public Relations, and Sales Managers",
        "minor",
    ),
    ("11-2020", "Marketing and Sales Managers", "broad"),
    ("11-2021", "Marketing Managers", "detailed"),
    ("11-3000", "Operations Specialties Managers", "minor"),
    ("11-3020", "Computer and Information Systems Managers", "broad"),
    ("11-3021", "Computer and Information Systems Managers", "detailed"),
    ("11-3030", "Financial Managers", "broad"),
    ("11-3031", "Financial Managers", "detailed"),
    ("11-3050", "Industrial Production Managers", "broad"),
    ("11-3051", "Industrial Production Managers", "detailed"),
    ("11-3070", "Transportation, Storage, and Distribution Managers", "broad"),
    ("11-3071", "Transportation, Storage, and Distribution Managers", "detailed"),
    ("11-9000", "Other Management Occupations", "minor"),
    ("11-9110", "Medical and Health Services Managers", "broad"),
    ("11-9111", "Medical and Health Services Managers", "detailed"),
    ("11-9190", "Miscellaneous Managers", "broad"),
    ("11-9199", "Managers, All Other", "detailed"),
    ("13-0000", "Business and Financial Operations Occupations", "major"),
    ("13-1000", "Business Operations Specialists", "minor"),
    ("13-1070", "Human Resources Workers", "broad"),
    ("13-1071", "Human Resources Specialists", "detailed"),
    ("13-1080", "Logisticians and Project Management Specialists", "broad"),
    ("13-1081", "Logisticians", "detailed"),
    ("13-1082", "Project Management Specialists", "detailed"),
    ("13-1110", "Management Analysts", "broad"),
    ("13-1111", "Management Analysts", "detailed"),
    ("13-2000", "Financial Specialists", "minor"),
    ("13-2010", "Accountants and Auditors", "broad"),
    ("13-2011", "Accountants and Auditors", "detailed"),
    ("13-2050", "Financial Analysts and Advisors", "broad"),
    ("13-2051", "Financial and Investment Analysts", "detailed"),
    ("15-0000", "Computer and Mathematical Occupations", "major"),
    ("15-1200", "Computer Occupations", "minor"),
    ("15-1210", "Computer and Information Analysts", "broad"),
    ("15-1211", "Computer Systems Analysts", "detailed"),
    ("15-1250", "Software and Web Developers, Programmers, and Testers", "broad"),
    ("15-1252", "Software Developers", "detailed"),
    ("15-2000", "Mathematical Science Occupations", "minor"),
    ("15-2050", "Data Scientists", "broad"),
    ("15-2051", "Data Scientists", "detailed"),
    ("17-0000", "Architecture and Engineering Occupations", "major"),
    ("17-2000", "Engineers", "minor"),
    ("17-2110", "Industrial Engineers, Including Health and Safety", "broad"),
    ("17-2112", "Industrial Engineers", "detailed"),
    ("23-0000", "Legal Occupations", "major"),
    ("23-1000", "Lawyers, Judges, and Related Workers", "minor"),
    ("23-1010", "Lawyers and Judicial Law Clerks", "broad"),
    ("23-1011", "Lawyers", "detailed"),
    ("25-0000", "Educational Instruction and Library Occupations", "major"),
    (
        "25-2000",
        "Preschool, Elementary, Middle, Secondary, and Special Education Teachers",
        "minor",
    ),
    ("25-2020", "Elementary and Middle School Teachers", "broad"),
    ("25-2021", "Elementary School Teachers, Except Special Education", "detailed"),
    ("29-0000", "Healthcare Practitioners and Technical Occupations", "major"),
    ("29-1000", "Healthcare Diagnosing or Treating Practitioners", "minor"),
    ("29-1140", "Registered Nurses", "broad"),
    ("29-1141", "Registered Nurses", "detailed"),
    ("29-1170", "Nurse Practitioners", "broad"),
    ("29-1171", "Nurse Practitioners", "detailed"),
    ("29-1210", "Physicians", "broad"),
    ("29-1229", "Physicians, All Other", "detailed"),
    ("29-2000", "Health Technologists and Technicians", "minor"),
    ("29-2060", "Licensed Practical and Licensed Vocational Nurses", "broad"),
    ("29-2061", "Licensed Practical and Licensed Vocational Nurses", "detailed"),
    ("31-0000", "Healthcare Support Occupations", "major"),
    (
        "31-1100",
        "Home Health and Personal Care Aides; and Nursing Assistants, Orderlies, and Psychiatric Aides",
        "minor",
    ),
    ("31-1130", "Nursing Assistants, Orderlies, and Psychiatric Aides", "broad"),
    ("31-1131", "Nursing Assistants", "detailed"),
    ("41-0000", "Sales and Related Occupations", "major"),
    ("41-2000", "Retail Sales Workers", "minor"),
    ("41-2030", "Retail Salespersons", "broad"),
    ("41-2031", "Retail Salespersons", "detailed"),
    ("43-0000", "Office and Administrative Support Occupations", "major"),
    ("43-4000", "Information and Record Clerks", "minor"),
    ("43-4050", "Customer Service Representatives", "broad"),
    ("43-4051", "Customer Service Representatives", "detailed"),
    ("43-6000", "Secretaries and Administrative Assistants", "minor"),
    ("43-6010", "Secretaries and Administrative Assistants", "broad"),
    (
        "43-6014",
        "Secretaries and Administrative Assistants, Except Legal, Medical, and Executive",
        "detailed",
    ),
    ("51-0000", "Production Occupations", "major"),
    ("51-1000", "Supervisors of Production Workers", "minor"),
    ("51-1010", "First-Line Supervisors of Production and Operating Workers", "broad"),
    ("51-1011", "First-Line Supervisors of Production and Operating Workers", "detailed"),
    ("51-2000", "Assemblers and Fabricators", "minor"),
    ("51-2090", "Miscellaneous Assemblers and Fabricators", "broad"),
    ("51-2092", "Team Assemblers", "detailed"),
    ("53-0000", "Transportation and Material Moving Occupations", "major"),
    ("53-3000", "Motor Vehicle Operators", "minor"),
    ("53-3030", "Driver/Sales Workers and Truck Drivers", "broad"),
    ("53-3032", "Heavy and Tractor-Trailer Truck Drivers", "detailed"),
    ("53-7000", "Material Moving Workers", "minor"),
    ("53-7060", "Laborers and Material Movers", "broad"),
    ("53-7062", "Laborers and Freight, Stock, and Material Movers, Hand", "detailed"),
]
TITLES = {code: title for code, title, _ in SOC_TREE}
LEVEL = {code: level for code, _, level in SOC_TREE}

# Detailed occupation -> (national employment, national annual median wage), figures made
# up for the sample (M2023 baseline).
NATIONAL: dict[str, tuple[int, int]] = {
    "11-1021": (3_380_000, 101_500),
    "11-2021": (370_000, 156_000),
    "11-3021": (560_000, 167_000),
    "11-3031": (760_000, 154_000),
    "11-3051": (205_000, 115_000),
    "11-3071": (170_000, 101_000),
    "11-9111": (530_000, 109_000),
    "11-9199": (560_000, 134_000),
    "13-1071": (880_000, 66_900),
    "13-1081": (205_000, 78_600),
    "13-1082": (850_000, 97_800),
    "13-1111": (960_000, 97_900),
    "13-2011": (1_420_000, 78_900),
    "13-2051": (320_000, 98_600),
    "15-1211": (510_000, 102_500),
    "15-1252": (1_650_000, 131_000),
    "15-2051": (195_000, 107_000),
    "17-2112": (335_000, 98_800),
    "23-1011": (730_000, 144_000),
    "25-2021": (1_390_000, 62_500),
    "29-1141": (3_170_000, 85_300),
    "29-1171": (282_000, 124_000),
    "29-1229": (255_000, 236_000),
    "29-2061": (640_000, 58_900),
    "31-1131": (1_340_000, 37_800),
    "41-2031": (3_690_000, 33_000),
    "43-4051": (2_840_000, 39_300),
    "43-6014": (3_160_000, 43_700),
    "51-1011": (680_000, 64_900),
    "51-2092": (1_050_000, 38_900),
    "53-3032": (2_010_000, 53_800),
    "53-7062": (3_050_000, 36_900),
}
ANNUAL_ONLY = {"25-2021"}  # teachers: BLS publishes annual wages only

# OEWS industries in the sample: (NAICS cell, title, I_GROUP, OWN_CODE, total employment,
# wage factor, occupations present with their share of national employment).
_GOV_TITLE = (
    "Federal, State, and Local Government, excluding State and Local Government Schools "
    "and Hospitals and the U.S. Postal Service (OEWS Designation)"
)
INDUSTRIES: list[tuple[Any, str, str, str, int, float, dict[str, float]]] = [
    ("000000", "Cross-industry", "cross-industry", "1235", 151_850_000, 1.0, {}),
    (
        "62",
        "Health Care and Social Assistance",
        "sector",
        "58",
        21_100_000,
        0.98,
        {
            "11-1021": 0.05,
            "11-3021": 0.06,
            "11-3031": 0.07,
            "11-9111": 0.72,
            "11-9199": 0.05,
            "13-1071": 0.09,
            "13-1082": 0.05,
            "13-1111": 0.08,
            "13-2011": 0.05,
            "15-1211": 0.06,
            "15-2051": 0.07,
            "29-1141": 0.84,
            "29-1171": 0.88,
            "29-1229": 0.9,
            "29-2061": 0.78,
            "31-1131": 0.9,
            "43-4051": 0.05,
            "43-6014": 0.08,
        },
    ),
    (
        31,  # OEWS writes the 31-33 sector as the number 31
        "Manufacturing",
        "sector",
        "5",
        12_900_000,
        1.03,
        {
            "11-1021": 0.1,
            "11-3021": 0.06,
            "11-3031": 0.06,
            "11-3051": 0.74,
            "11-3071": 0.12,
            "11-9199": 0.06,
            "13-1071": 0.06,
            "13-1081": 0.3,
            "13-1082": 0.09,
            "13-1111": 0.04,
            "13-2011": 0.04,
            "15-1252": 0.05,
            "15-2051": 0.02,
            "17-2112": 0.7,
            "51-1011": 0.52,
            "51-2092": 0.75,
            "53-7062": 0.1,
        },
    ),
    (
        "52",
        "Finance and Insurance",
        "sector",
        "5",
        6_580_000,
        1.12,
        {
            "11-1021": 0.05,
            "11-2021": 0.09,
            "11-3021": 0.12,
            "11-3031": 0.3,
            "11-9199": 0.08,
            "13-1071": 0.04,
            "13-1082": 0.1,
            "13-1111": 0.11,
            "13-2011": 0.12,
            "13-2051": 0.55,
            "15-1211": 0.16,
            "15-1252": 0.09,
            "15-2051": 0.2,
            "43-4051": 0.12,
            "43-6014": 0.03,
        },
    ),
    (
        "51",
        "Information",
        "sector",
        "5",
        3_020_000,
        1.15,
        {
            "11-1021": 0.03,
            "11-2021": 0.12,
            "11-3021": 0.15,
            "11-3031": 0.04,
            "13-1082": 0.06,
            "13-1111": 0.03,
            "15-1211": 0.08,
            "15-1252": 0.18,
            "15-2051": 0.12,
            "43-4051": 0.04,
        },
    ),
    (
        "54",
        "Professional, Scientific, and Technical Services",
        "sector",
        "5",
        10_250_000,
        1.1,
        {
            "11-1021": 0.07,
            "11-2021": 0.15,
            "11-3021": 0.22,
            "11-3031": 0.1,
            "11-9199": 0.1,
            "13-1071": 0.08,
            "13-1082": 0.25,
            "13-1111": 0.35,
            "13-2011": 0.32,
            "13-2051": 0.1,
            "15-1211": 0.3,
            "15-1252": 0.38,
            "15-2051": 0.25,
            "17-2112": 0.08,
            "23-1011": 0.55,
            "43-6014": 0.06,
        },
    ),
    (
        "99",
        _GOV_TITLE,
        "sector",
        "123",
        9_880_000,
        0.95,
        {
            "11-1021": 0.04,
            "11-3021": 0.06,
            "11-3031": 0.05,
            "11-9111": 0.05,
            "11-9199": 0.15,
            "13-1071": 0.14,
            "13-1082": 0.12,
            "13-1111": 0.12,
            "13-2011": 0.08,
            "13-2051": 0.02,
            "15-1211": 0.1,
            "15-2051": 0.08,
            "23-1011": 0.12,
            "29-1141": 0.04,
            "43-6014": 0.07,
            "53-3032": 0.02,
        },
    ),
]
TOP_ANNUAL, TOP_HOURLY = 239_200.0, 115.00
OEWS_HEADER = [
    "AREA", "AREA_TITLE", "AREA_TYPE", "PRIM_STATE", "NAICS", "NAICS_TITLE", "I_GROUP",
    "OWN_CODE", "OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "EMP_PRSE", "JOBS_1000",
    "LOC_QUOTIENT", "PCT_TOTAL", "PCT_RPT", "H_MEAN", "A_MEAN", "MEAN_PRSE", "H_PCT10",
    "H_PCT25", "H_MEDIAN", "H_PCT75", "H_PCT90", "A_PCT10", "A_PCT25", "A_MEDIAN",
    "A_PCT75", "A_PCT90", "ANNUAL", "HOURLY",
]  # fmt: skip
# Hand-placed markers so that every kind appears: (release year, NAICS, SOC) -> kind.
EMP_SUPPRESSED = {(2023, "51", "15-1211"), (2024, "99", "15-2051"), (2024, 31, "13-1081")}
WAGE_NA = {(2023, 31, "15-2051"), (2024, "52", "13-1071")}


def _deterministic_zip(path: Path, members: Iterable[tuple[str, bytes]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    path.write_bytes(buf.getvalue())
    return path


def _xlsx_bytes(sheets: Sequence[tuple[str, list[list[Any]]]]) -> bytes:
    """A workbook with the given sheets, repacked with fixed timestamps."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.properties.created = FIXED_DT
    wb.properties.modified = FIXED_DT
    wb.properties.creator = "outlook sample generator"
    raw = io.BytesIO()
    wb.save(raw)
    # openpyxl stamps zip entries with the current time: repack them.
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src:
        members = [(i.filename, src.read(i)) for i in src.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            if name == "docProps/core.xml":
                # openpyxl overwrites "modified" with the save time.
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2025-01-01T00:00:00Z\g<2>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return out.getvalue()


def _write_xlsx(path: Path, sheets: Sequence[tuple[str, list[list[Any]]]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_xlsx_bytes(sheets))
    return path


# --------------------------------------------------------------------------------------
# OEWS
# --------------------------------------------------------------------------------------
def _ancestors(code: str) -> list[str]:
    """The sample's SOC rows enclosing ``code`` (major, minor, broad), in tree order."""
    out: list[str] = []
    idx = next(i for i, (c, _, _) in enumerate(SOC_TREE) if c == code)
    need = {"major", "minor", "broad"}
    for c, _, level in reversed(SOC_TREE[:idx]):
        if level in need and c[:2] == code[:2]:
            out.append(c)
            need.discard(level)
            if level == "major":
                break
    return list(reversed(out))


def _wage_block(rng: random.Random, median: float) -> dict[str, float]:
    spread = rng.uniform(0.9, 1.1)
    ratios = {
        "p10": 1 - 0.42 * spread,
        "p25": 1 - 0.23 * spread,
        "p50": 1.0,
        "p75": 1 + 0.3 * spread,
        "p90": 1 + 0.62 * spread,
        "mean": 1 + 0.08 * spread,
    }
    return {k: round(median * r / 10) * 10 for k, r in ratios.items()}


def _oews_rows(year: int) -> list[list[Any]]:
    rng = random.Random(f"oews-{year}")
    growth = 1.0 if year == 2023 else 1.041
    rows: list[list[Any]] = []
    for naics, title, i_group, own, total, factor, shares in INDUSTRIES:
        if i_group == "cross-industry":
            shares = dict.fromkeys(NATIONAL, 1.0)
        total_emp = round(total * (1.0 if year == 2023 else 1.012) / 10) * 10
        detail: dict[str, tuple[int, dict[str, float]]] = {}
        for soc, share in shares.items():
            emp0, med0 = NATIONAL[soc]
            emp = round(emp0 * share * rng.uniform(0.93, 1.07) * (1 + (year - 2023) * 0.015), -1)
            med = med0 * growth * (factor if i_group != "cross-industry" else 1.0)
            detail[soc] = (int(emp), _wage_block(rng, med * rng.uniform(0.95, 1.05)))
        # Aggregate rows (total, major, minor, broad) from the detailed ones.
        codes_in_order = [c for c, _, _ in SOC_TREE]
        wanted: dict[str, list[str]] = {"00-0000": list(detail)}
        for soc in detail:
            for anc in _ancestors(soc):
                wanted.setdefault(anc, []).append(soc)
            wanted.setdefault(soc, [soc])
        ordered = ["00-0000"] + [c for c in codes_in_order if c in wanted]
        for code in ordered:
            members = wanted[code]
            if code == "00-0000":
                emp = total_emp
                med = 48_000 * growth * factor
                wages = _wage_block(rng, med)
                o_group, occ_title = "total", "All Occupations"
            else:
                emp = sum(detail[m][0] for m in members)
                weights = [detail[m][0] or 1 for m in members]
                wages = {
                    k: round(
                        sum(detail[m][1][k] * w for m, w in zip(members, weights, strict=True))
                        / sum(weights)
                        / 10
                    )
                    * 10
                    for k in detail[members[0]][1]
                }
                o_group, occ_title = LEVEL[code], TITLES[code]
            rows.append(
                _oews_row(year, naics, title, i_group, own, code, occ_title, o_group, emp,
                          total_emp, wages, rng)
            )  # fmt: skip
    return rows


def _oews_row(
    year: int,
    naics: Any,
    title: str,
    i_group: str,
    own: str,
    code: str,
    occ_title: str,
    o_group: str,
    emp: int,
    total_emp: int,
    wages: dict[str, float],
    rng: random.Random,
) -> list[Any]:
    annual_only = code in ANNUAL_ONLY
    prse = 0.0 if code == "00-0000" else round(rng.uniform(0.4, 9.5), 1)
    pct_total = round(100.0 * emp / total_emp, 2)
    pct_rpt: Any = round(rng.uniform(3, 99)) if o_group != "total" else 100.0
    if o_group in ("minor", "broad") and rng.random() < 0.5:
        pct_rpt = "~"
    emp_cells: list[Any] = [float(emp), prse, "", "", pct_total, pct_rpt]
    if (year, naics, code) in EMP_SUPPRESSED:
        emp_cells = ["**", "**", "", "", "**", "**"]

    def annual(v: float) -> Any:
        return "#" if v >= TOP_ANNUAL else float(v)

    def hourly(v: float) -> Any:
        h = round(v / 2080, 2)
        return "#" if h >= TOP_HOURLY or v >= TOP_ANNUAL else h

    keys = ["p10", "p25", "p50", "p75", "p90"]
    h_cells: list[Any] = [hourly(wages[k]) for k in keys]
    a_cells: list[Any] = [annual(wages[k]) for k in keys]
    h_mean, a_mean = hourly(wages["mean"]), annual(wages["mean"])
    mean_prse: Any = round(rng.uniform(0.2, 4.0), 1)
    if annual_only:
        h_cells, h_mean = ["*"] * 5, "*"
    if (year, naics, code) in WAGE_NA:
        h_cells, a_cells, h_mean, a_mean, mean_prse = ["*"] * 5, ["*"] * 5, "*", "*", "*"
    naics_cell = naics
    if isinstance(naics, int):
        naics_cell = float(naics)  # numeric cell, as BLS writes 31/44/48
    return [
        "99", "U.S.", "1", "US", naics_cell, title, i_group, own, code, occ_title, o_group,
        emp_cells[0], emp_cells[1], emp_cells[2], emp_cells[3], emp_cells[4], emp_cells[5],
        h_mean, a_mean, mean_prse, *h_cells, *a_cells,
        "TRUE" if annual_only else "", "",
    ]  # fmt: skip


def write_oews_sample(mirror_root: Path, year: int) -> Path:
    yy = year % 100
    sheet = f"Natsector_M{year}_dl"
    data = _xlsx_bytes(
        [
            (sheet, [OEWS_HEADER, *_oews_rows(year)]),
            ("UpdateTime", [["alldataupdate"], ["09MAR2021:10:42:00"]]),
            ("Filler", []),
        ]
    )
    path = mirror_root / f"www.bls.gov/oes/special-requests/oesm{yy}in4.zip"
    return _deterministic_zip(path, [(f"oesm{yy}in4/natsector_M{year}_dl.xlsx", data)])


# --------------------------------------------------------------------------------------
# Employment Projections occupation.xlsx
# --------------------------------------------------------------------------------------
EDU_BA, EDU_HS, EDU_NONE = (
    "Bachelor's degree",
    "High school diploma or equivalent",
    ("No formal educational credential"),
)
EDU_MA, EDU_DR, EDU_PS = (
    "Master's degree",
    "Doctoral or professional degree",
    ("Postsecondary nondegree award"),
)
# Line items: code -> (title, emp 2024 thousands, % change, median wage (or str),
# self-employed %, education, experience, training).  Made-up figures.
EP_LINE_ITEMS: list[tuple[str, str, float, float, Any, Any, str, str, str]] = [
    ("11-1011", "Chief executives", 300.5, 3.9, 201_300.0, 24.8, EDU_BA, "5 years or more", "None"),
    (
        "11-1021",
        "General and operations managers",
        3_495.2,
        5.6,
        102_800.0,
        2.6,
        EDU_BA,
        "5 years or more",
        "None",
    ),
    (
        "11-2021",
        "Marketing managers",
        395.0,
        7.4,
        158_900.0,
        4.0,
        EDU_BA,
        "5 years or more",
        "None",
    ),
    ("11-2022", "Sales managers", 590.3, 4.8, 137_100.0, 3.5, EDU_BA, "Less than 5 years", "None"),
    (
        "11-3012",
        "Administrative services managers",
        251.8,
        4.6,
        106_400.0,
        2.1,
        EDU_BA,
        "Less than 5 years",
        "None",
    ),
    (
        "11-3013",
        "Facilities managers",
        140.2,
        4.3,
        104_900.0,
        2.3,
        EDU_BA,
        "Less than 5 years",
        "None",
    ),
    (
        "11-3021",
        "Computer and information systems managers",
        615.9,
        14.8,
        170_100.0,
        3.9,
        EDU_BA,
        "5 years or more",
        "None",
    ),
    (
        "11-3031",
        "Financial managers",
        855.4,
        14.9,
        157_300.0,
        5.2,
        EDU_BA,
        "5 years or more",
        "None",
    ),
    (
        "11-3051",
        "Industrial production managers",
        212.7,
        2.4,
        117_600.0,
        1.2,
        EDU_BA,
        "5 years or more",
        "None",
    ),
    (
        "11-3071",
        "Transportation, storage, and distribution managers",
        190.6,
        5.7,
        102_300.0,
        3.4,
        EDU_HS,
        "5 years or more",
        "None",
    ),
    (
        "11-3121",
        "Human resources managers",
        212.0,
        5.1,
        139_800.0,
        1.0,
        EDU_BA,
        "5 years or more",
        "None",
    ),
    (
        "11-9021",
        "Construction managers",
        520.4,
        8.7,
        105_200.0,
        37.2,
        EDU_BA,
        "None",
        "Moderate-term on-the-job training",
    ),
    (
        "11-9111",
        "Medical and health services managers",
        640.0,
        24.1,
        115_400.0,
        5.4,
        EDU_BA,
        "Less than 5 years",
        "None",
    ),
    (
        "11-9199",
        "Managers, all other",
        1_190.7,
        5.2,
        139_000.0,
        18.1,
        EDU_BA,
        "Less than 5 years",
        "None",
    ),
    ("13-1071", "Human resources specialists", 935.2, 6.3, 68_900.0, 1.1, EDU_BA, "None", "None"),
    ("13-1081", "Logisticians", 232.1, 17.6, 80_800.0, 0.9, EDU_BA, "None", "None"),
    (
        "13-1082",
        "Project management specialists",
        1_021.6,
        6.8,
        100_600.0,
        3.3,
        EDU_BA,
        "None",
        "None",
    ),
    (
        "13-1111",
        "Management analysts",
        1_040.8,
        9.6,
        101_200.0,
        14.6,
        EDU_BA,
        "Less than 5 years",
        "None",
    ),
    (
        "13-1161",
        "Market research analysts and marketing specialists",
        930.4,
        7.4,
        76_400.0,
        7.6,
        EDU_BA,
        "None",
        "None",
    ),
    ("13-2011", "Accountants and auditors", 1_590.1, 5.3, 81_900.0, 7.3, EDU_BA, "None", "None"),
    (
        "13-2051",
        "Financial and investment analysts",
        345.3,
        8.8,
        101_900.0,
        0.8,
        EDU_BA,
        "None",
        "None",
    ),
    ("15-1211", "Computer systems analysts", 525.9, 9.4, 104_600.0, 3.2, EDU_BA, "None", "None"),
    (
        "15-1212",
        "Information security analysts",
        185.5,
        29.7,
        126_000.0,
        1.1,
        EDU_BA,
        "Less than 5 years",
        "None",
    ),
    (
        "15-1232",
        "Computer user support specialists",
        700.3,
        4.6,
        61_100.0,
        2.6,
        "Some college, no degree",
        "None",
        "None",
    ),
    ("15-1252", "Software developers", 1_720.4, 15.3, 133_900.0, 3.8, EDU_BA, "None", "None"),
    (
        "15-1253",
        "Software quality assurance analysts and testers",
        210.8,
        9.7,
        102_900.0,
        3.7,
        EDU_BA,
        "None",
        "None",
    ),
    ("15-2031", "Operations research analysts", 122.1, 21.5, 91_800.0, 0.6, EDU_BA, "None", "None"),
    ("15-2051", "Data scientists", 210.4, 33.6, 112_400.0, 3.1, EDU_BA, "None", "None"),
    ("17-2112", "Industrial engineers", 352.7, 11.2, 101_100.0, 0.7, EDU_BA, "None", "None"),
    ("23-1011", "Lawyers", 866.0, 4.9, 148_000.0, 16.4, EDU_DR, "None", "None"),
    (
        "25-2021",
        "Elementary school teachers, except special education",
        1_420.2,
        -1.3,
        64_500.0,
        "\u2014",
        EDU_BA,
        "None",
        "None",
    ),
    ("29-1141", "Registered nurses", 3_410.8, 5.4, 88_100.0, 0.9, EDU_BA, "None", "None"),
    ("29-1171", "Nurse practitioners", 305.6, 42.8, 127_900.0, 1.6, EDU_MA, "None", "None"),
    (
        "29-1228",
        "Physicians, all other; and ophthalmologists, except pediatric",
        470.4,
        3.6,
        ">=$239,200",
        8.4,
        EDU_DR,
        "None",
        "Internship/residency",
    ),
    (
        "29-2061",
        "Licensed practical and licensed vocational nurses",
        665.0,
        3.1,
        60_900.0,
        0.9,
        EDU_PS,
        "None",
        "None",
    ),
    ("31-1131", "Nursing assistants", 1_420.9, 2.5, 38_900.0, 0.7, EDU_PS, "None", "None"),
    (
        "31-1122",
        "Personal care aides",
        3_030.1,
        18.8,
        34_200.0,
        3.0,
        EDU_NONE,
        "None",
        "Short-term on-the-job training",
    ),
    (
        "41-1011",
        "First-line supervisors of retail sales workers",
        1_330.4,
        -2.6,
        48_900.0,
        20.9,
        EDU_HS,
        "Less than 5 years",
        "None",
    ),
    (
        "41-2011",
        "Cashiers",
        3_300.2,
        -10.4,
        30_100.0,
        0.5,
        EDU_NONE,
        "None",
        "Short-term on-the-job training",
    ),
    (
        "41-2031",
        "Retail salespersons",
        3_790.6,
        -1.8,
        34_000.0,
        2.9,
        EDU_NONE,
        "None",
        "Short-term on-the-job training",
    ),
    (
        "41-3091",
        "Sales representatives of services, except advertising, insurance, financial services, and travel",
        1_200.5,
        3.0,
        69_900.0,
        6.4,
        EDU_HS,
        "None",
        "Moderate-term on-the-job training",
    ),
    (
        "43-3031",
        "Bookkeeping, accounting, and auditing clerks",
        1_590.3,
        -6.4,
        49_100.0,
        7.9,
        "Some college, no degree",
        "None",
        "Moderate-term on-the-job training",
    ),
    (
        "43-4051",
        "Customer service representatives",
        2_830.4,
        -5.1,
        41_000.0,
        1.7,
        EDU_HS,
        "None",
        "Short-term on-the-job training",
    ),
    (
        "43-6014",
        "Secretaries and administrative assistants, except legal, medical, and executive",
        3_140.0,
        -5.6,
        45_100.0,
        1.4,
        EDU_HS,
        "None",
        "Short-term on-the-job training",
    ),
    (
        "43-9061",
        "Office clerks, general",
        2_510.6,
        -3.2,
        41_900.0,
        0.8,
        EDU_HS,
        "None",
        "Short-term on-the-job training",
    ),
    (
        "47-2061",
        "Construction laborers",
        1_140.8,
        7.0,
        46_200.0,
        8.1,
        EDU_NONE,
        "None",
        "Short-term on-the-job training",
    ),
    (
        "49-9071",
        "Maintenance and repair workers, general",
        1_600.1,
        5.0,
        48_900.0,
        2.4,
        EDU_HS,
        "None",
        "Moderate-term on-the-job training",
    ),
    (
        "51-1011",
        "First-line supervisors of production and operating workers",
        735.5,
        1.9,
        67_300.0,
        1.0,
        EDU_HS,
        "Less than 5 years",
        "None",
    ),
    (
        "51-2092",
        "Team assemblers",
        1_110.3,
        -4.7,
        39_800.0,
        0.3,
        EDU_HS,
        "None",
        "Moderate-term on-the-job training",
    ),
    (
        "51-9061",
        "Inspectors, testers, sorters, samplers, and weighers",
        590.4,
        -3.0,
        46_800.0,
        1.1,
        EDU_HS,
        "None",
        "Moderate-term on-the-job training",
    ),
    (
        "53-3032",
        "Heavy and tractor-trailer truck drivers",
        2_250.2,
        4.5,
        56_100.0,
        9.7,
        EDU_PS,
        "None",
        "Short-term on-the-job training",
    ),
    (
        "53-7062",
        "Laborers and freight, stock, and material movers, hand",
        3_240.7,
        4.2,
        37_800.0,
        0.9,
        EDU_NONE,
        "None",
        "Short-term on-the-job training",
    ),
    (
        "53-7065",
        "Stockers and order fillers",
        2_810.0,
        7.9,
        36_800.0,
        0.3,
        EDU_NONE,
        "None",
        "Short-term on-the-job training",
    ),
    (
        "35-2014",
        "Cooks, restaurant",
        1_440.3,
        10.9,
        36_500.0,
        0.9,
        EDU_NONE,
        "Less than 5 years",
        "Moderate-term on-the-job training",
    ),
    (
        "35-3023",
        "Fast food and counter workers",
        3_700.8,
        4.9,
        29_900.0,
        0.1,
        EDU_NONE,
        "None",
        "Short-term on-the-job training",
    ),
    (
        "37-2011",
        "Janitors and cleaners, except maids and housekeeping cleaners",
        2_390.2,
        3.3,
        35_600.0,
        4.6,
        EDU_NONE,
        "None",
        "Short-term on-the-job training",
    ),
    (
        "39-9011",
        "Childcare workers",
        930.6,
        -1.1,
        31_700.0,
        27.1,
        EDU_HS,
        "None",
        "Short-term on-the-job training",
    ),
    (
        "21-1093",
        "Social and human service assistants",
        430.2,
        6.8,
        42_900.0,
        "\u2014",
        EDU_HS,
        "None",
        "Short-term on-the-job training",
    ),
    (
        "33-3051",
        "Police and sheriff's patrol officers",
        690.7,
        2.8,
        77_100.0,
        "\u2014",
        EDU_HS,
        "None",
        "Moderate-term on-the-job training",
    ),
    ("27-1024", "Graphic designers", 270.6, 2.2, 61_900.0, 19.6, EDU_BA, "None", "None"),
]
EP_MAJORS: dict[str, tuple[str, float, float, float]] = {
    # code -> (title, employment 2024, 2034 (thousands), median wage); made up
    "00-0000": ("Total, all occupations", 170_210.4, 175_420.9, 49_800.0),
    "11-0000": ("Management occupations", 13_650.2, 14_520.7, 121_500.0),
    "13-0000": ("Business and financial operations occupations", 10_430.9, 11_130.3, 80_200.0),
    "15-0000": ("Computer and mathematical occupations", 5_440.1, 6_130.6, 105_900.0),
    "17-0000": ("Architecture and engineering occupations", 2_750.3, 2_910.8, 93_100.0),
    "21-0000": ("Community and social service occupations", 2_440.5, 2_610.0, 56_100.0),
    "23-0000": ("Legal occupations", 1_410.2, 1_480.3, 100_200.0),
    "25-0000": ("Educational instruction and library occupations", 9_350.1, 9_520.5, 60_400.0),
    "27-0000": (
        "Arts, design, entertainment, sports, and media occupations",
        2_900.8,
        3_020.6,
        56_700.0,
    ),
    "29-0000": ("Healthcare practitioners and technical occupations", 10_260.7, 11_100.4, 84_000.0),
    "31-0000": ("Healthcare support occupations", 7_640.1, 8_760.2, 37_300.0),
    "33-0000": ("Protective service occupations", 3_610.3, 3_700.6, 50_700.0),
    "35-0000": ("Food preparation and serving related occupations", 13_850.6, 14_620.1, 33_800.0),
    "37-0000": (
        "Building and grounds cleaning and maintenance occupations",
        5_830.4,
        6_020.2,
        37_900.0,
    ),
    "39-0000": ("Personal care and service occupations", 5_010.9, 5_340.3, 35_900.0),
    "41-0000": ("Sales and related occupations", 15_560.0, 15_270.5, 37_500.0),
    "43-0000": ("Office and administrative support occupations", 19_210.3, 18_480.9, 46_700.0),
    "47-0000": ("Construction and extraction occupations", 6_660.2, 6_980.8, 58_100.0),
    "49-0000": ("Installation, maintenance, and repair occupations", 6_230.5, 6_460.4, 58_200.0),
    "51-0000": ("Production occupations", 9_040.7, 8_920.2, 46_400.0),
    "53-0000": ("Transportation and material moving occupations", 14_240.6, 14_800.1, 43_100.0),
}
EP_T12_TITLE = (
    "Table 1.2 Occupational projections, 2024\u20132034, and worker characteristics, 2024 "
    "(Employment in thousands)"
)
EP_T12_HEADER = [
    "2024 National Employment Matrix title",
    "2024 National Employment Matrix code",
    "Occupation type",
    "Employment, 2024",
    "Employment, 2034",
    "Employment distribution, percent, 2024",
    "Employment distribution, percent, 2034",
    "Employment change, numeric, 2024\u201334",
    "Employment change, percent, 2024\u201334",
    "Percent self employed, 2024",
    "Occupational openings, 2024\u201334 annual average",
    "Median annual wage, dollars, 2024[1]",
    "Typical education needed for entry",
    "Work experience in a related occupation",
    "Typical on-the-job training needed to attain competency in the occupation",
    "Related Occupational Outlook Handbook (OOH) content xlsx",
]
EP_FOOTNOTES = [
    "Footnotes:",
    "[1] Data are from the Occupational Employment and Wage Statistics program, U.S. Bureau "
    "of Labor Statistics. Wage data cover non-farm wage and salary workers and do not cover "
    "the self-employed, owners and partners in unincorporated firms, or household workers.",
    'Note: Data is unavailable for values denoted with a "\u2014".',
    "Source: Employment Projections program, U.S. Bureau of Labor Statistics",
]
EP_INDEX = [
    "Occupation.xlsx contents",
    "Table 1.1 Employment by major occupational group, 2024 and projected 2034",
    "Table 1.2 Occupational projections, 2024\u201334, and worker characteristics, 2024",
    "Table 1.3 Fastest growing occupations, 2024 and projected 2034",
    "Table 1.4 Occupations with the most job growth, 2024 and projected 2034",
    "Table 1.5 Fastest declining occupations, 2024 and projected 2034",
    "Table 1.6 Occupations with the largest job declines, 2024 and projected 2034",
    "Table 1.8 2024\u201334 Industry-occupation matrix data, by occupation",
    "Table 1.9 2024\u201334 Industry-occupation matrix data, by industry",
    "Table 1.10 Occupational separations and openings, projected 2024\u201334",
    "Table 1.11 Employment in STEM occupations, 2024 and projected 2034",
    "Table 1.12 Factors affecting occupational utilization, projected 2024\u201334",
]


def _ep_table12() -> list[list[Any]]:
    width = len(EP_T12_HEADER)
    dash = "\u2014"
    total_base = EP_MAJORS["00-0000"][1]
    total_proj = EP_MAJORS["00-0000"][2]
    rows: list[list[Any]] = [[EP_T12_TITLE] + [""] * (width - 1), list(EP_T12_HEADER)]

    def summary(code: str, indent: int) -> list[Any]:
        title, base, proj, wage = EP_MAJORS[code]
        change = round(proj - base, 1)
        return [
            " " * indent + title, code, "Summary", base, proj,
            round(100 * base / total_base, 1), round(100 * proj / total_proj, 1),
            change, round(100 * change / base, 1), round(2 + hash_code(code) % 150 / 10, 1),
            round(base * 0.109, 1), wage, dash, dash, dash, dash,
        ]  # fmt: skip

    rows.append(summary("00-0000", 0))
    items = sorted(EP_LINE_ITEMS, key=lambda r: r[0])
    for major in sorted(c for c in EP_MAJORS if c != "00-0000"):
        rows.append(summary(major, 2))
        for code, title, base, pct, wage, self_emp, edu, exp, training in items:
            if code[:2] != major[:2]:
                continue
            proj = round(base * (1 + pct / 100), 1)
            change = round(proj - base, 1)
            openings = round(base * (0.075 + 0.0004 * (hash_code(code) % 100)), 1)
            rows.append(
                [
                    "      " + title, code, "Line item", base, proj,
                    round(100 * base / total_base, 1), round(100 * proj / total_proj, 1),
                    change, pct, self_emp, openings, wage, edu, exp, training,
                    "OOH Content" if hash_code(code) % 3 else dash,
                ]
            )  # fmt: skip
    for note in EP_FOOTNOTES:
        rows.append([note] + [""] * (width - 1))
    return rows


def hash_code(code: str) -> int:
    """A stable small integer from a code (Python's hash() is salted per process)."""
    return sum((i + 1) * ord(c) for i, c in enumerate(code))


def write_projections_sample(mirror_root: Path) -> Path:
    t11_header = [
        "2024 National Employment Matrix title",
        "2024 National Employment Matrix code",
        "Employment, 2024",
        "Employment, 2034",
        "Employment change, numeric, 2024\u201334",
        "Employment change, percent, 2024\u201334",
        "Median annual wage, dollars, 2024[1]",
    ]
    t11: list[list[Any]] = [
        [
            "Table 1.1 Employment by major occupational group, 2024 and projected 2034 "
            "(Employment in thousands)"
        ]
        + [""] * 6,
        t11_header,
    ]
    for code, (title, base, proj, wage) in sorted(EP_MAJORS.items()):
        change = round(proj - base, 1)
        indent = "" if code == "00-0000" else "  "
        t11.append([indent + title, code, base, proj, change, round(100 * change / base, 1), wage])
    t11 += [
        [EP_FOOTNOTES[0]] + [""] * 6,
        [EP_FOOTNOTES[1]] + [""] * 6,
        [EP_FOOTNOTES[3]] + [""] * 6,
    ]
    sheets: list[tuple[str, list[list[Any]]]] = [("Index", [[line] for line in EP_INDEX])]
    sheets += [("Table 1.1", t11), ("Table 1.2", _ep_table12())]
    # The other tables are not used by the pipeline: title row and a sample note only.
    for line in EP_INDEX[3:]:
        name = " ".join(line.split()[:2])
        sheets.append((name, [[line], ["(omitted from the sample)"]]))
    return _write_xlsx(mirror_root / "www.bls.gov/emp/ind-occ-matrix/occupation.xlsx", sheets)


# --------------------------------------------------------------------------------------
# SOC, NAICS, crosswalk
# --------------------------------------------------------------------------------------
DEFINITIONS: dict[str, str] = {
    "11-1021": "Direct the day-to-day running of an organization across several departments or sites; set policy, plan the use of staff and materials, and supervise managers.",
    "11-2021": "Plan and direct marketing programs, identify markets and customers, and set pricing and promotion strategies.",
    "11-3021": "Plan and direct an organization's information technology, computer systems and related staff.",
    "11-3031": "Direct financial reporting, investment, cash management and budgeting for an organization.",
    "11-3051": "Plan and direct the work of manufacturing plants, including quality, schedules and production staff.",
    "11-3071": "Plan and direct transportation, storage or distribution activities and the staff who carry them out.",
    "11-9111": "Plan and direct medical and health services in hospitals, clinics, practices or public health agencies, including quality and performance programs.",
    "11-9199": "All managers not listed separately.",
    "13-1071": "Recruit, screen and place workers and administer personnel programs such as benefits and training.",
    "13-1081": "Analyze and coordinate an organization's supply chain and the movement of goods.",
    "13-1082": "Plan, coordinate and monitor projects, tracking scope, schedule, budget and risks.",
    "13-1111": "Study organizational structures, processes and methods and recommend ways to improve efficiency and performance.",
    "13-2011": "Examine, prepare and analyze accounting records and financial statements.",
    "13-2051": "Analyze financial data to guide investment and business decisions.",
    "15-1211": "Analyze an organization's computer systems and design improvements to them.",
    "15-1252": "Research, design and develop software applications and systems.",
    "15-2051": "Develop and apply statistical and machine learning methods to extract insights from data.",
    "17-2112": "Design and improve production systems integrating people, materials, equipment and information.",
    "23-1011": "Advise and represent clients in legal matters.",
    "25-2021": "Teach students basic academic and social skills in elementary schools.",
    "29-1141": "Assess patient health, plan and deliver nursing care, and educate patients and families.",
    "29-1171": "Diagnose and treat acute and chronic conditions as advanced practice registered nurses.",
    "29-1229": "All physicians not listed separately.",
    "29-2061": "Care for ill, injured or convalescing patients under the direction of physicians and registered nurses.",
    "31-1131": "Provide basic patient care under the direction of nursing staff.",
    "41-2031": "Sell merchandise to customers in retail establishments.",
    "43-4051": "Answer customer questions, handle complaints and process orders.",
    "43-6014": "Perform routine clerical and administrative work such as scheduling and correspondence.",
    "51-1011": "Supervise and coordinate the work of production and operating workers.",
    "51-2092": "Work as part of a team assembling a product, rotating through tasks.",
    "53-3032": "Drive trucks with a capacity of more than 26,000 pounds gross vehicle weight.",
    "53-7062": "Manually move freight, stock or other materials.",
}


# SOC direct match titles (the BLS "direct match title file"): (code, title, illustrative
# marker as published: 'x', the odd 'X', or blank).  Written for the sample, one to three
# per detailed occupation of the O*NET sample; every title is unique, as in the real file.
DIRECT_MATCH_TITLES: list[tuple[str, str, str]] = [
    ("11-1021", "General Manager", "x"),
    ("11-1021", "Operations Manager", ""),
    ("11-1021", "Plant Superintendent", ""),
    ("11-2021", "Marketing Manager", "x"),
    ("11-2021", "Brand Marketing Manager", ""),
    ("11-3021", "Information Technology Director", "x"),
    ("11-3021", "IT Manager", ""),
    ("11-3031", "Finance Director", "x"),
    ("11-3031", "Comptroller", ""),
    ("11-3031", "Treasury Manager", ""),
    ("11-3051", "Production Manager", "x"),
    ("11-3051", "Plant Manager", ""),
    ("11-3051", "Quality Control Manager", "X"),
    ("11-3071", "Distribution Manager", "x"),
    ("11-3071", "Warehouse Operations Manager", ""),
    ("11-9111", "Health Services Administrator", "x"),
    ("11-9111", "Hospital Administrator", ""),
    ("11-9111", "Clinical Services Director", ""),
    ("11-9199", "Compliance Manager", "x"),
    ("11-9199", "Program Manager", ""),
    ("13-1071", "Human Resources Generalist", "x"),
    ("13-1071", "Recruiter", ""),
    ("13-1081", "Logistics Analyst", "x"),
    ("13-1081", "Supply Chain Logistician", ""),
    ("13-1082", "Project Manager", "x"),
    ("13-1082", "Project Coordinator", ""),
    ("13-1111", "Management Consultant", "x"),
    ("13-1111", "Business Process Analyst", ""),
    ("13-1111", "Operations Improvement Analyst", ""),
    ("13-2011", "Certified Public Accountant", "x"),
    ("13-2011", "Internal Auditor", ""),
    ("13-2051", "Financial Analyst", "x"),
    ("13-2051", "Investment Analyst", ""),
    ("15-1211", "Business Systems Analyst", "x"),
    ("15-1211", "Computer Systems Analyst", ""),
    ("15-1252", "Software Developer", "x"),
    ("15-1252", "Software Engineer", ""),
    ("15-1252", "Applications Developer", ""),
    ("15-2051", "Data Scientist", "x"),
    ("15-2051", "Machine Learning Scientist", ""),
    ("17-2112", "Industrial Engineer", "x"),
    ("17-2112", "Manufacturing Engineer", ""),
    ("23-1011", "Attorney", "x"),
    ("23-1011", "Corporate Counsel", ""),
    ("25-2021", "Elementary School Teacher", "x"),
    ("25-2021", "Third Grade Teacher", ""),
    ("29-1141", "Registered Nurse", "x"),
    ("29-1141", "RN", ""),
    ("29-1141", "Charge Nurse", ""),
    ("29-1171", "Family Nurse Practitioner", "x"),
    ("29-1171", "Nurse Practitioner", ""),
    ("29-1229", "Hospitalist", "x"),
    ("29-2061", "Licensed Practical Nurse", "x"),
    ("29-2061", "LPN", ""),
    ("31-1131", "Certified Nursing Assistant", "x"),
    ("31-1131", "Nurse Aide", ""),
    ("41-2031", "Retail Sales Associate", "x"),
    ("43-4051", "Customer Service Representative", "x"),
    ("43-4051", "Call Center Agent", ""),
    ("43-6014", "Administrative Assistant", "x"),
    ("43-6014", "Office Secretary", ""),
    ("51-1011", "Production Supervisor", "x"),
    ("51-2092", "Team Assembler", "x"),
    ("53-3032", "Tractor-Trailer Truck Driver", "x"),
    ("53-3032", "Long Haul Truck Driver", ""),
    ("53-7062", "Material Handler", "x"),
    ("53-7062", "Warehouse Laborer", ""),
]


def write_soc_samples(mirror_root: Path) -> list[Path]:
    base = mirror_root / "www.bls.gov/soc/2018"
    title_block: list[list[Any]] = [
        ["U.S. Bureau of Labor Statistics", "", "", "", ""],
        [
            "On behalf of the Office of Management and Budget (OMB) and the Standard "
            "Occupational Classification Policy Committee (SOCPC)",
            "", "", "", "",
        ],
        ["", "", "", "", ""],
        ["November 2017 (for reference year January 2018)", "", "", "", ""],
        ["***Sample file for offline demos: a subset of the 2018 SOC structure***", "", "", "", ""],
        ["", "", "", "", ""],
        ["", "", "", "", ""],
        ["Major Group", "Minor Group", "Broad Group", "Detailed Occupation", ""],
    ]  # fmt: skip
    pos = {"major": 0, "minor": 1, "broad": 2, "detailed": 3}
    structure = list(title_block)
    defs: list[list[Any]] = [["SOC Group", "SOC Code", "SOC Title", "SOC Definition"]]
    for code, title, level in SOC_TREE:
        row: list[Any] = ["", "", "", "", title]
        row[pos[level]] = code
        structure.append(row)
        defs.append([level.capitalize(), code, title, DEFINITIONS.get(code, "")])
    crosswalk: list[list[Any]] = [
        ["O*NET-SOC 2019 Code", "O*NET-SOC 2019 Title", "2018 SOC Code", "2018 SOC Title"]
    ]
    for onet, title, soc in ONET_OCCUPATIONS:
        crosswalk.append([onet, title, soc, TITLES[soc]])
    # The published direct match title file has a title block above its header.
    direct: list[list[Any]] = [
        ["U.S. Bureau of Labor Statistics", "", "", ""],
        ["2018 SOC Direct Match Title File", "", "", ""],
        ["***Sample file for offline demos: titles written for the sample***", "", "", ""],
        ["", "", "", ""],
        ["2018 SOC Code", "2018 SOC Title", "2018 SOC Direct Match Title", "Illustrative Example"],
    ]  # fmt: skip
    for soc, title, marker in DIRECT_MATCH_TITLES:
        direct.append([soc, TITLES[soc], title, marker])
    return [
        _write_xlsx(base / "soc_structure_2018.xlsx", [("2018 Structure", structure)]),
        _write_xlsx(base / "soc_2018_definitions.xlsx", [("2018 SOC", defs)]),
        _write_xlsx(
            base / "soc_2019_onet_crosswalk.xlsx",
            [("O-NET-SOC 2019 Occupation Listi", crosswalk)],
        ),
        _write_xlsx(
            base / "soc_2018_direct_match_title_file.xlsx",
            [("2018 Direct Match Title File", direct)],
        ),
    ]


NAICS_ROWS: list[tuple[Any, str]] = [
    ("11", "Agriculture, Forestry, Fishing and Hunting"),
    ("21", "Mining, Quarrying, and Oil and Gas Extraction"),
    ("22", "Utilities"),
    ("23", "Construction"),
    ("31-33", "Manufacturing"),
    ("311", "Food Manufacturing"),
    ("3111", "Animal Food Manufacturing"),
    ("31111", "Animal Food Manufacturing"),
    ("311111", "Dog and Cat Food Manufacturing"),
    ("336", "Transportation Equipment Manufacturing"),
    ("3361", "Motor Vehicle Manufacturing"),
    ("33611", "Automobile and Light Duty Motor Vehicle Manufacturing"),
    ("336110", "Automobile and Light Duty Motor Vehicle Manufacturing"),
    ("42", "Wholesale Trade"),
    ("44-45", "Retail Trade"),
    ("48-49", "Transportation and Warehousing"),
    ("51", "Information"),
    ("513", "Publishing Industries"),
    ("5132", "Software Publishers"),
    ("51321", "Software Publishers"),
    ("513210", "Software Publishers"),
    ("52", "Finance and Insurance"),
    ("522", "Credit Intermediation and Related Activities"),
    ("5221", "Depository Credit Intermediation"),
    ("52211", "Commercial Banking"),
    ("522110", "Commercial Banking"),
    ("53", "Real Estate and Rental and Leasing"),
    ("54", "Professional, Scientific, and Technical Services"),
    ("541", "Professional, Scientific, and Technical Services"),
    ("5416", "Management, Scientific, and Technical Consulting Services"),
    ("54161", "Management Consulting Services"),
    ("541611", "Administrative Management and General Management Consulting Services"),
    ("55", "Management of Companies and Enterprises"),
    ("56", "Administrative and Support and Waste Management and Remediation Services"),
    ("61", "Educational Services"),
    ("62", "Health Care and Social Assistance"),
    ("621", "Ambulatory Health Care Services"),
    ("6211", "Offices of Physicians"),
    ("62111", "Offices of Physicians"),
    ("621111", "Offices of Physicians (except Mental Health Specialists)"),
    ("622", "Hospitals"),
    ("6221", "General Medical and Surgical Hospitals"),
    ("62211", "General Medical and Surgical Hospitals"),
    ("622110", "General Medical and Surgical Hospitals "),
    ("71", "Arts, Entertainment, and Recreation"),
    ("72", "Accommodation and Food Services"),
    ("81", "Other Services (except Public Administration)"),
    ("92", "Public Administration"),
]


def write_naics_sample(mirror_root: Path) -> Path:
    rows: list[list[Any]] = [["Seq. No.", "2022 NAICS US   Code", "2022 NAICS US Title", "", ""]]
    for seq, (code, title) in enumerate(NAICS_ROWS, start=1):
        # Census stores codes as numbers; the three sector ranges are text.
        cell: Any = code if "-" in code else float(code)
        rows.append([float(seq), cell, title, "", ""])
    path = mirror_root / "www.census.gov/naics/2022NAICS/2-6 digit_2022_Codes.xlsx"
    return _write_xlsx(path, [("tbl_2022_title_description_coun", rows)])


# --------------------------------------------------------------------------------------
# O*NET
# --------------------------------------------------------------------------------------
ONET_OCCUPATIONS: list[tuple[str, str, str]] = [
    (f"{soc}.00", TITLES[soc], soc) for soc in NATIONAL
] + [
    ("11-3051.01", "Quality Control Systems Managers", "11-3051"),
    ("11-9199.02", "Compliance Managers", "11-9199"),
    ("13-1082.00", "Project Management Specialists", "13-1082"),
]
ONET_OCCUPATIONS = sorted(dict.fromkeys(ONET_OCCUPATIONS), key=lambda r: r[0])
# O*NET title -> made-up alternate titles for the sample.
ALTERNATES: dict[str, list[str]] = {
    "11-1021.00": [
        "Operations Director",
        "Plant Operations Manager",
        "Chief Operating Officer (COO)",
    ],
    "11-2021.00": ["Brand Manager", "Marketing Director", "Digital Marketing Manager"],
    "11-3021.00": [
        "IT Director",
        "Chief Information Officer (CIO)",
        "Information Technology Manager",
    ],
    "11-3031.00": ["Finance Director", "Controller", "Treasurer"],
    "11-3051.00": ["Plant Manager", "Production Manager", "Manufacturing Director"],
    "11-3051.01": [
        "Quality Manager",
        "Quality Assurance Director",
        "Continuous Improvement Manager",
    ],
    "11-3071.00": ["Distribution Center Manager", "Logistics Manager", "Warehouse Director"],
    "11-9111.00": [
        "Clinical Operations Director",
        "Health Services Administrator",
        "Hospital Administrator",
        "Quality Improvement Director",
        "Director of Clinical Services",
        "Practice Manager",
    ],
    "11-9199.00": ["Program Director", "Operations Manager"],
    "11-9199.02": ["Compliance Director", "Regulatory Affairs Manager"],
    "13-1071.00": ["Recruiter", "HR Generalist", "Talent Acquisition Specialist"],
    "13-1081.00": ["Supply Chain Analyst", "Logistics Analyst"],
    "13-1082.00": ["Project Manager", "Program Manager", "PMO Analyst"],
    "13-1111.00": [
        "Business Process Consultant",
        "Process Improvement Consultant",
        "Management Consultant",
        "Operations Analyst",
    ],
    "13-2011.00": ["CPA (Certified Public Accountant)", "Staff Accountant", "Internal Auditor"],
    "13-2051.00": ["Financial Analyst", "Investment Analyst", "FP&A Analyst"],
    "15-1211.00": ["Systems Analyst", "Business Systems Analyst"],
    "15-1252.00": ["Software Engineer", "Application Developer", "Backend Developer"],
    "15-2051.00": ["Data Scientist", "Machine Learning Scientist"],
    "17-2112.00": ["Process Engineer", "Manufacturing Engineer", "Lean Engineer"],
    "23-1011.00": ["Attorney", "Corporate Counsel"],
    "25-2021.00": ["Third Grade Teacher", "Elementary Teacher"],
    "29-1141.00": [
        "RN (Registered Nurse)",
        "Staff Nurse",
        "Charge Nurse",
        "Clinical Nurse Manager",
    ],
    "29-1171.00": ["Family Nurse Practitioner", "NP (Nurse Practitioner)"],
    "29-1229.00": ["Physician", "Hospitalist"],
    "29-2061.00": ["LPN (Licensed Practical Nurse)", "LVN (Licensed Vocational Nurse)"],
    "31-1131.00": ["CNA (Certified Nursing Assistant)", "Nurse Aide"],
    "41-2031.00": ["Sales Associate", "Retail Sales Associate"],
    "43-4051.00": ["Customer Service Agent", "Call Center Representative"],
    "43-6014.00": ["Administrative Assistant", "Office Assistant"],
    "51-1011.00": ["Production Supervisor", "Shift Supervisor"],
    "51-2092.00": ["Assembler", "Assembly Line Worker"],
    "53-3032.00": ["CDL Driver", "Over the Road Driver"],
    "53-7062.00": ["Warehouse Associate", "Material Handler"],
}
ONET_HEADERS = {
    "Occupation Data.txt": ["O*NET-SOC Code", "Title", "Description"],
    "Alternate Titles.txt": ["O*NET-SOC Code", "Title", "Alternate Title", "Short Title", "Source(s)"],
    "Sample of Reported Titles.txt": ["O*NET-SOC Code", "Title", "Reported Job Title", "Shown in My Next Move"],
    "Task Statements.txt": [
        "O*NET-SOC Code", "Title", "Task ID", "Task", "Task Type", "Incumbents Responding",
        "Date", "Domain Source",
    ],
    "Technology Skills.txt": [
        "O*NET-SOC Code", "Title", "Example", "Commodity Code", "Commodity Title",
        "Hot Technology", "In Demand",
    ],
    "Job Zones.txt": ["O*NET-SOC Code", "Title", "Job Zone", "Date", "Domain Source"],
    "Related Occupations.txt": [
        "O*NET-SOC Code", "Title", "Related O*NET-SOC Code", "Related Title",
        "Relatedness Tier", "Index",
    ],
}  # fmt: skip
TECH = [
    ("Microsoft Excel", "43232110", "Spreadsheet software", "Y", "Y"),
    (
        "Microsoft Power BI",
        "43232314",
        "Business intelligence and data analysis software",
        "Y",
        "N",
    ),
    ("Epic Systems", "43231512", "Medical software", "Y", "N"),
    ("Python", "43232405", "Object or component oriented development software", "Y", "Y"),
    ("SAP software", "43231602", "Enterprise resource planning ERP software", "Y", "N"),
    ("Minitab", "43231511", "Analytical or scientific software", "N", "N"),
]


def write_onet_sample(mirror_root: Path) -> Path:
    rng = random.Random("onet-29.3")
    tables: dict[str, list[list[str]]] = {name: [] for name in ONET_HEADERS}
    task_id = 30_000
    for onet, title, soc in ONET_OCCUPATIONS:
        desc = DEFINITIONS.get(soc, f"Perform duties of {title.lower()}.")
        tables["Occupation Data.txt"].append([onet, title, desc])
        for i, alt in enumerate(ALTERNATES.get(onet, [])):
            short = alt.split("(")[1].rstrip(")").split()[0] if "(" in alt else ""
            tables["Alternate Titles.txt"].append(
                [onet, title, alt, short, f"{(i % 3) * 2 + 4:02d}"]
            )
        for i, alt in enumerate(ALTERNATES.get(onet, [])[:2]):
            tables["Sample of Reported Titles.txt"].append(
                [onet, title, alt, "Y" if i == 0 else "N"]
            )
        for j, verb in enumerate(("Plan and review", "Coordinate", "Report on")):
            task_id += 1
            task = f"{verb} {desc[0].lower()}{desc[1:].rstrip('.')}."
            tables["Task Statements.txt"].append(
                [onet, title, str(task_id), task, "Core" if j < 2 else "Supplemental",
                 f"{rng.uniform(40, 99):.1f}", "08/2024", "Incumbent"]
            )  # fmt: skip
        for example, ccode, ctitle, hot, demand in rng.sample(TECH, 2):
            tables["Technology Skills.txt"].append(
                [onet, title, example, ccode, ctitle, hot, demand]
            )
    # Job Zones and Related Occupations are real O*NET 29.3 rows (see onet_real): the
    # career-path mart needs true relationships, not made-up same-major-group links.
    titles = {c: t for c, t, _ in ONET_OCCUPATIONS}
    for onet, zone, date in JOB_ZONES:
        tables["Job Zones.txt"].append([onet, titles[onet], zone, date, "Analyst"])
    for onet, rel, rel_title, tier, index in RELATED_OCCUPATIONS:
        tables["Related Occupations.txt"].append([onet, titles[onet], rel, rel_title, tier, index])
    members: list[tuple[str, bytes]] = []
    for name, header in ONET_HEADERS.items():
        lines = ["\t".join(header)] + ["\t".join(r) for r in tables[name]]
        members.append((f"db_29_3_text/{name}", ("\n".join(lines) + "\n").encode("utf-8")))
    readme = "O*NET 29.3 Database\nSample subset for offline demos\n----------------\n"
    members.append(("db_29_3_text/Read Me.txt", readme.encode("utf-8")))
    path = mirror_root / "www.onetcenter.org/dl_files/database/db_29_3_text.zip"
    return _deterministic_zip(path, members)


# --------------------------------------------------------------------------------------
# JOLTS (BLS API v2 response, documented format)
# --------------------------------------------------------------------------------------
JOLTS_FIXTURE_PATH = "api.bls.gov/publicAPI/v2/timeseries/data/jolts_sample.json"
JOLTS_SAMPLE_SERIES = [
    "JTS000000000000000JOL",
    "JTS000000000000000JOR",
    "JTS000000000000000HIL",
    "JTS620000000000000JOL",
    "JTS620000000000000JOR",
    "JTS300000000000000JOL",
    "JTS520000000000000JOL",
    "JTS540099000000000JOL",
    "JTS510000000000000JOL",
    "JTS900000000000000JOL",
]
_JOLTS_BASE = {"000000": 8_000, "620000": 1_500, "300000": 550, "520000": 330, "540099": 1_350,
               "510000": 140, "900000": 1_000}  # fmt: skip
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]  # fmt: skip


def jolts_payload(
    series_ids: Sequence[str] = tuple(JOLTS_SAMPLE_SERIES),
    start_year: int = 2023,
    end_year: int = 2024,
) -> dict[str, Any]:
    """A REQUEST_SUCCEEDED body as documented for API v2 (newest month first, strings)."""
    series = []
    for sid in series_ids:
        industry, element, rl = sid[3:9], sid[18:20], sid[20]
        rng = random.Random(sid)
        base = _JOLTS_BASE.get(industry, 500) * (0.7 if element == "HI" else 1.0)
        data = []
        n = (end_year - start_year + 1) * 12
        for k in range(n - 1, -1, -1):
            year, month = start_year + k // 12, k % 12 + 1
            level = base * (1.08 - 0.2 * k / n) * (1 + 0.02 * rng.uniform(-1, 1))
            value = f"{level / (base / 5.1):.1f}" if rl == "R" else str(round(level))
            obs: dict[str, Any] = {
                "year": str(year),
                "period": f"M{month:02d}",
                "periodName": _MONTHS[month - 1],
                "value": value,
                "footnotes": [{}],
            }
            if k == n - 1:
                obs["latest"] = "true"
            if k >= n - 2:
                obs["footnotes"] = [{"code": "P", "text": "preliminary"}]
            data.append(obs)
        series.append({"seriesID": sid, "data": data})
    return {
        "status": "REQUEST_SUCCEEDED",
        "responseTime": 187,
        "message": [],
        "Results": {"series": series},
    }


def write_jolts_fixture(
    mirror_root: Path,
    series_ids: Sequence[str] = tuple(JOLTS_SAMPLE_SERIES),
    start_year: int = 2023,
    end_year: int = 2024,
) -> Path:
    """Write :func:`jolts_payload` to ``mirror_root/api.bls.gov/.../jolts_sample.json``."""
    path = mirror_root / JOLTS_FIXTURE_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(jolts_payload(series_ids, start_year, end_year), indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def write_official_samples(mirror_root: Path) -> list[Path]:
    """Write every official-source sample under ``mirror_root``; returns the paths written."""
    mirror_root = Path(mirror_root)
    return [
        write_oews_sample(mirror_root, 2023),
        write_oews_sample(mirror_root, 2024),
        write_projections_sample(mirror_root),
        *write_soc_samples(mirror_root),
        write_naics_sample(mirror_root),
        write_onet_sample(mirror_root),
        write_jolts_fixture(mirror_root),
    ]


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("data/samples/mirror")
    for p in write_official_samples(root):
        print(p)
