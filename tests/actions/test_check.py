from actions.check import (ASK_MONEY_LEFT, ActionCheckMessage, ActionCheckNews, ActionCheckUnsure,
                           ActionReassureOrdinary, IF_IT_CHANGES, IF_MONEY_LEFT, NO_SIGN_DESCRIBED, type_answer)


class Tracker:
    def __init__(self, latest):
        self.latest_message = latest


class Dispatcher:
    def __init__(self):
        self.messages = []

    def utter_message(self, text=None, response=None):
        self.messages.append(text or response)


async def run(action, latest):
    dispatcher = Dispatcher()
    await action.run(dispatcher, Tracker(latest), {})
    return dispatcher.messages


async def test_a_scam_sms_is_named_answered_and_asked_whether_money_left():
    latest = {"contact_check": {"form": "sms", "verdict": "impersonate_police"}}
    said = await run(ActionCheckMessage(), latest)
    assert "这条短信" in said[0] and "冒充公检法及政府机关" in said[0]
    assert said[1] == "utter_faq/police_call" and said[2] == ASK_MONEY_LEFT


async def test_news_of_a_scam_is_named_without_asking_about_money():
    said = await run(ActionCheckNews(), {"contact_check": {"form": "news", "verdict": "romance"}})
    assert said == ["这篇报道讲的是“网络婚恋交友(杀猪盘)”诈骗。", "utter_faq/romance_investment"]


def test_the_selectors_answer_is_kept_when_it_is_one_of_the_types():
    picked = {"response_selector": {"faq": {"response": {"utter_action": "utter_faq/million_guarantee"}}}}
    assert type_answer(picked, "customer_service") == "utter_faq/million_guarantee"
    assert type_answer(picked, "loan") == "utter_faq/loan_fee"


async def test_an_ordinary_contact_is_never_warned_about():
    said = await run(ActionReassureOrdinary(), {"contact_check": {"form": "described", "verdict": "none"}})
    assert said == [NO_SIGN_DESCRIBED + IF_IT_CHANGES]


async def test_an_ordinary_sms_with_a_link_or_number_is_not_said_to_have_none():
    latest = {"contact_check": {"form": "sms", "verdict": "none"}, "text": "【社保中心】您的社保卡已停用，请回复1或致电0571-8xxx6621"}
    said = await run(ActionReassureOrdinary(), latest)
    assert said[0].startswith("从这条短信的内容看，没有发现明显的诈骗特征。其中的链接和电话号码请不要直接点击或回拨")


async def test_a_check_without_its_parse_data_does_not_call_no_scam_a_scam():
    said = await run(ActionCheckMessage(), {})
    assert "无诈骗迹象" not in said[0] and said[1] == "utter_faq/identify_scam"


async def test_an_ordinary_notice_with_a_sum_offers_the_report():
    latest = {"contact_check": {"form": "sms", "verdict": "none"}, "entities": [{"entity": "amount", "value": 86.5}],
              "text": "【云岭银行】您尾号6628的借记卡快捷支付支出86.50元"}
    said = await run(ActionReassureOrdinary(), latest)
    assert said[0].startswith("从这条短信的内容看") and said[0].endswith(IF_MONEY_LEFT)
    latest["text"] = "【云端网盘】续费可享首月9.9元特惠 回T退订"
    assert not (await run(ActionReassureOrdinary(), latest))[0].endswith(IF_MONEY_LEFT)


async def test_an_unsure_verdict_says_so_and_how_to_verify():
    latest = {"contact_check": {"form": "sms", "verdict": "loan", "hedged": True}}
    said = await run(ActionCheckUnsure(), latest)
    assert len(said) == 1
    assert said[0].startswith("这条短信我没法确定：有几处和“虚假网络贷款/代办信用卡”诈骗相似，也可能是正常的通知")
