"""Write a PDF's structure tree (pikepdf), from the elements and marked content drawn.

`briefing.render.tagged` brackets each tagged flowable's drawing in a marked-content
sequence and records, page by page, which element each MCID belongs to. This adds to the
file reportlab wrote: the StructTreeRoot over the Document element, each element a
StructElem whose kids are its child elements and its marked content (an MCID on the
element's page, an MCR on another: a paragraph split over two pages has one of each),
the ParentTree (each page's MCIDs back to their elements, keyed by the page's
/StructParents), and /MarkInfo << /Marked true >>. Elements that drew nothing are left out.
Each link annotation becomes a Link element (an OBJR to it, keyed by its /StructParent)
under the element whose text it covers, with a /Contents saying where it goes, and pages
take their annotations in structure order (/Tabs /S).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from briefing.render.tagged import Element, PageMarks

Content = tuple[int, int]  # (page index, MCID)


def write_structure(path: Path, root: Element, pages: list[PageMarks]) -> None:
    """Add the structure tree of `root` to the PDF at `path`; `pages[i]` says whose each
    marked-content sequence and link of page i is."""
    content: dict[Element, list[Content]] = defaultdict(list)
    for page, marks in enumerate(pages):
        for mcid, element in enumerate(marks.marked):
            content[element].append((page, mcid))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page_objects = [p.obj for p in pdf.pages]
        tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        made: dict[Element, pikepdf.Object] = {}
        top = _element(pdf, root, tree, content, page_objects, made)
        tree.K = top if top is not None else Array()
        nums: list[object] = []
        for page, marks in enumerate(pages[: len(page_objects)]):
            page_objects[page].StructParents = page
            page_objects[page].Tabs = Name.S
            nums.extend([page, pdf.make_indirect(Array([made[e] for e in marks.marked]))])
        key = len(page_objects)
        numbers = {p.objgen: n for n, p in enumerate(page_objects, start=1)}
        for page, marks in enumerate(pages[: len(page_objects)]):
            annots = page_objects[page].get("/Annots", Array())
            for annot, owner in zip(annots, marks.links, strict=False):
                if owner is not None and owner in made:
                    nums.extend([key, _link(pdf, annot, made[owner], page_objects[page], numbers)])
                    annot.StructParent = key
                    key += 1
        tree.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
        tree.ParentTreeNextKey = key
        pdf.Root.StructTreeRoot = tree
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        # in object streams (PDF 1.5) the file is smaller with its tree than reportlab's without
        streams = pikepdf.ObjectStreamMode.generate
        pdf.save(path, object_stream_mode=streams, fix_metadata_version=False)


def _element(
    pdf: pikepdf.Pdf,
    element: Element,
    parent: pikepdf.Object,
    content: dict[Element, list[Content]],
    page_objects: Sequence[pikepdf.Object],
    made: dict[Element, pikepdf.Object],
) -> pikepdf.Object | None:
    """Return `element` as a StructElem under `parent` (None when it and its children drew
    nothing), recording it and its descendants in `made`."""
    node = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + element.kind), P=parent))
    kids = Array()
    for child in element.kids:
        kid = _element(pdf, child, node, content, page_objects, made)
        if kid is not None:
            kids.append(kid)
    mine = content.get(element, [])
    if mine:
        first = mine[0][0]
        node.Pg = page_objects[first]
        for page, mcid in mine:
            if page == first:
                kids.append(mcid)
            else:
                kids.append(Dictionary(Type=Name.MCR, Pg=page_objects[page], MCID=mcid))
    if not len(kids):
        return None
    node.K = kids[0] if len(kids) == 1 else kids  # a single kid stands alone
    if element.scope:
        node.A = Dictionary(O=Name.Table, Scope=Name("/" + element.scope))
    made[element] = node
    return node


def _link(
    pdf: pikepdf.Pdf,
    annot: pikepdf.Object,
    parent: pikepdf.Object,
    on: pikepdf.Object,
    numbers: dict[tuple[int, int], int],
) -> pikepdf.Object:
    """Return a new Link element, the last kid of `parent`, holding link annotation `annot`
    of page `on`, which now says where it goes (`numbers`: page object → page number)."""
    link = pdf.make_indirect(
        Dictionary(
            Type=Name.StructElem,
            S=Name.Link,
            P=parent,
            Pg=on,
            K=Dictionary(Type=Name.OBJR, Obj=annot, Pg=on),
        )
    )
    kids = parent.K
    parent.K = Array([*kids, link]) if isinstance(kids, Array) else Array([kids, link])
    if not str(annot.get("/Contents", "")):
        annot.Contents = pikepdf.String(_destination(annot, numbers))
    return link


def _destination(annot: pikepdf.Object, numbers: dict[tuple[int, int], int]) -> str:
    """Return where a link goes, as a reader would say it: its web address or its page."""
    action = annot.get("/A")
    if action is not None and "/URI" in action:
        return str(action.URI)
    dest = annot.get("/Dest")
    if isinstance(dest, pikepdf.Array) and len(dest) and dest[0].objgen in numbers:
        return f"Go to page {numbers[dest[0].objgen]}"
    return "Link"
