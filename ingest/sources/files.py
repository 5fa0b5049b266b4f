"""Messages from files: a Maildir, an mbox (e.g. a Google Takeout export), a folder of .eml.

Used for back-filling history and for operators who drop exports on disk.  Files are only
ever opened for reading.  There are no UIDs: ``iter_new`` ignores the state and yields
everything in a deterministic order; the pipeline dedups by content, so a re-run stores
nothing twice.  ``received_at`` is ``None`` ("decide from the headers"); ``mtime`` is kept.

The mbox reader streams line by line (a Takeout export can be many GB): memory holds one
message at a time, and a message above ``max_message_bytes`` is not even held, only
measured and yielded as an ``oversize`` marker.  Message boundaries follow
:class:`mailbox.mbox` (every line starting ``From `` opens a message; the blank line before
it belongs to the separator; CRLF blank lines count too).

``>From `` lines: ``mailbox.mbox`` escapes ``From `` as ``>From `` when writing but does not
undo it when reading (measured: its ``get_bytes`` returns ``>From``).  Here the mboxrd rule
is applied by default (one ``>`` is removed from every ``>+From `` line): exact for mboxrd
writers, and for mboxo writers (Gmail's export, ``mailbox.mbox``, Thunderbird) exact except
for a body line that originally began with ``>From `` (mboxo cannot tell; it comes back as
``From ``).  ``unescape_from=False`` gives ``mailbox.mbox``'s bytes exactly.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from ingest.sources.base import FetchedMessage, MailboxState, Source, SourceError

log = logging.getLogger(__name__)

_FROM_QUOTED = re.compile(rb">+From ")
_BLANK = (b"\n", b"\r\n")


class _FileSource:
    """What every file source shares: no after-actions, nothing held open between runs."""

    _kind = "file"

    def __init__(
        self, path: str | os.PathLike[str], max_message_bytes: int | None = None
    ) -> None:
        self.path = Path(path).resolve()
        self.max_message_bytes = max_message_bytes

    @property
    def key(self) -> str:
        return f"{self._kind}:{self.path}"

    def after_store(self, msg: FetchedMessage) -> None:
        """Files are never modified, so there is nothing to do after storing."""

    def close(self) -> None:
        """Nothing is held open between ``iter_new`` calls."""

    def __enter__(self) -> _FileSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _read_file(self, path: Path, ref: str) -> FetchedMessage:
        """One whole file as a message (or an oversize marker without reading it)."""
        st = path.stat()
        mtime = datetime.fromtimestamp(st.st_mtime, UTC)
        if self.max_message_bytes is not None and st.st_size > self.max_message_bytes:
            log.warning("%s: %s is %d bytes, over the limit: not read", self.key, ref, st.st_size)
            return FetchedMessage(b"", None, ref, None, st.st_size, mtime, oversize=True)
        raw = path.read_bytes()
        return FetchedMessage(raw, None, ref, None, len(raw), mtime)


class MaildirSource(_FileSource):
    """A Maildir's ``new/`` and ``cur/``, oldest delivery first (names begin with the time)."""

    _kind = "maildir"

    def iter_new(self, state: MailboxState | None = None) -> Iterator[FetchedMessage]:
        files = self._listing()
        log.info("%s: %d message file(s)", self.key, len(files))
        for _base, sub, name in files:
            path = self.path / sub / name
            try:
                yield self._read_file(path, str(path))
            except FileNotFoundError:
                # a live Maildir: a reader moved it (new/ -> cur/, flags renamed); not lost,
                # but this run no longer sees it, the next one will
                log.warning("%s: %s vanished while reading; next run takes it", self.key, path)

    def _listing(self) -> list[tuple[str, str, str]]:
        found: list[tuple[str, str, str]] = []
        for sub in ("new", "cur"):
            with os.scandir(self.path / sub) as entries:
                for entry in entries:
                    if entry.name.startswith(".") or not entry.is_file():
                        continue
                    found.append((entry.name.split(":", 1)[0], sub, entry.name))
        found.sort()
        return found


