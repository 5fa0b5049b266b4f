"""Raw RFC 5322 message assembly (CRLF, MIME, base64 attachments, RFC 2047)."""
import base64
import hashlib
import random
from datetime import datetime, timedelta, timezone
from email import encoders
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.charset import Charset, QP, BASE64
from email.utils import format_datetime
from zoneinfo import ZoneInfo

HN = timezone(timedelta(hours=7))
PT = ZoneInfo("America/Los_Angeles")
INBOX = "ldllongbien@gmail.com"

MIMETYPES = {
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": ("application", "pdf"),
    "jpg": ("image", "jpeg"),
    "jpeg": ("image", "jpeg"),
    "png": ("image", "png"),
    "doc": ("application", "msword"),
}


def hn(y, mo, d, h=9, mi=0, s=0):
    return datetime(y, mo, d, h, mi, s, tzinfo=HN)


def _hdr(text, enc="B"):
    try:
        text.encode("ascii")
        return text
    except UnicodeEncodeError:
        cs = Charset("utf-8")
        cs.header_encoding = BASE64 if enc == "B" else QP
        return Header(text, cs).encode()


def addr(name, email, enc="B"):
    if not name:
        return email
    return "%s <%s>" % (_hdr(name, enc) if not name.isascii() else '"%s"' % name, email)


def _gmail_received(arr, rnd, sender_host="mail-sor-f41.google.com"):
    t = arr.astimezone(PT)
    ts = t.strftime("%a, %d %b %Y %H:%M:%S %z") + " (%s)" % t.tzname()
    sid = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(10))
    r1 = ("by 2002:a05:6a10:%x:0:0:0:0 with SMTP id %scsp%d%s;\r\n        %s"
          % (rnd.randint(0x1000, 0xffff), sid[:3], rnd.randint(100000, 999999), sid[3:6], ts))
    t2 = (arr - timedelta(seconds=rnd.randint(1, 3))).astimezone(PT)
    ts2 = t2.strftime("%a, %d %b %Y %H:%M:%S %z") + " (%s)" % t2.tzname()
    ip = "209.85.220.%d" % rnd.randint(2, 250) if sender_host.endswith("google.com") else "51.77.12.%d" % rnd.randint(2, 250)
    r2 = ("from %s (%s. [%s])\r\n        by mx.google.com with SMTPS id %s.%d.2021\r\n"
          "        for <%s>\r\n        (Google Transport Security);\r\n        %s"
          % (sender_host, sender_host, ip, sid, rnd.randint(10, 99), INBOX, ts2))
    return r1, r2


def build(m, seed):
    """m: dict with keys from_name, from_addr, to, cc, subject (None=absent), date,
    arrival, body, body_enc ('8bit'|'qp'|'b64'), html (opt), attachments [(name, bytes, style)],
    headers (extra list of (k,v)), msgid, subj_enc ('B'|'Q'), received (override list)."""
    rnd = random.Random(seed)
    body = m.get("body", "")
    benc = m.get("body_enc", "b64")
    cs = Charset("utf-8")
    cs.body_encoding = {"qp": QP, "b64": BASE64, "8bit": None}[benc]
    text = MIMEText(body, "plain", cs) if benc != "8bit" else MIMEText(body, "plain", "utf-8")
    if benc == "8bit":
        del text["Content-Transfer-Encoding"]
        text.set_payload(body.encode("utf-8"))
        text["Content-Transfer-Encoding"] = "8bit"
    part = text
    if m.get("html"):
        alt = MIMEMultipart("alternative", boundary="%032x" % rnd.getrandbits(128))
        alt.attach(text)
        h = MIMEText(m["html"], "html", cs)
        alt.attach(h)
        part = alt
    atts = m.get("attachments") or []
    if atts:
        root = MIMEMultipart("mixed", boundary="000000000000%016x" % rnd.getrandbits(64))
        root.attach(part)
        for name, data, style in atts:
            ext = name.rsplit(".", 1)[-1].lower()
            mt = MIMETYPES.get(ext, ("application", "octet-stream"))
            a = MIMEBase(*mt)
            a.set_payload(data)
            encoders.encode_base64(a)
            if name.isascii():
                a.set_param("name", name)
                a.add_header("Content-Disposition", "attachment", filename=name)
            elif style == "2231":
                a.set_param("name", ("utf-8", "", name))
                a.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
            else:  # gmail style: RFC 2047 inside quotes
                enc = "=?UTF-8?B?%s?=" % base64.b64encode(name.encode()).decode()
                a.set_param("name", enc)
                a.add_header("Content-Disposition", "attachment", filename=enc)
            a["Content-ID"] = "<f_%010x>" % rnd.getrandbits(40)
            root.attach(a)
    else:
        root = part
    # headers go first: build a header block by hand
    arr = m["arrival"]
    hs = []
    hs.append(("Delivered-To", INBOX))
    if m.get("received") is not None:
        for r in m["received"]:
            hs.append(("Received", r))
    else:
        dom = m["from_addr"].rsplit("@", 1)[-1].lower()
        host = {"gmail.com": "mail-sor-f41.google.com", "googlemail.com": "mail-sor-f69.google.com",
                "yahoo.com": "sonic302-21.consmr.mail.sg3.yahoo.com", "yahoo.com.vn": "sonic315-8.consmr.mail.sg3.yahoo.com",
                "outlook.com": "APC01-SG2-obe.outbound.protection.outlook.com"}.get(dom, "mail." + dom)
        r1, r2 = _gmail_received(arr, rnd, m.get("sender_host", host))
        hs.append(("Received", r1))
        hs.append(("Received", r2))
    hs.append(("Return-Path", "<%s>" % m.get("return_path", m["from_addr"])))
    for k, v in m.get("pre_headers", []):
        hs.append((k, v))
    hs.append(("MIME-Version", "1.0"))
    d = m.get("date", arr)
    if d is not None:
        hs.append(("Date", format_datetime(d)))
    mid = m["msgid"]
    hs.append(("Message-ID", mid))
    for k, v in m.get("headers", []):
        hs.append((k, v))
    if m.get("subject") is not None:
        hs.append(("Subject", _hdr(m["subject"], m.get("subj_enc", "B"))))
    hs.append(("From", addr(m.get("from_name"), m["from_addr"], m.get("subj_enc", "B"))))
    hs.append(("To", m.get("to", INBOX)))
    if m.get("cc"):
        hs.append(("Cc", m["cc"]))
    # body part serialization
    from email.generator import BytesGenerator
    from email.policy import compat32
    import io
    buf = io.BytesIO()
    g = BytesGenerator(buf, mangle_from_=False, policy=compat32.clone(linesep="\r\n"))
    g.flatten(root)
    raw_part = buf.getvalue()
    # root already has MIME-Version? MIMEText adds it; strip that line
    lines = raw_part.split(b"\r\n")
    lines = [ln for ln in lines[:6] if not ln.startswith(b"MIME-Version:")] + lines[6:]
    raw_part = b"\r\n".join(lines)
    head = b""
    for k, v in hs:
        v = str(v).replace("\r\n", "\n").replace("\n", "\r\n")
        head += ("%s: %s\r\n" % (k, v)).encode("utf-8")
    raw = head + raw_part
    if not raw.endswith(b"\r\n"):
        raw += b"\r\n"
    return raw


