"""Fraud reports over the real REST channel, as citizens give them, checked in the tracker and on the desk."""
import json

import pytest

from tests.e2e.citizen import OLD_TRANSFER_REPORT

pytestmark = [pytest.mark.slow, pytest.mark.integration]

CARD = "6222021234567890128"          # 工商银行 BIN, Luhn-valid
CARD_SPOKEN = "六二二二零二一二三四五六七八九零一二八"
CARD_BAD = "6222021234567890123"      # one digit off: fails Luhn
PAYING = "6217001234567890122"       # 建设银行 BIN, Luhn-valid


def current(system, sender):
    return (system.draft(sender).get("report") or {}).get("transfers", [{}])[-1]


def test_urgent_police_impersonation_report_end_to_end(system):
    s = "report-police"
    first = system.say(s, "我刚被骗了，转了五万到他卡上，他说他是公安的")
    assert "登记报案信息" in first[0] and "卡号" in first[-1]
    asked_time = system.say(s, CARD)[-1]
    assert "什么时候" in asked_time
    advice = " ".join(system.say(s, "十分钟前"))
    assert "不要再向对方转任何钱" in advice and "户名" in advice                 # key details → advice first
    detail_question = system.talk(s, "不知道", "手机银行转的", PAYING, "没有了", "我叫王芳", "13812345678")
    assert "案件编号" in detail_question[0]                              # type-specific follow-up
    summary = system.say(s, "没有给编号，让我装了一个叫安全防护的APP")[0]
    assert "王芳" in summary and "138 1234 5678" in summary and "6222 0212 3456 7890 128" in summary
    assert "冒充公检法" in summary and "50000元" in summary
    done = system.say(s, "对")
    assert "报案信息已提交" in done[0] and "转接值班民警" in done[0] and "110" in done[0]  # urgent: to an officer
    report = system.slots(s)["report"]
    assert report["victim"] == {"name": "王芳", "phone": "13812345678"}
    assert report["scam_type"]["name"] == "impersonate_police"
    transfer, = report["transfers"]
    assert transfer == {**transfer, "amount": 50000.0, "to_account": CARD, "to_bank": "工商银行",
                        "to_name": "不详", "channel": "bank_transfer", "from_account": PAYING}
    assert transfer["time"].endswith("+08:00")
    assert report["urgent"] is True and "公安" in report["narrative"]
    assert "app:安全防护" in report["fraudster_contacts"]
    case = system.case_of(s)
    assert case["reason"] == "report" and case["handoff_active"] and case["transfers"][0]["to_account"] == CARD


def test_several_fields_in_one_message_corrections_and_two_transfers(system):
    s = "report-two"
    system.say(s, "我刷单被骗了")
    system.say(s, "转了")
    # several fields at once, spoken digits, out of order
    asked = system.say(s, f"昨天晚上八点用云闪付转了两千五到{CARD_SPOKEN}，工行的")[-1]
    assert "户名" in asked
    system.talk(s, "李四", f"我自己的建设银行卡 {PAYING}")
    asked = system.say(s, "有，又转了一万二")[-1]                   # second transfer starts
    assert "卡号" in asked
    system.talk(s, "6217001234567890122", "今天下午3点半", "不知道", "微信转账", "微信零钱", "没有了",
                "我叫赵六", "手机13900001111", "一个叫任务大厅的APP")
    first, second = system.draft(s)["report"]["transfers"]
    assert first["amount"] == 2500.0 and first["to_account"] == CARD and first["channel"] == "unionpay_quickpass"
    assert first["to_name"] == "李四" and "T20:00" in first["time"] and first["from_account"] == PAYING
    assert second["amount"] == 12000.0 and second["channel"] == "wechat_pay" and second["from_account"] == "微信零钱"
    correction = system.say(s, "第二笔金额不对，是三万")[0]            # correction at the read-back
    assert "30000元" in correction and "请核对" in correction
    system.say(s, "对")
    report = system.slots(s)["report"]
    assert report["transfers"][-1]["amount"] == 30000.0 and report["scam_type"]["name"] == "order_brushing"


def test_a_card_failing_luhn_is_read_back_and_kept_only_when_confirmed(system):
    s = "report-luhn"
    system.talk(s, "我被骗了，转了三万")
    readback = system.say(s, CARD_BAD)[0]
    assert "6222 0212 3456 7890 123" in readback and "校验没有通过" in readback
    assert current(system, s).get("to_account") is None
    system.say(s, "对")
    assert current(system, s)["to_account"] == CARD_BAD
    assert any("校验未通过" in w for w in system.draft(s)["report"]["warnings"])


