"""The JSON API against its contract, on a real server with demo data: schemathesis generates requests from
openapi.yaml for a committee's write token and the alliance's write token and checks that no answer is a 500 and
every answer (status, content type, headers, body) is one the contract describes; then each committee's token is
asked for every other committee's record, by id, by list filter, to change it and to act on it, and must never
reach one.

    python3 scripts/lib/api_check.py --bin .build/debug/honors
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from honors_server import free_port, wait_until_up

REPO = Path(__file__).resolve().parents[2]
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance"


def call(base: str, token: str, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--max-examples", type=int, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="honors-api-"))
    env = dict(os.environ, HONORS_DATA_DIR=str(work / "data"), HONORS_BCRYPT_COST="4", HONORS_API_RATE="100000",
               LOG_LEVEL="warning")
    env.pop("DATABASE_URL", None)
    server = None
    failures: list[str] = []
    try:
        subprocess.run([args.bin, "demo", "--nominations", "60"], env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL)

        def token(*options: str) -> str:
            out = subprocess.run([args.bin, "token", "create", "--expires", "1", *options], env=env, cwd=REPO, check=True,
                                 capture_output=True, text=True).stdout
            return out.strip().splitlines()[-1].strip()

        tokens = {
            "快递 write": token("--name", "快递平台", "--committee", "市快递行业党委", "--write"),
            "物业 read": token("--name", "物业平台", "--committee", "市物业行业党委"),
            "alliance write": token("--name", "联盟平台", "--alliance", "--write"),
        }
        port = free_port()
        server = subprocess.Popen([args.bin, "serve", "--hostname", "127.0.0.1", "--port", str(port)], env=env, cwd=REPO,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}/api/v1"
        wait_until_up(f"http://127.0.0.1:{port}")

        for name in ("快递 write", "alliance write"):
            print(f"schemathesis with the {name} token", flush=True)
            run = subprocess.run(["schemathesis", "run", str(REPO / "openapi.yaml"), "--url", base,
                                  "--header", f"Authorization: Bearer {tokens[name]}", "--checks", CHECKS,
                                  "--max-examples", str(args.max_examples), "--phases", "examples,coverage,fuzzing,stateful",
                                  "--workers", "2", "--seed", "2024", "--no-color"], cwd=work)
            if run.returncode != 0:
                failures.append(f"schemathesis found answers outside the contract with the {name} token")

        with sqlite3.connect(work / "data" / "honors.sqlite") as db:
            committees = dict(db.execute("SELECT name, id FROM committees").fetchall())
            rows = db.execute("SELECT id, committee_id, version FROM nominations").fetchall()
        for name, committee in (("快递 write", "市快递行业党委"), ("物业 read", "市物业行业党委")):
            own = committees[committee]
            others = [(i, v) for i, c, v in rows if c != own]
            for nomination, version in others:
                status, _ = call(base, tokens[name], "GET", f"/nominations/{nomination}")
                if status != 404:
                    failures.append(f"{name}: GET another committee's nomination {nomination} answered {status}")
                if name.endswith("write"):
                    for method, path, body in (("PUT", f"/nominations/{nomination}", {"version": version, "values": {"name": "改名"}}),
                                               ("POST", f"/nominations/{nomination}/actions/withdraw", {"version": version})):
                        status, _ = call(base, tokens[name], method, path, body)
                        if status != 404:
                            failures.append(f"{name}: {method} {path} of another committee answered {status}")
            for committee_id in committees.values():
                status, page = call(base, tokens[name], "GET", f"/nominations?committee={committee_id}&perPage=200")
                listed = {item["committeeId"] for item in page.get("items", [])} if status == 200 else set()
                if status != 200 or listed - {own}:
                    failures.append(f"{name}: the list filtered by committee {committee_id} answered {status} with {listed}")
            print(f"{name}: {len(others)} records of other committees, none reached", flush=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)
    print("API check passed")


if __name__ == "__main__":
    main()
