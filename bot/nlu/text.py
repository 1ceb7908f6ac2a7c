"""Pure text normalisation shared by the NLU pipeline and the channels."""
from __future__ import annotations

import re
from functools import lru_cache

IDEOGRAPHIC_SPACE = "\u3000"
FULLWIDTH_FIRST, FULLWIDTH_LAST = 0xFF01, 0xFF5E
FULLWIDTH_OFFSET = 0xFEE0


def to_halfwidth(text: str) -> str:
    """Full-width ASCII forms (ＡＢＣ１２３！) become half-width; length is preserved."""
    chars = []
    for char in text:
        code = ord(char)
        if FULLWIDTH_FIRST <= code <= FULLWIDTH_LAST:
            chars.append(chr(code - FULLWIDTH_OFFSET))
        elif char == IDEOGRAPHIC_SPACE:
            chars.append(" ")
        else:
            chars.append(char)
    return "".join(chars)


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str, config: str = "t2s") -> str:
    """Traditional → Simplified Chinese with OpenCC; characters only, never vocabulary."""
    converted = _converter(config).convert(text)
    # t2s maps character by character; keep offsets valid if a phrase rule ever changes length.
    return converted if len(converted) == len(text) else text


# Written Cantonese that callers in Guangdong and Hong Kong type or speak: the Mandarin character
# with the same role, one for one (offsets stay valid). 呃 (骗 in Cantonese) is left: in Mandarin it is a filler.
CANTONESE = str.maketrans({"咗": "了", "冇": "没", "唔": "不", "嘅": "的", "佢": "他", "俾": "给", "畀": "给",
                           "啱": "对", "係": "是", "喺": "在", "睇": "看", "揾": "找", "嘢": "东", "咁": "这"})


_LEADING_SLASHES = re.compile(r"^\s*/+\s*")
# 转 typed or heard as its homophone 专 ("我就用微信专过去了"), where 专 cannot be meant; one for one.
_ZHUAN_TYPO = re.compile(r"专(?=\s?(?:了|过去|出去|过来|到|账|帐|钱|走))")   # "专 了": a recogniser's words
# 尾号 heard as 为号/伪号/委号/未号 before the digits ("工行卡为号是零六二四").
_WEIHAO_TYPO = re.compile(r"[为伪委未味](?=号\s?(?:是|为)?\s?[\d零一二三四五六七八九幺洞])")


# Wallet and app names as a speech recogniser or a hurried typist spells them: the same length, one for one.
_WALLET_HOMOPHONES = re.compile(r"支付[保包饱堡]|知付宝|只付宝|微信零[前线]|云闪[富服夫附福]|[运匀允韵]闪付|"
                                r"花(?:[贝倍]|被(?![人骗子告抓偷]))|借(?:[贝倍]|被(?![人骗子告抓偷]))|余额[保包]|[于鱼渔]额[宝保包]")
_WALLET_SPELLING = {"支付": "支付宝", "知付": "支付宝", "只付": "支付宝", "微信零": "微信零钱", "云闪": "云闪付", "运闪": "云闪付", "匀闪": "云闪付", "允闪": "云闪付", "韵闪": "云闪付",
                    "花": "花呗", "借": "借呗", "余额": "余额宝", "于额": "余额宝", "鱼额": "余额宝", "渔额": "余额宝"}


# 微信 heard as 威信/维信/薇信 before what one does with it ("威信转的", "加威信", "威信号是").
_WEIXIN_TYPO = re.compile(r"[威维薇](?=信\s?(?:转|零钱|支付|红包|付|扫|号|上|里|钱包|好友|聊|群))|(?<=加)[威维薇](?=信)|"
                          r"^\s*[威维薇](?=信\s*[。.！!]?\s*$)")   # "威信" alone, the answer to how it was paid
# 银行 heard as 音行/因行 ("手机音行专的", "民生音行的卡"): no word of its own.
_YINHANG_TYPO = re.compile(r"(?<=手机|网上|民生|工商|建设|农业|招商|交通|中国|邮政|光大|兴业|华夏|广发|平安|浦发|中信)[音因](?=行)|"
                           r"[音因](?=行(?:卡|的卡|app|APP|转|上))")   # not "原因行不行"
# 银行 heard as 银航/银杭 ("建设银航卡 尾号4402")
_HANG_TYPO = re.compile(r"(?<=手机银|网上银|民生银|工商银|建设银|农业银|招商银|交通银|中国银|邮政银|光大银|兴业银|华夏银|广发银|"
                        r"平安银|浦发银|中信银)[航杭]")
# "40min前", "2h前", "半h": minutes and hours as people type them
_MINUTES_TYPED = re.compile(r"(?<=[\d十百几半两])\s*(?:mins?|minutes?)(?![a-z])", re.I)
_HOURS_TYPED = re.compile(r"(?<=[\d十几半两])\s*(?:h|hrs?|hours?)(?![a-z])", re.I)
# 寫著 → 写著: OpenCC keeps 著, also a simplified character; after these verbs it is 着 ("写著「苏晓雯」")
# 户名 heard as 互名 ("刚才问那个互名 俺想起来了")
_HUMING_TYPO = re.compile(r"互(?=名)")
_ZHE_VARIANT = re.compile(r"(?<=[写显示标印注留记])著")
_ZHANG_VARIANT = re.compile(r"帐(?=户|号|单|目)|(?<=[转到对入出])帐")


def _wallet_spelled(match: "re.Match[str]") -> str:
    return _WALLET_SPELLING[match.group(0)[:-1]]


def normalize(text: str, opencc_config: str = "t2s") -> str:
    normalized = _ZHUAN_TYPO.sub("转", to_simplified(to_halfwidth(text).translate(CANTONESE), opencc_config))
    normalized = _HANG_TYPO.sub("行", _YINHANG_TYPO.sub("银", _WEIXIN_TYPO.sub("微", normalized)))
    normalized = _WALLET_HOMOPHONES.sub(_wallet_spelled, _WEIHAO_TYPO.sub("尾", normalized))
    normalized = _ZHE_VARIANT.sub("着", _ZHANG_VARIANT.sub("账", _HUMING_TYPO.sub("户", normalized)))   # 转帐, 帐户, 帐号: the older form of 账
    normalized = _HOURS_TYPED.sub("个小时", _MINUTES_TYPED.sub("分钟", normalized))
    # Rasa reads text starting with "/" as an intent command: what a citizen typed never is one.
    return _LEADING_SLASHES.sub("", normalized) if normalized.lstrip().startswith("/") else normalized
