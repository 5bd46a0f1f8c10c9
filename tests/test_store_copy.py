"""`briefing --db SRC store copy --to DST`: a whole library from SQLite to PostgreSQL and
back loses nothing: the same rows, the same search results, the same exported text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import docx
import pytest
from pg import Cluster
from sqlalchemy import func, select

from briefing.cli import main
from briefing.library import Library
from db.models import Base


def row_counts(library: Library) -> dict[str, int]:
    with library.store.session() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) or 0
                for t in Base.metadata.sorted_tables}  # fmt: skip


def findings(library: Library) -> list[tuple[str, int, str]]:
    return [(h.kind, h.id, h.snippet) for q in ("sefcovic", '"critical minerals"', "overcap",
                                               "steel -japan", "batter*")
            for h in library.search(q, limit=100)]  # fmt: skip


def exported_text(library: Library, pack_id: int, path: Path) -> list[str]:
    library.export(pack_id, path)
    return [p.text for p in docx.Document(str(path)).paragraphs]


def revisions(library: Library, pack: int) -> list[tuple[int, datetime, int]]:
    """The pack's revisions, their times in UTC (SQLite keeps times without their zone)."""
    return [(r.number, r.issued_at.replace(tzinfo=r.issued_at.tzinfo or UTC).astimezone(UTC),
             r.entries) for r in library.revisions(pack)]  # fmt: skip


def fill(library: Library) -> int:
    library.load_demo()
    pack = library.new_pack("Japan-EU dialogue", meeting="8th HLED", date=date(2026, 12, 1),
                            marking="OFFICIAL", topics=["steel", "critical minerals"])
    library.issue_revision(pack)
    return pack


def test_a_library_goes_to_postgresql_and_back_losing_nothing(
    tmp_path: Path, pg_cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "laptop.sqlite"
    with Library(first) as library:
        pack = fill(library)
        counts, found = row_counts(library), findings(library)
        text = exported_text(library, pack, tmp_path / "first.docx")
        history = revisions(library, pack)
    server = pg_cluster.new_database(library=False)
    assert main(["--db", str(first), "store", "copy", "--to", server]) == 0
    assert "16 passages" in capsys.readouterr().out
    back = tmp_path / "back.sqlite"
    for target in (server, back):
        if target == back:
            with Library(server) as team:
                team.copy_to(back)
        with Library(target) as copy:
            assert row_counts(copy) == counts
            assert findings(copy) == found
            assert exported_text(copy, pack, tmp_path / "copy.docx") == text
            assert revisions(copy, pack) == history
    with Library(server) as team:  # new rows continue after the ids copied in
        assert team.new_pack("Next", meeting="9th HLED", date=None, marking="OFFICIAL",
                             topics=["steel"]) == pack + 1


def test_a_copy_into_a_library_holding_something_is_refused(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library(pg_url) as team:
        team.load_demo()
    with Library(tmp_path / "laptop.sqlite") as laptop:
        laptop.load_demo()
    assert main(["--db", str(tmp_path / "laptop.sqlite"), "store", "copy", "--to", pg_url]) == 1
    err = capsys.readouterr().err
    assert "not empty (it holds source rows); copy into a new library" in err
    assert err.count("\n") == 1
