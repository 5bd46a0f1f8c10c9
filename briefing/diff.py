"""What changed between two Documents of a pack (two revisions, or one and the working copy).

Blocks are matched by their origin ("item:7", "passage:12", "source:3"), so an entry is the
same entry wherever it moves and whatever its words: it is added, removed, moved (another
section, or another place among the entries both keep) or changed (same origin, other
words; the words are compared with difflib). What assemble adds around the entries (the
contents, people, glossary, sources list) has no origin and is not compared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Literal

from briefing.assemble import blocks_text
from briefing.document import (
    Annex,
    Block,
    BulletList,
    Document,
    Heading,
    ListItem,
    Paragraph,
    Run,
    Sources,
)

Kind = Literal["added", "removed", "moved", "changed"]
Words = tuple[tuple[str, str], ...]  # ("=" | "-" | "+", words)
CONTEXT = 8  # words kept either side of a change in a long unchanged stretch


@dataclass(frozen=True)
class Unit:
    """One entry as a Document shows it: the blocks of one origin, in one section."""

    key: str  # its origin; "passage:12#2" for the second time the same origin shows
    section: str
    position: int  # its place among the entries of its section
    text: str

    @property
    def label(self) -> str:
        """Return e.g. 'item 7 “Steel – We call on …”'."""
        kind, _, rest = self.key.partition(":")
        number = rest.partition("#")[0]
        first = " ".join(self.text.split())
        short = first if len(first) <= 60 else first[:59].rstrip() + "…"
        return f"{kind} {number} “{short}”"


@dataclass(frozen=True)
class Change:
    kind: Kind
    unit: Unit  # the new one (the old one for a removal)
    old: Unit | None = None
    words: Words = ()  # for "changed"


@dataclass(frozen=True)
class Diff:
    old_name: str  # e.g. "revision 1 (30 November 2026)"
    new_name: str  # e.g. "the working copy"
    changes: tuple[Change, ...]

    def of(self, kind: Kind) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]


def units(document: Document) -> list[Unit]:
    """Return the entries `document` shows, in order: consecutive blocks of one origin make
    one entry; each objective of the objectives list is one."""
    groups: list[tuple[str, str, list[Block | ListItem]]] = []
    section = ""
    for block in document.blocks:
        match block:
            case Heading(level=1, origin=origin) if origin is None or origin.startswith("section:"):
                section = block.text
                continue
            case Annex(origin=str(origin)):
                groups.append((origin, "Annexes", [block]))
                continue
            case BulletList(origin=None, items=items) if all(i.origin for i in items):
                groups += [(str(i.origin), section, [i]) for i in items]
                continue
        origin = getattr(block, "origin", None)
        if origin is None:
            continue
        if groups and groups[-1][0] == origin and groups[-1][1] == section:
            groups[-1][2].append(block)
        else:
            groups.append((origin, section, [block]))
    seen: Counter[str] = Counter()
    places: Counter[str] = Counter()
    out = []
    for origin, where, blocks in groups:
        seen[origin] += 1
        key = origin if seen[origin] == 1 else f"{origin}#{seen[origin]}"
        out.append(Unit(key, where, places[where], text_of(blocks)))
        places[where] += 1
    return out


def text_of(blocks: Iterable[Block | ListItem]) -> str:
    """Return the words `blocks` show (an objective: its list item), nested ones and citation
    lines included."""

    def words(block: Block | ListItem) -> str:
        if isinstance(block, Sources):
            return block.text()
        return blocks_text([BulletList((block,)) if isinstance(block, ListItem) else block])

    return "\n".join(words(block) for block in blocks)


def compare(old: Document, new: Document, old_name: str, new_name: str) -> Diff:
    """Return what changed from `old` to `new`, in the order `new` shows its entries (then
    the removed ones, in the order `old` showed them)."""
    before = {u.key: u for u in units(old)}
    after = units(new)
    kept = {u.key for u in after} & before.keys()
    moved = _moved(list(before.values()), after, kept)
    changes: list[Change] = []
    for unit in after:
        was = before.get(unit.key)
        if was is None:
            changes.append(Change("added", unit))
            continue
        if unit.key in moved:
            changes.append(Change("moved", unit, was))
        if was.text.split() != unit.text.split():
            changes.append(Change("changed", unit, was, word_diff(was.text, unit.text)))
    changes += [Change("removed", u) for key, u in before.items() if key not in kept]
    return Diff(old_name, new_name, tuple(changes))


def _moved(before: Sequence[Unit], after: Sequence[Unit], kept: set[str]) -> set[str]:
    """Return the keys of the entries both keep that changed section, or whose place among
    the entries kept in their section changed."""
    old_section = {u.key: u.section for u in before}
    moved = {u.key for u in after if u.key in kept and old_section[u.key] != u.section}
    for section in {u.section for u in after}:
        a = [u.key for u in before if u.section == section and u.key in kept - moved]
        b = [u.key for u in after if u.section == section and u.key in kept - moved]
        same = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
        stayed = {key for m in same for key in a[m.a : m.a + m.size]}
        moved |= set(a) - stayed
    return moved


def word_diff(old: str, new: str) -> Words:
    """Return `old` → `new` word by word: ("=", kept), ("-", deleted), ("+", inserted); long
    unchanged stretches keep only a few words either side of a change."""
    a, b = old.split(), new.split()
    out: list[tuple[str, str]] = []
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            words = a[i1:i2]
            if len(words) > 3 * CONTEXT:
                head = words[:CONTEXT] if n > 0 else []
                tail = words[-CONTEXT:] if n < len(ops) - 1 else []
                words = [*head, "…", *tail]
            out.append(("=", " ".join(words)))
            continue
        if i2 > i1:
            out.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", " ".join(b[j1:j2])))
    return tuple(out)


def marked(words: Words) -> str:
    """Return a word diff as text: [-deleted-] {+inserted+}."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return " ".join(marks[op].format(text) for op, text in words)


