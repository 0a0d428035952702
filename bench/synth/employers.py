"""Synthetic employers and places: names per sector with Zipf-like sizes and a set of
sites (US cities), and the industry a row gives for its employer (a NAICS code, an
industry text, or neither)."""

from __future__ import annotations

import numpy as np

from bench.synth.config import Taxonomy

_NAME_A = (
    "Summit Riverside Harbor Granite Maple Cedar Lakeside Northfield Southgate Westbrook "
    "Eastwood Pinecrest Silverline Bluewater Redstone Ironwood Oakridge Brightwave Cobalt "
    "Keystone Evergreen Meridian Pioneer Liberty Heritage Frontier Crescent Highland Valley "
    "Prairie Coastal Canyon Aspen Willow Falcon Eagle Beacon Compass Anchor Horizon Vista "
    "Sterling Union Premier Allied United Central Metro Capital Trinity Apex Atlas Vertex "
    "Orion Polaris Sequoia Juniper Magnolia Hawthorn Birch Spruce Alder Chestnut Laurel"
).split()
_NAME_B = (
    "Valley River Point Ridge Lake Creek Bay Park Hill Springs Grove Field Rock Stone Bridge "
    "Harbor Mountain Forest Plains Coast Mesa Prairie Heights Crossing Gate Brook Meadow "
    "Shore Island Trail Peak Glen Hollow Bluff Cove Falls Haven Landing Station"
).split()
_SECTOR_NOUNS: dict[str, tuple[str, ...]] = {
    "11": ("Farms", "Growers", "Agriculture", "Orchards", "Ranch"),
    "21": ("Mining", "Energy", "Resources", "Drilling", "Minerals"),
    "22": ("Power", "Electric", "Water Authority", "Utilities", "Gas & Electric"),
    "23": ("Construction", "Builders", "Contractors", "Homes", "Paving"),
    "31-33": ("Manufacturing", "Industries", "Components", "Fabrication", "Plastics",
              "Precision Products"),
    "42": ("Distributors", "Supply", "Wholesale", "Trading"),
    "44-45": ("Market", "Stores", "Outfitters", "Grocers", "Retail"),
    "48-49": ("Logistics", "Freight", "Transport", "Trucking", "Airlines"),
    "51": ("Software", "Media", "Networks", "Digital", "Communications"),
    "52": ("Bank", "Financial", "Insurance Group", "Capital", "Credit Union", "Mutual"),
    "53": ("Properties", "Realty", "Leasing", "Rentals"),
    "54": ("Consulting", "Engineering", "Analytics", "Law Group", "Advisors"),
    "55": ("Holdings", "Enterprises", "Group"),
    "56": ("Staffing", "Services", "Facility Services", "Security"),
    "61": ("University", "College", "Academy", "School District"),
    "62": ("Health System", "Medical Center", "Hospital", "Clinic", "Care Partners",
           "Home Health"),
    "71": ("Recreation", "Entertainment", "Sports Club", "Resorts"),
    "72": ("Hospitality", "Hotels", "Restaurants", "Kitchen"),
    "81": ("Auto Repair", "Services", "Salon", "Cleaners"),
    "92": ("County", "City Government", "State Agency", "Public Authority"),
}  # fmt: skip
_LEGAL = ("", "", "", " Inc.", " LLC", " Corp.", ", Inc.", " Co.", " Company", " Ltd.")

