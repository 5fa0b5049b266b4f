"""`ldl sql` is read-only by the database's own refusal, on SQLite and PostgreSQL.

Each attack of issue 7 is run through the real command: it must fail with one line
(exit 2) and leave the store, the server's files and the file system as they were.  On
PostgreSQL two logins are tried: the test server's superuser (`ldl sql` must then log in
as the reader role) and a non-superuser owner, as docker-compose.yml sets up (`ldl sql`
reaches the reader by SET ROLE).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from config.settings import load_settings
from ldl.app import App
from storage.db import DatabaseError, make_engine
from storage.models import Union
from storage.reader_role import ensure_reader, quote_ident
from storage.readonly import sqlite_denial
from tests.conftest import SAMPLE_DIRECTORY, Ldl

OWNER = "ldl_test_owner"  # a non-superuser owner, shared by concurrent test runs

# (statement, what the one-line error must say on sqlite, on postgresql)
WRITES = [
    ("ROLLBACK; BEGIN READ WRITE; DELETE FROM submissions; COMMIT",  # issue 7, verbatim
     "ROLLBACK is not allowed", "cannot insert multiple commands"),
    ("ROLLBACK; BEGIN READ WRITE; DELETE FROM unions; COMMIT",
     "ROLLBACK is not allowed", "cannot insert multiple commands"),
    ("SELECT 1; DELETE FROM unions", "one statement at a time",
     "cannot insert multiple commands"),
    ("DELETE FROM unions", "DELETE on unions is not allowed", "read-only transaction"),
    ("UPDATE unions SET name = 'x'", "UPDATE on unions is not allowed",
     "read-only transaction"),
    ("CREATE TABLE t (x int)", "changing the schema", "read-only transaction"),
    ("BEGIN READ WRITE", "BEGIN is not allowed", "returns no rows"),
]


def union_count(app: App) -> int:
    with app.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Union)) or 0)


def refused(ldl: Ldl, statement: str) -> str:
    result = ldl("sql", statement)
    assert result.exit_code == 2, result.output
    line = result.output.strip()
    assert line.count("\n") == 0 and line.startswith("ldl: error: "), line
    return line


def dialect(app: App) -> str:
    return app.engine.dialect.name


@pytest.mark.parametrize(("statement", "on_sqlite", "on_pg"), WRITES)
def test_writes_and_several_statements_are_refused(
        ldl: Ldl, app: App, statement: str, on_sqlite: str, on_pg: str) -> None:
    ldl("unions", "import", str(SAMPLE_DIRECTORY))
    count = ["sql", "SELECT count(*) AS n FROM v_compliance", "--format", "csv"]
    before = ldl(*count).output.split()
    assert before[0] == "n" and int(before[1]) > 0
    line = refused(ldl, statement)
    assert (on_sqlite if dialect(app) == "sqlite" else on_pg) in line
    assert union_count(app) == 34
    assert ldl(*count).output.split() == before


def test_postgresql_server_programs_and_files_are_refused(ldl: Ldl, app: App,
                                                          tmp_path: Path) -> None:
    if dialect(app) != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no COPY or server file functions")
    marker = tmp_path / "pwned"
    line = refused(ldl, f"COPY (SELECT 1) TO PROGRAM 'touch {marker}'")
    assert "pg_execute_server_program" in line
    assert not marker.exists()
    assert "permission denied for function pg_read_file" in refused(
        ldl, "SELECT pg_read_file('/etc/hostname')")
    assert "permission denied for function pg_ls_dir" in refused(
        ldl, "SELECT pg_ls_dir('.')")


def test_postgresql_reader_sees_the_views_only(ldl: Ldl, app: App) -> None:
    ldl("unions", "import", str(SAMPLE_DIRECTORY))
    if dialect(app) == "sqlite":  # one file, readable by whoever runs ldl anyway
        assert ldl("sql", "SELECT count(*) AS n FROM unions", "--format", "csv"
                   ).output.split() == ["n", "34"]
        return
    assert "permission denied for table unions" in refused(ldl, "SELECT * FROM unions")
    out = ldl("sql", "SELECT current_user AS u, session_user AS s", "--format", "csv").output
    assert out.split() == ["u,s", "ldl_reader,ldl_reader"]  # logged in as it: superuser here


def test_sqlite_cannot_create_files_or_change_the_database(ldl: Ldl, app: App,
                                                           tmp_path: Path) -> None:
    if dialect(app) != "sqlite":
        pytest.skip("SQLite only: ATTACH, VACUUM INTO and PRAGMA are SQLite's")
    database = Path(make_url(app.settings.effective_database_url).database or "")
    before = {p.name for p in tmp_path.rglob("*")}
    for statement, reason in [
        (f"ATTACH DATABASE '{tmp_path / 'x.db'}' AS x", "ATTACH"),
        (f"VACUUM INTO '{tmp_path / 'y.db'}'", "VACUUM"),
        ("VACUUM", "VACUUM"),
        ("DETACH DATABASE main", "DETACH"),
        ("PRAGMA journal_mode=DELETE", "PRAGMA journal_mode = DELETE is not allowed"),
        ("PRAGMA query_only=OFF", "PRAGMA query_only = OFF is not allowed"),
        ("PRAGMA user_version=7", "PRAGMA user_version = 7 is not allowed"),
        ("PRAGMA wal_checkpoint(TRUNCATE)", "PRAGMA wal_checkpoint"),
        ("SELECT load_extension('/tmp/x')", "load_extension() is not allowed"),
        ("CREATE TEMP TABLE t (x)", "changing the schema"),
        ("CREATE TEMP VIEW v AS SELECT 1", "changing the schema"),
        ("SAVEPOINT s", "SAVEPOINT is not allowed"),
    ]:
        assert reason in refused(ldl, statement), statement
    assert not (tmp_path / "x.db").exists() and not (tmp_path / "y.db").exists()
    wal = {f"{database.name}-wal", f"{database.name}-shm"}  # SQLite's own, may come and go
    assert {p.name for p in tmp_path.rglob("*")} - before - wal == set()
    with sqlite3.connect(database) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert raw.execute("PRAGMA user_version").fetchone() == (0,)
    # reading the schema and settings stays possible
    assert "union_code" in ldl("sql", "PRAGMA table_info(v_compliance)").output
    assert ldl("sql", "PRAGMA journal_mode").output.split() == ["journal_mode", "-" * 12,
                                                                "wal"]


def test_sqlite_authorizer_rule() -> None:
    """The rule alone: VACUUM and VACUUM INTO go through ATTACH, so refusing it is enough."""
    assert sqlite_denial(sqlite3.SQLITE_SELECT, None, None) is None
    assert sqlite_denial(sqlite3.SQLITE_READ, "unions", "code") is None
    assert sqlite_denial(sqlite3.SQLITE_FUNCTION, None, "lower") is None
    assert sqlite_denial(sqlite3.SQLITE_PRAGMA, "table_info", "unions") is None
    assert sqlite_denial(sqlite3.SQLITE_PRAGMA, "user_version", None) is None
    assert sqlite_denial(sqlite3.SQLITE_PRAGMA, "user_version", "3") is not None
    assert sqlite_denial(sqlite3.SQLITE_PRAGMA, "optimize", None) is not None
    assert sqlite_denial(sqlite3.SQLITE_ATTACH, "", None) is not None
    assert sqlite_denial(sqlite3.SQLITE_DETACH, "x", None) is not None
    for action in (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE,
                   sqlite3.SQLITE_CREATE_TABLE, sqlite3.SQLITE_DROP_VIEW,
                   sqlite3.SQLITE_ALTER_TABLE, sqlite3.SQLITE_REINDEX, sqlite3.SQLITE_ANALYZE,
                   sqlite3.SQLITE_TRANSACTION, sqlite3.SQLITE_CREATE_VTABLE):
        assert sqlite_denial(action, "t", None) is not None, action


def test_sql_reads_text_with_colons_and_percent_signs(ldl: Ldl) -> None:
    """The query goes to the driver untouched: no bind-parameter or %-format parsing."""
    out = ldl("sql", "SELECT '10:30' AS t, '100%' AS p", "--format", "csv").output
    assert out.split() == ["t,p", "10:30,100%"]


# --------------------------------------------------------------------------- non-superuser owner


def _admin_ddl(admin: Engine, statement: str) -> None:
    """Cluster-wide DDL that a concurrent test run may have done already."""
    try:
        with admin.connect() as conn:
            conn.execute(text(statement))
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) not in ("42710", "23505", "XX000"):
            raise


@pytest.fixture(params=["admin-made", "owner-made"])
def owner_app(request: pytest.FixtureRequest, pg_server_url: str, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[App, Ldl, str]]:
    """A database owned by a non-superuser; `ldl init` runs as that owner.

    admin-made: the compose set-up, an administrator made the owner (no CREATEROLE) and
    ldl_reader, and granted the one to the other.  owner-made: the owner has CREATEROLE
    and `ldl init` creates a fresh reader role and makes itself a member.
    """
    for key in [k for k in os.environ if k.startswith("LDL_")]:
        monkeypatch.delenv(key)
    admin = make_engine(pg_server_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"ldl_test_own_{uuid.uuid4().hex[:10]}"
    if request.param == "admin-made":
        owner, reader = OWNER, "ldl_reader"
        _admin_ddl(admin, f"CREATE ROLE {owner} LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB")
        _admin_ddl(admin, f"CREATE ROLE {reader} LOGIN NOINHERIT")
        _admin_ddl(admin, f"GRANT {reader} TO {owner}")
    else:
        owner, reader = f"{OWNER}_cr", f"ldl_reader_o{uuid.uuid4().hex[:8]}"
        _admin_ddl(admin, f"CREATE ROLE {owner} LOGIN NOSUPERUSER CREATEROLE NOCREATEDB")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" OWNER {owner}'))
    url = make_url(pg_server_url).set(database=name, username=owner, password=None)
    owner_url = url.render_as_string(hide_password=False)
    application = App(load_settings(None, database_url=owner_url, data_dir=tmp_path / "data",
                                    sql={"reader_role": reader}))
    try:
        application.init_db()
        assert application.reader is not None
        assert application.reader.created == (request.param == "owner-made")
        yield application, Ldl({"LDL_DATABASE_URL": owner_url, "LDL_CONFIG": "",
                                "LDL_DATA_DIR": str(tmp_path / "data"),
                                "LDL_SQL__READER_ROLE": reader}), reader
    finally:
        application.engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if request.param == "owner-made":
                conn.execute(text(f"DROP ROLE IF EXISTS {reader}"))
        admin.dispose()


def test_non_superuser_owner_runs_queries_as_the_reader(
        owner_app: tuple[App, Ldl, str]) -> None:
    app, ldl, reader = owner_app
    owner = app.engine.url.username
    assert app.reader is not None and app.reader.views == ("v_compliance", "v_submissions",
                                                          "v_triage")
    ldl("unions", "import", str(SAMPLE_DIRECTORY))
    out = ldl("sql", "SELECT current_user AS u, session_user AS s", "--format", "csv").output
    assert out.split() == ["u,s", f"{reader},{owner}"]
    for statement, _, on_pg in WRITES:
        assert on_pg in refused(ldl, statement), statement
    assert "permission denied for table unions" in refused(ldl, "SELECT * FROM unions")
    assert "pg_execute_server_program" in refused(ldl, "COPY (SELECT 1) TO PROGRAM 'true'")
    assert "permission denied for function pg_read_file" in refused(
        ldl, "SELECT pg_read_file('/etc/hostname')")
    # a role switch back to the owner in the middle of the query: the rows are withheld
    line = refused(ldl, "SELECT set_config('role', 'none', true) AS r, "
                        "query_to_xml('SELECT count(*) FROM unions', false, false, '') AS x")
    assert "left the read-only reader role" in line and "34" not in line
    assert "returns no rows" in refused(ldl, "RESET ROLE")
    assert union_count(app) == 34


# --------------------------------------------------------------------------- ldl init and the role


def test_init_grants_the_views_and_is_idempotent(app: App) -> None:
    if dialect(app) != "postgresql":
        assert app.reader is None
        return
    assert app.reader is not None
    assert app.reader.views == ("v_compliance", "v_submissions", "v_triage")
    again = ensure_reader(app.engine, "ldl_reader")
    assert again is not None and not again.created and again.views == app.reader.views
    with app.engine.connect() as conn:
        grants = set(conn.execute(text(
            "SELECT table_name FROM information_schema.role_table_grants "
            "WHERE grantee = 'ldl_reader' AND table_schema = current_schema()")).scalars())
        attrs = conn.execute(text(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolinherit FROM pg_roles "
            "WHERE rolname = 'ldl_reader'")).one()
    assert grants == {"v_compliance", "v_submissions", "v_triage"}
    assert tuple(attrs) == (False, False, False, False)


def test_init_creating_the_role_concurrently(app: App) -> None:
    """Several `ldl init` at once (any database of the cluster) create one role, no error."""
    if dialect(app) != "postgresql":
        pytest.skip("roles exist on PostgreSQL only")
    role = f"ldl_reader_t{uuid.uuid4().hex[:8]}"
    engines = [make_engine(app.settings.effective_database_url) for _ in range(4)]
    barrier = threading.Barrier(len(engines))
    results: list[object] = []

    def init(engine: Engine) -> None:
        barrier.wait()
        try:
            results.append(ensure_reader(engine, role))
        except Exception as exc:  # noqa: BLE001 - reported by the assert below
            results.append(exc)

    threads = [threading.Thread(target=init, args=(e,)) for e in engines]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert [type(r).__name__ for r in results] == ["ReaderGrant"] * len(engines), results
        assert sum(bool(getattr(r, "created", False)) for r in results) == 1
    finally:
        for e in engines:
            e.dispose()
        with app.engine.connect() as conn:
            conn.execute(text(f"DROP OWNED BY {quote_ident(role)}"))
            conn.execute(text(f"DROP ROLE IF EXISTS {quote_ident(role)}"))
            conn.commit()


def test_a_superuser_reader_role_is_refused(app: App) -> None:
    if dialect(app) != "postgresql":
        pytest.skip("roles exist on PostgreSQL only")
    role = f"ldl_reader_s{uuid.uuid4().hex[:8]}"
    with app.engine.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} SUPERUSER"))
        conn.commit()
    try:
        with pytest.raises(DatabaseError, match="superuser"):
            ensure_reader(app.engine, role)
    finally:
        with app.engine.connect() as conn:
            conn.execute(text(f"DROP ROLE {role}"))
            conn.commit()


def test_with_the_readers_password_ldl_sql_logs_in_as_the_reader(
        owner_app: tuple[App, Ldl, str]) -> None:
    """`[sql] password`: the owner's login is not used at all, so switching the role back
    mid-query reaches nothing (the test server trusts local logins, so any password
    passes; what is shown is which login `ldl sql` uses)."""
    app, owner_ldl, reader = owner_app
    owner_ldl("unions", "import", str(SAMPLE_DIRECTORY))
    ldl = Ldl({**owner_ldl.env, "LDL_SQL__PASSWORD": "reader-secret"})
    out = ldl("sql", "SELECT current_user AS u, session_user AS s", "--format", "csv").output
    assert out.split() == ["u,s", f"{reader},{reader}"]
    line = refused(ldl, "SELECT set_config('role', 'none', true) AS r, "
                        "query_to_xml('SELECT count(*) FROM unions', false, false, '') AS x")
    assert "permission denied for table unions" in line
    assert "cannot insert multiple commands" in refused(ldl, WRITES[0][0])
