"""Light, Dark and System themes: Fusion palettes checked for contrast, remembered in the settings.

"System" follows the colour scheme the desktop reports (Qt 6.5+ ``QStyleHints.colorScheme``) and
changes with it; when the desktop reports none, the palette the platform gave the app decides
whether it is light or dark. Either way the app shows one of the two palettes below, whose text
and control colours ``tests/gui/test_theme.py`` holds to the WCAG contrast ratios.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

THEME_KEY = "view/theme"
MOTION_KEY = "view/motion"  # the customer's typing pause and the chat's smooth scrolling
THEMES = ("system", "light", "dark")
THEME_NAMES = {"system": "System", "light": "Light", "dark": "Dark"}

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

# (foreground, background): every pair the app draws text with. Ratios: WCAG 2 AA, 4.5 for text.
TEXT_PAIRS: tuple[tuple[Role, Role], ...] = (
    (Role.WindowText, Role.Window),
    (Role.WindowText, Role.AlternateBase),  # the customer's chat bubbles
    (Role.WindowText, Role.Button),  # the trainee's chat bubbles
    (Role.Text, Role.Base),
    (Role.Text, Role.AlternateBase),
    (Role.ButtonText, Role.Button),
    (Role.HighlightedText, Role.Highlight),
    (Role.ToolTipText, Role.ToolTipBase),
    (Role.PlaceholderText, Role.Base),
    (Role.Link, Role.Base),
    (Role.Link, Role.Window),
)
# Controls and graphics that must stand out from what they sit on: WCAG 1.4.11, 3 to 1.
UI_PAIRS: tuple[tuple[Role, Role], ...] = (
    (Role.Highlight, Role.Window),  # mood meter cells, trait bars, focus frames
    (Role.Highlight, Role.Base),
    (Role.Mid, Role.Window),  # outlines of the mood meter's empty cells, bubbles, chart tracks
    (Role.Mid, Role.Base),
    (Role.Mid, Role.AlternateBase),
    (Role.Mid, Role.Button),
)
TEXT_RATIO = 4.5
UI_RATIO = 3.0

_LIGHT = {
    Role.Window: "#f2f2f2",
    Role.WindowText: "#1a1a1a",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#e8eef6",
    Role.Text: "#1a1a1a",
    Role.Button: "#e2e2e2",
    Role.ButtonText: "#1a1a1a",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#1f5fa8",
    Role.HighlightedText: "#ffffff",
    Role.ToolTipBase: "#ffffdc",
    Role.ToolTipText: "#1a1a1a",
    Role.PlaceholderText: "#5c5c5c",
    Role.Link: "#0b57a3",
    Role.LinkVisited: "#6a3d9a",
    Role.Light: "#ffffff",
    Role.Midlight: "#e8e8e8",
    Role.Mid: "#666666",
    Role.Dark: "#a0a0a0",
    Role.Shadow: "#767676",
}
_LIGHT_DISABLED = {Role.WindowText: "#6e6e6e", Role.Text: "#6e6e6e", Role.ButtonText: "#6e6e6e"}

_DARK = {
    Role.Window: "#202326",
    Role.WindowText: "#eeeeee",
    Role.Base: "#17191c",
    Role.AlternateBase: "#2e3338",
    Role.Text: "#eeeeee",
    Role.Button: "#363b41",
    Role.ButtonText: "#eeeeee",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#3473b9",
    Role.HighlightedText: "#ffffff",
    Role.ToolTipBase: "#2e3338",
    Role.ToolTipText: "#eeeeee",
    Role.PlaceholderText: "#a3a9b0",
    Role.Link: "#8ab4f8",
    Role.LinkVisited: "#c58af9",
    Role.Light: "#4a5057",
    Role.Midlight: "#3d4248",
    Role.Mid: "#8b9098",
    Role.Dark: "#141618",
    Role.Shadow: "#000000",
}
_DARK_DISABLED = {Role.WindowText: "#8b9098", Role.Text: "#8b9098", Role.ButtonText: "#8b9098"}


def _palette(colours: dict[Role, str], disabled: dict[Role, str]) -> QPalette:
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    accent = getattr(Role, "Accent", None)  # Qt 6.6+
    if accent is not None:
        palette.setColor(accent, QColor(colours[Role.Highlight]))
    for role, colour in disabled.items():
        palette.setColor(Group.Disabled, role, QColor(colour))
    return palette


def light_palette() -> QPalette:
    return _palette(_LIGHT, _LIGHT_DISABLED)


def dark_palette() -> QPalette:
    return _palette(_DARK, _DARK_DISABLED)


def palette_for(effective: str) -> QPalette:
    return dark_palette() if effective == "dark" else light_palette()


# ---- contrast (WCAG 2) ------------------------------------------------------------------------
def relative_luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast_ratio(first: QColor, second: QColor) -> float:
    """From 1 (the same) to 21 (black on white)."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)))
    return (b + 0.05) / (a + 0.05)


