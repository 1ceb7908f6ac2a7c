"""Starts the Rasa server (`rasa run …`) with its token read from the environment.

A token on the command line is visible to every user of the machine in `ps`; this process's command
line carries everything but the token. Request bodies are also capped (Sanic's default is 100 MB), and
action-server responses are validated with a validator built once (bot.rasa_validation), event classes
are looked up once (bot.rasa_events) and calls to the action server share open connections (bot.rasa_http).

endpoints.yml and credentials.yml refer to environment variables; the ones derived from the settings
(where the other services are, which lock store) are set here, so `make run`, a container or another
machine start a Rasa server the same way: `python -m bot.rasa_server --model … --port …`.
"""
from __future__ import annotations

import os
import sys
from typing import Dict, Mapping

from bot.settings import Settings

TOKEN_ENV = "RASA_TOKEN"
# Rasa's RedisLockStore configured by LOCK_STORE_URL (bot/stores/lock.py); "in_memory" is Rasa's default.
REDIS_LOCK_STORE = "bot.stores.lock.URLRedisLockStore"
WECHAT_DEFAULTS = {"WECHAT_TOKEN": "", "WECHAT_APP_ID": "", "WECHAT_APP_SECRET": "", "WECHAT_ENCODING_AES_KEY": "",
                   "WECHAT_MODE": "safe", "WECHAT_API_BASE": "https://api.weixin.qq.com"}
MAX_BODY_BYTES = 256 * 1024
TF_THREADS = ("TF_INTRA_OP_PARALLELISM_THREADS", "TF_INTER_OP_PARALLELISM_THREADS")   # read by rasa.__main__


def endpoint_environment(settings: Settings, env: Mapping[str, str]) -> Dict[str, str]:
    """What endpoints.yml and credentials.yml refer to besides the tokens (see README "Configuration")."""
    derived = {name: env.get(name, default) for name, default in WECHAT_DEFAULTS.items()}  # the channel is off
    derived.update({
        "ACTIONS_URL": settings.actions_url,  # the action server
        "WEB_URL": settings.web_url,          # web-chat pushes (a web instance, or a balancer in front of several)
        "VOICE_URL": settings.voice_url,      # WeChat voice messages transcribed by the voice line
        "LOCK_STORE_TYPE": REDIS_LOCK_STORE if settings.lock_store_url else "in_memory",
    })
    return derived


def main() -> int:
    token = os.environ.get(TOKEN_ENV, "")
    if not token:
        print(f"rasa: {TOKEN_ENV} must be set (bot.run sets it)", file=sys.stderr)
        return 1
    os.environ.update(endpoint_environment(Settings.from_env(), os.environ))
    os.environ["SANIC_REQUEST_MAX_SIZE"] = str(MAX_BODY_BYTES)  # read by Sanic when Rasa creates its app
    if Settings.from_env().rasa_tuning:
        # One thread for TensorFlow's small models: a server per core, not threads waiting for each other's cores
        for name in TF_THREADS:
            os.environ.setdefault(name, "1")
    sys.argv = ["rasa", "run", *sys.argv[1:], "--auth-token", token]
    from rasa.__main__ import main as rasa_main

    from bot import rasa_events, rasa_graph, rasa_http, rasa_validation

    if Settings.from_env().rasa_tuning:
        rasa_validation.install()
        rasa_events.install()
        rasa_graph.install()
        rasa_http.install()
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
