import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.extract.banks import bank_for_card, canonical_bank, find_banks
from bot.extract.cards import looks_like_id_card, luhn_valid
from bot.extract.entities import extract_entities
from bot.extract.numerals import DIGIT_WORDS, spoken_digits_to_ascii

from .helpers import NOW, entities_of

SPOKEN = {}
for word, digit in DIGIT_WORDS.items():
    SPOKEN.setdefault(digit, []).append(word)


def with_check_digit(body: str) -> str:
    for check in "0123456789":
        if luhn_valid(body + check):
            return body + check
    raise AssertionError("no check digit")


@pytest.mark.parametrize("number", ["4111111111111111", "79927398713", "6222021234567890128"])
def test_luhn_accepts_valid_numbers(number):
    assert luhn_valid(number)


@pytest.mark.parametrize("number", ["4111111111111112", "6222021234567890123", "", "12a4"])
def test_luhn_rejects_invalid_numbers(number):
    assert not luhn_valid(number)


@pytest.mark.parametrize("alias", ["工商银行", "中国工商银行", "工行", "ICBC", "icbc"])
def test_bank_synonyms_are_canonical(alias):
    assert canonical_bank(alias) == "工商银行"


def test_banks_found_in_text_with_canonical_names():
    text = "我从农行转到他的中国建设银行卡，另一张是招行的，还有平安银行"
    assert [bank for _, _, bank in find_banks(text)] == ["农业银行", "建设银行", "招商银行", "平安银行"]


@pytest.mark.parametrize("text, bank", [("她的卡是邮政的 尾号不知道", "邮储银行"), ("是从邮政那张转的", "邮储银行"),
                                        ("绑的卡，光大的……不对，是兴业的", "兴业银行")])
def test_short_bank_names_with_a_card_around_them(text, bank):
    assert [found for _, _, found in find_banks(text)][-1] == bank


def test_ordinary_words_are_not_banks():
    assert find_banks("平安就好，光大门楣，民生问题") == []
    assert find_banks("ABCD 是字母") == []


@pytest.mark.parametrize("prefix, bank", [("622202", "工商银行"), ("621700", "建设银行"),
                                          ("622848", "农业银行"), ("622580", "招商银行")])
def test_issuing_bank_from_the_bin_table(prefix, bank):
    assert bank_for_card(with_check_digit(prefix + "123456789012")) == bank


@pytest.mark.parametrize("body, bank", [("62141812345678901", "宁波银行"), ("62142012345678", "北京银行")])
def test_imported_prefixes_name_the_bank_for_the_card_length_they_apply_to(body, bank):
    card = with_check_digit(body + "0")   # 19 and 16 digits: the lengths bankcardinfo gives for these prefixes
    assert bank_for_card(card) == bank
    assert bank_for_card(with_check_digit(body)) is None   # one digit shorter: not a card of that issuer


def test_unknown_prefix_has_no_bank():
    assert bank_for_card("7777771234567890") is None


def test_id_card_numbers_are_recognised():
    assert looks_like_id_card("11010519491231002X")
    assert not looks_like_id_card("110105194913310021")  # month 13
    assert not looks_like_id_card(with_check_digit("62220212345678901"))


def _spoken(digits: str, rng: random.Random) -> str:
    return "".join(rng.choice(SPOKEN[d]) if d in SPOKEN and rng.random() < 0.5 else d for d in digits)


def _grouped(digits: str, rng: random.Random) -> str:
    sep = rng.choice(["", " ", "-"])
    size = rng.choice([4, 3, 6])
    return sep.join(digits[i:i + size] for i in range(0, len(digits), size))


@settings(max_examples=200, deadline=None)
@given(
    prefix=st.sampled_from(["622202", "621700", "622848", "621661", "622588", "621799"]),
    body=st.text(alphabet="0123456789", min_size=9, max_size=12),
    seed=st.integers(0, 10**6),
    template=st.sampled_from(["对方卡号是{}", "我转到了{}这张卡", "收款账号：{}，户名李四", "他的银行卡{}"]),
)
def test_card_numbers_in_any_written_form(prefix, body, seed, template):
    rng = random.Random(seed)
    digits = with_check_digit(prefix + body)
    written = _grouped(digits, rng)
    written = _spoken(written, rng) if rng.random() < 0.5 else written
    cards = entities_of(template.format(written), "bank_card")
    assert len(cards) == 1
    assert cards[0]["value"] == digits
    assert cards[0]["luhn_valid"] is True
    assert cards[0]["bank"] == bank_for_card(digits)


