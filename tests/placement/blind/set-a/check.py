#!/usr/bin/env python3
"""Self-check of set A: parse every message back, open every attachment, compare with expected.csv.
Run: .venv/bin/python check.py   (exit status 1 on any problem)"""
import csv
import email
import email.policy
import io
import os
import re
import sys
import unicodedata
import zipfile
from email.utils import parsedate_to_datetime

import docx
import openpyxl
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
NEW = os.path.join(HERE, "maildir", "new")
problems = []


def bad(f, msg):
    problems.append("%s: %s" % (f, msg))


def arrival(msg):
    rec = msg.get_all("Received")[0]
    return parsedate_to_datetime(rec.rsplit(";", 1)[1].strip().split(" (")[0])


def text_of_docx(data):
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for c in row.cells:
                parts.append(c.text)
    return "\n".join(parts)


def main():
    files = sorted(os.listdir(NEW))
    rows = list(csv.DictReader(open(os.path.join(HERE, "expected.csv"), encoding="utf-8")))
    byfile = {r["file"]: r for r in rows}
    if set(byfile) != set(files) or len(rows) != len(files):
        bad("expected.csv", "rows and files differ: %s" % (set(byfile) ^ set(files)))
    if os.listdir(os.path.join(HERE, "maildir", "cur")) or os.listdir(os.path.join(HERE, "maildir", "tmp")):
        bad("maildir", "cur/tmp not empty")
    unions = {r["code"]: r for r in csv.DictReader(open(os.path.join(HERE, "unions.csv"), encoding="utf-8"))}
    mids = set()
    total = 0
    kinds = {}
    for f in files:
        raw = open(os.path.join(NEW, f), "rb").read()
        total += len(raw)
        if re.search(rb"(?<!\r)\n", raw):
            bad(f, "bare LF")
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        for h in ("Received", "Message-ID", "Date", "From", "To"):
            if msg[h] is None:
                bad(f, "missing " + h)
        if msg.defects:
            bad(f, "defects %s" % msg.defects)
        a = arrival(msg)
        epoch = int(f.split(".")[0])
        if int(a.timestamp()) != epoch:
            bad(f, "file epoch %d != Received %s" % (epoch, a))
        r = byfile.get(f)
        if r is None:
            continue
        if r["message_id"] != msg["Message-ID"].strip():
            bad(f, "message-id differs")
        if r["message_id"] in mids:
            bad(f, "duplicate message id")
        mids.add(r["message_id"])
        _ = msg["Subject"]
        _ = msg["From"]
        for part in msg.walk():
            if part.defects:
                bad(f, "part defects %s" % part.defects)
            ct = part.get_content_type()
            if part.is_multipart() or ct == "message/rfc822" or ct == "message/delivery-status":
                continue
            fn = part.get_filename()
            if ct.startswith("text/") and not fn:
                try:
                    part.get_content()
                except Exception as e:
                    bad(f, "text part: %r" % e)
                continue
            data = part.get_payload(decode=True)
            ext = (fn or "").rsplit(".", 1)[-1].lower()
            kinds[ext] = kinds.get(ext, 0) + 1
            try:
                if ext == "docx":
                    txt = text_of_docx(data)
                    if len(txt) < 50:
                        bad(f, "docx too short")
                elif ext == "xlsx":
                    wb = openpyxl.load_workbook(io.BytesIO(data))
                    if wb.active.max_row < 3:
                        bad(f, "xlsx empty")
                elif ext == "pdf":
                    if not data.startswith(b"%PDF") or b"%%EOF" not in data[-1024:]:
                        bad(f, "not a PDF")
                elif ext in ("jpg", "jpeg", "png"):
                    im = Image.open(io.BytesIO(data))
                    im.verify()
                elif ext == "zip":
                    zipfile.ZipFile(io.BytesIO(data)).namelist()
                else:
                    bad(f, "unknown attachment %r %s" % (fn, ct))
            except Exception as e:
                bad(f, "attachment %r: %r" % (fn, e))
        # expected row sanity
        if r["counts"] == "1":
            if r["union_code"] not in unions or unions[r["union_code"]]["active"] != "yes":
                bad(f, "unknown or inactive union " + r["union_code"])
            if r["on_time"] not in ("0", "1") or not r["obligation"]:
                bad(f, "bad row")
        elif r["counts"] == "0":
            if r["obligation"] or r["on_time"]:
                bad(f, "noise row with obligation")
        else:
            bad(f, "counts")
    # on_time recomputed independently from the Received stamps and the brief's deadlines
    import datetime as dt
    from zoneinfo import ZoneInfo
    HN = ZoneInfo("Asia/Ho_Chi_Minh")

    def deadline(obl):
        if obl == "dvk-2021":
            return dt.datetime(2021, 2, 23, tzinfo=HN)
        _, y, p = obl.split("-")
        return dt.datetime(int(y), {"q1": 3, "h1": 6, "q3": 9, "y": 12}[p], 15, tzinfo=HN)
    for r in rows:
        if r["counts"] != "1":
            continue
        first = r["file"]
        m = re.search(r"first version: (\S+)", r["note"])
        if m:
            first = m.group(1)
            fr = byfile[first]
            if (fr["union_code"], fr["obligation"], fr["counts"]) != (r["union_code"], r["obligation"], "1"):
                bad(r["file"], "first version is not the same union/obligation")
        t = dt.datetime.fromtimestamp(int(first.split(".")[0]), dt.timezone.utc)
        ot = "1" if t < deadline(r["obligation"]) else "0"
        if ot != r["on_time"]:
            bad(r["file"], "on_time %s but Received says %s" % (r["on_time"], ot))
    # registered addresses: official senders must belong to the credited union unless the row says otherwise
    owner = {e: c for c, u in unions.items() for e in u["emails"].split(";") if e}
    for r in rows:
        if r["counts"] != "1":
            continue
        msg = email.message_from_bytes(open(os.path.join(NEW, r["file"]), "rb").read(), policy=email.policy.default)
        frm = msg["From"].addresses[0].addr_spec.lower()
        o = owner.get(frm)
        if o and o != r["union_code"] and not re.search(r"on-behalf|forward-other-union", r["tags"]):
            bad(r["file"], "registered address of %s credited to %s" % (o, r["union_code"]))
        if "official" in r["tags"].split(";") and o != r["union_code"]:
            bad(r["file"], "tagged official but From is not registered to the union")
    print("files %d, rows %d, bytes %d (%.2f MB), attachments %s" % (len(files), len(rows), total, total / 1e6, kinds))
    if problems:
        print("\n".join(problems[:60]))
        print("%d problems" % len(problems))
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
