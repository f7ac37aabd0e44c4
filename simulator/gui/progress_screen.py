"""The progress screen: every attempt in a table, each trait's trend over time, and what to practise next.

It renders what :mod:`simulator.core.history` computes from the records; any finished attempt
opens its full debrief again, exactly as it was shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from simulator.core import AttemptRecord, Debrief, Scenario
from simulator.core.history import TrendPoint, debrief_from_dict, trait_trends, weakest_traits
from simulator.core.scoring import outcome_words

from .widgets import Heading, make_button, text_label

COLUMNS = ("Date", "Scenario", "Mode", "Outcome", "Overall", "Result")
OVERALL = "overall"
_Index = QModelIndex | QPersistentModelIndex


def result_text(record: AttemptRecord) -> str:
    if not record.finished:
        return "Unfinished"
    return "Passed" if record.passed else "Not passed"


class AttemptsModel(QAbstractTableModel):
    """The attempts, newest first, as table rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records: list[AttemptRecord] = []
        self.titles: dict[str, str] = {}

    def set_records(self, records: Sequence[AttemptRecord], titles: dict[str, str]) -> None:
        self.beginResetModel()
        self.records = sorted(records, key=lambda r: r.updated_at, reverse=True)
        self.titles = dict(titles)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        record = self.records[index.row()]
        debrief = record.debrief or {}
        cells = (
            record.updated_at.replace("T", " ")[:16],
            self.titles.get(record.scenario_id) or debrief.get("title") or record.scenario_id,
            ("Practice" if record.mode == "practice" else "Assessment") + (", timed" if record.timed else ""),
            outcome_words(record.outcome)
            if record.finished
            else f"{record.steps} repl{'y' if record.steps == 1 else 'ies'} so far",
            "" if record.overall is None else str(record.overall),
            result_text(record),
        )
        return cells[index.column()]


