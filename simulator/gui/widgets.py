"""Small widgets and text helpers the screens share: headings, wrapping buttons, icons, words for numbers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QFont, QIcon, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QWidget,
)

from simulator.core import Rubric, mood_state
from simulator.core.resources import avatar_file, bundled_assets_dir, resolve_avatar

KIND_WORDS = {"angry": "Angry", "confused": "Confused", "rude": "Rude"}


def kind_word(kind: str) -> str:
    return KIND_WORDS.get(kind, kind.capitalize())


def icon_path(name: str) -> Path:
    return bundled_assets_dir() / "icons" / f"{name}.svg"


def kind_icon(kind: str) -> QIcon:
    return QIcon(str(icon_path(kind)))


def app_icon() -> QIcon:
    return QIcon(str(icon_path("app")))


def error_icon(widget: QWidget) -> QIcon:
    return widget.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)


def avatar_svg(scenario_path: Path | None, avatar: str, mood: int, kind: str) -> Path | None:
    """The avatar picture for this mood, or None when the set cannot be found (the caller shows the kind icon)."""
    folder, _problem = resolve_avatar(scenario_path, avatar)
    if folder is None:
        return None
    picture = avatar_file(folder, mood_state(mood, kind).picture)
    return picture if picture.is_file() else None


def trait_name(rubric: Rubric | None, trait_id: str) -> str:
    if rubric is not None and rubric.has_trait(trait_id):
        return rubric.trait(trait_id).name
    return trait_id.replace("_", " ").capitalize()


def deltas_in_words(deltas: dict[str, int], rubric: Rubric | None) -> str:
    """'Empathy +2, Ownership -1': signs and words, so the effect never depends on colour."""
    parts = [f"{trait_name(rubric, t)} {d:+d}" for t, d in deltas.items() if d]
    return ", ".join(parts) if parts else "no change to any trait"


def seconds_text(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 10 else f"{round(seconds)} s"


class Heading(QLabel):
    """A bold label sized relative to the application font, so Ctrl++ scales it with everything else."""

    def __init__(self, text: str = "", scale: float = 1.4, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._scale = scale
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._apply_font()

    def _apply_font(self) -> None:
        font = QFont(QApplication.font())
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * self._scale)
        else:
            font.setPixelSize(round(font.pixelSize() * self._scale))
        self.setFont(font)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt naming)
        # An explicitly set font no longer follows the application font, so follow it by hand.
        if event.type() == QEvent.Type.ApplicationFontChange:
            self._apply_font()
        super().changeEvent(event)


def text_label(text: str = "", *, italic: bool = False, selectable: bool = True) -> QLabel:
    """A plain-text label that wraps, so long scenario text is never clipped or read as markup."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if italic:
        font = QFont()
        font.setItalic(True)
        label.setFont(font)  # only the italic flag is resolved, so the size still follows the app font
    return label


def make_button(text: str, accessible_name: str | None = None, tooltip: str | None = None) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(accessible_name or text.replace("&", "").rstrip("…."))
    # Outside a dialog Enter does nothing on a focused button unless autoDefault is set.
    button.setAutoDefault(True)
    if tooltip:
        button.setToolTip(tooltip)
    return button


class IconText(QWidget):
    """A small icon beside wrapping text, so a kind or an error never relies on the picture alone."""

    def __init__(self, icon_size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._size = QSize(icon_size, icon_size)
        self.icon_label = QLabel()
        self.label = text_label()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.icon_label)
        row.addWidget(self.label, 1)

    def show_icon_text(self, icon: QIcon, text: str) -> None:
        self.icon_label.setPixmap(icon.pixmap(self._size))
        self.label.setText(text)

    def text(self) -> str:
        return self.label.text()


class WrappingButton(QPushButton):
    """A push button whose text wraps onto several lines instead of being cut off."""

    PADDING = 10

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        # '&' would otherwise turn the next letter into an Alt shortcut and vanish from the label.
        super().__init__(text.replace("&", "&&"), parent)
        self._plain = text
        self.setAutoDefault(True)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    @property
    def plain_text(self) -> str:
        return self._plain

    def _text_rect(self, width: int) -> QRect:
        inner = max(40, width - 2 * self.PADDING)
        return self.fontMetrics().boundingRect(
            QRect(0, 0, inner, 100_000), int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft), self._plain
        )

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._text_rect(width).height() + 2 * self.PADDING

    def sizeHint(self) -> QSize:  # noqa: N802
        width = max(self.width(), 320)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(160, self.fontMetrics().height() + 2 * self.PADDING)

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        # Keep the minimum height in step with the wrapped text so layouts never squash it.
        self.setMinimumHeight(self.heightForWidth(self.width()))

    def paintEvent(self, event) -> None:  # noqa: ANN001, N802
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)
        group = QPalette.ColorGroup.Normal if self.isEnabled() else QPalette.ColorGroup.Disabled
        painter.setPen(self.palette().color(group, QPalette.ColorRole.ButtonText))
        rect = self.rect().adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        painter.drawText(
            rect,
            int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self._plain,
        )


def scroll_area(widget: QWidget) -> QScrollArea:
    """A frameless vertical scroller, so long content stays reachable on small screens."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


def discard(widget: QWidget) -> None:
    """Remove a widget from view now; deleteLater alone leaves it painted until the event loop runs again."""
    widget.hide()
    # It keeps its parent until Qt deletes it, so its lifetime is Qt's, decided on the GUI thread.
    widget.deleteLater()


def separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
