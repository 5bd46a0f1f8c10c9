"""House styles as data: find a template folder by name and parse its ``template.toml``.

A template is a folder holding ``template.toml`` (page, fonts, sizes, colours, header and
footer, cover layout, labels) and ``reference.docx`` (the named Word styles). Font files
are looked up in the template folder first, then in the shared ``templates/fonts/``.

Folders are searched in this order: the bundled ones next to this file, the user's
``<user data dir>/Briefing/templates``, then each folder in ``$BRIEFING_TEMPLATES``
(``os.pathsep``-separated). A user copies a folder, renames and edits it, and picks it
by its folder name.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import UnionType
from typing import Any, Literal, cast

from platformdirs import user_data_dir

BUNDLED_DIR = Path(__file__).resolve().parent
FONTS_DIR = BUNDLED_DIR / "fonts"
TEMPLATE_FILE = "template.toml"
REFERENCE_DOCX = "reference.docx"

PageSize = Literal["A4", "Letter"]
Align = Literal["left", "centre"]

_PT_PER = {"pt": 1.0, "mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72.0}
_PAGE_SIZES_PT: dict[str, tuple[float, float]] = {
    "A4": (210 * 72 / 25.4, 297 * 72 / 25.4),
    "Letter": (612.0, 792.0),
}
PAPER_SIZES: tuple[str, ...] = tuple(_PAGE_SIZES_PT)  # what `Template.with_paper_size` takes
_LENGTH_RE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(pt|mm|cm|in)\s*")
_COLOUR_RE = re.compile(r"#[0-9A-Fa-f]{6}")
_LANGUAGE_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")  # a BCP 47 tag such as "en-GB"


class TemplateError(Exception):
    """A template is missing or broken; the message names the file and the field."""


@dataclass(frozen=True, order=True)
class Length:
    """A length on paper, stored in points (1/72 inch)."""

    pt: float

    @property
    def mm(self) -> float:
        return self.pt / _PT_PER["mm"]

    @classmethod
    def parse(cls, text: str) -> Length:
        """Return the length written as e.g. ``"20mm"``, ``"11pt"``, ``"1.5cm"`` or ``"1in"``."""
        match = _LENGTH_RE.fullmatch(text)
        if not match:
            raise ValueError(text)
        return cls(float(match[1]) * _PT_PER[match[2]])


@dataclass(frozen=True)
class Colour:
    """An sRGB colour written as ``"#RRGGBB"``."""

    hex: str

    @property
    def rgb(self) -> tuple[int, int, int]:
        return int(self.hex[1:3], 16), int(self.hex[3:5], 16), int(self.hex[5:7], 16)


@dataclass(frozen=True)
class FontFace:
    """A font family: its name (what Word shows) and the TrueType file for each style."""

    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


@dataclass(frozen=True)
class Fonts:
    body: FontFace
    heading: FontFace
    cjk: FontFace  # per-character fallback for glyphs the body/heading fonts lack

    @property
    def files(self) -> tuple[Path, ...]:
        """Return every font file the template needs, without duplicates."""
        paths = (
            getattr(face, style)
            for face in (self.body, self.heading, self.cjk)
            for style in ("regular", "bold", "italic", "bold_italic")
        )
        return tuple(dict.fromkeys(paths))


@dataclass(frozen=True)
class Page:
    size: PageSize
    width: Length
    height: Length
    margin_top: Length
    margin_bottom: Length
    margin_left: Length
    margin_right: Length
    header_distance: Length  # page edge to the marking in the header
    footer_distance: Length  # page edge to the last footer line

    @property
    def text_width(self) -> float:
        """Return the width between the left and right margins, in points."""
        return self.width.pt - self.margin_left.pt - self.margin_right.pt


@dataclass(frozen=True)
class Sizes:
    body: Length
    small: Length  # tables, captions, citations, header and footer
    title: Length
    subtitle: Length
    heading1: Length
    heading2: Length
    heading3: Length
    marking: Length
    line_spacing: float  # leading as a multiple of the font size
    paragraph_space: Length  # space after a body paragraph
    heading_space: Length  # space before a level-1 heading
    indent: Length  # list, quote, note and line-to-take indent


@dataclass(frozen=True)
class Colours:
    text: Colour
    heading: Colour
    marking: Colour
    muted: Colour  # citations, captions, running title, page numbers
    link: Colour
    rule: Colour  # table grid, cover rule, note border
    table_header: Colour  # table header row background
    note: Colour  # note background
    line_to_take: Colour  # bar beside lines to take


@dataclass(frozen=True)
class HeaderFooter:
    running_title: bool  # document title in the header of every page but the cover
    page_label: str  # contains "{page}" and "{pages}"


@dataclass(frozen=True)
class CoverLayout:
    align: Align
    space_before_title: Length
    rule: bool  # a rule under the title
    label_width: Length  # column of the labels ("Meeting", "Date", ...) under the title


@dataclass(frozen=True)
class Labels:
    meeting: str
    date: str
    place: str
    version: str
    prepared_by: str
    if_asked: str
    annex: str  # e.g. "Annex {letter}: {title}"


@dataclass(frozen=True)
class WordFonts:
    """What a Word file names: fonts that ship with Office and languages (BCP 47 tags).

    The PDF embeds fonts of the same metrics (e.g. Carlito for Calibri), so both formats break
    lines alike; `scripts/make_reference.py` writes these into the reference document.
    """

    body: str
    heading: str
    language: str  # the document's language, e.g. "en-GB"
    east_asian_language: str  # of Han characters in a paragraph holding no kana or Hangul
    ext_b: str  # the font of CJK characters beyond the Basic Multilingual Plane (Extension B…)
    by_language: tuple[tuple[str, str], ...]  # (language, font) for East Asian and RTL runs

    def font(self, language: str) -> str | None:
        """Return the font Word draws `language`'s characters in, if the template names one."""
        return dict(self.by_language).get(language)


