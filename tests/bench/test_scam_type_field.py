"""The field-like evaluation's own rules, on made-up predictions (no training)."""
from bench.scam_type_field import as_speech, digits_masked, part_scores, reply_kind


def test_loan_and_credit_repair_are_one_type_among_the_seven():
    scored = part_scores("calls7", ["loan", "credit_repair", "romance", "romance"],
                         ["credit_repair", "loan", "romance", "investment"])
    assert scored["per_type"] == {"loan": 1.0, "romance": 2 / 3}
    assert scored["outside_the_seven"] == 1


def test_news_accuracy_counts_scam_reports_and_keeps_ordinary_items_apart():
    scored = part_scores("news", ["loan", "romance", "none"], ["loan", "none", "loan"])
    assert scored["value"] == 0.5 and scored["called_none"] == 1
    assert (scored["none_items_given_a_type"], scored["none_items"]) == (1, 1)


def test_mixed_sets_give_false_alarms_on_ordinary_texts_and_scam_f1():
    scored = part_scores("sms_mixed", ["none", "none", "none", "none", "loan", "romance"],
                         ["none", "none", "none", "loan", "loan", "none"])
    assert scored["value"] == 0.25 and scored["scam_f1"] == 0.5 and scored["type_right"] == 1


def test_the_rougher_forms_of_a_text():
    assert as_speech("A：您好，是王先生吗？\nB：是我。") == "您好 是王先生吗 是我"
    assert digits_masked("尾号6628") == "尾号xxxx"


def test_the_bots_answer_is_read_by_its_own_words():
    from actions.check import NO_SIGN, NO_SIGN_DESCRIBED, ordinary_verdict_text, scam_verdict_text
    from actions.report import START
    from actions.warning import warning_text

    assert reply_kind([NO_SIGN.format(what="这条短信")]) == reply_kind([NO_SIGN_DESCRIBED]) == "reassured"
    assert reply_kind([ordinary_verdict_text({"contact_check": {"form": "sms", "verdict": "none"},
                                              "text": "请致电0571-8xxx6621"})]) == "reassured"
    assert reply_kind([scam_verdict_text({"contact_check": {"form": "sms", "verdict": "loan"}})]) == "named"
    assert reply_kind([scam_verdict_text({"contact_check": {"form": "news", "verdict": "loan"}})]) == "named"
    unsure = scam_verdict_text({"contact_check": {"form": "sms", "verdict": "loan", "hedged": True}})
    assert reply_kind([unsure]) == "unsure"
    assert reply_kind([START, "先问一下：钱已经转出去了吗？"]) == "report"
    assert reply_kind([warning_text({"scam_type": {"name": "loan"}})]) == "warned"
    assert reply_kind(["您好，我是96110反诈助手。"]) == "other"


def test_a_part_measured_alone_replaces_only_its_figures_with_its_own_stamp(tmp_path):
    import json

    from bench.run import Figures, merge_report

    out = tmp_path / "results.json"
    out.write_text(json.dumps({"commit": "old", "figures": [{"name": "a", "value": 1, "unit": "s"},
                                                            {"name": "b", "value": 2, "unit": "%"}]}))
    figures = Figures()
    figures.add("b", 3, "%")
    merge_report(out, figures)
    report = json.loads(out.read_text())
    assert report["commit"] == "old" and report["figures"][0] == {"name": "a", "value": 1, "unit": "s"}
    assert report["figures"][1]["value"] == 3 and report["figures"][1]["commit"] != "old"
