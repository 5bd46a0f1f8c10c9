"""The sides statements name (EU, Japan, US, G7, …), from `briefing/data/parties.toml`:
who makes a commitment, and whom a meeting is with (its *counterpart*).

The library's own side is the EU (`HOME`): a meeting named "Japan–EU HLED" is with Japan.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

HOME = "EU"


@dataclass(frozen=True)
class Party:
    name: str  # e.g. "US"
    names: tuple[str, ...]  # how texts write it: "United States", "U.S.", "USTR", …
    group: bool = False  # members speaking as one: "We, the G7 …"


@dataclass(frozen=True)
class Parties:
    """The known parties, and one regex finding any of their names in a text."""

    parties: tuple[Party, ...]
    pattern: re.Pattern[str]
    by_name: dict[str, str]  # a name as matched (folded unless an acronym) → the party

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Return (start, end, party) for each name of a party in `text`, in order."""
        found = []
        for m in self.pattern.finditer(text):
            party = self.by_name.get(m[0]) or self.by_name.get(_key(m[0]))
            if party is not None:
                found.append((m.start(), m.end(), party))
        return found

    def named_in(self, text: str) -> list[str]:
        """Return the parties `text` names, each once, in order of first mention."""
        return list(dict.fromkeys(party for _, _, party in self.find(text)))

    def is_group(self, name: str) -> bool:
        return any(p.group and p.name == name for p in self.parties)


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


@functools.cache
def known_parties() -> Parties:
    """Return the parties of `parties.toml`, compiled once."""
    data = tomllib.loads(
        resources.files("briefing.data").joinpath("parties.toml").read_text("utf-8")
    )
    parties = tuple(
        Party(p["name"], tuple(p["names"]), bool(p.get("group", False))) for p in data["party"]
    )
    by_name: dict[str, str] = {}
    exact: list[str] = []
    folded: list[str] = []
    for party in parties:
        for name in party.names:
            if _is_acronym(name):
                by_name[name] = party.name
                exact.append(re.escape(name))
            else:
                by_name[_key(name)] = party.name
                folded.append(r"\s+".join(map(re.escape, name.split())))
    exact.sort(key=len, reverse=True)
    folded.sort(key=len, reverse=True)
    body = "|".join([*exact, *(f"(?i:{f})" for f in folded)])
    return Parties(parties, re.compile(rf"(?<![\w.])(?:{body})(?!\w|\.\w)"), by_name)


def counterpart_of(name: str) -> str:
    """Return whom a meeting called `name` is with: the first party it names other than
    the EU ("Japan–EU HLED" → "Japan"; "G7 Trade Ministers" → "G7"), or ""."""
    others = [p for p in known_parties().named_in(name) if p != HOME]
    return others[0] if others else ""
