"""The PDF's tagged structure, for screen readers and reflow: marked content while drawing.

reportlab has no tagging API, so the PDF renderer builds the structure itself in two steps:

* Building the story, it gives each flowable that prints text (a paragraph, a flowing block,
  a table cell, a contents entry, a list bullet) a `tag`: an `Element` of the structure tree
  (H1–H3, P, L/LI/Lbl/LBody, Table/TR/TH/TD, Caption, BlockQuote, Div, TOC/TOCI, under one
  Document), whose parents are made at the same time, in reading order.
* Drawing, a `Marked` flowable brackets its operators in a marked-content sequence
  (``/P <</MCID n>> BDC … EMC``) on a `MarkingCanvas`, which numbers them per page and
  records which element each belongs to. A block split over pages gives each piece its
  element, so it has one sequence per page. Everything else on a page — table rules and
  shading, the bars beside quotes, the cover's rule, a table header repeated on a new page
  — lies in /Artifact sequences, and the running header and footer (marking, title, page
  numbers) in a /Pagination artifact, so nothing is left neither tagged nor an artifact.

After reportlab has written the file, `briefing.render.structtree` turns the elements and
the pages' sequences into the StructTreeRoot, its ParentTree and the pages' /StructParents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

ARTIFACT = "/Artifact BMC"  # opens what lies between tagged sequences
PAGINATION = "/Artifact <</Type /Pagination>> BDC"  # opens a page's header and footer
END = "EMC"


class Element:
    """A structure element: its standard type (``"P"``, ``"H2"``, ``"TD"``), its parent and
    its child elements in reading order; its marked content is found at drawing time."""

    def __init__(self, kind: str, parent: Element | None = None, scope: str = "") -> None:
        self.kind, self.parent, self.scope = kind, parent, scope  # scope: TH's Row or Column
        self.kids: list[Element] = []
        if parent is not None:
            parent.kids.append(self)

    def add(self, kind: str, scope: str = "") -> Element:
        """Return a new last child of this element."""
        return Element(kind, self, scope)

    def __copy__(self) -> Element:
        return self  # a flowable copied (reportlab deep-copies some to try a split) keeps it

    def __deepcopy__(self, memo: dict[int, Any]) -> Element:
        return self

    def __repr__(self) -> str:
        return f"Element({self.kind!r}, {len(self.kids)} kids)"


@dataclass
class PageMarks:
    """What a page's tagged content belongs to: the element of each marked-content sequence
    (by MCID), and that of each link annotation (in the page's /Annots order; None for one
    made outside any sequence)."""

    marked: list[Element] = field(default_factory=list)
    links: list[Element | None] = field(default_factory=list)


class MarkingCanvas(Canvas):
    """A canvas that numbers marked-content sequences per page (see the module notes);
    `marked_pages` holds the `PageMarks` of each finished page."""

    _code: list[Any]  # reportlab's operators for the page being drawn (not in its stubs)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.marked_pages: list[PageMarks] = []
        self._page = PageMarks()
        self._open = 0  # tagged sequences open (a tagged flowable may draw another)
        self.token = object()  # what a flowable drawn in this layout remembers
        self._code.append(ARTIFACT)

    def begin(self, element: Element) -> None:
        """Open a sequence for `element`, unless one is open (it then holds this too)."""
        self._open += 1
        if self._open > 1:
            return
        code = self._code
        if code and code[-1] is ARTIFACT:  # nothing drawn since the last sequence
            code.pop()
        else:
            code.append(END)
        code.append(f"/{element.kind} <</MCID {len(self._page.marked)}>> BDC")
        self._page.marked.append(element)

    def end(self) -> None:
        """Close the sequence `begin` opened; what follows is an artifact again."""
        self._open -= 1
        if not self._open:
            self._code += (END, ARTIFACT)

    def end_page(self) -> None:
        """Close the page's last artifact and keep its sequences; call as a page ends."""
        code = self._code
        if code and code[-1] is ARTIFACT:
            code.pop()
        else:
            code.append(END)
        self.marked_pages.append(self._page)
        self._page = PageMarks()

    def _annotatePage(self, name: str) -> None:
        """Add an annotation (a link) to the page, as part of the sequence being drawn."""
        super()._annotatePage(name)  # type: ignore[misc]  # private, not in the stubs
        page = self._page
        page.links.append(page.marked[-1] if self._open else None)

    def start_page(self) -> None:
        """Begin a new page's content as an artifact; call once it is started."""
        self._code.append(ARTIFACT)


class Marked(Flowable):
    """A flowable that draws inside a marked-content sequence of its `tag`, and gives its
    tag to the pieces it splits into. Drawn a second time in one layout (a table's header
    row repeated on the next page) it is an artifact."""

    tag: Element | None = None
    _drawn: object = None  # the canvas's token of the layout that drew it

    def carry(self, parts: Sequence[Flowable]) -> list[Flowable]:
        """Return `parts` (what this flowable split into), each tagged as this one."""
        if self.tag is not None:
            for part in parts:
                if isinstance(part, Marked):
                    part.tag = self.tag
        return list(parts)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return self.carry(super().split(availWidth, availHeight))

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        marking = canvas if isinstance(canvas, MarkingCanvas) and self.tag else None
        if marking and self._drawn is marking.token:
            marking = None  # a repeat: an artifact
        if marking and self.tag:
            self._drawn = marking.token
            marking.begin(self.tag)
        try:
            super().drawOn(canvas, x, y, _sW)  # type: ignore[call-arg]  # _sW: not in stubs
        finally:
            if marking:
                marking.end()


class Label:
    """A list's bullet or number drawn as the `Lbl` of its entry (wraps reportlab's
    `BulletDrawer`, which list entries call with their indenter)."""

    def __init__(self, bullet: Any, tag: Element) -> None:
        self.bullet, self.tag = bullet, tag

    def __getattr__(self, name: str) -> Any:
        if name == "bullet":  # not set yet (a copy being made)
            raise AttributeError(name)
        return getattr(self.bullet, name)

    def drawOn(self, indenter: Any, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        marking = canvas if isinstance(canvas, MarkingCanvas) else None
        if marking:
            marking.begin(self.tag)
        try:
            self.bullet.drawOn(indenter, canvas, x, y, _sW)
        finally:
            if marking:
                marking.end()
