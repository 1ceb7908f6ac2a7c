"""Typed keys for objects shared through the aiohttp application."""
from aiohttp import ClientSession, web

from bot.settings import Settings
from bot.web.hub import ChatHub

SETTINGS = web.AppKey("settings", Settings)
RASA_CLIENT = web.AppKey("rasa_client", ClientSession)
CHAT_HUB = web.AppKey("chat_hub", ChatHub)
