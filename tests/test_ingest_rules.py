"""The shared rules of import, one at a time: paragraphs, people, glossary, metadata, paths,
and what each format keeps (headings, italics, links, tables, footnotes)."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest

from briefing.document import Run
from briefing.ingest import ParsedParagraph, ParsedPerson, expand_paths, parse_file, parse_text
from briefing.ingest.glossary import find_glossary
from briefing.ingest.paragraphs import tidy
from briefing.ingest.people import find_people


def para(text: str, heading: int | None = None) -> ParsedParagraph:
    return ParsedParagraph((Run(text),), heading)


def test_split_paragraphs_are_joined_only_mid_sentence() -> None:
    out = tidy([
        para("Both sides will continue discussions towards maintaining and further"),
        para("enhancing free trade."),
        para("A full stop ends it."),
        para("lower case after a full stop stays apart"),
        para("No punctuation but"),
        para("Capitalised Next stays apart"),
        para("A heading", 2),
        para("body after a heading"),
    ])
    assert [p.text for p in out] == [
        "Both sides will continue discussions towards maintaining and further enhancing free "
        "trade.",
        "A full stop ends it.",
        "lower case after a full stop stays apart",
        "No punctuation but",
        "Capitalised Next stays apart",
        "A heading",
        "body after a heading",
    ]
    assert out[5].heading_level == 2


def test_runs_are_tidied_the_same_whatever_the_format() -> None:
    [out] = tidy([ParsedParagraph((
        Run("  Soft\u00adhyphen  and\tnon\u2011breaking "), Run(" bold ", bold=True),
        Run(" "), Run("more", bold=True), Run("\n\n end  "),
    ))])
    assert out.runs == (
        Run("Soft\u00adhyphen and non\u2011breaking "), Run("bold more", bold=True), Run(" end"))


def test_text_without_blank_lines_has_a_paragraph_per_line() -> None:
    source = parse_text("Readout\nThe Ministers met.\n- steel\n- batteries")
    assert [p.text for p in source.paragraphs] == [
        "Readout", "The Ministers met.", "- steel", "- batteries"]
    wrapped = parse_text("A wrapped\nline.\n\n* one\n* two")
    assert [p.text for p in wrapped.paragraphs] == ["A wrapped line.", "* one", "* two"]


def test_markdown_keeps_headings_italics_lists_tables(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "# Steel\n\nThe *safeguard* expires [soon](https://example.org).\n\n- one\n- two\n\n"
        "| Country | Quota |\n|---|---|\n| Japan | 10 |\n", "utf-8")
    paragraphs = parse_file(path).paragraphs
    assert [(p.text, p.heading_level) for p in paragraphs] == [
        ("Steel", 1), ("The safeguard expires soon.", None), ("one", None), ("two", None),
        ("Country | Quota", None), ("Japan | 10", None)]
    assert Run("safeguard", italic=True) in paragraphs[1].runs
    assert Run("soon", link="https://example.org") in paragraphs[1].runs


def test_html_keeps_headings_links_tables_and_drops_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_text(
        "<html><body><nav>Menu</nav><h2>Trade <em>news</em></h2><div hidden>secret</div>"
        "<p>See <a href='https://ec.europa.eu'>the <b>press</b> corner</a>.</p>"
        "<table><tr><th>Who</th><th>Role</th></tr><tr><td>ŠEFČOVIČ</td><td>Commissioner</td>"
        "</tr></table><footer>Cookies</footer></body></html>", "utf-8")
    paragraphs = parse_file(path).paragraphs
    assert [(p.text, p.heading_level) for p in paragraphs] == [
        ("Trade news", 2), ("See the press corner.", None), ("Who | Role", None),
        ("ŠEFČOVIČ | Commissioner", None)]
    assert Run("press", bold=True, link="https://ec.europa.eu") in paragraphs[1].runs


def test_docx_keeps_headings_italics_tables_and_footnotes(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Annex: quotas", level=2)
    paragraph = document.add_paragraph("The ")
    paragraph.add_run("safeguard").italic = True
    paragraph.add_run(" expires.")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Country", "Quota"), ("Japan", "10 kt")], strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    path = with_footnote(document, tmp_path / "annex.docx", "Council Regulation 2019/159.")
    paragraphs = parse_file(path).paragraphs
    assert [(p.text, p.heading_level) for p in paragraphs] == [
        ("Annex: quotas", 2), ("The safeguard expires.", None), ("Country | Quota", None),
        ("Japan | 10 kt", None), ("[1] Council Regulation 2019/159.", None)]
    assert Run("safeguard", italic=True) in paragraphs[1].runs


def with_footnote(document: docx.document.Document, path: Path, note: str) -> Path:
    """Save `document` with one footnote part added (python-docx cannot write footnotes)."""
    document.save(str(path))
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    footnotes = (
        f'<w:footnotes xmlns:w="{w}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
        '<w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r>'
        f"<w:t>{note}</w:t></w:r></w:p></w:footnote></w:footnotes>"
    )
    rel = ('<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/'
           '2006/relationships/footnotes" Target="footnotes.xml"/>')
    override = ('<Override PartName="/word/footnotes.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>')
    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    parts["word/footnotes.xml"] = footnotes.encode()
    rels = "word/_rels/document.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    types = "[Content_Types].xml"
    parts[types] = parts[types].replace(b"</Types>", override.encode() + b"</Types>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("text", "people"),
    [
        (
            "Ms Jane DOE, Director-General for Trade of the European Commission, said so.",
            [ParsedPerson("Jane DOE", "DOE", "Director-General for Trade of the European "
                          "Commission", "European Commission", "EU")],
        ),
        (
            "The talks were led by Mr Paul Smith, Minister of International Trade of Canada.",
            [ParsedPerson("Paul Smith", "Smith", "Minister of International Trade of Canada",
                          "Ministry of International Trade of Canada", "Canada")],
        ),
        ("Reform of the WTO, Director-General Okonjo-Iweala said, is urgent.", []),
        ("Mr. Lee went home, tired.", []),
    ],
)
def test_people(text: str, people: list[ParsedPerson]) -> None:
    assert list(find_people([text], frozenset({"WTO"}))) == people


def test_the_same_person_twice_is_one() -> None:
    text = "Mr. **AKAZAWA** Ryosei, Minister of Economy, Trade and Industry of Japan"
    assert len(find_people([text.replace("**", ""), text.replace("**", "")])) == 1


def test_glossary_definitions() -> None:
    glossary = dict(find_glossary([
        "Imports under the tariff-rate quota (TRQ) and the Anti-Coercion Instrument (ACI) "
        "and a Memorandum of Understanding (MoU) with the (XYZ) group."]))
    assert glossary["TRQ"] == "tariff-rate quota"
    assert glossary["ACI"] == "Anti-Coercion Instrument"
    assert glossary["MoU"] == "Memorandum of Understanding"
    assert "XYZ" not in glossary


def test_known_acronyms_by_name_or_expansion() -> None:
    glossary = dict(find_glossary(["The WTO-covered agreements and the Economic Partnership "
                                   "Agreement; not TWTO nor G77."]))
    assert glossary == {"WTO": "World Trade Organization",
                        "EPA": "Economic Partnership Agreement"}


def test_metadata_of_a_speech_and_a_readout() -> None:
    speech = parse_text("Speech by Commissioner Šefčovič at the Steel Forum\n\n"
                        "Madrid, 12 September 2025\n\nCheck against delivery.\n\nLadies and "
                        "gentlemen, thank you for having me.")
    assert (speech.kind, speech.title, speech.place, speech.date, speech.issuer) == (
        "speech", "Speech by Commissioner Šefčovič at the Steel Forum", "Madrid",
        date(2025, 9, 12), "Commissioner Šefčovič at the Steel Forum")
    readout = parse_text("Readout of the call of 2026-01-15\n\nThe Ministers spoke.", "mail")
    assert (readout.kind, readout.date, readout.title) == (
        "readout", date(2026, 1, 15), "Readout of the call of")
    assert parse_text("Just a note without any metadata at all.", "clip").title == (
        "Just a note without any metadata at all.")


def test_expand_paths(tmp_path: Path) -> None:
    for name in ["b.md", "a/c.pdf", "a/.hidden.txt", ".git/x.txt", "~$lock.docx", "z.png"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = expand_paths([tmp_path, tmp_path / "missing.txt"])
    assert [str(p.relative_to(tmp_path)) for p in found] == [
        "a/c.pdf", "b.md", "z.png", "missing.txt"]


def test_parse_result_is_plain_data(tmp_path: Path) -> None:
    source = parse_text("Hello.")
    assert re.fullmatch(r"[0-9a-f]{64}", source.content_hash)
    with pytest.raises(AttributeError):
        source.title = "x"  # type: ignore[misc]


def test_a_documents_first_heading_is_its_title(tmp_path: Path) -> None:
    readout = tmp_path / "call.md"
    readout.write_text(
        "# Readout of the call\n\nThe Minister spoke with Commissioner ŠEFČOVIČ on 3 June 2026.\n",
        "utf-8",
    )
    parsed = parse_file(readout)
    assert (parsed.title, parsed.kind) == ("Readout of the call", "readout")
    late = tmp_path / "late.md"
    late.write_text("x " * 150 + "\n\n## Background\n\nMore.\n", "utf-8")
    assert parse_file(late).title == "late", "a heading after the body has begun is no title"
