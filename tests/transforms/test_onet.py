"""O*NET text archive parser: members by header name, required members, bad zips."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from transforms.errors import SchemaDriftError, SourceFormatError
from transforms.onet import onet_release_from_name, read_onet_archive

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
REAL_ONET = SHARED / "mirror/www.onetcenter.org/dl_files/database/db_29_3_text.zip"

OCC = (
    "O*NET-SOC Code\tTitle\tDescription\n"
    "11-9111.00\tMedical and Health Services Managers\tPlan, direct, or coordinate "
    'medical and health services in "hospitals".\n'
    "13-1111.00\tManagement Analysts\tConduct organizational studies.\n"
)
ALT = (
    "O*NET-SOC Code\tTitle\tAlternate Title\tShort Title\tSource(s)\n"
    "11-9111.00\tMedical and Health Services Managers\tPerformance Improvement Director\t\t08\n"
    "11-9111.00\tMedical and Health Services Managers\tClinical Director\tCD\t04, 10\n"
)


def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return path


def test_release_from_name() -> None:
    assert onet_release_from_name("db_29_3_text.zip") == "29.3"
    assert onet_release_from_name("https://x/dl_files/database/db_30_0_text.zip") == "30.0"
    with pytest.raises(ValueError):
        onet_release_from_name("occupation.xlsx")


def test_minimal_archive(tmp_path: Path) -> None:
    z = _zip(
        tmp_path / "db_29_3_text.zip",
        {"db_29_3_text/Occupation Data.txt": OCC, "db_29_3_text/Alternate Titles.txt": ALT},
    )
    tables = read_onet_archive(z)
    assert set(tables) == {"occupation_data", "alternate_titles"}
    occ = tables["occupation_data"]
    assert list(occ.columns) == ["onet_soc_code", "title", "description"]
    assert '"hospitals"' in occ.loc[0, "description"]  # quotes are literal text
    alt = tables["alternate_titles"]
    assert list(alt.columns) == [
        "onet_soc_code",
        "title",
        "alternate_title",
        "short_title",
        "sources",
    ]
    assert pd.isna(alt.loc[0, "short_title"])
    assert alt.loc[0, "sources"] == "08"  # stays text, leading zero kept
    assert alt.loc[1, "sources"] == "04, 10"


def test_optional_members_and_dtypes(tmp_path: Path) -> None:
    z = _zip(
        tmp_path / "db_29_3_text.zip",
        {
            "db_29_3_text/Occupation Data.txt": OCC,
            "db_29_3_text/Alternate Titles.txt": ALT,
            "db_29_3_text/Sample of Reported Titles.txt": (
                "O*NET-SOC Code\tTitle\tReported Job Title\tShown in My Next Move\n"
                "11-9111.00\tMedical and Health Services Managers\tDirector of Nursing\tY\n"
            ),
            # Columns reordered and an extra one: mapping is by name.
            "db_29_3_text/Task Statements.txt": (
                "O*NET-SOC Code\tTitle\tTask\tTask ID\tTask Type\tDate\n"
                "11-9111.00\tX\tDirect quality improvement.\t20460\tCore\t08/2023\n"
                "11-9111.00\tX\tOther.\t20461.0\t\t08/2023\n"
            ),
            # Older release without "In Demand".
            "db_29_3_text/Technology Skills.txt": (
                "O*NET-SOC Code\tTitle\tExample\tCommodity Code\tCommodity Title\tHot Technology\n"
                "11-9111.00\tX\tEpic Systems\t43231512\tLicense management software\tY\n"
            ),
        },
    )
    t = read_onet_archive(z, location="https://example/db_29_3_text.zip")
    assert t["reported_titles"]["shown_in_my_next_move"].tolist() == [True]
    tasks = t["task_statements"]
    assert list(tasks.columns) == ["onet_soc_code", "task_id", "task", "task_type"]
    assert tasks["task_id"].dtype == "Int64"
    assert tasks["task_id"].tolist() == [20460, 20461]
    assert pd.isna(tasks.loc[1, "task_type"])
    tech = t["technology_skills"]
    assert list(tech.columns) == [
        "onet_soc_code",
        "example",
        "commodity_code",
        "commodity_title",
        "hot_technology",
        "in_demand",
    ]
    assert tech.loc[0, "commodity_code"] == "43231512"
    assert bool(tech.loc[0, "hot_technology"]) is True
    assert pd.isna(tech.loc[0, "in_demand"])
    assert "job_zones" not in t


def test_missing_required_member(tmp_path: Path) -> None:
    z = _zip(tmp_path / "db.zip", {"db_29_3_text/Occupation Data.txt": OCC})
    with pytest.raises(SourceFormatError, match="Alternate Titles.txt"):
        read_onet_archive(z)


def test_schema_drift_names_missing_column(tmp_path: Path) -> None:
    bad = ALT.replace("Alternate Title\t", "Alt Title\t")
    z = _zip(
        tmp_path / "db.zip",
        {"db_29_3_text/Occupation Data.txt": OCC, "db_29_3_text/Alternate Titles.txt": bad},
    )
    with pytest.raises(SchemaDriftError, match="Alternate Title") as err:
        read_onet_archive(z, location="U")
    assert err.value.missing == ["Alternate Title"]
    assert "Alternate Titles.txt" in err.value.location


def test_bad_code_names_row(tmp_path: Path) -> None:
    z = _zip(
        tmp_path / "db.zip",
        {
            "db_29_3_text/Occupation Data.txt": OCC.replace("13-1111.00", "131111"),
            "db_29_3_text/Alternate Titles.txt": ALT,
        },
    )
    with pytest.raises(SourceFormatError) as err:
        read_onet_archive(z)
    assert err.value.row == 3 and err.value.column == "onet_soc_code"


def test_not_a_zip_and_truncated(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_text("<html>rate limited</html>")
    with pytest.raises(SourceFormatError, match="not a readable zip"):
        read_onet_archive(junk)
    good = _zip(
        tmp_path / "good.zip",
        {"db_29_3_text/Occupation Data.txt": OCC, "db_29_3_text/Alternate Titles.txt": ALT},
    )
    cut = tmp_path / "cut.zip"
    cut.write_bytes(good.read_bytes()[:-40])
    with pytest.raises(SourceFormatError):
        read_onet_archive(cut)


def test_zip_slip_names_are_not_extracted(tmp_path: Path) -> None:
    # A hostile member path is only ever read in memory; nothing lands outside tmp_path.
    z = _zip(
        tmp_path / "db.zip",
        {"../../evil/Occupation Data.txt": OCC, "db_29_3_text/Alternate Titles.txt": ALT},
    )
    tables = read_onet_archive(z)
    assert len(tables["occupation_data"]) == 2
    assert not (tmp_path.parent.parent / "evil").exists()


@pytest.mark.shared
@pytest.mark.skipif(not REAL_ONET.exists(), reason="../shared mirror not present")
def test_real_archive() -> None:
    t = read_onet_archive(REAL_ONET)
    assert {"occupation_data", "alternate_titles", "task_statements", "job_zones"} <= set(t)
    assert len(t["occupation_data"]) > 900
    assert len(t["alternate_titles"]) > 50_000
    assert t["occupation_data"]["onet_soc_code"].is_unique
    mhsm = t["occupation_data"].set_index("onet_soc_code").loc["11-9111.00", "title"]
    assert mhsm == "Medical and Health Services Managers"


def test_sample_archive(tmp_path: Path) -> None:
    from scripts.samples.official import write_onet_sample

    t = read_onet_archive(write_onet_sample(tmp_path))
    assert set(t) == {
        "occupation_data",
        "alternate_titles",
        "reported_titles",
        "task_statements",
        "technology_skills",
        "job_zones",
        "related_occupations",
    }
    codes = set(t["occupation_data"]["onet_soc_code"])
    assert {"11-9111.00", "11-1021.00", "13-1111.00", "11-3051.01"} <= codes
    assert set(t["alternate_titles"]["onet_soc_code"]) <= codes
