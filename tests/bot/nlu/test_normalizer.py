from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.normalizer import ChineseTextNormalizer


def make_component() -> ChineseTextNormalizer:
    return ChineseTextNormalizer.create(
        ChineseTextNormalizer.get_default_config(), None, None, None
    )


def test_process_normalizes_incoming_messages():
    messages = [Message(data={TEXT: "出租銀行卡犯法嗎？"}), Message(data={TEXT: "ＡＰＰ"})]
    make_component().process(messages)
    assert [m.get(TEXT) for m in messages] == ["出租银行卡犯法吗?", "APP"]


def test_training_examples_are_normalized_the_same_way():
    data = TrainingData([Message(data={TEXT: "幫信罪是什麼", "intent": "faq"})])
    make_component().process_training_data(data)
    assert data.training_examples[0].get(TEXT) == "帮信罪是什么"


def test_fingerprint_changes_with_the_code_not_between_calls():
    config = ChineseTextNormalizer.get_default_config()
    first = ChineseTextNormalizer.fingerprint_addon(config)
    assert first and first == ChineseTextNormalizer.fingerprint_addon(config)
