"""Mainland mobile numbers, validated with phonenumbers."""
from __future__ import annotations

import re

import phonenumbers


def mobile_number(digits: str) -> tuple[str, bool]:
    """(11-digit national number, valid) for digits with or without the 86 country code."""
    national = re.sub(r"^(?:00|0)?86(?=1\d{10}$)", "", digits)   # +86, 086, 0086
    try:
        parsed = phonenumbers.parse(national, "CN")
    except phonenumbers.NumberParseException:
        return national, False
    valid = (
        len(national) == 11
        and phonenumbers.is_valid_number(parsed)
        and phonenumbers.number_type(parsed) in (
            phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    )
    return national, valid


def mobile_shaped(digits: str) -> bool:
    """11 digits starting with 1: a mainland mobile number, whether or not its range is known yet."""
    return len(digits) == 11 and digits.isdigit() and digits.startswith("1")
