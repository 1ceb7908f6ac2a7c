"""The WeChat channel's parts that need no running Rasa: modes, parsing, splitting, the API client."""
import asyncio
import time
from types import SimpleNamespace

import pytest
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from bot.channels.wechat import (
    MAX_TEXT_CHARS, CustomerService, WeChatConfig, WeChatError, WeChatInput, parse_xml, reply_xml, split_text,
)
from bot.channels.wechat_state import LocalState
from tests.conftest import WECHAT
from tests.wechat_api import FakeWeChatApi

KEY = WECHAT["WECHAT_ENCODING_AES_KEY"]


def channel(mode: str, api_base: str = "http://127.0.0.1:9") -> WeChatInput:
    return WeChatInput(WeChatConfig("tok", "wxapp", "secret", KEY, mode, api_base))


def request(**args):
    timestamp = args.pop("timestamp", str(int(time.time())))
    signer = WeChatSigner()
    signer.add_data("tok", timestamp, "nonce")
    return SimpleNamespace(args={"signature": signer.signature, "timestamp": timestamp, "nonce": "nonce", **args})


INNER = "<xml><FromUserName><![CDATA[o1]]></FromUserName><MsgType><![CDATA[text]]></MsgType>" \
        "<Content><![CDATA[你好]]></Content><MsgId>1</MsgId></xml>"


def test_plain_mode_takes_plain_messages():
    plain = channel("plain")
    req = request()
    plain._check(req)
    assert plain._decrypt(req, parse_xml(INNER.encode()))["Content"] == "你好"


def test_compatible_mode_takes_both_and_safe_mode_only_encrypted():
    envelope = WeChatCrypto("tok", KEY, "wxapp").encrypt_message(INNER, "nonce", str(int(time.time())))
    fields = parse_xml(envelope.encode())
    for mode in ("compatible", "safe"):
        encrypted_request = request(encrypt_type="aes", msg_signature=fields["MsgSignature"],
                                    timestamp=fields["TimeStamp"])
        assert channel(mode)._decrypt(encrypted_request, {"Encrypt": fields["Encrypt"]})["Content"] == "你好"
    assert channel("compatible")._decrypt(request(), parse_xml(INNER.encode()))["Content"] == "你好"
    with pytest.raises(WeChatError) as refused:
        channel("safe")._decrypt(request(), parse_xml(INNER.encode()))
    assert refused.value.status == 403


def test_a_message_for_another_app_id_is_refused():
    envelope = WeChatCrypto("tok", KEY, "wx-other-app").encrypt_message(INNER, "nonce", str(int(time.time())))
    fields = parse_xml(envelope.encode())
    req = request(encrypt_type="aes", msg_signature=fields["MsgSignature"], timestamp=fields["TimeStamp"])
    with pytest.raises(WeChatError) as refused:
        channel("safe")._decrypt(req, {"Encrypt": fields["Encrypt"]})
    assert refused.value.status == 403


def test_unconfigured_channel_answers_503():
    with pytest.raises(WeChatError) as refused:
        WeChatInput(WeChatConfig("", "", "", "", "safe"))._check(request())
    assert refused.value.status == 503


def test_long_answers_are_split_at_sentences_within_the_limit():
    text = "。".join(["请立即停止转账并拨打110报警"] * 80) + "。"
    pieces = split_text(text)
    assert len(pieces) > 1 and all(len(p) <= MAX_TEXT_CHARS for p in pieces)
    assert all(p.endswith("。") for p in pieces) and "".join(pieces) == text


def test_replies_escape_cdata_and_menu_and_voice_messages_map_to_text():
    assert "]]]]><![CDATA[>" in reply_xml("o", "gh", "a]]>b")
    wechat = channel("safe")
    assert wechat._text_of({"MsgType": "event", "Event": "CLICK", "EventKey": "OFFICER"}) == ("转人工", None)
    assert wechat._text_of({"MsgType": "voice", "Recognition": "我被骗了"}) == ("我被骗了", None)
    text, fixed = wechat._text_of({"MsgType": "voice", "Recognition": ""})
    assert text is None and "文字" in fixed
    assert wechat._text_of({"MsgType": "event", "Event": "unsubscribe"}) == (None, "")


async def test_the_api_client_refreshes_tokens_retries_and_respects_the_48_hour_window():
    api = FakeWeChatApi("wxapp", "secret").start()
    service = CustomerService(WeChatConfig("tok", "wxapp", "secret", KEY, "safe", api.url), LocalState())
    api.fail_next_sends = 1
    assert await service.send_text("o1", "第一条")                      # retried after a failure
    api.tokens_issued += 1                                             # the token expired early
    assert await service.send_text("o1", "第二条")                      # refreshed, sent
    assert api.texts_to("o1") == ["第一条", "第二条"]
    await service.heard_from("o2", at=time.time() - 49 * 3600)
    assert not await service.send_text("o2", "太晚了") and api.texts_to("o2") == []
    await asyncio.sleep(0)
