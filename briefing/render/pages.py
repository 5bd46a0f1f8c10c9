"""The page each heading starts on, as the PDF renderer lays a document out.

Word computes page numbers only when it lays a document out itself (on updating fields or
printing), so a .docx carries the numbers it should open with: ours. The PDF renderer's
layout is the one we have (same house style, fonts of the same metrics as Word's), so the
Word renderer asks it: the document is rendered to a scratch PDF, whose outline holds one
entry per heading, in order, on the heading's page.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from briefing.document import Document
from briefing.jobs import Progress
from briefing.render.layout import NumberedHeading
from briefing.render.pdf import render_pdf
from templates import Template


def heading_pages(
    doc: Document,
    template: Template,
    headings: Sequence[NumberedHeading],
    progress: Progress | None = None,
) -> dict[str, int]:
    """Return anchor → page number (the cover is page 1) for `doc`'s `headings` in
    `template`; empty if the PDF's outline does not hold one entry per heading. `progress`
    may raise `Cancelled`."""
    with tempfile.TemporaryDirectory(prefix="briefing-pages-") as folder:
        path = Path(folder) / "pages.pdf"
        render_pdf(doc, template, path, progress)
        reader = PdfReader(path)
        entries = list(_flat(reader.outline))
        pages = [reader.get_destination_page_number(e) for e in entries]
        if len(pages) != len(headings) or None in pages:
            return {}
        return {h.anchor: (page or 0) + 1 for h, page in zip(headings, pages, strict=True)}


def _flat(outline: list[Any]) -> Iterator[Any]:
    """Return the entries of a pypdf outline (nested lists of children), in order."""
    for entry in outline:
        if isinstance(entry, list):
            yield from _flat(entry)
        else:
            yield entry
