"""Outgoing messages built with the standard library, byte for byte under our control.

yagmail's own message builder turns every newline into ``<br>`` (in HTML too) and derives
the Message-ID from sender, recipients and subject, so two digests with one subject would
share it.  Here the caller supplies the Message-ID and Date, stored with the outbox row, so
a resend after a crash is the *same* message: recipients' mail programs and our own
``In-Reply-To`` matching see one message, not two.

The result is 7-bit clean (RFC 2047 headers, base64 or quoted-printable bodies), so any
SMTP server accepts it without 8BITMIME or SMTPUTF8.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from scheduler.render import RenderedMail

#: SMTP line endings, and encoded bodies even for UTF-8 text (no 8BITMIME needed).
POLICY = email_policy.SMTP.clone(cte_type="7bit")
DEDUP_HEADER = "X-LDL-Dedup-Key"
CONTENT_TYPES: dict[str, str] = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".pdf": "application/pdf",
    ".csv": "text/csv",
}


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    content_type: str | None = None  # guessed from the file name when None

    @property
    def mime_type(self) -> tuple[str, str]:
        ctype = self.content_type or guess_content_type(self.filename)
        maintype, _, subtype = ctype.partition("/")
        if not subtype:
            raise ValueError(f"attachment {self.filename}: bad content type {ctype!r}")
        return maintype, subtype


def guess_content_type(filename: str) -> str:
    """Office types from our own table (platform tables vary), then mimetypes."""
    suffix = filename[filename.rfind("."):].lower() if "." in filename else ""
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, encoding = mimetypes.guess_type(filename)
    return guessed if guessed and encoding is None else "application/octet-stream"


def _domain(address: str) -> str:
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"not an email address: {address!r}")
    return domain


def new_message_id(sender: str) -> str:
    """A fresh ``<...@sender-domain>`` Message-ID; store it before the first send attempt."""
    return make_msgid(idstring="ldl", domain=_domain(sender))


def _address(addr: str, name: str = "") -> Address:
    """An Address, refusing what would need SMTPUTF8 or could smuggle a second header."""
    if not addr.isascii() or any(c in addr for c in "\r\n<>, "):
        raise ValueError(f"unsupported email address: {addr!r}")
    _domain(addr)
    return Address(display_name=name, addr_spec=addr)


@dataclass(frozen=True)
class Envelope:
    """Who the message is from and to, as headers show it."""

    sender: str
    sender_name: str
    recipients: Sequence[str]
    reply_to: str
    recipient_name: str = ""  # e.g. the union's name, shown with each address


def build_message(
    envelope: Envelope,
    content: RenderedMail,
    *,
    message_id: str,
    date: datetime,
    dedup_key: str,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    attachments: Sequence[Attachment] = (),
) -> bytes:
    """The complete message: multipart/alternative text+HTML, then any attachments.

    ``message_id`` (from :func:`new_message_id`) and ``date`` must be the stored ones when
    a message is rebuilt for a resend.
    """
    if not envelope.recipients:
        raise ValueError("a message needs at least one recipient")
    if date.tzinfo is None or date.utcoffset() is None:
        raise ValueError("the Date must be an aware datetime")
    msg = EmailMessage(policy=POLICY)
    msg["From"] = _address(envelope.sender, envelope.sender_name)
    msg["To"] = [_address(a, envelope.recipient_name) for a in envelope.recipients]
    msg["Reply-To"] = _address(envelope.reply_to, envelope.sender_name)
    msg["Subject"] = content.subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = " ".join([*(r for r in references if r != in_reply_to),
                                      in_reply_to])
    elif references:
        msg["References"] = " ".join(references)
    # RFC 3834: robots (auto-responders, vacation replies) must not answer this message
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"  # the same for Exchange / Outlook
    msg[DEDUP_HEADER] = dedup_key
    msg.set_content(content.text)
    msg.add_alternative(content.html, subtype="html")
    for item in attachments:
        maintype, subtype = item.mime_type
        msg.add_attachment(item.data, maintype=maintype, subtype=subtype,
                           filename=item.filename)
    return msg.as_bytes()
