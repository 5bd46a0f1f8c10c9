"""Exported Word files carry nothing left over from the template package, and properties
longer than Word's 255-character limit are shortened, not a crash."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from briefing.library import Library
from briefing.render.text import PROPERTY_LIMIT, shortened

LEFTOVERS = [
    b"Microsoft Macintosh Word", b"Normal.dotm", b"docId", b"rsid", b"thumbnail",
    b"stylesWithEffects", b"bibliography", b"customXml", b"savePreviewPicture",
]  # fmt: skip


@pytest.fixture
def exported(demo_library: Library, tmp_path: Path) -> Path:
    """A pack on every topic (14 keywords) with a long title, exported as Word."""
    library = demo_library
    topics = [t.key for t in library.topics()]
    assert len(topics) >= 14
    title = "Brief for the Trade Minister on the Japan–EU High-Level Economic Dialogue " * 5
    pack = library.new_pack(
        title.strip(), meeting="Japan–EU HLED " * 30, date=None, marking="OFFICIAL",
        topics=topics,
    )  # fmt: skip
    path = tmp_path / "pack.docx"
    library.export(pack, path, author="A. Official", company="Trade Department")
    return path


def test_nothing_is_left_over_from_the_template_package(exported: Path) -> None:
    with zipfile.ZipFile(exported) as z:
        names = z.namelist()
        assert not [n for n in names if "thumbnail" in n or n.startswith("customXml")]
        assert "word/stylesWithEffects.xml" not in names
        for name in names:
            data = z.read(name)
            assert not [w for w in LEFTOVERS if w in data], name
        app = z.read("docProps/app.xml")
    assert b"<Application>Briefing</Application>" in app
    assert b"<Company>Trade Department</Company>" in app
    docx.Document(str(exported))  # still a Word document python-docx opens


def test_long_properties_are_shortened_not_a_crash(exported: Path) -> None:
    core = docx.Document(str(exported)).core_properties
    for value in (core.title, core.subject, core.keywords):
        assert 0 < len(value) <= PROPERTY_LIMIT
    assert core.title.endswith("…") and core.keywords.endswith("…")
    assert core.title.startswith("Brief for the Trade Minister")


def test_shortened_cuts_at_a_word() -> None:
    assert shortened("short") == "short"
    text = ", ".join(f"Topic number {i}" for i in range(40))
    cut = shortened(text)
    assert len(cut) <= PROPERTY_LIMIT and cut.endswith("…") and not cut.endswith(",…")
    assert shortened("x" * 300) == "x" * 254 + "…"
