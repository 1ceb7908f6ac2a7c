"""Scam-type text classifier: character 1–3-grams (TF-IDF) → logistic regression.

Chosen by cross-validation (bench/scam_type_cv.py): adding jieba word n-grams or longer character
n-grams did not measurably help on the project's narratives; unigrams matter.
"""
from __future__ import annotations

from typing import Dict, List, Sequence

from bot.nlu.text import normalize

SHIPPED = "char_logreg"
BASELINE = "words_naive_bayes"


def _words(text: str) -> List[str]:
    import jieba

    return [token for token in jieba.lcut(text) if token.strip()]


def build_classifier(kind: str = SHIPPED):
    """An unfitted sklearn pipeline: the shipped model or the plain baseline it is compared with."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import Pipeline

    if kind == SHIPPED:
        return Pipeline([
            ("features", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)),
            ("model", LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced")),
        ])
    if kind == BASELINE:
        return Pipeline([
            ("features", CountVectorizer(tokenizer=_words, token_pattern=None)),
            ("model", MultinomialNB()),
        ])
    raise ValueError(f"unknown classifier kind {kind!r}")


def prepare(texts: Sequence[str]) -> List[str]:
    return [normalize(text) for text in texts]


def rank(pipeline, text: str) -> List[Dict[str, float]]:
    """[{"name", "confidence"}] best first, for one text."""
    probabilities = pipeline.predict_proba(prepare([text]))[0]
    ranking = sorted(zip(pipeline.classes_, probabilities), key=lambda pair: -pair[1])
    return [{"name": str(name), "confidence": float(p)} for name, p in ranking]
