"""spaCy textcat (bag of words, blank zh with jieba) as an sklearn classifier, for the benchmark."""
from __future__ import annotations

import random
from typing import List, Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin


class SpacyTextcat(BaseEstimator, ClassifierMixin):
    def __init__(self, epochs: int = 15, seed: int = 0):
        self.epochs = epochs
        self.seed = seed

    def fit(self, texts: Sequence[str], labels: Sequence[str]):
        import spacy
        from spacy.training import Example

        self.classes_ = np.array(sorted(set(labels)))
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        textcat = nlp.add_pipe("textcat", config={"model": {
            "@architectures": "spacy.TextCatBOW.v2", "exclusive_classes": True,
            "ngram_size": 2, "no_output_layer": False}})
        for label in self.classes_:
            textcat.add_label(str(label))
        examples = [Example.from_dict(nlp.make_doc(t), {"cats": {str(c): float(c == y) for c in self.classes_}})
                    for t, y in zip(texts, labels)]
        rng = random.Random(self.seed)
        optimizer = nlp.initialize(lambda: examples)
        for _ in range(self.epochs):
            rng.shuffle(examples)
            for start in range(0, len(examples), 16):
                nlp.update(examples[start:start + 16], sgd=optimizer, drop=0.2)
        self.nlp_ = nlp
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([[doc.cats[str(c)] for c in self.classes_] for doc in self.nlp_.pipe(texts)])

    def predict(self, texts: Sequence[str]) -> List[str]:
        return list(self.classes_[self.predict_proba(texts).argmax(axis=1)])


class AveragedProbabilities(BaseEstimator, ClassifierMixin):
    """The shipped classifier and spaCy textcat, probabilities averaged."""

    def __init__(self, first=None, second=None):
        self.first = first
        self.second = second

    def fit(self, texts, labels):
        self.first.fit(texts, labels)
        self.second.fit(texts, labels)
        self.classes_ = self.first.classes_
        return self

    def predict_proba(self, texts):
        return (self.first.predict_proba(texts) + self.second.predict_proba(texts)) / 2

    def predict(self, texts):
        return list(self.classes_[self.predict_proba(texts).argmax(axis=1)])
