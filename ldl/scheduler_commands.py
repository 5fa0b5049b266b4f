"""``ldl remind``, ``digest``, ``outbox``, ``run``, ``health`` and ``demo``."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from ldl.app import App, LdlError, parse_moment
from ldl.cli import cli, format_option, now_option, with_app
from ldl.ingest_commands import make_pipeline
from ldl.output import render
from scheduler import digest as digest_mod
from scheduler.daemon import Daemon
from scheduler.health import check
from scheduler.jobs import Services, flush_outbox, make_transport, obligations_at, remind
from scheduler.outbox import STATUSES, FlushResult, confirm_delivered, requeue
from storage import audit
from storage.models import OutboxItem


def services(app: App) -> Services:
    return Services.build(app.sessions, app.settings, app.calendar)


def _print_flush(result: FlushResult, dry_run: bool) -> None:
    where = " (dry run: written as files)" if dry_run else ""
    click.echo(f"outbox{where}: {result.line()}")


@cli.command("remind")
@now_option
@click.option("--dry-run", is_flag=True, help="Only show who would get what; send nothing.")
@with_app
def remind_cmd(app: App, now: str | None, dry_run: bool) -> None:
    """Queue and send the reminders due now, one mail per union."""
    moment = parse_moment(now, app.settings)
    app.ready(moment)
    svc = services(app)
    result = remind(svc, moment, dry_run=dry_run)
    tz = app.settings.tz
    if not app.settings.reminders.enabled:
        click.echo("reminders are disabled ([reminders] enabled = false)")
        return
    if not result.in_window:
        opening = result.next_opening.astimezone(tz) if result.next_opening else None
        click.echo(f"{moment.astimezone(tz):%a %d/%m/%Y %H:%M} is outside the sending window;"
                   f" next opening {opening:%a %d/%m/%Y %H:%M}" if opening else "")
        return
    records = [{"union": m.union_code, "to": ";".join(m.recipients),
                "obligations": ", ".join(f"{i.spec.key} ({i.stage})" for i in m.items)}
               for m in result.planned]
    click.echo(render(records, ["union", "to", "obligations"], "table"))
    if dry_run:
        click.echo(f"\ndry run: {len(records)} reminder mail(s) would be sent; nothing queued")
        return
    click.echo(f"\nqueued {result.queued} reminder mail(s)"
               + (f", {result.skipped} already taken by another process" if result.skipped
                  else ""))
    _print_flush(flush_outbox(svc, moment, kinds=["reminder"]), False)


@cli.command("digest")
@now_option
@click.option("--dry-run", is_flag=True, help="Write the digest to a folder instead of sending.")
@click.option("--to", "to", multiple=True, metavar="ADDR",
              help="Send to this address instead of [digest] recipients (repeatable).")
@with_app
def digest_cmd(app: App, now: str | None, dry_run: bool, to: tuple[str, ...]) -> None:
    """Build the weekly compliance digest for leadership and send it."""
    moment = parse_moment(now, app.settings)
    app.ready(moment)
    svc = services(app)
    built = digest_mod.build(app.sessions, app.settings, obligations_at(svc, moment),
                             svc.templates, moment)
    if dry_run:
        html, xlsx = digest_mod.write_files(built, app.settings.outbox_dir / "dry-run")
        click.echo(f"digest {built.week}: {built.mail.subject}\n  html: {html}\n  xlsx: {xlsx}")
        return
    recipients = list(to) or app.settings.digest.recipients
    suffix = ":to:" + ",".join(sorted(to)) if to else ""
    try:
        queued = digest_mod.queue_digest(app.sessions, app.settings, built, recipients,
                                         moment, key_suffix=suffix)
    except ValueError as exc:
        raise LdlError(str(exc)) from None
    click.echo(f"digest {built.week}: " + ("queued" if queued else
                                           "already queued this week (not sent again)"))
    _print_flush(flush_outbox(svc, moment, kinds=["digest"]), False)


@cli.group()
def outbox() -> None:
    """Outgoing mail: list and send what is queued."""


@outbox.command("list")
@click.option("--status", type=click.Choice(STATUSES),
              help="Only these; 'uncertain' are mails the server may have delivered "
                   "(see `ldl outbox retry` and `ldl outbox delivered`).")
@format_option
@with_app
def outbox_list(app: App, status: str | None, fmt: str) -> None:
    """The outbox, newest first, with the last error of each mail."""
    app.ready()
    limit = 240 if fmt == "table" else None  # scripts get the whole reason
    with app.sessions() as session:
        query = session.query(OutboxItem).order_by(OutboxItem.id.desc())
        if status:
            query = query.filter(OutboxItem.status == status)
        records = [{"id": o.id, "key": o.dedup_key, "status": o.status,
                    "attempts": o.attempts, "to": ";".join(o.recipients),
                    "subject": o.subject[:60], "error": (o.last_error or "")[:limit]}
                   for o in query.limit(500)]
    click.echo(render(records, ["id", "key", "status", "attempts", "to", "subject", "error"],
                      fmt))


@outbox.command("flush")
@now_option
@click.option("--dry-run", is_flag=True, help="Write the mails as .eml files instead.")
@with_app
def outbox_flush(app: App, now: str | None, dry_run: bool) -> None:
    """Send what is due in the outbox now."""
    app.ready()
    result = flush_outbox(services(app), parse_moment(now, app.settings),
                          make_transport(app.settings, dry_run=dry_run))
    _print_flush(result, dry_run)


@outbox.command("retry")
@click.argument("ids", nargs=-1, required=True, type=int)
@now_option
@with_app
def outbox_retry(app: App, ids: tuple[int, ...], now: str | None) -> None:
    """Send failed or uncertain mails IDS again, now, with the SAME Message-ID.

    For an 'uncertain' mail, first ask the recipient (or look in the sent folder of the
    server): if it arrived, use `ldl outbox delivered ID` instead.  A copy sent again is
    byte for byte the first one, so a recipient who got both sees one Message-ID.
    """
    app.ready()
    moment = parse_moment(now, app.settings)
    with app.sessions.begin() as session:
        changed = requeue(session, ids, moment)
        for pk in changed.done:
            audit.record(session, "outbox-retry", str(pk))
    _print_changes("queued again", changed.done, changed.refused)
    if changed.done:
        _print_flush(flush_outbox(services(app), moment), False)
    if changed.refused:
        sys.exit(1)


@outbox.command("delivered")
@click.argument("ids", nargs=-1, required=True, type=int)
@with_app
def outbox_delivered(app: App, ids: tuple[int, ...]) -> None:
    """Close uncertain mails IDS as sent: the recipients confirmed they have them."""
    app.ready()
    with app.sessions.begin() as session:
        changed = confirm_delivered(session, ids, datetime.now(UTC))
        for pk in changed.done:
            audit.record(session, "outbox-delivered", str(pk))
    _print_changes("marked sent", changed.done, changed.refused)
    if changed.refused:
        sys.exit(1)


def _print_changes(what: str, done: list[int], refused: dict[int, str]) -> None:
    if done:
        click.echo(f"{what}: {', '.join(str(pk) for pk in done)}")
    for pk, why in refused.items():
        click.echo(f"outbox item {pk} left alone: {why}", err=True)


@cli.command("run")
@with_app
def run_cmd(app: App) -> None:
    """Run the service: poll the mailbox, send reminders, the digest and receipts."""
    app.ready()
    if logging.getLogger().level > logging.INFO:
        logging.getLogger().setLevel(logging.INFO)  # one line per event
    Daemon(services(app), make_pipeline(app)).run()


@cli.command("health")
@click.option("--max-age", type=float, default=None, metavar="MINUTES",
              help="Oldest acceptable successful poll (default: 3 poll intervals, >= 30).")
@with_app
def health_cmd(app: App, max_age: float | None) -> None:
    """Exit 0 when the last poll of the [imap] mailbox succeeded recently, else 1.

    For Docker's HEALTHCHECK.  A back-fill (`ldl ingest --from`) is not a mailbox and never
    counts.
    """
    app.require_schema()
    minutes = max_age if max_age is not None else max(30.0, 3 * app.settings.imap.poll_minutes)
    with app.sessions() as session:
        result = check(session, app.settings.imap, datetime.now(UTC),
                       timedelta(minutes=minutes))
    for line in result.lines:
        click.echo(line)
    sys.exit(0 if result.ok else 1)


@cli.command("demo")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--now", "now", default="2021-03-16T08:30:00+07:00", show_default=True,
              metavar="ISO", help="The moment the demo is run as of.")
@click.pass_context
def demo_cmd(ctx: click.Context, directory: Path | None, now: str) -> None:
    """Build a sample directory and inbox in DIRECTORY and run everything on it."""
    from scheduler.demo import run_demo

    run_demo(directory or Path.cwd(), now, echo=click.echo,
             config=ctx.find_root().obj.get("config"))
