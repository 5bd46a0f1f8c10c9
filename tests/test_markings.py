"""Protective markings: their order in a scheme, and what the pre-flight check says of a pack's
drafts and content marked above it."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.errors import InputError
from briefing.library import Library
from briefing.markings import (
    DEFAULT_SCHEME,
    Scheme,
    check_marking,
    exceeds,
    normalise,
    rank,
)
from db.models import Item, ItemStatus, Source

EU_SCHEME = ("EU LIMITED", "EU RESTRICTED", "EU CONFIDENTIAL")


def test_normalise_trims_joins_spaces_and_upper_cases() -> None:
    assert normalise("  official-sensitive ") == "OFFICIAL-SENSITIVE"
    assert normalise("top\t  secret\n") == "TOP SECRET"
    assert normalise("   ") == ""


def test_rank_follows_the_scheme_and_no_marking_is_lowest() -> None:
    assert [rank(m) for m in DEFAULT_SCHEME] == [0, 1, 2, 3]
    assert rank("") == rank("  ") == -1
    assert rank(" top  secret") == 3
    assert rank("EU RESTRICTED", EU_SCHEME) == 1


def test_a_marking_the_scheme_does_not_know_ranks_above_every_known_one() -> None:
    assert rank("EU RESTRICTED") == len(DEFAULT_SCHEME)
    assert rank("SECRET", EU_SCHEME) == len(EU_SCHEME)


@pytest.mark.parametrize(
    ("marking", "limit", "higher"),
    [
        ("SECRET", "OFFICIAL", True),
        ("OFFICIAL-SENSITIVE", "OFFICIAL", True),
        ("official", "OFFICIAL", False),
        ("OFFICIAL", "SECRET", False),
        ("OFFICIAL", "", True),
        ("", "OFFICIAL", False),
        ("", "", False),
        # markings outside the scheme cannot be compared: anything but the same one warns
        ("EU RESTRICTED", "TOP SECRET", True),
        ("TOP SECRET", "EU RESTRICTED", True),
        ("OFFICIAL", "EU RESTRICTED", True),
        ("EU RESTRICTED", "", True),
        ("eu  restricted", "EU RESTRICTED", False),
        ("", "EU RESTRICTED", False),
    ],
)
def test_exceeds(marking: str, limit: str, higher: bool) -> None:
    assert exceeds(marking, limit) is higher


def test_exceeds_in_another_scheme() -> None:
    assert exceeds("EU CONFIDENTIAL", "EU RESTRICTED", EU_SCHEME)
    assert not exceeds("EU LIMITED", "EU RESTRICTED", EU_SCHEME)
    assert exceeds("SECRET", "EU CONFIDENTIAL", EU_SCHEME)


# -- export warnings ---------------------------------------------------------------


def new_pack(library: Library, marking: str, topics: list[str] | None = None) -> int:
    return library.new_pack(
        "Brief",
        meeting="Japan–EU HLED",
        date=date(2026, 5, 7),
        marking=marking,
        topics=topics or ["steel", "coercion", "export-controls"],
    )


def set_item(library: Library, named: str, **fields: object) -> None:
    with library.store.session() as session:
        item = next(i for i in session.query(Item) if i.title == named)
        for name, value in fields.items():
            setattr(item, name, value)


def describe(library: Library, pack_id: int) -> list[str]:
    """The pre-flight's messages on drafts and content marked above the pack."""
    return [f.message for f in library.check(pack_id) if f.code in ("draft", "above-marking")]


def test_an_item_marked_higher_than_the_pack_blocks(demo_library: Library) -> None:
    assert describe(demo_library, new_pack(demo_library, "OFFICIAL")) == [
        "“Retaliation risk” is marked OFFICIAL-SENSITIVE, above the printed OFFICIAL"
    ]
    assert describe(demo_library, new_pack(demo_library, "OFFICIAL-SENSITIVE")) == []


