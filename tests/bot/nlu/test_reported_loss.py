import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.reported_loss import ReportedLossDetector

FIVE_WAN = {"entity": "amount", "value": 50000, "start": 0, "end": 2}


def run(text, intent, entities):
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.9}, ENTITIES: entities})
    ReportedLossDetector().process([message])
    return message.get(INTENT)["name"]


@pytest.mark.parametrize("text", ["有人冒充我们领导加我微信，让我给客户转了五万", "我投了五万现在提不了现"])
def test_a_stated_loss_starts_a_report(text):
    assert run(text, "faq", [FIVE_WAN]) == "report_fraud"


@pytest.mark.parametrize("text", ["对方说他是公安，我把钱转到了他说的安全账户",
                                  "买家让我在交易平台交了保证金，钱被骗了", "按他说的操作，钱被转走了",
                                  "我已经把钱转到他说的安全账户了", "……我转了钱", "交了解冻金", "付了钱就被拉黑了",
                                  "还有一笔", "俺在网上做那个刷单的活，钱转过去了人家不给返了", "我好像叫人给骗了",
                                  "他让我下载了一个会议软件，然后让我按他说的在手机上操作，不知道是不是骗子",
                                  "你们能帮我把钱追回来吗", "平台上显示赚了很多，但是提不出来", "我先转钱买币，再充到平台上"])
@pytest.mark.parametrize("intent", ["faq", "scam_in_progress", "goodbye", "affirm"])
def test_a_loss_without_an_amount_starts_a_report(text, intent):
    assert run(text, intent, []) == "report_fraud"


@pytest.mark.parametrize(
    "text, intent, entities",
    [
        ("出租银行卡犯法吗", "faq", []),                       # no amount
        ("要是被骗了，应该怎么办才好", "faq", []),             # a hypothetical, not a loss
        ("五万块的理财靠谱吗", "faq", [FIVE_WAN]),             # an amount, but nothing was sent
        ("他现在让我转五万", "scam_in_progress", [FIVE_WAN]),  # nothing sent yet: the warning comes first
        ("他让我转钱，我还没转", "scam_in_progress", []),
        ("如果我转了钱怎么办", "faq", []),
        ("好的", "affirm", []),
        ("有人让我下载会议软件，我没下", "faq", []),
    ],
)
def test_other_messages_keep_their_intent(text, intent, entities):
    assert run(text, intent, entities) == intent


@pytest.mark.parametrize("text", ["我要报案！那个什么贷款APP就是骗子！", "有人冒充银保监会的说要帮我注销网贷账户，骗了我两次钱",
                                  "然后让我在借呗上借出来 专账给他们 我就专了", "我就信了，现在厂家和他都联系不上了",
                                  "然后直接从我卡里扣走了五千！", "我给那个客服发了好几个红包！"])
def test_more_ways_of_saying_money_is_gone_or_asking_to_report(text):
    assert run(text, "faq", []) == "report_fraud"


@pytest.mark.parametrize("text", ["怎么报案", "在哪里报警比较快"])
def test_asking_how_to_report_is_a_question(text):
    assert run(text, "faq", []) == "faq"


@pytest.mark.parametrize("text", ["怎么让家里人别被电话里的骗子骗", "网贷说我征信不好要先交钱才能放款"])
def test_advice_and_demands_stay_questions(text):
    assert run(text, "faq", []) == "faq"
