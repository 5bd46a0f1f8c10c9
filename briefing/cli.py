"""The `briefing` command: the whole pipeline without a display.

Errors print one line, `briefing: error: …`, and exit with status 1 (2 for usage errors).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

import templates
from briefing import __version__
from briefing.commitments.ledger import STATUSES
from briefing.diff import lines
from briefing.errors import BriefingError, InputError, log_internal_error
from briefing.ingest import SUPPORTED
from briefing.items import ItemData
from briefing.library import Library
from briefing.outline import PackOutline
from briefing.packs import PASSAGES_PER_TOPIC
from briefing.tagging import TopicChange
from db import NoSuchFolder, StoreError, default_store_path
from db.models import EntryKind, ItemKind, ItemStatus


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not a date (use YYYY-MM-DD)') from None


def day(value: date | None) -> str:
    return value.isoformat() if value else "-"


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f'"{text}" is not a positive whole number')
    return int(text)


def revision_or_meeting(text: str) -> int | str:
    if text == "last-meeting":
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'"{text}" is neither a revision number nor "last-meeting"'
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing",
        description="Build meeting briefing packs (Word and PDF) from a library of sources.",
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=f"library file or SQLAlchemy URL (default: $BRIEFING_DB or {default_store_path()})",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("init", help="create a new, empty library (and its folder) at --db PATH")
    store = sub.add_parser("store", help="copy the whole library to another store").add_subparsers(
        dest="store_command", required=True, metavar="ACTION")
    p = store.add_parser("copy", help="copy the whole library into a new, empty library (a file"
                         " or a PostgreSQL URL), SQLite and PostgreSQL either way")
    p.add_argument("--to", required=True, metavar="DST", help="the new library: path or URL")
    team = sub.add_parser("team", help="the users of a team library on PostgreSQL and their"
                          " clearances").add_subparsers(dest="team_command", required=True,
                                                        metavar="ACTION")  # fmt: skip
    p = team.add_parser("add-user", help="make NAME a user (a database login) cleared to LEVEL;"
                        " only the library's owner can")  # fmt: skip
    p.add_argument("name", metavar="NAME", help="the user's database login name")
    p.add_argument("--clearance", required=True, metavar="LEVEL",
                   help="the highest marking they may read (a level of `briefing markings`)")
    p.add_argument("--password", action="store_true", help="ask for the login's password")
    p = team.add_parser("users", help="list the library's users and their clearances")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = team.add_parser("set-clearance", help="change a user's clearance; only the owner can")
    p.add_argument("name", metavar="NAME", help="a user of the library (see `team users`)")
    p.add_argument("level", metavar="LEVEL", help="their new clearance, a level of the scheme")
    sub.add_parser(
        "demo", help="fill the library with the demo statement and items (creating it if need be)"
    )

    formats = ", ".join(sorted(f.lstrip(".") for f in SUPPORTED))
    p = sub.add_parser(
        "import",
        help=f"import documents (files or folders) in these formats: {formats}",
        epilog="Files in a folder that are not documents Briefing reads are skipped.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a file or a folder")
    p.add_argument(
        "--separate",
        action="store_true",
        help="import each file as a source of its own, even when the library holds the same"
        " document in another format",
    )

    p = sub.add_parser("sources", help="list the sources in the library")
    p.add_argument("--json", action="store_true", help="print JSON")

    source = sub.add_parser("source", help="change or delete a source").add_subparsers(
        dest="source_command", required=True, metavar="COMMAND"
    )
    p = source.add_parser("delete", help="delete a source and its passages")
    p.add_argument("source", type=positive_int, metavar="SOURCE")
    p.add_argument(
        "--force",
        action="store_true",
        help="delete it even if packs quote it or items cite it (those entries and citations go)",
    )
    p = source.add_parser("edit", help="change a source's protective marking")
    p.add_argument("source", type=positive_int, metavar="SOURCE")
    p.add_argument("--marking", required=True,
                   help='its marking ("" for none: it takes the lowest level)')  # fmt: skip

    p = sub.add_parser("markings", help="show or change the library's marking scheme")
    p.add_argument("--set-levels", nargs="+", metavar="LEVEL", help="the levels, lowest first")
    p.add_argument("--add-caveat", action="append", default=[], metavar="CAVEAT",
                   help="add a caveat (repeat for more)")  # fmt: skip
    p.add_argument("--remove-caveat", action="append", default=[], metavar="CAVEAT",
                   help="remove a caveat (repeat for more)")  # fmt: skip

    p = sub.add_parser("topics", help="list topics with passage and item counts")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("search", help="search passages, items and source titles")
    p.add_argument("query", help="words to find; all must match")
    p.add_argument("--topic", help="only results tagged with this topic")
    p.add_argument("--source", type=positive_int, metavar="ID", help="only this source")
    p.add_argument("--kind", action="append", default=[],
                   help='only sources of this kind, e.g. "joint statement" (repeat)')  # fmt: skip
    p.add_argument("--from", dest="date_from", type=parse_date, metavar="YYYY-MM-DD",
                   help="only sources dated on or after this day")  # fmt: skip
    p.add_argument("--to", dest="date_to", type=parse_date, metavar="YYYY-MM-DD",
                   help="only sources dated on or before this day")  # fmt: skip
    p.add_argument("--limit", type=positive_int, default=20, metavar="N",
                   help="show at most N results (default: 20)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print JSON")

    topic = sub.add_parser("topic", help="show, add, edit or remove a topic and its rules")
    topic_sub = topic.add_subparsers(dest="topic_command", required=True, metavar="COMMAND")
    p = topic_sub.add_parser("show", help="show a topic's match rules and aliases")
    p.add_argument("topic", help="name, key or alias")
    p = topic_sub.add_parser("add", help="add a topic; the library is tagged with it at once")
    p.add_argument("key", help="short name, e.g. semiconductors")
    p.add_argument("--name", required=True, help='display name, e.g. "Semiconductors"')
    p.add_argument(
        "--match",
        action="append",
        required=True,
        metavar="PHRASE",
        help="a phrase marking the topic; a trailing * matches word forms",
    )
    p.add_argument("--alias", action="append", default=[], metavar="NAME",
                   help="another name the topic goes by (repeat for more)")  # fmt: skip
    p = topic_sub.add_parser("edit", help="change a topic; the library is retagged at once")
    p.add_argument("topic", help="name, key or alias")
    p.add_argument("--name", help="a new display name")
    for flag in ("add-match", "remove-match", "add-alias", "remove-alias"):
        verb, what = flag.split("-")
        what = "match phrase" if what == "match" else "alias"
        p.add_argument(f"--{flag}", action="append", default=[], metavar="TEXT",
                       help=f"{verb} a {what} (repeat for more)")  # fmt: skip
    p = topic_sub.add_parser("remove", help="delete a topic and its tags")
    p.add_argument("topic", help="name, key or alias")

    p = sub.add_parser(
        "commitments",
        help="list the commitments the sources record (soonest due first), with their status",
    )
    p.add_argument("--counterpart", metavar="NAME",
                   help="only those concerning NAME, e.g. Japan")  # fmt: skip
    p.add_argument("--topic", help="only those on this topic")
    p.add_argument("--status", metavar="STATUS", help=f"only those {', '.join(STATUSES)}")
    p.add_argument("--json", action="store_true", help="print JSON")
    commitment = sub.add_parser("commitment", help="update a commitment of the ledger")
    commitment_sub = commitment.add_subparsers(
        dest="commitment_command", required=True, metavar="COMMAND"
    )
    p = commitment_sub.add_parser(
        "edit", help="change a commitment's status, owner or due date, or add a note"
    )
    p.add_argument("commitment", type=positive_int, metavar="COMMITMENT")
    p.add_argument("--status", metavar="STATUS", help="open, done or dropped")
    p.add_argument("--owner", metavar="NAME", help="who follows it up")
    p.add_argument("--note", metavar="TEXT", help="a note, added to its notes with the date")
    p.add_argument("--due", type=parse_date, metavar="YYYY-MM-DD", help="its due date")

    sub.add_parser("templates", help="list the house styles packs can use")

    p = sub.add_parser("items", help="list your briefing items")
    p.add_argument("--topic", help="only items on this topic")
    p.add_argument("--json", action="store_true", help="print JSON")

    item = sub.add_parser("item", help="add, edit or delete your own briefing text")
    item_sub = item.add_subparsers(dest="item_command", required=True, metavar="COMMAND")
    kinds = [k.value for k in ItemKind]  # shown quoted: some are two words, e.g. "if asked"
    kind_help = "one of " + ", ".join(f'"{k}"' for k in kinds)
    p = item_sub.add_parser("add", help="add an item (Markdown body); prints its number")
    p.add_argument("--kind", required=True, choices=kinds, metavar="KIND", help=kind_help)
    p.add_argument("--title", required=True, help="the item's heading")
    body = p.add_mutually_exclusive_group(required=True)
    body.add_argument("--body", help="the text, in Markdown")
    body.add_argument("--body-file", type=Path, metavar="FILE", help="read the text from FILE")
    p.add_argument("--topic", action="append", default=[], dest="topics",
                   help="a topic (repeat; default: the topics the text mentions)")  # fmt: skip
    p.add_argument("--marking", default="", help="protective marking (default: none)")
    p.add_argument("--status", choices=[s.value for s in ItemStatus], default="draft",
                   help="default: draft")  # fmt: skip
    p = item_sub.add_parser("edit", help="change the given fields of an item")
    p.add_argument("item", type=positive_int, metavar="ITEM")
    p.add_argument("--kind", choices=kinds, metavar="KIND", help=kind_help)
    p.add_argument("--title", help="the item's heading")
    body = p.add_mutually_exclusive_group()
    body.add_argument("--body", help="the text, in Markdown")
    body.add_argument("--body-file", type=Path, metavar="FILE", help="read the text from FILE")
    p.add_argument("--topic", action="append", dest="topics",
                   help="a topic (repeat; replaces the item's topics)")  # fmt: skip
    p.add_argument("--marking", help="protective marking")
    p.add_argument("--status", choices=[s.value for s in ItemStatus], help="draft or cleared")
    p = item_sub.add_parser("delete", help="delete an item (it leaves the packs holding it)")
    p.add_argument("item", type=positive_int, metavar="ITEM")
    p = item_sub.add_parser(
        "history", help="show the texts an item had before edits and conflicting saves"
    )
    p.add_argument("item", type=positive_int, metavar="ITEM")
    p.add_argument("--json", action="store_true", help="print JSON")

    pack = sub.add_parser("pack", help="create, change, copy and delete packs").add_subparsers(
        dest="pack_command", required=True, metavar="COMMAND"
    )
    p = pack.add_parser("show", help="show a pack's participants, sections and entries (#id)")
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p = pack.add_parser("edit", help="change a pack and its meeting")
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p.add_argument("--title", help="the pack's title")
    p.add_argument("--meeting", help="the meeting's name")
    p.add_argument("--date", type=parse_date, help="the meeting's date, YYYY-MM-DD")
    p.add_argument("--place", help="where the meeting is")
    p.add_argument(
        "--series", metavar="NAME", help='the meeting series ("" = inferred from its name)'
    )
    p.add_argument(
        "--counterpart", metavar="NAME",
        help='whom the meeting is with, for its open commitments ("" = inferred from its name;'
        ' "none" = no one)',
    )  # fmt: skip
    add_participant_options(p, "replaces the list")
    p.add_argument("--no-participants", action="store_true", help="clear the participants")
    p.add_argument("--marking", help="protective marking")
    p.add_argument("--template", help="house style")
    p.add_argument("--paper", choices=["", *templates.PAPER_SIZES], help='"" = the template\'s')
    p = pack.add_parser(
        "next",
        help="create the pack for the next meeting of the series from this one (sections and"
        " entries carried, quoted passages marked for review); prints its number",
    )
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p.add_argument("--meeting", required=True, help="the next meeting's name")
    p.add_argument("--date", required=True, type=parse_date, help="its date, YYYY-MM-DD")
    p.add_argument("--place", help="where it is (default: where the last one was)")
    p.add_argument("--title", help="the new pack's title (default: this one's, renamed)")
    p = pack.add_parser(
        "stale", help="list the sources a pack quotes that a newer one of their series supersedes"
    )
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p = pack.add_parser(
        "refresh",
        help="swap a superseded source's quotations to the newer source's matching passages",
    )
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p.add_argument("--source", required=True, type=positive_int, metavar="N",
                   help="the superseded source's number (see `briefing pack stale`)")  # fmt: skip
    p = pack.add_parser("delete", help="delete a pack with its sections and entries")
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p = pack.add_parser("copy", help="copy a pack whole; prints the copy's number")
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p.add_argument("--title", help='default: "TITLE (copy)"')
    p = pack.add_parser("add", help="add an item, passage or source to a section of a pack")
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p.add_argument("--section", required=True, help="its title (made at the end if absent)")
    target = p.add_mutually_exclusive_group(required=True)
    for kind in EntryKind:
        target.add_argument(f"--{kind.value}", type=positive_int, metavar="N",
                            help=f"the {kind.value}'s number")  # fmt: skip
    p = pack.add_parser("remove", help="remove an entry (its #id in `pack show`) from a pack")
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p.add_argument("entry", type=positive_int, metavar="ENTRY")
    p = pack.add_parser("issue", help="freeze the pack as its next revision; prints its number")
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p = pack.add_parser("revisions", help="list a pack's issued revisions")
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p = pack.add_parser(
        "diff",
        help="what changed: the last revision (or N) against the working copy (or M)",
    )
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p.add_argument("old", nargs="?", type=int, metavar="N", help="default: the last revision")
    p.add_argument("new", nargs="?", type=int, metavar="M", help="default: the working copy")
    p = pack.add_parser("distribute", help='write a copy for each named person, stamped'
                        ' "Copy k of N — Name", and log them')  # fmt: skip
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p.add_argument("--to", nargs="+", metavar="NAME",
                   help="the recipients, in order (default: the pack's list)")  # fmt: skip
    p.add_argument("--at", metavar="LEVEL",
                   help="only what is marked at or below LEVEL (as `share`)")  # fmt: skip
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FOLDER",
                   help="the folder to write the copies into")  # fmt: skip
    p.add_argument("--format", choices=["pdf", "docx"], default="pdf", help="default: pdf")
    p.add_argument("--revision", type=int, metavar="N", help="an issued revision")
    add_release_options(p, "copy", "who sends them, for the logs")
    p = pack.add_parser("overrides", help="list the times a pack went out past what the"
                        " pre-flight check blocks")  # fmt: skip
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = pack.add_parser("distribution", help="list the named copies made of a pack")
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = pack.add_parser("new", help="create a pack for a meeting; prints its number")
    p.add_argument("title", help="the pack's title")
    p.add_argument("--meeting", required=True, help="the meeting's name")
    p.add_argument("--date", required=True, type=parse_date, help="the meeting's date, YYYY-MM-DD")
    p.add_argument("--place", default="", help="where the meeting is")
    p.add_argument("--marking", required=True, help="protective marking, e.g. OFFICIAL-SENSITIVE")
    p.add_argument(
        "--topic",
        action="append",
        required=True,
        dest="topics",
        help="a topic's name, key or alias (repeat for more topics)",
    )
    p.add_argument("--template", default="ministerial", help="house style (default: ministerial)")
    p.add_argument(
        "--max-passages",
        type=positive_int,
        default=PASSAGES_PER_TOPIC,
        metavar="N",
        help=f"quote the N most relevant passages per topic (default: {PASSAGES_PER_TOPIC})",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="only show what would go in (counts per topic, estimated pages)",
    )
    add_participant_options(p, "in order")

    p = sub.add_parser("packs", help="list packs")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("export", help="export a pack to PDF or Word")
    p.add_argument(
        "pack", type=positive_int, metavar="PACK", help="pack number (see `briefing packs`)"
    )
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE",
                   help="the file to write (.pdf or .docx)")  # fmt: skip
    p.add_argument("--format", choices=["pdf", "docx"], help="default: from the file extension")
    p.add_argument("--template", help="house style (default: the pack's)")
    p.add_argument(
        "--revision", type=int, metavar="N", help="an issued revision, exactly as issued"
    )
    p.add_argument(
        "--changes-since",
        type=revision_or_meeting,
        metavar="N|last-meeting",
        help='add an annex "Changes since revision N" (added, removed, moved, changed wording);'
        " last-meeting: since the last revision of the previous meeting's pack in the series,"
        " with what is new in the library on the pack's topics since that meeting",
    )
    add_release_options(p, "export")
    p = sub.add_parser("share", help="write a copy of a pack holding only what is marked at or "
                       "below a level, and a redaction log beside it")  # fmt: skip
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p.add_argument("--at", required=True, metavar="LEVEL", help="the level, e.g. OFFICIAL")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE",
                   help="the file to write (.pdf or .docx)")  # fmt: skip
    p.add_argument("--format", choices=["pdf", "docx"], help="default: from the file extension")
    p.add_argument("--log", type=Path, metavar="PATH",
                   help="the redaction log (default: FILE.redaction-log.txt)")  # fmt: skip
    add_release_options(p, "share", 'who shares it, for the logs (default: "unknown")')
    p = sub.add_parser("check", help="pre-flight: what to look at before a pack goes out "
                       "(exit status 1 when something blocks)")  # fmt: skip
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p.add_argument("--at", metavar="LEVEL", help="check a copy shared at LEVEL")
    p.add_argument("--json", action="store_true", help="print JSON")
    describe_commands(parser)
    return parser


# Help for the numbers commands take, by metavar, where a command gives none of its own.
NUMBER_HELP = {
    "PACK": "the pack's number (see `briefing packs`)",
    "ITEM": "the item's number (see `briefing items`)",
    "SOURCE": "the source's number (see `briefing sources`)",
    "ENTRY": "the entry's #id (see `briefing pack show`)",
    "COMMITMENT": "the commitment's number (see `briefing commitments`)",
}


def describe_commands(parser: argparse.ArgumentParser) -> None:
    """Give each command's own --help its one-line help as a description, and numbers their
    help from NUMBER_HELP, where they have none."""
    for action in parser._actions:
        if action.help is None and isinstance(action.metavar, str):
            action.help = NUMBER_HELP.get(action.metavar)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                command = action.choices[choice.dest]
                if command.description is None and choice.help:
                    command.description = choice.help[0].upper() + choice.help[1:] + "."
                describe_commands(command)


def add_participant_options(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--participant",
        action="append",
        dest="participants",
        metavar="NAME",
        help=f"someone attending (repeat; {what}); a person the library knows is matched by name",
    )


def add_release_options(
    parser: argparse.ArgumentParser, verb: str, by: str = "who does it, for the override record"
) -> None:
    """--force and --by for a command that lets a pack out (export, share, named copies)."""
    parser.add_argument(
        "--force",
        action="store_true",
        help=f"{verb} even if the pre-flight check blocks (draft items, content marked above"
        " the marking printed, …); the override is recorded in the library",
    )
    parser.add_argument("--by", default="", metavar="NAME", help=by)


def preflight(
    library: Library, args: argparse.Namespace, action: str, level: str | None = None
) -> None:
    """Run the pre-flight check before pack `args.pack` goes out: what blocks goes to stderr
    and refuses, unless --force (then the override is recorded). `briefing check` lists the
    warnings too."""
    blocks = [f for f in library.check(args.pack, level) if f.severity == "blocks"]
    for finding in blocks:
        print(f"briefing: {finding.describe()}", file=sys.stderr)
    if blocks and not args.force:
        done = {"export": "exported", "share": "shared", "copy": "copied"}[action]
        raise InputError(
            f"not {done}: {len(blocks)} finding(s) above block it; fix them, or use --force"
            " (the override is recorded)"
        )
    if blocks:
        library.record_override(args.pack, action, level, blocks, by=args.by)


def print_rows(rows: Sequence[Any], as_json: bool, line: Callable[[Any], str]) -> None:
    if as_json:
        print(json.dumps([asdict(r) for r in rows], default=str, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(line(row))


def run(args: argparse.Namespace, library: Library) -> int:
    match args.command:
        case "init":
            print(f"library ready at {library.location}")
        case "store":
            print(f"copied {library.copy_to(args.to).describe()}")
        case "team":
            return run_team(args, library)
        case "demo":
            result = library.load_demo()
            print(result.describe())
            return 1 if result.status == "failed" else 0
        case "import":
            from briefing.ingest.workers import pool_from_environment

            with pool_from_environment() as parsers:  # a hostile file can't hang or exhaust us
                results = library.import_paths(args.files, separate=args.separate,
                                               parsers=parsers)
            for result in results:
                print(result.describe())
            if not results:
                raise InputError("no files to import")
            failed = sum(r.status == "failed" for r in results)
            if failed:
                print(f"briefing: {failed} of {len(results)} files not imported", file=sys.stderr)
            for log in sorted({r.log for r in results if r.log}):
                print(f"briefing: details of the internal errors are in {log}", file=sys.stderr)
            return 1 if failed else 0  # "skipped" is fine
        case "sources":
            print_rows(
                library.sources(),
                args.json,
                lambda s: (
                    f"{s.id:>4}  {day(s.date):<10}  {s.kind:<15}  {s.title}  ({s.passages} paras"
                    + (f"; {s.also_as()})" if s.also_as() else ")")
                ),
            )
        case "topics":
            print_rows(
                library.topics(),
                args.json,
                lambda t: f"{t.key:<18} {t.name:<44} {t.passages:>5} passages {t.items:>4} items",
            )
        case "search":
            hits = library.search(
                args.query, topic=args.topic, source_id=args.source, kinds=args.kind,
                date_from=args.date_from, date_to=args.date_to, limit=args.limit,
            )  # fmt: skip
            print_rows(
                hits,
                args.json,
                lambda h: (
                    f"{h.source_title} ¶{h.seq}: {h.snippet}"
                    if h.seq
                    else f"[{h.kind}] {h.source_title}: {h.snippet}"
                ),
            )
        case "topic":
            return run_topic(args, library)
        case "commitments":
            found = library.commitments(
                counterpart=args.counterpart, topic=args.topic, status=args.status
            )
            print_rows(found, args.json, lambda c: c.describe())
        case "commitment":
            if (args.status, args.owner, args.note, args.due) == (None, None, None, None):
                raise InputError("nothing to change (see `briefing commitment edit --help`)")
            edited = library.edit_commitment(
                args.commitment, status=args.status, owner=args.owner, note=args.note,
                due=args.due,
            )  # fmt: skip
            print(edited.describe())
        case "templates":
            for name in templates.available():
                print(name)
        case "items" | "item":
            return run_items(args, library)
        case "pack":
            return run_pack(args, library)
        case "packs":
            print_rows(
                library.packs(),
                args.json,
                lambda p: (
                    f"{p.id:>4}  {day(p.date):<10}  {p.marking:<20}  {p.title}  ({p.meeting})"
                ),
            )
        case "source" if args.source_command == "edit":
            marking = library.edit_source(args.source, marking=args.marking)
            print(f"source {args.source} marked {marking or 'no marking (the lowest level)'}")
        case "source":
            print(library.delete_source(args.source, force=args.force).describe())
        case "check":
            findings = library.check(args.pack, args.at)
            print_rows(findings, args.json, lambda f: f.describe())
            if not findings and not args.json:
                print(f"pack {args.pack}: nothing to look at")
            return 1 if any(f.severity == "blocks" for f in findings) else 0
        case "share":
            preflight(library, args, "share", args.at)
            shared = library.share(
                args.pack, args.at, args.output, args.format, log=args.log, by=args.by
            )
            print(shared.path)
            print(f"redaction log: {shared.log} ({len(shared.withheld)} withheld)")
        case "markings":
            if args.set_levels or args.add_caveat or args.remove_caveat:
                scheme = library.set_marking_scheme(
                    args.set_levels,
                    add_caveats=args.add_caveat,
                    remove_caveats=args.remove_caveat,
                )
            else:
                scheme = library.marking_scheme()
            print("levels:  " + ", ".join(scheme.levels))
            print("caveats: " + (", ".join(scheme.caveats) or "none"))
        case "export":
            # an issued revision was checked when issued: it is exported as it was
            if args.revision is None:
                preflight(library, args, "export")
            path = library.export(
                args.pack, args.output, args.format, template=args.template,
                revision=args.revision, changes_since=args.changes_since,
            )  # fmt: skip
            print(path)
    return 0


def run_team(args: argparse.Namespace, library: Library) -> int:
    match args.team_command:
        case "users":
            print_rows(library.team_users(), args.json, lambda m: f"{m.name:<24} {m.clearance}")
        case "add-user":
            password = ask_password(args.name) if args.password else None
            level = library.add_team_user(args.name, args.clearance, password)
            print(f"{args.name.strip()} can now open this library, cleared to {level}")
        case _:
            print(f"{args.name} is now cleared to {library.set_clearance(args.name, args.level)}")
    return 0


def ask_password(name: str) -> str:
    """Ask twice for `name`'s new password, without echoing it."""
    from getpass import getpass

    password = getpass(f"password for {name}: ")
    if not password or getpass("again: ") != password:
        raise InputError("the passwords were empty or differed; nothing changed")
    return password


