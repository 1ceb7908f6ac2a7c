"""Typed keys for the desk's shared objects in the aiohttp application."""
from aiohttp import web

from bot.desk.accounts import Accounts
from bot.desk.delivery import Deliverer
from bot.desk.live import LiveFeed
from bot.desk.store import CaseStore

STORE = web.AppKey("case_store", CaseStore)
ACCOUNTS = web.AppKey("accounts", Accounts)
LIVE = web.AppKey("live_feed", LiveFeed)
DELIVERER = web.AppKey("deliverer", Deliverer)
