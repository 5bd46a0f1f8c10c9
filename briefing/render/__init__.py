"""Renderers: one `Document` plus one template becomes a .docx or a .pdf file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from briefing.document import Document
from briefing.jobs import Progress
from briefing.render.docx import render_docx
from briefing.render.pdf import render_pdf
from templates import Template

Format = Literal["pdf", "docx"]

__all__ = ["Format", "render", "render_docx", "render_pdf"]


def render(
    doc: Document, template: Template, path: Path, fmt: Format, progress: Progress | None = None
) -> None:
    """Write `doc` to `path` as `fmt` in `template`'s style; `progress` may raise `Cancelled`."""
    renderers = {"pdf": render_pdf, "docx": render_docx}
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; expected 'pdf' or 'docx'")
    renderers[fmt](doc, template, path, progress)
