"""The branch graph of the author window: a QGraphicsView of a ``ScenarioGraph``, built a slice at a time.

Nodes are coloured by kind and outcome (the same colours ``frontline graph`` writes), edges are labelled
with the reply number and its trait deltas, the wheel zooms, a drag pans, and a path can be highlighted.
Items are made on the GUI thread in slices of ``BATCH`` per turn of the event loop, so a scenario of
hundreds of nodes never freezes the window while it is drawn; labels that would be too small to read are
hidden when zoomed out, which keeps painting cheap.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QPainter, QPainterPath, QPen, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from simulator.core.graph import BEST_COLOUR, WORST_COLOUR, GraphEdge, GraphNode, ScenarioGraph

NODE_WIDTH, NODE_HEIGHT = 190.0, 58.0
COLUMN_STEP, ROW_STEP = 330.0, 92.0
BATCH = 120  # items made per turn of the event loop
MIN_SCALE, MAX_SCALE = 0.05, 4.0
EDGE_LABELS_FROM = 0.55  # edge labels show at this zoom and above
NODE_TEXT_FROM = 0.3
BOTH_COLOUR = "#6a1b9a"  # an edge on both the best and the worst path
SNIPPET_LIMIT = 30
ID_ROLE = 0  # QGraphicsItem.data key holding a node's id


def wrap_label(text: str, width: int = 34) -> str:
    """An edge label over several lines at its commas, so no trait delta is cut off."""
    lines: list[str] = []
    for part in text.split(", "):
        if lines and len(lines[-1]) + 2 + len(part) <= width:
            lines[-1] += ", " + part
        else:
            lines.append(part)
    return ",\n".join(lines)


def _elide(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class NodeItem(QGraphicsPathItem):
    """A rounded box: the node's id in bold, the start of its text below; selectable."""

    def __init__(self, node: GraphNode, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.node = node
        shape = QPainterPath()
        if node.kind == "routes":
            # A routing node is a lozenge-cornered box, so its kind is told by shape as well as by colour.
            shape.addRoundedRect(QRectF(0, 0, NODE_WIDTH, NODE_HEIGHT), 28, 28)
        else:
            shape.addRoundedRect(QRectF(0, 0, NODE_WIDTH, NODE_HEIGHT), 8, 8)
        self.setPath(shape)
        self.setBrush(QBrush(QColor(node.colour)))
        self.normal_pen = QPen(QColor("#37474f"), 2.5 if node.is_start else 1.2)
        if not node.reachable:
            self.normal_pen.setStyle(Qt.PenStyle.DashLine)
        self.setPen(self.normal_pen)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setData(ID_ROLE, node.id)
        self.setZValue(2)
        words = node.kind if node.kind != "ending" else f"ending: {node.outcome}"
        tip = f"{node.id} ({words})" + ("" if node.reachable else ", unreachable from the start")
        self.setToolTip(tip + (f"\n{node.snippet}" if node.snippet else ""))
        bold = QFont()
        bold.setBold(True)
        self.title = QGraphicsSimpleTextItem(_elide(node.id, 24), self)
        self.title.setFont(bold)
        self.title.setPos(8, 6)
        below = f"[{node.outcome}]" if node.kind == "ending" else _elide(node.snippet, SNIPPET_LIMIT)
        self.detail = QGraphicsSimpleTextItem(below, self)
        self.detail.setPos(8, 30)
        for text in (self.title, self.detail):
            text.setBrush(QBrush(QColor("#102027")))  # dark on the light fills in either theme

    def centre_left(self) -> QPointF:
        return self.pos() + QPointF(0, NODE_HEIGHT / 2)

    def centre_right(self) -> QPointF:
        return self.pos() + QPointF(NODE_WIDTH, NODE_HEIGHT / 2)

    def show_text(self, on: bool) -> None:
        self.detail.setVisible(on)


class EdgeItem(QGraphicsPathItem):
    """A curve from one node to another with an arrowhead, and its label."""

    def __init__(
        self, edge: GraphEdge, source: NodeItem, target: NodeItem, lane: int, parent: QGraphicsItem | None = None
    ) -> None:
        super().__init__(parent)
        self.edge = edge
        dashed = edge.choice is None or edge.choice == "t"
        self.normal_pen = QPen(QColor("#78909c"), 1.2, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
        self.setPen(self.normal_pen)
        self.setZValue(0)
        path, middle = self._curve(source, target, lane)
        self.setPath(path)
        self.label = QGraphicsSimpleTextItem(wrap_label(edge.label), self)
        small = QFont()
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.85))
        self.label.setFont(small)
        self.label.setBrush(QBrush(QColor("#263238")))
        box = self.label.boundingRect()
        self.label.setPos(middle - QPointF(box.width() / 2, box.height() - 2))
        self.setToolTip(f"{edge.source} → {edge.target}: {edge.label}")

    @staticmethod
    def _curve(source: NodeItem, target: NodeItem, lane: int) -> tuple[QPainterPath, QPointF]:
        bend = 22.0 * lane
        path = QPainterPath()
        if target.pos().x() > source.pos().x():
            start, end = source.centre_right(), target.centre_left()
            span = (end.x() - start.x()) / 2
            c1 = QPointF(start.x() + span, start.y() + bend)
            c2 = QPointF(end.x() - span, end.y() + bend)
            tip_dir = -1.0
        else:
            # Back to an earlier column (a loop) or within one: an arc below the boxes.
            start = source.pos() + QPointF(NODE_WIDTH / 2, NODE_HEIGHT)
            end = target.pos() + QPointF(NODE_WIDTH / 2 + 12, NODE_HEIGHT)
            drop = 50.0 + bend + abs(start.x() - end.x()) * 0.08
            c1 = QPointF(start.x(), start.y() + drop)
            c2 = QPointF(end.x(), end.y() + drop)
            tip_dir = 0.0
        path.moveTo(start)
        path.cubicTo(c1, c2, end)
        # Parallel edges (several replies to one node) put their labels at different points along the way.
        middle = path.pointAtPercent((0.5, 0.28, 0.72, 0.4, 0.6)[lane % 5])
        # An open arrowhead drawn with the same pen, so an edge is one item.
        if tip_dir:
            wing_a, wing_b = QPointF(-9, -5), QPointF(-9, 5)
        else:
            wing_a, wing_b = QPointF(-5, 9), QPointF(5, 9)
        path.moveTo(end + wing_a)
        path.lineTo(end)
        path.lineTo(end + wing_b)
        return path, middle


