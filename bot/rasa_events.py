"""Rasa finds an event's class by walking every subclass of Event for each event it reads (a third of
reading a stored conversation, issue 16). Here the class found for a type name is remembered; a name
not found still takes Rasa's own path (its default or its error).
"""
from __future__ import annotations

from typing import Dict, Optional, Text, Type

from rasa.shared.core.events import Event

_original = Event.resolve_by_type
_found: Dict[Text, Type[Event]] = {}


def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    found = _found.get(type_name)
    if found is None:
        try:
            found = _original(type_name)   # the class, or None ("topic"), or Rasa's error
        except ValueError:
            found = None
        if found is None:
            return _original(type_name, default)
        _found[type_name] = found
    return found


def install() -> None:
    Event.resolve_by_type = staticmethod(resolve_by_type)
