"""A realistic, reproducible federation mailbox for the ingest benchmark.

Every message is what a union officer's mail client sends: a Vietnamese subject naming
one of the 2021 obligations (with or without diacritics, "Fwd:", "bổ sung"), a plain or
plain+HTML body, and for most of them a real report file.  Per block of 50 messages:

* 20 with one .docx (≈ 40 KB), 15 with one .xlsx (≈ 25 KB), 1 with both;
* 13 without attachment (one of them an auto-reply, i.e. noise);
* 1 with a larger PDF (≈ 300 KB: 6 pages of text plus a photo).

45 of 50 come from the addresses of ``config/data/sample_unions.csv`` (so most get credited),
5 from addresses nobody knows (triage).  The sequence is deterministic (seeded), so the first
N messages of the corpus have the same mix whatever N, and runs can be compared.  Each block
of 50 has its own seeded generator, so blocks are built in parallel (:func:`build_corpus`).

Real files come from ``tests/ingest/builders.py`` (python-docx, openpyxl) and reportlab.
python-docx needs ≈ 170 ms per document, so a few templates are built once and each message
gets its own copy with its union's name and a serial number written into the XML: every
attachment is unique (no blob de-duplication), and building 3,000 messages takes seconds.
"""

from __future__ import annotations

import csv
import io
import mailbox
import os
import random
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from tests.ingest.builders import (
    DOCX,
    PDF,
    XLSX,
    build_message,
    fold_to_ascii,
    has_vietnamese_font,
    make_docx,
    make_xlsx,
)

HANOI = timezone(timedelta(hours=7))
FEDERATION = "ldllongbien@gmail.com"
MARK_UNION, MARK_SERIAL = "@@UNION@@", "@@SERIAL@@"
BLOCK = 50
# kind per position in a block of 50 (shuffled per block with the seeded generator)
BLOCK_KINDS: tuple[str, ...] = (
    ("docx",) * 20 + ("xlsx",) * 15 + ("docx+xlsx",) + ("body",) * 12 + ("noise",) + ("pdf",)
)
UNKNOWN_PER_BLOCK = 5


@dataclass(frozen=True)
class Obligation:
    key: str
    deadline: date  # first late day
    title: str  # heading of the attached report
    subjects: tuple[str, ...]
    file_stem: str


OBLIGATIONS: tuple[Obligation, ...] = (
    Obligation("dvk-2021", date(2021, 2, 23), "ĐĂNG KÝ MÔ HÌNH \"DÂN VẬN KHÉO\" NĂM 2021",
               ("Đăng ký mô hình Dân vận khéo năm 2021 - {name}", "DK mo hinh DVK 2021 - {code}",
                "V/v đăng ký mô hình \"Dân vận khéo\""), "Dang ky mo hinh DVK"),
    Obligation("report-2021-q1", date(2021, 3, 15), "BÁO CÁO CÔNG TÁC CÔNG ĐOÀN QUÝ I NĂM 2021",
               ("Báo cáo quý I năm 2021 - {name}", "BC Q1 2021 {code}", "Bao cao quy 1 nam 2021"),
               "Bao cao quy I"),
    Obligation("report-2021-h1", date(2021, 6, 15), "BÁO CÁO SƠ KẾT 6 THÁNG ĐẦU NĂM 2021",
               ("Báo cáo sơ kết 6 tháng đầu năm 2021 - {name}", "BC 6T 2021 {code}",
                "Bao cao so ket 6 thang"), "BC so ket 6 thang"),
    Obligation("report-2021-q3", date(2021, 9, 15), "BÁO CÁO CÔNG TÁC CÔNG ĐOÀN 9 THÁNG NĂM 2021",
               ("Báo cáo 9 tháng năm 2021 - {name}", "BC quy III 2021 {code}",
                "Bao cao 9 thang nam 2021"), "Bao cao 9 thang"),
    Obligation("report-2021-y", date(2021, 12, 15), "BÁO CÁO TỔNG KẾT CÔNG TÁC CÔNG ĐOÀN NĂM 2021",
               ("Báo cáo tổng kết năm 2021 - {name}", "BC tong ket nam 2021 {code}",
                "Bao cao tong ket nam 2021"), "Bao cao tong ket nam"),
)


@dataclass(frozen=True)
class Sender:
    code: str
    name: str
    address: str


@dataclass(frozen=True)
class BenchMessage:
    raw: bytes
    received: datetime  # the INTERNALDATE to APPEND with (aware)
    kind: str  # docx | xlsx | docx+xlsx | body | noise | pdf
    known_sender: bool


@dataclass
class CorpusStats:
    messages: int = 0
    bytes: int = 0
    largest: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    known_senders: int = 0

    def add(self, msg: BenchMessage) -> None:
        self.messages += 1
        self.bytes += len(msg.raw)
        self.largest = max(self.largest, len(msg.raw))
        self.kinds[msg.kind] += 1
        self.known_senders += msg.known_sender

    def as_dict(self) -> dict[str, object]:
        return {"messages": self.messages, "bytes": self.bytes, "largest": self.largest,
                "avg_bytes": self.bytes // max(1, self.messages), "kinds": dict(self.kinds),
                "known_senders": self.known_senders}


