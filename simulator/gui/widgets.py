"""Small widgets and text helpers the screens share: headings, wrapping buttons, icons, words for numbers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QGuiApplication, QIcon, QKeyEvent, QPainter, QPaintEvent, QPalette, QPen
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

from simulator.core.mood import mood_state
from simulator.core.resources import avatar_file, bundled_assets_dir, resolve_avatar

if TYPE_CHECKING:  # the models (pydantic) load with a scenario, not to paint the library
    from simulator.core.models import Rubric

KIND_WORDS = {"angry": "Angry", "confused": "Confused", "rude": "Rude"}
# How long what was just shown must have been on screen before a key or click can act on it.
SETTLE_SECONDS = 0.3
# Keys that press a focused button; held down, or pressed before the screen settled, they do nothing.
ACTIVATION_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space, Qt.Key.Key_Select})
FOCUS_FRAME_WIDTH = 2


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic clock."""
        ...


class ElapsedClock:
    """The real clock: QElapsedTimer is monotonic, so a changed system time cannot distort response times."""

    def __init__(self) -> None:
        self._timer = QElapsedTimer()
        self._timer.start()

    def now(self) -> float:
        return self._timer.elapsed() / 1000.0


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
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            # An explicitly set font no longer follows the application font (Ctrl++), so follow it by hand.
            app.fontChanged.connect(self._apply_font)

    def _apply_font(self, _font: QFont | None = None) -> None:
        font = QFont(QApplication.font())
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * self._scale)
        else:
            font.setPixelSize(round(font.pixelSize() * self._scale))
        self.setFont(font)


class ChatBubble(QLabel):
    """One line of the conversation in a rounded box, painted from the palette rather than a style sheet.

    A style sheet would fix the bubble's font when it is polished, so Ctrl++ and Ctrl+0 would leave
    existing bubbles behind; painted by hand, the bubble follows the application font like any label.
    Its accessible name carries the words, so a screen reader reads what was said, not only who said it.
    """

    PADDING = 6
    RADIUS = 8.0

    def __init__(self, speaker: str, text: str, *, trainee: bool, parent: QWidget | None = None) -> None:
        super().__init__(f"{speaker}: {text}", parent)
        self.speaker = speaker
        self.words = text
        self._role = QPalette.ColorRole.Button if trainee else QPalette.ColorRole.AlternateBase
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setContentsMargins(self.PADDING + 1, self.PADDING + 1, self.PADDING + 1, self.PADDING + 1)
        self.setAccessibleName(f"{speaker} said: {text}")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(self._role))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), self.RADIUS, self.RADIUS)
        painter.end()
        super().paintEvent(event)


class InputGate(QObject):
    """Holds back key presses and clicks on what was just shown until it has been painted and has settled.

    A double or held key press must not answer a question the trainee has not seen: after ``reset()``
    (new replies or new feedback on screen) the watched buttons ignore presses until one of them has
    been painted and ``settle`` seconds have passed on ``clock``, and auto-repeated keys never act,
    so each action needs a fresh press. Programmatic clicks (tests, assistive technology's press
    action) are not events and pass untouched.
    """

    def __init__(self, clock: Clock, settle: float = SETTLE_SECONDS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.settle = settle
        self._painted_at: float | None = None

    def reset(self) -> None:
        """Something new is on screen: wait for it to be painted and to settle again."""
        self._painted_at = None

    @property
    def painted(self) -> bool:
        return self._painted_at is not None

    @property
    def ready(self) -> bool:
        # A hair of tolerance: 1000.0 + 0.3 - 1000.0 is a little under 0.3 in floating point.
        return self._painted_at is not None and self.clock.now() - self._painted_at >= self.settle - 1e-6

    def accepts(self, event: QKeyEvent) -> bool:
        """Whether a key press may act now: a fresh press (not auto-repeat) once settled."""
        return not event.isAutoRepeat() and self.ready

    def watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.Paint:
            if self._painted_at is None and isinstance(watched, QWidget) and watched.isVisible():
                self._painted_at = self.clock.now()
            return False
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and isinstance(event, QKeyEvent):
            if event.key() in ACTIVATION_KEYS and not self.accepts(event):
                event.accept()
                return True
            return False
        if kind in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
        ):
            if not self.ready:
                event.accept()
                return True
        return False


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
        # Layouts ask a reply's height for the same few widths dozens of times per choice, and each
        # answer lays the text out afresh; the text never changes, so only a new font clears this.
        self._heights: dict[int, int] = {}
        self.setAutoDefault(True)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    @property
    def plain_text(self) -> str:
        return self._plain

    def set_plain_text(self, text: str) -> None:
        """Show other words (a reply button reused for the next node's reply)."""
        self._plain = text
        self._heights.clear()
        self.setText(text.replace("&", "&&"))
        self.updateGeometry()
        # Painted again even when the words are the same: the input gate opens only on a fresh paint.
        self.update()

    def _text_rect(self, width: int) -> QRect:
        inner = max(40, width - 2 * self.PADDING)
        return self.fontMetrics().boundingRect(
            QRect(0, 0, inner, 100_000), int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft), self._plain
        )

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = self._text_rect(width).height() + 2 * self.PADDING
        return height

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange, QEvent.Type.StyleChange):
            self._heights.clear()
        super().changeEvent(event)

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


class FocusScrollArea(QScrollArea):
    """A scroll area that draws a highlight-coloured frame while it has keyboard focus.

    Painted by hand rather than with a style sheet: a style sheet on an ancestor would stop every
    label inside from following the application font when the trainee zooms.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        width = FOCUS_FRAME_WIDTH
        self.setViewportMargins(width, width, width, width)

    def focusInEvent(self, event) -> None:  # noqa: ANN001, N802
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event) -> None:  # noqa: ANN001, N802
        super().focusOutEvent(event)
        self.update()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.Paint and self.hasFocus():
            painter = QPainter(self)
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), FOCUS_FRAME_WIDTH)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            half = FOCUS_FRAME_WIDTH / 2
            painter.drawRect(QRectF(self.rect()).adjusted(half, half, -half, -half))
            painter.end()
        return handled


def scroll_area(widget: QWidget, name: str = "", *, focusable: bool = False) -> QScrollArea:
    """A frameless vertical scroller, so long content stays reachable on small screens.

    Every scroller is named for assistive technology. Only a ``focusable`` one takes Tab focus, to be
    scrolled with the arrow and page keys, and it then shows a highlighted frame while focused; the
    others stay out of the Tab chain (their buttons still scroll into view when they take focus).
    """
    area = FocusScrollArea() if focusable else QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    if name:
        area.setAccessibleName(name)
    if focusable:
        area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    else:
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
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
