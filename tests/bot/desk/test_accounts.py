"""Officer accounts against a real SQLite store: login back-off as an attacker tries it, tokens, removal."""
import threading
from collections import Counter

import pytest

from bot.desk import accounts as accounts_module
from bot.desk.accounts import hash_password, verify_password
from bot.desk.errors import BadRequest, Conflict, Throttled, Unauthorized
from tests.bot.desk.conftest import open_case

PASSWORD = "s3cret-password"
ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.7"


@pytest.fixture
def checked(monkeypatch):
    """How many passwords were really checked (scrypt run)."""
    calls = []
    real = accounts_module.verify_password

    def counting(password, stored):
        calls.append(password)
        return real(password, stored)
    monkeypatch.setattr(accounts_module, "verify_password", counting)
    return calls


def attempt(accounts, username, password, address, device=None):
    """What the login page would answer: (status, message, retry_after_s)."""
    try:
        accounts.authenticate(username, password, address, device)
    except Throttled as error:
        return 429, error.message, error.retry_after_s
    except Unauthorized as error:
        return 401, error.message, None
    return 200, "", None


def test_passwords_are_stored_as_scrypt_hashes():
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt$16384$8$1$") and "correct horse" not in stored
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterY", stored)
    assert hash_password("correct horse battery") != stored  # salted


def test_parallel_wrong_passwords_are_counted_before_they_are_checked(accounts, clock, checked):
    accounts.add_officer("zhang", PASSWORD)
    answers = []
    start = threading.Barrier(30)

    def guess(i):
        start.wait()
        answers.append(attempt(accounts, "zhang", f"guess-{i}", ATTACKER)[0])

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert Counter(answers) == {401: 3, 429: 27}  # lockout_attempts is 3 in these tests
    assert len(checked) == 3
    # The attacker's address stays refused for DESK_LOCKOUT_MINUTES ...
    clock.now += 60
    status, message, retry = attempt(accounts, "zhang", "guess-31", ATTACKER)
    assert status == 429 and retry == 14 * 60 and "分钟后再试" in message
    # ... while the officer, elsewhere, gets in: the account only slowed down for seconds.
    assert attempt(accounts, "zhang", PASSWORD, OFFICE)[0] == 200


def test_an_address_backs_off_longer_after_each_further_miss(accounts, clock):
    accounts.add_officer("zhang", PASSWORD)
    addresses = iter(f"192.0.2.{i}" for i in range(1, 100))  # keep the account itself out of the way
    for _ in range(3):
        assert attempt(accounts, "zhang", "wrong", ATTACKER)[0] == 401
        clock.now += 60
        accounts.authenticate("zhang", PASSWORD, next(addresses))
    assert attempt(accounts, "zhang", "wrong", ATTACKER)[:1] == (429,)
    clock.now += 15 * 60
    assert attempt(accounts, "zhang", "wrong", ATTACKER)[0] == 401  # one more guess, then twice as long
    assert attempt(accounts, "zhang", "wrong", ATTACKER)[2] == 30 * 60
    clock.now += 30 * 60 + 15 * 60 + 1  # quiet for DESK_LOCKOUT_MINUTES after the back-off: forgotten
    assert attempt(accounts, "zhang", "wrong", ATTACKER)[0] == 401
    assert [e["action"] for e in accounts.store.audit_entries()].count("login_backoff") == 2


def test_right_passwords_give_the_attempt_back(accounts, clock):
    accounts.add_officer("zhang", PASSWORD)
    assert [attempt(accounts, "zhang", "typo", OFFICE)[0] for _ in range(2)] == [401, 401]
    # Counted before the check, given back after it: many logins from one office never add up.
    assert [attempt(accounts, "zhang", PASSWORD, OFFICE)[0] for _ in range(6)] == [200] * 6
    assert attempt(accounts, "zhang", "typo", OFFICE)[0] == 401  # the third miss starts the back-off
    assert attempt(accounts, "zhang", PASSWORD, OFFICE)[0] == 429


def test_strangers_cannot_keep_an_officer_out(accounts, clock):
    accounts.add_officer("zhang", PASSWORD)
    device = accounts.authenticate("zhang", PASSWORD, OFFICE).device_token
    for round_ in range(20):  # many addresses, each guessing until it is refused
        for i in range(5):
            attempt(accounts, "zhang", "guess", f"203.0.113.{round_}")
        clock.now += 10
    status, _, retry = attempt(accounts, "zhang", PASSWORD, OFFICE)
    assert status == 429 and retry <= 15 * 60  # a new browser waits at most DESK_LOCKOUT_MINUTES
    device = accounts.authenticate("zhang", PASSWORD, ATTACKER, device).device_token  # own browser: at once
    # A stolen trusted-browser cookie buys no more guesses than an address.
    answers = [attempt(accounts, "zhang", "guess", ATTACKER, device)[0] for _ in range(5)]
    assert answers == [401, 401, 401, 429, 429]
    # ... and counts for its own officer only.
    accounts.add_officer("li", "another-password")
    assert attempt(accounts, "li", "guess", "192.0.2.200", device)[0] == 401


