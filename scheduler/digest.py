"""The weekly digest for district leadership: figures by bloc, who is missing, what arrived.

The figures are :mod:`storage.compliance`'s, the same as ``ldl status`` prints, so the two
can never disagree.  One digest per ISO week (local time): a digest missed on Monday is sent
once when the service is back, not once per missed run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from config.calendar import BLOC_TITLES, BLOCS, ObligationSpec
from config.settings import Settings
from scheduler.health import configured_state
from scheduler.mailer import federation_of, queue_mail
from scheduler.mime import Attachment as MimeAttachment
from scheduler.render import (
    ArrivedReport,
    BlocFigures,
    DigestContext,
    MissingUnion,
    ObligationDigest,
    RenderedMail,
    Templates,
)
from storage import compliance
from storage.models import MailboxState, Message, Submission, TriageItem, Union
from storage.spreadsheet import xlsx_bytes

LOOK_BACK = timedelta(days=60)  # an obligation due this recently is still "recently due"
LOOK_AHEAD = timedelta(days=90)  # ... and one due this soon is "open"
STATUS_VI = {"on_time": "Đúng hạn", "late": "Muộn", "missing": "Chưa nộp",
             "pending": "Chưa đến hạn", "exempt": "Miễn"}


@dataclass
class BuiltDigest:
    week: str  # e.g. 2021-W12
    context: DigestContext
    mail: RenderedMail
    xlsx: bytes
    rows: list[compliance.ComplianceRow]

    @property
    def xlsx_name(self) -> str:
        return f"tong-hop-bao-cao-{self.week}.xlsx"


def iso_week(now: datetime, settings: Settings) -> str:
    year, week, _ = now.astimezone(settings.tz).isocalendar()
    return f"{year}-W{week:02d}"


def digest_obligations(specs: Sequence[ObligationSpec], now: datetime) -> list[ObligationSpec]:
    """Open or recently due obligations; else the latest one due, so a digest is never empty."""
    chosen = [s for s in specs if now - LOOK_BACK <= s.due_at <= now + LOOK_AHEAD]
    if chosen:
        return chosen
    past = [s for s in specs if s.due_at <= now]
    return past[-1:] if past else list(specs[:1])


def _figures(rows: Sequence[compliance.ComplianceRow]) -> dict[str, list[BlocFigures]]:
    out: dict[str, list[BlocFigures]] = {}
    for s in compliance.summarize(rows):
        if s.bloc == "all":
            continue
        out.setdefault(s.obligation, []).append(BlocFigures(
            bloc=s.bloc, expected=s.expected, on_time=s.on_time, late=s.late,
            missing=s.missing, pending=s.pending, exempt=s.exempt))
    return out


def _arrived(session: Session, specs: Sequence[ObligationSpec], start: datetime,
             end: datetime) -> tuple[ArrivedReport, ...]:
    titles = {s.key: s for s in specs}
    rows = session.execute(
        select(Message.received_at, Union.code, Union.name, Submission.obligation_key,
               Submission.version)
        .join(Submission, Submission.message_id == Message.id)
        .join(Union, Union.id == Submission.union_id)
        .where(Submission.counted, Message.received_at >= start, Message.received_at <= end)
        .order_by(Message.received_at)
    ).all()
    return tuple(ArrivedReport(received_at=at, union_code=code, union_name=name,
                               obligation_title=titles[key].title if key in titles else key,
                               on_time=titles[key].is_on_time(at) if key in titles else False,
                               version=version)
                 for at, code, name, key, version in rows)


def _triage_counts(session: Session, now: datetime,
                   week_ago: datetime) -> tuple[int, int, datetime | None]:
    open_now = session.scalar(select(func.count()).select_from(TriageItem).join(Message)
                              .where(TriageItem.status == "open",
                                     Message.received_at <= now)) or 0
    open_then = session.scalar(
        select(func.count()).select_from(TriageItem).join(Message)
        .where(Message.received_at <= week_ago,
               or_(TriageItem.status == "open", TriageItem.resolved_at > week_ago))) or 0
    oldest = session.scalar(select(func.min(Message.received_at)).select_from(TriageItem)
                            .join(Message).where(TriageItem.status == "open"))
    return open_now, open_then, oldest


def _last_fetch(session: Session, settings: Settings) -> datetime | None:
    """The configured mailbox's last successful poll; a back-fill is not the mailbox.

    Without an [imap] mailbox (files only, the demo) any source's last read counts.
    """
    if settings.imap.host and settings.imap.user:
        state = configured_state(session, settings.imap)
        return state.last_success_at if state is not None else None
    return session.scalar(select(func.max(MailboxState.last_success_at)))


def build_context(session: Session, settings: Settings, specs: Sequence[ObligationSpec],
                  now: datetime) -> tuple[DigestContext, list[compliance.ComplianceRow]]:
    chosen = digest_obligations(specs, now)
    week_ago = now - timedelta(days=7)
    rows = compliance.load(session, chosen, now)
    before = compliance.summarize(compliance.load(session, chosen, week_ago))
    previous = {s.obligation: s for s in before if s.bloc == "all"}
    figures = _figures(rows)
    obligations = tuple(
        ObligationDigest(
            key=s.key, title=s.title, due_at=s.due_at, blocs=tuple(figures.get(s.key, ())),
            missing=tuple(MissingUnion(r.union_code, r.union_name, r.bloc)
                          for r in rows if r.obligation == s.key and r.status == "missing"),
            previous_actual=previous[s.key].actual if s.key in previous else None,
            previous_on_time=previous[s.key].on_time if s.key in previous else None)
        for s in chosen)
    backlog, backlog_before, oldest = _triage_counts(session, now, week_ago)
    last_fetch = _last_fetch(session, settings)
    context = DigestContext(
        generated_at=now, period_start=week_ago, obligations=obligations,
        arrived=_arrived(session, specs, week_ago, now), triage_backlog=backlog,
        triage_backlog_previous=backlog_before, triage_oldest_at=oldest,
        last_fetch_at=last_fetch, federation=federation_of(settings))
    return context, rows


def workbook(rows: Sequence[compliance.ComplianceRow], specs: Sequence[ObligationSpec],
             settings: Settings) -> bytes:
    """One sheet per obligation, then a union x obligation matrix of statuses and dates;
    written by :func:`storage.spreadsheet.xlsx_bytes`, so no value becomes a formula."""
    import pandas as pd  # heavy: only the digest needs it

    tz = settings.tz

    def local(value: datetime | None) -> str:
        return value.astimezone(tz).strftime("%d/%m/%Y %H:%M") if value else ""

    sheets: list[tuple[str, pd.DataFrame]] = []
    for spec in specs:
        frame = pd.DataFrame(
            [{"Mã": r.union_code, "Công đoàn cơ sở": r.union_name,
              "Khối": BLOC_TITLES.get(r.bloc, r.bloc), "Trạng thái": STATUS_VI[r.status],
              "status": r.status, "Nhận lần đầu": local(r.first_received_at),
              "Số lần gửi": r.submissions}
             for r in rows if r.obligation == spec.key],
            columns=["Mã", "Công đoàn cơ sở", "Khối", "Trạng thái", "status",
                     "Nhận lần đầu", "Số lần gửi"])
        sheets.append((spec.key, frame))
    matrix: dict[str, dict[str, str]] = {}
    names: dict[str, tuple[str, str]] = {}
    for r in rows:
        names[r.union_code] = (r.union_name, r.bloc)
        cell = STATUS_VI[r.status]
        if r.first_received_at:
            cell += f" ({local(r.first_received_at)})"
        matrix.setdefault(r.union_code, {})[r.obligation] = cell
    order = sorted(names, key=lambda c: (BLOCS.index(names[c][1])
                                         if names[c][1] in BLOCS else 9, c))
    sheets.append(("Ma trận", pd.DataFrame(
        [{"Mã": c, "Công đoàn cơ sở": names[c][0], "Khối": names[c][1],
          **{s.key: matrix[c].get(s.key, "") for s in specs}} for c in order],
        columns=["Mã", "Công đoàn cơ sở", "Khối", *[s.key for s in specs]],
    )))
    return xlsx_bytes(sheets)


def build(sessions: sessionmaker[Session], settings: Settings, specs: Sequence[ObligationSpec],
          templates: Templates, now: datetime) -> BuiltDigest:
    with sessions() as session:
        context, rows = build_context(session, settings, specs, now)
    chosen = [s for s in specs if s.key in {o.key for o in context.obligations}]
    return BuiltDigest(week=iso_week(now, settings), context=context,
                       mail=templates.render("digest", context),
                       xlsx=workbook(rows, chosen, settings), rows=rows)


def write_files(built: BuiltDigest, folder: Path) -> tuple[Path, Path]:
    """The digest as files (for --dry-run and the demo): HTML to open, .xlsx beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    html = folder / f"digest-{built.week}.html"
    html.write_text(built.mail.html, "utf-8")
    xlsx = folder / built.xlsx_name
    xlsx.write_bytes(built.xlsx)
    return html, xlsx


def queue_digest(sessions: sessionmaker[Session], settings: Settings, built: BuiltDigest,
                 recipients: Sequence[str], now: datetime, *, key_suffix: str = "") -> bool:
    """Queue this week's digest once; False if it was already queued."""
    if not recipients:
        raise ValueError("no digest recipients: set [digest] recipients in ldl.toml "
                         "(LDL_DIGEST__RECIPIENTS='[\"a@b.vn\"]') or pass --to")
    key = f"digest:{built.week}{key_suffix}"
    with sessions.begin() as session:
        item = queue_mail(session, settings, key=key, kind="digest", recipients=recipients,
                          content=built.mail, now=now,
                          attachments=[MimeAttachment(built.xlsx_name, built.xlsx)],
                          meta={"week": built.week})
    return item is not None
