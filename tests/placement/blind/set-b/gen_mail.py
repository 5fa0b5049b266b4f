# -*- coding: utf-8 -*-
"""Raw RFC 5322 / MIME message builder (CRLF), plus quoting/forwarding text helpers."""
import base64
import hashlib
import html
import quopri
import random
import datetime as dt
from email.utils import format_datetime
from urllib.parse import quote as urlquote
from zoneinfo import ZoneInfo

HN = ZoneInfo("Asia/Ho_Chi_Minh")
LA = ZoneInfo("America/Los_Angeles")
FED = ("LĐLĐ quận Long Biên", "ldllongbien@gmail.com")
CRLF = "\r\n"


def hn(y, mo, d, h=9, mi=0, s=0):
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=HN)


def _is_ascii(s):
    try:
        s.encode("ascii")
        return True
    except UnicodeEncodeError:
        return False


def enc_words(s, style="b", charset="UTF-8"):
    """RFC 2047 encode s into one or more encoded-words (folded with CRLF + space)."""
    if style == "raw" or _is_ascii(s):
        return s
    words, cur = [], ""
    lim = 39 if style == "b" else 22
    for ch in s:
        if len((cur + ch).encode(charset)) > lim:
            words.append(cur)
            cur = ""
        cur += ch
    if cur:
        words.append(cur)
    out = []
    for w in words:
        b = w.encode(charset)
        if style == "b":
            out.append("=?%s?B?%s?=" % (charset, base64.b64encode(b).decode()))
        else:
            q = "".join(chr(c) if (chr(c).isalnum() and c < 128) else ("_" if c == 32 else "=%02X" % c) for c in b)
            out.append("=?%s?Q?%s?=" % (charset, q))
    return (CRLF + " ").join(out)


def fmt_addr(name, addr, style="b"):
    if not name:
        return addr
    if _is_ascii(name):
        if any(c in name for c in ",.;:()"):
            return '"%s" <%s>' % (name, addr)
        return "%s <%s>" % (name, addr)
    if style == "raw":
        return '"%s" <%s>' % (name, addr)
    return "%s <%s>" % (enc_words(name, style), addr)


def rfc_date(d):
    return format_datetime(d)


def gmail_received(arr, rng, src_host, src_ip):
    la = arr.astimezone(LA)
    tzn = la.tzname()
    hx = "".join(rng.choice("0123456789abcdef") for _ in range(4))
    sid = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(6))
    top = ("Received: by 2002:a05:6a10:%s:0:0:0:0 with SMTP id %s;%s        %s (%s)"
           % (hx, sid, CRLF, format_datetime(la), tzn))
    la2 = (arr - dt.timedelta(seconds=rng.randint(1, 3))).astimezone(LA)
    mx = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(24))
    second = ("Received: from %s (%s. [%s])%s        by mx.google.com with ESMTPS id %s%s"
              "        for <ldllongbien@gmail.com>%s        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);%s"
              "        %s (%s)" % (src_host, src_host, src_ip, CRLF, mx, CRLF, CRLF, CRLF,
                                  format_datetime(la2), la2.tzname()))
    return [top, second]


def make_mid(client, rng, addr):
    dom = addr.split("@")[1]
    a = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(40))
    if client in ("gmail", "android"):
        return "<CA%s@mail.gmail.com>" % a[:38]
    if client == "outlook":
        h = "".join(rng.choice("0123456789abcdef") for _ in range(24))
        return "<%s$%s$%s@%s>" % (h[:12], h[12:18], h[18:], dom)
    if client == "outlook365":
        return "<SG2PR06MB%s@SG2PR06MB%s.apcprd06.prod.outlook.com>" % (a[:10].upper(), a[10:14].upper())
    if client == "iphone":
        u = hashlib.md5(a.encode()).hexdigest().upper()
        return "<%s-%s-%s-%s-%s@%s>" % (u[:8], u[8:12], u[12:16], u[16:20], u[20:32], dom)
    return "<%s.%s@%s>" % (a[:16].lower(), a[16:26].lower(), dom)


def _wrap64(b):
    s = base64.b64encode(b).decode()
    return CRLF.join(s[i:i + 76] for i in range(0, len(s), 76))


def _text_part(text, ctype, enc, charset="UTF-8"):
    text = text.replace("\r\n", "\n")
    if enc == "7bit":
        body = text.replace("\n", CRLF)
        cte = "7bit"
        charset = "us-ascii"
    elif enc == "8bit":
        body = text.replace("\n", CRLF)
        cte = "8bit"
    elif enc == "qp":
        q = quopri.encodestring(text.encode(charset)).decode("ascii")
        body = q.replace("\n", CRLF)
        cte = "quoted-printable"
    else:
        body = _wrap64(text.replace("\n", CRLF).encode(charset))
        cte = "base64"
    h = ['Content-Type: %s; charset="%s"' % (ctype, charset), "Content-Transfer-Encoding: %s" % cte]
    return h, body


