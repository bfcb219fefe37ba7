"""The alliance's review, the whole story: the committee prints the form, uploads the signed and stamped scan
and submits; the administrator records the 纪检 reply and returns it with a reason; the committee sees the
notification, edits, finds its scan stale, uploads a new one and submits again; a reviewer records a
recommendation; the administrator approves with an opinion; the printed form now carries it; the history
shows every step.

Runs after test_nominations.py (alphabetical order): the campaign it opened takes entries, the express
delivery committee's member slot is used, its worker slot is free.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from selenium.webdriver.common.by import By

from conftest import Site
from test_first_campaign import ADMIN_NEW_PASSWORD, OPERATOR, OPERATOR_NEW_PASSWORD, change_password, sign_in
from test_nominations import TODAY, check_digit, choose, photo_file, set_text

pytestmark = pytest.mark.incremental

ID_BASE = "15060219800101124"  # 17th digit even: 女
WORKER_ID = ID_BASE + check_digit(ID_BASE)
REVIEWER, REVIEWER_FIRST, REVIEWER_NEW = "shenhe01", "Shenhe2024go", "Shenhe2024ok"
RETURN_REASON = "主要事迹缺少近三年的具体数据，请补充后重新上报。"
OPINION = "经联盟研究，同意表彰为优秀党务工作者。"
DEEDS = "该同志长期从事快递行业党务工作，带领支部规范开展组织生活。" * 37


def pick(site: Site, name: str, value: str) -> None:
    site.driver.find_element(By.CSS_SELECTOR, f'input[name="{name}"][value="{value}"]').click()


def sign_out(site: Site) -> None:
    site.click_and_wait(site.one("#logout-button"))


def test_committee_enters_prints_scans_and_submits(site: Site, shot, state):
    sign_in(site, OPERATOR, OPERATOR_NEW_PASSWORD)
    site.wait_for_path("/")
    site.open("/nominations/new?category=worker")
    for name, value in [("recommending_branch", "市快递行业第二党支部"), ("name", "刘芳"), ("native_place", "内蒙古鄂尔多斯"),
                        ("work_start_month", "2002-07"), ("party_join_date", "2004-06"), ("full_member_date", "2005-06"),
                        ("party_post", "党支部书记"), ("party_work_since", "2012-03"),
                        ("unit_and_position", "中通快递鄂尔多斯分公司 党支部书记"), ("id_number", WORKER_ID),
                        ("phone", "0477-8581234"), ("committee_signer", "王书记"), ("committee_opinion_date", TODAY.isoformat())]:
        site.fill(name, value)
    choose(site, "gender", "女")
    choose(site, "ethnicity", "03")
    choose(site, "education", "31")
    choose(site, "frontline", "yes")
    set_text(site, "resume", "2002.07—今 中通快递鄂尔多斯分公司 党支部书记")
    set_text(site, "honors_received", "无")
    set_text(site, "deeds", DEEDS)
    set_text(site, "committee_opinion", "该同志党务工作成绩突出，同意推荐。")
    for key in ["no_violation_3y", "dues_paid_3y", "org_life_3y", "vanguard_3y"]:
        site.field(key).click()
    site.submit(site.form_of("name"))
    assert site.field_errors() == [], site.field_errors()
    path = site.path.removesuffix("/edit")
    state["path"] = path
    site.open(path)
    site.field("photo").send_keys(str(photo_file()))
    site.submit(site.form_of("photo"))
    assert "材料完整" in site.one("#completeness").text
    assert "请先上传签字盖章后的审批表扫描件" in site.one("#submit-blockers").text
    assert site.one("#submit-button").get_attribute("disabled") is not None
    shot("40-review-before-scan", full=True)
    site.field("scan[]").send_keys(str(site.print_and_scan(path, "honors-e2e-scan-liu-1.pdf")))
    site.submit(site.form_of("scan[]"))
    assert "由审批表二维码识别" in site.one("#scan-state").text, site.text()[:1000]
    shot("41-review-scan-current", full=True)
    site.submit(site.form_of_button("#submit-button"))
    assert "已上报联盟" in site.text()
    sign_out(site)


def test_admin_records_the_integrity_reply_and_returns_it(site: Site, shot, state):
    sign_in(site, "admin", ADMIN_NEW_PASSWORD)
    site.wait_for_path("/")
    assert "推荐与审核进度" in site.text()
    shot("42-admin-dashboard", full=True)
    site.open("/review")
    assert "刘芳" in site.one("#review-table").text
    shot("43-review-desk", full=True)
    site.open("/integrity")
    assert "刘芳" in site.one("#integrity-table").text
    letter = site.download("/integrity/letter.docx?campaign=" + site.one('#letter-form input[name="campaign"]').get_attribute("value"))
    assert "刘芳" in zipfile.ZipFile(io.BytesIO(letter)).read("word/document.xml").decode("utf-8")
    shot("44-integrity-page", full=True)
    site.open(state["path"])
    assert "由审批表二维码识别" in site.one("#scan-state").text, "the alliance sees the scan beside the data"
    pick(site, "integrity_result", "clear")
    site.submit(site.form_of_button("#integrity-button"))
    assert "纪检意见已登记" in site.text()
    assert "无意见" in site.one("#integrity-latest").text
    # A return without a reason is refused beside the field, nothing changed.
    site.submit(site.form_of_button("#return-button"))
    assert "请写明退回修改的原因" in site.text()
    assert site.one("#state").text == "已上报"
    site.one("#return-reason").send_keys(RETURN_REASON)
    shot("45-review-return-form", full=True)
    site.submit(site.form_of_button("#return-button"))
    assert "已退回修改" in site.text()
    assert site.one("#state").text == "退回修改"
    # A reviewer account for the next step.
    site.open("/admin/users/new")
    site.fill("username", REVIEWER)
    site.fill("display_name", "联盟审核员")
    choose(site, "role", "reviewer")
    site.fill("password", REVIEWER_FIRST)
    site.submit(site.form_of("username"))
    site.wait_for_path("/admin/users")
    sign_out(site)


def test_committee_is_told_edits_finds_its_scan_stale_and_submits_again(site: Site, shot, state):
    sign_in(site, OPERATOR, OPERATOR_NEW_PASSWORD)
    site.wait_for_path("/")
    assert site.one("#unread-count").text == "1"
    site.click_and_wait(site.one("#notifications-link"))
    assert "退回修改：刘芳" in site.text() and RETURN_REASON in site.text()
    shot("46-committee-notification", full=True)
    site.submit(site.driver.find_element(By.CSS_SELECTOR, "#notifications form"))
    assert site.path == state["path"]
    assert RETURN_REASON in site.one("#decision").text
    site.click_and_wait(site.one("#edit-link"))
    set_text(site, "deeds", DEEDS + "近三年累计发展党员5名，培养入党积极分子12名。")
    site.submit(site.form_of("name"))
    assert site.field_errors() == [], site.field_errors()
    site.open(state["path"])
    assert "已过期" in site.one("#scan-state").text
    assert "盖章扫描件与当前数据不一致" in site.one("#submit-blockers").text
    shot("47-committee-scan-stale", full=True)
    site.field("scan[]").send_keys(str(site.print_and_scan(state["path"], "honors-e2e-scan-liu-2.pdf")))
    site.submit(site.form_of("scan[]"))
    assert "与当前数据一致" in site.one("#scan-state").text
    site.submit(site.form_of_button("#submit-button"))
    assert "已上报联盟" in site.text()
    shot("48-committee-resubmitted", full=True)
    sign_out(site)


def test_reviewer_records_a_recommendation(site: Site, shot, state):
    sign_in(site, REVIEWER, REVIEWER_FIRST)
    change_password(site, REVIEWER_FIRST, REVIEWER_NEW)
    site.wait_for_path("/")
    site.open(state["path"])
    assert not site.driver.find_elements(By.ID, "approve-button"), "a reviewer decides nothing"
    pick(site, "recommendation", "recommend")
    site.one("#review_note").send_keys("党务工作成效明显，材料真实完整，建议表彰。")
    site.submit(site.form_of_button("#review-button"))
    assert "评审意见已保存" in site.text()
    shot("49-reviewer-recommendation", full=True)
    sign_out(site)


def test_admin_approves_and_the_form_carries_the_opinion(site: Site, shot, state):
    sign_in(site, "admin", ADMIN_NEW_PASSWORD)
    site.wait_for_path("/")
    site.open(state["path"])
    assert "建议表彰" in site.one("#review").text, "the administrator sees the reviewer's note beside the data"
    opinion = site.one("#alliance_opinion")
    opinion.clear()
    opinion.send_keys(OPINION)
    shot("50-admin-approve-form", full=True)
    site.submit(site.form_of_button("#approve-button"))
    assert "已审核通过" in site.text()
    assert site.one("#state").text == "审核通过"
    assert OPINION in site.one("#decision").text
    shot("51-admin-approved", full=True)
    document = zipfile.ZipFile(io.BytesIO(site.download(state["path"] + "/form.docx"))).read("word/document.xml").decode("utf-8")
    assert OPINION in document
    site.click_and_wait(site.one("#history-link"))
    steps = [e.text for e in site.driver.find_elements(By.CSS_SELECTOR, ".history-action")]
    # The alliance's history begins where the nomination reached it.
    for step in ["上报推荐", "登记纪检意见", "退回修改", "修改推荐", "上传盖章扫描件", "评审意见", "审核通过"]:
        assert step in steps, (step, steps)
    assert RETURN_REASON in site.one("#history").text
    shot("52-history-alliance", full=True)
    sign_out(site)


def test_committee_sees_the_decision_and_its_history_without_internal_notes(site: Site, shot, state):
    sign_in(site, OPERATOR, OPERATOR_NEW_PASSWORD)
    site.wait_for_path("/")
    site.open(state["path"] + "/history")
    history = site.one("#history").text
    assert "审核通过" in history and RETURN_REASON in history
    assert "新建推荐" in history, "the committee's history begins with its draft"
    assert "评审意见" not in history and "建议表彰" not in history
    shot("53-history-committee", full=True)
    site.open(state["path"])
    assert OPINION in site.one("#decision").text
    sign_out(site)
