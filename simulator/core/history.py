"""Progress over time, computed from the saved attempts: what the progress screen shows.

Pure data in, plain data out: the attempts a trainee finished, each trait's scores over time,
the weakest traits and the scenarios that train them, and any past attempt's debrief rebuilt
from its record so it can be read again exactly as it was shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from .models import Scenario
from .scoring import Alternative, Debrief, KeyMoment, StepReview, Tip, TraitScore
from .storage import AttemptRecord

WEAKEST = 3


@dataclass(frozen=True)
class TrendPoint:
    when: str  # ISO timestamp of the attempt
    score: int
    scenario_id: str


@dataclass(frozen=True)
class WeakTrait:
    trait_id: str
    name: str
    average: float  # mean score over the attempts that assessed it
    attempts: int
    scenarios: tuple[tuple[str, str], ...]  # (id, title) of library scenarios with the trait in focus


def debrief_from_dict(data: dict[str, Any]) -> Debrief:
    """The Debrief a record keeps (``Debrief.to_dict()``), rebuilt; ValueError when it cannot be."""
    try:
        traits = [TraitScore(**_known(TraitScore, t)) for t in data.get("trait_details", [])]
        steps = []
        for s in data.get("steps", []):
            best = s.get("best")
            steps.append(
                StepReview(
                    **{**_known(StepReview, s), "best": Alternative(**_known(Alternative, best)) if best else None}
                )
            )
        moments = [KeyMoment(**_known(KeyMoment, m)) for m in data.get("key_moments", [])]
        tips = [Tip(**_known(Tip, t)) for t in data.get("tips", [])]
        plain = {k: v for k, v in _known(Debrief, data).items() if k not in ("traits", "steps", "key_moments", "tips")}
        return Debrief(**plain, traits=traits, steps=steps, key_moments=moments, tips=tips)
    except (TypeError, AttributeError) as exc:
        raise ValueError(f"the saved debrief cannot be read: {exc}") from None


def _known(cls: type, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise TypeError(f"expected an object for {cls.__name__}")
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def finished(records: Iterable[AttemptRecord]) -> list[AttemptRecord]:
    return [r for r in records if r.finished and r.debrief]


def trait_trends(records: Sequence[AttemptRecord]) -> dict[str, list[TrendPoint]]:
    """Each trait's assessed scores in time order, over finished attempts."""
    trends: dict[str, list[TrendPoint]] = {}
    for record in sorted(finished(records), key=lambda r: r.updated_at):
        for trait, score in (record.debrief or {}).get("traits", {}).items():
            if isinstance(score, int):
                trends.setdefault(trait, []).append(TrendPoint(record.updated_at, score, record.scenario_id))
    return trends


def weakest_traits(
    records: Sequence[AttemptRecord],
    trait_names: dict[str, str],
    library: Sequence[Scenario] = (),
    count: int = WEAKEST,
    recent: int = 5,
) -> list[WeakTrait]:
    """The traits with the lowest average (under 100) over each one's last ``recent`` assessed scores,
    with the library scenarios that have them in focus (ones the trainee has not passed first)."""
    trends = trait_trends(records)
    passed = {r.scenario_id for r in finished(records) if r.passed}
    ranked = sorted(
        ((sum(p.score for p in pts[-recent:]) / len(pts[-recent:]), trait, len(pts)) for trait, pts in trends.items()),
        key=lambda item: (item[0], item[1]),
    )
    weak = []
    # A trait always at 100 is not weak, however few the traits.
    for average, trait, attempts in [r for r in ranked if r[0] < 100][:count]:
        training = sorted((s for s in library if trait in s.focus), key=lambda s: (s.id in passed, s.title))
        weak.append(
            WeakTrait(
                trait_id=trait,
                name=trait_names.get(trait, trait),
                average=round(average, 1),
                attempts=attempts,
                scenarios=tuple((s.id, s.title) for s in training[:3]),
            )
        )
    return weak
