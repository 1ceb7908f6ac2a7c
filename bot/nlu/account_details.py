"""Rasa component: account details (cards, banks, phones, amounts, times …) with normalised values."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Dict, List, Optional, Text
from zoneinfo import ZoneInfo

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.extract.entities import extract_entities
from bot.extract.times import LOCAL_TIMEZONE

Clock = Callable[[], datetime]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class AccountDetailsExtractor(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"timezone": LOCAL_TIMEZONE}

    def __init__(self, config: Dict[Text, Any], clock: Optional[Clock] = None) -> None:
        zone = ZoneInfo(config["timezone"])
        self._clock = clock or (lambda: datetime.now(zone))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "AccountDetailsExtractor":
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: List[Message]) -> List[Message]:
        now = self._clock()
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = [{**entity, "extractor": self.__class__.__name__}
                     for entity in extract_entities(text, now)]
            for entity in found:
                entity.pop("text", None)
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