class GraphView(QGraphicsView):
    """Shows one ScenarioGraph. Emits graph_built once every item is made, node_selected(id) when the
    selection changes ("" when nothing is selected), and zoom_changed(scale)."""

    graph_built = Signal()
    node_selected = Signal(str)
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        self._scene = QGraphicsScene()
        super().__init__(self._scene, parent)
        self._scene.setParent(self)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setBackgroundBrush(QBrush(QColor("#fafafa")))
        self.setAccessibleName("Branch graph")
        self.setAccessibleDescription("The scenario's nodes and replies; arrow keys pan, + and - zoom")
        self.graph: ScenarioGraph | None = None
        self.nodes: dict[str, NodeItem] = {}
        self.edges: list[EdgeItem] = []
        self._pending: list[tuple[str, int]] = []
        self._keep: str | None = None
        self._lanes: dict[tuple[str, str], int] = {}
        self._highlight: tuple[set[int], set[int]] = (set(), set())
        self._builder = QTimer(self)
        self._builder.setInterval(0)
        self._builder.timeout.connect(self._build_slice)
        self._scene.selectionChanged.connect(self._on_selection_changed)

    # ---- building ---------------------------------------------------------------------------
    @property
    def building(self) -> bool:
        return self._builder.isActive()

    def show_graph(self, graph: ScenarioGraph, keep: str | None = None) -> None:
        """Replace what is shown with ``graph``, built in slices; ``keep`` is selected again once built."""
        self._builder.stop()
        self._scene.selectionChanged.disconnect(self._on_selection_changed)
        self._scene.clear()
        self._scene.selectionChanged.connect(self._on_selection_changed)
        self.graph = graph
        self.nodes = {}
        self.edges = []
        self._lanes = {}
        self._highlight = (set(), set())
        self._keep = keep
        self._pending = [("node", i) for i in range(len(graph.nodes))]
        self._pending += [("edge", i) for i in range(len(graph.edges))]
        self._pending.reverse()  # popped from the end
        self._builder.start()

    def _build_slice(self) -> None:
        graph = self.graph
        if graph is None:
            self._builder.stop()
            return
        for _ in range(min(BATCH, len(self._pending))):
            kind, index = self._pending.pop()
            if kind == "node":
                self._add_node(graph.nodes[index])
            else:
                self._add_edge(graph.edges[index])
        if self._pending:
            return
        self._builder.stop()
        self._scene.setSceneRect(self._scene.itemsBoundingRect().adjusted(-60, -60, 60, 60))
        self._apply_detail()
        self._paint_highlight()
        if self._keep is not None and self._keep in self.nodes:
            self.select_node(self._keep)
        self.graph_built.emit()

    def _add_node(self, node: GraphNode) -> None:
        item = NodeItem(node)
        item.setPos(node.layer * COLUMN_STEP, node.row * ROW_STEP)
        self._scene.addItem(item)
        self.nodes[node.id] = item

    def _add_edge(self, edge: GraphEdge) -> None:
        key = (edge.source, edge.target)
        lane = self._lanes.get(key, 0)
        self._lanes[key] = lane + 1
        item = EdgeItem(edge, self.nodes[edge.source], self.nodes[edge.target], lane)
        self._scene.addItem(item)
        self.edges.append(item)

    # ---- selection ------------------------------------------------------------------------
    def selected_node(self) -> str | None:
        for item in self._scene.selectedItems():
            if isinstance(item, NodeItem):
                return item.node.id
        return None

    def select_node(self, node_id: str, centre: bool = True) -> bool:
        item = self.nodes.get(node_id)
        if item is None:
            return False
        if not item.isSelected() or len(self._scene.selectedItems()) != 1:
            self._scene.clearSelection()
            item.setSelected(True)
        if centre:
            self.centerOn(item)
        return True

    def _on_selection_changed(self) -> None:
        self._paint_highlight()
        self.node_selected.emit(self.selected_node() or "")

    # ---- highlighted paths -----------------------------------------------------------------
    def highlight_paths(self, best: Iterable[int], worst: Iterable[int]) -> None:
        """Draw the best path's edges (indexes into graph.edges) green and the worst path's red."""
        self._highlight = (set(best), set(worst))
        self._paint_highlight()

    def highlighted(self) -> tuple[set[int], set[int]]:
        return self._highlight

    def _paint_highlight(self) -> None:
        best, worst = self._highlight
        on_path: dict[str, str] = {}
        for index, item in enumerate(self.edges):
            if index in best and index in worst:
                colour = BOTH_COLOUR
            elif index in best:
                colour = BEST_COLOUR
            elif index in worst:
                colour = WORST_COLOUR
            else:
                item.setPen(item.normal_pen)
                item.setZValue(0)
                continue
            pen = QPen(item.normal_pen)
            pen.setColor(QColor(colour))
            pen.setWidthF(3.5)
            item.setPen(pen)
            item.setZValue(1)
            for node_id in (item.edge.source, item.edge.target):
                on_path[node_id] = BOTH_COLOUR if on_path.get(node_id, colour) != colour else colour
        selected_pen = QPen(self.palette().highlight().color(), 5)
        for node_id, node_item in self.nodes.items():
            colour = on_path.get(node_id)
            if node_item.isSelected():
                node_item.setPen(selected_pen)
            elif colour is None:
                node_item.setPen(node_item.normal_pen)
            else:
                pen = QPen(node_item.normal_pen)
                pen.setColor(QColor(colour))
                pen.setWidthF(3.0)
                node_item.setPen(pen)

    # ---- zoom and pan ----------------------------------------------------------------------
    @property
    def scale_factor(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        target = max(MIN_SCALE, min(MAX_SCALE, self.scale_factor * factor))
        step = target / self.scale_factor
        if abs(step - 1.0) < 1e-9:
            return
        self.scale(step, step)
        self._apply_detail()
        self.zoom_changed.emit(self.scale_factor)

    def reset_zoom(self) -> None:
        """Back to 100%."""
        self.resetTransform()
        self._apply_detail()
        self.zoom_changed.emit(self.scale_factor)

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(1 / 1.25)

    def fit_all(self) -> None:
        rect = self._scene.sceneRect()
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.scale_factor > 1.0:
            self.resetTransform()
        elif self.scale_factor < MIN_SCALE:
            self.resetTransform()
            self.scale(MIN_SCALE, MIN_SCALE)
        self._apply_detail()
        self.zoom_changed.emit(self.scale_factor)

    def _apply_detail(self) -> None:
        """Hide text too small to read: it costs painting time and reads as noise."""
        scale = self.scale_factor
        labels = scale >= EDGE_LABELS_FROM
        for edge in self.edges:
            if edge.label.isVisible() != labels:
                edge.label.setVisible(labels)
        texts = scale >= NODE_TEXT_FROM
        for node in self.nodes.values():
            node.show_text(texts)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)  # Shift+wheel scrolls, as elsewhere
            return
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(1.15**steps)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key == Qt.Key.Key_Minus:
            self.zoom_out()
        else:
            super().keyPressEvent(event)
