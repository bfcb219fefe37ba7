"""Drives a release `honors` server over HTTP and reports timings and peak memory.

Scenarios (each on its own server and data folder, so peak memory belongs to one scenario):
  form      GET /nominations/{id}/form.docx, repeated; median and 95th percentile. With LibreOffice,
            also form.pdf a few times through the converter pool.
  summary   GET /campaigns/{id}/summary.xlsx?by=committee over N nominations (default 10 000).
  package   a material package of the whole demo campaign (200 nominations), Word forms, from the
            request to the finished zip.
  package-pdf   the same over 50 nominations with every form also as PDF (LibreOffice, pooled profiles).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts" / "lib"))
from honors_server import DEMO_CAMPAIGN, Client, Server  # noqa: E402

ADMIN, PASSWORD = "bench", "Bench2024pass"


def start(binary: str, nominations: int) -> tuple[Server, Client]:
    """A server on demo data with N nominations, and an administrator signed in to it."""
    server = Server(binary, nominations)
    server.add_user(ADMIN, PASSWORD, "admin")
    return server, server.client(ADMIN, PASSWORD)


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def form_scenario(binary: str, repeats: int) -> list[tuple[str, str, str]]:
    server, admin = start(binary, 200)
    try:
        ids = server.nomination_ids(("submitted", "returned", "approved", "rejected"), 200)
        admin.get(f"/nominations/{ids[0]}/form.docx")  # warm up: templates, connections
        times = [timed(lambda i=i: admin.get(f"/nominations/{i}/form.docx"))[0] for i in ids[:repeats]]
        rows = [("一份审批表（Word，含读库、解密、留痕）", f"中位 {statistics.median(times):.1f} ms，"
                 f"P95 {sorted(times)[int(len(times) * 0.95) - 1]:.1f} ms（{len(times)} 次）", "< 20 ms")]
        if shutil.which("soffice") or shutil.which("libreoffice"):
            first, _ = timed(lambda: admin.get(f"/nominations/{ids[0]}/form.pdf"))
            warm = [timed(lambda i=i: admin.get(f"/nominations/{i}/form.pdf"))[0] for i in ids[1:6]]
            rows.append(("一份审批表（PDF，LibreOffice）", f"首次 {first / 1000:.1f} s，之后中位 "
                         f"{statistics.median(warm) / 1000:.2f} s（配置文件池复用）", "—"))
        return rows
    finally:
        server.stop()


def summary_scenario(binary: str, nominations: int) -> list[tuple[str, str, str]]:
    server, admin = start(binary, nominations)
    try:
        baseline = server.resident_mb()
        ms, data = timed(lambda: admin.get(f"/campaigns/{DEMO_CAMPAIGN}/summary.xlsx?by=committee"))
        return [
            (f"准备数据：honors demo --nominations {nominations}", f"{server.seed_seconds:.1f} s", "—"),
            (f"汇总表 {nominations} 条（每类一表＋每党委一表）", f"{ms / 1000:.2f} s，{len(data) / 1e6:.1f} MB", "< 2 s"),
            ("汇总表时服务进程内存峰值", f"{server.peak_mb():.0f} MB（空闲时 {baseline:.0f} MB）", "< 200 MB"),
        ]
    finally:
        server.stop()


def package_scenario(binary: str, nominations: int, pdf: bool = False) -> list[tuple[str, str, str]]:
    server, admin = start(binary, nominations)
    try:
        baseline = server.resident_mb()
        started = time.perf_counter()
        form = {"committee_id": ""} | ({"pdf": "1"} if pdf else {})
        location = admin.post(f"/campaigns/{DEMO_CAMPAIGN}/packages", form)
        job = location.rstrip("/").split("/")[-1]
        while True:
            status = json.loads(admin.get(f"/packages/{job}/status"))
            if not status["working"]:
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        assert status["ready"], status
        size = len(admin.get(f"/packages/{job}/download"))
        return [
            (f"材料包：{nominations} 条中未撤回的 {status['total'] - 2} 份 {'Word 和 PDF' if pdf else 'Word'} 审批表＋汇总表＋附件1",
             f"{seconds:.1f} s，{size / 1e6:.1f} MB", "—"),
            ("材料包时服务进程内存峰值", f"{server.peak_mb():.0f} MB（空闲时 {baseline:.0f} MB）", "—"),
        ]
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--nominations", type=int, default=10_000, help="rows of the 汇总表 scenario")
    parser.add_argument("--package", type=int, default=200, help="nominations in the package scenario")
    parser.add_argument("--forms", type=int, default=100, help="form downloads to time")
    parser.add_argument("--pdf-package", type=int, default=50, help="nominations in the package scenario with PDF")
    parser.add_argument("--only", default="form,summary,package,package-pdf", help="comma-separated scenarios to run")
    args = parser.parse_args()
    chosen = args.only.split(",")
    rows = []
    if "form" in chosen:
        rows += form_scenario(args.bin, args.forms)
    if "summary" in chosen:
        rows += summary_scenario(args.bin, args.nominations)
    if "package" in chosen:
        rows += package_scenario(args.bin, args.package)
    if "package-pdf" in chosen and (shutil.which("soffice") or shutil.which("libreoffice")):
        rows += package_scenario(args.bin, args.pdf_package, pdf=True)
    print(f"\n机器：{os.cpu_count()} 核，{time.strftime('%Y-%m-%d')}，release 构建，SQLite\n")
    print("| 场景 | 结果 | 目标 |\n|---|---|---|")
    for name, result, target in rows:
        print(f"| {name} | {result} | {target} |")


if __name__ == "__main__":
    sys.exit(main())
