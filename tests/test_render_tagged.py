"""The PDF is tagged: a structure tree in reading order over marked content, furniture as
artifacts, blocks split over pages one element each (read back with pikepdf and pypdf)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import templates
from briefing import document as d
from briefing.render import render
from tests.pdf_structure import Node, Tagged, read

TEMPLATE = templates.load("ministerial")
MARKING = "OFFICIAL-SENSITIVE"
SUB = (d.Run("Sub"),)
URL = "https://policy.trade.ec.europa.eu/"
LONG = "Overcapacity in steel is a global problem that calls for joint action. " * 60


def render_tagged(tmp_path: Path, *blocks: d.Block, title: str = "EU–Japan dialogue") -> Tagged:
    cover = d.Cover(title=title, subtitle="Briefing", marking=MARKING, place="Tokyo")
    path = tmp_path / "tagged.pdf"
    render(d.Document(cover=cover, blocks=blocks), TEMPLATE, path, "pdf")
    return read(path)


def outline(node: Node, depth: int = 0) -> list[str]:
    """Return the tree as lines of types, indented by depth."""
    below = (line for kid in node.kids for line in outline(kid, depth + 1))
    return [("  " * depth) + node.kind, *below]


def assert_consistent(tagged: Tagged) -> None:
    """Every MCID is an element's and in the ParentTree, the same one; nothing is loose."""
    assert tagged.marked_true
    assert not tagged.errors
    assert not tagged.loose, tagged.loose
    assert set(tagged.owners) == set(tagged.marked)  # each drawn MCID is in the tree...
    assert tagged.parents == tagged.owners  # ...and the ParentTree says whose, for all
    assert all(k == i for i, k in enumerate(tagged.struct_parents))
    # every link annotation is a Link element's, and the ParentTree says whose
    assert set(tagged.annotation_owners) == set(tagged.annotations)
    assert tagged.annotation_parents == tagged.annotation_owners
    assert all(tagged.annotations.values())  # each says where it goes


def test_tree_follows_the_document_in_reading_order(tmp_path: Path) -> None:
    tagged = render_tagged(
        tmp_path,
        d.Contents(),
        d.Heading("Objectives", 1),
        d.Paragraph((d.Run("Secure "), d.Run("support", link=URL), d.Run(" for steel."))),
        d.BulletList(
            (
                d.ListItem((d.Run("First point"),), (d.BulletList((d.ListItem(SUB),)),)),
                d.ListItem((d.Run("Second point"),)),
            )
        ),
        d.Heading("Steel", 2),
        d.Quote((d.Run("We will act together."),), d.Citation("Joint statement")),
        d.Heading("Figures", 3),
        d.Table(("Year", "Tonnes"), (("2024", "600"), ("2025", "620")), caption="Capacity"),
        d.Note((d.Paragraph((d.Run("Handle with care."),)),), label="Handling"),
        d.LineToTake((d.Paragraph((d.Run("We stand ready."),)),)),
    )
    assert_consistent(tagged)
    assert outline(tagged.root) == [
        "Document",
        "  H1",  # the cover: title, subtitle, details as a table of labelled rows
        "  P",
        "  Table",
        "    TR",
        "      TH",
        "      TD",
        "  H1",  # the contents: its title, then one entry per heading
        "  TOC",
        *["    TOCI", "      Reference", "        Link", "        Link"] * 3,  # text, number
        "  H1",
        "  P",
        "    Link",  # the link in its text
        "  L",
        "    LI",
        "      Lbl",
        "      LBody",
        "        P",
        "        L",
        "          LI",
        "            Lbl",
        "            LBody",
        "              P",
        "    LI",
        "      Lbl",
        "      LBody",
        "        P",
        "  H2",
        "  BlockQuote",
        "    P",
        "    P",
        "  H3",
        "  Table",
        "    Caption",
        "    TR",
        "      TH",
        "      TH",
        *["    TR", "      TD", "      TD"] * 2,
        "  Div",
        "    P",
        "  Div",
        "    P",
    ]
    text = tagged.text
    nodes = tagged.root.walk()
    headings = [(n.kind, text(n)) for n in nodes if n.kind in ("H1", "H2", "H3")]
    assert headings == [
        ("H1", "EU–Japan dialogue"),
        ("H1", "Contents"),
        ("H1", "1 Objectives"),
        ("H2", "1.1 Steel"),
        ("H3", "1.1.1 Figures"),
    ]
    assert [text(n) for n in tagged.of_kind("Lbl")] == ["•", "◦", "•"]
    assert text(tagged.of_kind("P")[1]) == "Secure support for steel."
    cover = tagged.of_kind("Table")[0]
    assert [tagged.all_text(r) for r in cover.kids] == ["Place Tokyo"]
    assert cover.kids[0].kids[0].attributes == {"O": "/Table", "Scope": "/Row"}
    figures = tagged.of_kind("Table")[1]
    assert text(figures.kids[0]) == "Capacity"
    assert [text(c) for c in figures.kids[1].kids] == ["Year", "Tonnes"]
    assert figures.kids[1].kids[0].attributes["Scope"] == "/Column"
    assert [text(c) for c in figures.kids[3].kids] == ["2025", "620"]
    toc = tagged.of_kind("TOC")[0]
    entries = [tagged.all_text(e) for e in toc.kids]
    assert entries[0].startswith("1 Objectives") and entries[0].endswith("2")  # its page
    assert entries[2].startswith("1.1.1 Figures")
    links = tagged.of_kind("Link")
    said = {tagged.annotations[a] for link in links for a in link.annotations}
    assert said == {URL, "Go to page 2"}  # the headings are all on page 2
    quote = tagged.of_kind("BlockQuote")[0]
    assert [text(p) for p in quote.kids] == ["We will act together.", "— Joint statement"]
    assert text(tagged.of_kind("Div")[0].kids[0]) == "Handling: Handle with care."


