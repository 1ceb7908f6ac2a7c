"""The plain baseline every understanding figure is compared with: Rasa 3.6's default NLU pipeline with
JiebaTokenizer (bench/baseline_config.yml), trained in-process on the same examples as the shipped
component, on the same cross-validation folds.
"""
from __future__ import annotations

import asyncio
import logging
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from sklearn.base import BaseEstimator, ClassifierMixin

from bot.settings import REPO_ROOT

BASELINE_CONFIG = REPO_ROOT / "bench" / "baseline_config.yml"


def quiet_rasa() -> None:
    """Rasa's loggers at WARNING: otherwise every parse is printed."""
    from rasa.utils.log_utils import configure_structlog

    logging.getLogger("rasa").setLevel(logging.WARNING)
    configure_structlog(logging.WARNING)


def _config(work: Path, epochs: Optional[int]) -> Path:
    """The baseline configuration, or a copy whose classifiers train for `epochs` (the smoke tests' quick run)."""
    if epochs is None:
        return BASELINE_CONFIG
    import yaml

    config = yaml.safe_load(BASELINE_CONFIG.read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if "epochs" in component:
            component["epochs"] = epochs
    path = work / "config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def train_on(nlu_data: Path, domain: Optional[Path] = None, epochs: Optional[int] = None):
    """A loaded Rasa agent with the baseline pipeline trained on these NLU files (and domain); `epochs`
    overrides the configuration's (only for a quick run whose figures are not the baseline's)."""
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    quiet_rasa()
    with tempfile.TemporaryDirectory(prefix="hotline-baseline-") as work:
        model = train_nlu(str(_config(Path(work), epochs)), str(nlu_data), str(Path(work) / "models"),
                          fixed_model_name="baseline", domain=str(domain) if domain else None)
        if model is None:
            raise RuntimeError("the baseline model did not train")
        return Agent.load(model)


def train(training_examples: Sequence[Any], epochs: Optional[int] = None):
    """A loaded Rasa agent with the baseline pipeline trained on these Rasa `Message`s."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.training_data import TrainingData

    with tempfile.TemporaryDirectory(prefix="hotline-baseline-data-") as work:
        data = Path(work) / "nlu.yml"
        RasaYAMLWriter().dump(data, TrainingData(training_examples=list(training_examples)))
        return train_on(data, epochs=epochs)


def parse_all(agent, texts: Sequence[str]) -> List[Dict[str, Any]]:
    async def parse() -> List[Dict[str, Any]]:
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(parse())


class RasaDefaultIntentClassifier(BaseEstimator, ClassifierMixin):
    """The baseline as an sklearn estimator (texts → labels as intents), for cross_val_predict."""

    def __init__(self, epochs: Optional[int] = None) -> None:
        self.epochs = epochs

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> "RasaDefaultIntentClassifier":
        from rasa.shared.nlu.training_data.message import Message

        self.agent_ = train([Message.build(text=text, intent=label) for text, label in zip(texts, labels)],
                            self.epochs)
        self.classes_ = sorted(set(labels))
        return self

    def predict(self, texts: Sequence[str]) -> List[str]:
        return [parse["intent"]["name"] for parse in parse_all(self.agent_, texts)]
