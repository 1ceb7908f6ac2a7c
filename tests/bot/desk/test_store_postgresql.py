"""The case store on PostgreSQL (CASE_STORE_URL), the scale-out path: same behaviour as SQLite."""
import threading
import time
from collections import Counter

import psycopg2
import pytest

from bot.desk.accounts import Accounts
from bot.desk.crypto import generate_key
from bot.desk.errors import Conflict, Throttled, Unauthorized
from bot.desk.store import CaseStore
from bot.settings import Settings
from tests.bot.desk.conftest import CARD, open_case


KEY = generate_key()  # one server for the session: one key, as in production (the audit chain is keyed)


@pytest.fixture
def pg_store(postgres_url):
    store = CaseStore.open(Settings.from_env({"CASE_STORE_URL": postgres_url, "CASE_STORE_KEY": KEY}))
    yield store
    store.close()


def test_cases_claims_and_links_work_on_postgresql(pg_store, postgres_url):
    first = open_case(pg_store, "pg-1", transcript=[{"from": "citizen", "text": f"卡号{CARD}", "at": 1.0}])
    second = open_case(pg_store, "pg-2")
    assert pg_store.case(first["id"])["linked_case_ids"] == [second["id"]]
    results = []
    barrier = threading.Barrier(2)

    def claim(officer):
        barrier.wait()
        try:
            results.append(pg_store.claim(first["id"], officer)["claimed_by"])
        except Conflict:
            results.append(None)

    threads = [threading.Thread(target=claim, args=(name,)) for name in ("a", "b")]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(results, key=str) == sorted([None, pg_store.case(first["id"])["claimed_by"]], key=str)
    with psycopg2.connect(postgres_url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT payload_enc FROM cases")
        assert all(CARD not in row[0] for row in cursor.fetchall())
    with psycopg2.connect(postgres_url) as conn, conn.cursor() as cursor:
        with pytest.raises(psycopg2.Error, match="append-only"):
            cursor.execute("DELETE FROM audit_log")


def test_parallel_wrong_passwords_are_counted_atomically_on_postgresql(pg_store):
    accounts = Accounts(pg_store, lockout_attempts=5, lockout_minutes=15)
    accounts.add_officer("pg-officer", "a-long-password")
    answers = []
    start = threading.Barrier(30)

    def guess(i):
        start.wait()
        try:
            accounts.authenticate("pg-officer", f"guess-{i}", "203.0.113.50")
        except (Unauthorized, Throttled) as error:
            answers.append(error.status)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert Counter(answers) == {401: 5, 429: 25}
    time.sleep(2.5)  # the account's own back-off is seconds; the officer elsewhere gets in
    assert accounts.authenticate("pg-officer", "a-long-password", "198.51.100.50").username == "pg-officer"


def test_the_audit_chain_stays_whole_under_concurrent_writers_on_postgresql(pg_store, postgres_url):
    case = open_case(pg_store, "pg-audit")
    start = threading.Barrier(8)

    def read(officer):
        start.wait()
        for _ in range(5):
            pg_store.read_case(case["id"], officer)

    threads = [threading.Thread(target=read, args=(f"o{i}",)) for i in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    check = pg_store.verify_audit()
    assert check.ok, check
    reopened = CaseStore(pg_store.engine, pg_store.cipher)
    CaseStore.open(Settings.from_env({"CASE_STORE_URL": postgres_url, "CASE_STORE_KEY": KEY})).close()
    assert reopened.verify_audit().checked == check.checked  # opening again (schema update) changes nothing
    with psycopg2.connect(postgres_url) as conn, conn.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
        cursor.execute("UPDATE audit_log SET detail = 'x' WHERE id = (SELECT max(id) FROM audit_log)")
        cursor.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
    assert not pg_store.verify_audit().ok
