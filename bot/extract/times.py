"""When a transfer happened, resolved against now: 刚才, 十分钟前, 昨天晚上八点, 今天下午3点半."""
from __future__ import annotations

import re
import warnings
from datetime import datetime, timedelta
from typing import List, Optional, Tuple
from zoneinfo import ZoneInfo

from bot.extract.spacing import gapless, span_in_original

LOCAL_TIMEZONE = "Asia/Shanghai"  # mainland China time; times are resolved and reported in it
_CN_SMALL = "零一二两三四五六七八九十"
_DAY_OFFSETS = {"今天": 0, "今日": 0, "今早": 0, "今晚": 0, "今儿个": 0, "今儿": 0, "昨天": 1, "昨日": 1,
                "昨晚": 1, "昨夜": 1, "昨儿个": 1, "昨儿": 1, "昨个": 1, "前天": 2, "前晚": 2, "前儿个": 2,
                "前儿": 2, "大前天": 3, "大前儿": 3, "前日": 2, "琴日": 1, "寻日": 1, "尋日": 1}
_DAY_PARTS = {"今早": "早上", "今晚": "晚上", "昨晚": "晚上", "昨夜": "晚上", "前晚": "晚上"}
_PM_PARTS = {"下午", "傍晚", "晚上", "夜里", "夜间", "夜晚", "下昼", "晏昼", "后晌", "傍黑", "擦黑", "下半天", "下半日"}
# the parts of a day, as said across the country (后晌 afternoon, 前晌/头晌 morning, 晌午 noon, 傍黑/擦黑 dusk,
# 上半天/下半天 in Shanghai and the north)
_PARTS = r"凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|夜晚|夜间|半夜|上昼|下昼|晏昼|后晌|前晌|头晌|晌午|傍黑|擦黑|上半天|下半天|上半日|下半日"

_RECENT = re.compile(r"刚才|刚刚|就在刚才|这会儿|刚(?=转|汇|打|付|充|交|给|被骗|上当)")
# A bare day ("今天") is a transfer time only in a message about moving money.
_MONEY_EVENT = re.compile(r"转|汇|打款|打了|付|充|交了|给了|被骗|骗了|扣")
# 十分钟前, 一个多小时以前, 十几分钟前, 半个钟头前, 一刻钟前, 一个星期前
_AGO = re.compile(rf"(?P<n>\d+|[{_CN_SMALL}半几]+)\s*(?P<more>多|来|余)?\s*个?\s*(?P<more2>多|半|来)?\s*"
                  r"(?P<unit>分钟|分|刻钟|小时|钟头|钟|天|日|星期|礼拜|周|月)\s*(?:之|以)?前")
# 离现在差不多两个小时, 到现在两个多小时了, 过去半个钟头了, 有一个礼拜了: the same, said as time since
_SINCE = re.compile(rf"(?:(?:离现在|到现在|距今|距离现在|过去了?)(?:差不多|大概|大约|快|将近|约|有)?|有)\s*"
                    rf"(?P<n>\d+|[{_CN_SMALL}半几]+)\s*(?P<more>多|来|余)?\s*个?\s*(?P<more2>多|半|来)?\s*"
                    r"(?P<unit>分钟|刻钟|小时|钟头|天|星期|礼拜)(?:了|左右)?(?!前)|"
                    rf"(?P<n_>\d+|[{_CN_SMALL}半几]+)\s*(?P<more_>多|来|余)?\s*个?\s*(?P<more2_>多|半|来)?\s*"
                    r"(?P<unit_>分钟|刻钟|小时|钟头|星期|礼拜)了")
# 一个小时二十分钟前, 两个钟头零十分前, 1小时20分钟之前
_HOURS_MINUTES_AGO = re.compile(rf"(?P<h>\d+|[{_CN_SMALL}]+)\s*个?\s*(?:小时|钟头)\s*(?:零|又)?\s*"
                                rf"(?P<m>\d+|[{_CN_SMALL}]+)\s*(?:分钟|分)\s*(?:之|以)?前")
