# -*- coding: utf-8 -*-
"""Shared helpers for case modules: registry, signatures, attachment shortcuts."""
import datetime as dt
import random

from gen_directory import U, person
from gen_mail import hn, FED, HN
import gen_docs as D
from legacy import nodiac

CASES = []

CT = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png", "doc": "application/msword"}

OBL_WORDS = {"q1": "quý I", "h1": "6 tháng đầu năm", "q3": "quý III", "y": "năm"}


def add(spec, union=None, obl=None, counts=1, tags="", note=""):
    """Register one message. union: code or None; obl: obligation key or None."""
    CASES.append({"spec": spec, "union": union or "", "obl": obl or "", "counts": counts,
                  "tags": tags, "note": note})
    return spec


def who(code, role=0):
    return person(code, role)


def addr_of(code, i=0):
    return U(code).emails[i]


def sender(code, disp=None, i=0):
    """(display name, address) of the union's official mailbox."""
    u = U(code)
    return (disp if disp is not None else "Công đoàn " + u.short.replace("Trường ", ""), u.emails[i])


def sig(code, role=0, title=None, phone=True, nd=False):
    u = U(code)
    p = person(code, role)
    t = title or ("Chủ tịch " + u.name if role == 0 else "Ủy viên BCH, kế toán " + u.name)
    s = "--\n%s\n%s" % (p["name"], t)
    if phone:
        s += "\nĐT: %s" % p["phone"]
    return nodiac(s) if nd else s


def kg(style=0):
    return ["Kính gửi: Liên đoàn Lao động quận Long Biên",
            "Kính gửi: LĐLĐ quận Long Biên",
            "Kính gửi Ban Thường vụ LĐLĐ quận Long Biên,",
            "Kính gửi: Ban Tuyên giáo - LĐLĐ quận Long Biên"][style % 4]


def d(y, mo, da):
    return dt.date(y, mo, da)


def att_report(code, obl, date, kind="docx", name=None, legacy=None, variant=0, extra=(),
               seed=0, title2=None, number=None, role=0, short=False):
    u = U(code)
    c = D.report_content(u, obl, date, number=number, variant=variant, extra=extra,
                         signer=person(code, role), title2=title2, seed=seed, short=short)
    return _mk(c, kind, name, legacy, seed)


def att_dvk(code, date, kind="docx", name=None, models=None, year=2021, seed=0, legacy=None, number=None):
    u = U(code)
    c = D.dvk_content(u, date, year=year, models=models, signer=person(code), seed=seed, number=number)
    return _mk(c, kind, name, legacy, seed)


def att_content(c, kind, name, legacy=None, seed=0):
    return _mk(c, kind, name, legacy, seed)


def _mk(c, kind, name, legacy, seed):
    if kind == "docx":
        data, ext = D.make_docx(c, legacy), "docx"
    elif kind == "pdf":
        data, ext = D.make_pdf(c), "pdf"
    elif kind == "scan-jpg":
        data, ext = D.make_scan(c, "JPEG", seed=seed), "jpg"
    elif kind == "scan-png":
        data, ext = D.make_scan(c, "PNG", seed=seed), "png"
    elif kind == "scan-pdf":
        data, ext = D.make_scan_pdf(c), "pdf"
    elif kind == "photo":
        data, ext = D.make_photo(c, seed=seed), "jpg"
    else:
        raise ValueError(kind)
    name = name or ("Bao cao." + ext)
    return {"name": name, "data": data, "ctype": CT[name.rsplit(".", 1)[1].lower()] if "." in name else CT[ext]}


def att_xlsx(rows, title, name="DK DVK.xlsx", subtitle=None, sheet="DK DVK"):
    return {"name": name, "data": D.make_xlsx_dvk(rows, title, sheet=sheet, subtitle=subtitle), "ctype": CT["xlsx"]}


def dvk_row(code, k=0):
    u = U(code)
    p = person(code)
    m, f = D.DVK_MODELS[(sum(map(ord, code)) + k) % len(D.DVK_MODELS)]
    return (u.name, m, f, p["name"], p["phone"])


def fed_announce_text(y, which):
    """Text of the federation's reminder that lists all reports of the year."""
    return ("Kính gửi: Các CĐCS trực thuộc\n\n"
            "Thực hiện Kế hoạch công tác dân vận năm %d, LĐLĐ quận đề nghị các CĐCS gửi báo cáo "
            "về hòm thư ldllongbien@gmail.com theo thời hạn:\n"
            "- Báo cáo quý I: trước ngày 15/3/%d\n"
            "- Báo cáo sơ kết 6 tháng: trước ngày 15/6/%d\n"
            "- Báo cáo quý III (9 tháng): trước ngày 15/9/%d\n"
            "- Báo cáo tổng kết năm: trước ngày 15/12/%d\n\n"
            "Hiện nay LĐLĐ quận đang tổng hợp %s, đề nghị các đơn vị chưa gửi khẩn trương hoàn thành.\n\n"
            "Trân trọng!\nBan Tuyên giáo - Nữ công LĐLĐ quận Long Biên" % (y, y, y, y, y, which))