def run_items(args: argparse.Namespace, library: Library) -> int:
    if args.command == "items":
        print_rows(
            library.items(args.topic), args.json,
            lambda i: f"{i.id:>4}  {i.kind:<12}  {i.status:<8}  {i.marking:<20}  {i.title}",
        )  # fmt: skip
        return 0
    if args.item_command == "history":
        print_rows(
            library.item_history(args.item), args.json,
            lambda h: f"version {h.version}, {h.saved_at.astimezone():%Y-%m-%d %H:%M}"
                      f"{' by ' + h.by if h.by else ''} ({h.reason}): {h.title}\n{h.body}\n",
        )  # fmt: skip
        return 0
    if args.item_command == "delete":
        print(library.delete_item(args.item).describe())
        return 0
    body = (
        args.body if args.body is not None or args.body_file is None else read_text(args.body_file)
    )
    if args.item_command == "edit":
        data = library.edit_item(
            args.item,
            title=args.title,
            body=body,
            kind=ItemKind(args.kind) if args.kind else None,
            marking=args.marking,
            status=ItemStatus(args.status) if args.status else None,
            topics=args.topics,
        )
        print(f"item {data.id} “{data.title}” saved")
        return 0
    data = ItemData(
        kind=ItemKind(args.kind),
        title=args.title,
        body=body,
        marking=args.marking,
        status=ItemStatus(args.status),
        topic_ids=tuple(library.topic_rules(t)[0].id for t in args.topics),
    )
    print(library.create_item(data))
    return 0


