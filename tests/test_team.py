"""A team library on PostgreSQL: several people at once (versions across machines, news of
teammates' changes, who changed what), and clearance enforced by the database itself."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg
import pytest
from pg import Cluster, database_of

from briefing.changes import ELSEWHERE, Changes
from briefing.cli import main
from briefing.errors import Conflict
from briefing.items import ItemData
from briefing.library import EntryKind, Library
from briefing.outline import WITHHELD
from db.search import search

SECRET_BODY = "The sensitive line on the steel quota."


def cli(url: str, *args: str) -> int:
    return main(["--db", url, *args])


# -- several people at once ---------------------------------------------------------------


def test_a_stale_save_on_another_machine_is_refused_and_both_texts_kept(pg_url: str) -> None:
    with Library(pg_url) as mine, Library(pg_url) as theirs:
        item = mine.create_item(ItemData(title="Line", body="First text."))
        read = mine.item(item)
        theirs.update_item(ItemData(**{**theirs.item(item).__dict__, "body": "Their text."}))
        with pytest.raises(Conflict) as caught:
            mine.update_item(ItemData(**{**read.__dict__, "body": "My text."}))
        assert caught.value.theirs.body == "Their text."  # type: ignore[attr-defined]
        mine.keep_item_text(ItemData(**{**read.__dict__, "body": "My text."}), "conflict")
        assert mine.item(item).body == "Their text."
        assert [h.body for h in mine.item_history(item)] == ["My text."]


def test_teammates_changes_are_announced_and_ones_own_are_not(pg_url: str) -> None:
    with Library(pg_url) as mine, Library(pg_url) as theirs:
        heard: list[Changes] = []
        mine.subscribe(heard.append)
        assert mine.poll() == Changes()
        theirs.create_item(ItemData(title="Theirs"))
        assert polled(mine) == ELSEWHERE and heard == [ELSEWHERE]
        assert polled(mine) == Changes()  # told once
        mine.create_item(ItemData(title="Mine"))
        assert polled(mine) == Changes()


def polled(library: Library, within: float = 1.0) -> Changes:
    """Poll until news arrives or `within` seconds pass (a notification takes a moment)."""
    deadline = time.monotonic() + within
    while not (changes := library.poll()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return changes


def test_two_writers_at_once_lose_nothing(pg_url: str) -> None:
    def write(who: str) -> None:
        with Library(pg_url) as library:
            for n in range(15):
                library.create_item(ItemData(title=f"{who} {n}"))

    writers = [threading.Thread(target=write, args=(who,)) for who in ("ann", "bob")]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    with Library(pg_url) as library:
        titles = {i.title for i in library.items()}
    assert titles == {f"{who} {n}" for who in ("ann", "bob") for n in range(15)}


# -- users and clearances -------------------------------------------------------------------


@pytest.fixture
def team(pg_cluster: Cluster, pg_url: str) -> dict[str, object]:
    """A team library: the demo, one item and one source marked OFFICIAL-SENSITIVE, a pack
    holding them; ann cleared to SECRET, bob to OFFICIAL."""
    with Library(pg_url) as owner:
        owner.load_demo()
        owner.import_text("Sensitive readout\n\nThe quota talks on steel went badly.", "s.txt")
        source = max(s.id for s in owner.sources())
        owner.edit_source(source, marking="OFFICIAL-SENSITIVE")
        item = owner.create_item(ItemData(title="Quota line", body=SECRET_BODY,
                                          marking="OFFICIAL-SENSITIVE"))  # fmt: skip
        pack = owner.new_pack("Steel talks", meeting="Call", date=None, marking="SECRET",
                              topics=["steel"])  # fmt: skip
        entries = [e for s in owner.pack_outline(pack).sections for e in s.entries]
        assert (EntryKind.ITEM, item) in {(e.kind, e.target_id) for e in entries}
        owner.issue_revision(pack)
        owner.add_team_user("ann", "secret", "pw-ann")
        owner.add_team_user("bob", "OFFICIAL", "pw-bob")
    return {"owner": pg_url, "ann": pg_cluster.as_user(pg_url, "ann", "pw-ann"),
            "bob": pg_cluster.as_user(pg_url, "bob", "pw-bob"), "item": item, "pack": pack,
            "source": source}  # fmt: skip


def test_the_owner_lists_and_changes_users(
    team: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(team["owner"], "team", "users") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split() for line in lines] == [
        ["briefing_admin", "(owner)"], ["ann", "SECRET"], ["bob", "OFFICIAL"]]
    assert cli(team["owner"], "team", "set-clearance", "bob", "official-sensitive") == 0
    assert capsys.readouterr().out == "bob is now cleared to OFFICIAL-SENSITIVE\n"
    with Library(team["bob"]) as bob:
        assert SECRET_BODY in bob.item(int(team["item"])).body


@pytest.mark.parametrize(("args", "message"), [
    (("team", "add-user", "carol", "--clearance", "OFFICIAL"),
     "only the library's owner (briefing_admin) can manage users"),
    (("team", "set-clearance", "bob", "SECRET"),
     "only the library's owner (briefing_admin) can manage users"),
])  # fmt: skip
def test_only_the_owner_manages_users(
    team: dict[str, str], capsys: pytest.CaptureFixture[str], args: tuple[str, ...],
    message: str,
) -> None:
    assert cli(team["bob"], *args) == 1
    assert capsys.readouterr().err == f"briefing: error: {message}\n"


def test_a_clearance_outside_the_scheme_or_a_second_add_is_one_line(
    team: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(team["owner"], "team", "add-user", "carol", "--clearance", "CONFIDENTIAL") == 1
    assert capsys.readouterr().err == (
        'briefing: error: unknown clearance "CONFIDENTIAL"; levels are: OFFICIAL,'
        " OFFICIAL-SENSITIVE, SECRET, TOP SECRET\n")
    assert cli(team["owner"], "team", "add-user", "ann", "--clearance", "OFFICIAL") == 1
    assert "ann is already a user of this library" in capsys.readouterr().err


def test_on_sqlite_there_are_no_team_users(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(str(tmp_path / "laptop.sqlite"), "team", "users") == 1
    assert capsys.readouterr().err == (
        "briefing: error: team users need a library on PostgreSQL (--db postgresql://…)\n")


def test_a_user_cleared_to_official_cannot_read_sensitive_rows_through_the_cli(
    team: dict[str, object], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bob, ann = str(team["bob"]), str(team["ann"])
    for url, sees in ((ann, True), (bob, False)):
        capsys.readouterr()
        assert cli(url, "items") == 0
        assert ("Quota line" in capsys.readouterr().out) == sees
        assert cli(url, "search", "quota") == 0
        found = capsys.readouterr().out
        assert ("went badly" in found) == sees and ("Quota line" in found) == sees
        assert cli(url, "search", '"went badly"') == 0  # a phrase, under row-level security
        assert ("[went] [badly]" in capsys.readouterr().out) == sees
        assert cli(url, "sources") == 0
        assert ("quota talks" in capsys.readouterr().out) == sees
    assert cli(bob, "pack", "show", str(team["pack"])) == 0
    assert WITHHELD in capsys.readouterr().out
    assert cli(bob, "export", str(team["pack"]), "-o", str(tmp_path / "p.pdf")) == 1
    assert capsys.readouterr().err == (
        f"briefing: error: pack {team['pack']} holds 2 entries withheld above your clearance:"
        " it cannot be exported, shared or issued as if whole\n")
    assert not (tmp_path / "p.pdf").exists()
    assert cli(ann, "export", str(team["pack"]), "-o", str(tmp_path / "p.pdf"), "--force") == 0


def test_a_user_cleared_to_official_cannot_read_sensitive_rows_through_plain_sql(
    team: dict[str, object], pg_cluster: Cluster
) -> None:
    name = database_of(str(team["owner"]))
    queries = {
        "source": "SELECT count(*) FROM source WHERE marking = 'OFFICIAL-SENSITIVE'",
        "passage": "SELECT count(*) FROM passage WHERE text LIKE '%%went badly%%'",
        "search": "SELECT count(*) FROM passage WHERE search @@ to_tsquery('simple', 'badly')",
        "matches": "SELECT count(*) FROM briefing_passage_matches("
                   "to_tsquery('simple', 'badly'), NULL, true, 0, NULL)",  # as the owner
        "item": "SELECT count(*) FROM item WHERE id = %(item)s",
        "entry": "SELECT count(*) FROM entry WHERE item_id = %(item)s",
        "revision": "SELECT count(*) FROM pack_revision",
        "history": "SELECT count(*) FROM item_history WHERE item_id = %(item)s",
    }
    with Library(str(team["owner"])) as owner:  # something in the item's history too
        owner.edit_item(int(str(team["item"])), body="A newer sensitive line.")
    seen = {}
    for user in ("ann", "bob"):
        with psycopg.connect(host=str(pg_cluster.root), dbname=name, user=user,
                             password=f"pw-{user}") as con:  # fmt: skip
            seen[user] = {k: con.execute(q, {"item": team["item"]}).fetchone()[0]  # type: ignore[index]
                          for k, q in queries.items()}  # fmt: skip
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute("UPDATE team_member SET clearance = 'TOP SECRET'")
    assert seen["ann"] == dict.fromkeys(queries, 1)
    assert seen["bob"] == dict.fromkeys(queries, 0)


def test_a_team_members_search_reads_the_search_indexes(
    team: dict[str, object], pg_cluster: Cluster
) -> None:
    """Row-level security checks `@@` row by row after the policy; a member's search asks the
    indexes through migration 0013's function instead, and finds what the CLI test finds."""
    found = {}
    for user in ("ann", "bob"):
        with psycopg.connect(host=str(pg_cluster.root), dbname=database_of(str(team["owner"])),
                             user=user, password=f"pw-{user}") as con:  # fmt: skip
            con.execute("SET enable_seqscan = off")  # read every row only where nothing else can
            found[user] = {q: {h.id for h in search(con, q, what=("passage",))}
                           for q in ("badly", '"went badly"', "quo*", '"critical min*"')}
            found[user]["in the source"] = {h.id for h in search(
                con, "badly", what=("passage",), source_id=int(str(team["source"])))}
            [(scans,)] = con.execute("SELECT seq_scan FROM pg_stat_xact_user_tables"
                                     " WHERE relname = 'passage'").fetchall()  # fmt: skip
            assert scans == 0
    [sensitive] = found["ann"]["badly"]
    assert found["ann"]['"went badly"'] == found["ann"]["in the source"] == {sensitive}
    assert found["bob"]["badly"] == found["bob"]['"went badly"'] == set()
    assert found["bob"]["in the source"] == set()
    assert found["ann"]["quo*"] - found["bob"]["quo*"] == {sensitive}
    assert found["ann"]['"critical min*"'] == found["bob"]['"critical min*"'] != set()


