"""The engine and the one transaction helper everything else uses.

SQLite is the embedded default (a file under the data directory, WAL, foreign keys on);
PostgreSQL is used when ``LDL_DATABASE_URL`` says so.  No module keeps a global engine:
callers build one with :func:`make_engine` and pass sessions explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker


class DatabaseError(RuntimeError):
    """The database cannot be used; the message says why and how to fix it."""


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for ``url``; with ``read_only`` the database itself refuses writes."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"not a database URL: {url!r} (e.g. sqlite:///ldl.sqlite3 or "
                            "postgresql+psycopg://user@host/db)") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            if read_only:
                if not Path(parsed.database).exists():
                    raise DatabaseError(f"no database at {parsed.database}; run `ldl init`")
            else:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        if read_only:
            event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA query_only=ON"))
        return engine
    if parsed.drivername == "postgresql":  # plain URL: use psycopg 3, the one we install
        parsed = parsed.set(drivername="postgresql+psycopg")
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if read_only:
        kwargs["connect_args"] = {"options": "-c default_transaction_read_only=on"}
    return create_engine(parsed, **kwargs)


def check_connection(engine: Engine) -> None:
    """Fail early, in one line, when the database cannot be reached."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        where = engine.url.render_as_string(hide_password=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(
            f"cannot reach the database {where}: {reason}. Check LDL_DATABASE_URL (or "
            "database_url in ldl.toml) and that the server is running."
        ) from None


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(engine_or_factory: Engine | sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back if it raises."""
    factory = (session_factory(engine_or_factory) if isinstance(engine_or_factory, Engine)
               else engine_or_factory)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
