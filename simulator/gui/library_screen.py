"""The library screen: every scenario the trainee can play, loaded off the GUI thread, with filters and details."""

from __future__ import annotations

import bisect
import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSettings,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QIcon, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from simulator.core.library import BUNDLED_LABEL, LibraryFolder, bundled_folder
from simulator.core.library_index import LibraryEntry

from .library_loader import LibraryLoader, Numbered
from .widgets import Heading, IconText, error_icon, kind_icon, kind_word, make_button, scroll_area, text_label

log = logging.getLogger(__name__)

FOLDERS_KEY = "library/folders"
BUNDLED = BUNDLED_LABEL
# What a trainee reads about a file that cannot be played; what is wrong is behind Details, for a trainer.
BROKEN_SENTENCE = "This scenario has mistakes a trainer must fix"
FLUSH_MS = 100  # how often rows streamed in by the loader are added to the list
_WRAP = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

Index = QModelIndex | QPersistentModelIndex
EntryRole = Qt.ItemDataRole.UserRole


def row_text(entry: LibraryEntry, best: int | None, unfinished: bool) -> str:
    """A row's lines: the title (bold), then kind, difficulty and length, then the traits in focus."""
    if not entry.ok:
        name = entry.scenario_title or entry.path.name
        return f"{name}\nCannot be played yet. {BROKEN_SENTENCE}."
    meta = f"{kind_word(entry.kind)} customer · {entry.difficulty.capitalize()} · {entry.minutes} min"
    if best is not None:
        meta += f" · Best score {best}"
    if unfinished:
        meta += " · Unfinished attempt"
    return f"{entry.scenario_title}\n{meta}\nFocus: {', '.join(entry.focus_names)}"


class LibraryModel(QAbstractListModel):
    """Every listed file in library order, with its best score and unfinished marker."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.entries: list[LibraryEntry] = []
        self._numbers: list[int] = []
        self._texts: list[str | None] = []  # each row's text, made when first asked for
        self.best: dict[str, int] = {}
        self.unfinished: set[str] = set()
        self.generation = 0  # counts changes to the rows' texts, for the delegate's measurements
        self._icons: dict[str, QIcon] = {}  # each kind's icon, read once: reading an SVG each paint costs ~1 ms

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self.entries):
            return None
        entry = self.entries[row]
        if role == EntryRole:
            return entry
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = self._text(row)
            return text if role == Qt.ItemDataRole.DisplayRole else text.replace("\n", ". ")
        if role == Qt.ItemDataRole.DecorationRole:
            key = entry.kind if entry.ok else ""
            icon = self._icons.get(key)
            if icon is None:
                parent = self.parent()
                icon = kind_icon(key) if key else error_icon(parent if isinstance(parent, QWidget) else None)
                self._icons[key] = icon
            return icon
        return None

    def _text(self, row: int) -> str:
        text = self._texts[row]
        if text is None:
            entry = self.entries[row]
            text = self._texts[row] = row_text(entry, self.best.get(entry.id), entry.id in self.unfinished)
        return text

    def texts(self) -> list[str]:
        """Every row's text, in order."""
        return [self._text(row) for row in range(len(self.entries))]

    def clear(self) -> None:
        self.beginResetModel()
        self.entries, self._numbers, self._texts = [], [], []
        self.generation += 1
        self.endResetModel()

    def add(self, numbered: Numbered) -> None:
        """Insert entries at their places in library order; a run of them after the last row goes in at once."""
        numbered = sorted(numbered, key=lambda pair: pair[0])
        tail = [pair for pair in numbered if not self._numbers or pair[0] > self._numbers[-1]]
        for number, entry in numbered[: len(numbered) - len(tail)]:
            row = bisect.bisect(self._numbers, number)
            self.beginInsertRows(QModelIndex(), row, row)
            self._numbers.insert(row, number)
            self.entries.insert(row, entry)
            self._texts.insert(row, None)
            self.generation += 1  # before the proxy filters the new row
            self.endInsertRows()
        if tail:
            first = len(self.entries)
            self.beginInsertRows(QModelIndex(), first, first + len(tail) - 1)
            self._numbers.extend(n for n, _ in tail)
            self.entries.extend(e for _, e in tail)
            self._texts.extend([None] * len(tail))
            self.generation += 1
            self.endInsertRows()

    def replace(self, old: LibraryEntry, new: LibraryEntry) -> None:
        """Show a file's newer entry in its old row."""
        for row, entry in enumerate(self.entries):
            if entry is old:
                self.entries[row] = new
                self._texts[row] = None
                self.generation += 1
                self.dataChanged.emit(self.index(row), self.index(row))
                return

    def set_records(self, best: dict[str, int], unfinished: set[str]) -> None:
        if best == self.best and unfinished == self.unfinished:
            return
        self.best, self.unfinished = dict(best), set(unfinished)
        self._texts = [None] * len(self.entries)
        self.generation += 1
        if self.entries:
            self.dataChanged.emit(self.index(0), self.index(len(self.entries) - 1))


