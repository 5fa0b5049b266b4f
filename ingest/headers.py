"""The header block of a raw message, measured and read in linear time, within limits.

Header blocks are written by anyone.  One of 100,000 lines once hung a back-fill for more
than 13 minutes with the SQLite write lock held: the header map was built with
``Message.get_all`` per name, which scans every header each time (quadratic).  Here:

* :func:`header_block` measures the block (lines, bytes) with a few C-level passes over
  the bytes, before any parser sees it, so stage 1 can refuse heavy work on a hostile
  message and quarantine it with its reason, still storing its bytes;
* :func:`read_headers` parses at most :data:`MAX_HEADER_LINES` header lines;
* :func:`header_map` groups the values by lower-case name in a single pass.

The limits are far beyond real mail (a long relay chain has a few hundred lines) and far
below what makes any later stage slow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32

MAX_HEADER_LINES = 1000  # logical header fields (folded continuations belong to their field)
MAX_HEADER_BYTES = 1024 * 1024  # the whole header block

_LEADING_BLANKS = re.compile(rb"[\r\n]*")
_BLOCK_END = re.compile(rb"\r?\n\r?\n")
_NEW_FIELD = re.compile(rb"\n(?![ \t])")  # a line break not followed by a continuation


@dataclass(frozen=True)
class HeaderBlock:
    """Where the header block of a raw message is and how big it is."""

    start: int  # offset of the first header line (leading blank lines skipped)
    end: int  # offset just after the last header line
    lines: int  # header fields, folded lines counted once

    @property
    def size(self) -> int:
        return self.end - self.start

    def over_limits(self, max_lines: int = MAX_HEADER_LINES,
                    max_bytes: int = MAX_HEADER_BYTES) -> str | None:
        """Why this block is refused, or None when it is within the limits."""
        if self.lines > max_lines:
            return f"{self.lines} header lines (limit {max_lines})"
        if self.size > max_bytes:
            return f"header block of {self.size} bytes (limit {max_bytes})"
        return None


def header_block(raw: bytes) -> HeaderBlock:
    """Measure the header block: up to the first empty line (or the end of ``raw``)."""
    blanks = _LEADING_BLANKS.match(raw)
    start = blanks.end() if blanks else 0
    match = _BLOCK_END.search(raw, start)
    end = match.start() if match else len(raw)
    if end <= start:
        return HeaderBlock(start, start, 0)
    block = raw[start:end]
    lines = 1 + block.count(b"\n") - block.count(b"\n ") - block.count(b"\n\t")
    return HeaderBlock(start, end, lines)


def read_headers(raw: bytes, block: HeaderBlock | None = None,
                 max_lines: int = MAX_HEADER_LINES) -> Message:
    """The header fields of ``raw`` as a stdlib message (no body), at most ``max_lines``.

    A block within the limit is parsed as it is; a longer one is cut after its first
    ``max_lines`` fields, so the work stays bounded whatever the message holds.
    """
    block = block or header_block(raw)
    data = raw[block.start:block.end]
    if block.lines > max_lines:
        cut = _nth_field_start(data, max_lines)
        data = data[:cut]
    return BytesHeaderParser(policy=compat32).parsebytes(data + b"\r\n\r\n")


def _nth_field_start(data: bytes, n: int) -> int:
    """Offset where header field number ``n`` (0-based) begins in a header block."""
    for count, match in enumerate(_NEW_FIELD.finditer(data), start=1):
        if count == n:
            return match.start()
    return len(data)


def header_map(raw: bytes | Message) -> dict[str, list[str]]:
    """Lower-case header name -> its values in message order, in one pass."""
    message = raw if isinstance(raw, Message) else read_headers(raw)
    out: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        out.setdefault(str(name).lower(), []).append(str(value))
    return out