def lines(diff: Diff) -> list[str]:
    """Return `diff` as terminal lines."""
    out = [f"Changes from {diff.old_name} to {diff.new_name}"]
    if not diff.changes:
        return [*out, "no changes"]
    signs = {"added": "+", "removed": "-", "moved": "~", "changed": "*"}
    for kind in ("added", "removed", "moved", "changed"):
        changes = diff.of(kind)
        if changes:
            out.append(f"{kind.capitalize()}:")
        for c in changes:
            out.append(f"  {signs[kind]} [{c.unit.section}] {c.unit.label}{_whence(c)}")
            if c.kind == "changed":
                out.append(f"      {marked(c.words)}")
    return out


def _whence(change: Change) -> str:
    old = change.old
    if change.kind != "moved" or old is None:
        return ""
    return f" (was {old.position + 1} in {old.section}, now {change.unit.position + 1})"


def annex(diff: Diff, letter: str, title: str) -> Annex:
    """Return `diff` as an annex: lists of the entries added, removed and moved, then each
    changed text with deleted words struck through and inserted words underlined."""
    blocks: list[Block] = []
    for kind in ("added", "removed", "moved"):
        changes = diff.of(kind)
        if changes:
            blocks.append(Heading(f"Entries {kind}", 2))
            items = [(Run(f"{c.unit.section}: ", bold=True), Run(c.unit.label + _whence(c)))
                     for c in changes]  # fmt: skip
            blocks.append(BulletList(tuple(ListItem(runs) for runs in items)))
    changed = diff.of("changed")
    if changed:
        blocks.append(Heading("Changed wording", 2))
    for c in changed:
        blocks.append(Paragraph((Run(f"{c.unit.section}: {c.unit.label}", bold=True),)))
        blocks.append(Paragraph(word_runs(c.words)))
    if not blocks:
        blocks.append(Paragraph((Run(f"No changes from {diff.old_name}.", italic=True),)))
    return Annex(letter, title, tuple(blocks))


def word_runs(words: Words) -> tuple[Run, ...]:
    runs: list[Run] = []
    for n, (op, text) in enumerate(words):
        if n:
            runs.append(Run(" "))
        runs.append(Run(text, strike=op == "-", inserted=op == "+"))
    return tuple(runs)


def with_annex(
    document: Document, annex_of: Diff, title: str, extra: Sequence[Block] = ()
) -> Document:
    """Return `document` with the changes annex last (`extra` blocks at its end)."""
    from briefing.assemble import annex_letter

    letter = annex_letter(sum(isinstance(b, Annex) for b in document.blocks))
    made = annex(annex_of, letter, title)
    made = replace(made, blocks=(*made.blocks, *extra))
    return replace(document, blocks=(*document.blocks, made))
