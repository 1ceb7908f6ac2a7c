from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from .helpers import entities_of, values_of

TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    "text, iso",
    [
        ("刚才转的", "2026-11-21T14:05:00+08:00"),
        ("十分钟前转了钱", "2026-11-21T13:55:00+08:00"),
        ("半小时前", "2026-11-21T13:35:00+08:00"),
        ("两个小时前", "2026-11-21T12:05:00+08:00"),
        ("昨天晚上八点", "2026-11-20T20:00:00+08:00"),
        ("今天下午3点半", "2026-11-21T15:30:00+08:00"),
        ("今天早上七点二十", "2026-11-21T07:20:00+08:00"),
        ("上午10:30", "2026-11-21T10:30:00+08:00"),
        ("昨晚11点", "2026-11-20T23:00:00+08:00"),
        ("晚上9点转的", "2026-11-20T21:00:00+08:00"),
        ("中午12点", "2026-11-21T12:00:00+08:00"),
        ("一点半转的", "2026-11-21T13:30:00+08:00"),
        ("前天转的", "2026-11-19"),
        ("昨天晚上被骗了", "2026-11-20"),
        ("我刚转了钱", "2026-11-21T14:05:00+08:00"),
        ("昨天晚上八點", "2026-11-20T20:00:00+08:00"),
        ("11月18号晚上8点转的", "2026-11-18T20:00:00+08:00"),
        ("11月20日15:30转的第一笔", "2026-11-20T15:30:00+08:00"),
        ("十一月十九号转了两万", "2026-11-19"),
        ("12月30号转的", "2025-12-30"),  # said in November: last December
        ("2026年11月2日下午3点汇款", "2026-11-02T15:00:00+08:00"),
        # weekdays, said on Saturday 21 November (weeks start on Monday)
        ("上周五下午三点转的", "2026-11-13T15:00:00+08:00"),
        ("周五下午三点", "2026-11-20T15:00:00+08:00"),
        ("这周一上午十点", "2026-11-16T10:00:00+08:00"),
        ("上个礼拜三晚上九点", "2026-11-11T21:00:00+08:00"),
        ("星期天转的", "2026-11-15"),
        ("礼拜六上午转了钱", "2026-11-21"),
        # time since, said without 前
        ("离现在差不多两个小时", "2026-11-21T12:05:00+08:00"), ("到现在两个多小时了", "2026-11-21T11:35:00+08:00"),
        ("过去半个钟头了", "2026-11-21T13:35:00+08:00"), ("有一个礼拜了", "2026-11-14"),
        ("一个小时二十分钟前转的", "2026-11-21T12:45:00+08:00"), ("两个钟头零十分之前", "2026-11-21T11:55:00+08:00"),
        ("1小时20分钟前", "2026-11-21T12:45:00+08:00"),
        ("个把小时前转的", "2026-11-21T13:05:00+08:00"),
        # the month named by where it stands
        ("上个月28号转的", "2026-10-28"), ("这个月1号晚上八点", "2026-11-01T20:00:00+08:00"),
        # dates as typed, a day of the month alone, months ago
        ("11.18转的", "2026-11-18"), ("11/18 14:30转的", "2026-11-18T14:30:00+08:00"), ("2026-11-02转了", "2026-11-02"),
        ("18号转的", "2026-11-18"), ("30号转的", "2026-10-30"), ("半个月前转的", "2026-11-06"),
        # a recogniser's words
        ("上 个 礼拜三 晚上 九点 我 记得", "2026-11-11T21:00:00+08:00"), ("两 个 小时 前", "2026-11-21T12:05:00+08:00"),
    ],
)
def test_transfer_times_resolve_against_now(text, iso):
    assert values_of(text, "transfer_time") == [iso]


@pytest.mark.parametrize("text", ["快一点", "一点钱", "我转了3次", "2023年", "今天天气怎么样", "我刚认识他",
                                  "对方让我明天上午十点去银行", "明天再转", "13月40号转的",
                                  "我周一到周五都上班", "下周一再转", "还差一点多", "我给他打了三个电话了",
                                  "转了12.5万", "在幸福路12号的银行转的", "坐1号线去转的", "3号楼的银行转的",
                                  "好几天前了", "十几天前转的"])   # no day an officer could act on
def test_words_that_are_not_times(text):
    assert values_of(text, "transfer_time") == []


