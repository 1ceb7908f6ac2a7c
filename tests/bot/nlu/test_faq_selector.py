import pytest
from rasa.shared.nlu.constants import INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.faq_selector import may_get_a_public_answer


def ranked(*names: str) -> Message:
    message = Message(data={"text": "…"})
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": 0.9 - i / 10} for i, n in enumerate(names)])
    return message


@pytest.mark.parametrize("names, scored", [(("faq", "greet"), True), (("report_fraud", "faq"), True),
                                           (("report_fraud", "inform"), False), (("inform", "faq"), False),
                                           (("greet",), False), ((), False)])
def test_only_messages_that_may_get_a_public_answer_are_scored(names, scored):
    assert may_get_a_public_answer(ranked(*names)) is scored
