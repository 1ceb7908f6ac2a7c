import pytest

from bot.desk.accounts import hash_password, verify_password
from bot.desk.errors import BadRequest, Conflict, Locked, Unauthorized


def test_passwords_are_stored_as_scrypt_hashes():
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt$16384$8$1$") and "correct horse" not in stored
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterY", stored)
    assert hash_password("correct horse battery") != stored  # salted


def test_officers_log_in_and_repeated_wrong_passwords_lock_the_account(accounts, clock):
    accounts.add_officer("zhang", "s3cret-password")
    assert accounts.authenticate("zhang", "s3cret-password") == "zhang"
    for _ in range(2):
        with pytest.raises(Unauthorized):
            accounts.authenticate("zhang", "wrong")
    with pytest.raises(Locked):
        accounts.authenticate("zhang", "wrong")
    with pytest.raises(Locked):  # even the right password while locked
        accounts.authenticate("zhang", "s3cret-password")
    clock.now += 15 * 60 + 1
    assert accounts.authenticate("zhang", "s3cret-password") == "zhang"
    actions = [e["action"] for e in accounts.store.audit_entries()]
    assert actions.count("login_failed") == 2 and "account_locked" in actions and "login_locked" in actions


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
    accounts.add_officer("zhang", "s3cret-password")
    token = accounts.issue_token("zhang")
    assert token.startswith("dsk_") and accounts.officer_for_token(token) == "zhang"
    assert accounts.officer_for_token(token + "x") is None
    session_id, csrf = accounts.start_session("zhang")
    assert accounts.session(session_id).username == "zhang" and accounts.session(session_id).csrf_token == csrf
    clock.now += 13 * 3600
    assert accounts.session(session_id) is None
    with pytest.raises(BadRequest):
        accounts.issue_token("nobody")