def make_msgid(seed, domain="mail.gmail.com"):
    h = hashlib.sha1(str(seed).encode()).hexdigest()
    if domain == "mail.gmail.com":
        return "<CA%s+%s@mail.gmail.com>" % (h[:12].upper(), base64.b32encode(bytes.fromhex(h[12:32])).decode()[:20])
    return "<%s.%s@%s>" % (h[:16], h[16:24], domain)


# ---- quoting helpers -------------------------------------------------------
VN_DOW = ["Th 2", "Th 3", "Th 4", "Th 5", "Th 6", "Th 7", "CN"]


def gmail_quote_intro(dt, who):
    return "Vào %s, %d thg %d, %d lúc %02d:%02d %s đã viết:" % (
        VN_DOW[dt.weekday()], dt.day, dt.month, dt.year, dt.hour, dt.minute, who)


def quote(text):
    return "\n".join(("> " + ln) if ln else ">" for ln in text.split("\n"))


def fwd_block(dt, from_, subject, to=INBOX, vn=True, body=""):
    head = "---------- Thư đã chuyển tiếp ----------" if vn else "---------- Forwarded message ---------"
    lab = ("Từ", "Date", "Subject", "To") if vn else ("From", "Date", "Subject", "To")
    ds = "%s, %d thg %d, %d lúc %02d:%02d" % (VN_DOW[dt.weekday()], dt.day, dt.month, dt.year, dt.hour, dt.minute)
    return "%s\n%s: %s\n%s: %s\n%s: %s\n%s: <%s>\n\n%s" % (head, lab[0], from_, lab[1], ds, lab[2], subject, lab[3], to, body)


def outlook_quote(dt, from_, subject, to=INBOX, vn=True, body=""):
    if vn:
        return "Từ: %s\nĐã gửi: %s\nĐến: %s\nChủ đề: %s\n\n%s" % (from_, dt.strftime("%d/%m/%Y %H:%M"), to, subject, body)
    return "From: %s\nSent: %s\nTo: %s\nSubject: %s\n\n%s" % (from_, dt.strftime("%A, %B %d, %Y %I:%M %p"), to, subject, body)


if __name__ == "__main__":
    import email
    from email import policy
    m = dict(from_name="Nguyễn Thị Hòa", from_addr="hoa@gmail.com", subject="BC quý I năm 2021",
             arrival=hn(2021, 3, 14, 23, 58), date=hn(2021, 3, 14, 23, 57), body="Kính gửi: LĐLĐ quận Long Biên\nEm gửi báo cáo ạ.",
             attachments=[("Báo cáo quý I.docx", b"PK\x03\x04xx", "2047"), ("a.pdf", b"%PDF", None)],
             msgid=make_msgid(1), body_enc="qp")
    raw = build(m, 1)
    print(raw.decode()[:1800])
    e = email.message_from_bytes(raw, policy=policy.default)
    print(e["subject"], e["from"], [p.get_filename() for p in e.iter_attachments()])
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
