"""The texts an item had before edits and conflicting saves replaced them (read only; the
text can be selected and copied back into the item)."""

from __future__ import annotations

import html

from briefing.dates import short_stamp
from briefing.items import HistoryEntry
from ui.qt import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget


def history_html(title: str, entries: list[HistoryEntry]) -> str:
    """Return the history as HTML: newest first, each text as it was (escaped, never markup)."""
    if not entries:
        return f"<p>No earlier text of “{html.escape(title)}” has been set aside.</p>"
    return "".join(
        f"<h3>Version {e.version} · {short_stamp(e.saved_at)}"
        f"{' · ' + html.escape(e.by) if e.by else ''}</h3>"
        f"<p><i>{html.escape(e.reason)}</i></p><p><b>{html.escape(e.title)}</b></p>"
        f"<pre style='white-space: pre-wrap'>{html.escape(e.body)}</pre>"
        for e in entries
    )


class ItemHistoryDialog(QDialog):
    def __init__(self, title: str, entries: list[HistoryEntry], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"History of “{title}”")
        self.resize(640, 480)
        self.text = QTextBrowser()
        self.text.setHtml(history_html(title, entries))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
