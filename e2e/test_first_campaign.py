"""First campaign, first day: the administrator signs in with the one-time password, sets a real one, checks
the 2024 guiding quotas (鄂党联发〔2024〕4号, 附件1), creates the express-delivery committee's operator and signs
out; the operator signs in, sees only its own committee and is refused everything else.

The steps run in order and share one browser; a screenshot is saved at each step.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import Site, location_path

DOCUMENT_NUMBER = "鄂党联发〔2024〕4号"

# 附件1 推荐名额指导性计划分配表: committee, 先进基层党组织 (org), 优秀党务工作者 (worker), 优秀共产党员 (member)
QUOTAS = [
    ("市个体私营经济组织党委", 2, 1, 2),
    ("市互联网行业党委", 1, 1, 1),
    ("市快递行业党委", 1, 1, 1),
    ("市物业行业党委", 1, 1, 1),
    ("市交通运输行业党委", 2, 1, 2),
    ("伊旗个体私营经济组织党委", 2, 1, 2),
]
CATEGORIES = ["org", "worker", "member"]
CATEGORY_HEADINGS = ["先进基层党组织", "优秀党务工作者", "优秀共产党员"]
TOTALS = {"org": 9, "worker": 6, "member": 9}

ADMIN_NEW_PASSWORD = "Admin2024pass"
WEAK_PASSWORD = "short1"
OPERATOR = "kuaidi01"
OPERATOR_NAME = "快递党委经办人"
OPERATOR_COMMITTEE = "市快递行业党委"
OPERATOR_FIRST_PASSWORD = "Kuaidi2024go"
OPERATOR_NEW_PASSWORD = "Kuaidi2024ok"

pytestmark = pytest.mark.incremental


# --------------------------------------------------------------------------------------------------------
# Steps shared by both users


# Authenticators enrolled in these steps: username -> [secret, last step used], as the phone app keeps them.
FACTORS: dict[str, list] = {}


def totp(secret: bytes, step: int) -> str:
    """RFC 6238 as an authenticator app computes it: HMAC-SHA-1 over the 30-second step, 6 digits."""
    mac = hmac.new(secret, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


def next_code(username: str) -> str:
    """The app's code now; a code is good once, so a second sign-in in the same 30 s takes the next step's."""
    factor = FACTORS[username]
    step = max(int(time.time() // 30), factor[1] + 1)
    while step > int(time.time() // 30) + 1:
        time.sleep(1)
    factor[1] = step
    return totp(factor[0], step)


def sign_in(site: Site, username: str, password: str, shot=None, shot_name: str | None = None) -> None:
    site.open("/login")
    site.fill("username", username)
    site.fill("password", password)
    if shot and shot_name:
        shot(shot_name)
    site.submit(site.form_of("username"))
    if username in FACTORS and site.path == "/login" and site.driver.find_elements(By.NAME, "code"):
        site.fill("code", next_code(username))
        site.submit(site.form_of("code"))


def change_password(site: Site, current: str, new: str) -> None:
    assert site.path == "/account/password"
    site.fill("current_password", current)
    site.fill("new_password", new)
    site.fill("confirm_password", new)
    site.submit(site.form_of("new_password"))


def cell_number(cell, attribute: str) -> int:
    raw = cell.get_attribute(attribute)
    assert raw is not None, f"cell {cell.get_attribute('outerHTML')[:200]} has no {attribute}"
    assert raw.strip().lstrip("-").isdigit(), f"{attribute}={raw!r} is not a whole number"
    return int(raw)


def quota_rows(site: Site):
    table = site.one("table#quota-table")
    return table, table.find_elements(By.CSS_SELECTOR, "tbody tr")


def row_name(row) -> str:
    """The committee name: the first cell after the 序号 cell."""
    cells = row.find_elements(By.XPATH, "./td | ./th")
    assert len(cells) >= 2 + len(CATEGORIES), f"too few cells in the row {row.text!r}"
    return cells[1].text.strip()


def check_quota_row(row, expected: tuple[str, int, int, int], serial: int | None = None) -> None:
    name, *guiding = expected
    assert row_name(row) == name, f"expected {name}, found {row_name(row)!r}"
    if serial is not None:
        first = row.find_elements(By.XPATH, "./td | ./th")[0].text.strip()
        assert first == str(serial), f"{name}: 序号 cell is {first!r}, expected {serial}"

    categorised = row.find_elements(By.XPATH, "./*[@data-category]")
    assert [c.get_attribute("data-category") for c in categorised] == CATEGORIES, (
        f"{name}: data-category cells should be {CATEGORIES} in that order"
    )
    for category, cell, expected_guiding in zip(CATEGORIES, categorised, guiding):
        got = {a: cell_number(cell, f"data-{a}") for a in ("guiding", "used", "left")}
        assert got == {"guiding": expected_guiding, "used": 0, "left": expected_guiding}, (
            f"{name} / {category}: {got}"
        )


def expect_status(site: Site, path: str, status: int) -> None:
    response = site.fetch(path)
    assert response.status == status, (
        f"GET {path} as the signed-in user answered {response.status}"
        + (f" (Location: {response.location})" if response.location else "")
        + f", expected {status}"
    )


# --------------------------------------------------------------------------------------------------------
# a. Sign-in page, and the forced password change


def test_a_admin_signs_in_and_must_change_password(site: Site, shot, admin_password):
    site.open("/login")
    html = site.driver.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("lang") == "zh-CN"

    form = site.form_of("username")
    assert site.form_of("password") == form, "username and password are in different forms"
    assert site.field("password").get_attribute("type") == "password"
    assert form.find_elements(
        By.CSS_SELECTOR, 'button[type="submit"], button:not([type]), input[type="submit"]'
    ), "the sign-in form has no submit button"

    sign_in(site, "admin", admin_password, shot, "01-login")
    site.wait_for_path("/account/password")


# --------------------------------------------------------------------------------------------------------
# b. A weak password is refused beside its field; a good one lands on the home page


def test_b_weak_password_is_refused_then_strong_one_accepted(site: Site, shot, admin_password):
    assert site.path == "/account/password"
    for name in ("current_password", "new_password", "confirm_password"):
        assert site.field(name).get_attribute("type") == "password", f"{name} should be a password input"

    site.fill("current_password", admin_password)
    site.fill("new_password", WEAK_PASSWORD)
    site.fill("confirm_password", WEAK_PASSWORD)
    site.submit(site.form_of("new_password"), skip_browser_checks=True)

    assert site.path == "/account/password", f"a weak password left the form: {site.driver.current_url}"
    site.field_error("new_password")
    shot("02-password-change-error")

    change_password(site, admin_password, ADMIN_NEW_PASSWORD)
    # An administrator must enrol a second factor before anything else.
    site.wait_for_path("/account/factor")


# --------------------------------------------------------------------------------------------------------
# b2. The administrator enrols an authenticator by scanning the QR code Honors draws


def test_b2_admin_enrols_the_second_factor(site: Site, shot, state):
    assert site.path == "/account/factor"
    shot("02b-second-factor-enrol")
    for path in ("/", "/admin/users"):
        response = site.fetch(path)
        assert location_path(response.location or "") == "/account/factor", f"{path} is open before enrolment"

    # The phone's camera: the QR code as the page draws it, read by a decoder.
    with tempfile.TemporaryDirectory() as folder:
        image = Path(folder) / "qr.png"
        image.write_bytes(site.one("#factor-qr").screenshot_as_png)
        scanned = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True, timeout=30)
    uri = scanned.stdout.strip()
    assert uri.startswith("otpauth://totp/"), f"the QR code does not hold an authenticator URI: {uri!r}"
    query = urllib.parse.parse_qs(urllib.parse.urlparse(uri).query)
    assert query["digits"] == ["6"] and query["period"] == ["30"] and query["algorithm"] == ["SHA1"]
    secret_text = query["secret"][0]
    assert secret_text == site.one("#factor-secret").text.replace(" ", ""), "the QR code and the text show one secret"
    secret = base64.b32decode(secret_text + "=" * (-len(secret_text) % 8))

    site.fill("code", "000000" if totp(secret, int(time.time() // 30)) != "000000" else "111111")
    site.submit(site.form_of("code"), skip_browser_checks=True)
    assert "验证码不正确" in site.field_error("code").text

    FACTORS["admin"] = [secret, 0]
    site.fill("code", next_code("admin"))
    site.submit(site.form_of("code"))
    codes = [c.text for c in site.driver.find_elements(By.CSS_SELECTOR, "#recovery-codes code")]
    assert len(codes) == 10 and len(set(codes)) == 10, f"recovery codes: {codes}"
    state["recovery_codes"] = codes
    shot("02c-second-factor-recovery-codes", full=True)
    site.click_and_wait(site.driver.find_element(By.LINK_TEXT, "我已保存，继续"))
    site.wait_for_path("/")


# --------------------------------------------------------------------------------------------------------
# c. The 2024 quota table


def test_c_home_shows_the_2024_guiding_quotas(site: Site, shot):
    assert site.path == "/"
    table, rows = quota_rows(site)
    assert [row_name(r) for r in rows] == [q[0] for q in QUOTAS]
    for serial, (row, expected) in enumerate(zip(rows, QUOTAS), start=1):
        check_quota_row(row, expected, serial)

    head = table.find_element(By.TAG_NAME, "thead").text
    positions = [head.find(h) for h in CATEGORY_HEADINGS]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), (
        f"the header should name {CATEGORY_HEADINGS} in that order: {head!r}"
    )

    footer_rows = table.find_elements(By.CSS_SELECTOR, "tfoot tr")
    assert len(footer_rows) == 1, f"expected one tfoot row, found {len(footer_rows)}"
    totals = {
        c.get_attribute("data-category"): cell_number(c, "data-guiding")
        for c in footer_rows[0].find_elements(By.XPATH, "./*[@data-category]")
    }
    assert totals == TOTALS

    assert DOCUMENT_NUMBER in site.text()
    shot("03-home-quotas")


# --------------------------------------------------------------------------------------------------------
# d. Creating the committee operator's account


def test_d_admin_creates_the_committee_operator(site: Site, shot, state):
    site.open("/admin/users/new")
    for name in ("username", "display_name", "password"):
        site.field(name)

    role = Select(site.field("role"))
    role_values = {o.get_attribute("value") for o in role.options} - {""}
    assert role_values == {"admin", "reviewer", "committee"}, f"role options: {role_values}"

    committee = Select(site.field("committee_id"))
    committees = {
        " ".join((o.get_attribute("textContent") or "").split()): o.get_attribute("value")
        for o in committee.options
        if o.get_attribute("value")
    }
    assert set(committees) == {q[0] for q in QUOTAS}, f"committee options: {sorted(committees)}"
    state["committee_ids"] = committees

    # An empty username is refused beside its field, and what was typed stays.
    site.fill("username", "")
    site.fill("display_name", OPERATOR_NAME)
    Select(site.field("role")).select_by_value("committee")
    Select(site.field("committee_id")).select_by_visible_text(OPERATOR_COMMITTEE)
    site.fill("password", OPERATOR_FIRST_PASSWORD)
    site.submit(site.form_of("username"), skip_browser_checks=True)

    site.field_error("username")
    assert site.field("display_name").get_attribute("value") == OPERATOR_NAME, "display_name was not kept"
    shot("04-new-user-error")

    site.fill("username", OPERATOR)
    site.fill("display_name", OPERATOR_NAME)
    Select(site.field("role")).select_by_value("committee")
    Select(site.field("committee_id")).select_by_visible_text(OPERATOR_COMMITTEE)
    site.fill("password", OPERATOR_FIRST_PASSWORD)
    site.submit(site.form_of("username"))

    site.wait_for_path("/admin/users")
    rows = site.driver.find_elements(By.CSS_SELECTOR, "table tbody tr")
    matching = [r for r in rows if OPERATOR in r.text and OPERATOR_COMMITTEE in r.text]
    assert len(matching) == 1, (
        f"expected one user row with {OPERATOR} and {OPERATOR_COMMITTEE}; rows: {[r.text for r in rows]}"
    )
    shot("05-users")


# --------------------------------------------------------------------------------------------------------
# e. Signing out ends the session


def test_e_admin_signs_out(site: Site, shot):
    button = site.one("#logout-button")
    form = button.get_property("form")
    assert form is not None, "#logout-button is not inside a form"
    assert (form.get_attribute("method") or "").lower() == "post", "sign-out must be a POST"
    assert location_path(form.get_attribute("action")) == "/logout"

    old_cookies = site.driver.get_cookies()
    site.click_and_wait(button)

    site.open("/")
    site.wait_for_path("/login")
    shot("06-signed-out")

    # The old session is over on the server too, not just forgotten by the browser.
    response = site.fetch("/", cookies=old_cookies)
    assert response.status in (302, 303, 307) and location_path(response.location) == "/login", (
        f"GET / with the signed-out session's cookies answered {response.status} {response.location}"
    )


# --------------------------------------------------------------------------------------------------------
# e2. Signing in again takes a code; a recovery code works once


def test_e2_admin_signs_in_with_a_code_then_a_recovery_code_once(site: Site, shot, state):
    site.open("/login")
    site.fill("username", "admin")
    site.fill("password", ADMIN_NEW_PASSWORD)
    site.submit(site.form_of("username"))
    assert site.path == "/login" and site.field("code"), "the password alone signed in"
    shot("06b-second-factor-code")
    site.fill("code", next_code("admin"))
    site.submit(site.form_of("code"))
    site.wait_for_path("/")
    site.click_and_wait(site.one("#logout-button"))

    recovery = state["recovery_codes"][0]
    for attempt in range(2):
        site.open("/login")
        site.fill("username", "admin")
        site.fill("password", ADMIN_NEW_PASSWORD)
        site.submit(site.form_of("username"))
        site.fill("code", recovery)
        if attempt == 0:
            site.submit(site.form_of("code"))
            site.wait_for_path("/")
            site.click_and_wait(site.one("#logout-button"))
        else:
            site.submit(site.form_of("code"), skip_browser_checks=True)
            assert site.path == "/login"
            assert "已使用过" in site.field_error("code").text, "a spent recovery code was taken again"
            shot("06c-second-factor-recovery-spent")


# --------------------------------------------------------------------------------------------------------
# f. The committee operator sees its own committee only


def test_f1_operator_signs_in_and_changes_password(site: Site, shot):
    sign_in(site, OPERATOR, OPERATOR_FIRST_PASSWORD)
    site.wait_for_path("/account/password")
    shot("07-operator-password-change")
    change_password(site, OPERATOR_FIRST_PASSWORD, OPERATOR_NEW_PASSWORD)
    site.wait_for_path("/")


def test_f2_operator_sees_only_its_committee(site: Site, shot):
    assert site.path == "/"
    _, rows = quota_rows(site)
    assert len(rows) == 1, f"expected only {OPERATOR_COMMITTEE}, found rows {[r.text for r in rows]}"
    check_quota_row(rows[0], next(q for q in QUOTAS if q[0] == OPERATOR_COMMITTEE))
    assert "市互联网行业党委" not in site.text()
    shot("08-operator-home")


def test_f3_operator_cannot_manage_users(site: Site, shot):
    site.open("/admin/users")
    assert "无权" in site.text()
    shot("09-operator-forbidden")
    expect_status(site, "/admin/users", 403)


def test_f4_operator_cannot_see_another_committee(site: Site, shot, state):
    own_id = state["committee_ids"][OPERATOR_COMMITTEE]
    first_id = state["committee_ids"][QUOTAS[0][0]]
    assert first_id == "1", f"the first committee ({QUOTAS[0][0]}) has id {first_id}, expected 1"

    site.open(f"/committees/{own_id}")
    assert OPERATOR_COMMITTEE in site.text(), f"/committees/{own_id} does not show the operator's committee"
    expect_status(site, f"/committees/{own_id}", 200)

    site.open("/committees/1")
    assert "未找到" in site.text()
    shot("10-operator-not-found")
    expect_status(site, "/committees/1", 404)
