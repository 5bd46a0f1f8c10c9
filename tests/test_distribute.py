"""Copies for named people: each stamped "Copy k of N — Name" on every page and in its
metadata, at a level if asked, logged in the library; bad input writes nothing."""

from __future__ import annotations

import json
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.cli import main
from briefing.errors import InputError
from briefing.library import Library


@pytest.fixture
def pack(demo_library: Library) -> int:
    return demo_library.new_pack(
        "Steel pack", meeting="HLED", date=date(2026, 6, 1), marking="OFFICIAL-SENSITIVE",
        topics=["steel", "coercion"],
    )  # fmt: skip


def pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    return [p for p in text.decode().split("\f") if p.strip()]


def test_two_named_copies_and_the_log(
    demo_library: Library, pack: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_library.location)
    argv = ["--db", db, "pack", "distribute", str(pack), "--to", "Jane DOE", "SATO Kenji",
            "-o", str(tmp_path), "--by", "A. Clerk"]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    files = sorted(tmp_path.glob("*.pdf"))
    assert len(files) == 2 and "Copy 1 of 2 — Jane DOE" in out
    for k, (name, path) in enumerate(zip(["Jane DOE", "SATO Kenji"], files, strict=True), 1):
        assert f"-copy-{k}-of-2-" in path.name
        shown = pages(path)
        assert len(shown) > 1
        for page in shown:
            assert f"Copy {k} of 2 — {name}" in " ".join(page.split())
        meta = PdfReader(path).metadata
        assert meta is not None and f"Copy {k} of 2 — {name}" in (meta.subject or "")
    assert demo_library.distribution_list(pack) == ["Jane DOE", "SATO Kenji"]
    logged = demo_library.distribution(pack)
    assert [(d.recipient, d.copy, d.copies, d.by, d.format, d.revision) for d in logged] == [
        ("Jane DOE", 1, 2, "A. Clerk", "pdf", None),
        ("SATO Kenji", 2, 2, "A. Clerk", "pdf", None),
    ]
    assert main(["--db", db, "pack", "distribution", str(pack)]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert len(listing) == 2 and "copy 2 of 2  SATO Kenji" in listing[1]
    assert main(["--db", db, "pack", "distribution", str(pack), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["recipient"] for r in rows] == ["Jane DOE", "SATO Kenji"]


def test_word_copies_at_a_level_from_the_list(
    demo_library: Library, pack: int, tmp_path: Path
) -> None:
    demo_library.set_distribution_list(pack, ["Jane DOE"])
    (copy,) = demo_library.distribute(pack, tmp_path, fmt="docx", level="OFFICIAL")
    with zipfile.ZipFile(copy.path) as z:
        footers = "".join(z.read(n).decode() for n in z.namelist() if "footer" in n)
        core = z.read("docProps/core.xml").decode()
    assert "Copy 1 of 1 — Jane DOE" in footers and "Copy 1 of 1 — Jane DOE" in core
    (logged,) = demo_library.distribution(pack)
    assert (logged.level, logged.format) == ("OFFICIAL", "docx")


def test_bad_input_writes_nothing(
    demo_library: Library, pack: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    for kwargs, error in [
        ({"names": []}, "at least one recipient"),
        ({"names": ["A", "a"]}, "named twice"),
        ({"names": ["A"], "level": "NOPE"}, "unknown marking"),
        ({"names": ["A"], "level": "SECRET"}, "above the pack's marking"),
    ]:
        with pytest.raises(InputError, match=error):
            demo_library.distribute(pack, tmp_path, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="no distribution list"):
        demo_library.distribute(pack, tmp_path)
    with pytest.raises(InputError, match="no such folder"):
        demo_library.distribute(pack, tmp_path / "missing", ["A"])
    assert list(tmp_path.iterdir()) == [] and demo_library.distribution(pack) == []
    db = str(demo_library.location)
    assert main(["--db", db, "pack", "distribute", str(pack), "--to", "A", "--at", "NOPE",
                 "-o", str(tmp_path)]) == 1  # fmt: skip
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
