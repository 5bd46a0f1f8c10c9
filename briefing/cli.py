"""The `briefing` command: the whole pipeline without a display.

Errors print one line, `briefing: error: …`, and exit with status 1 (2 for usage errors).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

import templates
from briefing import __version__
from briefing.errors import BriefingError, InputError
from briefing.items import ItemData, create_item, list_items
from briefing.library import Library
from briefing.markings import export_warnings
from briefing.outline import pack_outline
from briefing.packs import PASSAGES_PER_TOPIC
from briefing.tagging import TopicChange, find_topic
from db import StoreError, default_store_path
from db.models import ItemKind, ItemStatus


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

    sub.add_parser("demo", help="fill the library with the demo statement and items")

    p = sub.add_parser("import", help="import documents (files or folders)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--separate",
        action="store_true",
        help="import each file as a source of its own, even when the library holds the same"
        " document in another format",
    )

    p = sub.add_parser("sources", help="list the sources in the library")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("topics", help="list topics with passage and item counts")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("search", help="search passages, items and source titles")
    p.add_argument("query")
    p.add_argument("--topic", help="only results tagged with this topic")
    p.add_argument("--source", type=positive_int, metavar="ID", help="only this source")
    p.add_argument("--kind", action="append", default=[], help="only sources of this kind")
    p.add_argument("--from", dest="date_from", type=parse_date, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=parse_date, metavar="YYYY-MM-DD")
    p.add_argument("--limit", type=positive_int, default=20)
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
    p.add_argument("--alias", action="append", default=[], metavar="NAME")
    p = topic_sub.add_parser("edit", help="change a topic; the library is retagged at once")
    p.add_argument("topic", help="name, key or alias")
    p.add_argument("--name")
    for flag in ("add-match", "remove-match", "add-alias", "remove-alias"):
        p.add_argument(f"--{flag}", action="append", default=[], metavar="TEXT")
    p = topic_sub.add_parser("remove", help="delete a topic and its tags")
    p.add_argument("topic", help="name, key or alias")

    sub.add_parser("templates", help="list the house styles packs can use")

    p = sub.add_parser("items", help="list your briefing items")
    p.add_argument("--topic", help="only items on this topic")
    p.add_argument("--json", action="store_true", help="print JSON")

    item = sub.add_parser("item", help="add your own briefing text").add_subparsers(
        dest="item_command", required=True, metavar="COMMAND"
    )
    p = item.add_parser("add", help="add an item (Markdown body); prints its number")
    p.add_argument("--kind", required=True, choices=[k.value for k in ItemKind])
    p.add_argument("--title", required=True)
    body = p.add_mutually_exclusive_group(required=True)
    body.add_argument("--body", help="the text, in Markdown")
    body.add_argument("--body-file", type=Path, metavar="FILE", help="read the text from FILE")
    p.add_argument("--topic", action="append", default=[], dest="topics",
                   help="a topic (repeat; default: the topics the text mentions)")  # fmt: skip
    p.add_argument("--marking", default="")
    p.add_argument("--status", choices=[s.value for s in ItemStatus], default="draft")

    pack = sub.add_parser("pack", help="create packs and show their outline").add_subparsers(
        dest="pack_command", required=True, metavar="COMMAND"
    )
    p = pack.add_parser("show", help="show a pack's sections and entries")
    p.add_argument("pack", type=positive_int, metavar="PACK")
    p = pack.add_parser("new", help="create a pack for a meeting; prints its number")
    p.add_argument("title")
    p.add_argument("--meeting", required=True, help="the meeting's name")
    p.add_argument("--date", required=True, type=parse_date, help="the meeting's date, YYYY-MM-DD")
    p.add_argument("--place", default="")
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

    p = sub.add_parser("packs", help="list packs")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("export", help="export a pack to PDF or Word")
    p.add_argument(
        "pack", type=positive_int, metavar="PACK", help="pack number (see `briefing packs`)"
    )
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    p.add_argument("--format", choices=["pdf", "docx"], help="default: from the file extension")
    p.add_argument("--template", help="house style (default: the pack's)")
    p.add_argument(
        "--force",
        action="store_true",
        help="export even if the pack holds draft items or items marked higher than the pack",
    )
    return parser


def print_rows(rows: Sequence[object], as_json: bool, line) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        print(json.dumps([asdict(r) for r in rows], default=str, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(line(row))


def run(args: argparse.Namespace, library: Library) -> int:
    match args.command:
        case "demo":
            result = library.load_demo()
            print(result.describe())
            return 1 if result.status == "failed" else 0
        case "import":
            results = library.import_paths(args.files, separate=args.separate)
            for result in results:
                print(result.describe())
            if not results:
                raise InputError("no files to import")
            return 1 if any(r.status == "failed" for r in results) else 0
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
        case "export":
            with library.store.session() as session:
                warnings = export_warnings(session, args.pack)
            for warning in warnings:
                print(f"briefing: warning: {warning.describe()}", file=sys.stderr)
            if warnings and not args.force:
                raise InputError(f"not exported: {len(warnings)} warning(s); use --force to export")
            path = library.export(args.pack, args.output, args.format, template=args.template)
            print(path)
    return 0


def run_items(args: argparse.Namespace, library: Library) -> int:
    with library.store.session() as session:
        if args.command == "items":
            topic = find_topic(session, args.topic).id if args.topic else None
            print_rows(
                list_items(session, topic), args.json,
                lambda i: f"{i.id:>4}  {i.kind:<12}  {i.status:<8}  {i.marking:<20}  {i.title}",
            )  # fmt: skip
            return 0
        body = args.body if args.body is not None else read_text(args.body_file)
        data = ItemData(
            kind=ItemKind(args.kind),
            title=args.title,
            body=body,
            marking=args.marking,
            status=ItemStatus(args.status),
            topic_ids=tuple(find_topic(session, t).id for t in args.topics),
        )
        print(create_item(session, data))
    return 0


def read_text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None


def run_pack(args: argparse.Namespace, library: Library) -> int:
    if args.pack_command == "new" and args.dry_run:
        for line in library.plan_pack(args.topics, args.max_passages).describe():
            print(line)
        return 0
    if args.pack_command == "new":
        pack_id = library.new_pack(
            args.title,
            meeting=args.meeting,
            date=args.date,
            place=args.place,
            marking=args.marking,
            topics=args.topics,
            template=args.template,
            passages_per_topic=args.max_passages,
        )
        print(pack_id)
        return 0
    with library.store.session() as session:
        outline = pack_outline(session, args.pack)
    print(f"{outline.title} — {outline.meeting}, {day(outline.date)} [{outline.marking}]")
    for number, section in enumerate(outline.sections, start=1):
        print(f"{number}. {section.title}")
        for entry in section.entries:
            print(f"   - {entry.kind.value} {entry.target_id}: {entry.label}")
    return 0


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
    try:
        with Library(args.db) as library:
            return run(args, library)
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


if __name__ == "__main__":
    sys.exit(main())
