"""Rasa component: the scam type of every message (`scam_type`, `scam_type_ranking`)."""
from __future__ import annotations

import hashlib
import inspect
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import text as text_module
from bot.scam import classifier as classifier_module
from bot.scam.classifier import build_classifier, decide, prepare, rank
from bot.scam.narratives import load_narratives, narratives_fingerprint
from bot.scam.scorer import LinearScorer
from bot.settings import REPO_ROOT, Settings

logger = logging.getLogger(__name__)

SCAM_TYPE = "scam_type"
SCAM_TYPE_RANKING = "scam_type_ranking"
MODEL_FILE = "scam_type.skops"
# What a persisted model may contain; anything else makes loading fail instead of executing it.
TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")


def _narratives_dir(config: Dict[Text, Any]) -> Path:
    path = Path(config["narratives_path"])
    return path if path.is_absolute() else REPO_ROOT / path


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class ScamTypeClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # none_threshold: a message gets a scam type only when all scam types together are at least this
        # probable (tuned by bench/scam_type_eval.py on the development set's tune half and the CV grouped
        # by form of text, for <= 5 % false alarms on both); null: the most probable.
        return {"narratives_path": "nlu_data/scam_types", "none_threshold": None}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        merged = {**cls.get_default_config(), **config}
        # What the trained model depends on: the classifier, how texts are prepared, how it is trained.
        code = "".join(inspect.getsource(part) for part in (
            build_classifier, prepare, classifier_module._words, text_module, cls.train))
        return hashlib.sha256(
            (narratives_fingerprint(_narratives_dir(merged)) + code).encode("utf-8")
        ).hexdigest()

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 pipeline: Any = None) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._pipeline = pipeline
        if pipeline is not None and Settings.from_env().rasa_tuning:
            self._pipeline = LinearScorer.of(pipeline) or pipeline   # the same figures, ~10x faster

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ScamTypeClassifier":
        return cls({**cls.get_default_config(), **config}, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        import skops.io

        texts, labels = load_narratives(_narratives_dir(self._config))
        self._pipeline = build_classifier()
        self._pipeline.fit(prepare(texts), labels)
        with self._model_storage.write_to(self._resource) as directory:
            skops.io.dump(self._pipeline, Path(directory) / MODEL_FILE)
        logger.info("scam-type classifier trained on %d narratives", len(texts))
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "ScamTypeClassifier":
        import skops.io

        config = {**cls.get_default_config(), **config}
        try:
            with model_storage.read_from(resource) as directory:
                path = Path(directory) / MODEL_FILE
                untrusted = skops.io.get_untrusted_types(file=path)
                unexpected = [t for t in untrusted if not t.startswith(TRUSTED_PREFIXES)]
                if unexpected:
                    raise ValueError(f"scam-type model contains unexpected types: {unexpected}")
                pipeline = skops.io.load(path, trusted=untrusted)
        except ValueError:
            logger.warning("no trained scam-type classifier in the model; scam_type stays empty")
            pipeline = None
        return cls(config, model_storage, resource, pipeline)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if self._pipeline is None or not text:
                continue
            ranking = rank(self._pipeline, text)
            message.set(SCAM_TYPE, decide(ranking, self._config.get("none_threshold")), add_to_output=True)
            message.set(SCAM_TYPE_RANKING, ranking, add_to_output=True)
        return messages
