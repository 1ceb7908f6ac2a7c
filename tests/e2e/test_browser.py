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


def test_a_report_on_the_web_chat_ends_with_a_confirmed_summary(system, browser):
    page = browser.new_page()
    try:
        page.goto(system.web_url + "/")

        def say(text: str) -> str:
            before = page.locator(".msg.bot").count()
            page.fill("#input", text)
            page.press("#input", "Enter")
            page.locator(".msg.bot").nth(before).wait_for(timeout=30000)
            page.wait_for_function("() => !document.getElementById('send').disabled")
            return page.locator(".msg.bot").last.inner_text()

        say("网上认识的男朋友带我在一个平台投资，我转了二十万，现在他把我拉黑了")
        for answer in ("半小时前", "6222021234567890128", "不知道", "手机银行转的", "6217001234567890122",
                       "没有了", "我叫陈明", "13812345678"):
            say(answer)
        summary = say("在一个交友软件上认识的")
        assert "请核对报案信息" in summary and "网络婚恋交友" in summary and "200000元" in summary
        assert "登记完毕" in say("对")
    finally:
        page.close()
