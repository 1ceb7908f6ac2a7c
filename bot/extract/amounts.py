"""Money amounts in yuan: 五万, 5w, 1.5万, 伍万元整, 3,500元, 两千五, 一万二 → numbers."""
from __future__ import annotations

import re
import warnings
from typing import List, Optional, Tuple

_CN_NUM = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟点几"  # 几: read, then refused (a vague sum)
_NUMBER = re.compile(
    rf"(?P<num>(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN_NUM}])+(?:[多余](?=[万千亿]))?(?:[万千亿])?)"
    r"(?P<suffix>[wWkK](?![A-Za-z]))?"
    r"(?P<next_digit>(?<=[wWkK])\d(?![\d.,]))?"   # "1w5": 一万五, "2k8": 两千八
    r"(?P<approx>多|余)?"
    r"(?P<unit>\s*(?:元整|元|块钱|(?<!(?<![一二两三四五六七八九十百千万\d])一)块(?!儿)|(?<=一)块(?!儿|交|转|付|打|汇|去|走)|圆|蚊|人民币|rmb|RMB))?"
    # "一块儿转的", "一块交": together, not one yuan
)
_TOGETHER_AFTER = re.compile(r"起|共|齐|同|道")
_MAGNITUDE = re.compile(r"[万千百亿wWkK]")
_MONEY_BEFORE = re.compile(r"(转|汇|付|充|投|给|借|骗|打|共|损失|花|交|赔|还|存|取|提现|余额|金额|本金|保证金|手续费|费|了|¥|￥)\s*$")
# "一次八千一次一万五": the count of the next clause is not part of the sum before it.
_COUNT_AFTER_SUM = re.compile(r"^(?P<sum>.*[百千万])[一两二三四五六七八九]$")
_COUNT_WORD = re.compile(r"^(次|笔|回|趟)")
# What follows a number that is not money: ages, years, house numbers, counts, clock times.
_NOT_MONEY_AFTER = re.compile(r"^\s*(保障|不(?!是|对)|别|岁|周岁|年|号|楼|室|栋|层|单元|个|次|天|分钟|分|秒|点|时|小时|位|张|条|件|期|倍|%|％|月|日|斤|公斤|米|人)")
_NOT_MONEY_BEFORE = re.compile(r"(验证码|校验码|动态码|密码|工号|警号|编号|尾号|卡号|账号|帐号|身份证|电话|手机|号码|QQ|qq|微信|订单号|流水号|(?<!刷)流水|交易号|案件号|案号|第(?![一二三四五六七八九十\d]{1,2}[笔次回趟]))[^\d，。,.！!？?；;]{0,3}$")  # within one clause
MAX_PLAIN_DIGITS = 9  # longer bare digit runs are cards, phones or IDs
_IDIOMS = {"千万", "万一", "一一", "万万"}  # adverbs, not sums ("千万不要转账")
_DIGIT_VALUE = {**{d: i for i, d in enumerate("零一二三四五六七八九")}, "两": 2, **{str(i): i for i in range(10)}}
# Jiao and fen after the yuan: "块五", "块七毛八", "元五角"; not "块五点" (a clock time) or "块五千" (another sum).
_SMALL_CHANGE = re.compile(r"(?P<jiao>[零一二两三四五六七八九\d])(?:毛|角)?(?:(?P<fen>[一二两三四五六七八九\d])分?)?"
                           r"(?![\d十百千万亿点号分钟个次笔])")
_DECIMAL_WITH_MAGNITUDE = re.compile(r"^(.+点.+?)([万千亿])$")


