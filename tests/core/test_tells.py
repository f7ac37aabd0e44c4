"""The guessability report: how often press 1, the longest reply and the only flawless reply give the answer away.

The fixtures in tells_fixtures/ are small enough to count by hand:

- obvious (angry): 2 decision points, 3 and 2 replies, one model answer each, always first, longest and the only
  reply without a negative delta. Chance (1/3 + 1/2) / 2 = 5/12.
- hidden (confused): 2 decision points (3 and 2 replies, one model answer each; a node with one reply does not
  count), the model answer never first nor longest, always the second-longest, and never the only flawless reply.
  The second point's model answer has an `if:` and counts all the same.
- ties (rude): `fee` has 4 replies, two model answers (chance 2/4), the first reply is not one, and the two longest
  tie (one model answer among them: 1/2, for the longest and the second-longest alike). `tone` has 3 equally long
  replies (1/3 each), the first is the one model answer and the only flawless reply.

Shortest, courteous (sorry/thank/please/understand and the customer's name, titles aside) and close calls:

- obvious: the shortest is never the model answer; reply 1 of `opening` alone says "sorry" and "Sam" (1), `found`
  has no courtesy word anywhere (a blind pick, 1/2); no second reply comes within a point (0 close calls).
- hidden: `opening` values 1, 1, 2 (close), `plan` 1, 2 (close) and its shortest reply is the model answer.
- ties: `fee` says "Mr Lee" in replies 1 and 2 (only "Lee" counts) and two replies tie for the top (close);
  `tone` has three replies of 26 characters (shortest 1/3), "Understood" and "Mr Lee" tie for courteous (1/2).
"""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from simulator.cli.main import main
from simulator.core import load_scenario
from simulator.core.models import Node, Scenario
from simulator.core.tells import DecisionPoint, Rates, decision_point, rates, scenario_tells, tells_report

FIXTURES = Path(__file__).parent / "tells_fixtures"


def load(name: str) -> Scenario:
    loaded = load_scenario(FIXTURES / f"{name}.yaml")
    assert loaded.scenario is not None and not [d for d in loaded.diagnostics if d.is_error], loaded.diagnostics
    return loaded.scenario


def pct(value: Fraction) -> float:
    return float(100 * value)


def node(*replies: tuple[str, dict[str, int]]) -> Node:
    return Node.model_validate(
        {"id": "n", "replies": [{"text": text, "to": "end", "why": "because", "traits": t} for text, t in replies]}
    )


def test_fixtures_lint_clean() -> None:
    for path in sorted(FIXTURES.glob("*.yaml")):
        assert load_scenario(path).diagnostics == [], path


def test_model_answer_always_first_longest_and_only_flawless() -> None:
    tells = scenario_tells(load("obvious"))
    assert tells.scenario_id == "tells-obvious" and tells.kind == "angry"
    assert [(p.node_id, p.replies, p.model_answers, p.chance) for p in tells.points] == [
        ("opening", 3, (1,), Fraction(1, 3)),
        ("found", 2, (1,), Fraction(1, 2)),
    ]
    assert tells == tells.__class__(
        decision_points=2,
        chance=pct(Fraction(5, 12)),
        first=100.0,
        longest=100.0,
        longest_if_angry=100.0,
        shortest=0.0,
        politest=75.0,
        only_flawless=100.0,
        close_call=0.0,
        scenario_id="tells-obvious",
        kind="angry",
        points=tells.points,
    )
    assert tells.above_chance("first") == pytest.approx(100 - 500 / 12)


def test_model_answer_never_first_nor_longest_but_second_longest() -> None:
    tells = scenario_tells(load("hidden"))
    assert [p.node_id for p in tells.points] == ["opening", "plan"]  # `check` has one reply
    assert [p.model_answers for p in tells.points] == [(3,), (2,)]
    assert (tells.decision_points, tells.chance) == (2, pct(Fraction(5, 12)))
    assert (tells.first, tells.longest, tells.longest_if_angry, tells.only_flawless) == (0.0, 0.0, 100.0, 0.0)
    assert tells.above_chance("longest") == pytest.approx(-500 / 12)


def test_ties_for_the_top_and_for_the_longest() -> None:
    fee, tone = scenario_tells(load("ties")).points
    assert fee == DecisionPoint(
        node_id="fee",
        replies=4,
        model_answers=(2, 3),
        chance=Fraction(1, 2),
        first=Fraction(0),
        longest=Fraction(1, 2),
        longest_if_angry=Fraction(1, 2),  # rude: the second-longest, tied with the longest
        shortest=Fraction(0),
        politest=Fraction(1, 2),
        only_flawless=False,  # replies 2 and 3 are both flawless
        close_call=True,
    )
    assert tone == DecisionPoint(
        node_id="tone",
        replies=3,
        model_answers=(1,),
        chance=Fraction(1, 3),
        first=Fraction(1),
        longest=Fraction(1, 3),
        longest_if_angry=Fraction(1, 3),
        shortest=Fraction(1, 3),
        politest=Fraction(1, 2),
        only_flawless=True,
        close_call=False,
    )
    tells = scenario_tells(load("ties"))
    assert tells.chance == pytest.approx(500 / 12) and tells.first == 50.0
    assert tells.longest == tells.longest_if_angry == tells.chance
    assert tells.above_chance("longest") == 0.0 and tells.only_flawless == 50.0