def read_text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None


def run_pack(args: argparse.Namespace, library: Library) -> int:
    match args.pack_command:
        case "new" if args.dry_run:
            for line in library.plan_pack(args.topics, args.max_passages).describe():
                print(line)
        case "new":
            print(library.new_pack(
                args.title, meeting=args.meeting, date=args.date, place=args.place,
                marking=args.marking, topics=args.topics, template=args.template,
                passages_per_topic=args.max_passages, participants=args.participants or (),
            ))  # fmt: skip
        case "edit":
            participants = [] if args.no_participants else args.participants
            changes = dict(
                title=args.title, meeting=args.meeting, date=args.date, place=args.place,
                participants=participants, marking=args.marking, template=args.template,
                paper_size=args.paper, series=args.series, counterpart=args.counterpart,
            )  # fmt: skip
            if all(value is None for value in changes.values()):
                raise InputError("nothing to change (see `briefing pack edit --help`)")
            show_pack(library.edit_pack(args.pack, **changes))
        case "delete":
            print(library.delete_pack(args.pack).describe())
        case "copy":
            print(library.copy_pack(args.pack, args.title))
        case "next":
            new = library.next_pack(
                args.pack, meeting=args.meeting, date=args.date, place=args.place,
                title=args.title,
            )  # fmt: skip
            print(new)
            carried = sum(e.carried for s in library.pack_outline(new).sections for e in s.entries)
            if carried:
                print(f"{carried} quoted passage(s) carried from pack {args.pack}: review them"
                      f" (`briefing pack show {new}`)", file=sys.stderr)  # fmt: skip
        case "stale":
            found = library.stale_sources(args.pack)
            if not found:
                print(f"pack {args.pack} quotes no superseded source")
            for stale in found:
                print(stale.describe())
        case "refresh":
            for line in library.refresh_source(args.pack, args.source).describe():
                print(line)
        case "issue":
            number = library.issue_revision(args.pack)
            if number is None:
                last = library.revisions(args.pack)[-1].number
                print(f"no change since revision {last}; nothing issued")
            else:
                print(number)
        case "distribute":
            if args.revision is None:
                preflight(library, args, "copy", args.at)
            copies = library.distribute(
                args.pack, args.output, args.to, args.format, level=args.at,
                revision=args.revision, by=args.by,
            )  # fmt: skip
            for copy in copies:
                print(f"{copy.path}  ({copy.note})")
        case "overrides":
            recorded = library.overrides(args.pack)
            print_rows(recorded, args.json, lambda o: o.describe())
            if not recorded and not args.json:
                print(f"pack {args.pack}: no overrides recorded")
        case "distribution":
            logged = library.distribution(args.pack)
            print_rows(logged, args.json, lambda d: d.describe())
            if not logged and not args.json:
                print(f"pack {args.pack}: no copies made yet")
        case "revisions":
            held = library.revisions(args.pack)
            if not held:
                print(f"pack {args.pack} has no revisions yet")
            for info in held:
                print(f"{info.number:>3}  issued {info.issued}  {info.entries} entries")
        case "diff":
            for line in lines(library.diff(args.pack, args.old, args.new)):
                print(line)
        case "add":
            kind = next(k for k in EntryKind if getattr(args, k.value) is not None)
            added, made = library.add_to_pack(
                args.pack, args.section, kind, getattr(args, kind.value)
            )
            if made:
                print(f"made section “{args.section.strip()}” at the end of pack {args.pack}")
            print(f"added {kind.value} {added.target_id} as entry #{added.id}")
        case "remove":
            gone = library.remove_from_pack(args.pack, args.entry)
            print(f"removed entry #{gone.id}: {gone.kind.value} {gone.target_id} {gone.label}")
        case _:
            outline = library.pack_outline(args.pack)
            show_pack(outline)
            if outline.raised_by:
                by = ", ".join(f"{o.replace(':', ' ')} {m}" for o, m in outline.raised_by)
                print(f"content marked {outline.content_marking}, above the pack's "
                      f"{outline.marking or 'none'} (raised by {by})")  # fmt: skip
    return 0


