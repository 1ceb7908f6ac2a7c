import pytest

from bot.nlu.text import normalize, to_halfwidth, to_simplified


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ＡＰＰ１２３", "APP123"),
        ("验证码：１２３４", "验证码:1234"),
        ("你好\u3000在吗？", "你好 在吗?"),
        ("已经是半角 abc 123", "已经是半角 abc 123"),
    ],
)
def test_fullwidth_becomes_halfwidth(raw, expected):
    assert to_halfwidth(raw) == expected


@pytest.mark.parametrize(
    "traditional, simplified",
    [
        ("出租銀行卡犯法嗎", "出租银行卡犯法吗"),
        ("接到96110的電話是真的嗎", "接到96110的电话是真的吗"),
        ("幫信罪判幾年", "帮信罪判几年"),
        ("騙子讓我開螢幕共享", "骗子让我开萤幕共享"),
    ],
)
def test_traditional_becomes_simplified(traditional, simplified):
    assert to_simplified(traditional) == simplified


def test_normalize_keeps_length_so_entity_offsets_stay_valid():
    text = "轉賬５萬元到ＩＣＢＣ卡６２２２"
    assert len(normalize(text)) == len(text)
    assert normalize(text) == "转账5万元到ICBC卡6222"


def test_simplified_input_is_unchanged():
    text = "客服说要关闭百万保障，让我开屏幕共享"
    assert normalize(text) == "客服说要关闭百万保障,让我开屏幕共享"


def test_written_cantonese_reads_as_mandarin_with_the_same_offsets():
    from bot.nlu.text import normalize

    text = "係呀 转咗两次 冇喇 唔知"
    assert normalize(text) == "是呀 转了两次 没喇 不知" and len(normalize(text)) == len(text)


@pytest.mark.parametrize("typed, meant", [("我用微信专过去了", "我用微信转过去了"), ("专到他卡上了", "转到他卡上了"),
                                         ("专账三千", "转账三千"), ("专门打电话来", "专门打电话来"),
                                         ("专款专用", "专款专用"), ("专给老人的理财", "专给老人的理财")])
def test_zhuan_typed_as_its_homophone_reads_as_a_transfer_only_where_it_must_be(typed, meant):
    assert normalize(typed) == meant


@pytest.mark.parametrize("heard, meant", [("用手机那个云闪附转的", "用手机那个云闪付转的"), ("刚才问那个互名 俺想起来了", "刚才问那个户名 俺想起来了")])
def test_a_recognisers_homophones_of_wallets_and_the_holder_word(heard, meant):
    assert normalize(heard) == meant and len(normalize(heard)) == len(heard)


def test_the_afternoon_said_as_xiabantian():
    from bot.extract.entities import extract_entities
    from datetime import datetime
    from zoneinfo import ZoneInfo
    now = datetime(2026, 12, 3, 15, 40, tzinfo=ZoneInfo("Asia/Shanghai"))
    times = [e["value"] for e in extract_entities("前天 前天下半天 大概三点钟光景", now) if e["entity"] == "transfer_time"]
    assert times == ["2026-12-01T15:00:00+08:00"]
