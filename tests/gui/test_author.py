"""The author window: graph of a bundled scenario, lint panel, live reload, and Play from here."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor

from simulator.core import load_playable
from simulator.core.graph import BEST_COLOUR, OUTCOME_COLOURS, WORST_COLOUR, path_choices
from simulator.core.resources import bundled_scenarios_dir
from simulator.gui.author_graph import BATCH
from simulator.gui.author_play import PlayWindow
from simulator.gui.author_window import AuthorWindow

BUNDLED = bundled_scenarios_dir() / "angry-car-rental.yaml"
TIMEOUT = 10_000


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    """A copy of a bundled scenario beside the bundled rubric, so the test may edit it."""
    folder = tmp_path / "authoring"
    folder.mkdir()
    target = folder / BUNDLED.name
    shutil.copyfile(BUNDLED, target)
    return target


@pytest.fixture
def open_author(qtbot, clock) -> Callable[[Path], AuthorWindow]:
    def factory(path: Path) -> AuthorWindow:
        window = AuthorWindow(path, clock=clock, reload_delay_ms=50)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        with qtbot.waitSignal(window.file_reloaded, timeout=TIMEOUT) as loaded:
            window.show()
        assert loaded.args == [True]
        return window

    return factory


def test_the_graph_of_a_bundled_scenario(open_author) -> None:
    window = open_author(BUNDLED)
    entry = load_playable(BUNDLED)
    assert entry.scenario is not None and entry.analysis is not None
    view = window.view
    assert sorted(view.nodes) == sorted(n.id for n in entry.scenario.nodes)
    expected_edges = sum(len(n.replies or n.routes or []) + (n.timeout is not None) for n in entry.scenario.nodes)
    assert len(view.edges) == expected_edges
    resolved = next(n.id for n in entry.scenario.nodes if n.ending and n.ending.outcome == "resolved")
    assert view.nodes[resolved].brush().color() == QColor(OUTCOME_COLOURS["resolved"])
    labels = {e.label.text().replace("\n", " ") for e in view.edges if e.edge.source == entry.scenario.start_id}
    assert "2: empathy +2, active_listening +1, timeliness +1" in labels
    assert window.problems.count() == 0 and window.problems_heading.text() == "Problems: none"

    # The best and worst overall paths are those `frontline stats` reports from the analysis, drawn in colour.
    best, worst = view.highlighted()
    assert path_choices(window.graph, sorted(best, key=_path_order(window, best))) == entry.analysis.best_path
    assert path_choices(window.graph, sorted(worst, key=_path_order(window, worst))) == entry.analysis.worst_path
    only_best = next(iter(best - worst))
    assert view.edges[only_best].pen().color() == QColor(BEST_COLOUR)
    assert view.edges[next(iter(worst - best))].pen().color() == QColor(WORST_COLOUR)

    # A trait of its own: the highlighted path reaches that trait's best total.
    window.trait_choice.setCurrentIndex(window.trait_choice.findData("empathy"))
    best, _ = view.highlighted()
    assert (
        sum(window.graph.edges[i].deltas.get("empathy", 0) for i in best) == entry.analysis.trait_bounds["empathy"].best
    )

    # Selecting a node shows its text and replies.
    view.select_node("lookup")
    lookup = entry.scenario.node("lookup")
    text = window.details.toPlainText()
    assert lookup.customer is not None and lookup.customer.split(".")[0] in text
    assert all(reply.text[:30] in text for reply in lookup.replies or [])
    assert window.start_label.text() == "Start at: lookup"


def _path_order(window: AuthorWindow, path: set[int]):
    """Order a path's edge indexes from the start, following each edge's target."""
    by_source = {window.graph.edges[i].source: i for i in path}
    order: dict[int, int] = {}
    node = window.graph.start
    while node in by_source:
        order[by_source[node]] = len(order)
        node = window.graph.edges[by_source[node]].target
    return order.__getitem__


def test_zoom_hides_small_labels_and_a_click_selects_a_node(qtbot, open_author) -> None:
    window = open_author(BUNDLED)
    view = window.view
    view.reset_zoom()
    assert view.edges[0].label.isVisible()
    while view.scale_factor >= 0.5:
        window.zoom_out_button.click()
    assert not view.edges[0].label.isVisible()
    window.zoom_in_button.click()
    assert view.scale_factor > 0.5 * 0.99
    item = view.nodes["opening"]
    view.centerOn(item)
    with qtbot.waitSignal(view.node_selected, timeout=TIMEOUT) as selected:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(item.sceneBoundingRect().center())
        )
    assert selected.args == ["opening"]


def test_the_lint_panel_selects_the_node_of_a_diagnostic(open_author, scenario_file: Path) -> None:
    text = scenario_file.read_text(encoding="utf-8")
    stray = "\n".join(
        [
            "",
            "  - id: stray_note",
            "    customer: Nobody links here.",
            "    ending: {outcome: resolved, summary: Never seen.}",
            "",
        ]
    )
    # Into the node list, which the file's `checks:` section (if any) follows.
    head, sep, checks = text.partition("\nchecks:")
    scenario_file.write_text(head.rstrip("\n") + stray + "\n" + sep.lstrip("\n") + checks, encoding="utf-8")
    window = open_author(scenario_file)
    rows = [window.problems.item(i).text() for i in range(window.problems.count())]
    unreachable = next(i for i, row in enumerate(rows) if "FL202" in row)
    assert "(node stray_note)" in rows[unreachable]
    window.problems.setCurrentRow(unreachable)
    assert window.view.selected_node() == "stray_note"
    assert "Nobody links here." in window.details.toPlainText()


def test_the_view_reloads_when_the_file_changes_and_keeps_the_last_good_graph(
    qtbot, open_author, scenario_file: Path
) -> None:
    window = open_author(scenario_file)
    window.view.select_node("lookup")
    original = scenario_file.read_text(encoding="utf-8")
    first_line = original.split("customer: ", 1)[1].splitlines()[0]

    # A save: the new text is read and drawn, and the selected node stays selected.
    with qtbot.waitSignal(window.file_reloaded, timeout=TIMEOUT) as reloaded:
        scenario_file.write_text(original.replace(first_line, '"Fifty-one minutes, in fact."', 1), encoding="utf-8")
    assert reloaded.args == [True]
    assert window.view.selected_node() == "lookup"
    window.view.select_node("opening")
    assert "Fifty-one minutes, in fact." in window.details.toPlainText()

    # A save that breaks the file: its errors are listed, the last good graph stays, play waits for a fix.
    nodes_before = set(window.view.nodes)
    with qtbot.waitSignal(window.file_reloaded, timeout=TIMEOUT) as reloaded:
        scenario_file.write_text(original.replace("pass_mark:", "pass_mark: high\nx_pass_mark:", 1), encoding="utf-8")
    assert reloaded.args == [False]
    rows = [window.problems.item(i).text() for i in range(window.problems.count())]
    assert any(": error: " in row for row in rows)
    assert "has " in window.status_label.text() and "last version that loaded" in window.status_label.text()
    assert set(window.view.nodes) == nodes_before and not window.view.building
    assert not window.play_button.isEnabled()

    # Saved again by renaming a new file over it, as many editors do: still watched, and the fix is drawn.
    replacement = scenario_file.with_name(".save.tmp")
    replacement.write_text(original, encoding="utf-8")
    with qtbot.waitSignal(window.file_reloaded, timeout=TIMEOUT) as reloaded:
        replacement.replace(scenario_file)
    assert reloaded.args == [True]
    assert window.problems.count() == 0
    assert str(scenario_file) in window.watcher.files()


def test_play_from_here_starts_at_the_node_with_the_mood_and_flags_chosen(qtbot, open_author, clock) -> None:
    window = open_author(BUNDLED)
    entry = load_playable(BUNDLED)
    assert entry.scenario is not None
    assert window.mood_choice.value() == entry.scenario.persona.mood
    window.view.select_node("lookup")
    window.mood_choice.setValue(2)
    window.set_flag("knows_child_seats")
    assert window.play_button.isEnabled()
    with qtbot.waitSignal(window.play_started, timeout=TIMEOUT) as started:
        qtbot.mouseClick(window.play_button, Qt.MouseButton.LeftButton)
    play: PlayWindow = started.args[0]
    qtbot.waitUntil(play.isVisible, timeout=TIMEOUT)
    session = play.conversation.session
    assert session is not None and session is play.session
    assert session.state.start_node == "lookup" and session.state.node_id == "lookup"
    assert session.state.mood == 2 and session.state.flags == ["knows_child_seats"]
    assert session.store is None
    # The conversation shows that node, as the trainee would see it, in the file's order of replies.
    customer = entry.scenario.node("lookup").customer
    assert customer is not None and customer[:20] in play.conversation.last_customer_line()
    replies = entry.scenario.node("lookup").replies or []
    assert [b.text() for b in play.conversation.reply_buttons] == [f"{i}. {r.text}" for i, r in enumerate(replies, 1)]
    play.conversation.reply_buttons[0].click()
    assert session.state.steps[0].node_id == "lookup" and session.state.steps[0].mood_before == 2


def test_play_from_here_is_refused_at_an_ending(open_author) -> None:
    window = open_author(BUNDLED)
    window.view.select_node("resolved")
    assert not window.play_button.isEnabled()
    assert window.play_from_here() is None


def _layered(nodes: int) -> str:
    lines = [
        "format: 1",
        "id: big",
        "title: Big",
        "summary: Many nodes.",
        "persona: {name: Big Ben, kind: angry}",
        "setting: Nowhere",
        "difficulty: hard",
        "minutes: 60",
        "focus: [empathy]",
        "briefing: Generated.",
        "pass_mark: 50",
        "nodes:",
    ]
    width, last = 25, nodes - 2
    for i in range(last):
        lines += [f"  - id: n{i}", f"    customer: Line {i}.", "    replies:"]
        for r in range(3):
            target = min(((i // width) + 1) * width, last) + (i + r) % width
            to = f"n{target}" if target < last else f"end{r % 2}"
            lines += [f"      - {{text: Reply {r}, to: {to}, traits: {{empathy: {r - 1 or 2}}}, why: Why {r}.}}"]
    lines += ["  - {id: end0, ending: {outcome: resolved, summary: Done.}}"]
    lines += ["  - {id: end1, ending: {outcome: customer_lost, summary: Gone.}}"]
    return "\n".join(lines) + "\n"


def test_a_graph_of_600_nodes_is_built_in_slices(qtbot, tmp_path: Path, clock) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(_layered(600), encoding="utf-8")
    window = AuthorWindow(path, clock=clock)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    slices: list[int] = []
    window.view._builder.timeout.connect(lambda: slices.append(len(window.view.nodes) + len(window.view.edges)))
    with qtbot.waitSignal(window.file_reloaded, timeout=30_000) as loaded:
        window.show()
    assert loaded.args == [True]
    assert len(window.view.nodes) == 600 and len(window.view.edges) == 598 * 3
    assert len(slices) >= (600 + 598 * 3) // BATCH  # the event loop ran between slices
    assert max(b - a for a, b in zip([0, *slices], slices, strict=False)) <= BATCH
    # Zoomed out to fit, the labels are hidden so painting stays cheap.
    window.view.fit_all()
    assert window.view.scale_factor < 0.55 and not window.view.edges[0].label.isVisible()
    assert window.view.mapFromScene(QPointF(0, 0)) is not None


def test_a_folder_lists_its_scenarios_and_opens_the_first(qtbot, clock, tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    for name in ("angry-car-rental.yaml", "rude-bank-fee.yaml"):
        shutil.copyfile(bundled_scenarios_dir() / name, folder / name)
    window = AuthorWindow(folder, clock=clock, reload_delay_ms=50)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.file_reloaded, timeout=TIMEOUT):
        window.show()
    assert [window.file_choice.itemText(i) for i in range(window.file_choice.count())] == [
        "angry-car-rental.yaml",
        "rude-bank-fee.yaml",
    ]
    assert window.path == folder / "angry-car-rental.yaml" and "lookup" in window.view.nodes
    with qtbot.waitSignal(window.file_reloaded, timeout=TIMEOUT) as loaded:
        window.file_choice.setCurrentIndex(1)
    assert loaded.args == [True]
    assert window.path == folder / "rude-bank-fee.yaml" and "lookup" not in window.view.nodes
