"""While an officer has the conversation the bot stays silent: every citizen message is relayed.

Outranks every other policy (no-user prediction, highest priority), so no rule, form or model
can answer the citizen during a hand-off. Outside a hand-off it abstains.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.engine.storage.resource import Resource

from bot.handoff import (
    ACTION_END_HANDOFF, ACTION_RELAY_OFFICER_MESSAGE, ACTION_RELAY_TO_OFFICER, HANDOFF_SLOT,
    OFFICER_MESSAGE_INTENT, OFFICER_INTENTS,
)

HANDOFF_POLICY_PRIORITY = 7  # above RulePolicy (6)
RELAY_ACTIONS = (ACTION_RELAY_TO_OFFICER, ACTION_RELAY_OFFICER_MESSAGE, ACTION_END_HANDOFF)


def handoff_action(tracker: DialogueStateTracker) -> Optional[str]:
    """The action this policy insists on next, or None to let the others decide."""
    latest_action = tracker.latest_action_name
    if latest_action in RELAY_ACTIONS:
        return ACTION_LISTEN_NAME
    if latest_action not in (None, ACTION_LISTEN_NAME) and tracker.get_slot(HANDOFF_SLOT) is not None \
            and not tracker.active_loop_name:
        return ACTION_LISTEN_NAME  # e.g. the report form an officer's claim ended: the officer answers now
    if latest_action != ACTION_LISTEN_NAME or tracker.latest_message is None:
        return None
    intent = (tracker.latest_message.intent or {}).get("name")
    if intent == OFFICER_MESSAGE_INTENT:
        return ACTION_RELAY_OFFICER_MESSAGE
    if intent in OFFICER_INTENTS:
        return ACTION_END_HANDOFF
    if tracker.get_slot(HANDOFF_SLOT) is not None and tracker.latest_message.text:
        return ACTION_RELAY_TO_OFFICER
    return None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class HandoffPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": HANDOFF_POLICY_PRIORITY}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain,
              **kwargs: Any) -> Resource:
        return self._resource  # nothing to learn

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None,
                                     **kwargs: Any) -> PolicyPrediction:
        action = handoff_action(tracker)
        if action is None or action not in domain.action_names_or_texts:
            return self._prediction(self._default_predictions(domain))
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)
