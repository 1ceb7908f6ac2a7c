"""The action server (Rasa SDK) that only the Rasa server may call.

`rasa run actions` accepts any caller: a made-up tracker posted to /webhook could open cases or
relay words to an officer. This runs the same Rasa SDK app, with every call but /health required to
carry `Authorization: Bearer <ACTIONS_TOKEN>` (endpoints.yml sends it), compressed bodies refused
and errors answered without echoing the request.
"""
from __future__ import annotations

import logging
import os
import sys

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request

from bot.channels.guard import bearer_matches
from bot.privacy import install_log_masking
from bot.settings import Settings

logger = logging.getLogger(__name__)
TOKEN_ENV = "ACTIONS_TOKEN"
MAX_BODY_BYTES = 16 * 1024 * 1024  # a long conversation's tracker; Rasa's default is 100 MB


def create_action_app(token: str) -> Sanic:
    app = create_app("actions", cors_origins=None)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES

    @app.on_request
    async def only_rasa(request: Request):
        if request.path == "/health":
            return None
        if not bearer_matches(request.headers.get("Authorization"), token):
            return response.json({"error": "unauthorized"}, status=401)
        if request.headers.get("Content-Encoding", "identity") != "identity":
            return response.json({"error": "compressed bodies are not accepted"}, status=415)
        return None

    async def without_echo(request: Request, exception: Exception):
        status = getattr(exception, "status_code", 500)
        if status >= 500:
            logger.error("action server: %s failed", request.path, exc_info=exception)
        return response.json({"error": "request failed"}, status=status)

    app.error_handler.add(Exception, without_echo)
    return app


def main() -> int:
    token = os.environ.get(TOKEN_ENV, "")
    if not token:
        print(f"action server: {TOKEN_ENV} must be set (bot.run sets it)", file=sys.stderr)
        return 1
    install_log_masking()
    utils.configure_colored_logging(os.environ.get("LOG_LEVEL_ACTIONS", "INFO"))
    utils.update_sanic_log_level()
    settings = Settings.from_env()
    app = create_action_app(token)
    app.run(settings.host, settings.actions_port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
