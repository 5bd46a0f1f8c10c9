"""The commitments ledger: found on import, measured, kept, listed, edited, and shown in
packs (Open commitments) and in the changes annex."""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.cli import main
from briefing.commitments import extract as extract_module
from briefing.commitments.due import find_due
from briefing.commitments.extract import Context, commitment_in, extract, statement_context
from briefing.errors import Conflict, InputError
from briefing.library import Library
from briefing.parties import counterpart_of

JAPAN_EU = Context(date(2026, 5, 7), ("Japan", "EU"))


def run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


# -- found on import ---------------------------------------------------------------------


def test_the_demo_statement_yields_its_commitments(demo_library: Library) -> None:
    found = demo_library.commitments()
    texts = [c.text for c in found]
    assert any("both sides concurred to continue discussions" in t for t in texts)
    assert any("they will further build up cooperation and discussions towards the next "
               "Japan-EU Summit" in t for t in texts)  # fmt: skip
    assert not any("expressed their concerns" in t or "expressed their serious concerns" in t
                   for t in texts)  # fmt: skip
    assert not any("This cooperation will encompass" in t for t in texts)
    steel = next(c for c in found if "concurred to continue discussions" in c.text)
    assert steel.who == "both" and steel.status == "open" and steel.due is None
    assert steel.what.startswith("continue discussions, in consideration of")
    assert steel.paragraph == 14 and steel.source == "7th Japan-EU High-Level Economic Dialogue"
    assert "Steel and overcapacity" in steel.topics
    assert {c.who for c in found} == {"both"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Both sides exchanged views on the situation in the Middle East.",
        "They expressed their concerns over all forms of economic coercion.",
        "Ministers welcomed the progress achieved under the Competitiveness Alliance.",
        "Ministers noted that global steel overcapacity will exceed 600 million tonnes by 2027.",
        "The EU stressed that it will not accept the circumvention of its trade defence measures.",
        "The Commissioner hoped that Japan will lift the remaining restrictions soon.",
        "They shared the view that international standards will play a key role.",
        "We reaffirm our commitment to free and fair trade.",
        "This cooperation will encompass joint work on technology transfer risk assessment.",
        "The two principals agreed that the relationship remains essential.",
        "Ministers agreed on the importance of a functioning WTO.",
        "We welcome the plan to build a new platform.",
        "Both sides lack the political will to reopen the agreement.",
        "On 7 May 2026, Japan and the EU held their 7th High-Level Economic Dialogue.",
        "The EU and Japan look forward to a productive meeting.",
    ],
)
def test_look_alikes_are_not_commitments(sentence: str) -> None:
    assert commitment_in(sentence, 0, JAPAN_EU) is None


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("The EU undertook to keep Japan informed of its steel measures.", "EU"),
        ("Japan offered to host the next meeting in Tokyo.", "Japan"),
        ("Both sides will hold a workshop on critical minerals.", "both"),
        ("Japan and the EU will deepen cooperation on research security.", "both"),
        ("Ministers agreed to launch a dialogue on export controls.", "both"),
        ("The Commissioner confirmed that the EU will hold consultations with Japan.", "EU"),
        ("The Working Group will present a joint assessment.", "Working Group"),
        ("The next meeting will be held in Tokyo in 2027.", "both"),
    ],
)
def test_who_undertakes_it(sentence: str, who: str) -> None:
    found = commitment_in(sentence, 0, JAPAN_EU)
    assert found is not None and found.who == who


def test_a_plurilateral_we_is_the_group() -> None:
    context = statement_context("G7 Trade Ministers' Statement", "", date(2027, 4, 22), (), ())
    found = commitment_in("We will work together to address overcapacity.", 0, context)
    assert found is not None and found.who == "G7"


@pytest.mark.parametrize(
    ("words", "start", "end"),
    [
        ("by the end of 2027", date(2026, 5, 7), date(2027, 12, 31)),
        ("before the end of September 2027", date(2026, 5, 7), date(2027, 9, 30)),
        ("in the second half of 2027", date(2027, 7, 1), date(2027, 12, 31)),
        ("within the year", date(2026, 5, 7), date(2026, 12, 31)),
        ("within 90 days", date(2026, 5, 7), date(2026, 8, 5)),
        ("by mid-2027", date(2026, 5, 7), date(2027, 6, 30)),
        ("by 30 June 2027", date(2026, 5, 7), date(2027, 6, 30)),
        ("in the first quarter of 2028", date(2028, 1, 1), date(2028, 3, 31)),
    ],
)
def test_due_dates_are_ranges(words: str, start: date, end: date) -> None:
    due = find_due(f"Both sides will conclude the talks {words}.", date(2026, 5, 7))
    assert due is not None and (due.start, due.end, due.text) == (start, end, words)


