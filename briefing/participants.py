"""A meeting's participants: people the library knows (matched by name, accents and case
folded) or names typed in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Meeting, Participant, Person
from db.text import fold


@dataclass(frozen=True)
class ParticipantInfo:
    """A participant as the pack shows them: the linked person's details, else as typed."""

    name: str
    role: str
    organisation: str
    side: str
    person_id: int | None


def participant_info(p: Participant) -> ParticipantInfo:
    if p.person is not None:
        person = p.person
        return ParticipantInfo(
            person.name, person.role, person.organisation, person.side, person.id
        )
    return ParticipantInfo(p.name, p.role, p.organisation, p.side, None)


def find_person(session: Session, name: str) -> Person | None:
    """Return the person called `name` (the full name, else a family name only one has)."""
    key = fold(" ".join(name.split()))
    person = session.scalar(select(Person).where(Person.key == key))
    if person is not None:
        return person
    matches = [
        p for p in session.scalars(select(Person)) if p.family_name and fold(p.family_name) == key
    ]
    return matches[0] if len(matches) == 1 else None


def set_participants(session: Session, meeting: Meeting, names: Sequence[str]) -> None:
    """Replace a meeting's participants with `names`, in order (blank names and repeats are
    dropped), linking each to the person the library knows by that name."""
    meeting.participants.clear()
    session.flush()
    seen: set[str] = set()
    for name in (" ".join(n.split()) for n in names):
        if not name or fold(name) in seen:
            continue
        seen.add(fold(name))
        person = find_person(session, name)
        meeting.participants.append(
            Participant(position=len(meeting.participants), name=name, person=person)
        )