def test_second_longest_tie_below_a_unique_longest() -> None:
    # Lengths 12, 5, 5: the longest is reply 1; the second-longest is reply 2 or 3 at random.
    point = decision_point(node(("twelve chars", {"empathy": 1}), ("five!", {"empathy": 2}), ("five.", {})), False)
    assert point is not None
    assert (point.model_answers, point.longest, point.longest_if_angry) == ((2,), Fraction(0), Fraction(1, 2))
    angry = decision_point(node(("twelve chars", {"empathy": 1}), ("five!", {"empathy": 2}), ("five.", {})), True)
    assert angry is not None and angry.longest_if_angry == Fraction(0)


def test_the_only_flawless_reply_must_be_a_model_answer() -> None:
    # Reply 2 is the only one without a negative delta, but reply 1 is worth more.
    point = decision_point(node(("a", {"empathy": 3, "ownership": -1}), ("b", {"empathy": 1})), False)
    assert point is not None and point.model_answers == (1,) and point.only_flawless is False
    point = decision_point(node(("a", {"empathy": 1, "ownership": -1}), ("b", {"empathy": 1})), False)
    assert point is not None and point.model_answers == (2,) and point.only_flawless is True
    # Tied for the top with a flawed reply: the flawless one is still a model answer.
    point = decision_point(node(("a", {"empathy": 2, "ownership": -1}), ("b", {"empathy": 1})), False)
    assert point is not None and point.model_answers == (1, 2) and point.only_flawless is True


def test_a_single_reply_is_not_a_decision_point() -> None:
    assert decision_point(node(("only", {"empathy": 1})), True) is None


def test_unreachable_nodes_do_not_count(tmp_path: Path) -> None:
    orphan = (
        "  - id: orphan\n"
        '    customer: "Nobody gets here."\n'
        "    replies:\n"
        '      - {text: "Short.", to: lost, why: "w", traits: {empathy: -1}}\n'
        '      - {text: "The longest reply of all.", to: lost, why: "w", traits: {empathy: 1}}\n'
    )
    path = tmp_path / "orphan.yaml"
    path.write_text((FIXTURES / "obvious.yaml").read_text(encoding="utf-8") + orphan, encoding="utf-8")
    loaded = load_scenario(path)
    assert loaded.scenario is not None and loaded.scenario.has_node("orphan")
    assert [p.node_id for p in scenario_tells(loaded.scenario).points] == ["opening", "found"]


def test_no_decision_points_gives_no_rates() -> None:
    assert rates([]) == Rates(0, None, None, None, None, None, None, None, None)
    assert rates([]).above_chance("first") is None


def test_overall_pools_every_decision_point() -> None:
    report = tells_report([load("hidden"), load("obvious"), load("ties")])
    assert [t.scenario_id for t in report.scenarios] == ["tells-hidden", "tells-obvious", "tells-ties"]
    overall = report.overall
    assert overall.decision_points == 6
    assert overall.chance == pytest.approx(500 / 12)
    assert overall.first == 50.0
    assert overall.longest == pytest.approx(100 * 17 / 36)  # (0 + 0 + 1 + 1 + 1/2 + 1/3) / 6
    assert overall.longest_if_angry == pytest.approx(100 * 29 / 36)  # (1 + 1 + 1 + 1 + 1/2 + 1/3) / 6
    assert overall.only_flawless == 50.0
    assert overall.shortest == pytest.approx(100 * 2 / 9)  # (0 + 0 + 0 + 1 + 0 + 1/3) / 6
    assert overall.politest == pytest.approx(100 * 5 / 9)  # (1 + 1/2 + 1/3 + 1/2 + 1/2 + 1/2) / 6
    assert overall.close_call == 50.0


