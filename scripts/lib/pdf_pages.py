"""PDF pages to PNG files with pdftoppm (poppler-utils), for the pictures in docs/."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def render(pdf: bytes, out: Path, stem: str, resolution: int, last: int | None = None) -> list[Path]:
    """Writes `out/STEM-1.png`, `STEM-2.png`, … (up to page `last`), removing older pages of that stem first."""
    for old in out.glob(f"{stem}-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "document.pdf"
        source.write_bytes(pdf)
        command = ["pdftoppm", "-r", str(resolution), "-png"] + (["-l", str(last)] if last else [])
        subprocess.run(command + [str(source), str(Path(work) / "page")], check=True)
        written = []
        for number, page in enumerate(sorted(Path(work).glob("page-*.png")), start=1):
            target = out / f"{stem}-{number}.png"
            target.write_bytes(page.read_bytes())
            written.append(target)
        return written
