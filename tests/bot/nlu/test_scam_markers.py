import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.scam_markers import IN_PROGRESS_INTENT, SCAM_MARKERS, ScamMarkerDetector


@pytest.fixture(scope="module")
def detector():
    import jieba

    jieba.load_userdict("nlu_data/dictionary/fraud_terms.txt")
    return ScamMarkerDetector.create({}, None, None, None)


@pytest.mark.parametrize(
    "text, marker",
    [
        ("他现在让我把钱转到安全账户", "safe_account"),
        ("對方現在讓我把錢轉到安全賬戶", "safe_account"),
        ("对方让我下载腾讯会议开屏幕共享", "remote_app"),
        ("他让我装个ToDesk", "remote_app"),
        ("客服正在电话里问我要验证码", "code_request"),
        ("要交解冻费才能提现", "fee_to_unlock"),
        ("不要告诉任何人，这是秘密侦查", "secrecy"),
        ("他现在催我赶紧转钱", "transfer_request"),
    ],
)
def test_markers_are_found(detector, text, marker):
    assert marker in detector.markers(text)["markers"]


@pytest.mark.parametrize(
    "text, in_progress",
    [
        ("他现在让我把钱转到安全账户", True),
        ("要交解冻费才能提现，我要不要交", True),
        ("什么是安全账户", False),
        ("我昨天被骗了五万", False),
        ("客服让我开屏幕共享", False),
    ],
)
def test_in_progress_needs_a_marker_and_a_present_cue(detector, text, in_progress):
    assert detector.markers(text)["in_progress"] is in_progress


@pytest.mark.parametrize(
    "text",
    [
        "我行工作人员现在不会以任何理由向您索要短信验证码或者让您转账到安全账户。",
        "请您马上挂断，我们不会向您要验证码，也不会让您转账。",
        "保险公司不会要求客户先交手续费；如接到自称理赔员要求转账的电话，现在就挂断。",
        "千万不要开屏幕共享，正在通话的请马上挂断",
    ],
)
def test_a_warning_that_says_it_never_happens_is_not_a_scam_under_way(detector, text):
    assert detector.markers(text)["in_progress"] is False


@pytest.mark.parametrize(
    "text",
    [
        "他叫我不要挂电话，现在让我把钱转到安全账户",
        "对方说不要告诉任何人，现在还在电话里",
        "他说我不会操作没关系，现在让我下载向日葵",
        "我不会用向日葵，他现在在教我装",
        "他现在让我把任何存款都转到安全账户",
        "他说如果不交保证金就不能提现，我现在要不要交",
        "客服现在让我把钱转入银联的对公监管账户",
        "他让我下载一个所谓的会议软件开屏幕共享，现在还在通话",
        "我也不会用向日葵，他现在在教我装",
        "客服说不会收费 让我下载腾讯会议开共享屏幕 现在还在通话",
    ],
)
def test_a_scam_under_way_still_warns_beside_a_negation(detector, text):
    assert detector.markers(text)["in_progress"] is True


def test_in_progress_overrides_the_intent(detector):
    message = Message(data={TEXT: "他现在让我把钱转到安全账户", INTENT: {"name": "faq", "confidence": 0.9}})
    detector.process([message])
    assert message.get(INTENT) == {"name": IN_PROGRESS_INTENT, "confidence": 1.0}
    assert message.get(SCAM_MARKERS)["in_progress"] is True


def test_a_question_keeps_its_intent(detector):
    message = Message(data={TEXT: "什么是安全账户", INTENT: {"name": "faq", "confidence": 0.9}})
    detector.process([message])
    assert message.get(INTENT)["name"] == "faq"
