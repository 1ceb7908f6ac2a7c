"""Bank names: canonical short names (工商银行 …), their synonyms, and the issuer of a card number."""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources
from typing import Dict, List, Optional, Tuple

# canonical short name → synonyms citizens use (full names, abbreviations, English codes)
BANK_SYNONYMS: Dict[str, List[str]] = {
    "工商银行": ["中国工商银行", "工行", "ICBC", "公行", "功行", "工商", "攻行", "工航", "公商"],
    "建设银行": ["中国建设银行", "建行", "CCB", "见行", "健行", "剑行", "建设", "建航", "建杭", "件行"],
    "农业银行": ["中国农业银行", "农行", "ABC", "农业", "农夜", "农叶", "浓业", "弄业", "农页"],
    "中国银行": ["中行", "BOC"],
    "交通银行": ["交行", "BOCOM", "交通", "交同"],
    "招商银行": ["招行", "CMB", "找行", "招商", "招伤", "找商", "朝商", "招上"],
    "邮储银行": ["中国邮政储蓄银行", "邮政储蓄银行", "邮政银行", "邮储", "邮政储蓄", "邮政", "PSBC", "油储", "邮局",
             "有正储蓄", "有政储蓄", "邮正储蓄", "油政储蓄", "有正", "邮正", "油政"],
    "浦发银行": ["上海浦东发展银行", "浦发", "SPDB", "普发", "蒲发", "浦法"],
    "民生银行": ["中国民生银行", "民生", "CMBC", "民声"],
    "中信银行": ["中信", "CITIC"],
    "光大银行": ["中国光大银行", "光大", "CEB"],
    "兴业银行": ["兴业", "CIB", "星业"],
    "华夏银行": ["华夏", "HXB"],
    "广发银行": ["广东发展银行", "广发", "CGB", "广法"],
    "平安银行": ["平安", "PAB"],
    "农村信用社": ["农信社", "信用社", "农村信用合作社", "信用合作社", "农村商业银行", "农商银行", "农商行", "农商", "农信"],
    "网商银行": ["浙江网商银行"],
    "微众银行": ["深圳前海微众银行"],
    "北京银行": [], "上海银行": [], "江苏银行": [], "浙商银行": [], "宁波银行": [], "南京银行": [], "杭州银行": [],
    "渤海银行": [], "恒丰银行": [], "徽商银行": [], "广州银行": [], "成都银行": [], "重庆银行": [], "长沙银行": [],
    "哈尔滨银行": [], "盛京银行": [], "村镇银行": [],
}

# Short forms that are also ordinary words only count next to a bank word.
# Speech recognisers write 建行 as 见行 and 工行 as 公行: those count only next to a bank word too.
_AMBIGUOUS = {"建设", "农业", "邮局", "油储", "民生", "中信", "光大", "兴业", "华夏", "广发", "平安", "邮储", "邮政", "招商", "农商", "工商", "交通", "ABC", "BOC", "CEB", "CIB",
              "公行", "功行", "见行", "健行", "剑行", "找行",
              # a recogniser's homophones of the rest ("农夜银行", "招伤银行", "有正储蓄的存折", "普发银行")
              "攻行", "工航", "公商", "建航", "建杭", "件行", "农夜", "农叶", "浓业", "弄业", "农页", "招伤", "找商", "朝商",
              "招上", "有正储蓄", "有政储蓄", "邮正储蓄", "油政储蓄", "有正", "邮正", "普发", "蒲发", "浦法", "交同", "民声",
              "星业", "广法"}


@lru_cache(maxsize=None)
def _alias_index() -> Tuple[Tuple[str, str], ...]:
    pairs = [(name, name) for name in BANK_SYNONYMS]
    pairs += [(alias, name) for name, aliases in BANK_SYNONYMS.items() for alias in aliases]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def canonical_bank(name: str) -> Optional[str]:
    cleaned = name.strip()
    for alias, canonical in _alias_index():
        if cleaned.upper() == alias.upper():
            return canonical
    return None


