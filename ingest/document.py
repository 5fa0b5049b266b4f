"""The values that travel through the ingest pipeline.

A :class:`MessageDoc` is what parsing makes of a raw message: decoded headers, normalised
text and the extracted text of every attachment.  The rules (noise, classify, attribute)
read only this value, so they are pure functions tested without servers or a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class AttachmentDoc:
    """One attached (or inline) file and what could be read from it."""

    filename: str
    content_type: str
    payload: bytes
    sha256: str = ""
    text: str = ""  # extracted text, NFC; "" when nothing could be read
    status: str = "pending"  # ok | empty | skipped | failed | pending
    error: str | None = None
    heading: str = ""  # first meaningful line of the document, for attribution and titles
    # "tcvn3" or "vni" when the text or the file name was typed in a legacy Vietnamese
    # font and converted to Unicode (see ingest.legacy_vn); None otherwise.
    legacy_encoding: str | None = None


@dataclass
class MessageDoc:
    """A parsed message: everything the rules may look at."""

    subject: str = ""
    from_addr: str = ""  # lower-case address of the author (From:)
    from_name: str = ""
    sender_addr: str = ""  # Sender: / Return-Path, lower-case, may be ""
    to_addrs: list[str] = field(default_factory=list)
    cc_addrs: list[str] = field(default_factory=list)
    message_id: str = ""  # without angle brackets
    date: datetime | None = None  # the Date: header, aware UTC
    headers: dict[str, list[str]] = field(default_factory=dict)  # lower-case name -> values
    body_text: str = ""  # plain text (HTML converted), NFC
    attachments: list[AttachmentDoc] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # http(s) URLs found in the body
    defects: list[str] = field(default_factory=list)

    def header(self, name: str) -> str:
        """The first value of a header, or "" (names are case-insensitive)."""
        values = self.headers.get(name.lower())
        return values[0] if values else ""


@dataclass(frozen=True)
class Evidence:
    """Why a rule decided what it decided: kept with the submission or triage item."""

    rule: str
    source: str  # subject | body | attachment:<name> | header:<name> | address
    detail: str
    weight: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "source": self.source, "detail": self.detail,
                "weight": self.weight}


@dataclass
class NoiseVerdict:
    """The message is not a report: why, so it is ignored with its reason recorded."""

    reason: str  # auto-reply | bounce | mailing-list | own-address | higher-body | spam
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class ObligationMatch:
    """One obligation a message appears to fulfil."""

    key: str
    confidence: float  # 0..1
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Classification:
    """The classifier's answer for a message."""

    matches: list[ObligationMatch] = field(default_factory=list)  # best first
    is_resend: bool = False  # "bổ sung", "gửi lại"
    model_title: str | None = None  # for a "Dân vận khéo" registration
    is_submission: bool = False  # has a report: a file, a link or report text in the body
    reason: str | None = None  # why nothing matched, or why in doubt

    @property
    def best(self) -> ObligationMatch | None:
        return self.matches[0] if self.matches else None


@dataclass(frozen=True)
class UnionEntry:
    """A union as the attribution rules see it (from the directory)."""

    code: str
    name: str
    bloc: str
    addresses: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    active: bool = True


@dataclass
class Attribution:
    """Which union sent a message, or why that cannot be said with confidence."""

    union_code: str | None
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    candidates: list[tuple[str, float]] = field(default_factory=list)  # (code, score), best first
    reason: str | None = None  # when union_code is None: unknown-sender | ambiguous | auth-failed
