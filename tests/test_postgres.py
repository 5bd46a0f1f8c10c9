"""A team library on PostgreSQL: the same store and library on a throwaway cluster
(tests/pg.py), opened by URL, migrated by the same Alembic history as SQLite."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import docx
import psycopg
import pytest
from pg import PASSWORD, SUPERUSER, Cluster, database_of
from pypdf import PdfReader
from readout import PARAGRAPHS, write_all
from sqlalchemy import inspect

from briefing.items import ItemData
from briefing.library import Library
from db import Store, StoreError
from db.store import CORE_TABLES, SCHEMA_HEAD, TABLES, resolve_target


def test_an_empty_database_gets_the_schema_on_first_open(pg_cluster: Cluster) -> None:
    url = pg_cluster.new_database(library=False)
    try:
        with Store(url) as store:
            assert store.revision() == SCHEMA_HEAD
            with store.engine.connect() as conn:
                tables = set(inspect(conn).get_table_names())
            assert CORE_TABLES < tables <= TABLES
            assert "***" in store.name and "test-secret" not in store.name
    finally:
        pg_cluster.drop_database(url)


def test_postgresql_urls_are_driven_by_psycopg() -> None:
    assert resolve_target("postgresql://ann@db.example/briefs").startswith(
        "postgresql+psycopg://ann@db.example/briefs")
    url = "postgresql+psycopg://ann:pw@db.example:5433/briefs"
    assert resolve_target(url) == url


def test_a_wrong_password_or_a_server_that_is_not_there_is_one_line(
    pg_cluster: Cluster, pg_url: str
) -> None:
    with pytest.raises(StoreError) as wrong:
        Library(pg_url.replace("test-secret", "guess"))
    message = str(wrong.value)
    assert "password authentication failed" in message and "\n" not in message
    assert "guess" not in message
    with pytest.raises(StoreError, match="cannot open library"):
        Library(pg_url.replace(str(pg_cluster.root), "/nonexistent"))


def test_the_demo_loads_and_reads_back(pg_url: str) -> None:
    with Library(pg_url) as library:
        library.load_demo()
        [source] = library.sources()
        assert source.passages > 10
        assert library.location.startswith("postgresql+psycopg://briefing_admin:***@/")
    with Library(pg_url) as again:  # a current store opens without migrating
        assert [s.id for s in again.sources()] == [source.id]


def test_a_server_gone_mid_session_is_one_line_and_the_save_works_when_it_returns(
    pg_cluster: Cluster, pg_url: str
) -> None:
    with Library(pg_url) as library:
        item = library.create_item(ItemData(title="Line", body="Before."))
        mine = replace(library.item(item), body="My unsaved text.")
        pg_cluster.stop_server()
        try:
            for attempt in (lambda: library.update_item(mine), library.items):
                with pytest.raises(StoreError) as gone:
                    attempt()
                assert "\n" not in str(gone.value) and "SELECT" not in str(gone.value)
                assert str(gone.value).startswith(("could not save (", "could not read the"))
        finally:
            pg_cluster.start_server()
        library.update_item(mine)  # the same save again, once the server is back
        assert library.item(item).body == "My unsaved text."


def test_import_pack_and_export_read_the_same_on_both_engines(
    tmp_path: Path, pg_url: str
) -> None:
    """Four formats of one readout, a pack on it and its PDF and Word: the same on both."""
    folder = tmp_path / "readout"
    folder.mkdir()
    files = write_all(folder)
    seen = []
    for target in (str(tmp_path / "laptop.sqlite"), pg_url):
        with Library(target) as library:
            results = library.import_paths(files)
            pack = library.new_pack("Call brief", meeting="Ministers' call", date=None,
                                     marking="OFFICIAL", topics=["steel", "coercion"])  # fmt: skip
            pdf = library.export(pack, tmp_path / "pack.pdf")
            word = library.export(pack, tmp_path / "pack.docx")
            seen.append((
                [(r.status, r.passages) for r in results],
                [s.formats for s in library.sources()],
                [[e.label for e in s.entries] for s in library.pack_outline(pack).sections],
                PdfReader(pdf).pages[1].extract_text(),
                [p.text for p in docx.Document(str(word)).paragraphs],
            ))  # fmt: skip
    assert seen[0] == seen[1]
    assert [status for status, _ in seen[0][0]] == ["imported"] + ["same document"] * 3
    assert seen[0][1] == [("md", "html", "docx", "pdf")]
    assert any(PARAGRAPHS[1][:40] in label for s in seen[0][2] for label in s)


def test_another_programs_database_is_refused_and_untouched(pg_cluster: Cluster) -> None:
    url = pg_cluster.new_database(library=False)
    with psycopg.connect(**_connect_args(pg_cluster, url)) as con:
        con.execute("CREATE TABLE invoices (id integer PRIMARY KEY)")
    try:
        with pytest.raises(StoreError, match="not a Briefing library"):
            Store(url)
        with psycopg.connect(**_connect_args(pg_cluster, url)) as con:
            tables = con.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            assert [t for (t,) in tables] == ["invoices"]
    finally:
        pg_cluster.drop_database(url)


def _connect_args(cluster: Cluster, url: str) -> dict[str, str]:
    return {"host": str(cluster.root), "dbname": database_of(url), "user": SUPERUSER,
            "password": PASSWORD}  # fmt: skip
