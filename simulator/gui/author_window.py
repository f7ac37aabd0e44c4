"""The author window: one scenario file's diagnostics, branch graph, node text and 'Play from here'.

Opened with ``frontline author FILE|DIR`` or from the app's Tools menu (``install_author_menu``). The
file is watched: a save reloads it (after a short pause, so an editor's several writes count once),
keeps the selected node when it still exists, and a file that no longer loads shows its errors while
the last good graph stays on screen.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyle,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from simulator.core import AppPaths, PlayableScenario, load_playable
from simulator.core.conditions import names_used
from simulator.core.diagnostics import Diagnostic, printable
from simulator.core.graph import (
    BEST_COLOUR,
    OVERALL,
    WORST_COLOUR,
    ScenarioGraph,
    best_and_worst,
    build_graph,
    node_at_line,
    node_lines,
    path_choices,
)
from simulator.core.loader import iter_scenario_files
from simulator.core.models import MOOD_MAX, MOOD_MIN, Node, Scenario

from .author_graph import GraphView
from .author_play import PlayWindow
from .conversation_screen import Clock
from .widgets import app_icon, error_icon

log = logging.getLogger(__name__)

RELOAD_DELAY_MS = 300  # an editor's save is often several writes; reload once they have stopped
NODE_ROLE = Qt.ItemDataRole.UserRole
LAST_FOLDER_KEY = "author/last_folder"


def scenario_flags(scenario: Scenario) -> list[str]:
    """Every flag a reply sets or clears or a condition reads, sorted."""
    flags: set[str] = set()
    for node in scenario.nodes:
        conditional = [*(node.replies or []), *(node.routes or [])]
        for reply in node.replies or []:
            flags.update(reply.set)
            flags.update(reply.clear)
        for item in conditional:
            if item.expr is not None:
                flags.update(var.name for var in names_used(item.expr) if var.kind == "flag")
    return sorted(flags)


def node_html(scenario: Scenario, node: Node) -> str:
    """A node as the author wrote it: what the customer says, then its replies, routes or ending."""

    def esc(text: str) -> str:
        return html.escape(printable(text))

    parts = [f"<h3>{esc(node.id)}</h3>"]
    if node.narration:
        parts.append(f"<p><i>{esc(node.narration)}</i></p>")
    if node.customer:
        parts.append(f"<p><b>{esc(scenario.persona.name)}:</b> {esc(node.customer)}</p>")
    if node.replies is not None:
        parts.append("<ol>")
        for reply in node.replies:
            effects = ", ".join(f"{esc(t)} {d:+d}" for t, d in reply.traits.items() if d) or "no trait change"
            extra = [f"→ <b>{esc(reply.to)}</b>", effects]
            if reply.mood:
                extra.append(f"mood {reply.mood:+d}")
            if reply.condition:
                extra.append(f"only if <code>{esc(reply.condition)}</code>")
            if reply.set:
                extra.append("sets " + ", ".join(esc(f) for f in reply.set))
            if reply.clear:
                extra.append("clears " + ", ".join(esc(f) for f in reply.clear))
            parts.append(f"<li>{esc(reply.text)}<br/><small>{'; '.join(extra)}</small></li>")
        parts.append("</ol>")
        if node.timeout is not None:
            t = node.timeout
            parts.append(f"<p>Timeout after {t.seconds} s → <b>{esc(t.to)}</b> (mood {t.mood:+d})</p>")
    elif node.routes is not None:
        parts.append("<p>Routes (the first that holds is taken):</p><ul>")
        for route in node.routes:
            when = f"if <code>{esc(route.condition)}</code>" if route.condition else "otherwise"
            parts.append(f"<li>{when} → <b>{esc(route.to)}</b></li>")
        parts.append("</ul>")
    elif node.ending is not None:
        ending = node.ending
        parts.append(f"<p>Ending: <b>{esc(ending.outcome)}</b></p><p>{esc(ending.summary)}</p>")
        if ending.max_score is not None:
            parts.append(f"<p>Score capped at {ending.max_score}.</p>")
        if ending.can_pass is False:
            parts.append("<p>An attempt that ends here cannot pass.</p>")
    return "".join(parts)


class AuthorWindow(QMainWindow):
    """Lint panel, branch graph, node details and 'Play from here' for one scenario file (or a folder's files).

    Signals: file_reloaded(bool) after each load of the file (True: it loaded without errors and its graph
    is drawn; False: it has errors and the last good graph stays), play_started(PlayWindow).
    """

    file_reloaded = Signal(bool)
    play_started = Signal(object)

    def __init__(
        self,
        path: Path | str,
        *,
        clock: Clock | None = None,
        reload_delay_ms: int = RELOAD_DELAY_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowIcon(app_icon())
        self.setMinimumSize(800, 560)
        self.clock = clock
        root = Path(path)
        self.folder: Path | None = root if root.is_dir() else None
        self.path: Path | None = None if root.is_dir() else root
        self.entry: PlayableScenario | None = None  # the file as last loaded
        self.good: PlayableScenario | None = None  # the last load without errors: what the graph shows
        self.graph: ScenarioGraph | None = None
        self.lines: list[tuple[int, str]] = []
        self.play_windows: list[PlayWindow] = []
        self._announce_build = False
        self._fitted = False
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._file_touched)
        self.watcher.directoryChanged.connect(self._folder_touched)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(reload_delay_ms)
        self.debounce.timeout.connect(self.reload)
        self._build()
        if self.folder is not None:
            self._fill_files()
        else:
            self._watch()
        self._set_title()
        QTimer.singleShot(0, self.reload)

    # ---- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        central = QWidget(self)
        self.setCentralWidget(central)

        top = QHBoxLayout()
        self.file_label = QLabel("&File:", central)
        self.file_choice = QComboBox(central)
        self.file_choice.setAccessibleName("Scenario file")
        self.file_choice.setMinimumContentsLength(28)
        self.file_label.setBuddy(self.file_choice)
        self.file_choice.currentIndexChanged.connect(self._file_chosen)
        self.file_label.setVisible(self.folder is not None)
        self.file_choice.setVisible(self.folder is not None)
        trait_label = QLabel("&Paths for:", central)
        self.trait_choice = QComboBox(central)
        self.trait_choice.setAccessibleName("Best and worst paths for")
        self.trait_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        trait_label.setBuddy(self.trait_choice)
        self.trait_choice.currentIndexChanged.connect(self._show_paths)
        self.paths_label = QLabel(central)
        self.paths_label.setTextFormat(Qt.TextFormat.RichText)
        self.paths_label.setToolTip(
            "Reply numbers in the file's order; conditions are assumed possible and loops are not repeated"
        )
        self.zoom_out_button = QPushButton("−", central)
        self.zoom_out_button.setAccessibleName("Zoom out")
        self.zoom_out_button.setToolTip("Zoom out (-, or the mouse wheel)")
        self.zoom_in_button = QPushButton("+", central)
        self.zoom_in_button.setAccessibleName("Zoom in")
        self.zoom_in_button.setToolTip("Zoom in (+, or the mouse wheel)")
        self.fit_button = QPushButton("F&it", central)
        self.fit_button.setAccessibleName("Fit the whole graph in view")
        for widget in (self.file_label, self.file_choice, trait_label, self.trait_choice, self.paths_label):
            top.addWidget(widget)
        top.addStretch(1)
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            widget.setAutoDefault(False)
            widget.setMaximumWidth(max(48, widget.sizeHint().height() * 2))
            top.addWidget(widget)

        self.status_label = QLabel(central)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleDescription("Whether the file loaded")

        # The graph over the lint panel, beside the node's text and the play controls.
        self.split = QSplitter(Qt.Orientation.Horizontal, central)
        left = QSplitter(Qt.Orientation.Vertical, self.split)
        self.view = GraphView(left)
        problems = QWidget(left)
        problems_layout = QVBoxLayout(problems)
        problems_layout.setContentsMargins(0, 0, 0, 0)
        self.problems_heading = QLabel("Problems", problems)
        self.problems = QListWidget(problems)
        self.problems.setAccessibleName("Problems in this file")
        self.problems.setWordWrap(True)
        self.problems.itemSelectionChanged.connect(self._problem_chosen)
        problems_layout.addWidget(self.problems_heading)
        problems_layout.addWidget(self.problems, 1)
        left.addWidget(self.view)
        left.addWidget(problems)
        left.setStretchFactor(0, 4)
        left.setStretchFactor(1, 1)
        left.setSizes([560, 150])

        side = QWidget(self.split)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.details = QTextBrowser(side)
        self.details.setAccessibleName("Selected node")
        self.details.setOpenLinks(False)
        self.details.setPlaceholderText("Select a node in the graph to read its text and replies.")
        self.play_box = QGroupBox("Play from here", side)
        play_layout = QVBoxLayout(self.play_box)
        self.start_label = QLabel("Start at: (select a node)", self.play_box)
        mood_row = QHBoxLayout()
        mood_label = QLabel("Starting &mood:", self.play_box)
        self.mood_choice = QSpinBox(self.play_box)
        self.mood_choice.setRange(MOOD_MIN, MOOD_MAX)
        self.mood_choice.setAccessibleName("Starting mood")
        self.mood_choice.setToolTip("-5 furious to 5 delighted; the persona starts at its own mood")
        mood_label.setBuddy(self.mood_choice)
        mood_row.addWidget(mood_label)
        mood_row.addWidget(self.mood_choice)
        mood_row.addStretch(1)
        flags_label = QLabel("Flags &set at the start:", self.play_box)
        self.flags_list = QListWidget(self.play_box)
        self.flags_list.setAccessibleName("Flags set at the start")
        flags_label.setBuddy(self.flags_list)
        self.timer_check = QCheckBox("&Timer on", self.play_box)
        self.play_button = QPushButton("&Play from here", self.play_box)
        self.play_button.setAccessibleName("Play from the selected node")
        self.play_button.clicked.connect(self.play_from_here)
        play_layout.addWidget(self.start_label)
        play_layout.addLayout(mood_row)
        play_layout.addWidget(flags_label)
        play_layout.addWidget(self.flags_list, 1)
        play_layout.addWidget(self.timer_check)
        play_layout.addWidget(self.play_button)
        side_layout.addWidget(self.details, 3)
        side_layout.addWidget(self.play_box, 2)
        self.split.addWidget(left)
        self.split.addWidget(side)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([900, 360])

        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(self.status_label)
        layout.addWidget(self.split, 1)

        self.zoom_in_button.clicked.connect(self.view.zoom_in)
        self.zoom_out_button.clicked.connect(self.view.zoom_out)
        self.fit_button.clicked.connect(self.view.fit_all)
        self.view.node_selected.connect(self._node_selected)
        self.view.graph_built.connect(self._graph_built)
        reload_action = QAction("Reload", self)
        reload_action.setShortcut(QKeySequence.StandardKey.Refresh)
        reload_action.triggered.connect(self.reload)
        self.addAction(reload_action)
        self._update_play_button()

    # ---- files -----------------------------------------------------------------------------
    def _fill_files(self) -> None:
        assert self.folder is not None
        files = iter_scenario_files([self.folder])
        current = self.path
        self.file_choice.blockSignals(True)
        self.file_choice.clear()
        for file in files:
            self.file_choice.addItem(file.name, str(file))
        self.file_choice.blockSignals(False)
        if current is not None and current in files:
            self.file_choice.setCurrentIndex(files.index(current))
        elif files:
            self.file_choice.setCurrentIndex(0)
            self._file_chosen(0)
        if self.folder is not None and str(self.folder) not in self.watcher.directories():
            self.watcher.addPath(str(self.folder))

    def _file_chosen(self, index: int) -> None:
        data = self.file_choice.itemData(index)
        if not isinstance(data, str) or (self.path is not None and Path(data) == self.path):
            return
        self.path = Path(data)
        self.good = None
        self.graph = None
        self._fitted = False
        self._watch()
        self._set_title()
        self.reload()

    def _watch(self) -> None:
        """Watch the file, and its folder: an editor that saves by renaming replaces the watched file."""
        if self.path is None:
            return
        stale = [f for f in self.watcher.files() if Path(f) != self.path]
        if stale:
            self.watcher.removePaths(stale)
        if self.path.exists() and str(self.path) not in self.watcher.files():
            self.watcher.addPath(str(self.path))
        folder = str(self.path.parent)
        if folder not in self.watcher.directories():
            self.watcher.addPath(folder)

    def _file_touched(self, _path: str) -> None:
        self.debounce.start()

    def _folder_touched(self, _path: str) -> None:
        if self.folder is not None:
            self._fill_files()
        self.debounce.start()

    def _set_title(self) -> None:
        name = self.path.name if self.path is not None else "(no scenario file)"
        where = self.folder if self.folder is not None else (self.path.parent if self.path else "")
        self.setWindowTitle(f"Frontline author — {name} ({where})")

    # ---- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Load the file again; draw its graph when it loads without errors, else keep the last good one."""
        self.debounce.stop()
        if self.path is None:
            self.status_label.setText("This folder has no scenario files yet.")
            return
        self._watch()
        entry = load_playable(self.path)
        self.entry = entry
        try:
            self.lines = node_lines(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            self.lines = []
        self._fill_problems(entry.diagnostics)
        when = datetime.now().strftime("%H:%M:%S")
        if not entry.ok or entry.scenario is None:
            errors = len(entry.errors)
            kept = " The graph below is the last version that loaded." if self.good is not None else ""
            self.status_label.setText(
                f"{when}: {self.path.name} has {errors} error{'s' if errors != 1 else ''}; see Problems.{kept}"
            )
            self._update_play_button()
            self.file_reloaded.emit(False)
            return
        keep = self.view.selected_node()
        self.good = entry
        self.graph = build_graph(entry.scenario)
        self._fill_traits()
        self._fill_flags(entry.scenario)
        warnings = len(entry.diagnostics)
        self.status_label.setText(
            f"{when}: {self.path.name} loaded: {len(self.graph.nodes)} nodes, {len(self.graph.edges)} edges"
            + (f", {warnings} warning{'s' if warnings != 1 else ''}." if warnings else ", no problems.")
        )
        self._announce_build = True
        self.view.show_graph(self.graph, keep=keep)
        self._update_play_button()

    def _graph_built(self) -> None:
        if not self._fitted:
            self._fitted = True
            self.view.fit_all()
            if self.graph is not None and self.graph.start in self.view.nodes:
                self.view.centerOn(self.view.nodes[self.graph.start])
        self._show_paths()
        if self.view.selected_node() is None:
            self._node_selected("")
        if self._announce_build:
            self._announce_build = False
            self.file_reloaded.emit(True)

    def _fill_problems(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.problems.clear()
        for diag in diagnostics:
            node_id = node_at_line(self.lines, diag.line)
            where = f"line {diag.line}:{diag.col}" + (f" (node {node_id})" if node_id else "")
            item = QListWidgetItem(f"{where}: {diag.severity.value}: {diag.code} {printable(diag.message)}")
            icon = (
                error_icon(self)
                if diag.is_error
                else self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            )
            item.setIcon(icon)
            item.setData(NODE_ROLE, node_id or "")
            self.problems.addItem(item)
        count = len(diagnostics)
        self.problems_heading.setText(f"Problems ({count})" if count else "Problems: none")

    def _fill_traits(self) -> None:
        assert self.graph is not None
        wanted = self.trait_choice.currentData()
        self.trait_choice.blockSignals(True)
        self.trait_choice.clear()
        self.trait_choice.addItem("Overall score", OVERALL)
        rubric = self.good.rubric if self.good is not None else None
        for trait in self.graph.traits:
            name = rubric.trait(trait).name if rubric is not None and rubric.has_trait(trait) else trait
            self.trait_choice.addItem(name, trait)
        index = self.trait_choice.findData(wanted) if isinstance(wanted, str) else 0
        self.trait_choice.setCurrentIndex(max(0, index))
        self.trait_choice.blockSignals(False)

    def _fill_flags(self, scenario: Scenario) -> None:
        checked = set(self.chosen_flags())
        same_scenario = self.flags_list.property("scenario_id") == scenario.id
        self.flags_list.clear()
        for flag in scenario_flags(scenario):
            item = QListWidgetItem(flag)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if flag in checked else Qt.CheckState.Unchecked)
            self.flags_list.addItem(item)
        if not same_scenario:
            self.mood_choice.setValue(scenario.persona.mood)
        self.flags_list.setProperty("scenario_id", scenario.id)

    # ---- paths -----------------------------------------------------------------------------
    def chosen_trait(self) -> str:
        data = self.trait_choice.currentData()
        return data if isinstance(data, str) else OVERALL

    def _show_paths(self) -> None:
        if self.graph is None or self.view.building or self.view.graph is not self.graph:
            return
        analysis = self.good.analysis if self.good is not None else None
        best, worst = best_and_worst(self.graph, analysis, self.chosen_trait())
        self.view.highlight_paths(best, worst)

        graph = self.graph

        def words(path: list[int]) -> str:
            return ",".join(str(c) for c in path_choices(graph, path)) or "(none)"

        self.paths_label.setText(
            f"<span style='color:{BEST_COLOUR}'>■ best {html.escape(words(best))}</span> &nbsp; "
            f"<span style='color:{WORST_COLOUR}'>■ worst {html.escape(words(worst))}</span>"
        )

    # ---- selection -------------------------------------------------------------------------
    def _problem_chosen(self) -> None:
        items = self.problems.selectedItems()
        if not items:
            return
        node_id = items[0].data(NODE_ROLE)
        if isinstance(node_id, str) and node_id and not self.view.select_node(node_id):
            self.status_label.setText(f"Node '{node_id}' is not in the graph shown (it has not loaded yet).")

    def _node_selected(self, node_id: str) -> None:
        scenario = self.good.scenario if self.good is not None else None
        if not node_id or scenario is None or not scenario.has_node(node_id):
            self.details.clear()
            self.start_label.setText("Start at: (select a node)")
        else:
            self.details.setHtml(node_html(scenario, scenario.node(node_id)))
            self.start_label.setText(f"Start at: {node_id}")
        self._update_play_button()

    def _update_play_button(self) -> None:
        node_id = self.view.selected_node()
        scenario = self.good.scenario if self.good is not None else None
        reason = ""
        if self.entry is None or not self.entry.ok:
            reason = "Fix the file's errors first: play uses the file as it is now"
        elif node_id is None or scenario is None or not scenario.has_node(node_id):
            reason = "Select the node to start at"
        elif scenario.node(node_id).is_ending:
            reason = "This node is an ending: select one the conversation goes on from"
        self.play_button.setEnabled(not reason)
        self.play_button.setToolTip(reason or "A practice conversation from the selected node; nothing is recorded")

    def chosen_flags(self) -> list[str]:
        found = []
        for row in range(self.flags_list.count()):
            item = self.flags_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(item.text())
        return found

    def set_flag(self, flag: str, on: bool = True) -> None:
        for row in range(self.flags_list.count()):
            item = self.flags_list.item(row)
            if item.text() == flag:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                return
        raise KeyError(flag)

    # ---- playing ---------------------------------------------------------------------------
    def play_from_here(self) -> PlayWindow | None:
        """Open a practice conversation at the selected node with the mood and flags chosen."""
        node_id = self.view.selected_node()
        if not self.play_button.isEnabled() or node_id is None or self.good is None:
            return None
        window = PlayWindow(
            self.good,
            node_id,
            self.mood_choice.value(),
            self.chosen_flags(),
            timed=self.timer_check.isChecked(),
            clock=self.clock,
            parent=self,
        )
        window.play_failed.connect(self.status_label.setText)
        window.destroyed.connect(lambda: self._forget(window))
        self.play_windows.append(window)
        if not window.start():
            window.close()
            return None
        window.show()
        self.play_started.emit(window)
        return window

    def _forget(self, window: PlayWindow) -> None:
        if window in self.play_windows:
            self.play_windows.remove(window)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.debounce.stop()
        for window in list(self.play_windows):
            window.close()
        super().closeEvent(event)


# ---- opening it ----------------------------------------------------------------------------------
def open_author(parent: QWidget | None, path: Path | str) -> AuthorWindow:
    """Open the author window on a file or folder, as a window of its own over ``parent``."""
    window = AuthorWindow(path, parent=parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    window.resize(1280, 800)
    window.show()
    return window


def ask_and_open_author(parent: QWidget) -> AuthorWindow | None:
    """Ask for a scenario file, then open the author window on it."""
    settings = QSettings()
    start = settings.value(LAST_FOLDER_KEY, "")
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, "Author a scenario", str(start or Path.home()), "Scenarios (*.yaml *.yml);;All files (*)"
    )
    if not chosen:
        return None
    settings.setValue(LAST_FOLDER_KEY, str(Path(chosen).parent))
    return open_author(parent, chosen)


def install_author_menu(window: QMainWindow) -> QAction:
    """Add Tools > Author a scenario… to a main window's menu bar; returns the action."""
    menu = window.menuBar().addMenu("&Tools")
    action = QAction("&Author a scenario…", window)
    action.setStatusTip("Open a scenario file with its problems, branch graph and Play from here")
    action.triggered.connect(lambda: ask_and_open_author(window))
    menu.addAction(action)
    return action


def run_author(path: Path, paths: AppPaths | None = None) -> int:
    """``frontline author FILE|DIR``: the author window on its own, until it is closed."""
    from .app import ExceptionReporter, setup_logging, use_settings_folder

    paths = paths or AppPaths.default()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setApplicationName("Frontline")
    app.setOrganizationName("Frontline")
    app.setWindowIcon(app_icon())
    use_settings_folder(paths)
    reporter = ExceptionReporter(setup_logging(paths.log_file))
    reporter.install()
    window = AuthorWindow(path)
    window.resize(1280, 800)
    window.show()
    return app.exec()
