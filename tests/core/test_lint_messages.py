"""Issue 11, "lint that a non-programmer understands": each reported problem reproduced, then fixed.

Every message says what is wrong in plain words, where (1-based line:col of the mistake itself) and
how to fix it; the fix also stands on its own in ``Diagnostic.fix``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from simulator.core.conditions import ConditionError, parse_condition
from simulator.core.diagnostics import Diagnostic
from simulator.core.loader import lint_paths, load_scenario
from simulator.core.models import Scenario
from simulator.core.playtest import random_plays
from simulator.core.safe_yaml import load_yaml
from simulator.core.state_search import search_states

FIXTURES = Path(__file__).parent / "lint_fixtures"
CLEAN = (FIXTURES / "clean.yaml").read_text(encoding="utf-8")


def lint(tmp_path: Path, text: str, name: str = "s.yaml", **kw: int) -> list[Diagnostic]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return lint_paths([path], **kw)


def where(diags: Iterable[Diagnostic]) -> list[tuple[int, int, str]]:
    return [(d.line, d.col, d.code) for d in diags]


def edit(old: str, new: str) -> str:
    assert old in CLEAN, old
    return CLEAN.replace(old, new, 1)


# --- YAML syntax errors: plain words, the fix, at the line of the mistake ------------------------

SYNTAX = {
    # name: (text, (line, col), words in the message, words in the fix)
    "tab indent": (edit("        to: done\n", "\tto: done\n"), (17, 1), "indented with a tab", "spaces"),
    "colon in text": (
        edit('customer: "Where is my parcel?"', "customer: Note: where is my parcel?"),
        (14, 19),
        "holds ': '",
        'customer: "Note: where is my parcel?"',
    ),
    "missing colon after a key": (edit("        to: done\n", "        to done\n"), (17, 11), "no ':'", "to: done"),
    "missing colon, next line is a key": (edit("  - id: done\n", "  - id done\n"), (24, 7), "no ':'", "id: done"),
    "key alone without colon": (edit("    replies:\n", "    replies\n"), (15, 12), "no ':'", "replies:"),
    "unclosed double quote": (
        edit('customer: "Where is my parcel?"', 'customer: "Where is my parcel?'),
        (14, 15),
        "not closed",
        'closing "',
    ),
    "unclosed quote at the end": (
        edit("summary: Gone.}", 'summary: "Gone.}'),
        (27, 47),
        "never closed",
        'closing "',
    ),
    "unclosed brace": (edit("traits: {empathy: 2}", "traits: {empathy: 2"), (18, 17), "'{' is never closed", "'}'"),
    "unclosed bracket": (edit("focus: [empathy]", "focus: [empathy"), (9, 8), "'[' is never closed", "']'"),
    "text after a closing quote": (
        edit('customer: "Where is my parcel?"', 'customer: "Where is" my parcel?'),
        (14, 26),
        "after its closing quote",
        "quotes",
    ),
    "text starting with a bracket": (
        edit('customer: "Where is my parcel?"', "customer: [on hold] where is it"),
        (14, 15),
        "read as a list",
        '"[on hold] where is it"',
    ),
    "line indented out of step": (
        edit("        to: done\n", "         to: done\n"),
        (17, 10),
        "indented by 9 spaces",
        "indent it",
    ),
    "backtick": (
        edit('customer: "Where is my parcel?"', "customer: `sigh` ok"),
        (14, 15),
        "cannot start with '`'",
        '"',
    ),
}


@pytest.mark.parametrize("case", list(SYNTAX))
def test_syntax_errors_are_explained_at_the_mistake(tmp_path: Path, case: str) -> None:
    text, pos, words, fix = SYNTAX[case]
    [diag] = lint(tmp_path, text)
    assert (diag.line, diag.col, diag.code) == (*pos, "FL003"), str(diag)
    assert words in diag.message, diag.message
    assert diag.fix is not None and fix in diag.fix and diag.fix in diag.message, diag
    assert "mapping values" not in diag.message and "token" not in diag.message


# --- Schema errors: where in words, the allowed range, the fix ------------------------------------


def test_a_trait_delta_in_words_names_the_reply_and_node_and_the_range(tmp_path: Path) -> None:
    text = edit("  - id: start", "  - id: insult").replace("traits: {empathy: 2}", "traits: {empathy: high}")
    [diag] = lint(tmp_path, text)
    assert (diag.line, diag.col, diag.code) == (18, 27, "FL101")
    assert diag.message.startswith(
        "reply 1 of node 'insult': trait deltas are whole numbers from -3 to 3, not the text 'high'"
    )
    assert "nodes." not in diag.message and diag.fix is not None


@pytest.mark.parametrize(
    "old,new,pos,words",
    [
        ("focus: [empathy]", "focus: []", (9, 8), "'focus' needs at least 1 trait id"),
        ("minutes: 2", 'minutes: "2"', (8, 10), "'minutes' is a whole number from 1 to 120, not the text '2'"),
        ("pass_mark: 50", "pass_mark: 150", (11, 12), "'pass_mark' is a whole number from 0 to 100, not 150"),
        ("kind: angry", "kind: angy", (5, 32), "persona: 'kind' is one of angry, confused or rude"),
        ("        to: done\n", "        to: dnoe\n", (17, 13), None),  # a valid id: FL200's "did you mean", below
        ("        to: done\n", "        to: the done\n", (17, 13), "reply 1 of node 'start': 'to' is an id"),
    ],
)
def test_schema_messages_are_plain_and_one_based(
    tmp_path: Path, old: str, new: str, pos: tuple[int, int], words: str | None
) -> None:
    diags = lint(tmp_path, edit(old, new))
    assert (diags[0].line, diags[0].col) == pos, [str(d) for d in diags]
    if words is not None:
        assert words in diags[0].message, diags[0].message
    assert diags[0].fix, diags[0]


def test_an_unknown_key_suggests_the_known_one_as_a_fix(tmp_path: Path) -> None:
    [diag] = lint(tmp_path, edit("        why: Sincere.\n", "        why: Sincere.\n        moood: 1\n"))
    assert (diag.line, diag.col, diag.code) == (20, 9, "FL102")
    assert "reply 1 of node 'start'" in diag.message and diag.fix == "rename it to 'mood'"


def test_a_missing_field_names_its_owner_and_says_what_it_is_for(tmp_path: Path) -> None:
    [diag] = lint(tmp_path, edit("        why: Sincere.\n", ""))
    assert (diag.line, diag.col, diag.code) == (16, 9, "FL100")
    assert diag.message.startswith("reply 1 of node 'start' has no 'why'") and "helps or hurts" in diag.message


# --- FL104: at the bad character, with the operator to write ---------------------------------------


@pytest.mark.parametrize(
    "condition,column,fix",
    [
        ("mood => 0", 6, "write '>=' instead of '=>'"),
        ("mood =< 0", 6, "write '<=' instead of '=<'"),
        ("mood = 0", 6, "write '==' instead of '='"),
        ("mood <> 0", 7, "write '!=' instead of '<>'"),
        ("a && b", 3, "write 'and' instead of '&&'"),
        ("a || b", 3, "write 'or' instead of '||'"),
        ("!a", 1, "write 'not' instead of '!'"),
        ("mood > 1 AND a", 10, "write 'and' in lower case"),
        ("a b", 3, "put 'and' or 'or' between them"),
    ],
)
def test_condition_errors_point_at_the_bad_character_and_suggest_the_operator(
    condition: str, column: int, fix: str
) -> None:
    with pytest.raises(ConditionError) as info:
        parse_condition(condition)
    assert (info.value.column, info.value.fix) == (column, fix)
    assert fix in str(info.value)


@pytest.mark.parametrize("quote", ["", '"', "'"])
def test_fl104_is_positioned_at_the_bad_character_in_the_file(tmp_path: Path, quote: str) -> None:
    text = edit("        to: lost\n", f"        if: {quote}mood => 0{quote}\n        to: lost\n")
    [diag] = lint(tmp_path, text)
    # 'if: ' ends at column 12; the '=' is the condition's 6th character, after the quote if there is one
    assert (diag.line, diag.col, diag.code) == (21, 18 + len(quote), "FL104")
    assert "reply 2 of node 'start'" in diag.message and diag.fix == "write '>=' instead of '=>'"


# --- Schema errors no longer hide the graph warnings ----------------------------------------------

ORPHAN = "  - id: orphan\n    ending: {outcome: resolved, summary: Never seen.}\n"


def test_a_schema_error_does_not_hide_unreachable_nodes(tmp_path: Path) -> None:
    text = edit("traits: {empathy: 2}", "traits: {empathy: high}") + ORPHAN
    assert where(lint(tmp_path, text)) == [(18, 27, "FL101"), (28, 9, "FL202")]


def test_a_schema_error_does_not_hide_unknown_flags(tmp_path: Path) -> None:
    text = edit("minutes: 2", 'minutes: "2"').replace("        to: lost\n", "        if: knows_nme\n        to: lost\n")
    assert where(lint(tmp_path, text)) == [(8, 10, "FL101"), (21, 13, "FL304")]


def test_a_repaired_node_keeps_its_reply_numbers(tmp_path: Path) -> None:
    # Reply 1 cannot be kept (no target), so the repaired node has one reply: its warning must still
    # point at reply 2 in the file.
    text = edit("        to: done\n", "").replace(
        "        to: lost\n", "        if: nobody_sets_this\n        to: lost\n"
    )
    # 'done' is unreachable as written (the reply that led there has no 'to'), so FL202 is right too;
    # FL203 (every reply conditional) would judge the repaired node's content, so it stays quiet.
    assert where(lint(tmp_path, text)) == [(16, 9, "FL100"), (20, 13, "FL304"), (24, 9, "FL202")]


def test_a_mistyped_target_key_is_read_as_meant_for_the_graph(tmp_path: Path) -> None:
    # 'too: lost' is FL102 (and 'to' is missing, FL100), and the graph still knows the reply leads to
    # 'lost', so 'lost' is not called unreachable.
    found = where(lint(tmp_path, edit("        to: lost\n", "        too: lost\n")))
    assert found == [(20, 9, "FL100"), (21, 9, "FL102")]


def test_content_warnings_stay_quiet_on_a_repaired_node(tmp_path: Path) -> None:
    # 'high' is repaired to a placeholder; the reply must not then be called dominated or unscored.
    text = edit("traits: {empathy: 2}", "traits: {empathy: high}")
    assert [d.code for d in lint(tmp_path, text)] == ["FL101"]


# --- FL208: conditions that never hold ----------------------------------------------------------


def test_a_route_no_play_can_take_and_the_node_behind_it_are_reported(tmp_path: Path) -> None:
    text = (FIXTURES / "FL208.yaml").read_text(encoding="utf-8")
    diags = lint(tmp_path, text)
    assert where(diags) == [(30, 13, "FL208"), (33, 9, "FL208")]
    assert "mood -4" in diags[0].message and "'happy' can never be reached" in diags[1].message


def test_a_condition_that_can_hold_is_not_reported(tmp_path: Path) -> None:
    # With mood 0 the route always holds: it is not reported, but the route after it is never taken,
    # so 'done' (reachable only through it) is.
    text = (FIXTURES / "FL208.yaml").read_text(encoding="utf-8").replace("mood: -4}", "mood: 0}")
    diags = [d for d in lint(tmp_path, text) if d.code == "FL208"]
    assert where(diags) == [(24, 9, "FL208")] and "'done' can never be reached" in diags[0].message


def test_the_state_search_follows_scores_and_visits(tmp_path: Path) -> None:
    text = edit("        to: lost\n", "        if: score.empathy >= 2 or visits.start > 1\n        to: lost\n")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    scenario = load_scenario(path).scenario
    assert isinstance(scenario, Scenario)
    found = search_states(scenario)
    assert found.complete and ("start", "replies", 1) not in found.held and "lost" not in found.entered
    assert where(d for d in lint(tmp_path, text) if d.code == "FL208") == [(21, 13, "FL208"), (27, 9, "FL208")]


def test_a_search_over_budget_reports_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text((FIXTURES / "FL208.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    scenario = load_scenario(path).scenario
    assert scenario is not None and not search_states(scenario, max_states=1).complete


# --- FL209: two files, one id ---------------------------------------------------------------------


def test_two_files_with_one_id_in_a_folder_are_an_error_in_both(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(CLEAN, encoding="utf-8")
    diags = lint_paths([tmp_path])
    assert [(Path(d.path).name, d.line, d.col, d.code) for d in diags] == [
        ("a.yaml", 2, 5, "FL209"),
        ("b.yaml", 2, 5, "FL209"),
    ]
    assert "b.yaml" in diags[0].message and diags[0].is_error
    (tmp_path / "b.yaml").write_text(CLEAN.replace("id: fixture", "id: other"), encoding="utf-8")
    assert lint_paths([tmp_path]) == []


def test_the_same_id_in_two_libraries_is_fine(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "s.yaml").write_text(CLEAN, encoding="utf-8")
    assert lint_paths([tmp_path / "one", tmp_path / "two"]) == []


# --- FL210: random plays ------------------------------------------------------------------------


def test_explore_reports_a_play_that_gets_stuck(tmp_path: Path) -> None:
    text = (FIXTURES / "FL210.yaml").read_text(encoding="utf-8")
    assert "FL210" not in [d.code for d in lint(tmp_path, text)]
    diags = [d for d in lint(tmp_path, text, explore=20) if d.code == "FL210"]
    assert where(diags) == [(33, 9, "FL210")] and diags[0].is_error
    assert "stuck at node 'ask'" in diags[0].message and "choices 3" in diags[0].message


def test_explore_reports_a_play_that_never_ends(tmp_path: Path) -> None:
    loop = edit("        to: done\n", "        to: again\n").replace("to: lost", "to: again") + (
        "  - id: again\n    routes:\n      - if: visits.again > 5000\n        to: done\n      - to: start\n"
    )
    # Validated without the lint rules: FL206's search is slow on a loop that counts visits (see the report).
    scenario = Scenario.model_validate(load_yaml(loop, "s.yaml").data)
    problems = random_plays(scenario, 3, max_steps=50)
    assert len(problems) == 1 and "went on for 50 steps" in problems[0].message


def test_explore_is_quiet_on_a_clean_file_and_repeats_with_its_seed(tmp_path: Path) -> None:
    assert lint(tmp_path, CLEAN, explore=50) == []
    text = (FIXTURES / "FL210.yaml").read_text(encoding="utf-8")
    first = [d.message for d in lint(tmp_path, text, explore=5, seed=7)]
    assert first == [d.message for d in lint(tmp_path, text, explore=5, seed=7)]


# --- FL000: a missing file is an ordinary diagnostic ----------------------------------------------


def test_a_missing_file_is_fl000_with_a_fix(tmp_path: Path) -> None:
    [diag] = lint_paths([tmp_path / "nope.yaml"])
    assert (diag.line, diag.col, diag.code) == (1, 1, "FL000")
    assert "no file or folder" in diag.message and diag.fix


def test_a_file_with_errors_is_not_compared_until_it_is_fixed(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(CLEAN.replace("minutes: 2", 'minutes: "2"'), encoding="utf-8")
    assert [(Path(d.path).name, d.code) for d in lint_paths([tmp_path])] == [("b.yaml", "FL101")]
