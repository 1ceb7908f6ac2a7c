"""Officer messages reach Rasa in order, survive Rasa being down or dropping the action's events, and
carry their delivery id."""
import asyncio

import aiohttp

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.desk.delivery import Deliverer
from bot.handoff import DELIVERED_SLOT, OFFICER_JOINED
from tests.bot.desk.conftest import open_case


class FakeRasa:
    """Rasa's trigger_intent endpoint as the desk uses it; down until told otherwise. When the action
    server call fails Rasa still answers 200, with a tracker the action's events never reached."""

    def __init__(self) -> None:
        self.up = False
        self.actions_fail = False
        self.hang_for = set()  # conversations Rasa does not answer for (busy)
        self.received = []
        app = web.Application()
        app.router.add_post("/conversations/{conversation}/trigger_intent", self.trigger)
        self.server = TestServer(app)

    async def trigger(self, request: web.Request) -> web.Response:
        if not self.up:
            return web.json_response({"message": "down"}, status=503)
        body = await request.json()
        if request.match_info["conversation"] in self.hang_for:
            await asyncio.sleep(3600)
        assert request.query["output_channel"] == "latest" and request.query["token"] == "secret"
        self.received.append((request.match_info["conversation"], body["name"], body["entities"]))
        slots = {DELIVERED_SLOT: None if self.actions_fail else body["entities"]["delivery_id"]}
        return web.json_response({"tracker": {"sender_id": request.match_info["conversation"], "slots": slots},
                                  "messages": []})


@pytest.fixture
async def rasa():
    fake = FakeRasa()
    await fake.server.start_server()
    yield fake
    await fake.server.close()


@pytest.fixture
async def deliverer(store, rasa):
    started = Deliverer(store, str(rasa.server.make_url("")), "secret")
    await started.start()
    yield started
    await started.stop()


def claim_quietly(store, case) -> None:
    """Claims the case as if its "officer joined" notice had already reached Rasa."""
    store.claim(case["id"], "zhang")
    for item in store.due_deliveries():
        if item["kind"] == "joined":
            store.delivered(item["id"])


async def until(condition, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.1)):
        if condition():
            return
        await asyncio.sleep(0.1)


async def test_items_wait_while_rasa_is_down_then_go_in_order(store, clock, rasa, deliverer):
    case = open_case(store, "conv/1")
    store.claim(case["id"], "zhang")
    store.officer_message(case["id"], "zhang", "第一条")
    store.officer_message(case["id"], "zhang", "第二条")
    store.handback(case["id"], "zhang")
    deliverer.wake()
    await asyncio.sleep(0.5)
    assert rasa.received == [] and store.undelivered_count() == 3  # the claim's notice: the officer wrote
    clock.now += 3600  # past any back-off
    rasa.up = True
    deliverer.wake()
    await until(lambda: store.undelivered_count() == 0)
    assert [(c, name, e.get("officer_text")) for c, name, e in rasa.received] == [
        ("conv/1", "officer_message", "第一条"), ("conv/1", "officer_message", "第二条"),
        ("conv/1", "officer_handback", None)]
    assert len({e["delivery_id"] for _, _, e in rasa.received}) == 3


async def test_an_item_whose_action_events_were_lost_is_sent_again(store, clock, rasa, deliverer):
    rasa.up, rasa.actions_fail = True, True
    case = open_case(store, "conv/2")
    claim_quietly(store, case)
    store.officer_message(case["id"], "zhang", "请核对卡号")
    deliverer.wake()
    await until(lambda: rasa.received)
    await asyncio.sleep(0.2)
    assert len(rasa.received) == 1 and store.undelivered_count() == 1
    rasa.actions_fail = False
    clock.now += 3600
    deliverer.wake()
    await until(lambda: store.undelivered_count() == 0)
    assert store.undelivered_count() == 0
    assert [e["officer_text"] for _, _, e in rasa.received] == ["请核对卡号", "请核对卡号"]
    assert rasa.received[0][2]["delivery_id"] == rasa.received[1][2]["delivery_id"]


