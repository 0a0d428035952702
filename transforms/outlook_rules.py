"""Outlook label rules: evidence (numbers with period and source) -> one label, explained.

The thresholds and weights live in ``data/seeds/outlook_rules.toml`` (read its comments);
this module only applies them, so a label can always be traced to the numbers behind it.

1. Fewer than ``min_postings`` unique postings in the current window -> ``insufficient
   data`` (the count is in the evidence), whatever the other sources say: the label
   describes demand for this role in this industry, and official sources alone are not
   about the role.
2. Each evidence value (percent) gets a score in -2..+2 from its four cut points, using
   half-open intervals ``[a, b)``. A trend whose confidence interval spans zero scores 0
   when ``zero_if_ci_spans_zero`` is set.
3. The score is the weighted mean over the evidence that has a value (weights
   renormalised). If less than ``min_weight`` of the total weight has values ->
   ``insufficient data``.
4. The score is cut into ``declining | softening | stable | growing | strong growth``
   at ``score_cuts``, again half-open ``[a, b)``.
5. A label other than ``stable`` must show in the postings themselves (``[label.support]``):
   the window change (computed only on enough postings, see ``transforms.trends``) moved
   at least ``min_window_change_pct`` in the label's direction, or the trend's confidence
   interval lies wholly on the label's side of zero. Official figures describe occupations,
   not this role here, so they can tip a supported label, never make one: unsupported
   labels read ``stable``, and the evidence says why.
"""

from __future__ import annotations

import bisect
import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "LABELS",
    "Decision",
    "Evidence",
    "EvidenceRule",
    "Rules",
    "decide",
    "label_for_score",
    "load_rules",
    "score_value",
]

INSUFFICIENT = "insufficient data"
LABELS = ("declining", "softening", "stable", "growing", "strong growth")


@dataclass(frozen=True)
class EvidenceRule:
    weight: float
    cuts: tuple[float, float, float, float]
    zero_if_ci_spans_zero: bool = False


@dataclass(frozen=True)
class Support:
    """What the postings must show for a label other than stable (rule 5)."""

    min_window_change_pct: float = 10.0
    trend_ci_excludes_zero: bool = True


@dataclass(frozen=True)
class Rules:
    min_postings: int
    score_cuts: tuple[float, float, float, float]
    min_weight: float
    evidence: dict[str, EvidenceRule]
    trend: dict[str, object] = field(default_factory=dict)
    support: Support = Support()


def load_rules(path: Path | str) -> Rules:
    """Read and check the rules file (cut points ascending, weights positive)."""
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    label = raw["label"]
    evidence = {
        name: EvidenceRule(
            float(spec["weight"]),
            tuple(float(c) for c in spec["cuts"]),  # type: ignore[arg-type]
            bool(spec.get("zero_if_ci_spans_zero", False)),
        )
        for name, spec in raw.get("evidence", {}).items()
    }
    rules = Rules(
        int(label["min_postings"]),
        tuple(float(c) for c in label["score_cuts"]),  # type: ignore[arg-type]
        float(label.get("min_weight", 0.0)),
        evidence,
        dict(raw.get("trend", {})),
        Support(**label.get("support", {})),
    )
    for name, cuts in [("label", rules.score_cuts)] + [(n, e.cuts) for n, e in evidence.items()]:
        if len(cuts) != 4 or list(cuts) != sorted(cuts):
            raise ValueError(f"{path}: {name} needs four ascending cut points, got {cuts}")
    if any(e.weight <= 0 for e in evidence.values()):
        raise ValueError(f"{path}: evidence weights must be positive")
    return rules


def score_value(value: float, cuts: tuple[float, float, float, float]) -> int:
    """-2..+2: the number of cut points at or below ``value``, minus 2 (``[a, b)`` bins)."""
    return bisect.bisect_right(cuts, value) - 2


def label_for_score(score: float, cuts: tuple[float, float, float, float]) -> str:
    return LABELS[bisect.bisect_right(cuts, score)]


