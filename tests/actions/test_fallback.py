from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback, consecutive_fallbacks


def user(intent: str, text: str = "…") -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def bot(text: str) -> dict:
    return {"event": "bot", "text": text}


def tracker_with(events) -> Tracker:
    return Tracker("citizen", {}, events[-1]["parse_data"] if events else {}, events, False,
                   None, {}, "action_listen")


def test_counts_only_the_latest_run_of_misunderstood_messages():
    events = [user("nlu_fallback"), bot("?"), user("faq"), bot("答"),
              user("gibberish"), bot("?"), user("nlu_fallback")]
    assert consecutive_fallbacks(tracker_with(events)) == 2


async def test_first_miss_explains_what_the_bot_can_do():
    dispatcher = CollectingDispatcher()
    events = await ActionFallback().run(dispatcher, tracker_with([user("nlu_fallback")]), {})
    assert events == [{"event": "followup", "timestamp": None, "name": "action_listen"}]  # then wait for the citizen
    assert [m["response"] for m in dispatcher.messages] == ["utter_fallback"]


# The second miss in a row hands off to an officer: tests/actions/test_handoff.py