class LibraryFilter(QSortFilterProxyModel):
    """Keeps the rows the kind filter and search words match (the model's order, never sorted)."""

    def __init__(self, model: LibraryModel, parent: QObject) -> None:
        super().__init__(parent)
        self.library = model
        self.kind: str | None = None
        self.search = ""
        # Which rows match, worked out in one pass per change rather than one Python call per row and test.
        self._accepted: list[bool] = []
        self._accepted_for: tuple[int, str | None, str] = (-1, None, "")
        self.setSourceModel(model)

    def set_filter(self, kind: str | None, search: str) -> None:
        if (kind, search) != (self.kind, self.search):
            self.beginFilterChange()
            self.kind, self.search = kind, search
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def accepted(self) -> list[bool]:
        """For each row of the model, whether the filter shows it."""
        wanted = (self.library.generation, self.kind, self.search)
        if wanted != self._accepted_for:
            kind, search = self.kind, self.search
            self._accepted = [entry.matches(kind, search) for entry in self.library.entries]
            self._accepted_for = wanted
        return self._accepted

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        # Called once per row on every keystroke: the answer is looked up, worked out only after a change.
        if self._accepted_for[0] == self.library.generation and self._accepted_for[1:] == (self.kind, self.search):
            return self._accepted[source_row]
        accepted = self.accepted()
        return source_row < len(accepted) and accepted[source_row]


