"""Three `honors serve` on one PostgreSQL behind nginx, with the proxy settings of deploy/nginx/honors-proxy.conf.

What it shows, in order (scripts/test.sh runs it in its PostgreSQL stage; docs/deployment.md describes the set-up):
  1. the three start at the same moment on an empty database: they migrate in turn, and one first administrator
     is made;
  2. a session signed in through one instance works on the others, and a write through one is seen at once
     through the others; two saves of one version racing through two instances: one is kept, one is told;
  3. the client address behind the proxy is the proxy's X-Forwarded-For, not what the client forged; the
     metrics are on each instance's own port, not through the proxy;
  4. a material package is claimed by one instance; that instance killed half-way, another takes the package
     over once the lease runs out and finishes it;
  5. a key rotation left to the services is re-sealed once, by one of them;
  6. one instance stopped with SIGTERM under load (reads and form posts through nginx): it finishes the
     requests it has, including a slow one sent to it directly, and nothing is lost or answered with an error;
  7. `honors check` and `honors audit verify` on what is left.
Exits non-zero with the failures listed.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

from honors_server import DEMO_CAMPAIGN, Client
from sample_nomination import numbered_member

PASSWORD = "Cluster2024pass"
REPO = Path(__file__).resolve().parents[2]
PROXY_CONF = REPO / "deploy" / "nginx" / "honors-proxy.conf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    def __init__(self, name: str, binary: str, env: dict[str, str], folder: Path):
        self.name, self.binary, self.env = name, binary, env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([self.binary, "serve", "--hostname", "127.0.0.1", "--port", str(self.port)],
                                        env=self.env, stdout=log, stderr=log, cwd=REPO)

    def wait_healthy(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"instance {self.name} exited at start (code {self.process.returncode}):\n{self.log()[-3000:]}")
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).read()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"instance {self.name} did not answer /healthz within {timeout:.0f} s")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    @property
    def pid(self) -> int:
        return self.process.pid

    def terminate(self, timeout: float = 60) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


class Nginx:
    """nginx in a folder of its own, in front of the instances, with the deployed proxy settings included."""

    def __init__(self, folder: Path, instances: list[Instance]):
        self.folder = folder
        folder.mkdir(mode=0o755)
        os.chmod(folder, 0o755)  # its workers may run as another user when started by root
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        servers = "\n".join(f"        server 127.0.0.1:{i.port} max_fails=1 fail_timeout=3s;" for i in instances)
        temp = " ".join(f"{kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (folder / "nginx.conf").write_text(f"""
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log {folder}/access.log;
    {temp}
    upstream honors {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{self.port};
        include {PROXY_CONF};
    }}
}}
""")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.process = subprocess.Popen([nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
                                        stdout=subprocess.DEVNULL, stderr=open(folder / "stderr.log", "ab"))
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base + "/healthz/live", timeout=2).read()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"nginx did not answer on {self.base}:\n{(folder / 'stderr.log').read_text()}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGQUIT)
        self.process.wait(timeout=30)


class Drill:
    def __init__(self, binary: str, database_url: str):
        self.binary, self.database_url = binary, database_url
        self.folder = Path(tempfile.mkdtemp(prefix="honors-cluster-"))
        self.env = dict(os.environ, DATABASE_URL=database_url, HONORS_DATA_DIR=str(self.folder / "data"),
                        HONORS_BCRYPT_COST="4", HONORS_TRUSTED_PROXIES="127.0.0.1", HONORS_JOB_LEASE_SECONDS="4",
                        HONORS_JOB_POLL_SECONDS="1", HONORS_PDF_WORKERS="1", LOG_LEVEL="info")
        for name in ("HONORS_SECRET_KEY", "HONORS_SECRET_KEY_FILE"):
            self.env.pop(name, None)
        self.instances = [Instance(name, binary, self.env, self.folder) for name in ("a", "b", "c")]
        self.failures: list[str] = []
        self.nginx: Nginx | None = None
        self.with_pdf = shutil.which("soffice") is not None

    # Helpers

    def expect(self, condition: bool, what: str) -> bool:
        print(f"  {'ok  ' if condition else 'FAIL'} {what}", flush=True)
        if not condition:
            self.failures.append(what)
        return condition

    def honors(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([self.binary, *args], env=self.env, input=input, capture_output=True, text=True, cwd=REPO)

    def rows(self, sql: str) -> list[list[str]]:
        out = subprocess.run(["psql", self.database_url, "-X", "-At", "-F", "\t", "-c", sql], check=True,
                             capture_output=True, text=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    def value(self, sql: str) -> str:
        rows = self.rows(sql)
        return rows[0][0] if rows else ""

    @staticmethod
    def on(client: Client, base: str) -> Client:
        """The same signed-in browser, talking to another address."""
        client.base = base
        return client

    @staticmethod
    def version(client: Client, nomination: int) -> str:
        page = client.get(f"/nominations/{nomination}").decode()
        return re.search(r'name="version" value="(\d+)"', page).group(1)

    # Steps

    def start_together(self) -> None:
        print("1. three instances start at once on an empty database", flush=True)
        for instance in self.instances:
            instance.start()
        for instance in self.instances:
            instance.wait_healthy()
        admins = sum(len(re.findall(r"^HONORS_INITIAL_ADMIN_PASSWORD=", i.log(), re.M)) for i in self.instances)
        self.expect(admins == 1, f"one first administrator among the three (printed {admins} times)")
        migrations = self.rows("SELECT count(*), count(DISTINCT name) FROM _fluent_migrations")[0]
        self.expect(migrations[0] == migrations[1], f"every migration ran once ({migrations[0]} rows)")

        seeded = self.honors("demo", "--nominations", "0")
        if seeded.returncode != 0:
            raise SystemExit(f"honors demo failed:\n{seeded.stdout}{seeded.stderr}")
        committee = self.value("SELECT name FROM committees ORDER BY id LIMIT 1")
        made = self.honors("user", "create", "--username", "cluster0", "--role", "committee", "--committee", committee,
                           "--password-stdin", input=PASSWORD + "\n")
        if made.returncode != 0:
            raise SystemExit(f"honors user create failed:\n{made.stderr}")
        self.nginx = Nginx(self.folder / "nginx", self.instances)

    def sessions_and_writes(self) -> None:
        print("2. sessions and writes across instances", flush=True)
        a, b, c = self.instances
        client = self.client = Client(a.base, "cluster0", PASSWORD)
        for instance in (b, c):
            with client.opener.open(instance.base + "/nominations", timeout=30) as answer:
                landed = urllib.parse.urlparse(answer.geturl()).path
            self.expect(landed == "/nominations", f"the session signed in on a is signed in on {instance.name}")

        self.on(client, a.base)
        address = client.post("/nominations", numbered_member(1))
        nomination = int(re.search(r"/nominations/(\d+)", address).group(1))
        page = self.on(client, b.base).get(f"/nominations/{nomination}").decode()
        self.expect("演练一" in page, "a nomination created through a is shown at once through b")
        listed = self.on(client, c.base).get("/nominations").decode()
        self.expect(f"/nominations/{nomination}" in listed, "and listed at once through c")

        # The same version saved through two instances at the same moment, five times: one save each time.
        outcomes: list[str] = []
        for round_number in range(5):
            version = self.version(self.on(client, a.base), nomination)
            results: dict[str, str] = {}

            def save(instance: Instance, results=results, version=version, round_number=round_number) -> None:
                form = numbered_member(1) | {"version": version, "unit_and_position": f"第{round_number}轮 {instance.name}"}
                try:
                    self.client_copy(instance.base).post(f"/nominations/{nomination}", form)
                    results[instance.name] = "saved"
                except urllib.error.HTTPError as error:
                    results[instance.name] = str(error.code)

            threads = [threading.Thread(target=save, args=(i,)) for i in (b, c)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            outcomes.append("/".join(sorted(results.values())))
        self.expect(all(o == "409/saved" for o in outcomes),
                    f"two saves of one version through b and c: one kept, the other told of the conflict ({outcomes})")
        self.on(client, self.nginx.base)
        for n in range(2, 7):
            client.post("/nominations", numbered_member(n))

    def forwarded_for(self) -> None:
        print("3. the client's address through the proxy", flush=True)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(self.nginx.base + "/login", timeout=10).read()
        token = next(c.value for c in jar if c.name == "honors_csrf")
        data = urllib.parse.urlencode({"username": "nobody-here", "password": "wrong", "_csrf": token}).encode()
        request = urllib.request.Request(self.nginx.base + "/login", data=data, headers={"X-Forwarded-For": "203.0.113.9"})
        try:
            opener.open(request, timeout=10).read()
        except urllib.error.HTTPError:
            pass  # the refusal page
        addresses = {row[0] for row in self.rows("SELECT address FROM sign_in_attempts")}
        self.expect(addresses == {"127.0.0.1"},
                    f"a failed sign-in through nginx with a forged X-Forwarded-For counts against the real address ({addresses})")
        self.expect(self.status(self.nginx.base + "/metrics") == 404, "no metrics through the proxy")
        self.expect("honors_package_jobs" in self.metrics(self.instances[0]), "metrics on an instance's own port")

    @staticmethod
    def status(url: str) -> int:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    @staticmethod
    def metrics(instance: Instance) -> str:
        with urllib.request.urlopen(instance.base + "/metrics", timeout=10) as response:
            return response.read().decode()

    @staticmethod
    def sample(text: str, series: str) -> float:
        for line in text.splitlines():
            if line.startswith(series + " "):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    def package_survives_death(self) -> None:
        print(f"4. a package claimed once, taken over when its instance dies ({'with' if self.with_pdf else 'without'} PDF)", flush=True)
        form = {"pdf": "1"} if self.with_pdf else {}
        address = self.client.post(f"/campaigns/{DEMO_CAMPAIGN}/packages", form)
        job = int(re.search(r"/packages/(\d+)", address).group(1))
        deadline = time.monotonic() + 60
        holder = ""
        while time.monotonic() < deadline:
            state, holder = self.rows(f"SELECT state, coalesce(claimed_by, '') FROM package_jobs WHERE id = {job}")[0]
            if holder or state in ("done", "failed"):
                break
            time.sleep(0.05)
        pid = int(holder.split(":")[1]) if holder else 0
        owner = next((i for i in self.instances if i.pid == pid), None)
        self.expect(owner is not None, f"package {job} claimed by one of the instances ({holder})")
        if owner is None:
            return
        state = self.value(f"SELECT state FROM package_jobs WHERE id = {job}")
        killed = False
        if state == "running" and self.with_pdf:
            owner.kill()
            killed = True
            print(f"     instance {owner.name} (pid {pid}) killed while building", flush=True)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            state, holder, attempts = self.rows(
                f"SELECT state, coalesce(claimed_by, ''), attempts FROM package_jobs WHERE id = {job}")[0]
            if state in ("done", "failed"):
                break
            time.sleep(0.2)
        self.expect(state == "done", f"package {job} finished ({state})")
        if killed:
            self.expect(holder.split(":")[1] != str(pid) and attempts == "2",
                        f"by another instance, on the second attempt ({holder}, attempt {attempts})")
            owner.start()
            owner.wait_healthy()
        else:
            self.expect(attempts == "1", f"built once ({attempts} attempts)")
        data = self.client.get(f"/packages/{job}/download")
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        forms = [n for n in names if n.endswith(".docx") and "附件1" not in n]
        pdfs = [n for n in names if n.endswith(".pdf")]
        self.expect(len(forms) == 6 and (not self.with_pdf or len(pdfs) == 6),
                    f"the zip downloaded through nginx holds every form ({len(forms)} Word, {len(pdfs)} PDF)")
        built = sum(self.sample(self.metrics(i), 'honors_package_builds_total{outcome="done"}') for i in self.instances)
        self.expect(built >= 1, f"the build is counted in the metrics of the instance that made it ({built})")
        leftovers = list((self.folder / "data" / "packages").glob("*.partial"))
        self.expect(self.value(f"SELECT attempts FROM package_jobs WHERE id = {job}") in ("1", "2"),
                    "the job's attempts are on its row")
        if killed:
            print(f"     half-written files left by the killed instance: {len(leftovers)} (removed after an hour)")

    def key_rotation_once(self) -> None:
        print("5. a key rotation re-sealed by one instance", flush=True)
        rotated = self.honors("key", "rotate", "--background")
        if not self.expect(rotated.returncode == 0, "honors key rotate --background"):
            print(rotated.stdout, rotated.stderr)
            return
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            keys = self.value("SELECT count(DISTINCT secret_key_id) FROM nominations WHERE id_number_enc IS NOT NULL")
            events = self.value("SELECT count(*) FROM audit_events WHERE action = 'key.reseal'")
            if keys == "1" and events != "0":
                break
            time.sleep(0.3)
        time.sleep(3)  # the others' sweeps have looked by now
        events = self.value("SELECT count(*) FROM audit_events WHERE action = 'key.reseal'")
        workers = [i.name for i in self.instances if "re-sealing values under" in i.log()]
        self.expect(keys == "1", "every sealed value is under the new key")
        self.expect(events == "1" and len(workers) == 1,
                    f"re-sealed once, by one instance ({events} key.reseal events; instances that did it: {workers})")

    def sigterm_under_load(self) -> None:
        print("6. one instance stopped with SIGTERM under load", flush=True)
        a, b, c = self.instances
        stop = threading.Event()
        lock = threading.Lock()
        answered, errors, created = [0], [], []
        counter = iter(range(100, 10**6))

        def reader() -> None:
            while not stop.is_set():
                try:
                    self.client_copy(self.nginx.base).get("/nominations")
                    with lock:
                        answered[0] += 1
                except Exception as error:  # noqa: BLE001 - every failure is a finding
                    with lock:
                        errors.append(f"GET: {error}")

        def writer() -> None:
            client = self.client_copy(self.nginx.base)
            while not stop.is_set():
                with lock:
                    n = next(counter)
                try:
                    address = client.post("/nominations", numbered_member(n))
                    with lock:
                        answered[0] += 1
                        created.append(int(re.search(r"/nominations/(\d+)", address).group(1)))
                except Exception as error:  # noqa: BLE001
                    with lock:
                        errors.append(f"POST: {error}")

        slow_result: list[str] = []

        def slow() -> None:
            # A form as PDF (a LibreOffice conversion), or else as Word, asked of b itself just before it stops.
            path = f"/nominations/{created[0] if created else 1}/form.{'pdf' if self.with_pdf else 'docx'}"
            try:
                data = self.client_copy(b.base).get(path)
                slow_result.append("ok" if data[:4] in (b"%PDF", b"PK\x03\x04") else f"bad body {data[:8]!r}")
            except Exception as error:  # noqa: BLE001
                slow_result.append(str(error))

        threads = [threading.Thread(target=reader) for _ in range(2)] + [threading.Thread(target=writer) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(2)
        slow_thread = threading.Thread(target=slow)
        slow_thread.start()
        time.sleep(0.3)
        started = time.monotonic()
        code = b.terminate()
        stopped = time.monotonic() - started
        slow_thread.join(timeout=120)
        time.sleep(2)
        b.start()
        b.wait_healthy()
        time.sleep(1)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        self.expect(code == 0, f"instance b exited cleanly on SIGTERM (code {code}, {stopped:.1f} s)")
        self.expect(slow_result == ["ok"], f"the request b was answering when told to stop was finished ({slow_result})")
        self.expect(not errors, f"{answered[0]} requests through nginx answered, none failed ({errors[:3]})")
        ids = ",".join(map(str, created)) or "0"
        stored = int(self.value(f"SELECT count(*) FROM nominations WHERE id IN ({ids})"))
        self.expect(stored == len(created), f"every acknowledged form post is stored ({stored} of {len(created)})")

    def client_copy(self, base: str) -> Client:
        """Another handle on the signed-in browser, for a thread of its own."""
        other = Client.__new__(Client)
        other.jar, other.opener, other.base = self.client.jar, self.client.opener, base
        return other

    def final_checks(self) -> None:
        print("7. honors check and honors audit verify", flush=True)
        for args in (("check",), ("audit", "verify")):
            run = self.honors(*args)
            self.expect(run.returncode == 0, f"honors {' '.join(args)}" + ("" if run.returncode == 0 else f":\n{run.stdout}{run.stderr}"))

    def stop(self) -> None:
        for instance in self.instances:
            if instance.process and instance.process.poll() is None:
                try:
                    instance.terminate(timeout=30)
                except subprocess.TimeoutExpired:
                    instance.kill()
        if self.nginx:
            self.nginx.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--database-url", required=True, help="an empty PostgreSQL database")
    args = parser.parse_args()
    drill = Drill(args.bin, args.database_url)
    print(f"cluster drill: 3 instances + nginx on {args.database_url} (logs in {drill.folder})", flush=True)
    try:
        drill.start_together()
        drill.sessions_and_writes()
        drill.forwarded_for()
        drill.package_survives_death()
        drill.key_rotation_once()
        drill.sigterm_under_load()
    finally:
        drill.stop()
    drill.final_checks()
    if drill.failures:
        print(f"cluster drill FAILED ({len(drill.failures)}):", *drill.failures, sep="\n  ", flush=True)
        print(f"logs kept in {drill.folder}")
        return 1
    print("cluster drill passed", flush=True)
    shutil.rmtree(drill.folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
