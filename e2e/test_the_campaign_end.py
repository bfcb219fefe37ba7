"""The campaign's end: the administrator approves 张伟, chooses the 拟表彰 list and starts the 公示; a visitor who
is not signed in files an objection (an unnamed one is refused first); the administrator sees it masked,
upholds it and 张伟 leaves the public list; once the period is over the list is confirmed, the decision and the
certificates are generated, a certificate number is looked up publicly, and the closed campaign refuses an edit.

Runs after test_review.py and test_spreadsheet_import.py (alphabetical order): in the campaign they used, 刘芳 is
approved and 张伟 submitted. The server runs on today's clock, so "after the period" is reached by moving the
公示's dates into the past in the data folder (HONORS_DATA_DIR), as if its five working days had gone by.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import sqlite3
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By

from conftest import Site
from test_first_campaign import ADMIN_NEW_PASSWORD, OPERATOR, OPERATOR_NEW_PASSWORD, sign_in

pytestmark = pytest.mark.incremental

OBJECTOR, OBJECTOR_PHONE = "赵文华", "13904771234"
OBJECTION = "张伟同志事迹材料中所列“市级优秀快递员”称号，经查询当年表彰文件并无此人。"
CHECK_NOTE = "经向市邮政管理局核实，该称号不实，取消其表彰资格。"
DECISION_NUMBER = "鄂党联发〔2024〕5号"


def sign_out(site: Site) -> None:
    site.click_and_wait(site.one("#logout-button"))


def nomination_path(site: Site, name: str) -> str:
    site.open("/nominations")
    link = site.driver.find_element(By.LINK_TEXT, name)
    return "/" + link.get_attribute("href").split("/", 3)[3]


def data_folder() -> Path:
    folder = os.environ.get("HONORS_DATA_DIR")
    assert folder, "HONORS_DATA_DIR names the server's data folder (scripts/test.sh sets it)"
    return Path(folder)


def server_today() -> datetime.date:
    """The day as the server counts it: in the alliance's time zone, not the test machine's."""
    return datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def calendar_covers_the_period(site: Site) -> None:
    """Near a year's end the 公示 runs into the next year, which Honors refuses to guess: the administrator first
    enters that year's arrangement (here only 元旦), as the calendar page asks."""
    later = server_today() + datetime.timedelta(days=21)
    with sqlite3.connect(data_folder() / "honors.sqlite") as db:
        known = {year for (year,) in db.execute("SELECT year FROM calendar_years")}
    if later.year not in known:
        site.open("/admin/calendar")
        site.fill("year", str(later.year))
        site.fill("rest_days", "01-01")
        site.submit(site.form_of("year"))


def test_admin_approves_the_second_and_starts_the_publicity(site: Site, shot, state):
    sign_in(site, "admin", ADMIN_NEW_PASSWORD)
    site.wait_for_path("/")
    path = nomination_path(site, "张伟")
    state["zhang"] = path
    state["liu"] = nomination_path(site, "刘芳")
    site.open(path)
    site.driver.find_element(By.CSS_SELECTOR, 'input[name="integrity_result"][value="clear"]').click()
    site.submit(site.form_of_button("#integrity-button"))
    site.one("#alliance_opinion").send_keys("经联盟研究，同意表彰为优秀共产党员。")
    site.one("#deeds_summary").send_keys("扎根快递一线十余年，带领党小组开展“红色快递”志愿服务。")
    site.submit(site.form_of_button("#approve-button"))
    assert site.one("#state").text == "审核通过"
    with sqlite3.connect(data_folder() / "honors.sqlite") as db:
        (campaign,) = db.execute("SELECT campaign_id FROM nominations WHERE id = ?", (int(path.rsplit("/", 1)[1]),)).fetchone()
    state["campaign"] = str(campaign)

    calendar_covers_the_period(site)
    site.open(f"/campaigns/{state['campaign']}/publicity")
    assert site.one("#candidate-count").text == "2", "both approved nominations are on the list by default"
    table = site.one("#candidate-table").text
    assert "张伟" in table and "刘芳" in table
    # 刘芳 was approved without a summary: starting is refused beside her row, nothing is lost.
    site.submit(site.form_of("start_on"))
    assert "请填写事迹摘要" in site.text()
    summary = site.driver.find_element(By.CSS_SELECTOR, 'tr.has-error textarea')
    summary.send_keys("长期从事快递行业党务工作，规范开展组织生活，发展党员6名。")
    assert site.field("contact_phone").get_attribute("value"), "the campaign's phone is the default"
    site.fill("contact_address", "鄂尔多斯市康巴什区市民中心")
    shot("60-publicity-start", full=True)
    site.submit(site.form_of("start_on"))
    assert "公示已开始" in site.text()
    assert "5个工作日" in site.one("#publicity-period").text
    shot("61-publicity-started", full=True)
    sign_out(site)
    # Started on a weekend or holiday, the 公示 opens on the next working day (the default start): bring that day
    # forward in the data folder, as if it had come.
    today = server_today().isoformat()
    with sqlite3.connect(data_folder() / "honors.sqlite") as db:
        db.execute("UPDATE publicities SET start_on = ? WHERE campaign_id = ? AND start_on > ?",
                   (today, int(campaign), today))