@dataclass(frozen=True)
class Template:
    """A parsed house style."""

    name: str
    folder: Path
    description: str
    page: Page
    fonts: Fonts
    sizes: Sizes
    colours: Colours
    numbered_headings: bool
    header_footer: HeaderFooter
    cover: CoverLayout
    labels: Labels
    word: WordFonts

    @property
    def reference_docx(self) -> Path:
        return self.folder / REFERENCE_DOCX

    def with_paper_size(self, size: str) -> Template:
        """Return this style on another paper size ("A4" or "Letter"), margins kept."""
        if size not in _PAGE_SIZES_PT:
            raise TemplateError(f'paper size: expected "A4" or "Letter", got "{size}"')
        width, height = (Length(v) for v in _PAGE_SIZES_PT[size])
        page = replace(self.page, size=cast(PageSize, size), width=width, height=height)
        return replace(self, page=page)


def search_path() -> list[Path]:
    """Return the folders searched for templates, in order."""
    folders = [BUNDLED_DIR, Path(user_data_dir("Briefing", appauthor=False)) / "templates"]
    folders += [Path(p) for p in os.environ.get("BRIEFING_TEMPLATES", "").split(os.pathsep) if p]
    return folders


def available() -> list[str]:
    """Return the names of every template on the search path (first one found wins)."""
    names: dict[str, None] = {}
    for folder in search_path():
        if folder.is_dir():
            for child in sorted(folder.iterdir()):
                if (child / TEMPLATE_FILE).is_file():
                    names.setdefault(child.name)
    return list(names)


def check_name(name: str) -> str:
    """Return `name` if it can name a template: a folder name, never a path ("/etc", "../x",
    "a/b", ".", ".."); else raise TemplateError."""
    if (not name.strip() or name in (".", "..") or any(c in name for c in "/\\:\0")
            or Path(name).name != name):
        raise TemplateError(
            f"{name!r} is not a template name (give a name such as \"ministerial\", not a path)"
        )
    return name


def find(name: str) -> Path:
    """Return the folder of the template named `name` (see `search_path`)."""
    check_name(name)
    for folder in search_path():
        if (folder / name / TEMPLATE_FILE).is_file():
            return folder / name
    raise TemplateError(f"no template {name!r}; available: {', '.join(available()) or 'none'}")


def load(name: str) -> Template:
    """Return the template named `name` (see `search_path`)."""
    return load_folder(find(name))


def load_folder(folder: Path) -> Template:
    """Return the template in `folder` (for tools working on template folders)."""
    folder = Path(folder).resolve()
    file = folder / TEMPLATE_FILE
    try:
        with file.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise TemplateError(f"{file}: missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{file}: {exc}") from None
    template = _parse(_Reader(file, data, ""), folder)
    if not template.reference_docx.is_file():
        raise TemplateError(f"{template.reference_docx}: missing (Word reference document)")
    return template


