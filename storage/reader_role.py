"""The PostgreSQL role that ``ldl sql`` (and operators' own tools) read the views as.

Read-only must not rest on a session setting the query itself can undo
(``default_transaction_read_only``, which ``BEGIN READ WRITE`` overrides), nor on the
rights of whoever runs ``ldl``: the owner of the tables, or worse a superuser, for whom
``COPY ... TO PROGRAM`` and ``pg_read_file`` work.  So ``ldl init`` makes a role that can
do nothing but read the operator views: ``USAGE`` on their schema and ``SELECT`` on each
``v_*`` view.  Views run with their owner's rights, so the role needs no grant on a table.

Roles are cluster-wide while databases are not, and several ``ldl init`` (or test runs)
may create the same role at once; creation tolerates losing that race and the grants are
retried when PostgreSQL reports a concurrent update.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from storage.db import DatabaseError

#: Memberships that would give the reader server files or programs.
DANGEROUS_MEMBERSHIPS = ("pg_read_server_files", "pg_write_server_files",
                         "pg_execute_server_program")

# unique_violation, duplicate_object: another session created the role or the grant first
_LOST_RACE = {"23505", "42710"}
# serialization, deadlock, "tuple concurrently updated" (XX000): a concurrent GRANT
_RETRY = {"40001", "40P01", "XX000", *_LOST_RACE}
_ATTEMPTS = 6


@dataclass(frozen=True)
class ReaderGrant:
    """What ``ldl init`` set up: the role and the views it may read."""

    role: str
    created: bool
    views: tuple[str, ...]


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlstate(exc: DBAPIError) -> str | None:
    return getattr(exc.orig, "sqlstate", None)


def ensure_reader(engine: Engine, role: str) -> ReaderGrant | None:
    """Create ``role`` if missing and grant it the views; None on SQLite (no roles)."""
    if engine.dialect.name != "postgresql":
        return None
    created = _create_role(engine, role)
    for attempt in range(_ATTEMPTS):
        try:
            with engine.begin() as conn:
                views = _grant(conn, role)
            return ReaderGrant(role, created, views)
        except DBAPIError as exc:
            if sqlstate(exc) not in _RETRY or attempt == _ATTEMPTS - 1:
                raise _explain(exc, role) from None
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def unsafe_reasons(conn: Connection, role: str) -> list[str]:
    """Why ``role`` must not run operators' queries (empty when it is a plain reader)."""
    row = conn.execute(text(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication "
        "FROM pg_roles WHERE rolname = :r"), {"r": role}).one_or_none()
    if row is None:
        return [f"the role {role} does not exist; run `ldl init`"]
    flags = ("superuser", "createrole", "createdb", "bypassrls", "replication")
    reasons = [f"{role} has {flag}" for flag, on in zip(flags, row, strict=True) if on]
    for member_of in DANGEROUS_MEMBERSHIPS:
        if conn.execute(text("SELECT pg_has_role(:r, :m, 'USAGE')"),
                        {"r": role, "m": member_of}).scalar():
            reasons.append(f"{role} has the rights of {member_of}")
    owns = conn.execute(text(
        "SELECT count(*) FROM pg_class c JOIN pg_roles o ON o.oid = c.relowner "
        "WHERE o.rolname = :r AND c.relnamespace = current_schema()::regnamespace"),
        {"r": role}).scalar()
    if owns:
        reasons.append(f"{role} owns tables or views of the schema")
    return reasons


def _create_role(engine: Engine, role: str) -> bool:
    """True when this call created the role; an existing one is checked, not changed."""
    auto = engine.execution_options(isolation_level="AUTOCOMMIT")
    created = False
    with auto.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                            {"r": role}).scalar():
            try:
                # LOGIN without a password: with password authentication nobody can log
                # in as it until an operator sets one (docs/schema.md); NOINHERIT and no
                # attributes, so it holds exactly the grants below.
                conn.execute(text(
                    f"CREATE ROLE {quote_ident(role)} LOGIN NOSUPERUSER NOCREATEDB "
                    "NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS"))
                created = True
            except DBAPIError as exc:
                if sqlstate(exc) not in _LOST_RACE:  # else a concurrent run made it first
                    raise _explain(exc, role) from None
        reasons = unsafe_reasons(conn, role)
        if reasons:
            raise DatabaseError(
                f"the role {role} cannot be the SELECT-only reader of `ldl sql`: "
                f"{'; '.join(reasons)}. Choose another name ([sql] reader_role) or "
                "remove those rights")
    return created


def _grant(conn: Connection, role: str) -> tuple[str, ...]:
    ident = quote_ident(role)
    schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    if not conn.execute(text("SELECT has_schema_privilege(:r, :s, 'USAGE')"),
                        {"r": role, "s": schema}).scalar():
        conn.execute(text(f"GRANT USAGE ON SCHEMA {quote_ident(schema)} TO {ident}"))
    views = tuple(conn.execute(text(
        "SELECT viewname FROM pg_views WHERE schemaname = :s AND viewname LIKE 'v\\_%' "
        "ORDER BY viewname"), {"s": schema}).scalars())
    for view in views:
        if not conn.execute(text("SELECT has_table_privilege(:r, :v, 'SELECT')"),
                            {"r": role, "v": f"{quote_ident(schema)}.{quote_ident(view)}"}
                            ).scalar():
            conn.execute(text(f"GRANT SELECT ON {quote_ident(schema)}.{quote_ident(view)} "
                              f"TO {ident}"))
    # A non-superuser owner reaches the reader by SET ROLE, so it must be a member (with
    # the SET option on PostgreSQL 16+, where membership and SET are separate).  A
    # superuser is not made a member: `ldl sql` logs in as the reader instead.
    superuser = conn.execute(text(
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar()
    if not superuser:
        pg16 = int(conn.execute(text("SHOW server_version_num")).scalar_one()) >= 160000
        can_set = conn.execute(text("SELECT pg_has_role(current_user, :r, :p)"),
                               {"r": role, "p": "SET" if pg16 else "MEMBER"}).scalar()
        if not can_set:  # SET is TRUE by default on 16+; inheriting a reader is harmless
            conn.execute(text(f"GRANT {ident} TO CURRENT_USER"))
    return views


def _explain(exc: DBAPIError, role: str) -> DatabaseError:
    first = str(exc.orig if exc.orig is not None else exc).strip().splitlines()[0]
    if sqlstate(exc) == "42501":  # insufficient_privilege
        return DatabaseError(
            f"cannot set up the SELECT-only role {role} of `ldl sql`: {first}. As a "
            f"database administrator run once: CREATE ROLE {role} LOGIN; GRANT {role} TO "
            "<the role ldl connects as>; then run `ldl init` again (docs/schema.md)")
    return DatabaseError(f"cannot set up the role {role} of `ldl sql`: {first}")
