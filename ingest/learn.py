"""What a person's triage decision teaches the directory, beyond the sender's address.

When staff credit a message to a union by hand, the message shows how that union names
itself: the issuer line of its document's letterhead ("CĐCS TRƯỜNG MN HOA SỮA"), a
signature line ("Chủ tịch CĐ Cty May ĐG 2"), the union part of the subject ("BC quý I -
CĐ Trạm YT P. Phúc Lợi").  Those phrases become aliases of the union, so the next mail
written the same way, and `ldl reprocess` over the past, place themselves.

A phrase is learnt only when it names something distinctive, does not already find the
union on its own name, and does not name another union of the directory: a person's one
decision must not teach the machine a name that would credit someone else.  Pure: the
caller stores what it returns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.document import MessageDoc, UnionEntry
from ingest.names import (
    Vocabulary,
    canonical_segments,
    find_name,
    has_distinct_words,
    name_parts,
    segments,
    type_mask,
)
from ingest.textnorm import name_key, nonempty_lines, own_text, split_subject
from ingest.title import read_title_block

MAX_ALIASES = 3  # learnt from one decision
MAX_ALIAS_CHARS = 120
KNOWN_SCORE = 0.9  # a phrase that already finds the union (or another) this well is not new
SIGNATURE_LINES = 8
SUBJECT_SPLIT_RE = re.compile(r"\s[-–—:]\s|\s[-–—]|[-–—]\s")


def _phrases(doc: MessageDoc) -> list[str]:
    """Places where a union writes its own name: letterheads, subject tail, signature."""
    found: list[str] = []
    for att in doc.attachments:
        lines = [ln for ln in read_title_block(att.text).letterhead if has_distinct_words(ln)]
        lines = [ln for ln in lines if not re.match(r"^\s*s[ốo]\s*[:.]", ln, re.IGNORECASE)]
        if lines:
            found.append(lines[-1])
    subject = split_subject(doc.subject)[1]
    parts = SUBJECT_SPLIT_RE.split(subject)
    if len(parts) > 1:
        found.append(parts[-1])
    for line in nonempty_lines(own_text(doc.body_text))[-SIGNATURE_LINES:]:
        tokens = name_key(line).split()
        if any(type_mask(tokens)) and has_distinct_words(line):
            found.append(line)
    return found


def _clean(phrase: str) -> str:
    return " ".join(phrase.split()).strip(" .,;:-–—")[:MAX_ALIAS_CHARS]


def aliases_to_learn(doc: MessageDoc, union: UnionEntry,
                     directory: Sequence[UnionEntry]) -> list[str]:
    """Names ``doc`` uses for ``union`` that the directory does not know yet."""
    vocab_names = [n for u in directory for n in (u.name, *u.aliases)]
    learnt: list[str] = []
    for raw in _phrases(doc):
        phrase = _clean(raw)
        if not phrase or phrase in learnt or not has_distinct_words(phrase):
            continue
        vocab = Vocabulary([*vocab_names, phrase])
        segs = segments(phrase)
        canon = canonical_segments(segs, vocab)

        def score(name: str, segs: list[tuple[str, ...]] = segs,
                  canon: list[tuple[str, ...]] = canon, vocab: Vocabulary = vocab) -> float:
            parts = name_parts(name)
            if not parts.distinct:
                return 0.0
            found = find_name(parts, segs, canon, vocab)
            return found.score if found else 0.0

        if max((score(n) for n in (union.name, *union.aliases)), default=0.0) >= KNOWN_SCORE:
            continue  # the union is already found by this phrase
        others = [u for u in directory if u.code != union.code]
        if any(score(n) >= KNOWN_SCORE for u in others for n in (u.name, *u.aliases)):
            continue  # it names another union: never teach that
        learnt.append(phrase)
        if len(learnt) >= MAX_ALIASES:
            break
    return learnt
