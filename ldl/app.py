"""Wiring: settings, the database and the calendar, built once per command and passed down.

No global state: every command builds an :class:`App` from its options and hands its
parts to the functions it calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session, sessionmaker

from config.calendar import Calendar, ObligationSpec, load_calendar
from config.settings import Settings
from storage import migrate
from storage.db import DatabaseError, check_connection, make_engine, session_factory
from storage.obligations import sync_obligations
from storage.reader_role import ReaderGrant, ensure_reader


class LdlError(RuntimeError):
    """A user-facing error: printed as one line, exit code 2."""


def parse_moment(value: str | None, settings: Settings) -> datetime:
    """``--now``: an ISO date-time; without an offset it is local time (Asia/Ho_Chi_Minh)."""
    if not value:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        raise LdlError(f"--now {value!r} is not an ISO date-time such as "
                       "2021-03-20T09:00+07:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=settings.tz)
    return moment.astimezone(UTC)


@dataclass
class App:
    settings: Settings
    _engine: Engine | None = field(default=None, repr=False)
    #: the SELECT-only role `ldl init` set up (PostgreSQL only)
    reader: ReaderGrant | None = field(default=None, repr=False)

    @cached_property
    def engine(self) -> Engine:
        engine = self._engine or make_engine(self.settings.effective_database_url)
        check_connection(engine)
        return engine

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    @cached_property
    def calendar(self) -> Calendar:
        cal = self.settings.calendar
        return load_calendar(cal.file, cal.effective_first_year)

    def spec(self, key: str) -> ObligationSpec:
        spec = self.calendar.spec(key)
        if spec is not None:
            return spec
        raise LdlError(f"unknown obligation {key!r}; the calendar has: "
                       f"{describe_calendar(self.calendar)}")

    def init_db(self, now: datetime | None = None) -> tuple[str | None, str | None]:
        before_after = migrate.upgrade(self.engine)
        self.sync_calendar(now)
        self.reader = ensure_reader(self.engine, self.settings.sql.reader_role)
        return before_after

    def require_schema(self) -> None:
        """Refuse to run on a database that `ldl init` has not prepared (or is outdated)."""
        if not inspect(self.engine).has_table("alembic_version"):
            raise DatabaseError(
                f"the database {self.engine.url.render_as_string(hide_password=True)} "
                "has no ldl-inbox schema yet; run `ldl init`")
        if migrate.current_revision(self.engine) != migrate.head_revision(self.engine):
            raise DatabaseError("the database schema is older than this version of "
                                "ldl-inbox; run `ldl init` to upgrade it")

    def sync_calendar(self, now: datetime | None = None) -> None:
        """Mirror the obligations that exist at ``now`` (default: the real clock)."""
        with self.sessions.begin() as session:
            sync_obligations(session, self.calendar, now or datetime.now(UTC))

    def ready(self, now: datetime | None = None) -> App:
        """Schema checked and calendar mirrored up to ``now``: what most commands need first.

        A command run with ``--now`` passes its moment, so that the obligations of that
        year exist (and no later year's are made by a test of 2021).
        """
        self.require_schema()
        self.sync_calendar(now)
        return self


def describe_calendar(calendar: Calendar) -> str:
    """The calendar in one line: its one-offs and its recurring rules from the first year."""
    parts = [s.key for s in calendar.one_offs]
    parts += [f"{r.key.replace('{year}', 'YYYY')} for every year from {calendar.first_year}"
              for r in calendar.rules]
    return ", ".join(parts) or "no obligations"
