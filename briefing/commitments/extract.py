"""Find the commitments in a statement's paragraphs: sentences in which a side, the sides
together or a body they name undertakes something ("will …", "agreed to …", "committed to
<doing>", "undertook to …", "intend to …", "offered to host …", "concurred on …").

Sentences are split by pysbd (rule-based, no model to download). Within a sentence, each
*trigger* (a modal or an undertaking verb, then an action) is checked against its clause:
its subject must be an actor (a party, "both sides", "Ministers", "we", a person of the
statement, a body such as "the Working Group"), or a meeting the sides arrange ("will be
held"); a trigger inside a reported view ("noted that …", "stressed that … will") is no
commitment, one inside a reported undertaking ("confirmed that … will", "said … would")
is. The labelled set in `bench/commitments/` measures how well this does.

Reading never fails an import: a paragraph's first `MAX_CHARS` characters are read, and
a paragraph the splitter cannot take is passed over (`extract`).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from briefing.commitments.due import Due, find_due
from briefing.parties import HOME, known_parties
from db.text import fold

log = logging.getLogger(__name__)

MAX_CHARS = 20_000  # characters of a paragraph read (a real paragraph is far shorter)
BOTH = "both"

# A paragraph holding none of these words holds no commitment: most are skipped unsplit.
_CUES = re.compile(
    r"\b(?:will|shall|would|agree[ds]?|concur\w*|commit\w*|undert\w+|intend\w*|intention|"
    r"offer\w*|pledge\w*|decided?|resolved?|plan(?:s|ned)?|promise\w*|aim\w*|instruct\w*|"
    r"task\w*|determin\w+|endeavou?r\w*)\b",
    re.IGNORECASE,
)

# Verbs an undertaking names after "to": what a side undertakes to do.
_VERBS = frozenset({
    "accelerate", "achieve", "address", "adopt", "advance", "align", "allocate", "amend",
    "apply", "assess", "assist", "avoid", "boost", "bring", "build", "carry", "cease",
    "coordinate", "collaborate", "combat", "complete", "conclude", "conduct", "consider",
    "consult", "continue", "contribute", "convene", "cooperate", "co-operate", "counter",
    "create", "cut", "decide", "deepen", "deliver", "deploy", "design", "develop", "discuss",
    "diversify", "do", "double", "draw", "eliminate", "engage", "enhance", "ensure",
    "establish", "examine", "exchange", "expand", "explore", "extend", "facilitate",
    "finalise", "finalize", "finance", "focus", "follow", "foster", "fund", "further", "give",
    "halve", "harmonise", "harmonize", "help", "hold", "host", "identify", "implement",
    "improve", "increase", "inform", "initiate", "intensify", "introduce", "invest", "invite",
    "join", "keep", "launch", "lead", "lift", "maintain", "make", "meet", "mobilise",
    "mobilize", "modernise", "monitor", "negotiate", "notify", "open", "organise", "organize",
    "pave", "phase", "prepare", "present", "prevent", "promote", "protect", "provide",
    "publish", "pursue", "raise", "ratify", "reach", "realise", "realize", "redouble",
    "reduce", "refrain", "reform", "reinforce", "remove", "renew", "report", "resolve",
    "respond", "resume", "review", "safeguard", "scale", "secure", "seek", "set", "share",
    "sign", "simplify", "speed", "start", "step", "strengthen", "streamline", "submit",
    "support", "table", "tackle", "take", "task", "team", "terminate", "undertake", "update",
    "upgrade", "use", "withdraw", "work",
})  # fmt: skip

# Reporting verbs: a "will" after one of these in a view, after one of those in an
# undertaking ("confirmed that the EU will …", "said the EU would …").
_VIEWS = (
    r"not(?:ed|es|e)?|stress(?:ed|es)?|underline[ds]?|underscore[ds]?|emphasi[sz]e[ds]?|"
    r"highlight(?:ed|s)?|recogni[sz]e[ds]?|acknowledge[ds]?|expressed|express|welcome[ds]?|"
    r"hope[ds]?|expect(?:ed|s)?|believe[ds]?|consider(?:ed|s)?|observe[ds]?|warn(?:ed|s)?|"
    r"regret(?:ted|s)?|view|concerned|concern|trust|convinced|feared?|doubt(?:ed|s)?|"
    r"explained?|argued?|pointed out|recalled?|predicted?|estimated?|suggested?"
)
_UNDERTAKINGS = (
    r"confirm(?:ed|s)?|announce[ds]?|said|says|stated?|agreed|agree|decided|assured?|"
    r"informed|indicated?|promised?|pledged?|undertook|committed|reaffirmed|reiterated|"
    r"reconfirmed|declared?"
)
_REPORT = re.compile(
    rf"\b(?:(?P<view>{_VIEWS})|(?P<undertaking>{_UNDERTAKINGS}))\b(?P<rest>(?:\s+\S+){{0,9}}?)"
    r"\s*$",
    re.IGNORECASE,
)
_THAT = re.compile(r"^(?:\s+\S+){0,4}?\s+that\s|^\s+that\s", re.IGNORECASE)

_MODAL = r"(?P<modal>will|shall|would)"
_UNDERTAKE = (
    r"(?P<verb>agree[ds]?|concur(?:red|s)?|decide[ds]?|undert(?:ake|akes|ook)|pledge[ds]?|"
    r"promise[ds]?|offer(?:s|ed)?|intend(?:s|ed)?|plan(?:s|ned)?|resolve[ds]?|"
    r"commit(?:s|ted)?|aim(?:s|ed)?|endeavou?r(?:s|ed)?|(?:are|is|remain|remains|were|was|"
    r"stand|stands)\s+(?:firmly\s+|fully\s+|strongly\s+)?(?:committed|determined|ready|"
    r"resolved)|(?:commitment|intention|determination|resolve|readiness|willingness))"
)
_INSTRUCT = (
    r"(?P<instruct>instruct(?:s|ed)?|task(?:s|ed)?|mandate[ds]?|ask(?:s|ed)?|call(?:s|ed)? on)"
    r"\s+(?:our|their|its|the|relevant|senior)?\s*(?:\w+\s+){0,2}?"
    r"(?:officials|ministers|experts|working groups?|teams?|negotiators|sherpas|"
    r"[A-Z][\w-]*)\s+to"
)
_TRIGGER = re.compile(
    rf"\b(?:{_MODAL}|{_UNDERTAKE}\s+(?:(?:also|further|jointly|together|both)\s+)?"
    rf"(?P<prep>to|on|that)|{_INSTRUCT})\b",
    re.IGNORECASE,
)
_NOUN_WILL = re.compile(
    r"\b(?:the|a|political|strong|good|their|our|its|his|her|free|shared|common)\s*$", re.I
)
_DETERMINER = re.compile(r"\b(?:the|a|an|this|that|these|those|its|any|no|such)\s*$", re.I)
_POSSESSIVE = re.compile(
    r"\b(?:their|our|its|his|her)\s+(?:\w+\s+){0,2}$|\b(?:the\s+)?(?:\w+['’]s?\s+)$", re.I
)
_ADVERB = re.compile(r"^(?:\s*(?:also|further|jointly|together|closely|actively|fully|swiftly|"
                     r"continuously|not|then|both|all|\w+ly))*\s*", re.I)  # fmt: skip
_EVENT_VERB = re.compile(
    r"^\s*(?:also\s+)?(?:be\s+(?:held|convened|organi[sz]ed|hosted|scheduled|launched)|"
    r"take\s+place|meet|convene)\b",
    re.IGNORECASE,
)
_EVENT = re.compile(
    r"\b(?:meeting|summit|session|round|conference|workshop|dialogue|ministerial|forum)\b", re.I
)
_BODY = re.compile(
    r"(?:(?:[A-Z][\w-]*\s+){0,4}(?:Working\s+Group|Task\s+Force|Group|Dialogue|Council|"
    r"Committee|Forum|Secretariat|Agency|Board|Platform)(?:\s+on\s+(?:[A-Z][\w-]*\s*)+)?|"
    r"\b(?i:(?:the\s+)?(?:dialogue|working group|committee|task force|officials|experts|"
    r"negotiators|co-chairs)))\s*$"
)
_COLLECTIVE = re.compile(
    r"(?<![\w-])(?:both\s+sides|the\s+two\s+sides|the\s+sides|all\s+sides|both|the\s+parties|"
    r"they|we|(?:the\s+)?(?:ministers|leaders|participants|partners)|"
    r"the\s+(?:two\s+)?(?:principals|co-chairs|delegations))(?![\w-])",
    re.IGNORECASE,
)
_PREPOSITION = re.compile(
    r"\b(?:of|between|with|to|for|on|in|by|among|from|at|under|about|against|into|than|"
    r"through|towards|across|within|and\s+the\s+\w+\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_ROLES = re.compile(
    r"(?<![\w-])(?:the\s+)?(?:(?:European|EU|Japanese|US|U\.S\.)\s+)?(?P<role>Executive\s+"
    r"Vice-President|Vice-President|High\s+Representative|Commissioner|Prime\s+Minister|"
    r"State\s+Minister|Minister|Ambassador|Trade\s+Representative|Secretary|President|"
    r"Chancellor)(?:\s+(?P<who>[A-ZÀ-Þ][\w'’-]+))?(?![\w-])"
)
_PRONOUN = re.compile(r"(?<![\w-])(?:he|she)(?![\w-])", re.IGNORECASE)
_STRIP = re.compile(r"(?:\s+|,|\b(?:also|further|jointly|together|therefore|thus|again|"
                    r"hereby|each|now|today|already|still|both)\b)*$", re.I)  # fmt: skip


@dataclass(frozen=True)
class Person:
    """Someone the statement names, for reading "Minister Akazawa" as Japan."""

    family_name: str
    role: str
    side: str


@dataclass(frozen=True)
class Context:
    """What a statement says of itself: its date, its parties, its people."""

    today: date | None = None
    parties: tuple[str, ...] = ()
    people: tuple[Person, ...] = ()

    @property
    def together(self) -> str:
        """Who "both sides", "we" and "Ministers" are: the group of a plurilateral text
        ("G7"), else "both"."""
        groups = [p for p in self.parties if known_parties().is_group(p)]
        return groups[0] if groups else BOTH


@dataclass(frozen=True)
class Found:
    """A commitment found in a paragraph."""

    sentence: str  # the whole sentence, as written
    position: int  # the sentence's place in its paragraph, from 0
    who: str  # a party ("EU"), "both", a group ("G7") or the body named ("Working Group")
    what: str  # the undertaking, from its action on
    due: Due | None


class _Named(Protocol):
    @property
    def family_name(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def side(self) -> str: ...


def people_of(people: Iterable[_Named]) -> tuple[Person, ...]:
    """Return the people a parser or the library found, as the extractor reads them."""
    return tuple(Person(p.family_name, p.role, p.side) for p in people if p.family_name)


def statement_context(
    title: str, issuer: str, day: date | None, people: Iterable[Person], opening: Sequence[str]
) -> Context:
    """Return a statement's context: its parties are those its title and issuer name, those
    of its people, else those of its opening paragraphs."""
    parties = known_parties()
    people = tuple(people)
    named = parties.named_in(f"{title}\n{issuer}")
    named += [p.side for p in people if p.side and p.side not in named]
    if not named:
        named = parties.named_in("\n".join(opening)[:MAX_CHARS])
    return Context(day, tuple(dict.fromkeys(named)), people)


def read_statement(
    title: str, issuer: str, day: date | None, people: Iterable[_Named], paragraphs: Sequence[str]
) -> list[tuple[int, Found]]:
    """Return (paragraph index, commitment) for each commitment of a statement, read in its
    context (its parties named, else those of its first three paragraphs)."""
    context = statement_context(title, issuer, day, people_of(people), paragraphs[:3])
    return extract(paragraphs, context)


@functools.cache
def _segmenter() -> object:
    import pysbd  # imported when first needed: the CLI and app start faster without it

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def sentences(text: str) -> list[str]:
    """Return the sentences of a paragraph (its first `MAX_CHARS` characters)."""
    text = text[:MAX_CHARS]
    if not text.strip():
        return []
    split = _segmenter().segment(text)  # type: ignore[attr-defined]
    return [s.strip() for s in split if s.strip()]


def extract(paragraphs: Sequence[str], context: Context) -> list[tuple[int, Found]]:
    """Return (paragraph index, commitment) for each commitment in `paragraphs`.

    A paragraph the sentence splitter (or the rules) fail on is logged and passed over:
    reading commitments never stops an import.
    """
    found: list[tuple[int, Found]] = []
    last = context.together
    for index, text in enumerate(paragraphs):
        try:
            if not _may_commit(text[:MAX_CHARS]):
                continue
            for position, sentence in enumerate(sentences(text)):
                commitment = commitment_in(sentence, position, context, last)
                if commitment is not None:
                    found.append((index, commitment))
                    last = commitment.who
        except ImportError:  # the splitter missing is a broken install, not odd text
            raise
        except Exception:  # a bug met on odd text: never the import's failure
            log.warning("commitments: paragraph %d could not be read", index + 1, exc_info=True)
    return found


def _may_commit(text: str) -> bool:
    """Whether a paragraph holds a trigger with an action after it: one that does not is
    passed over without being split into sentences."""
    return bool(_CUES.search(text)) and any(
        _action(text, trigger) is not None for trigger in _TRIGGER.finditer(text)
    )


def commitment_in(
    sentence: str, position: int, context: Context, last: str = BOTH
) -> Found | None:
    """Return the commitment `sentence` makes, or None (`last`: who made the one before,
    for "he" or "she")."""
    for trigger in _TRIGGER.finditer(sentence):
        action = _action(sentence, trigger)
        if action is None:
            continue
        left = _clause_before(sentence, trigger.start())
        who = _undertaker(left, sentence[action:], context, last)
        if who:
            what = sentence[action:].strip().rstrip(".;:").strip()
            return Found(sentence, position, who, what, find_due(sentence, context.today))
    return None


def _action(sentence: str, trigger: re.Match[str]) -> int | None:
    """Return where the undertaken action starts after `trigger`, or None when the trigger
    is none after all ("the political will to", "commitment to free trade")."""
    before = sentence[: trigger.start()]
    after = sentence[trigger.end() :]
    if trigger["modal"]:
        if _NOUN_WILL.search(before) or re.match(r"\s*(?:be\s+)?[,.;)]", after):
            return None
        return trigger.end() + len(_ADVERB.match(after)[0])  # type: ignore[index]
    if trigger["verb"] and trigger["verb"].lower() in {"commitment", "intention", "determination",
                                                       "resolve", "readiness", "willingness"}:
        if not _POSSESSIVE.search(before):
            return None  # "a commitment to …" said of no one
    elif trigger["verb"] and _DETERMINER.search(before):
        return None  # a noun: "the plan to", "an offer to"
    start = trigger.end() + len(_ADVERB.match(after)[0])  # type: ignore[index]
    word = re.match(r"[\w-]+", sentence[start:])
    if word is None:
        return None
    verb = word[0].lower()
    prep = (trigger["prep"] or "to").lower()
    if prep == "that":
        inner = re.search(r"\b(?:will|shall|would|should)\b", sentence[start:])
        return None if inner is None else start + inner.end() + 1
    if prep == "on":
        return start if verb.endswith("ing") else None
    if verb in _VERBS or (verb.endswith("ing") and verb[:-3] in _VERBS | {"work", "achiev"}):
        return start
    if verb.endswith("ing") and trigger["verb"] and "committed" in trigger["verb"].lower():
        return start
    return None


def _clause_before(sentence: str, end: int) -> str:
    """Return the text of the trigger's clause before it: after the last semicolon."""
    return re.split(r";", sentence[:end])[-1]


