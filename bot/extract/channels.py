"""How the money was sent: bank_transfer, alipay, wechat_pay, unionpay_quickpass, other."""
from __future__ import annotations

import re
from typing import List, Tuple

from bot.extract.spacing import gapless, span_in_original

CHANNEL_NAMES = {"bank_transfer": "银行转账", "alipay": "支付宝", "wechat_pay": "微信支付",
                 "unionpay_quickpass": "云闪付", "other": "其他方式"}
# Cards whose code is read out to the scammer: another channel, for the strict reading here and the reader's answers.
STORED_VALUE_CARDS = r"充值卡|游戏点卡|点卡|礼品卡|购物卡|储值卡|卡密|超市卡|加油卡|油卡|话费卡"
# The banks' own apps, credit card apps included ("在浦发的APP上，浦大喜奔转的"): a bank transfer
BANK_APPS = (r"掌银|掌上银行|浦大喜奔|掌上生活|买单吧|动卡空间|发现精彩|阳光惠生活|全民生活|好兴动|华彩生活|口袋银行|"
             r"(?:工行|建行|农行|中行|交行|招行|浦发|普发|民生|中信|光大|兴业|华夏|广发|平安|邮储|邮政|银行)的?(?:APP|app|客户端)")
_CHANNELS = [
    ("unionpay_quickpass", r"云闪付"),
    ("alipay", r"支付宝|alipay|余额宝|花呗|借呗"),
    ("wechat_pay", r"微信(?:转账|支付|付款|红包|扫码|收款码|零钱|钱包)|(?:用|通过|走|从)微信(?:转|付|支付|给)|微信上转"),
    ("bank_transfer", BANK_APPS + r"|银行转账|网银|手机银行|柜台|柜面|ATM|自动取款机|汇款|电汇|(?:转|打|汇|存)(?:到|进|入)(?:了)?(?:他|她|对方|那个)?(?:的)?(?:银行)?(?:卡|账户|帐户)|银行卡转"),
    ("other", r"数字人民币|抖音支付|京东支付|QQ钱包|财付通|USDT|泰达币|比特币|虚拟币|现金|" + STORED_VALUE_CARDS),
]
_COMPILED = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _CHANNELS]
MERGE_GAP = 3  # "去柜台汇款" is one mention of one channel
# "他说他是微信支付的客服" / "冒充支付宝工作人员": who the caller claimed to be, not how the money went
IDENTITY_AFTER = re.compile(r"(?:的)?(?:官方)?(?:客服|工作人员|人员|员工|专员|团队|公司|安全中心|风控)")
IDENTITY_BEFORE = re.compile(r"(?:冒充|自称|假装|假冒|说他是|说她是|说是)(?:是)?$")


def find_channels(said: str) -> List[Tuple[int, int, str]]:
    text, positions = gapless(said)   # "手 机 银 行" as a speech recogniser writes it
    found: List[Tuple[int, int, str]] = []
    for name, pattern in _COMPILED:
        for match in pattern.finditer(text):
            start, end = match.span()
            if IDENTITY_AFTER.match(text, end) or IDENTITY_BEFORE.search(text[max(0, start - 6):start]):
                continue
            if all(end <= s or start >= e for s, e, _ in found):
                found.append((start, end, name))
    merged: List[Tuple[int, int, str]] = []
    for start, end, name in sorted(found):
        if merged and merged[-1][2] == name and start - merged[-1][1] <= MERGE_GAP:
            merged[-1] = (merged[-1][0], end, name)
        else:
            merged.append((start, end, name))
    return [(*span_in_original(positions, start, end), name) for start, end, name in merged]