async def test_a_conversation_rasa_is_slow_to_answer_holds_up_only_itself(store, rasa, deliverer):
    rasa.up, rasa.hang_for = True, {"conv/slow"}
    slow, fine = open_case(store, "conv/slow"), open_case(store, "conv/fine")
    for case in (slow, fine):
        claim_quietly(store, case)
    store.officer_message(slow["id"], "zhang", "第一条")
    store.officer_message(fine["id"], "zhang", "您好")
    store.officer_message(fine["id"], "zhang", "请保留转账凭证")
    deliverer.wake()
    # 15 s: in `make test` the shared system starts in the background meanwhile (Rasa loading its model)
    await until(lambda: store.undelivered_count() == 1, seconds=15)
    assert store.undelivered_count() == 1  # only the slow conversation's message is still on its way
    assert [e["officer_text"] for c, _, e in rasa.received if c == "conv/fine"] == ["您好", "请保留转账凭证"]


@pytest.mark.parametrize("first_task_lost", [False, True])  # the second message's task may run before the first's
async def test_an_officer_message_goes_on_the_citizens_channel_at_once_while_rasa_is_down(store, clock, rasa,
                                                                                         first_task_lost):
    pages = []

    async def to_page(conversation_id, text):
        pages.append((conversation_id, text))
        return True

    deliverer = Deliverer(store, str(rasa.server.make_url("")), "secret", direct={"rest": to_page})
    await deliverer.start()
    try:
        if first_task_lost:
            await asyncio.sleep(0.2)  # the delivery loop has looked at the empty outbox and waits a second
        case = open_case(store, "conv/direct")
        claim_quietly(store, case)
        first = store.officer_message(case["id"], "zhang", "我是民警，请稍等")
        second = store.officer_message(case["id"], "zhang", "请保留转账凭证")
        if not first_task_lost:
            deliverer.send_now(first["delivery_id"])
        deliverer.send_now(second["delivery_id"])
        await until(lambda: len(pages) == 2)
        assert pages == [("conv/direct", "【民警】我是民警，请稍等"), ("conv/direct", "【民警】请保留转账凭证")]
        assert rasa.received == [] and store.undelivered_count() == 2  # Rasa is down: not recorded yet
        clock.now += 3600
        rasa.up = True
        deliverer.wake()
        await until(lambda: store.undelivered_count() == 0)
        assert [e["officer_text"] for _, _, e in rasa.received] == ["我是民警，请稍等", "请保留转账凭证"]
        assert len(pages) == 2  # each sent on the channel once, however often Rasa was tried
        assert all(store.outbox_item(m["delivery_id"])["sent_at"] for m in (first, second))
    finally:
        await deliverer.stop()


@pytest.mark.parametrize("loop_first", [False, True])
async def test_the_claims_notice_and_the_officers_words_reach_the_page_at_once_while_rasa_hangs(store, rasa,
                                                                                             loop_first):
    pages = []

    async def to_page(conversation_id, text):
        pages.append(text)
        return True

    rasa.up, rasa.hang_for = True, {"conv/busy"}  # Rasa takes the notice and never answers
    deliverer = Deliverer(store, str(rasa.server.make_url("")), "secret", direct={"rest": to_page})
    await deliverer.start()
    try:
        case = open_case(store, "conv/busy")
        store.claim(case["id"], "zhang")
        if loop_first:  # the delivery loop leases the notice before the claim's direct send runs
            deliverer.wake()
            await until(lambda: pages)  # it puts the notice on the channel itself, then waits for Rasa
        deliverer.send_case_now(case["id"])
        await until(lambda: pages)
        message = store.officer_message(case["id"], "zhang", "我是民警，请别挂断")
        deliverer.send_now(message["delivery_id"])
        await until(lambda: len(pages) == 2, seconds=2)
        assert pages == [OFFICER_JOINED, "【民警】我是民警，请别挂断"]
        assert store.undelivered_count() == 2  # Rasa records both when it answers
    finally:
        await deliverer.stop()


async def test_a_message_the_channel_refused_is_left_to_rasa(store, rasa):
    async def refused(conversation_id, text):
        raise aiohttp.ClientError("connection refused")

    rasa.up = True
    deliverer = Deliverer(store, str(rasa.server.make_url("")), "secret", direct={"rest": refused})
    await deliverer.start()
    try:
        case = open_case(store, "conv/refused")
        claim_quietly(store, case)
        message = store.officer_message(case["id"], "zhang", "您好")
        deliverer.send_now(message["delivery_id"])
        deliverer.wake()
        await until(lambda: store.undelivered_count() == 0)
        assert [e["officer_text"] for _, _, e in rasa.received] == ["您好"]
        assert store.outbox_item(message["delivery_id"])["sent_at"] is None  # Rasa's channel output sends it
    finally:
        await deliverer.stop()


