"""The chat session starts with the page, so the event stream and the first message share one conversation."""
from aiohttp.test_utils import TestClient, TestServer

from bot.settings import Settings
from bot.web.app import create_app
from bot.web.session import COOKIE


async def test_the_page_issues_the_session_and_a_reload_keeps_it():
    async with TestClient(TestServer(create_app(Settings.from_env({})))) as client:
        page = await client.get("/")
        assert page.status == 200 and "no-store" in page.headers["Cache-Control"]
        token = page.cookies[COOKIE]
        assert token["httponly"] and token["samesite"] == "Strict" and token["path"] == "/"
        assert token.value in (client.session.cookie_jar.filter_cookies(client.make_url("/api/chat")).get(COOKIE).value,)
        reload = await client.get("/")
        assert COOKIE not in reload.cookies  # the browser's cookie is kept, not replaced
        history = await client.get("/api/chat/history")
        assert COOKIE not in history.cookies


async def test_without_a_page_the_first_api_call_still_starts_a_session():
    async with TestClient(TestServer(create_app(Settings.from_env({})))) as client:
        history = await client.get("/api/chat/history")
        assert history.status == 200 and (await history.json())["messages"] == []
        assert history.cookies[COOKIE]["path"] == "/"