def read_senders(directory_csv: Path) -> list[Sender]:
    """Every address of every active union in the directory file."""
    senders: list[Sender] = []
    with directory_csv.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("active", "1").strip().lower() not in ("1", "yes", "true"):
                continue
            for address in row["emails"].split(";"):
                if address.strip():
                    senders.append(Sender(row["code"], row["name"], address.strip()))
    if not senders:
        raise ValueError(f"{directory_csv}: no active union with an address")
    return senders


# --------------------------------------------------------------------------- files


def _restamp_zip(template: bytes, member: str, union: str, serial: str) -> bytes:
    """A copy of an Office file with the markers in ``member`` replaced (XML-escaped)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == member:
                data = (data.replace(MARK_UNION.encode(), escape(union).encode())
                        .replace(MARK_SERIAL.encode(), serial.encode()))
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _docx_template(ob: Obligation) -> bytes:
    paragraphs = [MARK_UNION, ob.title, f"Số: {MARK_SERIAL}/BC-CĐCS",
                  "Kính gửi: Liên đoàn Lao động quận Long Biên"]
    paragraphs += [f"{i}. Tình hình đoàn viên, việc làm, đời sống người lao động; công tác "
                   "tuyên truyền, thi đua, chăm lo và bảo vệ quyền lợi đoàn viên." for i in
                   range(1, 25)]
    table = [["STT", "Nội dung", "Kế hoạch", "Thực hiện", "Tỷ lệ"]]
    table += [[str(i), f"Chỉ tiêu {i}", str(10 * i), str(9 * i), "90%"] for i in range(1, 21)]
    return make_docx(paragraphs, table=table)


def _xlsx_template(ob: Obligation) -> bytes:
    rows: list[list[object]] = [[ob.title], [f"Đơn vị: {MARK_UNION}", f"Số {MARK_SERIAL}"],
                                ["STT", "Họ và tên", "Tổ công đoàn", "Số đoàn viên", "Nữ",
                                 "Ghi chú"]]
    rows += [[i, f"Nguyễn Thị Lan {i}", f"Tổ {i % 12 + 1}", 20 + i % 30, 10 + i % 15,
              "đã đóng đoàn phí"] for i in range(1, 451)]
    return make_xlsx(rows)


def _pdf(ob: Obligation, union: str, serial: str, rng: random.Random) -> bytes:
    """≈ 300 KB: a text layer on 6 pages (as Word's "Save as PDF") plus a photo."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = "Helvetica"
    if has_vietnamese_font():
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont("DejaVuSans", "/usr/share/fonts/truetype/dejavu/"
                                       "DejaVuSans.ttf"))
        font = "DejaVuSans"

    def text(line: str) -> str:
        return line if font != "Helvetica" else fold_to_ascii(line)

    photo = Image.frombytes("RGB", (320, 240), rng.randbytes(320 * 240 * 3))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    for page in range(6):
        pdf.setFont(font, 11)
        y = A4[1] - 60
        lines = [union, ob.title, f"Số: {serial}/BC-CĐCS"] if page == 0 else []
        lines += [f"{page + 1}.{i} Kết quả thực hiện nhiệm vụ công tác công đoàn, phong trào "
                  "thi đua lao động giỏi" for i in range(1, 40)]
        for line in lines:
            pdf.drawString(50, y, text(line))
            y -= 16
        if page == 0:
            pdf.drawImage(ImageReader(photo), 300, 80, width=240, height=180)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --------------------------------------------------------------------------- messages


