"""Settings > Theme: Light, Dark or System, and whether the conversation moves (typing pause, smooth scrolling)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from .theme import MOTION_KEY, THEME_NAMES, THEMES, apply_theme, motion_enabled, saved_theme, system_scheme
from .widgets import text_label


def system_text() -> str:
    reported = system_scheme()
    if reported is None:
        return "&System (your desktop does not say whether it is light or dark, so Frontline matches its colours)"
    return f"&System (follows your desktop, which is {reported} now)"


class ThemeDialog(QDialog):
    """Choose the theme; it is applied at once and remembered. Cancel puts back the one before."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Theme")
        self._before = saved_theme()
        self.radios: dict[str, QRadioButton] = {}
        group_box = QGroupBox("Colours", self)
        group_layout = QVBoxLayout(group_box)
        self.group = QButtonGroup(self)
        labels = {"system": system_text(), "light": "&Light", "dark": "&Dark"}
        for key in THEMES:
            radio = QRadioButton(labels[key], group_box)
            radio.setAccessibleName(f"{THEME_NAMES[key]} theme")
            radio.setChecked(key == self._before)
            radio.toggled.connect(self._preview)
            self.group.addButton(radio)
            group_layout.addWidget(radio)
            self.radios[key] = radio
        self.motion_check = QCheckBox("The customer &pauses to type, and the chat scrolls smoothly", self)
        self.motion_check.setAccessibleName("Typing pause and smooth scrolling")
        self.motion_check.setChecked(motion_enabled())
        hint = text_label("Any key or click skips the typing pause.")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(group_box)
        layout.addWidget(self.motion_check)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    @property
    def choice(self) -> str:
        return next((key for key, radio in self.radios.items() if radio.isChecked()), "system")

    def _preview(self, checked: bool) -> None:
        if checked:
            apply_theme(self.choice)

    def save(self) -> None:
        apply_theme(self.choice, save=True)
        settings = QSettings()
        settings.setValue(MOTION_KEY, "true" if self.motion_check.isChecked() else "false")
        settings.sync()
        self.accept()

    def reject(self) -> None:
        apply_theme(self._before)
        super().reject()
