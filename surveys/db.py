"""Engine set-up shared by the web app, the scheduler, the CLI and the benchmarks."""

import json

from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session


def json_dumps(value: object) -> str:
    """JSON columns as people read them: Vietnamese stays Vietnamese (no \\u escapes) in the database."""
    return json.dumps(value, ensure_ascii=False)


# Options for every engine the project creates (``create_engine(url, **ENGINE_OPTIONS)``).
ENGINE_OPTIONS = {"json_serializer": json_dumps}


def configure_engine(engine: Engine, *, sqlite_begin: str = "IMMEDIATE") -> None:
    """Make SQLite behave like a real transactional database.

    pysqlite's own transaction handling breaks SAVEPOINT; we take over BEGIN so nested
    transactions work, and WAL lets readers run beside a writer. BEGIN IMMEDIATE takes
    the write lock up front: with several web processes, a deferred transaction that
    reads and then writes fails outright ("database is locked") when another process
    wrote in between, whereas an immediate one simply waits its turn (busy_timeout).
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql(f"BEGIN {sqlite_begin}")


def upsert_insert(session: Session, table: Table):
    """An INSERT that accepts ``on_conflict_do_…`` on both engines we run on."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)
