"""``ldl demo``: the whole product on a sample inbox, in one folder, with no credentials.

It writes a sample directory of unions and a sample inbox (a Maildir of realistic
messages, as union officers really write them) into the folder, ingests it, sends the
reminders due and the weekly digest through the file transport as of a chosen date, and
prints the compliance table and where everything is.  Everything it makes stays in the
folder: its database, the inbox, the outgoing mail.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from config.settings import load_settings
from ingest.pipeline import Pipeline
from ingest.sample_inbox import generate, write_maildir
from ingest.sources.files import open_path_source
from ingest.triage import open_items
from ldl.app import App, parse_moment
from ldl.output import percent, render
from scheduler import digest as digest_mod
from scheduler.jobs import Services, flush_outbox, obligations_at
from scheduler.receipts import receipt_hook
from scheduler.reminders import queue_reminders
from storage import compliance
from storage.directory import import_unions

DEMO_LEADERS = ["chutich.ldllongbien@gmail.com", "vanphong.ldllongbien@gmail.com"]


def run_demo(folder: Path, now_text: str, *, echo: Callable[[str], None],
             config: str | None = None) -> None:
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "ldl-data"
    settings = load_settings(
        config, data_dir=data, database_url=f"sqlite:///{data / 'ldl.sqlite3'}",
        outbox={"transport": "file", "dir": str(data / "outbox")},
        digest={"recipients": DEMO_LEADERS, "schedule": "mon 07:30"},
    )
    app = App(settings)
    now = parse_moment(now_text, settings)
    tz = settings.tz
    echo(f"ldl demo in {folder}, as of {now.astimezone(tz):%A %d/%m/%Y %H:%M} (Hanoi)\n")

    app.init_db(now)
    directory_csv = folder / "unions.csv"
    if not directory_csv.exists():
        src = resources.files("config").joinpath("data/sample_unions.csv")
        with resources.as_file(src) as path:
            shutil.copyfile(path, directory_csv)
    with app.sessions.begin() as session:
        result = import_unions(session, directory_csv)
    echo(f"1. directory: {directory_csv.name}: {result.created} new, {result.updated} updated, "
         f"{result.unchanged} unchanged unions")

    inbox = folder / "inbox"
    if not inbox.exists():
        messages = generate(directory_csv, until=now)
        write_maildir(messages, inbox)
    count = sum(1 for p in (inbox / "cur").iterdir()) + sum(1 for p in (inbox / "new").iterdir())
    echo(f"2. sample inbox: {inbox.name}/ (a Maildir of {count} messages up to that date)")

    svc = Services.build(app.sessions, settings, app.calendar)
    pipeline = Pipeline(app.sessions, settings, app.calendar,
                        on_credit=[receipt_hook(settings, clock=lambda: now,
                                                templates=svc.templates, calendar=app.calendar)],
                        clock=lambda: now)
    source = open_path_source(inbox)
    try:
        summary = pipeline.ingest(source)
    finally:
        source.close()
    echo(f"3. ingest: {summary.line()}")
    with app.sessions() as session:
        waiting = open_items(session)
        for entry in waiting:
            echo(f"     triage: {entry.message.from_addr}: \"{entry.message.subject[:60]}\"  "
                 f"-> {entry.item.reason[:70]}")

    reminders = queue_reminders(app.sessions, settings, obligations_at(svc, now), svc.policy,
                                svc.templates, now)
    if reminders.in_window:
        echo(f"4. reminders: {reminders.queued} mail(s) queued for unions that owe a report"
             + ("" if reminders.queued else " (each stage goes once: sent before)"))
        for mail in reminders.planned[:8]:
            items = ", ".join(f"{i.spec.key} ({i.stage})" for i in mail.items)
            echo(f"     {mail.union_code} {mail.union_name}: {items}")
        if len(reminders.planned) > 8:
            echo(f"     ... and {len(reminders.planned) - 8} more")
    else:
        echo("4. reminders: outside the sending window at that moment; none sent")

    built = digest_mod.build(app.sessions, settings, obligations_at(svc, now), svc.templates,
                             now)
    html, xlsx = digest_mod.write_files(built, data / "digest")
    digest_mod.queue_digest(app.sessions, settings, built, DEMO_LEADERS, now)
    echo(f"5. weekly digest {built.week}: \"{built.mail.subject}\"")
    echo(f"     open in a browser: {html}")
    echo(f"     spreadsheet:       {xlsx}")

    flushed = flush_outbox(svc, now)
    echo(f"6. outbox (file transport, nothing leaves this machine): {flushed.line()}")
    echo(f"     the mails as .eml files: {settings.outbox_dir}")

    this_year = app.calendar.specs_for_years([app.calendar.year_of(now)])
    with app.sessions() as session:
        rows = compliance.load(session, this_year, now)
    due = [s.key for s in this_year if s.due_at <= now] or [s.key for s in this_year[:1]]
    echo("\n7. compliance as of that moment (obligations due so far):")
    records = [r.as_dict() for r in rows if r.obligation in due]
    for r in records:
        r["first_received_at"] = (r["first_received_at"].astimezone(tz).strftime("%d/%m %H:%M")
                                  if r["first_received_at"] else "")
        r["union_name"] = r["union_name"].removeprefix("Công đoàn ")[:40]
    echo(render(records, ["union_code", "union_name", "bloc", "obligation", "status",
                          "first_received_at", "submissions"], "table"))
    echo("\n   rates (expected = owed and not exempt):")
    summary_rows = [{"obligation": s.obligation, "bloc": s.bloc, "expected": s.expected,
                     "on_time": s.on_time, "late": s.late, "missing": s.missing,
                     "reporting_rate": percent(s.reporting_rate),
                     "on_time_rate": percent(s.on_time_rate)}
                    for s in compliance.summarize(rows) if s.obligation in due]
    echo(render(summary_rows, list(summary_rows[0]) if summary_rows else [], "table"))
    echo(f"\nNext, in {folder} (its database is ldl-data/ldl.sqlite3):\n"
         "  ldl triage list              the messages a person must place\n"
         "  ldl triage assign MSG UNION  credit one (the sender's address is learnt)\n"
         "  ldl sql \"SELECT * FROM v_submissions\"   every counted report\n"
         "  ldl status --now 2021-03-16T08:30+07:00 --format csv")
