from datetime import datetime, timedelta, timezone

from actions.parsing import (
    UNKNOWN, conversation_scam_type, format_time, free_text_answer, redacted_text, summary_text,
)
from actions.report import build_report, fraudster_contacts, is_recent

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 21, 14, 0, tzinfo=CST)


def parse(text, intent="inform", ranking=None, entities=None):
    return {"text": text, "intent": {"name": intent}, "scam_type_ranking": ranking or [],
            "entities": entities or []}


def test_scam_type_weighs_what_the_citizen_told_and_drops_none_once_reporting():
    messages = [
        parse("我刷单被骗了", "report_fraud", [{"name": "order_brushing", "confidence": 0.5},
                                              {"name": "none", "confidence": 0.3}]),
        parse("不知道", ranking=[{"name": "none", "confidence": 0.9}]),
        parse("对", "affirm", [{"name": "none", "confidence": 0.9}]),
    ]
    assert conversation_scam_type(messages)["name"] == "order_brushing"
    assert conversation_scam_type([])["name"] == "none"


def test_free_text_answers():
    assert free_text_answer("户名是李四。") == "李四"
    assert free_text_answer("不知道") == UNKNOWN
    assert free_text_answer("  ") is None


def test_codes_are_masked_in_the_narrative():
    message = parse("验证码是483920", entities=[{"entity": "shared_secret", "start": 4, "end": 10}])
    assert redacted_text(message) == "验证码是******"


def test_recent_unknown_and_old_transfers():
    assert is_recent((NOW - timedelta(hours=2)).isoformat(), NOW)
    assert is_recent(None, NOW) and is_recent(UNKNOWN, NOW)
    assert not is_recent((NOW - timedelta(days=3)).isoformat(), NOW)


def test_fraudster_phone_is_a_contact_the_victims_is_not():
    messages = [parse("骗子的电话是13900001111，我的是13812345678",
                      entities=[{"entity": "phone", "value": "13900001111", "start": 6, "end": 17},
                                {"entity": "phone", "value": "13812345678", "start": 22, "end": 33}])]
    assert fraudster_contacts(messages) == ["phone:13900001111"]


def test_report_json_and_its_read_back():
    slots = {"victim_name": "王芳", "victim_phone": "13812345678", "money_sent": True,
             "transfer_amount": 50000.0, "transfer_time": (NOW - timedelta(minutes=10)).isoformat(),
             "receiving_account": "6222021234567890128", "receiving_bank": "工商银行",
             "receiving_holder": "李四", "payment_channel": "bank_transfer", "paying_account": "支付宝",
             "scam_type": "impersonate_police", "scam_type_confidence": 0.7, "transfers": []}
    report = build_report(slots, [parse("他说他是公安的，让我转到安全账户", "report_fraud")], NOW)
    assert set(report) >= {"victim", "transfers", "scam_type", "narrative", "fraudster_contacts"}
    assert report["urgent"] is True and report["transfers"][0]["amount"] == 50000.0
    text = summary_text(report)
    assert "王芳，电话 138 1234 5678" in text and "6222 0212 3456 7890 128" in text
    assert "50000元" in text and "冒充公检法及政府机关" in text and format_time(slots["transfer_time"]) in text
