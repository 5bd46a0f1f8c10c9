"""Export benchmarks: our PDF and Word export of a 40-page pack against the bare libraries,
and our PDF export against LibreOffice converting our .docx (what a user would do instead)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from bench.bare import bare_docx, bare_pdf
from bench.synthetic import PACK_40, build_library, new_pack
from bench.timing import Comparison, compare
from briefing.assemble import assemble
from briefing.document import Document

RUNS = 7
LIBREOFFICE_RUNS = RUNS  # as many as the others: this machine's timings swing up to 2×


def run(work: Path) -> list[Comparison]:
    """Build the 40-page pack in `work` and return the three export comparisons."""
    with build_library(work / "pack40.sqlite", PACK_40) as library:
        pack = new_pack(library)
        with library.store.session() as session:
            document = assemble(session, pack)
        out = work / "out"
        out.mkdir()
        results = [
            compare(
                "pdf 40 pages vs bare platypus",
                lambda: library.export(pack, out / "ours.pdf"),
                lambda: bare_pdf(document, out / "bare.pdf"),
                runs=RUNS,
                max_ratio=1.3,
                target="ratio ≤ 1.3",
            ),
            compare(
                # a .docx whose contents carry page numbers needs a page layout: ours is the
                # PDF renderer's, so the baseline lays the pages out with bare platypus too
                "docx 40 pages vs bare python-docx + platypus",
                lambda: library.export(pack, out / "ours.docx"),
                lambda: bare_docx_paged(document, out),
                runs=RUNS,
                max_ratio=1.3,
                target="ratio ≤ 1.3",
            ),
        ]
        soffice = shutil.which("soffice")
        if soffice is None:
            print("pdf vs LibreOffice: skipped (soffice not installed; run make system-deps)")
            return results
        convert = _libreoffice(soffice, work / "lo-profile", out / "ours.docx", out / "lo")
        convert()  # warm: the first start creates the profile
        results.append(
            compare(
                "pdf 40 pages vs LibreOffice docx→pdf",
                lambda: library.export(pack, out / "ours.pdf"),
                convert,
                runs=LIBREOFFICE_RUNS,
                max_ratio=0.25,
                target="ours ≥ 4× faster (ratio ≤ 0.25)",
            )
        )
        return results


def bare_docx_paged(document: Document, out: Path) -> None:
    """Write `document` with bare python-docx, and lay its pages out with bare platypus."""
    bare_docx(document, out / "bare.docx")
    bare_pdf(document, out / "bare-pages.pdf")


def _libreoffice(soffice: str, profile: Path, docx: Path, outdir: Path) -> Callable[[], None]:
    """Return a function converting `docx` to PDF in `outdir` with headless LibreOffice."""
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(docx),
    ]

    def convert() -> None:
        subprocess.run(command, check=True, capture_output=True, timeout=120)
        if not (outdir / docx.with_suffix(".pdf").name).is_file():
            raise RuntimeError("LibreOffice wrote no PDF")

    return convert
