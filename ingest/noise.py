"""Messages that are not reports from a union: recognised first, ignored with their reason.

An out-of-office answer to a reminder, a bounce, a newsletter that mentions "báo cáo quý 1",
the federation's own outgoing mail, a circular from the city federation, or spam must never be
credited as a submission nor clutter the triage queue.  Headers decide first (they are set by
machines and do not lie about being machines); subjects only catch what headers miss.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from email.utils import parseaddr

from ingest.document import Evidence, MessageDoc, NoiseVerdict
from ingest.textnorm import fold, split_subject

# Precedence header value -> reason.
PRECEDENCE_REASONS: Mapping[str, str] = {
    "auto_reply": "auto-reply",
    "junk": "auto-reply",
    "bulk": "mailing-list",
    "list": "mailing-list",
}
AUTO_REPLY_HEADERS: tuple[str, ...] = ("x-autoreply", "x-autorespond", "x-autoresponder")
# Folded phrases of auto-reply subjects (English, Vietnamese Gmail/Outlook).
AUTO_REPLY_SUBJECTS: tuple[str, ...] = (
    "out of office", "out of the office", "automatic reply", "auto reply", "autoreply",
    "auto response", "tra loi tu dong", "thu tra loi tu dong", "phan hoi tu dong",
    "khong co mat tai van phong",
)
# Read receipts are machine answers too.
RECEIPT_SUBJECT_RE = re.compile(r"^\s*(?:read|đã đọc|da doc)\s*:", re.IGNORECASE)
BOUNCE_LOCAL_PARTS: frozenset[str] = frozenset({"mailer-daemon", "postmaster", "mail-daemon"})
BOUNCE_SUBJECTS: tuple[str, ...] = (
    "delivery status notification", "undeliverable", "undelivered mail", "mail delivery failed",
    "delivery failure", "delivery has failed", "returned mail", "failure notice",
    "mail delivery subsystem", "khong the gui thu", "thu bi tra lai", "gui thu khong thanh cong",
)
BOUNCE_CONTENT_TYPES: tuple[str, ...] = ("message/delivery-status",)
LIST_HEADERS: tuple[str, ...] = ("list-id", "list-unsubscribe")
REPORT_TYPE_RE = re.compile(r"report-type\s*=\s*\"?([\w-]+)", re.IGNORECASE)


def _ev(reason: str, source: str, detail: str) -> Evidence:
    return Evidence(reason, source, detail.strip()[:200], 1.0)


def _subject_phrase(doc: MessageDoc, phrases: tuple[str, ...]) -> str | None:
    subject = f" {fold(doc.subject)} "
    return next((p for p in phrases if f" {p} " in subject), None)


def _domain(address: str) -> str:
    return address.rpartition("@")[2].lower()


def _local_part(address: str) -> str:
    return address.rpartition("@")[0].lower()


def check_own(doc: MessageDoc, own: Collection[str]) -> list[Evidence]:
    """Mail the federation sent itself (copies of reminders, notes to self)."""
    sender = doc.from_addr.lower()
    return [_ev("own-address", "address", sender)] if sender and sender in own else []


def check_bounce(doc: MessageDoc) -> list[Evidence]:
    """Delivery failures: a delivery-status report, a mailer daemon, a bounce subject."""
    found: list[Evidence] = []
    content_type = doc.header("content-type")
    report = REPORT_TYPE_RE.search(content_type)
    if "multipart/report" in content_type.lower() and report and (
        report.group(1).lower() == "delivery-status"
    ):
        found.append(_ev("bounce", "header:content-type", content_type))
    found += [_ev("bounce", f"attachment:{a.filename}", a.content_type)
              for a in doc.attachments if a.content_type.lower() in BOUNCE_CONTENT_TYPES]
    for addr in (doc.from_addr, parseaddr(doc.header("return-path"))[1]):
        if addr and _local_part(addr) in BOUNCE_LOCAL_PARTS:
            found.append(_ev("bounce", "address", addr))
    phrase = _subject_phrase(doc, BOUNCE_SUBJECTS)
    if phrase:
        found.append(_ev("bounce", "subject", phrase))
    return found


def check_auto_reply(doc: MessageDoc) -> list[Evidence]:
    """Out-of-office and other automatic answers, and read receipts."""
    found: list[Evidence] = []
    auto = doc.header("auto-submitted").strip().lower()
    if auto and auto != "no":
        found.append(_ev("auto-reply", "header:auto-submitted", auto))
    found += [_ev("auto-reply", f"header:{h}", doc.header(h) or "present")
              for h in AUTO_REPLY_HEADERS if h in doc.headers]
    precedence = doc.header("precedence").strip().lower()
    if PRECEDENCE_REASONS.get(precedence) == "auto-reply":
        found.append(_ev("auto-reply", "header:precedence", precedence))
    report = REPORT_TYPE_RE.search(doc.header("content-type"))
    if report and report.group(1).lower() == "disposition-notification":
        found.append(_ev("auto-reply", "header:content-type", "read receipt"))
    phrase = _subject_phrase(doc, AUTO_REPLY_SUBJECTS)
    if phrase:
        found.append(_ev("auto-reply", "subject", phrase))
    if RECEIPT_SUBJECT_RE.match(doc.subject):
        found.append(_ev("auto-reply", "subject", "read receipt"))
    return found


def check_spam(doc: MessageDoc) -> list[Evidence]:
    """Marked as spam by a filter: X-Spam-Flag / X-Spam-Status, or a [SPAM] subject tag."""
    found: list[Evidence] = []
    if doc.header("x-spam-flag").strip().lower().startswith("yes"):
        found.append(_ev("spam", "header:x-spam-flag", doc.header("x-spam-flag")))
    if doc.header("x-spam-status").strip().lower().startswith("yes"):
        found.append(_ev("spam", "header:x-spam-status", doc.header("x-spam-status")))
    if "spam" in split_subject(doc.subject)[0]:
        found.append(_ev("spam", "subject", doc.subject))
    return found


def _is_higher(address: str, higher: Collection[str]) -> bool:
    """An exact address of a higher body, or an address in (a subdomain of) its domain."""
    domain = _domain(address)
    for entry in higher:
        if "@" in entry.lstrip("@"):
            if address == entry:
                return True
        elif domain == entry.lstrip("@") or domain.endswith("." + entry.lstrip("@")):
            return True
    return False


def check_higher(doc: MessageDoc, higher: Collection[str],
                 unions: Collection[str] = ()) -> list[Evidence]:
    """Circulars from bodies above the federation (city federation, district committee).

    An address the directory lists for a union is that union's, whatever its domain: the
    district's agencies mail from the city government's domain (``@hanoi.gov.vn``) too.
    """
    sender = doc.from_addr.lower()
    if sender and sender not in unions and _is_higher(sender, higher):
        return [_ev("higher-body", "address", sender)]
    return []


def check_list(doc: MessageDoc) -> list[Evidence]:
    """Mailing lists and newsletters: List-* headers, Precedence: list / bulk."""
    found = [_ev("mailing-list", f"header:{h}", doc.header(h)) for h in LIST_HEADERS
             if h in doc.headers]
    precedence = doc.header("precedence").strip().lower()
    if PRECEDENCE_REASONS.get(precedence) == "mailing-list":
        found.append(_ev("mailing-list", "header:precedence", precedence))
    return found


def detect_noise(
    doc: MessageDoc,
    *,
    own_addresses: Collection[str],
    higher_bodies: Collection[str] = (),
    union_addresses: Collection[str] = (),
) -> NoiseVerdict | None:
    """Why ``doc`` is not a union's mail, or None when it may be one.

    Checks run from the most specific to the most general, so a bounce (which is also
    auto-submitted) is called a bounce, and a newsletter from the city federation is called
    higher-body rather than mailing-list.
    """
    own = {a.strip().lower() for a in own_addresses}
    higher = {h.strip().lower() for h in higher_bodies if h.strip()}
    unions = {a.strip().lower() for a in union_addresses}
    checks: tuple[tuple[str, Callable[[], list[Evidence]]], ...] = (
        ("own-address", lambda: check_own(doc, own)),
        ("bounce", lambda: check_bounce(doc)),
        ("auto-reply", lambda: check_auto_reply(doc)),
        ("spam", lambda: check_spam(doc)),
        ("higher-body", lambda: check_higher(doc, higher, unions)),
        ("mailing-list", lambda: check_list(doc)),
    )
    for reason, check in checks:
        evidence = check()
        if evidence:
            return NoiseVerdict(reason, evidence)
    return None