def test_a_visitor_objects_under_a_real_name(site: Site, shot, state):
    site.open(f"/public/campaigns/{state['campaign']}")
    page = site.text()
    assert "拟表彰对象公示" in page and "张伟" in page and "红色快递" in page and "刘芳" in page
    assert "鄂尔多斯市康巴什区市民中心" in page
    for leak in ["150602", "0477-8581234", "审核通过", "同意表彰"]:
        assert leak not in page, leak
    shot("62-public-list", full=True)
    site.fill("objector_phone", OBJECTOR_PHONE)
    site.driver.find_element(By.CSS_SELECTOR, "#nomination option:nth-child(2)").click()
    site.fill("content", OBJECTION)
    site.submit(site.form_of("objector_name"))
    assert "匿名异议不予受理" in site.field_error("objector_name").text
    assert site.field("content").get_attribute("value") == OBJECTION, "what was typed stays"
    site.fill("objector_name", OBJECTOR)
    for option in site.driver.find_elements(By.CSS_SELECTOR, "#nomination option"):
        if option.text.startswith("张伟"):
            option.click()
    site.submit(site.form_of("objector_name"))
    assert "您的异议已收到" in site.one("#objection-filed").text
    shot("63-objection-filed", full=True)


def test_admin_upholds_it_and_the_nominee_leaves_the_list(site: Site, shot, state):
    sign_in(site, "admin", ADMIN_NEW_PASSWORD)
    site.wait_for_path("/")
    site.open(f"/campaigns/{state['campaign']}/publicity")
    objections = site.one("#objection-table").text
    assert "赵**" in objections and OBJECTOR not in objections and OBJECTOR_PHONE not in objections, objections
    assert "139*****234" in objections, "the phone masked as every phone is"
    site.driver.find_element(By.CSS_SELECTOR, '.outcome-form input[value="disqualify"]').click()
    site.driver.find_element(By.CSS_SELECTOR, '.outcome-form textarea').send_keys(CHECK_NOTE)
    shot("64-objection-check", full=True)
    site.submit(site.driver.find_element(By.CSS_SELECTOR, ".outcome-form"))
    assert "核查结果已登记" in site.text()
    assert "取消表彰资格" in site.one("#objection-table").text
    site.open(state["zhang"])
    assert site.one("#state").text == "取消表彰资格"
    sign_out(site)
    site.open(f"/public/campaigns/{state['campaign']}")
    assert "张伟" not in site.text() and "刘芳" in site.text()