def test_an_invalid_phone_is_asked_again_never_stored(system):
    s = "report-phone"
    system.talk(s, "我被骗了，还没转钱", "还没转", "我叫孙七")
    again = system.say(s, "电话1381234567")[0]
    assert "1381234567" in again and "11位" in again
    assert system.draft(s)["report"]["victim"]["phone"] is None
    system.say(s, "13812345678")
    assert system.draft(s)["report"]["victim"]["phone"] == "13812345678"


def test_a_volunteered_code_is_warned_about_and_not_stored(system):
    s = "report-secret"
    replies = system.talk(s, "我被骗了，转了五千", "验证码是483920，我已经告诉他了")
    assert any("验证码和密码不要告诉任何人" in r for r in replies)
    assert "483920" not in json.dumps(system.slots(s), ensure_ascii=False)


def test_traditional_characters_report(system):
    s = "report-traditional"
    system.talk(s, "我剛被騙了，轉了五萬到他卡上，他說他是公安的", CARD, "十分鐘前", "不知道", "手機銀行轉的", PAYING,
                "沒有了", "我叫王芳", "13812345678", "沒有")
    report = system.draft(s)["report"]
    assert report["transfers"][0]["amount"] == 50000.0 and report["transfers"][0]["to_account"] == CARD
    assert report["victim"]["name"] == "王芳"


def test_warning_and_questions_during_a_report_do_not_lose_it(system):
    s = "report-interrupt"
    system.talk(s, "我被骗了，转了两万")
    warned = system.say(s, "他现在还在电话里让我再转到安全账户")
    assert warned[0].startswith("⚠️") and "卡号" in warned[-1]
    answered = system.say(s, "什么是紧急止付？")
    assert "止付" in answered[0] and "卡号" in answered[-1]
    system.say(s, CARD)
    assert current(system, s)["to_account"] == CARD and current(system, s)["amount"] == 20000.0
    assert system.slots(s)["scam_in_progress"] is True


@pytest.mark.parametrize("opening", ["我已经把钱转到他说的安全账户了", "……我转了钱", "交了解冻金，现在联系不上了",
                                     "付了钱就被拉黑了", "然后让我转钱做验证，转完说会退回来，一直没退"])
def test_money_that_has_left_starts_a_report_even_when_it_sounds_like_a_question(system, opening):
    s = f"report-start-{abs(hash(opening))}"
    replies = system.say(s, opening)
    assert any("登记报案信息" in r for r in replies), replies
    assert system.slots(s)["requested_slot"] in ("to_account", "money_sent")


@pytest.mark.parametrize("opening", ["在不在", "不在吗", "喂喂"])
def test_an_opening_nobody_can_place_gets_one_answer_and_the_conversation_goes_on(system, opening):
    s = f"opening-{abs(hash(opening))}"
    first = system.say(s, opening)
    assert len(first) == 1, first  # not the same answer again and again until Rasa's circuit breaker stops it
    replies = system.say(s, "我被骗了，刚转了五千")
    assert any("登记报案信息" in r for r in replies), replies


def test_a_question_told_in_the_story_is_not_answered_as_the_citizens_own(system):
    s = "report-told-question"
    system.say(s, "我被骗了")
    replies = system.say(s, "昨天下午有个电话打过来，一开口就叫我大姨，问我猜猜他是谁，我说是不是小军，他说对啊")
    assert not any("96110是公安机关" in r for r in replies), replies


def test_fillers_and_yes_no_in_context_never_get_the_error_message(system):
    s = "report-fillers"
    system.talk(s, "我被骗了，转了两万", CARD, "二十分钟前", "不知道", "手机银行", "不知道")
    rough = system.say(s, "不记得了")[-1]            # the paying account: asked roughly once, then left unknown
    assert "其他转账" in rough
    asked = system.say(s, "没有别的了")                     # read as "no", not goodbye
    assert "称呼" in asked[-1] and not any("再见" in r for r in asked)
    patient = system.say(s, "好的")
    assert "没能处理" not in " ".join(patient) and "称呼" in patient[-1]


