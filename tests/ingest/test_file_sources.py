"""Maildir, mbox and .eml folder sources, and the detection behind ``open_path_source``."""

from __future__ import annotations

import mailbox
import os
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.sources.base import FetchedMessage, Source, SourceError
from ingest.sources.files import (
    EmlFolderSource,
    MaildirSource,
    MboxSource,
    open_path_source,
)
from tests.servers import make_message


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and mtime: sources must leave both untouched."""
    return {
        str(p): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def lf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n")


# -- Maildir ---------------------------------------------------------------------------------
def make_maildir(root: Path) -> tuple[Path, list[bytes]]:
    path = root / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True)
    raws = [lf(make_message(i)) for i in range(4)]
    # delivery time leads the name; read ones sit in cur/ with flags after ':2,'
    (path / "cur" / "1700000001.M1P1.host:2,S").write_bytes(raws[0])
    (path / "new" / "1700000002.M2P1.host").write_bytes(raws[1])
    (path / "cur" / "1700000003.M3P1.host:2,RS").write_bytes(raws[2])
    (path / "new" / "1700000004.M4P1.host").write_bytes(raws[3])
    (path / "tmp" / "1700000005.M5P1.host").write_bytes(b"half-delivered")
    (path / "new" / ".hidden").write_bytes(b"not mail")
    os.utime(path / "cur" / "1700000001.M1P1.host:2,S", (1700000001, 1700000001))
    return path, raws


def test_maildir_yields_new_and_cur_by_delivery_time(tmp_path: Path) -> None:
    path, raws = make_maildir(tmp_path)
    before = snapshot(path)
    src = MaildirSource(path)
    assert isinstance(src, Source)
    got = list(src.iter_new(None))
    assert [m.raw for m in got] == raws
    assert got[0].ref == str(path.resolve() / "cur" / "1700000001.M1P1.host:2,S")
    assert got[0].mtime == datetime.fromtimestamp(1700000001, UTC)
    assert all(m.received_at is None and m.uid is None and m.state is None for m in got)
    assert [m.size for m in got] == [len(r) for r in raws]
    assert src.key == f"maildir:{path.resolve()}"
    assert list(src.iter_new(None)) == got  # no state of its own: same again
    assert snapshot(path) == before


def test_maildir_oversize_file_is_a_marker(tmp_path: Path) -> None:
    path, _ = make_maildir(tmp_path)
    big = lf(make_message(9, body_bytes=4000))
    (path / "new" / "1700000009.M9P1.host").write_bytes(big)
    got = list(MaildirSource(path, max_message_bytes=1024).iter_new(None))
    assert (got[-1].oversize, got[-1].raw, got[-1].size) == (True, b"", len(big))
    assert not any(m.oversize for m in got[:-1])


# -- mbox ------------------------------------------------------------------------------------
FROM_BODY = b"From: a@example.org\nSubject: quoting\n\nFrom the minutes of the meeting:\nend\n"


def write_mbox(path: Path, raws: list[bytes]) -> None:
    """Write with the stdlib (mboxo: a body line "From " is stored as ">From ")."""
    box = mailbox.mbox(str(path))
    for raw in raws:
        box.add(raw)
    box.close()


def test_mbox_splits_and_restores_from_lines(tmp_path: Path) -> None:
    path = tmp_path / "takeout.mbox"
    raws = [lf(make_message(0)), FROM_BODY, lf(make_message(1)), lf(make_message(2))]
    write_mbox(path, raws)
    assert b"\n>From the minutes" in path.read_bytes()
    before = snapshot(tmp_path)

    src = MboxSource(path)
    got = list(src.iter_new(None))
    assert [m.raw for m in got] == raws
    assert got[0].ref == f"{path.resolve()}@0" and src.key == f"mbox:{path.resolve()}"
    offsets = [int(m.ref.rsplit("@", 1)[1]) for m in got]
    data = path.read_bytes()
    assert all(data[o:].startswith(b"From ") for o in offsets)
    assert snapshot(tmp_path) == before


def test_mboxrd_quoting_round_trips(tmp_path: Path) -> None:
    original = b"Subject: q\n\n>From a quote\nFrom a line\n>>From deeper\n"
    stored = b"Subject: q\n\n>>From a quote\n>From a line\n>>>From deeper\n"
    path = tmp_path / "rd.mbox"
    path.write_bytes(b"From x Mon Nov  2 08:00:00 2026\n" + stored + b"\n")
    assert [m.raw for m in MboxSource(path).iter_new(None)] == [original]


def test_mboxo_ambiguity_is_pinned(tmp_path: Path) -> None:
    # mboxo stores an original ">From " line unchanged, so it cannot be told from an
    # escaped "From ": the mboxrd rule turns it into "From " (documented limitation)
    path = tmp_path / "o.mbox"
    write_mbox(path, [b"Subject: q\n\n>From a quote\n"])
    assert [m.raw for m in MboxSource(path).iter_new(None)] == [b"Subject: q\n\nFrom a quote\n"]


def test_mbox_without_unescaping_matches_the_stdlib_reader(tmp_path: Path) -> None:
    path = tmp_path / "a.mbox"
    write_mbox(path, [lf(make_message(1)), FROM_BODY, b"Subject: q\n\n>From x\n",
                      lf(make_message(2))])
    reader = mailbox.mbox(str(path), create=False)
    stdlib = [reader.get_bytes(key) for key in reader.iterkeys()]
    assert stdlib[1] != FROM_BODY  # the stdlib reader keeps ">From the minutes"
    ours = [m.raw for m in MboxSource(path, unescape_from=False).iter_new(None)]
    assert ours == stdlib


def test_mbox_with_crlf_lines_and_an_oversize_message(tmp_path: Path) -> None:
    small = [make_message(1), make_message(3)]
    big = make_message(2, body_bytes=5000)
    path = tmp_path / "crlf.mbox"
    path.write_bytes(b"".join(
        b"From MAILER-DAEMON Mon Nov  2 08:00:00 2026\r\n" + raw + b"\r\n"
        for raw in (small[0], big, small[1])
    ))
    got = list(MboxSource(path, max_message_bytes=2048).iter_new(None))
    assert [m.raw for m in got] == [small[0], b"", small[1]]
    assert [m.oversize for m in got] == [False, True, False]
    assert got[1].size == len(big)


def test_mbox_streams_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.mbox"
    message = lf(make_message(1, body_bytes=20_000))
    with path.open("wb") as fh:
        for _ in range(400):  # ~8 MB
            fh.write(b"From x@example.org Mon Nov  2 08:00:00 2026\n" + message + b"\n")
    tracemalloc.start()
    count = sum(1 for _ in MboxSource(path).iter_new(None))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 400
    assert peak < 1_000_000  # a few messages' worth, never the 8 MB file


def test_text_before_the_first_from_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.mbox"
    path.write_bytes(b"\nhello\nFrom x Mon Nov  2 08:00:00 2026\nSubject: a\n\nb\n")
    with pytest.raises(SourceError, match="not an mbox"):
        list(MboxSource(path).iter_new(None))


# -- .eml ------------------------------------------------------------------------------------
def test_eml_folder_is_recursive_and_sorted(tmp_path: Path) -> None:
    root = tmp_path / "exports"
    (root / "2026" / "11").mkdir(parents=True)
    files = {
        "b.eml": make_message(2), "a.EML": make_message(1),
        "2026/11/c.eml": make_message(3), "notes.txt": b"not mail",
    }
    for name, raw in files.items():
        (root / name).write_bytes(raw)
    got = list(EmlFolderSource(root).iter_new(None))
    assert [Path(m.ref).relative_to(root.resolve()).as_posix() for m in got] == [
        "2026/11/c.eml", "a.EML", "b.eml",
    ]
    assert [m.raw for m in got] == [files["2026/11/c.eml"], files["a.EML"], files["b.eml"]]
    assert all(isinstance(m, FetchedMessage) and m.mtime is not None for m in got)


# -- detection -------------------------------------------------------------------------------
def test_open_path_source_detects_each_kind(tmp_path: Path) -> None:
    maildir, _ = make_maildir(tmp_path)
    mbox_path = tmp_path / "export.mbox"
    mbox_path.write_bytes(b"From x Mon Nov  2 08:00:00 2026\nSubject: a\n\nb\n")
    eml_dir = tmp_path / "emls"
    eml_dir.mkdir()
    (eml_dir / "one.eml").write_bytes(make_message(1))

    assert isinstance(open_path_source(maildir), MaildirSource)
    assert isinstance(open_path_source(mbox_path), MboxSource)
    assert isinstance(open_path_source(eml_dir), EmlFolderSource)
    single = open_path_source(eml_dir / "one.eml")
    assert [m.raw for m in single.iter_new(None)] == [(eml_dir / "one.eml").read_bytes()]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing", None, "no such file"),
        ("empty-dir", "dir", "neither a Maildir"),
        ("notes.txt", b"Subject: not an mbox\n", "neither an mbox"),
    ],
)
def test_open_path_source_errors(
    tmp_path: Path, name: str, content: bytes | str | None, message: str
) -> None:
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
        (path / "readme.txt").write_text("nothing here")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        open_path_source(path)
