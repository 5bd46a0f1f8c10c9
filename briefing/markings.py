"""Protective markings: the library's scheme, checking a marking against it, the order of
markings, and the checks made before a pack is exported.

A scheme is an ordered tuple of levels, lowest first, plus the caveats allowed after a level
("SECRET UK EYES ONLY"); "" (no marking) sits below every level. The library keeps its scheme
in the tables MarkingLevel and MarkingCaveat; functions that only compare markings also take
a plain sequence of levels.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, literal, select, union_all
from sqlalchemy.orm import Session

from briefing.errors import InputError
from briefing.views import DEFAULT_SCHEME as DEFAULT_SCHEME
from briefing.views import NO_MARKING as NO_MARKING
from briefing.views import Scheme as Scheme
from briefing.views import leading
from db.models import Item, MarkingCaveat, MarkingLevel, Pack


def normalise(marking: str) -> str:
    """Return `marking` as compared and printed: trimmed, single-spaced, upper case."""
    return " ".join(marking.split()).upper()


def _scheme(scheme: Scheme | Sequence[str]) -> Scheme:
    if isinstance(scheme, Scheme):
        return scheme
    return Scheme(tuple(normalise(m) for m in scheme))


def parse_marking(scheme: Scheme | Sequence[str], text: str) -> tuple[str, tuple[str, ...]]:
    """Return the level and caveats of `text` ("", () for no marking).

    Raises InputError naming the valid markings if the level or a caveat is not the scheme's.
    """
    scheme = _scheme(scheme)
    wanted = normalise(text)
    if not wanted:
        return NO_MARKING, ()
    level = leading(scheme.levels, wanted)
    if level is None:
        raise InputError(f'unknown marking "{text.strip()}"; {scheme.describe()}')
    rest, caveats = wanted[len(level) :].strip(), []
    while rest:
        caveat = leading(scheme.caveats, rest)
        if caveat is None:
            raise InputError(f'unknown marking "{text.strip()}"; {scheme.describe()}')
        caveats.append(caveat)
        rest = rest[len(caveat) :].strip()
    return level, tuple(dict.fromkeys(caveats))


def check_marking(scheme: Scheme | Sequence[str], text: str) -> str:
    """Return `text` as the scheme writes it ("secret  uk eyes only" → "SECRET UK EYES ONLY"),
    or raise InputError listing the valid markings."""
    level, caveats = parse_marking(scheme, text)
    return " ".join((level, *caveats)) if level else NO_MARKING


def rank(marking: str, scheme: Scheme | Sequence[str] = DEFAULT_SCHEME) -> int:
    """Return the place of `marking`'s level in `scheme` (-1 for no marking).

    A marking the scheme does not know ranks above every known one, so it is never
    treated as harmless.
    """
    scheme = _scheme(scheme)
    try:
        level, _ = parse_marking(scheme, marking)
    except InputError:
        return len(scheme.levels)
    return scheme.levels.index(level) if level else -1


def exceeds(marking: str, limit: str, scheme: Scheme | Sequence[str] = DEFAULT_SCHEME) -> bool:
    """Return whether `marking` is higher than `limit` in `scheme`, or carries a caveat
    `limit` does not.

    A marking the scheme does not know cannot be compared: if either is unknown, any other
    marking than `limit` counts as higher, so it is never waved through.
    """
    scheme = _scheme(scheme)
    mine, theirs = rank(marking, scheme), rank(limit, scheme)
    unknown = len(scheme.levels)  # where `rank` puts a marking it does not know
    if mine != -1 and unknown in (mine, theirs):
        return normalise(marking) != normalise(limit)
    if mine == -1:
        return False
    extra = set(parse_marking(scheme, marking)[1]) - set(parse_marking(scheme, limit)[1])
    return mine > theirs or bool(extra)


def highest(marks: Iterable[str], scheme: Scheme | Sequence[str] = DEFAULT_SCHEME) -> str:
    """Return the highest of `marks`, with the caveats of all of them ("" if none is marked).

    A marking the scheme does not know outranks every other and is returned as written.
    """
    scheme = _scheme(scheme)
    top, caveats = -1, {}
    for mark in marks:
        try:
            level, extra = parse_marking(scheme, mark)
        except InputError:
            return normalise(mark)
        top = max(top, scheme.levels.index(level) if level else -1)
        caveats.update(dict.fromkeys(extra))
    if top == -1:
        return NO_MARKING
    return " ".join((scheme.levels[top], *caveats))


# -- the library's scheme ------------------------------------------------------


def load_scheme(session: Session) -> Scheme:
    """Return the library's marking scheme."""
    names = union_all(  # one query: it is read for every file imported
        select(literal(0).label("caveat"), MarkingLevel.rank, MarkingLevel.name),
        select(literal(1), literal(0), MarkingCaveat.name),
    ).order_by("caveat", "rank", "name")
    rows = session.execute(names).all()
    levels = tuple(name for caveat, _, name in rows if not caveat)
    caveats = tuple(name for caveat, _, name in rows if caveat)
    return Scheme(levels or DEFAULT_SCHEME, caveats)