def test_a_mistyped_card_is_kept_but_marked_as_failing_luhn():
    card, = entities_of("卡号6222021234567890123", "bank_card")
    assert card["value"] == "6222021234567890123" and card["luhn_valid"] is False


@pytest.mark.parametrize(
    "text",
    ["我身份证号11010519491231002X", "身份证号码是110105194912310021",
     "他的警号是012345", "订单号6222021234567890128", "QQ号6222021234", "我家住3号楼502室"],
)
def test_id_cards_staff_numbers_and_orders_are_not_cards_or_phones(text):
    assert entities_of(text, "bank_card") == [] and entities_of(text, "phone") == []


def test_spoken_digits_only_rewrite_digit_strings():
    assert spoken_digits_to_ascii("卡号六二二二零二，转了一万二") == "卡号622202，转了一万二"
    text = "幺三八 一二三四 五六七八"
    assert len(spoken_digits_to_ascii(text)) == len(text)


def test_traditional_input_gives_the_same_entities():
    simplified = extract_entities("对方卡号六二二二零二一二三四五六七八九零一二零，工商银行", NOW)
    traditional = extract_entities("對方卡號六二二二零二一二三四五六七八九零一二零，工商銀行", NOW)
    assert [(e["entity"], e["value"]) for e in simplified] == [(e["entity"], e["value"]) for e in traditional]


def test_an_18_digit_card_whose_digits_look_like_a_date_is_still_a_card():
    card = with_check_digit("62284800020120255")  # "0002-01-20" is no birth date
    assert not looks_like_id_card(card)
    assert entities_of(f"对方卡号是{card}", "bank_card")[0]["value"] == card


@pytest.mark.parametrize("text, card", [
    ("我儿子帮我看那个回单，六二二七，零零七八，八三八四，二五八五，五五一", "6227007883842585551"),
    ("卡号6227，0078，8384，2585，551", "6227007883842585551"),
    # a bank the table does not know, but a card the message is about and valid by its check digit
    ("那个卡号我记在日历背面了，我念给你啊：六二三零，五二六七，三六九五，五零九二，零零三", "6230526736955092003"),
    ("6230，5267，3695，5092，003", None),
    ("三笔：3000，1000，2000", None), ("一二三，四五六，七八九", None),
])
def test_a_card_read_out_in_groups_with_commas_between(text, card):
    cards = [e["value"] for e in extract_entities(text, NOW) if e["entity"] == "bank_card"]
    assert cards == ([card] if card else [])


@pytest.mark.parametrize("text, bank", [("我那个农夜银行的卡", "农业银行"), ("我自己的招伤银行卡", "招商银行"),
                                        ("我那个有正储蓄的存折", "邮储银行"), ("我普发银行那张卡", "浦发银行"),
                                        ("建航的存折", "建设银行"), ("我邮政那个卡", "邮储银行")])
def test_bank_names_as_a_recogniser_hears_them_next_to_a_bank_word(text, bank):
    assert [b for _, _, b in find_banks(text)] == [bank]


def test_a_homophone_alone_is_no_bank():
    assert find_banks("我在农夜里干活") == []


def test_a_bank_and_the_channel_sharing_words_are_both_read():
    found = {(e["entity"], e["value"]) for e in extract_entities("从我工商银行卡转的，尾号3391", NOW)}
    assert {("bank_name", "工商银行"), ("payment_channel", "bank_transfer")} <= found


@pytest.mark.parametrize("text", ["农村信用合作社", "浙江农信", "广东农信的卡"])
def test_rural_credit_cooperatives_by_their_names(text):
    assert [b for _, _, b in find_banks(text)] == ["农村信用社"]
