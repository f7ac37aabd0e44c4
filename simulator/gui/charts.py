"""The per-trait bar chart, painted with QPainter so the same code can draw on a widget, an image or a PDF."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPaintDevice, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from simulator.core import TraitScore

PAD = 4.0
ROW_GAP = 6.0
SCALE_TICKS = (0, 25, 50, 75, 100)
FOCUS_MARK = " (in focus)"
_WRAP = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def score_text(trait: TraitScore) -> str:
    return "not assessed" if trait.score is None else str(trait.score)


def trait_label(trait: TraitScore) -> str:
    return trait.name + (FOCUS_MARK if trait.in_focus else "")


def not_assessed_text(traits: Sequence[TraitScore]) -> str:
    names = [t.name for t in traits if t.score is None]
    return "Not assessed in this scenario: " + ", ".join(names) + "." if names else ""


def describe(traits: Sequence[TraitScore]) -> str:
    """The chart as text, one trait a line, for screen readers and tests."""
    return "\n".join(f"{trait_label(t)}: {score_text(t)}" for t in traits)


@dataclass
class _Layout:
    name_width: float
    number_width: float
    rows: list[tuple[TraitScore, float]]  # assessed traits and each row's height
    scale_height: float
    footer_height: float

    @property
    def height(self) -> float:
        return sum(h + ROW_GAP for _, h in self.rows) + self.scale_height + self.footer_height + 2 * PAD


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold


def _layout(traits: Sequence[TraitScore], font: QFont, device: QPaintDevice | None, width: float) -> _Layout:
    metrics = QFontMetricsF(font, device) if device is not None else QFontMetricsF(font)
    bold = _bold(font)
    # Focus traits are drawn in bold, so measure them in bold or a long name spills out of its row.
    bold_metrics = QFontMetricsF(bold, device) if device is not None else QFontMetricsF(bold)
    assessed = [t for t in traits if t.score is not None]
    widest = max(
        ((bold_metrics if t.in_focus else metrics).horizontalAdvance(trait_label(t)) for t in assessed), default=0.0
    )
    name_width = min(widest + 12, max(120.0, width * 0.42))
    number_width = metrics.horizontalAdvance("100") + 16
    bar_height = metrics.height() + 8
    rows = []
    for trait in assessed:
        m = bold_metrics if trait.in_focus else metrics
        wrapped = m.boundingRect(QRectF(0, 0, name_width - 8, 10_000), _WRAP, trait_label(trait)).height()
        rows.append((trait, max(bar_height, wrapped + 4)))
    footer = not_assessed_text(traits)
    footer_height = (
        metrics.boundingRect(QRectF(0, 0, max(40.0, width - 2 * PAD), 10_000), _WRAP, footer).height() + ROW_GAP
        if footer
        else 0.0
    )
    scale_height = metrics.height() + 4 if assessed else 0.0
    return _Layout(name_width, number_width, rows, scale_height, footer_height)


def trait_bars_height(traits: Sequence[TraitScore], font: QFont, width: float) -> float:
    """How tall paint_trait_bars needs the rect to be at this width, so nothing is cut off."""
    return _layout(traits, font, None, width).height


def paint_trait_bars(painter: QPainter, rect: QRectF, traits: Sequence[TraitScore], palette: QPalette) -> None:
    """Horizontal bars 0-100 with the trait names and numbers; traits not assessed are listed under them."""
    metrics = QFontMetricsF(painter.font(), painter.device())
    layout = _layout(traits, painter.font(), painter.device(), rect.width())
    text_pen = QPen(palette.color(QPalette.ColorRole.WindowText))
    grid_pen = QPen(palette.color(QPalette.ColorRole.Mid), 1, Qt.PenStyle.DotLine)
    bar_left = rect.left() + PAD + layout.name_width
    bar_width = max(20.0, rect.width() - 2 * PAD - layout.name_width - layout.number_width)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    y = rect.top() + PAD
    bars_top = y
    for trait, height in layout.rows:
        score = trait.score or 0
        painter.setPen(text_pen)
        name_font = QFont(painter.font())
        name_font.setBold(trait.in_focus)
        painter.setFont(name_font)
        painter.drawText(QRectF(rect.left() + PAD, y, layout.name_width - 8, height), _WRAP, trait_label(trait))
        name_font.setBold(False)
        painter.setFont(name_font)
        track = QRectF(bar_left, y + (height - metrics.height()) / 2, bar_width, metrics.height())
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.brush(QPalette.ColorRole.Base))
        painter.drawRect(track)
        if score > 0:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.brush(QPalette.ColorRole.Highlight))
            painter.drawRect(QRectF(track.left(), track.top(), track.width() * score / 100, track.height()))
        painter.setPen(text_pen)
        painter.drawText(
            QRectF(track.right() + 8, y, layout.number_width - 8, height),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            str(score),
        )
        y += height + ROW_GAP
    if layout.rows:
        painter.setPen(grid_pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for tick in SCALE_TICKS[1:-1]:
            x = bar_left + bar_width * tick / 100
            painter.drawLine(QPointF(x, bars_top), QPointF(x, y - ROW_GAP))
        painter.setPen(text_pen)
        for tick in SCALE_TICKS:
            x = bar_left + bar_width * tick / 100
            label = str(tick)
            w = metrics.horizontalAdvance(label)
            painter.drawText(
                QPointF(min(max(x - w / 2, bar_left), bar_left + bar_width - w), y + metrics.ascent()), label
            )
        y += layout.scale_height
    footer = not_assessed_text(traits)
    if footer:
        painter.setPen(text_pen)
        painter.drawText(
            QRectF(rect.left() + PAD, y + ROW_GAP, rect.width() - 2 * PAD, layout.footer_height), _WRAP, footer
        )
    painter.restore()


class TraitChart(QWidget):
    """A widget showing paint_trait_bars at whatever width the layout gives it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._traits: list[TraitScore] = []
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName("Trait scores chart")

    @property
    def traits(self) -> list[TraitScore]:
        return list(self._traits)

    def set_traits(self, traits: Sequence[TraitScore]) -> None:
        self._traits = list(traits)
        self.setAccessibleDescription(describe(self._traits))
        self.updateGeometry()
        self._fit()
        self.update()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return int(trait_bars_height(self._traits, self.font(), width)) + 2

    def sizeHint(self) -> QSize:  # noqa: N802
        width = max(self.width(), 500)
        return QSize(width, self.heightForWidth(width))

    def _fit(self) -> None:
        self.setMinimumHeight(self.heightForWidth(max(self.width(), 200)))

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().changeEvent(event)
        self._fit()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        paint_trait_bars(painter, QRectF(self.rect()), self._traits, self.palette())
