"""The install as a server administrator meets it: `scripts/install.sh` into a temporary prefix, the installed
binary started from `/` (so nothing is found through the working directory), the first sign-in walked with the
one-time password it prints, a new password and an authenticator; the binary's version; and a start without
its resources refused with a message that says where it looked.

    python3 scripts/lib/install_check.py --binary .build/debug/honors
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.cookiejar
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from honors_server import free_port, wait_until_up

REPO = Path(__file__).resolve().parents[2]


def totp(secret: bytes, step: int) -> str:
    mac = hmac.new(secret, step.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return "%06d" % ((int.from_bytes(mac[offset:offset + 4], "big") & 0x7FFFFFFF) % 1_000_000)


class Browser:
    """Cookies, the session-bound CSRF token, and pages as a browser follows them."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    @property
    def csrf(self) -> str:
        token, session = self.cookie("honors_csrf"), self.cookie("honors_session")
        if session is None:
            return token
        mac = hmac.new(token.encode(), hashlib.sha256(session.encode()).hexdigest().encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=60) as response:
            return urllib.parse.urlparse(response.geturl()).path, response.read().decode()

    def post(self, path: str, form: dict[str, str]) -> tuple[str, str]:
        data = urllib.parse.urlencode(form | {"_csrf": self.csrf}).encode()
        with self.opener.open(self.base + path, data=data, timeout=60) as response:
            return urllib.parse.urlparse(response.geturl()).path, response.read().decode()


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"install check failed: {what}")
    print(f"ok: {what}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="honors-install-"))
    server = None
    try:
        prefix = work / "prefix"
        subprocess.run(["bash", str(REPO / "scripts/install.sh"), str(prefix), "--binary", os.path.abspath(args.binary)],
                       check=True, stdout=subprocess.DEVNULL)
        honors = str(prefix / "bin/honors")
        for item in ["share/honors/Resources/Views/login.leaf", "share/honors/Public/css/app.css", "share/honors/BUILD",
                     "share/honors/deploy/honors.service", "share/honors/deploy/honors@.service",
                     "share/honors/deploy/nginx/honors.conf"]:
            check((prefix / item).exists(), f"the install holds {item}")
        unit = (prefix / "share/honors/deploy/honors.service").read_text()
        check(f"ExecStart={prefix}/bin/honors serve" in unit and "User=honors" in unit
              and "HONORS_DATA_DIR=/var/lib/honors" in unit, "the unit runs the installed binary as its own user, data outside")

        version = subprocess.run([honors, "--version"], cwd="/", capture_output=True, text=True, check=True).stdout
        check(re.fullmatch(r"honors \d+\.\d+\.\d+ \(commit [0-9a-f]{12}(\+changes)?, built \d{4}-\d{2}-\d{2}\)\n", version) is not None,
              f"--version names the release and the commit ({version.strip()})")

        env = dict(os.environ, HONORS_DATA_DIR=str(work / "data"), HONORS_BCRYPT_COST="4", LOG_LEVEL="notice")
        env.pop("DATABASE_URL", None)
        env.pop("HONORS_HOME", None)
        refused = subprocess.run([honors, "serve", "--hostname", "127.0.0.1", "--port", str(free_port())], cwd="/",
                                 env=env | {"HONORS_HOME": str(work / "nowhere")}, capture_output=True, text=True, timeout=120)
        said = refused.stdout + refused.stderr
        check(refused.returncode != 0 and "找不到页面模板" in said and str(work / "nowhere") in said,
              "started without its resources it refuses, naming where it looked")

        # A mark in the installed stylesheet: what is served comes from the install, not from a checkout.
        with open(prefix / "share/honors/Public/css/app.css", "a") as css:
            css.write("\n/* installed copy */\n")
        port = free_port()
        server = subprocess.Popen([honors, "serve", "--env", "production", "--hostname", "127.0.0.1", "--port", str(port)], cwd="/", env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        password = None
        deadline = time.time() + 180
        while password is None and time.time() < deadline:
            line = server.stdout.readline()
            if not line:
                break
            found = re.search(r"HONORS_INITIAL_ADMIN_PASSWORD=(\S+)", line)
            password = found.group(1) if found else None
        check(password is not None, "the first start prints a one-time administrator password")
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        browser = Browser(base)
        path, page = browser.get("/login")
        check(path == "/login" and "登录" in page, "the sign-in page is served from /")
        with urllib.request.urlopen(base + "/css/app.css", timeout=10) as css:
            check(css.status == 200 and b"/* installed copy */" in css.read(), "the stylesheet is served from the install")
        path, _ = browser.post("/login", {"username": "admin", "password": password})
        check(path == "/account/password", "the one-time password leads to choosing a new one")
        new = "Installed2026pass"
        path, page = browser.post("/account/password", {"current_password": password, "new_password": new,
                                                        "confirm_password": new})
        check(path == "/account/factor", "then to enrolling an authenticator")
        text = re.search(r'id="factor-secret" class="factor-secret">([^<]+)<', page).group(1).replace(" ", "")
        secret = base64.b32decode(text + "=" * (-len(text) % 8))
        path, page = browser.post("/account/factor", {"code": totp(secret, int(time.time() // 30))})
        path, page = browser.get("/")
        check(path == "/" and "工作台" in page and "鄂党联发〔2024〕4号" in page, "and then to the dashboard with the 2024 campaign")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
