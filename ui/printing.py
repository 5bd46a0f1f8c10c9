"""Printing a rendered pack: the pages of the same PDF the export writes, drawn on a QPrinter."""

from __future__ import annotations

from ui.qt import QPainter, QPdfDocument, QPrinter, QRectF, QSize

MAX_PRINT_DPI = 300  # enough for text; keeps page images small


def paint_pdf(printer: QPrinter, pdf: QPdfDocument) -> None:
    """Draw every page of `pdf` on `printer`, each fitted to the printable area."""
    painter = QPainter()
    if not painter.begin(printer):
        return
    try:
        area = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
        area.moveTo(0, 0)
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        for page in range(pdf.pageCount()):
            if page:
                printer.newPage()
            points = pdf.pagePointSize(page)
            image = pdf.render(
                page, QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            )
            scale = min(area.width() / image.width(), area.height() / image.height())
            target = QRectF(0, 0, image.width() * scale, image.height() * scale)
            target.moveCenter(area.center())
            painter.drawImage(target, image)
    finally:
        painter.end()
