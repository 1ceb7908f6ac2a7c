"""Rasa checks every action-server response against its JSON schema with `jsonschema.validate`, which
re-checks the schema itself and builds a new validator on every call (about a quarter of Rasa's CPU under
load, issue 16). Here the validators are built once, and each event is checked against the one branch of the
schema's `oneOf` whose `event` constant it names instead of against all thirty (the branches' constants are
distinct, so the verdict is the same). A response that fails still gets Rasa's own error (the original method
runs to report it).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Dict

from rasa.core.actions.action import RemoteAction

_original = RemoteAction._validate_action_result


def _validator(schema: Dict[str, Any]):
    import jsonschema

    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@lru_cache(maxsize=1)
def response_validator() -> Callable[[Any], bool]:
    schema = RemoteAction.action_response_format_spec()
    whole = _validator(schema)
    items = schema.get("properties", {}).get("events", {}).get("items", {})
    branches = items.get("oneOf") or []
    names = [branch.get("properties", {}).get("event", {}).get("const") for branch in branches]
    if not branches or None in names or len(set(names)) != len(names):
        return whole.is_valid  # not a schema this shortcut is sure about
    by_name = {name: _validator(branch) for name, branch in zip(names, branches)}
    event_base = _validator({key: value for key, value in items.items() if key != "oneOf"})
    outer = _validator({**schema, "properties": {**schema["properties"],
                                                 "events": {**schema["properties"]["events"], "items": {}}}})

    def is_valid(result: Any) -> bool:
        if not outer.is_valid(result):
            return False
        for event in (result.get("events") or []):
            if not event_base.is_valid(event):
                return False
            branch = by_name.get(event.get("event"))
            if branch is None or not branch.is_valid(event):
                return False
        return True

    return is_valid


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    if response_validator()(result):
        return True
    return _original(self, result)  # raises Rasa's ValidationError with its message


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
