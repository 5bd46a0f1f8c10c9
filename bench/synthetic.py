"""A deterministic synthetic library for the benchmarks, stored through the real core.

Sources carry paragraphs that name people ("Maroš ŠEFČOVIČ", "赤沢亮正", "גדעון סער"), topic
phrases, acronyms and bold/italic runs; the library also holds people, glossary terms and items of
every kind (lists, headings, links), so a pack built from it uses every block a pack shows.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from briefing.document import Run
from briefing.importer import store_parsed
from briefing.ingest import ParsedParagraph, ParsedPerson, ParsedSource
from briefing.items import ItemData, create_item
from briefing.library import Library
from briefing.outline import add_entry, add_section
from briefing.tagging import find_topic
from db.models import EntryKind, ItemKind, ItemStatus

PACK_TOPICS = ("steel", "coercion", "export-controls", "supply-chains", "critical-minerals")
MARKING = "OFFICIAL-SENSITIVE"

PEOPLE = (
    ParsedPerson(
        "Maroš ŠEFČOVIČ",
        "ŠEFČOVIČ",
        "European Commissioner for Trade and Economic Security",
        "European Commission",
        "EU",
    ),
    ParsedPerson(
        "AKAZAWA Ryosei", "AKAZAWA", "Minister of Economy, Trade and Industry", "METI", "Japan"
    ),
    ParsedPerson("Stéphane SÉJOURNÉ", "SÉJOURNÉ", "Executive Vice-President", "Commission", "EU"),
    ParsedPerson("赤沢亮正", "赤沢", "経済産業大臣", "経済産業省", "Japan"),
    # right-to-left names: the PDF shapes and reorders a third of the paragraphs
    ParsedPerson("عبد الله بن زايد", "بن زايد", "وزير الخارجية", "وزارة الخارجية", "UAE"),
    ParsedPerson("גדעון סער", "סער", "שר החוץ", "משרד החוץ", "Israel"),
)
GLOSSARY = (
    ("CRMA", "Critical Raw Materials Act"),
    ("EIB", "European Investment Bank"),
    ("HLED", "High-Level Economic Dialogue"),
    ("WTO", "World Trade Organization"),
    ("JETRO", "Japan External Trade Organization"),
)
# One phrase per pack topic (so every passage lands in a section), then filler words.
TOPIC_PHRASES = (
    "global steel overcapacity",
    "economic coercion",
    "export controls",
    "resilient supply chains",
    "critical raw materials",
)
WORDS = [
    "trade",
    "tariff",
    "market",
    "access",
    "dialogue",
    "agreement",
    "summit",
    "ministerial",
    "negotiation",
    "partnership",
    "regulatory",
    "cooperation",
    "semiconductor",
    "investment",
    "screening",
    "digital",
    "economy",
    "customs",
    "standards",
    "procurement",
    "subsidies",
    "transparency",
    "rules-based",
    "multilateral",
    "WTO",
    "CRMA",
    "HLED",
    "EIB",
]


@dataclass(frozen=True)
class Scale:
    """How big a synthetic library is."""

    sources: int
    paragraphs: int  # per source
    words: int = 60  # per paragraph

    @property
    def passages(self) -> int:
        return self.sources * self.paragraphs


# A pack on PACK_TOPICS from these libraries has about 40 and 400 pages.
PACK_40 = Scale(sources=3, paragraphs=25)
PACK_400 = Scale(sources=34, paragraphs=25)


def _paragraph(rnd: random.Random, n: int, words: int) -> ParsedParagraph:
    person = PEOPLE[n % len(PEOPLE)].name
    phrase = TOPIC_PHRASES[n % len(TOPIC_PHRASES)]
    filler = " ".join(rnd.choice(WORDS) for _ in range(words))
    runs = (
        Run("Meeting with "),
        Run(person, bold=True),
        Run(f" on {phrase}: tariffs < 25% & quotas > 1,000 t; "),
        Run("as agreed", italic=True),
        Run(f", {filler}."),
    )
    return ParsedParagraph(runs)


def synthetic_source(index: int, scale: Scale) -> ParsedSource:
    """Return source `index` of a library of `scale`, the same every time."""
    rnd = random.Random(index)
    paragraphs: list[ParsedParagraph] = [
        ParsedParagraph((Run(f"Joint statement {index + 1}: EU–Japan dialogue"),), 1)
    ]
    for n in range(scale.paragraphs - 1):
        if n and n % 10 == 0:
            paragraphs.append(ParsedParagraph((Run(f"Part {n // 10 + 1}"),), 2))
        else:
            paragraphs.append(_paragraph(rnd, n, scale.words))
    text = "\n".join(p.text for p in paragraphs)
    return ParsedSource(
        title=f"Joint press statement {index + 1}",
        issuer="EU–Japan High-Level Economic Dialogue",
        kind="joint statement",
        date=date(2026, 5, 7) - timedelta(days=30 * index),
        place="Brussels" if index % 2 else "東京 (Tokyo)",
        origin=f"synthetic-{index}.txt",
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        paragraphs=tuple(paragraphs),
        people=PEOPLE,
        glossary=GLOSSARY,
    )


ITEMS = (
    (ItemKind.OBJECTIVE, "Joint line on steel", "Agree with **AKAZAWA** (赤沢亮正) a joint line."),
    (ItemKind.LINE_TO_TAKE, "Steel measure", "Our steel measure is **WTO-consistent**."),
    (ItemKind.IF_ASKED, "Will Japan be exempted?", "It is too early to discuss allocations."),
    (ItemKind.KEY_FACT, "Trade volume", "EU–Japan trade in goods: €140 bn (2025)."),
    (ItemKind.RISK, "Retaliation", "Export controls on gallium & germanium (< 5% diversified)."),
    (
        ItemKind.BACKGROUND,
        "Anti-coercion cooperation",
        "Both sides condemned *economic coercion*.\n\n"
        "## History\n\n"
        "- The [Anti-Coercion Instrument](https://example.eu/aci) entered into force in 2023.\n"
        "- Japan is developing its own toolbox.\n\n"
        "1. Consult.\n2. Coordinate.\n3. Respond together.",
    ),
)


def build_library(path: Path, scale: Scale, *, items: bool = True) -> Library:
    """Create a library at `path` holding `scale.sources` synthetic sources (and items)."""
    library = Library(path)
    with library.store.session() as session:
        for index in range(scale.sources):
            store_parsed(session, synthetic_source(index, scale))
        if items:
            topic_ids = tuple(find_topic(session, key).id for key in PACK_TOPICS)
            for n, topic_id in enumerate(topic_ids):
                for kind, title, body in ITEMS:
                    data = ItemData(
                        kind, f"{title} ({n + 1})", body, MARKING, ItemStatus.CLEARED, (topic_id,)
                    )
                    create_item(session, data)
    return library


def new_pack(library: Library, template: str = "ministerial") -> int:
    """Create the benchmark pack and return its id: every passage on every pack topic, and
    each source as an annex (a new pack would cap the passages and annex none)."""
    pack = library.new_pack(
        "EU–Japan High-Level Economic Dialogue",
        meeting="7th EU–Japan HLED",
        date=date(2026, 5, 7),
        marking=MARKING,
        topics=PACK_TOPICS,
        place="Brussels",
        template=template,
        passages_per_topic=None,
    )
    with library.store.session() as session:
        annexes = add_section(session, pack, "Annexes")
        for source in library.sources():
            add_entry(session, annexes.id, EntryKind.SOURCE, source.id)
    return pack
