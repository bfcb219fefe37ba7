"""The express-delivery committee fills in the Excel template offline and imports it: valid rows become
drafts, a wrong row is reported by row and column and stores nothing, the person it already nominated on the
web is not created twice, and importing the same file again changes nothing.

Runs after test_nominations.py (alphabetical order), which opened a campaign for today and submitted 张伟
for the express-delivery committee. The template is filled with openpyxl, as a third-party reader of it.
"""

from __future__ import annotations

import io
import tempfile
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from conftest import Site
from test_first_campaign import OPERATOR, OPERATOR_NEW_PASSWORD, sign_in
from test_nominations import DEEDS, VALID_ID, check_digit

pytestmark = pytest.mark.incremental

PEOPLE_SHEET = "优秀共产党员和优秀党务工作者"
ORG_SHEET = "先进基层党组织"
NEW_ID = "15060219900101332" + check_digit("15060219900101332")
BAD_ID = "15060219880808123" + ("1" if check_digit("15060219880808123") != "1" else "2")


def person(name: str, id_number: str, **overrides: str) -> dict[str, str]:
    row = {
        "category": "优秀共产党员", "recommending_branch": "市快递行业第二党支部", "name": name, "gender": "女",
        "ethnicity": "蒙古族", "native_place": "内蒙古鄂尔多斯", "work_start_month": "2012-07",
        "party_join_date": "2014-06", "full_member_date": "2015-06", "education": "大学本科毕业",
        "unit_and_position": "中通快递鄂尔多斯分拨中心 班组长", "frontline": "是", "id_number": id_number,
        "phone": "13947712345", "resume": "2012.07—今 中通快递鄂尔多斯分拨中心 班组长", "honors_received": "无",
        "deeds": DEEDS, "no_violation_3y": "是", "dues_paid_3y": "是", "org_life_3y": "是", "vanguard_3y": "是",
    }
    row.update(overrides)
    return row


def download(site: Site, path: str) -> bytes:
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in site.driver.get_cookies())
    request = urllib.request.Request(site.url(path), headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.status == 200
        return response.read()


def fill(template: bytes, people: list[dict[str, str]], orgs: list[dict[str, str]]) -> Path:
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    assert workbook["代码表"].sheet_state == "hidden"
    for name, rows in [(PEOPLE_SHEET, people), (ORG_SHEET, orgs)]:
        sheet = workbook[name]
        keys = {cell.value: cell.column for cell in sheet[2] if cell.value}
        for offset, row in enumerate(rows):
            for key, value in row.items():
                sheet.cell(row=3 + offset, column=keys[key], value=value)
    path = Path(tempfile.gettempdir()) / "honors-e2e-推荐名单.xlsx"
    workbook.save(path)
    return path


def upload(site: Site, path: Path) -> None:
    site.open("/import")
    site.field("file").send_keys(str(path))
    site.submit(site.form_of("file"))


def test_operator_fills_the_template_and_imports_it(site: Site, shot, state):
    sign_in(site, OPERATOR, OPERATOR_NEW_PASSWORD)
    site.wait_for_path("/")
    site.open("/import")
    shot("20-import-page")
    template = download(site, "/import/template.xlsx")
    path = fill(template, people=[
        person("张伟", VALID_ID, gender="男", ethnicity="汉族"),  # submitted on the web before: not created twice
        person("其木格", NEW_ID),
        person("王错", BAD_ID, full_member_date="2013-01"),  # wrong check digit, 转正 before 入党
    ], orgs=[{
        "org_name": "中通快递鄂尔多斯分拨中心党支部", "org_unit": "中通快递鄂尔多斯分拨中心", "org_leader": "李明",
        "member_count": "9", "basic_info": "支部现有正式党员9名。", "honors_received": "无", "deeds": DEEDS,
    }])
    state["file"] = path
    upload(site, path)
    shot("21-import-results")
    summary = site.one(".import-summary").text
    assert "导入为草稿 2 行" in summary and "已存在未重复导入 1 行" in summary and "有错误未导入 1 行" in summary, summary
    bad = site.one('tr[data-row="5"]').text
    assert "身份证号" in bad and "校验位不符" in bad and "转正时间" in bad, bad
    assert "有错误，未导入" in bad
    site.open("/nominations")
    listing = site.text()
    assert "其木格" in listing and "中通快递鄂尔多斯分拨中心党支部" in listing and "王错" not in listing


def test_importing_the_same_file_again_creates_nothing(site: Site, shot, state):
    upload(site, state["file"])
    summary = site.one(".import-summary").text
    assert "导入为草稿 0 行" in summary and "已存在未重复导入 3 行" in summary, summary
    site.open("/nominations")
    assert site.text().count("其木格") == 1
