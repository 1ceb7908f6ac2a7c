import pytest

from bot.extract.secrets import find_secrets, mask_secrets

from .helpers import entities_of


@pytest.mark.parametrize(
    "text, masked",
    [
        ("验证码是483920，我已经告诉他了", "验证码是******，我已经告诉他了"),
        ("他让我把验证码发给他，是384756", "他让我把验证码发给他，是******"),
        ("我的密码 1234 56", "我的密码 *******"),
        ("卡号6222021234567890128，验证码8866", "卡号6222021234567890128，验证码****"),
    ],
)
def test_codes_and_passwords_are_masked(text, masked):
    assert mask_secrets(text) == masked


def test_other_numbers_are_left_alone():
    assert mask_secrets("我电话13812345678，转了5000") == "我电话13812345678，转了5000"
    assert find_secrets("今年65岁") == []


def test_a_masked_code_is_still_recognised_as_shared():
    secret, = entities_of("验证码是******，我已经告诉他了", "shared_secret")
    assert secret["value"] == "verification_code"


def test_spoken_codes_are_masked_too():
    assert mask_secrets("验证码是四八三九二零") == "验证码是******"
