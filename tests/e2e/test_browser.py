"""A real browser (Debian's chromium, headless, driven by Playwright) uses the web chat."""
import os
import shutil

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (make test installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_typing_a_question_shows_the_answer(system, browser):
    page = browser.new_page()
    try:
        page.goto(system.web_url + "/")
        page.fill("#input", "出租银行卡犯法吗")
        page.press("#input", "Enter")
        answer = page.locator(".msg.bot").nth(1)
        answer.wait_for(timeout=30000)
        assert "帮助信息网络犯罪活动罪" in answer.inner_text()
        assert page.locator(".msg.user").first.inner_text() == "出租银行卡犯法吗"

        # The conversation survives a reload: history comes back from the tracker store.
        page.reload()
        page.locator(".msg.user").first.wait_for(timeout=30000)
        assert "帮助信息网络犯罪活动罪" in page.locator(".msg.bot").nth(1).inner_text()
    finally:
        page.close()


def test_suggested_question_button_and_traditional_input(system, browser):
    page = browser.new_page()
    try:
        page.goto(system.web_url + "/")
        page.get_by_role("button", name="什么是安全账户").click()
        page.locator(".msg.bot").nth(1).wait_for(timeout=30000)
        simplified_answer = page.locator(".msg.bot").nth(1).inner_text()
        assert "安全账户" in simplified_answer
        page.fill("#input", "什麼是安全賬戶")
        page.click("#send")
        page.locator(".msg.bot").nth(2).wait_for(timeout=30000)
        assert page.locator(".msg.bot").nth(2).inner_text() == simplified_answer
    finally:
        page.close()
