"""Writes announce what they changed; changes made elsewhere are found by polling; long
retags leave other writers room; a locked library is a message, never SQL."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from briefing.changes import Changes
from briefing.errors import Conflict
from briefing.items import ItemData
from briefing.library import Library
from briefing.tagging import TopicChange
from db import StoreError


def listen(library: Library) -> list[Changes]:
    heard: list[Changes] = []
    library.subscribe(heard.append)
    return heard


def test_writes_announce_the_rows_they_changed(demo_library: Library) -> None:
    heard = listen(demo_library)
    item_id = demo_library.create_item(ItemData(title="Note on gallium", body="Export curbs."))
    assert heard[-1].items == {item_id} and not heard[-1].packs
    pack = demo_library.new_pack(
        "Brief", meeting="M", date=None, marking="OFFICIAL", topics=["steel"]
    )
    assert pack in heard[-1].packs
    section = demo_library.pack_outline(pack).sections[0]
    demo_library.rename_section(section.id, "Steel")
    assert heard[-1] == Changes(packs=frozenset({pack}))
    demo_library.edit_topic("steel", TopicChange(add_match=["ferrous"]))
    assert heard[-1].topics
    count = len(heard)
    demo_library.library_view()  # reads announce nothing
    assert len(heard) == count


def test_changes_made_elsewhere_are_found_once(demo_library: Library, tmp_path: Path) -> None:
    path = demo_library.store.path
    assert path is not None
    heard = listen(demo_library)
    assert not demo_library.poll()  # nothing happened yet
    demo_library.create_item(ItemData(title="Mine"))
    assert not demo_library.poll()  # this library's own write is no news
    with Library(path) as other:
        other.create_item(ItemData(title="Theirs"))
    assert demo_library.poll().elsewhere and heard[-1].elsewhere
    assert not demo_library.poll()


def test_a_save_from_an_old_version_is_refused_with_the_stored_text(
    demo_library: Library,
) -> None:
    [first, *_] = demo_library.items()
    mine = demo_library.item(first.id)
    theirs = demo_library.update_item(ItemData(**{**mine.__dict__, "body": "Saved first"}))
    assert theirs.version == mine.version + 1
    with pytest.raises(Conflict) as refused:
        demo_library.update_item(ItemData(**{**mine.__dict__, "body": "Saved from the old"}))
    assert refused.value.theirs.body == "Saved first"  # type: ignore[attr-defined]
    assert demo_library.item(first.id).body == "Saved first"


def test_a_retag_commits_in_batches_so_a_save_gets_through(
    empty_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a retag runs, another connection's write waits for one batch, not the whole."""
    import briefing.tagging as tagging

    monkeypatch.setattr(tagging, "RETAG_BATCH", 50)
    paragraphs = "\n\n".join(f"Paragraph {i} on steel overcapacity." for i in range(1500))
    (tmp_path / "long.md").write_text(f"# Long\n\n{paragraphs}", "utf-8")
    empty_library.import_paths([tmp_path / "long.md"])
    real = tagging.tag_passages
    started = threading.Event()

    def slow(session, passages):  # type: ignore[no-untyped-def]
        started.set()
        time.sleep(0.05)  # 30 batches: 1.5 s in all
        real(session, passages)

    monkeypatch.setattr(tagging, "tag_passages", slow)
    path = empty_library.store.path
    retag = threading.Thread(
        target=empty_library.edit_topic, args=("steel", TopicChange(add_match=["ferrous"]))
    )
    retag.start()
    started.wait(5)
    con = sqlite3.connect(path, timeout=2)  # far below the whole retag's length
    waited = time.monotonic()
    con.execute("INSERT INTO glossary_term(term, expansion) VALUES ('XX', 'a test')")
    con.commit()
    waited = time.monotonic() - waited
    con.close()
    retag.join()
    assert retag_batches_ran(empty_library) and waited < 0.5


def retag_batches_ran(library: Library) -> bool:
    return any(t.key == "steel" and t.passages >= 1500 for t in library.topics())


def test_a_locked_library_is_a_message_without_sql(demo_library: Library) -> None:
    path = demo_library.store.path
    blocker = sqlite3.connect(path, timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError) as refused:
            demo_library.create_item(ItemData(title="Blocked"))
    finally:
        blocker.rollback()
        blocker.close()
    message = str(refused.value)
    assert "locked" in message and "INSERT" not in message and "[SQL" not in message
