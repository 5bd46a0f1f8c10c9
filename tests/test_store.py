"""The store: creating, migrating, refusing bad files, constraints."""

from __future__ import annotations

import hashlib
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from briefing.library import Library
from db import Store, StoreError
from db.models import Entry, EntryKind, Item, Meeting, Pack, Passage, Section, Source
from db.store import (
    CORE_TABLES,
    REVISIONS,
    SCHEMA_HEAD,
    TABLES,
    alembic_config,
    resolve_target,
)


def head() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def test_the_schema_head_constant_names_the_newest_migration() -> None:
    assert head() == SCHEMA_HEAD
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert {s.revision for s in script.walk_revisions()} == REVISIONS


def test_the_table_constants_name_a_librarys_tables(tmp_path: Path) -> None:
    Store(tmp_path / "lib.sqlite").close()
    con = sqlite3.connect(tmp_path / "lib.sqlite")
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    assert names == TABLES and CORE_TABLES < TABLES


def foreign_database(path: Path, revision: str | None, *tables: str) -> Path:
    """Another program's database that happens to use Alembic too."""
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    if revision is not None:
        con.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    for table in tables:
        con.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize(("revision", "tables", "message"), [
    ("ae1027a6acf", ("customers",), "unknown schema ae1027a6acf"),
    ("ae1027a6acf", (), "unknown schema ae1027a6acf"),
    ("0001", ("customers",), "its tables are not those of a Briefing library"),
    ("0004", ("source", "passage", "customers"), "its tables are not those"),
    ("0004", ("source", "passage"), "its tables are not those"),
    (None, ("item",), "its tables are not those"),
    ("9999", ("customers",), "unknown schema 9999"),
])
def test_a_foreign_database_with_an_alembic_version_is_refused_byte_identical(
    tmp_path: Path, revision: str | None, tables: tuple[str, ...], message: str
) -> None:
    path = foreign_database(tmp_path / "other.sqlite", revision, *tables)
    before = digest(path)
    with pytest.raises(StoreError, match=f"not a Briefing library \\({message}"):
        Library(path)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_store_is_created_in_a_missing_folder_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "lib.sqlite"
    with Store(path) as store:
        assert store.revision() == head()
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    assert path.exists()


def test_store_accepts_a_url_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'url.sqlite'}"
    with Store(url) as store:
        assert store.path == tmp_path / "url.sqlite"
    monkeypatch.setenv("BRIEFING_DB", str(tmp_path / "env.sqlite"))
    assert resolve_target(None) == f"sqlite:///{tmp_path / 'env.sqlite'}"


def test_default_store_lives_in_the_user_data_folder(tmp_path: Path) -> None:
    with Store() as store:
        assert store.path is not None
        assert str(store.path).startswith(os.environ["XDG_DATA_HOME"])


def test_an_older_store_is_upgraded_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    url = f"sqlite:///{path}"
    command.upgrade(alembic_config(url), "0001")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO source (id, title, issuer, kind, place, origin, content_hash, marking,"
                " imported_at) VALUES (1, 'Old', '', 'note', '', '', 'h', '', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO passage (source_id, seq, text, runs)"
                " VALUES (1, 1, 'global ste' || char(173) || 'el overcapacity', '[]')"
            )
        )
    engine.dispose()
    with Store(path) as store:
        assert store.revision() == head()
        with store.engine.connect() as conn:
            hits = conn.execute(
                text("SELECT rowid FROM passage_fts WHERE passage_fts MATCH 'steel'")
            ).all()
        assert hits == [(1,)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, I am a text file", "not a Briefing library (not an SQLite database)"),
        (b"SQLite format 3\x00" + b"\xff" * 5000, "library file is damaged"),
    ],
)
def test_a_file_that_is_not_a_store_is_refused_and_untouched(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "x.sqlite"
    path.write_bytes(content)
    before = digest(path)
    with pytest.raises(StoreError, match=re.escape(message)):
        Store(path)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.sqlite"]


def test_another_programs_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    before = digest(path)
    with pytest.raises(StoreError, match=r"not a Briefing library \(it holds other tables"):
        Store(path)
    assert digest(path) == before


def test_a_store_from_a_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = digest(path)
    with pytest.raises(StoreError, match=r"newer version of Briefing \(schema 9999"):
        Store(path)
    assert digest(path) == before


def test_a_folder_or_an_unwritable_location_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)
    with pytest.raises(StoreError, match="cannot create folder"):
        Store("/proc/briefing-test/lib.sqlite")  # /proc refuses new folders, even to root


def test_a_read_only_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, whom permissions do not stop: stand in for the OS's answer.
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != tmp_path)
    with pytest.raises(StoreError, match="folder is read-only"):
        Store(tmp_path / "lib.sqlite")
    assert list(tmp_path.iterdir()) == []


def test_a_bad_url_is_refused() -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        Store("nosuchdialect+x://::")


