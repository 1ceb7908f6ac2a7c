"""Web-chat pushes between web instances (bot/web/hub.py) through a real Redis: Rasa pushes to one instance,
the page listens on another. The whole system with two web instances is tests/scaleout/."""
import asyncio

import pytest

from bot.shared import redis_client
from bot.web.hub import ChatHub, LocalRelay, RedisRelay
from tests.redis_server import restart_redis, start_redis, stop_redis

pytestmark = pytest.mark.integration


@pytest.fixture
async def two_instances(redis_server):
    relays = [RedisRelay(ChatHub(), redis_client(redis_server.url(8))) for _ in range(2)]
    for relay in relays:
        await relay.start()
    yield relays
    for relay in relays:
        await relay.stop()


async def test_a_push_to_one_instance_reaches_the_page_on_another(two_instances):
    pushed_to, holding_page = two_instances
    page = holding_page.hub.subscribe("web-citizen-1")
    other_page = pushed_to.hub.subscribe("web-citizen-2")
    assert await pushed_to.publish("web-citizen-1", {"text": "【民警】您好，我是值班民警"}) == 2  # both instances heard it
    assert await asyncio.wait_for(page.get(), 5) == {"text": "【民警】您好，我是值班民警"}
    await asyncio.sleep(0.2)
    assert other_page.empty()  # another citizen's page gets nothing


async def test_malformed_relay_messages_are_ignored(two_instances, redis_server):
    _, holding_page = two_instances
    page = holding_page.hub.subscribe("web-citizen-3")
    client = redis_client(redis_server.url(8))
    await client.publish(RedisRelay.CHANNEL, b"not json")
    await client.publish(RedisRelay.CHANNEL, b'{"sender": ["x"], "message": {"text": "x"}}')
    await client.close()
    await holding_page.publish("web-citizen-3", {"text": "下一条"})
    assert await asyncio.wait_for(page.get(), 5) == {"text": "下一条"}  # the relay still listens


async def test_one_instance_without_redis_pushes_to_its_own_pages():
    relay = LocalRelay(ChatHub())
    page = relay.hub.subscribe("web-citizen-4")
    assert await relay.publish("web-citizen-4", {"text": "你好"}) == 1
    assert page.get_nowait() == {"text": "你好"}


async def test_pages_reconnect_and_reload_after_their_instance_was_cut_off_from_redis(tmp_path):
    try:
        server = start_redis(tmp_path)
    except FileNotFoundError:
        pytest.skip("redis-server not found (make test installs Debian's redis-server)")
    relay = RedisRelay(ChatHub(), redis_client(server.url(0)))
    try:
        await relay.start()
        page = relay.hub.subscribe("web-citizen-5")
        server = await asyncio.to_thread(restart_redis, server)  # pushes published meanwhile went nowhere
        assert await asyncio.wait_for(page.get(), 10) is None  # its stream ends: the page reloads the transcript
        reconnected = relay.hub.subscribe("web-citizen-5")
        await asyncio.wait_for(relay.subscribed.wait(), 5)
        assert await relay.publish("web-citizen-5", {"text": "恢复后的消息"}) == 1
        assert await asyncio.wait_for(reconnected.get(), 5) == {"text": "恢复后的消息"}
    finally:
        await relay.stop()
        stop_redis(server)