def _undertaker(left: str, action: str, context: Context, last: str) -> str:
    """Return who undertakes what follows `left`, or "" when no actor does."""
    report = _REPORT.search(left)
    if report is not None and _is_report(report):
        if report["view"] is not None:
            return ""  # "noted that …", "hoped that the US will …"
        inner = _subject(report["rest"], action, context, last)  # "confirmed that the EU"
        return inner or _subject(left[: report.start()], action, context, last)
    return _subject(left, action, context, last)


def _is_report(report: re.Match[str]) -> bool:
    """Whether a reporting verb introduces the clause (`rest` is its subject)."""
    rest = report["rest"]
    if _THAT.match(rest + " "):
        return True
    return bool(rest.strip()) and report["undertaking"] in ("said", "says", "stated", "state")


def _subject(left: str, action: str, context: Context, last: str) -> str:
    """Return the actor that is the subject of the clause ending `left`: the words right
    before the trigger, else the clause's first actor ("X did this and will do that")."""
    near = (_STRIP.sub("", left) or left.rstrip())[-300:]
    groups = _groups(near, context, last)
    if groups and groups[-1][1] >= len(near.rstrip()) and _subject_at(near, groups[-1][0]):
        return groups[-1][2]
    body = _BODY.search(near)
    if body is not None and _subject_at(near, body.start()):
        return re.sub(r"^the\s+", "", body[0].strip(), flags=re.I)
    if _EVENT_VERB.match(action) and _EVENT.search(near[-120:]):
        return context.together  # "the next Summit will take place …"
    clause = re.split(r"\b(?:that|which|who)\b", near)[-1]
    offset = len(near) - len(clause)
    for start, _, who in _groups(clause, context, last):
        if start < 120 and _subject_at(near, offset + start):
            return who
    return ""


