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


def test_in_progress_overrides_the_intent(detector):
    message = Message(data={TEXT: "他现在让我把钱转到安全账户", INTENT: {"name": "faq", "confidence": 0.9}})
    detector.process([message])
    assert message.get(INTENT) == {"name": IN_PROGRESS_INTENT, "confidence": 1.0}
    assert message.get(SCAM_MARKERS)["in_progress"] is True


def test_a_question_keeps_its_intent(detector):
    message = Message(data={TEXT: "什么是安全账户", INTENT: {"name": "faq", "confidence": 0.9}})
    detector.process([message])
    assert message.get(INTENT)["name"] == "faq"
