"""The template loader: finding templates by name and reporting broken ones precisely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import templates
from templates import Length, TemplateError


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a user copy of the ministerial template, findable as "mine"."""
    folder = tmp_path / "mine"
    shutil.copytree(templates.BUNDLED_DIR / "ministerial", folder)
    monkeypatch.setenv("BRIEFING_TEMPLATES", str(tmp_path))
    return folder


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "template.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bundled_templates_load() -> None:
    assert {"ministerial", "compact"} <= set(templates.available())
    ministerial, compact = templates.load("ministerial"), templates.load("compact")
    assert ministerial.page.size == "A4" and compact.page.size == "Letter"
    assert ministerial.page.width.mm == pytest.approx(210)
    assert compact.page.height.pt == pytest.approx(792)
    assert ministerial.numbered_headings and not compact.numbered_headings
    assert compact.sizes.body < ministerial.sizes.body
    for t in (ministerial, compact):
        assert all(path.is_file() and path.suffix == ".ttf" for path in t.fonts.files)
        assert t.reference_docx.is_file()
        # the PDF embeds fonts metric-compatible with Word's Calibri and Cambria
        assert (t.fonts.body.family, t.fonts.body.regular.name) == (
            "Carlito", "Carlito-Regular.ttf"
        )
        assert (t.fonts.heading.family, t.fonts.heading.bold.name) == (
            "Caladea", "Caladea-Bold.ttf"
        )
    assert "DroidSansFallbackFull.ttf" in {p.name for p in ministerial.fonts.files}


def test_fonts_ship_with_licences() -> None:
    licence = {  # font file name prefix → its licence file
        "DejaVu": "DejaVu", "DroidSans": "DroidSansFallback", "Carlito": "Carlito",
        "Caladea": "Caladea", "NotoSans": "Noto", "Symbola": "Symbola",
        "HanaMin": "Hanazono", "Nanum": "Nanum",
    }  # fmt: skip
    names = {p.name for p in templates.FONTS_DIR.iterdir()}
    for font in sorted(n for n in names if n.endswith(".ttf")):
        prefix = next((p for p in licence if font.startswith(p)), None)
        assert prefix and f"LICENSE-{licence[prefix]}.txt" in names, font


def test_lengths_parse_units() -> None:
    assert Length.parse("25.4mm").pt == pytest.approx(72)
    assert Length.parse("1in") == Length.parse("72pt")
    assert Length.parse("2.54cm").pt == pytest.approx(72)
    with pytest.raises(ValueError):
        Length.parse("20")


def test_user_copy_is_found_by_name_and_path(copy: Path) -> None:
    edit(copy, 'size = "A4"', 'size = "Letter"')
    assert "mine" in templates.available()
    assert templates.load("mine").page.size == "Letter"
    assert templates.load_folder(copy).name == "mine"


@pytest.mark.parametrize("name", ["/etc", "../ministerial", "a/b", "..", ".", "", "C:x", "a\\b"])
def test_template_names_are_names_not_paths(name: str) -> None:
    with pytest.raises(TemplateError, match="is not a template name"):
        templates.find(name)


def test_unknown_template_lists_available() -> None:
    with pytest.raises(TemplateError, match=r"no template .nope.; available: .*ministerial"):
        templates.load("nope")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('size = "A4"', 'size = "A5"', 'page.size: expected "A4" or "Letter", got "A5"'),
        ('margin_top = "28mm"\n', "", "page.margin_top: missing"),
        ('margin_top = "28mm"', "margin_top = 28", "page.margin_top: expected a length"),
        ("numbered = true", 'numbered = "yes"', "headings.numbered: expected true or false"),
        ('marking = "#A50021"', 'marking = "red"', "colours.marking: expected a colour"),
        ("line_spacing = 1.35", "line_spacing = 9", "sizes.line_spacing: expected a number"),
        (
            'regular = "Caladea-Regular.ttf"',
            'regular = "Nope.ttf"',
            "fonts.heading.regular: font file 'Nope.ttf' not found",
        ),
        (
            'page_label = "Page {page} of {pages}"',
            'page_label = "Page"',
            "header_footer.page_label: expected text containing",
        ),
        ("[headings]", "[headings]\nnumbred = true", "headings.numbred: unknown field"),
        ('language = "en-GB"', 'language = "British"', "word.language: expected a language tag"),
        ('ja-JP = "Yu Gothic"', 'Japanese = "Yu Gothic"', "word.fonts.Japanese: expected a"),
        ('body_font = "Calibri"\n', "", "word.body_font: missing"),
        ("[page]", "[page", "template.toml: Expected"),
    ],
)
def test_broken_template_names_file_and_field(copy: Path, old: str, new: str, message: str) -> None:
    edit(copy, old, new)
    with pytest.raises(TemplateError) as caught:
        templates.load("mine")
    assert str(caught.value).startswith(str(copy / "template.toml"))
    assert message in str(caught.value)


def test_missing_reference_docx_is_named(copy: Path) -> None:
    (copy / "reference.docx").unlink()
    with pytest.raises(TemplateError, match=r"mine/reference\.docx: missing"):
        templates.load("mine")


def test_template_folder_may_carry_its_own_fonts(copy: Path) -> None:
    shutil.copy(templates.FONTS_DIR / "DejaVuSans.ttf", copy / "House.ttf")
    edit(copy, 'regular = "Carlito-Regular.ttf"', 'regular = "House.ttf"')
    assert templates.load("mine").fonts.body.regular == copy / "House.ttf"
