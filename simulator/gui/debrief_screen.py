"""The debrief screen: outcome, overall score and pass, trait chart, step-by-step review, key moments and tips."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSlider, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from simulator.core import Debrief, Rubric, StepReview
from simulator.core.scoring import NOT_ASSESSED, Tip
from simulator.core.text import reflow

from .charts import TraitChart
from .widgets import Heading, deltas_in_words, discard, make_button, scroll_area, seconds_text, text_label

SLICE_SECONDS = 0.006  # cards made per turn of the event loop, well inside one 60 Hz frame


def result_words(debrief: Debrief) -> str:
    if not debrief.finished:
        return "NOT FINISHED"
    return "PASSED" if debrief.passed else "NOT PASSED"


def timing_text(step: StepReview, timed: bool) -> str:
    taken = seconds_text(step.response_time)
    allowed = seconds_text(step.allowed_time)
    if step.timed_out:
        return f"Time ran out ({allowed} allowed)."
    if not timed:
        return f"You took {taken} (no time pressure, not scored)."
    if not step.time_limited:
        # The step said "No time limit on this reply": no allowance, and it never counts toward pace.
        return f"You took {taken} (no time limit on this reply, not scored)."
    return f"You took {taken} of {allowed} allowed: " + ("on time." if step.on_time else "late.")


def biggest_loss(debrief: Debrief) -> StepReview | None:
    """The reply that cost the most (a better one was on offer), or None when no reply lost anything."""
    losses = [s for s in debrief.steps if s.value < 0 and s.best is not None]
    return min(losses, key=lambda s: (s.value, s.index)) if losses else None


def next_time_text(debrief: Debrief) -> str:
    """The one thing to do better next time: the reply that cost most and what to say instead, and the
    advice for the weakest trait (the first tip); or, when nothing was lost, what to try next."""
    parts = []
    step = biggest_loss(debrief)
    if step is not None and step.best is not None:
        said = "you let the time run out." if step.timed_out else f"you said: “{step.chosen_text}”"
        parts.append(f"At step {step.index} {said}\nNext time try: “{step.best.text}”")
    if debrief.tips:
        tip = debrief.tips[0]
        parts.append(f"{tip.trait_name} ({tip.score}): {reflow(tip.advice)}")
    if not parts:
        return (
            "Nothing to fix: every reply was the best on offer. Try it in assessment mode with the timer on, "
            "or a harder scenario."
        )
    return "\n\n".join(parts)


class DebriefScreen(QWidget):
    """Shows a Debrief exactly as the core computed it."""

    retry_requested = Signal()
    another_requested = Signal()
    library_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.debrief: Debrief | None = None
        # The step-by-step cards, below the fold and many, are made after the top has been painted, a
        # few per turn of the event loop: the outcome and the one thing to do better show at once.
        self._pending: deque[Callable[[], None]] = deque()
        self._slice_timer = QTimer(self)
        self._slice_timer.setSingleShot(True)
        self._slice_timer.setInterval(0)
        self._slice_timer.timeout.connect(self._build_slice)
        self._build()
        self.outcome_label.installEventFilter(self)

    def _build(self) -> None:
        self.title = Heading("", 1.2)
        # Each label's accessible name is its own text, so a screen reader reads what is shown;
        # the description says what the text is.
        self.outcome_label = Heading("", 1.6)
        self.outcome_label.setAccessibleDescription("Outcome")
        self.summary_label = text_label()
        self.overall_label = Heading("", 1.3)
        self.overall_label.setWordWrap(False)  # short, and "/ 100" must not fall onto a line of its own
        self.overall_label.setAccessibleDescription("Overall score")
        self.result_label = Heading("", 1.3)
        self.result_label.setAccessibleDescription("Result")
        self.reason_label = text_label()
        self.reason_label.setAccessibleDescription("Why this result")
        self.settings_label = text_label()
        # Opens on the outcome and the one thing to do better next time; the details follow below.
        self.next_time_heading = Heading("One thing to do better next time", 1.15)
        self.next_time_label = text_label()
        self.next_time_label.setAccessibleDescription("One thing to do better next time")
        self.next_time_card = QFrame()
        self.next_time_card.setFrameShape(QFrame.Shape.StyledPanel)
        next_time_layout = QVBoxLayout(self.next_time_card)
        next_time_layout.addWidget(self.next_time_heading)
        next_time_layout.addWidget(self.next_time_label)

        self.chart = TraitChart()
        self._steps_box = QVBoxLayout()
        self.moments_label = text_label()
        self.moments_label.setAccessibleDescription("Key moments")
        self._tips_box = QVBoxLayout()

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.title)
        layout.addWidget(self.outcome_label)
        layout.addWidget(self.summary_label)
        score_row = QHBoxLayout()
        score_row.addWidget(self.overall_label)
        score_row.addSpacing(24)
        score_row.addWidget(self.result_label, 1)
        layout.addLayout(score_row)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.next_time_card)
        layout.addWidget(self.settings_label)
        layout.addWidget(Heading("Your traits", 1.15))
        layout.addWidget(self.chart)
        layout.addWidget(Heading("Key moments", 1.15))
        layout.addWidget(self.moments_label)
        self.tips_heading = Heading("Tips for your weakest traits", 1.15)
        layout.addWidget(self.tips_heading)
        layout.addLayout(self._tips_box)
        self.steps_heading = Heading("Step by step", 1.15)
        layout.addWidget(self.steps_heading)
        layout.addLayout(self._steps_box)
        layout.addStretch(1)
        # In the Tab chain with a visible focus frame; PageUp/PageDown/Home/End scroll it from anywhere here.
        self.scroll = scroll_area(content, "Debrief", focusable=True)

        self.retry_button = make_button("&Retry", "Retry this scenario with the same settings")
        self.retry_button.clicked.connect(self.retry_requested)
        self.another_button = make_button("&Another scenario", "Choose another scenario")
        self.another_button.clicked.connect(self.another_requested)
        self.library_button = make_button("Back to &library", "Back to the library")
        self.library_button.clicked.connect(self.library_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.library_button)
        buttons.addStretch(1)
        buttons.addWidget(self.another_button)
        buttons.addWidget(self.retry_button)

        outer = QVBoxLayout(self)
        outer.addWidget(self.scroll, 1)
        outer.addLayout(buttons)
        self.setTabOrder(self.scroll, self.retry_button)
        self.setTabOrder(self.retry_button, self.another_button)
        self.setTabOrder(self.another_button, self.library_button)

    @staticmethod
    def _clear(layout: QVBoxLayout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            if item.widget() is not None:
                discard(item.widget())

    def show_debrief(self, debrief: Debrief, rubric: Rubric | None) -> None:
        self.debrief = debrief
        self.title.setText(f"Debrief: {debrief.title}")
        self.outcome_label.setText(debrief.outcome_title)
        self.summary_label.setText(reflow(debrief.ending_summary))
        self.summary_label.setVisible(bool(debrief.ending_summary))
        if not debrief.finished:
            self.overall_label.setText("Overall score: none (the conversation did not finish)")
        elif debrief.overall is None:
            self.overall_label.setText(f"Overall score: not assessed ({NOT_ASSESSED})")
        else:
            self.overall_label.setText(f"Overall score: {debrief.overall} / 100")
        self.result_label.setText(f"{result_words(debrief)} (pass mark {debrief.pass_mark})")
        self.reason_label.setText(debrief.result_reason)
        self.reason_label.setVisible(bool(debrief.result_reason))
        self.result_label.setAccessibleDescription(
            f"Result. {debrief.result_reason}" if debrief.result_reason else "Result"
        )
        self.settings_label.setText(
            ("Practice" if debrief.mode == "practice" else "Assessment")
            + (" with the timer on." if debrief.timed else " with no time pressure.")
        )
        self.next_time_label.setText(next_time_text(debrief))
        self.next_time_card.setVisible(debrief.finished)
        self.chart.set_traits(debrief.traits)

        if debrief.key_moments:
            self.moments_label.setText(
                "\n".join(
                    f"Step {m.step}, {'a gain' if m.kind == 'gain' else 'a loss'}: “{m.text}” {m.why}"
                    for m in debrief.key_moments
                )
            )
        else:
            self.moments_label.setText("No single reply stood out either way.")

        self._pending.clear()
        self._slice_timer.stop()
        self._clear(self._tips_box)
        self._clear(self._steps_box)
        if not debrief.tips:
            self._tips_box.addWidget(text_label("Every assessed trait is at 100. Well done."))
        for tip in debrief.tips:  # a few, and read right after the outcome: made at once
            self._tips_box.addWidget(self._tip_card(tip))
        for step in debrief.steps:
            self._pending.append(
                lambda step=step: self._steps_box.addWidget(self._step_card(step, debrief.timed, rubric))
            )
        self.scroll.verticalScrollBar().setValue(0)

    @property
    def steps_box(self) -> QVBoxLayout:
        """The step-by-step cards, every one of them: reading them finishes what is still being made."""
        self.finish_building()
        return self._steps_box

    @property
    def tips_box(self) -> QVBoxLayout:
        return self._tips_box

    @property
    def building(self) -> bool:
        """Whether cards below the top are still to be made (they come a few per turn of the event loop)."""
        return bool(self._pending)

    def finish_building(self) -> None:
        """Make every card still pending now (a reader of the whole debrief, a test)."""
        self._slice_timer.stop()
        while self._pending:
            self._pending.popleft()()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Started by the top's first paint, so the cards never delay it.
        if event.type() == QEvent.Type.Paint and self._pending and not self._slice_timer.isActive():
            self._slice_timer.start()
        return False

    def _build_slice(self) -> None:
        # A few milliseconds of cards per turn: the window keeps answering keys and scrolling meanwhile.
        deadline = time.perf_counter() + SLICE_SECONDS
        while self._pending:
            self._pending.popleft()()
            if time.perf_counter() >= deadline:
                break
        if self._pending:
            self._slice_timer.start()

    def _tip_card(self, tip: Tip) -> QFrame:
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card_layout = QVBoxLayout(card)
        card_layout.addWidget(Heading(f"{tip.trait_name}: {tip.score}", 1.0))
        card_layout.addWidget(text_label(tip.advice))
        quote = text_label(f"“{tip.quote}” — {tip.document_title}", italic=True)
        quote.setAccessibleDescription(f"Quote from {tip.document_title}")
        card_layout.addWidget(quote)
        return card

    def _step_card(self, step: StepReview, timed: bool, rubric: Rubric | None) -> QFrame:
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setAccessibleName(f"Step {step.index}")
        layout = QVBoxLayout(card)
        layout.addWidget(Heading(f"Step {step.index}", 1.0))
        layout.addWidget(text_label(f"Customer: “{reflow(step.customer)}”"))
        if step.timed_out:
            layout.addWidget(text_label("Your reply: none, time ran out."))
        else:
            layout.addWidget(text_label(f"Your reply ({step.chosen_number}): “{step.chosen_text}”"))
        layout.addWidget(text_label(f"Effect: {deltas_in_words(step.deltas, rubric)}."))
        if step.why:
            layout.addWidget(text_label(f"Why: {reflow(step.why)}"))
        if step.best is not None:
            better = text_label(
                f"Better reply ({step.best.number}): “{step.best.text}”\n"
                f"Effect: {deltas_in_words(step.best.deltas, rubric)}. Why: {reflow(step.best.why)}"
            )
            better.setAccessibleDescription(f"Better reply for step {step.index}")
            layout.addWidget(better)
        else:
            layout.addWidget(text_label("That was the best reply on offer."))
        layout.addWidget(text_label(timing_text(step, timed)))
        return card

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Page keys scroll the debrief wherever focus is on this screen; Escape goes back to the library."""
        actions = {
            Qt.Key.Key_PageDown: QAbstractSlider.SliderAction.SliderPageStepAdd,
            Qt.Key.Key_PageUp: QAbstractSlider.SliderAction.SliderPageStepSub,
            Qt.Key.Key_Home: QAbstractSlider.SliderAction.SliderToMinimum,
            Qt.Key.Key_End: QAbstractSlider.SliderAction.SliderToMaximum,
        }
        key = Qt.Key(event.key())
        if key in actions:
            self.scroll.verticalScrollBar().triggerAction(actions[key])
            event.accept()
            return
        if key == Qt.Key.Key_Escape and not event.isAutoRepeat():
            event.accept()
            self.library_requested.emit()
            return
        super().keyPressEvent(event)

    def focus_first(self) -> None:
        self.retry_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def trait_texts(self) -> dict[str, str]:
        """Trait name to the score as shown, read back from the chart's text description."""
        texts = {}
        for line in self.chart.accessibleDescription().splitlines():
            name, _, value = line.rpartition(": ")
            texts[name.removesuffix(" (in focus)")] = value
        return texts
