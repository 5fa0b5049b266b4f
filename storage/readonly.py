"""One read-only query for ``ldl sql``, enforced by the database, not by inspecting text.

Every layer refuses on its own, so a gap in one is not a write:

* exactly one statement, sent so that the server (PostgreSQL: a prepared statement over
  the extended protocol) or the driver (SQLite) refuses a second one;
* inside a read-only transaction;
* PostgreSQL: as the SELECT-only reader role (:mod:`storage.reader_role`), reached by
  ``SET ROLE`` from a non-superuser login, or by logging in as it when ldl's own login is
  a superuser (a superuser session could switch back by ``set_config('role', ...)`` in the
  middle of the query); the role and the read-only mode are checked again after the
  query, and the rows are refused if either changed;
* SQLite: a ``mode=ro`` connection with ``query_only`` and an authorizer that allows only
  reading: no ATTACH/DETACH (which ``VACUUM`` and ``VACUUM INTO`` also go through), no
  PRAGMA that sets anything, no write, no transaction control.

Errors are :class:`QueryRefused` with one line saying why.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from storage.db import DatabaseError, make_engine
from storage.reader_role import unsafe_reasons


class QueryRefused(RuntimeError):
    """The query was not run, or its result withheld; the message says why."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


NO_ROWS = "query refused: it returns no rows (ldl sql runs a single SELECT)"