def test_after_the_period_the_decision_and_certificates(site: Site, shot, state, screenshots_dir):
    today = server_today()
    with sqlite3.connect(data_folder() / "honors.sqlite") as db:
        db.execute("UPDATE publicities SET start_on = ?, end_on = ? WHERE campaign_id = ?",
                   ((today - datetime.timedelta(days=10)).isoformat(), (today - datetime.timedelta(days=3)).isoformat(),
                    int(state["campaign"])))
    site.open(f"/public/campaigns/{state['campaign']}")
    assert "已结束，不再受理异议" in site.text()
    assert not site.driver.find_elements(By.ID, "objection-form")

    sign_in(site, "admin", ADMIN_NEW_PASSWORD)
    site.wait_for_path("/")
    site.open(f"/campaigns/{state['campaign']}/publicity")
    site.click_and_wait(site.one("#clear-publicity"))
    assert "已确认公示无异议" in site.text()
    assert site.field("decision_number").get_attribute("value"), "the next number of the campaign's sequence is proposed"
    site.fill("decision_number", DECISION_NUMBER)
    shot("65-decision-form", full=True)
    site.submit(site.form_of("decision_number"))
    assert "表彰决定已作出" in site.text()
    assert DECISION_NUMBER in site.one("#decision-number").text
    shot("66-decision-issued", full=True)

    base = f"/campaigns/{state['campaign']}/commendation"
    decision = site.download(base + "/decision.docx")
    text = zipfile.ZipFile(io.BytesIO(decision)).read("word/document.xml").decode("utf-8")
    assert DECISION_NUMBER in text and "刘芳" in text and "张伟" not in text
    certificates = site.download(base + "/certificates.docx")
    printed = zipfile.ZipFile(io.BytesIO(certificates)).read("word/document.xml").decode("utf-8")
    number = re.search(r"\d{4}-YXDW-001", printed)
    assert number and "刘芳同志" in printed, "one certificate, numbered, for 刘芳"
    state["certificate"] = number.group(0)
    assert site.download(base + "/certificates.pdf").startswith(b"%PDF")
    (screenshots_dir / "decision.docx").write_bytes(decision)
    (screenshots_dir / "certificates.docx").write_bytes(certificates)
    assert site.download(base + "/decision.xlsx")[:2] == b"PK"


def test_a_certificate_is_looked_up_publicly(site: Site, shot, state):
    sign_out(site)
    site.open("/public/certificates")
    site.fill("number", " " + state["certificate"].lower())
    site.submit(site.form_of("number"))
    assert site.one("#certificate-name").text == "刘芳"
    assert site.one("#certificate-honour").text == "优秀党务工作者"
    shot("67-certificate-lookup")
    site.open("/public/certificates")
    site.fill("number", state["certificate"][:-3] + "999")
    site.submit(site.form_of("number"))
    assert "未查到" in site.one("#certificate-error").text


def test_the_campaign_closes_and_refuses_an_edit(site: Site, shot, state):
    sign_in(site, "admin", ADMIN_NEW_PASSWORD)
    site.wait_for_path("/")
    site.open(f"/campaigns/{state['campaign']}/publicity")
    site.driver.execute_script("window.confirm = () => true")
    site.click_and_wait(site.one("#close-campaign"))
    assert "已结束归档" in site.text()
    site.open(f"/campaigns/{state['campaign']}/edit")
    assert "推荐活动已归档" in site.text()
    shot("68-closed-refuses-edit")
    site.open(state["liu"])
    assert site.one("#state").text == "已表彰"
    assert not site.driver.find_elements(By.CSS_SELECTOR, "[data-action]"), "no action is offered in a closed campaign"
    sign_out(site)
    sign_in(site, OPERATOR, OPERATOR_NEW_PASSWORD)
    site.wait_for_path("/")
    site.open(state["liu"])
    assert not site.driver.find_elements(By.CSS_SELECTOR, "[data-action]")
    sign_out(site)
    site.open(f"/public/campaigns/{state['campaign']}")
    assert "表彰名单" in site.text() and "刘芳" in site.text() and DECISION_NUMBER in site.text()
    shot("69-public-commended", full=True)
