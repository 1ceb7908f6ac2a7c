"""Typed keys for objects shared through the aiohttp application."""
from typing import Union

from aiohttp import ClientSession, web

from bot.settings import Settings
from bot.web.hub import ChatHub, LocalRelay, RedisRelay

SETTINGS = web.AppKey("settings", Settings)
RASA_CLIENT = web.AppKey("rasa_client", ClientSession)
CHAT_HUB = web.AppKey("chat_hub", ChatHub)
CHAT_RELAY = web.AppKey("chat_relay", Union[LocalRelay, RedisRelay])  # how a push reaches the hub holding the page
