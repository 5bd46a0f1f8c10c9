"""Rows drawn as rich text: search results show their matched words in bold."""

from __future__ import annotations

import html

from ui.qt import (
    QAbstractItemView,
    QAbstractTextDocumentLayout,
    QApplication,
    QModelIndex,
    QPainter,
    QPalette,
    QPersistentModelIndex,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTextDocument,
)

Index = QModelIndex | QPersistentModelIndex
HTML_ROLE = Qt.ItemDataRole.UserRole + 7  # a row's text as HTML, drawn by RichTextDelegate
HIGHLIGHT = ("\x02", "\x03")  # around matched words in the snippets the library returns


def plain(text: str) -> str:
    """Return `text` without HIGHLIGHT's marks."""
    return text.replace(HIGHLIGHT[0], "").replace(HIGHLIGHT[1], "")


def emphasised(text: str) -> str:
    """Return `text` as HTML, what HIGHLIGHT marks in bold, line breaks kept."""
    escaped = html.escape(text).replace("\n", "<br>")
    return escaped.replace(HIGHLIGHT[0], "<b>").replace(HIGHLIGHT[1], "</b>")


class RichTextDelegate(QStyledItemDelegate):
    """Draws a row's HTML_ROLE (if it has one) as rich text, wrapped to the view's width."""

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument | None:
        markup = index.data(HTML_ROLE)
        if not markup:
            return None
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(2)
        doc.setHtml(markup)
        view = option.widget
        width = option.rect.width() or (
            view.viewport().width() if isinstance(view, QAbstractItemView) else 0
        )
        if width > 0:
            doc.setTextWidth(width)
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        doc = self._document(option, index)
        if doc is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(opt.rect.translated(-opt.rect.topLeft()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        doc = self._document(option, index)
        if doc is None:
            return super().sizeHint(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()))