def _to_yuan(number: str, suffix: Optional[str]) -> Optional[float]:
    import cn2an

    text = re.sub(r"[多余](?=[万千亿])", "", number.replace(",", ""))
    if text.endswith("点"):
        return None
    multiplier = {"w": 10000, "k": 1000}.get((suffix or "").lower(), 1)
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        value = float(text)
    else:
        decimal = _DECIMAL_WITH_MAGNITUDE.match(text)  # 三点五万: cn2an reads the decimal alone
        if decimal:
            text, multiplier = decimal.group(1), multiplier * {"万": 10**4, "千": 10**3, "亿": 10**8}[decimal.group(2)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                value = float(cn2an.cn2an(text, "smart"))
            except (ValueError, KeyError, IndexError, TypeError):
                return None
    return value * multiplier


def find_amounts(text: str) -> List[Tuple[int, int, float]]:
    """(start, end, yuan) for each money amount in text; a sum a speech recogniser split into words
    ("九千 九百 九十 九", "两万 两千四", "四千 零 八十") is read whole."""
    squeezed, where = _spoken_numbers_joined(text)
    return [(where[start], where[end - 1] + 1, value) for start, end, value in _amounts(squeezed)]


_NUMERAL_WORD = re.compile(r"[零一二两三四五六七八九十百千万]+")
_UNIT_RANK = {"十": 1, "百": 2, "千": 3, "万": 4}
_AFTER_A_SUM = "块元钱多来左"


def _continues(left: str, right: str) -> bool:
    """Whether the numeral word `right`, said after a pause, goes on the sum `left`."""
    if right.startswith("零") or left.endswith("零"):
        return True   # "一万 零 五百"
    if all(c in _UNIT_RANK for c in right):
        return left[-1] not in _UNIT_RANK or _UNIT_RANK[right[0]] > _UNIT_RANK[left[-1]]   # "五 百", "十 万"
    if left[-1] not in _UNIT_RANK:
        return False   # "六二二二 零二一二": digits of a card, not a sum
    units = [c for c in right if c in _UNIT_RANK]
    if not units:
        return len(right) == 1   # "九十 九", "四千 八": the next digit
    if "万" in left and "万" in right:
        return False   # "十五万 一十五万": the sum said again
    return _UNIT_RANK[units[0]] < _UNIT_RANK[left[-1]]   # "九千 九百", "两万 两千四", "两百 五十万"


def _spoken_numbers_joined(text: str) -> Tuple[str, List[int]]:
    """The text with the pauses inside a spoken sum removed, and each kept character's index in `text`."""
    drop = set()
    words = list(_NUMERAL_WORD.finditer(text))
    sum_so_far = ""
    words = [w for w in words if w.end() == len(text) or not re.match(r"[\u4e00-\u9fff]", text[w.end()])
             or text[w.end()] in _AFTER_A_SUM]   # "一共", "一起": words, not numerals
    for previous, word in zip(words, words[1:]):
        gap = text[previous.end():word.start()]
        sum_so_far = sum_so_far + previous.group(0) if sum_so_far else previous.group(0)
        if gap and not gap.strip() and _continues(sum_so_far, word.group(0)):
            drop.update(range(previous.end(), word.start()))
        else:
            sum_so_far = ""
    where = [i for i in range(len(text)) if i not in drop]
    return "".join(text[i] for i in where), where


def _amounts(text: str) -> List[Tuple[int, int, float]]:
    found = []
    for match in _NUMBER.finditer(text):
        number, suffix, unit = match.group("num"), match.group("suffix"), match.group("unit")
        start, end = match.span()
        if len(number) > 1 and number.endswith("一") and _TOGETHER_AFTER.match(text[end:]) and not (suffix or unit):
            number, end = number[:-1], end - 1   # "又凑了五百一起转的": 一起 is "together", not 510
        counted = _COUNT_AFTER_SUM.match(number)
        if counted and not (suffix or unit or match.group("approx")) and _COUNT_WORD.match(text[end:]):
            number, end = counted.group("sum"), end - 1
        before, after = text[max(0, start - 8):start], text[end:end + 4]
        if number in _IDIOMS or number.endswith("点") or "几" in number or _NOT_MONEY_AFTER.match(after) and not unit:
            continue
        if _NOT_MONEY_BEFORE.search(before):
            continue
        plain_digits = re.sub(r"\D", "", number)
        if number.replace(",", "").isdigit() and len(plain_digits) > MAX_PLAIN_DIGITS:
            continue
        has_magnitude = bool(_MAGNITUDE.search(number + (suffix or "")))
        money_context = bool(_MONEY_BEFORE.search(before)) or (   # "-5000.00" read off a bank statement
            before.endswith(("-", "−")) and re.fullmatch(r"[\d,]+\.\d\d", number) is not None)
        if not (unit or (has_magnitude and (money_context or number[0].isdigit() or len(number) > 1))
                or (money_context and len(plain_digits) >= 2)):
            continue
        value = _to_yuan(number, suffix)
        if value is not None and match.group("next_digit"):
            value += int(match.group("next_digit")) * _to_yuan("1", suffix) / 10
        if value is None or value <= 0:
            continue
        small_change = _SMALL_CHANGE.match(text[end:]) if unit and unit.strip()[:1] in ("块", "元") else None
        if small_change and value == int(value):   # "两千九百九十九块五", "三千四百五十六块七毛八"
            jiao, fen = small_change.group("jiao"), small_change.group("fen")
            value += _DIGIT_VALUE[jiao] / 10 + (_DIGIT_VALUE[fen] / 100 if fen else 0)
            end += small_change.end()
        found.append((start, end, int(value) if value == int(value) else round(value, 2)))
    return found
