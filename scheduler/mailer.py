"""Compose a rendered mail and queue it in the outbox: the one way mail leaves ldl-inbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from config.settings import Settings
from scheduler.mime import Attachment, Envelope, build_message, new_message_id
from scheduler.outbox import enqueue
from scheduler.render import Federation, RenderedMail
from storage.models import OutboxItem


def federation_of(settings: Settings) -> Federation:
    fed = settings.federation
    return Federation(name=fed.name, short_name=settings.smtp.sender_name,
                      address=fed.address)


def queue_mail(session: Session, settings: Settings, *, key: str, kind: str,
               recipients: Sequence[str], content: RenderedMail, now: datetime,
               recipient_name: str = "", attachments: Sequence[Attachment] = (),
               in_reply_to: str | None = None,
               meta: dict[str, Any] | None = None) -> OutboxItem | None:
    """Build the MIME message once (its Message-ID stays with it) and queue it under ``key``."""
    envelope = Envelope(sender=settings.smtp.sender, sender_name=settings.smtp.sender_name,
                        recipients=list(recipients), reply_to=settings.federation.address,
                        recipient_name=recipient_name)
    message_id = new_message_id(settings.smtp.sender)
    mime = build_message(envelope, content, message_id=message_id, date=now, dedup_key=key,
                         in_reply_to=in_reply_to, attachments=attachments)
    return enqueue(session, key=key, kind=kind, recipients=recipients, subject=content.subject,
                   mime=mime, message_id=message_id, meta=meta, now=now)
