"""The PDF describes itself: language, title shown, bookmarks open, XMP metadata."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

import templates
from briefing import document as d
from briefing.render import render


def test_pdf_names_its_language_title_and_opens_with_bookmarks(tmp_path: Path) -> None:
    title = "EU–Japan <dialogue> & שלום"
    doc = d.Document(
        cover=d.Cover(title=title, marking="OFFICIAL"),
        blocks=(d.Heading("Objectives"), d.Paragraph((d.Run("Text"),))),
        properties=d.Properties(
            title=title, subject="Steel", author="J. Doe", keywords=("steel", "trade")
        ),
    )
    render(doc, templates.load("ministerial"), tmp_path / "meta.pdf", "pdf")
    reader = PdfReader(tmp_path / "meta.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/PageMode"] == "/UseOutlines" and reader.outline  # bookmarks, shown
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title == {"x-default": title}  # escaped in the XML, whole when read
    assert xmp.dc_creator == ["J. Doe"] and xmp.dc_language == ["en-GB"]
    assert xmp.dc_description == {"x-default": "Steel"}
    assert xmp.pdf_keywords == "steel, trade"
    info = reader.metadata
    assert info is not None and info.title == title
    assert xmp.pdf_producer == info.producer