@dataclass(frozen=True)
class Evidence:
    """One number behind a label. ``value`` is a percent change (None when not available);
    ``ci`` is the (low, high) interval for estimated trends."""

    name: str
    value: float | None
    period: str
    source: str
    text: str
    ci: tuple[float, float] | None = None


@dataclass(frozen=True)
class Decision:
    label: str
    score: float | None
    items: list[dict[str, object]]

    @property
    def evidence_json(self) -> str:
        return json.dumps(self.items, sort_keys=True, separators=(",", ":"))

    @property
    def evidence_text(self) -> str:
        return "; ".join(str(item["text"]) for item in self.items)


def _present(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def decide(postings_in_window: int | None, evidence: list[Evidence], rules: Rules) -> Decision:
    """The label for one (role, industry) and the evidence list that explains it.

    ``postings_in_window``: unique postings in the current window (None when the data
    does not cover a whole window). Evidence names without a rule are listed, not scored.
    """
    items: list[dict[str, object]] = []
    count = postings_in_window or 0
    items.append(
        {
            "name": "postings_in_window",
            "value": postings_in_window,
            "period": evidence[0].period if evidence else "",
            "source": "job postings",
            "text": (
                f"{count} unique postings in the window (minimum {rules.min_postings})"
                if postings_in_window is not None
                else f"no complete window of posting data (minimum {rules.min_postings} "
                "postings in one)"
            ),
            "score": None,
            "weight": None,
        }
    )
    scored: list[tuple[float, int]] = []
    for ev in evidence:
        rule = rules.evidence.get(ev.name)
        score = None
        if rule is not None and _present(ev.value):
            score = score_value(float(ev.value), rule.cuts)  # type: ignore[arg-type]
            if rule.zero_if_ci_spans_zero and ev.ci is not None and ev.ci[0] <= 0 <= ev.ci[1]:
                score = 0
            scored.append((rule.weight, score))
        items.append(
            {
                "name": ev.name,
                "value": None if not _present(ev.value) else round(float(ev.value), 2),  # type: ignore[arg-type]
                "period": ev.period,
                "source": ev.source,
                "text": ev.text,
                "score": score,
                "weight": rule.weight if rule is not None and score is not None else None,
            }
        )
    if count < rules.min_postings:
        return Decision(INSUFFICIENT, None, items)
    total_weight = sum(rule.weight for rule in rules.evidence.values())
    used = sum(weight for weight, _ in scored)
    if not scored or used < rules.min_weight * total_weight - 1e-12:
        return Decision(INSUFFICIENT, None, items)
    score = sum(weight * s for weight, s in scored) / used
    label = label_for_score(score, rules.score_cuts)
    direction = LABELS.index(label) - LABELS.index("stable")
    if direction:
        why = _unsupported(direction, {ev.name: ev for ev in evidence}, rules.support)
        if why is not None:
            items.append(
                {
                    "name": "label_support",
                    "value": None,
                    "period": items[0]["period"],
                    "source": "job postings",
                    "text": f"read as stable, not {label}: {why}",
                    "score": None,
                    "weight": None,
                }
            )
            label = "stable"
    return Decision(label, round(score, 4), items)


def _unsupported(direction: int, evidence: dict[str, Evidence], support: Support) -> str | None:
    """None when the postings show the label's direction (rule 5), else why they do not."""
    sign = 1 if direction > 0 else -1
    change = evidence.get("postings_window_change")
    if change is not None and _present(change.value):
        if sign * float(change.value) >= support.min_window_change_pct:  # type: ignore[arg-type]
            return None
    trend = evidence.get("postings_trend")
    if support.trend_ci_excludes_zero and trend is not None and trend.ci is not None:
        low, high = trend.ci
        if (sign > 0 and low > 0) or (sign < 0 and high < 0):
            return None
    moved = (
        f"postings moved {float(change.value):+.1f}%"  # type: ignore[arg-type]
        if change is not None and _present(change.value)
        else "no window change on enough postings"
    )
    interval = (
        "the trend's interval includes zero"
        if trend is not None and trend.ci is not None
        else "no trend estimate"
    )
    return (
        f"{moved} (at least {support.min_window_change_pct:g}% needed) and {interval}; "
        "the official figures alone describe occupations, not this role"
    )