def test_a_date_looking_back_is_no_due_date() -> None:
    text = "They will build on the Alliance established at the Summit in July 2025."
    assert find_due(text, date(2026, 5, 7)) is None


def test_counterpart_from_the_meeting_name() -> None:
    assert counterpart_of("8th Japan–EU HLED") == "Japan"
    assert counterpart_of("EU-US Trade and Technology Council") == "US"
    assert counterpart_of("G7 Trade Ministers' Meeting") == "G7"
    assert counterpart_of("Steel roundtable") == ""


def test_odd_text_never_stops_an_import(empty_library: Library) -> None:
    flattened = "Steel | 12.5 | will | agreed to. | Mr. X | " * 25_000  # a 1 MB table as text
    text = f"# Joint statement of the EU-Japan dialogue\n\n{flattened}\n\nBoth sides will meet."
    result = empty_library.import_text(text, "odd.md")
    assert result.status == "imported"
    assert any(c.text == "Both sides will meet." for c in empty_library.commitments())


def test_a_splitter_failure_passes_the_paragraph_over(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> list[str]:
        if "broken" in text:
            raise RuntimeError("splitter bug")
        return [text]

    monkeypatch.setattr(extract_module, "sentences", broken)
    found = extract(["Both sides will meet; broken.", "Japan will host it."], JAPAN_EU)
    assert [(i, f.who) for i, f in found] == [(1, "Japan")]


# -- the ledger --------------------------------------------------------------------------


def test_status_changes_persist(demo_library: Library) -> None:
    first = demo_library.commitments()[0]
    edited = demo_library.edit_commitment(first.id, status="done", owner="J. Smith",
                                          note="Done at the June meeting")  # fmt: skip
    demo_library.edit_commitment(first.id, note="Minute filed <ref> & sent")
    path = demo_library.location
    demo_library.close()
    with Library(path) as again:
        stored = next(c for c in again.commitments() if c.id == first.id)
        assert stored.status == "done" and stored.owner == "J. Smith"
        lines = stored.notes.splitlines()
        assert lines[0].endswith(": Done at the June meeting")
        assert lines[1].endswith(": Minute filed <ref> & sent")
        assert [c.id for c in again.commitments(status="done")] == [first.id]
        with pytest.raises(Conflict):  # a save from the version before the edits
            again.edit_commitment(first.id, status="open", version=edited.version - 1)
        assert next(c for c in again.commitments() if c.id == first.id).status == "done"


def test_overdue_when_past_its_date_and_still_open(empty_library: Library) -> None:
    text = ("# Joint statement of the 3rd Japan-EU dialogue\n\n1 March 2020\n\n"
            "Japan will publish its roadmap by the end of 2020.\n\n"
            "The EU will publish its roadmap by the end of 2099.")  # fmt: skip
    assert empty_library.import_text(text, "old.md").status == "imported"
    late, later = empty_library.commitments()
    assert (late.who, late.due, late.status) == ("Japan", date(2020, 12, 31), "overdue")
    assert later.status == "open"
    assert [c.id for c in empty_library.commitments(status="overdue")] == [late.id]
    empty_library.edit_commitment(late.id, status="done")
    assert empty_library.commitments(status="overdue") == []
    with pytest.raises(InputError, match="overdue is not set"):
        empty_library.edit_commitment(later.id, status="overdue")


def test_filters(demo_library: Library) -> None:
    everything = demo_library.commitments()
    assert demo_library.commitments(counterpart="Japan") == everything
    assert demo_library.commitments(counterpart="US") == []
    steel = demo_library.commitments(topic="steel")
    assert steel and all("Steel and overcapacity" in c.topics for c in steel)
    assert len(steel) < len(everything)


def test_a_library_from_before_the_ledger_is_read_when_opened(
    demo_store_file: Path, tmp_path: Path
) -> None:
    from alembic import command

    from db.store import alembic_config

    path = tmp_path / "older.sqlite"
    path.write_bytes(demo_store_file.read_bytes())
    command.downgrade(alembic_config(f"sqlite:///{path}"), "0008")  # as 0008 made it
    with sqlite3.connect(path) as con:
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
    assert "commitment" not in tables
    with Library(path) as library:  # upgraded to 0009, then its sources read
        found = library.commitments()
        assert len(found) == 10 and found[0].status == "open"
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT commitments_read FROM source").fetchall() == [(1,)]


def test_deleting_a_source_takes_its_commitments_and_undo_brings_them_back(
    demo_library: Library,
) -> None:
    first = demo_library.commitments()[0]
    demo_library.edit_commitment(first.id, status="dropped", note="Overtaken")
    deleted = demo_library.delete_source(first.source_id, force=True)
    assert demo_library.commitments() == []
    demo_library.restore(deleted)
    back = next(c for c in demo_library.commitments() if c.id == first.id)
    assert back.status == "dropped" and back.notes.endswith("Overtaken")


# -- the command line ----------------------------------------------------------------------


def test_commitments_as_json(demo_library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    db = Path(demo_library.location)
    code, out, _ = run(db, capsys, "commitments", "--counterpart", "Japan", "--topic", "steel",
                       "--json")  # fmt: skip
    assert code == 0
    rows = json.loads(out)
    shape = {"text", "who", "due", "status", "source", "paragraph", "topics"}
    assert rows and all(shape <= set(row) for row in rows)
    steel = next(r for r in rows if "concurred to continue" in r["text"])
    assert steel["due"] is None and steel["status"] == "open" and steel["paragraph"] == 14
    assert steel["source"] == "7th Japan-EU High-Level Economic Dialogue"
    assert "Steel and overcapacity" in steel["topics"]


def test_commitment_edit_from_the_command_line(
    demo_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Path(demo_library.location)
    number = demo_library.commitments()[0].id
    code, out, _ = run(db, capsys, "commitment", "edit", str(number), "--status", "done",
                       "--note", "Raised at the call", "--due", "2027-01-31")  # fmt: skip
    assert code == 0 and " done " in out and "by 2027-01-31" in out
    code, out, _ = run(db, capsys, "commitments", "--status", "done", "--json")
    [row] = json.loads(out)
    assert row["id"] == number and row["due"] == "2027-01-31"
    assert row["notes"].endswith(": Raised at the call")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("commitment", "edit", "999", "--status", "done"), "no commitment 999"),
        (("commitment", "edit", "1", "--status", "finished"), 'no status "finished"'),
        (("commitment", "edit", "1"), "nothing to change"),
        (("commitments", "--status", "late"), 'no status "late"'),
        (("commitments", "--topic", "nonsense"), 'no topic "nonsense"'),
    ],
)
def test_bad_input_says_so_in_one_line(
    demo_library: Library, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], says: str
) -> None:
    before = demo_library.commitments()
    code, out, err = run(Path(demo_library.location), capsys, *args)
    assert code == 1 and not out
    assert err.startswith("briefing: error: ") and says in err and err.count("\n") == 1
    assert demo_library.commitments() == before


