"""WeChat Official Account (微信公众号) channel: signatures, safe-mode crypto, the 5-second rule.

WeChat waits about 5 s for the reply to a message and retries the same message up to three times.
The channel answers inside 4.5 s when Rasa is quick enough (a passive reply, encrypted in safe
mode); otherwise it answers `success` and sends the reply later through the customer-service API.
A retried message is processed once (by MsgId; events by sender and time) and gets the same reply,
also when the balancer sends the retry to another Rasa server (bot/channels/wechat_state.py).
"""
from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text
from xml.etree.ElementTree import Element

import aiohttp
from defusedxml import ElementTree as SafeXml
from defusedxml.common import DefusedXmlException
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import check_signature

from bot.channels.guard import bearer_matches, citizen_text
from bot.channels.rest import json_body
from bot.channels.wechat_state import LocalState, RedisState, WeChatState
from bot.privacy import install_log_masking
from bot.settings import Settings
from bot.handoff import SENT_DIRECTLY
from bot.shared import RedisError, redis_client

logger = logging.getLogger(__name__)

MODES = ("plain", "compatible", "safe")
DEFAULT_API_BASE = "https://api.weixin.qq.com"
PASSIVE_DEADLINE_S = 4.5
MAX_BODY_BYTES = 64 * 1024
MAX_CLOCK_SKEW_S = 300
MAX_TEXT_CHARS = 600  # 2048 bytes of UTF-8 per customer-service text, with room to spare
SERVICE_WINDOW_S = 48 * 3600
OPENID = re.compile(r"^[A-Za-z0-9_\-]{1,128}$")
MAX_OFFICER_CHARS = 2100  # the desk's 2,000 characters and the officer prefix
WELCOME = ("您好，这里是96110反诈中心。我可以：①解答防骗问题；②帮您判断是不是骗局；③被骗后帮您登记转账信息并转接民警紧急止付。"
           "直接发文字或语音即可，回复“转人工”联系民警。注意：我不能代替110，正在被骗或刚刚转账请立即拨打110。")
MENU_TEXT = {"REPORT": "我要报案", "CONSULT": "你能做什么", "OFFICER": "转人工"}
UNSUPPORTED = "暂时只能处理文字和语音消息，请用文字描述您的情况。紧急情况请拨打110。"
TYPE_PLEASE = "抱歉，没能听清这段语音，请用文字再发一次。紧急情况请拨打110。"


class WeChatError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class WeChatConfig:
    token: str
    app_id: str
    app_secret: str
    encoding_aes_key: str
    mode: str = "safe"
    api_base: str = DEFAULT_API_BASE
    transcribe_url: str = ""   # the voice line's /api/transcribe (speech/server.py)
    service_token: str = ""    # the Rasa token, which the voice line also accepts

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any]) -> "WeChatConfig":
        config = cls(**{key: str(credentials.get(key) or default) for key, default in (
            ("token", ""), ("app_id", ""), ("app_secret", ""), ("encoding_aes_key", ""), ("mode", "safe"),
            ("api_base", DEFAULT_API_BASE), ("transcribe_url", ""), ("service_token", ""))})
        if config.mode not in MODES:
            raise ValueError(f"wechat mode must be one of {MODES}, got {config.mode!r}")
        return config

    @property
    def enabled(self) -> bool:
        return bool(self.token and self.app_id)


def split_text(text: str, limit: int = MAX_TEXT_CHARS) -> List[str]:
    """Pieces within WeChat's limit, cut after a sentence or line where possible."""
    pieces: List[str] = []
    while len(text) > limit:
        cut = max(text.rfind(mark, 0, limit) for mark in "\n。！？；")
        cut = cut + 1 if cut > limit // 3 else limit
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    return pieces + ([text] if text else [])


def parse_xml(body: bytes) -> Dict[str, str]:
    """The <xml> fields of a WeChat message, parsed without entities or DTDs."""
    if len(body) > MAX_BODY_BYTES:
        raise WeChatError(400, "message too large")
    try:
        root: Element = SafeXml.fromstring(body, forbid_dtd=True)
    except (SafeXml.ParseError, DefusedXmlException, ValueError) as error:
        raise WeChatError(400, f"malformed XML: {error}") from None
    if root.tag != "xml":
        raise WeChatError(400, "not a WeChat message")
    return {child.tag: (child.text or "") for child in root}


