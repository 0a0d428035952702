"""Page parsers for the posting APIs, on recorded-format pages (tests/data/api/)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from outlook.config import EMPLOYER_NAICS_TABLE, NAICS_SECTORS_TABLE, PROFILES_DIR
from transforms.api_postings import (
    PageRef,
    parse_adzuna,
    parse_usajobs_historic,
    parse_usajobs_search,
)
from transforms.errors import SourceFormatError
from transforms.industry import IndustryResolver
from transforms.postings_enrich_sql import enrich_staged
from transforms.postings_io import read_postings_file
from transforms.postings_profile import load_profile

DATA = Path(__file__).resolve().parents[1] / "data" / "api"
SHA = "0123456789abcdef" * 4
RESOLVER = IndustryResolver(EMPLOYER_NAICS_TABLE, NAICS_SECTORS_TABLE)


def enrich_page(rows: pd.DataFrame) -> pd.DataFrame:
    """A page's rows enriched as a page load enriches them: staged in DuckDB, each value
    derived once and joined back (``transforms.postings_enrich_sql``), in page order."""
    with duckdb.connect() as con:
        con.register("_page_rows", rows)
        con.execute("create temp table _canon as select * from _page_rows")
        enrich_staged(con, "_canon", RESOLVER)
        return con.execute("select * from _enriched order by row_number").df()


def page(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def ref(url: str = "https://data.usajobs.gov/api/search?Page=1", *secrets: str) -> PageRef:
    return PageRef(url, "/raw/data.usajobs.gov/api/search/p1.json", SHA, secrets)


@pytest.fixture(scope="module")
def file_rows(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """What the file reader produces, to hold the API rows to the same schema."""
    path = tmp_path_factory.mktemp("drop") / "drop.csv"
    path.write_text(
        "title_raw,employer_raw,posted_date,salary_text\nNurse,Mercy,2026-01-05,$45/hr\n"
    )
    return read_postings_file(path, load_profile("generic", PROFILES_DIR)).rows


def test_search_page_rows_match_the_file_reader_schema(file_rows: pd.DataFrame) -> None:
    rows, quarantine = parse_usajobs_search(page("usajobs_search_page.json"), ref())
    assert list(rows.columns) == list(file_rows.columns)
    assert rows.dtypes.to_dict() == file_rows.dtypes.to_dict()
    assert list(quarantine.columns) == ["file_path", "row_number", "reason", "raw_record"]
    assert len(rows) == 3 and quarantine.empty
    assert rows["row_number"].tolist() == [1, 2, 3]
    assert set(rows["file_path"]) == {"/raw/data.usajobs.gov/api/search/p1.json"}
    assert set(rows["file_sha256"]) == {SHA} and set(rows["source"]) == {"usajobs"}
    first = rows.iloc[0]
    assert (first["source_id"], first["title_raw"], first["employer_raw"]) == (
        "801234567",
        "IT Specialist (INFOSEC)",
        "Defense Information Systems Agency",
    )
    assert (first["city"], first["state"], first["country"]) == ("Fort Meade", "MD", "US")
    assert str(first["posted_date"]) == "2026-02-02" and str(first["close_date"]) == "2026-02-16"
    assert first["industry_text"] == "Department of Defense"
    assert first["description"].startswith("Protect the agency")
    # Two Ohio duty stations: the shared state survives, the city does not.
    second = rows.iloc[1]
    assert second["location_raw"] == "Dayton, Ohio; Columbus, Ohio"
    assert (pd.isna(second["city"]), second["state"]) == (True, "OH")


def test_search_salaries_annualise_by_rate_interval_code() -> None:
    rows, _ = parse_usajobs_search(page("usajobs_search_page.json"), ref())
    enriched = enrich_page(rows).set_index("source_id")
    annual = enriched[["annual_salary_min", "annual_salary_max", "salary_status"]]
    assert tuple(annual.loc["801234567"]) == (99200.0, 128956.0, "ok")  # PA
    assert tuple(annual.loc["801234568"]) == (40580.8, 47340.8, "ok")  # PH x 2080
    # BW: halved to a week, x 52 = x 26 pay periods; the text keeps the posted figures.
    assert tuple(annual.loc["801234569"]) == (46800.0, 57200.0, "ok")
    assert enriched.loc["801234569", "salary_text"] == "USD 1,800 - 2,200 Bi-weekly"


@pytest.mark.parametrize(
    ("code", "description", "status"),
    [("PW", "Piece Work", "flagged"), ("FB", "Fee Basis", "flagged"), ("WC", "", "missing")],
)
def test_search_pay_without_a_time_base_is_not_annualised(
    code: str, description: str, status: str
) -> None:
    payload = page("usajobs_search_page.json")
    pay = payload["SearchResult"]["SearchResultItems"][0]["MatchedObjectDescriptor"]
    pay["PositionRemuneration"] = [
        {"MinimumRange": "500", "MaximumRange": "900", "RateIntervalCode": code,
         "Description": description}
    ]  # fmt: skip
    rows, _ = parse_usajobs_search(payload, ref())
    first = enrich_page(rows).iloc[0]
    assert first["salary_status"] == status and pd.isna(first["annual_salary_min"])


def test_search_malformed_items_are_quarantined_with_reasons() -> None:
    payload = page("usajobs_search_page.json")
    items = payload["SearchResult"]["SearchResultItems"]
    items[1]["MatchedObjectDescriptor"]["PositionTitle"] = "  "
    items[2]["MatchedObjectDescriptor"]["PublicationStartDate"] = "next Tuesday"
    items.append("not an object")
    items.append({"MatchedObjectId": "9"})
    rows, quarantine = parse_usajobs_search(payload, ref())
    assert rows["row_number"].tolist() == [1]
    reasons = dict(zip(quarantine["row_number"], quarantine["reason"], strict=True))
    assert reasons == {
        2: "title_raw missing",
        3: "posted_date not a date: next Tuesday",
        4: "item 4: not a JSON object",
        5: "item 5: no MatchedObjectDescriptor object",
    }
    assert json.loads(quarantine["raw_record"].iloc[0])["MatchedObjectId"] == "801234568"


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ([], "expected a JSON object, got list"),
        ({"Message": "An error has occurred."}, "no 'SearchResult' object"),
        ({"SearchResult": {"SearchResultItems": {"a": 1}}}, "SearchResultItems' is not a list"),
    ],
)
def test_search_page_of_the_wrong_shape_names_the_url(payload: object, says: str) -> None:
    with pytest.raises(SourceFormatError) as info:
        parse_usajobs_search(payload, ref("https://data.usajobs.gov/api/search?Page=4"))
    assert "https://data.usajobs.gov/api/search?Page=4" in str(info.value)
    assert says in str(info.value)


def test_historic_page() -> None:
    rows, quarantine = parse_usajobs_historic(
        page("usajobs_historicjoa_page.json"), ref("https://data.usajobs.gov/api/historicjoa")
    )
    assert quarantine.empty and set(rows["source"]) == {"usajobs_historic"}
    by_id = rows.set_index("source_id")
    nurse = by_id.loc["790001111"]
    assert (nurse["title_raw"], nurse["employer_raw"], nurse["location_raw"]) == (
        "Registered Nurse",
        "Veterans Health Administration",
        "Dayton, Ohio",
    )
    assert (nurse["state"], str(nurse["posted_date"])) == ("OH", "2026-01-12")
    # No agency name: the department is the employer.
    assert by_id.loc["790001112", "employer_raw"] == "Department of the Air Force"
    assert by_id.loc["790001113", "country"] == "JP"  # a foreign duty station is not 'US'
    enriched = enrich_page(rows).set_index("source_id")
    assert enriched.loc["790001112", "annual_salary_min"] == 64896.0  # 31.20 x 2080
    # 0/0 with 'Without Compensation' is no pay, not a $0 salary.
    assert enriched.loc["790001113", "salary_status"] == "missing"
    assert pd.isna(enriched.loc["790001113", "salary_min_raw"])


def test_historic_page_without_data_list_fails() -> None:
    with pytest.raises(SourceFormatError, match="no 'data' list"):
        parse_usajobs_historic({"paging": {}, "items": []}, ref())


def test_adzuna_page_keeps_predicted_salaries_marked() -> None:
    url = "https://api.adzuna.com/v1/api/jobs/gb/search/1?app_id=***&app_key=***"
    rows, quarantine = parse_adzuna(page("adzuna_gb_page.json"), ref(url), country="gb")
    assert quarantine.empty and set(rows["source"]) == {"adzuna"}
    by_id = rows.set_index("source_id")
    engineer = by_id.loc["4512345601"]
    assert (engineer["city"], engineer["country"], engineer["currency_raw"]) == (
        "Manchester",
        "GB",
        "GBP",
    )
    assert engineer["salary_text"] == "GBP 65,000 - 80,000 per year"
    assert str(engineer["posted_date"]) == "2026-02-10"
    nurse = by_id.loc["4512345602"]
    assert nurse["salary_text"] == "predicted: GBP 45,000 - 55,000 per year"
    assert nurse["city"] == "London"  # from the display name, as the file reader reads it
    assert pd.isna(by_id.loc["4512345603", "salary_text"])
    enriched = enrich_page(rows).set_index("source_id")
    assert tuple(enriched.loc["4512345602", ["annual_salary_min", "salary_currency"]]) == (
        45000.0,
        "GBP",
    )


def test_adzuna_us_state_from_area() -> None:
    payload = page("adzuna_gb_page.json")
    payload["results"][0]["location"] = {
        "display_name": "San Francisco, California",
        "area": ["US", "California", "San Francisco County", "San Francisco"],
    }
    rows, _ = parse_adzuna(payload, ref(), country="us")
    assert tuple(rows.iloc[0][["city", "state", "country", "currency_raw"]]) == (
        "San Francisco",
        "CA",
        "US",
        "USD",
    )


def test_adzuna_secrets_never_reach_quarantine_or_errors() -> None:
    app_id = "FAKEKEY-appid-77"
    payload = json.loads(
        (DATA / "adzuna_gb_page.json").read_text(encoding="utf-8").replace("APPID", app_id)
    )
    payload["results"][0]["title"] = None
    rows, quarantine = parse_adzuna(payload, ref("https://x/search/1", app_id), country="gb")
    assert len(rows) == 2 and quarantine["reason"].tolist() == ["title_raw missing"]
    assert app_id not in quarantine.to_csv() and app_id not in rows.to_csv()
    refusal = {"exception": "AUTH_FAIL", "display": f"Authorisation failed for {app_id}"}
    with pytest.raises(SourceFormatError) as info:
        parse_adzuna(refusal, ref("https://x/search/1", app_id))
    assert "Authorisation failed" in str(info.value) and app_id not in str(info.value)


def test_parsers_do_not_modify_their_input() -> None:
    payload = page("usajobs_search_page.json")
    before = copy.deepcopy(payload)
    parse_usajobs_search(payload, ref())
    assert payload == before


def test_empty_pages_give_empty_frames_of_the_right_schema(file_rows: pd.DataFrame) -> None:
    for rows, quarantine in (
        parse_usajobs_search({"SearchResult": {"SearchResultItems": []}}, ref()),
        parse_usajobs_historic({"paging": {"next": None}, "data": []}, ref()),
        parse_adzuna({"count": 0, "results": []}, ref()),
    ):
        assert rows.empty and quarantine.empty
        assert rows.dtypes.to_dict() == file_rows.dtypes.to_dict()
