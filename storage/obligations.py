"""Mirror the obligations calendar (config) into the database, where the SQL views need it.

The calendar file stays the one place the obligations are defined; the tables are a copy.
The calendar holds rules for any year, so the copy grows with time: the rows of a year are
made when the clock (``--now`` or the real one) reaches it, by :func:`sync_obligations`
before a command reads compliance, and when mail reaches it, by :func:`ensure_obligations`
before a submission points at an obligation of a year not yet mirrored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from config.calendar import Calendar, ObligationSpec
from storage.models import Obligation, ObligationBloc


def _values(spec: ObligationSpec) -> dict[str, Any]:
    return {"kind": spec.kind, "year": spec.year, "period": spec.period,
            "title": spec.title, "deadline_text": spec.deadline_text,
            "due_at": spec.due_at, "last_day": spec.last_day}


def sync_obligations(session: Session, calendar: Calendar, now: datetime) -> int:
    """Mirror the calendar as of ``now``; returns how many rows were added or changed.

    Every obligation that exists at ``now`` gets its row; rows made earlier (by mail of a
    later year, say) are refreshed from the calendar.  Rows the calendar no longer defines
    are kept (submissions may point at them) but lose their blocs, so nothing is expected of
    anyone for them any more.
    """
    existing = {o.key: o for o in session.scalars(select(Obligation))}
    blocs = {(b.obligation_key, b.bloc) for b in session.scalars(select(ObligationBloc))}
    specs = {s.key: s for s in calendar.specs_until(now)}
    for key in existing.keys() - specs.keys():
        spec = calendar.spec(key)
        if spec is not None:
            specs[key] = spec
    wanted_blocs = {(s.key, b) for s in specs.values() for b in s.blocs}
    changed = 0
    for spec in specs.values():
        values = _values(spec)
        row = existing.get(spec.key)
        if row is None:
            session.add(Obligation(key=spec.key, **values))
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed += 1
    session.flush()
    for key, bloc in wanted_blocs - blocs:
        session.add(ObligationBloc(obligation_key=key, bloc=bloc))
    for key, bloc in blocs - wanted_blocs:
        session.execute(delete(ObligationBloc).where(ObligationBloc.obligation_key == key,
                                                     ObligationBloc.bloc == bloc))
    session.flush()
    return changed


def ensure_obligations(session: Session, calendar: Calendar, keys: Iterable[str],
                       *, attempts: int = 3) -> int:
    """Make the rows of the year(s) that ``keys`` name, where missing; returns how many.

    Called before a submission (or an exemption) points at an obligation: mail reaching a
    year makes that year's obligations.  Rows already there are left alone (one SELECT when
    nothing is missing); keys the calendar does not define are ignored here.
    """
    keys = list(keys)
    years = {spec.year for key in keys if (spec := calendar.spec(key)) is not None}
    if not years:
        return 0
    wanted = {s.key: s for s in calendar.specs_for_years(years)}
    for key in keys:  # a one-off dated outside its year's rules is still made
        if key not in wanted and (spec := calendar.spec(key)) is not None:
            wanted[key] = spec
    present = set(session.scalars(select(Obligation.key)
                                  .where(Obligation.key.in_(list(wanted)))))
    missing = [s for key, s in wanted.items() if key not in present]
    if not missing:
        return 0
    try:
        with session.begin_nested():  # another process may make the same year meanwhile
            for spec in missing:
                session.add(Obligation(key=spec.key, **_values(spec)))
            session.flush()
            for spec in missing:
                session.add_all(ObligationBloc(obligation_key=spec.key, bloc=b)
                                for b in spec.blocs)
            session.flush()
    except IntegrityError:
        if attempts <= 1:
            raise
        return ensure_obligations(session, calendar, keys, attempts=attempts - 1)
    return len(missing)
