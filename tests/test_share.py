"""Markings in the Document, the roll-up, and a copy shared at a level: nothing withheld
anywhere in its bytes, its marking on every page, and a log of what was left out."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.cli import main
from briefing.document import Citation, Cover, Document, Heading, Paragraph, Quote, Run
from briefing.errors import InputError
from briefing.library import EntryKind, ItemStatus, Library
from briefing.markings import Scheme, highest
from briefing.sanitise import content_marking, sanitise

SECRET_BODY = "Both sides condemned *economic coercion* via JETRO channels."
SECRET_TEXT = "Both sides condemned"
SECRET_TITLE = "Anti-coercion cooperation"  # item 5 of the demo
SENSITIVE_TITLE = "Retaliation risk"  # item 6 of the demo, OFFICIAL-SENSITIVE


def item_id(library: Library, title: str) -> int:
    return next(i.id for i in library.items() if i.title == title)


@pytest.fixture
def pack(demo_library: Library) -> int:
    """An OFFICIAL-SENSITIVE pack holding a SECRET item (which alone mentions JETRO and is
    alone in its section) and an OFFICIAL-SENSITIVE one; the rest is unmarked (OFFICIAL)."""
    library = demo_library
    library.edit_item(item_id(library, SECRET_TITLE), marking="SECRET", body=SECRET_BODY)
    return library.new_pack(
        "Trade pack",
        meeting="HLED",
        date=None,
        marking="OFFICIAL-SENSITIVE",
        topics=["steel", "coercion", "export-controls"],
    )


def test_blocks_carry_their_marking_and_the_roll_up_names_what_raises_it(
    demo_library: Library, pack: int
) -> None:
    content, raised = demo_library.pack_marking_rollup(pack)
    secret = item_id(demo_library, SECRET_TITLE)
    assert content == "SECRET"
    assert raised == [(f"item:{secret}", "SECRET")]


def test_highest_combines_caveats_and_unmarked_ranks_lowest() -> None:
    scheme = Scheme(caveats=("UK EYES ONLY",))
    assert highest(["OFFICIAL", "SECRET", "OFFICIAL UK EYES ONLY"], scheme) == (
        "SECRET UK EYES ONLY"
    )
    assert highest(["", ""], scheme) == ""
    assert Scheme().default == "OFFICIAL"


def test_a_source_takes_the_default_level_until_edited(demo_library: Library, pack: int) -> None:
    demo_library.edit_source(1, marking="secret")
    assert demo_library.sources()[0].marking == "SECRET"
    content, raised = demo_library.pack_marking_rollup(pack)
    assert content == "SECRET" and any(o.startswith("passage:") for o, _ in raised)
    with pytest.raises(InputError, match="unknown marking"):
        demo_library.edit_source(1, marking="BOGUS")
    assert demo_library.edit_source(1, marking="") == ""


def pdf_bytes(path: Path) -> bytes:
    """Every page's decompressed content, the bookmarks, the metadata and the text."""
    reader = PdfReader(path)
    parts = [page.get_contents().get_data() for page in reader.pages]  # type: ignore[union-attr]

    def titles(outline: list) -> list[str]:  # type: ignore[type-arg]
        return [t for o in outline for t in (titles(o) if isinstance(o, list) else [o.title])]

    parts += [t.encode() for t in titles(reader.outline)]
    parts += [str(v).encode() for v in (reader.metadata or {}).values()]
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    return b"\n".join([*parts, text])