def is_dark(palette: QPalette) -> bool:
    return palette.color(Role.Window).lightnessF() < 0.5


class FrontlineStyle(QProxyStyle):
    """Fusion, with radio buttons and check boxes outlined in the palette's Mid.

    Fusion outlines them in a shade of the window colour, which all but vanishes in a dark palette;
    Mid is held to 3:1 against the window and the base in both themes.
    """

    OUTLINED = (QStyle.PrimitiveElement.PE_IndicatorRadioButton, QStyle.PrimitiveElement.PE_IndicatorCheckBox)

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(  # noqa: N802
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in self.OUTLINED:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(option.palette.color(Role.Mid), 1))  # type: ignore[attr-defined]
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = option.rect.adjusted(1, 1, -1, -1)  # type: ignore[attr-defined]
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(rect)
        else:
            painter.drawRect(rect)
        painter.restore()


# ---- choosing and applying ------------------------------------------------------------------
def saved_theme() -> str:
    value = str(QSettings().value(THEME_KEY, "system") or "system").lower()
    return value if value in THEMES else "system"


def motion_enabled() -> bool:
    """Whether the customer pauses to type and the chat scrolls smoothly (Settings > Theme)."""
    return str(QSettings().value(MOTION_KEY, "true")).lower() != "false"


def system_scheme() -> str | None:
    """'dark' or 'light' as the desktop reports it, or None when it reports nothing (or Qt is older than 6.5)."""
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is None:
        return None
    value = scheme()
    if value == Qt.ColorScheme.Dark:
        return "dark"
    if value == Qt.ColorScheme.Light:
        return "light"
    return None


class ThemeManager(QObject):
    """Owns the application's palette: applies a choice and, for System, follows the desktop as it changes."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName("frontline-theme")
        self.app = app
        # What the platform gave the app before any theme was applied: System falls back on it.
        self._platform_dark = is_dark(QGuiApplication.palette())
        self.choice = "system"
        self.effective = "light"
        hints = QGuiApplication.styleHints()
        changed = getattr(hints, "colorSchemeChanged", None)
        if changed is not None:
            changed.connect(self._scheme_changed)

    def resolve(self, choice: str) -> str:
        if choice in ("light", "dark"):
            return choice
        return system_scheme() or ("dark" if self._platform_dark else "light")

    def apply(self, choice: str) -> str:
        """Show the palette for this choice now; returns what it resolved to ('light' or 'dark')."""
        self.choice = choice if choice in THEMES else "system"
        self.effective = self.resolve(self.choice)
        if not isinstance(self.app.style(), FrontlineStyle):
            self.app.setStyle(FrontlineStyle())
        self.app.setPalette(palette_for(self.effective))
        # Qt tells existing widgets only once its event loop runs; before that (at start, in tests,
        # in docs/make_screenshots.py) tell them here, so every widget shown already changes too.
        for widget in QApplication.allWidgets():
            QApplication.sendEvent(widget, QEvent(QEvent.Type.ApplicationPaletteChange))
        return self.effective

    def _scheme_changed(self, _scheme: object = None) -> None:
        if self.choice == "system":
            self.apply("system")


def theme_manager() -> ThemeManager | None:
    """The app's one theme manager, made on first use; None without a QApplication."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return None
    found = app.findChild(ThemeManager, "frontline-theme")
    return found if isinstance(found, ThemeManager) else ThemeManager(app)


def apply_theme(choice: str, *, save: bool = False) -> str:
    """Apply Light, Dark or System (and remember it with ``save``); returns 'light' or 'dark'."""
    if save:
        settings = QSettings()
        settings.setValue(THEME_KEY, choice)
        settings.sync()
    manager = theme_manager()
    return manager.apply(choice) if manager is not None else "light"


def apply_saved_theme() -> str:
    """At start: the theme the trainee chose last time (System when never chosen)."""
    return apply_theme(saved_theme())


def warning_colour(palette: QPalette) -> QColor:
    """A red that keeps its contrast on the window colour in light and dark palettes alike."""
    return QColor("#ff8a80") if is_dark(palette) else QColor("#b3261e")