class _Reader:
    """Typed access to one TOML table; every error names the file and the dotted field."""

    def __init__(self, file: Path, data: dict[str, Any], prefix: str) -> None:
        self.file, self.data, self.prefix = file, data, prefix
        self.used: set[str] = set()

    def error(self, key: str, message: str) -> TemplateError:
        return TemplateError(f"{self.file}: {self.prefix}{key}: {message}")

    def raw(self, key: str, kind: type | UnionType, expected: str) -> Any:
        self.used.add(key)
        if key not in self.data:
            raise self.error(key, f"missing (expected {expected})")
        value = self.data[key]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.error(key, f"expected {expected}, got {value!r}")
        return value

    def table(self, key: str) -> _Reader:
        return _Reader(self.file, self.raw(key, dict, "a table"), f"{self.prefix}{key}.")

    def text(self, key: str) -> str:
        return self.raw(key, str, "a string")

    def flag(self, key: str) -> bool:
        return self.raw(key, bool, "true or false")

    def number(self, key: str, low: float, high: float) -> float:
        value = self.raw(key, int | float, f"a number from {low} to {high}")
        if not low <= value <= high:
            raise self.error(key, f"expected a number from {low} to {high}, got {value!r}")
        return float(value)

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        expected = " or ".join(f'"{o}"' for o in options)
        value = self.raw(key, str, expected)
        if value not in options:
            raise self.error(key, f'expected {expected}, got "{value}"')
        return value

    def length(self, key: str) -> Length:
        expected = 'a length such as "20mm" or "11pt"'
        try:
            return Length.parse(self.raw(key, str, expected))
        except ValueError:
            raise self.error(key, f"expected {expected}, got {self.data[key]!r}") from None

    def language(self, key: str) -> str:
        value = self.raw(key, str, 'a language tag such as "en-GB"')
        if not _LANGUAGE_RE.fullmatch(value):
            raise self.error(key, f'expected a language tag such as "en-GB", got {value!r}')
        return value

    def colour(self, key: str) -> Colour:
        value = self.raw(key, str, 'a colour such as "#1F3864"')
        if not _COLOUR_RE.fullmatch(value):
            raise self.error(key, f'expected a colour such as "#1F3864", got {value!r}')
        return Colour(value.upper())

    def font_file(self, key: str, folder: Path) -> Path:
        name = self.text(key)
        for base in (folder, folder / "fonts", FONTS_DIR):
            if (base / name).is_file() and Path(name).name == name:
                return base / name
        raise self.error(key, f"font file {name!r} not found in {folder} or {FONTS_DIR}")

    def done(self) -> None:
        """Reject fields this reader never asked for (typos must not pass silently)."""
        for key in self.data.keys() - self.used:
            raise self.error(key, "unknown field")


def _names(cls: type) -> tuple[str, ...]:
    """Return the field names of dataclass `cls`: the keys of its TOML table, in order."""
    return tuple(f.name for f in fields(cls))


def _parse(r: _Reader, folder: Path) -> Template:
    description = r.text("description")

    p = r.table("page")
    size = p.choice("size", ("A4", "Letter"))
    width, height = (Length(v) for v in _PAGE_SIZES_PT[size])
    page = Page(cast(PageSize, size), width, height, *map(p.length, _names(Page)[3:]))
    p.done()

    f = r.table("fonts")
    faces = []
    for key in ("body", "heading", "cjk"):
        t = f.table(key)
        regular = t.font_file("regular", folder)
        styled = {
            s: t.font_file(s, folder) if s in t.data else regular
            for s in ("bold", "italic", "bold_italic")
        }
        t.used.update(styled)
        faces.append(FontFace(t.text("family"), regular, **styled))
        t.done()
    f.done()

    s = r.table("sizes")
    values: dict[str, Any] = {
        k: s.number(k, 1.0, 3.0) if k == "line_spacing" else s.length(k) for k in _names(Sizes)
    }
    sizes = Sizes(**values)
    s.done()

    c = r.table("colours")
    colours = Colours(*map(c.colour, _names(Colours)))
    c.done()

    h = r.table("headings")
    numbered = h.flag("numbered")
    h.done()

    hf = r.table("header_footer")
    header_footer = HeaderFooter(hf.flag("running_title"), hf.text("page_label"))
    if "{page}" not in header_footer.page_label or "{pages}" not in header_footer.page_label:
        raise hf.error("page_label", 'expected text containing "{page}" and "{pages}"')
    hf.done()

    cv = r.table("cover")
    cover = CoverLayout(
        cv.choice("align", ("left", "centre")),  # type: ignore[arg-type]
        cv.length("space_before_title"),
        cv.flag("rule"),
        cv.length("label_width"),
    )
    cv.done()

    lb = r.table("labels")
    labels = Labels(*map(lb.text, _names(Labels)))
    lb.done()

    word = _word_fonts(r.table("word"))
    r.done()

    return Template(
        name=folder.name,
        folder=folder,
        description=description,
        page=page,
        fonts=Fonts(*faces),
        sizes=sizes,
        colours=colours,
        numbered_headings=numbered,
        header_footer=header_footer,
        cover=cover,
        labels=labels,
        word=word,
    )


def _word_fonts(w: _Reader) -> WordFonts:
    """Return the `[word]` table: fonts and languages, and `[word.fonts]` by language."""
    by = w.table("fonts")
    for key in by.data:
        if not _LANGUAGE_RE.fullmatch(key):
            raise by.error(key, 'expected a language tag such as "ja-JP" as the key')
    fonts = tuple((key, by.text(key)) for key in by.data)
    by.done()
    word = WordFonts(
        w.text("body_font"),
        w.text("heading_font"),
        w.language("language"),
        w.language("east_asian_language"),
        w.text("ext_b_font"),
        fonts,
    )
    w.done()
    return word