# (city, state, relative size): large and mid-sized US labour markets.
CITIES = [
    ("New York", "NY", 20), ("Los Angeles", "CA", 13), ("Chicago", "IL", 9.5), ("Dallas", "TX", 7.6),
    ("Houston", "TX", 7.1), ("Washington", "DC", 6.3), ("Philadelphia", "PA", 6.2),
    ("Miami", "FL", 6.1), ("Atlanta", "GA", 6.1), ("Boston", "MA", 4.9), ("Phoenix", "AZ", 4.9),
    ("San Francisco", "CA", 4.7), ("Riverside", "CA", 4.6), ("Detroit", "MI", 4.3),
    ("Seattle", "WA", 4.0), ("Minneapolis", "MN", 3.7), ("San Diego", "CA", 3.3),
    ("Tampa", "FL", 3.2), ("Denver", "CO", 3.0), ("Baltimore", "MD", 2.8), ("St. Louis", "MO", 2.8),
    ("Orlando", "FL", 2.7), ("Charlotte", "NC", 2.7), ("San Antonio", "TX", 2.6),
    ("Portland", "OR", 2.5), ("Sacramento", "CA", 2.4), ("Pittsburgh", "PA", 2.4),
    ("Austin", "TX", 2.4), ("Las Vegas", "NV", 2.3), ("Cincinnati", "OH", 2.3),
    ("Kansas City", "MO", 2.2), ("Columbus", "OH", 2.1), ("Indianapolis", "IN", 2.1),
    ("Cleveland", "OH", 2.1), ("San Jose", "CA", 2.0), ("Nashville", "TN", 2.0),
    ("Virginia Beach", "VA", 1.8), ("Providence", "RI", 1.7), ("Jacksonville", "FL", 1.6),
    ("Milwaukee", "WI", 1.6), ("Raleigh", "NC", 1.4), ("Oklahoma City", "OK", 1.4),
    ("Memphis", "TN", 1.3), ("Richmond", "VA", 1.3), ("Louisville", "KY", 1.3),
    ("New Orleans", "LA", 1.3), ("Salt Lake City", "UT", 1.3), ("Hartford", "CT", 1.2),
    ("Buffalo", "NY", 1.1), ("Birmingham", "AL", 1.1), ("Rochester", "NY", 1.1),
    ("Grand Rapids", "MI", 1.1), ("Tucson", "AZ", 1.0), ("Honolulu", "HI", 1.0),
    ("Tulsa", "OK", 1.0), ("Fresno", "CA", 1.0), ("Worcester", "MA", 0.9), ("Omaha", "NE", 0.9),
    ("Albuquerque", "NM", 0.9), ("Albany", "NY", 0.9), ("Knoxville", "TN", 0.9),
    ("El Paso", "TX", 0.9), ("Boise", "ID", 0.8), ("Madison", "WI", 0.7), ("Des Moines", "IA", 0.7),
    ("Little Rock", "AR", 0.7), ("Columbia", "SC", 0.8), ("Charleston", "SC", 0.8),
    ("Spokane", "WA", 0.6), ("Anchorage", "AK", 0.4), ("Wichita", "KS", 0.6),
    ("Boise City", "ID", 0.3), ("Burlington", "VT", 0.2), ("Portland", "ME", 0.5),
    ("Manchester", "NH", 0.4), ("Wilmington", "DE", 0.7), ("Billings", "MT", 0.2),
    ("Fargo", "ND", 0.2), ("Sioux Falls", "SD", 0.3), ("Cheyenne", "WY", 0.1),
    ("Jackson", "MS", 0.6), ("Lexington", "KY", 0.5), ("Baton Rouge", "LA", 0.8),
    ("Reno", "NV", 0.5), ("Colorado Springs", "CO", 0.7), ("Fort Worth", "TX", 2.0),
    ("Ann Arbor", "MI", 0.4), ("Lansing", "MI", 0.5), ("Toledo", "OH", 0.6), ("Akron", "OH", 0.7),
    ("Dayton", "OH", 0.8), ("Syracuse", "NY", 0.6), ("Scranton", "PA", 0.5),
    ("Allentown", "PA", 0.8), ("Harrisburg", "PA", 0.6), ("Greenville", "SC", 0.9),
    ("Chattanooga", "TN", 0.5), ("Savannah", "GA", 0.4), ("Pensacola", "FL", 0.5),
]  # fmt: skip


def make_employers(
    rng: np.random.Generator, sectors: list[str], share: np.ndarray, n_target: int
) -> dict[str, np.ndarray]:
    """Synthetic employers per sector: names, a Zipf-like size and a set of sites."""
    names: list[str] = []
    sector_of: list[int] = []
    weight: list[np.ndarray] = []
    n_sites_all: list[np.ndarray] = []
    city_w = np.array([c[2] for c in CITIES], dtype=float)
    site_city: list[np.ndarray] = []
    for s_i, sector in enumerate(sectors):
        nouns = _SECTOR_NOUNS.get(sector, ("Group",))
        space = len(_NAME_A) * len(_NAME_B) * len(nouns)
        k = int(min(max(20, round(n_target * share[s_i])), space * 0.8))
        combo = rng.choice(space, size=k, replace=False)
        a, rest = np.divmod(combo, len(_NAME_B) * len(nouns))
        b, c = np.divmod(rest, len(nouns))
        legal = rng.integers(0, len(_LEGAL), size=k)
        two_words = rng.random(k) < 0.5  # "Summit Health System" vs "Summit Valley Health System"
        for i in range(k):
            middle = "" if two_words[i] else f" {_NAME_B[b[i]]}"
            names.append(f"{_NAME_A[a[i]]}{middle} {nouns[c[i]]}{_LEGAL[legal[i]]}")
        ranks = np.arange(1, k + 1)
        weight.append(1.0 / (ranks + 5.0) ** 0.9)
        sector_of.extend([s_i] * k)
        # Sites: big employers are in many cities.
        n_sites = np.clip((60 / np.sqrt(ranks)).astype(int), 1, 60)
        cities = rng.choice(len(CITIES), size=int(n_sites.sum()), p=city_w / city_w.sum())
        site_city.append(cities)
        n_sites_all.append(n_sites)
    sites = np.concatenate(site_city)
    n_sites = np.concatenate(n_sites_all)
    return {
        "name": np.array(names, dtype=object),
        "sector": np.array(sector_of, dtype=np.int64),
        "weight": np.concatenate(weight),
        "site_city": sites,
        "site_start": np.concatenate([[0], np.cumsum(n_sites)[:-1]]),
        "site_count": n_sites,
    }


def industry_columns(
    rng: np.random.Generator, tax: Taxonomy, sector: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(naics_code_raw, industry_text) per row of ``sector``: 55% a NAICS code spelling of
    the sector, 38% an industry text that resolves to it, 7% neither."""
    n = len(sector)
    how = rng.random(n)
    naics_txt = np.full(n, "", dtype=object)
    ind_txt = np.full(n, "", dtype=object)
    pick = rng.random(n)
    for s in np.unique(sector):
        m = sector == s
        codes = tax.sector_codes[s]
        texts = tax.sector_texts[s]
        code_pick = np.array(codes, dtype=object)[(pick[m] * len(codes)).astype(int)]
        naics_txt[m] = np.where(how[m] < 0.55, code_pick, "")
        if texts:
            text_pick = np.array(texts, dtype=object)[(pick[m] * len(texts)).astype(int)]
            ind_txt[m] = np.where((how[m] >= 0.55) & (how[m] < 0.93), text_pick, "")
    return naics_txt, ind_txt
