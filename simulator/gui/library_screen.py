"""The library screen: every scenario the trainee can play, loaded off the GUI thread, with filters and details."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QIcon, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from simulator.core import BUNDLED_LABEL, LibraryFolder, PlayableScenario
from simulator.core.library import bundled_folder

from .library_loader import LibraryLoader
from .widgets import Heading, IconText, error_icon, kind_icon, kind_word, make_button, scroll_area, text_label

log = logging.getLogger(__name__)

FOLDERS_KEY = "library/folders"
BUNDLED = BUNDLED_LABEL
# What a trainee reads about a file that cannot be played; what is wrong is behind Details, for a trainer.
BROKEN_SENTENCE = "This scenario has mistakes a trainer must fix"
_WRAP = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

Index = QModelIndex | QPersistentModelIndex


class ScenarioRowDelegate(QStyledItemDelegate):
    """Paints a library row (icon, title in bold, the rest wrapped under it) and sizes it to exactly
    that text at the list's width, so no row is cut short with '…' while the space beside it is empty."""

    MARGIN = 6

    def __init__(self, view: QListWidget) -> None:
        super().__init__(view)
        self.view = view

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        return bold, QFont(option.font)

    def _row_width(self) -> int:
        return max(120, self.view.viewport().width() - 2 * self.view.spacing())

    def _text_width(self, row_width: int) -> int:
        return max(60, row_width - self.view.iconSize().width() - 3 * self.MARGIN)

    @staticmethod
    def _parts(index: Index) -> tuple[str, str]:
        title, _, rest = str(index.data(Qt.ItemDataRole.DisplayRole) or "").partition("\n")
        return title, rest

    def text_height(self, option: QStyleOptionViewItem, index: Index, text_width: int) -> int:
        bold, normal = self._fonts(option)
        title, rest = self._parts(index)
        box = QRect(0, 0, text_width, 100_000)
        height = QFontMetrics(bold).boundingRect(box, _WRAP, title).height()
        if rest:
            height += QFontMetrics(normal).boundingRect(box, _WRAP, rest).height()
        return height

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = self._row_width()
        text = self.text_height(opt, index, self._text_width(width))
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
        bold, normal = self._fonts(opt)
        title, rest = self._parts(index)
        left = rect.left() + size.width() + 2 * self.MARGIN
        width = rect.right() - self.MARGIN - left
        painter.setFont(bold)
        title_rect = painter.boundingRect(QRect(left, rect.top() + self.MARGIN, width, 100_000), _WRAP, title)
        painter.drawText(QRect(left, rect.top() + self.MARGIN, width, title_rect.height()), _WRAP, title)
        if rest:
            painter.setFont(normal)
            top = rect.top() + self.MARGIN + title_rect.height()
            painter.drawText(QRect(left, top, width, rect.bottom() - top + 1), _WRAP, rest)
        painter.restore()


