"""transforms.roles: catalogue sanity, PID precision/recall on a labelled list, real O*NET."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from outlook.config import NAICS_SOC_PRIORS, ROLES_FILE
from transforms.roles import RoleCatalogue, load_roles
from transforms.titles import normalise_title

ROOT = Path(__file__).resolve().parents[2]
PID_TITLES = ROOT / "tests" / "data" / "pid_titles.csv"
REAL_ONET = ROOT.parent / "shared/mirror/www.onetcenter.org/dl_files/database/db_29_3_text.zip"
PID = "Performance Improvement Director"

# Exact display_name values in Indeed Hiring Lab's job_postings_by_sector_US.csv
# (plus 'Insurance', which appears in sector-job-title-examples.csv).
INDEED_CATEGORIES = {
    "Accounting", "Administrative Assistance", "Architecture", "Arts & Entertainment",
    "Banking & Finance", "Beauty & Wellness", "Childcare", "Civil Engineering",
    "Cleaning & Sanitation", "Community & Social Service", "Construction", "Customer Service",
    "Dental", "Driving", "Education & Instruction", "Electrical Engineering",
    "Food Preparation & Service", "Hospitality & Tourism", "Human Resources",
    "IT Operations & Helpdesk", "Industrial Engineering", "Information Design & Documentation",
    "Installation & Maintenance", "Insurance", "Legal", "Loading & Stocking", "Logistic Support",
    "Management", "Marketing", "Mathematics", "Media & Communications", "Medical Information",
    "Medical Technician", "Nursing", "Personal Care & Home Health", "Pharmacy",
    "Physicians & Surgeons", "Production & Manufacturing", "Project Management", "Retail", "Sales",
    "Scientific Research & Development", "Security & Public Safety", "Software Development",
    "Sports", "Therapy", "Veterinary",
}  # fmt: skip


@pytest.fixture(scope="module")
def roles() -> RoleCatalogue:
    return load_roles(ROLES_FILE)


def test_catalogue_shape(roles: RoleCatalogue) -> None:
    assert roles.roles[0].name == PID
    assert len(roles) >= 31
    for role in roles.roles:
        assert role.indeed_category in INDEED_CATEGORIES, role.name
        assert role.patterns or role.aliases, role.name
        assert role.description, role.name
        assert all(len(c) == 7 and c[2] == "-" for c in role.soc_codes), role.name
    pid = roles.by_slug["performance-improvement-director"]
    assert pid.socs_for("622110") == ("11-9111",)
    assert set(pid.socs_for("331110")) == {"11-3051", "11-1021"}
    assert pid.socs_for(None) == pid.soc_codes


def test_pid_precision_and_recall(roles: RoleCatalogue) -> None:
    with PID_TITLES.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 120
    truth = [r["is_pid"] == "1" for r in rows]
    matches = roles.match_many([r["title"] for r in rows], normalised=False)
    pred = (matches["role"] == PID).fillna(False).tolist()
    tp = sum(p and t for p, t in zip(pred, truth, strict=True))
    precision = tp / max(sum(pred), 1)
    recall = tp / max(sum(truth), 1)
    misses = [r["title"] for r, p, t in zip(rows, pred, truth, strict=True) if p != t]
    print(f"\nPID precision={precision:.3f} recall={recall:.3f} n={len(rows)} errors={misses}")
    assert precision >= 0.95
    assert recall >= 0.9


@pytest.mark.parametrize(
    ("raw", "role", "rule_prefix"),
    [
        ("Director, Quality & Performance Improvement - Req #4821", PID, "alias:"),
        ("Sr. Director Continuous Improvement (Lean Six Sigma)", PID, "pattern:"),
        ("VP Performance Improvement", "Performance Improvement Executive", "pattern:"),
        ("Performance Improvement Manager", "Performance Improvement Manager", "pattern:"),
        ("PI Coordinator", "Performance Improvement Specialist", "pattern:"),
        ("Director of Performance Marketing", "Performance Marketing Manager", "pattern:"),
        ("Quality Director", "Quality Manager", "pattern:"),
        ("RN - ICU - Nights", "Registered Nurse", "pattern:"),
        ("Sr. Data Scientist", "Data Scientist", "alias:"),
        ("HR Business Partner", "HR Business Partner", "pattern:"),
    ],
)
def test_roles_for_titles(roles: RoleCatalogue, raw: str, role: str, rule_prefix: str) -> None:
    m = roles.match(normalise_title(raw))
    assert m is not None and m.role == role, (raw, m)
    assert m.rule.startswith(rule_prefix)
    assert 0 < m.score <= 1


def test_soc_fallback_and_tie_break(roles: RoleCatalogue) -> None:
    # No pattern hits "bedside caregiver", but a classified SOC of 29-1141 does.
    m = roles.match("bedside caregiver", soc_code="29-1141.00")
    assert m is not None and m.role == "Registered Nurse" and m.rule == "soc:29-1141"
    assert m.score < 0.9
    # A pattern beats a SOC-only hit; an agreeing SOC raises the pattern score.
    plain = roles.match("performance improvement director")
    agree = roles.match("director of quality improvement", soc_code="11-9111.00")
    assert plain is not None and agree is not None
    assert agree.score > 0.9 >= roles.match("director of quality improvement").score  # type: ignore[union-attr]
    assert roles.match("") is None
    assert roles.match("astronaut") is None


def test_match_many_dedupes_and_aligns(roles: RoleCatalogue) -> None:
    titles = ["pi director", "cashier", "pi director", "astronaut"]
    df = roles.match_many(titles, normalised=False)
    assert df["role"].tolist()[:3] == [PID, "Cashier", PID]
    assert pd.isna(df.loc[3, "role"])


def test_bad_catalogue_is_reported(tmp_path: Path) -> None:
    from transforms.errors import SourceFormatError

    bad = tmp_path / "roles.yaml"
    bad.write_text("roles:\n  - name: X\n    slug: x\n    patterns: [{name: p, regex: '('}]\n")
    with pytest.raises(SourceFormatError, match="bad pattern"):
        load_roles(bad)


@pytest.mark.shared
def test_real_onet_classifier_known_answers(roles: RoleCatalogue) -> None:
    if not REAL_ONET.exists():
        pytest.skip(f"{REAL_ONET} is absent")
    from transforms.classify import TitleClassifier
    from transforms.naics_priors import load_naics_priors
    from transforms.onet import read_onet_archive

    clf = TitleClassifier.from_onet(
        read_onet_archive(REAL_ONET),
        version="29.3",
        naics_priors=load_naics_priors(NAICS_SOC_PRIORS),
    )
    df = clf.classify_many(
        [
            "Registered Nurse - ICU - Night Shift",
            "Sr. Software Engineer II",
            "Data Scientist",
            "CDL-A Truck Driver",
            "Cashier PT",
            "Director of Performance Improvement",
        ],
        naics=[None, None, None, None, None, "622110"],
    )
    assert df["soc_code"].tolist()[:5] == ["29-1141", "15-1252", "15-2051", "53-3032", "41-2011"]
    # O*NET has no "performance improvement" title under 11-9111: the hospital prior
    # decides between the close manager occupations (and says so with a low confidence).
    assert df.loc[5, "soc_code"] == "11-9111"
    assert df.loc[5, "confidence"] < 0.5
    matched = roles.match_many(df["normalised_title"].tolist(), df["onet_soc_code"].tolist())
    assert matched.loc[5, "role"] == PID


def _every_role(catalogue: RoleCatalogue, title: str, soc: str | None):
    """The catalogue's rule spelled out: every role tried, best rank wins."""
    best = None
    for role in catalogue.roles:
        hit = role.match(title, soc) if title else None
        rank = hit and (hit.score, role.priority, -role.order)
        if hit and (best is None or rank > best[0]):
            best = (rank, hit)
    return best[1] if best else None