def to_html(text, client):
    esc = html.escape(text).split("\n")
    if client in ("gmail", "android"):
        return '<div dir="ltr">' + "<br>".join(esc) + "</div>"
    return ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head>"
            "<body><div style=\"font-family:Times New Roman;font-size:13pt\">" +
            "".join("<p>%s</p>" % (l or "&nbsp;") for l in esc) + "</div></body></html>")


def _att_part(a, fname_enc):
    name = a["name"]
    cs = a.get("charset", "UTF-8")
    if _is_ascii(name):
        np, fp = '"%s"' % name, '"%s"' % name
    elif fname_enc == "2231":
        np = '"%s"' % enc_words(name, "b", cs).replace(CRLF + " ", "")
        fp = None
    elif fname_enc == "raw":
        np = fp = '"%s"' % name
    else:
        np = fp = '"%s"' % enc_words(name, "b", cs).replace(CRLF + " ", "")
    h = ["Content-Type: %s; name=%s" % (a["ctype"], np)]
    if fp is None:
        h.append("Content-Disposition: attachment;" + CRLF + "\tfilename*=%s''%s" % (cs.lower(), urlquote(name.encode(cs))))
    else:
        h.append("Content-Disposition: attachment; filename=%s" % fp)
    h.append("Content-Transfer-Encoding: base64")
    if a.get("xid"):
        h.append("X-Attachment-Id: %s" % a["xid"])
        h.append("Content-ID: <%s>" % a["xid"])
    return h, _wrap64(a["data"])


def _boundary(rng, client):
    if client in ("gmail", "android"):
        return "000000000000" + "".join(rng.choice("0123456789abcdef") for _ in range(16))
    if client.startswith("outlook"):
        return "----=_NextPart_000_%04X_01D7%04X.%08X" % (rng.randrange(65536), rng.randrange(65536), rng.randrange(1 << 32))
    if client == "iphone":
        return "Apple-Mail-" + "".join(rng.choice("0123456789ABCDEF") for _ in range(8))
    return "=_" + "".join(rng.choice("0123456789abcdef") for _ in range(32))


def _multipart(ctype, parts, bnd):
    out = ["Content-Type: %s;%s\tboundary=\"%s\"" % (ctype, CRLF, bnd)], []
    lines = []
    for h, body in parts:
        lines.append("--" + bnd)
        lines += h
        lines.append("")
        lines.append(body)
    lines.append("--" + bnd + "--")
    lines.append("")
    return out[0], CRLF.join(lines)


