"""Mirror the obligations calendar (config) into the database, where the SQL views need it.

The calendar file stays the one place the obligations are defined; the tables are a copy,
refreshed by ``ldl init`` and before every command that reads compliance.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from config.calendar import ObligationSpec
from storage.models import Obligation, ObligationBloc


def sync_obligations(session: Session, specs: Sequence[ObligationSpec]) -> int:
    """Insert or update every obligation of ``specs``; returns how many changed.

    Obligations no longer in the calendar are kept (submissions may point at them) but lose
    their blocs, so nothing is expected of anyone for them any more.
    """
    existing = {o.key: o for o in session.scalars(select(Obligation))}
    blocs = {(b.obligation_key, b.bloc) for b in session.scalars(select(ObligationBloc))}
    wanted_blocs = {(s.key, b) for s in specs for b in s.blocs}
    changed = 0
    for spec in specs:
        values = {"kind": spec.kind, "year": spec.year, "period": spec.period,
                  "title": spec.title, "deadline_text": spec.deadline_text,
                  "due_at": spec.due_at, "last_day": spec.last_day}
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
