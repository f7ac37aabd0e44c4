"""A debrief as a PDF: the same words as the screen, and its trait chart drawn by the screen's own painter.

The file is written through QSaveFile, so an interrupted export never leaves half a PDF.
"""

from __future__ import annotations

import html
import os
import sys
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSaveFile, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

from simulator.core import Debrief
from simulator.core.scoring import NOT_ASSESSED

from .charts import paint_trait_bars, trait_bars_height
from .debrief_screen import result_words, timing_text

CHART_WIDTH = 1400  # pixels of the chart image; the page scales it to its width
CHART_URL = QUrl("frontline:chart.png")


class PdfError(Exception):
    pass


def _chart_image(debrief: Debrief, font: QFont) -> QImage:
    chart_font = QFont(font)
    chart_font.setPixelSize(26)
    height = int(trait_bars_height(debrief.traits, chart_font, CHART_WIDTH)) + 8
    image = QImage(CHART_WIDTH, max(40, height), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    palette = QPalette()
    # Print colours: black text on white, whatever the screen's theme.
    palette.setColor(QPalette.ColorRole.WindowText, QColor("black"))
    palette.setColor(QPalette.ColorRole.Mid, QColor("#888888"))
    palette.setColor(QPalette.ColorRole.Base, QColor("white"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#2d6cb5"))
    painter = QPainter(image)
    painter.setFont(chart_font)
    # A margin on the right keeps the last scale label and the score numbers inside the image.
    paint_trait_bars(painter, QRectF(0, 0, CHART_WIDTH - 100, image.height()), debrief.traits, palette)
    painter.end()
    return image


def debrief_html(debrief: Debrief) -> str:
    """The debrief's text, in the order and words the screen shows it."""
    e = html.escape
    overall = (
        f"Overall: {debrief.overall} out of 100"
        if debrief.overall is not None
        else f"Overall: not assessed ({NOT_ASSESSED})"
    )
    parts = [
        f"<h1>{e(debrief.title)}</h1>",
        f"<h2>{e(debrief.outcome_title)}</h2>",
        f"<p>{e(debrief.ending_summary)}</p>",
        f"<p><b>{e(overall)}</b> · pass mark {debrief.pass_mark} · <b>{e(result_words(debrief))}</b></p>",
    ]
    if debrief.result_reason:
        parts.append(f"<p>{e(debrief.result_reason)}</p>")
    mode = "Practice" if debrief.mode == "practice" else "Assessment"
    parts.append(f"<p>{mode}, {'timer on' if debrief.timed else 'no time pressure'}.</p>")
    parts.append("<h2>Traits</h2>")
    parts.append(f'<p><img src="{CHART_URL.toString()}" width="640"></p>')
    if debrief.key_moments:
        parts.append("<h2>Key moments</h2><ul>")
        for moment in debrief.key_moments:
            sign = "Gain" if moment.kind == "gain" else "Loss"
            parts.append(f"<li><b>{sign}, step {moment.step}:</b> {e(moment.text)}<br>{e(moment.why)}</li>")
        parts.append("</ul>")
    parts.append("<h2>Every choice</h2>")
    for step in debrief.steps:
        deltas = ", ".join(f"{k} {v:+d}" for k, v in step.deltas.items()) or "no change"
        parts.append(f"<h3>Step {step.index}</h3>")
        if step.customer:
            parts.append(f"<p><i>Customer:</i> {e(step.customer)}</p>")
        parts.append(f"<p><i>You:</i> {e(step.chosen_text)}</p>")
        parts.append(f"<p>{e(deltas)}. {e(step.why)}</p>")
        parts.append(f"<p>{e(timing_text(step, debrief.timed))}</p>")
        if step.best is not None:
            parts.append(f"<p><i>A stronger reply:</i> {e(step.best.text)}<br>{e(step.best.why)}</p>")
    if debrief.tips:
        parts.append("<h2>Tips</h2>")
        for tip in debrief.tips:
            parts.append(
                f"<p><b>{e(tip.trait_name)} ({tip.score}):</b> {e(tip.advice)}<br>"
                f"“{e(tip.quote)}” ({e(tip.document_title)})</p>"
            )
    return "\n".join(parts)


def write_debrief_pdf(debrief: Debrief, path: Path | str, font: QFont | None = None) -> None:
    """Write the debrief to ``path`` as an A4 PDF; PdfError (with the reason) when it cannot be written."""
    target = QSaveFile(str(path))
    if not target.open(QSaveFile.OpenModeFlag.WriteOnly):
        raise PdfError(f"cannot write {path}: {target.errorString()}")
    writer = QPdfWriter(target)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(f"Frontline debrief: {debrief.title}")
    writer.setCreator("Frontline")
    document = QTextDocument()
    base = QFont(font) if font is not None else QFont()
    base.setPointSizeF(10.5)
    document.setDefaultFont(base)
    document.addResource(QTextDocument.ResourceType.ImageResource, CHART_URL, _chart_image(debrief, base))
    document.setHtml(debrief_html(debrief))
    document.print_(writer)
    del writer  # finishes the PDF into the save file before it is committed
    if not target.commit():
        raise PdfError(f"cannot write {path}: {target.errorString()}")


def write_debrief_pdf_headless(debrief: Debrief, path: Path | str) -> None:
    """The same, from the command line: a windowless Qt application (offscreen) is made if none runs."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A QApplication, not a QGuiApplication: a process that later shows widgets (a test run) can.
    app = QApplication.instance() or QApplication(sys.argv[:1])
    write_debrief_pdf(debrief, path)
    del app
