"""Scam-type text classifier: character 1–3-grams and jieba word 1–2-grams (TF-IDF) → logistic
regression, then a `none` threshold: a message is given a scam type only when that type's
probability reaches `none_threshold` (tuned on the development set's tune half and the grouped CV for
few false alarms).

Chosen by bench/scam_type_eval.py (cross-validation grouped by register, and a development set
written apart from the training data).
"""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from bot.nlu.text import normalize
from bot.scam.types import NO_SCAM
from bot.settings import REPO_ROOT

SHIPPED = "char_word_logreg"
CHARS_ONLY = "char_logreg"
BASELINE = "words_naive_bayes"
KINDS = (SHIPPED, CHARS_ONLY, BASELINE)


DICTIONARY_DIR = REPO_ROOT / "nlu_data" / "dictionary"  # the same domain words as the Rasa tokenizer
_dictionary_loaded = False


def _words(text: str) -> List[str]:
    import jieba

    global _dictionary_loaded
    if not _dictionary_loaded:
        for path in sorted(DICTIONARY_DIR.glob("*.txt")):
            jieba.load_userdict(str(path))
        _dictionary_loaded = True
    return [token for token in jieba.lcut(text) if token.strip()]


def build_classifier(kind: str = SHIPPED):
    """An unfitted sklearn pipeline over prepare()d texts: the shipped model or one it is compared with."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import FeatureUnion, Pipeline

    words = dict(analyzer="word", token_pattern=r"\S+", lowercase=False)
    if kind == SHIPPED:
        return Pipeline([
            ("features", FeatureUnion([
                ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)),
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, **words)),
            ])),
            # newton-cg: the optimum lbfgs reaches (the same figures), in half the time
            ("model", LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced", solver="newton-cg")),
        ])
    if kind == CHARS_ONLY:
        return Pipeline([
            ("features", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)),
            ("model", LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced", solver="newton-cg")),
        ])
    if kind == BASELINE:
        return Pipeline([
            ("features", CountVectorizer(**words)),
            ("model", MultinomialNB()),
        ])
    raise ValueError(f"unknown classifier kind {kind!r}")


def prepare(texts: Sequence[str]) -> List[str]:
    """Normalised (繁→简, full→half width) and segmented into words separated by spaces."""
    return [" ".join(_words(normalize(text))) for text in texts]


def decide(ranking: List[Dict[str, float]], none_threshold: Optional[float]) -> Dict[str, float]:
    """The type a message is given. Without a threshold, the most probable one; with one, the most
    probable scam type when all scam types together are at least that probable, else none."""
    if none_threshold is None:
        return ranking[0]
    none = next((r for r in ranking if r["name"] == NO_SCAM), {"name": NO_SCAM, "confidence": 0.0})
    best_scam = next((r for r in ranking if r["name"] != NO_SCAM), None)
    if best_scam is not None and 1.0 - none["confidence"] >= none_threshold:
        return best_scam
    return none


def rank(pipeline, text: str) -> List[Dict[str, float]]:
    """[{"name", "confidence"}] best first, for one text; pipeline: a fitted one or its LinearScorer."""
    probabilities = pipeline.predict_proba(prepare([text]))[0]
    ranking = sorted(zip(pipeline.classes_, probabilities), key=lambda pair: -pair[1])
    return [{"name": str(name), "confidence": float(p)} for name, p in ranking]