class ScenarioRowDelegate(QStyledItemDelegate):
    """Paints a library row (icon, title in bold, the rest wrapped under it). Every row is as tall as
    the tallest row's wrapped text at the list's width, so no row is cut short with '…', and the list
    can use uniform item sizes: a keystroke in the search box re-lays out a thousand rows without
    measuring each one again."""

    MARGIN = 6

    def __init__(self, view: QListView, model: LibraryModel) -> None:
        super().__init__(view)
        self.view = view
        self.model = model
        self._heights: dict[str, int] = {}  # each text's height at _measured_at
        self._measured_at: tuple[int, str] = (0, "")  # text width and font
        self._tallest: tuple[int, int] = (-1, 0)  # (model generation, tallest text height)

    def _fonts(self, font: QFont) -> tuple[QFont, QFont]:
        bold = QFont(font)
        bold.setBold(True)
        return bold, QFont(font)

    def _row_width(self) -> int:
        return max(120, self.view.viewport().width() - 2 * self.view.spacing())

    def _text_width(self, row_width: int) -> int:
        return max(60, row_width - self.view.iconSize().width() - 3 * self.MARGIN)

    @staticmethod
    def _parts(text: str) -> tuple[str, str]:
        title, _, rest = text.partition("\n")
        return title, rest

    def text_height(self, font: QFont, text: str, text_width: int) -> int:
        """The height of a row's text wrapped at ``text_width``: the title in bold, the rest under it."""
        bold, normal = self._fonts(font)
        title, rest = self._parts(text)
        box = QRect(0, 0, text_width, 100_000)
        height = QFontMetrics(bold).boundingRect(box, _WRAP, title).height()
        if rest:
            height += QFontMetrics(normal).boundingRect(box, _WRAP, rest).height()
        return height

    def tallest_text(self, font: QFont, text_width: int) -> int:
        at = (text_width, font.key())
        if at != self._measured_at:
            self._heights.clear()
            self._measured_at = at
            self._tallest = (-1, 0)
        if self._tallest[0] != self.model.generation:
            heights = self._heights
            tallest = 0
            for text in self.model.texts():
                height = heights.get(text)
                if height is None:
                    height = heights[text] = self.text_height(font, text, text_width)
                tallest = max(tallest, height)
            self._tallest = (self.model.generation, tallest)
        return self._tallest[1]

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        width = self._row_width()
        text = self.tallest_text(option.font, self._text_width(width))
        return QSize(width, max(self.view.iconSize().height(), text) + 2 * self.MARGIN)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        icon = QIcon(opt.icon)
        widget = opt.widget
        style = widget.style() if widget is not None else self.view.style()
        # The style draws the background, selection and focus; the icon and text are drawn here.
        opt.text = ""
        opt.icon = QIcon()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = opt.rect
        size = self.view.iconSize()
        painter.save()
        if not icon.isNull():
            top = rect.top() + max(self.MARGIN, (rect.height() - size.height()) // 2)
            icon.paint(painter, QRect(rect.left() + self.MARGIN, top, size.width(), size.height()))
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Normal if opt.state & QStyle.StateFlag.State_Enabled else QPalette.ColorGroup.Disabled
        )
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(opt.palette.color(group, role))
        bold, normal = self._fonts(opt.font)
        title, rest = self._parts(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        left = rect.left() + size.width() + 2 * self.MARGIN
        width = rect.right() - self.MARGIN - left
        painter.setFont(bold)
        # drawText returns where the wrapped title went: laying it out once more to measure it costs a frame
        # on a full list.
        title_rect = painter.drawText(QRect(left, rect.top() + self.MARGIN, width, 100_000), _WRAP, title)
        if rest:
            painter.setFont(normal)
            top = rect.top() + self.MARGIN + title_rect.height()
            painter.drawText(QRect(left, top, width, rect.bottom() - top + 1), _WRAP, rest)
        painter.restore()


class LibraryScreen(QWidget):
    """Lists scenarios; Enter, double-click or Open briefing opens the selected one."""

    scenario_opened = Signal(object)  # PlayableScenario, read in full from its file as it is opened
    loading_finished = Signal()
    open_failed = Signal(str)  # what to tell the trainee when a listed scenario no longer loads

    def __init__(
        self,
        extra_dirs: Sequence[Path] = (),
        *,
        include_bundled: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._extra_dirs = [Path(d) for d in extra_dirs]
        self._include_bundled = include_bundled
        self.model = LibraryModel(self)
        self.proxy = LibraryFilter(self.model, self)
        self._loading = False
        # Entries a worker streams in are listed a few times a second, not one repaint per file.
        self._arrived: Numbered = []
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)
        self._flush_timer.timeout.connect(self._flush)
        self._loader = LibraryLoader(self)
        self._loader.entries_loaded.connect(self._on_entries_loaded)
        self._loader.finished.connect(self._on_finished)
        self._build()

    # ---- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        title = Heading("Scenario library", 1.6)
        intro = text_label(
            "Pick a conversation to practise. Select one to see its details; press Enter to open its briefing."
        )

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles, summaries and settings")
        self.search.setAccessibleName("Search scenarios")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_filter)
        # Enter or Down in the search box moves to the (filtered) list.
        self.search.installEventFilter(self)
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search)

        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName("Filter by customer kind")
        self.kind_filter.addItem("All kinds", None)
        for kind in ("angry", "confused", "rude"):
            self.kind_filter.addItem(kind_icon(kind), kind_word(kind), kind)
        self.kind_filter.currentIndexChanged.connect(self._apply_filter)
        kind_label = QLabel("&Customer:")
        kind_label.setBuddy(self.kind_filter)

        self.add_folder_button = make_button("&Add folder…", "Add a folder of scenarios")
        self.add_folder_button.clicked.connect(self.add_folder)

        filters = QHBoxLayout()
        filters.addWidget(search_label)
        filters.addWidget(self.search, 3)
        filters.addWidget(kind_label)
        filters.addWidget(self.kind_filter, 1)
        filters.addWidget(self.add_folder_button)

        self.list = QListView()
        self.list.setAccessibleName("Scenarios")
        self.list.setModel(self.proxy)
        self.list.setWordWrap(True)
        self.list.setIconSize(QSize(32, 32))
        self.list.setSpacing(3)
        self.list.setUniformItemSizes(True)  # every row is as tall as the tallest text (ScenarioRowDelegate)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.row_delegate = ScenarioRowDelegate(self.list, self.model)
        self.list.setItemDelegate(self.row_delegate)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.activated.connect(self._activate)
        # Home, End, Enter and the page keys act only on the scenarios the filter shows.
        self.list.installEventFilter(self)

        self.empty_label = text_label("", selectable=False)
        self.status_label = text_label("", selectable=False)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.empty_label)
        left_layout.addWidget(self.status_label)

        # ---- details pane
        self.detail_title = Heading("", 1.3)
        self.detail_kind = IconText(32)
        self.detail_meta = text_label()
        self.detail_summary = text_label()
        self.detail_setting = text_label()
        self.detail_focus = text_label()
        self.detail_best = text_label()
        # Trainer details (where the file is, lint messages with their codes) wait behind a Details toggle.
        self.detail_source = text_label()
        self.detail_source.setAccessibleDescription("Where this scenario's file is")
        self.detail_problems_heading = Heading("Problems in this file", 1.1)
        self.detail_problems = text_label()
        self.detail_problems.setAccessibleDescription("Problems in this file")
        self.details_toggle = QToolButton()
        self.details_toggle.setText("Details")
        self.details_toggle.setCheckable(True)
        self.details_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.details_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_toggle.setAccessibleName("Details for trainers")
        self.details_toggle.setToolTip("Where the file is and what a trainer needs to know about it")
        self.details_toggle.toggled.connect(self._toggle_trainer_details)
        self.trainer_details = QWidget()
        trainer_layout = QVBoxLayout(self.trainer_details)
        trainer_layout.setContentsMargins(0, 0, 0, 0)
        trainer_layout.addWidget(self.detail_problems_heading)
        trainer_layout.addWidget(self.detail_problems)
        trainer_layout.addWidget(self.detail_source)
        self.trainer_details.hide()
        self.open_button = make_button("&Open briefing", "Open the briefing of the selected scenario")
        self.open_button.clicked.connect(self.open_current)
        self.remove_folder_button = make_button("&Remove folder", "Remove this scenario's folder from the library")
        self.remove_folder_button.clicked.connect(self.remove_current_folder)

        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.addWidget(self.detail_title)
        details_layout.addWidget(self.detail_kind)
        for label in (self.detail_meta, self.detail_summary, self.detail_setting, self.detail_focus, self.detail_best):
            details_layout.addWidget(label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_folder_button)
        buttons.addStretch(1)
        details_layout.addLayout(buttons)
        details_layout.addWidget(self.details_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        details_layout.addWidget(self.trainer_details)
        details_layout.addStretch(1)
        self.details = details
        details_scroll = scroll_area(details, "Scenario details")

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(details_scroll)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        self.setTabOrder(self.search, self.kind_filter)
        self.setTabOrder(self.kind_filter, self.add_folder_button)
        self.setTabOrder(self.add_folder_button, self.list)
        self.setTabOrder(self.list, self.open_button)
        self.setTabOrder(self.open_button, self.remove_folder_button)
        self.setTabOrder(self.remove_folder_button, self.details_toggle)
        self._show_details(None)

    def _toggle_trainer_details(self, shown: bool) -> None:
        self.trainer_details.setVisible(shown)
        self.details_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self.list.doItemsLayout()  # the rows are sized to their text: measure them again

    # ---- folders ---------------------------------------------------------------------------
    @staticmethod
    def added_folders() -> list[str]:
        value = QSettings().value(FOLDERS_KEY, [])
        if isinstance(value, str):  # QSettings hands back a lone string for a one-item list in INI files
            value = [value]
        return [str(v) for v in value or []]

    def folders(self) -> list[LibraryFolder]:
        folders: list[LibraryFolder] = []
        if self._include_bundled:
            folders.append(bundled_folder())
        seen = {f.path.resolve() for f in folders}
        for folder in self._extra_dirs:
            if folder.resolve() not in seen:
                seen.add(folder.resolve())
                folders.append(LibraryFolder(folder, str(folder)))
        for name in self.added_folders():
            folder = Path(name)
            if folder.resolve() not in seen:
                seen.add(folder.resolve())
                folders.append(LibraryFolder(folder, str(folder), name))
        return folders

    def add_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Add a folder of scenarios")
        if chosen:
            self.add_folder_path(Path(chosen))

    def add_folder_path(self, folder: Path) -> None:
        folders = self.added_folders()
        if str(folder) not in folders:
            folders.append(str(folder))
            QSettings().setValue(FOLDERS_KEY, folders)
        self.reload()

    def remove_current_folder(self) -> None:
        entry = self.current_entry()
        if entry is None or entry.added_folder is None:
            return
        QSettings().setValue(FOLDERS_KEY, [f for f in self.added_folders() if f != entry.added_folder])
        self.reload()

    # ---- loading ----------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def entries(self) -> list[LibraryEntry]:
        return list(self.model.entries)

    def reload(self) -> None:
        """Load every folder again; the list fills as entries arrive from the index and the loader."""
        self._loader.cancel()
        self._flush_timer.stop()
        self._arrived = []
        self.model.clear()
        self._loading = True
        self.status_label.setText("Loading scenarios…")
        self.empty_label.hide()
        self._loader.start(self.folders())

    def stop_loading(self) -> None:
        """Stop the loader now, as the window closes; what arrived so far stays listed."""
        self._loader.cancel()
        self._flush()
        self._loading = False

    def _on_entries_loaded(self, numbered: Numbered) -> None:
        self._arrived.extend(numbered)
        if self.model.rowCount() == 0:
            self._flush()  # the first rows at once
        elif not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self) -> None:
        self._flush_timer.stop()
        arrived, self._arrived = self._arrived, []
        if not arrived:
            return
        self.model.add(arrived)
        if not self.list.currentIndex().isValid() and self.proxy.rowCount():
            self.list.setCurrentIndex(self.proxy.index(0, 0))
        if self._loading:
            self._update_status()

    def _on_finished(self) -> None:
        self._flush()
        self._loading = False
        self._update_status()
        self.loading_finished.emit()

    def set_best_scores(self, best: dict[str, int], unfinished: set[str] | None = None) -> None:
        """Each scenario's best score, and which have an attempt left unfinished, from the records."""
        self.model.set_records(best, set(unfinished or ()))
        self._show_details(self.current_entry())

    # ---- filtering and selection -----------------------------------------------------------
    def _apply_filter(self) -> None:
        self.proxy.set_filter(self.kind_filter.currentData(), self.search.text())
        if not self.list.currentIndex().isValid():
            first = self.proxy.index(0, 0)
            self.list.setCurrentIndex(first)
            if not first.isValid():
                self._show_details(None)
        self._update_status()

    def visible_entries(self) -> list[LibraryEntry]:
        return [
            self.model.entries[self.proxy.mapToSource(self.proxy.index(r, 0)).row()]
            for r in range(self.proxy.rowCount())
        ]

    def filtering(self) -> bool:
        return self.kind_filter.currentData() is not None or bool(self.search.text().strip())

    def _update_status(self) -> None:
        entries = self.model.entries
        playable = sum(1 for e in entries if e.ok)
        broken = len(entries) - playable
        status = f"{playable} scenario{'s' if playable != 1 else ''}"
        if self.filtering():
            shown = sum(1 for e, shown in zip(entries, self.proxy.accepted(), strict=True) if shown and e.ok)
            status = f"{shown} of {status}"
        if broken:
            status += f", {broken} file{'s' if broken != 1 else ''} with errors"
        if self._loading:
            status = "Loading scenarios… " + status
        self.status_label.setText(status)
        if not self._loading and not self.proxy.rowCount():
            self.empty_label.setText(
                "No scenario matches the search or filter."
                if entries
                else "No scenarios found. Use Add folder… to add some."
            )
            self.empty_label.show()
        else:
            self.empty_label.hide()

    def current_entry(self) -> LibraryEntry | None:
        return self._entry_at(self.list.currentIndex())

    def select_path(self, path: Path) -> bool:
        path = Path(path)
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            entry = self._entry_at(index)
            if entry is not None and entry.path == path:
                self._select(index)
                return True
        return False

    def select_next_after(self, path: Path) -> None:
        """Select the next playable scenario after this one, for 'Another scenario'."""
        visible = [e for e in self.visible_entries() if e.ok]
        paths = [e.path for e in visible]
        if not visible:
            return
        index = (paths.index(path) + 1) % len(paths) if path in paths else 0
        self.select_path(visible[index].path)

    def focus_list(self) -> None:
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _entry_at(index: Index) -> LibraryEntry | None:
        entry = index.data(EntryRole) if index.isValid() else None
        return entry if isinstance(entry, LibraryEntry) else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_details(self._entry_at(current))

    def _show_details(self, entry: LibraryEntry | None) -> None:
        self.details.setVisible(entry is not None)
        if entry is None:
            self.open_button.setEnabled(False)
            self.remove_folder_button.setEnabled(False)
            return
        self.detail_title.setText(entry.title)
        if entry.ok:
            kind = entry.kind
            self.detail_kind.show_icon_text(kind_icon(kind), f"{kind_word(kind)} customer: {entry.persona_name}")
            self.detail_meta.setText(
                f"Difficulty: {entry.difficulty.capitalize()} · About {entry.minutes} min · Pass mark {entry.pass_mark}"
            )
            self.detail_summary.setText(entry.summary)
            self.detail_setting.setText(f"Setting: {entry.setting}")
            self.detail_focus.setText("Traits in focus: " + ", ".join(entry.focus_names))
            best = self.model.best.get(entry.id)
            played = f"Your best score so far: {best}." if best is not None else "Not played yet."
            if entry.id in self.model.unfinished:
                played += " You have an unfinished attempt: open the briefing to resume it."
            self.detail_best.setText(played)
        else:
            self.detail_kind.show_icon_text(
                error_icon(self), f"{BROKEN_SENTENCE}, so it cannot be played yet. Details shows what is wrong."
            )
        for label in (self.detail_meta, self.detail_summary, self.detail_setting, self.detail_focus, self.detail_best):
            label.setVisible(entry.ok)
        problems = entry.problems
        self.detail_problems.setText("\n".join(problems))
        self.detail_problems_heading.setText("Problems in this file" if not entry.ok else "Warnings for the author")
        self.detail_problems.setVisible(bool(problems))
        self.detail_problems_heading.setVisible(bool(problems))
        self.detail_source.setText(f"From: {entry.source}\nFile: {entry.path}")
        self.details_toggle.setAccessibleDescription(
            "What a trainer must fix and where the file is" if problems else "Where the file is"
        )
        self.open_button.setEnabled(entry.ok)
        self.remove_folder_button.setEnabled(entry.added_folder is not None)
        self.remove_folder_button.setVisible(entry.added_folder is not None)

    # ---- keys ------------------------------------------------------------------------------
    def _select(self, index: QModelIndex) -> None:
        self.list.setCurrentIndex(index)
        self.list.scrollTo(index)

    def _list_key(self, event: QKeyEvent) -> bool:
        """Enter opens the selected scenario (the list holds only the rows the filter shows, so Home,
        End and the page keys already move among visible scenarios)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not event.isAutoRepeat():
                self.open_current()
            return True
        return False

    def _search_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
            if not self.list.currentIndex().isValid() and self.proxy.rowCount():
                self._select(self.proxy.index(0, 0))
            self.focus_list()
            return True
        if key == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            return True
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self.list and self._list_key(event):
                return True
            if watched is self.search and self._search_key(event):
                return True
        return super().eventFilter(watched, event)

    def _activate(self, index: QModelIndex) -> None:
        self._open(self._entry_at(index))

    def open_current(self) -> None:
        self._open(self.current_entry())

    def _open(self, entry: LibraryEntry | None) -> None:
        """Read the scenario in full and open it; a file that no longer loads is listed as broken instead."""
        if entry is None or not entry.ok:
            return
        playable = entry.load()
        if playable.ok:
            self.scenario_opened.emit(playable)
            return
        # The file changed since it was listed: show it as the broken file it now is.
        fresh = LibraryEntry.from_playable(playable)
        self.model.replace(entry, fresh)
        self._show_details(self.current_entry())
        self._update_status()
        self.open_failed.emit(f"{fresh.title}: {BROKEN_SENTENCE}, so it cannot be played yet.")
