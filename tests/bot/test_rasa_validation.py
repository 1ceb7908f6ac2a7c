"""Action-server responses are checked once-compiled, with Rasa's own verdict and error message."""
import jsonschema
import pytest
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
