"""Re-parse the output and check it against expected.csv."""
import csv
import email
import io
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from email import policy
from email.utils import parsedate_to_datetime

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import deadline  # noqa: E402
from data import BY_CODE, body_name  # noqa: E402
from legacy import tcvn3  # noqa: E402

HN = timezone(timedelta(hours=7))
errors = []


def err(*a):
    errors.append(" ".join(str(x) for x in a))


def att_text(name, data):
    ext = name.rsplit(".", 1)[-1].lower()
    if ext == "docx":
        import docx
        d = docx.Document(io.BytesIO(data))
        parts = [p.text for p in d.paragraphs]
        for t in d.tables:
            for row in t.rows:
                for c in row.cells:
                    parts.append(c.text)
        return "\n".join(parts)
    if ext == "xlsx":
        import openpyxl
        wb = openpyxl.load_workbook(io.BytesIO(data))
        return "\n".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    if ext == "pdf":
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(data)
            f.flush()
            return subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True, check=True).stdout
    if ext == "jpg":
        from PIL import Image
        im = Image.open(io.BytesIO(data))
        im.load()
        assert im.size[0] > 500
        return None
    raise ValueError(name)


def main():
    rows = list(csv.DictReader(open(os.path.join(HERE, "expected.csv"), encoding="utf-8")))
    files = sorted(os.listdir(os.path.join(HERE, "maildir/new")))
    assert os.path.isdir(os.path.join(HERE, "maildir/cur")) and not os.listdir(os.path.join(HERE, "maildir/cur"))
    assert os.path.isdir(os.path.join(HERE, "maildir/tmp")) and not os.listdir(os.path.join(HERE, "maildir/tmp"))
    if sorted(r["file"] for r in rows) != files:
        err("expected.csv rows != files")
    units = list(csv.DictReader(open(os.path.join(HERE, "unions.csv"), encoding="utf-8")))
    if not 80 <= len(units) <= 110:
        err("union count", len(units))
    seen_mid = set()
    per = defaultdict(list)
    n_att = Counter()
    for r in rows:
        raw = open(os.path.join(HERE, "maildir/new", r["file"]), "rb").read()
        if b"\n" in raw.replace(b"\r\n", b""):
            err(r["file"], "bare LF")
        msg = email.message_from_bytes(raw, policy=policy.default)
        for h in ("Received", "Message-ID", "From", "To"):
            if msg[h] is None:
                err(r["file"], "missing", h)
        if msg["Message-ID"] != r["message_id"]:
            err(r["file"], "msgid mismatch")
        if r["message_id"] in seen_mid:
            err("dup msgid", r["message_id"])
        seen_mid.add(r["message_id"])
        rec = msg.get_all("Received")[0]
        arr = parsedate_to_datetime(rec.split(";")[-1].strip())
        if int(arr.timestamp()) != int(r["file"].split(".")[0]):
            err(r["file"], "arrival/epoch mismatch")
        str(msg["Subject"] or "")
        str(msg["From"])
        texts = []
        body = msg.get_body(preferencelist=("plain",))
        if body is not None:
            body.get_content()
        for a in msg.iter_attachments():
            name = a.get_filename()
            data = a.get_content()
            n_att[name.rsplit(".", 1)[-1].lower()] += 1
            t = att_text(name, data)
            if t is not None:
                texts.append(t)
        if r["counts"] == "1":
            code, obl = r["union_code"], r["obligation"]
            if code not in BY_CODE:
                err(r["file"], "unknown code", code)
            per[(code, obl)].append((arr, r))
            if not any(msg.iter_attachments()):
                err(r["file"], "report without attachment")
            want = body_name(code).upper()
            short = want.replace("TRƯỜNG MẦM NON", "TRƯỜNG MN").replace("TRƯỜNG TIỂU HỌC", "TRƯỜNG TH").replace("CÔNG TY", "CTY").replace("CƠ KHÍ", "CK").replace("TRUNG TÂM", "TT")
            texts = [t for t in texts if t.strip() or "scan" not in r["tags"]]
            if texts:
                joined = " ".join(" ".join(texts).split())
                words = set(joined.split())
                if not any(w in joined or tcvn3(w) in joined or all(x in words for x in w.split()) for w in (want, short)) and "xlsx" not in r["tags"]:
                    err(r["file"], "letterhead lacks", want)
                y = obl.split("-")[1]
                if y not in joined:
                    err(r["file"], "year missing in doc", y)
            ot = 1 if arr < deadline(obl) else 0
            if "resend" not in r["tags"] and str(ot) != r["on_time"]:
                err(r["file"], "on_time mismatch", ot, r["on_time"])
        else:
            if r["obligation"] or r["on_time"]:
                err(r["file"], "noise with obligation")
    for k, lst in per.items():
        lst.sort(key=lambda x: x[0])
        first_ot = 1 if lst[0][0] < deadline(k[1]) else 0
        for i, (arr, r) in enumerate(lst):
            if i > 0 and "resend" not in r["tags"]:
                err("duplicate obligation without resend tag", k, r["file"])
            if i == 0 and "resend" in r["tags"]:
                err("resend without an earlier first version", k, r["file"])
            if str(first_ot) != r["on_time"]:
                err(r["file"], "on_time vs first version", k)
    size = sum(os.path.getsize(os.path.join(HERE, "maildir/new", f)) for f in files)
    nrep = sum(1 for r in rows if r["counts"] == "1")
    print("messages", len(rows), "reports", nrep, "noise", len(rows) - nrep, "bytes", size, "attachments", dict(n_att))
    kinds = Counter()
    for r in rows:
        for t in r["tags"].split(";"):
            kinds[t] += 1
    for need in ("letterhead-only", "forward-by-other-union", "photo", "scan", "reply-thread", "body-other-periods", "confusable"):
        print(" kind", need, kinds[need])
    if size > 8 * 1024 * 1024:
        err("maildir too big")
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else "%d errors" % len(errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
