"""Starts the Rasa server (`rasa run …`) with its token read from the environment.

A token on the command line is visible to every user of the machine in `ps`; this process's command
line carries everything but the token. Request bodies are also capped (Sanic's default is 100 MB), and
action-server responses are validated with a validator built once (bot.rasa_validation).
"""
from __future__ import annotations

import os
import sys

TOKEN_ENV = "RASA_TOKEN"
# "rasa": Rasa's own per-call schema validation, only to measure the difference side by side (bench.turn_cost)
VALIDATION_ENV = "RASA_RESPONSE_VALIDATION"
MAX_BODY_BYTES = 256 * 1024


def main() -> int:
    token = os.environ.get(TOKEN_ENV, "")
    if not token:
        print(f"rasa: {TOKEN_ENV} must be set (bot.run sets it)", file=sys.stderr)
        return 1
    os.environ["SANIC_REQUEST_MAX_SIZE"] = str(MAX_BODY_BYTES)  # read by Sanic when Rasa creates its app
    sys.argv = ["rasa", "run", *sys.argv[1:], "--auth-token", token]
    from rasa.__main__ import main as rasa_main

    from bot import rasa_validation

    if os.environ.get(VALIDATION_ENV, "compiled") != "rasa":
        rasa_validation.install()
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