# What people did at the time, said instead of the part of the day
_EVENT_PARTS = {"下班": "傍晚", "晚饭": "晚上", "睡觉前": "晚上", "上班路上": "早上", "早饭": "早上", "午饭": "中午",
                "中午饭": "中午", "午休": "中午"}
_EVENT_PART = re.compile("|".join(sorted(_EVENT_PARTS, key=len, reverse=True)))
_UNIT_MINUTES = {"分钟": 1, "分": 1, "刻钟": 15, "小时": 60, "钟头": 60, "钟": 60, "天": 1440, "日": 1440, "星期": 10080,
                 "礼拜": 10080, "周": 10080, "月": 43200}   # "半个月前": fifteen days
_FUTURE_DAYS = ("明天", "明早", "明晚", "后天", "大后天")  # a plan, never a transfer that happened
_CN_DATE = rf"\d{{1,2}}|[{_CN_SMALL}]{{1,3}}"
# "11月28号", "2026年12月1日", "上个月28号", "这个月1号"
_EXPLICIT_DATE = re.compile(rf"(?:(?P<year>\d{{4}})年)?(?P<month>{_CN_DATE}|上个?|这个?|本)月(?P<date>{_CN_DATE})[号日]")
_MONTHS_BACK = {"上": 1, "上个": 1, "这": 0, "这个": 0, "本": 0}
# "12.1", "12/1", "12-01", "2026.12.01" as people type dates (not "12.5万", "3.5%")
_NUMERIC_DATE = re.compile(r"(?<![\d.])(?:(?P<year>20\d{2})[.\-/])?(?P<month>1[0-2]|0?[1-9])[.\-/](?P<date>3[01]|[12]\d|0?[1-9])"
                           r"(?![\d.]|\s*(?:万|千|百|元|块|[wWkK]|%|％|号线|折|倍|米|斤|岁))")
# "3号", "二十八号": a day of this month (of the last one when it is still to come); not "3号楼", "1号线"
_DAY_OF_MONTH = re.compile(rf"(?<![\d月号楼房第路街巷弄道村组栋\-./{_CN_SMALL}])(?P<date>3[01]|[12]\d|[1-9]|[一二三四五六七八九十]{{1,3}})号"
                           r"(?!线|楼|房|门|床|车|窗|院|店|口|机|仓|位|码|台)")
_N_DAYS_AGO = re.compile(rf"(?P<n>\d{{1,2}}|[{_CN_SMALL}]{{1,3}})\s*[天日]\s*(?:之|以)?前")
# 上周五, 这个星期一, 礼拜天, 周三: a weekday (the week starts on Monday, as Chinese calendars do)
_WEEKDAY = re.compile(r"(?P<which>上上个?|上个?|这个?|本)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7])")
WEEKDAY_INDEX = {c: i for i, c in enumerate("一二三四五六")} | {"日": 6, "天": 6} | {str(i): i - 1 for i in range(1, 8)}
_DAYS = (r"(?<!下)(?<!下个)(?:上上个?|上个?|这个?|本)?(?:周|星期|礼拜)[一二三四五六日天1-7]|大前天|大前儿|前天|前日|琴日|寻日|前儿个|前儿|昨天|昨日|昨儿个|昨儿|昨个|今天|今日|今早|今晚|昨晚|昨夜|前晚|今儿个|今儿|"
         r"大后天|后天|明天|明早|明晚|" + rf"(?:\d{{1,2}}|[{_CN_SMALL}]{{1,3}})\s*[天日]\s*(?:之|以)?前|"
         + re.sub(r"\(\?P<\w+>", "(?:", _EXPLICIT_DATE.pattern) + "|"   # the same dates, without group names
         + re.sub(r"\(\?P<\w+>", "(?:", _NUMERIC_DATE.pattern) + "|" + re.sub(r"\(\?P<\w+>", "(?:", _DAY_OF_MONTH.pattern))
