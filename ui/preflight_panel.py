"""The pre-flight panel: what to look at before a pack leaves the app (export, print, share).

`Preflight.run` asks the library for the pack's findings (`Library.check`) off the GUI
thread; when there are none, the journey goes straight on. Otherwise `PreflightPanel` lists
them (severity, where, message, hint); activating one goes to its entry (`go_to`, carrying
its origin: "item:7", "passage:12", "source:3"). While something blocks, the panel's
Export / Print / Share button is disabled until "Override (recorded)" is ticked; an override
is recorded in the library with the findings it passed over (`briefing pack overrides`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ui.ops import Op, TaskRunner
from ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QObject,
    QPushButton,
    QStyle,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)

if TYPE_CHECKING:
    from briefing.preflight import Finding

ORIGIN_ROLE = Qt.ItemDataRole.UserRole
SEVERITY_TEXT = {"blocks": "Blocks", "warns": "Warns"}
GERUND = {"Export": "exporting", "Print": "printing", "Share": "sharing", "Copy": "copying"}


def blocking(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "blocks"]


class PreflightPanel(QDialog):
    """The findings on a pack, before `action` ("Export", "Print", "Share", "Copy"; None: a check on
    demand, with Close only). Not modal: the user may go to an entry and come back."""

    go_to = Signal(str)  # the origin of the finding activated
    overridden = Signal()  # the user went on past what blocks

    def __init__(
        self,
        findings: Sequence[Finding],
        title: str,
        action: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.findings = list(findings)
        self.setWindowTitle(f"Check before {GERUND[action]}" if action else "Check pack")
        blocks, warns = len(blocking(findings)), len(findings) - len(blocking(findings))
        if not findings:
            summary = f"Nothing to look at in “{title}”: it is ready to leave."
        else:
            parts = [f"{blocks} block{'s' * (blocks != 1)}" if blocks else "",
                     f"{warns} warning{'s' * (warns != 1)}" if warns else ""]  # fmt: skip
            summary = f"“{title}”: {' and '.join(p for p in parts if p)}."
            if blocks and action:
                summary += f" {action} is held back until they are fixed or overridden."
        self.summary = QLabel(summary, wordWrap=True)
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["Severity", "Where", "What to look at"])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        style = self.style()
        icons = {
            "blocks": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            "warns": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
        }
        for finding in self.findings:
            row = QTreeWidgetItem(
                [SEVERITY_TEXT.get(finding.severity, finding.severity), finding.where,
                 f"{finding.message}\n→ {finding.hint}"]
            )  # fmt: skip
            row.setIcon(0, icons.get(finding.severity, icons["warns"]))
            row.setData(0, ORIGIN_ROLE, finding.origin)
            tip = f"{finding.code}: {finding.message}\n{finding.hint}"
            if finding.origin:
                tip += "\nDouble-click to go to it."
            for column in range(3):
                row.setToolTip(column, tip)
            self.list.addTopLevelItem(row)
        for column in range(2):
            self.list.resizeColumnToContents(column)
        self.list.itemActivated.connect(self._activated)
        self.list.setVisible(bool(findings))

        self.override = QCheckBox("Override (recorded)")
        self.override.setToolTip("Go on despite what blocks; the override is logged")
        self.override.setVisible(bool(blocks and action))
        self.buttons = QDialogButtonBox()
        self.proceed: QPushButton | None = None
        if action:
            self.proceed = self.buttons.addButton(
                f"{action} anyway" if findings else action,
                QDialogButtonBox.ButtonRole.AcceptRole,
            )
            self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            self.proceed.setEnabled(not blocks)
            self.override.toggled.connect(lambda on: self._allow(on or not blocks))
        else:
            self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.override)
        layout.addWidget(self.buttons)
        self.resize(760, 360 if findings else 120)

    def _allow(self, on: bool) -> None:
        if self.proceed is not None:
            self.proceed.setEnabled(on)

    def _activated(self, row: QTreeWidgetItem, _column: int) -> None:
        origin = row.data(0, ORIGIN_ROLE)
        if origin:
            self.go_to.emit(origin)

    def accept(self) -> None:
        if self.proceed is not None and not self.proceed.isEnabled():
            return  # Return pressed while blocked
        if blocking(self.findings):
            self.overridden.emit()
        super().accept()


class Preflight(QObject):
    """Runs the pre-flight before a journey, and shows the panel when there is anything to
    show. One per workspace; its `go_to` carries the origins activated in any panel."""

    go_to = Signal(str)

    def __init__(
        self,
        window: QWidget,
        runner: TaskRunner,
        parent: QObject | None = None,
        by: Callable[[], str] = lambda: "",
    ) -> None:
        super().__init__(parent or window)
        self.window, self.runner, self.by = window, runner, by
        self.panel: PreflightPanel | None = None  # the one shown last (tests look at it)

    def run(
        self,
        pack_id: int,
        title: str,
        action: str | None,
        proceed: Callable[[], object] = lambda: None,
        level: str | None = None,
    ) -> Op[list[Finding]]:
        """Check pack `pack_id` (printed at `level`, default its own marking); then call
        `proceed` at once if nothing is found, or once the user goes on from the panel.
        With `action` None, the panel is shown whatever is found (Pack ▸ Check pack…)."""

        def checked(findings: list[Finding]) -> None:
            if not findings and action is not None:
                proceed()
                return
            self.show(findings, pack_id, title, action, proceed, level)

        return (
            Op(self.window, self.runner, lambda lib, _p: lib.check(pack_id, level))
            .success(checked)
            .run()
        )

    def show(
        self,
        findings: list[Finding],
        pack_id: int,
        title: str,
        action: str | None,
        proceed: Callable[[], object],
        level: str | None = None,
    ) -> PreflightPanel:
        if self.panel is not None:
            self.panel.close()
            self.panel.deleteLater()
        panel = PreflightPanel(findings, title, action, self.window)
        panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        panel.go_to.connect(self.go_to)
        panel.overridden.connect(lambda: self._record(pack_id, action or "", level, findings))
        panel.accepted.connect(proceed)
        self.panel = panel
        panel.show()
        return panel

    def _record(
        self, pack_id: int, action: str, level: str | None, findings: list[Finding]
    ) -> None:
        """Record the override in the library (`briefing pack overrides`), by the author
        named in Settings."""
        by = self.by()
        Op(
            self.window,
            self.runner,
            lambda lib, _p: lib.record_override(pack_id, action.lower(), level, findings, by),
        ).run()
