from datetime import datetime
from zoneinfo import ZoneInfo

from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.account_details import AccountDetailsExtractor

NOW = datetime(2026, 11, 21, 14, 5, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_adds_normalised_entities_and_keeps_existing_ones():
    component = AccountDetailsExtractor(AccountDetailsExtractor.get_default_config(), clock=lambda: NOW)
    earlier = {"entity": "other", "value": "x", "start": 0, "end": 1, "extractor": "DIETClassifier"}
    message = Message(data={TEXT: "十分钟前转了五万到6222 0212 3456 7890 128，工行", ENTITIES: [earlier]})
    component.process([message])
    entities = message.get(ENTITIES)
    assert entities[0] == earlier
    found = {e["entity"]: e["value"] for e in entities[1:]}
    assert found == {"transfer_time": "2026-11-21T13:55:00+08:00", "amount": 50000,
                     "bank_card": "6222021234567890128", "bank_name": "工商银行"}
    assert all(e["extractor"] == "AccountDetailsExtractor" for e in entities[1:])
