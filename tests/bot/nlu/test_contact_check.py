import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.contact_check import (CHECK_NEWS_INTENT, CHECK_ORDINARY_INTENT, CHECK_SCAM_INTENT, CHECK_UNSURE_INTENT,
                                   CONTACT_CHECK, ContactCheck, forwarded_form)
from bot.nlu.scam_markers import SCAM_MARKERS
from bot.report.reader import REPORTED_AS


def message(text, verdict="none", scam=0.1, intent="faq", markers=(), reported_as=None, entities=()):
    ranking = sorted([{"name": "none", "confidence": 1 - scam}, {"name": "customer_service", "confidence": scam}],
                     key=lambda r: -r["confidence"])
    data = {TEXT: text, INTENT: {"name": intent, "confidence": 0.9}, "scam_type": {"name": verdict},
            "scam_type_ranking": ranking, SCAM_MARKERS: {"markers": list(markers), "in_progress": False},
            ENTITIES: list(entities)}
    if reported_as:
        data[REPORTED_AS] = reported_as
    return Message(data=data)


@pytest.fixture(scope="module")
def detector():
    from bot.nlu.scam_markers import ScamMarkerDetector

    return ScamMarkerDetector.create({}, None, None, None)


def checked(msg):
    ContactCheck().process([msg])
    return msg.get(INTENT)["name"], msg.get(CONTACT_CHECK)


@pytest.mark.parametrize("text, form", [
    ("【育才小学】家长您好：本周五下午召开家长会，请准时参加。", "sms"),
    ("您的验证码为482913，5分钟内有效，请勿泄露给他人。", "sms"),
    ("尊敬的客户，您的话费余额不足10元。", "sms"),
    ("双十二会员日全场五折 s.x.cn/a 回T退订", "sms"),
    ("A：喂，您的外卖到了\nB：好的我下来拿", "transcript"),
    ("骗子：你涉嫌洗钱\n受害人：不可能吧\n骗子：配合调查", "transcript"),
    ("骑手：您好，您的外卖到了，我在小区东门\n我：好的，我马上下来拿", "transcript"),
    ("本报讯（记者 王明）近日，市民李女士接到自称客服的电话，被骗走三万元。民警提醒广大市民，退款不会要求转账，"
     "请通过官方渠道核实，切勿轻信陌生来电。", "news"),
    ("妈，我这个月工资晚几天发，房租你先帮我垫一下", "message"),
    ("张总，合同的事你看一下，我在外面开会", "message"),
    ("被骗了，你们能帮我吗", None),
    ("警察叔叔，你好，我被骗了", None),
    ("我昨天被骗了三万，他让我转到安全账户", None),
    ("转账成功\n收款户名：吴*东\n收款账号：6228 48** **** 7792\n转账金额：38,000.00元", None),
    ("刷单是真的吗", None),
])
def test_the_form_of_a_forwarded_text(text, form):
    assert forwarded_form(text) == form


def test_a_forwarded_scam_sms_is_checked_for_its_type():
    intent, check = checked(message("【顺丰速运】您的快件丢失，可获三倍赔付，请加理赔专员QQ办理。",
                                    verdict="customer_service", scam=0.9))
    assert intent == CHECK_SCAM_INTENT and check == {"form": "sms", "verdict": "customer_service"}


def test_an_ordinary_sms_is_reassured_not_reported():
    intent, check = checked(message("【育才小学】家长您好：本周五下午召开家长会。", intent="inform"))
    assert intent == CHECK_ORDINARY_INTENT and check["verdict"] == "none"


def test_an_ordinary_call_told_by_the_citizen_is_reassured():
    intent, check = checked(message("刚才顺丰快递员给我打电话，说快递放到驿站了，让我下班去取"))
    assert intent == CHECK_ORDINARY_INTENT and check == {"form": "described", "verdict": "none"}


@pytest.mark.parametrize("kwargs", [
    {"scam": 0.6},                                   # the classifier is unsure: not called ordinary
    {"markers": ["safe_account"]},                   # a scam marker: never ordinary
    {"reported_as": "encounter"},                    # a scammer's approach the report asks about
    {"intent": "report_fraud", "entities": [{"entity": "amount", "value": 5000}]},   # a report with a sum
    {"intent": "nlu_fallback", "text": "银行说我的卡被限制了，怎么办"},   # a question the public answers are for
    {"intent": "request_officer"},                   # what they ask for is kept
])
def test_a_described_contact_is_left_alone_when_it_may_be_a_scam_or_asks_for_more(kwargs):
    kwargs = dict(kwargs)
    intent, check = checked(message(kwargs.pop("text", "刚才有人打电话说是银行的，问我卡号"), **kwargs))
    assert check is None and intent == kwargs.get("intent", "faq")


