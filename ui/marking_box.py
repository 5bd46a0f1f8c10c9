"""The marking drop-down: the markings of the library's scheme, not free text."""

from __future__ import annotations

from collections.abc import Sequence

from ui.qt import QComboBox


def marking_box(markings: Sequence[str]) -> QComboBox:
    """Return a drop-down offering no marking ("") and `markings`."""
    box = QComboBox()
    set_markings(box, markings)
    return box


def set_markings(box: QComboBox, markings: Sequence[str]) -> None:
    """Offer `markings` (and no marking), keeping the one chosen."""
    current = box.currentText()
    box.clear()
    box.addItems(["", *markings])
    choose_marking(box, current)


def choose_marking(box: QComboBox, marking: str) -> None:
    """Choose `marking`, added to the list if the scheme does not offer it (an older one, kept
    as it was rather than changed behind the user's back)."""
    if box.findText(marking) < 0:
        box.addItem(marking)
    box.setCurrentText(marking)
