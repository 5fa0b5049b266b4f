"""A message with a hostile header block (issue 7, item 6).

100,000 header lines once hung a file back-fill for more than 13 minutes with the SQLite
write lock held: the header map was built quadratically before anything could quarantine
the message.  Now the header block is measured first (linear), a message over the limits
is stored raw and quarantined with its reason, and the rest of the batch is credited.
"""

from __future__ import annotations

import mailbox
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from ingest.headers import MAX_HEADER_BYTES, MAX_HEADER_LINES, header_block, header_map
from ingest.parse import HeaderLimitError, parse_message
from ldl.app import App
from storage.models import Message
from tests.conftest import SAMPLE_DIRECTORY, Ldl
from tests.ingest.builders import build_message, build_raw_message, make_docx

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADER_LINES = 100_000


def many_headers(count: int = HEADER_LINES) -> bytes:
    headers = ["From: cdmnhoasua@gmail.com", "To: ldllongbien@gmail.com",
               "Subject: Bao cao quy I nam 2021", "Date: Wed, 10 Mar 2021 09:15:00 +0700",
               "Message-ID: <hostile-headers@x>"]
    headers += [f"X-Junk-{n}: value {n}" for n in range(count)]
    return build_raw_message(headers, "Kính gửi LĐLĐ quận.\r\n")


def test_header_block_is_measured_in_linear_passes() -> None:
    raw = b"\r\n" + many_headers()
    block = header_block(raw)
    assert block.lines == HEADER_LINES + 5
    assert block.over_limits() is not None and str(MAX_HEADER_LINES) in block.over_limits()
    small = header_block(build_message(subject="x", from_="a@b.c", body="y"))
    assert small.over_limits() is None and small.lines < 20
    folded = header_block(b"Subject: a\r\n b\r\n\tc\r\nFrom: x@y\r\n\r\nbody")
    assert folded.lines == 2 and folded.size == len(b"Subject: a\r\n b\r\n\tc\r\nFrom: x@y")
    huge = header_block(b"Subject: " + b"a" * (MAX_HEADER_BYTES + 1) + b"\r\n\r\n")
    assert huge.over_limits() is not None and "bytes" in huge.over_limits()


def test_header_map_keeps_every_value_in_order() -> None:
    raw = build_raw_message(["Received: one", "X-A: 1", "received: two", "RECEIVED: three"])
    assert header_map(raw)["received"] == ["one", "two", "three"]
    assert header_map(raw)["x-a"] == ["1"]


def test_parse_refuses_a_header_block_over_the_limits() -> None:
    with pytest.raises(HeaderLimitError, match="header lines"):
        parse_message(many_headers(MAX_HEADER_LINES + 1))
    doc = parse_message(many_headers(MAX_HEADER_LINES - 10))
    assert doc.subject == "Bao cao quy I nam 2021"


@pytest.mark.timeout(240)
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_backfill_with_100000_header_lines_completes(ldl: Ldl, app: App, tmp_path: Path) -> None:
    """Through ``ldl ingest --from`` a Maildir: the batch is stored and credited, the hostile
    message is kept raw and quarantined with its reason; a re-run takes nothing again."""
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    senders = ["cdmnhoasua@gmail.com", "cdthngoclam@gmail.com", "cdthcsducgiang@gmail.com"]
    for n, sender in enumerate(senders):
        if n == 1:
            box.add(many_headers())
        box.add(build_message(
            subject="Báo cáo quý I năm 2021", from_=sender, body="Kính gửi LĐLĐ quận.",
            date=datetime(2021, 3, 10, 9, n, tzinfo=HCM), message_id=f"<good-{n}@x>",
            attachments=[("BC.docx", make_docx(["BÁO CÁO quý I", str(n)]), DOCX)]))
    result = ldl("ingest", "--from", str(tmp_path / "Maildir"), "--no-progress")
    assert result.exit_code == 0, result.output
    assert "new 4" in result.output and "credited 3" in result.output, result.output
    with app.sessions() as s:
        hostile = s.scalars(select(Message).where(Message.message_id == "hostile-headers@x")).one()
        assert hostile.status == "quarantined"
        assert hostile.error is not None and "header lines" in hostile.error
        assert hostile.subject == "Bao cao quy I nam 2021"  # read from the first headers
        assert hostile.size == len(many_headers())
        credited = s.scalars(select(Message.message_id).where(Message.status == "credited"))
        assert sorted(credited) == ["good-0@x", "good-1@x", "good-2@x"]
    again = ldl("ingest", "--from", str(tmp_path / "Maildir"), "--no-progress")
    assert again.exit_code == 0 and "new 0" in again.output and "duplicates 4" in again.output
    # the write lock was released: the directory can be imported again right away
    assert ldl("unions", "import", str(SAMPLE_DIRECTORY)).exit_code == 0
