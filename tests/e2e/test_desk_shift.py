"""A shift on the officer desk, read in Chromium as an officer reads it, on a machine in another time zone:
the queue, the case card, the printed stop-payment request and the dashboard show the centre's time (as
the bot read it back to the citizen), flag what a bank would refuse, and never show null, NaN or raw ISO.
Screenshots go to var/test-artefacts/desk-shift/."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from actions.parsing import format_time
from bot.desk.store import CaseStore
from bot.desk.timefmt import human_time
from bot.settings import Settings
from tests.conftest import OFFICER_PASSWORD, REPO_ROOT
from tests.e2e.test_browser import browser  # noqa: F401 (the shared Chromium)

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.browser]

CENTRE = ZoneInfo("Asia/Shanghai")
ARTEFACTS = REPO_ROOT / "var" / "test-artefacts" / "desk-shift"
# What an officer must never read: placeholders of missing values and machine timestamps.
UNREADABLE = re.compile(r"null|undefined|NaN|\[object|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
SHARED_CARD = "6217850000123456789"   # reported by two cases: linked
SECOND_CARD = "6228480011223344556"   # the holder is unknown: the bank may refuse
RED = "rgb(179, 38, 30)"
GREEN = "rgb(46, 125, 50)"


def readable(text: str, where: str) -> str:
    found = UNREADABLE.search(text)
    assert found is None, f"{where} shows {found.group(0)!r}: …{text[max(0, found.start() - 80):found.end() + 80]}…"
    return text


def shoot(page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def alerted(page, text: str) -> None:
    """Waits until the page has told the officer something containing text (window.alert)."""
    for _ in range(50):
        if any(text in said for said in page.dialogs):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"no alert saying {text!r}: {page.dialogs}")


def iso(moment: datetime) -> str:
    return moment.astimezone(CENTRE).isoformat(timespec="seconds")


@pytest.fixture(scope="module")
def shift(system):
    """Cases as the action server opens them, in the system's store: an urgent report into two accounts (one
    shared with an earlier case, one with no holder), that earlier case, and a registration."""
    store = CaseStore.open(Settings.from_env(system.env))
    now = datetime.now(CENTRE)
    yesterday = now - timedelta(hours=26, minutes=7)  # never today in the centre's zone
    recent = now - timedelta(minutes=45)              # past the 30-minute golden window

    def open_case(conversation_id, transfers, reason="report", **extra):
        opener = store.open_registration if reason == "registration" else store.open_handoff
        arguments = dict(conversation_id=conversation_id, channel="webchat", packet={
            "victim": {"name": "陈明", "phone": "13600009999"}, "transfers": transfers,
            "fraudster_contacts": ["qq:876543219"], "narrative": "网上认识的“客服”让我转账解冻", **extra},
            scam_type={"name": "investment", "confidence": 0.9}, in_progress=False, transcript=[
                {"from": "citizen", "text": "我被骗了", "at": now.timestamp() - 600},
                {"from": "bot", "text": "请别着急", "at": now.timestamp() - 590}])
        if reason != "registration":
            arguments["reason"] = reason
        return opener(**arguments)

    try:
        earlier = open_case("shift-earlier", [{"amount": 3000, "time": iso(yesterday), "to_account": SHARED_CARD,
                                               "to_name": "李四", "to_bank": "中国工商银行"}])
        urgent = open_case("shift-urgent", [
            {"amount": 50000, "time": iso(yesterday), "channel": "bank_transfer", "from_account": "6217001234567890",
             "to_account": SHARED_CARD, "to_bank": "中国工商银行", "to_name": "李四", "to_branch": "北京朝阳支行",
             "serial": "20261130203600123"},
            {"amount": 8000, "time": iso(recent), "channel": "alipay", "from_account": "支付宝余额",
             "to_account": SECOND_CARD, "to_bank": "中国农业银行"}])
        registered = open_case("shift-registration", [{"amount": 600, "time": iso(yesterday),
                                                       "to_account": "6217991234567890", "to_name": "王五"}],
                               reason="registration")
        # Ten minutes ago, inside the golden window; the victim left no phone, the paying account is unknown.
        fresh = open_case("shift-fresh", [{"amount": 12000, "time": iso(now - timedelta(minutes=10)),
                                           "channel": "bank_transfer", "to_account": "6222600000111122223",
                                           "to_bank": "交通银行", "to_name": "赵六"}],
                          victim={"name": "孙丽", "phone": None})
        yield {"urgent": urgent, "earlier": earlier, "registration": registered, "yesterday": iso(yesterday),
               "recent": iso(recent), "fresh": fresh}
    finally:
        store.close()


@pytest.fixture
def officer_page(system, browser):  # noqa: F811 (the fixture imported above)
    """The desk, logged in, in a browser whose machine is in New York."""
    system.officer("shift-officer")
    context = browser.new_context(timezone_id="America/New_York", locale="zh-CN", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.dialogs, page.console_errors = [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.accept()))
    context.on("console", lambda message: page.console_errors.append(message.text) if message.type == "error" else None)
    page.goto(system.web_url + "/desk/")
    page.fill("input[name=username]", "shift-officer")
    page.fill("input[name=password]", OFFICER_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/")
    page.locator("#live-state:not(.off)").wait_for(timeout=10000)
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "America/New_York"
    yield page
    context.close()


def test_the_card_reads_in_the_centres_time_and_flags_what_the_bank_needs(system, shift, officer_page):
    page, case = officer_page, shift["urgent"]
    item = page.locator(f'.case-item[data-case-id="{case["id"]}"]')
    item.wait_for(timeout=10000)
    # The queue: one wording for the status, the golden-window clock red past 30 minutes.
    assert "待认领 · 群众在线等待民警" in item.inner_text() and "民警对话中" not in item.inner_text()
    clock = item.locator(".golden")
    assert re.fullmatch(r"距转账 \d+分\d\d秒", clock.inner_text()), clock.inner_text()
    assert "late" in clock.get_attribute("class")
    assert clock.evaluate("n => getComputedStyle(n).backgroundColor") == RED
    readable(page.locator("#case-list").inner_text(), "the queue")
    shoot(page, "1-queue")

    item.click()
    card = page.locator("#card")
    card.locator("#case-status").wait_for()
    rows = card.locator("table.transfers tr")
    first, second = rows.nth(1).locator("td"), rows.nth(2).locator("td")
    # The times the bot read back to the citizen, on a desk in New York.
    assert first.nth(2).inner_text() == format_time(shift["yesterday"])  # with the date: not today
    now = datetime.now(CENTRE).timestamp()
    assert second.nth(2).inner_text() == human_time(shift["recent"], CENTRE, now)  # today: the time alone
    assert format_time(shift["recent"]).endswith(second.nth(2).inner_text())
    assert card.locator("#case-status").inner_text() == "待认领 · 群众在线等待民警"
    holder = second.nth(7)
    assert holder.inner_text() == "户名不详 — 银行可能拒绝"
    assert holder.evaluate("n => getComputedStyle(n).color") == RED
    assert first.nth(9).inner_text() == "20261130203600123"  # 流水号
    # Linked cases: the shared account, the victim's phone and the QQ number list the earlier case.
    linked = first.nth(5).locator(".linked")
    assert linked.inner_text().startswith("共 2 案报告：") and f"#{shift['earlier']['id']}" in linked.inner_text()
    assert f"#{shift['earlier']['id']}" in card.locator("#contacts").inner_text()
    text = readable(card.inner_text(), "the case card")
    assert "nullnull" not in text and "HTMLHeadingElement" not in text
    shoot(page, "2-card")

    # Claimed, a stop requested for the first account: its expiry in the centre's time.
    page.click("#claim")
    card.locator("#case-status", has_text="处理中（shift-officer） · 民警对话中").wait_for()
    card.locator('.stop[data-account="1"] .stop-requested').click()
    state = card.locator('.stop[data-account="1"] .stop-state')
    state.wait_for()
    stop = system.desk("GET", f"/api/cases/{case['id']}", officer="shift-officer")[1]["stops"][0]
    now = datetime.now(CENTRE).timestamp()
    expected = f"止付中：{human_time(stop['requested_at'], CENTRE, now)} 申请，{human_time(stop['expires_at'], CENTRE, now)} 到期"
    assert state.inner_text() == expected
    readable(card.inner_text(), "the case card with a stop")
    shoot(page, "3-card-claimed-stop")

    # The printed request of the second account (a bank acts per account).
    with page.context.expect_page() as opened:
        card.locator('.stop[data-account="2"] .print-account').click()
    printed = opened.value
    printed.wait_for_load_state()
    sheet = readable(printed.locator("body").inner_text(), "the printed request")
    assert printed.locator(".sheet").count() == 1 and SECOND_CARD in sheet and SHARED_CARD not in sheet
    assert "户名不详 — 银行可能拒绝" in sheet and "受理单位：96110 反诈中心" in sheet and "经办民警：shift-officer" in sheet
    recent = datetime.fromisoformat(shift["recent"])
    assert f"{recent.year}年{recent.month}月{recent.day}日 {recent:%H:%M}" in sheet  # the centre's time, in full
    assert printed.locator(".missing").first.evaluate("n => getComputedStyle(n).color") == "rgb(176, 0, 32)"
    shoot(printed, "4-print-second-account")
    printed.close()

    # The search box finds both cases that reported the shared account.
    page.fill("#search-q", "6217 8500 0012 3456 789")
    page.click("#search button")
    page.locator("#search-result").wait_for()
    found = {int(n) for n in page.locator("#case-list .case-item").evaluate_all("ns => ns.map(n => n.dataset.caseId)")}
    assert {case["id"], shift["earlier"]["id"]} <= found
    readable(page.locator(".queue").inner_text(), "the search results")
    shoot(page, "5-search")


def test_a_registration_has_its_own_tab_and_can_be_made_urgent(shift, officer_page):
    page, case = officer_page, shift["registration"]
    page.locator(f'.case-item[data-case-id="{shift["earlier"]["id"]}"]').wait_for(timeout=10000)  # the queue is in
    item = page.locator(f'.case-item[data-case-id="{case["id"]}"]')
    assert item.count() == 0  # not among the urgent cases
    page.click('.tabs button[data-tab="registration"]')
    item.wait_for()
    assert "待认领 · 报案登记，请电话联系报案人" in item.inner_text()
    item.click()
    page.locator("#promote").wait_for()
    readable(page.locator("#card").inner_text(), "the registration card")
    shoot(page, "6-registration")
    # Registered, never handed to an officer: the queue and the card say so.
    registered = f"登记 {human_time(case['handoff_at'], CENTRE, datetime.now(CENTRE).timestamp())}"
    assert registered in item.inner_text() and "转人工" not in item.inner_text()
    timers = page.locator("#card .timers").inner_text()
    assert "距登记 " in timers and "转人工" not in timers
    page.click("#promote")
    page.locator("#case-status", has_text="登记已转紧急").wait_for()
    page.click('.tabs button[data-tab="waiting"]')
    page.locator(f'.case-item[data-case-id="{case["id"]}"]').wait_for()


def test_the_shift_dashboard_reads_correctly(system, shift, officer_page):
    store = CaseStore.open(Settings.from_env(system.env))
    try:  # the longest scam-type label there is
        store.open_handoff(conversation_id="shift-loan", channel="webchat", reason="report",
                           packet={"transfers": [{"amount": 3000}]}, scam_type={"name": "loan"},
                           in_progress=False, transcript=[])
    finally:
        store.close()
    page = officer_page
    page.click("#stats-link")
    page.wait_for_url("**/desk/stats")
    body = readable(page.locator("body").inner_text(), "the dashboard")
    assert "值班统计" in body and "每小时新案件" in body and "虚假网络投资理财" in body
    assert page.locator("svg").count() >= 3
    # Every label and count is drawn inside its chart: none cut off at an edge.
    outside = page.evaluate("""() => [...document.querySelectorAll("svg")].flatMap((svg) => {
        const box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll("text")].map((t) => [t.textContent, t.getBoundingClientRect()])
          .filter(([, r]) => r.left < box.left - 0.5 || r.top < box.top - 0.5 || r.right > box.right + 0.5)
          .map(([text]) => text);
      })""")
    assert outside == [], outside
    assert page.locator("svg[aria-label='诈骗类型'] text", has_text="虚假网络贷款/代办信用卡").count() == 1
    counts = page.locator("svg[aria-label='每小时新案件'] text.n").evaluate_all("ns => ns.map((n) => n.textContent)")
    assert counts and sum(map(int, counts)) >= 5  # the shift's cases, a count on each bar that has any
    shoot(page, "7-dashboard")


def test_a_fresh_case_is_corrected_closed_and_read_as_the_desk_writes_it(system, shift, officer_page):
    page, case = officer_page, shift["fresh"]
    item = page.locator(f'.case-item[data-case-id="{case["id"]}"]')
    item.wait_for(timeout=10000)
    assert "late" not in item.locator(".golden").get_attribute("class")  # 10 minutes: still green
    item.click()
    card = page.locator("#card")
    card.locator("#case-status").wait_for()
    clock = card.locator(".timers .golden-clock b")
    assert re.fullmatch(r"\d+分\d\d秒", clock.inner_text()), clock.inner_text()
    assert clock.evaluate("n => getComputedStyle(n).color") == GREEN  # the queue's rule, not always red
    # What the bank needs of the victim's side and the case lacks, in red as a missing holder is.
    phone = card.locator("#victim .missing")
    assert phone.inner_text() == "报案人电话不详 — 银行联系报案人需要"
    assert phone.evaluate("n => getComputedStyle(n).color") == RED
    paying = card.locator("table.transfers tr").nth(1).locator("td").nth(4)
    assert paying.inner_text() == "付款账户不详 — 银行核对需要" and "missing" in paying.get_attribute("class")
    assert "报案人电话不详 — 银行联系报案人需要" in card.locator(".stop .missing").inner_text()
    shoot(page, "8-fresh-card")

    page.click("#claim")
    card.locator("#case-status", has_text="处理中（shift-officer）").wait_for()
    page.click("#edit")
    time_input = card.locator('input[data-field="time"]')
    now = datetime.now(CENTRE)
    assert time_input.input_value() == human_time(case["transfers"][0]["time"], CENTRE, now.timestamp())
    assert card.locator('input[data-field="channel"]').input_value() == "银行转账"
    shoot(page, "9-correcting")
    time_input.fill("刚才")  # not a time: refused with a reason, nothing stored
    page.click("text=保存更正")
    alerted(page, "看不懂“刚才”")
    page.wait_for_timeout(300)  # the card shows the stored values again
    # The transfer was 20 minutes earlier than the citizen said: written as the desk writes another day's time.
    corrected = now - timedelta(minutes=30)
    typed = f"{corrected.month}月{corrected.day}日 {corrected:%H:%M}"
    card.locator('input[data-field="time"]').fill(typed)
    page.click("text=保存更正")
    card.locator("#edit").wait_for()
    cell = card.locator("table.transfers tr").nth(1).locator("td").nth(2)
    assert cell.inner_text() == human_time(corrected.replace(second=0).isoformat(), CENTRE, now.timestamp())
    timers = card.locator(".timers").inner_text()
    assert "时间不详" not in timers and re.search(r"距最近一笔转账 3\d分\d\d秒", timers), timers
    assert "late" in card.locator(".timers .golden-clock").get_attribute("class")  # past 30 minutes now
    stored = system.desk("GET", f"/api/cases/{case['id']}", officer="shift-officer")[1]
    assert stored["last_transfer_at"] and "转账时间不详" not in stored["urgency"]["reasons"]
    with page.context.expect_page() as opened:
        page.click("#print")
    printed = opened.value
    printed.wait_for_load_state()
    assert "转账时间不详" not in printed.locator("body").inner_text()
    printed.close()

    card.locator('.stop[data-account="1"] .stop-requested').click()   # a stop the bank still runs at the close
    card.locator('.stop[data-account="1"] .stop-state').wait_for()
    # An impossible frozen amount is refused; a failed stop froze nothing.
    page.select_option("#outcome", "failed")
    page.fill("#frozen", "999999999")
    page.click("#close")
    alerted(page, "没有冻结金额")
    page.wait_for_timeout(300)
    page.select_option("#outcome", "stopped")
    page.click("#close")
    alerted(page, "超过本案报案金额合计 12,000 元")
    page.wait_for_timeout(300)
    page.fill("#frozen", "")
    page.select_option("#outcome", "failed")
    page.click("#close")
    card.locator("#case-status", has_text="已结案").wait_for()
    closed = card.locator(".timers").inner_text()
    assert "结案" in closed and "用时" in closed and "距最近一笔转账" not in closed
    page.wait_for_timeout(1500)
    assert card.locator(".timers").inner_text() == closed  # a closed case no longer counts
    assert "紧急度" not in card.locator("h2").inner_text()    # nor ranks as urgent
    # No new stop on a closed case; the running one can still be marked frozen or lifted before it runs out.
    assert card.locator(".stop .stop-requested").count() == 0
    assert card.locator(".stop .stop-lifted").count() == 1 and card.locator(".stop .stop-frozen").count() == 1
    readable(card.inner_text(), "the closed card")
    shoot(page, "10-closed")


def test_no_desk_page_logs_an_error(system, shift, officer_page):
    page = officer_page
    page.locator(".case-item").first.click()
    page.locator("#case-status").wait_for()
    page.goto(system.web_url + "/desk/stats")
    page.goto(system.web_url + "/desk/")
    page.locator("#live-state:not(.off)").wait_for(timeout=10000)
    page.wait_for_timeout(500)
    assert page.console_errors == [], page.console_errors
