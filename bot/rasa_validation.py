"""Rasa checks every action-server response against its JSON schema with `jsonschema.validate`, which
re-checks the schema itself and builds a new validator on every call (about a quarter of Rasa's CPU under
load, issue 16). Here the validator is built once; a valid response costs one `is_valid` pass, and an
invalid one still gets Rasa's own error (the original method runs to report it).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict

from rasa.core.actions.action import RemoteAction

_original = RemoteAction._validate_action_result


@lru_cache(maxsize=1)
def response_validator():
    import jsonschema

    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    if response_validator().is_valid(result):
        return True
    return _original(self, result)  # raises Rasa's ValidationError with its message


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
