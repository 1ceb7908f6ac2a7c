from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.warning import ActionWarnInProgress, warned_scam_type


def tracker_with(parse_data) -> Tracker:
    return Tracker("citizen", {}, parse_data, [], False, None, {}, "action_listen")


async def test_warns_names_the_scam_and_says_what_to_do():
    parse = {"text": "他现在让我转到安全账户", "scam_type": {"name": "impersonate_police", "confidence": 0.8},
             "scam_markers": {"markers": ["safe_account"], "in_progress": True}}
    dispatcher = CollectingDispatcher()
    events = await ActionWarnInProgress().run(dispatcher, tracker_with(parse), {})
    text = dispatcher.messages[0]["text"]
    assert "冒充公检法及政府机关" in text and "安全账户" in text and "挂断" in text and "110" in text
    assert events == [SlotSet("scam_in_progress", True)]


def test_markers_name_the_scam_when_the_classifier_is_unsure():
    parse = {"scam_type": {"name": "none", "confidence": 0.4},
             "scam_markers": {"markers": ["fee_to_unlock"], "in_progress": True}}
    assert warned_scam_type(parse) == "loan"
    assert warned_scam_type({}) == "other"


def test_below_the_none_threshold_the_most_probable_scam_type_is_still_named():
    parse = {"scam_type": {"name": "none", "confidence": 0.4},
             "scam_type_ranking": [{"name": "none", "confidence": 0.4}, {"name": "customer_service", "confidence": 0.35},
                                   {"name": "other", "confidence": 0.25}],
             "scam_markers": {"markers": ["safe_account"]}}
    assert warned_scam_type(parse) == "customer_service"
    parse["scam_type_ranking"][1]["confidence"] = 0.1  # not probable enough: the markers decide
    assert warned_scam_type(parse) == "impersonate_police"
