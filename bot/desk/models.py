"""Tables of the case store (SQLite by default, PostgreSQL through CASE_STORE_URL)."""
from __future__ import annotations

from sqlalchemy import (
    Boolean, Column, DDL, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text, create_engine, event,
    inspect, text,
)
from sqlalchemy.engine import Engine

metadata = MetaData()

officers = Table(
    "officers", metadata,
    Column("username", String(64), primary_key=True),
    Column("password_hash", String(255), nullable=False),
    # Unused since login back-off moved to login_throttle; kept because existing databases have them.
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("locked_until", Float),
    Column("created_at", Float, nullable=False),
    Column("phone", String(32)),  # printed on stop-payment requests: the bank calls back
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(64), ForeignKey("officers.username"), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float),  # NULL: issued before tokens expired; see accounts.LEGACY_TOKEN_DAYS
)

# Browsers an officer logged in from: their login attempts are counted apart from strangers'.
trusted_devices = Table(
    "trusted_devices", metadata,
    Column("device_hash", String(64), primary_key=True),
    Column("username", String(64), ForeignKey("officers.username"), nullable=False, index=True),
    Column("expires_at", Float, nullable=False),
)

# Login back-off per address, account or trusted browser (bucket: SHA-256 of "kind:value").
login_throttle = Table(
    "login_throttle", metadata,
    Column("bucket", String(64), primary_key=True),
    Column("misses", Integer, nullable=False),  # attempts count as misses until the password proves right
    Column("last_attempt_at", Float, nullable=False),
    Column("blocked_until", Float),
)

sessions = Table(
    "sessions", metadata,
    Column("session_hash", String(64), primary_key=True),
    Column("username", String(64), ForeignKey("officers.username"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("expires_at", Float, nullable=False),
)

cases = Table(
    "cases", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(128), nullable=False, index=True),
    Column("channel", String(32), nullable=False),
    Column("status", String(16), nullable=False, index=True),  # waiting | claimed | closed
    Column("handoff_active", Boolean, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("scam_type", String(32), nullable=False),
    Column("scam_confidence", Float, nullable=False),
    Column("in_progress", Boolean, nullable=False),
    Column("total_amount", Float, nullable=False),
    Column("last_transfer_at", Float),  # epoch seconds; NULL when no transfer or its time is unknown
    Column("has_transfers", Boolean, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("handoff_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("claimed_by", String(64)),
    Column("claimed_at", Float),
    Column("closed_at", Float),
    Column("outcome", String(16)),
    Column("frozen_amount", Float),
    Column("payload_enc", Text, nullable=False),  # Fernet: victim, transfers, contacts, narrative …
    Column("promoted_at", Float),  # a registration an officer made urgent
)

# Stop-payment requests the officer made to a bank, per receiving account: a stop lasts 48 hours and may
# be renewed once (银发〔2016〕86号); the desk reminds the officer before it runs out.
stop_requests = Table(
    "stop_requests", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("account_digest", String(64), nullable=False),  # keyed HMAC, as case_identifiers
    Column("account_enc", Text, nullable=False),  # Fernet: the account number as requested
    Column("status", String(16), nullable=False),  # requested | frozen | lifted
    Column("officer", String(64), nullable=False),
    Column("requested_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("renewals", Integer, nullable=False, default=0),
    Column("frozen_amount", Float),
    Column("updated_at", Float, nullable=False),
    Index("ix_stop_requests_open", "status", "expires_at"),
)

case_identifiers = Table(
    "case_identifiers", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("digest", String(64), nullable=False, index=True),  # keyed HMAC, see crypto.CaseCipher
)

case_messages = Table(
    "case_messages", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("sender", String(16), nullable=False),  # citizen | bot | officer
    Column("officer", String(64)),
    Column("text_enc", Text, nullable=False),
    Column("at", Float, nullable=False),
    # said by an action just now, before Rasa recorded it: Rasa's copy, when it comes, takes its place
    Column("provisional", Boolean),
    Column("rasa_at", Float),  # Rasa's timestamp of a citizen's or the bot's message: how a copy is known again
    Index("ix_case_messages_case", "case_id", "id"),
)

# What the desk still has to deliver to Rasa, in order per conversation.
outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("conversation_id", String(128), nullable=False),
    Column("kind", String(16), nullable=False),  # message | joined | handback | close
    Column("message_id", Integer, ForeignKey("case_messages.id")),
    Column("created_at", Float, nullable=False),
    Column("delivered_at", Float, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", Float, nullable=False),
    Column("last_error", String(255)),
    # when the desk itself put an officer's message on the citizen's channel (web chat page, WeChat),
    # ahead of Rasa recording it: a message never waits behind the citizen's queue
    Column("sent_at", Float),
    # one desk instance works on an item at a time (several web instances share the outbox)
    Column("leased_until", Float),
)

# Change feed: the desk polls it to push live updates (works across processes and restarts).
case_events = Table(
    "case_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("at", Float, nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Float, nullable=False),
    Column("officer", String(64)),
    Column("action", String(32), nullable=False),
    Column("case_id", Integer),
    Column("detail", Text, nullable=False),  # card, ID and phone numbers and names masked
    # Hash chain: each row's HMAC covers the previous row's and its own content (store.audit_content).
    Column("prev_hash", String(64)),
    Column("row_hash", String(64)),
)

_APPEND_ONLY_SQLITE = [
    DDL("CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"),
    DDL("CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"),
]
_APPEND_ONLY_POSTGRES = [
    DDL("CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$ LANGUAGE plpgsql"),
    DDL("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log"),
    DDL("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"),
]


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun explicitly below
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # Writers take the lock up front (several processes write the same file); readers do not block them.
    readonly = connection.get_execution_options().get("readonly")
    connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, future=True, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    return engine


def _add_new_columns(engine: Engine) -> None:
    """Columns added to a table after it was first created: create_all makes only missing tables."""
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as conn:  # on SQLite the write lock: processes starting together do this once
        inspector = inspect(conn)
        for table in metadata.sorted_tables:
            if not inspector.has_table(table.name):
                continue
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present and column.nullable:
                    conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {'IF NOT EXISTS ' if postgres else ''}"
                                      f"{column.name} {column.type.compile(dialect=engine.dialect)}"))


def create_schema(engine: Engine) -> None:
    metadata.create_all(engine)
    _add_new_columns(engine)
    statements = _APPEND_ONLY_SQLITE if engine.dialect.name == "sqlite" else _APPEND_ONLY_POSTGRES
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(statement)
