from datetime import datetime, timedelta, timezone

from actions.conversation import fraudster_contacts, narrative
from actions.parsing import conversation_scam_type, format_time, redacted_text, summary_text
from bot.report.model import UNKNOWN, Report, Transfer, Victim, is_recent

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 21, 14, 0, tzinfo=CST)
DAY = timedelta(hours=24)


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


def test_a_few_decisive_words_outweigh_a_vague_report_whatever_intent_they_were_read_as():
    messages = [  # writer D's e03, spoken: "被骗了" then "快递客服 理赔" (read as a question)
        parse("被骗了", "report_fraud", [{"name": "order_brushing", "confidence": 0.22},
                                         {"name": "other", "confidence": 0.16}]),
        parse("快递客服 理赔", "faq", [{"name": "customer_service", "confidence": 1.0}]),
        parse("六千五", ranking=[{"name": "none", "confidence": 0.37}, {"name": "fake_shopping", "confidence": 0.15}]),
    ]
    assert conversation_scam_type(messages)["name"] == "customer_service"


def test_codes_are_masked_in_the_narrative():
    message = parse("验证码是483920，我已经告诉他了", entities=[{"entity": "shared_secret", "start": 4, "end": 10}])
    assert redacted_text(message) == "验证码是******，我已经告诉他了"
    assert "483920" not in narrative([message])


def test_recent_unknown_and_old_transfers():
    assert is_recent(Transfer(time=(NOW - timedelta(hours=2)).isoformat()), NOW, DAY)
    assert is_recent(Transfer(), NOW, DAY) and is_recent(Transfer(time=UNKNOWN), NOW, DAY)
    assert not is_recent(Transfer(time=(NOW - timedelta(days=3)).isoformat()), NOW, DAY)
    assert not Report(transfers=[Transfer(time=(NOW - timedelta(days=3)).isoformat())]).urgent(NOW, DAY)
    assert Report(in_progress=True).urgent(NOW, DAY)


def test_fraudster_phone_is_a_contact_the_victims_is_not():
    messages = [parse("骗子的电话是13900001111，我的是13812345678",
                      entities=[{"entity": "phone", "value": "13900001111", "start": 6, "end": 17},
                                {"entity": "phone", "value": "13812345678", "start": 22, "end": 33}])]
    assert fraudster_contacts(messages) == ["phone:13900001111"]


def test_the_read_back_shows_every_transfer_field():
    report = Report(victim=Victim("王芳", "13812345678"), scam_type="impersonate_police", transfers=[Transfer(
        amount=50000.0, time=(NOW - timedelta(minutes=10)).isoformat(), channel="bank_transfer",
        from_account="支付宝余额", to_account="6222021234567890128", to_bank="工商银行", to_name=UNKNOWN)])
    text = summary_text(report)
    assert "王芳，电话 138 1234 5678" in text and "6222 0212 3456 7890 128" in text and "户名 不详" in text
    assert "50000元" in text and "冒充公检法及政府机关" in text and format_time(report.transfers[0].time) in text


def test_the_report_round_trips_and_refuses_impossible_amounts():
    report = Report.from_json({"victim": {"name": "王芳"}, "transfers": [{"amount": "1e309"}, {"amount": 300}],
                               "scam_type": {"name": "loan", "confidence": 0.5}})
    assert [t.amount for t in report.transfers] == [None, 300.0]
    assert Report.from_json(report.to_json()) == report
    assert set(report.packet()) == {"victim", "transfers", "fraudster_contacts", "narrative", "scam_detail", "warnings"}
