"""The stop-payment request as a bank acts on it: one per receiving account, what the bank checks, and
what the case lacks flagged."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.desk.packet import MISSING_LABELS, Requester, render_html, stop_payment_requests
from bot.report.model import BANK_CHECKED_FIELDS
from tests.bot.desk.conftest import CARD, open_case

OTHER_CARD = "6228480000000000000"
SHANGHAI = ZoneInfo("Asia/Shanghai")
RAW_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def requester(zone=SHANGHAI):
    return Requester("某市公安局反诈中心", "zhang", "13800001111", zone)


def two_accounts(store):
    case = open_case(store, transfers=[
        {"amount": 30000, "time": "2026-11-21T10:00:00+08:00", "channel": "bank_transfer",
         "from_account": "6217001234567890", "to_account": CARD, "to_bank": "中国工商银行", "to_name": "李四",
         "to_branch": "北京朝阳支行", "serial": "20261121100000123"},
        {"amount": 700, "time": "2026-11-21T10:05:00+08:00", "channel": "alipay", "from_account": "支付宝余额",
         "to_account": OTHER_CARD},
        {"amount": 20000, "time": "2026-11-21T10:30:00+08:00", "channel": "bank_transfer",
         "from_account": "6217001234567890", "to_account": "6222 0212 3456 7890 128", "to_name": "李四"},
        {"amount": "不详", "time": None, "to_account": "不详"},
    ])
    return store.case(case["id"])


def test_the_bank_checks_exactly_the_fields_the_report_model_names():
    assert set(MISSING_LABELS) == set(BANK_CHECKED_FIELDS)


def test_one_request_per_receiving_account_with_what_the_bank_checks(store, clock):
    case = two_accounts(store)
    packet = stop_payment_requests(case, requester(), clock.now)
    assert packet["unit"] == "某市公安局反诈中心" and packet["officer"] == {"username": "zhang", "phone": "13800001111"}
    assert packet["victim"] == {"name": "王芳", "phone": "13912345678",
                                "paying_accounts": ["6217001234567890", "支付宝余额"]}
    first, second, unknown = packet["requests"]
    assert (first["number"], first["account"], first["holder"], first["bank"], first["branch"]) == \
        (1, CARD, "李四", "中国工商银行", "北京朝阳支行")
    assert [t["amount"] for t in first["transfers"]] == [30000.0, 20000.0] and first["total_amount"] == 50000.0
    assert first["transfers"][0]["serial"] == "20261121100000123" and first["missing"] == []
    assert first["requested_at"] == "2026-11-21T12:00:00+08:00" and first["expires_at"] == "2026-11-23T12:00:00+08:00"
    assert first["paying_accounts"] == ["6217001234567890"] and second["paying_accounts"] == ["支付宝余额"]
    assert second["account"] == OTHER_CARD and second["missing"] == ["户名不详 — 银行可能拒绝"]
    assert unknown["account"] is None
    assert unknown["missing"] == [f"{label} — 银行可能拒绝" for label in ("收款账号不详", "户名不详", "金额不详", "转账时间不详")] \
        + ["付款账户不详 — 银行核对需要"]


def test_a_request_without_the_victims_name_phone_or_paying_account_says_so_in_red(store, clock):
    """The bank checks the request against the victim's side and calls the victim back: what the case lacks
    of them is flagged on the JSON and the printed page, as a missing holder is."""
    case = open_case(store, victim={"name": None, "phone": "不详"}, transfers=[
        {"amount": 500, "time": "2026-11-21T10:00:00+08:00", "to_account": CARD, "to_name": "李四"},
        {"amount": 800, "time": "2026-11-21T10:10:00+08:00", "from_account": "6217001234567890", "to_account": CARD}])
    packet = stop_payment_requests(store.case(case["id"]), requester(), clock.now)
    request, = packet["requests"]
    assert request["missing"] == ["户名不详 — 银行可能拒绝", "付款账户不详 — 银行核对需要",
                                  "报案人姓名不详 — 银行核对需要", "报案人电话不详 — 银行联系报案人需要"]
    page = render_html(packet, SHANGHAI)
    for label in ("报案人姓名不详 — 银行核对需要", "报案人电话不详 — 银行联系报案人需要", "付款账户不详 — 银行核对需要"):
        assert f"<span class='missing'>{label}</span>" in page, label
    assert "6217001234567890" in page  # the known paying account stays, the gap beside it
    whole = open_case(store, "conv-2")  # everything known: nothing flagged
    assert stop_payment_requests(store.case(whole["id"]), requester(), clock.now)["requests"][0]["missing"] == []


def test_a_recorded_stop_dates_the_request(store, clock):
    case = two_accounts(store)
    store.claim(case["id"], "zhang")
    clock.now += 600
    case = store.record_stop(case["id"], "zhang", OTHER_CARD, "requested")
    clock.now += 3000
    second = stop_payment_requests(case, requester(), clock.now)["requests"][1]
    assert second["requested_at"] == "2026-11-21T12:10:00+08:00" and second["expires_at"] == "2026-11-23T12:10:00+08:00"
    assert second["stop"]["status"] == "requested"


def test_the_printed_page_reads_in_the_centres_zone_with_gaps_in_red(store, clock):
    case = two_accounts(store)
    page = render_html(stop_payment_requests(case, requester(), clock.now), SHANGHAI)
    assert page.count("<section class=\"sheet\">") == 3  # one A4 sheet per account
    assert "size:A4" in page and "break-after:page" in page
    for text in ("受理单位：某市公安局反诈中心", "经办民警：zhang", "电话：13800001111", "北京朝阳支行",
                 "20261121100000123", "2026年11月21日 10:00", "申请时间</th><td>2026年11月21日 12:00",
                 "至 2026年11月23日 12:00（48 小时，可延长一次）", "以上时间均为北京时间"):
        assert text in page, text
    assert "<span class='missing'>户名不详 — 银行可能拒绝</span>" in page
    assert "<span class='missing'>收款账号不详 — 银行可能拒绝</span>" in page
    visible = re.sub(r"<style>.*?</style>|<[^>]+>", " ", page, flags=re.S)
    assert not RAW_ISO.search(visible) and not re.search(r"None|null|undefined|NaN|\[object", visible)


def test_the_page_names_contacts_as_people_do_and_an_officer_without_a_phone(store, clock):
    case = two_accounts(store)
    nobody = Requester("某市公安局反诈中心", "li", None, SHANGHAI)
    page = render_html(stop_payment_requests(case, nobody, clock.now), SHANGHAI)
    assert "QQ 12345678、电话 13700001111" in page and "qq:" not in page
    assert "电话：<span class='missing'>未登记</span>" in page


def test_the_printed_page_follows_the_configured_zone(store, clock):
    case = two_accounts(store)
    utc = ZoneInfo("UTC")
    page = render_html(stop_payment_requests(case, requester(utc), clock.now), utc)
    assert "2026年11月21日 02:00" in page and "以上时间均为UTC 时区时间" in page
    assert stop_payment_requests(case, requester(utc), clock.now)["generated_at"] == \
        datetime.fromtimestamp(clock.now, utc).isoformat(timespec="seconds")


def test_what_a_citizen_typed_is_escaped_on_the_page(store, clock):
    case = open_case(store, transfers=[{"amount": 1, "to_account": CARD, "to_name": "<script>alert(1)</script>"}],
                     scam_detail="<img src=x onerror=alert(1)>")
    page = render_html(stop_payment_requests(store.case(case["id"]), requester(), clock.now), SHANGHAI)
    assert "<script>alert" not in page and "<img" not in page and "&lt;script&gt;" in page
