"""Write a PDF's structure tree (pikepdf), from the elements and marked content drawn.

`briefing.render.tagged` brackets each tagged flowable's drawing in a marked-content
sequence and records, page by page, which element each MCID belongs to. This adds to the
file reportlab wrote: the StructTreeRoot over the Document element, each element a
StructElem whose kids are its child elements and its marked content (an MCID on the
element's page, an MCR on another: a paragraph split over two pages has one of each),
the ParentTree (each page's MCIDs back to their elements, keyed by the page's
/StructParents), and /MarkInfo << /Marked true >>. Elements that drew nothing are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from briefing.render.tagged import Element

Content = tuple[int, int]  # (page index, MCID)


def write_structure(path: Path, root: Element, pages: list[list[Element]]) -> None:
    """Add the structure tree of `root` to the PDF at `path`; `pages[i][n]` is the element
    of MCID n on page i."""
    content: dict[Element, list[Content]] = defaultdict(list)
    for page, marked in enumerate(pages):
        for mcid, element in enumerate(marked):
            content[element].append((page, mcid))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page_objects = [p.obj for p in pdf.pages]
        tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        made: dict[Element, pikepdf.Object] = {}
        top = _element(pdf, root, tree, content, page_objects, made)
        tree.K = top if top is not None else Array()
        nums: list[object] = []
        for page, marked in enumerate(pages[: len(page_objects)]):
            page_objects[page].StructParents = page
            nums.extend([page, pdf.make_indirect(Array([made[e] for e in marked]))])
        tree.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
        tree.ParentTreeNextKey = len(page_objects)
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
    node.K = kids
    if element.scope:
        node.A = Dictionary(O=Name.Table, Scope=Name("/" + element.scope))
    made[element] = node
    return node
