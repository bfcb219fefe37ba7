"""The express-delivery committee packages its materials: the package is built in the background, the page
follows its progress and offers the download, and the zip holds 张伟's form and photo, the 汇总表 and
附件1 under Chinese names.

Runs after test_nominations.py (alphabetical order), which submitted 张伟 with a photo.
"""

from __future__ import annotations

import io
import urllib.request
import zipfile

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Site
from test_first_campaign import OPERATOR, OPERATOR_NEW_PASSWORD, sign_in
from test_nominations import DOCUMENT_NUMBER

pytestmark = pytest.mark.incremental


def test_operator_builds_and_downloads_the_committee_package(site: Site, shot):
    sign_in(site, OPERATOR, OPERATOR_NEW_PASSWORD)
    site.wait_for_path("/")
    site.open("/campaigns")
    site.click_and_wait(site.driver.find_element("partial link text", DOCUMENT_NUMBER))
    site.click_and_wait(site.one("#packages-link"))
    shot("30-packages-page")
    site.submit(site.form_of("pdf"))
    assert site.path.startswith("/packages/")
    # The page updates itself until the download appears (PDF conversion takes a few seconds).
    WebDriverWait(site.driver, 120).until(lambda d: d.find_element("id", "package-download").is_displayed())
    shot("31-package-ready")
    assert "已完成" in site.one("#package-state").text
    # Filled in by the page's script when the package finished: a date and time, no longer the placeholder.
    assert site.one("#package-kept").text[:2] == "20", site.one("#package-kept").text
    assert "Word 和 PDF" in site.text()
    link = site.one("#package-download a").get_attribute("href")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in site.driver.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(link, headers={"Cookie": cookies}), timeout=30) as response:
        assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
        data = response.read()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert any(n.endswith("张伟/优秀共产党员推荐和审批表.docx") for n in names), names
    assert any(n.endswith("张伟/优秀共产党员推荐和审批表.pdf") for n in names), names
    assert any(n.endswith("张伟/二寸免冠照片.png") for n in names), names
    assert any(n.endswith("/推荐汇总表.xlsx") for n in names) and any("附件1" in n for n in names)
