"""``ldl ingest``, ``ldl triage`` and ``ldl reprocess``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from config.settings import Settings
from ingest.pipeline import CreditHook, IngestSummary, Pipeline
from ingest.sources.base import Source, SourceError
from ingest.sources.files import open_path_source
from ingest.sources.imap import ImapSource
from ingest.triage import TriageError, assign, dismiss, explain, find_message, open_items
from ldl.app import App, LdlError
from ldl.cli import cli, format_option, with_app
from ldl.output import render
from storage.models import Attachment, TriageItem


def credit_hooks(app: App) -> list[CreditHook]:
    """What else happens when a message is credited (receipts, when the scheduler is here)."""
    try:
        from scheduler.receipts import receipt_hook
    except ImportError:
        return []
    return [receipt_hook(app.settings)] if app.settings.receipts.enabled else []


def make_pipeline(app: App) -> Pipeline:
    return Pipeline(app.sessions, app.settings, app.calendar, on_credit=credit_hooks(app))


def configured_source(settings: Settings) -> Source:
    if not settings.imap.host:
        raise LdlError("no mailbox configured: set [imap] host/user (LDL_IMAP__HOST, "
                       "LDL_IMAP__USER, LDL_IMAP__PASSWORD) or read files with "
                       "`ldl ingest --from PATH`")
    return ImapSource.from_settings(settings.imap)


def print_summary(summary: IngestSummary) -> None:
    click.echo(f"ingest: {summary.line()}")


@cli.command()
@click.option("--from", "path", type=click.Path(exists=True, path_type=Path),
              help="Read a Maildir, an mbox file or a folder of .eml files instead of IMAP.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar (default: when stderr is a terminal).")
@with_app
def ingest(app: App, path: Path | None, progress: bool | None) -> None:
    """Fetch new messages (IMAP, or files with --from) and place them."""
    app.ready()
    show = sys.stderr.isatty() if progress is None else progress
    try:
        source = open_path_source(path) if path else configured_source(app.settings)
    except SourceError as exc:
        raise LdlError(str(exc)) from None
    try:
        summary = make_pipeline(app).ingest(source, progress=show)
    except SourceError as exc:
        raise LdlError(str(exc)) from None
    finally:
        source.close()
    print_summary(summary)
    if summary.errors:
        # the messages table, not a view: `ldl sql` reads it on SQLite only; on
        # PostgreSQL the owner's own client (psql) does
        click.echo(f"{summary.errors} message(s) quarantined: their tracebacks are in "
                   "SELECT id, subject, error FROM messages WHERE status = 'quarantined' "
                   "(`ldl sql` on SQLite, psql as the owner on PostgreSQL)", err=True)


@cli.command()
@click.option("--progress/--no-progress", default=None)
@with_app
def reprocess(app: App, progress: bool | None) -> None:
    """Re-run classification and attribution over stored messages (keeps operator decisions)."""
    app.ready()
    show = sys.stderr.isatty() if progress is None else progress
    summary = make_pipeline(app).reprocess(progress=show)
    click.echo(f"reprocess: credited {summary.credited}, triaged {summary.triaged}, "
               f"ignored {summary.ignored}, errors {summary.errors}, "
               f"skipped {summary.skipped}")


@cli.group()
def triage() -> None:
    """Messages waiting for a person: list, show, assign, dismiss."""


@triage.command("list")
@format_option
@with_app
def triage_list(app: App, fmt: str) -> None:
    """The open triage items, oldest first."""
    app.ready()
    tz = app.settings.tz
    with app.sessions() as session:
        records = [{"message_id": e.message.message_id or str(e.message.id),
                    "received_at": e.message.received_at.astimezone(tz).strftime(
                        "%Y-%m-%d %H:%M") if fmt == "table" else e.message.received_at,
                    "from_addr": e.message.from_addr, "subject": e.message.subject[:70],
                    "reason": e.item.reason} for e in open_items(session)]
    click.echo(render(records, ["message_id", "received_at", "from_addr", "subject",
                                "reason"], fmt))
    if fmt == "table":
        click.echo(f"\n{len(records)} open")


@triage.command("show")
@click.argument("message")
@with_app
def triage_show(app: App, message: str) -> None:
    """Everything known about one message: headers, attachments, reason, candidates."""
    app.ready()
    with app.sessions() as session:
        try:
            msg = find_message(session, message)
        except TriageError as exc:
            raise LdlError(str(exc)) from None
        item = session.query(TriageItem).filter_by(message_id=msg.id).one_or_none()
        atts = session.query(Attachment).filter_by(message_id=msg.id).all()
        clash = (f" (number {msg.id}; the Message-ID of message {msg.message_id_clash_of} "
                 "too, a different message)" if msg.message_id_clash_of else "")
        click.echo(f"message_id: {msg.message_id}{clash}\nfrom: {msg.from_name} <{msg.from_addr}>\n"
                   f"subject: {msg.subject}\n"
                   f"received: {msg.received_at.astimezone(app.settings.tz):%Y-%m-%d %H:%M %Z}"
                   f" ({msg.received_source})\nstatus: {msg.status}"
                   + (f" ({msg.status_reason})" if msg.status_reason else ""))
        for note in msg.defects or []:  # what was typed in a legacy font and converted
            if "converted from" in str(note):
                click.echo(f"note: {note}")
        if item is not None:
            click.echo(f"triage: {item.status}: {item.reason}")
            for line in explain(item):
                click.echo(line)
            for cand in item.candidates or []:
                click.echo(f"  candidate {cand.get('union')} score {cand.get('score')}")
            for ev in item.evidence or []:
                click.echo(f"  evidence {ev.get('rule')} [{ev.get('source')}] {ev.get('detail')}")
        for att in atts:
            problem = f": {att.extract_error}" if att.extract_error else ""
            click.echo(f"attachment: {att.filename} ({att.content_type}, {att.size} bytes, "
                       f"{att.extract_status}{problem})")
        body = (msg.body_text or "").strip()
        if body:
            click.echo("\n" + body[:1500])
        if msg.error:
            click.echo(f"\nerror:\n{msg.error}")


@triage.command("assign")
@click.argument("message")
@click.argument("union")
@click.option("--obligation", "obligations", multiple=True, metavar="KEY",
              help="Obligation key (repeatable); default: the one the rules suggested.")
@click.option("--no-learn", is_flag=True, help="Do not add the sender's address to the union.")
@with_app
def triage_assign(app: App, message: str, union: str, obligations: tuple[str, ...],
                  no_learn: bool) -> None:
    """Credit MESSAGE to UNION; the sender's address is learnt for next time."""
    app.ready()
    try:
        with app.sessions.begin() as session:
            subs = assign(session, message, union, list(obligations), app.calendar,
                          learn=not no_learn)
            keys = [s.obligation_key for s in subs]
    except TriageError as exc:
        raise LdlError(str(exc)) from None
    click.echo(f"{message}: credited to {union} for {', '.join(keys)}")


@triage.command("dismiss")
@click.argument("message")
@click.option("--reason", default="", help="Why it is not a report.")
@with_app
def triage_dismiss(app: App, message: str, reason: str) -> None:
    """Not a report: keep the message, mark it ignored."""
    app.ready()
    try:
        with app.sessions.begin() as session:
            dismiss(session, message, reason=reason)
    except TriageError as exc:
        raise LdlError(str(exc)) from None
    click.echo(f"{message}: dismissed")
