"""Text in the usual encodings of European and Japanese documents is read right (refused only
when no encoding reads it cleanly); dates in French, German and Japanese are found; an HTML
page's <title> is the title when its text names none; a doctype never leaks into the text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.ingest import IngestError, parse_file, parse_text

CZECH = (
    "Maroš Šefčovič, místopředseda Evropské komise, jednal v Bruselu s japonským ministrem. "
    "Čína a Česká republika podepsaly dohodu o spolupráci v oblasti kritických surovin."
)
JAPANESE = (
    "日EUハイレベル経済対話共同声明\n\n"
    "2026年5月7日、ブリュッセルにおいて、日本と欧州連合は経済安全保障について協議した。\n"
)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (JAPANESE, "shift_jis"),
        (JAPANESE, "euc_jp"),
        (CZECH, "cp1250"),
        (CZECH, "iso-8859-2"),  # Š is 0xA9 here ("©" in Windows-1252/1250)
        ("Déclaration conjointe : l'Union européenne et le Japon réaffirment leur coopération "
         "économique à Bruxelles, où « très » ouverts.", "cp1252"),
        (JAPANESE, "utf-16"),  # with a BOM
        (JAPANESE, "utf-16-le"),  # without a BOM, hardly any ASCII
        (JAPANESE, "utf-16-be"),
        (CZECH, "utf-16-le"),  # without a BOM, mostly ASCII
    ],
)
def test_encodings(tmp_path: Path, text: str, encoding: str) -> None:
    parsed = parse_file(write(tmp_path / "note.txt", text.encode(encoding)))
    assert "\n\n".join(p.text for p in parsed.paragraphs) == text.strip()


def test_windows_1250_keeps_s_and_c_with_caron(tmp_path: Path) -> None:
    parsed = parse_file(write(tmp_path / "cz.md", CZECH.encode("cp1250")))
    assert "Šefčovič" in parsed.paragraphs[0].text and "Čína" in parsed.paragraphs[0].text


def test_an_unreliable_guess_is_refused_with_a_reason(tmp_path: Path) -> None:
    path = write(tmp_path / "odd.txt", "Café ".encode("cp1252") + b"\x81\x8d\x90")
    with pytest.raises(IngestError, match=r"^cannot decode the text \(.*save it as UTF-8\)$"):
        parse_file(path)


@pytest.mark.parametrize(
    ("opening", "when", "place"),
    [
        ("Bruxelles, le 7 mai 2026", date(2026, 5, 7), "Bruxelles"),
        ("Dialogue économique, Paris, 1er juillet 2026", date(2026, 7, 1), "Paris"),
        ("Brüssel, 7. Mai 2026", date(2026, 5, 7), "Brüssel"),
        ("Berlin, den 3. März 2026", date(2026, 3, 3), "Berlin"),
        ("2026年5月7日", date(2026, 5, 7), ""),
        ("Brussels, 7 May 2026", date(2026, 5, 7), "Brussels"),
    ],
)
def test_dates_in_french_german_and_japanese(opening: str, when: date, place: str) -> None:
    parsed = parse_text(f"Déclaration conjointe\n\n{opening}\n\n" + "Texte du corps. " * 20)
    assert (parsed.date, parsed.place) == (when, place)


@pytest.mark.parametrize("text", ["5 units 2026 were sold.", "Le 31 février 2026 n'existe pas."])
def test_what_only_looks_like_a_date_is_not_one(text: str) -> None:
    assert parse_text(text).date is None


def test_a_japanese_document(tmp_path: Path) -> None:
    parsed = parse_file(write(tmp_path / "ja.txt", JAPANESE.encode("shift_jis")))
    assert parsed.title == "日EUハイレベル経済対話共同声明"
    assert parsed.date == date(2026, 5, 7)


BODY = "<p>" + "The European Union and Japan reaffirmed their commitment to open markets. " * 4


def test_html_title_is_the_fallback_title(tmp_path: Path) -> None:
    page = f"<html><head><title>EU–Japan\n  Joint Statement</title></head><body>{BODY}</body>"
    parsed = parse_file(write(tmp_path / "page.html", page.encode()))
    assert parsed.title == "EU–Japan Joint Statement"
    assert "Joint Statement" not in parsed.paragraphs[0].text


def test_html_heading_beats_its_title(tmp_path: Path) -> None:
    page = f"<title>Site | News</title><h1>Readout of the call</h1>{BODY}"
    assert parse_file(write(tmp_path / "page.html", page.encode())).title == "Readout of the call"


def test_html_with_only_a_title_is_empty(tmp_path: Path) -> None:
    page = b"<html><head><title>Joint Statement</title></head><body></body></html>"
    with pytest.raises(IngestError, match=r"^no text found \(the document is empty\)$"):
        parse_file(write(tmp_path / "page.html", page))


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE foo [ <!ELEMENT foo ANY > <!ENTITY xxe SYSTEM "file:///etc/passwd" > ]>',
        "<!DOCTYPE html [\n<!ENTITY a 'x>y'>\n<!ENTITY b \"]>\">\n]>",
        "<!doctype html>",
    ],
)
def test_a_doctype_never_leaks_into_the_text(tmp_path: Path, doctype: str) -> None:
    page = f'<?xml version="1.0"?>\n{doctype}\n<html><body><p>Hello &xxe; world.</p></body></html>'
    parsed = parse_file(write(tmp_path / "xxe.html", page.encode()))
    texts = [p.text for p in parsed.paragraphs]
    assert len(texts) == 1 and texts[0].startswith("Hello") and "]>" not in texts[0]
    assert "passwd" not in texts[0] and "root:" not in texts[0]
