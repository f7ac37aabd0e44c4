"""Progress from the records: trends per trait, the weakest traits and where to train them, old debriefs read back."""

from __future__ import annotations

from pathlib import Path

from simulator.core import AttemptStore, load_playable, load_rubric, replay
from simulator.core.history import debrief_from_dict, trait_trends, weakest_traits

GOLDEN = Path(__file__).parent / "golden" / "late-parcel.yaml"


def _play(store: AttemptStore, choices: list[int | str]) -> None:
    playable = load_playable(GOLDEN)
    assert playable.scenario is not None and playable.rubric is not None
    replay(playable.scenario, playable.rubric, playable.analysis, choices, store=store)


def test_a_saved_debrief_reads_back_exactly(tmp_path: Path) -> None:
    store = AttemptStore(tmp_path / "a.db")
    playable = load_playable(GOLDEN)
    assert playable.scenario is not None and playable.rubric is not None
    _, debrief = replay(playable.scenario, playable.rubric, playable.analysis, [2, 1, 2], store=store)
    [record] = store.attempts()
    assert record.debrief is not None
    assert debrief_from_dict(record.debrief) == debrief


def test_trends_and_the_weakest_traits(tmp_path: Path) -> None:
    store = AttemptStore(tmp_path / "a.db")
    for choices in ([3, 2], [2, 1, 2], [1, 1, 1]):
        _play(store, choices)
    trends = trait_trends(store.attempts())
    assert [p.score for p in trends["ownership"]] == [
        r.debrief["traits"]["ownership"] for r in store.attempts() if r.debrief
    ]
    assert trends["ownership"][-1].score == 100
    scenario = load_playable(GOLDEN).scenario
    assert scenario is not None
    names = {t.id: t.name for t in load_rubric().traits}
    weak = weakest_traits(store.attempts(), names, [scenario])
    averages = [w.average for w in weak]
    assert averages == sorted(averages) and all(a < 100 for a in averages) and 1 <= len(weak) <= 3
    everything = sorted(
        (sum(p.score for p in pts) / len(pts), t) for t, pts in trends.items()
    )  # three attempts, all within "recent"
    assert [w.trait_id for w in weak] == [t for a, t in everything if a < 100][:3]
    for w in weak:
        assert w.name == names[w.trait_id]
        assert w.scenarios == ((("late-parcel", scenario.title),) if w.trait_id in scenario.focus else ())


def test_unfinished_attempts_do_not_count(tmp_path: Path) -> None:
    store = AttemptStore(tmp_path / "a.db")
    _play(store, [2])  # stops mid-way
    assert trait_trends(store.attempts()) == {}
    assert weakest_traits(store.attempts(), {}) == []