def test_skipping_roles_that_cannot_match_changes_no_answer(roles: RoleCatalogue) -> None:
    """``match`` skips roles when no alias or pattern applies; the answer is the same as
    trying every role, with and without SOC codes (SOC-only roles, exclusions)."""
    titles = [normalise_title(row["title"]) for row in csv.DictReader(PID_TITLES.open())]
    titles += ["", "welder", "registered nurse", "nurse", "qa director", "chief of staff"]
    socs = sorted({c for role in roles.roles for c in role.soc_codes}) + [None, "99-9999.00"]
    assert roles._prefilter is not None, "the project's patterns can be searched at once"
    for title in titles:
        for soc in socs:
            assert roles.match(title, soc) == _every_role(roles, title, soc), (title, soc)


def test_patterns_that_cannot_be_joined_are_searched_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(
        "roles:\n"
        "  - {name: Echo, slug: echo, patterns: [{name: twice, regex: '\\b(\\w+) \\1\\b'}]}\n"
        "  - {name: Nurse, slug: nurse, patterns: [{name: rn, regex: '\\bnurse\\b'}],\n"
        "     soc_codes: ['29-1141'], match_by_soc: true}\n"
    )
    catalogue = load_roles(path)
    assert catalogue._prefilter is None
    assert catalogue.match("bye bye").role == "Echo"
    assert catalogue.match("nurse").role == "Nurse"
    assert catalogue.match("clinician", "29-1141.00").rule == "soc:29-1141"
    assert catalogue.match("clinician") is None