def checked_marking(session: Session, text: str, current: str | None = None) -> str:
    """Return `text` checked against the library's scheme; a marking left as it was
    (`current`) passes even if the scheme no longer knows it."""
    if current is not None and normalise(text) == normalise(current):
        return current
    return check_marking(load_scheme(session), text)


def set_scheme(
    session: Session,
    levels: Sequence[str] | None = None,
    add_caveats: Iterable[str] = (),
    remove_caveats: Iterable[str] = (),
) -> Scheme:
    """Change the library's scheme: replace its levels (lowest first), add and remove caveats.

    Refuses to remove a level or caveat a pack or item still carries (and names them).
    """
    old = load_scheme(session)
    new_levels = old.levels if levels is None else tuple(normalise(m) for m in levels)
    if not new_levels or "" in new_levels:
        raise InputError("a marking scheme needs at least one level, none of them empty")
    if len(set(new_levels)) != len(new_levels):
        raise InputError("a level is named twice")
    dropped = {normalise(c) for c in remove_caveats}
    unknown = dropped - set(old.caveats)
    if unknown:
        raise InputError(f'no caveat "{sorted(unknown)[0]}"; caveats are: '
                         f"{', '.join(old.caveats) or 'none'}")  # fmt: skip
    caveats = [c for c in old.caveats if c not in dropped]
    caveats += [c for c in dict.fromkeys(normalise(c) for c in add_caveats) if c not in caveats]
    if "" in caveats or set(caveats) & set(new_levels):
        raise InputError("a caveat cannot be empty or the name of a level")
    _refuse_if_used(session, old, set(old.levels) - set(new_levels), dropped)
    if new_levels != old.levels:
        session.execute(delete(MarkingLevel))
        session.add_all(MarkingLevel(name=n, rank=r) for r, n in enumerate(new_levels))
    session.execute(delete(MarkingCaveat).where(MarkingCaveat.name.in_(dropped)))
    session.add_all(MarkingCaveat(name=c) for c in caveats if c not in old.caveats)
    session.flush()
    return load_scheme(session)


def _refuse_if_used(session: Session, scheme: Scheme, levels: set[str], caveats: set[str]) -> None:
    """Raise InputError if a pack or item carries one of `levels` or `caveats`."""
    if not levels and not caveats:
        return
    users: list[str] = []
    for kind, rows in (("pack", session.scalars(select(Pack).order_by(Pack.id))),
                       ("item", session.scalars(select(Item).order_by(Item.id)))):  # fmt: skip
        for row in rows:
            try:
                level, used = parse_marking(scheme, row.marking)
            except InputError:
                continue
            if level in levels or caveats & set(used):
                users.append(f"{kind} {row.id} “{row.title}” ({row.marking})")
    if users:
        gone = ", ".join(sorted(levels | caveats))
        raise InputError(f"cannot remove {gone}: still used by {'; '.join(users)}")