class TrendChart(QWidget):
    """One trait's scores over the trainee's attempts, as a line from left (oldest) to right (newest)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[TrendPoint] = []
        self.name = ""
        self.setFixedHeight(170)
        self.setAccessibleName("Trend chart")

    def set_points(self, name: str, points: Sequence[TrendPoint]) -> None:
        self.name, self.points = name, list(points)
        self.setAccessibleDescription(self.describe())
        self.update()

    def describe(self) -> str:
        if not self.points:
            return f"{self.name}: no finished attempt has scored this yet."
        scores = ", ".join(str(p.score) for p in self.points)
        return f"{self.name} over {len(self.points)} attempt(s), oldest first: {scores}."

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(480, 200)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        metrics = painter.fontMetrics()
        left = metrics.horizontalAdvance("100") + 8
        # Room above and to the right for the number printed beside the highest and the newest dot.
        right = metrics.horizontalAdvance("100") + 12
        top = metrics.height() + 4
        area = QRectF(left, top, max(10, self.width() - left - right), max(10, self.height() - top - 8))
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        for value in (0, 50, 100):
            y = area.bottom() - area.height() * value / 100
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, left - 4, metrics.height()), Qt.AlignmentFlag.AlignRight, str(value)
            )
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        if not self.points:
            painter.setPen(text)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "No finished attempt has scored this yet.")
            return
        step = area.width() / max(1, len(self.points) - 1)
        where = [
            QPointF(
                area.left() + (i * step if len(self.points) > 1 else area.width() / 2),
                area.bottom() - area.height() * p.score / 100,
            )
            for i, p in enumerate(self.points)
        ]
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2.5))
        for a, b in zip(where, where[1:], strict=False):
            painter.drawLine(a, b)
        painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
        for point, spot in zip(self.points, where, strict=True):
            painter.drawEllipse(spot, 4, 4)
            painter.setPen(text)  # the number beside each dot, so the chart does not rely on position alone
            painter.drawText(spot + QPointF(6, -6), str(point.score))
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2.5))


class ProgressScreen(QWidget):
    """Attempts, trends and weakest traits; emits debrief_requested(Debrief, AttemptRecord) to reread one."""

    debrief_requested = Signal(object, object)
    pdf_requested = Signal(object, object)
    export_requested = Signal(str)  # "csv" or "json"
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records: list[AttemptRecord] = []
        self._trait_names: dict[str, str] = {}
        self._trends: dict[str, list[TrendPoint]] = {}
        self._build()

    def _build(self) -> None:
        self.heading = Heading("Your progress", 1.6)
        self.summary_label = text_label()
        self.summary_label.setAccessibleName("Summary")
        self.weakest_label = text_label()
        self.weakest_label.setAccessibleName("What to practise next")

        self.trait_choice = QComboBox(self)
        self.trait_choice.setAccessibleName("Trait shown in the trend chart")
        self.trait_choice.currentIndexChanged.connect(self._show_trend)
        choice_label = QLabel("&Trend of:", self)
        choice_label.setBuddy(self.trait_choice)
        self.chart = TrendChart(self)
        self.chart_text = text_label()
        self.chart_text.setAccessibleName("Trend in words")

        self.model = AttemptsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Attempts")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.doubleClicked.connect(self.open_selected)
        self.table.activated.connect(self.open_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.open_button = make_button("&Open debrief", "Open the selected attempt's debrief")
        self.open_button.clicked.connect(self.open_selected)
        self.pdf_button = make_button("Save as &PDF…", "Save the selected attempt's debrief as a PDF")
        self.pdf_button.clicked.connect(self._pdf_selected)
        self.csv_button = make_button("Export &CSV…", "Export every attempt as a CSV file")
        self.csv_button.clicked.connect(self._export_csv)
        self.json_button = make_button("Export &JSON…", "Export every attempt as a JSON file")
        self.json_button.clicked.connect(self._export_json)
        self.back_button = make_button("&Back", "Back to the library")
        self.back_button.clicked.connect(self.back_requested)

        chart_row = QHBoxLayout()
        chart_row.addWidget(choice_label)
        chart_row.addWidget(self.trait_choice, 1)
        buttons = QHBoxLayout()
        for button in (self.back_button, self.open_button, self.pdf_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.json_button)

        # The actions sit above the table, so they stay in view however small the window.
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.weakest_label)
        layout.addLayout(chart_row)
        layout.addWidget(self.chart)
        layout.addWidget(self.chart_text)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self._update_buttons()

    def show_records(
        self,
        records: Sequence[AttemptRecord],
        trait_names: dict[str, str],
        library: Sequence[Scenario] = (),
        trainee: str = "",
    ) -> None:
        self.records = list(records)
        self._trait_names = dict(trait_names)
        self.heading.setText(f"Progress: {trainee}" if trainee else "Your progress")
        titles = {s.id: s.title for s in library}
        self.model.set_records(self.records, titles)
        done = [r for r in self.records if r.finished]
        passed = sum(1 for r in done if r.passed)
        open_ones = len(self.records) - len(done)
        self.summary_label.setText(
            f"{len(done)} finished attempt(s), {passed} passed"
            + (f", {open_ones} unfinished" if open_ones else "")
            + "."
            if self.records
            else "No attempts yet: pick a scenario in the library to start."
        )
        weak = weakest_traits(self.records, trait_names, library)
        if weak:
            lines = ["Your weakest traits lately, and scenarios that train them:"]
            for w in weak:
                where = ", ".join(title for _, title in w.scenarios) or "no scenario in the library has it in focus"
                lines.append(f"• {w.name}: average {w.average:g} over your last attempts. Practise: {where}.")
            self.weakest_label.setText("\n".join(lines))
        else:
            self.weakest_label.setText("Finish an attempt to see which traits to practise next.")
        self._trends = trait_trends(self.records)
        self.trait_choice.blockSignals(True)
        self.trait_choice.clear()
        self.trait_choice.addItem("Overall score", OVERALL)
        for trait in sorted(self._trends, key=lambda t: trait_names.get(t, t)):
            self.trait_choice.addItem(trait_names.get(trait, trait), trait)
        self.trait_choice.blockSignals(False)
        self._show_trend()
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    def _show_trend(self) -> None:
        key = self.trait_choice.currentData()
        if key == OVERALL or key is None:
            points = [
                TrendPoint(r.updated_at, r.overall, r.scenario_id)
                for r in sorted(self.records, key=lambda r: r.updated_at)
                if r.finished and r.overall is not None
            ]
            name = "Overall score"
        else:
            points, name = self._trends.get(key, []), self._trait_names.get(key, key)
        self.chart.set_points(name, points)
        self.chart_text.setText(self.chart.describe())

    def selected(self) -> AttemptRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.records[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        record = self.selected()
        readable = record is not None and record.finished and bool(record.debrief)
        self.open_button.setEnabled(readable)
        self.pdf_button.setEnabled(readable)
        self.csv_button.setEnabled(bool(self.records))
        self.json_button.setEnabled(bool(self.records))

    def _debrief_of(self, record: AttemptRecord | None) -> Debrief | None:
        if record is None or not record.finished or not record.debrief:
            return None
        try:
            return debrief_from_dict(record.debrief)
        except ValueError:
            return None

    def open_selected(self) -> None:
        record = self.selected()
        debrief = self._debrief_of(record)
        if debrief is not None:
            self.debrief_requested.emit(debrief, record)

    def _pdf_selected(self) -> None:
        record = self.selected()
        debrief = self._debrief_of(record)
        if debrief is not None:
            self.pdf_requested.emit(debrief, record)

    def _export_csv(self) -> None:
        self.export_requested.emit("csv")

    def _export_json(self) -> None:
        self.export_requested.emit("json")

    def focus_first(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
