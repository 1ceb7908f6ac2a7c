from collections import Counter
from pathlib import Path

import pytest

import numpy as np

from bot.scam.classifier import BASELINE, CHARS_ONLY, build_classifier, decide, prepare, rank
from bot.scam.narratives import NarrativeError, load_examples, load_narratives, narratives_fingerprint
from bot.scam.scorer import LinearScorer
from bot.scam.types import SCAM_TYPES

NARRATIVES = Path(__file__).resolve().parents[3] / "nlu_data" / "scam_types"


def test_every_type_has_at_least_60_distinct_narratives():
    texts, labels = load_narratives(NARRATIVES)
    counts = Counter(labels)
    assert set(counts) == set(SCAM_TYPES)
    assert min(counts.values()) >= 60
    assert len(set(texts)) == len(texts), "a narrative appears twice"


def test_unknown_type_is_a_clear_error(tmp_path):
    (tmp_path / "x.yml").write_text("scam_type: lottery\nexamples: |\n  - 中奖了\n", encoding="utf-8")
    with pytest.raises(NarrativeError, match="unknown scam_type 'lottery'"):
        load_narratives(tmp_path)


def test_fingerprint_follows_the_content(tmp_path):
    path = tmp_path / "a.yml"
    path.write_text("scam_type: none\nexamples: |\n  - 你好\n", encoding="utf-8")
    first = narratives_fingerprint(tmp_path)
    path.write_text("scam_type: none\nexamples: |\n  - 您好\n", encoding="utf-8")
    assert narratives_fingerprint(tmp_path) != first


@pytest.fixture(scope="module")
def fitted(shipped_scam_classifier):
    return shipped_scam_classifier  # fitted on NARRATIVES (tests/conftest.py)


def test_ranking_covers_every_type_best_first(fitted):
    ranking = rank(fitted, "有个老师带我在APP里炒股，现在提不了现")
    assert [r["name"] for r in ranking][0] == "investment"
    assert {r["name"] for r in ranking} == set(SCAM_TYPES)
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)
    assert ranking == sorted(ranking, key=lambda r: -r["confidence"])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("对方说他是公安局的，说我涉嫌洗钱，让我把钱转到安全账户", "impersonate_police"),
        ("網上認識的男朋友帶我在一個平台投資，現在錢取不出來", "romance"),
        ("他自称部队采购，让我先从指定厂家进货垫钱", "military_purchase"),
    ],
)
def test_clear_cases_in_simplified_and_traditional(fitted, text, expected):
    assert rank(fitted, text)[0]["name"] == expected


def test_texts_are_read_from_every_register_directory(tmp_path):
    (tmp_path / "sms").mkdir()
    (tmp_path / "sms" / "loan.yml").write_text(
        "scam_type: loan\nregister: scam_sms\nsource: w1\nexamples: |\n  - 【速贷】您的额度已批\n", encoding="utf-8")
    (tmp_path / "none.yml").write_text("scam_type: none\nexamples: |\n  - 你好\n", encoding="utf-8")
    examples = load_examples(tmp_path, require_all_types=False)
    assert [(e.scam_type, e.register, e.source) for e in examples] == [
        ("none", "narrative", "project"), ("loan", "scam_sms", "w1")]


def test_a_transcript_keeps_its_turns_on_separate_lines(tmp_path):
    (tmp_path / "loan.yml").write_text(
        "scam_type: loan\nregister: dialogue\ntexts:\n  - |-\n    A: 您好，贷款已批\n    B: 要交钱吗？\n"
        "  - 【速贷】额度已到账\n", encoding="utf-8")
    examples = load_examples(tmp_path, require_all_types=False)
    assert [e.text for e in examples] == ["A: 您好，贷款已批\nB: 要交钱吗？", "【速贷】额度已到账"]


def test_texts_that_are_not_a_list_of_strings_are_refused(tmp_path):
    (tmp_path / "loan.yml").write_text("scam_type: loan\ntexts:\n  a: b\n", encoding="utf-8")
    with pytest.raises(NarrativeError, match="texts"):
        load_examples(tmp_path, require_all_types=False)


def test_below_the_threshold_a_message_is_given_no_scam_type():
    ranking = [{"name": "loan", "confidence": 0.6}, {"name": "none", "confidence": 0.3},
               {"name": "romance", "confidence": 0.1}]
    assert decide(ranking, None)["name"] == "loan"  # the most probable
    assert decide(ranking, 0.65)["name"] == "loan"   # scam types together: 0.7
    assert decide(ranking, 0.75)["name"] == "none"


MESSAGES = ["有个老师带我在APP里炒股，现在提不了现", "網上認識的男朋友帶我投資，錢取不出來", "好的", "6222 0212 3456 7890 128",
            "", "   ", "ＡＢＣ abc ☺", "昨天晚上八点左右转的 转了三万块钱到他说的安全账户 户名王强",
            "快递丢了，客服说要理赔，让我开屏幕共享" * 20]


def test_the_direct_scorer_gives_the_pipelines_own_probabilities(fitted):
    scorer = LinearScorer.of(fitted)
    assert scorer is not None and list(scorer.classes_) == list(fitted.classes_)
    prepared = prepare(MESSAGES)
    assert np.abs(scorer.predict_proba(prepared) - fitted.predict_proba(prepared)).max() < 1e-9
    assert [r["name"] for r in rank(scorer, MESSAGES[0])] == [r["name"] for r in rank(fitted, MESSAGES[0])]


def test_pipelines_of_another_shape_keep_sklearns_scoring():
    assert LinearScorer.of(build_classifier(BASELINE)) is None   # naive Bayes
    assert LinearScorer.of(object()) is None
    two_classes = build_classifier(CHARS_ONLY).fit(["好的谢谢", "安全账户转账"], ["none", "impersonate_police"])
    assert LinearScorer.of(two_classes) is None                  # not a union, and binary