@pytest.mark.parametrize("text", [
    "快递员问我是不是住锦华苑7栋，说面单上的门牌号被雨淋糊了看不清，事后想想会不会被人套信息啊",
    "移动的客服打电话问我要不要换个新套餐，说每个月便宜十块钱，这种电话是不是会泄露我信息啊",
    "帮我看看这条短信：“【中通快递】您的包裹已暂存菜鸟驿站，取件码6-2-1038。”我前天确实买了东西",
])
def test_ordinary_contacts_told_in_many_ways_are_reassured(text):
    assert checked(message(text))[0] == CHECK_ORDINARY_INTENT


def test_an_ordinary_contact_the_intent_model_took_for_a_report_is_reassured():
    intent, check = checked(message("刚才物业打电话通知我明天上午停水", intent="report_fraud"))
    assert intent == CHECK_ORDINARY_INTENT and check["form"] == "described"


def test_a_forwarded_text_the_classifier_is_unsure_of_is_never_called_ordinary():
    intent, check = checked(message("【医保服务中心】您的医保账户已临时冻结，请致电020-2887xxxx办理解冻。", scam=0.75))
    assert intent == CHECK_UNSURE_INTENT
    assert check == {"form": "sms", "verdict": "customer_service", "hedged": True}


def test_a_scam_marker_in_a_forwarded_text_is_never_called_ordinary(detector):
    text = "A：定金打到公司的资金监管账户\nB：好，周六见"
    intent, check = checked(message(text, markers=detector.markers(text)["markers"]))
    assert intent == CHECK_UNSURE_INTENT and check == {"form": "transcript", "verdict": "customer_service",
                                                       "hedged": True}


def test_a_pasted_scam_under_way_keeps_its_warning(detector):
    text = "骗子：把钱转到安全账户\n我：我已经转了两万，他现在还在电话里催我再转"
    msg = message(text, verdict="impersonate_police", scam=0.9, intent="report_fraud", reported_as="loss")
    msg.set(SCAM_MARKERS, detector.markers(text))
    assert checked(msg) == ("report_fraud", None)


@pytest.mark.parametrize("text", [
    "【急】我妈刚才接到电话说我出车祸了，让她打五万块钱过去，她已经去银行了",
    "- 昨天接到自称公安的电话\n- 我按他说的转了3万到安全账户",
    "他说：你涉嫌洗钱\n我说：好，我转了5万",
    "1：昨天接到电话\n2：他让我转了三万",
    "近日，我接到一个自称是公安局的电话，说我涉嫌洗钱，让我配合调查，我还没有转，请问这是诈骗吗？真的好害怕",
])
def test_the_citizens_own_story_is_not_taken_for_a_forwarded_text(text):
    assert forwarded_form(text) is None


def test_an_approach_told_as_the_citizens_story_stays_a_report():
    text = "【求助】有人冒充公安说我涉嫌洗钱，我刚才接到的电话，让我转到安全账户，我还没转"
    intent, check = checked(message(text, verdict="impersonate_police", scam=0.95, intent="report_fraud",
                                    reported_as="encounter"))
    assert intent == "report_fraud" and check is None


def test_a_pasted_bank_notice_of_a_loss_stays_a_report():
    intent, check = checked(message("【农业银行】您尾号5521账户转账支出18600.00元", intent="report_fraud",
                                    reported_as="loss"))
    assert intent == "report_fraud" and check is None


def test_pasted_payee_details_stay_for_the_report():
    card = {"entity": "bank_card", "value": "6227004135040844568"}
    intent, check = checked(message("【账户信息】姓名：何丽娟 卡号：6227004135040844568", intent="inform", entities=[card]))
    assert intent == "inform" and check is None


def test_news_of_a_scam_is_named_without_a_question():
    text = "本报讯 近日，市民李女士接到自称客服的电话，称其购买的商品质量有问题要双倍退款，李女士按对方指示下载软件、开启屏幕共享后，银行卡内三万元被转走。警方提醒，退款请在平台内办理。"
    assert checked(message(text, verdict="customer_service", scam=0.95))[0] == CHECK_NEWS_INTENT


def test_news_of_no_scam_is_left_to_the_other_answers():
    text = "本报讯 近日，我市多家银行下调存款利率，记者走访发现，三年期定期存款利率已降至2%以下，市民理财更趋谨慎。"
    intent, check = checked(message(text))
    assert check is None and intent == "faq"
