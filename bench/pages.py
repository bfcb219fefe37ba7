"""Page speed at scale: every list, desk and public page at 1 000, 10 000 and 100 000 nominations, on SQLite and
PostgreSQL, beside the floor of the same run (a plain-text route through the same middleware, anonymous and
signed in).

For each engine and size: a fresh data folder (and, for PostgreSQL, a fresh database) filled by `honors demo
--nominations N` (the seeding time is reported), a release server, an administrator and a committee operator
signed in. Each page is fetched once to warm up, then timed one request at a time (median of --single), then
loaded with wrk (-t2 -c32 by default, on the same cores) for req/s and the p50/p99 latency. The server's idle
resident memory is read before the pages, once it has been quiet for longer than its job poll (6 s after the
sign-ins), and its peak (VmHWM) after them.

    bench/pages.sh                                  # build release, start a throwaway PostgreSQL, run all
    python3 bench/pages.py --bin BIN --sizes 1000 --engines sqlite      # one quick run

Results are Markdown tables on standard output, for docs/benchmarks.md. Figures are never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts" / "lib"))
from honors_server import DEMO_CAMPAIGN, Client, Server  # noqa: E402

ADMIN, OPERATOR, PASSWORD = "bench", "benchop", "Bench2024pass"


def pages(server: Server, nominations: int) -> list[tuple[str, str, str]]:
    """(label, who, path) for every measured request; `who` is anon, admin or operator."""
    some = server.nomination_ids(("submitted", "approved"), 1)
    publicity = server.query("SELECT campaign_id FROM publicities ORDER BY id LIMIT 1")
    last_page = max(1, nominations // 50)
    rows = [
        ("floor: /healthz/live", "anon", "/healthz/live"),
        ("floor: /healthz/live 已登录", "admin", "/healthz/live"),
        ("/healthz（读库）", "anon", "/healthz"),
        ("首页仪表板", "admin", "/"),
        ("推荐对象，第一页", "admin", "/nominations"),
        (f"推荐对象，最后一页（?page={last_page}）", "admin", f"/nominations?page={last_page}"),
        ("按名称搜索（?q=王）", "admin", "/nominations?" + urllib.parse.urlencode({"q": "王"})),
        ("本党委的推荐对象", "operator", "/nominations"),
        ("审核工作台", "admin", f"/review?campaign={DEMO_CAMPAIGN}"),
        ("审核工作台，最后一页", "admin", f"/review?campaign={DEMO_CAMPAIGN}&page={max(1, last_page // 2)}"),
        ("操作记录", "admin", "/admin/audit"),
        ("推荐构成分析", "admin", f"/campaigns/{DEMO_CAMPAIGN}/composition"),
    ]
    if some:
        rows.append(("一份推荐对象", "admin", f"/nominations/{some[0]}"))
    if publicity:
        rows.append(("公示页（未登录）", "anon", f"/public/campaigns/{publicity[0][0]}"))
    return rows


def wrk(url: str, cookie: str | None, seconds: int, connections: int) -> tuple[float, str, str, int]:
    """req/s, p50, p99 and the count of non-2xx answers from one wrk run."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: honors_session={cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"\s50%\s+(\S+)", out).group(1)
    p99 = re.search(r"\s99%\s+(\S+)", out).group(1)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rate, p50, p99, int(bad.group(1)) if bad else 0


def answer(get):
    """`get`, with an error's page as its answer (an older build without a route still gives the floor a figure;
    wrk's non-2xx count shows it)."""
    def fetch() -> bytes:
        try:
            return get()
        except urllib.error.HTTPError as error:
            return error.read()
    return fetch


def session_of(client: Client) -> str:
    return next(c.value for c in client.jar if c.name == "honors_session")


def run(binary: str, engine: str, nominations: int, database_url: str | None, args) -> list[str]:
    server = Server(binary, nominations, database_url)
    try:
        committee = server.query("SELECT name FROM committees ORDER BY sort_order LIMIT 1")[0][0]
        server.add_user(ADMIN, PASSWORD, "admin")
        server.add_user(OPERATOR, PASSWORD, "committee", committee)
        clients = {"admin": server.client(ADMIN, PASSWORD), "operator": server.client(OPERATOR, PASSWORD), "anon": None}
        # Idle: quiet for longer than the job poll (5 s), after which the server hands freed heap back (HeapTrim).
        time.sleep(6)
        idle = server.resident_mb()
        lines = []
        for label, who, path in pages(server, nominations):
            client = clients[who]
            fetch = answer(lambda: client.get(path)) if client else answer(lambda: urllib.request.urlopen(server.base + path).read())
            fetch()
            times = []
            for _ in range(args.single):
                started = time.perf_counter()
                size = len(fetch())
                times.append((time.perf_counter() - started) * 1000)
            rate, p50, p99, bad = wrk(server.base + path, session_of(client) if client else None, args.duration,
                                      args.connections)
            note = f" ({bad} 非2xx)" if bad else ""
            lines.append(f"| {engine} | {nominations} | {label} | {statistics.median(times):.1f} ms | {rate:.0f}{note} "
                         f"| {p50} | {p99} | {size // 1024} KB |")
            print(lines[-1], file=sys.stderr, flush=True)
        lines.append(f"| {engine} | {nominations} | 准备数据 honors demo | {server.seed_seconds:.1f} s | | | | |")
        lines.append(f"| {engine} | {nominations} | 内存：空闲 / 峰值 | {idle:.0f} MB / {server.peak_mb():.0f} MB | | | | |")
        return lines
    finally:
        server.stop()


def fresh_database(base_url: str, name: str) -> str:
    """An empty database beside `base_url`'s, dropped first if an earlier run left it."""
    for statement in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", base_url, "-q", "-c", statement], check=True, capture_output=True)
    parts = urllib.parse.urlsplit(base_url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--single", type=int, default=20, help="one-at-a-time requests per page (median)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL server whose role may create databases (bench/pages.sh starts one)")
    args = parser.parse_args()
    lines = []
    for engine in args.engines.split(","):
        if engine == "postgres" and not args.database_url:
            print("postgres: no --database-url / BENCH_DATABASE_URL, skipped", file=sys.stderr)
            continue
        for size in (int(s) for s in args.sizes.split(",")):
            url = fresh_database(args.database_url, f"honors_bench_{size}") if engine == "postgres" else None
            lines += run(args.bin, engine, size, url, args)
    print(f"\n{os.cpu_count()} 核，{time.strftime('%Y-%m-%d')}，release 构建，wrk -t2 -c{args.connections} "
          f"-d{args.duration}s（同一台机器）\n")
    print("| 引擎 | 条数 | 页面 | 单次中位 | req/s | p50 | p99 | 大小 |\n|---|---|---|---|---|---|---|---|")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
