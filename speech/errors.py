"""Errors of the voice line, one class per stage, each with a short code for logs and tests."""
from __future__ import annotations


class SpeechError(Exception):
    code = "speech-error"


class ProtocolError(SpeechError):
    """The telephony peer sent something the protocol does not allow: that call ends."""
    code = "protocol-error"


class TtsError(SpeechError):
    code = "tts-failed"


class SttError(SpeechError):
    code = "stt-failed"


class ModelMissing(SttError):
    code = "stt-model-missing"