class EmlFolderSource(_FileSource):
    """Every ``*.eml`` under a folder (recursively, sorted by relative path), or one file."""

    _kind = "eml"

    def iter_new(self, state: MailboxState | None = None) -> Iterator[FetchedMessage]:
        files = self._listing()
        log.info("%s: %d .eml file(s)", self.key, len(files))
        for path in files:
            yield self._read_file(path, str(path))

    def _listing(self) -> list[Path]:
        if self.path.is_file():
            return [self.path]
        found = (p for p in self.path.rglob("*") if p.suffix.lower() == ".eml" and p.is_file())
        return sorted(found, key=lambda p: p.relative_to(self.path).as_posix())


class MboxSource(_FileSource):
    """A streaming mbox reader (see the module docstring for the format rules)."""

    _kind = "mbox"

    def __init__(
        self,
        path: str | os.PathLike[str],
        max_message_bytes: int | None = None,
        *,
        unescape_from: bool = True,
    ) -> None:
        super().__init__(path, max_message_bytes)
        self.unescape_from = unescape_from

    def iter_new(self, state: MailboxState | None = None) -> Iterator[FetchedMessage]:
        mtime = datetime.fromtimestamp(self.path.stat().st_mtime, UTC)
        count = 0
        with self.path.open("rb") as fh:
            for offset, raw, size in self._split(fh):
                count += 1
                ref = f"{self.path}@{offset}"
                oversize = self._too_big(size)
                if oversize:
                    log.warning("%s: message at %d is %d bytes: not kept", self.key, offset, size)
                yield FetchedMessage(raw, None, ref, None, size, mtime, oversize=oversize)
        log.info("%s: %d message(s) read", self.key, count)

    def _too_big(self, size: int) -> bool:
        return self.max_message_bytes is not None and size > self.max_message_bytes

    def _split(self, fh: Iterable[bytes]) -> Iterator[tuple[int, bytes, int]]:
        """(offset of the From_ line, message bytes, message size) per message, streaming.

        ``tail`` is the length of a trailing blank line: it belongs to the separator if a
        From_ line (or the end) follows, so it is neither kept nor counted until then.
        """
        start: int | None = None
        lines: list[bytes] = []
        size = tail = offset = 0
        for line in fh:
            here, offset = offset, offset + len(line)
            if line.startswith(b"From "):
                if start is not None:
                    yield start, _joined(lines, tail), size - tail
                start, lines, size, tail = here, [], 0, 0
            elif start is None:
                if line not in _BLANK:
                    raise SourceError(f"{self.path}: not an mbox (text before the first From line)")
            else:
                if self.unescape_from and _FROM_QUOTED.match(line):
                    line = line[1:]
                size += len(line)
                tail = len(line) if line in _BLANK else 0
                if not self._too_big(size - tail):
                    lines.append(line)
                elif lines:
                    lines = []  # over the limit: stop holding it, keep measuring
        if start is not None:
            yield start, _joined(lines, tail), size - tail


def _joined(lines: list[bytes], tail: int) -> bytes:
    """The message without its separator blank line (``b""`` once it grew too big)."""
    if tail and lines:
        lines.pop()
    return b"".join(lines)


def open_path_source(
    path: str | os.PathLike[str], *, max_message_bytes: int | None = None
) -> Source:
    """The right file source for ``path``: Maildir, mbox, .eml folder (or one .eml file)."""
    p = Path(path)
    if not p.exists():
        raise SourceError(f"{p}: no such file or directory")
    if p.is_dir():
        if (p / "cur").is_dir() and (p / "new").is_dir():
            return MaildirSource(p, max_message_bytes)
        if any(q.suffix.lower() == ".eml" for q in p.rglob("*")):
            return EmlFolderSource(p, max_message_bytes)
        raise SourceError(f"{p}: neither a Maildir (cur/ and new/) nor a folder with .eml files")
    with p.open("rb") as fh:
        head = fh.read(5)
    if head == b"From ":
        return MboxSource(p, max_message_bytes)
    if p.suffix.lower() == ".eml":
        return EmlFolderSource(p, max_message_bytes)
    raise SourceError(f"{p}: neither an mbox (starts with 'From ') nor an .eml file")