class CorpusBuilder:
    """Builds the benchmark's messages in a fixed order from a seed."""

    def __init__(self, senders: Sequence[Sender], seed: int = 2021) -> None:
        self.senders = list(senders)
        self.seed = seed
        self._docx = {ob.key: _docx_template(ob) for ob in OBLIGATIONS}
        self._xlsx = {ob.key: _xlsx_template(ob) for ob in OBLIGATIONS}

    def messages(self, count: int) -> Iterator[BenchMessage]:
        for block in range(0, (count + BLOCK - 1) // BLOCK):
            yield from self.block(block, limit=count)

    def block(self, block: int, limit: int | None = None) -> list[BenchMessage]:
        """Messages ``block * 50`` to ``block * 50 + 49`` (each block stands alone)."""
        rng = random.Random(f"{self.seed}:block:{block}")
        kinds = list(BLOCK_KINDS)
        rng.shuffle(kinds)
        strangers = set(rng.sample(range(BLOCK), UNKNOWN_PER_BLOCK))
        out = []
        for offset, kind in enumerate(kinds):
            n = block * BLOCK + offset
            if limit is not None and n >= limit:
                break
            out.append(self._message(n, kind, offset not in strangers,
                                     random.Random(f"{self.seed}:{n}")))
        return out

    def _message(self, n: int, kind: str, known: bool, rng: random.Random) -> BenchMessage:
        ob = rng.choice(OBLIGATIONS)
        sender = rng.choice(self.senders)
        if known:
            address, display = sender.address, sender.name
        else:
            address, display = f"nguoigui{n}.{rng.randrange(10**6)}@gmail.com", "Nguyễn Văn Bình"
        late = rng.random() < 0.1
        day = ob.deadline + timedelta(days=rng.randint(1, 10) if late else -rng.randint(1, 25))
        received = datetime(day.year, day.month, day.day, rng.randint(7, 17), rng.randint(0, 59),
                            rng.randint(0, 59), tzinfo=HANOI)
        sent = received - timedelta(seconds=rng.randint(2, 90))
        serial = f"{n + 1:05d}"
        subject = rng.choice(ob.subjects).format(name=sender.name, code=sender.code)
        if rng.random() < 0.08:
            subject = f"Fwd: {subject}"
        elif rng.random() < 0.06:
            subject += " (bổ sung)"
        body = (f"Kính gửi Liên đoàn Lao động quận Long Biên,\n\n{sender.name} xin gửi "
                f"{ob.title.lower()} (số {serial}).\nĐề nghị LĐLĐ quận tiếp nhận.\n\n"
                f"Trân trọng,\nChủ tịch {sender.name}\nĐT: 0912 {n % 1000:03d} {n % 997:03d}\n")
        html = None
        if rng.random() < 0.5:  # Gmail's rich editor: plain + HTML alternative
            html = "<div dir=\"ltr\">" + "".join(
                f"<div>{escape(line) or '<br>'}</div>" for line in body.split("\n")) + "</div>"
        headers = {"Received": f"from mail-sor-f41.google.com by mx.google.com; "
                               f"{format_datetime(received)}"}
        attachments = self._attachments(kind, ob, sender.name, serial, rng)
        if kind == "noise":
            subject = f"Tự động trả lời: {subject}"
            body = "Tôi đang đi công tác đến hết tuần, sẽ trả lời thư khi về.\n"
            html = None
            headers["Auto-Submitted"] = "auto-replied"
        raw = build_message(subject, f"{display} <{address}>", to=FEDERATION, body=body,
                            html=html, attachments=attachments, date=sent, headers=headers,
                            message_id=f"<bench-{self.seed}-{n}@mail.gmail.com>")
        return BenchMessage(raw, received, kind, known)

    def _attachments(self, kind: str, ob: Obligation, union: str, serial: str,
                     rng: random.Random) -> list[tuple[str, bytes, str]]:
        stem = f"{ob.file_stem} - {fold_to_ascii(union)[:40]}"
        out: list[tuple[str, bytes, str]] = []
        if "docx" in kind:
            data = _restamp_zip(self._docx[ob.key], "word/document.xml", union, serial)
            out.append((f"{stem}.docx", data, DOCX))
        if "xlsx" in kind:
            data = _restamp_zip(self._xlsx[ob.key], "xl/sharedStrings.xml", union, serial)
            out.append((f"{stem}.xlsx", data, XLSX))
        if kind == "pdf":
            out.append((f"{stem}.pdf", _pdf(ob, union, serial, rng), PDF))
        return out


_worker: CorpusBuilder | None = None


def _init_worker(senders: list[Sender], seed: int) -> None:
    global _worker
    _worker = CorpusBuilder(senders, seed)


def _build_block(args: tuple[int, int]) -> list[BenchMessage]:
    assert _worker is not None
    return _worker.block(args[0], limit=args[1])


def build_corpus(senders: Sequence[Sender], count: int, seed: int = 2021,
                 workers: int | None = None) -> list[BenchMessage]:
    """The first ``count`` messages, built by blocks on every CPU (same bytes as serial)."""
    blocks = [(b, count) for b in range((count + BLOCK - 1) // BLOCK)]
    workers = min(workers or os.cpu_count() or 1, len(blocks))
    if workers <= 1:
        builder = CorpusBuilder(senders, seed)
        return [m for b, _ in blocks for m in builder.block(b, limit=count)]
    with ProcessPoolExecutor(workers, initializer=_init_worker,
                             initargs=(list(senders), seed)) as pool:
        return [m for chunk in pool.map(_build_block, blocks) for m in chunk]


# --------------------------------------------------------------------------- on disk


def write_maildir(messages: Sequence[BenchMessage], path: Path) -> Path:
    """A Maildir (new/) of the messages, in order (stdlib ``mailbox``)."""
    box = mailbox.Maildir(path, create=True)
    try:
        for msg in messages:
            box.add(msg.raw)
    finally:
        box.close()
    return path


def write_mbox(messages: Sequence[BenchMessage], path: Path) -> Path:
    """An mbox of the messages, as a Google Takeout export (stdlib ``mailbox``)."""
    box = mailbox.mbox(path, create=True)
    try:
        box.lock()
        for msg in messages:
            box.add(msg.raw)
        box.flush()
        box.unlock()
    finally:
        box.close()
    return path
