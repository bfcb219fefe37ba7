"""The `honors` command on a data folder of its own: first start, a second start, and `user create`."""

import os
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import pytest

BIN = os.environ.get("HONORS_BIN", "")
REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not BIN, reason="HONORS_BIN is not set")


def honors(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, HONORS_DATA_DIR=str(data), HONORS_BCRYPT_COST="4")
    env.pop("DATABASE_URL", None)
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, env=env, cwd=REPO,
                          timeout=120)


def count(data: Path, sql: str) -> int:
    with sqlite3.connect(data / "honors.sqlite") as db:
        return db.execute(sql).fetchone()[0]


@pytest.fixture()
def data():
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder) / "data"  # does not exist yet: the command creates it


def test_user_create_on_a_fresh_folder_then_again_without_duplicate_seed(data):
    first = honors(data, "user", "create", "--username", "ops1", "--role", "committee",
                   "--committee", "市快递行业党委", "--password-stdin", stdin="Ops2024pass\n")
    assert first.returncode == 0, first.stderr + first.stdout
    assert first.stdout.count("HONORS_INITIAL_ADMIN_PASSWORD=") == 1
    second = honors(data, "user", "create", "--username", "rev1", "--role", "reviewer", "--password-stdin",
                    stdin="Rev2024pass\n")
    assert second.returncode == 0, second.stderr + second.stdout
    assert "HONORS_INITIAL_ADMIN_PASSWORD=" not in second.stdout, "the admin is created once"
    assert count(data, "SELECT COUNT(*) FROM campaigns") == 1
    assert count(data, "SELECT COUNT(*) FROM committees") == 6
    assert count(data, "SELECT COUNT(*) FROM campaign_quotas") == 18
    assert count(data, "SELECT COUNT(*) FROM users") == 3
    assert count(data, "SELECT COUNT(*) FROM users WHERE username = 'ops1' AND committee_id = 3") == 1
    # The password is stored only as a bcrypt hash.
    with sqlite3.connect(data / "honors.sqlite") as db:
        hashes = [row[0] for row in db.execute("SELECT password_hash FROM users")]
    assert all(h.startswith("$2") for h in hashes)
    assert not any("Ops2024pass" in h for h in hashes)
    assert count(data, "SELECT COUNT(*) FROM audit_events WHERE action = 'account.create'") == 3


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (["--username", "ops1", "--role", "committee", "--committee", "不存在的党委"], "Ops2024pass\n", "找不到行业党委"),
        (["--username", "ops1", "--role", "committee"], "Ops2024pass\n", "必须选择所属行业党委"),
        (["--username", "ops1", "--role", "boss"], "Ops2024pass\n", "请选择角色"),
        (["--username", "ops1", "--role", "reviewer"], "a1" * 36 + "b\n", "72"),
        (["--username", "x", "--role", "reviewer"], "Ops2024pass\n", "用户名至少 3 个字符"),
    ],
)
def test_user_create_refuses_bad_input_and_stores_nothing(data, args, stdin, message):
    result = honors(data, "user", "create", *args, "--password-stdin", stdin=stdin)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert count(data, "SELECT COUNT(*) FROM users") == 1  # only the first administrator


def test_the_password_never_comes_from_the_command_line(data):
    result = honors(data, "user", "create", "--username", "ops1", "--role", "reviewer")
    assert result.returncode != 0
    assert "--password-stdin" in result.stdout + result.stderr


def test_audit_verify_passes_on_a_whole_chain_and_names_the_event_someone_altered(data):
    made = honors(data, "user", "create", "--username", "rev1", "--role", "reviewer", "--password-stdin",
                  stdin="Rev2024pass\n")
    assert made.returncode == 0, made.stderr + made.stdout
    whole = honors(data, "audit", "verify")
    assert whole.returncode == 0, whole.stderr + whole.stdout
    assert "审计日志完整" in whole.stdout
    head = honors(data, "audit", "head")
    assert head.returncode == 0
    lines = dict(line.split("=", 1) for line in head.stdout.split() if "=" in line)
    assert int(lines["count"]) == count(data, "SELECT COUNT(*) FROM audit_events")
    assert len(lines["head"]) == 64

    # Someone with access to the file changes an event behind the application's back.
    with sqlite3.connect(data / "honors.sqlite") as db:
        db.execute("DROP TRIGGER audit_events_no_update")
        db.execute("UPDATE audit_events SET object_label = 'someone else' WHERE seq = 2")
    broken = honors(data, "audit", "verify")
    assert broken.returncode != 0
    assert "第 2 条事件" in broken.stdout + broken.stderr
    assert "已被修改" in broken.stdout + broken.stderr


def test_a_damaged_key_file_stops_the_start_and_is_left_as_it_was(data):
    first = honors(data, "audit", "head")
    assert first.returncode == 0, first.stderr + first.stdout
    key = data / "secret.key"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    key.write_text("garbled\n")
    again = honors(data, "audit", "head")
    assert again.returncode != 0
    assert "密钥文件" in again.stdout + again.stderr and "已损坏" in again.stdout + again.stderr
    assert key.read_text() == "garbled\n", "the key file is never overwritten"


def test_check_passes_on_a_fresh_folder_and_names_what_was_broken(data):
    fresh = honors(data, "check")
    assert fresh.returncode == 0, fresh.stderr + fresh.stdout
    assert "数据检查通过" in fresh.stdout
    with sqlite3.connect(data / "honors.sqlite") as db:
        db.execute("""INSERT INTO nominations (version, campaign_id, committee_id, category, state, display_name, data,
                      attestations, person_scope) VALUES (1, 1, 3, 'member', 'draft', '幽灵', '{}', '{}', '')""")
    broken = honors(data, "check")
    assert broken.returncode != 0
    assert "没有创建记录" in broken.stdout + broken.stderr


