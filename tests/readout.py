"""A short, realistic readout for tests, written out as .md, .html, .docx and .pdf."""

from __future__ import annotations

from html import escape
from pathlib import Path

TITLE = "Readout of the EU–Japan trade ministers' call"
DATELINE = "Brussels, 12 June 2026"
PARAGRAPHS = (
    "Commissioner Maroš ŠEFČOVIČ and Minister AKAZAWA Ryosei spoke by video call on"
    " 12 June 2026 to take stock of the commitments made at the 7th High-Level Economic"
    " Dialogue and to prepare the next Japan–EU Summit.",
    "On steel, the Commissioner explained that the EU's proposed measure replacing the"
    " safeguard is aimed at global steel overcapacity, which the OECD estimates at over 600"
    " million tonnes, and not at Japan. The Minister asked that Japan's “like-minded”"
    " status be reflected in any country allocation of the tariff quotas.",
    "Both sides agreed that overcapacity in steel and aluminium, driven by non-market"
    " policies and practices, calls for coordinated action in the G7 and in the OECD Global"
    " Forum on Steel Excess Capacity.",
    "The Ministers condemned economic coercion by third countries, including the use of"
    " unjustified export restrictions on critical minerals such as gallium, germanium and"
    " rare earths, and agreed to share early warnings through the existing dialogue.",
    "On export controls, both sides underlined that controls on dual-use items and"
    " semiconductors must be narrowly defined, non-discriminatory and coordinated among"
    " like-minded partners, and agreed to hold expert talks before the summer.",
    "The Commissioner recalled that the EU Anti-Coercion Instrument allows a swift and"
    " proportionate response to economic coercion, and the Minister described Japan's work"
    " on its own toolbox against coercive measures; both agreed that deterrence works best"
    " when like-minded partners act together.",
    "On the steel measure itself, the Minister noted the importance of Japanese high-grade"
    " steel for European automobile and energy supply chains and asked for early technical"
    " consultations on the tariff-rate quotas; the Commissioner agreed that officials would"
    " meet before the measure is adopted.",
    "Both sides welcomed closer coordination of export controls on advanced semiconductors"
    " and quantum technologies, and agreed to compare their lists of controlled items and"
    " their licensing practice so that controls are effective and do not fragment trade"
    " between like-minded partners.",
    "The Ministers also discussed the risk that third countries answer coordinated action"
    " with new export restrictions or other coercive measures, and agreed that their teams"
    " would prepare joint contingency plans, including for steel, critical minerals and"
    " semiconductors.",
    "They asked officials to report back on a joint approach to supply chains for"
    " batteries and critical minerals, including stockpiling and joint purchasing, by the"
    " autumn.",
)


def markdown() -> str:
    body = "\n\n".join(PARAGRAPHS)
    return f"# {TITLE}\n\n{DATELINE}\n\n{body}\n"


def html() -> str:
    paras = "".join(f"<p>{escape(p)}</p>\n" for p in (DATELINE, *PARAGRAPHS))
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(TITLE)}</title>"
        f"</head><body><h1>{escape(TITLE)}</h1>\n{paras}</body></html>\n"
    )


def write_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    for text in (DATELINE, *PARAGRAPHS):
        document.add_paragraph(text)
    document.save(str(path))
    return path


def write_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    fonts = Path(__file__).resolve().parents[1] / "templates" / "fonts"
    pdfmetrics.registerFont(TTFont("ReadoutSans", str(fonts / "DejaVuSans.ttf")))
    styles = getSampleStyleSheet()
    heading = styles["Heading1"].clone("ReadoutHeading", fontName="ReadoutSans")
    body = styles["BodyText"].clone("ReadoutBody", fontName="ReadoutSans")
    story = [Paragraph(escape(TITLE), heading)]
    story += [Paragraph(escape(text), body) for text in (DATELINE, *PARAGRAPHS)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def write_all(folder: Path) -> list[Path]:
    """Write the readout as .md, .html, .docx and .pdf in `folder`; return the four paths."""
    md = folder / "readout.md"
    md.write_text(markdown(), "utf-8")
    page = folder / "readout.html"
    page.write_text(html(), "utf-8")
    return [md, page, write_docx(folder / "readout.docx"), write_pdf(folder / "readout.pdf")]
