"""Rasa's ResponseSelector, run only on messages that may get a public answer.

The selector's answer is used only when the message's intent is `faq`, or when a stated loss made a
public question a report (the question is answered first: actions/report.py `answer_first`). Scoring
every other message cost a tenth of the Rasa server's CPU per report turn (issue 16).
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.reported_loss import REPORT_INTENT

FAQ_INTENT = "faq"


def may_get_a_public_answer(message: Message) -> bool:
    """faq ranked first, or second behind the report it may yet become."""
    names = [r.get("name") for r in (message.get(INTENT_RANKING_KEY) or [])[:2]]
    return names[:1] == [FAQ_INTENT] or names == [REPORT_INTENT, FAQ_INTENT]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class FaqResponseSelector(ResponseSelector):
    def process(self, messages: List[Message]) -> List[Message]:
        wanted = [message for message in messages if may_get_a_public_answer(message)]
        if wanted:
            super().process(wanted)
        return messages