def test_a_member_cleared_for_everything_finds_what_the_owner_finds_in_the_same_order(
    team: dict[str, object],
) -> None:
    queries = ("steel", '"critical minerals"', "japan -steel", "quo*", '"went badly"')
    with Library(str(team["owner"])) as owner, Library(str(team["ann"])) as ann:
        for query in queries:
            theirs = ann.search(query, limit=50)
            assert theirs == owner.search(query, limit=50) and theirs, query


def test_clearance_follows_the_marking_scheme_as_the_owner_changes_it(
    team: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    """The policies rank markings by the scheme itself (migration 0013 rewrites the ranking
    whenever the scheme changes): OFFICIAL-SENSITIVE put above SECRET is hidden from ann."""
    def sees(user: str) -> bool:
        capsys.readouterr()
        assert cli(str(team[user]), "search", "badly") == 0
        return "went badly" in capsys.readouterr().out

    assert sees("ann") and not sees("bob")
    with Library(str(team["owner"])) as owner:
        owner.set_marking_scheme(["OFFICIAL", "SECRET", "OFFICIAL-SENSITIVE", "TOP SECRET"])
    assert not sees("ann") and not sees("bob")
    with Library(str(team["owner"])) as owner:
        owner.set_marking_scheme(["OFFICIAL-SENSITIVE", "OFFICIAL", "SECRET", "TOP SECRET"])
    assert sees("ann") and sees("bob")


def test_every_change_records_the_database_user(
    team: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    item = str(team["item"])
    assert cli(str(team["ann"]), "item", "edit", item, "--body", "Ann's line.") == 0
    assert cli(str(team["owner"]), "item", "edit", item, "--body", "The owner's line.") == 0
    capsys.readouterr()
    assert cli(str(team["ann"]), "item", "history", item) == 0
    history = capsys.readouterr().out
    assert " by briefing_admin (edited): Quota line\nAnn's line." in history
    assert " by ann (edited): Quota line\n" + SECRET_BODY in history
    with Library(str(team["ann"])) as ann:
        assert ann.item(int(item)).changed_by == "briefing_admin"


def test_the_app_opens_a_team_library_and_shows_withheld_entries(
    qtbot, make_window, team: dict[str, object]  # type: ignore[no-untyped-def]
) -> None:
    from ui_helpers import WAIT_MS, wait_idle

    window = make_window(str(team["bob"]))
    wait_idle(qtbot, window)
    window.workspace.open_pack(int(str(team["pack"])))
    qtbot.waitUntil(lambda: window.workspace.editor.outline is not None, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    tree = window.workspace.outline_pane.tree
    rows = [tree.topLevelItem(i).child(j).text(0) for i in range(tree.topLevelItemCount())
            for j in range(tree.topLevelItem(i).childCount())]  # fmt: skip
    assert sum(WITHHELD in row for row in rows) == 2 and len(rows) > 2
    assert window.library.location.startswith("postgresql+psycopg://bob:***@/")


def test_a_new_users_password_is_asked_and_they_log_in_with_it(
    team: dict[str, object], pg_cluster: Cluster, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "carol's secret")
    owner = str(team["owner"])
    assert cli(owner, "team", "add-user", "carol", "--clearance", "OFFICIAL", "--password") == 0
    assert capsys.readouterr().out == "carol can now open this library, cleared to OFFICIAL\n"
    with Library(pg_cluster.as_user(owner, "carol", "carol's secret")) as carol:
        assert carol.sources()


def test_only_the_owner_copies_a_team_library_whole(
    team: dict[str, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(str(team["bob"]), "store", "copy", "--to", str(tmp_path / "bob.sqlite")) == 1
    assert capsys.readouterr().err.endswith(": only the library's owner can copy it whole\n")
    assert not (tmp_path / "bob.sqlite").exists()


def test_the_app_shows_a_teammates_change_within_seconds(
    qtbot, make_window, team: dict[str, object]  # type: ignore[no-untyped-def]
) -> None:
    from ui_helpers import WAIT_MS, wait_idle

    window = make_window(str(team["owner"]))
    wait_idle(qtbot, window)
    assert cli(str(team["ann"]), "item", "edit", str(team["item"]), "--title", "Ann's title") == 0
    items = window.workspace.library_pane.items  # refreshed by the app's own poll timer
    qtbot.waitUntil(lambda: any(items.item(i).text().startswith("Ann's title")
                                for i in range(items.count())), timeout=WAIT_MS)  # fmt: skip


def test_rows_added_after_the_team_are_hidden_above_clearance_too(
    team: dict[str, object], pg_cluster: Cluster
) -> None:
    """Commitments, overrides and citations lost to a deleted source name marked content:
    plain SQL as bob (OFFICIAL) sees none of the sensitive ones; ann (SECRET) sees them."""
    from briefing.items import CitationInfo

    with Library(str(team["owner"])) as owner:
        kept = owner.import_text(
            "Sensitive statement\n\nBoth sides will resume the quota talks by the end of 2027.",
            "kept.txt",
        ).source_id
        gone = owner.import_text("Sensitive annex\n\nThe fallback quota figure.", "gone.txt")
        assert kept is not None and gone.source_id is not None
        for source in (kept, gone.source_id):
            owner.edit_source(source, marking="OFFICIAL-SENSITIVE")
        passage = owner.passages(gone.source_id)[-1]
        owner.create_item(ItemData(title="Open line", body="On the quota.", marking="OFFICIAL",
                                   citations=(CitationInfo(passage.id, "", 0, ""),)))  # fmt: skip
        owner.delete_source(gone.source_id, force=True)
        pack = int(str(team["pack"]))
        owner.record_override(pack, "export", None, owner.check(pack), by="owner")
    queries = {
        "commitment": "SELECT count(*) FROM commitment WHERE text LIKE '%%quota talks%%'",
        "override": "SELECT count(*) FROM override",
        "lost": "SELECT count(*) FROM lost_citation",
    }
    name = database_of(str(team["owner"]))
    seen = {}
    for user in ("ann", "bob"):
        with psycopg.connect(host=str(pg_cluster.root), dbname=name, user=user,
                             password=f"pw-{user}") as con:  # fmt: skip
            seen[user] = {k: con.execute(q).fetchone()[0]  # type: ignore[index]
                          for k, q in queries.items()}  # fmt: skip
    assert seen["ann"] == dict.fromkeys(queries, 1)
    assert seen["bob"] == dict.fromkeys(queries, 0)
