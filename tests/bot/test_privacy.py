import json
import logging

from bot.privacy import install_log_masking, mask_numbers


def test_card_id_and_phone_numbers_keep_only_their_last_four():
    assert mask_numbers("卡号6222021234567890128已转") == "卡号****0128已转"
    assert mask_numbers("6222 0212 3456 7890 128") == "****0128"
    assert mask_numbers("身份证11010519491231002X") == "身份证****002X"
    assert mask_numbers("手机13912345678，金额50000元") == "手机****5678，金额50000元"
    assert mask_numbers("电话 139-1234-5678 和 010 6552 9999") == "电话 ****5678 和 ****9999"
    uuid = "48041234-5678-4554-92bb-d052b971477d"
    assert mask_numbers(f"call {uuid} started at 20:36") == f"call {uuid} started at 20:36"


def test_numbers_inside_json_escaped_text_are_masked():
    escaped = json.dumps({"text": "身份证110101199003071234，电话13812345678"})  # \u8bc1110101…
    masked = mask_numbers(escaped)
    assert "1990030" not in masked and "1381234" not in masked and "1234" in masked


def test_a_lone_surrogate_cannot_break_the_log(caplog, tmp_path):
    install_log_masking()
    handler = logging.FileHandler(tmp_path / "log.txt", encoding="utf-8")
    logger = logging.getLogger("some.library")
    logger.addHandler(handler)
    try:
        logger.warning("text %s", "坏\ud800字13812345678")
    finally:
        logger.removeHandler(handler)
        handler.close()
    written = (tmp_path / "log.txt").read_text(encoding="utf-8")
    assert "坏\ufffd字****5678" in written


def test_log_records_are_masked_whoever_logs_them(caplog):
    install_log_masking()
    with caplog.at_level(logging.INFO):
        logging.getLogger("some.library").info("transfer to %s", "6222021234567890128")
    assert "****0128" in caplog.text and "6222021234567890128" not in caplog.text
