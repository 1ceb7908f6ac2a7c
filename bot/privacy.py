"""Card and ID numbers never appear in full in logs: `6222 **** **** 1234`."""
from __future__ import annotations

import logging
import re

# 12–19 digits, optionally grouped by spaces or dashes; an ID number may end in X.
# Not inside longer tokens such as UUIDs (hex and dashes around the digits).
_LONG_NUMBER = re.compile(r"(?<![\dA-Za-z\-])\d(?:[ \-]?\d){10,17}(?:[ \-]?[\dXx])(?![\dA-Za-z\-])")


def mask_number(number: str) -> str:
    digits = re.sub(r"[ \-]", "", number)
    return f"{digits[:4]} **** **** {digits[-4:]}"


def mask_numbers(text: str) -> str:
    """Every card-length or ID-length number in text, masked to its first and last four."""
    return _LONG_NUMBER.sub(lambda m: mask_number(m.group(0)), text)


class _MaskingRecord(logging.LogRecord):
    def getMessage(self) -> str:  # noqa: N802 (logging's name)
        return mask_numbers(super().getMessage())


def install_log_masking() -> None:
    """Every log record of this process is masked, whichever library logs it."""
    if logging.getLogRecordFactory() is not _MaskingRecord:
        logging.setLogRecordFactory(_MaskingRecord)