def build(spec, rng):
    """Return (message_id, raw bytes)."""
    client = spec.get("client", "gmail")
    frm = spec["from"]
    arr = spec["arrival"]
    date = spec.get("date") or (arr - dt.timedelta(seconds=rng.randint(2, 50)))
    if spec.get("date_tz"):
        date = date.astimezone(spec["date_tz"])
    mid = spec.get("mid") or make_mid(client, rng, frm[1])
    hs = spec.get("hs", "q" if client == "thunderbird" else "b")
    H = ["Delivered-To: ldllongbien@gmail.com"]
    src = spec.get("src") or {"gmail": ("mail-sor-f41.google.com", "209.85.220.41"),
                              "android": ("mail-sor-f69.google.com", "209.85.220.69"),
                              "iphone": ("mail-sor-f41.google.com", "209.85.220.41")}.get(
        client, ("mail.%s" % frm[1].split("@")[1], "113.190.%d.%d" % (rng.randint(1, 254), rng.randint(1, 254))))
    if frm[1].endswith("@gmail.com") and client not in ("gmail", "android", "iphone") and not spec.get("src"):
        src = ("mail-sor-f41.google.com", "209.85.220.41")
    H += gmail_received(arr, rng, *src)
    H.append("Return-Path: <%s>" % spec.get("return_path", frm[1]))
    H += spec.get("pre_headers", [])
    H.append("Message-ID: %s" % mid)
    if spec.get("in_reply_to"):
        H.append("In-Reply-To: %s" % spec["in_reply_to"])
        H.append("References: %s" % spec.get("references", spec["in_reply_to"]))
    H.append("Date: %s" % rfc_date(date))
    H.append("From: %s" % fmt_addr(frm[0], frm[1], hs))
    to = spec.get("to", [FED])
    H.append("To: %s" % ("," + CRLF + " ").join(fmt_addr(n, a, hs) for n, a in to))
    if spec.get("cc"):
        H.append("Cc: %s" % ("," + CRLF + " ").join(fmt_addr(n, a, hs) for n, a in spec["cc"]))
    subj = spec.get("subject")
    if subj is not None:
        H.append("Subject: %s" % enc_words(subj, spec.get("ss", hs)) if subj else "Subject: ")
    if client == "outlook":
        H.append("X-Mailer: Microsoft Outlook 16.0")
        H.append("Thread-Index: AdcZ%s==" % "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") for _ in range(18)))
        H.append("Content-Language: vi")
    elif client == "iphone":
        H.append("X-Mailer: iPhone Mail (18D52)")
    elif client == "thunderbird":
        H.append("User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:78.0) Gecko/20100101 Thunderbird/78.8.0")
    elif client == "roundcube":
        H.append("User-Agent: Roundcube Webmail/1.4.11")
    H += spec.get("headers", [])
    H.append("MIME-Version: 1.0")

    text = spec.get("text", "")
    benc = spec.get("benc", "qp" if client == "iphone" else "b64")
    tparts = [_text_part(text, "text/plain", benc)]
    if spec.get("html", client not in ("thunderbird",) and benc != "7bit"):
        tparts.append(_text_part(to_html(text, client), "text/html", "b64" if benc == "b64" else "qp"))
    atts = spec.get("attachments", [])
    if len(tparts) == 1:
        body_h, body = tparts[0]
    else:
        body_h, body = _multipart("multipart/alternative", tparts, _boundary(rng, client))
    if atts:
        parts = [(body_h, body)] + [_att_part(a, spec.get("fenc", "2231" if client.startswith("outlook") else "2047")) for a in atts]
        body_h, body = _multipart("multipart/mixed", parts, _boundary(rng, client) + "mx")
    raw = CRLF.join(H + body_h) + CRLF + CRLF + body
    if not raw.endswith(CRLF):
        raw += CRLF
    return mid, raw.encode("utf-8")


# ------------------------------------------------------------------ text helpers
_WD = ["Th 2", "Th 3", "Th 4", "Th 5", "Th 6", "Th 7", "CN"]
_WD_LONG = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


def gmail_vi_date(d):
    d = d.astimezone(HN)
    return "%s, %d thg %d, %d lúc %02d:%02d" % (_WD[d.weekday()], d.day, d.month, d.year, d.hour, d.minute)


def quote_gmail(d, name, addr, text):
    head = "Vào %s %s <%s> đã viết:" % (gmail_vi_date(d), name, addr)
    return head + "\n" + "\n".join(("> " + l) if l else ">" for l in text.split("\n"))


def quote_gmail_en(d, name, addr, text):
    d = d.astimezone(HN)
    head = "On %s, %s at %s %s <%s> wrote:" % (d.strftime("%a"), d.strftime("%b %-d, %Y"),
                                              d.strftime("%-I:%M %p"), name, addr)
    return head + "\n" + "\n".join(("> " + l) if l else ">" for l in text.split("\n"))


def quote_outlook(d, name, addr, to, subject, text, lang="vi"):
    d = d.astimezone(HN)
    if lang == "vi":
        sa = "SA" if d.hour < 12 else "CH"
        hh = d.hour if d.hour <= 12 else d.hour - 12
        head = ["-----Original Message-----" if False else "", "Từ: %s <%s>" % (name, addr),
                "Đã gửi: %s, ngày %d tháng %d năm %d %d:%02d %s" % (_WD_LONG[d.weekday()], d.day, d.month, d.year, hh, d.minute, sa),
                "Đến: %s" % to, "Chủ đề: %s" % subject]
    else:
        head = ["", "From: %s <%s>" % (name, addr),
                "Sent: %s" % d.strftime("%A, %B %-d, %Y %-I:%M %p"), "To: %s" % to, "Subject: %s" % subject]
    return "\n".join(["_" * 32] + head[1:] + [""] + text.split("\n"))


def fwd_gmail(d, name, addr, subject, to, text, lang="en"):
    d = d.astimezone(HN)
    if lang == "vi":
        head = ["---------- Thư đã chuyển tiếp ----------", "Từ: %s <%s>" % (name, addr),
                "Ngày: %s" % gmail_vi_date(d).replace(" lúc ", " vào lúc "), "Tiêu đề: %s" % subject, "Đến: %s" % to]
    else:
        head = ["---------- Forwarded message ---------", "From: %s <%s>" % (name, addr),
                "Date: %s" % d.strftime("%a, %b %-d, %Y at %-I:%M %p"), "Subject: %s" % subject, "To: %s" % to]
    return "\n".join(head + [""] + text.split("\n"))
