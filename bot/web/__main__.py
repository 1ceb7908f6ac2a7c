"""`python -m bot.web serve`: the citizen web chat and the officer desk on WEB_PORT (make run starts it)."""
from __future__ import annotations

import argparse
import logging
import sys

from aiohttp import web

from bot.desk.crypto import load_cipher
from bot.desk.errors import DeskError
from bot.privacy import install_log_masking
from bot.settings import Settings
from bot.web.app import create_app


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.web")
    parser.add_argument("command", choices=["serve"])
    parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    install_log_masking()
    settings = Settings.from_env()
    try:
        load_cipher(settings)
    except DeskError as error:
        print(f"bot.web: {error}", file=sys.stderr)
        return 2
    web.run_app(create_app(settings), host=settings.host, port=settings.web_port, print=None,
                shutdown_timeout=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
