"""Smoke test of the desktop build (``make build-check``): build dist/Briefing with PyInstaller,
run the frozen CLI through demo → pack → PDF and Word export, and start the frozen app
offscreen until its window has loaded.

Slow (about a minute and a half on two cores); ``make test`` runs it with the rest, and
``make build-check`` runs it alone. Needs PyInstaller (``pip install -e '.[build]'``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist" / "Briefing"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist() -> Path:
    """Build dist/Briefing once for this module."""
    if shutil.which("pyinstaller", path=str(Path(sys.executable).parent)) is None:
        pytest.fail("PyInstaller is not installed: pip install -e '.[build]'")
    build = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    subprocess.run([*build, "briefing.spec"], cwd=ROOT, check=True)
    return DIST


def frozen(dist: Path, program: str, *args: str, cwd: Path) -> str:
    """Run a frozen program from `dist`; return what it printed (fail on a non-zero exit)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [str(dist / program), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"{program} {args}: {result.stderr}"
    return result.stdout


def test_folder_holds_both_programs_and_their_data(dist: Path) -> None:
    internal = dist / "_internal"
    for path in (
        dist / "briefing",
        dist / "briefing-app",
        internal / "templates" / "ministerial" / "reference.docx",
        internal / "templates" / "fonts" / "LICENSE-DejaVu.txt",
        internal / "briefing" / "data" / "topics.toml",
        internal / "db" / "migrations" / "env.py",
    ):
        assert path.exists(), path
    assert not list(internal.glob("PySide6/Qt/lib/libQt6WebEngine*")), "WebEngine is not used"
    assert not list(internal.glob("PySide6/Qt/lib/libQt6Qml*")), "QML is not used"


def test_frozen_cli_exports_the_demo_pack(dist: Path, tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "library.sqlite")]
    frozen(dist, "briefing", *db, "demo", cwd=tmp_path)
    ledger = frozen(dist, "briefing", *db, "commitments", cwd=tmp_path)  # pysbd is frozen too
    assert "continue discussions, in consideration of" in ledger
    pack = frozen(
        dist,
        "briefing",
        *db,
        *("pack", "new", "Brief", "--meeting", "7th HLED", "--date", "2026-05-07"),
        *("--marking", "OFFICIAL-SENSITIVE", "--topic", "steel", "--participant", "Maroš ŠEFČOVIČ"),
        cwd=tmp_path,
    ).strip()
    for fmt in ("pdf", "docx"):
        frozen(dist, "briefing", *db, "export", pack, "-o", f"pack.{fmt}", cwd=tmp_path)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "pack.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "ŠEFČOVIČ" in text
    with zipfile.ZipFile(tmp_path / "pack.docx") as docx:
        assert "ŠEFČOVIČ" in docx.read("word/document.xml").decode()


def test_frozen_app_starts_offscreen_and_quits(dist: Path, tmp_path: Path) -> None:
    db = tmp_path / "library.sqlite"
    frozen(dist, "briefing", "--db", str(db), "demo", cwd=tmp_path)
    start = time.perf_counter()
    out = frozen(dist, "briefing-app", "--db", str(db), "--quit-after-start", cwd=tmp_path)
    print(f"frozen app ready in {time.perf_counter() - start:.2f} s")
    assert out.strip() == "ready"
