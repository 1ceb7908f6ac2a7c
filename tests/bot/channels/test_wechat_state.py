"""What the WeChat channel shares between Rasa servers (bot/channels/wechat_state.py), against a real Redis:
two channels with their own Redis clients stand for two servers; the in-memory state must behave the same
within one server. The whole system with two Rasa servers is tests/scaleout/."""
import asyncio
import time
from types import SimpleNamespace
from typing import List

import pytest
from defusedxml import ElementTree

from bot.channels import wechat
from bot.channels.wechat import AccessToken, WeChatConfig, WeChatInput
from bot.channels.wechat_state import LATER, LocalState, RedisState
from bot.shared import redis_client
from tests.conftest import WECHAT
from tests.wechat_api import FakeWeChatApi

pytestmark = pytest.mark.integration
APP_ID, SECRET = "wxstate", "state-secret"


@pytest.fixture(params=["memory", "redis"])
async def states(request, redis_server):
    """Two servers' views of the shared state (one server's memory twice, for the in-memory kind)."""
    if request.param == "memory":
        state = LocalState()
        yield state, state
        return
    app_id = f"{APP_ID}-{time.monotonic_ns()}"  # each test its own keys
    clients = [redis_client(redis_server.url(7)) for _ in range(2)]
    yield RedisState(clients[0], app_id), RedisState(clients[1], app_id)
    for client in clients:
        await client.close()


async def test_a_message_is_answered_by_its_first_arrival_and_a_retry_gets_that_answer(states):
    first, other = states
    assert await first.first_arrival("msg:1") is True
    assert await other.first_arrival("msg:1") is False
    waiting = asyncio.ensure_future(other.outcome("msg:1", timeout_s=3))
    await asyncio.sleep(0.1)
    assert not waiting.done()
    await first.answered("msg:1", ["犯法。", "请勿出租银行卡。"])
    assert (await waiting).texts == ("犯法。", "请勿出租银行卡。")
    assert await other.outcome("msg:2", timeout_s=0.2) is None  # never seen: nothing to wait for


async def test_a_slow_answer_goes_through_the_api_once(states):
    first, other = states
    await first.first_arrival("msg:slow")
    assert await other.outcome("msg:slow", timeout_s=0.2) is None  # still being answered
    assert await first.send_later("msg:slow") is True
    assert await other.send_later("msg:slow") is False
    await first.answered("msg:slow", ["已为您转接值班民警"])
    assert await other.outcome("msg:slow", timeout_s=1) == LATER


async def test_when_a_user_last_wrote_is_known_to_every_server(states):
    first, other = states
    assert await other.last_heard("o-heard") is None
    await first.heard_from("o-heard", 1_700_000_000.5)
    assert await other.last_heard("o-heard") == 1_700_000_000.5


@pytest.fixture(scope="module")
def wechat_api():
    return FakeWeChatApi(APP_ID, SECRET).start()


async def test_servers_share_one_access_token_and_refresh_it_once(redis_server, wechat_api):
    """Each token WeChat issues invalidates the one before: servers fetching their own would lock each other
    out. Two servers asking at once get one token; both seeing it rejected refresh it once."""
    import aiohttp

    app_id = f"{APP_ID}-{time.monotonic_ns()}"
    config = WeChatConfig("tok", APP_ID, SECRET, WECHAT["WECHAT_ENCODING_AES_KEY"], "safe", wechat_api.url)
    clients = [redis_client(redis_server.url(7)) for _ in range(2)]
    tokens = [AccessToken(config, RedisState(client, app_id)) for client in clients]
    issued_before = wechat_api.tokens_issued
    async with aiohttp.ClientSession() as session:
        got = await asyncio.gather(*(token.get(session) for token in tokens for _ in range(3)))
        assert len(set(got)) == 1 and wechat_api.tokens_issued == issued_before + 1
        renewed = await asyncio.gather(*(token.get(session, rejected=got[0]) for token in tokens))
        assert renewed[0] == renewed[1] != got[0] and wechat_api.tokens_issued == issued_before + 2
    for client in clients:
        await client.close()


def text_message(openid: str, content: str, msg_id: str) -> dict:
    return {"ToUserName": "gh_test", "FromUserName": openid, "CreateTime": str(int(time.time())),
            "MsgType": "text", "Content": content, "MsgId": msg_id}


class FakeRasa:
    """Stands in for Rasa behind the channel: counts what reached it, answers after `delay_s`."""

    def __init__(self, delay_s: float) -> None:
        self.delay_s = delay_s
        self.received: List[str] = []

    async def __call__(self, message) -> None:
        self.received.append(message.text)
        await asyncio.sleep(self.delay_s)
        await message.output_channel.send_text_message(message.sender_id, f"答复：{message.text}")


def reply_of(response) -> str:
    body = response.body.decode("utf-8")
    return body if body == "success" else {c.tag: c.text for c in ElementTree.fromstring(body)}["Content"]


async def two_servers(redis_server, api_base: str):
    app_id = f"{APP_ID}-{time.monotonic_ns()}"  # the state's keys: each test its own
    config = WeChatConfig("tok", APP_ID, SECRET, WECHAT["WECHAT_ENCODING_AES_KEY"], "plain", api_base)
    clients = [redis_client(redis_server.url(7)) for _ in range(2)]
    return [WeChatInput(config, RedisState(client, app_id)) for client in clients], clients


async def test_a_retry_on_the_other_server_gets_the_same_reply_and_rasa_hears_it_once(redis_server):
    servers, clients = await two_servers(redis_server, "http://127.0.0.1:9")
    rasa = FakeRasa(delay_s=0.3)
    request = SimpleNamespace(args={})
    message = text_message("o-two", "什么是安全账户", "880000000000001")
    replies = await asyncio.gather(*(server._handle(request, {}, dict(message), rasa) for server in servers))
    assert [reply_of(r) for r in replies] == ["答复：什么是安全账户"] * 2
    assert rasa.received == ["什么是安全账户"]
    for client in clients:
        await client.close()


async def test_a_slow_answer_is_sent_once_through_the_api_whichever_server_the_retry_reaches(
        redis_server, wechat_api, monkeypatch):
    monkeypatch.setattr(wechat, "PASSIVE_DEADLINE_S", 0.3)
    servers, clients = await two_servers(redis_server, wechat_api.url)
    rasa = FakeRasa(delay_s=0.8)
    request = SimpleNamespace(args={})
    message = text_message("o-slow-two", "转人工", "880000000000002")
    first = await servers[0]._handle(request, {}, dict(message), rasa)
    retry = await servers[1]._handle(request, {}, dict(message), rasa)
    assert (reply_of(first), reply_of(retry)) == ("success", "success")
    deadline = time.monotonic() + 5
    while not wechat_api.texts_to("o-slow-two") and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)  # a second send, if any, would come now
    assert wechat_api.texts_to("o-slow-two") == ["答复：转人工"]
    assert rasa.received == ["转人工"]
    for client in clients:
        await client.close()