def run_readonly(url: str, query: str, *, reader_role: str,
                 reader_password: str | None = None) -> QueryResult:
    """Run ``query`` on the database of ``url``; on PostgreSQL as ``reader_role`` (logged in
    with ``reader_password`` when given, else reached from ``url``'s login)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite(parsed, query)
    if parsed.get_backend_name() == "postgresql":
        if reader_password is not None:
            parsed = parsed.set(username=reader_role, password=reader_password)
        return _postgresql(parsed, query, reader_role)
    raise DatabaseError(f"`ldl sql` supports SQLite and PostgreSQL, not {parsed.drivername}")


# --------------------------------------------------------------------------- SQLite

_READ_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE}
# PRAGMAs that only describe the schema: allowed with their argument (a table's name)
_DESCRIBE_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "database_list", "collation_list", "function_list", "module_list",
    "pragma_list", "compile_options"})
# PRAGMAs that read a setting: allowed only without a value (with one they set it)
_SETTING_PRAGMAS = frozenset({
    "user_version", "schema_version", "application_id", "data_version", "page_count",
    "page_size", "freelist_count", "encoding", "journal_mode", "foreign_keys",
    "query_only", "busy_timeout", "cache_size"})
_SCHEMA_TABLES = frozenset({"sqlite_master", "sqlite_temp_master", "sqlite_schema",
                            "sqlite_temp_schema"})
_DENIED_FUNCTIONS = frozenset({"load_extension", "fts3_tokenizer"})
_ACTION_NAMES = {
    getattr(sqlite3, f"SQLITE_{name}"): name.replace("_", " ")
    for name in ("CREATE_INDEX", "CREATE_TABLE", "CREATE_TEMP_INDEX", "CREATE_TEMP_TABLE",
                 "CREATE_TEMP_TRIGGER", "CREATE_TEMP_VIEW", "CREATE_TRIGGER", "CREATE_VIEW",
                 "DELETE", "DROP_INDEX", "DROP_TABLE", "DROP_TEMP_INDEX", "DROP_TEMP_TABLE",
                 "DROP_TEMP_TRIGGER", "DROP_TEMP_VIEW", "DROP_TRIGGER", "DROP_VIEW", "INSERT",
                 "PRAGMA", "TRANSACTION", "UPDATE", "ATTACH", "DETACH", "ALTER_TABLE",
                 "REINDEX", "ANALYZE", "CREATE_VTABLE", "DROP_VTABLE", "FUNCTION",
                 "SAVEPOINT")
}


def sqlite_denial(action: int, arg1: str | None, arg2: str | None) -> str | None:
    """Why the authorizer refuses this action (None: allowed).  A pure rule, tested alone."""
    if action in _READ_ACTIONS:
        return None
    if action == sqlite3.SQLITE_FUNCTION:
        return f"the function {arg2}() is not allowed" if arg2 in _DENIED_FUNCTIONS else None
    if action == sqlite3.SQLITE_PRAGMA:
        name = (arg1 or "").lower()
        if name in _DESCRIBE_PRAGMAS or (name in _SETTING_PRAGMAS and arg2 is None):
            return None
        shown = f"PRAGMA {arg1}" + (f" = {arg2}" if arg2 is not None else "")
        return f"{shown} is not allowed"
    if (arg1 or "").lower() in _SCHEMA_TABLES:  # CREATE/DROP write these first
        return "changing the schema (CREATE, DROP, ALTER) is not allowed"
    what = _ACTION_NAMES.get(action, f"action {action}")
    if action == sqlite3.SQLITE_ATTACH:
        return f"ATTACH {arg1!r} (which VACUUM also uses) is not allowed"
    if action == sqlite3.SQLITE_TRANSACTION:  # arg1: BEGIN, COMMIT or ROLLBACK
        return f"{arg1 or what} is not allowed"
    if action == sqlite3.SQLITE_SAVEPOINT:  # arg1: BEGIN, RELEASE or ROLLBACK
        return "SAVEPOINT is not allowed"
    return f"{what}{f' on {arg1}' if arg1 else ''} is not allowed"


def _sqlite(url: URL, query: str) -> QueryResult:
    database = url.database or ""
    if not database or database == ":memory:" or not Path(database).is_file():
        raise DatabaseError(f"no database at {database or '(none)'}; run `ldl init`")
    uri = Path(database).resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
    denied: list[str] = []

    def authorize(action: int, arg1: str | None, arg2: str | None, _db: str | None,
                  _source: str | None) -> int:
        reason = sqlite_denial(action, arg1, arg2)
        if reason is None:
            return sqlite3.SQLITE_OK
        denied.append(reason)
        return sqlite3.SQLITE_DENY

    try:
        conn.execute("PRAGMA query_only = ON")
        conn.execute("BEGIN")  # one snapshot; the authorizer refuses any other BEGIN/COMMIT
        conn.set_authorizer(authorize)
        try:
            cursor = conn.execute(query)
            if cursor.description is None:
                raise QueryRefused(NO_ROWS)
            columns = [d[0] for d in cursor.description]
            rows = [tuple(r) for r in cursor.fetchall()]
        except (sqlite3.Error, sqlite3.Warning) as exc:
            reason = denied[0] if denied else _first_line(exc)
            raise QueryRefused(f"query refused: {reason} (ldl sql runs one read-only "
                               "statement)") from None
        return QueryResult(columns, rows)
    finally:
        conn.set_authorizer(None)
        conn.close()


# --------------------------------------------------------------------------- PostgreSQL


def _postgresql(url: URL, query: str, role: str) -> QueryResult:
    import psycopg
    from psycopg import sql

    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        with engine.connect() as conn:
            superuser = conn.execute(text(
                "SELECT rolsuper FROM pg_roles WHERE rolname = session_user")).scalar()
            session_user = conn.execute(text("SELECT session_user")).scalar_one()
            reasons = unsafe_reasons(conn, role)
    except OperationalError as exc:
        if url.username != role:
            raise
        raise QueryRefused(
            f"cannot log in as {role}: {_first_line(exc.orig or exc)}. Check its password "
            "([sql] password_file, LDL_SQL__PASSWORD_FILE)") from None
    finally:
        engine.dispose()
    if reasons:
        raise QueryRefused(f"`ldl sql` will not run as the role {role}: {'; '.join(reasons)}")
    if superuser:
        # Log in as the reader itself: from a superuser session a query could switch back.
        url = url.set(username=role, password=None)
    try:
        raw = _connect(url)
    except psycopg.OperationalError as exc:
        if not superuser:
            raise DatabaseError(f"cannot reach the database: {_first_line(exc)}") from None
        raise QueryRefused(
            f"ldl connects to PostgreSQL as the superuser {session_user}, so `ldl sql` must "
            f"log in as {role} and could not: {_first_line(exc)}. Connect ldl as a "
            f"non-superuser owner, or give {role} a password ([sql] password_file) "
            "(docs/schema.md)") from None
    try:
        raw.read_only = True  # every transaction begins READ ONLY
        with raw.cursor() as cur:
            if not superuser and session_user != role:
                cur.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
            try:
                # prepare=True: Parse/Bind/Execute, where a second statement is an error
                cur.execute(query.encode(), prepare=True)
                if cur.description is None:
                    raise QueryRefused(NO_ROWS)
                columns = [d.name for d in cur.description]
                rows = [tuple(r) for r in cur.fetchall()]
                cur.execute("SELECT current_user, current_setting('transaction_read_only')")
                after = cur.fetchone()
            except psycopg.Error as exc:
                raise QueryRefused(f"query refused: {_first_line(exc)}") from None
        if after != (role, "on"):
            raise QueryRefused("query refused: it left the read-only reader role "
                               f"(ran as {after[0] if after else '?'}); its rows are withheld")
        return QueryResult(columns, rows)
    finally:
        with contextlib.suppress(psycopg.Error):
            raw.rollback()
        raw.close()


def _connect(url: URL) -> Any:
    """A psycopg connection for ``url``, its arguments translated as SQLAlchemy does."""
    import psycopg

    engine = create_engine(url.set(drivername="postgresql+psycopg"), poolclass=NullPool)
    args, kwargs = engine.dialect.create_connect_args(engine.url)
    engine.dispose()
    return psycopg.connect(*args, **kwargs)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
