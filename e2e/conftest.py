"""Browser suite fixtures: headless Debian Chromium driven by Selenium.

scripts/test.sh starts the server and sets:
  HONORS_BASE_URL        e.g. http://127.0.0.1:58080
  HONORS_ADMIN_PASSWORD  the one-time admin password the server printed at first start
  HONORS_SCREENSHOTS     folder for one PNG per step (and the page of any failing step)

Each test module is a story: its tests run in file order, share one browser and one `state` dict, and once
a step fails the later steps of that module are skipped instead of failing for the same reason.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field as dataclass_field
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

# Debian's browser and driver, named explicitly: otherwise Selenium tries to download its own.
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT_SECONDS = 15


# --------------------------------------------------------------------------------------------------------
# Environment


def _require_env(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        pytest.fail(f"{name} is not set; run the browser suite through scripts/test.sh", pytrace=False)
    return value


@pytest.fixture(scope="session")
def base_url() -> str:
    return _require_env("HONORS_BASE_URL").rstrip("/")


@pytest.fixture(scope="session")
def admin_password() -> str:
    return _require_env("HONORS_ADMIN_PASSWORD")


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    folder = Path(os.environ.get("HONORS_SCREENSHOTS") or Path(__file__).parent / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --------------------------------------------------------------------------------------------------------
# Browser


def make_driver() -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")  # chromium refuses to start as root otherwise
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--disable-gpu")
    options.add_argument("--window-size=1366,900")
    options.add_argument("--lang=zh-CN")
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


@pytest.fixture(scope="module")
def driver():
    d = make_driver()
    d.set_page_load_timeout(60)
    yield d
    d.quit()


@pytest.fixture(scope="module")
def state() -> dict:
    """Values one step hands to the next within a story module."""
    return {}


@pytest.fixture(scope="module")
def shot(driver: WebDriver, screenshots_dir: Path):
    """shot("01-login") saves the current viewport as 01-login.png."""

    def save(name: str, full: bool = False) -> Path:
        """full=True grows the window to the page's height first, to keep the whole page in one picture."""
        path = screenshots_dir / f"{name}.png"
        size = driver.get_window_size()
        if full:
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(size["width"], min(max(height + 120, size["height"]), 6000))
        try:
            if not driver.save_screenshot(str(path)):
                raise AssertionError(f"could not save screenshot {path}")
        finally:
            if full:
                driver.set_window_size(size["width"], size["height"])
        return path

    return save


@pytest.fixture(scope="module")
def site(driver: WebDriver, base_url: str) -> "Site":
    return Site(driver, base_url)


# --------------------------------------------------------------------------------------------------------
# Page helpers


# Finds the `.field-error` that belongs to a field: one the field names in aria-describedby; or one inside
# the field's own box (the largest ancestor holding no other field, e.g. its <label> or <div class="field">);
# or one among the elements right after that box, before the next label or field.
_FIELD_ERROR_JS = """
const field = arguments[0];
const FIELDS = 'input:not([type=hidden]), select, textarea';
const isError = el => el.classList.contains('field-error');
const findError = el => isError(el) ? el : el.querySelector('.field-error');
const holdsOtherField = el => [...el.querySelectorAll(FIELDS)].some(f => f !== field);

for (const id of (field.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)) {
    const el = document.getElementById(id);
    if (el && findError(el)) return findError(el);
}
let box = field;
while (box.parentElement && box.parentElement.tagName !== 'FORM' && !holdsOtherField(box.parentElement)) {
    box = box.parentElement;
}
const inside = box.querySelector('.field-error');
if (inside) return inside;
for (let sib = box.nextElementSibling; sib; sib = sib.nextElementSibling) {
    if (sib.matches(FIELDS) || sib.tagName === 'LABEL' || sib.querySelector(FIELDS)) break;
    const err = findError(sib);
    if (err) return err;
}
return null;
"""


