"""Rasa component: makes 繁體 and full-width input behave exactly like simplified text."""
from __future__ import annotations

import hashlib
import inspect
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import text as text_module
from bot.nlu.text import normalize


# Registered as a tokenizer-stage component so it runs first, in NLU and in end-to-end core.
@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class ChineseTextNormalizer(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"opencc_config": "t2s"}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        source = inspect.getsource(text_module) + inspect.getsource(cls)
        return hashlib.sha256(source.encode("utf-8")).hexdigest()

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._opencc_config = config["opencc_config"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ChineseTextNormalizer":
        return cls({**cls.get_default_config(), **config})

    def _normalize(self, message: Message) -> None:
        original = message.get(TEXT)
        if original:
            message.set(TEXT, normalize(original, self._opencc_config))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._normalize(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._normalize(message)
        return messages