def test_page_furniture_is_an_artifact_not_in_the_tree(tmp_path: Path) -> None:
    tagged = render_tagged(tmp_path, d.Heading("Objectives"), d.Paragraph((d.Run(LONG),)))
    assert_consistent(tagged)
    pages = len(tagged.pagination)
    assert pages >= 2
    for number, furniture in enumerate(tagged.pagination, start=1):
        printed = "".join(furniture)
        assert printed.count(MARKING) == 2  # top and bottom
        assert f"Page {number} of {pages}" in printed
    every = "".join(m.text for m in tagged.marked.values())
    assert MARKING not in every and "Page 1 of" not in every


def test_a_paragraph_split_over_pages_is_one_element_with_a_sequence_on_each(
    tmp_path: Path,
) -> None:
    text = " ".join(f"Sentence {i} on steel overcapacity and export controls." for i in range(120))
    tagged = render_tagged(tmp_path, d.Paragraph((d.Run(text),)), d.Paragraph((d.Run("End."),)))
    assert_consistent(tagged)
    split = tagged.of_kind("P")[1]
    assert [page for page, _ in split.content] == [1, 2]  # one element, two pages
    assert tagged.text(split) == text
    assert tagged.text(tagged.of_kind("P")[2]) == "End."


def test_a_huge_flowing_quote_is_one_element_over_its_pages(tmp_path: Path) -> None:
    text = " ".join(f"{i}. Both sides raised coercion and steel." for i in range(1500))
    tagged = render_tagged(tmp_path, d.Quote((d.Run(text),), d.Citation("Statement")))
    assert_consistent(tagged)
    quote = tagged.of_kind("BlockQuote")[0].kids[0]
    pages = [page for page, _ in quote.content]
    assert len(pages) >= 5 and pages == list(range(1, len(pages) + 1))
    assert tagged.text(quote) == text


def test_a_table_header_repeated_on_the_next_page_is_an_artifact(tmp_path: Path) -> None:
    rows = tuple((f"Row {i}", f"{i * 10} t") for i in range(120))
    tagged = render_tagged(tmp_path, d.Table(("Partner", "Tonnes"), rows))
    assert_consistent(tagged)
    table = tagged.of_kind("Table")[1]
    assert len(table.kids) == 121
    headers = [n for n in table.kids[0].kids]
    assert [len(h.content) for h in headers] == [1, 1]  # drawn once as content
    pages = {page for tr in table.kids for cell in tr.kids for page, _ in cell.content}
    assert len(pages) >= 2
    later = "".join(tagged.artifacts[max(pages)])
    assert "Partner" in later and "Tonnes" in later  # its repeat, on the last page


def test_shaped_and_right_to_left_paragraphs_are_tagged(tmp_path: Path) -> None:
    arabic, hebrew = "مرحبا بالعالم", "שלום עולם"
    tagged = render_tagged(
        tmp_path,
        d.Heading(arabic),
        d.Paragraph((d.Run(f"{hebrew} and {arabic}"),)),
        d.Paragraph((d.Run("नमस्ते दुनिया"),)),
    )
    assert_consistent(tagged)
    assert [n.kind for n in tagged.root.kids[3:]] == ["H1", "P", "P"]
    assert all(tagged.text(n).strip() for n in tagged.root.kids[3:])


def test_pdfinfo_reports_a_tagged_pdf(tmp_path: Path) -> None:
    render_tagged(tmp_path, d.Paragraph((d.Run("Text"),)))
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "tagged.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "Tagged:          yes" in info
