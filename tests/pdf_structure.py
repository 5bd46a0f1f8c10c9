"""Read a tagged PDF back: its structure tree (pikepdf) and its pages' marked content (pypdf)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pypdf import PdfReader

Content = tuple[int, int]  # (page index, MCID)


@dataclass
class Node:
    """A structure element as read back: its type, its kids, its marked content."""

    kind: str
    kids: list[Node] = field(default_factory=list)
    content: list[Content] = field(default_factory=list)
    annotations: list[int] = field(default_factory=list)  # object numbers (OBJR kids)
    attributes: dict[str, str] = field(default_factory=dict)

    def walk(self) -> list[Node]:
        """Return this element and all below it, in reading order."""
        return [self, *(n for kid in self.kids for n in kid.walk())]


@dataclass
class Marked:
    """What a page's content stream says inside one marked-content sequence."""

    tag: str
    text: str = ""


@dataclass
class Tagged:
    root: Node  # the Document element
    marked: dict[Content, Marked]  # every MCID of every page
    parents: dict[Content, int]  # MCID → object number of its element, from the ParentTree
    owners: dict[Content, int]  # MCID → object number of the element whose K holds it
    artifacts: list[list[str]]  # per page, the text inside /Artifact sequences
    pagination: list[list[str]]  # per page, the text inside /Pagination artifacts
    loose: list[str]  # text outside any marked content (there should be none)
    errors: list[str]  # nesting faults: tagged inside an artifact, or tagged inside tagged
    marked_true: bool
    struct_parents: list[int | None]
    annotations: dict[int, str]  # each link annotation (object number) → its /Contents
    annotation_parents: dict[int, int]  # annotation → its element, by the ParentTree
    annotation_owners: dict[int, int]  # annotation → the element whose OBJR holds it

    def text(self, node: Node) -> str:
        """Return the text of `node`'s own marked content, in order, spaces collapsed (an
        extractor ends each line with a line break)."""
        return " ".join("".join(self.marked[c].text for c in node.content).split())

    def all_text(self, node: Node) -> str:
        """Return the text of `node` and the elements below it."""
        return " ".join(filter(None, (self.text(n) for n in node.walk())))

    def of_kind(self, kind: str) -> list[Node]:
        return [n for n in self.root.walk() if n.kind == kind]


def read(path: Path) -> Tagged:
    """Return the structure and marked content of the PDF at `path`."""
    with pikepdf.open(path) as pdf:
        pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        tree = pdf.Root.StructTreeRoot
        owners: dict[Content, int] = {}
        annotation_owners: dict[int, int] = {}

        def node(e: Any) -> Node:
            n = Node(str(e.S)[1:])
            if "/A" in e:
                n.attributes = {str(k)[1:]: str(v) for k, v in e.A.items()}
            page = pages.get(e.Pg.objgen) if "/Pg" in e else None
            k = e.K
            for kid in k if isinstance(k, pikepdf.Array) else [k]:
                if isinstance(kid, int):
                    assert page is not None, "an MCID kid needs the element's /Pg"
                    n.content.append((page, int(kid)))
                elif kid.get("/Type") == "/MCR":
                    n.content.append((pages[kid.Pg.objgen], int(kid.MCID)))
                elif kid.get("/Type") == "/OBJR":
                    n.annotations.append(kid.Obj.objgen[0])
                    annotation_owners[kid.Obj.objgen[0]] = e.objgen[0]
                else:
                    n.kids.append(node(kid))
            for c in n.content:
                owners[c] = e.objgen[0]
            return n

        root = node(tree.K)
        nums = list(tree.ParentTree.Nums)
        parents: dict[Content, int] = {}
        struct_parents = [
            int(p.obj.StructParents) if "/StructParents" in p.obj else None for p in pdf.pages
        ]
        keys = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page, key in enumerate(struct_parents):
            if key is not None and key in keys:
                for mcid, element in enumerate(keys[key]):
                    parents[(page, mcid)] = element.objgen[0]
        marked_true = bool(pdf.Root.MarkInfo.Marked)
        annotations: dict[int, str] = {}
        annotation_parents: dict[int, int] = {}
        for p in pdf.pages:
            for annot in p.obj.get("/Annots", []):
                number = annot.objgen[0]
                annotations[number] = str(annot.get("/Contents", ""))
                if "/StructParent" in annot:
                    annotation_parents[number] = keys[int(annot.StructParent)].objgen[0]
    marked, artifacts, pagination, loose, errors = _content(path)
    return Tagged(
        root, marked, parents, owners, artifacts, pagination, loose, errors, marked_true,
        struct_parents, annotations, annotation_parents, annotation_owners,
    )  # fmt: skip


def _content(
    path: Path,
) -> tuple[dict[Content, Marked], list[list[str]], list[list[str]], list[str], list[str]]:
    """Return each page's marked content (pypdf's text extraction, which sees the operators)."""
    marked: dict[Content, Marked] = {}
    artifacts, pagination, loose, errors = [], [], [], []
    for index, page in enumerate(PdfReader(path).pages):
        reader = _PageReader(index, marked)
        page.extract_text(visitor_operand_before=reader.operator, visitor_text=reader.text)
        artifacts.append(reader.artifacts)
        pagination.append(reader.pagination)
        loose += reader.loose
        errors += reader.errors
    return marked, artifacts, pagination, loose, errors


class _PageReader:
    """Follows one page's marked-content operators and the text drawn inside them."""

    def __init__(self, page: int, marked: dict[Content, Marked]) -> None:
        self.page, self.marked = page, marked
        self.stack: list[tuple[str, int | None, bool]] = []  # (tag, MCID, pagination)
        self.artifacts: list[str] = []
        self.pagination: list[str] = []
        self.loose: list[str] = []
        self.errors: list[str] = []

    def operator(self, op: bytes, args: list[Any], cm: Any, tm: Any) -> None:
        stack = self.stack
        if op == b"EMC":
            stack.pop()
        if op not in (b"BDC", b"BMC"):
            return
        tag = str(args[0])[1:]
        props = args[1] if op == b"BDC" else {}
        mcid = props.get("/MCID")
        where = f"page {self.page + 1}"
        if stack and (tag == "Artifact") != (stack[-1][0] == "Artifact"):
            self.errors.append(f"{where}: {tag} inside {stack[-1][0]}")
        elif stack and mcid is not None:
            self.errors.append(f"{where}: MCID {mcid} inside {stack[-1][0]}")
        furniture = props.get("/Type") == "/Pagination"
        stack.append((tag, None if mcid is None else int(mcid), furniture))
        if mcid is not None:
            key = (self.page, int(mcid))
            assert key not in self.marked, f"MCID {key} used twice"
            self.marked[key] = Marked(tag)

    def text(self, t: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        stack = self.stack
        mcid = next((m for _, m, _ in reversed(stack) if m is not None), None)
        if mcid is not None:
            self.marked[(self.page, mcid)].text += t
        elif stack and stack[-1][0] == "Artifact":
            (self.pagination if stack[-1][2] else self.artifacts).append(t)
        elif t.strip():
            self.loose.append(t)
