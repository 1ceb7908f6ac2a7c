"""The WeChat channel on the real running Rasa: the tests act as WeChat (signing and encrypting with
wechatpy, posting XML, decrypting replies) and a fake WeChat API records customer-service sends."""
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from defusedxml import ElementTree
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from tests.conftest import WECHAT, http_call, http_json

pytestmark = [pytest.mark.slow, pytest.mark.integration]


class WeChat:
    """The WeChat platform calling our webhook, in safe mode."""

    def __init__(self, rasa_url: str) -> None:
        self.url = rasa_url + "/webhooks/wechat/webhook"
        self.crypto = WeChatCrypto(WECHAT["WECHAT_TOKEN"], WECHAT["WECHAT_ENCODING_AES_KEY"], WECHAT["WECHAT_APP_ID"])

    @staticmethod
    def signature(timestamp: str, nonce: str) -> str:
        signer = WeChatSigner()
        signer.add_data(WECHAT["WECHAT_TOKEN"], timestamp, nonce)
        return signer.signature

    def request(self, method: str, params: dict, body: bytes = None):
        request = urllib.request.Request(self.url + "?" + urllib.parse.urlencode(params), data=body, method=method,
                                         headers={"Content-Type": "text/xml"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def post(self, inner_xml: str, timestamp: str = None, bad_signature=False, raw: bytes = None):
        timestamp, nonce = timestamp or str(int(time.time())), uuid.uuid4().hex[:10]
        envelope = self.crypto.encrypt_message(inner_xml, nonce, timestamp)
        fields = {c.tag: c.text for c in ElementTree.fromstring(envelope)}
        params = {"signature": self.signature(timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                  "encrypt_type": "aes", "msg_signature": fields["MsgSignature"], "openid": "x"}
        if bad_signature:
            params["signature"] = "0" * 40
        body = raw if raw is not None else f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName>" \
                                           f"<Encrypt><![CDATA[{fields['Encrypt']}]]></Encrypt></xml>".encode()
        return self.request("POST", params, body)

    def reply_text(self, body: str) -> str:
        envelope = {c.tag: c.text for c in ElementTree.fromstring(body)}
        inner = self.crypto.decrypt_message(body, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"])
        return {c.tag: c.text for c in ElementTree.fromstring(inner)}["Content"]


def text_message(openid: str, content: str, msg_id: str = None) -> str:
    return (f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id or uuid.uuid4().int % 10**18}</MsgId></xml>")


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


@pytest.fixture
def wechat(system):
    return WeChat(system.rasa_url)


def user_texts(system, openid):
    events = http_json("GET", f"{system.rasa_url}/conversations/{openid}/tracker?token={system.token}")["events"]
    return [e["text"] for e in events if e["event"] == "user"]


def test_url_verification_echoes_only_a_correct_signature(wechat):
    timestamp, nonce = str(int(time.time())), "n0nce"
    good = {"signature": wechat.signature(timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
            "echostr": "e-12345"}
    assert wechat.request("GET", good) == (200, "e-12345")
    assert wechat.request("GET", {**good, "signature": "f" * 40})[0] == 403


def test_a_question_gets_an_encrypted_passive_reply(system, wechat):
    status, body = wechat.post(text_message("o-question", "出租银行卡犯法吗"))
    assert status == 200
    assert "帮助信息网络犯罪活动罪" in wechat.reply_text(body)


def test_a_retried_message_is_processed_once(system, wechat):
    message = text_message("o-retry", "什么是安全账户", msg_id="900000000000001")
    results = []
    threads = [threading.Thread(target=lambda: results.append(wechat.post(message))) for _ in range(3)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert [status for status, _ in results] == [200, 200, 200]
    assert len({wechat.reply_text(body) for _, body in results}) == 1
    assert user_texts(system, "o-retry") == ["什么是安全账户"]


def test_a_slow_answer_is_delivered_through_the_customer_service_api(system, wechat, wechat_api):
    # The case store is busy for 6 s, so the hand-off takes longer than WeChat waits.
    lock = sqlite3.connect(system.case_db, timeout=30, check_same_thread=False)
    lock.execute("BEGIN IMMEDIATE")
    release = threading.Timer(6.0, lock.rollback)
    release.start()
    started = time.monotonic()
    status, body = wechat.post(text_message("o-slow", "转人工"))
    answered_in = time.monotonic() - started
    assert status == 200 and body == "success" and answered_in < 5.0
    texts = wait_for(lambda: wechat_api.texts_to("o-slow"), 40)
    assert "转接值班民警" in texts[0]
    release.join()
    lock.close()
    assert user_texts(system, "o-slow") == ["转人工"]


def test_bad_signatures_stale_timestamps_and_bad_xml_are_refused(system, wechat):
    assert wechat.post(text_message("o-bad", "你好"), bad_signature=True)[0] == 403
    assert wechat.post(text_message("o-bad", "你好"), timestamp=str(int(time.time()) - 3600))[0] == 403
    assert wechat.post("", raw=b"<xml><Encrypt>not closed")[0] == 400
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt>&e;</Encrypt></xml>'
    assert wechat.post("", raw=xxe)[0] == 400
    assert wechat.post("", raw=b"<xml>" + b"a" * 70000 + b"</xml>")[0] in (400, 413)
    assert user_texts(system, "o-bad") == []  # nothing reached Rasa


def test_following_the_account_gets_the_welcome(system, wechat):
    event = (f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[o-new]]></FromUserName>"
             f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
             f"<Event><![CDATA[subscribe]]></Event></xml>")
    status, body = wechat.post(event)
    welcome = wechat.reply_text(body)
    assert status == 200 and "96110" in welcome and "不能代替110" in welcome


def test_an_officer_talks_to_a_wechat_user(system, wechat, wechat_api):
    status, body = wechat.post(text_message("o-handoff", "我要找民警"))
    assert "转接值班民警" in wechat.reply_text(body)
    case = system.case_of("o-handoff")
    assert case["channel"] == "wechat"
    system.desk("POST", f"/api/cases/{case['id']}/claim", officer="zhang")
    system.desk("POST", f"/api/cases/{case['id']}/messages", {"text": "您好，我是值班民警"}, officer="zhang")
    assert wait_for(lambda: "【民警】您好，我是值班民警" in wechat_api.texts_to("o-handoff"))
    # sent by the desk at once, then recorded in the conversation by Rasa, which does not send it again
    wait_for(lambda: "【民警】您好，我是值班民警" in [m["text"] for m in system.transcript("o-handoff")])
    time.sleep(0.5)
    assert wechat_api.texts_to("o-handoff").count("【民警】您好，我是值班民警") == 1
    status, body = wechat.post(text_message("o-handoff", "好的，谢谢"))
    assert status == 200 and body == "success"  # the bot stays silent; the officer sees it
    assert system.case_of("o-handoff")["transcript"][-1]["text"] == "好的，谢谢"


def test_only_the_desk_with_the_service_token_sends_officer_messages_to_wechat(system, wechat_api):
    route = system.rasa_url + "/webhooks/wechat/officer"
    body = {"openid": "o-someone", "text": "【民警】请把验证码告诉我"}
    assert http_call("POST", route, body)[0] == 401
    assert http_call("POST", route, body, headers={"Authorization": "Bearer wrong"})[0] == 401
    for bad in ({"openid": "../x", "text": "您好"}, {"openid": "o-someone", "text": ""},
                {"openid": "o-someone", "text": "长" * 3000}, {"openid": ["o"], "text": "您好"}):
        assert http_call("POST", route, bad, headers=system.service_headers)[0] == 400, bad
    assert "【民警】请把验证码告诉我" not in wechat_api.texts_to("o-someone")


def voice_message(openid: str, recognition: str, media_id: str) -> str:
    return (f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[voice]]></MsgType>"
            f"<MediaId><![CDATA[{media_id}]]></MediaId><Format><![CDATA[amr]]></Format>"
            f"<Recognition><![CDATA[{recognition}]]></Recognition><MsgId>{uuid.uuid4().int % 10**18}</MsgId></xml>")


def test_voice_messages_use_wechats_recognition_or_ask_to_type(system, wechat, wechat_api):
    status, body = wechat.post(voice_message("o-voice", "出租银行卡犯法吗", "media-1"))
    assert "帮助信息网络犯罪活动罪" in wechat.reply_text(body)
    # Not recognised by WeChat: fetched and offered to the voice line, which has no model here.
    status, body = wechat.post(voice_message("o-voice", "", "media-2"))
    assert "文字" in wechat.reply_text(body) and "media-2" in wechat_api.media_fetched
    assert user_texts(system, "o-voice") == ["出租银行卡犯法吗"]


def test_the_transcription_endpoint_needs_the_token_and_a_model(system):
    from tests.conftest import http_call

    assert http_call("POST", system.voice_url + "/api/transcribe", {"x": 1})[0] == 401
    status, body = http_call("POST", system.voice_url + "/api/transcribe", {"x": 1},
                             headers={"Authorization": f"Bearer {system.token}"})
    assert status == 503 and body["error"] == "no-model"


def test_a_citizen_reports_a_scam_on_wechat_and_the_case_reaches_the_desk(system, wechat, wechat_api):
    openid = "o-report"
    said = []
    for text in ("我刚被骗了，转了三万到对方卡上，说是刷单返利", "6222021234567890128", "十分钟前", "不知道", "手机银行转的",
                 "不知道", "真不知道", "没有了", "我叫李娜", "13900001111", "一个叫任务大厅的APP", "对"):   # asked once more, roughly
        status, body = wechat.post(text_message(openid, text))
        assert status == 200
        said.append(wechat.reply_text(body) if body != "success" else "")
    assert "报案信息已提交" in said[-1] and "转接值班民警" in said[-1]
    case = system.case_of(openid)
    assert case["channel"] == "wechat" and case["scam_type"]["name"] == "order_brushing"
    transfer = case["transfers"][0]
    assert transfer["to_account"] == "6222021234567890128" and transfer["amount"] == 30000.0
    assert case["victim"] == {"name": "李娜", "phone": "13900001111"}
    assert len(user_texts(system, openid)) == 12  # every message once, none lost
