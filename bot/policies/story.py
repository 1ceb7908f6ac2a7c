"""A loss told over several messages starts a report.

"有个说是部队后勤的让我从指定厂家进货，我先垫钱" and then "那个厂家电话打不通了，人也不回了": no one message
says money is gone (the NLU's ReportedLossDetector reads one message), the messages together do. Before
any report was started in the conversation, when the citizen's latest messages read together state a
loss, the report starts (its first question is then whether money left, if no message said so); outside
that it abstains.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from bot.handoff import HANDOFF_SLOT
from bot.nlu.reported_loss import OVERRIDABLE, ReportedLossDetector
from bot.policies.handoff import HANDOFF_POLICY_PRIORITY, handoff_action

ACTION_START_REPORT = "action_start_report"
REPORT_FORM = "report_form"
MESSAGES_READ = 4   # the story's messages, the latest among them


def told_together(tracker: DialogueStateTracker) -> List[Text]:
    """The citizen's latest messages of this session, oldest first; empty once a report was started."""
    texts: List[Text] = []
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted) or (isinstance(event, ActionExecuted)
                                                  and event.action_name == ACTION_START_REPORT):
            return [] if not isinstance(event, SessionStarted) else texts[::-1]
        if isinstance(event, UserUttered) and len(texts) < MESSAGES_READ:
            texts.append((event.parse_data or {}).get("text") or event.text or "")
    return texts[::-1]


def story_action(tracker: DialogueStateTracker) -> Optional[Text]:
    if tracker.active_loop_name or tracker.get_slot(HANDOFF_SLOT) is not None or handoff_action(tracker):
        return None
    if tracker.latest_action_name == ACTION_START_REPORT:
        return REPORT_FORM   # started here: the rule that starts a report needs its intent
    if tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.latest_message is None:
        return None
    if (tracker.latest_message.intent or {}).get("name") not in OVERRIDABLE:
        return None
    texts = told_together(tracker)
    if len(texts) < 2:
        return None
    return ACTION_START_REPORT if ReportedLossDetector.reports_loss(Message(data={"text": "，".join(texts)})) else None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class StoryPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": HANDOFF_POLICY_PRIORITY}   # above the rules; the hand-off policy abstains here

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain,
              **kwargs: Any) -> Resource:
        return self._resource  # nothing to learn

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None,
                                     **kwargs: Any) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action = story_action(tracker)
        if action is not None and action in domain.action_names_or_texts:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)
