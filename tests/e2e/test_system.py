"""The real system over HTTP: Rasa REST channel, the action server, the web chat service."""
import json
import sqlite3
import urllib.error
import urllib.request

import pytest

from bot.desk.crypto import CaseCipher
from tests.conftest import http_json

pytestmark = [pytest.mark.slow, pytest.mark.integration]

BANGXIN = "帮助信息网络犯罪活动罪"


def test_renting_a_bank_card_is_answered_with_the_law(system):
    replies = system.say("t1", "出租银行卡犯法吗")
    assert len(replies) == 1
    assert BANGXIN in replies[0] and "反电信网络诈骗法" in replies[0]


@pytest.mark.parametrize(
    "simplified, traditional",
    [
        ("出租银行卡犯法吗", "出租銀行卡犯法嗎"),
        ("接到96110的电话是真的吗", "接到96110的電話是真的嗎"),
        ("客服说要关闭百万保障", "客服說要關閉百萬保障"),
        ("警察让我把钱转到安全账户", "警察讓我把錢轉到安全賬戶"),
        ("对方让我开屏幕共享", "對方讓我開屏幕共享"),
    ],
)
def test_traditional_and_simplified_get_the_same_answer(system, simplified, traditional):
    assert system.say("trad-s", simplified) == system.say("trad-t", traditional)


def test_fullwidth_input_is_understood(system):
    assert system.say("fw", "ＡＰＰ里的验证码能告诉客服吗？") == system.say("hw", "APP里的验证码能告诉客服吗?")


def test_two_misunderstood_messages_in_a_row_go_to_an_officer(system):
    first = system.say("fallback-1", "asdfgh")
    second = system.say("fallback-1", "阿巴阿巴")
    assert "转人工" in first[0] and "110" in first[0]
    assert "转接值班民警" in second[0] and "110" in second[0]


def test_questions_after_chitchat_and_fallback_still_work(system):
    system.say("mixed", "你好")
    system.say("mixed", "qwerty")
    system.say("mixed", "你是机器人吗")
    assert BANGXIN in system.say("mixed", "出租银行卡犯法吗")[0]


def test_conversation_is_stored_in_the_sqlite_tracker_store(system):
    system.say("persisted-1", "什么是安全账户")
    with sqlite3.connect(system.tracker_db) as db:
        rows = db.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", ("persisted-1",)
        ).fetchall()
    assert "安全账户" not in " ".join(data for _, data in rows)  # encrypted at rest (bot/stores/tracker.py)
    cipher = CaseCipher(system.env["CASE_STORE_KEY"])
    events = [(kind, json.loads(cipher.decrypt(data))) for kind, data in rows]
    assert [e["text"] for kind, e in events if kind == "user"] == ["什么是安全账户"]
    assert any(kind == "bot" and "安全账户" in e["text"] for kind, e in events)


def test_rasa_api_requires_the_token(system):
    with pytest.raises(urllib.error.HTTPError) as error:
        http_json("POST", f"{system.rasa_url}/model/parse", {"text": "你好"})
    assert error.value.code == 401
    assert system.parse("你好")["intent"]["name"] == "greet"


def test_web_chat_proxies_to_rasa_and_restores_history(system):
    citizen = system.web_chat()
    assert BANGXIN in citizen.send("帮信罪判几年")[0]
    history = citizen.history()
    assert [m["from"] for m in history["messages"]] == ["user", "bot"]
    assert history["messages"][0]["text"] == "帮信罪判几年"
    assert system.web_chat().history()["messages"] == []  # another browser sees none of it


@pytest.mark.parametrize(
    "body, message_part",
    [
        ({"message": "   "}, "请输入"),
        ({"message": "长" * 1001}, "消息太长"),
        ({"message": {"text": "你好"}}, "请输入"),
        (["not", "an", "object"], "请求格式不正确"),
    ],
)
def test_web_chat_rejects_bad_input_with_a_chinese_message(system, body, message_part):
    status, answer = system.web_chat().call("POST", "/api/chat", body)
    assert status == 400
    assert message_part in answer["message"]


def test_web_chat_rejects_malformed_json(system):
    request = urllib.request.Request(f"{system.web_url}/api/chat", data=b"{not json",
                                     method="POST", headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=10)
    assert error.value.code == 400
    # One bad request harms nothing: the next one is answered.
    assert system.web_chat().send("你好")


def test_page_is_served_without_external_resources(system):
    with urllib.request.urlopen(f"{system.web_url}/", timeout=10) as response:
        html = response.read().decode("utf-8")
    assert "96110 反诈咨询" in html
    assert "http://" not in html and "https://" not in html


def test_parse_result_carries_normalised_account_details(system):
    parse = system.parse("我刚被骗了，转了五万到他卡上，卡号六二二二零二一二三四五六七八九零一二八，工行的")
    found = {e["entity"]: e for e in parse["entities"]}
    assert found["amount"]["value"] == 50000
    assert found["bank_card"]["value"] == "6222021234567890128"
    assert found["bank_card"]["luhn_valid"] is True and found["bank_card"]["bank"] == "工商银行"
    assert found["bank_name"]["value"] == "工商银行"
    assert found["transfer_time"]["value"].endswith("+08:00")
    traditional = system.parse("我剛被騙了，轉了五萬到他卡上，卡號六二二二零二一二三四五六七八九零一二八，工行的")

    def same(entities):  # "刚" is the moment of parsing: the two parses may fall in different minutes
        return [(e["entity"], e["value"] if e["entity"] != "transfer_time" else None) for e in entities]
    assert same(traditional["entities"]) == same(parse["entities"])


def test_parse_result_carries_the_scam_type(system):
    from bot.scam.types import SCAM_TYPES

    parse = system.parse("有人打电话说他是公安局的，说我涉嫌洗钱，让我把钱转到安全账户")
    assert parse["scam_type"]["name"] == "impersonate_police"
    ranking = parse["scam_type_ranking"]
    assert ranking[0] == parse["scam_type"]
    assert {r["name"] for r in ranking} == set(SCAM_TYPES)
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)


def test_a_scam_in_progress_is_warned_at_once(system):
    reply, = system.say("in-progress-1", "他现在让我把钱转到安全账户，还说不要告诉家人")
    assert reply.startswith("⚠️ 请立即停止")
    assert "冒充公检法" in reply and "挂断" in reply
    assert system.say("in-progress-2", "他現在讓我把錢轉到安全賬戶，還說不要告訴家人") == [reply]


def test_the_web_chat_never_stores_a_volunteered_code(system):
    citizen = system.web_chat()
    replies = citizen.send("我被骗了，转了五千，验证码是483920也告诉他了")
    assert any("验证码和密码不要告诉任何人" in r for r in replies)
    said = " ".join(m["text"] for m in system.transcript(citizen.conversation_id))
    assert "483920" not in said and "******" in said
    assert b"483920" not in system.tracker_db.read_bytes()