@dataclass
class Response:
    status: int
    location: str | None
    body: str = dataclass_field(repr=False)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Site:
    """Small helpers over the driver, all in terms of the server's own paths."""

    def __init__(self, driver: WebDriver, base_url: str):
        self.driver = driver
        self.base_url = base_url

    # Navigation

    def url(self, path: str) -> str:
        return self.base_url + path

    def open(self, path: str) -> None:
        self.driver.get(self.url(path))
        self.wait_ready()

    @property
    def path(self) -> str:
        return urllib.parse.urlparse(self.driver.current_url).path

    def wait_ready(self) -> None:
        WebDriverWait(self.driver, WAIT_SECONDS).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )

    def wait_for_path(self, path: str) -> None:
        try:
            WebDriverWait(self.driver, WAIT_SECONDS).until(lambda d: self.path == path)
        except Exception:
            raise AssertionError(
                f"expected to arrive at {path}, still at {self.driver.current_url}\n"
                f"page text:\n{self.text()[:1500]}"
            ) from None
        self.wait_ready()

    # Reading

    def text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "body").text

    def one(self, css: str, within: WebElement | None = None) -> WebElement:
        found = (within or self.driver).find_elements(By.CSS_SELECTOR, css)
        assert len(found) == 1, f"expected exactly one element for {css!r}, found {len(found)}"
        return found[0]

    def field(self, name: str) -> WebElement:
        found = self.driver.find_elements(By.CSS_SELECTOR, f'[name="{name}"]:not([type="hidden"])')
        assert len(found) == 1, f"expected exactly one form field named {name!r}, found {len(found)}"
        return found[0]

    def form_of(self, field_name: str) -> WebElement:
        form = self.field(field_name).get_property("form")
        assert form is not None, f"the field {field_name!r} is not inside a form"
        return form

    def form_of_button(self, css: str) -> WebElement:
        form = self.one(css).get_property("form")
        assert form is not None, f"{css!r} is not inside a form"
        return form

    def field_error(self, field_name: str) -> WebElement:
        """The `.field-error` shown next to the named field, failing if there is none."""
        field = self.field(field_name)
        error = self.driver.execute_script(_FIELD_ERROR_JS, field)
        assert error is not None, (
            f"no .field-error next to the field {field_name!r}; .field-error texts on the page: "
            f"{self.field_errors()}"
        )
        assert error.is_displayed() and error.text.strip(), (
            f"the .field-error next to {field_name!r} is hidden or empty"
        )
        return error

    def field_errors(self) -> list[str]:
        return [e.text.strip() for e in self.driver.find_elements(By.CSS_SELECTOR, ".field-error")]

    # Writing

    def fill(self, name: str, value: str) -> None:
        el = self.field(name)
        el.clear()
        if value:
            el.send_keys(value)

    def submit(self, form: WebElement, *, skip_browser_checks: bool = False) -> None:
        """Click the form's submit button and wait for the next page to load.

        skip_browser_checks sets `novalidate` first, so the server's own checks are what is tested even
        when the page also carries HTML `required` / `minlength` hints."""
        if skip_browser_checks:
            self.driver.execute_script("arguments[0].setAttribute('novalidate', '')", form)
        buttons = form.find_elements(
            By.CSS_SELECTOR, 'button[type="submit"], button:not([type]), input[type="submit"]'
        )
        assert buttons, "the form has no submit button"
        self.click_and_wait(buttons[0])

    def click_and_wait(self, element: WebElement) -> None:
        """Click something that loads a new page, and wait until that page has loaded.

        The old document is tagged first; the new one is recognised by not carrying the tag. (Waiting for
        the old <html> element to go stale races with Chromium tearing the document down.)"""
        token = f"t{time.monotonic_ns()}"
        self.driver.execute_script("document.__honorsPage = arguments[0]", token)
        element.click()

        def new_page_loaded(d: WebDriver) -> bool:
            return bool(
                d.execute_script(
                    "return document.__honorsPage !== arguments[0] && document.readyState === 'complete'",
                    token,
                )
            )

        try:
            WebDriverWait(
                self.driver, WAIT_SECONDS, ignored_exceptions=(WebDriverException,)
            ).until(new_page_loaded)
        except TimeoutException:
            raise AssertionError(
                f"no new page within {WAIT_SECONDS}s of the click; still at {self.driver.current_url}"
            ) from None

    # Out-of-browser requests carrying the browser's session, to see status codes and redirects, which
    # WebDriver does not expose.

    def fetch(self, path: str, cookies: list[dict] | None = None) -> Response:
        jar_header = "; ".join(
            f"{c['name']}={c['value']}" for c in (cookies if cookies is not None else self.driver.get_cookies())
        )
        request = urllib.request.Request(self.url(path), headers={"Accept": "text/html"})
        if jar_header:
            request.add_header("Cookie", jar_header)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=WAIT_SECONDS) as r:
                return Response(r.status, r.headers.get("Location"), r.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers.get("Location"), e.read().decode("utf-8", "replace"))


    def download(self, path: str) -> bytes:
        """A file as the signed-in browser would download it."""
        jar_header = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        request = urllib.request.Request(self.url(path), headers={"Cookie": jar_header})
        with urllib.request.urlopen(request, timeout=120) as r:
            assert r.status == 200, f"{path}: {r.status}"
            return r.read()

    def print_and_scan(self, nomination_path: str, name: str) -> Path:
        """The committee prints the form, the secretary signs, the committee stamps and scans it: here the
        printed form is the server's own PDF (LibreOffice), which carries the QR code in its footer."""
        pdf = self.download(nomination_path + "/form.pdf")
        assert pdf.startswith(b"%PDF"), pdf[:20]
        path = Path(tempfile.gettempdir()) / name
        path.write_bytes(pdf)
        return path


def location_path(location: str | None) -> str | None:
    return urllib.parse.urlparse(location).path if location else None


# --------------------------------------------------------------------------------------------------------
# Story mode: skip the rest of a module after a failed step, and keep a picture of the failure.


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "incremental: the module is one story; after a failed step the later steps are skipped"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when not in ("setup", "call") or not report.failed:
        return
    if item.get_closest_marker("incremental") is not None:
        item.module.__dict__.setdefault("_story_failed", item.name)
    d = item.funcargs.get("driver")
    folder = os.environ.get("HONORS_SCREENSHOTS")
    if d is None or not folder:
        return
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        d.save_screenshot(str(Path(folder) / f"FAILED-{_safe(item.name)}.png"))
        (Path(folder) / f"FAILED-{_safe(item.name)}.html").write_text(
            f"<!-- {d.current_url} -->\n{d.page_source}", encoding="utf-8"
        )
    except WebDriverException:
        pass


def pytest_runtest_setup(item):
    if item.get_closest_marker("incremental") is None:
        return
    failed = getattr(item.module, "_story_failed", None)
    if failed is not None:
        pytest.skip(f"an earlier step failed: {failed}")
