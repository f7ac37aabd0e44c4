"""An attempt left unfinished is offered again in the briefing, resumes exactly where it was, or is discarded."""

from __future__ import annotations

from pathlib import Path

from simulator.core import AttemptStore
from simulator.gui.main_window import MainWindow

from .conftest import ROUTER_RESET
from .helpers import leave, open_briefing, play, start


def _transcript(window: MainWindow) -> list[str]:
    return [str(line) for line in window.conversation.session.transcript()]


def test_close_then_reopen_offers_the_attempt_and_resumes_it(qtbot, make_window, fixture_dir, clock, store):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    assert not window.briefing.unfinished_box.isVisibleTo(window.briefing)
    start(window, mode="assessment", timed=True)
    play(window, clock, [1])
    before = window.conversation.session.state
    lines = _transcript(window)
    window.close()

    again = make_window(fixture_dir)
    model = again.library.list.model()
    texts = [model.index(i, 0).data() for i in range(model.rowCount())]
    assert any("Unfinished attempt" in t for t in texts), texts
    open_briefing(qtbot, again, fixture_dir / ROUTER_RESET.name)
    briefing = again.briefing
    assert briefing.unfinished_box.isVisibleTo(briefing) and briefing.resume_button.isVisibleTo(briefing)
    assert "assessment, timer on, 1 reply" in briefing.unfinished_label.text()
    assert again.focusWidget() is briefing.resume_button
    briefing.resume_button.click()
    assert again.current_screen() is again.conversation
    session = again.conversation.session
    assert session.state == before and _transcript(again) == lines
    assert again.conversation.awaiting_reply and (session.mode, session.timed) == ("assessment", True)
    play(again, clock, [1])
    assert again.current_screen() is again.debrief
    assert store.unfinished() == [] and [r.finished for r in store.attempts()] == [True]


def test_discard_removes_only_the_unfinished_attempt(qtbot, make_window, fixture_dir, clock, store):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    start(window, mode="practice", timed=False)
    play(window, clock, [1])
    leave(window)
    assert window.current_screen() is window.library
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    window.briefing.discard_button.click()
    assert store.unfinished() == []
    assert window.current_screen() is window.briefing
    assert not window.briefing.unfinished_box.isVisibleTo(window.briefing)


def test_a_scenario_changed_under_the_attempt_shows_what_was_said_and_cannot_resume(
    qtbot, make_window, fixture_dir, clock, store: AttemptStore
):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    start(window, mode="practice", timed=False)
    play(window, clock, [1])
    window.close()
    path: Path = fixture_dir / ROUTER_RESET.name
    path.write_text(path.read_text(encoding="utf-8").replace("you can hear a kettle", "a kettle boils"), "utf-8")

    again = make_window(fixture_dir)
    open_briefing(qtbot, again, path)
    briefing = again.briefing
    assert briefing.unfinished_box.isVisibleTo(briefing) and not briefing.resume_button.isVisibleTo(briefing)
    text = briefing.unfinished_label.text()
    assert "has changed" in text and "The little light is orange" in text and "You: That sounds worrying" in text
    assert briefing.unfinished_label.accessibleName() == "Unfinished attempt"
    briefing.start_button.click()  # a new attempt on the new file works, and the old one is kept
    assert again.current_screen() is again.conversation
    assert len(store.unfinished()) == 2
