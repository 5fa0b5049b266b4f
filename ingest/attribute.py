"""Which grassroots union sent a message.

The sender's address is the best witness: an address listed for a union in the directory
credits that union, unless the receiving server says the address was forged (DMARC/DKIM
fail).  Mail forwarded to the inbox (by federation staff, or from a private address) is
credited through the original "From:" line of the forwarded block.  Otherwise the union is
recognised by its name in the subject, the display name, file names, the attachments'
headings and text, the signature or the body, compared on :func:`ingest.textnorm.name_key`
with a word-window fuzzy ratio, so that "TH Ngọc Lâm", "THCS Ngọc Lâm" and "MN Ngọc Lâm" stay
three different schools.  When two unions fit about equally, nobody is credited: a human
decides (reason "ambiguous").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath

from ingest.document import Attribution, Evidence, MessageDoc, UnionEntry
from ingest.names import (
    Vocabulary,
    canonical_segments,
    find_name,
    has_distinct_words,
    kind_only,
    name_parts,
    place_of,
    segments,
)
from ingest.textnorm import fold, nonempty_lines, own_text, split_subject
from ingest.title import read_title_block

# Confidence of an address match, by how well the address is vouched for.
CONFIDENCE_VERIFIED = 1.0  # DMARC or DKIM pass
CONFIDENCE_UNVERIFIED = 0.95  # no Authentication-Results to go by
CONFIDENCE_FORWARDED_BY_FEDERATION = 0.9
CONFIDENCE_FORWARDED = 0.8
CONFIDENCE_SHARED_ADDRESS = 0.85  # an address of several unions, told apart by name
NAME_CONFIDENCE_CAP = 0.85  # a name is never as good as an address
AUTH_FAILED_NAME_FACTOR = 0.8

# How much a name found in each place says about the sender.
NAME_SOURCE_WEIGHTS: Mapping[str, float] = {
    "subject": 1.0,
    "from-name": 1.0,
    "filename": 0.95,
    "letterhead": 0.95,
    "letterhead-above": 0.7,
    "heading": 0.95,
    "signature": 0.9,
    "attachment": 0.85,
    "body": 0.85,
}
# Where a name says whose report it is (not who relays it): the report and its envelope.
REPORT_NAME_SOURCES: frozenset[str] = frozenset({
    "subject", "filename", "letterhead", "heading", "attachment",
})
# Where a report states whose it is, strongly enough to outweigh the sending address.
ISSUER_SOURCES: frozenset[str] = frozenset({"letterhead", "subject", "filename"})
ISSUER_SCORE = 0.9
REFERENCE_LINE_RE = re.compile(r"^\s*(?:s[ốo]|no)\s*[:.]", re.IGNORECASE)
MIN_NAME_SCORE = 0.8  # weighted score (0..1) for a name to count at all
AMBIGUITY_MARGIN = 0.05  # a runner-up this close to the best makes the name ambiguous
CANDIDATE_FLOOR = 0.6  # candidates listed for a human, even when below MIN_NAME_SCORE
MAX_CANDIDATES = 5
SIGNATURE_LINES = 8
BODY_LINES = 60
ATTACHMENT_HEAD_CHARS, ATTACHMENT_TAIL_CHARS = 1500, 600


# Lines that open a forwarded (or Outlook-quoted) message, folded.
FORWARD_MARKERS: tuple[str, ...] = (
    "forwarded message", "thu da chuyen tiep", "thu chuyen tiep", "chuyen tiep",
    "original message", "thu goc", "tin nhan goc", "message transfere",
)
MAX_MARKER_WORDS = 6  # a marker is a short line, not a sentence that mentions "chuyển tiếp"
# Labels of the "From:" line in forwarded headers (English, Vietnamese, French, German).
FROM_LABELS: frozenset[str] = frozenset({"from", "tu", "de", "von", "nguoi gui"})
HEADER_BLOCK_LINES = 12  # a From line belongs to a marker when it is this close below it
FROM_LINE_RE = re.compile(
    r"^[\s>*]*(?P<label>[^\W\d_][^:：\n]{0,15}?)\s*\**\s*[:：]\s*(?P<rest>.+)$"
)
ADDRESS_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"<\s*([^<>\s@]+@[^<>\s@]+)\s*>"),
    re.compile(r"mailto:([^\]\s>]+@[^\]\s>]+)", re.IGNORECASE),
    re.compile(r"([\w.+'-]+@[\w-]+(?:\.[\w-]+)+)"),
)

AUTH_RESULT_RE = re.compile(r"\b(dmarc|dkim)\s*=\s*([a-z]+)", re.IGNORECASE)


# ---------------------------------------------------------------- authentication


@dataclass(frozen=True)
class AuthVerdict:
    """What the receiving server said about the From address: pass | fail | none."""

    status: str
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "fail"


def auth_verdict(doc: MessageDoc) -> AuthVerdict:
    """Read the topmost Authentication-Results header (the one our own provider added).

    DMARC decides when present, since it is the check that ties the signature to the From
    address (a DKIM pass for some other domain proves nothing about the sender).  Without a
    DMARC result, DKIM decides.  A method counts as failed only when it has a fail and no
    pass (several DKIM signatures may be present, one broken).
    """
    header = doc.header("authentication-results")
    results: dict[str, set[str]] = {}
    for method, value in AUTH_RESULT_RE.findall(header):
        results.setdefault(method.lower(), set()).add(value.lower())
    for method in ("dmarc", "dkim"):
        values = results.get(method, set())
        if "pass" in values:
            return AuthVerdict("pass", f"{method}=pass")
        if "fail" in values:
            return AuthVerdict("fail", f"{method}=fail")
    return AuthVerdict("none")


# ---------------------------------------------------------------- addresses


def address_index(directory: Iterable[UnionEntry]) -> dict[str, list[UnionEntry]]:
    """Lower-case address -> the unions that list it (usually one)."""
    index: dict[str, list[UnionEntry]] = {}
    for union in directory:
        for addr in union.addresses:
            key = addr.strip().lower()
            if key and union not in index.setdefault(key, []):
                index[key].append(union)
    return index


def extract_address(text: str) -> str | None:
    """The e-mail address in a header-like value: "Name <a@b>", "[mailto:a@b]" or bare."""
    for regex in ADDRESS_RES:
        m = regex.search(text)
        if m:
            return m.group(1).strip().strip(".,;").lower()
    return None


def _is_marker(line: str) -> bool:
    folded = fold(line)
    return bool(folded) and len(folded.split()) <= MAX_MARKER_WORDS and any(
        marker in folded for marker in FORWARD_MARKERS
    )


def _from_address(line: str) -> str | None:
    m = FROM_LINE_RE.match(line)
    if not m or fold(m.group("label")) not in FROM_LABELS:
        return None
    return extract_address(m.group("rest"))


def is_forwarded(doc: MessageDoc) -> bool:
    """A forward by subject ("Fwd:", "Chuyển tiếp:") or by a marker line in the body."""
    kinds, _ = split_subject(doc.subject)
    return "forward" in kinds or any(_is_marker(ln) for ln in doc.body_text.splitlines())


def forwarded_senders(doc: MessageDoc) -> list[str]:
    """Addresses on the "From:" lines of forwarded header blocks, outermost first.

    With no marker line (some clients only change the subject) every "From:" line counts.
    """
    lines = doc.body_text.splitlines()
    markers = [i for i, ln in enumerate(lines) if _is_marker(ln)]
    if markers:
        wanted = {j for i in markers for j in range(i + 1, i + 1 + HEADER_BLOCK_LINES)}
    else:
        wanted = set(range(len(lines)))
    found: list[str] = []
    for j in sorted(wanted):
        addr = _from_address(lines[j]) if j < len(lines) else None
        if addr and addr not in found:
            found.append(addr)
    return found


# ---------------------------------------------------------------- names


@dataclass(frozen=True)
class NameSource:
    """A place of the message where a union may be named, cut into name segments."""

    kind: str
    label: str
    segments: tuple[tuple[str, ...], ...]

    @property
    def weight(self) -> float:
        return NAME_SOURCE_WEIGHTS[self.kind]

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(t for seg in self.segments for t in seg)


def _name_source(kind: str, label: str, text: str) -> NameSource:
    return NameSource(kind, label, tuple(segments(text)))


def issuer_lines(letterhead: Sequence[str]) -> list[str]:
    """The letterhead's lines that name a body, the issuer last.

    A unit under a ward or a school under the education office may write only its kind on
    its own line ("UBND PHƯỜNG PHÚC ĐỒNG" / "TRẠM Y TẾ"): its name is that kind with the
    place of the line above ("TRẠM Y TẾ PHƯỜNG PHÚC ĐỒNG").  A bare "CÔNG ĐOÀN CƠ SỞ" line
    names nobody and is left out.
    """
    named = [ln for ln in letterhead if has_distinct_words(ln)]
    if named and letterhead and letterhead[-1] not in named and kind_only(letterhead[-1]):
        return [*named, f"{letterhead[-1]} {place_of(named[-1])}"]
    return named


def name_sources(doc: MessageDoc) -> list[NameSource]:
    """Subject, display name, file names, letterheads, headings, attachment text, signature
    and body."""
    own = nonempty_lines(own_text(doc.body_text))
    sources = [
        _name_source("subject", "subject", split_subject(doc.subject)[1]),
        _name_source("from-name", "header:from", doc.from_name),
        _name_source("signature", "body", "\n".join(own[-SIGNATURE_LINES:])),
        _name_source("body", "body", "\n".join(own[:BODY_LINES])),
    ]
    for att in doc.attachments:
        label = f"attachment:{att.filename}"
        sources.append(_name_source("filename", label,
                                    PurePath(att.filename).stem.replace("_", " ")))
        block = read_title_block(att.text)
        lines = issuer_lines([ln for ln in block.letterhead
                              if not REFERENCE_LINE_RE.match(ln)])
        if lines:
            # the issuer is the letterhead's last line; above it stands the body it belongs
            # to (the district's education office, a parent company), which is also the
            # document's first line: no heading of its own then
            sources.append(_name_source("letterhead", label, lines[-1]))
            sources.append(_name_source("letterhead-above", label, "\n".join(lines[:-1])))
        else:
            sources.append(_name_source("heading", label, att.heading))
        body = att.text[block.body_start:]
        text = body[:ATTACHMENT_HEAD_CHARS] + "\n" + body[-ATTACHMENT_TAIL_CHARS:]
        sources.append(_name_source("attachment", label, text))
    return [s for s in sources if s.segments]


@dataclass(frozen=True)
class NameHit:
    union: UnionEntry
    score: float  # weighted, 0..1
    source: NameSource
    window: str
    ratio: float

    def evidence(self) -> Evidence:
        detail = f"'{self.window}' ~ '{self.union.name}' ({self.ratio:.0f})"
        return Evidence("name", self.source.label, detail, round(self.score, 3))


def best_name_hit(union: UnionEntry, sources: Sequence[NameSource],
                  canon: Sequence[Sequence[tuple[str, ...]]], vocab: Vocabulary,
                  ) -> NameHit | None:
    """The strongest place where ``union`` (by name or alias) is named."""
    best: NameHit | None = None
    for source, canonical in zip(sources, canon, strict=True):
        for name in (union.name, *union.aliases):
            parts = name_parts(name)
            if not parts.distinct:
                continue
            mention = find_name(parts, source.segments, canonical, vocab)
            if mention is None:
                continue
            score = mention.score * source.weight
            if best is None or score > best.score:
                best = NameHit(union, score, source, mention.window, mention.score * 100)
    return best


def rank_names(doc: MessageDoc, directory: Sequence[UnionEntry]) -> list[NameHit]:
    """Every union named somewhere in the message, best first."""
    sources = name_sources(doc)
    vocab = _vocabulary(tuple(n for u in directory for n in (u.name, *u.aliases)))
    canon = [canonical_segments(s.segments, vocab) for s in sources]
    hits = [h for u in directory if (h := best_name_hit(u, sources, canon, vocab)) is not None]
    return sorted(hits, key=lambda h: (-h.score, h.union.code))


@lru_cache(maxsize=8)
def _vocabulary(names: tuple[str, ...]) -> Vocabulary:
    return Vocabulary(names)


def _candidates(hits: Sequence[NameHit]) -> list[tuple[str, float]]:
    return [(h.union.code, round(h.score, 3)) for h in hits if h.score >= CANDIDATE_FLOOR][
        :MAX_CANDIDATES
    ]


def _pick(hits: Sequence[NameHit]) -> tuple[NameHit | None, bool]:
    """The best hit if it is good enough, and whether a runner-up is too close to tell."""
    if not hits or hits[0].score < MIN_NAME_SCORE:
        return None, False
    close = len(hits) > 1 and hits[1].score >= hits[0].score - AMBIGUITY_MARGIN
    return hits[0], close


# ---------------------------------------------------------------- decision


def _inactive_note(union: UnionEntry) -> list[Evidence]:
    if union.active:
        return []
    return [Evidence("inactive", "directory", f"{union.code} is marked inactive", 0.0)]


def _auth_evidence(verdict: AuthVerdict) -> list[Evidence]:
    if verdict.status == "none":
        return [Evidence("auth", "header:authentication-results", "no dmarc/dkim result", 0.0)]
    return [Evidence("auth", "header:authentication-results", verdict.detail, 0.0)]


def _address_confidence(how: str, verdict: AuthVerdict, forwarder_is_federation: bool) -> float:
    if how == "forwarded":
        if forwarder_is_federation:
            return CONFIDENCE_FORWARDED_BY_FEDERATION
        return CONFIDENCE_FORWARDED
    return CONFIDENCE_VERIFIED if verdict.status == "pass" else CONFIDENCE_UNVERIFIED


def _by_address(
    doc: MessageDoc, unions: list[UnionEntry], address: str, how: str,
    verdict: AuthVerdict, forwarder_is_federation: bool,
) -> Attribution:
    evidence = [Evidence(f"{how}-address", "address", address, 1.0)] + _auth_evidence(verdict)
    if verdict.failed:
        candidates = [(u.code, 1.0) for u in unions]
        return Attribution(None, 0.0, evidence, candidates, reason="auth-failed")
    confidence = _address_confidence(how, verdict, forwarder_is_federation)
    if len(unions) == 1:
        union = unions[0]
        return Attribution(union.code, confidence, evidence + _inactive_note(union),
                           [(union.code, confidence)])
    return _shared_address(doc, unions, evidence)


def _shared_address(
    doc: MessageDoc, unions: list[UnionEntry], evidence: list[Evidence]
) -> Attribution:
    """An address listed by several unions: the name in the message must tell them apart."""
    hits = rank_names(doc, unions)
    best, close = _pick(hits)
    if best is None or close:
        candidates = [(u.code, 1.0) for u in unions]
        note = Evidence("shared-address", "address", ", ".join(u.code for u in unions), 0.0)
        return Attribution(None, 0.0, evidence + [note], candidates, reason="ambiguous")
    confidence = min(CONFIDENCE_SHARED_ADDRESS, best.score)
    evidence += [best.evidence()] + _inactive_note(best.union)
    return Attribution(best.union.code, confidence, evidence, _candidates(hits))


def _by_name(
    doc: MessageDoc, directory: Sequence[UnionEntry], verdict: AuthVerdict
) -> Attribution:
    hits = rank_names(doc, directory)
    best, close = _pick(hits)
    candidates = _candidates(hits)
    evidence = [Evidence("address", "address", f"{doc.from_addr or '?'} not in directory", 0.0)]
    if best is None:
        return Attribution(None, 0.0, evidence, candidates, reason="unknown-sender")
    if close:
        evidence += [h.evidence() for h in hits[:2]]
        return Attribution(None, 0.0, evidence, candidates, reason="ambiguous")
    confidence = min(NAME_CONFIDENCE_CAP, best.score)
    if verdict.failed:
        confidence *= AUTH_FAILED_NAME_FACTOR
        evidence += _auth_evidence(verdict)
    evidence += [best.evidence()] + _inactive_note(best.union)
    return Attribution(best.union.code, round(confidence, 3), evidence, candidates)


def attribute(
    doc: MessageDoc,
    directory: Sequence[UnionEntry],
    federation_addresses: Collection[str] = (),
) -> Attribution:
    """Which union sent ``doc``: by address (direct, then forwarded original), else by name."""
    index = address_index(directory)
    federation = {a.strip().lower() for a in federation_addresses}
    sender = doc.from_addr.strip().lower()
    verdict = auth_verdict(doc)
    own = index.get(sender, []) if sender and sender not in federation else []
    if is_forwarded(doc):
        for original in forwarded_senders(doc):
            if original not in index or original in federation:
                continue
            if own and {u.code for u in index[original]} != {u.code for u in own}:
                # one union relaying another's mail (a ward office forwarding a school's
                # report): the content is the original's, if the mail says so
                return _relayed(doc, index[original], own, verdict)
            if not own:
                return _by_address(
                    doc, index[original], original, "forwarded", verdict, sender in federation
                )
    if own:
        other = _report_of_another(doc, directory, own)
        if other is not None:
            return _relayed_by_sender(doc, other, own, verdict)
        return _by_address(doc, own, sender, "sender", verdict, False)
    return _by_name(doc, directory, verdict)


def _report_of_another(doc: MessageDoc, directory: Sequence[UnionEntry],
                       own: list[UnionEntry]) -> NameHit | None:
    """The union a report itself names as its issuer, when that is not the sender's union.

    A ward office forwarding its kindergarten's report, a parent company sending its
    subsidiary's, a school's old mailbox carrying the new school's report: the letterhead,
    subject or file name names another union, and never the sender's own.
    """
    hits = [h for h in rank_names(doc, directory) if h.source.kind in ISSUER_SOURCES]
    if not hits or hits[0].union in own or hits[0].score < ISSUER_SCORE:
        return None
    own_codes = {u.code for u in own}
    if any(h.union.code in own_codes and h.score >= MIN_NAME_SCORE for h in hits):
        return None  # the report names the sender's union as well: it is the sender's
    if len(hits) > 1 and hits[1].score >= hits[0].score - AMBIGUITY_MARGIN:
        return None
    return hits[0]


def _relayed_by_sender(doc: MessageDoc, issuer: NameHit, own: list[UnionEntry],
                       verdict: AuthVerdict) -> Attribution:
    """Credit the issuer when the mail is a forward of its report; else a person decides
    (a union's own address sending a report whose letterhead reads as another union's is
    as often a letterhead misread as a report sent on another's behalf)."""
    evidence = [Evidence("relayed", "address",
                         f"{'/'.join(u.code for u in own)} sends a report of "
                         f"{issuer.union.code}", 0.0), issuer.evidence()]
    evidence += _auth_evidence(verdict)
    candidates = [(issuer.union.code, round(issuer.score, 3))] + [(u.code, 1.0) for u in own]
    if verdict.failed:
        return Attribution(None, 0.0, evidence, candidates, reason="auth-failed")
    if is_forwarded(doc):
        return Attribution(issuer.union.code, CONFIDENCE_FORWARDED, evidence, candidates)
    return Attribution(None, 0.0, evidence, candidates, reason="ambiguous")


def _relayed(doc: MessageDoc, original: list[UnionEntry], forwarder: list[UnionEntry],
             verdict: AuthVerdict) -> Attribution:
    """Credit the original union only when the mail also names it; otherwise ask a person."""
    evidence = [Evidence("relayed", "address",
                         f"{'/'.join(u.code for u in forwarder)} forwards mail of "
                         f"{'/'.join(u.code for u in original)}", 0.0)]
    evidence += _auth_evidence(verdict)
    candidates = [(u.code, 1.0) for u in [*original, *forwarder]]
    if verdict.failed:
        return Attribution(None, 0.0, evidence, candidates, reason="auth-failed")
    hits = rank_names(doc, [*original, *forwarder])
    best, close = _pick(hits)
    if best is not None and not close and best.union in original:
        evidence.append(best.evidence())
        return Attribution(best.union.code, CONFIDENCE_FORWARDED, evidence, _candidates(hits))
    # the forwarder signs its own mail; what counts is whose report it is: the original
    # sender's union named in the report itself (subject, file name, letterhead, title)
    named = [h for h in hits if h.union in original and h.source.kind in REPORT_NAME_SOURCES
             and h.score >= MIN_NAME_SCORE]
    if len(named) == 1 or (named and len({h.union.code for h in named}) == 1):
        evidence.append(named[0].evidence())
        return Attribution(named[0].union.code, CONFIDENCE_FORWARDED, evidence,
                           _candidates(hits))
    return Attribution(None, 0.0, evidence, candidates, reason="ambiguous")