# -- in packs ------------------------------------------------------------------------------


def japan_pack(library: Library, meeting: str = "8th Japan–EU HLED") -> int:
    return library.new_pack("Brief", meeting=meeting, date=date(2027, 6, 1),
                            marking="OFFICIAL", topics=["steel"])  # fmt: skip


def test_open_commitments_in_pdf_and_word(demo_library: Library, tmp_path: Path) -> None:
    pack = japan_pack(demo_library)
    late = demo_library.commitments()[0]
    demo_library.edit_commitment(late.id, due=date(2020, 1, 31))  # overdue
    done = demo_library.commitments(topic="steel")[0]
    demo_library.edit_commitment(done.id, status="done")
    word = demo_library.export(pack, tmp_path / "pack.docx")
    table = next(t for t in docx.Document(str(word)).tables
                 if t.rows[0].cells[0].text == "Who")  # fmt: skip
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["Who", "What", "By when", "Status", "Source"]
    assert len(rows) == 1 + 9  # the ten less the one done
    # "reinforce it" alone says nothing: a clause that short shows its whole sentence
    assert late.what == "reinforce it"
    assert rows[1][:4] == ["both", late.text, "31 January 2020", "OVERDUE"]
    source = "7th Japan-EU High-Level Economic Dialogue, 7 May 2026"
    assert rows[1][4] == f"{source}, para {late.paragraph}"
    assert all(r[3] == "Open" for r in rows[2:])
    assert not any(done.what == r[1] for r in rows)
    document = docx.Document(str(word))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "3 Open commitments" in headings  # after the topic sections

    pdf = demo_library.export(pack, tmp_path / "pack.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    words = " ".join(text.split("\n3 Open commitments\n")[-1].split())  # cells wrap
    assert words.startswith("Who What By when Status Source both During the Dialogue, both sides"
                            " appreciated their long-standing strategic relationship and shared"
                            " their commitment to further reinforce it. 31 January 2020 OVERDUE"
                            " 7th Japan-EU High-Level Economic Dialogue, 7 May 2026, para 4 both")
    assert words.count("Open ") == 8


def test_no_section_without_a_counterpart_unless_chosen(
    demo_library: Library, tmp_path: Path
) -> None:
    pack = japan_pack(demo_library, meeting="Steel roundtable")
    outline = demo_library.pack_outline(pack)
    assert outline.counterpart == ""

    def headings() -> list[str]:
        word = demo_library.export(pack, tmp_path / "pack.docx")
        return [p.text.split(" ", 1)[1] for p in docx.Document(str(word)).paragraphs
                if p.style.name == "Heading 1"]  # fmt: skip

    assert "Open commitments" not in headings()
    chosen = demo_library.edit_pack(pack, counterpart="japan")
    assert (chosen.counterpart, chosen.counterpart_set) == ("Japan", True)
    assert "Open commitments" in headings()
    assert demo_library.edit_pack(pack, counterpart="none").counterpart == ""
    assert "Open commitments" not in headings()


def test_commitments_made_since_the_last_meeting_in_the_changes_annex(
    demo_library: Library, tmp_path: Path
) -> None:
    old = japan_pack(demo_library, meeting="7th Japan–EU HLED")
    demo_library.edit_pack(old, date=date(2026, 5, 7))
    assert demo_library.issue_revision(old) == 1
    new = demo_library.next_pack(old, meeting="8th Japan–EU HLED", date=date(2027, 6, 1))
    text = ("# Readout of the Japan-EU ministerial call\n\n10 February 2027\n\n"
            "The Commissioner confirmed that the EU will hold technical consultations with "
            "Japan before the end of March 2027.")  # fmt: skip
    assert demo_library.import_text(text, "call.md").status == "imported"
    word = demo_library.export(new, tmp_path / "next.docx", changes_since="last-meeting")
    document = docx.Document(str(word))
    words = "\n".join(p.text for p in document.paragraphs)
    annex = words.rsplit("Annex A: ", 1)[1]
    assert "Commitments made since 7 May 2026" in annex
    since = document.tables[-1]
    rows = [[c.text for c in r.cells] for r in since.rows]
    assert rows[0][0] == "Who" and len(rows) == 2
    assert rows[1][:3] == ["EU", "hold technical consultations with Japan before the end of "
                           "March 2027", "31 March 2027"]  # fmt: skip

    assert demo_library.issue_revision(new) == 1  # a revision's changes annex says it too
    word = demo_library.export(new, tmp_path / "since-1.docx", changes_since=1)
    document = docx.Document(str(word))
    annex = "\n".join(p.text for p in document.paragraphs).rsplit("Annex A: ", 1)[1]
    assert annex.startswith("Changes since revision 1")
    assert "Commitments made since 7 May 2026" in annex
    assert document.tables[-1].rows[1].cells[0].text == "EU"


def test_a_shared_copy_leaves_out_commitments_marked_above_it(demo_library: Library) -> None:
    from briefing.assemble import assemble
    from briefing.markings import load_scheme
    from briefing.sanitise import sanitise

    pack = japan_pack(demo_library)
    demo_library.edit_pack(pack, marking="SECRET")
    text = ("# Readout of the Japan-EU ministerial call\n\n10 February 2027\n\n"
            "Japan will publish its roadmap by the end of 2027.")  # fmt: skip
    result = demo_library.import_text(text, "call.md")
    assert result.status == "imported" and result.source_id is not None
    demo_library.edit_source(result.source_id, marking="SECRET")
    with demo_library.store.session() as session:
        document, scheme = assemble(session, pack), load_scheme(session)
    tables = [b for b in document.blocks if getattr(b, "origin", None) == "commitments"]
    assert sorted(t.marking for t in tables) == ["OFFICIAL", "SECRET"]  # one per marking
    copy, withheld = sanitise(document, "OFFICIAL", scheme)
    kept = [b for b in copy.blocks if getattr(b, "origin", None) == "commitments"]
    assert len(kept) == 1 and all(r[0] != "Japan" for r in kept[0].rows)
    assert any(w.origin == "commitments" for w in withheld)
    demo_library.edit_source(1, marking="SECRET")
    with demo_library.store.session() as session:
        copy, _ = sanitise(assemble(session, pack), "OFFICIAL", scheme)
    assert not any(getattr(b, "text", "") == "Open commitments" for b in copy.blocks)


WORDS = ["will", "agreed to", "committed to", "both sides", "the EU", "Japan", "that", "by",
         "the end of", "2027", "June", "within", "90 days", "Mr.", "offered to host", ",", ".",
         ";", "noted", "Minister", "Commissioner", "they", "be held", "'s", "(", "—", "\n"]
FRAGMENTS = st.lists(st.sampled_from(WORDS) | st.text(max_size=12), max_size=40)


@given(st.lists(FRAGMENTS.map(" ".join), max_size=5))
@settings(max_examples=300, deadline=None)
def test_any_text_reads_without_error(paragraphs: list[str]) -> None:
    """The rules meet no error on odd text (`extract` would log one and pass the paragraph
    over, so the log is where a failure shows)."""
    failures: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = failures.append  # type: ignore[method-assign]
    extract_module.log.addHandler(handler)
    try:
        for _, found in extract(paragraphs, JAPAN_EU):
            assert found.sentence and found.who
    finally:
        extract_module.log.removeHandler(handler)
    assert failures == []
