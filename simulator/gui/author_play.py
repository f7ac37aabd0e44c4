"""'Play from here': a practice conversation that starts at a chosen node, with a chosen mood and flags.

The conversation is the trainee's own ConversationScreen, so the author sees exactly what a trainee
sees; nothing is recorded (no attempt store), and the debrief at the end is the trainee's debrief of
the steps played from that node.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from simulator.core import Debrief, PlayableScenario, Session, StoryError

from .conversation_screen import Clock, ConversationScreen
from .debrief_screen import DebriefScreen


class PlayWindow(QWidget):
    """A window of its own over the author window: the conversation, then its debrief.

    Emits play_started(Session) each time a conversation begins (again, after Retry) and play_failed(str)
    when the chosen start cannot be played.
    """

    play_started = Signal(object)
    play_failed = Signal(str)

    def __init__(
        self,
        entry: PlayableScenario,
        node_id: str,
        mood: int,
        flags: Iterable[str],
        *,
        timed: bool = False,
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.entry = entry
        self.node_id = node_id
        self.mood = mood
        self.flags = sorted(set(flags))
        self.timed = timed
        self.session: Session | None = None
        title = entry.scenario.title if entry.scenario is not None else entry.path.name
        self.setWindowTitle(f"Play from '{node_id}': {title}")
        self.stack = QStackedWidget(self)
        # No store: a playtest is not an attempt and never appears in anyone's history.
        self.conversation = ConversationScreen(store=None, clock=clock, parent=self.stack, reply_order=lambda: None)
        self.debrief = DebriefScreen(self.stack)
        self.debrief.another_button.hide()
        self.debrief.retry_button.setText("Play from '" + node_id.replace("&", "&&") + "' &again")
        self.debrief.library_button.setText("Back to the &graph")
        self.stack.addWidget(self.conversation)
        self.stack.addWidget(self.debrief)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.conversation.conversation_finished.connect(self._show_debrief)
        self.conversation.left.connect(self.close)
        self.conversation.story_failed.connect(self.play_failed)
        self.debrief.retry_requested.connect(self.start)
        self.debrief.library_requested.connect(self.close)
        self.debrief.another_requested.connect(self.close)
        self.resize(1000, 700)

    def start(self) -> bool:
        """Begin (or begin again) at the chosen node; False and play_failed when it cannot start there."""
        scenario, rubric = self.entry.scenario, self.entry.rubric
        if scenario is None or rubric is None:
            self.play_failed.emit(f"{self.entry.path.name} cannot be played")
            return False
        try:
            session = Session(
                scenario,
                rubric,
                self.entry.analysis,
                mode="practice",
                timed=self.timed,
                start_at=self.node_id,
                mood=self.mood,
                flags=self.flags,
            )
        except StoryError as exc:
            self.play_failed.emit(f"Cannot play from '{self.node_id}': {exc}")
            return False
        self.session = session
        self.stack.setCurrentWidget(self.conversation)
        self.conversation.begin_session(self.entry, session)
        self.play_started.emit(session)
        return True

    def _show_debrief(self, debrief: Debrief) -> None:
        self.debrief.show_debrief(debrief, self.entry.rubric)
        self.stack.setCurrentWidget(self.debrief)

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802
        self.conversation.countdown.stop()
        super().closeEvent(event)
