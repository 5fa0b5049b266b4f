"""The audit log: one row per decision a person or the machine made that changes counts."""

from __future__ import annotations

import getpass
import os
from typing import Any

from sqlalchemy.orm import Session

from storage.models import AuditEvent


def current_actor() -> str:
    """Who is running the command: ``$LDL_ACTOR``, else the login name."""
    actor = os.environ.get("LDL_ACTOR")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def record(session: Session, action: str, subject: str = "", *, actor: str | None = None,
           **details: Any) -> AuditEvent:
    event = AuditEvent(actor=actor or current_actor(), action=action, subject=subject,
                       details=details)
    session.add(event)
    return event
