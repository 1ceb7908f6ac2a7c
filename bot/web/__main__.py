"""`python -m bot.web serve` runs the web service alone (make run starts it with everything)."""
from __future__ import annotations

import argparse
import logging

from aiohttp import web

from bot.settings import Settings
from bot.web.app import create_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.web")
    parser.add_argument("command", choices=["serve"])
    parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_env()
    web.run_app(create_app(settings), host=settings.host, port=settings.web_port, print=None)


if __name__ == "__main__":
    main()
