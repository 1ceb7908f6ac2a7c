"""Scam type on text in every register a hotline hears, measured as bench/scam_type_eval.py does:
floors just under the measured figures, so a change that loses accuracy or adds false alarms fails."""
import pytest

from bench.scam_type_eval import evaluate
from bot.scam.classifier import SHIPPED

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results(shipped_scam_classifier):
    # the development set is ranked by the session's classifier fitted on all the training texts
    return evaluate([SHIPPED], fitted={SHIPPED: shipped_scam_classifier})


def test_the_development_set_written_apart_is_understood_with_few_false_alarms(results, record_figure):
    entry = results[SHIPPED]
    for half, floor in (("dev_tune", 0.92), ("dev_frozen", 0.95)):
        value = entry[half]
        record_figure(f"scam type, {half}: macro-F1 {value['macro_f1']:.3f}, none false alarms "
                      f"{value['none_false_alarms'] * 100:.1f}% (n={value['n']}, threshold {entry['none_threshold']})")
        assert value["macro_f1"] >= floor
        assert value["none_false_alarms"] <= 0.05
    assert all(row["accuracy"] >= 0.8 for row in entry["dev_frozen"]["per_register"].values())


def test_a_form_of_text_never_seen_in_training_is_still_mostly_understood(results, record_figure):
    value = results[SHIPPED]["grouped_cv"]
    record_figure(f"scam type, CV grouped by form: macro-F1 {value['macro_f1']:.3f}, none false alarms "
                  f"{value['none_false_alarms'] * 100:.1f}% (n={value['n']})")
    assert value["macro_f1"] >= 0.89 and value["none_false_alarms"] <= 0.05


def test_ordinary_calls_and_notices_are_not_warned_about(results, record_figure):
    for key in ("warnings_on_ordinary_texts", "warnings_on_training_service_calls", "warnings_on_training_none"):
        warnings = results[key]
        record_figure(f"scam-in-progress warnings, {key}: {warnings['false_alarms'] * 100:.1f}% of {warnings['n']}")
        assert warnings["false_alarms"] <= 0.03, warnings["examples"]


def test_the_shipped_threshold_is_the_one_the_evaluation_tunes(results, repo_root):
    import yaml

    config = yaml.safe_load((repo_root / "config.yml").read_text(encoding="utf-8"))
    shipped = next(c for c in config["pipeline"] if c["name"].endswith("ScamTypeClassifier"))
    assert shipped["none_threshold"] == results[SHIPPED]["none_threshold"]


@pytest.fixture(scope="module")
def field(shipped_scam_classifier):
    from bench.scam_type_field import evaluate as evaluate_field

    return evaluate_field([SHIPPED], fitted={SHIPPED: shipped_scam_classifier}, stresses=("speech",))


@pytest.mark.parametrize("half", ["dev", "frozen"])
def test_texts_shaped_like_the_outside_world_are_understood_without_false_alarms(field, half, record_figure):
    # tests/corpus/scam_types_field: issue 15's four external collections as other writers imagined them;
    # floors just under the measured figures, the goals in brackets
    floors = {"calls7": 0.92, "news": 0.95, "sms_mixed": 0.03, "calls_mixed": 0.03, "described": 0.08}
    for part, floor in floors.items():
        for key in (f"{half}/{part}", f"{half}/{part}/speech"):
            scored = field[SHIPPED][key]
            record_figure(f"scam type, field-like {key}: {scored['measure']} {scored['value']:.3f}")
            if scored["measure"] == "false_alarms":
                assert scored["value"] <= floor, scored["confusions"]
                assert scored["scam_f1"] >= 0.9, scored["confusions"]
            else:
                assert scored["value"] >= floor, scored["confusions"]


def test_ordinary_calls_sms_and_news_are_not_warned_about(field, record_figure):
    warnings = field["warnings_on_ordinary"]
    record_figure(f"scam-in-progress warnings on {warnings['n']} field-like ordinary texts: "
                  f"{warnings['false_alarms'] * 100:.1f}%")
    assert warnings["false_alarms"] <= 0.03, warnings["examples"]
