"""Rasa component: a message that says money already went to a scammer starts a report.

"有人冒充领导，让我给客户转了五万" reads like a question about impersonated leaders, but the citizen
has lost money: the intent becomes `report_fraud` when an amount and a past transfer are stated.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_override import override_intent

REPORT_INTENT = "report_fraud"
# Intents a reported loss may override; answers inside a report (inform, affirm, deny) stay as they are.
OVERRIDABLE = {"faq", "out_of_scope", "nlu_fallback", "gibberish", "greet", "thank", "goodbye",
               "bot_challenge", "ask_capabilities"}
PAST_TRANSFER = re.compile(r"(转|汇|打|付|充|交|投|给|借|骗|被骗走|卷走)了|转过去|转出去|打过去|被骗|转走")
# A first-person loss that needs no amount: "我把钱转到了安全账户", "钱被骗了", "交了保证金".
STATED_LOSS = re.compile(
    r"我.{0,8}(被骗|上当)了|钱.{0,4}(被骗|被转走|没了|被卷走)|被转走了|骗走了|我把钱|我.{0,10}转到了|"
    r"我.{0,10}转给了|交了.{0,6}(保证金|手续费|解冻费|会员费|税费|押金)|钱被骗了")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ReportedLossDetector(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ReportedLossDetector":
        return cls()

    @staticmethod
    def reports_loss(message: Message) -> bool:
        text = message.get(TEXT) or ""
        amounts = [e for e in message.get(ENTITIES) or [] if e.get("entity") == "amount"]
        return (bool(amounts) and bool(PAST_TRANSFER.search(text))) or bool(STATED_LOSS.search(text))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            if intent in OVERRIDABLE and self.reports_loss(message):
                override_intent(message, REPORT_INTENT)
        return messages