class LibraryScreen(QWidget):
    """Lists scenarios; Enter, double-click or Open briefing opens the selected one."""

    scenario_opened = Signal(object)  # PlayableScenario
    loading_finished = Signal()

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
        self._entries: list[PlayableScenario] = []
        self._best: dict[str, int] = {}
        self._unfinished: set[str] = set()
        self._loading = False
        self._loader = LibraryLoader(self)
        self._loader.entry_loaded.connect(self._on_entry_loaded)
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

        self.list = QListWidget()
        self.list.setAccessibleName("Scenarios")
        self.list.setWordWrap(True)
        self.list.setIconSize(QSize(32, 32))
        self.list.setSpacing(3)
        self.list.setUniformItemSizes(False)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.row_delegate = ScenarioRowDelegate(self.list)
        self.list.setItemDelegate(self.row_delegate)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentItemChanged.connect(self._show_details)
        self.list.itemActivated.connect(self._activate)
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

    # ---- loading ---------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def entries(self) -> list[PlayableScenario]:
        return list(self._entries)

    def reload(self) -> None:
        """Load every folder again; the list fills as each file arrives from the loader."""
        self._loader.cancel()
        # The list first: clearing it moves the selection, and the details pane reads the entries.
        self.list.clear()
        self._entries.clear()
        self._loading = True
        self.status_label.setText("Loading scenarios…")
        self.empty_label.hide()
        self._loader.start(self.folders())

    def stop_loading(self) -> None:
        """Stop the loader now, as the window closes; what arrived so far stays listed."""
        self._loader.cancel()
        self._loading = False

    def _on_entry_loaded(self, entry: PlayableScenario) -> None:
        self._entries.append(entry)
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, len(self._entries) - 1)
        self._fill_item(item, entry)
        self.list.addItem(item)
        item.setHidden(not entry.matches(self.kind_filter.currentData(), self.search.text()))
        if self.list.currentItem() is None and not item.isHidden():
            self.list.setCurrentItem(item)

    def _on_finished(self) -> None:
        self._loading = False
        self._update_status()
        self.loading_finished.emit()

    def _fill_item(self, item: QListWidgetItem, entry: PlayableScenario) -> None:
        if entry.ok:
            scenario = entry.scenario
            assert scenario is not None
            kind = kind_word(scenario.persona.kind)
            lines = [
                scenario.title,
                f"{kind} customer · {scenario.difficulty.capitalize()} · {scenario.minutes} min",
                "Focus: " + ", ".join(entry.focus_names()),
            ]
            best = self._best.get(scenario.id)
            if best is not None:
                lines[1] += f" · Best score {best}"
            if scenario.id in self._unfinished:
                lines[1] += " · Unfinished attempt"
            item.setIcon(kind_icon(scenario.persona.kind))
        else:
            name = entry.scenario.title if entry.scenario is not None else entry.path.name
            lines = [name, f"Cannot be played yet. {BROKEN_SENTENCE}."]
            item.setIcon(error_icon(self))
        text = "\n".join(lines)
        item.setText(text)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, text.replace("\n", ". "))

    def set_best_scores(self, best: dict[str, int], unfinished: set[str] | None = None) -> None:
        """Each scenario's best score, and which have an attempt left unfinished, from the records."""
        self._best = dict(best)
        self._unfinished = set(unfinished or ())
        for row in range(self.list.count()):
            item = self.list.item(row)
            entry = self._entry_of(item)
            if entry is not None:
                self._fill_item(item, entry)
        self._show_details(self.list.currentItem())

    # ---- filtering and selection -----------------------------------------------------------
    def _apply_filter(self) -> None:
        kind, search = self.kind_filter.currentData(), self.search.text()
        first_visible = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            entry = self._entry_of(item)
            hidden = entry is None or not entry.matches(kind, search)
            item.setHidden(hidden)
            if not hidden and first_visible is None:
                first_visible = item
        current = self.list.currentItem()
        if current is None or current.isHidden():
            self.list.setCurrentItem(first_visible)
            self._show_details(first_visible)
        self._update_status()

    def visible_entries(self) -> list[PlayableScenario]:
        entries = (
            self._entry_of(self.list.item(r)) for r in range(self.list.count()) if not self.list.item(r).isHidden()
        )
        return [e for e in entries if e is not None]

    def filtering(self) -> bool:
        return self.kind_filter.currentData() is not None or bool(self.search.text().strip())

    def _update_status(self) -> None:
        visible = self.visible_entries()
        playable = sum(1 for e in self._entries if e.ok)
        broken = len(self._entries) - playable
        status = f"{playable} scenario{'s' if playable != 1 else ''}"
        if self.filtering():
            shown = sum(1 for e in visible if e.ok)
            status = f"{shown} of {status}"
        if broken:
            status += f", {broken} file{'s' if broken != 1 else ''} with errors"
        if self._loading:
            status = "Loading scenarios… " + status
        self.status_label.setText(status)
        if not self._loading and not visible:
            self.empty_label.setText(
                "No scenario matches the search or filter."
                if self._entries
                else "No scenarios found. Use Add folder… to add some."
            )
            self.empty_label.show()
        else:
            self.empty_label.hide()

    def current_entry(self) -> PlayableScenario | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return self._entry_of(item)

    def select_path(self, path: Path) -> bool:
        for row in range(self.list.count()):
            item = self.list.item(row)
            entry = self._entry_of(item)
            if entry is not None and entry.path == Path(path) and not item.isHidden():
                self.list.setCurrentItem(item)
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

    def _entry_of(self, item: QListWidgetItem | None) -> PlayableScenario | None:
        if item is None:
            return None
        index = item.data(Qt.ItemDataRole.UserRole)
        return self._entries[index] if isinstance(index, int) and 0 <= index < len(self._entries) else None

    def _show_details(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        entry = self._entry_of(item)
        self.details.setVisible(entry is not None)
        if entry is None:
            self.open_button.setEnabled(False)
            self.remove_folder_button.setEnabled(False)
            return
        scenario = entry.scenario if entry.ok else None
        self.detail_title.setText(entry.title)
        if scenario is not None:
            kind = scenario.persona.kind
            self.detail_kind.show_icon_text(kind_icon(kind), f"{kind_word(kind)} customer: {scenario.persona.name}")
            self.detail_meta.setText(
                f"Difficulty: {scenario.difficulty.capitalize()} · About {scenario.minutes} min · "
                f"Pass mark {scenario.pass_mark}"
            )
            self.detail_summary.setText(scenario.summary)
            self.detail_setting.setText(f"Setting: {scenario.setting}")
            self.detail_focus.setText("Traits in focus: " + ", ".join(entry.focus_names()))
            best = self._best.get(scenario.id)
            played = f"Your best score so far: {best}." if best is not None else "Not played yet."
            if scenario.id in self._unfinished:
                played += " You have an unfinished attempt: open the briefing to resume it."
            self.detail_best.setText(played)
        else:
            self.detail_kind.show_icon_text(
                error_icon(self), f"{BROKEN_SENTENCE}, so it cannot be played yet. Details shows what is wrong."
            )
        for label in (self.detail_meta, self.detail_summary, self.detail_setting, self.detail_focus, self.detail_best):
            label.setVisible(scenario is not None)
        self.detail_problems.setText("\n".join(entry.problems))
        self.detail_problems_heading.setText("Problems in this file" if not entry.ok else "Warnings for the author")
        self.detail_problems.setVisible(bool(entry.problems))
        self.detail_problems_heading.setVisible(bool(entry.problems))
        self.detail_source.setText(f"From: {entry.source}\nFile: {entry.path}")
        self.details_toggle.setAccessibleDescription(
            "What a trainer must fix and where the file is" if entry.problems else "Where the file is"
        )
        self.open_button.setEnabled(entry.ok)
        self.remove_folder_button.setEnabled(entry.added_folder is not None)
        self.remove_folder_button.setVisible(entry.added_folder is not None)

    # ---- keys ------------------------------------------------------------------------------
    def _visible_rows(self) -> list[int]:
        return [r for r in range(self.list.count()) if not self.list.item(r).isHidden()]

    def _select_row(self, row: int) -> None:
        self.list.setCurrentRow(row)
        self.list.scrollToItem(self.list.item(row))

    def _list_key(self, event: QKeyEvent) -> bool:
        """Home/End/PageUp/PageDown among visible rows; Enter opens only a visible scenario."""
        key = event.key()
        rows = self._visible_rows()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not event.isAutoRepeat():
                self.open_current()
            return True
        if key not in (Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            return False
        if not rows:
            return True
        if key == Qt.Key.Key_Home:
            self._select_row(rows[0])
        elif key == Qt.Key.Key_End:
            self._select_row(rows[-1])
        else:
            current = self.list.currentRow()
            position = rows.index(current) if current in rows else 0
            step = max(1, self.list.viewport().height() // max(1, self.list.sizeHintForRow(rows[0]) or 1) - 1)
            position = position + step if key == Qt.Key.Key_PageDown else position - step
            self._select_row(rows[max(0, min(len(rows) - 1, position))])
        return True

    def _search_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
            rows = self._visible_rows()
            current = self.list.currentItem()
            if rows and (current is None or current.isHidden()):
                self._select_row(rows[0])
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

    def _activate(self, item: QListWidgetItem) -> None:
        if item.isHidden():
            return
        entry = self._entry_of(item)
        if entry is not None and entry.ok:
            self.scenario_opened.emit(entry)

    def open_current(self) -> None:
        entry = self.current_entry()
        if entry is not None and entry.ok:
            self.scenario_opened.emit(entry)
