"""The fault drill: several operators write while the server (and on PostgreSQL the database server) is killed
with SIGKILL and started again, round after round. scripts/fault-drill.sh runs it; docs/reliability.md says
what it shows.

Each operator, in a committee of its own, takes one nomination at a time through its whole life as a browser
would: create (the form carries a creation key), edit, photo, scan (confirmed by hand: it has no QR code),
submit (上报), withdraw. An answer that arrives is an acknowledged write and is written down; an answer lost
to the kill is not, and a create whose answer was lost is sent again, same key, once the server is back.

After each kill, with nothing running but the database: `honors check` and `honors audit verify` must pass.
Then the server starts again and, before any operator writes, every write acknowledged so far (in this round
and all earlier ones) must be in the database: the nomination its creation key made, once and under the id
the answer named; the edited text; the photo (by its hash) and the scan; the state submit and withdraw left.
No partial file may be left in the data folder, and every stored upload is readable by the service only.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import http.client
import json
import os
import random
import re
import signal
import socket
import sqlite3
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from honors_server import Client  # noqa: E402
from sample_nomination import numbered_member, portrait_png  # noqa: E402

PASSWORD = "Drill2024pass"
OPINION = {"committee_opinion": "经党委会研究，同意推荐。", "committee_signer": "王建国"}


def lost_answer(error: BaseException) -> bool:
    """What a lost answer looks like to a client: the connection refused, reset or closed half-way."""
    return not isinstance(error, urllib.error.HTTPError) and isinstance(error, (OSError, http.client.HTTPException))


# --------------------------------------------------------------------------------------------------------
# The database, read directly: what was kept, not what a page says.


class Database:
    def __init__(self, engine: str, data: Path, url: str | None):
        self.engine, self.data, self.url = engine, data, url

    def rows(self, sql: str) -> list[tuple[str, ...]]:
        if self.engine == "sqlite":
            with sqlite3.connect(self.data / "honors.sqlite") as db:
                return [tuple("" if v is None else str(v) for v in row) for row in db.execute(sql)]
        out = subprocess.run(["psql", self.url, "-X", "-q", "-A", "-t", "-F", "\x1f", "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\x1f")) for line in out.splitlines() if line]


# --------------------------------------------------------------------------------------------------------
# The servers


class Servers:
    def __init__(self, binary: str, engine: str, folder: Path, pg_dir: str | None, pg_port: str | None,
                 pg_url: str | None):
        self.binary, self.engine, self.folder = binary, engine, folder
        self.pg_dir, self.pg_port = pg_dir, pg_port
        self.env = dict(os.environ, HONORS_DATA_DIR=str(folder / "data"), HONORS_BCRYPT_COST="4", LOG_LEVEL="warning")
        self.env.pop("HONORS_SECRET_KEY", None)
        self.env.pop("HONORS_SECRET_KEY_FILE", None)
        if pg_url:
            self.env["DATABASE_URL"] = pg_url
        else:
            self.env.pop("DATABASE_URL", None)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = open(folder / "server.log", "ab")

    def honors(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([self.binary, *args], env=self.env, input=input, capture_output=True, text=True)

    def start(self) -> float:
        started = time.perf_counter()
        self.process = subprocess.Popen([self.binary, "serve", "--hostname", "127.0.0.1", "--port", str(self.port)],
                                        env=self.env, stdout=self.log, stderr=self.log)
        while time.perf_counter() - started < 120:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited at start (code {self.process.returncode}); see {self.log.name}")
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).read()
                return time.perf_counter() - started
            except OSError:
                time.sleep(0.05)
        raise SystemExit("the server did not answer /healthz within 120 s")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    # PostgreSQL: the postmaster and every backend at once, as a crash would leave them.

    def _pg(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], cwd=self.pg_dir, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def kill_database(self) -> None:
        pid_file = Path(self.pg_dir) / "data" / "postmaster.pid"
        postmaster = int(pid_file.read_text().split()[0])
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(postmaster)], capture_output=True,
                                  text=True).stdout.split()
        for pid in [postmaster, *map(int, children)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in [postmaster, *map(int, children)]:
            while Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text():
                time.sleep(0.02)
        # A container's first process may never reap them: the dead postmaster's number still exists, as a
        # zombie, and PostgreSQL would take its lock file for a running server's. After a real crash the
        # number is gone; so are the lock files' claims here.
        pid_file.unlink()
        for lock in (Path(self.pg_dir) / "socket").glob(".s.PGSQL.*.lock"):
            lock.unlink()

    def start_database(self) -> None:
        bin_dir = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
        self._pg(f"{bin_dir}/pg_ctl", "-D", f"{self.pg_dir}/data", "-l", f"{self.pg_dir}/server.log", "-w", "-t", "120",
                 "-o", f"-p {self.pg_port}", "start")


# --------------------------------------------------------------------------------------------------------
# What the operators were told


@dataclass
class Life:
    """One nomination an operator took through its steps: what each acknowledged answer said."""
    key: str
    client: int
    id: int | None = None
    edited: str | None = None
    photo: str | None = None
    scanned: bool = False
    submitted: bool = False
    withdrawn: bool = False
    resent: int = 0

    @property
    def acknowledged(self) -> int:
        return sum([self.id is not None, self.edited is not None, self.photo is not None, self.scanned,
                    self.submitted, self.withdrawn])


@dataclass
class Tally:
    lives: list[Life] = field(default_factory=list)
    lost_answers: int = 0
    refusals: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Operator(threading.Thread):
    def __init__(self, number: int, client: Client, tally: Tally, up: threading.Event, done: threading.Event,
                 counter, photo: bytes):
        super().__init__(daemon=True)
        self.number, self.client, self.tally, self.up, self.done = number, client, tally, up, done
        self.counter, self.photo_base = counter, photo
        self.unsettled: list[int] = []  # nominations whose last step's answer was lost: may hold a slot

    # Requests

    def send(self, path: str, form: dict[str, str] | None = None, files: tuple[str, str, bytes, str] | None = None):
        """(final address, page) of a successful answer; HTTPError for a refusal; OSError for a lost answer."""
        if files is None and form is None:
            with self.client.opener.open(self.client.base + path, timeout=60) as answer:
                return answer.geturl(), answer.read().decode()
        if files is None:
            data = urllib.parse.urlencode(form | {"_csrf": self.client.csrf}).encode()
            request = urllib.request.Request(self.client.base + path, data=data)
        else:
            boundary = uuid.uuid4().hex
            field_name, filename, content, content_type = files
            parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode()
                     for name, value in ((form or {}) | {"_csrf": self.client.csrf}).items()]
            parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field_name}\"; filename=\"{filename}\"\r\n"
                         f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
            request = urllib.request.Request(self.client.base + path, data=b"".join(parts) + f"--{boundary}--\r\n".encode(),
                                             headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        with self.client.opener.open(request, timeout=60) as answer:
            return answer.geturl(), answer.read().decode()

    def version(self, nomination: int) -> str:
        _, page = self.send(f"/nominations/{nomination}")
        return re.search(r'name="version" value="(\d+)"', page).group(1)

    def refused(self, step: str, error: urllib.error.HTTPError) -> None:
        body = html.unescape(re.sub(r"<[^>]+>", " ", error.read().decode(errors="replace")))
        messages = re.findall(r"[\u4e00-\u9fff][^\n]{0,60}", body)
        with self.tally.lock:
            self.tally.refusals.append(f"operator {self.number} {step}: {error.code} {' / '.join(messages[:3])}")

    def wait_for_server(self) -> None:
        with self.tally.lock:
            self.tally.lost_answers += 1
        self.up.wait()

    # The steps of one nomination

    def photo(self, tag: str) -> bytes:
        """The portrait with a text chunk of its own: another file, another hash."""
        text = b"Comment\x00" + tag.encode()
        chunk = struct.pack(">I", len(text)) + b"tEXt" + text + struct.pack(">I", zlib.crc32(b"tEXt" + text))
        return self.photo_base[:-12] + chunk + self.photo_base[-12:]

    def life(self, n: int) -> None:
        life = Life(key=str(uuid.uuid4()), client=self.number)
        with self.tally.lock:
            self.tally.lives.append(life)
        form = numbered_member(n) | OPINION | {"committee_opinion_date": time.strftime("%Y-%m-%d")}
        # Create: a lost answer is sent again with the same key until one arrives.
        while life.id is None and not self.done.is_set():
            try:
                address, _ = self.send("/nominations", form | {"creation_key": life.key})
                life.id = int(re.search(r"/nominations/(\d+)", address).group(1))
            except urllib.error.HTTPError as error:
                return self.refused("create", error)
            except Exception as error:  # noqa: BLE001 - sorted by lost_answer
                if not lost_answer(error):
                    raise
                life.resent += 1
                self.wait_for_server()
        if life.id is None:
            return
        nomination, tag = life.id, f"drill-{life.key[:8]}"
        steps = [
            ("edit", lambda: self.send(f"/nominations/{nomination}", form | {
                "version": self.version(nomination), "honors_received": form["honors_received"] + f"\n2023.01 {tag}"})),
            ("photo", lambda: self.send(f"/nominations/{nomination}/photo", {"version": self.version(nomination)},
                                        ("photo", "照片.png", self.photo(tag), "image/png"))),
            ("scan", lambda: self.scan(nomination)),
            ("submit", lambda: self.send(f"/nominations/{nomination}/submit", {"version": self.version(nomination)})),
            ("withdraw", lambda: self.send(f"/nominations/{nomination}/withdraw", {"version": self.version(nomination)})),
        ]
        for step, send in steps:
            if self.done.is_set():
                return
            try:
                send()
            except urllib.error.HTTPError as error:
                return self.refused(step, error)
            except Exception as error:  # noqa: BLE001
                if not lost_answer(error):
                    raise
                self.unsettled.append(nomination)
                return self.wait_for_server()
            if step == "edit":
                life.edited = tag
            elif step == "photo":
                life.photo = hashlib.sha256(self.photo(tag)).hexdigest() + ".png"
            elif step == "scan":
                life.scanned = True
            elif step == "submit":
                life.submitted = True
            else:
                life.withdrawn = True

    def scan(self, nomination: int) -> None:
        """A scan without a readable code: the page asks which printed version it is; the current one."""
        scan = portrait_png(120, 170)
        try:
            self.send(f"/nominations/{nomination}/scan", {}, ("scan[]", "扫描件.png", scan, "image/png"))
            raise RuntimeError("a scan without a code was kept without its confirmation")
        except urllib.error.HTTPError as error:
            if error.code != 422:
                raise
            page = error.read().decode()
        token = html.unescape(re.search(r'name="pending" value="([^"]+)"', page).group(1))
        printed = re.search(r'name="printed" value="([^"]+)"', page).group(1)
        self.send(f"/nominations/{nomination}/scan", {"pending": token, "printed": printed,
                                                      "version": self.version(nomination)})

    def settle(self) -> None:
        """A nomination whose last answer was lost may have been submitted and hold the committee's slot: it
        is withdrawn (refused when it was not submitted, which is as good)."""
        while self.unsettled and not self.done.is_set():
            nomination = self.unsettled[0]
            try:
                self.send(f"/nominations/{nomination}/withdraw", {"version": self.version(nomination)})
            except urllib.error.HTTPError:
                pass
            except Exception as error:  # noqa: BLE001
                if not lost_answer(error):
                    raise
                self.wait_for_server()
                continue
            self.unsettled.pop(0)

    def run(self) -> None:
        try:
            while not self.done.is_set():
                self.up.wait()
                self.settle()
                self.life(next(self.counter))
        except Exception as error:  # noqa: BLE001 - the drill reports it and fails
            with self.tally.lock:
                self.tally.refusals.append(f"operator {self.number} stopped: {error!r}")


# --------------------------------------------------------------------------------------------------------
# After each kill


def verify(lives: list[Life], db: Database, data: Path) -> list[str]:
    """What was acknowledged and is not in the database, or is there twice; partial and open files."""
    problems: list[str] = []
    keyed = {key: (int(id_), int(count)) for key, id_, count in db.rows(
        "SELECT creation_key, MIN(id), COUNT(*) FROM nominations WHERE creation_key IS NOT NULL GROUP BY creation_key")}
    rows = {int(r[0]): r[1:] for r in db.rows(
        "SELECT n.id, n.state, n.data, COALESCE(n.photo_file, ''), COALESCE(s.files, '') FROM nominations n "
        "LEFT JOIN nomination_scans s ON s.id = n.scan_id WHERE n.creation_key IS NOT NULL")}
    for life in lives:
        if life.id is None:
            continue
        found = keyed.get(life.key)
        if found is None:
            problems.append(f"creation key {life.key}: acknowledged as nomination {life.id}, not in the database")
            continue
        if found != (life.id, 1):
            problems.append(f"creation key {life.key}: acknowledged as {life.id}, stored as {found[0]} ({found[1]} rows)")
        state, values, photo, scan_files = rows[life.id]
        if life.edited and life.edited not in values:
            problems.append(f"nomination {life.id}: the acknowledged edit ({life.edited}) is not stored")
        if life.photo and photo != life.photo:
            problems.append(f"nomination {life.id}: photo {photo or 'none'} stored, {life.photo} acknowledged")
        if life.photo and hashlib.sha256((data / "uploads" / life.photo).read_bytes()).hexdigest() + ".png" != life.photo:
            problems.append(f"nomination {life.id}: the photo file does not hold what was uploaded")
        if life.scanned:
            stored = [f["stored"] for f in json.loads(scan_files or "[]")]
            if not stored:
                problems.append(f"nomination {life.id}: the acknowledged scan is not stored")
            for name in stored:
                if not (data / "uploads" / "scans" / name).is_file():
                    problems.append(f"nomination {life.id}: scan file {name} is missing")
        if life.withdrawn and state != "withdrawn":
            problems.append(f"nomination {life.id}: withdrawn was acknowledged, the state is {state}")
        elif life.submitted and state not in ("submitted", "withdrawn"):
            problems.append(f"nomination {life.id}: submitted was acknowledged, the state is {state}")
    for path in data.rglob("*"):
        if ".partial" in path.name:
            problems.append(f"a partial file is left: {path.relative_to(data)}")
        elif path.is_file() and (data / "uploads") in path.parents and stat.S_IMODE(path.stat().st_mode) & 0o077:
            problems.append(f"{path.relative_to(data)} is readable by others ({oct(stat.S_IMODE(path.stat().st_mode))})")
    return problems


# --------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url")
    parser.add_argument("--pg-dir")
    parser.add_argument("--pg-port")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    if args.engine == "postgres" and not (args.database_url and args.pg_dir and args.pg_port):
        parser.error("--engine postgres needs --database-url, --pg-dir and --pg-port")
    rng = random.Random(args.seed)

    folder = Path(tempfile.mkdtemp(prefix="honors-drill-"))
    servers = Servers(args.bin, args.engine, folder, args.pg_dir, args.pg_port, args.database_url)
    db = Database(args.engine, folder / "data", args.database_url)
    seeded = servers.honors("demo", "--nominations", "0")
    if seeded.returncode != 0:
        raise SystemExit(f"honors demo failed:\n{seeded.stderr}")
    committees = [row[0] for row in db.rows("SELECT name FROM committees ORDER BY id")][: args.clients]
    for number, committee in enumerate(committees):
        made = servers.honors("user", "create", "--username", f"drill{number}", "--role", "committee",
                              "--committee", committee, "--password-stdin", input=PASSWORD + "\n")
        if made.returncode != 0:
            raise SystemExit(f"honors user create failed:\n{made.stderr}")
    first_start = servers.start()

    tally, up, done = Tally(), threading.Event(), threading.Event()
    up.set()
    counter = iter(range(1, 10**9))
    counter_lock = threading.Lock()

    class Counter:
        def __next__(self) -> int:
            with counter_lock:
                return next(counter)

    photo = portrait_png()
    operators = [Operator(number, Client(servers.base, f"drill{number}", PASSWORD), tally, up, done, Counter(), photo)
                 for number in range(len(committees))]
    for operator in operators:
        operator.start()

    failures: list[str] = []
    restarts: list[float] = []
    print(f"fault drill on {args.engine}: {len(operators)} operators, {args.rounds} rounds "
          f"(first start {first_start:.1f} s, data in {folder})", flush=True)
    try:
        for round_number in range(1, args.rounds + 1):
            time.sleep(rng.uniform(0.5, 3.0))
            up.clear()
            servers.kill()
            if args.engine == "postgres":
                servers.kill_database()
                servers.start_database()
            time.sleep(0.2)  # the operators see their connections fail and wait
            check = servers.honors("check")
            audit = servers.honors("audit", "verify")
            for name, run in (("honors check", check), ("honors audit verify", audit)):
                if run.returncode != 0:
                    failures.append(f"round {round_number}: {name} failed:\n{run.stdout}{run.stderr}")
            restarts.append(servers.start())
            with tally.lock:
                lives = list(tally.lives)
            problems = verify(lives, db, folder / "data")
            failures += [f"round {round_number}: {p}" for p in problems]
            acknowledged = sum(life.acknowledged for life in lives)
            print(f"round {round_number:3d}: {acknowledged} writes acknowledged so far, {tally.lost_answers} answers lost, "
                  f"{sum(life.resent for life in lives)} creates re-sent; check {'ok' if check.returncode == 0 else 'FAILED'}, "
                  f"audit {'ok' if audit.returncode == 0 else 'FAILED'}, {len(problems)} missing", flush=True)
            up.set()
        done.set()
        up.set()
    finally:
        done.set()
        up.set()
        for operator in operators:
            operator.join(timeout=90)
        servers.stop()

    lives = list(tally.lives)
    problems = verify(lives, db, folder / "data")
    failures += [f"at the end: {p}" for p in problems]
    summary = {
        "engine": args.engine, "rounds": args.rounds, "operators": len(operators),
        "nominations": sum(life.id is not None for life in lives),
        "acknowledged_writes": sum(life.acknowledged for life in lives),
        "lost_answers": tally.lost_answers,
        "creates_resent": sum(life.resent for life in lives),
        "lost_writes": len([f for f in failures if "acknowledged" in f or "not stored" in f or "missing" in f]),
        "restart_seconds_median": sorted(restarts)[len(restarts) // 2] if restarts else None,
        "refusals": len(tally.refusals),
    }
    print("summary: " + json.dumps(summary, ensure_ascii=False))
    for refusal in tally.refusals[:20]:
        print("refused: " + refusal)
    if failures or tally.refusals:
        for failure in failures[:50]:
            print("FAILED " + failure, file=sys.stderr)
        print(f"server log: {folder / 'server.log'}", file=sys.stderr)
        return 1
    subprocess.run(["rm", "-rf", str(folder)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