def test_an_old_transfer_becomes_a_registration_case_and_later_transfers_join_it(system):
    s = "report-old"
    system.talk(s, *OLD_TRANSFER_REPORT)
    done = system.say(s, "对")
    case = system.case_of(s)
    assert case["reason"] == "registration" and not case["handoff_active"] and case["status"] == "waiting"
    assert f"案件编号 {case['id']}" in done[0] and "民警" in done[0]
    assert "登记" in system.say(s, "好的")[0]                    # a fitting reply after the report
    system.talk(s, "还有一笔", "6217001234567890122", "两千", "两天前下午三点", "不知道", "支付宝", "支付宝余额", "没有了")
    system.say(s, "对")
    case = system.case_of(s)
    assert [t["amount"] for t in case["transfers"]] == [8000.0, 2000.0] and case["reason"] == "registration"
    status, body = system.desk("GET", "/api/cases", officer="desk-reader")
    ids = [c["id"] for c in body["cases"] if c["status"] == "waiting"]
    urgent = [c["id"] for c in body["cases"] if c["status"] == "waiting" and c["reason"] != "registration"]
    assert all(ids.index(u) < ids.index(case["id"]) for u in urgent)   # registrations after urgent cases


FIRST_MESSAGES = {
    "order_brushing": "我在网上做点赞任务被骗了，充了八千提不出来",
    "investment": "我跟着群里的老师在一个APP里炒股，投了十万现在提不了现",
    "loan": "我在网上贷款，交了三次手续费还没放款",
    "customer_service": "有个自称淘宝客服的说给我退款，我按他说的操作被转走了两万",
    "impersonate_police": "对方说他是公安局的，说我涉嫌洗钱，我把钱转到了他说的安全账户",
    "impersonate_acquaintance": "有人冒充我们领导加我微信，让我给客户转了五万",
    "romance": "网上认识的男朋友带我在一个平台投资，我转了二十万，现在他把我拉黑了",
    "credit_repair": "对方说要注销我的校园贷账户，不然影响征信，我按他说的借了三万转给他了",
    "game_trade": "我卖游戏账号，买家让我在交易平台交了保证金，钱被骗了",
    "fake_shopping": "在朋友圈买低价手机，付了三千块对方就拉黑了",
    "military_purchase": "有个自称部队采购的人让我先给他们指定的厂家打了两万货款",
}


@pytest.mark.parametrize("scam_type", sorted(FIRST_MESSAGES))
def test_each_scam_type_is_reported_in_the_citizens_own_words(system, scam_type):
    from actions.parsing import SCAM_DETAIL_QUESTIONS

    from .citizen import CARD, complete_report

    sender = f"type-{scam_type}"
    run = complete_report(system, sender, FIRST_MESSAGES[scam_type], "对方的微信号是scam_helper88")
    assert run.finished
    assert run.detail_question == SCAM_DETAIL_QUESTIONS[scam_type]
    report = system.slots(sender)["report"]
    assert report["scam_type"]["name"] == scam_type
    assert report["transfers"][0]["to_account"] == CARD
    assert report["victim"] == {"name": "陈明", "phone": "13812345678"}
    assert "wechat:scam_helper88" in report["fraudster_contacts"]


def test_the_citizen_can_stop_a_report_and_ask_questions_again(system):
    s = "report-stop"
    system.talk(s, "我被骗了，转了两万")
    stopped = system.say(s, "算了，不报了")
    assert "已停止登记" in stopped[0]
    assert "帮助信息网络犯罪活动罪" in system.say(s, "出租银行卡犯法吗")[0]


def test_a_serial_number_told_at_the_read_back_reaches_the_stop_payment_request(system):
    s = "report-serial"
    system.say(s, "我被冒充客服的骗了，二十分钟前用手机银行转了八千到他卡上")
    summary = system.talk(s, CARD, "户名是李强", PAYING, "没有了", "我叫赵敏", "13912345678", "说是淘宝客服，让我退款")[0]
    assert "流水号" in summary and "8000元" in summary            # offered, optional
    again = system.say(s, "流水号是20261202093015887766")[0]
    assert "流水号 20261202093015887766" in again and "6222 0212 3456 7890 128" in again
    assert "转接值班民警" in system.say(s, "对")[0]
    case = system.case_of(s)
    assert case["transfers"][0]["serial"] == "20261202093015887766" and case["transfers"][0]["to_account"] == CARD
    status, packet = system.desk("GET", f"/api/cases/{case['id']}/stop-payment", officer="desk-reader")
    assert status == 200
    request, = packet["requests"]
    assert request["account"] == CARD and request["transfers"][0]["serial"] == "20261202093015887766"
