"""Light, Dark and System themes: WCAG contrast of text and controls, the dialog, memory, following the system."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from simulator.gui import theme
from simulator.gui.conversation_screen import MoodMeter
from simulator.gui.theme import (
    TEXT_PAIRS,
    TEXT_RATIO,
    THEME_KEY,
    UI_PAIRS,
    UI_RATIO,
    apply_theme,
    contrast_ratio,
    dark_palette,
    light_palette,
    theme_manager,
    warning_colour,
)

from .conftest import ROUTER_RESET
from .helpers import open_briefing, start

PALETTES = {"light": light_palette, "dark": dark_palette}
Role = QPalette.ColorRole


def test_contrast_ratio_matches_the_wcag_examples():
    assert contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio(QColor("#123456"), QColor("#123456")) == pytest.approx(1.0)


@pytest.mark.parametrize("name", PALETTES)
def test_every_text_colour_reads_on_its_background(name):
    palette = PALETTES[name]()
    low = {
        f"{fg.name}/{bg.name}": round(contrast_ratio(palette.color(fg), palette.color(bg)), 2)
        for fg, bg in TEXT_PAIRS
        if contrast_ratio(palette.color(fg), palette.color(bg)) < TEXT_RATIO
    }
    assert low == {}
    # The timer's warning colour is text on the window too.
    assert contrast_ratio(warning_colour(palette), palette.color(Role.Window)) >= TEXT_RATIO


@pytest.mark.parametrize("name", PALETTES)
def test_controls_and_graphics_stand_out_and_disabled_text_stays_legible(name):
    palette = PALETTES[name]()
    low = {
        f"{fg.name}/{bg.name}": round(contrast_ratio(palette.color(fg), palette.color(bg)), 2)
        for fg, bg in UI_PAIRS
        if contrast_ratio(palette.color(fg), palette.color(bg)) < UI_RATIO
    }
    assert low == {}
    disabled = QPalette.ColorGroup.Disabled
    for fg, bg in ((Role.WindowText, Role.Window), (Role.ButtonText, Role.Button), (Role.Text, Role.Base)):
        assert contrast_ratio(palette.color(disabled, fg), palette.color(disabled, bg)) >= UI_RATIO, fg.name


@pytest.mark.parametrize("name", PALETTES)
def test_the_mood_meter_empty_cells_are_drawn_visibly(qtbot, name):
    """In the dark theme the empty cells used to vanish: their outline must stand out from the window."""
    palette = PALETTES[name]()
    meter = MoodMeter()
    qtbot.addWidget(meter)
    meter.setPalette(palette)
    meter.resize(220, 22)
    meter.set_mood(-5, "Furious")
    image = meter.grab().toImage()
    window = palette.color(Role.Window)
    # The last cell (+5) is empty: the strongest colour across its left edge is its outline.
    cell = (meter.width() - 2) / 11
    left = int(1 + 10 * cell)
    edge = max(contrast_ratio(image.pixelColor(x, meter.height() // 2), window) for x in range(left - 1, left + 4))
    assert edge >= UI_RATIO
    # The filled cell (-5) stands out from the window as well.
    filled = image.pixelColor(int(1 + cell / 2), meter.height() // 2)
    assert contrast_ratio(filled, window) >= UI_RATIO


def test_the_theme_dialog_applies_remembers_and_cancel_puts_back(qtbot, make_window):
    window = make_window()
    assert QApplication.palette().color(Role.Window) != dark_palette().color(Role.Window)  # not dark yet
    dialog = window.edit_theme()
    qtbot.addWidget(dialog)
    assert set(dialog.radios) == {"system", "light", "dark"}
    dialog.radios["dark"].click()  # previewed at once
    assert QApplication.palette().color(Role.Window) == dark_palette().color(Role.Window)
    dialog.reject()
    assert QApplication.palette().color(Role.Window) != dark_palette().color(Role.Window)
    assert QSettings().value(THEME_KEY) is None

    dialog = window.edit_theme()
    qtbot.addWidget(dialog)
    dialog.radios["dark"].click()
    dialog.save()
    assert QSettings().value(THEME_KEY) == "dark"
    assert QApplication.palette().color(Role.Window) == dark_palette().color(Role.Window)
    style = QApplication.style()
    assert isinstance(style, theme.FrontlineStyle) and style.baseStyle().name().lower() == "fusion"

    # Remembered: a new window starts in it.
    QApplication.setPalette(light_palette())
    again = make_window()
    assert again.theme_action.text() == "&Theme…"
    assert QApplication.palette().color(Role.Window) == dark_palette().color(Role.Window)


def test_system_follows_the_reported_colour_scheme_and_its_changes(qtbot, make_window, monkeypatch):
    make_window()
    manager = theme_manager()
    assert manager is not None
    monkeypatch.setattr(theme, "system_scheme", lambda: "dark")
    assert apply_theme("system") == "dark"
    assert QApplication.palette().color(Role.Window) == dark_palette().color(Role.Window)
    monkeypatch.setattr(theme, "system_scheme", lambda: "light")
    manager._scheme_changed()  # what QStyleHints.colorSchemeChanged calls
    assert manager.effective == "light"
    assert QApplication.palette().color(Role.Window) == light_palette().color(Role.Window)
    # A theme chosen by name does not follow the system.
    apply_theme("dark")
    manager._scheme_changed()
    assert manager.effective == "dark"


def test_system_without_a_reported_scheme_matches_the_platform(qtbot, make_window, monkeypatch):
    make_window()
    manager = theme_manager()
    assert manager is not None
    monkeypatch.setattr(theme, "system_scheme", lambda: None)
    monkeypatch.setattr(manager, "_platform_dark", True)
    assert manager.resolve("system") == "dark"
    monkeypatch.setattr(manager, "_platform_dark", False)
    assert manager.resolve("system") == "light"


def test_chat_bubbles_and_the_warning_read_in_the_dark_theme(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    apply_theme("dark")
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    start(window, mode="practice", timed=True)
    screen = window.conversation
    bubble = screen.transcript.bubbles[-1]
    palette = bubble.palette()
    assert palette.color(Role.Window) == dark_palette().color(Role.Window)
    assert contrast_ratio(palette.color(Role.WindowText), palette.color(bubble._role)) >= TEXT_RATIO
    clock.advance(screen.session.allowed_seconds * 0.9)
    screen.tick()
    assert screen.time_warning
    label = screen.timer_label.palette()
    assert contrast_ratio(label.color(Role.WindowText), label.color(Role.Window)) >= TEXT_RATIO


@pytest.mark.parametrize("name", PALETTES)
def test_unchecked_radio_buttons_and_check_boxes_stay_visible(qtbot, make_window, name):
    """Fusion outlines them in a shade of the window, lost in the dark: the app's style outlines them in Mid."""
    make_window()
    apply_theme(name)
    from PySide6.QtWidgets import QCheckBox, QRadioButton, QStyle

    for kind in (QRadioButton, QCheckBox):
        button = kind("Option")
        qtbot.addWidget(button)
        button.resize(button.sizeHint())
        image = button.grab().toImage()
        style = button.style()
        element = (
            QStyle.SubElement.SE_RadioButtonIndicator
            if kind is QRadioButton
            else QStyle.SubElement.SE_CheckBoxIndicator
        )
        from PySide6.QtWidgets import QStyleOptionButton

        option = QStyleOptionButton()
        button.initStyleOption(option)
        rect = style.subElementRect(element, option, button)
        window = button.palette().color(Role.Window)
        strongest = max(
            contrast_ratio(image.pixelColor(x, y), window)
            for x in range(rect.left(), rect.right() + 1)
            for y in range(rect.top(), rect.bottom() + 1)
        )
        assert strongest >= UI_RATIO, kind.__name__
