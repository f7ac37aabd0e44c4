"""The main window: one stack of screens (library, briefing, conversation, debrief, progress), the trainee
profile, text zoom and saved geometry."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QProcess, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from simulator.core.errors import FrontlineError, StorageError
from simulator.core.library import PlayableScenario, library_rubric
from simulator.core.library_worker import frontline_command

from .library_screen import LibraryScreen
from .theme import apply_saved_theme
from .widgets import app_icon, make_button, text_label

if TYPE_CHECKING:
    from simulator.core.models import Rubric
    from simulator.core.scoring import Debrief
    from simulator.core.storage import AttemptRecord, AttemptStore

    from .briefing_screen import BriefingScreen
    from .conversation_screen import Clock, ConversationScreen, ReplyOrder
    from .debrief_screen import DebriefScreen
    from .progress_screen import ProgressScreen
    from .settings_dialog import LrsSettingsDialog
    from .theme_dialog import ThemeDialog

log = logging.getLogger(__name__)

GEOMETRY_KEY = "window/geometry"
ZOOM_KEY = "view/zoom_steps"
TRAINEE_KEY = "trainee/last"
FRAME_ALLOWANCE = (16, 48)  # pixels: a window manager's borders and title bar, at most, on the usual desktops
NO_NAME = "(no name)"
MIN_POINT_SIZE = 6.0
MAX_ZOOM_STEPS = 12


class MainWindow(QMainWindow):
    """Switches between the four screens; owns no play logic of its own."""

    def __init__(
        self,
        store: AttemptStore | None = None,
        extra_library_dirs: Sequence[Path] = (),
        *,
        clock: Clock | None = None,
        reply_order: ReplyOrder | None = None,
        include_bundled: bool = True,
        storage_problem: str | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.setWindowTitle("Frontline")
        self.setWindowIcon(app_icon())
        self.setMinimumSize(800, 560)
        self._retry: tuple[PlayableScenario, str, bool] | None = None

        app = QApplication.instance()
        # Zoom is relative to the font the system gave us, so Ctrl+0 goes back to it exactly.
        self._base_font = QFont(app.font()) if isinstance(app, QApplication) else QFont()
        self._zoom_steps = 0

        self.library = LibraryScreen(extra_library_dirs, include_bundled=include_bundled)
        # The other screens (and the modules behind them) are made when first needed, so the library
        # paints without waiting for the play engine, the charts and the PDF writer to load.
        self._clock = clock
        self._reply_order = reply_order
        self._briefing: BriefingScreen | None = None
        self._conversation: ConversationScreen | None = None
        self._debrief: DebriefScreen | None = None
        self._progress: ProgressScreen | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self.library)
        self._sync_process: QProcess | None = None
        self.last_sync_exit_code: int | None = None
        self._header = self._build_header()

        # A banner rather than a modal box: a storage problem should not block practice.
        self.banner = QFrame()
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        banner_layout = QHBoxLayout(self.banner)
        banner_icon = QLabel()
        banner_icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(24, 24))
        banner_layout.addWidget(banner_icon)
        self.banner_label = text_label()
        self.banner_label.setAccessibleName("Problem")
        self.banner_close = make_button("&Dismiss", "Dismiss this message")
        self.banner_close.clicked.connect(self.banner.hide)
        banner_layout.addWidget(self.banner_label, 1)
        banner_layout.addWidget(self.banner_close)
        self.banner.hide()

        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.addWidget(self._header)
        central_layout.addWidget(self.banner)
        central_layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._wire()
        self._add_zoom_actions()
        self._add_author_menu()
        settings_menu = self.menuBar().addMenu("&Settings")
        self.lrs_action = QAction("&Learning record store…", self)
        self.lrs_action.triggered.connect(self.edit_lrs_settings)
        settings_menu.addAction(self.lrs_action)
        self.theme_action = QAction("&Theme…", self)
        self.theme_action.triggered.connect(self.edit_theme)
        settings_menu.addAction(self.theme_action)
        apply_saved_theme()  # Light, Dark or System, as chosen last time
        self._restore_settings()
        if storage_problem:
            self.show_problem(f"Your attempts will not be saved: {storage_problem}")
        elif store is not None and store.notice:
            self.show_problem(store.notice)
        self.show_library()
        self.library.reload()

    # ---- wiring ----------------------------------------------------------------------------
    def _wire(self) -> None:
        self.library.scenario_opened.connect(self.show_briefing)
        self.library.open_failed.connect(self.show_problem)
        self.library.loading_finished.connect(self._refresh_best_scores)

    @property
    def briefing(self) -> BriefingScreen:
        if self._briefing is None:
            from .briefing_screen import BriefingScreen

            screen = BriefingScreen(clock=self._clock)
            self.stack.addWidget(screen)
            screen.back_requested.connect(self.show_library)
            screen.start_requested.connect(self.start_conversation)
            screen.resume_requested.connect(self.resume_conversation)
            screen.discard_requested.connect(self.discard_attempt)
            self._briefing = screen
        return self._briefing

    @property
    def conversation(self) -> ConversationScreen:
        if self._conversation is None:
            from .conversation_screen import ConversationScreen

            screen = ConversationScreen(store=self.store, clock=self._clock, reply_order=self._reply_order)
            self.stack.addWidget(screen)
            screen.trainee = self.trainee
            screen.conversation_finished.connect(self.show_debrief)
            screen.left.connect(self.show_library)
            screen.storage_failed.connect(self._storage_failed)
            screen.story_failed.connect(self._story_failed)
            screen.conversation_finished.connect(self._sync_in_background)
            self._conversation = screen
        return self._conversation

    @property
    def debrief(self) -> DebriefScreen:
        if self._debrief is None:
            from .debrief_screen import DebriefScreen

            screen = DebriefScreen()
            self.stack.addWidget(screen)
            screen.retry_requested.connect(self.retry)
            screen.another_requested.connect(self._another)
            screen.library_requested.connect(self.show_library)
            self._debrief = screen
        return self._debrief

    @property
    def progress(self) -> ProgressScreen:
        if self._progress is None:
            from .progress_screen import ProgressScreen

            screen = ProgressScreen()
            self.stack.addWidget(screen)
            screen.back_requested.connect(self.show_library)
            screen.debrief_requested.connect(self.show_past_debrief)
            screen.pdf_requested.connect(self._ask_pdf)
            screen.export_requested.connect(self._ask_export)
            self._progress = screen
        return self._progress

    def _add_author_menu(self) -> None:
        """Tools > Author a scenario…; the author window's module loads when it is chosen."""

        def author() -> None:
            from .author_window import ask_and_open_author

            ask_and_open_author(self)

        menu = self.menuBar().addMenu("&Tools")
        action = QAction("&Author a scenario…", self)
        action.setStatusTip("Open a scenario file with its problems, branch graph and Play from here")
        action.triggered.connect(author)
        menu.addAction(action)

    def _add_zoom_actions(self) -> None:
        for name, shortcuts, slot in (
            (
                "Larger text",
                [QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")],
                self.zoom_in,
            ),
            ("Smaller text", [QKeySequence.StandardKey.ZoomOut, QKeySequence("Ctrl+-")], self.zoom_out),
            ("Normal text size", [QKeySequence("Ctrl+0")], self.zoom_reset),
        ):
            action = QAction(name, self)
            keys: list[QKeySequence] = []
            for shortcut in shortcuts:
                seqs = (
                    QKeySequence.keyBindings(shortcut) if isinstance(shortcut, QKeySequence.StandardKey) else [shortcut]
                )
                keys.extend(s for s in seqs if s not in keys)
            action.setShortcuts(keys)
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    # ---- screens ---------------------------------------------------------------------------
    def current_screen(self) -> QWidget:
        return self.stack.currentWidget()

    def _set_screen(self, screen: QWidget, subtitle: str = "") -> None:
        self.stack.setCurrentWidget(screen)
        self.setWindowTitle(f"Frontline — {subtitle}" if subtitle else "Frontline")
        # The profile changes only between attempts; the PDF button belongs to a debrief.
        between_attempts = screen is self.library or (screen is self._progress and screen is not None)
        self.trainee_choice.setEnabled(between_attempts)
        self.new_trainee_button.setEnabled(between_attempts)
        self.pdf_button.setVisible(screen is self._debrief and screen is not None)

    # ---- the header: trainee, progress, PDF ----------------------------------------------------
    def _build_header(self) -> QWidget:
        header = QWidget()
        row = QHBoxLayout(header)
        row.setContentsMargins(8, 4, 8, 0)
        self.trainee_choice = QComboBox(header)
        self.trainee_choice.setAccessibleName("Trainee")
        self.trainee_choice.setMinimumContentsLength(16)
        label = QLabel("Trai&nee:", header)
        label.setBuddy(self.trainee_choice)
        self.new_trainee_button = make_button("Ne&w trainee…", "Add a trainee profile")
        self.new_trainee_button.clicked.connect(self._ask_new_trainee)
        self.progress_button = make_button("Pro&gress", "Your attempts, trends and what to practise next")
        self.progress_button.clicked.connect(self.show_progress)
        self.pdf_button = make_button("Save debrief as P&DF…", "Save this debrief as a PDF file")
        self.pdf_button.clicked.connect(self._ask_pdf_current)
        self.pdf_button.hide()
        row.addWidget(label)
        row.addWidget(self.trainee_choice)
        row.addWidget(self.new_trainee_button)
        row.addStretch(1)
        row.addWidget(self.pdf_button)
        row.addWidget(self.progress_button)
        self._fill_trainees(str(QSettings().value(TRAINEE_KEY, "") or ""))
        self.trainee_choice.currentIndexChanged.connect(self._trainee_changed)
        return header

    @property
    def trainee(self) -> str:
        """The profile new attempts are recorded under ("" for no name)."""
        name = self.trainee_choice.currentData()
        return str(name) if name else ""

    def _fill_trainees(self, select: str) -> None:
        names: list[str] = []
        if self.store is not None:
            try:
                names = self.store.profiles()
            except StorageError as exc:
                self.show_problem(f"The trainee profiles cannot be read: {exc}")
        self.trainee_choice.blockSignals(True)
        self.trainee_choice.clear()
        self.trainee_choice.addItem(NO_NAME, "")
        for name in names:
            self.trainee_choice.addItem(name, name)
        found = self.trainee_choice.findData(select)
        self.trainee_choice.setCurrentIndex(max(0, found))
        self.trainee_choice.blockSignals(False)
        if self._conversation is not None:
            self._conversation.trainee = self.trainee

    def add_trainee(self, name: str) -> str | None:
        """Create (or pick) a profile and make it current; None when the name is not usable."""
        if self.store is None:
            self.show_problem("Profiles need the attempt records, which cannot be used right now.")
            return None
        try:
            added = self.store.add_profile(name)
        except StorageError as exc:
            self.show_problem(str(exc))
            return None
        self._fill_trainees(added)
        self._trainee_changed()
        return added

    def _ask_new_trainee(self) -> None:
        name, ok = QInputDialog.getText(self, "New trainee", "Trainee's name (as it should appear in records):")
        if ok and name.strip():
            self.add_trainee(name)

    def _trainee_changed(self) -> None:
        if self._conversation is not None:
            self._conversation.trainee = self.trainee
        QSettings().setValue(TRAINEE_KEY, self.trainee)
        self._refresh_best_scores()
        if self._progress is not None and self.current_screen() is self._progress:
            self.show_progress()

    def _rubric(self) -> Rubric | None:
        # The library lists summaries only: the rubric is read from the first playable file's folder.
        first = next((e for e in self.library.entries if e.ok), None)
        if first is not None:
            rubric, _ = library_rubric(first.path.parent)
            if rubric is not None:
                return rubric
        try:
            from simulator.core.loader import load_rubric

            return load_rubric()
        except FrontlineError:
            return None

    def show_progress(self) -> None:
        records: list[AttemptRecord] = []
        if self.store is not None:
            try:
                records = self.store.attempts(trainee=self.trainee)
            except StorageError as exc:
                self.show_problem(f"Your attempts cannot be read: {exc}")
        rubric = self._rubric()
        names = {t.id: t.name for t in rubric.traits} if rubric is not None else {}
        library = [e for e in self.library.entries if e.ok]  # each has the id, title and focus it needs
        self.progress.show_records(records, names, library, self.trainee)
        self._set_screen(self.progress, "Progress")
        self.progress.focus_first()

    def show_past_debrief(self, debrief: Debrief, record: AttemptRecord) -> None:
        listed = next((e for e in self.library.entries if e.ok and e.id == record.scenario_id), None)
        entry = listed.load() if listed is not None else None
        if entry is not None and not entry.ok:
            entry = None
        self._retry = (entry, record.mode, record.timed) if entry is not None else None
        self.debrief.show_debrief(debrief, entry.rubric if entry is not None else self._rubric())
        self._set_screen(self.debrief, f"Debrief: {debrief.title}")
        self.debrief.focus_first()

    def save_pdf(self, debrief: Debrief, path: Path | str) -> bool:
        from .pdf_export import PdfError, write_debrief_pdf

        try:
            write_debrief_pdf(debrief, path, QApplication.font())
        except PdfError as exc:
            self.show_problem(str(exc))
            return False
        return True

    def _ask_pdf(self, debrief: Debrief, record: AttemptRecord | None = None) -> None:
        suggested = f"{debrief.scenario_id}-debrief.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Save debrief as PDF", suggested, "PDF files (*.pdf)")
        if path:
            self.save_pdf(debrief, path)

    def _ask_pdf_current(self) -> None:
        if self._debrief is not None and self._debrief.debrief is not None:
            self._ask_pdf(self.debrief.debrief)

    def export_history(self, fmt: str, path: Path | str) -> bool:
        """Write this trainee's attempts as CSV or JSON, atomically."""
        if self.store is None:
            self.show_problem("There are no attempt records to export.")
            return False
        try:
            records = self.store.attempts(trainee=self.trainee)
            from simulator.core.exports import history_csv, history_json, write_atomic

            text = history_csv(records) if fmt == "csv" else history_json(records)
            write_atomic(path, text.encode("utf-8"))
        except FrontlineError as exc:
            self.show_problem(str(exc))
            return False
        return True

    def _ask_export(self, fmt: str) -> None:
        label = "CSV files (*.csv)" if fmt == "csv" else "JSON files (*.json)"
        path, _ = QFileDialog.getSaveFileName(self, "Export attempts", f"frontline-attempts.{fmt}", label)
        if path:
            self.export_history(fmt, path)

    def edit_lrs_settings(self) -> LrsSettingsDialog:
        """Open the LRS settings (non-modal, so a test or a screen reader can drive it)."""
        from .settings_dialog import LrsSettingsDialog

        dialog = LrsSettingsDialog(self)
        dialog.open()
        return dialog

    def edit_theme(self) -> ThemeDialog:
        """Open Settings > Theme (non-modal, like the LRS settings)."""
        from .theme_dialog import ThemeDialog

        dialog = ThemeDialog(self)
        dialog.open()
        return dialog

    def _sync_in_background(self) -> None:
        """Send finished attempts to the learning record store, if one is set up, in another process:
        a slow or absent LRS never holds up the window, and what is not sent waits for next time."""
        from simulator.core.lrs import LrsSettings

        if self.store is None or LrsSettings.load() is None or self._sync_process is not None:
            return
        process = QProcess(self)
        program, *args = frontline_command("sync", "--records", str(self.store.path))
        process.finished.connect(self._sync_done)
        self._sync_process = process
        process.start(program, args)

    def _sync_done(self, exit_code: int = 0) -> None:
        self.last_sync_exit_code = exit_code  # 1: some statements wait for the next sync (nothing is lost)
        if self._sync_process is not None:
            self._sync_process.deleteLater()
            self._sync_process = None

    def show_library(self) -> None:
        self._set_screen(self.library, "Library")
        self._refresh_best_scores()
        self.library.focus_list()

    def show_briefing(self, entry: PlayableScenario) -> None:
        self.briefing.show_entry(entry)
        self.briefing.show_unfinished(*self._unfinished_attempt(entry))
        self._set_screen(self.briefing, f"Briefing: {entry.title}")
        self.briefing.focus_start()

    def _unfinished_attempt(self, entry: PlayableScenario) -> tuple[AttemptRecord | None, bool]:
        """The newest unfinished attempt at this scenario, and whether the scenario changed under it."""
        if self.store is None or entry.scenario is None:
            return None, False
        try:
            found = self.store.unfinished(entry.scenario.id, trainee=self.trainee)
        except StorageError as exc:
            self.show_problem(f"Your unfinished attempts cannot be read: {exc}")
            return None, False
        if not found:
            return None, False
        record = found[0]
        return record, bool(record.fingerprint) and record.fingerprint != entry.scenario.fingerprint()

    def resume_conversation(self, entry: PlayableScenario, record: AttemptRecord) -> None:
        self._retry = (entry, record.mode, record.timed)
        self._set_screen(self.conversation, entry.title)
        if not self.conversation.resume(entry, record):
            self.show_briefing(entry)

    def discard_attempt(self, entry: PlayableScenario, record: AttemptRecord) -> None:
        if self.store is not None:
            try:
                self.store.discard(record.id)
            except StorageError as exc:
                self.show_problem(f"That attempt could not be discarded: {exc}")
        self.show_briefing(entry)

    def start_conversation(self, entry: PlayableScenario, mode: str, timed: bool) -> None:
        self._retry = (entry, mode, timed)
        self._set_screen(self.conversation, entry.title)
        if not self.conversation.start(entry, mode, timed):
            self.show_library()

    def show_debrief(self, debrief: Debrief) -> None:
        entry = self.conversation.entry
        self.debrief.show_debrief(debrief, entry.rubric if entry else None)
        self._set_screen(self.debrief, f"Debrief: {debrief.title}")
        self.debrief.focus_first()

    def retry(self) -> None:
        if self._retry is not None:
            self.start_conversation(*self._retry)

    def _another(self) -> None:
        self.show_library()
        if self._retry is not None:
            self.library.select_next_after(self._retry[0].path)

    def _storage_failed(self, message: str) -> None:
        self.show_problem(f"Your progress could not be saved: {message}")

    def _story_failed(self, message: str) -> None:
        self.show_problem(message)
        self.show_library()

    def _refresh_best_scores(self) -> None:
        if self.store is None:
            return
        try:
            unfinished = {r.scenario_id for r in self.store.unfinished(trainee=self.trainee)}
            self.library.set_best_scores(self.store.best_scores(trainee=self.trainee), unfinished)
        except StorageError as exc:
            self.show_problem(f"Your previous scores cannot be read: {exc}")

    def show_problem(self, message: str) -> None:
        log.warning("%s", message)
        self.banner_label.setText(f"Problem: {message}")
        self.banner.show()

    # ---- zoom ------------------------------------------------------------------------------
    @property
    def zoom_steps(self) -> int:
        return self._zoom_steps

    def _apply_zoom(self) -> None:
        font = QFont(self._base_font)
        if self._base_font.pointSizeF() > 0:
            font.setPointSizeF(max(MIN_POINT_SIZE, self._base_font.pointSizeF() + self._zoom_steps))
        else:
            font.setPixelSize(max(8, self._base_font.pixelSize() + self._zoom_steps))
        QApplication.setFont(font)
        QSettings().setValue(ZOOM_KEY, self._zoom_steps)

    def zoom_in(self) -> None:
        self._zoom_steps = min(MAX_ZOOM_STEPS, self._zoom_steps + 1)
        self._apply_zoom()

    def zoom_out(self) -> None:
        smallest = -int(max(0.0, self._base_font.pointSizeF() - MIN_POINT_SIZE))
        self._zoom_steps = max(smallest, self._zoom_steps - 1)
        self._apply_zoom()

    def zoom_reset(self) -> None:
        self._zoom_steps = 0
        self._apply_zoom()

    # ---- settings --------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            screen = QApplication.primaryScreen()
            available = screen.availableGeometry() if screen is not None else None
            # resize() sets the inside of the window; the window manager's frame and title bar come on top,
            # so leave room for them or the bottom row of buttons falls off a 1280x800 screen.
            width = min(1280, available.width() - FRAME_ALLOWANCE[0]) if available is not None else 1280
            height = min(800, available.height() - FRAME_ALLOWANCE[1]) if available is not None else 800
            self.resize(width, height)
        try:
            steps = int(settings.value(ZOOM_KEY, 0))
        except (TypeError, ValueError):
            steps = 0
        if steps:
            self._zoom_steps = max(-MAX_ZOOM_STEPS, min(MAX_ZOOM_STEPS, steps))
            self._apply_zoom()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._sync_process is not None:
            self._sync_process.waitForFinished(3000)  # a send in flight is finished or left for next time
        if self._conversation is not None:
            self._conversation.countdown.stop()
        self.library.stop_loading()
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        super().closeEvent(event)
