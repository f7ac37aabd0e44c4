"""The conversation screen: the customer, their mood, the transcript, numbered replies, countdown and feedback."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QObject,
    QPropertyAnimation,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAccessibleEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from simulator.core import (
    AttemptRecord,
    AttemptStore,
    Debrief,
    PlayableScenario,
    Session,
    StepResult,
    StorageError,
    StoryError,
    mood_state,
)
from simulator.core.engine import new_seed
from simulator.core.models import MOOD_MAX, MOOD_MIN

from .theme import motion_enabled, warning_colour
from .widgets import (
    ChatBubble,
    Clock,
    ElapsedClock,
    Heading,
    InputGate,
    WrappingButton,
    avatar_svg,
    deltas_in_words,
    discard,
    icon_path,
    kind_icon,
    kind_word,
    make_button,
    scroll_area,
    text_label,
)

log = logging.getLogger(__name__)

AVATAR_SIZE = 160
BUBBLE_CHROME = 2 * 6 + 2 * 1 + 4  # the bubble's padding and border on both sides, and a little slack
DIGIT_KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}
WARNING_SHARE = 0.25  # the timer warns, in words and colour, in the last quarter of the allowance
# The customer "types" for a moment before each new line: longer lines a little longer, never long.
TYPING_MIN_SECONDS = 0.6
TYPING_MAX_SECONDS = 1.5
TYPING_SECONDS_PER_CHARACTER = 0.006
SCROLL_MS = 250  # the chat glides to the newest line
# However many replies there are, the conversation so far keeps at least this many lines in view.
TRANSCRIPT_MIN_LINES = 5
PAGE_ROWS = 16  # transcript rows laid out together (see _Page)
__all__ = ["Clock", "ConversationScreen", "ElapsedClock", "ReplyOrder", "warning_colour"]

# Returns the seed of the order replies are shown in; None keeps the file's order.
ReplyOrder = Callable[[], "int | None"]


def typing_seconds(text: str) -> float:
    return min(TYPING_MAX_SECONDS, TYPING_MIN_SECONDS + len(text) * TYPING_SECONDS_PER_CHARACTER)


class _TypingSkipper(QObject):
    """While the customer types, any key or click in the window shows their line at once.

    Watches the whole application (the focus may be anywhere in the window) for as long as the pause
    lasts. Keys are used up by the skip, so a digit pressed to hurry never answers a reply not yet
    seen; Escape still asks to leave. Clicks pass on: they land on what was under the pointer before
    the replies appeared, and the replies' own gate holds them until they are painted and settled.
    """

    def __init__(self, screen: ConversationScreen) -> None:
        super().__init__(screen)
        self.screen = screen

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.screen.window():
            return False
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (
                Qt.Key.Key_Escape,
                Qt.Key.Key_Shift,
                Qt.Key.Key_Control,
                Qt.Key.Key_Alt,
                Qt.Key.Key_Meta,
            ):
                return False
            self.screen.finish_typing()
            event.accept()
            return True
        self.screen.finish_typing()
        return False


class MoodMeter(QWidget):
    """Eleven cells from -5 to 5, filled from the middle towards the mood; the words sit in a label beside it.

    Empty cells are outlined in the palette's Mid and filled cells in its Highlight, both held to 3:1
    against the window in the light and dark themes (tests/gui/test_theme.py), so no cell vanishes.
    The ends are labelled under the meter (``MoodScale``).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mood = 0
        self.setMinimumSize(QSize(150, 22))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Mood meter")

    @property
    def mood(self) -> int:
        return self._mood

    def set_mood(self, mood: int, words: str) -> None:
        self._mood = mood
        self.setAccessibleDescription(f"{words}: {mood:+d} on a scale from -5, furious, to +5, delighted")
        self.setToolTip(f"Mood {mood:+d} (from -5, furious, to +5, delighted)")
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(200, 22)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        # Whole pixels and no antialiasing: a blurred 1-pixel outline would lose the contrast it is chosen for.
        painter = QPainter(self)
        palette = self.palette()
        cells = MOOD_MAX - MOOD_MIN + 1
        width = (self.width() - 2) / cells
        height = self.height() - 4
        for i, value in enumerate(range(MOOD_MIN, MOOD_MAX + 1)):
            left = round(1 + i * width) + 1
            right = round(1 + (i + 1) * width) - 1
            rect = QRect(left, 2, max(4, right - left), height)
            filled = (0 < value <= self._mood) or (self._mood <= value < 0) or value == self._mood
            painter.setPen(QPen(palette.mid().color(), 1))
            painter.setBrush(palette.highlight() if filled else palette.base())
            painter.drawRect(rect)
            if value == self._mood:
                # A thicker outline marks the exact mood, so it is not told by fill colour alone.
                painter.setPen(QPen(palette.windowText().color(), 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect.adjusted(-1, -1, 1, 1))


class MoodScale(QWidget):
    """The mood meter with its ends labelled in words under it: furious on the left, delighted on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.meter = MoodMeter(self)
        self.low_label = QLabel(mood_state(MOOD_MIN, "angry").words.lower(), self)
        self.high_label = QLabel(mood_state(MOOD_MAX, "angry").words.lower(), self)
        self.high_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        ends = QHBoxLayout()
        ends.setContentsMargins(0, 0, 0, 0)
        ends.addWidget(self.low_label)
        ends.addStretch(1)
        ends.addWidget(self.high_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.meter)
        layout.addLayout(ends)


class _Page(QWidget):
    """A run of transcript rows, placed by hand, remembering its height for each width.

    In one layout, every new line made Qt measure every word-wrapped row of the conversation again
    (an item's cached size does not outlive the layout's next pass, and a widget with a layout is
    measured through it), so a choice cost grew with the conversation. A page has no layout: the
    transcript asks its height, which it answers from memory unless its own rows changed.
    """

    def __init__(self, spacing: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._spacing = spacing
        self._rows: list[QWidget] = []
        self._heights: dict[int, int] = {}
        self._placed_at: int | None = None  # the width the rows were last placed for
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def count(self) -> int:
        return len(self._rows)

    def add_row(self, row: QWidget) -> None:
        self._rows.append(row)
        row.show()
        self.forget_heights()

    def take_last(self) -> QWidget:
        row = self._rows.pop()
        self.forget_heights()
        return row

    def forget_heights(self) -> None:
        self._heights.clear()
        self._placed_at = None
        self.updateGeometry()
        self._place()

    @staticmethod
    def _row_height(row: QWidget, width: int) -> int:
        return row.heightForWidth(width) if row.hasHeightForWidth() else row.sizeHint().height()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        height = self._heights.get(width)
        if height is None:
            rows = [self._row_height(row, width) for row in self._rows]
            height = self._heights[width] = sum(rows) + self._spacing * max(0, len(rows) - 1)
        return height

    def sizeHint(self) -> QSize:  # noqa: N802
        width = max(self.width(), 200)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, 0)

    def _place(self) -> None:
        width, top = self.width(), 0
        if width == self._placed_at:
            return  # moved or stretched by the transcript, with the same rows at the same width
        self._placed_at = width
        for row in self._rows:
            height = self._row_height(row, width)
            row.setGeometry(0, top, width, height)
            top += height + self._spacing

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        self._place()

    def event(self, event: QEvent) -> bool:
        # A row asks for another size (polished when first shown, a new font or style): with no layout
        # here, Qt tells the page with this event, and the remembered heights are stale.
        if event.type() == QEvent.Type.LayoutRequest:
            self.forget_heights()
        return super().event(event)


class Transcript(QWidget):
    """Chat lines: the customer on the left, the trainee on the right, narration in italics across.

    Lines are appended, never rebuilt: a choice adds its two or three rows and leaves the rest (and
    their cached layout sizes) alone, so a step costs the same at step 300 as at step 3.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.addStretch(1)
        self._bubbles: list[ChatBubble] = []
        self._rows: list[QWidget] = []
        self._pages: list[_Page] = []
        self._shown: list[tuple[str, str, str]] = []  # (kind, text, speaker) of each row, in order
        self.lines: list[tuple[str, str]] = []
        self.typing_label: QLabel | None = None

    def clear(self) -> None:
        self.show_lines([])

    def show_lines(self, lines: Sequence[tuple[str, str, str]]) -> None:
        """Show exactly ``lines`` (kind, text, speaker): the rows already shown that begin it stay,
        rows after the first difference go (a reply taken back), and the rest are appended."""
        wanted = list(lines)
        keep = len(self._shown)
        if keep > len(wanted) or wanted[:keep] != self._shown:
            keep = next((i for i, (a, b) in enumerate(zip(self._shown, wanted, strict=False)) if a != b), keep)
            keep = min(keep, len(wanted))
        while len(self._rows) > keep:
            row = self._rows.pop()
            page = self._pages[len(self._rows) // PAGE_ROWS]
            page.take_last()
            discard(row)
            if page.count() == 0:
                self._pages.pop()
                self._layout.removeWidget(page)
                discard(page)
            kind, _, _ = self._shown.pop()
            self.lines.pop()
            if kind not in ("narration", "system"):
                self._bubbles.pop()
        for kind, text, speaker in wanted[keep:]:
            self.add(kind, text, speaker)

    def add(self, kind: str, text: str, speaker: str = "") -> None:
        self.lines.append((kind, text))
        self._shown.append((kind, text, speaker))
        if len(self._rows) % PAGE_ROWS == 0:
            page = _Page(self._layout.spacing(), self)
            # After the pages already shown (the stretch comes first), before a "typing…" line.
            self._layout.insertWidget(1 + len(self._pages), page)
            self._pages.append(page)
        page = self._pages[-1]
        row = QWidget(page)
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        if kind == "narration" or kind == "system":
            label = text_label(text, italic=True)
            label.setParent(row)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            row_layout.addWidget(label, 1)
        else:
            # Painted from the palette, so it stays readable in light and dark themes and follows zoom.
            bubble = ChatBubble(speaker, text, trainee=kind != "customer", parent=row)
            self._bubbles.append(bubble)
            self._fit_bubble(bubble)
            if kind == "customer":
                row_layout.addWidget(bubble, 0, Qt.AlignmentFlag.AlignLeft)
                row_layout.addStretch(1)
            else:
                row_layout.addStretch(1)
                row_layout.addWidget(bubble, 0, Qt.AlignmentFlag.AlignRight)
        page.add_row(row)
        self._rows.append(row)

    def show_typing(self, text: str) -> None:
        """A line in italics where the customer's next words will appear ("Devesh Nair is typing…")."""
        self.hide_typing()
        self.typing_label = text_label(text, italic=True, selectable=False)
        self.typing_label.setParent(self)
        self._layout.addWidget(self.typing_label)

    def hide_typing(self) -> None:
        label, self.typing_label = self.typing_label, None
        if label is not None:
            self._layout.removeWidget(label)
            discard(label)

    def _bubble_width(self) -> int:
        return max(220, int(self.width() * 0.78))

    @property
    def bubbles(self) -> list[ChatBubble]:
        return list(self._bubbles)

    def _fit_bubble(self, bubble: QLabel) -> None:
        # A wrapped label asks for a narrow width; size each bubble to its text, up to most of the row.
        widest = self._bubble_width()
        text = bubble.fontMetrics().boundingRect(
            QRect(0, 0, widest - BUBBLE_CHROME, 100_000), int(Qt.TextFlag.TextWordWrap), bubble.text()
        )
        bubble.setMaximumWidth(widest)
        bubble.setMinimumWidth(min(widest, text.width() + BUBBLE_CHROME))

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        # Every new row makes the transcript taller; only a new width changes what a bubble needs.
        if event.oldSize().width() != event.size().width():
            for bubble in self._bubbles:
                self._fit_bubble(bubble)
            self._forget_heights()

    def _forget_heights(self) -> None:
        for page in self._pages:
            page.forget_heights()

    def changeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            for bubble in self._bubbles:
                self._fit_bubble(bubble)
            self._forget_heights()


class Pages(QWidget):
    """One page at a time, like QStackedWidget, but sized to the page shown: a stack is as tall as its
    tallest page, which would make the reply area scroll for a page that is not even shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._pages: list[QWidget] = []
        self._current = -1

    def addWidget(self, page: QWidget) -> None:  # noqa: N802
        self._pages.append(page)
        self._layout.addWidget(page)
        if self._current < 0:
            self.setCurrentIndex(0)
        else:
            page.hide()

    def widget(self, index: int) -> QWidget:
        return self._pages[index]

    def currentWidget(self) -> QWidget | None:  # noqa: N802
        return self._pages[self._current] if 0 <= self._current < len(self._pages) else None

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802
        self._current = index
        for i, page in enumerate(self._pages):
            page.setVisible(i == index)

    def setCurrentWidget(self, page: QWidget) -> None:  # noqa: N802
        self.setCurrentIndex(self._pages.index(page))


class ConversationScreen(QWidget):
    """Renders one Session and passes the trainee's input to it.

    Emits choice_made(StepResult) after each reply and conversation_finished(Debrief) at the end.
    """

    choice_made = Signal(object)
    conversation_finished = Signal(object)
    left = Signal()
    storage_failed = Signal(str)
    story_failed = Signal(str)

    def __init__(
        self,
        store: AttemptStore | None = None,
        clock: Clock | None = None,
        parent: QWidget | None = None,
        *,
        reply_order: ReplyOrder | None = None,
        motion: bool | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        # The customer's typing pause and the chat's smooth scrolling: None follows Settings > Theme,
        # where the trainee can turn them off; tests turn them off in their settings (conftest.py).
        self.motion = motion
        self.trainee = ""  # the profile new attempts are recorded under
        # Where each attempt's reply-order seed comes from: a fresh one each time, unless a test pins it.
        self.reply_order: ReplyOrder = reply_order or new_seed
        self.clock: Clock = clock or ElapsedClock()
        self.session: Session | None = None
        self.entry: PlayableScenario | None = None
        self.last_result: StepResult | None = None
        self.last_debrief: Debrief | None = None
        self.reply_buttons: list[WrappingButton] = []
        self._shown_at = 0.0
        self._awaiting_reply = False
        self.current_picture = ""
        self._avatar_key: tuple[object, ...] | None = None  # what the avatar shows now
        # Replies and Continue act on a key press or click only once shown, painted and settled.
        self.gate = InputGate(self.clock, parent=self)
        # What was announced to assistive technology, newest last (tests read it; so could a log).
        self.announcements: list[str] = []
        self._announced_lines: int | None = None
        self._warned = False
        self.leave_dialog: QMessageBox | None = None
        self._leave_button_in_dialog: QAbstractButton | None = None
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self.tick)
        # The customer's typing pause: fire it (typing_timer.timeout.emit()) or press a key to end it.
        self.typing_timer = QTimer(self)
        self.typing_timer.setSingleShot(True)
        self.typing_timer.timeout.connect(self.finish_typing)
        self._typing = False
        self._skipper = _TypingSkipper(self)
        self._build()
        self._scroll_animation = QPropertyAnimation(self.transcript_area.verticalScrollBar(), b"value", self)
        self._scroll_animation.setDuration(SCROLL_MS)
        self._scroll_animation.setEasingCurve(QEasingCurve.Type.OutCubic)

    # ---- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = Heading("", 1.3)
        self.mode_label = text_label(selectable=False)
        self.mode_label.setWordWrap(False)  # short; wrapped it split "timer on" from "Assessment"
        self.leave_button = make_button("&Leave", "Leave the conversation and go back to the library")
        self.leave_button.setToolTip("Your attempt so far is saved: resume it from this scenario's briefing.")
        self.leave_button.setAccessibleDescription(self.leave_button.toolTip())
        self.leave_button.clicked.connect(self.request_leave)  # asks first, like Escape
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.mode_label)
        top.addWidget(self.leave_button)

        # ---- the customer
        self.avatar = QSvgWidget()
        self.avatar.setFixedSize(QSize(AVATAR_SIZE, AVATAR_SIZE))
        self.avatar.setAccessibleName("Customer's picture")
        self.persona_name = Heading("", 1.15)
        self.kind_icon = QLabel()
        self.kind_text = text_label(selectable=False)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind_icon)
        kind_row.addWidget(self.kind_text, 1)
        self.mood_scale = MoodScale()
        self.mood_meter = self.mood_scale.meter
        # Labels carry their own text as their accessible name; the description says what it is.
        self.mood_label = text_label(selectable=False)
        self.mood_label.setAccessibleDescription("The customer's mood")
        self.timer_label = text_label(selectable=False)
        self.timer_label.setAccessibleDescription("Time to reply")
        self.timer_bar = QProgressBar()
        self.timer_bar.setTextVisible(False)
        self.timer_bar.setAccessibleName("Time left")
        side = QWidget()
        self.side = side
        self._fit_side()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignHCenter)
        side_layout.addWidget(self.persona_name)
        side_layout.addLayout(kind_row)
        side_layout.addWidget(self.mood_label)
        side_layout.addWidget(self.mood_scale)
        side_layout.addSpacing(12)
        side_layout.addWidget(self.timer_label)
        side_layout.addWidget(self.timer_bar)
        side_layout.addStretch(1)

        # ---- transcript
        self.transcript = Transcript()
        self.transcript_area = scroll_area(self.transcript, "Conversation so far", focusable=True)
        self.transcript_area.setFrameShape(QFrame.Shape.StyledPanel)
        bar = self.transcript_area.verticalScrollBar()
        # Follow the newest line whenever the conversation grows.
        bar.rangeChanged.connect(self._follow_newest_line)

        # ---- replies
        self.replies_heading = text_label("Your reply:", selectable=False)
        self.replies_box = QWidget()
        self.replies_layout = QVBoxLayout(self.replies_box)
        self.replies_layout.setContentsMargins(0, 0, 0, 0)
        replies_page = QWidget()
        replies_page_layout = QVBoxLayout(replies_page)
        replies_page_layout.setContentsMargins(0, 0, 0, 0)
        replies_page_layout.addWidget(self.replies_heading)
        replies_page_layout.addWidget(self.replies_box)
        replies_page_layout.addStretch(1)

        # ---- practice feedback
        self.feedback_panel = QFrame()
        self.feedback_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.feedback_panel.setAccessibleName("Feedback on your reply")
        self.feedback_heading = Heading("Feedback", 1.1)
        self.feedback_said = text_label()
        self.feedback_why = text_label()
        self.feedback_coaching = text_label()
        self.feedback_effect = text_label()
        self.feedback_effect.setAccessibleDescription("Effect on your scores")
        self.feedback_mood = text_label()
        self.take_back_button = make_button("&Take back", "Take back your last reply")
        self.take_back_button.clicked.connect(self.take_back)
        self.continue_button = make_button("&Continue", "Continue the conversation")
        self.continue_button.clicked.connect(self.continue_on)
        self.gate.watch(self.take_back_button)
        self.gate.watch(self.continue_button)
        # Take back and Continue sit under the feedback, outside its scroller: always in view, however long it is.
        self.feedback_buttons = QWidget()
        feedback_buttons = QHBoxLayout(self.feedback_buttons)
        feedback_buttons.setContentsMargins(0, 0, 0, 0)
        feedback_buttons.addWidget(self.take_back_button)
        feedback_buttons.addStretch(1)
        feedback_buttons.addWidget(self.continue_button)
        self.feedback_buttons.hide()
        feedback_layout = QVBoxLayout(self.feedback_panel)
        feedback_layout.addWidget(self.feedback_heading)
        for label in (
            self.feedback_said,
            self.feedback_why,
            self.feedback_coaching,
            self.feedback_effect,
            self.feedback_mood,
        ):
            feedback_layout.addWidget(label)
        feedback_layout.addStretch(1)

        self.bottom = Pages()
        self.bottom.addWidget(replies_page)
        self.bottom.addWidget(self.feedback_panel)
        self.bottom_area: QScrollArea = scroll_area(self.bottom, "Your reply")

        # The replies (or the feedback) get the height they need, up to what leaves the conversation
        # a few lines (see _fit_bottom); the conversation so far takes the rest.
        self.bottom_area.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        main = QVBoxLayout()
        main.addWidget(self.transcript_area, 1)
        main.addWidget(self.bottom_area, 0)
        main.addWidget(self.feedback_buttons, 0)
        self._main_layout = main

        body = QHBoxLayout()
        body.addWidget(side)
        body.addLayout(main, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self._top = top

    def moving(self) -> bool:
        """Whether the customer pauses to type and the chat scrolls smoothly (the constructor, else the setting)."""
        return motion_enabled() if self.motion is None else self.motion

    def _follow_newest_line(self, _low: int, high: int) -> None:
        bar = self.transcript_area.verticalScrollBar()
        self._scroll_animation.stop()
        if not self.moving() or not self.isVisible() or bar.value() >= high:
            bar.setValue(high)
            return
        # Glide to the newest line rather than jump, so the eye follows the conversation.
        self._scroll_animation.setStartValue(bar.value())
        self._scroll_animation.setEndValue(high)
        self._scroll_animation.start()

    # ---- fitting the replies ---------------------------------------------------------------
    def _fit_bottom(self) -> None:
        """Size the reply area to its content, so every reply and Continue show without scrolling,
        as long as the conversation so far keeps TRANSCRIPT_MIN_LINES lines; beyond that it scrolls."""
        page = self.bottom.currentWidget()
        if page is None:
            return
        width = self.bottom_area.width() if self.bottom_area.width() > 50 else max(300, self.width() - 260)
        # Measured as if the scroll bar showed, so the content never just misses fitting and then needs it.
        width -= self.bottom_area.verticalScrollBar().sizeHint().width()
        page_layout = page.layout()
        # What was just shown or changed (replies, feedback text) must be measured afresh, not from a cache.
        for layout in (self.replies_layout, self.feedback_panel.layout(), page_layout):
            if layout is not None:
                layout.invalidate()
        if page_layout is not None and page_layout.hasHeightForWidth():
            need = page_layout.totalHeightForWidth(width)
        else:
            need = page.sizeHint().height()
        spacing = max(0, self._main_layout.spacing())
        margins = self.layout().contentsMargins()
        body = self.height() - self._top.sizeHint().height() - margins.top() - margins.bottom() - 2 * spacing
        room = body - self.fontMetrics().lineSpacing() * TRANSCRIPT_MIN_LINES - 2 * (ChatBubble.PADDING + 4)
        if page is self.feedback_panel:
            room -= self.feedback_buttons.sizeHint().height() + spacing
        height = max(self.fontMetrics().lineSpacing() * 3, min(need + 2 * self.bottom_area.frameWidth() + 2, room))
        if self.bottom_area.height() != height or self.bottom_area.minimumHeight() != height:
            self.bottom_area.setFixedHeight(height)

    def _fit_side(self) -> None:
        """The customer's column: the avatar's width, or wider when zoomed text needs it (mood scale ends)."""
        metrics = self.fontMetrics()
        words = max(metrics.horizontalAdvance("furious · delighted"), metrics.horizontalAdvance("Mood: Delighted (+5)"))
        self.side.setFixedWidth(max(AVATAR_SIZE + 40, words + 30))

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        self._fit_bottom()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        self._fit_bottom()

    def changeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._fit_side()
            self._fit_bottom()

    # ---- public state ----------------------------------------------------------------------
    @property
    def feedback_visible(self) -> bool:
        return self.bottom.currentWidget() is self.feedback_panel

    @property
    def awaiting_reply(self) -> bool:
        """Whether the conversation waits for the trainee's reply (also while the customer is still typing:
        a reply chosen then, by a test or assistive technology, first shows the customer's line)."""
        return self._awaiting_reply

    @property
    def typing(self) -> bool:
        """Whether the customer is 'typing': their newest line and the replies come when this ends."""
        return self._typing

    def seconds_left(self) -> float | None:
        if self.session is None or not self._awaiting_reply or not self.session.time_limited:
            return None
        if self._typing:
            return self.session.allowed_seconds  # the clock starts when the line and the replies show
        return max(0.0, self.session.allowed_seconds - self.elapsed())

    def elapsed(self) -> float:
        return max(0.0, self.clock.now() - self._shown_at)

    @property
    def input_ready(self) -> bool:
        """Whether a key press or click can act on what is shown: painted and settled."""
        return self.gate.ready

    # ---- starting --------------------------------------------------------------------------
    def start(self, entry: PlayableScenario, mode: str, timed: bool) -> bool:
        """Begin a new attempt; False (and story_failed) when the scenario cannot start."""
        self._reset(entry)
        try:
            self.session = Session.start(
                entry,
                mode="assessment" if mode == "assessment" else "practice",
                timed=timed,
                store=self.store,
                seed=self.reply_order(),
                on_save_problem=self._on_save_problem,
                trainee=self.trainee,
            )
        except StoryError as exc:
            self.session = None
            self.story_failed.emit(f"{entry.title} cannot start: {exc}")
            return False
        self._begin()
        return True

    def resume(self, entry: PlayableScenario, record: AttemptRecord) -> bool:
        """Carry on an unfinished attempt where it was saved; False (and story_failed) when it cannot."""
        self._reset(entry)
        if self.store is None:
            self.story_failed.emit("Your saved attempts cannot be read, so this one cannot be resumed.")
            return False
        try:
            self.session = Session.resume(entry, record, self.store, on_save_problem=self._on_save_problem)
        except (StoryError, StorageError) as exc:
            self.session = None
            self.story_failed.emit(f"That attempt at {entry.title} cannot be resumed: {exc}")
            return False
        self._begin()
        if self.session.finished:
            self._finish()  # it had reached its ending: show the debrief it never showed
        return True

    def begin_session(self, entry: PlayableScenario, session: Session) -> None:
        """Render a Session made elsewhere: the author window's Play from here, at any node, mood and flags."""
        self._reset(entry)
        self.session = session
        self._begin()

    def _reset(self, entry: PlayableScenario) -> None:
        self.countdown.stop()
        self._stop_typing()
        self._awaiting_reply = False
        self._announced_lines = None  # a new or resumed attempt: announce only where it stands
        self._avatar_key = None  # each attempt finds and checks its pictures afresh
        self.gate.clock = self.clock
        self.entry = entry
        self.last_result = None
        self.last_debrief = None

    def _begin(self) -> None:
        assert self.session is not None
        persona = self.session.scenario.persona
        mode, timed = self.session.mode, self.session.timed
        self.title.setText(self.session.scenario.title)
        self.mode_label.setText(
            ("Practice" if mode == "practice" else "Assessment") + (" · timer on" if timed else " · no time pressure")
        )
        self.persona_name.setText(persona.name)
        self.kind_icon.setPixmap(kind_icon(persona.kind).pixmap(QSize(24, 24)))
        self.kind_text.setText(f"{kind_word(persona.kind)} customer")
        self._describe_leave()
        self._show_node(pause=True)

    def _describe_leave(self) -> None:
        """The Leave button says truthfully what leaving does to the attempt."""
        saved = self.store is not None and self.session is not None and not self.session.save_problem
        tip = (
            "Your attempt so far is saved: resume it from this scenario's briefing."
            if saved
            else "Your attempt cannot be saved, so leaving ends it."
        )
        self.leave_button.setToolTip(tip)
        self.leave_button.setAccessibleDescription(tip)

    def _on_save_problem(self, message: str) -> None:
        if self.session is not None:
            self._describe_leave()
        self.storage_failed.emit(message)

    # ---- showing ---------------------------------------------------------------------------
    def _update_mood(self) -> None:
        assert self.session is not None and self.entry is not None
        persona = self.session.scenario.persona
        mood = self.session.state.mood
        state = mood_state(mood, persona.kind)
        key = (self.entry.path, persona.avatar, state.picture, persona.kind)
        if key != self._avatar_key:
            # Most replies leave the face as it was: finding the file and re-rendering the SVG is then wasted.
            picture = avatar_svg(self.entry.path, persona.avatar, mood, persona.kind)
            self.avatar.load(str(picture or icon_path(persona.kind)))
            self._avatar_key = key
        self.avatar.setAccessibleDescription(f"{persona.name} looks {state.words.lower()}")
        self.current_picture = state.picture
        self.mood_label.setText(f"Mood: {state.words} ({mood:+d})")
        self.mood_meter.set_mood(mood, state.words)

    def _render_transcript(self, include_current: bool, hold_last: bool = False) -> None:
        """Show the session's transcript as the play state has it (``hold_last``: all but the newest line,
        which the customer is still typing); rows already shown stay, so a choice only appends."""
        assert self.session is not None
        lines = self.session.transcript(include_current)
        if hold_last:
            lines = lines[:-1]
        self.transcript.show_lines([(line.kind, line.text, line.speaker) for line in lines])
        self._announce_new_lines()

    # ---- assistive technology ----------------------------------------------------------------
    def announce(self, text: str) -> None:
        """Have a screen reader speak this now (an announcement event), without moving focus."""
        self.announcements.append(text)
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.transcript_area, text))

    def last_customer_line(self) -> str:
        return next((text for kind, text in reversed(self.transcript.lines) if kind == "customer"), "")

    def _announce_new_lines(self) -> None:
        """Announce what the customer (or the narration) just said, once, as it arrives."""
        lines = self.transcript.lines
        if self._announced_lines is None or self._announced_lines > len(lines):
            # A new or resumed attempt, or a take-back: from the newest customer line on.
            start = next((i for i in range(len(lines) - 1, -1, -1) if lines[i][0] == "customer"), 0)
            # Narration just before that line sets its scene, so it is read too.
            while start > 0 and lines[start - 1][0] == "narration":
                start -= 1
        else:
            start = self._announced_lines
        self._announced_lines = len(lines)
        assert self.session is not None
        name = self.session.scenario.persona.name
        said = [f"{name}: {text}" if kind == "customer" else text for kind, text in lines[start:] if kind != "trainee"]
        last = self.last_customer_line()
        self.transcript_area.setAccessibleDescription(f"Last from {name}: {last}" if last else "")
        if said:
            self.announce(" ".join(said))
            QAccessible.updateAccessibility(
                QAccessibleEvent(self.transcript_area, QAccessible.Event.DescriptionChanged)
            )

    def _show_node(self, pause: bool = False) -> None:
        """Show where the conversation stands; with ``pause`` (a new line from the customer, and motion on)
        the customer 'types' first and the line and the replies come when the pause ends or is skipped."""
        assert self.session is not None
        self._stop_typing()
        self._update_mood()
        lines = self.session.transcript(True)
        hold = pause and self.moving() and not self.session.finished and bool(lines) and lines[-1].kind == "customer"
        self._render_transcript(include_current=True, hold_last=hold)
        if self.session.finished:
            self._finish()
            return
        offers = self.session.offers
        # The buttons stay and take the next node's words: making, polishing and laying out new ones
        # on every choice cost more than the rest of the step. Only a change in their number adds or drops some.
        while len(self.reply_buttons) > len(offers):
            button = self.reply_buttons.pop()
            self.replies_layout.removeWidget(button)
            discard(button)
        for i, option in enumerate(offers):
            if i < len(self.reply_buttons):
                button = self.reply_buttons[i]
                button.set_plain_text(f"{option.number}. {option.text}")
            else:
                button = WrappingButton(f"{option.number}. {option.text}", self.replies_box)
                button.clicked.connect(self._on_reply_clicked)
                self.gate.watch(button)
                self.replies_layout.addWidget(button)
                # Shown now, not by the layout's queued show, so the reply area is measured with it (_fit_bottom).
                button.show()
                self.reply_buttons.append(button)
                if i > 0:
                    self.setTabOrder(self.reply_buttons[i - 1], button)
            button.setAccessibleName(f"Reply {option.number}: {option.text}")
            button.setProperty("reply_number", option.number)
        self.bottom.setCurrentIndex(0)
        self.feedback_buttons.hide()
        self.bottom_area.verticalScrollBar().setValue(0)
        self._awaiting_reply = True
        if hold:
            self._start_typing(lines[-1].text)
        else:
            self._reveal_replies()

    def _start_typing(self, text: str) -> None:
        assert self.session is not None
        name = self.session.scenario.persona.name
        self._typing = True
        self._shown_at = self.clock.now()
        self.countdown.stop()
        self._set_warning(False)
        self.timer_label.hide()
        self.timer_bar.hide()
        self.replies_box.hide()
        self.replies_heading.setText(f"{name} is typing… (press any key to skip)")
        self.transcript.show_typing(f"{name} is typing…")
        self._fit_bottom()
        self.transcript_area.setFocus(Qt.FocusReason.OtherFocusReason)
        self._skipper.start()
        self.typing_timer.start(round(typing_seconds(text) * 1000))

    def finish_typing(self) -> None:
        """End the typing pause now (its timer, any key or click): the customer's line, then the replies."""
        if not self._typing:
            return
        self._stop_typing()
        self._render_transcript(include_current=True)
        self._reveal_replies()

    def _stop_typing(self) -> None:
        self.typing_timer.stop()
        self._skipper.stop()
        if self._typing:
            self._typing = False
            self.transcript.hide_typing()
            self.replies_box.show()

    def _reveal_replies(self) -> None:
        assert self.session is not None
        count = len(self.reply_buttons)
        keys = "press 1" if count == 1 else f"press 1 to {count}"
        self.replies_heading.setText(f"Your reply ({keys}, or click):")
        self.replies_box.show()
        self._shown_at = self.clock.now()
        self.gate.reset()
        self._set_warning(False)
        if self.session.time_limited:
            self.timer_bar.setRange(0, max(1, round(self.session.allowed_seconds * 1000)))
            self.timer_label.show()
            self.timer_bar.show()
            self._show_time_left()
            self.countdown.start()
        else:
            self.countdown.stop()
            self.timer_label.setVisible(bool(self.session.timed))
            self.timer_label.setText("No time limit on this reply.")
            self.timer_bar.hide()
            self.timer_bar.setAccessibleDescription("")
        self._fit_bottom()
        if self.reply_buttons and self.isVisible():
            self.reply_buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_reply_clicked(self) -> None:
        number = self.sender().property("reply_number") if self.sender() is not None else None
        if isinstance(number, int):
            self.choose(number)

    def _show_time_left(self) -> None:
        left = self.seconds_left()
        if left is None:
            return
        shown = int(left) if left == int(left) else int(left) + 1  # round up: "0 s left" only when it is over
        assert self.session is not None
        warn = left <= WARNING_SHARE * self.session.allowed_seconds
        # The warning is in words as well as colour, so it never depends on seeing red.
        self.timer_label.setText(f"Time left: {shown} s. Time is nearly up!" if warn else f"Time left: {shown} s")
        self.timer_bar.setValue(round(left * 1000))
        self.timer_bar.setAccessibleDescription(
            f"{shown} seconds left to reply" + (": time is nearly up" if warn else "")
        )
        if warn and not self._warned:
            self.announce(f"Time is nearly up: {shown} seconds left to reply.")
        self._set_warning(warn)

    @property
    def time_warning(self) -> bool:
        """Whether the timer is in its last quarter and shows its warning."""
        return self._warned

    def _set_warning(self, on: bool) -> None:
        if on == self._warned:
            return
        self._warned = on
        for widget in (self.timer_label, self.timer_bar):
            if not on:
                widget.setPalette(QPalette())  # back to the inherited palette
                continue
            palette = widget.palette()
            colour = warning_colour(palette)
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            palette.setColor(QPalette.ColorRole.Highlight, colour)
            widget.setPalette(palette)

    # ---- acting ----------------------------------------------------------------------------
    def tick(self) -> None:
        """Once a second while a timed reply is awaited: update the countdown, or run out."""
        if self.session is None or not self._awaiting_reply or not self.session.time_limited:
            self.countdown.stop()
            return
        if self.elapsed() >= self.session.allowed_seconds:
            self.expire_timer()
        else:
            self._show_time_left()

    def expire_timer(self) -> None:
        """Time is up now: follow the node's timeout branch (tests call this instead of waiting)."""
        if self.session is None or not self._awaiting_reply or not self.session.time_limited:
            return
        self.countdown.stop()
        self._awaiting_reply = False
        response = max(self.elapsed(), self.session.allowed_seconds)
        try:
            result = self.session.time_out(response)
        except StoryError as exc:
            self.story_failed.emit(str(exc))
            return
        self._after_step(result)

    def choose(self, number: int) -> None:
        if self._typing:
            self.finish_typing()  # chosen before the line showed (a test, assistive technology): show it first
        if self.session is None or not self._awaiting_reply or not 1 <= number <= len(self.reply_buttons):
            return
        self.countdown.stop()
        self._awaiting_reply = False
        response = self.elapsed()
        try:
            result = self.session.choose(number, response)
        except StoryError as exc:
            log.warning("story error in %s: %s", self.session.scenario.id, exc)
            self.story_failed.emit(f"{self.session.scenario.title} stopped: {exc}")
            return
        self._after_step(result)

    def _after_step(self, result: StepResult) -> None:
        assert self.session is not None
        self.last_result = result
        self.choice_made.emit(result)
        if self.session.state.mode == "practice":
            self._show_feedback(result)
        else:
            self._show_node(pause=True)

    def _show_feedback(self, result: StepResult) -> None:
        assert self.session is not None and self.entry is not None
        self._update_mood()
        self._render_transcript(include_current=False)
        kind = self.session.scenario.persona.kind
        if result.reply is None:
            self.feedback_said.setText("Time ran out before you replied.")
        else:
            self.feedback_said.setText(f"You said: {result.reply.text}")
        self.feedback_why.setText(f"Why: {result.why}" if result.why else "")
        self.feedback_why.setVisible(bool(result.why))
        self.feedback_coaching.setText(f"Coaching: {result.feedback}" if result.feedback else "")
        self.feedback_coaching.setVisible(bool(result.feedback))
        self.feedback_effect.setText("Effect: " + deltas_in_words(result.step.deltas, self.entry.rubric))
        before = mood_state(result.step.mood_before, kind).words
        after = mood_state(result.step.mood_after, kind).words
        change = result.step.mood_after - result.step.mood_before
        self.feedback_mood.setText(
            f"Mood: {before} ({result.step.mood_before:+d}) → {after} ({result.step.mood_after:+d})"
            if change
            else f"Mood: unchanged, {after} ({result.step.mood_after:+d})"
        )
        self.take_back_button.setVisible(self.session.can_rewind)
        self.take_back_button.setEnabled(self.session.can_rewind)
        self.continue_button.setText("See the &debrief" if result.finished else "&Continue")
        self.continue_button.setAccessibleName("See the debrief" if result.finished else "Continue the conversation")
        self.bottom.setCurrentWidget(self.feedback_panel)
        self.feedback_buttons.show()
        self._fit_bottom()
        self.bottom_area.verticalScrollBar().setValue(0)
        self.gate.reset()
        self._set_warning(False)
        self.timer_label.hide()
        self.timer_bar.hide()
        self.continue_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def continue_on(self) -> None:
        if self.session is None or self.bottom.currentWidget() is not self.feedback_panel:
            return
        self._show_node(pause=True)

    def take_back(self) -> None:
        if self.session is None or not self.session.can_rewind:
            return
        self.session.rewind()
        self._show_node()

    def leave(self) -> None:
        self.countdown.stop()
        self._stop_typing()
        self._awaiting_reply = False
        self._close_leave_dialog()
        self.left.emit()

    def leave_message(self) -> str:
        """What leaving does to the attempt, truthfully: saved and resumable, or lost when it cannot be saved."""
        if self.session is None:
            return "Leave and go back to the library?"
        if self.store is None or self.session.save_problem:
            return (
                "Leave this conversation? Your attempt could not be saved, so it ends here and cannot be resumed later."
            )
        steps = len(self.session.state.steps)
        replies = f"{steps} repl{'y' if steps == 1 else 'ies'}" if steps else "no replies yet"
        return (
            f"Leave this conversation? Your attempt is saved ({replies}). "
            "To carry on where you left off, open this scenario's briefing and choose Resume."
        )

    def request_leave(self) -> None:
        """Ask before leaving (Escape): a stray key must not end the conversation unasked."""
        if self.leave_dialog is not None:
            return
        dialog = QMessageBox(self)
        dialog.setIcon(QMessageBox.Icon.Question)
        dialog.setWindowTitle("Leave the conversation?")
        dialog.setText(self.leave_message())
        stay = dialog.addButton("&Stay", QMessageBox.ButtonRole.RejectRole)
        leave = dialog.addButton("&Leave", QMessageBox.ButtonRole.AcceptRole)
        stay.setAccessibleName("Stay in the conversation")
        leave.setAccessibleName("Leave the conversation")
        dialog.setDefaultButton(stay)  # a held Enter must not leave either
        dialog.setEscapeButton(stay)
        self.leave_dialog = dialog
        self._leave_button_in_dialog = leave
        dialog.finished.connect(self._on_leave_answered)
        self.countdown.stop()  # the clock keeps counting: the tick resumes when the dialog closes
        dialog.open()

    def leave_dialog_button(self, leave: bool) -> QAbstractButton:
        """The dialog's Leave or Stay button (for tests and for a caller that drives the dialog)."""
        assert self.leave_dialog is not None and self._leave_button_in_dialog is not None
        stay = self.leave_dialog.escapeButton()
        assert stay is not None
        return self._leave_button_in_dialog if leave else stay

    def _on_leave_answered(self, _result: int) -> None:
        dialog = self.leave_dialog
        if dialog is None:
            return
        chose_leave = dialog.clickedButton() is self._leave_button_in_dialog
        self._close_leave_dialog()
        if chose_leave:
            self.leave()
        elif self.session is not None and self._awaiting_reply and self.session.time_limited:
            self.countdown.start()
            self.tick()

    def _close_leave_dialog(self) -> None:
        dialog, self.leave_dialog = self.leave_dialog, None
        if dialog is not None:
            dialog.finished.disconnect(self._on_leave_answered)
            dialog.hide()
            dialog.deleteLater()

    def _finish(self) -> None:
        assert self.session is not None
        self.countdown.stop()
        self._awaiting_reply = False
        debrief = self.session.finish()
        self.last_debrief = debrief
        self.conversation_finished.emit(debrief)

    # ---- keys ------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in DIGIT_KEYS and self._awaiting_reply and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            # A fresh press on replies that have been seen: a double or held key answers only once.
            if self.gate.accepts(event):
                self.choose(DIGIT_KEYS[key])
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.bottom.currentWidget() is self.feedback_panel:
            if self.gate.accepts(event):
                self.continue_on()
            event.accept()
            return
        if key == Qt.Key.Key_Escape and not event.isAutoRepeat():
            self.request_leave()
            event.accept()
            return
        super().keyPressEvent(event)
