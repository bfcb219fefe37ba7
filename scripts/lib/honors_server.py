"""A real `honors` server on a fresh data folder, and a signed-in client for it.

Used by bench/bench.py (timings and memory) and scripts/render-forms.py (the pictures in docs/forms.md), so both
drive the application exactly as a browser would: CSRF token, session cookie, forms and uploads.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.cookiejar
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

DEMO_CAMPAIGN = 2  # `honors demo` adds it after the seeded 2024 campaign


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, seconds: float = 60) -> None:
    """Waits for a starting server to answer `/healthz`; raises if it has not within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer on {base} within {seconds:.0f} s")


class Server:
    """Fills a new data folder with `honors demo --nominations N`, then serves it on a free loopback port.
    With `database_url` the data lives in that (empty) PostgreSQL database instead of the folder's SQLite file."""

    def __init__(self, binary: str, nominations: int, database_url: str | None = None):
        self.binary = binary
        self.folder = Path(tempfile.mkdtemp(prefix="honors-run-"))
        self.env = dict(os.environ, HONORS_DATA_DIR=str(self.folder / "data"), HONORS_BCRYPT_COST="4",
                        LOG_LEVEL="warning")
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.database_url = database_url
        started = time.perf_counter()
        subprocess.run([binary, "demo", "--nominations", str(nominations)], env=self.env, check=True,
                       stdout=subprocess.DEVNULL)
        self.seed_seconds = time.perf_counter() - started
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([binary, "serve", "--hostname", "127.0.0.1", "--port", str(self.port)],
                                        env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until_up(self.base, seconds=30)

    def add_user(self, username: str, password: str, role: str, committee: str | None = None) -> None:
        """`honors user create` on the same data folder (the server sees the new account at once)."""
        command = [self.binary, "user", "create", "--username", username, "--role", role, "--password-stdin"]
        if committee:
            command += ["--committee", committee]
        subprocess.run(command, input=password + "\n", text=True, env=self.env, check=True,
                       stdout=subprocess.DEVNULL)

    def nomination_ids(self, states: tuple[str, ...], limit: int) -> list[int]:
        """Ids of demo nominations in `states`, read from the database (the alliance sees only what reached
        it: a draft's form is not the administrator's to download)."""
        quoted = ",".join(f"'{state}'" for state in states)
        rows = self.query(f"SELECT id FROM nominations WHERE state IN ({quoted}) ORDER BY id LIMIT {int(limit)}")
        return [int(row[0]) for row in rows]

    def query(self, sql: str) -> list[tuple[str, ...]]:
        """Rows of a read-only query, on whichever engine holds the data (psql for PostgreSQL)."""
        if self.database_url:
            out = subprocess.run(["psql", self.database_url, "-At", "-F", "\t", "-c", sql], check=True,
                                 capture_output=True, text=True).stdout
            return [tuple(line.split("\t")) for line in out.splitlines() if line]
        with sqlite3.connect(self.folder / "data" / "honors.sqlite") as db:
            return [tuple(str(v) for v in row) for row in db.execute(sql)]

    def client(self, username: str, password: str) -> "Client":
        return Client(self.base, username, password)

    def peak_mb(self) -> float:
        return self._status_mb("VmHWM")

    def resident_mb(self) -> float:
        return self._status_mb("VmRSS")

    def _status_mb(self, field: str) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1)) / 1024

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


class Client:
    """A signed-in browser without the browser: cookies, the CSRF token of the session, forms and files."""

    def __init__(self, base: str, username: str, password: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.get("/login")
        data = urllib.parse.urlencode({"username": username, "password": password, "_csrf": self.csrf}).encode()
        with self.opener.open(self.base + "/login", data=data, timeout=600) as response:
            landed, page = response.geturl(), response.read().decode()
        key = (base, username)
        challenge = re.search(r'name="challenge" value="([^"]+)"', page)
        if challenge and key in Client.factors:
            # The code step, with the authenticator an earlier client enrolled.
            self.post("/login", {"challenge": challenge.group(1), "code": self._code(key)})
        elif urllib.parse.urlparse(landed).path == "/account/factor":
            # An administrator's first sign-in: enrol an authenticator, as a person does with a phone.
            text = re.search(r'id="factor-secret" class="factor-secret">([^<]+)<', page).group(1).replace(" ", "")
            Client.factors[key] = [base64.b32decode(text + "=" * (-len(text) % 8)), 0]
            self.post("/account/factor", {"code": self._code(key)})
        if not any(c.name == "honors_session" for c in self.jar):
            raise RuntimeError(f"signing in as {username} failed")

    # (base, username) -> [authenticator secret, last 30-second step used]
    factors: dict[tuple[str, str], list] = {}

    def _code(self, key: tuple[str, str]) -> str:
        """RFC 6238: HMAC-SHA-1 over the 30-second step, 6 digits; each step once."""
        factor = Client.factors[key]
        step = max(int(time.time() // 30), factor[1] + 1)
        while step > int(time.time() // 30) + 1:
            time.sleep(1)
        factor[1] = step
        mac = hmac.new(factor[0], step.to_bytes(8, "big"), hashlib.sha1).digest()
        offset = mac[-1] & 0x0F
        return "%06d" % ((int.from_bytes(mac[offset:offset + 4], "big") & 0x7FFFFFFF) % 1_000_000)

    @property
    def csrf(self) -> str:
        """The token a page's forms carry: the cookie's, bound to the session once signed in (HMAC-SHA256 of the
        session cookie's SHA-256 hex under the token, base64url). Signing in issues a new one: read it each time."""
        token = next(c.value for c in self.jar if c.name == "honors_csrf")
        session = next((c.value for c in self.jar if c.name == "honors_session"), None)
        if session is None:
            return token
        session_id = hashlib.sha256(session.encode()).hexdigest()
        mac = hmac.new(token.encode(), session_id.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def get(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=600) as response:
            return response.read()

    def post(self, path: str, form: dict[str, str]) -> str:
        """Posts a form with the CSRF token; returns the address the answer ended on (after redirects)."""
        data = urllib.parse.urlencode(form | {"_csrf": self.csrf}).encode()
        with self.opener.open(self.base + path, data=data, timeout=600) as response:
            return response.geturl()

    def upload(self, path: str, field: str, filename: str, data: bytes, content_type: str) -> str:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{self.csrf}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
                f"Content-Type: {content_type}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(self.base + path, data=body,
                                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        with self.opener.open(request, timeout=600) as response:
            return response.geturl()
