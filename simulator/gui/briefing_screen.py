"""The briefing screen: who the customer is, what is assessed, and how to play (mode and timer) before starting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from simulator.core import AttemptRecord, PlayableScenario
from simulator.core.text import reflow

from .widgets import (
    Clock,
    ElapsedClock,
    Heading,
    IconText,
    InputGate,
    avatar_svg,
    icon_path,
    kind_icon,
    kind_word,
    make_button,
    scroll_area,
    text_label,
)

AVATAR_SIZE = 160
SIDE_WIDTH = 330
MODE_KEY = "briefing/mode"
TIMED_KEY = "briefing/timed"

PRACTICE_TEXT = (
    "Practice: after each reply you see why it helped or hurt and how it moved each trait, "
    "and you can take back your last reply once."
)
ASSESSMENT_TEXT = "Assessment: no feedback and no taking back until the debrief at the end, as in a real conversation."
TIMER_ON_TEXT = (
    "Timer on: some replies have a time limit (reading time plus the scenario's limit). "
    "Answering slowly lowers Timeliness."
)
TIMER_OFF_TEXT = "No time pressure: take as long as you need; response times are not scored and nothing times out."


class BriefingScreen(QWidget):
    """Shows one scenario's briefing; Start emits start_requested(entry, mode, timed)."""

    start_requested = Signal(object, str, bool)
    resume_requested = Signal(object, object)  # (entry, AttemptRecord)
    discard_requested = Signal(object, object)  # (entry, AttemptRecord)
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, clock: Clock | None = None) -> None:
        super().__init__(parent)
        self._entry: PlayableScenario | None = None
        self._unfinished: AttemptRecord | None = None
        self.picture: Path | None = None
        # Enter held or pressed twice in the library must not start the conversation unread.
        self.gate = InputGate(clock or ElapsedClock(), parent=self)
        self._build()

    def _build(self) -> None:
        self.avatar = QSvgWidget()
        self.avatar.setFixedSize(QSize(AVATAR_SIZE, AVATAR_SIZE))
        self.avatar.setAccessibleName("Customer's picture")

        self.title = Heading("", 1.6)
        self.persona_name = Heading("", 1.2)
        self.kind_line = IconText(28)
        self.description = text_label()
        self.meta = text_label()

        persona_text = QVBoxLayout()
        persona_text.addWidget(self.title)
        persona_text.addWidget(self.persona_name)
        persona_text.addWidget(self.kind_line)
        persona_text.addWidget(self.description)
        persona_text.addWidget(self.meta)
        persona_text.addStretch(1)
        persona_row = QHBoxLayout()
        persona_row.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        persona_row.addLayout(persona_text, 1)

        self.setting = text_label()
        self.summary = text_label()
        self.briefing = text_label()
        self.assessed = text_label()

        # ---- how to play
        self.practice_radio = QRadioButton("&Practice")
        self.practice_radio.setAccessibleName("Practice mode")
        self.assessment_radio = QRadioButton("A&ssessment")
        self.assessment_radio.setAccessibleName("Assessment mode")
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.practice_radio)
        self.mode_group.addButton(self.assessment_radio)
        self.mode_explanation = text_label(selectable=False)
        self.practice_radio.toggled.connect(self._explain)
        mode_box = QGroupBox("Mode")
        mode_layout = QVBoxLayout(mode_box)
        radios = QHBoxLayout()
        radios.addWidget(self.practice_radio)
        radios.addWidget(self.assessment_radio)
        radios.addStretch(1)
        mode_layout.addLayout(radios)
        mode_layout.addWidget(self.mode_explanation)

        self.timer_check = QCheckBox("&Timer on")
        self.timer_check.setAccessibleName("Timer on")
        self.timer_explanation = text_label(selectable=False)
        self.timer_check.toggled.connect(self._explain)
        timer_box = QGroupBox("Time")
        timer_layout = QVBoxLayout(timer_box)
        timer_layout.addWidget(self.timer_check)
        timer_layout.addWidget(self.timer_explanation)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addLayout(persona_row)
        for heading, label in (
            ("Setting", self.setting),
            ("Summary", self.summary),
            ("Your briefing", self.briefing),
            ("What is assessed", self.assessed),
        ):
            layout.addWidget(Heading(heading, 1.15))
            layout.addWidget(label)
        layout.addStretch(1)

        self.back_button = make_button("&Back", "Back to the library")
        self.back_button.clicked.connect(self.back_requested)
        self.start_button = make_button("Sta&rt conversation", "Start the conversation")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self._start)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)

        # An attempt left unfinished (closed window, crash) is offered first, where the trainee looks to start.
        self.unfinished_box = QGroupBox("Unfinished attempt")
        unfinished_layout = QVBoxLayout(self.unfinished_box)
        self.unfinished_label = text_label()
        # Named for what it is; its description carries the words shown (set with them).
        self.unfinished_label.setAccessibleName("Unfinished attempt")
        self.resume_button = make_button("Res&ume where you left off", "Carry on the unfinished attempt")
        self.resume_button.clicked.connect(self._resume)
        self.discard_button = make_button("&Discard it", "Delete the unfinished attempt")
        self.discard_button.clicked.connect(self._discard)
        unfinished_layout.addWidget(self.unfinished_label)
        unfinished_buttons = QHBoxLayout()
        unfinished_buttons.addWidget(self.resume_button)
        unfinished_buttons.addWidget(self.discard_button)
        unfinished_buttons.addStretch(1)
        unfinished_layout.addLayout(unfinished_buttons)
        self.unfinished_box.hide()

        # How to play sits beside the briefing, next to Start, so the choice and the next step are always in view.
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.unfinished_box)
        side_layout.addWidget(Heading("How to play", 1.15))
        side_layout.addWidget(mode_box)
        side_layout.addWidget(timer_box)
        side_layout.addStretch(1)
        side_scroll = scroll_area(side, "How to play")
        side_scroll.setFixedWidth(SIDE_WIDTH)
        right = QVBoxLayout()
        right.addWidget(side_scroll, 1)
        right.addLayout(buttons)

        outer = QHBoxLayout(self)
        # The briefing itself can be longer than the window: it takes Tab focus to scroll by keyboard.
        self.content_scroll = scroll_area(content, "Briefing", focusable=True)
        outer.addWidget(self.content_scroll, 1)
        for button in (self.start_button, self.back_button, self.resume_button, self.discard_button):
            self.gate.watch(button)
        outer.addLayout(right)

        self.setTabOrder(self.practice_radio, self.assessment_radio)
        self.setTabOrder(self.assessment_radio, self.timer_check)
        self.setTabOrder(self.timer_check, self.start_button)
        self.setTabOrder(self.start_button, self.back_button)
        self.setTabOrder(self.back_button, self.content_scroll)

    @property
    def entry(self) -> PlayableScenario | None:
        return self._entry

    @property
    def input_ready(self) -> bool:
        """Whether a key press or click can act: the briefing has been painted and has settled."""
        return self.gate.ready

    @property
    def mode(self) -> str:
        return "assessment" if self.assessment_radio.isChecked() else "practice"

    @property
    def timed(self) -> bool:
        return self.timer_check.isChecked()

    def show_entry(self, entry: PlayableScenario) -> None:
        scenario = entry.scenario
        assert scenario is not None, "only playable entries have a briefing"
        self._entry = entry
        persona = scenario.persona
        picture = avatar_svg(entry.path, persona.avatar, persona.mood, persona.kind)
        self.picture = picture or icon_path(persona.kind)  # the file shown (the kind icon only when the set is missing)
        self.avatar.load(str(self.picture))
        self.avatar.setAccessibleDescription(f"{persona.name}, {kind_word(persona.kind).lower()} customer")
        self.title.setText(scenario.title)
        self.persona_name.setText(persona.name)
        self.kind_line.show_icon_text(kind_icon(persona.kind), f"{kind_word(persona.kind)} customer")
        self.description.setText(reflow(persona.description or ""))
        self.description.setVisible(bool(persona.description))
        self.meta.setText(
            f"Difficulty: {scenario.difficulty.capitalize()} · About {scenario.minutes} min · "
            f"Pass mark {scenario.pass_mark} out of 100"
        )
        self.setting.setText(scenario.setting)
        self.summary.setText(reflow(scenario.summary))
        self.briefing.setText(reflow(scenario.briefing))
        lines = []
        for trait_id in scenario.focus:
            if entry.rubric is not None and entry.rubric.has_trait(trait_id):
                trait = entry.rubric.trait(trait_id)
                lines.append(f"• {trait.name}: {trait.description}")
            else:
                lines.append(f"• {trait_id}")
        self.assessed.setText(
            "\n".join(lines) + "\n\nOther traits your replies touch are scored too; the debrief shows them all."
        )
        self.gate.reset()
        self.content_scroll.verticalScrollBar().setValue(0)
        settings = QSettings()
        mode = settings.value(MODE_KEY, "practice")
        (self.assessment_radio if mode == "assessment" else self.practice_radio).setChecked(True)
        self.timer_check.setChecked(str(settings.value(TIMED_KEY, "true")).lower() == "true")
        self._explain()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and not event.isAutoRepeat():
            event.accept()
            self.back_requested.emit()
            return
        super().keyPressEvent(event)

    def _explain(self) -> None:
        self.mode_explanation.setText(ASSESSMENT_TEXT if self.assessment_radio.isChecked() else PRACTICE_TEXT)
        self.timer_explanation.setText(TIMER_ON_TEXT if self.timer_check.isChecked() else TIMER_OFF_TEXT)

    def focus_start(self) -> None:
        button = self.resume_button if self.resume_button.isVisibleTo(self) else self.start_button
        button.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_unfinished(self, record: AttemptRecord | None, changed: bool = False) -> None:
        """Offer the newest unfinished attempt at this scenario, or hide the offer (record None).

        ``changed``: the scenario file changed since the attempt began, so it cannot carry on; the
        transcript it saved is shown instead, and the trainee can discard it.
        """
        self._unfinished = record
        self.unfinished_box.setVisible(record is not None)
        if record is None:
            return
        when = record.updated_at.replace("T", " ")[:16]
        how = ("practice" if record.mode == "practice" else "assessment") + (
            ", timer on" if record.timed else ", no time pressure"
        )
        replies = f"{record.steps} repl{'y' if record.steps == 1 else 'ies'}"
        if changed:
            said = "\n".join(
                (f"{line.get('speaker')}: " if line.get("speaker") else "") + str(line.get("text", ""))
                for line in record.transcript or []
            )
            self.unfinished_label.setText(
                f"You left an attempt unfinished on {when} ({how}, {replies}), but this scenario has changed "
                "since, so it cannot carry on where it left off. Start a new conversation, or discard it. "
                f"What was said so far:\n\n{said}"
            )
        else:
            self.unfinished_label.setText(
                f"You left an attempt unfinished on {when} ({how}, {replies}). Resume it exactly where you "
                "left off, or discard it. Starting a new conversation keeps it for later."
            )
        self.unfinished_label.setAccessibleDescription(self.unfinished_label.text())
        self.resume_button.setVisible(not changed)

    def _resume(self) -> None:
        if self._entry is not None and self._unfinished is not None:
            self.resume_requested.emit(self._entry, self._unfinished)

    def _discard(self) -> None:
        if self._entry is not None and self._unfinished is not None:
            self.discard_requested.emit(self._entry, self._unfinished)

    def _start(self) -> None:
        if self._entry is None:
            return
        settings = QSettings()
        settings.setValue(MODE_KEY, self.mode)
        settings.setValue(TIMED_KEY, "true" if self.timed else "false")
        self.start_requested.emit(self._entry, self.mode, self.timed)