def reply_xml(to_user: str, from_user: str, text: str, now: Optional[int] = None) -> str:
    def cdata(value: str) -> str:
        return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"

    return (f"<xml><ToUserName>{cdata(to_user)}</ToUserName><FromUserName>{cdata(from_user)}</FromUserName>"
            f"<CreateTime>{now or int(time.time())}</CreateTime><MsgType>{cdata('text')}</MsgType>"
            f"<Content>{cdata(text)}</Content></xml>")


class AccessToken:
    """The API access token, shared by every server (bot.channels.wechat_state) and refreshed before it
    expires, or when WeChat rejected it; one refresh at a time."""

    def __init__(self, config: WeChatConfig, state: WeChatState) -> None:
        self.config = config
        self.state = state

    async def get(self, session: aiohttp.ClientSession, rejected: Optional[str] = None) -> str:
        token = await self.state.token()
        if token and token != rejected:
            return token
        async with self.state.refreshing_token():
            token = await self.state.token()  # another request or server may have refreshed it meanwhile
            if token and token != rejected:
                return token
            async with session.get(f"{self.config.api_base}/cgi-bin/token", params={
                    "grant_type": "client_credential", "appid": self.config.app_id,
                    "secret": self.config.app_secret}) as answer:
                body = await answer.json(content_type=None)
            if "access_token" not in body:
                raise WeChatError(502, f"access token refused: {body.get('errcode')} {body.get('errmsg')}")
            await self.state.store_token(body["access_token"], max(60, int(body.get("expires_in", 7200)) - 300))
            return body["access_token"]


class CustomerService:
    """Messages outside the passive reply: slow answers and officers' messages (48-hour window)."""

    RETRIES = 3
    TOKEN_ERRORS = {40001, 40014, 42001}
    OUT_OF_WINDOW = 45015

    def __init__(self, config: WeChatConfig, state: WeChatState) -> None:
        self.config = config
        self.state = state
        self.token = AccessToken(config, state)

    async def heard_from(self, openid: str, at: Optional[float] = None) -> None:
        await self.state.heard_from(openid, time.time() if at is None else at)

    async def send_text(self, openid: str, text: str) -> bool:
        heard = await self.state.last_heard(openid)
        if heard is not None and time.time() - heard > SERVICE_WINDOW_S:
            logger.warning("not sending to %s: outside WeChat's 48-hour window", openid)
            return False
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            for piece in split_text(text):
                if not await self._send_one(session, openid, piece):
                    return False
        return True

    async def _send_one(self, session: aiohttp.ClientSession, openid: str, text: str) -> bool:
        body = {"touser": openid, "msgtype": "text", "text": {"content": text}}
        rejected: Optional[str] = None
        for attempt in range(self.RETRIES):
            try:
                token = await self.token.get(session, rejected=rejected)
                async with session.post(f"{self.config.api_base}/cgi-bin/message/custom/send",
                                        params={"access_token": token}, json=body) as answer:
                    result = await answer.json(content_type=None)
                code = int(result.get("errcode", 0))
                if code == 0:
                    return True
                if code == self.OUT_OF_WINDOW:
                    logger.warning("WeChat refused a message to %s: outside the 48-hour window", openid)
                    return False
                rejected = token if code in self.TOKEN_ERRORS else None
                logger.warning("customer-service send failed (%s %s), attempt %d", code, result.get("errmsg"),
                               attempt + 1)
            except (aiohttp.ClientError, asyncio.TimeoutError, WeChatError, ValueError, RedisError) as error:
                logger.warning("customer-service send failed (%s), attempt %d", error, attempt + 1)
            await asyncio.sleep(0.5 * 2 ** attempt)
        logger.error("gave up sending a message to %s after %d attempts", openid, self.RETRIES)
        return False


class WeChatOutput(OutputChannel):
    def __init__(self, service: CustomerService) -> None:
        self.service = service

    @classmethod
    def name(cls) -> Text:
        return WeChatInput.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        if (message.get("custom") or {}).get(SENT_DIRECTLY):
            return  # an officer's message the desk sent already (through officer_route): recorded, not resent
        await super().send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.service.send_text(recipient_id, text)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        pass  # nothing of ours sends custom payloads to WeChat