@lru_cache(maxsize=None)
def _alias_pattern(alias: str) -> "re.Pattern[str]":
    """"工商 银行" as a speech recogniser writes it, word by word, is the same bank."""
    if alias.isascii():
        return re.compile(re.escape(alias.upper()))
    return re.compile(r"[ \t]?".join(re.escape(char) for char in alias))


def find_banks(text: str) -> List[Tuple[int, int, str]]:
    """(start, end, canonical name) for every bank mentioned in text, longest alias first."""
    found: List[Tuple[int, int, str]] = []
    taken = [False] * len(text)
    upper = text.upper()
    for alias, canonical in _alias_index():
        for match in _alias_pattern(alias).finditer(upper):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            if alias.isascii() and _touches_ascii_letter(text, start, end):
                continue
            if alias in _AMBIGUOUS and not _near_bank_word(text, start, end):
                continue
            found.append((start, end, canonical))
            for i in range(start, end):
                taken[i] = True
    return sorted(found)


def _touches_ascii_letter(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())


def _near_bank_word(text: str, start: int, end: int) -> bool:
    if re.search(r"(?:卡|存折|账户|帐户)(?:是|就是|用的是|用的|是在)\s*$", re.sub(r"\s+", "", text[max(0, start - 8):start])) \
            and re.match(r"\s*的?(?:$|[\s，,。；;吧啊呀]|尾号)", text[end:]):
        return True   # "她的卡是邮政的", "卡是中信的 尾号…"
    before = text[max(0, start - 16):start]
    if re.search(r"卡(?!号)|银行|账户|帐户|存折", before) and not re.search(r"自称|冒充|(?:他|她|对方)(?:说)?(?:他|她)?是|[做搞干在]$", before) \
            and re.match(r"\s*的\s*(?:$|[，,。；;…!！]|吧|啊)", text[end:]):
        return True   # "绑的卡，光大的……不对，是兴业的" (not "他自称是工商的", "做建设的")
    if re.match(r"\s*的?(?:那张|这张)(?!保单|单子|执照|营业|发票|合同|截图|照片|纸|图|表)", text[end:]):
        return True   # "是从邮政那张转的": a card of that bank
    return bool(re.match(r"\s*(?:那个|那张|的那张|这张|这个)?(银行|的卡|卡|储蓄卡|信用卡|借记卡|账户|帐户|存折|的(储蓄|信用|借记|工资)卡|的存折|的账户)",
                         re.sub(r"\s+", "", text[end:end + 10])))   # "邮政 的 卡": a recogniser's words


def _rows(name: str) -> List[Dict[str, str]]:
    source = resources.files("bot.extract").joinpath(f"data/{name}").read_text("utf-8")
    return list(csv.DictReader(line for line in source.splitlines() if not line.startswith("#")))


@lru_cache(maxsize=None)
def _bin_table() -> Tuple[Tuple[str, Optional[int], Optional[str]], ...]:
    """Curated prefixes (any length) first, then the imported ones (only for the card length they name). An
    imported prefix and length the table gives to two banks (622516…, 16 digits: 广发 and 浦发) names none."""
    curated = sorted(((r["prefix"], None, r["bank"]) for r in _rows("bank_bins.csv")), key=lambda r: -len(r[0]))
    issuers: Dict[Tuple[str, int], set] = {}
    for r in _rows("bank_bins_bankcardinfo.csv"):
        issuers.setdefault((r["prefix"], int(r["length"])), set()).add(r["bank"])
    imported = sorted(((prefix, length, next(iter(banks)) if len(banks) == 1 else None)
                       for (prefix, length), banks in issuers.items()), key=lambda r: -len(r[0]))
    return tuple(curated + imported)


def bank_for_card(digits: str) -> Optional[str]:
    """The issuer of a card number; None when unknown or when two issuers share its prefix (the citizen is asked)."""
    for prefix, length, bank in _bin_table():
        if digits.startswith(prefix) and length in (None, len(digits)):
            return bank
    return None
