import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

from bot import rasa_events


def test_every_event_class_is_found_as_rasa_finds_it():
    for cls in all_subclasses(Event):
        assert rasa_events.resolve_by_type(cls.type_name) is rasa_events._original(cls.type_name)


def test_unknown_names_keep_rasas_answers():
    assert rasa_events.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert rasa_events.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name"):
        rasa_events.resolve_by_type("no_such_event")


def test_installed_it_reads_stored_events(monkeypatch):
    monkeypatch.setattr(Event, "resolve_by_type", Event.resolve_by_type)   # undone after the test
    rasa_events.install()
    events = [UserUttered("你好", {"name": "greet"}), ActionExecuted("utter_greet"), BotUttered("您好")]
    assert [Event.from_parameters(e.as_dict()) for e in events] == events