def test_failures_against_the_gate() -> None:
    report = tells_report([load("hidden"), load("obvious"), load("ties")])
    # Above chance: press 1 +8.3, longest +5.6, kind-longest +38.9, shortest -19.4, courteous +13.9;
    # only flawless 50% (not above 50); close calls 50% (not below 20).
    assert report.failures(40) == []
    [problem] = report.failures(38)
    assert problem.startswith('"longest if the customer is angry, else second-longest" finds the model answer 80.6%')
    assert len(report.failures(13)) == 2 and len(report.failures(8)) == 3 and len(report.failures(5)) == 4
    assert report.failures(40, min_close_calls=51) == [
        "only 50.0% of decision points offer two defensible replies within one point of each other; at least 51% should"
    ]
    obvious = tells_report([load("obvious")])
    flawless, close = obvious.failures(100)
    assert "only reply without a flaw at 100.0% of decision points" in flawless
    assert close.startswith("only 0.0% of decision points offer two defensible replies")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "coverage", "--tells", str(FIXTURES))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == [
        "scenario", "points", "chance", "press", "1", "longest", "kind-longest", "shortest", "courteous", "no", "flaw",
        "close",
    ]  # fmt: skip
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:] if line.startswith(("tells-", "overall"))}
    assert rows == {
        "tells-hidden": "2 41.7% 0.0% -41.7 0.0% -41.7 100.0% +58.3 50.0% +8.3 41.7% +0.0 0.0% 100.0%".split(),
        "tells-obvious": "2 41.7% 100.0% +58.3 100.0% +58.3 100.0% +58.3 0.0% -41.7 75.0% +33.3 100.0% 0.0%".split(),
        "tells-ties": "2 41.7% 50.0% +8.3 41.7% +0.0 41.7% +0.0 16.7% -25.0 50.0% +8.3 50.0% 50.0%".split(),
        "overall": "6 41.7% 50.0% +8.3 47.2% +5.6 80.6% +38.9 22.2% -19.4 55.6% +13.9 50.0% 50.0%".split(),
    }
    assert list(rows) == ["tells-hidden", "tells-obvious", "tells-ties", "overall"]


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "coverage", str(FIXTURES), "--tells", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["overall"] == {
        "decision_points": 6,
        "chance": 41.67,
        "shortcuts": {
            "first": {"hit": 50.0, "above_chance": 8.33},
            "longest": {"hit": 47.22, "above_chance": 5.56},
            "longest_if_angry": {"hit": 80.56, "above_chance": 38.89},
            "shortest": {"hit": 22.22, "above_chance": -19.44},
            "politest": {"hit": 55.56, "above_chance": 13.89},
        },
        "only_flawless": 50.0,
        "close_call": 50.0,
    }
    ties = {s["id"]: s for s in data["scenarios"]}["tells-ties"]
    assert (ties["kind"], ties["decision_points"], ties["only_flawless"]) == ("rude", 2, 50.0)
    assert ties["nodes"][0] == {
        "node": "fee",
        "replies": 4,
        "model_answers": [2, 3],
        "chance": 0.5,
        "hits": {"first": 0.0, "longest": 0.5, "longest_if_angry": 0.5, "shortest": 0.0, "politest": 0.5},
        "only_flawless": False,
        "close_call": True,
    }


@pytest.mark.parametrize(("limit", "code"), [("40", 0), ("38.5", 1), ("0", 1)])
def test_cli_max_above_chance(capsys: pytest.CaptureFixture[str], limit: str, code: int) -> None:
    got, out, err = run(capsys, "coverage", "--tells", str(FIXTURES), "--max-above-chance", limit)
    assert got == code and "overall" in out
    assert ("kind-longest" in out) and (("else second-longest" in err) == (code == 1))


def test_cli_only_flawless_gate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "obvious.yaml", tmp_path)
    code, _, err = run(capsys, "coverage", "--tells", str(tmp_path), "--max-above-chance", "100")
    assert code == 1 and "without a flaw at 100.0%" in err and "finds the model answer" not in err
    assert "only 0.0% of decision points offer two defensible replies" in err
    shutil.copy(FIXTURES / "hidden.yaml", tmp_path)  # only flawless now 1 of 4 decision points
    code, _, err = run(capsys, "coverage", "--tells", str(tmp_path), "--max-above-chance", "100")
    assert (code, err) == (0, "")


def test_cli_usage_and_broken_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "coverage", str(FIXTURES), "--max-above-chance", "10")[0] == 2
    assert run(capsys, "coverage", "--tells", str(tmp_path / "nope"))[0] == 2
    shutil.copy(FIXTURES / "ties.yaml", tmp_path)
    (tmp_path / "broken.yaml").write_text("format: 1\n", encoding="utf-8")
    code, out, err = run(capsys, "coverage", "--tells", str(tmp_path))
    assert code == 1 and "broken.yaml: skipped" in err and "tells-ties" in out
    # Without --tells the trait coverage table is unchanged.
    code, out, _ = run(capsys, "coverage", str(FIXTURES))
    assert code == 0 and out.splitlines()[1].startswith("empathy")


def test_courtesy_words_count_markers_and_the_name_but_not_titles() -> None:
    from simulator.core.tells import courtesy_words

    assert courtesy_words("I'm so sorry, Mr Lee. Thank you, and please bear with me; I understand.", "Mr Lee") == 5
    assert courtesy_words("Mr Smith, we'll fix it.", "Mr Lee") == 0
    assert courtesy_words("Understood. Apologies, Sam.", "Sam Okafor") == 3


def test_a_single_file_can_be_measured(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "coverage", "--tells", str(FIXTURES / "ties.yaml"))
    assert code == 0
    rows = [line.split()[0] for line in out.splitlines()[1:4]]
    assert rows[0] == "tells-ties" and set(rows[1]) == {"-"} and rows[2] == "overall"
