"""Planted posting descriptions with their truth, for the demo samples
(scripts/samples/postings.py) and ``outlook synth`` (bench.synth.generate).

``describe(rng, title, sector, employer)`` returns ``(text, truth)``: prose that names skills
(the sample O*NET Technology Skills examples and the seed methods in
data/seeds/certifications.csv), certifications marked required or preferred, a minimum
education and a minimum of years, among distractor sentences (company history, benefits, an
age), in varied wording and sometimes HTML. The truth lists the canonical names planted
(skills include the methods a planted term implies in the seed file). About 15% of postings
get no text, so "no text" is exercised.

The kind of role (which skills, certifications, education and years are drawn) comes from
the sample titles (``kind_for_title``) or, for the generator's O*NET titles, from the title
and its SOC code (``kind_for_occupation``); ``describe_kind`` takes the kind directly.
``write_truth`` writes the truth file (one row per source_id, lists ``;``-separated).
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

EMPTY_SHARE = 0.15
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve"]  # fmt: skip

# canonical name -> ways ads write it; implied methods per the seed file
SKILL_FORMS: dict[str, list[str]] = {
    "Lean": ["Lean", "lean principles", "Lean methodology"],
    "Six Sigma": ["Six Sigma", "six-sigma"],
    "Lean Six Sigma": ["Lean Six Sigma", "LSS"],
    "Kaizen": ["Kaizen", "kaizen events"],
    "PDSA": ["PDSA", "Plan-Do-Study-Act"],
    "DMAIC": ["DMAIC"],
    "Value stream mapping": ["value stream mapping", "VSM"],
    "Root cause analysis": ["root cause analysis", "RCA"],
    "Change management": ["change management"],
    "Statistical process control": ["statistical process control", "SPC"],
    "5S": ["5S"],
    "Agile": ["Agile", "agile methodologies"],
    "Scrum": ["Scrum"],
    "Microsoft Excel": ["Microsoft Excel", "Excel", "MS Excel"],
    "Microsoft Power BI": ["Power BI", "Microsoft Power BI"],
    "Minitab": ["Minitab"],
    "Python": ["Python"],
    "SAP software": ["SAP"],
    "Epic Systems": ["Epic"],
}
IMPLIES = {"Lean Six Sigma": ["Lean", "Six Sigma"], "DMAIC": ["Six Sigma"], "5S": ["Lean"],
           "Value stream mapping": ["Lean"], "Scrum": ["Agile"]}  # fmt: skip
CERT_FORMS: dict[str, list[str]] = {
    "Six Sigma Black Belt": ["Lean Six Sigma Black Belt", "Six Sigma Black Belt", "Black Belt"],
    "Six Sigma Green Belt": ["Lean Six Sigma Green Belt", "Six Sigma Green Belt", "Green Belt"],
    "PMP": ["PMP", "Project Management Professional (PMP)"],
    "CPHQ": ["CPHQ", "Certified Professional in Healthcare Quality (CPHQ)"],
    "Certified Quality Engineer": ["Certified Quality Engineer (CQE)", "CQE"],
    "CPA": ["CPA"],
    "RN licence": ["RN license", "Registered Nurse license"],
    "BLS certification": ["BLS certification", "Basic Life Support"],
    "ACLS": ["ACLS"],
}
CERT_IMPLIES = {"Six Sigma Black Belt": ["Six Sigma"], "Six Sigma Green Belt": ["Six Sigma"]}

# role kind: skills pool, (cert, p, p_required), education weights, years range
PROFILES: dict[str, dict[str, Any]] = {
    "pi": {
        "skills": ["Lean", "Six Sigma", "Kaizen", "PDSA", "DMAIC", "Value stream mapping",
                   "Root cause analysis", "Change management", "Statistical process control",
                   "Microsoft Excel", "Microsoft Power BI", "Minitab"],
        "certs": [("Six Sigma Black Belt", 0.7, 0.6), ("Six Sigma Green Belt", 0.15, 0.5),
                  ("PMP", 0.3, 0.3), ("CPHQ", 0.2, 0.4)],
        "edu": {"master": 0.4, "bachelor": 0.5, None: 0.1},
        "years": (7, 12),
    },
    "nurse": {"skills": ["Epic Systems", "Root cause analysis"],
              "certs": [("RN licence", 0.95, 0.95), ("BLS certification", 0.8, 0.8), ("ACLS", 0.4, 0.3)],
              "edu": {"associate": 0.5, "bachelor": 0.4, None: 0.1}, "years": (1, 3)},
    "assistant": {"skills": ["Epic Systems", "Microsoft Excel"],
                  "certs": [("BLS certification", 0.6, 0.7)],
                  "edu": {"high_school": 0.8, None: 0.2}, "years": (0, 2)},
    "tech": {"skills": ["Python", "Agile", "Scrum", "Microsoft Excel", "Microsoft Power BI"],
             "certs": [], "edu": {"bachelor": 0.6, "master": 0.3, None: 0.1}, "years": (2, 7)},
    "pm": {"skills": ["Agile", "Microsoft Excel", "Change management", "SAP software"],
           "certs": [("PMP", 0.7, 0.5)], "edu": {"bachelor": 0.85, None: 0.15}, "years": (3, 8)},
    "finance": {"skills": ["Microsoft Excel", "SAP software", "Microsoft Power BI"],
                "certs": [("CPA", 0.4, 0.3)], "edu": {"bachelor": 0.85, None: 0.15},
                "years": (1, 5)},
    "plant": {"skills": ["Lean", "5S", "Kaizen", "Root cause analysis", "SAP software",
                         "Statistical process control", "Minitab", "Microsoft Excel"],
              "certs": [("Six Sigma Green Belt", 0.4, 0.4), ("Certified Quality Engineer", 0.2, 0.3)],
              "edu": {"bachelor": 0.6, "associate": 0.1, "high_school": 0.2, None: 0.1},
              "years": (2, 6)},
    "service": {"skills": ["Microsoft Excel"], "certs": [],
                "edu": {"high_school": 0.85, None: 0.15}, "years": (0, 2)},
}  # fmt: skip
KIND_BY_TITLE = {
    "Registered Nurse": "nurse", "RN - Med/Surg Night Shift": "nurse",
    "Medical Assistant": "assistant", "Data Scientist": "tech",
    "Senior Software Engineer": "tech", "Software Engineer II": "tech",
    "Project Manager": "pm", "IT Project Manager": "pm", "Financial Analyst": "finance",
    "Staff Accountant": "finance", "Production Supervisor": "plant",
    "Quality Engineer": "plant", "Customer Service Representative": "service",
}  # fmt: skip
FIELDS = ["healthcare administration", "business administration", "engineering",
          "a related field", "operations management", "nursing"]  # fmt: skip
DISTRACTORS = [
    "For more than 40 years, {employer} has served the communities around it.",
    "{employer} was founded 25 years ago and has grown to thousands of employees.",
    "We offer medical, dental and vision coverage, a 401(k) match and paid time off.",
    "Applicants must be at least 18 years old.",
    "This position reports to the Chief Operating Officer.",
    "{employer} is an equal opportunity employer.",
    "Hybrid schedule: three days a week on site.",
]


def _years_text(rng: random.Random, n: int) -> str:
    word = WORDS[n] if n < len(WORDS) else str(n)
    return rng.choice([
        f"Minimum {n} years of progressive leadership experience.",
        f"{n}+ years of experience in a comparable role.",
        f"At least {word} ({n}) years of relevant experience.",
        f"{word.capitalize()} to {WORDS[min(n + 2, 12)]} years of experience preferred in the field, "
        f"with a minimum of {n} years required.",
        f"Requires {n}-{n + 3} years of related work experience.",
        f"A minimum of {word} years' experience is required.",
    ])  # fmt: skip


def _education_text(rng: random.Random, level: str, equivalent: bool) -> str:
    field = rng.choice(FIELDS)
    text = {
        "master": rng.choice([f"Master's degree in {field} or MBA required",
                              "Master's degree or MBA required",
                              f"MBA or MHA required; graduate degree in {field} considered"]),
        "bachelor": rng.choice([f"Bachelor's degree in {field} required",
                                f"BS/BA in {field}", f"A bachelor's degree in {field}"]),
        "associate": rng.choice(["Associate degree in Nursing required",
                                 "Associate's degree or higher"]),
        "high_school": rng.choice(["High school diploma or GED required",
                                   "High school diploma or equivalent"]),
    }[level]  # fmt: skip
    if equivalent:
        text += rng.choice([", or equivalent experience", " or an equivalent combination of "
                            "education and experience"])  # fmt: skip
    return text + "."


def _cert_text(rng: random.Random, form: str, required: bool) -> str:
    if required:
        return rng.choice([f"{form} certification required.", f"Must hold a current {form}.",
                           f"Required: {form}."])  # fmt: skip
    return rng.choice([f"{form} preferred.", f"{form} is a plus.", f"Nice to have: {form}."])


def _skill_text(rng: random.Random, forms: list[str]) -> str:
    listed = ", ".join(forms[:-1]) + (" and " if len(forms) > 1 else "") + forms[-1]
    return rng.choice([f"Hands-on experience with {listed}.", f"Working knowledge of {listed}.",
                       f"You will apply {listed} every day.", f"Proficiency in {listed}."])  # fmt: skip


def kind_for_title(title: str) -> str:
    """The profile of a demo sample title (its directors are Performance Improvement ones)."""
    return KIND_BY_TITLE.get(title, "pi" if "Director" in title else "service")


# improvement / excellence programme words in an O*NET title: the "pi" profile
_PI_TITLE = re.compile(
    r"improvement|excellence|\blean\b|six sigma|kaizen|\bquality\b", re.IGNORECASE
)
# SOC code prefix -> profile, longest prefix first
_KIND_BY_SOC = (("11-3031", "finance"), ("13-2", "finance"), ("11-", "pm"), ("13-", "pm"),
                ("15-", "tech"), ("17-", "plant"), ("51-", "plant"), ("29-", "nurse"),
                ("31-", "assistant"))  # fmt: skip


def kind_for_occupation(title: str, soc_code: str) -> str:
    """The profile of a generated posting: improvement titles are "pi", the rest by SOC."""
    if _PI_TITLE.search(title):
        return "pi"
    return next((kind for prefix, kind in _KIND_BY_SOC if soc_code.startswith(prefix)), "service")


def describe(rng: random.Random, title: str, sector: str, employer: str) -> tuple[str, dict]:
    """One description of a demo sample title and its truth (empty for ~15%)."""
    return describe_kind(rng, kind_for_title(title), employer)


def describe_kind(rng: random.Random, kind: str, employer: str) -> tuple[str, dict]:
    """One description for a profile in ``PROFILES`` and its truth (empty for ~15%)."""
    empty = {"has_text": False, "skills": [], "certifications_required": [],
             "certifications_preferred": [], "education_min": "", "or_equivalent": False,
             "experience_years_min": ""}  # fmt: skip
    if rng.random() < EMPTY_SHARE:
        return "", empty
    prof = PROFILES[kind]
    skills: set[str] = set()
    sentences = [rng.choice(DISTRACTORS).format(employer=employer)]
    picked = rng.sample(prof["skills"], min(len(prof["skills"]), rng.randint(2, 4)))
    if kind == "pi" and rng.random() < 0.6:
        picked = ["Lean Six Sigma"] + [s for s in picked if s not in ("Lean", "Six Sigma")]
    for chunk in (picked[:2], picked[2:]):
        if chunk:
            sentences.append(_skill_text(rng, [rng.choice(SKILL_FORMS[s]) for s in chunk]))
            for s in chunk:
                skills |= {s, *IMPLIES.get(s, [])}
    required, preferred = [], []
    for cert, p, p_req in prof["certs"]:
        if rng.random() < p:
            form = rng.choice(CERT_FORMS[cert])
            is_req = rng.random() < p_req
            sentences.append(_cert_text(rng, form, is_req))
            (required if is_req else preferred).append(cert)
            skills |= set(CERT_IMPLIES.get(cert, []))
            if form.startswith("Lean Six Sigma"):
                skills |= {"Lean Six Sigma", "Lean", "Six Sigma"}
    levels = list(prof["edu"])
    level = rng.choices(levels, weights=list(prof["edu"].values()))[0]
    equivalent = level is not None and level != "master" and rng.random() < 0.3
    if level:
        sentences.append(_education_text(rng, level, equivalent))
    lo, hi = prof["years"]
    years = rng.randint(lo, hi)
    if years > 0:
        sentences.append(_years_text(rng, years))
    sentences.append(rng.choice(DISTRACTORS).format(employer=employer))
    head, body, tail = sentences[0], sentences[1:-1], sentences[-1]
    rng.shuffle(body)
    if rng.random() < 0.08:
        text = f"<p>{head}</p><h3>Qualifications</h3><ul>" + "".join(
            f"<li>{s}</li>" for s in body) + f"</ul><p>{tail}</p>"  # fmt: skip
    else:
        text = " ".join([head, *body, tail])
    return text, {
        "has_text": True,
        "skills": sorted(skills),
        "certifications_required": sorted(required),
        "certifications_preferred": sorted(preferred),
        "education_min": level or "",
        "or_equivalent": equivalent,
        "experience_years_min": str(years) if years > 0 else "",
    }


TRUTH_COLUMNS = ["source_id", "has_text", "skills", "certifications_required",
                 "certifications_preferred", "education_min", "or_equivalent",
                 "experience_years_min"]  # fmt: skip


def write_truth(path: Path, rows: Iterable[tuple[str, dict]]) -> Path:
    """Write ``(source_id, truth)`` pairs: one row per distinct source_id, first seen first;
    lists ``;``-separated."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TRUTH_COLUMNS)
    seen: set[str] = set()
    for sid, t in rows:
        if sid in seen:
            continue
        seen.add(sid)
        writer.writerow([sid, t["has_text"]] + [
            ";".join(t[c]) if isinstance(t[c], list) else t[c] for c in TRUTH_COLUMNS[2:]
        ])  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def plant_descriptions(
    seed: int,
    kind: Any,
    group: Any,
    title: Any,
    soc_code: Any,
    employer: Any,
) -> tuple[list[str], list[dict | None]]:
    """Descriptions for a generated drop, row by row (arrays in file order): ``kind`` 0
    original, 1 re-post, 2 cross-board copy, 3 malformed; ``group`` the original's index.
    Each original gets one description (drawn in original order from its own stream, so no
    other column changes); its copies carry the same text and truth. Malformed rows get a
    text too (the file stays uniform) but no truth: they are not postings."""
    rng = random.Random(f"synth-descriptions-{seed}")
    n_orig = int((kind == 0).sum())
    first = [0] * n_orig
    for pos in (kind == 0).nonzero()[0].tolist():
        first[int(group[pos])] = pos
    planted = [
        describe_kind(rng, kind_for_occupation(str(title[p]), str(soc_code[p])), str(employer[p]))
        for p in first
    ]
    texts: list[str] = []
    truths: list[dict | None] = []
    for k, g in zip(kind.tolist(), group.tolist(), strict=True):
        if k == 3:
            texts.append(describe_kind(rng, "service", "The employer")[0])
            truths.append(None)
        else:
            texts.append(planted[g][0])
            truths.append(planted[g][1])
    return texts, truths