async def test_stopping_just_as_the_loop_is_woken_still_stops(store, rasa):
    deliverer = Deliverer(store, str(rasa.server.make_url("")), "secret")
    await deliverer.start()
    await asyncio.sleep(0.2)  # the loop is idle, waiting to be woken
    deliverer.wake()          # e.g. a delivery that just finished, in the same moment as the shutdown
    await asyncio.wait_for(deliverer.stop(), 10)
    assert deliverer._task.done()


async def test_an_open_case_reads_what_was_said_since_from_rasas_record(store, clock):
    """A registration's answer with its case number and what the citizen said after a hand-back are in
    Rasa's record only: the desk brings them into the open case when it shows it, once."""
    t = clock.now - 60
    case = store.open_registration(conversation_id="reg 1", channel="webchat", packet={"transfers": []},
                                   scam_type={"name": "investment"}, in_progress=False,
                                   transcript=[{"from": "citizen", "text": "对", "at": t}])
    events = [{"event": "user", "text": "对", "timestamp": t},
              {"event": "bot", "text": f"报案信息已登记，案件编号 {case['id']}。", "timestamp": t + 1},
              {"event": "user", "text": "EXTERNAL: officer_message", "timestamp": t + 2,
               "metadata": {"is_external": True}},
              {"event": "bot", "text": "【民警】您好", "timestamp": t + 3},  # the case has it as the officer's
              {"event": "user", "text": "验证码是482913，钱还能追回吗", "timestamp": t + 5},
              {"event": "action", "name": "action_listen", "timestamp": t + 6}]
    asked = []

    async def tracker(request):
        asked.append((request.match_info["conversation"], dict(request.query)))
        return web.json_response({"sender_id": request.match_info["conversation"], "events": events})

    app = web.Application()
    app.router.add_get("/conversations/{conversation}/tracker", tracker)
    server = TestServer(app)
    await server.start_server()
    deliverer = Deliverer(store, str(server.make_url("")), "secret")
    await deliverer.start()
    try:
        for _ in range(2):  # read twice: nothing doubled
            await deliverer.follow(case["id"])
        assert asked[0] == ("reg 1", {"include_events": "AFTER_RESTART", "token": "secret"})
        assert [(m["from"], m["text"]) for m in store.case(case["id"])["transcript"]] == [
            ("citizen", "对"), ("bot", f"报案信息已登记，案件编号 {case['id']}。"), ("citizen", "验证码是******，钱还能追回吗")]
        store.claim(case["id"], "zhang")
        store.close_case(case["id"], "zhang", "none")
        events.append({"event": "user", "text": "谢谢", "timestamp": t + 30})
        await deliverer.follow(case["id"])  # closed: what is said afterwards is not the case's
        assert len(asked) == 2 and len(store.case(case["id"])["transcript"]) == 3
    finally:
        await deliverer.stop()
        await server.close()
    other = store.open_registration(conversation_id="reg 2", channel="webchat", packet={"transfers": []},
                                    scam_type={"name": "investment"}, in_progress=False, transcript=[])
    unreachable = Deliverer(store, "http://127.0.0.1:9", None)
    await unreachable.start()
    try:
        await unreachable.follow(other["id"])  # Rasa down: the case as stored, no error
    finally:
        await unreachable.stop()
    assert store.case(other["id"])["transcript"] == []


async def test_a_channel_that_fails_gets_each_message_once_not_again_with_every_later_one(store, clock, rasa):
    tried = []

    async def slow_page(conversation_id, text):
        tried.append(text)
        raise asyncio.TimeoutError()   # the channel answered too late: not known to be on the page

    deliverer = Deliverer(store, str(rasa.server.make_url("")), "secret", direct={"rest": slow_page})
    await deliverer.start()
    try:
        await asyncio.sleep(0.2)   # the delivery loop has looked at the empty outbox and waits a second
        case = open_case(store, "conv/failing")
        claim_quietly(store, case)
        for text in ("消息1", "消息2", "消息3"):
            deliverer.send_now(store.officer_message(case["id"], "zhang", text)["delivery_id"])
            await asyncio.sleep(0.05)
        await until(lambda: len(tried) >= 3, seconds=3)
        await asyncio.sleep(0.3)
        assert sorted(tried) == ["【民警】消息1", "【民警】消息2", "【民警】消息3"]
    finally:
        await deliverer.stop()