_CLOCK = re.compile(
    rf"(?P<day>{_DAYS})?\s*"
    rf"(?P<part>{_PARTS})?\s*"
    rf"(?P<hour>\d{{1,2}}|[{_CN_SMALL}]{{1,3}})\s*(?P<sep>点钟|点|时|:|：)\s*"
    rf"(?:过(?=\s*(?:\d{{1,2}}|[{_CN_SMALL}]{{1,3}})\s*分))?\s*"   # 十一点过五分
    rf"(?:(?P<minute>半|一刻|三刻|\d{{1,2}}|[{_CN_SMALL}]{{1,3}})(?!\s*(?:点|时)))?\s*分?"   # not "十点 十点钟" said twice
)
_DAY_ONLY = re.compile(rf"(?P<day>{_DAYS})(?P<part>{_PARTS})?")


def _number(text: str) -> Optional[int]:
    import cn2an

    if text.isdigit():
        return int(text)
    if text in ("半",):
        return None
    digits = "一二三四五六七八九"
    if len(text) == 2 and text[0] in digits and text[1] in digits and digits.index(text[1]) == digits.index(text[0]) + 1:
        return digits.index(text[0]) + 1   # "四五天前", "两三个小时": unsure between two, the first
    if text in ("两三",):
        return 2
    if len(text) == 3 and text[2] in "十百" and text[0] in digits and text[1] in digits \
            and digits.index(text[1]) == digits.index(text[0]) + 1:
        return (digits.index(text[0]) + 1) * (10 if text[2] == "十" else 100)   # "三四十分钟前": thirty
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return int(cn2an.cn2an(text, "smart"))
        except (ValueError, KeyError, IndexError, TypeError):
            return None


