"""The rows of a `QTreeWidget` as lists (Qt's getters by index may return None)."""

from __future__ import annotations

from ui.qt import QTreeWidget, QTreeWidgetItem


def top_rows(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """Return the tree's top-level rows, in order."""
    count = tree.topLevelItemCount()
    return [row for i in range(count) if (row := tree.topLevelItem(i)) is not None]


def child_rows(row: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """Return the children of `row`, in order."""
    return [child for i in range(row.childCount()) if (child := row.child(i)) is not None]
