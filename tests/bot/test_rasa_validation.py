"""Action-server responses are checked once-compiled, with Rasa's own verdict and error message."""
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_validation

VALID = [
    {"events": [{"event": "slot", "name": "amount", "value": 5000.0, "timestamp": None}], "responses": [{"text": "好的"}]},
    {"events": [{"event": "active_loop", "name": "report_form"}, {"event": "followup", "name": "action_handoff"}]},
    {"events": [], "responses": [{"response": "utter_greet", "buttons": [{"title": "是", "payload": "/affirm"}]}]},
    {},
]
INVALID = [
    {"events": [{"event": "slot"}]},          # a slot without its name
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"name": "amount"}]},         # no event type
]


@pytest.fixture
def action():
    rasa_validation.install()
    return RemoteAction("action_x", EndpointConfig("http://127.0.0.1:1/webhook"))


@pytest.mark.parametrize("response", VALID)
def test_valid_responses_pass_as_before(action, response):
    jsonschema.validate(response, RemoteAction.action_response_format_spec())  # Rasa's own check agrees
    assert action._validate_action_result(response) is True


@pytest.mark.parametrize("response", INVALID)
def test_invalid_responses_are_refused_with_rasas_message(action, response):
    with pytest.raises(jsonschema.ValidationError) as refused:
        action._validate_action_result(response)
    assert "Failed to validate Action server response" in refused.value.message


def test_the_validator_is_built_once(action):
    action._validate_action_result(VALID[0])
    action._validate_action_result(VALID[1])
    assert rasa_validation.response_validator.cache_info().currsize == 1
    assert RemoteAction._validate_action_result is rasa_validation._validate_action_result


EVENT_NAMES = [branch["properties"]["event"]["const"] for branch in
               RemoteAction.action_response_format_spec()["properties"]["events"]["items"]["oneOf"]]
FIELD_VALUES = st.one_of(st.none(), st.integers(-3, 3), st.floats(allow_nan=False), st.text(max_size=3),
                         st.booleans(), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2),
                                                                                         st.integers(), max_size=2))
RIGHT_TYPES = {"name": st.text(max_size=3), "value": FIELD_VALUES, "timestamp": st.one_of(st.none(), st.floats(0, 9)),
               "text": st.one_of(st.none(), st.text(max_size=3)), "confidence": st.floats(0, 1),
               "policy": st.text(max_size=3), "entities": st.lists(st.fixed_dictionaries(
                   {"entity": st.text(max_size=3), "value": FIELD_VALUES}), max_size=2),
               "parse_data": st.fixed_dictionaries({}, optional={"text": st.text(max_size=3)}),
               "hide_rule_turn": st.booleans(), "metadata": st.one_of(st.none(), st.just({}))}
EVENTS = st.fixed_dictionaries(  # mostly well formed, with a wrong type or name now and then
    {"event": st.one_of(st.sampled_from(EVENT_NAMES), st.sampled_from(EVENT_NAMES),
                        st.sampled_from(EVENT_NAMES), st.text(max_size=4), st.integers())},
    optional={key: st.one_of(right, right, right, FIELD_VALUES) for key, right in RIGHT_TYPES.items()})


@settings(max_examples=400, deadline=None)
@given(st.fixed_dictionaries({}, optional={"events": st.one_of(st.lists(EVENTS, max_size=4), FIELD_VALUES),
                                           "responses": st.one_of(st.lists(st.dictionaries(
                                               st.sampled_from(["text", "response", "buttons", "image"]),
                                               FIELD_VALUES, max_size=2), max_size=2), FIELD_VALUES)}))
def test_checking_each_event_by_its_name_gives_the_whole_schemas_verdict(response):
    whole = jsonschema.validators.validator_for(RemoteAction.action_response_format_spec())(
        RemoteAction.action_response_format_spec())
    assert rasa_validation.response_validator()(response) is whole.is_valid(response)