def _source(store: Store, content_hash: str = "h1") -> int:
    with store.session() as session:
        source = Source(title="S", content_hash=content_hash)
        source.passages.append(Passage(seq=1, text="one"))
        session.add(source)
        session.flush()
        return source.id


def test_constraints_hold(tmp_path: Path) -> None:
    with Store(tmp_path / "c.sqlite") as store:
        _source(store)
        with pytest.raises(IntegrityError), store.session() as session:
            session.add(Source(title="again", content_hash="h1"))
        with pytest.raises(IntegrityError), store.session() as session:
            source = session.scalars(select(Source)).one()
            session.add(Passage(source=source, seq=1, text="duplicate paragraph number"))
        with pytest.raises(IntegrityError), store.session() as session:
            pack = Pack(title="P", meeting=Meeting(title="M"))
            pack.sections.append(Section(position=0, title="S"))
            session.add(pack)
            session.flush()
            passage = session.scalars(select(Passage)).one()
            item = Item(title="i")
            session.add(item)
            session.flush()
            # an entry pointing at two things at once breaks the one-target rule
            session.add(
                Entry(
                    section=pack.sections[0],
                    position=0,
                    kind=EntryKind.PASSAGE,
                    passage_id=passage.id,
                    item_id=item.id,
                )
            )


def test_deleting_a_source_removes_its_passages_and_search_rows(tmp_path: Path) -> None:
    with Store(tmp_path / "d.sqlite") as store:
        source_id = _source(store)
        with store.session() as session:
            session.delete(session.get(Source, source_id))
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM passage")).scalar() == 0
            assert (
                conn.execute(
                    text("SELECT count(*) FROM passage_fts WHERE passage_fts MATCH 'one'")
                ).scalar()
                == 0
            )


def test_a_locked_store_reports_an_error_instead_of_hanging_forever(tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite"
    with Store(path) as store:
        _source(store)
        blocker = sqlite3.connect(path, timeout=0)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            store.engine.dispose()
            with pytest.raises(Exception, match="locked"), store.session() as session:
                session.add(Source(title="x", content_hash="h2"))
        finally:
            blocker.rollback()
            blocker.close()


CREATE = """
import sys
from briefing.library import Library
print("ready", flush=True)
Library(sys.argv[1]).close()
"""


def test_a_library_killed_while_being_created_opens_or_is_absent(tmp_path: Path) -> None:
    """kill -9 at random moments of creating a new library: each time the file is either
    absent or a library that opens (and no -wal or -shm file is left without it)."""
    rng = random.Random(14)
    outcomes = []
    for attempt in range(16):
        path = tmp_path / f"lib{attempt}.sqlite"
        child = subprocess.Popen([sys.executable, "-c", CREATE, str(path)],
                                 cwd=Path(__file__).parents[1], stdout=subprocess.PIPE)  # fmt: skip
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0, 0.3))
        child.kill()
        child.wait()
        if path.exists():
            with Library(path) as library:
                assert library.topics()
            outcomes.append("opens")
        else:
            assert not list(tmp_path.glob(f"lib{attempt}.sqlite*"))
            outcomes.append("absent")
    assert "absent" in outcomes  # the kills did land during creation
    leftovers = list(tmp_path.glob(".lib*.new*"))
    for leftover in leftovers:  # what the killed creations left, made a minute old
        os.utime(leftover, (time.time() - 61, time.time() - 61))
        Store(tmp_path / f"{leftover.name.split('.')[1]}.sqlite").close()
    assert not list(tmp_path.glob(".lib*"))


def test_a_read_only_library_opens_for_reading_and_refuses_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lib.sqlite"
    note = tmp_path / "note.txt"
    note.write_text("Ministers discussed steel overcapacity.")
    with Library(path) as library:
        library.import_paths([note])
        for topic in library.topics():  # a library without topics gets none installed here
            library.remove_topic(topic.key)
    before = digest(path)
    # Tests may run as root, whom permissions do not stop: stand in for the OS's answer.
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: mode != os.W_OK and real_access(p, mode))
    with Library(path) as library:
        assert library.store.read_only
        assert library.topics() == []
        assert [s.title for s in library.sources()] == ["Ministers discussed steel overcapacity."]
        assert library.search("steel")
        with pytest.raises(StoreError, match=r"^cannot write: the library is read-only$"):
            library.add_topic("fish", "Fisheries", ["fish"], [])
        other = tmp_path / "other.txt"
        other.write_text("Export controls were raised.")
        [result] = library.import_paths([other])
        assert (result.status, result.reason) == (
            "failed", "cannot write: the library is read-only")
    assert digest(path) == before


def test_a_full_disk_while_creating_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_: object) -> None:
        raise OperationalError("CREATE TABLE", {}, sqlite3.OperationalError(
            "database or disk is full"))

    monkeypatch.setattr("db.store._upgrade", full)
    message = r"lib.sqlite: cannot create a library \(the disk is full\)$"
    with pytest.raises(StoreError, match=message):
        Store(tmp_path / "lib.sqlite")
    assert list(tmp_path.iterdir()) == []
