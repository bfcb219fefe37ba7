"""A committee enters its first 优秀共产党员: mistakes are shown beside the fields with the rest of the form
intact, fixed, the photo uploaded, the nomination signed and submitted, the quota slot used; then another
committee tries the same person as 优秀党务工作者 and is refused.

Runs after test_first_campaign.py (alphabetical order), which set the administrator's password and created
the express-delivery committee's operator.
"""

from __future__ import annotations

import datetime
import struct
import tempfile
import zlib
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import Site
from test_first_campaign import ADMIN_NEW_PASSWORD, OPERATOR, OPERATOR_NEW_PASSWORD, change_password, sign_in

pytestmark = pytest.mark.incremental

TODAY = datetime.date.today()
DOCUMENT_NUMBER = f"鄂党联发〔{TODAY.year}〕1号"
ID_BASE = "15060219850315123"
WORKER_USER, WORKER_FIRST, WORKER_NEW = "wuye01", "Wuye2024go", "Wuye2024ok"
DEEDS = "该同志扎根快递一线，带头攻坚克难。" * 59  # 1003 字


def check_digit(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


VALID_ID = ID_BASE + check_digit(ID_BASE)
WRONG_ID = ID_BASE + ("1" if check_digit(ID_BASE) != "1" else "2")


def photo_file() -> Path:
    """A real 350×490 PNG (the 35×49 mm shape), drawn here."""
    width, height = 350, 490
    rows = b"".join(b"\x00" + bytes([200, 30, 30]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    path = Path(tempfile.gettempdir()) / "honors-e2e-photo.png"
    path.write_bytes(png)
    return path


def choose(site: Site, name: str, value: str) -> None:
    Select(site.field(name)).select_by_value(value)


def set_text(site: Site, name: str, value: str) -> None:
    """Long text goes in through the page, as a paste would, and fires the input event for the live count."""
    site.driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", site.field(name), value
    )


def test_admin_opens_a_campaign_and_an_account_for_another_committee(site: Site, shot):
    sign_in(site, "admin", ADMIN_NEW_PASSWORD)
    site.wait_for_path("/")
    site.open("/campaigns/1/copy")
    site.fill("document_number", DOCUMENT_NUMBER)
    site.fill("award_year", str(TODAY.year - 1))
    for name, day in [("issued_on", TODAY - datetime.timedelta(days=1)), ("deadline_on", TODAY + datetime.timedelta(days=30))]:
        site.driver.execute_script("arguments[0].value = arguments[1]", site.field(name), day.isoformat())
    site.submit(site.form_of("document_number"))
    assert "报送中" in site.text(), site.text()[:500]
    site.open("/admin/users/new")
    site.fill("username", WORKER_USER)
    site.fill("display_name", "物业党委经办人")
    choose(site, "role", "committee")
    Select(site.field("committee_id")).select_by_visible_text("市物业行业党委")
    site.fill("password", WORKER_FIRST)
    site.submit(site.form_of("username"))
    site.wait_for_path("/admin/users")
    site.click_and_wait(site.one("#logout-button"))


def test_operator_types_two_mistakes_and_sees_both_beside_the_fields(site: Site, shot):
    sign_in(site, OPERATOR, OPERATOR_NEW_PASSWORD)
    site.wait_for_path("/")
    site.open("/nominations/new?category=member")
    assert "优秀共产党员推荐和审批表" in site.text()
    site.fill("recommending_branch", "市快递行业第一党支部")
    site.fill("name", "张伟")
    choose(site, "gender", "男")
    choose(site, "ethnicity", "01")
    site.fill("native_place", "内蒙古鄂尔多斯")
    site.fill("work_start_month", "2006-07")
    site.fill("party_join_date", "2008-06")
    site.fill("full_member_date", "2007-06")  # before 入党时间: wrong
    choose(site, "education", "21")
    site.fill("unit_and_position", "顺丰速运鄂尔多斯分公司 站长")
    choose(site, "frontline", "yes")
    site.fill("id_number", WRONG_ID)  # wrong check digit
    site.fill("phone", "18647176667")
    set_text(site, "resume", "2006.07—今 顺丰速运鄂尔多斯分公司 站长")
    set_text(site, "honors_received", "无")
    set_text(site, "deeds", DEEDS)
    assert "当前 1003 字" in site.one(".deeds-live").text
    for key in ["no_violation_3y", "dues_paid_3y", "org_life_3y", "vanguard_3y"]:
        site.field(key).click()
    site.submit(site.form_of("name"))
    shot("11-nomination-two-mistakes")
    assert "校验" in site.field_error("id_number").text
    assert "转正时间" in site.field_error("full_member_date").text
    # The rest of the form is intact.
    assert site.field("name").get_attribute("value") == "张伟"
    assert site.field("recommending_branch").get_attribute("value") == "市快递行业第一党支部"
    assert site.field("deeds").get_attribute("value").startswith("该同志扎根快递一线")
    assert Select(site.field("education")).first_selected_option.get_attribute("value") == "21"


def test_operator_fixes_them_uploads_the_photo_and_submits(site: Site, shot):
    site.fill("id_number", VALID_ID)
    site.fill("full_member_date", "2009-06")
    site.submit(site.form_of("name"))
    assert site.field_errors() == [], site.field_errors()
    nomination_path = site.path.removesuffix("/edit")
    site.open(nomination_path)
    site.field("photo").send_keys(str(photo_file()))
    site.submit(site.form_of("photo"))
    assert "照片已上传" in site.text()
    loaded = site.driver.execute_script("const i = document.querySelector('img.photo'); return i && i.complete && i.naturalWidth")
    assert loaded == 350, f"the photo did not load: {loaded}"
    # The committee's opinion goes on the form before it is printed and signed.
    assert "行业党委意见" in site.one("#completeness").text
    site.click_and_wait(site.one("#edit-link"))
    set_text(site, "committee_opinion", "该同志事迹突出，同意推荐。")
    site.fill("committee_signer", "王书记")
    site.fill("committee_opinion_date", TODAY.isoformat())
    site.submit(site.form_of("committee_opinion"))
    assert site.field_errors() == [], site.field_errors()
    site.open(nomination_path)
    assert "材料完整" in site.one("#completeness").text
    site.field("scan[]").send_keys(str(site.print_and_scan(nomination_path, "honors-e2e-scan-zhang.pdf")))
    site.submit(site.form_of("scan[]"))
    assert "盖章扫描件已上传" in site.text(), site.text()[:800]
    assert "由审批表二维码识别" in site.one("#scan-state").text
    shot("12-nomination-ready")
    site.submit(site.form_of_button("#submit-button"))
    assert "已上报联盟" in site.text()
    assert "已上报" in site.text()
    shot("13-nomination-submitted")
    site.open("/")
    cell = site.one('#quota-table tbody tr td[data-category="member"]')
    assert (cell.get_attribute("data-used"), cell.get_attribute("data-left")) == ("1", "0")
    shot("14-quota-used")
    site.click_and_wait(site.one("#logout-button"))


def test_another_committee_cannot_nominate_the_same_person_as_worker(site: Site, shot):
    sign_in(site, WORKER_USER, WORKER_FIRST)
    change_password(site, WORKER_FIRST, WORKER_NEW)
    site.wait_for_path("/")
    site.open("/nominations/new?category=worker")
    assert "优秀党务工作者推荐和审批表" in site.text()
    site.fill("name", "张伟")
    site.fill("id_number", VALID_ID)
    site.submit(site.form_of("name"))
    shot("15-duplicate-refused")
    message = site.field_error("id_number").text
    assert "其他行业党委推荐为优秀共产党员" in message
    assert "市快递行业党委" not in site.text()
    site.open("/nominations")
    assert "张伟" not in site.text()
