"""Look and reading: one-line mode label, library rows sized to their text, replies and Continue in view when
zoomed at 1024x640, the mood scale's labelled ends, trainer details behind Details, a face for each customer."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QWidget

from simulator.core import iter_scenario_files, load_scenario
from simulator.core.resources import bundled_scenarios_dir, resolve_avatar
from simulator.gui.widgets import avatar_svg, icon_path

from .conftest import ROUTER_RESET
from .helpers import open_briefing, start

BUNDLED = iter_scenario_files([bundled_scenarios_dir()])
BROADBAND = bundled_scenarios_dir() / "angry-broadband-outage-day3.yaml"


def _inside(widget: QWidget, area: QWidget) -> bool:
    """Whether the widget is wholly within the area's visible rectangle."""
    top_left = widget.mapTo(area, widget.rect().topLeft())
    return area.rect().contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("size", [(1280, 800), (1024, 640)])
def test_the_mode_label_stays_on_one_line_and_is_not_cut(qtbot, make_window, fixture_dir, size):
    window = make_window(fixture_dir)
    window.resize(*size)
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    start(window, mode="assessment", timed=True)
    label = window.conversation.mode_label
    assert label.text() == "Assessment · timer on"
    metrics = QFontMetrics(label.font())
    qtbot.waitUntil(lambda: label.width() >= metrics.horizontalAdvance(label.text()))
    assert label.height() < 2 * metrics.lineSpacing()
    assert _inside(label, window.conversation)


def test_library_rows_are_sized_to_their_whole_text_at_any_width(qtbot, make_window):
    """Rows used to end in '…' beside empty space: each row's height must hold its wrapped text."""
    window = make_window(include_bundled=True)
    lib = window.library
    delegate = lib.row_delegate
    for width in (1280, 1024, 860):
        window.resize(width, 640)
        qtbot.waitUntil(lambda: lib.list.viewport().width() < width)  # noqa: B023
        lib.list.doItemsLayout()
        QApplication.processEvents()
        viewport = lib.list.viewport().width()
        model = lib.list.model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            rect = lib.list.visualRect(index)
            # Measured independently: the title in bold, the rest in the list's font, at the row's text width.
            text_width = rect.width() - lib.list.iconSize().width() - 3 * delegate.MARGIN
            text = index.data(Qt.ItemDataRole.DisplayRole)
            title, _, rest = text.partition("\n")
            bold = QFont(lib.list.font())
            bold.setBold(True)
            flags = int(Qt.TextFlag.TextWordWrap)
            need = QFontMetrics(bold).boundingRect(QRect(0, 0, text_width, 10_000), flags, title).height()
            need += QFontMetrics(lib.list.font()).boundingRect(QRect(0, 0, text_width, 10_000), flags, rest).height()
            assert rect.height() >= need + 2 * delegate.MARGIN, (width, text)
            assert rect.width() <= viewport, (width, text)


def test_zoomed_at_1024x640_every_reply_and_continue_show_without_scrolling(qtbot, make_window, clock):
    window = make_window(include_bundled=True)
    window.resize(1024, 640)
    window.zoom_in()
    window.zoom_in()
    open_briefing(qtbot, window, BROADBAND)
    start(window, mode="practice", timed=True)
    screen = window.conversation
    assert len(screen.reply_buttons) == 3
    area = screen.bottom_area
    qtbot.waitUntil(
        lambda: area.verticalScrollBar().maximum() == 0 and _inside(screen.reply_buttons[-1], area.viewport())
    )
    for button in screen.reply_buttons:
        assert _inside(button, area.viewport()), button.plain_text
    assert screen.transcript_area.height() >= 4 * screen.fontMetrics().lineSpacing()  # the conversation stays in view

    clock.advance(2)
    screen.reply_buttons[0].click()
    assert screen.feedback_visible
    # Continue and Take back sit outside the feedback's scroller, always in view.
    qtbot.waitUntil(lambda: _inside(screen.continue_button, screen))
    assert not area.isAncestorOf(screen.continue_button)
    assert screen.continue_button.isVisible() and screen.take_back_button.isVisible()


def test_the_mood_scale_labels_its_ends_without_overlap_even_zoomed(qtbot, make_window, fixture_dir):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    start(window, mode="practice", timed=False)
    scale = window.conversation.mood_scale
    for zoom in (0, 3):
        for _ in range(zoom):
            window.zoom_in()
        QApplication.processEvents()
        qtbot.waitUntil(lambda: scale.low_label.geometry().right() < scale.high_label.geometry().left())
        assert (scale.low_label.text(), scale.high_label.text()) == ("furious", "delighted")
        assert scale.low_label.isVisible() and scale.high_label.isVisible()
        assert _inside(scale.high_label, window.conversation)
    description = window.conversation.mood_meter.accessibleDescription()
    assert "furious" in description and "delighted" in description


def test_trainees_see_no_file_paths_until_they_open_details(qtbot, make_window, fixture_dir):
    window = make_window(fixture_dir)
    lib = window.library
    assert lib.select_path(fixture_dir / "late-parcel.yaml")
    shown = [w for w in lib.details.findChildren(QWidget) if w.isVisible()]
    texts = " ".join(w.text() for w in shown if hasattr(w, "text") and callable(w.text))
    assert str(fixture_dir) not in texts and ".yaml" not in texts
    assert not lib.detail_source.isVisible()
    assert not lib.list.currentIndex().data(Qt.ItemDataRole.ToolTipRole)  # no path in a tooltip either
    lib.details_toggle.click()
    assert lib.detail_source.isVisible() and str(fixture_dir / "late-parcel.yaml") in lib.detail_source.text()


@pytest.mark.skipif(not BUNDLED, reason="the bundled library has no scenarios yet")
def test_every_bundled_customer_has_a_face_of_their_own():
    """No persona falls back on the kind icon, and no two different people share an avatar set or picture."""
    sets: dict[Path, str] = {}
    pictures: dict[str, str] = {}
    for path in BUNDLED:
        scenario = load_scenario(path).scenario
        assert scenario is not None, path.name
        persona = scenario.persona
        folder, problem = resolve_avatar(path, persona.avatar)
        assert folder is not None, f"{path.name}: {problem}"
        owner = sets.setdefault(folder.resolve(), persona.name)
        assert owner == persona.name, f"{persona.name} and {owner} share {folder.name}"
        picture = avatar_svg(path, persona.avatar, persona.mood, persona.kind)
        assert picture is not None and picture != icon_path(persona.kind), path.name
        digest = hashlib.sha256(picture.read_bytes()).hexdigest()
        assert pictures.setdefault(digest, persona.name) == persona.name, (
            f"{persona.name} looks like {pictures[digest]}"
        )
    assert len(set(sets.values())) == len(sets) >= 2


def test_the_briefing_and_conversation_show_the_personas_own_picture(qtbot, make_window):
    window = make_window(include_bundled=True)
    faces = set()
    for path in BUNDLED[:3]:
        window.show_library()
        open_briefing(qtbot, window, path)
        scenario = load_scenario(path).scenario
        assert scenario is not None
        expected = avatar_svg(path, scenario.persona.avatar, scenario.persona.mood, scenario.persona.kind)
        assert expected is not None
        faces.add(expected.read_bytes())
        assert window.briefing.picture == expected and window.briefing.avatar.renderer().isValid()
    assert len(faces) == min(3, len(BUNDLED))
