"""The ``ldl`` command line: thin wrappers that parse options and call the packages.

Errors a user can fix are printed as one line (``ldl: error: ...``) with exit code 2; a
traceback only with ``--debug``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy.exc import DBAPIError, OperationalError

from config.calendar import BLOCS, CalendarError
from config.settings import ConfigError, load_settings, masked_dump, read_secret
from ldl.app import App, LdlError, describe_calendar, parse_moment
from ldl.output import FORMATS, percent, render
from storage import audit, compliance
from storage.db import DatabaseError
from storage.directory import DirectoryError, export_unions, import_unions, list_unions
from storage.models import Exemption, Union
from storage.obligations import ensure_obligations
from storage.readonly import QueryRefused, run_readonly

F = TypeVar("F", bound=Callable[..., Any])
USER_ERRORS = (ConfigError, DatabaseError, DirectoryError, CalendarError, LdlError)


class LdlGroup(click.Group):
    """A group that turns known errors into one line and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except USER_ERRORS as exc:
            self._fail(ctx, str(exc), exc)
        except OperationalError as exc:
            self._fail(ctx, f"database error: {_first_line(exc)}. Check LDL_DATABASE_URL and "
                            "that the database server is running; run `ldl init` if the "
                            "database is new.", exc)
        except DBAPIError as exc:
            self._fail(ctx, f"database error: {_first_line(exc)}", exc)
        except BrokenPipeError:  # output piped into `head`: not an error
            sys.stderr.close()
            sys.exit(0)
        except KeyboardInterrupt:
            click.echo("ldl: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last resort of a CLI: say it in one line
            self._fail(ctx, f"unexpected {type(exc).__name__}: {exc} (rerun with --debug "
                            "for the traceback)", exc)
        return None

    @staticmethod
    def _fail(ctx: click.Context, message: str, exc: BaseException) -> None:
        obj = ctx.find_root().obj or {}
        if obj.get("debug"):
            raise exc
        click.echo(f"ldl: error: {message}", err=True)
        sys.exit(2)


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig if exc.orig is not None else exc).strip().splitlines()[0]


def get_app(ctx: click.Context) -> App:
    obj = ctx.find_root().obj
    if "app" not in obj:
        obj["app"] = App(load_settings(obj.get("config")))
    app: App = obj["app"]
    return app


def with_app(func: F) -> F:
    """Give the command the :class:`App`, built lazily so ``--help`` needs no config."""

    @click.pass_context
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        return ctx.invoke(func, get_app(ctx), *args, **kwargs)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]


format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                             show_default=True, help="Output format.")
now_option = click.option("--now", "now", metavar="ISO",
                          help="Judge as of this moment, e.g. 2021-03-20T09:00+07:00.")


@click.group(cls=LdlGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config", type=click.Path(dir_okay=False), envvar="LDL_CONFIG",
              help="TOML settings file (default: $LDL_CONFIG, else ./ldl.toml).")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
@click.version_option(package_name="ldl-inbox", prog_name="ldl")
@click.pass_context
def cli(ctx: click.Context, config: str | None, debug: bool) -> None:
    """ldl-inbox: union reports by email, compliance, reminders (LĐLĐ quận Long Biên)."""
    ctx.ensure_object(dict)
    ctx.obj.update(config=config, debug=debug)
    # commands print their own results; the daemon (`ldl run`) turns its event log up
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    if not debug:  # libraries that log every oddity of a message they meet
        for noisy in ("alembic", "mailparser", "pypdf", "apscheduler"):
            logging.getLogger(noisy).setLevel(logging.ERROR if noisy != "alembic"
                                              else logging.WARNING)


@cli.command()
@with_app
def init(app: App) -> None:
    """Create or upgrade the database and load the obligations calendar."""
    before, after = app.init_db()
    where = app.engine.url.render_as_string(hide_password=True)
    if before == after:
        click.echo(f"database {where} is up to date (schema {after})")
    else:
        click.echo(f"database {where}: schema {before or 'none'} -> {after}")
    click.echo(f"calendar: {describe_calendar(app.calendar)}")
    if app.reader is not None:
        click.echo(f"sql reader: role {app.reader.role}"
                   f"{' (created)' if app.reader.created else ''}, SELECT on "
                   f"{', '.join(app.reader.views) or 'no views'}")


@cli.group("config")
def config_group() -> None:
    """Show the settings in effect."""


@config_group.command("show")
@with_app
def config_show(app: App) -> None:
    """Print the settings in effect as TOML-like lines, secrets masked."""
    data = masked_dump(app.settings)
    for key, value in data.items():
        if not isinstance(value, dict):
            click.echo(f"{key} = {value!r}")
    for key, value in data.items():
        if isinstance(value, dict):
            click.echo(f"\n[{key}]")
            for k, v in value.items():
                click.echo(f"{k} = {v!r}")


@cli.group("unions")
def unions_group() -> None:
    """The union directory: import, list, export."""


@unions_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_app
def unions_import(app: App, file: Path) -> None:
    """Import or update unions from a CSV/XLSX file (code,name,bloc,emails,active)."""
    app.ready()
    with app.sessions.begin() as session:
        result = import_unions(session, file)
    click.echo(f"imported {file}: {result.created} new, {result.updated} updated, "
               f"{result.unchanged} unchanged")


