"""Compliance: for each (union, obligation), submitted on time, late, missing, pending or exempt.

:func:`compute` is the rule, a pure function of the directory, the calendar, the counted
submissions and a moment; :func:`load` feeds it from the store.  The ``v_compliance`` view
states the same rule in SQL for "now"; a test keeps the two in agreement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.calendar import BLOCS, ObligationSpec
from storage.models import Exemption, Message, Submission, Union

STATUSES = ("on_time", "late", "missing", "pending", "exempt")


@dataclass(frozen=True)
class UnionFacts:
    code: str
    name: str
    bloc: str
    active: bool = True
    active_from: date | None = None


@dataclass(frozen=True)
class ComplianceRow:
    """One record of ``v_compliance`` (same columns, same order)."""

    union_code: str
    union_name: str
    bloc: str
    obligation: str
    due_at: datetime
    status: str
    first_received_at: datetime | None
    submissions: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ReportingRates:
    """DHIS2's rates, from counts of expected, on-time and late reports."""

    expected: int
    on_time: int
    late: int

    @property
    def actual(self) -> int:
        """Actual reports: received, on time or late."""
        return self.on_time + self.late

    @property
    def reporting_rate(self) -> float | None:
        return self.actual / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        """Reporting rate on time."""
        return self.on_time / self.expected if self.expected else None


@dataclass
class BlocSummary(ReportingRates):
    """DHIS2's figures for one obligation and bloc (bloc "all" for the total)."""

    obligation: str
    bloc: str
    expected: int = 0  # expected reports: owed and not exempt
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0
    exempt: int = 0


def status_of(spec: ObligationSpec, received: Sequence[datetime], exempt: bool,
              now: datetime) -> str:
    """The status of one union for one obligation, from its counted submissions."""
    if exempt:
        return "exempt"
    seen = [t for t in received if t <= now]
    if seen:
        return "on_time" if spec.is_on_time(min(seen)) else "late"
    return "missing" if now >= spec.due_at else "pending"


def compute(unions: Iterable[UnionFacts], specs: Sequence[ObligationSpec],
            received: Mapping[tuple[str, str], Sequence[datetime]],
            exempt: Iterable[tuple[str, str]], now: datetime) -> list[ComplianceRow]:
    """Every (active union, owed obligation) with its status as of ``now``."""
    exempted = set(exempt)
    rows: list[ComplianceRow] = []
    for spec in specs:
        for u in unions:
            if not u.active or not spec.owed_by(u.bloc, u.active_from):
                continue
            times = [t for t in received.get((u.code, spec.key), ()) if t <= now]
            rows.append(ComplianceRow(
                union_code=u.code, union_name=u.name, bloc=u.bloc, obligation=spec.key,
                due_at=spec.due_at,
                status=status_of(spec, times, (u.code, spec.key) in exempted, now),
                first_received_at=min(times) if times else None,
                submissions=len(times),
            ))
    return rows


def summarize(rows: Iterable[ComplianceRow]) -> list[BlocSummary]:
    """Counts and rates per obligation and bloc, then per obligation over all blocs."""
    table: dict[tuple[str, str], BlocSummary] = {}
    order: list[str] = []
    for row in rows:
        if row.obligation not in order:
            order.append(row.obligation)
        for bloc in (row.bloc, "all"):
            s = table.setdefault((row.obligation, bloc), BlocSummary(row.obligation, bloc))
            setattr(s, row.status, getattr(s, row.status) + 1)
            if row.status != "exempt":
                s.expected += 1
    out = []
    for key in order:
        out += [table[(key, b)] for b in (*BLOCS, "all") if (key, b) in table]
    return out


def load(session: Session, specs: Sequence[ObligationSpec], now: datetime, *,
         obligation: str | None = None, bloc: str | None = None) -> list[ComplianceRow]:
    """Compliance as of ``now`` from the store, optionally for one obligation or bloc."""
    if obligation is not None:
        specs = [s for s in specs if s.key == obligation]
    query = select(Union)
    if bloc is not None:
        query = query.where(Union.bloc == bloc)
    unions = [UnionFacts(u.code, u.name, u.bloc, u.active, u.active_from)
              for u in session.scalars(query.order_by(Union.bloc, Union.code))]
    received: dict[tuple[str, str], list[datetime]] = defaultdict(list)
    for code, key, at in session.execute(
        select(Union.code, Submission.obligation_key, Message.received_at)
        .join(Submission, Submission.union_id == Union.id)
        .join(Message, Message.id == Submission.message_id)
        .where(Submission.counted)
    ):
        received[(code, key)].append(at)
    exempt = session.execute(
        select(Union.code, Exemption.obligation_key).join(Exemption)
    ).all()
    return compute(unions, specs, received, exempt, now)