def transfer_moment(value: object) -> Optional[datetime]:
    """A reported transfer time (ISO date-time, or a date meaning the whole day) as an aware local
    datetime; None when it is unknown or not a time."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(LOCAL_TIMEZONE))
        if len(value) <= 10:  # a date only: the whole day counts
            moment = moment.replace(hour=23, minute=59)
    return moment


# When each part of a day begins: "礼拜六下午" said early on a Saturday is last Saturday's afternoon
_PART_BEGINS = {"凌晨": 0, "早上": 5, "早晨": 5, "上午": 6, "前晌": 6, "头晌": 6, "上昼": 6, "上半天": 6, "上半日": 6, "中午": 11,
                "晌午": 11, "下午": 12, "下昼": 12, "晏昼": 12, "后晌": 12, "下半天": 12, "下半日": 12, "傍晚": 17,
                "傍黑": 17, "擦黑": 17, "晚上": 18}   # 夜里/半夜 may be the small hours: no week back


def _day(day: str, now: datetime, part: Optional[str] = None, hour: Optional[int] = None) -> Optional[datetime]:
    """Midnight of the day named (relative or an explicit 11月18号, in the past year); None for a future
    or impossible day. A weekday alone is the latest one, today only if the part of day or hour said has begun."""
    if day in _FUTURE_DAYS:
        return None
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if day in _DAY_OFFSETS:
        return midnight - timedelta(days=_DAY_OFFSETS[day])
    weekday = _WEEKDAY.fullmatch(day)
    if weekday:
        wanted = WEEKDAY_INDEX[weekday.group("wd")]
        which = (weekday.group("which") or "").rstrip("个")
        if not which:   # "周五": the latest one, today included
            latest = midnight - timedelta(days=(midnight.weekday() - wanted) % 7)
            begins = hour if hour not in (None, 0, 12, 24) else _PART_BEGINS.get(part or "")   # 12点 may be midnight
            return latest - timedelta(days=7) if latest == midnight and begins is not None and begins > now.hour else latest
        monday = midnight - timedelta(days=midnight.weekday())
        moment = monday + timedelta(days=wanted - {"上上": 14, "上": 7}.get(which, 0))
        return moment if moment <= now else None
    weeks_ago = _WEEKS_AGO.fullmatch(day)
    if weeks_ago:
        count = _number(weeks_ago.group("n")) if weeks_ago.group("n") else 1
        return None if count is None else midnight - timedelta(days=7 * count)
    days_ago = _N_DAYS_AGO.fullmatch(day)
    if days_ago:
        count = _number(days_ago.group("n"))
        return None if count is None else midnight - timedelta(days=count)
    numeric = _NUMERIC_DATE.fullmatch(day)
    of_month = _DAY_OF_MONTH.fullmatch(day)
    if numeric or of_month:
        date = _number((numeric or of_month).group("date").lstrip("0") or "0")
        month = int(numeric.group("month")) if numeric else now.month
        year = int(numeric.group("year")) if numeric and numeric.group("year") else now.year
        try:
            moment = midnight.replace(year=year, month=month, day=date or 0)
        except ValueError:
            return None
        if moment > now and not (numeric and numeric.group("year")):   # "30号" said on the 3rd: last month's
            moment = (moment.replace(day=1) - timedelta(days=1)).replace(day=date) if of_month else moment.replace(year=year - 1)
        return moment if moment <= now else None
    match = _EXPLICIT_DATE.fullmatch(day)
    if not match:
        return None
    date, year = _number(match.group("date")), int(match.group("year") or now.year)
    back = _MONTHS_BACK.get(match.group("month"))
    if back is None:
        month = _number(match.group("month"))
    else:
        month, year = (now.month - back, year) if now.month > back else (12, year - 1)
    if not month or not date:
        return None
    try:
        moment = midnight.replace(year=year, month=month, day=date)
        if moment > now and not match.group("year"):
            moment = moment.replace(year=year - 1)  # "12月30号" said in January
    except ValueError:
        return None
    return moment if moment <= now else None


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _hour_in_part(hour: int, part: Optional[str]) -> int:
    if part in ("夜里", "夜间") and hour <= 5:
        return hour   # 夜里两点: after midnight
    if part in _PM_PARTS and hour < 12:
        return hour + 12
    if part in ("中午", "晌午") and hour < 6:
        return hour + 12
    if part == "半夜" and hour == 12:
        return 0
    if part in ("半夜", "深夜") and 9 <= hour <= 11:
        return hour + 12   # 半夜十一点四十: before midnight
    return hour


def _ago_amount(raw: str, more: bool) -> Optional[float]:
    """十 → 10, 十几 → 15, 几 → 5, 半 → 0.5; "多" adds a quarter (一个多小时 ≈ 75 minutes)."""
    if raw == "半":
        return 0.5
    if raw == "几":
        return 5
    if raw.endswith("几"):
        base = _number(raw[:-1])
        return None if base is None else base + 5
    value = _number(raw)
    if value is None:
        return None
    return value * 1.25 if more and value < 10 else (value + value / 10 if more else value)


def _clock_follows(text: str, end: int) -> bool:
    """三天前上午十点: the days-ago is the day of a clock time, read with it."""
    return bool(_CLOCK.match(text, end)) and bool(re.search("[天日]", text[max(0, end - 4):end]))


_TRANSFER_FOLLOWS = re.compile(r"\s*(?:多|左右|的时候|又|再|转|汇|打了|付|还)")
_ABOUT_FOLLOWS = re.compile(r"\s*(?:多钟|多|来钟|钟|左右|前后|那会)")   # "八点多", "八点来钟": a clock time
_WEEKS_AGO = re.compile(rf"(?P<n>[{_CN_SMALL}]|\d)?个?(?:星期|礼拜|周)(?:之|以)?前")
_GAP = r"[\s,，、的那个天当大概约差不多是在于左右时候嗯呃就吧()（）]*"


def _day_just_before(text: str, position: int, now: datetime) -> Optional[Tuple[datetime, Optional[str]]]:
    """The day (and part of day) said right before a clock time, with only filler words between."""
    before = text[max(0, position - 24):position]
    match = re.search(rf"(?P<day>{_DAYS}|{_WEEKS_AGO.pattern})(?P<part>{_PARTS})?"
                      rf"{_GAP}(?P<part2>{_PARTS})?{_GAP}$", before)
    if not match:
        return None
    day = _day(match.group("day"), now, match.group("part") or match.group("part2"))
    return None if day is None else (day, match.group("part") or match.group("part2")
                                     or _DAY_PARTS.get(match.group("day")))   # "前晚，大概十点半"


def _part_just_before(text: str, position: int) -> Optional[str]:
    """"那天下午，四点半左右": the part of day said right before the clock time, with only fillers between."""
    match = re.search(rf"({_PARTS}){_GAP}$", text[max(0, position - 12):position])
    return match.group(1) if match else None


def find_times(text: str, now: datetime) -> List[Tuple[int, int, str]]:
    """(start, end, ISO 8601) for each past moment mentioned in text; now must be timezone-aware. Text a
    recogniser wrote word by word ("上 个 礼拜三 晚上 九点") is read as one phrase."""
    plain, positions = gapless(text)
    if plain == text:
        return _find_times(text, now)
    return [(*span_in_original(positions, start, end), value) for start, end, value in _find_times(plain, now)]


def _find_times(text: str, now: datetime) -> List[Tuple[int, int, str]]:
    found: List[Tuple[int, int, str]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _ in found)

    for match in _RECENT.finditer(text):
        found.append((*match.span(), _iso(now)))
    plain = text.replace("俩", "两").replace("个把", "一个")   # "个把小时前": about an hour
    for match in _HOURS_MINUTES_AGO.finditer(plain):
        hours, minutes = _number(match.group("h")), _number(match.group("m"))
        if hours is not None and minutes is not None and minutes < 60:
            found.append((*match.span(), _iso(now - timedelta(hours=hours, minutes=minutes))))
    for match in [*_AGO.finditer(plain), *_SINCE.finditer(plain)]:
        group = {name: match.group(name) or match.groupdict().get(name + "_") for name in ("n", "more", "more2", "unit")}
        in_days = group["unit"] in ("天", "日", "星期", "礼拜", "周", "月")
        more = group["more"] in ("多", "余") or group["more2"] == "多"   # "四十来分钟" is about forty
        amount = _ago_amount(group["n"], not in_days and more)
        if amount is None or (in_days and "几" in group["n"]):
            continue   # "好几天前": no day an officer could act on
        if group["more2"] == "半":
            amount += 0.5
        delta = timedelta(minutes=amount * _UNIT_MINUTES[group["unit"]])
        if free(*match.span()) and not _clock_follows(text, match.end()):
            moment = now - delta
            # "三天前": the day is known, not the time of day
            found.append((*match.span(), moment.date().isoformat() if in_days else _iso(moment)))
    cue = _EVENT_PART.search(text)   # "下班路上转的，六点多": evening, whatever the clock says
    cue_part = _EVENT_PARTS[cue.group(0)] if cue else None
    said: Optional[Tuple[datetime, Optional[str]]] = None   # the day (and part) of the last clock time with one
    last_part: Optional[str] = None   # "上午十點多，十點十分左右": the part of day said before
    for match in _CLOCK.finditer(text):
        day, part, sep = match.group("day"), match.group("part"), match.group("sep")
        if sep in (":", "：") and not match.group("minute"):
            continue
        part_before = _part_just_before(text, match.start())
        day_before = None if day else _day_just_before(text, match.start(), now)
        bare = not (day or part or part_before or cue_part) and day_before is None
        if bare and not (match.group("hour").isdigit() or match.group("minute") or sep == "点钟") and not (
                said and _TRANSFER_FOLLOWS.match(text, match.end())) and not (
                sep == "点" and _ABOUT_FOLLOWS.match(text, match.end()) and (
                    _number(match.group("hour")) not in (None, 1) or re.match(r"\s*(?:来|多)?钟", text[match.end():]))):
            continue  # 一点钱, 快一点: a bare spoken "N点" is rarely a clock time ("…，十点又转了" is)
        hour = _number(match.group("hour"))
        minute_text = match.group("minute")
        minute = {"半": 30, "一刻": 15, "三刻": 45}.get(minute_text or "", None)
        if minute is None:
            minute = _number(minute_text) if minute_text else 0
        if hour is None or minute is None or hour > 24 or minute > 59:
            continue
        part = part or _DAY_PARTS.get(day or "") or part_before or cue_part
        hour = _hour_in_part(hour, part) % 24
        if day:
            base = _day(day, now, part, hour)
            if base is None:
                continue
            moment = base.replace(hour=hour, minute=minute, second=0)
            said = (base, part)
        elif day_before is not None:
            # "前天，下午三点多" / "三天前的晚上，大概九点": the day said just before the clock time
            said_day, said_part = day_before
            hour = _hour_in_part(hour, part or said_part) % 24
            moment = said_day.replace(hour=hour, minute=minute, second=0)
            said = (said_day, part or said_part)
        elif said is not None and said[0].replace(hour=hour, minute=minute) <= now:
            # "11月29日晚上8点多，大概20:40", "昨天晚上八点转了五千，十点又转了三千": the day said before
            hour = _hour_in_part(hour, part or said[1]) % 24
            moment = said[0].replace(hour=hour, minute=minute, second=0)
        else:
            # No day: the most recent past moment, trying the afternoon reading of 1–11 too.
            hours = [hour] if part or hour >= 12 else [hour, hour + 12]
            if not part and last_part:
                hours = [_hour_in_part(hour, last_part) % 24]
            candidates = []
            for h in hours:
                moment = now.replace(hour=h, minute=minute, second=0)
                candidates.append(moment if moment <= now else moment - timedelta(days=1))
            moment = max(candidates)
        last_part = part or (said[1] if said else None) or last_part
        if free(*match.span()):
            found.append((*match.span(), _iso(moment)))
    for match in _DAY_ONLY.finditer(text):
        day = _day(match.group("day"), now, match.group("part"))
        if day is not None and free(*match.span()) and _MONEY_EVENT.search(text):
            found.append((*match.span(), day.date().isoformat()))
    return sorted(found)


def days_said(text: str, now: datetime) -> List[str]:
    """The past days named in text (ISO dates), with or without a word about money: "日期不对，是11月29号"."""
    days = (_day(match.group("day"), now, match.group("part")) for match in _DAY_ONLY.finditer(text))
    return [day.date().isoformat() for day in days if day is not None]


def part_of_day(text: str) -> Optional[str]:
    """The part of day named in text ("大前天晚上" → 晚上; 今晚, 昨夜 too), if any."""
    match = re.search(rf"{_PARTS}|今早|今晚|昨晚|昨夜|前晚", text)
    return None if match is None else _DAY_PARTS.get(match.group(0), match.group(0))


# Parts of a day narrow enough to stand for an hour when the citizen cannot say the clock ("前天傍晚吧")
NARROW_PART_HOURS = {"傍晚": 18, "傍黑": 18, "擦黑": 18, "中午": 12, "晌午": 12}


def at_part_of_day(day: str, part: Optional[str], now: datetime) -> Optional[str]:
    """The day ("2026-12-01") at the hour a narrow part of day stands for, or None when the part is wide."""
    hour = NARROW_PART_HOURS.get(part or "")
    if hour is None or "T" in day:
        return None
    return _iso(datetime.fromisoformat(day).replace(hour=hour, tzinfo=now.tzinfo))


def hour_in_part(hour: int, part: Optional[str]) -> int:
    """A clock hour said without its part of day, read in the part said before: 八点 in 晚上 is 20."""
    return _hour_in_part(hour, part) % 24
