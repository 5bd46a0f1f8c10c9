"""Export: format from the name, paper size from the pack, and never a half-written file."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefing import export
from briefing.errors import InputError
from briefing.jobs import Cancelled
from briefing.library import Library
from briefing.outline import update_pack


@pytest.fixture
def pack_id(demo_library: Library) -> int:
    return demo_library.new_pack("P", meeting="M", date=None, marking="OFFICIAL", topics=["steel"])


def test_a_packs_paper_size_overrides_its_templates(
    demo_library: Library, pack_id: int, tmp_path: Path
) -> None:
    pdf = tmp_path / "a4.pdf"
    demo_library.export(pack_id, pdf)
    assert round(float(PdfReader(pdf).pages[0].mediabox.width)) == 595  # A4, the template's
    with demo_library.store.session() as session:
        update_pack(session, pack_id, paper_size="Letter")
    demo_library.export(pack_id, pdf)
    assert round(float(PdfReader(pdf).pages[0].mediabox.width)) == 612  # US Letter
    word = tmp_path / "letter.docx"
    demo_library.export(pack_id, word)
    assert round(docx.Document(str(word)).sections[0].page_width.pt) == 612


def test_the_format_comes_from_the_option_or_the_name(
    demo_library: Library, pack_id: int, tmp_path: Path
) -> None:
    out = demo_library.export(pack_id, tmp_path / "Pack.PDF")
    assert out.read_bytes().startswith(b"%PDF")
    out = demo_library.export(pack_id, tmp_path / "pack.bin", "docx")
    assert out.read_bytes().startswith(b"PK")
    with pytest.raises(InputError, match='unknown format "odt"'):
        demo_library.export(pack_id, tmp_path / "pack.odt", "odt")


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        (Cancelled(), None),
    ],
)
def test_a_failed_export_keeps_the_old_file_and_leaves_no_temporary(
    demo_library: Library, pack_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    error: BaseException, message: str | None,
) -> None:  # fmt: skip
    target = tmp_path / "pack.pdf"
    target.write_bytes(b"the version printed yesterday")

    def failing_render(doc, template, path, fmt, progress=None):  # type: ignore[no-untyped-def]
        path.write_bytes(b"half a PDF")
        raise error

    monkeypatch.setattr(export, "render", failing_render)
    with pytest.raises(type(error) if message is None else InputError) as info:
        demo_library.export(pack_id, target)
    if message:
        assert message in str(info.value)
    assert target.read_bytes() == b"the version printed yesterday"
    assert not list(tmp_path.glob(".pack*.part")), "no temporary file is left behind"


def test_an_unwritable_folder_is_a_clear_error(
    demo_library: Library, pack_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(export.os, "open", refuse)
    with pytest.raises(InputError, match=r"cannot write here \(permission denied or read-only"):
        demo_library.export(pack_id, tmp_path / "pack.pdf")
    assert not (tmp_path / "pack.pdf").exists()


def test_exported_files_get_the_users_usual_permissions(
    demo_library: Library, pack_id: int, tmp_path: Path
) -> None:
    old = os.umask(0o022)
    try:
        new = demo_library.export(pack_id, tmp_path / "new.pdf")
    finally:
        os.umask(old)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644, "readable by colleagues, like any file"
    new.chmod(0o640)
    demo_library.export(pack_id, new)
    assert stat.S_IMODE(new.stat().st_mode) == 0o640, "a replaced file keeps its permissions"


def test_the_next_export_removes_stale_temporaries_of_killed_ones(
    demo_library: Library, pack_id: int, tmp_path: Path
) -> None:
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    here, other = export._host(), "abcdef" if export._host() != "abcdef" else "fedcba"
    folder = tmp_path / "out"
    folder.mkdir()
    hour, now = export.STALE_AFTER, os.path.getmtime(folder)
    ages = {  # name: (seconds since last written, removed?)
        ".pack.1a2b3c4d.pdf.part": (2 * hour, True),  # no pid (older versions), an hour old
        ".pack.5e6f7a8b.docx.part": (60, False),  # no pid, fresh
        f".pack.{here}-{dead}.0badcafe.pdf.part": (2 * hour, True),  # its exporter is gone
        f".pack.{here}-{dead}.1badcafe.pdf.part": (60, False),  # … but written a minute ago
        f".pack.{here}-{os.getpid()}.2badcafe.pdf.part": (2 * hour, False),  # still running
        f".pack.{other}-{dead}.3badcafe.pdf.part": (2 * hour, False),  # another computer's
        f".pack.{other}-{dead}.4badcafe.pdf.part": (25 * hour, True),  # … a day old
        ".notes.part": (30 * hour, False),  # not an export's
        "pack.1a2b3c4d.pdf.part": (30 * hour, False),  # not hidden: not ours
    }
    for name, (age, _) in ages.items():
        (folder / name).write_bytes(b"%PDF-half")
        os.utime(folder / name, (now - age, now - age))
    demo_library.export(pack_id, folder / "pack.pdf")
    left = {p.name for p in folder.iterdir()}
    assert left == {"pack.pdf"} | {name for name, (_, removed) in ages.items() if not removed}
