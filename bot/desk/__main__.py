"""`python -m bot.desk serve | add-officer USERNAME --password-stdin | issue-token USERNAME | generate-key`."""
from __future__ import annotations

import argparse
import getpass
import logging
import sys

from aiohttp import web

from bot.desk.accounts import Accounts
from bot.desk.app import create_desk_app
from bot.desk.crypto import generate_key, load_cipher
from bot.desk.errors import DeskError
from bot.desk.store import CaseStore
from bot.privacy import install_log_masking
from bot.settings import Settings, SettingsError


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码: ")
    if getpass.getpass("再输入一次: ") != first:
        raise DeskError("两次输入的密码不一致。")
    return first


def serve(settings: Settings) -> None:
    load_cipher(settings)  # a missing key in production stops here, before anything listens
    web.run_app(create_desk_app(settings), host=settings.host, port=settings.web_port, print=None,
                shutdown_timeout=5)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.desk", description="96110 反诈 民警工作台")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="start the desk alone on WEB_PORT")
    add = commands.add_parser("add-officer", help="create an officer account")
    add.add_argument("username")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    token = commands.add_parser("issue-token", help="print a new API token for an officer")
    token.add_argument("username")
    commands.add_parser("generate-key", help="print a new CASE_STORE_KEY")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    install_log_masking()
    try:
        settings = Settings.from_env()
        if args.command == "generate-key":
            print(generate_key())
            return 0
        if args.command == "serve":
            serve(settings)
            return 0
        store = CaseStore.open(settings)
        try:
            accounts = Accounts(store, settings.lockout_attempts, settings.lockout_minutes, settings.session_hours)
            if args.command == "add-officer":
                accounts.add_officer(args.username, _password(args.password_stdin))
                print(f"已创建民警账号 {args.username}", file=sys.stderr)
            else:
                print(accounts.issue_token(args.username))
        finally:
            store.close()
    except (DeskError, SettingsError) as error:
        print(f"bot.desk: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
