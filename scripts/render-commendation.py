"""Renders the pictures of docs/commendation.md: the 表彰决定 and the 荣誉证书 of a closed campaign, and the
公示 notice of a running one, page by page.

    swift build && python3 scripts/render-commendation.py [--bin .build/debug/honors] [--out docs/commendation]

It starts the real server on a fresh data folder filled by `honors demo` (which leaves a campaign in 公示 and a
closed one with its decision), signs in as an administrator, downloads the PDFs the administrator downloads and
turns their pages into PNGs with pdftoppm. Needs LibreOffice Writer, fonts-noto-cjk and poppler-utils.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
from pdf_pages import render  # noqa: E402
from honors_server import Server  # noqa: E402

ADMIN, PASSWORD = "docsadmin", "Docs2024pass"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/debug/honors")
    parser.add_argument("--out", default="docs/commendation")
    parser.add_argument("--resolution", type=int, default=70)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    server = Server(args.bin, 20)
    try:
        with sqlite3.connect(server.folder / "data" / "honors.sqlite") as db:
            ids = dict(db.execute("SELECT document_number, id FROM campaigns").fetchall())
        closed, running = ids["演示〔往年〕1号"], ids["演示〔公示〕1号"]
        server.add_user(ADMIN, PASSWORD, "admin")
        admin = server.client(ADMIN, PASSWORD)
        for path, stem, last in [(f"/campaigns/{closed}/commendation/decision.pdf", "decision", 9),
                                 (f"/campaigns/{closed}/commendation/certificates.pdf", "certificate", 2),
                                 (f"/campaigns/{running}/publicity/notice.pdf", "publicity-notice", 1)]:
            pages = render(admin.get(path), out, stem, args.resolution, last)
            print(f"{stem}: {len(pages)} page(s)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
