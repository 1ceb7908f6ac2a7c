"""`python -m speech serve` (the voice line; make run starts it) | `download-model --sha256 HEX`."""
from __future__ import annotations

import argparse
import logging
import sys

from aiohttp import web

from bot.privacy import install_log_masking
from bot.settings import Settings, SettingsError
from speech.call import CallSettings
from speech.errors import SpeechError
from speech.server import VoiceLine, create_voice_app
from speech.stt import MODEL_URL, download_model


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m speech", description="96110 voice line")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="AudioSocket on AUDIOSOCKET_PORT, browser calls on VOICE_PORT")
    fetch = commands.add_parser("download-model", help=f"fetch {MODEL_URL}, check it, unpack it")
    fetch.add_argument("--sha256", required=True, help="the archive's published SHA-256")
    fetch.add_argument("--url", default=MODEL_URL)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    install_log_masking()
    settings = Settings.from_env()
    if args.command == "download-model":
        try:
            print(download_model(settings.vosk_model_dir, args.sha256, args.url))
        except (SpeechError, OSError) as error:
            print(f"speech: {error}", file=sys.stderr)
            return 2
        return 0
    try:
        call_settings = CallSettings.from_env()
    except SettingsError as error:
        print(f"speech: {error}", file=sys.stderr)
        return 2
    line = VoiceLine(settings, call_settings=call_settings)
    web.run_app(create_voice_app(line), host=settings.host, port=settings.voice_port,
                print=None, shutdown_timeout=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
