import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .helpers import entities_of, values_of


@pytest.mark.parametrize(
    "text, amounts",
    [
        ("我转了五万到他卡上", [50000]),
        ("我被骗了两次，一次八千一次一万五", [8000, 15000]),
        ("一共¥12,800", [12800]),
        ("八千一笔，两万一笔", [8000, 20000]),
        ("打了5w过去", [50000]),
        ("一共1.5万", [15000]),
        ("伍万元整", [50000]),
        ("3,500元", [3500]),
        ("转了两千五", [2500]),
        ("借了一万二", [12000]),
        ("先转了2万，后来又转了一万二，一共三万二", [20000, 12000, 32000]),
        ("又充了500块", [500]),
        ("交了两千块保证金", [2000]),
        ("损失大概三点五万", [35000]),
        ("给了他1k", [1000]),
        ("三千多块钱", [3000]),
        ("轉賬三萬元", [30000]),
        ("转了3500", [3500]),
    ],
)
def test_amounts_in_many_written_forms(text, amounts):
    assert values_of(text, "amount") == amounts


@pytest.mark.parametrize(
    "text",
    ["我今年65岁", "住在3号楼502室", "验证码是483920", "2023年的时候", "转了3次", "工号10086",
     "千万不要转账", "万一他是骗子呢", "客服说要关闭百万保障", "晚上八点", "十分钟前", "他的警号是012345",
     "我的身份证号是11010519491231002X", "第三次", "快一点", "一百一十一次"],
)
def test_ages_years_codes_counts_and_idioms_are_not_amounts(text):
    assert values_of(text, "amount") == []


@settings(max_examples=200, deadline=None)
@given(yuan=st.integers(min_value=1, max_value=9_999_999),
       template=st.sampled_from(["转了{}元", "一共被骗{}块", "我给他打了{}元过去", "充值{}元"]),
       chinese=st.booleans())
def test_any_integer_amount_round_trips(yuan, template, chinese):
    written = cn2an.an2cn(yuan) if chinese else str(yuan)
    assert values_of(template.format(written), "amount") == [yuan]


@pytest.mark.parametrize(
    "text",
    ["我电话13812345678", "手机+86 138 1234 5678", "号码是138-1234-5678", "电话幺三八一二三四五六七八",
     "联系电话：86 13812345678", "電話幺叁捌壹貳叁肆伍陸柒捌"],
)
def test_mobile_numbers_in_many_forms(text):
    phone, = entities_of(text, "phone")
    assert phone["value"] == "13812345678" and phone["valid"] is True


def test_a_ten_digit_phone_is_kept_but_invalid():
    phone, = entities_of("他的电话是1381234567", "phone")
    assert phone == {**phone, "value": "1381234567", "valid": False}


def test_an_eleven_digit_number_that_is_no_mobile_is_invalid():
    phone, = entities_of("电话12345678901", "phone")
    assert phone["valid"] is False


def test_verification_codes_are_flagged_but_never_kept():
    secret, = entities_of("验证码是483920，我已经告诉他了", "shared_secret")
    assert secret["value"] == "verification_code"
    assert "483920" not in str(secret)
    assert entities_of("密码是123456", "shared_secret")[0]["value"] == "password"


def test_an_identifier_word_in_an_earlier_clause_does_not_hide_an_amount():
    assert values_of("在朋友圈买低价手机，付了三千块对方就拉黑了", "amount") == [3000]