def test_backup_restores_into_an_empty_folder_and_a_damaged_backup_is_refused(data, tmp_path):
    made = honors(data, "demo", "--nominations", "20")
    assert made.returncode == 0, made.stderr + made.stdout
    backup = tmp_path / "backup"
    taken = honors(data, "backup", "--to", str(backup))
    assert taken.returncode == 0, taken.stderr + taken.stdout
    assert "不含密钥" in taken.stdout
    assert not (backup / "secret.key").exists()
    assert "honors.sqlite" in (backup / "manifest.json").read_text()

    key = {"HONORS_SECRET_KEY_FILE": str(data / "secret.key")}
    restored = tmp_path / "restored"
    done = honors_env(restored, key, "restore", "--from", str(backup))
    assert done.returncode == 0, done.stderr + done.stdout
    assert count(restored, "SELECT COUNT(*) FROM nominations") == count(data, "SELECT COUNT(*) FROM nominations")
    assert honors_env(restored, key, "check").returncode == 0

    # Into a folder that holds data: refused, the data untouched.
    again = honors_env(restored, key, "restore", "--from", str(backup))
    assert again.returncode != 0 and "不是空的" in again.stderr

    # A backup whose files no longer match their manifest: refused, nothing left behind.
    photo = next((backup / "uploads").glob("*.png"))
    photo.write_bytes(b"not the photo")
    elsewhere = tmp_path / "elsewhere"
    refused = honors_env(elsewhere, key, "restore", "--from", str(backup))
    assert refused.returncode != 0
    assert "与清单中的哈希不符" in refused.stderr
    assert not elsewhere.exists() or not any(elsewhere.iterdir())


def honors_env(data: Path, extra: dict, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, HONORS_DATA_DIR=str(data), HONORS_BCRYPT_COST="4", **extra)
    env.pop("DATABASE_URL", None)
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=300)


def key_lines(output: str) -> dict:
    """`key=<id> role=… nominations=… values=…` lines of `honors key status`, by key id."""
    found = {}
    for line in output.splitlines():
        if line.startswith("key="):
            fields = dict(part.split("=", 1) for part in line.split())
            found[fields["key"]] = fields
    return found


def test_key_rotate_reseals_every_value_and_the_old_key_is_retired(data):
    made = honors(data, "demo", "--nominations", "30")
    assert made.returncode == 0, made.stderr + made.stdout
    before = key_lines(honors(data, "key", "status").stdout)
    assert len(before) == 1
    (old, status), = before.items()
    assert status["role"] == "current" and int(status["values"]) >= 30

    rotated = honors(data, "key", "rotate")
    assert rotated.returncode == 0, rotated.stderr + rotated.stdout
    assert "重新加密完成" in rotated.stdout
    after = honors(data, "key", "status")
    keys = key_lines(after.stdout)
    new = next(k for k, v in keys.items() if v["role"] == "current")
    assert new != old and keys[old]["role"] == "older"
    assert keys[old]["values"] == "0" and keys[new]["values"] == status["values"]
    assert "pending=0" in after.stdout
    key_file = (data / "secret.key").read_text()
    assert key_file.count("\n") - key_file.count("#") >= 2, "both keys are in the ring until the old one is retired"

    retired = honors(data, "key", "retire", old)
    assert retired.returncode == 0, retired.stderr + retired.stdout
    assert set(key_lines(honors(data, "key", "status").stdout)) == {new}
    # Everything opens with the new key alone: the start passes its check, the data checks out.
    checked = honors(data, "check")
    assert checked.returncode == 0, checked.stderr + checked.stdout
    assert honors(data, "audit", "verify").returncode == 0
    assert count(data, "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'key.%'") == 3
    # The current key cannot be retired.
    refused = honors(data, "key", "retire", new)
    assert refused.returncode != 0 and "当前密钥" in refused.stdout + refused.stderr


def test_serve_demo_shows_a_throwaway_campaign_and_removes_it_when_stopped():
    import re
    import signal
    import sys
    import time

    sys.path.insert(0, str(REPO / "scripts" / "lib"))
    from honors_server import free_port, wait_until_up  # noqa: E402
    from install_check import Browser  # noqa: E402

    port = free_port()
    env = dict(os.environ, HONORS_BCRYPT_COST="4")
    for name in ("DATABASE_URL", "HONORS_DATA_DIR"):
        env.pop(name, None)
    server = subprocess.Popen([BIN, "serve", "--demo", "--hostname", "127.0.0.1", "--port", str(port)], env=env, cwd="/",
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        said, password, folder = "", None, None
        deadline = time.time() + 240
        while folder is None and time.time() < deadline:
            line = server.stdout.readline()
            assert line, said
            said += line
            found = re.search(r"账号 demo3 / (\S+)（", line)
            password = found.group(1) if found else password
            found = re.search(r"临时文件夹 (\S+)，", line)
            folder = found.group(1) if found else None
        assert password and folder, said
        wait_until_up(f"http://127.0.0.1:{port}")
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.get("/login")
        path, _ = browser.post("/login", {"username": "demo3", "password": password})
        assert path == "/", path
        _, page = browser.get("/nominations")
        assert "本党委" in page or "推荐对象" in page
        assert page.count('<tr><td><a href="/nominations/') > 10, "the demo committee's nominations are listed"
        assert Path(folder, "honors.sqlite").exists()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=120)
    assert not Path(folder).exists(), "the throwaway folder is removed when the server stops"
