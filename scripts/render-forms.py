"""Renders the pictures of docs/forms.md: each approval form filled in and left blank, page by page.

    swift build && python3 scripts/render-forms.py [--bin .build/debug/honors] [--out docs/forms]

It starts the real server on a fresh data folder (`honors demo --nominations 0`: an open campaign, no
nominations), signs in as an operator of 市快递行业党委, enters one nomination of each category through the same
forms a browser posts, adds a photo and 上报s it with the committee's opinion, then downloads
`/nominations/{id}/form.pdf` and turns its pages into PNGs with pdftoppm. The blank forms are empty drafts.
Needs LibreOffice Writer, fonts-noto-cjk and poppler-utils, as the test suite does.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
from pdf_pages import render  # noqa: E402
from honors_server import Server  # noqa: E402
from sample_nomination import ORG_FORM, person_form, portrait_png  # noqa: E402

OPERATOR, PASSWORD, COMMITTEE = "docs01", "Docs2024pass", "市快递行业党委"


def nomination_id(address: str) -> str:
    found = re.search(r"/nominations/(\d+)", address)
    if not found:
        raise RuntimeError(f"the form was not saved (ended on {address})")
    return found.group(1)


def version_of(client, nomination: str) -> str:
    return re.search(r'name="version" value="(\d+)"', client.get(f"/nominations/{nomination}").decode()).group(1)


def approve(server: Server, operator, nomination: str, out: Path, resolution: int) -> None:
    """The printed form goes back as the scan (its QR code read from the PDF), is submitted, and approved by
    the alliance: the form then carries the alliance's opinion in its last block."""
    scan = operator.get(f"/nominations/{nomination}/form.pdf")
    operator.upload(f"/nominations/{nomination}/scan", "scan[]", "盖章扫描件.pdf", scan, "application/pdf")
    operator.post(f"/nominations/{nomination}/submit", {"version": version_of(operator, nomination)})
    server.add_user("lianmeng", PASSWORD, "admin")
    admin = server.client("lianmeng", PASSWORD)
    admin.post(f"/nominations/{nomination}/integrity", {"integrity_result": "clear", "integrity_note": "",
                                                       "reply_date": datetime.date.today().isoformat()})
    admin.post(f"/nominations/{nomination}/approve", {"alliance_opinion": "经市“两新”党建联盟研究，同意表彰为优秀共产党员。",
                                                     "alliance_opinion_date": datetime.date.today().isoformat(),
                                                     "version": version_of(admin, nomination)})
    for old in out.glob("member-approved-*.png"):
        old.unlink()
    pages = render(admin.get(f"/nominations/{nomination}/form.pdf"), out, "member-approved", resolution)
    print(f"member-approved: {len(pages)} page(s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/debug/honors")
    parser.add_argument("--out", default="docs/forms")
    parser.add_argument("--resolution", type=int, default=80)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    server = Server(args.bin, 0)
    try:
        server.add_user(OPERATOR, PASSWORD, "committee", COMMITTEE)
        operator = server.client(OPERATOR, PASSWORD)
        today = datetime.date.today()
        for category, stem in [("org", "org"), ("member", "member"), ("worker", "worker")]:
            form = (ORG_FORM if category == "org" else person_form(category)) | {
                "committee_opinion": "经党委会研究，同意推荐。", "committee_signer": "王建国",
                "committee_opinion_date": today.isoformat()}
            filled = nomination_id(operator.post("/nominations", form))
            if category != "org":
                operator.upload(f"/nominations/{filled}/photo", "photo", "照片.png", portrait_png(), "image/png")
            blank = nomination_id(operator.post("/nominations", {"category": category}))
            for nomination, kind in [(filled, "filled"), (blank, "blank")]:
                for old in out.glob(f"{stem}-{kind}-*.png"):
                    old.unlink()
                pages = render(operator.get(f"/nominations/{nomination}/form.pdf"), out, f"{stem}-{kind}",
                               args.resolution)
                print(f"{stem}-{kind}: {len(pages)} page(s)")
            if category == "member":
                approve(server, operator, filled, out, args.resolution)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
