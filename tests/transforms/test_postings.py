"""Derived posting fields: ids, employer keys, locations."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from transforms.postings import (
    normalise_employer,
    normalise_employers,
    parse_location,
    parse_locations,
    posting_id,
    posting_ids,
)


def test_posting_id_uses_source_id_when_present() -> None:
    a = posting_id("usajobs", "844112500", "Nurse", "VA", "Reno, Nevada", "2025-08-01")
    b = posting_id("usajobs", "844112500", "Other title", "X", "Y", "2025-09-01")
    assert a == b and len(a) == 16 and int(a, 16) >= 0
    assert posting_id("other", "844112500") != a


def test_posting_id_from_fields_is_normalised_and_stable() -> None:
    a = posting_id(
        "h1b_lca", None, "Data  Scientist", "Apple Inc.", "Cupertino, CA", date(2025, 1, 1)
    )
    b = posting_id("h1b_lca", "", "data scientist", "APPLE, INC", "Cupertino, CA", "2025-01-01")
    assert a == b
    assert (
        posting_id("h1b_lca", None, "Data Scientist", "Apple", "Cupertino, CA", "2025-01-02") != a
    )


def test_posting_id_pinned() -> None:
    # Pinned so an accidental change to the key recipe (which would re-key the warehouse) fails.
    assert posting_id("usajobs", "844112500") == "4f174b770e39b140"


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Amazon.com Services LLC", "amazon com services"),
        ("Apple Inc.", "apple"),
        ("Ernst & Young U.S. LLP", "ernst and young us"),
        ("JPMorgan Chase & Co.", "jpmorgan chase"),
        ("Meta Platforms, Inc", "meta platforms"),
        ("The Home Depot", "home depot"),
        ("Société Générale S.A.", "societe generale"),
        ("Fidelity Technology Group, LLC d/b/a Fidelity Investments", "fidelity technology group"),
        ("COGNIZANT TECHNOLOGY SOLUTIONS US CORP", "cognizant technology solutions us"),
        ("Acme Holdings Co., Ltd.", "acme holdings"),
        ("Department of Veterans Affairs", "department of veterans affairs"),
        ("Veterans Health Administration", "veterans health administration"),
        ("Department of the Army", "department of the army"),
        ("The Company", "company"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_employer(raw: str | None, key: str) -> None:
    assert normalise_employer(raw) == key


def test_agencies_stay_distinct() -> None:
    assert normalise_employer("Department of Veterans Affairs") != normalise_employer(
        "Veterans Health Administration"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("New York, NY", ("New York", "NY", "US")),
        ("Seattle, WA 98101", ("Seattle", "WA", "US")),
        ("Washington, District of Columbia", ("Washington", "DC", "US")),
        ("Austin, Texas", ("Austin", "TX", "US")),
        ("Austin, Texas, United States", ("Austin", "TX", "US")),
        ("San Juan, Puerto Rico", ("San Juan", "PR", "US")),
        ("Camp Foster, Japan", ("Camp Foster", None, "JP")),
        ("London, UK", ("London", None, "GB")),
        ("California", (None, "CA", "US")),
        ("Remote", (None, None, None)),
        ("Remote - US", (None, None, "US")),
        ("Remote, TX", (None, "TX", "US")),
        ("Multiple Locations", (None, None, None)),
        ("Anywhere in the U.S. (remote job), United States", (None, None, "US")),
        ("Orlando, Florida; Tampa, Florida", (None, "FL", "US")),
        ("Fort Derussy, Hawaii; Orlando, Florida", (None, None, "US")),
        ("Springfield", ("Springfield", None, None)),
        ("", (None, None, None)),
        (None, (None, None, None)),
    ],
)
def test_parse_location(raw: str | None, expected: tuple[str | None, ...]) -> None:
    assert parse_location(raw) == expected


def test_vectorised_helpers_match_scalars() -> None:
    raw = pd.Series(["Reno, Nevada", None, "Reno, Nevada", "Remote"], index=[3, 4, 5, 6])
    frame = parse_locations(raw)
    assert list(frame.index) == [3, 4, 5, 6]
    assert frame.loc[5].tolist() == ["Reno", "NV", "US"]
    assert frame.loc[4].isna().all()
    names = normalise_employers(pd.Series(["Apple Inc.", None, "APPLE INC"]))
    assert names.tolist() == ["apple", "", "apple"]


def test_posting_ids_over_frame() -> None:
    frame = pd.DataFrame(
        {
            "source": ["usajobs", "h1b_lca"],
            "source_id": ["844112500", None],
            "title_raw": ["Nurse", "Engineer"],
            "employer_raw": ["VA", "Apple Inc."],
            "location_raw": ["Reno, Nevada", "Cupertino, CA"],
            "posted_date": [date(2025, 8, 1), date(2025, 1, 1)],
        }
    )
    ids = posting_ids(frame)
    assert ids.iloc[0] == posting_id("usajobs", "844112500")
    assert ids.iloc[1] == posting_id(
        "h1b_lca", None, "Engineer", "Apple Inc.", "Cupertino, CA", date(2025, 1, 1)
    )