def docx_bytes(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return b"\n".join(z.read(name) for name in z.namelist())


def page_texts(path: Path) -> list[str]:
    pages = len(PdfReader(path).pages)
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_a_copy_at_a_level_holds_nothing_withheld(
    demo_library: Library, pack: int, tmp_path: Path, suffix: str
) -> None:
    read = pdf_bytes if suffix == ".pdf" else docx_bytes
    demo_library.add_to_pack(pack, "Quiet", EntryKind.ITEM, item_id(demo_library, SECRET_TITLE))
    whole = demo_library.export(pack, tmp_path / f"whole{suffix}")
    for text in (SECRET_TITLE, SECRET_TEXT, "JETRO", "Quiet", SENSITIVE_TITLE):
        assert text.encode() in read(whole), text  # the full export shows them all

    shared = demo_library.share(pack, "OFFICIAL", tmp_path / f"copy{suffix}", by="A. Clerk")
    held = read(shared.path)
    for text in (
        SECRET_TITLE,
        SECRET_TEXT,
        "JETRO",
        "Quiet",
        SENSITIVE_TITLE,
        "OFFICIAL-SENSITIVE",
        "SECRET",
    ):
        assert text.encode() not in held, text
    assert b"Steel and overcapacity" in held and b"HLED" in held

    log = shared.log.read_text("utf-8")
    assert shared.log == tmp_path / f"copy{suffix}.redaction-log.txt"
    assert log.startswith("NOT FOR SHARING") and "SECRET" in log.splitlines()[0]
    assert (
        f"“{SECRET_TITLE}” (SECRET)" in log and f"“{SENSITIVE_TITLE}” (OFFICIAL-SENSITIVE)" in log
    )
    assert "level:  OFFICIAL" in log and "by:     A. Clerk" in log
    if suffix == ".pdf":
        pages = page_texts(shared.path)
        assert all("OFFICIAL" in page for page in pages)
        assert not any("OFFICIAL-SENSITIVE" in page for page in pages)


def test_share_at_the_packs_level_keeps_what_it_may(
    demo_library: Library, pack: int, tmp_path: Path
) -> None:
    shared = demo_library.share(pack, "official-sensitive", tmp_path / "c.pdf", log=tmp_path / "l")
    held = pdf_bytes(shared.path)
    assert SENSITIVE_TITLE.encode() in held and SECRET_TITLE.encode() not in held
    assert [w.label for w in shared.withheld] == [SECRET_TITLE]
    assert "by:     unknown" in (tmp_path / "l").read_text()
    assert all("OFFICIAL-SENSITIVE" in page for page in page_texts(shared.path))


def test_a_copy_is_a_draft_only_while_it_shows_a_draft(
    demo_library: Library, pack: int, tmp_path: Path
) -> None:
    library = demo_library
    library.edit_item(item_id(library, SECRET_TITLE), status=ItemStatus.DRAFT)
    assert all("DRAFT" in page for page in page_texts(library.export(pack, tmp_path / "w.pdf")))
    # the only draft is withheld: the copy is no longer a draft
    shared = library.share(pack, "OFFICIAL", tmp_path / "c.pdf")
    assert not any("DRAFT" in page for page in page_texts(shared.path))
    # a draft the copy still shows keeps it a draft
    library.edit_item(item_id(library, SENSITIVE_TITLE), status=ItemStatus.DRAFT)
    shared = library.share(pack, "OFFICIAL-SENSITIVE", tmp_path / "d.pdf")
    assert all("DRAFT" in page for page in page_texts(shared.path))
    copies = library.distribute(pack, tmp_path, ["A. Reader"], level="OFFICIAL")
    assert not any("DRAFT" in page for page in page_texts(copies[0].path))


def test_a_withheld_source_leaves_the_annexes_and_the_sources_list(
    demo_library: Library, pack: int, tmp_path: Path
) -> None:
    result = demo_library.import_text("Secret annex\n\nThe quiet arrangement on gallium.", "s.txt")
    assert result.source_id is not None
    demo_library.edit_source(result.source_id, marking="SECRET")
    demo_library.add_to_pack(pack, "Annexed", EntryKind.SOURCE, result.source_id)
    whole = demo_library.export(pack, tmp_path / "whole.docx")
    assert b"quiet arrangement" in docx_bytes(whole)
    shared = demo_library.share(pack, "OFFICIAL-SENSITIVE", tmp_path / "c.docx")
    held = docx_bytes(shared.path)
    assert b"quiet arrangement" not in held and b"Annexed" not in held
    assert b"Secret annex" not in held
    assert b"7th Japan-EU High-Level Economic Dialogue" in held  # still quoted: still listed


def test_bad_input_is_a_clear_error_and_writes_nothing(
    demo_library: Library, pack: int, tmp_path: Path
) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(InputError, match="unknown marking"):
        demo_library.share(pack, "RESTRICTED", tmp_path / "c.pdf")
    with pytest.raises(InputError, match="no such folder"):
        demo_library.share(pack, "OFFICIAL", tmp_path / "c.pdf", log=tmp_path / "no" / "log")
    with pytest.raises(InputError, match="SECRET is above the pack's marking"):
        demo_library.share(pack, "SECRET", tmp_path / "c.pdf")  # the pack is OFFICIAL-SENSITIVE
    for item in demo_library.items():
        demo_library.edit_item(item.id, marking="SECRET")
    demo_library.edit_source(1, marking="SECRET")
    with pytest.raises(InputError, match="nothing in pack"):
        demo_library.share(pack, "OFFICIAL", tmp_path / "c.pdf")
    assert list(tmp_path.iterdir()) == []


def test_the_share_command(
    demo_library: Library, pack: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_library.location)
    out = tmp_path / "c.docx"
    assert main(["--db", db, "share", str(pack), "--at", "OFFICIAL", "-o", str(out)]) == 0
    assert out.exists() and Path(f"{out}.redaction-log.txt").exists()
    assert (
        main(["--db", db, "share", str(pack), "--at", "NOPE", "-o", str(tmp_path / "d.pdf")]) == 1
    )
    assert "unknown marking" in capsys.readouterr().err
    assert main(["--db", db, "pack", "show", str(pack)]) == 0
    assert "content marked SECRET, above the pack's OFFICIAL-SENSITIVE" in capsys.readouterr().out
    assert main(["--db", db, "source", "edit", "1", "--marking", "secret"]) == 0


def test_a_pointer_goes_with_the_quotation_it_points_to() -> None:
    doc = Document(
        cover=Cover("T", "SECRET"),
        blocks=(
            Heading("A", 1, origin="section:A"),
            Quote((Run("x"),), Citation("S"), origin="passage:1", marking="SECRET"),
            Heading("B", 1, origin="section:B"),
            Paragraph((Run("See…"),), origin="passage:2", marking="SECRET"),
            Paragraph((Run("kept"),), origin="item:1", marking="OFFICIAL"),
        ),
    )
    copy, withheld = sanitise(doc, "OFFICIAL", Scheme())
    assert [b for b in copy.blocks if isinstance(b, Heading)] == [Heading("B", 1)]
    assert [w.origin for w in withheld] == ["passage:1", "passage:2"]
    assert copy.marking == "OFFICIAL"
    assert content_marking(copy, Scheme()) == ("OFFICIAL", [])


@pytest.mark.parametrize(
    ("lines", "marking"),
    [
        (["OFFICIAL — Trade Policy Committee", "Text."], "OFFICIAL"),
        (["Title", "Text.", "OFFICIAL-SENSITIVE"], "OFFICIAL-SENSITIVE"),
        (["SECRET UK EYES ONLY", "Text."], "SECRET UK EYES ONLY"),
        (["OFFICIAL", "Body.", "SECRET"], "SECRET"),
        (["SECRET diplomacy is an old art.", "Official statement"], ""),
        (["OFFICIALS met.", "Text."], ""),
    ],
)
def test_a_banner_line_gives_a_source_its_marking(lines: list[str], marking: str) -> None:
    from briefing.source_marking import banner_marking

    assert banner_marking(lines, Scheme(caveats=("UK EYES ONLY",))) == marking


def test_an_imported_source_is_marked_by_its_own_header(demo_library: Library) -> None:
    text = "OFFICIAL-SENSITIVE\n\nTrade Policy Committee\n\nMinutes of the meeting on steel."
    result = demo_library.import_text(text, "minutes.txt")
    source = next(s for s in demo_library.sources() if s.id == result.source_id)
    assert source.marking == "OFFICIAL-SENSITIVE"


def test_a_withheld_objective_takes_the_objectives_list_with_it(
    demo_library: Library, pack: int, tmp_path: Path
) -> None:
    title = "Secure Japanese support on steel overcapacity"
    demo_library.edit_item(item_id(demo_library, title), marking="SECRET")
    held = docx_bytes(demo_library.share(pack, "OFFICIAL-SENSITIVE", tmp_path / "c.docx").path)
    assert title.encode() not in held and b"Objectives" not in held and b"AKAZAWA" not in held
    assert b"Steel safeguard replacement" in held


def test_a_pack_printing_no_marking_counts_as_the_default_level(demo_library: Library) -> None:
    pack = demo_library.new_pack("P", meeting="M", date=None, marking="", topics=["steel"])
    assert demo_library.pack_marking_rollup(pack) == ("OFFICIAL", [])
    assert "above-marking" not in {f.code for f in demo_library.check(pack)}
