"""The case store on PostgreSQL (CASE_STORE_URL), the scale-out path: same behaviour as SQLite."""
import threading

import psycopg2
import pytest

from bot.desk.crypto import generate_key
from bot.desk.errors import Conflict
from bot.desk.store import CaseStore
from bot.settings import Settings
from tests.bot.desk.conftest import CARD, open_case


@pytest.fixture
def pg_store(postgres_url):
    store = CaseStore.open(Settings.from_env({"CASE_STORE_URL": postgres_url, "CASE_STORE_KEY": generate_key()}))
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
