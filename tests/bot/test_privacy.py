import logging

from bot.privacy import install_log_masking, mask_numbers


def test_card_and_id_numbers_are_masked_to_first_and_last_four():
    assert mask_numbers("卡号6222021234567890128已转") == "卡号6222 **** **** 0128已转"
    assert mask_numbers("6222 0212 3456 7890 128") == "6222 **** **** 0128"
    assert mask_numbers("身份证11010519491231002X") == "身份证1101 **** **** 002X"
    assert mask_numbers("手机13912345678，金额50000元") == "手机13912345678，金额50000元"
    uuid = "48041234-5678-4554-92bb-d052b971477d"
    assert mask_numbers(f"call {uuid} started") == f"call {uuid} started"


def test_log_records_are_masked_whoever_logs_them(caplog):
    install_log_masking()
    with caplog.at_level(logging.INFO):
        logging.getLogger("some.library").info("transfer to %s", "6222021234567890128")
    assert "6222 **** **** 0128" in caplog.text and "6222021234567890128" not in caplog.text