class WeChatInput(InputChannel):
    def __init__(self, config: WeChatConfig, state: Optional[WeChatState] = None) -> None:
        self.config = config
        self.state = state or LocalState()
        self.service = CustomerService(config, self.state)
        self.crypto = (WeChatCrypto(config.token, config.encoding_aes_key, config.app_id)
                       if config.enabled and config.mode != "plain" else None)
        self._background: set = set()

    @classmethod
    def name(cls) -> Text:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        install_log_masking()
        config = WeChatConfig.from_credentials(credentials or {})
        redis_url = Settings.from_env().redis_url  # several Rasa servers share retries and the token there
        return cls(config, RedisState(redis_client(redis_url), config.app_id) if redis_url else None)

    def get_output_channel(self) -> Optional[OutputChannel]:
        return WeChatOutput(self.service)

    # --- checks ------------------------------------------------------------------------------
    def _check(self, request: Request) -> None:
        if not self.config.enabled:
            raise WeChatError(503, "wechat channel not configured")
        args = request.args
        timestamp, nonce, signature = args.get("timestamp", ""), args.get("nonce", ""), args.get("signature", "")
        try:
            check_signature(self.config.token, signature, timestamp, nonce)
        except InvalidSignatureException:
            raise WeChatError(403, "bad signature") from None
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW_S:
            raise WeChatError(403, "stale timestamp")

    def _decrypt(self, request: Request, envelope: Dict[str, str]) -> Dict[str, str]:
        encrypted = request.args.get("encrypt_type") == "aes" or "Encrypt" in envelope
        if self.config.mode == "safe" and not encrypted:
            raise WeChatError(403, "safe mode requires encrypted messages")
        if not encrypted or self.config.mode == "plain":
            return envelope
        try:
            plain = self.crypto.decrypt_message({"Encrypt": envelope.get("Encrypt", "")},
                                                request.args.get("msg_signature", ""),
                                                request.args.get("timestamp", ""), request.args.get("nonce", ""))
        except (InvalidSignatureException, InvalidAppIdException):
            raise WeChatError(403, "bad message signature or app id") from None
        except Exception:
            raise WeChatError(400, "cannot decrypt") from None
        return parse_xml(plain.encode("utf-8") if isinstance(plain, str) else plain)

    # --- turning a WeChat message into a Rasa message ----------------------------------------
    def _text_of(self, message: Dict[str, str]) -> tuple:
        """(text for Rasa or None, a fixed reply or None)."""
        kind = message.get("MsgType")
        if kind == "text":
            return message.get("Content", "").strip() or None, None
        if kind == "voice":
            recognised = message.get("Recognition", "").strip()
            return (recognised, None) if recognised else (None, TYPE_PLEASE)  # see _transcribe
        if kind == "event":
            event = message.get("Event", "").lower()
            if event == "subscribe":
                return None, WELCOME
            if event == "click" and message.get("EventKey") in MENU_TEXT:
                return MENU_TEXT[message["EventKey"]], None
            return None, ""
        return None, UNSUPPORTED

    async def _transcribe(self, media_id: str) -> Optional[str]:
        """A voice message WeChat did not recognise: fetched and transcribed by the voice line (when it
        has a speech model); None when that cannot be done, so the citizen is asked to type."""
        if not (self.config.transcribe_url and media_id):
            return None
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=4)) as session:
                token = await self.service.token.get(session)
                async with session.get(f"{self.config.api_base}/cgi-bin/media/get",
                                       params={"access_token": token, "media_id": media_id}) as media:
                    if media.status != 200 or media.content_type in ("application/json", "text/plain"):
                        logger.warning("voice message %s could not be fetched", media_id)
                        return None
                    clip = await media.read()
                async with session.post(self.config.transcribe_url, data=clip, headers={
                        "Authorization": f"Bearer {self.config.service_token}"}) as answer:
                    if answer.status != 200:
                        logger.info("voice message %s not transcribed (HTTP %s)", media_id, answer.status)
                        return None
                    return ((await answer.json()).get("text") or "").strip() or None
        except (aiohttp.ClientError, asyncio.TimeoutError, WeChatError, ValueError) as error:
            logger.warning("voice message %s not transcribed: %s", media_id, error)
            return None

    async def _ask_rasa(self, on_new_message, sender: str, text: str) -> List[str]:
        checked = citizen_text(text)
        if checked.refusal:
            return [checked.refusal]
        collector = CollectingOutputChannel()
        await on_new_message(UserMessage(checked.text, collector, sender, input_channel=self.name()))
        return [m["text"] for m in collector.messages if m.get("text")]

    def _dedup_key(self, message: Dict[str, str]) -> str:
        if message.get("MsgId"):
            return "msg:" + message["MsgId"]
        return f"event:{message.get('FromUserName')}:{message.get('CreateTime')}:{message.get('Event')}"

    def _answer(self, key: str, ask: Callable[[], Awaitable[List[str]]]) -> asyncio.Task:
        """The first arrival's answer, recorded for retries (on this server or another) when ready."""
        async def answer() -> List[str]:
            texts = await ask()
            await self.state.answered(key, texts)
            return texts
        task = asyncio.ensure_future(answer())
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    def _reply(self, request: Request, message: Dict[str, str], text: str, encrypted: bool) -> HTTPResponse:
        xml = reply_xml(message.get("FromUserName", ""), message.get("ToUserName", ""), text)
        if encrypted:
            xml = self.crypto.encrypt_message(xml, request.args.get("nonce", ""), request.args.get("timestamp"))
        return response.text(xml, content_type="application/xml")

    def _later(self, openid: str, task: asyncio.Task) -> None:
        async def deliver() -> None:
            texts = await task
            if texts:
                await self.service.send_text(openid, "\n".join(texts))
        background = asyncio.ensure_future(deliver())
        self._background.add(background)
        background.add_done_callback(self._background.discard)

    async def _handle(self, request: Request, envelope: Dict[str, str], message: Dict[str, str],
                      on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        encrypted = self.crypto is not None and (
            request.args.get("encrypt_type") == "aes" or "Encrypt" in envelope)
        openid = message.get("FromUserName", "")
        if not openid:
            return response.text("no sender", status=400)
        await self.service.heard_from(openid)
        text, fixed = self._text_of(message)
        if fixed == TYPE_PLEASE:
            text = await self._transcribe(message.get("MediaId", ""))
            fixed = None if text else fixed
        if text is None:
            return self._reply(request, message, fixed, encrypted) if fixed else response.text("success")
        key = self._dedup_key(message)
        if not await self.state.first_arrival(key):
            logger.info("WeChat retried %s: not processed again", key)
            outcome = await self.state.outcome(key, PASSIVE_DEADLINE_S)
            if outcome is None or outcome.later or not outcome.texts:
                return response.text("success")  # the first arrival's server delivers it (or nothing to say)
            return self._reply(request, message, split_text("\n".join(outcome.texts))[0], encrypted)
        task = self._answer(key, lambda: self._ask_rasa(on_new_message, openid, text))
        try:
            texts = await asyncio.wait_for(asyncio.shield(task), PASSIVE_DEADLINE_S)
        except asyncio.TimeoutError:
            if await self.state.send_later(key):
                self._later(openid, task)
            return response.text("success")
        if not texts:
            return response.text("success")  # an officer has the conversation: nothing to say
        pieces = split_text("\n".join(texts))
        if len(pieces) > 1:
            rest = asyncio.ensure_future(asyncio.sleep(0, result=["\n".join(pieces[1:])]))
            self._later(openid, rest)
        return self._reply(request, message, pieces[0], encrypted)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        wechat = Blueprint("wechat_webhook", __name__)

        @wechat.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            try:
                self._check(request)
            except WeChatError as error:
                return response.text(str(error), status=error.status)
            return response.text(request.args.get("echostr", ""))

        @wechat.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                self._check(request)
                envelope = parse_xml(request.body or b"")
                message = self._decrypt(request, envelope)
            except WeChatError as error:
                logger.warning("WeChat request refused: %s", error)
                return response.text(str(error), status=error.status)
            try:
                return await self._handle(request, envelope, message, on_new_message)
            except RedisError as error:  # shared with the other servers: without it a retry could be answered twice
                logger.error("WeChat message not processed, Redis unavailable: %s", error)
                return response.text("temporarily unavailable", status=503)  # WeChat retries

        @wechat.route("/officer", methods=["POST"])
        async def officer_message(request: Request) -> HTTPResponse:
            """The desk sends an officer's message here (WECHAT_OFFICER_ROUTE): out at once, not queued behind
            the conversation's lock; Rasa records it afterwards."""
            if not self.config.service_token or not bearer_matches(request.headers.get("Authorization"),
                                                                   self.config.service_token):
                return response.json({"error": "unauthorized"}, status=401)
            body = json_body(request)
            openid, text = (body or {}).get("openid"), (body or {}).get("text")
            if not isinstance(openid, str) or not OPENID.match(openid) or not isinstance(text, str) \
                    or not 0 < len(text) <= MAX_OFFICER_CHARS:
                return response.json({"error": "invalid"}, status=400)
            if not self.config.enabled:
                return response.json({"sent": False, "reason": "wechat channel not configured"})
            return response.json({"sent": await self.service.send_text(openid, text)})

        return wechat