@pytest.mark.parametrize("text, isos", [
    ("11月18号晚上8点多，大概20:40", ["2026-11-18T20:00:00+08:00", "2026-11-18T20:40:00+08:00"]),
    ("昨天晚上八点转了五千，十点又转了三千", ["2026-11-20T20:00:00+08:00", "2026-11-20T22:00:00+08:00"]),
    ("昨天晚上八点转了五千，还差一点钱", ["2026-11-20T20:00:00+08:00"]),
    ("前晚，大概十点半", ["2026-11-19T22:30:00+08:00"]),          # 前晚 is an evening
    ("上午十点多，十点十分左右", ["2026-11-21T10:00:00+08:00", "2026-11-21T10:10:00+08:00"]),   # still the morning
    ("那天下午，四点半左右", ["2026-11-20T16:30:00+08:00"]),      # the afternoon said just before
    ("十一点过五分", ["2026-11-21T11:05:00+08:00"]),
    ("八点多，八点来钟吧", ["2026-11-21T08:00:00+08:00", "2026-11-21T08:00:00+08:00"]),
])
def test_a_clock_time_after_a_day_is_on_that_day(text, isos):
    assert values_of(text, "transfer_time") == isos


def test_a_day_explained_in_brackets_is_the_clock_times_day():
    assert "2026-11-20T15:00:00+08:00" in values_of("我琴日（即系昨日）下昼三点几俾咗四千五百蚊", "transfer_time")


@pytest.mark.parametrize("text, iso", [
    ("下班路上转的 六点多", "2026-11-20T18:00:00+08:00"), ("吃完午饭一点多转的", "2026-11-21T13:00:00+08:00"),
    ("上班路上 八点多", "2026-11-21T08:00:00+08:00"),
])
def test_what_people_were_doing_tells_the_part_of_the_day(text, iso):
    assert values_of(text, "transfer_time") == [iso]


def test_resolution_follows_the_clock():
    morning = datetime(2026, 1, 1, 0, 10, tzinfo=TZ)
    assert values_of("二十分钟前", "transfer_time", now=morning) == ["2025-12-31T23:50:00+08:00"]


@pytest.mark.parametrize(
    "text, channel",
    [
        ("我用支付宝转了两千", "alipay"),
        ("通过微信转账给他", "wechat_pay"),
        ("发了个微信红包", "wechat_pay"),
        ("用云闪付付的", "unionpay_quickpass"),
        ("手机银行转的", "bank_transfer"),
        ("转到他的银行卡上", "bank_transfer"),
        ("去柜台汇款", "bank_transfer"),
        ("买了礼品卡给他", "other"),
        ("用USDT付的", "other"),
        ("用雲閃付付的", "unionpay_quickpass"),
    ],
)
def test_payment_channels(text, channel):
    assert values_of(text, "payment_channel") == [channel]


def test_adding_someone_on_wechat_is_not_a_payment():
    assert values_of("他加了我微信", "payment_channel") == []


@pytest.mark.parametrize(
    "text, contacts",
    [
        ("他的QQ是123456789", ["qq:123456789"]),
        ("微信号：abc_12345", ["wechat:abc_12345"]),
        ("加vx: Lucky-888888", ["wechat:Lucky-888888"]),
        ("网址是 www.jinsheng-vip.com/login", ["url:www.jinsheng-vip.com/login"]),
        ("网址是jsgj-gold.com", ["url:jsgj-gold.com"]),   # right after Chinese, the whole host
        ("点了这个链接https://t.cn/abc123领取", ["url:https://t.cn/abc123"]),
        ("让我下载了一个叫“金盛国际”的APP", ["app:金盛国际"]),
        ("下载《鑫汇宝》软件", ["app:鑫汇宝"]),
        ("他让我装腾讯会议", ["app:腾讯会议"]),
    ],
)
def test_fraudster_contacts(text, contacts):
    assert values_of(text, "fraudster_contact") == contacts


def test_a_channel_written_word_by_word_keeps_its_place_in_the_message():
    assert [(e["value"], e["text"]) for e in entities_of("用的是 支付 宝 转的", "payment_channel")] == [("alipay", "支付 宝")]


def test_an_hour_said_twice_is_not_its_own_minutes():
    assert set(values_of("上周二上午 十点 十点钟", "transfer_time")) == {"2026-11-10T10:00:00+08:00"}


@pytest.mark.parametrize("text, expected", [
    ("礼拜六下午转的", "2026-11-28"),                     # Saturday 01:10: this Saturday's afternoon has not come
    ("周六下午四点半转的", "2026-11-28T16:30:00+08:00"),
    ("周六转的", "2026-12-05"),                            # the day alone: today
    ("昨个头晌 十点来钟转的", "2026-12-04T10:00:00+08:00"),   # 头晌: the morning
])
def test_a_weekday_said_on_that_day_before_its_part_is_last_weeks(text, expected):
    from bot.extract.times import find_times
    early_saturday = datetime(2026, 12, 5, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert find_times(text, early_saturday)[0][2] == expected