@unions_group.command("list")
@click.option("--bloc", type=click.Choice(BLOCS))
@format_option
@with_app
def unions_list(app: App, bloc: str | None, fmt: str) -> None:
    """List the unions of the directory."""
    app.ready()
    with app.sessions() as session:
        records = [{"code": u.code, "name": u.name, "bloc": u.bloc,
                    "active": u.active, "active_from": u.active_from,
                    "emails": ";".join(a.address for a in u.addresses)}
                   for u in list_unions(session, bloc)]
    click.echo(render(records, ["code", "name", "bloc", "active", "active_from", "emails"], fmt))


@unions_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_app
def unions_export(app: App, file: Path) -> None:
    """Write the directory to a CSV/XLSX file in the import format."""
    app.ready()
    with app.sessions() as session:
        count = export_unions(session, file)
    click.echo(f"exported {count} unions to {file}")


@cli.command()
@click.argument("union_code")
@click.argument("obligation")
@click.option("--reason", required=True,
              help="Why this union does not owe it (kept in the audit log).")
@with_app
def exempt(app: App, union_code: str, obligation: str, reason: str) -> None:
    """Mark a union as exempt from an obligation."""
    app.ready()
    app.spec(obligation)
    with app.sessions.begin() as session:
        ensure_obligations(session, app.calendar, [obligation])  # e.g. next year's, ahead
        union = session.query(Union).filter_by(code=union_code).one_or_none()
        if union is None:
            raise LdlError(f"no union with code {union_code!r} (see `ldl unions list`)")
        row = session.query(Exemption).filter_by(union_id=union.id,
                                                 obligation_key=obligation).one_or_none()
        actor = audit.current_actor()
        if row is None:
            session.add(Exemption(union_id=union.id, obligation_key=obligation, reason=reason,
                                  created_by=actor))
        else:
            row.reason = reason
        audit.record(session, "exempt", f"{union_code}/{obligation}", actor=actor, reason=reason)
    click.echo(f"{union_code} is exempt from {obligation}: {reason}")


COMPLIANCE_COLUMNS = ["union_code", "union_name", "bloc", "obligation", "due_at", "status",
                      "first_received_at", "submissions"]


@cli.command()
@click.option("--obligation", metavar="KEY", help="Only this obligation, e.g. report-2021-q1.")
@click.option("--bloc", type=click.Choice(BLOCS), help="Only this bloc.")
@click.option("--year", "years", type=int, multiple=True, metavar="YYYY",
              help="Only the obligations of this year (repeatable); default: the year of "
                   "--now and the year before.")
@now_option
@format_option
@with_app
def status(app: App, obligation: str | None, bloc: str | None, years: tuple[int, ...],
           now: str | None, fmt: str) -> None:
    """Compliance per union and obligation, with rates per bloc."""
    moment = parse_moment(now, app.settings)
    app.ready(moment)
    calendar = app.calendar
    if obligation:
        specs = [app.spec(obligation)]
    else:
        specs = calendar.specs_for_years(years or calendar.status_years(moment))
    with app.sessions() as session:  # computed from the calendar: no row needs making
        rows = compliance.load(session, specs, moment, bloc=bloc)
    records = [r.as_dict() for r in rows]
    if fmt != "table":
        click.echo(render(records, COMPLIANCE_COLUMNS, fmt))
        return
    tz = app.settings.tz
    for r in records:
        r["due_at"] = r["due_at"].astimezone(tz).strftime("%Y-%m-%d %H:%M")
        if r["first_received_at"]:
            r["first_received_at"] = r["first_received_at"].astimezone(tz).strftime(
                "%Y-%m-%d %H:%M")
    click.echo(f"Compliance as of {moment.astimezone(tz):%Y-%m-%d %H:%M %Z} "
               f"({len(records)} union x obligation)")
    click.echo(render(records, COMPLIANCE_COLUMNS, "table"))
    click.echo("\nRates per bloc (expected = owed and not exempt)")
    summary = [{"obligation": s.obligation, "bloc": s.bloc, "expected": s.expected,
                "on_time": s.on_time, "late": s.late, "missing": s.missing,
                "pending": s.pending, "exempt": s.exempt,
                "reporting_rate": percent(s.reporting_rate),
                "on_time_rate": percent(s.on_time_rate)}
               for s in compliance.summarize(rows)]
    click.echo(render(summary, list(summary[0]) if summary else ["obligation"], "table"))


@cli.command()
@click.argument("query")
@format_option
@with_app
def sql(app: App, query: str, fmt: str) -> None:
    """Run one read-only SQL query; see docs/schema.md for the views.

    The database itself refuses anything but reading: one statement only, in a read-only
    transaction; on PostgreSQL as the SELECT-only reader role ([sql] reader_role) that
    sees the views only; on SQLite over a read-only connection that may not ATTACH,
    VACUUM, set PRAGMAs or write.
    """
    sql_settings = app.settings.sql
    password = read_secret(sql_settings.password, sql_settings.password_file, "sql.password")
    try:
        result = run_readonly(app.settings.effective_database_url, query,
                              reader_role=sql_settings.reader_role, reader_password=password)
    except QueryRefused as exc:
        raise LdlError(str(exc)) from None
    records = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    click.echo(render(records, result.columns, fmt))


def _register_optional() -> None:
    """Commands of the other packages register themselves here when present."""
    from ldl import commands  # noqa: F401  (registers ingest / scheduler commands)


def main(argv: list[str] | None = None) -> None:
    _register_optional()
    cli.main(args=argv, prog_name="ldl", obj={})
