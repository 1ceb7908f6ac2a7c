"""The scam-type evaluation's own rules, on made-up rankings (no training)."""
from bench.scam_type_eval import form, scores, tune_threshold
from bot.scam.narratives import Example


def ranking(scam: float, name: str = "loan"):
    return sorted([{"name": name, "confidence": scam}, {"name": "none", "confidence": 1.0 - scam}],
                  key=lambda r: -r["confidence"])


def example(scam_type: str, register: str = "asr") -> Example:
    return Example(f"{scam_type}-{register}", scam_type, register, "test")


def test_the_threshold_keeps_false_alarms_low_on_every_set_it_is_tuned_on():
    # the first set alone would allow 0.6; the second has a genuine text scored 0.7 as a scam
    first = ([ranking(0.65), ranking(0.2)], [example("loan"), example("none")])
    second = ([ranking(0.95), ranking(0.7)], [example("loan"), example("none")])
    assert tune_threshold(first) <= 0.65
    threshold = tune_threshold(first, second)
    assert 0.7 < threshold <= 0.95
    for rankings, examples in (first, second):
        from bot.scam.classifier import decide

        assert scores(examples, [decide(r, threshold)["name"] for r in rankings])["none_false_alarms"] == 0.0


def test_per_register_figures_split_false_alarms_from_missed_scams():
    examples = [example("none", "service_call"), example("none", "service_call"), example("loan", "scammer_script")]
    result = scores(examples, ["loan", "none", "none"])
    assert result["per_register"]["service_call"]["false_alarms"] == 0.5
    assert result["per_register"]["service_call"]["missed"] is None
    assert result["per_register"]["scammer_script"]["missed"] == 1.0


def test_forms_that_carry_either_label_are_held_out_together():
    assert form(example("none", "genuine_sms")) == form(example("loan", "scam_sms")) == form(example("loan", "post"))
    assert form(example("none", "service_call")) == form(example("loan", "scammer_script"))
    assert form(example("none", "service_chat")) == form(example("loan", "scam_chat"))
    assert form(example("loan", "quote")) == "quote"
