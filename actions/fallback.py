"""What the bot says when it did not understand the citizen; the second miss in a row goes to an officer."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import start_handoff

NOT_UNDERSTOOD_INTENTS = frozenset({"nlu_fallback", "gibberish"})


def consecutive_fallbacks(tracker: Tracker) -> int:
    """How many of the citizen's latest messages in a row the bot failed to understand."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent") or {}
        if intent.get("name") not in NOT_UNDERSTOOD_INTENTS:
            break
        count += 1
    return count


class ActionFallback(Action):
    def name(self) -> Text:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if consecutive_fallbacks(tracker) >= 2:
            return await start_handoff(dispatcher, tracker, "fallback")
        dispatcher.utter_message(response="utter_fallback")
        # Then listen: as the core fallback (no policy sure what follows, e.g. "在不在" read as deny at the
        # start) nothing else would stop the policies predicting it again until Rasa's circuit breaker trips,
        # which leaves the conversation answering nothing at all.
        return [FollowupAction("action_listen")]
