"""`python -m bot.desk COMMAND`: serve the desk alone, manage officer accounts and tokens, move cases,
check the audit trail. Every command that changes something is in the audit trail. `--help` lists them."""
from __future__ import annotations

import argparse
import getpass
import logging
import sys

from bot.desk.accounts import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, Accounts
from bot.desk.crypto import generate_key, load_cipher
from bot.desk.errors import DeskError
from bot.desk.store import CaseStore, iso
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
    from aiohttp import web  # only here: the account commands start without the web stack

    from bot.desk.app import create_desk_app

    load_cipher(settings)  # a missing key in production stops here, before anything listens
    web.run_app(create_desk_app(settings), host=settings.host, port=settings.web_port, print=None,
                shutdown_timeout=5)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.desk", description="96110 反诈 民警工作台")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="start the desk alone on WEB_PORT")
    add = commands.add_parser("add-officer", help="create an officer account")
    add.add_argument("username")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.add_argument("--phone", help="the officer's phone, printed on stop-payment requests")
    phone = commands.add_parser("set-phone", help="set the phone printed on an officer's stop-payment requests")
    phone.add_argument("username")
    phone.add_argument("phone")
    token = commands.add_parser("issue-token", help="print a new API token for an officer")
    token.add_argument("username")
    token.add_argument("--days", type=float, default=DEFAULT_TOKEN_DAYS,
                       help=f"days until the token expires (default {DEFAULT_TOKEN_DAYS}, at most {MAX_TOKEN_DAYS})")
    revoke = commands.add_parser("revoke-tokens", help="revoke every API token of an officer")
    revoke.add_argument("username")
    unlock = commands.add_parser("unlock", help="end an officer's login back-off")
    unlock.add_argument("username")
    unlock.add_argument("--address", help="also end the back-off of this client address")
    remove = commands.add_parser("remove-officer", help="delete an officer: sessions and tokens stop at once, "
                                                        "claimed cases return to the queue")
    remove.add_argument("username")
    reassign = commands.add_parser("reassign", help="give an open case to another officer")
    reassign.add_argument("case_id", type=int)
    reassign.add_argument("username")
    commands.add_parser("verify-audit", help="check the audit trail's hash chain (exit 1 at the first bad row)")
    commands.add_parser("generate-key", help="print a new CASE_STORE_KEY")
    return parser


def _run(args: argparse.Namespace, store: CaseStore, accounts: Accounts) -> int:
    command = args.command
    if command == "add-officer":
        accounts.add_officer(args.username, _password(args.password_stdin), args.phone)
        print(f"已创建民警账号 {args.username}", file=sys.stderr)
    elif command == "set-phone":
        accounts.set_phone(args.username, args.phone)
        print(f"已登记 {args.username} 的电话 {args.phone}", file=sys.stderr)
    elif command == "issue-token":
        print(accounts.issue_token(args.username, args.days))
        print(f"令牌有效期 {args.days:g} 天，至 {iso(store.clock() + args.days * 86400)}", file=sys.stderr)
    elif command == "revoke-tokens":
        print(f"已撤销 {args.username} 的 {accounts.revoke_tokens(args.username)} 个令牌", file=sys.stderr)
    elif command == "unlock":
        accounts.unlock(args.username, args.address)
        print(f"已解除 {args.username} 的登录限制" + (f"（含地址 {args.address}）" if args.address else ""),
              file=sys.stderr)
    elif command == "remove-officer":
        released = accounts.remove_officer(args.username)
        print(f"已删除民警账号 {args.username}；退回待认领的案件：" + ("、".join(f"#{i}" for i in released) or "无"),
              file=sys.stderr)
    elif command == "reassign":
        case = store.reassign(args.case_id, args.username)
        print(f"案件 #{case['id']} 已交给 {case['claimed_by']}", file=sys.stderr)
    elif command == "verify-audit":
        check = store.verify_audit()
        note = f"（另有 {check.unchained} 条早于校验链的记录未校验）" if check.unchained else ""
        if not check.ok:
            print(f"审计记录校验失败：id={check.bad_id} 的记录{check.problem}。此前 {check.checked} 条完好{note}。")
            return 1
        print(f"审计记录完整：{check.checked} 条{note}。最后一条的校验值 {check.last_hash or '（无）'}")
    return 0


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
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
            return _run(args, store, accounts)
        finally:
            store.close()
    except (DeskError, SettingsError) as error:
        print(f"bot.desk: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
