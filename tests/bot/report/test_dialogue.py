"""The report dialogue on the lines that used to go wrong (issue 12), without Rasa: each message is
read with the real extractors, in the context of the question the bot asked."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.extract.entities import extract_entities
from bot.nlu.text import normalize
from bot.report.answers import is_filler, is_unknown, person_name, yes_or_no
from bot.report.dialogue import Draft, Said, next_question
from bot.report.questions import question_text
from bot.report.reader import read
from bot.report.model import UNKNOWN, Transfer

NOW = datetime(2026, 12, 1, 20, 36, tzinfo=ZoneInfo("Asia/Shanghai"))
CARD = "6222021234567890128"     # 工商银行, Luhn-valid
OWN_CARD = "6217001234567890122"  # 建设银行, Luhn-valid


def said(text, intent=None, confidence=0.9, **extra):
    return Said(text=text, at=NOW, intent=intent, confidence=confidence,
                entities=extract_entities(text, NOW), **extra)


def draft_asking(field, **transfer):
    draft = Draft(money_sent=True)
    draft.report.transfers.append(Transfer(**transfer))
    return draft


def full_transfer(**changes):
    values = dict(amount=50000.0, time=NOW.isoformat(), channel="bank_transfer", from_account=OWN_CARD,
                  to_account=CARD, to_bank="工商银行", to_name="李四")
    values.update(changes)
    return values


@pytest.mark.parametrize("reply", ["就十分钟前", "好的", "五万", "13812345678", "对对对", "嗯", "银行转账", "我看看"])
def test_a_holder_name_is_never_a_non_answer(reply):
    draft = draft_asking("to_name", **full_transfer(to_name=None))
    read(draft, "to_name", said(reply), NOW)
    assert draft.current.to_name is None


def test_a_time_said_when_asked_for_the_holder_fills_the_time():
    draft = draft_asking("to_name", **full_transfer(to_name=None, time=None))
    read(draft, "to_name", said("就十分钟前"), NOW)
    assert draft.current.time == "2026-12-01T20:26:00+08:00" and draft.current.to_name is None
    assert next_question(draft) == "to_name"  # the question still open


def test_a_phone_said_when_asked_for_the_channel_is_the_victims_and_the_channel_stays_open():
    draft = draft_asking("channel", **full_transfer(channel=None))
    read(draft, "channel", said("我的电话是13812345678"), NOW)
    assert draft.report.victim.phone == "13812345678" and draft.current.channel is None
    assert next_question(draft) == "channel"


def test_the_channel_is_not_a_paying_account_and_the_receiving_card_is_not_the_victims():
    draft = draft_asking("from_account", **full_transfer(from_account=None, channel=None))
    read(draft, "from_account", said("银行转账"), NOW)
    assert draft.current.from_account is None and draft.current.channel == "bank_transfer"
    read(draft, "from_account", said(f"我自己的建设银行卡，{OWN_CARD}"), NOW)
    assert draft.current.from_account == OWN_CARD and draft.current.to_account == CARD


def test_the_fraudsters_card_in_the_story_is_the_receiving_one():
    draft = Draft()
    read(draft, "money_sent", said(f"转了，他发给我的是{CARD}"), NOW)
    assert draft.money_sent and draft.current.to_account == CARD and draft.current.from_account is None


def test_out_of_order_answers_fill_their_own_fields_and_only_the_rest_is_asked():
    draft = Draft()
    read(draft, "money_sent", said(f"昨天晚上八点用云闪付转了两千五到{CARD}，户名是张伟"), NOW)
    transfer = draft.current
    assert (transfer.amount, transfer.channel, transfer.to_account, transfer.to_bank, transfer.to_name) == (
        2500.0, "unionpay_quickpass", CARD, "工商银行", "张伟")
    assert transfer.time == "2026-11-30T20:00:00+08:00"
    assert next_question(draft) == "from_account"


@pytest.mark.parametrize("reply", ["没了", "没有别的了", "就这一笔", "就这一次", "没有其他的", "没有了，谢谢"])
def test_no_more_transfers_in_everyday_words(reply):
    draft = draft_asking("more_transfers", **full_transfer())
    turn = read(draft, "more_transfers", said(reply, intent="goodbye"), NOW)
    assert draft.transfers_done and not turn.reject and len(draft.report.transfers) == 1
    assert next_question(draft) == "victim_name"


def test_another_transfer_starts_a_second_one():
    draft = draft_asking("more_transfers", **full_transfer())
    read(draft, "more_transfers", said("有，还有一笔，又转了一万二"), NOW)
    assert len(draft.report.transfers) == 2 and draft.current.amount == 12000.0
    assert next_question(draft) == "to_account"


@pytest.mark.parametrize("reply", ["好的", "嗯", "等一下我找找", "我看看", "稍等，我翻一下聊天记录"])
def test_fillers_get_a_patient_repeat_never_an_error(reply):
    draft = draft_asking("to_account")
    turn = read(draft, "to_account", said(reply), NOW)
    assert not turn.reject and draft.last_reply == "filler" and next_question(draft) == "to_account"
    assert question_text(draft, "to_account", "", "").startswith("不着急")


def test_a_filler_to_the_name_question_is_not_a_name():
    draft = draft_asking("victim_name", **full_transfer())
    draft.transfers_done = True
    read(draft, "victim_name", said("好的"), NOW)
    assert draft.report.victim.name is None and next_question(draft) == "victim_name"
    read(draft, "victim_name", said("我姓刘，叫刘德明"), NOW)
    assert draft.report.victim.name == "刘德明"


@pytest.mark.parametrize("reply", ["不知道", "不清楚", "记不得了", "没有卡号", "哎呀我也记不清了"])
def test_dont_know_marks_the_field_unknown_and_moves_on(reply):
    draft = draft_asking("to_account")
    read(draft, "to_account", said(reply), NOW)
    assert draft.current.to_account == UNKNOWN and next_question(draft) == "amount"


def test_two_failed_answers_skip_a_question_or_call_an_officer_for_what_a_stop_payment_needs():
    draft = draft_asking("to_name", **full_transfer(to_name=None))
    for _ in range(2):
        read(draft, "to_name", said("他说是资金监管专员"), NOW)
    assert draft.current.to_name == UNKNOWN and not draft.handover and draft.officer_needed is None
    draft = draft_asking("to_account")
    read(draft, "to_account", said("你们快点处理"), NOW)
    assert not draft.handover and draft.last_reply == "failed"
    read(draft, "to_account", said("你们快点处理"), NOW)
    # the officer is called; the report goes on with the other questions, the card is asked once more later
    assert draft.officer_needed == "to_account" and not draft.handover and next_question(draft) == "amount"


def test_a_stop_payment_field_put_off_is_asked_again_once_the_transfers_are_told():
    draft = draft_asking("amount", **full_transfer(amount=None, channel=None))
    for line in ("等一下，我找一下转账记录", "我在找，你等等", "还在找呢"):
        turn = read(draft, next_question(draft), said(line), NOW)
    assert "待会儿" in turn.say[-1]["text"] and draft.officer_needed == "amount"
    assert next_question(draft) == "channel" and draft.current.amount == UNKNOWN
    read(draft, "channel", said("手机银行"), NOW)
    read(draft, "more_transfers", said("没有了"), NOW)
    assert next_question(draft) == "amount" and "找到了吗" in question_text(draft, "amount", "", "")
    read(draft, "amount", said("找到了，是三万八"), NOW)
    assert draft.current.amount == 38000.0 and next_question(draft) == "victim_name"


def test_a_field_put_off_for_an_earlier_transfer_is_left_to_the_officer():
    draft = draft_asking("amount", **full_transfer(amount=None))
    for line in ("等一下", "等等，我找找", "还在找"):
        read(draft, next_question(draft), said(line), NOW)
    assert next_question(draft) == "more_transfers"
    read(draft, "more_transfers", said("还有一笔，转了五千"), NOW)
    assert draft.deferred == [] and any("金额" in w for w in draft.report.warnings)
    assert draft.report.transfers[0].amount == UNKNOWN and draft.current.amount == 5000.0


def test_a_field_put_off_and_missed_again_is_left_to_the_officer_and_never_loops():
    draft = draft_asking("to_account", **full_transfer(to_account=None, to_bank=None, time=None))
    asked = []
    for _ in range(12):
        question = next_question(draft)
        asked.append(question)
        if question != "to_account":
            break
        read(draft, question, said("我也不知道他那个是什么号，反正就转过去了，你们快查"), NOW)
    assert asked.count("to_account") <= 3 and draft.current.to_account == UNKNOWN
    draft = draft_asking("to_account", **full_transfer(to_account=None))
    for line in ("你们快点处理", "你们快点处理吧"):
        read(draft, "to_account", said(line), NOW)
    assert draft.deferred == ["to_account"] and next_question(draft) == "more_transfers"
    read(draft, "more_transfers", said("没有了"), NOW)
    for line in ("你们快点处理", "你们快点处理吧"):
        assert next_question(draft) == "to_account"
        read(draft, "to_account", said(line), NOW)
    assert next_question(draft) == "victim_name" and draft.current.to_account == UNKNOWN
    assert any("收款账号" in w for w in draft.report.warnings) and not draft.handover


def test_a_field_put_off_and_told_later_in_passing_is_not_asked_again():
    draft = draft_asking("amount", **full_transfer(amount=None, channel=None))
    for line in ("等一下", "等等，我找找", "还在找"):
        read(draft, next_question(draft), said(line), NOW)
    assert next_question(draft) == "channel"
    read(draft, "channel", said("手机银行转的，找到了，转了两万块"), NOW)
    read(draft, "more_transfers", said("没有了"), NOW)
    assert draft.current.amount == 20000.0 and next_question(draft) == "victim_name"


def test_a_question_in_the_middle_is_answered_and_the_report_resumes():
    draft = draft_asking("to_account")
    turn = read(draft, "to_account", said("什么是紧急止付？", intent="faq", faq_response="utter_faq/stop_payment"), NOW)
    assert turn.say == [{"response": "utter_faq/stop_payment"}] and next_question(draft) == "to_account"
    assert question_text(draft, "to_account", "", "").startswith("我们接着登记")


def test_asking_for_an_officer_or_stopping_is_left_to_the_rules():
    draft = draft_asking("to_account")
    assert read(draft, "to_account", said("转人工", intent="request_officer"), NOW).reject
    assert read(draft, "to_account", said("算了，不报了", intent="stop_report"), NOW).reject
    assert not read(draft, "to_account", said("我自己的建设银行卡", intent="faq"), NOW).reject


def test_corrections_at_the_read_back():
    draft = Draft(money_sent=True, transfers_done=True)
    draft.report.transfers.append(Transfer(**full_transfer(amount=28000.0, to_account="6222021234567890123")))
    draft.report.victim.name, draft.report.victim.phone, draft.report.scam_detail = "王芳", "13812345678", "x"
    assert next_question(draft) == "report_confirmed"
    read(draft, "report_confirmed", said("金额不对，我刚才说错了，是两万六不是两万八"), NOW)
    assert draft.current.amount == 26000.0 and not draft.confirmed
    assert draft.current.time == NOW.isoformat()   # "刚才说错了" is not a new time
    read(draft, "report_confirmed", said("卡号最后四位是0128，不是0123"), NOW)
    assert draft.current.to_account == CARD
    read(draft, "report_confirmed", said("户名是李明"), NOW)
    assert draft.current.to_name == "李明"
    read(draft, "report_confirmed", said("嗯 对的 没问题"), NOW)
    assert draft.confirmed and next_question(draft) is None


def test_numbered_transfers_go_to_their_own_transfer():
    draft = draft_asking("amount", to_account=CARD)
    read(draft, "amount", said("第一笔八百，第二笔三千六"), NOW)
    assert draft.current.amount == 800.0 and draft.announced == {"2": {"amount": 3600.0}}
    draft.current.time, draft.current.to_name, draft.current.channel = NOW.isoformat(), UNKNOWN, "alipay"
    draft.current.from_account = "支付宝余额"
    read(draft, "more_transfers", said("有"), NOW)
    assert draft.current.amount == 3600.0


def test_a_luhn_failure_is_read_back_before_it_is_kept():
    draft = draft_asking("to_account")
    read(draft, "to_account", said("6222021234567890123"), NOW)
    assert draft.current.to_account is None and "校验没有通过" in question_text(draft, "to_account", "", "")
    read(draft, "to_account", said("对"), NOW)
    assert draft.current.to_account == "6222021234567890123" and any("校验未通过" in w for w in draft.report.warnings)


def test_the_same_paying_card_for_a_second_transfer():
    draft = Draft(money_sent=True)
    draft.report.transfers += [Transfer(**full_transfer()), Transfer(**full_transfer(from_account=None, to_account="6217001234567890122"))]
    assert "也是从您尾号0122的卡转出的吗" in question_text(draft, "from_account", "", "")
    read(draft, "from_account", said("还是那张建行卡"), NOW)
    assert draft.current.from_account == OWN_CARD


def test_short_reply_shapes():
    assert person_name("姓刘，叫刘德明") == "刘德明" and person_name("深圳市鑫源贸易有限公司") == "深圳市鑫源贸易有限公司"
    assert person_name("单子上写的刘成才") == "刘成才" and person_name("就十分钟前") is None
    assert [yes_or_no(t) for t in ("对对对", "是的", "没错", "嗯对", "对的", "没了", "就这一笔", "不对")] == [
        True, True, True, True, True, False, False, False]
    assert is_filler("等一下我找找") and not is_filler("6222") and is_unknown("没有卡号")
    assert is_filler("行吧，你问吧，问快点") and not is_filler("问过银行了")   # "ask away": the question again


def test_a_volunteered_code_is_warned_about_not_counted_as_a_failed_answer():
    draft = draft_asking("to_account")
    turn = read(draft, "to_account", said("验证码是483920，我已经告诉他了"), NOW)
    assert {"response": "utter_secret_warning"} in turn.say and draft.last_reply is None
    assert "483920" not in str(draft.to_json())


def test_several_transfers_told_in_one_story_each_get_their_own():
    draft = Draft()
    read(draft, "money_sent", said("我一个星期前先转了十万进去，页面上显示赚了好多，三天前我又转了二十万，想提现的时候说要交保证金"), NOW)
    assert draft.current.amount == 100000.0 and draft.announced == {"2": {"amount": 200000.0}}
    draft.current.__dict__.update(full_transfer(amount=100000.0))
    read(draft, "more_transfers", said("还有一笔，三天前那二十万"), NOW)
    assert len(draft.report.transfers) == 2 and draft.current.amount == 200000.0


def test_a_total_is_not_a_transfer_and_the_rest_is_worked_out():
    draft = Draft()
    read(draft, "money_sent", said("我做刷单被骗了，一共转了七千五，现在提不出来"), NOW)
    assert draft.money_sent and draft.current.amount is None
    draft = Draft(money_sent=True)
    draft.report.transfers += [Transfer(**full_transfer(amount=50000.0)), Transfer(to_account=OWN_CARD)]
    read(draft, "amount", said("一共八万，昨天那次是五万"), NOW)
    assert draft.current.amount == 30000.0


def test_sums_not_paid_are_not_transfers():
    draft = Draft()
    read(draft, "money_sent", said("说我中了二等奖，奖金十八万八，领奖要先交税，我交了"), NOW)
    assert draft.money_sent and draft.current.amount is None
    draft = Draft()
    read(draft, "money_sent", said("一开始给我返了几十块钱，后来让我转，我先转了三千"), NOW)
    assert draft.current.amount == 3000.0


def test_self_corrections_and_bare_numbers_for_the_amount():
    draft = draft_asking("amount", to_account=CARD)
    read(draft, "amount", said("奶奶说是三万……哦不对，她又说是三万五，那五千是她另外添上的"), NOW)
    assert draft.current.amount == 35000.0
    draft = draft_asking("amount", to_account=CARD)
    read(draft, "amount", said("800"), NOW)
    assert draft.current.amount == 800.0


def test_only_the_day_known_gets_one_question_for_the_hour():
    draft = draft_asking("time", to_account=CARD, amount=1.0)
    read(draft, "time", said("前天"), NOW)
    assert draft.current.time is None and "11月29日几点" in question_text(draft, "time", "", "")
    read(draft, "time", said("下午三点多"), NOW)
    assert draft.current.time == "2026-11-29T15:00:00+08:00"
    draft = draft_asking("time", to_account=CARD, amount=1.0)
    read(draft, "time", said("四日前，几点唔记得"), NOW)
    assert draft.current.time == "2026-11-27"


def test_after_screen_sharing_a_no_is_checked_once_more():
    draft = Draft()
    read(draft, None, said("他让我下了一个会议软件开了屏幕共享，按他说的操作"), NOW)
    read(draft, "money_sent", said("没有吧，我没给他转钱"), NOW)
    assert draft.money_sent is False and next_question(draft) == "money_sent"
    assert "钱有没有被转走" in question_text(draft, "money_sent", "", "")
    read(draft, "money_sent", said("有，卡里少了两万"), NOW)
    assert draft.money_sent is True and next_question(draft) == "to_account"


def test_names_with_how_they_are_written_and_surnames_asked_once_more():
    assert person_name("户名叫黄志伟黄色的黄志气的志伟大的伟") == "黄志伟"
    assert person_name("田有福，田地的田，有没有的有，福气的福") == "田有福"
    assert person_name("王老师") is None
    draft = draft_asking("to_name", **full_transfer(to_name=None))
    read(draft, "to_name", said("说是他同学，姓刘，叫刘……刘什么来着"), NOW)
    assert draft.current.to_name is None and "姓刘，户名的全名" in question_text(draft, "to_name", "", "")
    read(draft, "to_name", said("刘海涛"), NOW)
    assert draft.current.to_name == "刘海涛"


def test_a_card_read_out_in_two_messages():
    draft = draft_asking("to_account")
    read(draft, "to_account", said("前面是6222 0212 3456"), NOW)
    assert draft.current.to_account is None and next_question(draft) == "to_account"
    read(draft, "to_account", said("后面是7890 128"), NOW)
    assert draft.current.to_account == CARD and draft.current.to_bank == "工商银行"


def test_the_first_part_of_a_card_after_two_off_topic_replies_is_progress_not_a_give_up():
    draft = draft_asking("to_account")
    read(draft, "to_account", said("客服说要先交百分之十五的保证金"), NOW)
    read(draft, "to_account", said("我这个钱现在还能冻结住吗？"), NOW)
    turn = read(draft, "to_account", said("卡号长，我分开说，前面是6222 0212 3456"), NOW)
    assert not draft.handover and next_question(draft) == "to_account"
    assert "6222 0212 3456" in question_text(draft, "to_account", "", "") and "后面" in question_text(
        draft, "to_account", "", "")
    read(draft, "to_account", said("后面是7890 128"), NOW)
    assert draft.current.to_account == CARD and not draft.handover


def test_the_paying_card_corrected_in_the_same_message_is_the_later_one():
    draft = draft_asking("from_account", **full_transfer(from_account=None))
    read(draft, "from_account", said("浦发的信用卡……不对，信用卡转不了，是我的建行储蓄卡，尾号2278"), NOW)
    assert "建设银行" in draft.current.from_account and "2278" in draft.current.from_account
    assert "浦发" not in draft.current.from_account


def test_same_as_before_for_a_later_transfer():
    draft = Draft(money_sent=True)
    draft.report.transfers += [Transfer(**full_transfer()), Transfer(amount=1.0)]
    read(draft, "to_account", said("还是那张卡，跟刚才说的一样"), NOW)
    assert draft.current.to_account == CARD and draft.current.to_bank == "工商银行"
    draft.current.time, draft.current.to_name = NOW.isoformat(), "李四"
    read(draft, "channel", said("同上"), NOW)
    assert draft.current.channel == "bank_transfer"


def test_demanded_sums_and_payments_that_did_not_happen():
    draft = Draft()
    read(draft, None, said("我申请了一个贷款，对方让我先交三千块钱保证金，说交了就放款"), NOW)
    assert draft.current.amount is None
    read(draft, "to_account", said("我老婆说肯定是骗子，我就没转"), NOW)
    assert draft.money_sent is False and draft.report.transfers == [] and next_question(draft) == "victim_name"


def test_a_card_issuer_wins_over_a_bank_mentioned_in_passing():
    draft = Draft()
    read(draft, "money_sent", said("转了，奶奶说她是去农行柜台办的"), NOW)
    read(draft, "to_account", said(f"找到了，本子上写的是 {CARD}"), NOW)
    assert draft.current.to_bank == "工商银行"


def test_story_messages_are_not_failed_answers():
    draft = draft_asking("to_account")
    read(draft, "to_account", said("他说换了新号，晚上又打来说他在外地跟人打架把人打伤了，要赔钱"), NOW)
    read(draft, "to_account", said("我就转了，今天早上我给我妹打电话一问，小军好好在家呢"), NOW)
    assert not draft.handover and next_question(draft) == "to_account"


def test_the_same_reply_twice_never_loops():
    draft = draft_asking("from_account", **full_transfer(from_account=None))
    for _ in range(6):
        read(draft, "from_account", said("嗯……邮政的卡，我领退休金那张，我看看"), NOW)
    assert next_question(draft) != "from_account"


@pytest.mark.parametrize("reply", ["充值了，两次", "哎呀让我想想，年纪大了记性不好", "哎，我想想啊"])
def test_the_classifier_alone_never_stops_a_report(reply):
    draft = draft_asking("time", to_account=CARD, amount=1.0)
    assert not read(draft, "time", said(reply, intent="stop_report", confidence=0.95), NOW).reject


@pytest.mark.parametrize("correction", [f"付款卡号是{OWN_CARD[:-4]}0130", f"转出的卡是{OWN_CARD[:-4]}0130",
                                        f"我的卡号应该是{OWN_CARD[:-4]}0130"])
def test_a_paying_card_corrected_at_the_read_back_is_the_paying_one(correction):
    draft = draft_asking("report_confirmed", **full_transfer())
    draft.transfers_done, draft.report.victim.name, draft.report.victim.phone = True, "王芳", "13812345678"
    draft.report.scam_detail = UNKNOWN
    read(draft, "report_confirmed", said(correction), NOW)
    assert draft.current.to_account == CARD
    assert draft.current.from_account == OWN_CARD[:-4] + "0130"


@pytest.mark.parametrize("correction", ["日期不对，是11月29号", "不是今天，是11月29号转的", "是前天转的"])
def test_a_date_corrected_at_the_read_back_keeps_the_clock_time(correction):
    draft = draft_asking("report_confirmed", **full_transfer(time="2026-12-01T19:40:00+08:00"))
    draft.transfers_done, draft.report.victim.name, draft.report.victim.phone = True, "王芳", "13812345678"
    draft.report.scam_detail = UNKNOWN
    read(draft, "report_confirmed", said(correction), NOW)
    assert draft.current.time == "2026-11-29T19:40:00+08:00"   # 前天 of 1 December too


def test_a_day_in_a_story_at_the_read_back_is_not_a_correction():
    draft = draft_asking("report_confirmed", **full_transfer(time="2026-12-01T19:40:00+08:00"))
    draft.transfers_done, draft.report.victim.name, draft.report.victim.phone = True, "王芳", "13812345678"
    draft.report.scam_detail = UNKNOWN
    read(draft, "report_confirmed", said("对，前天他就开始加我微信了"), NOW)
    assert draft.current.time == "2026-12-01T19:40:00+08:00" and draft.confirmed


def test_the_clock_told_after_the_day_is_on_that_day():
    draft = draft_asking("time", **full_transfer(time=None))
    read(draft, "time", said("11月26号"), NOW)
    assert draft.current.time is None and next_question(draft) == "time"   # the hour is asked for
    read(draft, "time", said("那天下午，四点半左右，我刚接完孙子放学"), NOW)
    assert draft.current.time == "2026-11-26T16:30:00+08:00"


def test_a_later_transfers_clock_alone_is_on_the_previous_transfers_day():
    draft = draft_asking("time", **full_transfer(time="2026-11-30T22:20:00+08:00"))
    draft.report.transfers.append(Transfer(to_account=CARD, amount=4500.0))
    read(draft, "time", said("第二次十点四十左右"), NOW)
    assert draft.current.time == "2026-11-30T22:40:00+08:00"
    draft.report.transfers.append(Transfer(to_account=CARD, amount=100.0))
    read(draft, "time", said("9点"), NOW)   # before the previous one: not that evening, this morning
    assert draft.current.time == "2026-12-01T09:00:00+08:00"


@pytest.mark.parametrize("remembered, amount", [("等下，我漏了，一个小时前我又往同一张卡转了6k", 6000.0),
                                                ("哦 对了 还有 一笔 昨天 中午 他又 让我 转了 三千 到 同一张卡", 3000.0)])
def test_a_transfer_remembered_at_the_read_back_is_added_not_a_correction(remembered, amount):
    draft = draft_asking("report_confirmed", **full_transfer(amount=12000.0))
    draft.transfers_done, draft.report.victim.name, draft.report.victim.phone = True, "王芳", "13812345678"
    draft.report.scam_detail = UNKNOWN
    read(draft, "report_confirmed", said(remembered), NOW)
    first, second = draft.report.transfers
    assert first.amount == 12000.0 and second.amount == amount
    assert second.to_account == CARD and second.to_name == "李四"


def test_just_now_then_how_long_ago_takes_how_long_ago():
    draft = draft_asking("time", **full_transfer(time=None))
    read(draft, "time", said("就刚才，也就十来分钟"), NOW)
    assert draft.current.time == "2026-12-01T20:26:00+08:00"


@pytest.mark.parametrize("reply, name", [("户名叫洪立诚", "洪立诚"), ("户名叫庹华强，这姓我头回见", "庹华强"),
                                         ("收款人叫……叫什么来着，我写的字太潦草了", None), ("山东人", None)])
def test_surnames_beyond_the_most_common(reply, name):
    assert person_name(reply) == name


@pytest.mark.parametrize("channel, reply, wallet", [("alipay", "余额", "支付宝余额"), ("alipay", "第二次也是余额", "支付宝余额"),
                                                    ("wechat_pay", "余额", "微信零钱")])
def test_the_balance_of_the_wallet_paid_with(channel, reply, wallet):
    draft = draft_asking("from_account", **full_transfer(channel=channel, from_account=None))
    read(draft, "from_account", said(reply), NOW)
    assert draft.current.from_account == wallet


def test_paid_by_wechat_without_a_card_the_wechat_account_is_asked_for_once():
    draft = draft_asking("to_account", amount=320.0)
    read(draft, "to_account", said("没有卡号，我是微信直接转给他的"), NOW)
    assert draft.current.to_account is None and next_question(draft) == "to_account"
    assert "微信账号是多少" in question_text(draft, "to_account", "", "")
    read(draft, "to_account", said("他微信号是 danzai_shop99"), NOW)
    assert draft.current.to_account == "微信账号 danzai_shop99" and draft.current.to_bank == UNKNOWN
    other = draft_asking("to_account", amount=320.0)
    read(other, "to_account", said("没有卡号，我是微信直接转给他的"), NOW)
    read(other, "to_account", said("不知道，他把我删了"), NOW)
    assert other.current.to_account == UNKNOWN and next_question(other) != "to_account"


def test_i_sent_it_to_him_by_wechat_says_the_money_left():
    draft = Draft()
    read(draft, "money_sent", said("卖家说先转钱再换绑，我微信转给他了，然后直接把我拉黑了，无语死了"), NOW)
    assert draft.money_sent is True and next_question(draft) == "to_account"


def test_no_bank_is_asked_for_an_alipay_account():
    draft = draft_asking("to_account", amount=1500.0)
    read(draft, "to_account", said("第二次他叫我转到支付宝，账号是手机号13081970028"), NOW)
    assert draft.current.to_account == "支付宝账号 13081970028" and draft.current.to_bank == UNKNOWN
    assert next_question(draft) != "to_bank"


@pytest.mark.parametrize("day, clock, expected", [
    ("大前天晚上", "八点多，八点来钟吧", "2026-11-28T20:00:00+08:00"),
    ("前天夜里", "十一点过五分", "2026-11-29T23:05:00+08:00"),
    ("前天上午", "十一点过五分", "2026-11-29T11:05:00+08:00"),
])
def test_the_part_of_day_said_with_the_day_reads_the_clock_told_next(day, clock, expected):
    draft = draft_asking("time", **full_transfer(time=None))
    read(draft, "time", said(day), NOW)
    read(draft, "time", said(clock), NOW)
    assert draft.current.time == expected


def test_how_long_ago_corrected_at_the_read_back_after_midnight_stays_in_the_past():
    after_midnight = datetime(2026, 12, 3, 0, 56, tzinfo=ZoneInfo("Asia/Shanghai"))
    draft = draft_asking("report_confirmed", **full_transfer(time="2026-12-03T00:06:00+08:00"))
    draft.transfers_done, draft.report.victim.name, draft.report.victim.phone = True, "王芳", "13812345678"
    draft.report.scam_detail = UNKNOWN
    text = "时间不对，我看了下转账记录，是一个小时以前，不是五十分钟"
    read(draft, "report_confirmed", Said(text=text, at=after_midnight, entities=extract_entities(text, after_midnight)),
         after_midnight)
    assert draft.current.time == "2026-12-02T23:56:00+08:00"


def test_every_question_text_reads_as_a_question():
    """A caller (and a test driver) knows an answer is expected from a question mark or a request."""
    from bot.report.questions import CLARIFY, FIRST_ASK, ROUGH
    for text in [*FIRST_ASK.values(), *CLARIFY.values(), *ROUGH.values()]:
        assert re.search(r"[?？]|请(告诉|说|留|回复)|回复", text), text


def test_a_wallet_payments_account_put_off_by_the_story_is_asked_for_again():
    draft = draft_asking("to_account", **full_transfer(to_account=None, to_bank=None, channel="alipay",
                                                       from_account="支付宝"))
    for line in ("后来那个老师说做个福利任务，先垫九千块钱，做完返一万一，我就在支付宝上转过去了",
                 "我哪有那么多钱啊，我就问我女儿，我女儿说你赶紧打96110", "姑娘，这钱还能追回来吗？"):
        read(draft, next_question(draft), said(line), NOW)
    assert draft.deferred == ["to_account"] and next_question(draft) == "to_bank"
    read(draft, "to_bank", said("邮政储蓄的"), NOW)
    read(draft, "more_transfers", said("没有了"), NOW)
    assert next_question(draft) == "to_account"
    read(draft, "to_account", said("找到了，6217999354665253272"), NOW)
    assert draft.current.to_account == "6217999354665253272"


@pytest.mark.parametrize("day, again, expected", [
    ("前天傍晚", "嗯……前天傍晚吧", "2026-11-29T18:00:00+08:00"),
    ("昨天中午", "不知道", "2026-11-30T12:00:00+08:00"),
    ("前天晚上", "记不清了", "2026-11-29"),   # 晚上 is too wide to stand for an hour
])
def test_a_narrow_part_of_day_stands_for_its_hour_when_no_clock_is_told(day, again, expected):
    draft = draft_asking("time", **full_transfer(time=None))
    read(draft, "time", said(day), NOW)
    read(draft, "time", said(again), NOW)
    assert draft.current.time == expected
    assert any("请以转账记录为准" in w for w in draft.report.warnings) == ("T" in expected)


@pytest.mark.parametrize("reply", ["6999，烦死了", "6999。", "就6999吧"])
def test_a_bare_number_followed_by_words_is_the_amount(reply):
    draft = draft_asking("amount", to_account=CARD)
    read(draft, "amount", said(normalize(reply)), NOW)
    assert draft.current.amount == 6999.0


def test_a_sum_without_unit_corrects_the_amount_at_the_read_back():
    draft = draft_asking("report_confirmed", **full_transfer(amount=1980.0))
    draft.transfers_done, draft.report.victim.name, draft.report.victim.phone = True, "龙浩", "13366129085"
    draft.report.scam_detail = UNKNOWN
    read(draft, "report_confirmed", said(normalize("金额不对，是1890，我看错了")), NOW)
    assert draft.current.amount == 1890.0


@pytest.mark.parametrize("reply, amount", [
    ("说我中了十八万，先交百分之……反正是交了四千八的个人所得税", 4800.0),
    ("我卡里原来四万一千八 现在就剩三百 转出去的是 四万一千五", 41500.0),
    ("说原价九千八，直播间里就卖一千九百八，我就买了，一千九百八", 1980.0),
    ("我看到银行短信了：您尾号3120账户支出人民币12800.00元，余额36.52元。就是12800", 12800.0),
    ("剩下的两万也转了", 20000.0), ("原来转了五千", 5000.0),   # a payment, not a balance
])
def test_the_sum_paid_among_prizes_balances_and_prices(reply, amount):
    draft = draft_asking("amount", to_account=CARD)
    read(draft, "amount", said(normalize(reply)), NOW)
    assert draft.current.amount == amount


def test_a_card_that_fails_its_check_is_mended_by_its_last_digits_said_as_words():
    draft = draft_asking("to_account")
    read(draft, "to_account", said("6217 0036 8214 4832 606"), NOW)
    assert draft.pending and draft.current.to_account is None
    read(draft, "to_account", said(normalize("卡号不对，最后三个数是六六零，不是六零六，我老眼昏花看错了")), NOW)
    assert draft.current.to_account == "6217003682144832660"
