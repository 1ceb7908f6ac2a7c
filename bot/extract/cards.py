"""Bank card numbers: digits only, Luhn check, and telling them apart from ID-card numbers."""
from __future__ import annotations

from datetime import date

CARD_LENGTHS = range(16, 20)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def looks_like_id_card(number: str) -> bool:
    """A mainland resident ID number (GB 11643): 17 digits + check digit/X with a real birth date."""
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return False
    if not 1900 <= int(number[6:10]) <= date.today().year:
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    checksum = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS)) % 11
    return _ID_CHECK[checksum] == number[17]
