"""What an import did: each file imported, skipped (already there) or failed, with why."""

from __future__ import annotations

from briefing.importer import ImportResult
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


class ImportSummary(QDialog):
    def __init__(self, results: list[ImportResult], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import finished")
        counts = {
            s: sum(r.status == s for r in results)
            for s in ("imported", "same document", "already in library", "skipped", "failed")
        }
        same = counts["same document"]
        self.headline = QLabel(
            f"{counts['imported']} imported"
            + (f" · {same} kept with the same document in another format" if same else "")
            + f" · {counts['already in library']} skipped (already in the library)"
            + (f" · {counts['skipped']} not documents" if counts["skipped"] else "")
            + f" · {counts['failed']} failed"
        )
        logs = sorted({r.log for r in results if r.log})
        if logs:
            self.headline.setText(self.headline.text() + "\nDetails of the internal errors are in "
                                  + ", ".join(logs))  # fmt: skip
        self.headline.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setHeaderLabels(["File", "Result", "Details"])
        self.table.setRootIsDecorated(False)
        for r in sorted(results, key=lambda r: (r.status != "failed", r.path)):
            details = (
                r.reason
                if r.status in ("failed", "same document")
                else f"{r.passages} passages" if r.passages else ""
            )
            row = QTreeWidgetItem([r.path.rsplit("/", 1)[-1], r.status, details])
            row.setToolTip(0, r.path)
            row.setToolTip(2, details)
            self.table.addTopLevelItem(row)
        for column in range(2):
            self.table.resizeColumnToContents(column)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(720, 360)
