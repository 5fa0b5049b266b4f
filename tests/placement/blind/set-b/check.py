# -*- coding: utf-8 -*-
"""Self-check: parse every message, open every attachment, cross-check expected.csv."""
import csv
import io
import os
import re
import sys
import email
from email import policy
from email.utils import parsedate_to_datetime
from collections import Counter

import docx
import openpyxl
from PIL import Image

OUT = os.path.dirname(os.path.abspath(__file__))
NEW = os.path.join(OUT, "maildir", "new")


def arrival_of(msg):
    rec = msg.get_all("Received")[0]
    return parsedate_to_datetime(re.sub(r"\s+", " ", rec.split(";")[-1]).strip().split(" (")[0])


def main():
    rows = list(csv.DictReader(open(os.path.join(OUT, "expected.csv"), encoding="utf-8")))
    files = sorted(os.listdir(NEW))
    assert sorted(r["file"] for r in rows) == files, "expected.csv / maildir mismatch"
    assert os.path.isdir(os.path.join(OUT, "maildir", "cur")) and os.path.isdir(os.path.join(OUT, "maildir", "tmp"))
    codes = {r["code"]: r for r in csv.DictReader(open(os.path.join(OUT, "unions.csv"), encoding="utf-8"))}
    kinds = Counter()
    problems = 0
    for r in rows:
        raw = open(os.path.join(NEW, r["file"]), "rb").read()
        assert b"\n" not in raw.replace(b"\r\n", b""), "bare LF in " + r["file"]
        msg = email.message_from_bytes(raw, policy=policy.default)
        for h in ("Message-ID", "Date", "From", "To", "Received"):
            assert msg[h] is not None, (r["file"], h)
        assert msg["Message-ID"].strip() == r["message_id"], r["file"]
        arr = arrival_of(msg)
        assert int(arr.timestamp()) == int(r["file"].split(".")[0]), (r["file"], arr)
        _ = str(msg["Subject"] or "")
        _ = str(msg["From"])
        body = msg.get_body(preferencelist=("plain", "html"))
        if body is not None:
            body.get_content()
        for part in msg.iter_attachments():
            fn = part.get_filename()
            data = part.get_payload(decode=True)
            assert fn and data, r["file"]
            ext = fn.rsplit(".", 1)[-1].lower()
            kinds[ext] += 1
            try:
                if ext == "docx":
                    t = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
                    assert len(t) > 50
                elif ext == "xlsx":
                    wb = openpyxl.load_workbook(io.BytesIO(data))
                    assert wb.active.max_row >= 2
                elif ext in ("jpg", "png"):
                    Image.open(io.BytesIO(data)).verify()
                elif ext == "pdf":
                    assert data.startswith(b"%PDF") and b"%%EOF" in data[-64:]
                elif ext == "eml":
                    email.message_from_bytes(data)
                else:
                    raise AssertionError("unknown ext " + ext)
            except Exception as e:
                problems += 1
                print("BAD attachment", r["file"], fn, e)
        if r["counts"] == "1":
            assert r["union_code"] in codes and codes[r["union_code"]]["active"] == "yes", r
            assert r["obligation"] and r["on_time"] in ("0", "1"), r
        else:
            assert r["counts"] == "0" and r["on_time"] == "", r
            if r["union_code"]:
                assert r["union_code"] in codes, r
    size = sum(os.path.getsize(os.path.join(NEW, f)) for f in files)
    print("messages %d, attachments %s, size %.2f MB, problems %d" % (len(rows), dict(kinds), size / 1e6, problems))
    return problems


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
