"""Renders the pictures of docs/composition.md: the 推荐构成分析 page of the demo campaign as the screen shows it,
and as it prints (Chromium's print to PDF, pages in grey by pdftoppm), so the charts can be checked in black and
white.

    swift build && python3 scripts/render-composition.py [--bin .build/debug/honors] [--out docs/composition]

Needs Chromium, its driver and selenium (as the browser suite), poppler-utils.
"""

from __future__ import annotations

import argparse
import base64
import subprocess
import sys
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
from honors_server import DEMO_CAMPAIGN, Server  # noqa: E402

ADMIN, PASSWORD = "docsadmin", "Docs2024pass"


def browser(width: int) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},900", "--lang=zh-CN"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/debug/honors")
    parser.add_argument("--out", default="docs/composition")
    parser.add_argument("--nominations", type=int, default=600)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    server = Server(args.bin, args.nominations)
    driver = browser(1280)
    try:
        server.add_user(ADMIN, PASSWORD, "admin")
        admin = server.client(ADMIN, PASSWORD)
        driver.get(server.base + "/healthz/live")
        for cookie in admin.jar:
            driver.add_cookie({"name": cookie.name, "value": cookie.value, "path": "/"})
        driver.get(f"{server.base}/campaigns/{DEMO_CAMPAIGN}/composition")
        # The top of the page: progress and the front line; the facets below look alike.
        driver.set_window_size(1280, 1560)
        driver.save_screenshot(str(out / "screen.png"))
        print("screen.png")

        pdf = base64.b64decode(driver.print_page())
        for old in out.glob("print-*.png"):
            old.unlink()
        with tempfile.TemporaryDirectory() as work:
            source = Path(work) / "page.pdf"
            source.write_bytes(pdf)
            subprocess.run(["pdftoppm", "-r", "60", "-gray", "-png", "-l", "2", str(source), str(Path(work) / "p")], check=True)
            for number, page in enumerate(sorted(Path(work).glob("p-*.png")), start=1):
                (out / f"print-{number}.png").write_bytes(page.read_bytes())
                print(f"print-{number}.png")
    finally:
        driver.quit()
        server.stop()


if __name__ == "__main__":
    main()