def show_pack(outline: PackOutline) -> None:
    print(f"{outline.title} — {outline.meeting}, {day(outline.date)} [{outline.marking}]")
    if outline.counterpart:
        how = "" if outline.counterpart_set else " (from its name)"
        print(f"with: {outline.counterpart}{how}")
    if outline.series:
        before = f"; previous meeting's pack: {outline.previous}" if outline.previous else ""
        print(f"series: {outline.series}{before}")
    people = [", ".join(x for x in (p.name, p.role, p.organisation) if x)
              for p in outline.participants]  # fmt: skip
    if people:
        print("participants: " + "; ".join(people))
    for number, section in enumerate(outline.sections, start=1):
        print(f"{number}. {section.title}")
        for entry in section.entries:
            carried = (
                f"  [carried from {outline.previous or 'the previous pack'}: review]"
                if entry.carried else ""
            )  # fmt: skip
            print(f"   #{entry.id:<5} {entry.kind.value} {entry.target_id}: {entry.label}{carried}")


def run_topic(args: argparse.Namespace, library: Library) -> int:
    match args.topic_command:
        case "show":
            info, match, aliases = library.topic_rules(args.topic)
            print(f"{info.name} ({info.key}): {info.passages} passages, {info.items} items")
            print("aliases: " + ", ".join(aliases))
            print("match:   " + ", ".join(match))
            return 0
        case "add":
            info = library.add_topic(args.key, args.name, args.match, args.alias)
        case "edit":
            change = TopicChange(
                args.name, args.add_match, args.remove_match, args.add_alias, args.remove_alias
            )
            info = library.edit_topic(args.topic, change)
        case _:
            print(f"removed {library.remove_topic(args.topic)}")
            return 0
    print(f"{info.name} ({info.key}): {info.passages} passages tagged")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # A new library's folder is made by `init`, `demo` or a first run at the default location.
    make_folder = args.command in ("init", "demo") or not (args.db or os.environ.get("BRIEFING_DB"))
    try:
        with Library(args.db, make_folder=make_folder) as library:
            code = run(args, library)
        sys.stdout.flush()  # a closed pipe shows here rather than at exit
        return code
    except BrokenPipeError:  # e.g. `briefing pack show 1 | head`: the reader has gone
        quiet_stdout()
        return 141  # as a shell reports a command killed by SIGPIPE
    except NoSuchFolder as exc:
        print(f"briefing: error: {exc}; create a library with `briefing --db PATH init`",
              file=sys.stderr)  # fmt: skip
        return 1
    except (BriefingError, StoreError) as exc:
        print(f"briefing: error: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:  # e.g. the library is locked by another program
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        print(f"briefing: error: the library could not be read or written ({reason})",
              file=sys.stderr)  # fmt: skip
        return 1
    except KeyboardInterrupt:
        print("briefing: interrupted", file=sys.stderr)
        return 130
    except Exception:  # a bug: one line for the user, the traceback in the log file
        log = log_internal_error(f"briefing {' '.join(map(str, argv or sys.argv[1:]))}")
        where = f"; details in {log}" if log else ""
        print(f"briefing: internal error{where}", file=sys.stderr)
        return 1


def quiet_stdout() -> None:
    """Point stdout at devnull so that Python's flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file (e.g. captured in tests)
        pass


if __name__ == "__main__":
    sys.exit(main())