def test_unknown_users_get_the_same_answer_after_the_same_work(accounts, checked):
    accounts.add_officer("zhang", PASSWORD)
    known = [attempt(accounts, "zhang", "wrong", "192.0.2.1") for _ in range(5)]
    unknown = [attempt(accounts, "nobody", "wrong", "192.0.2.2") for _ in range(5)]
    assert known == unknown
    assert [a[0] for a in known] == [401, 401, 401, 429, 429]
    assert len(checked) == 6  # a dummy hash for the unknown user: the same scrypt cost
    details = [e["detail"] for e in accounts.store.audit_entries() if e["action"] == "login_failed"]
    assert "未知用户名 n*****" in details[-1] and "nobody" not in details[-1]


def test_unlock_ends_the_back_off(accounts, clock):
    accounts.add_officer("zhang", PASSWORD)
    for i in range(3):
        attempt(accounts, "zhang", "guess", ATTACKER)
    for i in range(3):
        attempt(accounts, "zhang", "guess", f"192.0.2.{i}")
    assert attempt(accounts, "zhang", PASSWORD, OFFICE)[0] == 429
    accounts.unlock("zhang", address=ATTACKER)
    assert accounts.store.audit_entries()[-1]["action"] == "unlock"
    assert attempt(accounts, "zhang", PASSWORD, OFFICE)[0] == 200
    assert attempt(accounts, "zhang", PASSWORD, ATTACKER)[0] == 200
    with pytest.raises(BadRequest):
        accounts.unlock("nobody")


def test_unknown_users_and_weak_accounts_are_refused(accounts):
    with pytest.raises(Unauthorized):
        accounts.authenticate("nobody", "whatever-password")
    with pytest.raises(BadRequest):
        accounts.add_officer("li", "short")
    with pytest.raises(BadRequest):
        accounts.add_officer("bad name!", "long-enough-password")
    accounts.add_officer("li", "long-enough-password")
    with pytest.raises(Conflict):
        accounts.add_officer("li", "another-long-password")


def test_tokens_and_sessions_identify_the_officer(accounts, clock):
    accounts.add_officer("zhang", PASSWORD)
    token = accounts.issue_token("zhang")
    assert token.startswith("dsk_") and accounts.officer_for_token(token) == "zhang"
    assert accounts.officer_for_token(token + "x") is None
    session_id, csrf = accounts.start_session("zhang")
    assert accounts.session(session_id).username == "zhang" and accounts.session(session_id).csrf_token == csrf
    clock.now += 13 * 3600
    assert accounts.session(session_id) is None
    with pytest.raises(BadRequest):
        accounts.issue_token("nobody")


def test_tokens_expire_and_can_be_revoked(accounts, clock):
    accounts.add_officer("zhang", PASSWORD)
    short, default = accounts.issue_token("zhang", days=1), accounts.issue_token("zhang")
    clock.now += 86400 + 1
    assert accounts.officer_for_token(short) is None and accounts.officer_for_token(default) == "zhang"
    clock.now += 89 * 86400
    assert accounts.officer_for_token(default) is None
    for days in (0, -1, 100000):
        with pytest.raises(BadRequest):
            accounts.issue_token("zhang", days=days)
    tokens = [accounts.issue_token("zhang") for _ in range(2)]
    assert accounts.revoke_tokens("zhang") == 4  # the expired ones go too
    assert all(accounts.officer_for_token(t) is None for t in tokens)
    assert "撤销 4 个令牌" in accounts.store.audit_entries()[-1]["detail"]


def test_a_removed_officer_is_out_at_once_and_their_cases_go_back_to_the_queue(accounts, store):
    accounts.add_officer("zhang", PASSWORD)
    token, (session_id, _) = accounts.issue_token("zhang"), accounts.start_session("zhang")
    device = accounts.authenticate("zhang", PASSWORD, OFFICE).device_token
    claimed, closed = open_case(store, "c1"), open_case(store, "c2")
    store.claim(claimed["id"], "zhang")
    store.claim(closed["id"], "zhang")
    store.close_case(closed["id"], "zhang", "stopped")
    assert accounts.remove_officer("zhang") == [claimed["id"]]
    assert accounts.officer_for_token(token) is None and accounts.session(session_id) is None
    assert attempt(accounts, "zhang", PASSWORD, OFFICE, device)[0] == 401
    released = store.case(claimed["id"])
    assert released["status"] == "waiting" and released["claimed_by"] is None
    assert store.case(closed["id"])["claimed_by"] == "zhang"  # history stays
    actions = [e["action"] for e in store.audit_entries()]
    assert actions[-3:] == ["unclaim", "remove_officer", "login_failed"]
    with pytest.raises(BadRequest):
        accounts.remove_officer("zhang")
