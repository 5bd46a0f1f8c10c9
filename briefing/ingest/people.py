"""People named with a role: "Mr. Maroš ŠEFČOVIČ, European Commissioner for Trade …",
"Mr. AKAZAWA Ryosei, Minister of Economy, Trade and Industry of Japan". The name is kept as
written (family names in capitals, Japanese order kept); the side comes from "on the EU side"
or "on the Japanese side" later in the sentence, else from the role."""

from __future__ import annotations

import re
from collections.abc import Iterable

from briefing.ingest.model import ParsedPerson
from db.text import fold

MAX_SCAN = 20_000  # characters of a paragraph searched for names (names sit in normal prose)
_WORD = r"[^\W\d_][\w'’.-]*"
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lord|Lady|H\.\s?E)\.?\s+")
# a word without ASCII lower case (a quick filter; _is_capitals decides)
_CAPITALS = re.compile(r"(?<![\w-])[^\W\d_a-z]{2,}(?![\w-])")
_NAME_WORD = re.compile(rf"({_WORD})[ \t]*")
_PREVIOUS_WORD = re.compile(rf"({_WORD}) $")
_STOP = r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMrs)(?<!\bSt)\.(?:\s|$)"
_ROLE_WORDS = re.compile(
    r"\b(?:minister|commissioner|president|secretary|ambassador|director|chair|chairman|"
    r"chairwoman|chairperson|head|chief|governor|deputy|representative|envoy|prime|chancellor|"
    r"counsellor|adviser|advisor|spokesperson|spokesman|premier|mayor|king|queen|leader|"
    r"official|member|undersecretary|vice-minister|co-chair)\b",
    re.I,
)
_ROLE_END = re.compile(
    r",\s*(?:and|as|who|which|while|together)\b|\s+on the [\w-]+ side\b|[;()\[\]]|" + _STOP
    + r"|\s+(?:said|stated|noted|welcomed|met|held|and by)\b"
)
_SIDE = re.compile(r"\bon the ([\w-]+) side\b")
_SENTENCE_END = re.compile(_STOP)
_DEMONYMS = {
    "european": "EU", "eu": "EU", "japanese": "Japan", "american": "US", "british": "UK",
    "chinese": "China", "korean": "Korea", "canadian": "Canada", "indian": "India",
    "australian": "Australia", "french": "France", "german": "Germany", "italian": "Italy",
}
_ORG_OF_THE = re.compile(r"\bof the ((?:[A-Z][\w'’-]*\s?)+)")
_COMMISSIONER = re.compile(r"\b((?:[A-Z][\w-]* )*)Commissioner\b")
_MINISTER = re.compile(
    r"\bMinister (?:of|for) (?P<portfolio>.+?)(?: of (?P<country>[A-Z][\w -]+))?$"
)
_OF_COUNTRY = re.compile(r"\bof ([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)$")


def find_people(
    texts: Iterable[str], acronyms: frozenset[str] = frozenset()
) -> tuple[ParsedPerson, ...]:
    """Return the people named with a role in `texts`, each once, in order of appearance;
    words in capitals that are `acronyms` ("WTO") are not taken for names."""
    found: dict[str, ParsedPerson] = {}
    for text in texts:
        for person in _people_in(text[:MAX_SCAN], acronyms):
            found.setdefault(fold(person.name), person)
    return tuple(found.values())


def _people_in(text: str, acronyms: frozenset[str]) -> list[ParsedPerson]:
    starts = [(m.end(), True) for m in _HONORIFIC.finditer(text)]
    starts += [
        (m.start(), False)
        for m in _CAPITALS.finditer(text)
        if _is_capitals(m.group()) and m.group() not in acronyms
    ]
    people: list[ParsedPerson] = []
    covered = -1
    for start, honorific in sorted(starts):
        if start <= covered:
            continue
        found = _person_at(text, start, honorific)
        if found:
            people.append(found[0])
            covered = found[1]
    return people


def _person_at(text: str, start: int, honorific: bool) -> tuple[ParsedPerson, int] | None:
    """Read "Name NAME, Role" at `start` and return the person and where the name ends.
    Without an honorific the name must hold a word in capitals."""
    words: list[str] = []
    pos = start
    while len(words) < 4 and (match := _NAME_WORD.match(text, pos)) and match.group(1)[0].isupper():
        words.append(match.group(1))
        pos = match.end(1)
        if text.startswith(",", pos):
            break
        pos = match.end()
    capitals = [w for w in words if _is_capitals(w)]
    if not words or not (honorific or capitals) or not text.startswith(",", pos):
        return None
    if not honorific:  # "Stéphane SÉJOURNÉ, …": take the given name before it
        before = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
        if before and before.group(1)[0].isupper() and not (
            _is_capitals(before.group(1)) or _HONORIFIC.match(before.group())
        ):
            words.insert(0, before.group(1))
    role = _role(text[pos + 1:pos + 400])
    if not role or not role[0].isupper() or not _ROLE_WORDS.search(role):
        return None
    person = ParsedPerson(
        name=" ".join(words),
        family_name=" ".join(capitals) or words[-1],
        role=role,
        organisation=organisation(role),
        side=_side(text[pos:], role),
    )
    return person, pos


def _is_capitals(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _role(text: str) -> str:
    end = _ROLE_END.search(text)
    return text[: end.start() if end else len(text)].strip(" ,")


def _side(after: str, role: str) -> str:
    """Return the side from "on the EU side" later in the sentence, else from the role."""
    end = _SENTENCE_END.search(after)
    if match := _SIDE.search(after, 0, end.start() if end else len(after)):
        return _DEMONYMS.get(match.group(1).casefold(), match.group(1))
    for word in re.findall(r"[\w-]+", role):
        if word[0].isupper() and word.casefold() in _DEMONYMS:
            return _DEMONYMS[word.casefold()]
    country = _OF_COUNTRY.search(role)
    return country.group(1) if country else ""


def organisation(role: str) -> str:
    """Return the organisation a role names: "… of the European Commission for …" →
    "European Commission", "European Commissioner for …" → "European Commission",
    "Minister of Economy, Trade and Industry of Japan" → "Ministry of Economy, Trade and
    Industry of Japan"; else "Government of X" for a role ending "of X"."""
    if match := _ORG_OF_THE.search(role):
        return match.group(1).strip()
    if match := _COMMISSIONER.search(role):
        return f"{match.group(1)}Commission"
    if match := _MINISTER.search(role):
        country = f" of {match.group('country')}" if match.group("country") else ""
        return f"Ministry of {match.group('portfolio')}{country}"
    if match := _OF_COUNTRY.search(role):
        return f"Government of {match.group(1)}"
    return ""