def test_a_draft_item_is_named_once_even_in_two_sections(demo_library: Library) -> None:
    pack = new_pack(demo_library, "SECRET")
    # in the coercion and the export-controls sections
    set_item(demo_library, "Export restrictions on critical minerals", status=ItemStatus.DRAFT)
    assert describe(demo_library, pack) == [
        "“Export restrictions on critical minerals” is still a draft"
    ]
    set_item(demo_library, "Export restrictions on critical minerals", marking="TOP SECRET")
    assert sorted(describe(demo_library, pack)) == [
        "“Export restrictions on critical minerals” is marked TOP SECRET, above the printed"
        " SECRET",
        "“Export restrictions on critical minerals” is still a draft",
    ]


def test_an_untitled_draft_is_named_by_its_kind(demo_library: Library) -> None:
    pack = new_pack(demo_library, "OFFICIAL-SENSITIVE", ["steel"])
    set_item(demo_library, "Will Japanese steel be exempted?", title="", status=ItemStatus.DRAFT)
    assert describe(demo_library, pack) == ["“if asked” is still a draft"]


def test_quoted_passages_are_named_once_for_a_source_marked_higher(
    demo_library: Library,
) -> None:
    pack = new_pack(demo_library, "OFFICIAL-SENSITIVE")
    with demo_library.store.session() as session:
        source = session.get(Source, 1)
        assert source is not None
        source.marking = "SECRET"
    found = describe(demo_library, pack)
    assert len(found) == len(set(found)) >= 1
    assert all("is marked SECRET, above the printed OFFICIAL-SENSITIVE" in m for m in found)


def test_the_library_scheme_orders_the_levels(demo_library: Library) -> None:
    demo_library.set_marking_scheme([*DEFAULT_SCHEME, *EU_SCHEME])
    pack = new_pack(demo_library, "EU RESTRICTED")
    set_item(demo_library, "Retaliation risk", marking="EU CONFIDENTIAL")
    set_item(demo_library, "Steel safeguard replacement", marking="EU LIMITED")
    assert describe(demo_library, pack) == [
        "“Retaliation risk” is marked EU CONFIDENTIAL, above the printed EU RESTRICTED"
    ]


# -- the library's scheme --------------------------------------------------------

UK = Scheme(DEFAULT_SCHEME, ("UK EYES ONLY", "UK"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("  official ", "OFFICIAL"),
        ("Official-Sensitive", "OFFICIAL-SENSITIVE"),
        ("top   secret", "TOP SECRET"),
        ("secret uk eyes  only", "SECRET UK EYES ONLY"),
        ("SECRET UK", "SECRET UK"),
        ("secret uk uk eyes only", "SECRET UK UK EYES ONLY"),
    ],
)
def test_check_marking_normalises_a_level_and_its_caveats(text: str, expected: str) -> None:
    assert check_marking(UK, text) == expected


@pytest.mark.parametrize("text", ["SECERT", "SECRET UK EYES", "UK EYES ONLY", "TOP", "SECRETS"])
def test_check_marking_refuses_what_the_scheme_does_not_know(text: str) -> None:
    with pytest.raises(InputError) as caught:
        check_marking(UK, text)
    assert str(caught.value) == (
        f'unknown marking "{text}"; markings are: OFFICIAL, OFFICIAL-SENSITIVE, SECRET,'
        " TOP SECRET; caveats are: UK EYES ONLY, UK"
    )


def test_a_caveat_the_pack_lacks_warns_like_a_higher_marking() -> None:
    assert exceeds("OFFICIAL UK EYES ONLY", "SECRET", UK)
    assert not exceeds("OFFICIAL UK EYES ONLY", "SECRET UK EYES ONLY", UK)
    assert rank("SECRET UK EYES ONLY", UK) == rank("SECRET", UK) == 2


def test_the_library_keeps_its_scheme(empty_library: Library) -> None:
    assert empty_library.marking_scheme() == Scheme()
    scheme = empty_library.set_marking_scheme(
        ["eu limited", "EU RESTRICTED"], add_caveats=["rel  uk"]
    )
    assert scheme == Scheme(("EU LIMITED", "EU RESTRICTED"), ("REL UK",))
    assert empty_library.marking_scheme() == scheme
    for levels, message in [([], "at least one level"), (["A", "a"], "named twice")]:
        with pytest.raises(InputError, match=message):
            empty_library.set_marking_scheme(levels)
    with pytest.raises(InputError, match='no caveat "NOPE"'):
        empty_library.set_marking_scheme(remove_caveats=["nope"])
    assert empty_library.marking_scheme() == scheme
