"""A realistic sample pack as a `Document`: previews a template and feeds the render tests."""

from __future__ import annotations

from datetime import date

from briefing.document import (
    Annex,
    BulletList,
    Citation,
    Contents,
    Cover,
    Document,
    Heading,
    LineToTake,
    ListItem,
    Note,
    PageBreak,
    Paragraph,
    Properties,
    Quote,
    Run,
    Sources,
    Table,
    list_of,
)

MARKING = "OFFICIAL-SENSITIVE"


def _p(*parts: str | Run) -> Paragraph:
    return Paragraph(tuple(Run(p) if isinstance(p, str) else p for p in parts))


def sample_document(marking: str = MARKING) -> Document:
    """Return a briefing pack for an EU–Japan trade meeting, using every kind of block."""
    statement = Citation(
        "Joint press statement", "EU–Japan High-Level Economic Dialogue", date(2026, 5, 7), 5
    )
    statement_text = tuple(
        _p(f"{n}. ", text)
        for n, text in enumerate(
            (
                "The European Union and Japan held the High-Level Economic Dialogue in Tokyo.",
                "Both sides reaffirmed their commitment to a free, fair and rules-based trading "
                "system with the WTO at its core.",
                "They shared serious concerns about non-market policies and practices that lead "
                "to structural overcapacity, in particular in steel.",
                "They agreed to deepen co-operation on export controls for critical and emerging "
                "technologies, in line with their respective legal frameworks.",
                "They condemned economic coercion and committed to respond to it together, "
                "including through the G7 Coordination Platform on Economic Coercion.",
                "They welcomed progress on resilient supply chains for critical minerals and "
                "batteries.",
            ),
            start=1,
        )
    )
    return Document(
        cover=Cover(
            title="EU–Japan High-Level Economic Dialogue",
            marking=marking,
            subtitle="Briefing for the Trade Commissioner",
            meeting="Bilateral with Minister AKAZAWA Ryosei (赤沢亮正)",
            date=date(2026, 6, 12),
            place="Berlaymont, Brussels",
            version="v3 — cleared by the Director",
            prepared_by="Trade Policy Unit C.2",
        ),
        properties=Properties(
            title="EU–Japan High-Level Economic Dialogue",
            subject="Briefing pack",
            author="Trade Policy Unit C.2",
        ),
        blocks=(
            Contents(),
            PageBreak(),
            Heading("Objectives", 1),
            list_of(
                (
                    Run("Secure Japan's support for a "),
                    Run("joint steel overcapacity", bold=True),
                    Run(" statement at the G7."),
                ),
                (
                    Run("Agree next steps on "),
                    Run("export controls", italic=True),
                    Run(" co-ordination."),
                ),
                (
                    Run("Read out the "),
                    Run("joint statement", link="https://trade.ec.europa.eu/statement?a=1&b=<2>"),
                    Run("."),
                ),
            ),
            Heading("Steel and overcapacity", 1),
            _p(
                "Global steel overcapacity reached ",
                Run("550 million tonnes", bold=True),
                " in 2025. Both sides see ",
                Run("non-market policies", italic=True),
                " as its cause; Japan prefers the OECD Global Forum to new tariffs.",
            ),
            Heading("Lines to take", 2),
            LineToTake(
                (
                    _p(
                        "We share Japan's concern about structural overcapacity and want "
                        "a G7 response this year."
                    ),
                )
            ),
            LineToTake(
                (
                    _p(
                        Run("Safeguard. ", bold=True),
                        "The EU safeguard will be replaced by a ",
                        Run("permanent measure", bold=True),
                        " compatible with the WTO:",
                    ),
                    BulletList(
                        (
                            ListItem(
                                (Run("a tariff-rate quota"),),
                                (list_of((Run("cut by "), Run("half", strike=True), Run(" 47%"))),),
                            ),
                            ListItem((Run("an out-of-quota duty of 50%"),)),
                        )
                    ),
                    Sources((statement,)),
                )
            ),
            LineToTake(
                (_p("Our measure is WTO-compatible and targets overcapacity, not Japan."),),
                reactive=True,
                question="Will Japanese exporters be hit by the new EU steel measure?",
            ),
            Heading("Background", 2),
            Quote(
                (
                    Run(
                        "They shared serious concerns about non-market policies and practices "
                        "that lead to structural overcapacity, in particular in steel."
                    ),
                ),
                statement,
            ),
            _p(
                "Japan's tariff-rate quota under the current safeguard was fully used in Q1. "
                "Expect questions on the quota allocation & the < 15% threshold."
            ),
            Heading("Quota figures", 3),
            Table(
                ("Year", "Quota (kt)", "Used"),
                (("2024", "1 200", "97%"), ("2025", "1 150", "100%")),
                caption="Japanese steel under the EU safeguard",
            ),
            Heading("Economic coercion", 1),
            _p(
                "Both sides condemned economic coercion. ",
                Run("Japan chairs the G7 platform this year.", bold=True, italic=True),
            ),
            list_of(
                (Run("Share the EU's experience with the Anti-Coercion Instrument."),),
                (Run("Propose a joint tabletop exercise."),),
                (Run("Invite Japan to the critical minerals buyers' club."),),
                numbered=True,
            ),
            Note(
                (
                    _p(
                        "The Minister may raise the rare-earth export licences case. "
                        "Do not comment on the ongoing investigation."
                    ),
                ),
                label="Handling note",
            ),
            Heading("Participants", 1),
            Table(
                ("Name", "Role", "Side"),
                (
                    ("Maroš ŠEFČOVIČ", "Commissioner for Trade and Economic Security", "EU"),
                    ("Stéphane SÉJOURNÉ", "Executive Vice-President", "EU"),
                    ("AKAZAWA Ryosei", "Minister of Economy, Trade and Industry", "Japan"),
                    ("赤沢亮正", "経済産業大臣", "Japan"),
                ),
                caption="People",
                widths=(3, 5, 1.5),
            ),
            Heading("Glossary", 1),
            Table(
                ("Term", "Meaning"),
                (
                    ("ACI", "Anti-Coercion Instrument (Regulation (EU) 2023/2675)"),
                    (
                        "CPTPP",
                        "Comprehensive and Progressive Agreement for Trans-Pacific Partnership",
                    ),
                    ("TRQ", "Tariff-rate quota"),
                ),
                widths=(1, 4),
            ),
            Annex("A", "Joint press statement, 7 May 2026", statement_text),
        ),
    )
