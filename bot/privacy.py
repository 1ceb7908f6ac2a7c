"""Personal numbers never appear in full in logs or audit details: `****0128`.

A number of 11 or more digits (phones, card and ID numbers; optionally grouped by spaces or dashes,
an ID may end in X) keeps only its last four, also inside JSON-escaped text ("\\u8bc1110101…").
Tokens that mix digits and letters (call UUIDs) are left alone. Lone surrogates, which cannot be
written to a UTF-8 log, are replaced.
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path

_LONG_NUMBER = re.compile(r"(?<![\dA-Za-z])(?<!\d[ \-])(?<![A-Za-z]-)\d(?:[ \-]?\d){10,}[Xx]?"
                          r"(?![\dA-Za-z])(?![ \-]\d)(?!-[A-Za-z])")
_JSON_ESCAPE = re.compile(r"(\\u[0-9a-fA-F]{4})")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SEPARATORS = re.compile(r"[ \-]")


def mask_number(number: str) -> str:
    digits = _SEPARATORS.sub("", number)
    return f"****{digits[-4:]}"


def mask_numbers(text: str) -> str:
    """Every phone-, card- or ID-length number in text, masked to its last four."""
    pieces = _JSON_ESCAPE.split(_SURROGATE.sub("\ufffd", text))  # odd pieces are the escapes
    return "".join(piece if index % 2 else _LONG_NUMBER.sub(lambda m: mask_number(m.group(0)), piece)
                   for index, piece in enumerate(pieces))


class _MaskingRecord(logging.LogRecord):
    def getMessage(self) -> str:  # noqa: N802 (logging's name)
        return mask_numbers(super().getMessage())


def install_log_masking() -> None:
    """Every log record of this process is masked, whichever library logs it."""
    if logging.getLogRecordFactory() is not _MaskingRecord:
        logging.setLogRecordFactory(_MaskingRecord)


def keep_files_private(*files: Path) -> None:
    """Files this process (and its children) create are readable by their owner only (0600), and so
    are the given files if they exist already (stores written by older versions)."""
    os.umask(0o077)
    for path in files:
        for companion in (path, *path.parent.glob(path.name + "-*")):  # SQLite's -wal, -shm, -journal
            if companion.is_file():
                companion.chmod(0o600)
