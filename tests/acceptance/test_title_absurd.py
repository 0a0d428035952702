"""Acceptance over ../shared/mirror: none of issue 19's absurd answers remains.

The classifier is fitted as the pipeline fits it (O*NET 29.3 titles, BLS direct-match
titles, Technology Skills, the seed lexicons). Each title lists the answers acceptable
for it (SOC prefixes) and, where the issue names one, the absurd answer it gave. What
the classifier answered before the title-structure rules (titles-2.0.1):

    Android / Backend / Frontend / HelpDesk Engineer  Civil Engineers (0.04-0.07)
    Engineer I                   Civil Engineers 0.61 (exact)
    Business Analyst, CCO        Correctional Officers and Jailers 0.13
    DE&I Consultant              Computer Systems Analysts 0.01 (the issue saw Geodetic
                                 Surveyors on an earlier version)
    Medical Affairs Scientist    Political Scientists 0.09
    Measurement Technician       Chemical Technicians 0.98 (exact)
    Energy Markets Analyst       Energy Engineers 0.98 (exact)
    Chief Marketing Officer      Continuous Mining Machine Operators 0.98 (exact: the
                                 O*NET short title "CMO")
    President / Director / Registrar / Machine Operator / Field Service Technician:
                                 0.98 / 0.98 / 0.64 / 0.61 / 0.62 (exact)

"Measurement Technician" is decided as: a technician family (17-3 engineering, 19-4
science, 51-9 inspectors) below 0.8, as O*NET files it under Chemical Technicians only.
"""

from __future__ import annotations

import pytest

from outlook.config import NAICS_SOC_PRIORS, TITLE_STRUCTURE
from tests.conftest import SHARED
from transforms.classify import TitleClassifier
from transforms.naics_priors import load_naics_priors
from transforms.onet import read_onet_archive
from transforms.taxonomy import read_soc_direct_match_titles
from transforms.title_structure import load_structure

pytestmark = pytest.mark.shared

GENERIC_CAP = 0.4

# title -> (acceptable SOC prefixes, highest acceptable confidence)
ABSURD = {
    "Android Engineer": (("15-1",), 1.0),
    "Backend Engineer": (("15-1",), 1.0),
    "Frontend Engineer": (("15-1",), 1.0),
    "HelpDesk Engineer": (("15-1",), 1.0),
    "Business Analyst, CCO": (("13-1",), 1.0),
    "DE&I Consultant": (("13-1", "11-"), 1.0),
    "Medical Affairs Scientist": (("19-1", "29-"), 1.0),
    "Measurement Technician": (("17-3", "19-4", "51-9"), 0.8),
    "Energy Markets Analyst": (("13-", "19-3011"), 1.0),
    "Chief Marketing Officer": (("11-2021", "11-1011"), 1.0),
}
GENERIC = ["President", "Director", "Registrar", "Machine Operator", "Field Service Technician"]


@pytest.fixture(scope="module")
def classifier() -> TitleClassifier:
    # Module-scoped (one ~45 s fit for every title), so not through the function-scoped
    # ``shared_dir`` fixture; the ``shared`` mark skips the module when ../shared is absent.
    if not SHARED.is_dir():
        pytest.skip(f"real data folder {SHARED} is absent")
    mirror = SHARED / "mirror"
    frames = read_onet_archive(mirror / "www.onetcenter.org/dl_files/database/db_29_3_text.zip")
    direct = mirror / "www.bls.gov/soc/2018/soc_2018_direct_match_title_file.xlsx"
    frames["soc_direct_match"] = read_soc_direct_match_titles(direct).rename(
        columns={"direct_match_title": "title"}
    )[["soc_code", "title"]]
    return TitleClassifier.from_onet(
        frames,
        "test",
        naics_priors=load_naics_priors(NAICS_SOC_PRIORS),
        structure=load_structure(TITLE_STRUCTURE),
    )


@pytest.mark.parametrize("title", list(ABSURD))
def test_no_absurd_answer(classifier: TitleClassifier, title: str) -> None:
    families, max_confidence = ABSURD[title]
    answer = classifier.classify(title)
    assert answer.soc_code is not None and answer.soc_code.startswith(families), answer
    assert answer.confidence < max_confidence or max_confidence == 1.0, answer


def test_engineer_alone_is_not_a_sure_civil_engineer(classifier: TitleClassifier) -> None:
    answer = classifier.classify("Engineer I")
    assert answer.confidence < GENERIC_CAP or answer.soc_code.startswith(("17-2", "15-1"))
    assert answer.reason and "too generic" in answer.reason


@pytest.mark.parametrize("title", GENERIC)
def test_generic_titles_without_context_are_not_confident(
    classifier: TitleClassifier, title: str
) -> None:
    answer = classifier.classify(title)
    assert answer.confidence < GENERIC_CAP, answer
    assert answer.reason and "too generic" in answer.reason, answer


def test_structure_answers_say_why(classifier: TitleClassifier) -> None:
    answer = classifier.classify("Chief Marketing Officer")
    assert answer.reason == "title structure: chief marketing officer"
    # A plain title keeps its exact answer and says nothing extra.
    nurse = classifier.classify("Registered Nurse")
    assert nurse.soc_code == "29-1141" and nurse.confidence >= 0.9 and nurse.reason is None
