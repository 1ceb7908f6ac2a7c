"""The fraudster's contacts: QQ numbers, WeChat IDs, URLs, app names."""
from __future__ import annotations

import re
from typing import List, Tuple

_QQ = re.compile(r"(?:QQ|qq|扣扣)\s*(?:号码|号)?\s*(?:是|为|:|：)?\s*(?P<id>[1-9]\d{4,10})(?!\d)")
_WECHAT = re.compile(r"(?:微信|VX|vx|WX|wx|威信)\s*(?:号码|号|ID|id)?\s*(?:是|为|:|：)?\s*(?P<id>[A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])")
_URL = re.compile(r"(?P<id>(?:https?://|www\.)[^\s，。！？、\u4e00-\u9fff\"'“”]+|(?<![@A-Za-z0-9_.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|cn|net|org|top|xyz|vip|cc|app|io|me|shop|site|club|info|link)(?:/[^\s，。！？\u4e00-\u9fff\"'“”]*)?)", re.IGNORECASE)
_QUOTED_APP = re.compile(r"[“\"「《](?P<id>[^”\"」》]{2,15})[”\"」》]\s*的?\s*(?:APP|App|app|软件|平台|网站)")
_NAMED_APP = re.compile(r"叫(?:做)?\s*(?P<id>[\u4e00-\u9fffA-Za-z0-9]{2,12}?)\s*的?\s*(?:APP|App|app|软件|平台)")
_KNOWN_APPS = re.compile(r"(?P<id>腾讯会议|钉钉|Zoom|ZOOM|zoom|向日葵|ToDesk|todesk|瞩目|飞书|Skype|Telegram|纸飞机|蝙蝠|易信|Whatsapp|WhatsApp|Line|LINE)")


def find_contacts(text: str) -> List[Tuple[int, int, str]]:
    """(start, end, "kind:id") with kind one of qq, wechat, url, app."""
    found: List[Tuple[int, int, str]] = []

    def add(match: re.Match, kind: str) -> None:
        start, end = match.span("id")
        if all(end <= s or start >= e for s, e, _ in found):
            found.append((start, end, f"{kind}:{match.group('id').strip()}"))

    for match in _URL.finditer(text):
        add(match, "url")
    for match in _QQ.finditer(text):
        add(match, "qq")
    for match in _WECHAT.finditer(text):
        add(match, "wechat")
    for pattern in (_QUOTED_APP, _NAMED_APP, _KNOWN_APPS):
        for match in pattern.finditer(text):
            add(match, "app")
    return sorted(found)