def _subject_at(text: str, start: int) -> bool:
    """Whether words starting at `start` can be a subject: not after a preposition."""
    return not _PREPOSITION.search(text[:start])


def _groups(text: str, context: Context, last: str) -> list[tuple[int, int, str]]:
    """Return (start, end, who) for each subject `text` names: actors joined by "and" or
    commas ("Japan and the EU", "The Ambassador and the Commissioner") make one."""
    groups: list[tuple[int, int, list[str]]] = []
    for start, who, end in _spans(text, context, last):
        gap = text[groups[-1][1] : start] if groups else ""
        if groups and re.fullmatch(r"\s*(?:,|and|,\s*and|&)\s*(?:the\s+)?", gap, re.I):
            groups[-1] = (groups[-1][0], end, [*groups[-1][2], who])
        else:
            groups.append((start, end, [who]))
    return [(start, end, who) for start, end, whos in groups if (who := _together(whos, context))]


def _spans(text: str, context: Context, last: str) -> list[tuple[int, str, int]]:
    """Return (start, who, end) for each actor `text` names, in order."""
    spans: list[tuple[int, str, int]] = []
    for start, end, party in known_parties().find(text):
        if re.match(r"\s*['’]", text[end:]) or re.match(r"\s+[A-Z][a-z]", text[end:]):
            continue  # "Japan's concerns", "the EU Critical Raw Materials Act"
        spans.append((start, party, end))
    for m in _COLLECTIVE.finditer(text):
        spans.append((m.start(), context.together, m.end()))
    for m in _ROLES.finditer(text):
        spans.append((m.start(), _side_of(m["who"] or "", m["role"], context), m.end()))
    folded = fold(text)
    for person in context.people:
        key = fold(person.family_name)
        for m in re.finditer(rf"(?<![\w-]){re.escape(key)}(?![\w-])", folded):
            if not any(s <= m.start() < e for s, _, e in spans):
                spans.append((m.start(), person.side, m.end()))
    for m in _PRONOUN.finditer(text):
        spans.append((m.start(), last, m.end()))
    spans.sort()
    kept: list[tuple[int, str, int]] = []
    for span in spans:  # the longest of overlapping names
        if kept and span[0] < kept[-1][2]:
            if span[2] > kept[-1][2]:
                kept[-1] = (kept[-1][0], span[1], span[2])
            continue
        kept.append(span)
    return kept


def _side_of(name: str, role: str, context: Context) -> str:
    """Return the side of "Minister Akazawa" or "the Commissioner": the person of that
    family name, else the one person with that role, else the role's usual side."""
    if name:
        for person in context.people:
            if fold(person.family_name) == fold(name):
                return person.side
    role = " ".join(role.split())
    holders = {p.side for p in context.people if role.lower() in p.role.lower() and p.side}
    if len(holders) == 1:
        return holders.pop()
    if role in ("Commissioner", "Executive Vice-President", "Vice-President",
                "High Representative"):  # fmt: skip
        return HOME
    return ""


def _together(sides: list[str], context: Context) -> str:
    """Return who several actors are: one side, or all of them together."""
    unique = list(dict.fromkeys(sides))
    if "" in unique:  # someone the statement does not place: another side than the rest
        unique = [s for s in unique if s] + ([""] if len(sides) > 1 else [])
        if unique == [""]:
            return ""
    if len(unique) == 1:
        return unique[0]
    if context.together in unique or (len(unique) >= 2 and set(unique) >= set(context.parties)):
        return context.together
    if len(unique) == 2 and len(context.parties) <= 2:
        return BOTH
    return ", ".join(unique)
