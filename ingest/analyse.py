"""Stages 2-4 as one pure function: raw bytes in, everything the rules decided out.

Nothing here touches the database, so the same function runs in the pipeline's process or
in worker processes (it and its arguments pickle), and the record stage that follows is
the only writer.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from config.calendar import Calendar
from ingest.attribute import attribute
from ingest.classify import classify
from ingest.decide import Decision, decide
from ingest.document import Classification, MessageDoc, UnionEntry
from ingest.extract import ExtractLimits
from ingest.noise import detect_noise
from ingest.parse import parse_message


@dataclass(frozen=True)
class RuleContext:
    """What the rules need besides the message: data only, so it travels to workers."""

    calendar: Calendar  # rules for any year; small, immutable, picklable
    directory: tuple[UnionEntry, ...]
    own_addresses: tuple[str, ...]
    higher_bodies: tuple[str, ...]
    obligation_threshold: float
    union_threshold: float
    timezone: str
    limits: ExtractLimits


@dataclass
class Analysis:
    doc: MessageDoc
    classification: Classification
    decision: Decision


@dataclass
class Failure:
    """A stage raised: the traceback travels back to be recorded with the message."""

    error: str


def analyse(raw: bytes, received_at: datetime, ctx: RuleContext) -> Analysis:
    doc = parse_message(raw, limits=ctx.limits)
    noise = detect_noise(doc, own_addresses=ctx.own_addresses,
                         higher_bodies=ctx.higher_bodies,
                         union_addresses=[a for u in ctx.directory for a in u.addresses])
    classification = classify(doc, ctx.calendar, received_at, ZoneInfo(ctx.timezone))
    attribution = attribute(doc, ctx.directory, ctx.own_addresses)
    decision = decide(noise, classification, attribution,
                      has_files=any(a.payload for a in doc.attachments),
                      obligation_threshold=ctx.obligation_threshold,
                      union_threshold=ctx.union_threshold)
    return Analysis(doc, classification, decision)


def analyse_safely(raw: bytes, received_at: datetime, ctx: RuleContext) -> Analysis | Failure:
    """:func:`analyse` that returns its failure instead of raising (for worker processes)."""
    try:
        return analyse(raw, received_at, ctx)
    except Exception:  # noqa: BLE001 - returned with the full traceback, recorded by caller
        return Failure(traceback.format_exc(limit=20))
