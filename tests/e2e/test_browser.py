"""A real browser (Debian's chromium, headless, driven by Playwright) uses the web chat."""
import os
import shutil
import time

import pytest

from bot.web.session import COOKIE, conversation_of
from tests.conftest import OFFICER_PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--autoplay-policy=no-user-gesture-required",
                 "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--disable-gpu", "--disable-quic", "--no-first-run",
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


def desk_login(browser, system, username):
    system.officer(username)
    page = browser.new_page()
    page.goto(system.web_url + "/desk/")
    assert page.url.endswith("/desk/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", OFFICER_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/")
    page.locator("#live-state:not(.off)").wait_for(timeout=10000)
    return page


def test_a_web_chat_report_reaches_the_officer_live_and_they_talk_until_closed(system, browser, record_figure):
    desk = desk_login(browser, system, "browser-officer")
    system.officer("desk-reader")  # made now: the CLI runs that make it are not part of the time measured below
    citizen = browser.new_page()
    try:
        assert desk.locator("#me").inner_text() == "民警 browser-officer"
        citizen.goto(system.web_url + "/")

        def say(text: str) -> str:
            before = citizen.locator(".msg.bot").count()
            citizen.fill("#input", text)
            citizen.press("#input", "Enter")
            citizen.locator(".msg.bot").nth(before).wait_for(timeout=30000)
            citizen.wait_for_function("() => !document.getElementById('send').disabled")
            return citizen.locator(".msg.bot").last.inner_text()

        say("网上认识的男朋友带我在一个平台投资，我转了二十万，现在他把我拉黑了")
        for answer in ("半小时前", "6222021234567890128", "不知道", "手机银行转的", "6217001234567890122",
                       "没有了", "我叫陈明", "13812345678"):
            say(answer)
        summary = say("在一个交友软件上认识的")
        assert "请核对报案信息" in summary and "网络婚恋交友" in summary and "200000元" in summary
        assert "转接值班民警" in say("对")
        submitted = time.monotonic()
        token = next(c["value"] for c in citizen.context.cookies() if c["name"] == COOKIE)
        case_id = system.case_of(conversation_of(token))["id"]  # other tests' cases are in the queue too
        item = desk.locator(f'.case-item[data-case-id="{case_id}"]')
        item.wait_for(timeout=10000)
        shown_after = time.monotonic() - submitted
        record_figure(f"desk: confirmed web-chat report → case on the officer's open page: {shown_after:.2f} s")
        assert shown_after < 2.0  # pushed (SSE), not reloaded; < 1 s on an idle machine
        assert desk.locator("#alert").is_visible() and desk.locator("body").get_attribute("data-alerts") == "1"
        assert "网络婚恋交友" in item.inner_text() and "200,000" in item.inner_text()

        item.click()
        card = desk.locator("#card")
        card.locator("table.transfers td.mono", has_text="6222021234567890128").first.wait_for()
        assert "陈明" in card.inner_text() and "13812345678" in card.inner_text()
        desk.click("#claim")
        desk.locator("#case-status", has_text="browser-officer").wait_for()
        desk.fill("#reply", "我是值班民警，已经联系银行止付，请保持电话畅通")
        desk.click("#send")
        citizen.locator(".msg.officer", has_text="已经联系银行止付").wait_for(timeout=10000)  # live on the chat page
        assert citizen.locator("#status").inner_text().startswith("民警已在线")

        # The officer starts typing while the citizen's answer is on its way to the desk: the card
        # re-renders with it, and what the officer typed meanwhile is still in the box.
        held, released = [], []
        card_url = f"**/api/cases/{case_id}"

        def hold_card_reloads(route):
            if route.request.method == "GET" and not released:
                held.append(route)
            else:
                route.continue_()

        desk.route(card_url, hold_card_reloads)
        citizen.fill("#input", "好的，谢谢民警")
        citizen.press("#input", "Enter")
        for _ in range(100):
            if held:
                break
            desk.wait_for_timeout(100)
        assert held, "the desk did not reload the case when the citizen wrote"
        desk.fill("#reply", "请把转账截图也发给我")
        released.append(True)
        for route in held:
            route.continue_()
        desk.unroute(card_url)
        desk.locator("#transcript li.citizen", has_text="好的，谢谢民警").wait_for(timeout=10000)
        assert desk.input_value("#reply") == "请把转账截图也发给我"
        desk.fill("#reply", "")

        with desk.context.expect_page() as printed:
            desk.click("#print")
        printable = printed.value
        printable.wait_for_load_state()
        assert "紧急止付申请" in printable.content() and "6222021234567890128" in printable.content()
        printable.close()

        desk.select_option("#outcome", "stopped")
        desk.fill("#frozen", "200000")
        desk.click("#close")
        desk.locator("#case-status", has_text="已结案").wait_for()
        citizen.locator(".msg.bot", has_text="服务已结束").wait_for(timeout=10000)
    finally:
        citizen.close()
        desk.close()


def test_a_browser_call_uses_the_microphone_and_the_keypad(system, browser):
    page = browser.new_page()
    try:
        before = [c["id"] for c in system.desk("GET", "/api/cases", officer="desk-reader")[1]["cases"]]
        page.goto(system.voice_url + "/voice/")
        page.click("#dial")
        page.locator("#state", has_text="已接通").wait_for(timeout=10000)  # the (fake) microphone is streaming
        page.wait_for_timeout(1500)
        page.get_by_role("button", name="0", exact=True).click()        # 0: an officer
        page.locator("#state", has_text="对方已挂断").wait_for(timeout=30000)
        cases = system.desk("GET", "/api/cases", officer="desk-reader")[1]["cases"]
        new = [c for c in cases if c["id"] not in before]
        assert [c["channel"] for c in new] == ["voice"] and new[0]["reason"] == "requested"
    finally:
        page.close()


def test_the_desk_shows_the_calls_on_the_voice_line(system, browser):
    import asyncio
    import threading

    from tests.speech.phone import Phone

    desk = desk_login(browser, system, "line-officer")
    line = desk.locator("#line-state")
    line.filter(has_text="语音热线：通话 0 路").wait_for(timeout=15000)
    hang_up = threading.Event()

    def call() -> None:
        async def talk() -> None:
            phone = await Phone(system.audiosocket_port).dial()
            await asyncio.to_thread(hang_up.wait, 60)
            await phone.hang_up()
        asyncio.run(talk())

    caller = threading.Thread(target=call)
    caller.start()
    try:
        line.filter(has_text="语音热线：通话 1 路").wait_for(timeout=15000)  # refreshed every 2 s in the tests
        assert "仅按键服务" in line.inner_text()  # this system has no Chinese model: keypad only
    finally:
        hang_up.set()
        caller.join(10)
    line.filter(has_text="语音热线：通话 0 路").wait_for(timeout=15000)
