#!/usr/bin/env python3
"""Deterministic generator of blind evaluation set A (LĐLĐ quận Long Biên report mail).

Run with the venv of this folder:  .venv/bin/python gen.py
Writes unions.csv, maildir/{new,cur,tmp}, expected.csv and ABOUT.md next to this file.
Everything is derived from SEED; zip/PDF timestamps are pinned so reruns are byte-identical.
"""
import base64
import csv
import collections
import datetime as dt
import hashlib
import io
import os
import random
import re
import shutil
import unicodedata
import zipfile
from email import quoprimime
from zoneinfo import ZoneInfo

SEED = 20210222
R = random.Random(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))
HN = ZoneInfo("Asia/Ho_Chi_Minh")
PT = ZoneInfo("America/Los_Angeles")
UTC = dt.timezone.utc
FED = "ldllongbien@gmail.com"
FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
CRLF = b"\r\n"


def hn(y, m, d, H=0, M=0, S=0):
    return dt.datetime(y, m, d, H, M, S, tzinfo=HN)


# ---------------------------------------------------------------- text helpers
def nodiac(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    n = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", "".join(c for c in n if unicodedata.category(c) != "Mn"))


def upper_vi(s):
    return s.upper()


# TCVN3 (ABC) single-byte table, lower case letters; upper case base letters with marks
_TCVN3 = {
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ă": 0xA8, "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "â": 0xA9, "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "đ": 0xAE,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ê": 0xAA, "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ô": 0xAB, "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ơ": 0xAC, "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ư": 0xAD, "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
}


def to_tcvn3(s, caps_font=False):
    """Unicode Vietnamese -> the characters Word stores for a .VnTime run.
    With caps_font (.VnTimeH) the lower-case codes are used and the font shows capitals."""
    out = []
    for ch in (s.lower() if caps_font else s):
        if ch in _TCVN3:
            out.append(chr(_TCVN3[ch]))
        elif ch.lower() in _TCVN3 and ch not in "ĂÂÊÔƠƯĐ":
            # toned capitals do not exist in TCVN3: ABC users get the lower-case code
            out.append(chr(_TCVN3[ch.lower()]))
        else:
            out.append(ch)
    return "".join(out)


# VNI-Windows: base letter + mark characters
_VNI_TONE_L = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_TONE_U = {"\u0301": "Ù", "\u0300": "Ø", "\u0309": "Û", "\u0303": "Õ", "\u0323": "Ï"}
_VNI_HAT_L = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_HAT_U = {"": "Â", "\u0301": "Á", "\u0300": "À", "\u0309": "Å", "\u0303": "Ã", "\u0323": "Ä"}
_VNI_BRV_L = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_BRV_U = {"": "Ê", "\u0301": "É", "\u0300": "È", "\u0309": "Ú", "\u0303": "Ü", "\u0323": "Ë"}
_VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
_VNI_I_U = {"\u0301": "Í", "\u0300": "Ì", "\u0309": "Æ", "\u0303": "Ó", "\u0323": "Ò"}


def to_vni(s):
    out = []
    for ch in s:
        if ch == "đ":
            out.append("ñ"); continue
        if ch == "Đ":
            out.append("Ñ"); continue
        d = unicodedata.normalize("NFD", ch)
        if len(d) == 1:
            out.append(ch); continue
        base, marks = d[0], d[1:]
        up = base.isupper()
        tone = ""
        shape = ""
        for m in marks:
            if m in "\u0301\u0300\u0309\u0303\u0323":
                tone = m
            elif m == "\u0302":
                shape = "hat"
            elif m == "\u0306":
                shape = "breve"
            elif m == "\u031b":
                shape = "horn"
        if base in "iI":
            out.append((_VNI_I_U if up else _VNI_I)[tone]); continue
        if base in "yY" and tone == "\u0323":
            out.append("Î" if up else "î"); continue
        if shape == "horn":
            b = {"o": "ô", "u": "ö", "O": "Ô", "U": "Ö"}[base]
            out.append(b + ((_VNI_TONE_U if up else _VNI_TONE_L)[tone] if tone else ""))
        elif shape == "hat":
            out.append(base + (_VNI_HAT_U if up else _VNI_HAT_L)[tone])
        elif shape == "breve":
            out.append(base + (_VNI_BRV_U if up else _VNI_BRV_L)[tone])
        else:
            out.append(base + (_VNI_TONE_U if up else _VNI_TONE_L)[tone])
    return "".join(out)


WD_VI = ["Th 2", "Th 3", "Th 4", "Th 5", "Th 6", "Th 7", "CN"]
WD_VI_LONG = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
WD_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MON_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
WD_EN_LONG = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MON_EN_LONG = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]


def rfc_date(t, tz=HN, weekday=True):
    t = t.astimezone(tz)
    off = t.utcoffset()
    mins = int(off.total_seconds() // 60)
    sign = "+" if mins >= 0 else "-"
    mins = abs(mins)
    s = "%d %s %d %02d:%02d:%02d %s%02d%02d" % (t.day, MON_EN[t.month - 1], t.year, t.hour, t.minute,
                                                t.second, sign, mins // 60, mins % 60)
    return (WD_EN[t.weekday()] + ", " + s) if weekday else s


def pt_stamp(t):
    t = t.astimezone(PT)
    return rfc_date(t, PT) + " (%s)" % t.tzname()


def gmail_quote_line(t, who):
    t = t.astimezone(HN)
    return "Vào %s, %d thg %d, %d lúc %02d:%02d %s đã viết:" % (
        WD_VI[t.weekday()], t.day, t.month, t.year, t.hour, t.minute, who)


def gmail_quote_line_en(t, who):
    t = t.astimezone(HN)
    return "On %s, %s %d, %d at %d:%02d %s %s wrote:" % (
        WD_EN[t.weekday()], MON_EN[t.month - 1], t.day, t.year, (t.hour % 12) or 12, t.minute,
        "AM" if t.hour < 12 else "PM", who)


def outlook_sent_vi(t):
    t = t.astimezone(HN)
    return "%s, %d tháng %d, %d %d:%02d %s" % (WD_VI_LONG[t.weekday()], t.day, t.month, t.year,
                                               (t.hour % 12) or 12, t.minute, "SA" if t.hour < 12 else "CH")


def outlook_sent_en(t):
    t = t.astimezone(HN)
    return "%s, %s %d, %d %d:%02d %s" % (WD_EN_LONG[t.weekday()], MON_EN_LONG[t.month - 1], t.day, t.year,
                                         (t.hour % 12) or 12, t.minute, "AM" if t.hour < 12 else "PM")


def quote(text):
    return "\n".join(("> " + l) if l else ">" for l in text.split("\n"))


# ---------------------------------------------------------------- the directory
class Union:
    def __init__(self, code, bloc, kind, core, emails, active=True, full=None, abbrevs=(), head=None):
        self.code, self.bloc, self.kind, self.core = code, bloc, kind, core
        self.emails = [e for e in emails.split(";") if e] if emails else []
        self.active = active
        self.full = full or core          # the official name as in the directory
        self.abbrevs = list(abbrevs)      # how people write it
        self.head = head                  # superior line on letterheads (None = LĐLĐ quận)

    @property
    def name(self):
        return "CĐCS " + self.full


SCHOOL_FULL = {"mn": "Trường Mầm non", "th": "Trường Tiểu học", "thcs": "Trường THCS", "thpt": "Trường THPT"}
SCHOOL_SHORT = {"mn": "MN", "th": "TH", "thcs": "THCS", "thpt": "THPT"}


def school(code, kind, place, emails, active=True):
    core = SCHOOL_SHORT[kind] + " " + place
    full = SCHOOL_FULL[kind] + " " + place
    ab = ["Trường %s %s" % (SCHOOL_SHORT[kind], place), "Tr. %s %s" % (SCHOOL_SHORT[kind], place), core]
    if kind == "thcs":
        ab.append("Trường Trung học cơ sở " + place)
    if kind == "thpt":
        ab.append("Trường Trung học phổ thông " + place)
    if kind in ("mn", "th"):
        ab.append(full)
    u = Union(code, "th", kind, core, emails, active, full=full, abbrevs=ab)
    u.place = place
    return u


def ward(code, w, emails, active=True):
    core = "UBND phường " + w
    ab = ["UBND phường " + w, "UBND P. " + w, "UBND P." + w, "Ủy ban nhân dân phường " + w, "UBND phường " + w]
    u = Union(code, "hcsn", "ubnd", core, emails, active, full=core, abbrevs=ab)
    u.place = w
    return u


UNIONS = [
    ward("HC01", "Bồ Đề", "cdubndbode@gmail.com"),
    ward("HC02", "Cự Khối", "cdcs.cukhoi@gmail.com"),
    ward("HC03", "Đức Giang", ""),
    ward("HC04", "Gia Thụy", "congdoan.giathuy@gmail.com"),
    ward("HC05", "Giang Biên", "cdgiangbien.lb@gmail.com"),
    ward("HC06", "Long Biên", "cdubnd.plongbien@gmail.com"),
    ward("HC07", "Ngọc Lâm", "ngoclam.congdoan@gmail.com"),
    ward("HC08", "Ngọc Thụy", ""),
    ward("HC09", "Phúc Đồng", "cdphucdong@gmail.com"),
    ward("HC10", "Phúc Lợi", "cdcsphucloi@gmail.com;ubndphucloi.vp@gmail.com"),
    ward("HC11", "Sài Đồng", "cdsaidong.ubnd@gmail.com"),
    ward("HC12", "Thạch Bàn", "cdthachban@gmail.com"),
    ward("HC13", "Thượng Thanh", "thuongthanh.cd@gmail.com"),
    ward("HC14", "Việt Hưng", "cdcsviethung@gmail.com"),
    Union("HC15", "hcsn", "hc", "Cơ quan UBND quận Long Biên", "cdcs.ubndquan@gmail.com",
          full="Cơ quan UBND quận Long Biên",
          abbrevs=["Cơ quan UBND quận Long Biên", "CQ UBND quận Long Biên", "cơ quan UBND quận"]),
    Union("HC16", "hcsn", "hc", "Trung tâm Văn hóa - Thông tin và Thể thao quận Long Biên", "ttvhtt.longbien@gmail.com",
          abbrevs=["Trung tâm VH-TT&TT quận Long Biên", "TT Văn hóa - Thông tin và Thể thao quận", "TTVH-TT&TT Long Biên"]),
    Union("HC17", "hcsn", "hc", "Kho bạc Nhà nước Long Biên", "congdoan.kbnnlb@gmail.com",
          abbrevs=["Kho bạc Nhà nước Long Biên", "KBNN Long Biên", "Kho bạc NN Long Biên"]),
    Union("HC18", "hcsn", "hc", "Chi cục Thuế quận Long Biên", "cdcs.cctlongbien@gmail.com",
          abbrevs=["Chi cục Thuế quận Long Biên", "Chi cục Thuế Long Biên", "CC Thuế Long Biên"]),
    Union("HC19", "hcsn", "hc", "Bệnh viện Đa khoa Đức Giang", "congdoanbvdg@gmail.com;congdoan@bvducgiang.vn",
          abbrevs=["Bệnh viện Đa khoa Đức Giang", "BVĐK Đức Giang", "BV Đức Giang", "Bệnh viện ĐK Đức Giang"]),
    Union("HC20", "hcsn", "hc", "Trung tâm Y tế quận Long Biên", "cdttyt.longbien@gmail.com",
          abbrevs=["Trung tâm Y tế quận Long Biên", "TTYT quận Long Biên", "TTYT Long Biên"]),
    Union("HC21", "hcsn", "hc", "Ban Quản lý dự án đầu tư xây dựng quận Long Biên", "bqlda.lb.cd@gmail.com",
          abbrevs=["Ban QLDA ĐTXD quận Long Biên", "BQLDA quận Long Biên", "Ban Quản lý dự án ĐTXD quận"]),
    Union("HC22", "hcsn", "hc", "Ban Quản lý chợ quận Long Biên", "",
          abbrevs=["Ban Quản lý chợ quận Long Biên", "BQL chợ Long Biên", "Ban QL chợ quận"]),
    Union("HC23", "hcsn", "hc", "Đội Quản lý trật tự xây dựng đô thị quận Long Biên", "doiqltt.cd@gmail.com",
          abbrevs=["Đội QLTTXDĐT quận Long Biên", "Đội Quản lý TTXD đô thị quận", "Đội QL trật tự XD đô thị Long Biên"]),
    Union("HC24", "hcsn", "hc", "Trung tâm Phát triển quỹ đất quận Long Biên", "cdcs.ttptqd@gmail.com",
          abbrevs=["TT Phát triển quỹ đất quận Long Biên", "TTPTQĐ Long Biên", "Trung tâm PTQĐ quận"]),
    Union("HC25", "hcsn", "hc", "Bảo hiểm xã hội quận Long Biên", "cdbhxh.longbien@gmail.com",
          abbrevs=["BHXH quận Long Biên", "BHXH Long Biên", "Bảo hiểm xã hội quận Long Biên"]),
    Union("HC26", "hcsn", "hc", "Phòng Giáo dục và Đào tạo quận Long Biên", "cdpgdlongbien@gmail.com",
          abbrevs=["Phòng GD&ĐT quận Long Biên", "Phòng GD&ĐT Long Biên", "Phòng Giáo dục quận"]),
    Union("HC27", "hcsn", "hc", "Hạt Quản lý đê Long Biên", "hatdelongbien@gmail.com", active=False,
          abbrevs=["Hạt QL đê Long Biên"]),
    Union("HC28", "hcsn", "hc", "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên quận Long Biên", "cdcs.gdnn.gdtx@gmail.com",
          abbrevs=["TT GDNN-GDTX quận Long Biên", "Trung tâm GDNN - GDTX Long Biên", "TTGDNN-GDTX Long Biên"]),
    Union("HC29", "hcsn", "hc", "Chi cục Thống kê quận Long Biên", "thongke.lb@gmail.com", active=False,
          abbrevs=["Chi cục Thống kê Long Biên"]),

    Union("DN01", "dn", "dn", "Công ty CP May Đức Giang", "congdoan.mayducgiang@gmail.com;cd@mayducgiang.com.vn",
          full="Công ty Cổ phần May Đức Giang",
          abbrevs=["Công ty CP May Đức Giang", "Cty CP May Đức Giang", "CTCP May Đức Giang", "Công ty May Đức Giang"]),
    Union("DN02", "dn", "dn", "Công ty TNHH MTV Thời trang Đức Giang", "",
          full="Công ty TNHH Một thành viên Thời trang Đức Giang",
          abbrevs=["Công ty TNHH MTV Thời trang Đức Giang", "Cty TNHH MTV Thời trang Đức Giang", "Cty Thời trang Đức Giang"],
          head="CÔNG TY CP MAY ĐỨC GIANG"),
    Union("DN03", "dn", "dn", "Công ty CP Đầu tư và Thương mại Đức Giang", "cdcs.dttmducgiang@gmail.com",
          full="Công ty Cổ phần Đầu tư và Thương mại Đức Giang",
          abbrevs=["Công ty CP ĐT&TM Đức Giang", "Cty CP Đầu tư và Thương mại Đức Giang", "Cty CP ĐT và TM Đức Giang"]),
    Union("DN04", "dn", "dn", "Công ty CP Xây dựng và Phát triển Sài Đồng", "cdxdsaidong@gmail.com",
          full="Công ty Cổ phần Xây dựng và Phát triển Sài Đồng",
          abbrevs=["Cty CP XD và PT Sài Đồng", "Công ty CP Xây dựng và Phát triển Sài Đồng", "Cty CP Xây dựng Sài Đồng"]),
    Union("DN05", "dn", "dn", "Công ty TNHH Dịch vụ Sài Đồng", "",
          full="Công ty TNHH Dịch vụ Sài Đồng",
          abbrevs=["Cty TNHH Dịch vụ Sài Đồng", "Công ty TNHH DV Sài Đồng", "Cty TNHH DV Sài Đồng"]),
    Union("DN06", "dn", "dn", "Công ty CP Cơ khí Gia Lâm", "cokhigialam.cd@gmail.com",
          full="Công ty Cổ phần Cơ khí Gia Lâm",
          abbrevs=["Cty CP Cơ khí Gia Lâm", "Công ty Cơ khí Gia Lâm", "CTCP Cơ khí Gia Lâm"]),
    Union("DN07", "dn", "dn", "Công ty CP Vận tải và Dịch vụ Ngọc Lâm", "cd.vantaingoclam@gmail.com",
          full="Công ty Cổ phần Vận tải và Dịch vụ Ngọc Lâm",
          abbrevs=["Cty CP Vận tải và DV Ngọc Lâm", "Công ty CP VT&DV Ngọc Lâm", "Cty Vận tải Ngọc Lâm"]),
    Union("DN08", "dn", "dn", "Công ty TNHH Điện tử Thạch Bàn", "congdoan.dttb@gmail.com",
          full="Công ty TNHH Điện tử Thạch Bàn",
          abbrevs=["Cty TNHH Điện tử Thạch Bàn", "Công ty Điện tử Thạch Bàn", "Cty ĐT Thạch Bàn"]),
    Union("DN09", "dn", "dn", "Công ty CP Gạch ốp lát Thạch Bàn", "cdcs.gachthachban@gmail.com",
          full="Công ty Cổ phần Gạch ốp lát Thạch Bàn",
          abbrevs=["Cty CP Gạch ốp lát Thạch Bàn", "Công ty Gạch Thạch Bàn", "CTCP Gạch ốp lát Thạch Bàn"]),
    Union("DN10", "dn", "dn", "Công ty TNHH Thương mại Việt Hưng", "",
          full="Công ty TNHH Thương mại Việt Hưng",
          abbrevs=["Cty TNHH TM Việt Hưng", "Công ty TNHH Thương mại Việt Hưng", "Cty TM Việt Hưng"]),
    Union("DN11", "dn", "dn", "Công ty CP Dược phẩm Long Biên", "cdduoclongbien@gmail.com",
          full="Công ty Cổ phần Dược phẩm Long Biên",
          abbrevs=["Cty CP Dược phẩm Long Biên", "Công ty Dược Long Biên", "CTCP Dược phẩm Long Biên"]),
    Union("DN12", "dn", "dn", "Công ty CP Thực phẩm Phúc Lợi", "thucphamphucloi.cd@gmail.com",
          full="Công ty Cổ phần Thực phẩm Phúc Lợi",
          abbrevs=["Cty CP Thực phẩm Phúc Lợi", "Công ty TP Phúc Lợi", "CTCP Thực phẩm Phúc Lợi"]),
    Union("DN13", "dn", "dn", "Công ty TNHH Bao bì Giang Biên", "baobigiangbien@gmail.com",
          full="Công ty TNHH Bao bì Giang Biên",
          abbrevs=["Cty TNHH Bao bì Giang Biên", "Công ty Bao bì Giang Biên"]),
    Union("DN14", "dn", "dn", "Công ty CP Môi trường đô thị Long Biên", "cdmoitruonglb@gmail.com",
          full="Công ty Cổ phần Môi trường đô thị Long Biên",
          abbrevs=["Cty CP Môi trường đô thị Long Biên", "Công ty CP MTĐT Long Biên", "Cty Môi trường Long Biên"]),
    Union("DN15", "dn", "dn", "Xí nghiệp Môi trường số 2 - Công ty CP Môi trường đô thị Long Biên", "",
          full="Xí nghiệp Môi trường số 2 - Công ty Cổ phần Môi trường đô thị Long Biên",
          abbrevs=["XN Môi trường số 2", "Xí nghiệp Môi trường số 2", "XN MT số 2 (Cty CP MTĐT Long Biên)"],
          head="CÔNG TY CP MÔI TRƯỜNG ĐÔ THỊ LONG BIÊN"),
    Union("DN16", "dn", "dn", "Công ty CP Kỹ thuật Điện Cự Khối", "cdktdcukhoi@gmail.com",
          full="Công ty Cổ phần Kỹ thuật Điện Cự Khối",
          abbrevs=["Cty CP Kỹ thuật Điện Cự Khối", "Công ty KT Điện Cự Khối", "Cty CP KTĐ Cự Khối"]),
    Union("DN17", "dn", "dn", "Công ty TNHH Nhựa Thượng Thanh", "nhuathuongthanh.cd@gmail.com", active=False,
          full="Công ty TNHH Nhựa Thượng Thanh", abbrevs=["Cty TNHH Nhựa Thượng Thanh"]),
    Union("DN18", "dn", "dn", "Công ty CP Bê tông Ngọc Thụy", "betongngocthuy@gmail.com",
          full="Công ty Cổ phần Bê tông Ngọc Thụy",
          abbrevs=["Cty CP Bê tông Ngọc Thụy", "Công ty Bê tông Ngọc Thụy", "CTCP BT Ngọc Thụy"]),
    Union("DN19", "dn", "dn", "Công ty TNHH In và Bao bì Phúc Đồng", "",
          full="Công ty TNHH In và Bao bì Phúc Đồng",
          abbrevs=["Cty TNHH In và Bao bì Phúc Đồng", "Công ty In Phúc Đồng", "Cty In & BB Phúc Đồng"]),
    Union("DN20", "dn", "dn", "Công ty CP Cấp nước Long Biên", "cdcapnuoclb@gmail.com",
          full="Công ty Cổ phần Cấp nước Long Biên",
          abbrevs=["Cty CP Cấp nước Long Biên", "Công ty Cấp nước Long Biên"]),
    Union("DN21", "dn", "dn", "Công ty CP Xây lắp Điện Việt Hưng", "",
          full="Công ty Cổ phần Xây lắp Điện Việt Hưng",
          abbrevs=["Cty CP Xây lắp Điện Việt Hưng", "Công ty XL Điện Việt Hưng", "Cty CP XLĐ Việt Hưng"]),
    Union("DN22", "dn", "dn", "Công ty TNHH Cơ điện lạnh Bồ Đề", "codienlanhbode@gmail.com",
          full="Công ty TNHH Cơ điện lạnh Bồ Đề",
          abbrevs=["Cty TNHH Cơ điện lạnh Bồ Đề", "Công ty Cơ điện lạnh Bồ Đề"]),
    Union("DN23", "dn", "dn", "Công ty CP Thương mại Dịch vụ Long Biên", "cdtmdvlongbien@gmail.com",
          full="Công ty Cổ phần Thương mại Dịch vụ Long Biên",
          abbrevs=["Cty CP TMDV Long Biên", "Công ty CP Thương mại Dịch vụ Long Biên", "CTCP TM-DV Long Biên"]),
    Union("DN24", "dn", "dn", "Công ty TNHH Thương mại Dịch vụ Long Biên Xanh", "",
          full="Công ty TNHH Thương mại Dịch vụ Long Biên Xanh",
          abbrevs=["Cty TNHH TMDV Long Biên Xanh", "Công ty Long Biên Xanh", "Cty TNHH TM-DV Long Biên Xanh"]),
    Union("DN25", "dn", "dn", "Hợp tác xã Dịch vụ Nông nghiệp Cự Khối", "", active=False,
          abbrevs=["HTX DVNN Cự Khối"]),

    school("TH01", "mn", "Hoa Sữa", "mnhoasua@longbien.edu.vn"),
    school("TH02", "mn", "Hoa Mai", "mnhoamai.lb@gmail.com"),
    school("TH03", "mn", "Hoa Sen", ""),
    school("TH04", "mn", "Bồ Đề", "mnbode@longbien.edu.vn"),
    school("TH05", "th", "Bồ Đề", "thbode@longbien.edu.vn"),
    school("TH06", "thcs", "Bồ Đề", "c2bode@longbien.edu.vn;cdthcsbode@gmail.com"),
    school("TH07", "th", "Ái Mộ A", "thaimoa@longbien.edu.vn"),
    school("TH08", "th", "Ái Mộ B", ""),
    school("TH09", "thcs", "Ngô Gia Tự", "cdcs.thcsngogiatu@gmail.com"),
    school("TH10", "th", "Ngô Gia Tự", "thngogiatu@longbien.edu.vn"),
    school("TH11", "thcs", "Gia Thụy", ""),
    school("TH12", "th", "Gia Thụy", "thgiathuy@longbien.edu.vn"),
    school("TH13", "mn", "Gia Thụy", "mngiathuy@longbien.edu.vn"),
    school("TH14", "th", "Phúc Đồng", ""),
    school("TH15", "thcs", "Phúc Đồng", "cdthcsphucdong@gmail.com"),
    school("TH16", "th", "Việt Hưng", "thviethung@longbien.edu.vn"),
    school("TH17", "thcs", "Việt Hưng", "c2viethung@longbien.edu.vn"),
    school("TH18", "mn", "Việt Hưng", ""),
    school("TH19", "th", "Sài Đồng", "thsaidong@longbien.edu.vn"),
    school("TH20", "thcs", "Sài Đồng", ""),
    school("TH21", "mn", "Sài Đồng", "mnsaidong@longbien.edu.vn"),
    school("TH22", "thcs", "Thạch Bàn", "c2thachban@longbien.edu.vn"),
    school("TH23", "th", "Thạch Bàn A", "thachbana@longbien.edu.vn"),
    school("TH24", "th", "Thạch Bàn B", ""),
    school("TH25", "thpt", "Thạch Bàn", "cdthptthachban@gmail.com"),
    school("TH26", "thcs", "Chu Văn An", "cdthcschuvanan@gmail.com"),
    school("TH27", "thpt", "Nguyễn Gia Thiều", "cdthptngt@gmail.com"),
    school("TH28", "thpt", "Lý Thường Kiệt", ""),
    school("TH29", "th", "Đức Giang", "thducgiang@longbien.edu.vn"),
    school("TH30", "thcs", "Đức Giang", ""),
    school("TH31", "th", "Long Biên", "thlongbien@longbien.edu.vn"),
    school("TH32", "thcs", "Long Biên", "c2longbien@longbien.edu.vn"),
    school("TH33", "mn", "Ánh Sao", "mnanhsao@longbien.edu.vn"),
    school("TH34", "th", "Cự Khối", "thcukhoi@longbien.edu.vn"),
    school("TH36", "th", "Ngọc Lâm", "thngoclam@longbien.edu.vn"),
    school("TH37", "thcs", "Ngọc Lâm", "c2ngoclam@longbien.edu.vn"),
    school("TH38", "mn", "Thượng Thanh", "mnthuongthanh@longbien.edu.vn", active=False),
    school("TH39", "th", "Giang Biên", "thgiangbien@longbien.edu.vn"),
    school("TH43", "mn", "Hoa Sữa 2", "", active=False),
]
UBY = {u.code: u for u in UNIONS}
ACTIVE = [u for u in UNIONS if u.active]

# ---------------------------------------------------------------- people
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý",
          "Phan", "Trịnh", "Đinh", "Mai", "Tạ", "Kiều", "Lương", "Chu", "Cao", "Đào", "Lưu", "Hà"]
MID_F = ["Thị", "Thị", "Thị", "Thu", "Thanh", "Thị Thu", "Thị Minh", "Ngọc", "Thị Thanh", "Hồng"]
MID_M = ["Văn", "Văn", "Minh", "Đức", "Quang", "Hữu", "Thanh", "Xuân"]
GIVEN_F = ["Hương", "Hà", "Lan", "Mai", "Hằng", "Nga", "Huyền", "Trang", "Thủy", "Yến", "Hạnh", "Phương",
           "Hoa", "Nguyệt", "Dung", "Loan", "Thảo", "Vân", "Liên", "Oanh", "Hiền", "Tâm", "Quyên", "Ngọc Anh"]
GIVEN_M = ["Hùng", "Tuấn", "Long", "Thắng", "Đức", "Bình", "Dũng", "Hải", "Sơn", "Cường", "Trung", "Khánh"]


def make_person(rng, female=None):
    if female is None:
        female = rng.random() < 0.72
    fam = rng.choice(FAMILY)
    mid = rng.choice(MID_F if female else MID_M)
    giv = rng.choice(GIVEN_F if female else GIVEN_M)
    return {"name": "%s %s %s" % (fam, mid, giv), "female": female, "given": giv.split()[-1], "fam": fam,
            "phone": "0%d%d%d %d%d%d %d%d%d" % tuple([rng.choice([9, 8, 3])] + [rng.randrange(10) for _ in range(8)])}


def personal_address(rng, p, hint=None):
    n = nodiac(p["name"]).lower().split()
    fam, giv = n[0], n[-1]
    mids = "".join(x[0] for x in n[1:-1])
    year = rng.choice(["1978", "1980", "1982", "1985", "1987", "1990", "76", "83", "88", "91", ""])
    forms = [giv + fam + year, fam + mids + giv + year, giv + "." + fam + year, giv + "_" + fam,
             fam + giv + rng.choice(["kt", "cd", "gv", ""]) + year, giv + mids + fam]
    local = rng.choice(forms).strip("._")
    if hint and rng.random() < 0.5:
        local = giv + "." + hint
    dom = rng.choice(["gmail.com"] * 7 + ["yahoo.com.vn", "yahoo.com", "outlook.com"])
    return local + "@" + dom


PEOPLE_RNG = random.Random(SEED + 1)
for _u in UNIONS:
    _u.chair = make_person(PEOPLE_RNG)
    _u.clerk = make_person(PEOPLE_RNG, female=True)      # accountant / deputy who often sends mail
    _u.chair_mail = personal_address(PEOPLE_RNG, _u.chair)
    _u.clerk_mail = personal_address(PEOPLE_RNG, _u.clerk)
# make sure no personal address collides with a registered one or with another person's
_SEEN = {e for u in UNIONS for e in u.emails}
for _u in UNIONS:
    for attr in ("chair_mail", "clerk_mail"):
        m_ = getattr(_u, attr)
        k_ = 2
        while m_ in _SEEN:
            loc, dom = getattr(_u, attr).split("@")
            m_ = "%s%d@%s" % (loc, k_, dom)
            k_ += 1
        setattr(_u, attr, m_)
        _SEEN.add(m_)

STAFF = {"name": "Nguyễn Thị Thu", "title": "Ban Tổ chức - LĐLĐ quận Long Biên", "mail": "thunguyen.ldlb@gmail.com",
         "phone": "0912 468 135"}
FED_CHAIR = "Trần Văn Đông"


# ---------------------------------------------------------------- report content
OBLS = ["dvk-2021", "report-2020-y", "report-2021-q1", "report-2021-h1", "report-2021-q3", "report-2021-y",
        "report-2022-q1", "report-2022-h1", "report-2022-q3", "report-2022-y"]


def deadline(obl):
    if obl == "dvk-2021":
        return hn(2021, 2, 23)
    _, y, p = obl.split("-")
    return hn(int(y), {"q1": 3, "h1": 6, "q3": 9, "y": 12}[p], 15)


def obl_year(obl):
    return 2021 if obl == "dvk-2021" else int(obl.split("-")[1])


def obl_period(obl):
    return "dvk" if obl == "dvk-2021" else obl.split("-")[2]


MODELS = {
    "th": ["Phụ huynh đồng hành cùng nhà trường", "Xây dựng trường học xanh - sạch - đẹp - an toàn",
           "Tủ sách đoàn viên - nâng bước em đến trường", "Mỗi thầy cô giáo là một tấm gương tự học",
           "Bữa cơm công đoàn ấm áp", "Ngôi nhà an toàn cho trẻ", "Đổi giấy vụn lấy cây xanh"],
    "hcsn": ["Cán bộ phường gần dân, hiểu dân, giúp dân", "Dân vận khéo trong giải quyết thủ tục hành chính một cửa",
             "Tuyến phố văn minh, không rác thải nhựa", "Phân loại rác thải tại nguồn ở khu dân cư",
             "Ngày thứ Bảy tình nguyện vì cộng đồng", "Tiếp dân thân thiện - giải quyết kịp thời"],
    "dn": ["Người lao động thực hành tiết kiệm, an toàn vệ sinh lao động", "Bữa ăn ca đảm bảo dinh dưỡng",
           "Đối thoại định kỳ giữa người lao động và người sử dụng lao động", "Mái ấm công đoàn",
           "Tổ sản xuất an toàn - năng suất - đoàn kết", "Phòng đọc sách cho công nhân"],
}


def period_words(obl, style=0):
    """Words that name the report, in several ways people write them."""
    y = obl_year(obl)
    p = obl_period(obl)
    if p == "dvk":
        return ["đăng ký mô hình \"Dân vận khéo\" năm 2021", "đăng ký mô hình Dân vận khéo", "phiếu đăng ký DVK",
                "đăng ký mô hình DVK năm 2021"][style % 4]
    return {
        "q1": ["báo cáo quý I năm %d" % y, "báo cáo quý 1/%d" % y, "báo cáo 3 tháng đầu năm %d" % y, "BC quý I"],
        "h1": ["báo cáo sơ kết 6 tháng đầu năm %d" % y, "báo cáo 6 tháng năm %d" % y, "báo cáo quý II năm %d" % y,
               "BC 6 tháng"],
        "q3": ["báo cáo quý III năm %d" % y, "báo cáo 9 tháng năm %d" % y, "báo cáo quý 3/%d" % y, "BC 9 tháng"],
        "y": ["báo cáo tổng kết năm %d" % y, "báo cáo năm %d" % y, "báo cáo quý IV và cả năm %d" % y, "BC tổng kết năm"],
    }[p][style % 4]


def doc_title(obl, style):
    y = obl_year(obl)
    p = obl_period(obl)
    if p == "dvk":
        return [["PHIẾU ĐĂNG KÝ", "Mô hình \"Dân vận khéo\" năm 2021"],
                ["BẢN ĐĂNG KÝ", "Xây dựng mô hình \"Dân vận khéo\" năm 2021"],
                ["ĐĂNG KÝ MÔ HÌNH \"DÂN VẬN KHÉO\"", "Năm 2021"]][style % 3]
    return {
        "q1": [["BÁO CÁO", "Kết quả thực hiện công tác dân vận quý I năm %d" % y],
               ["BÁO CÁO", "Công tác dân vận 3 tháng đầu năm %d" % y],
               ["BÁO CÁO QUÝ I NĂM %d" % y, "Thực hiện Kế hoạch công tác dân vận và phong trào \"Dân vận khéo\""]],
        "h1": [["BÁO CÁO", "Sơ kết 6 tháng đầu năm %d thực hiện công tác dân vận" % y],
               ["BÁO CÁO", "Kết quả công tác dân vận 6 tháng đầu năm %d" % y],
               ["BÁO CÁO", "Công tác dân vận quý II năm %d" % y]],
        "q3": [["BÁO CÁO", "Kết quả thực hiện công tác dân vận quý III năm %d" % y],
               ["BÁO CÁO", "Công tác dân vận 9 tháng đầu năm %d" % y],
               ["BÁO CÁO QUÝ III NĂM %d" % y, "Thực hiện Kế hoạch công tác dân vận"]],
        "y": [["BÁO CÁO", "Tổng kết công tác dân vận năm %d, phương hướng nhiệm vụ năm %d" % (y, y + 1)],
              ["BÁO CÁO", "Kết quả công tác dân vận quý IV và cả năm %d" % y],
              ["BÁO CÁO NĂM %d" % y, "Thực hiện Kế hoạch công tác dân vận và mô hình \"Dân vận khéo\""]],
    }[p][style % 3]


def org_line(u, caps=True):
    """The union as written on line 2 of a letterhead."""
    if u.kind in SCHOOL_SHORT:
        s = "CĐCS " + (u.full if u.kind in ("mn", "th") else "Trường %s %s" % (SCHOOL_SHORT[u.kind], u.place))
    elif u.code == "DN15":
        s = "CĐCS Xí nghiệp Môi trường số 2"
    else:
        s = "CĐCS " + u.core
    return s.upper() if caps else s


def letterhead_left(u, rng, variant=None):
    v = rng.randrange(3) if variant is None else variant
    if u.head:
        return [u.head, org_line(u)]
    if u.kind in SCHOOL_SHORT and v == 2:
        return ["PHÒNG GD&ĐT QUẬN LONG BIÊN", ("TRƯỜNG %s %s" % (SCHOOL_SHORT[u.kind], u.place)).upper(),
                "BAN CHẤP HÀNH CÔNG ĐOÀN"]
    if u.kind == "ubnd" and v == 2:
        return ["LĐLĐ QUẬN LONG BIÊN", "CĐCS UBND PHƯỜNG " + u.place.upper()]
    if v == 1:
        return ["LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN", org_line(u)]
    return ["LĐLĐ QUẬN LONG BIÊN", org_line(u)]


def vn_date_line(t):
    t = t.astimezone(HN)
    return "Long Biên, ngày %02d tháng %02d năm %d" % (t.day, t.month, t.year) if t.day < 10 or t.month < 10 \
        else "Long Biên, ngày %d tháng %d năm %d" % (t.day, t.month, t.year)


class Doc:
    pass


def make_report(u, obl, rng, doc_time, title_style=None, lh_variant=None, short=False):
    d = Doc()
    d.union = u
    d.obl = obl
    d.kind = "dvk" if obl == "dvk-2021" else "report"
    y = obl_year(obl)
    p = obl_period(obl)
    d.left = letterhead_left(u, rng, lh_variant)
    num = rng.randrange(1, 40)
    d.so = "Số: %02d/%s" % (num, "ĐK-CĐCS" if d.kind == "dvk" else rng.choice(["BC-CĐ", "BC-CĐCS", "BC-CĐ"]))
    d.date_line = vn_date_line(doc_time)
    d.title = doc_title(obl, rng.randrange(3) if title_style is None else title_style)
    d.model = rng.choice(MODELS[u.bloc])
    n_members = rng.randrange(18, 260) if u.bloc == "dn" else rng.randrange(15, 95)
    paras = []
    if d.kind == "dvk":
        paras.append("Thực hiện Kế hoạch số 01/KH-LĐLĐ ngày 12/01/2021 của Liên đoàn Lao động quận Long Biên về "
                     "thực hiện công tác dân vận và phong trào thi đua \"Dân vận khéo\" năm 2021, Ban Chấp hành "
                     "%s đăng ký xây dựng mô hình như sau:" % org_line(u, caps=False))
        paras.append("1. Tên mô hình: \"%s\"." % d.model)
        paras.append("2. Lĩnh vực: %s." % rng.choice(["Văn hóa - xã hội", "Kinh tế - lao động",
                                                      "Xây dựng hệ thống chính trị", "Giáo dục - đào tạo"]))
        paras.append("3. Người phụ trách: đồng chí %s - Chủ tịch CĐCS; số đoàn viên tham gia: %d." %
                     (u.chair["name"], n_members))
        paras.append("4. Thời gian thực hiện: từ tháng 3/2021 đến tháng 11/2021; đánh giá kết quả cùng báo cáo "
                     "tổng kết năm 2021.")
        paras.append("Ban Chấp hành CĐCS cam kết triển khai mô hình và báo cáo kết quả định kỳ hằng quý về "
                     "LĐLĐ quận.")
    else:
        plan = "Kế hoạch số %02d/KH-LĐLĐ ngày %s/01/%d" % (rng.randrange(1, 9), rng.choice(["08", "12", "15"]), y)
        pname = {"q1": "quý I", "h1": "6 tháng đầu năm", "q3": "quý III (9 tháng)", "y": "năm"}[p]
        paras.append("Thực hiện %s của Liên đoàn Lao động quận Long Biên về thực hiện công tác dân vận năm %d, "
                     "Ban Chấp hành %s báo cáo kết quả %s %d như sau:" % (plan, y, org_line(u, caps=False), pname, y))
        paras.append("I. KẾT QUẢ THỰC HIỆN")
        paras.append("1. Công tác tuyên truyền: tổ chức %d buổi sinh hoạt, phổ biến chủ trương của Đảng, chính sách, "
                     "pháp luật của Nhà nước tới %d/%d đoàn viên (đạt %d%%)." %
                     (rng.randrange(2, 9), n_members - rng.randrange(0, 4), n_members, rng.randrange(95, 101)))
        if p == "q1":
            paras.append("2. Mô hình \"Dân vận khéo\": đơn vị đã đăng ký mô hình \"%s\" từ tháng 02/%d; trong quý đã "
                         "xây dựng kế hoạch và phân công đoàn viên phụ trách." % (d.model, y))
        elif p == "h1":
            paras.append("2. Mô hình \"Dân vận khéo\": tiếp tục duy trì mô hình \"%s\"; so với quý I, số đoàn viên "
                         "tham gia tăng %d người." % (d.model, rng.randrange(2, 12)))
        elif p == "q3":
            paras.append("2. Mô hình \"Dân vận khéo\": trên cơ sở kết quả sơ kết 6 tháng đầu năm, đơn vị duy trì mô "
                         "hình \"%s\", tổ chức %d hoạt động." % (d.model, rng.randrange(2, 7)))
        else:
            paras.append("2. Mô hình \"Dân vận khéo\": mô hình \"%s\" được duy trì cả năm %d, %s." %
                         (d.model, y, rng.choice(["được Đảng ủy đánh giá cao", "thu hút 100% đoàn viên tham gia",
                                                 "được nhân rộng trong đơn vị"])))
        paras.append("3. Công tác chăm lo đời sống đoàn viên: thăm hỏi %d trường hợp ốm đau, hiếu hỷ; %s." %
                     (rng.randrange(1, 12), rng.choice(["không có đơn thư khiếu nại, tố cáo",
                                                         "không để xảy ra tranh chấp lao động",
                                                         "100% đoàn viên có việc làm ổn định"])))
        paras.append("II. ĐÁNH GIÁ CHUNG")
        paras.append("Ưu điểm: các hoạt động được triển khai kịp thời, đúng kế hoạch. Hạn chế: %s." %
                     rng.choice(["do ảnh hưởng của dịch Covid-19 một số hoạt động tập trung phải tạm dừng",
                                 "việc tuyên truyền trên mạng xã hội còn ít",
                                 "một số đoàn viên còn kiêm nhiệm nhiều việc"]))
        nxt = {"q1": "quý II năm %d" % y, "h1": "6 tháng cuối năm %d" % y, "q3": "quý IV năm %d" % y,
               "y": "năm %d" % (y + 1)}[p]
        paras.append("III. PHƯƠNG HƯỚNG, NHIỆM VỤ %s" % nxt.upper())
        paras.append("Tiếp tục duy trì mô hình \"Dân vận khéo\", thực hiện tốt công tác tuyên truyền; phối hợp với "
                     "chuyên môn chăm lo đời sống đoàn viên trong %s." % nxt)
        if short:
            paras = paras[:4] + ["II." + paras[-2][len("III."):], paras[-1]]
    d.paras = paras
    d.sign_title = ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH"]
    if rng.random() < 0.15:
        d.sign_title = ["TM. BCH CÔNG ĐOÀN", "CHỦ TỊCH"]
    d.signer = u.chair["name"]
    d.noi_nhan = ["Nơi nhận:", "- LĐLĐ quận Long Biên (b/c);", "- Lưu: CĐCS."]
    d.table = None
    if d.kind == "dvk":
        d.table = [["STT", "Tên mô hình", "Nội dung chính", "Người phụ trách", "Thời gian"],
                   ["1", d.model, rng.choice(["Tuyên truyền, vận động đoàn viên", "Phối hợp với chuyên môn",
                                              "Huy động nguồn lực xã hội hóa"]), u.chair["name"], "03-11/2021"]]
    return d


def doc_plain_lines(d):
    """The document as reading order text (used for PDF, images, sanity checks)."""
    L = []
    L += d.left + [d.so]
    L += ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", d.date_line]
    L += d.title
    L += d.paras
    if d.table:
        L += [" | ".join(r) for r in d.table]
    L += d.sign_title + [d.signer]
    return L


# ---------------------------------------------------------------- document renderers
import docx as _docx
from docx.shared import Pt, Cm
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
import openpyxl
from openpyxl.styles import Font as XFont, Alignment as XAlign
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont, ImageFilter

FIXED_ZIP_TIME = (2021, 1, 1, 0, 0, 0)


def normalize_zip(data, when):
    """Pin zip entry times and the OOXML core-property dates so reruns are identical."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    zt = when.astimezone(HN).timetuple()[:6]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            blob = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", lambda m: m.group(1) + stamp.encode() + m.group(2), blob)
            zi = zipfile.ZipInfo(info.filename, date_time=zt)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, blob)
    return out.getvalue()


def _is_caps(s):
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _enc(s, enc):
    if enc == "tcvn3":
        if _is_caps(s):
            return to_tcvn3(s, caps_font=True), ".VnTimeH"
        return to_tcvn3(s), ".VnTime"
    if enc == "vni":
        return to_vni(s), "VNI-Times"
    return s, "Times New Roman"


def _run(par, text, enc, bold=False, italic=False, size=13, underline=False):
    t, font = _enc(text, enc)
    r = par.add_run(t)
    r.bold, r.italic, r.underline = bold, italic, underline
    r.font.size = Pt(size)
    r.font.name = font
    rpr = r._element.get_or_add_rPr()
    rf = rpr.find(qn("w:rFonts"))
    rf.set(qn("w:cs"), font)
    rf.set(qn("w:eastAsia"), font)
    return r


def _cell_lines(cell, lines, enc, first_bold=None, center=True):
    cell.paragraphs[0].text = ""
    for i, (txt, bold, italic, size) in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        _run(p, txt, enc, bold=bold, italic=italic, size=size)


def render_docx(d, enc=None, author="Admin", when=None):
    doc = _docx.Document()
    for rel in list(doc.part.rels.values()):
        if rel.reltype.endswith("/stylesWithEffects") or rel.reltype.endswith("/customXml"):
            doc.part.drop_rel(rel.rId)
    for rel in list(doc.part.package.rels.values()):
        if rel.reltype.endswith("/thumbnail"):
            doc.part.package.rels.pop(rel.rId)
    # keep the file small: drop latent styles and the style definitions a report does not use
    sx = doc.styles.element
    ls = sx.find(qn("w:latentStyles"))
    if ls is not None:
        sx.remove(ls)
    for st_ in list(sx.findall(qn("w:style"))):
        nm_ = st_.find(qn("w:name"))
        nm_ = nm_.get(qn("w:val")) if nm_ is not None else ""
        if nm_ not in ("Normal", "Table Grid", "Normal Table", "Default Paragraph Font", "No List") and st_.get(qn("w:default")) != "1":
            sx.remove(st_)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Cm(3), Cm(2), Cm(2), Cm(2)
    st = doc.styles["Normal"]
    st.font.name = _enc("a", enc)[1]
    st.font.size = Pt(13)
    t = doc.add_table(rows=1, cols=2)
    left = [(d.left[0], False, False, 12)] + [(x, True, False, 12) for x in d.left[1:]] + [(d.so, False, False, 12)]
    right = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, 12),
             ("Độc lập - Tự do - Hạnh phúc", True, False, 13),
             ("", False, False, 8), (d.date_line, False, True, 13)]
    _cell_lines(t.cell(0, 0), left, enc)
    _cell_lines(t.cell(0, 1), right, enc)
    doc.add_paragraph()
    for i, line in enumerate(d.title):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        _run(p, line, enc, bold=True, size=14 if i == 0 else 13)
    doc.add_paragraph()
    for para in d.paras:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Cm(1)
        head = bool(re.match(r"^(I|II|III|IV)\. ", para))
        _run(p, para, enc, bold=head)
    if d.table:
        tb = doc.add_table(rows=len(d.table), cols=len(d.table[0]))
        tb.style = "Table Grid"
        for i, row in enumerate(d.table):
            for j, val in enumerate(row):
                c = tb.cell(i, j)
                c.paragraphs[0].text = ""
                _run(c.paragraphs[0], val, enc, bold=(i == 0), size=12)
        doc.add_paragraph()
    s = doc.add_table(rows=1, cols=2)
    _cell_lines(s.cell(0, 0), [(d.noi_nhan[0], True, True, 11)] + [(x, False, False, 11) for x in d.noi_nhan[1:]],
                enc, center=False)
    _cell_lines(s.cell(0, 1), [(x, True, False, 13) for x in d.sign_title] + [("", False, False, 13)] * 3 +
                [(d.signer, True, False, 13)], enc)
    cp = doc.core_properties
    cp.author = author
    cp.last_modified_by = author
    cp.title = ""
    cp.revision = 1
    w = (when or hn(2021, 1, 1)).astimezone(UTC).replace(tzinfo=None)
    cp.created = w
    cp.modified = w
    b = io.BytesIO()
    doc.save(b)
    return normalize_zip(b.getvalue(), when or hn(2021, 1, 1))


def render_xlsx(d, when, with_union=True, author="Admin"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DK DVK"
    r = 1
    if with_union:
        ws.cell(r, 1, d.left[0]); r += 1
        ws.cell(r, 1, d.left[-1]).font = XFont(bold=True); r += 1
    ws.cell(r, 1, "PHIẾU ĐĂNG KÝ MÔ HÌNH \"DÂN VẬN KHÉO\" NĂM 2021").font = XFont(bold=True, size=13)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
    ws.cell(r, 1).alignment = XAlign(horizontal="center")
    r += 2
    for row in d.table:
        for j, v in enumerate(row):
            c = ws.cell(r, j + 1, v)
            if row is d.table[0]:
                c.font = XFont(bold=True)
        r += 1
    r += 1
    ws.cell(r, 4, "Người lập biểu"); r += 1
    ws.cell(r, 4, d.signer)
    for col, wdt in zip("ABCDE", (6, 45, 35, 24, 14)):
        ws.column_dimensions[col].width = wdt
    w = when.astimezone(UTC).replace(tzinfo=None)
    wb.properties.creator = author
    wb.properties.lastModifiedBy = author
    wb.properties.created = w
    wb.properties.modified = w
    b = io.BytesIO()
    wb.save(b)
    return normalize_zip(b.getvalue(), when)


class _PDF(FPDF):
    pass


def render_pdf_text(d, when):
    pdf = _PDF(format="A4")
    pdf.set_creation_date(when.astimezone(UTC))
    pdf.set_producer("Microsoft® Word 2016")
    pdf.set_creator("Microsoft® Word 2016")
    pdf.add_font("Serif", "", FONT_DIR + "DejaVuSerif.ttf")
    pdf.add_font("Serif", "B", FONT_DIR + "DejaVuSerif-Bold.ttf")
    pdf.add_font("Serif", "I", FONT_DIR + "DejaVuSerif-Italic.ttf")
    pdf.set_margins(22, 18, 16)
    pdf.add_page()
    y0 = pdf.get_y()
    pdf.set_font("Serif", "", 9.5)
    pdf.set_xy(18, y0)
    for i, line in enumerate(d.left + [d.so]):
        pdf.set_font("Serif", "B" if 0 < i < len(d.left) else "", 9.5)
        pdf.set_x(14)
        pdf.multi_cell(82, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    y1 = pdf.get_y()
    pdf.set_xy(98, y0)
    for txt, st in (("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B"), ("Độc lập - Tự do - Hạnh phúc", "B"),
                    ("", ""), (d.date_line, "I")):
        pdf.set_font("Serif", st, 9.5)
        pdf.set_x(98)
        pdf.cell(100, 5, txt, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(y1, pdf.get_y()) + 8)
    for i, line in enumerate(d.title):
        pdf.set_font("Serif", "B", 12.5 if i == 0 else 11)
        pdf.multi_cell(0, 6.5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for para in d.paras:
        pdf.set_font("Serif", "B" if re.match(r"^(I|II|III|IV)\. ", para) else "", 10.5)
        pdf.multi_cell(0, 5.6, "      " + para, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    if d.table:
        pdf.ln(2)
        widths = [10, 55, 45, 40, 22]
        for i, row in enumerate(d.table):
            pdf.set_font("Serif", "B" if i == 0 else "", 8.5)
            with pdf.table(col_widths=widths, first_row_as_headings=False) if False else _nullctx():
                pass
            x = pdf.l_margin
            for w_, v in zip(widths, row):
                pdf.set_x(x)
                pdf.cell(w_, 7, v if len(v) < 40 else v[:38] + "…", border=1)
                x += w_
            pdf.ln(7)
    pdf.ln(6)
    y = pdf.get_y()
    pdf.set_font("Serif", "BI", 9) if False else pdf.set_font("Serif", "I", 9)
    for line in d.noi_nhan:
        pdf.cell(80, 4.8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(110, y)
    for line in d.sign_title + ["", "", "", d.signer]:
        pdf.set_font("Serif", "B", 10.5)
        pdf.set_x(110)
        pdf.cell(80, 5.5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


class _nullctx:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


_FONTS = {}


def font(size, bold=False, italic=False):
    key = (size, bold, italic)
    if key not in _FONTS:
        name = "DejaVuSerif" + ("-Bold" if bold else "") + ("Italic" if italic and bold else "-Italic" if italic else "")
        name = name.replace("-BoldItalic", "-BoldItalic")
        _FONTS[key] = ImageFont.truetype(FONT_DIR + name + ".ttf", size)
    return _FONTS[key]


def _wrap(draw, text, fnt, width):
    words, lines, cur = text.split(), [], ""
    for w_ in words:
        t = (cur + " " + w_).strip()
        if draw.textlength(t, font=fnt) <= width:
            cur = t
        else:
            lines.append(cur)
            cur = w_
    if cur:
        lines.append(cur)
    return lines


def render_page_image(d, rng, W=1000, max_paras=6, stamp=True):
    """A clean page (grayscale) of the report's first page with signature and stamp."""
    H = int(W * 1.414)
    img = Image.new("RGB", (W, H), "white")
    dr = ImageDraw.Draw(img)
    s = W / 1000.0
    f_lh, f_lhb = font(int(19 * s)), font(int(19 * s), bold=True)
    y = int(60 * s)
    cx_l, cx_r = int(235 * s), int(700 * s)
    yl = y
    for i, line in enumerate(d.left + [d.so]):
        f_ = f_lhb if 0 < i < len(d.left) else f_lh
        lines = _wrap(dr, line, f_, int(420 * s))
        for ln in lines:
            dr.text((cx_l, yl), ln, font=f_, fill="black", anchor="ma")
            yl += int(26 * s)
    yr = y
    for txt, f_ in (("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font(int(19 * s), bold=True)),
                    ("Độc lập - Tự do - Hạnh phúc", font(int(20 * s), bold=True)),
                    ("", f_lh), (d.date_line, font(int(19 * s), italic=True))):
        if txt:
            dr.text((cx_r, yr), txt, font=f_, fill="black", anchor="ma")
        yr += int(28 * s)
    y = max(yl, yr) + int(40 * s)
    for i, line in enumerate(d.title):
        f_ = font(int((31 if i == 0 else 24) * s), bold=True)
        for ln in _wrap(dr, line, f_, int(820 * s)):
            dr.text((W // 2, y), ln, font=f_, fill="black", anchor="ma")
            y += int((42 if i == 0 else 34) * s)
    y += int(24 * s)
    fb = font(int(21 * s))
    fbb = font(int(21 * s), bold=True)
    for para in d.paras[:max_paras]:
        f_ = fbb if re.match(r"^(I|II|III|IV)\. ", para) else fb
        for k, ln in enumerate(_wrap(dr, para, f_, int(830 * s) - (int(40 * s) if False else 0))):
            dr.text((int(85 * s) + (int(40 * s) if k == 0 else 0), y), ln, font=f_, fill="black")
            y += int(31 * s)
        y += int(6 * s)
        if y > H - int(360 * s):
            break
    y += int(30 * s)
    ys = y
    for line in d.noi_nhan:
        dr.text((int(85 * s), y), line, font=font(int(17 * s), italic=(line == d.noi_nhan[0])), fill="black")
        y += int(24 * s)
    y = ys
    for line in d.sign_title:
        dr.text((cx_r, y), line, font=font(int(21 * s), bold=True), fill="black", anchor="ma")
        y += int(30 * s)
    # signature scribble
    sx, sy = cx_r - int(80 * s), y + int(25 * s)
    pts = [(sx + i * 12 * s, sy + rng.randrange(-22, 22) * s) for i in range(14)]
    dr.line(pts, fill=(20, 30, 120), width=max(2, int(3 * s)))
    if stamp:
        r_ = int(85 * s)
        cx, cy = cx_r - int(120 * s), y + int(45 * s)
        red = (200, 30, 30)
        dr.ellipse((cx - r_, cy - r_, cx + r_, cy + r_), outline=red, width=max(3, int(5 * s)))
        dr.ellipse((cx - r_ + 12 * s, cy - r_ + 12 * s, cx + r_ - 12 * s, cy + r_ - 12 * s), outline=red, width=2)
        dr.text((cx, cy - 18 * s), "CÔNG ĐOÀN", font=font(int(15 * s), bold=True), fill=red, anchor="mm")
        dr.text((cx, cy + 10 * s), "CƠ SỞ", font=font(int(15 * s), bold=True), fill=red, anchor="mm")
        dr.text((cx, cy + 34 * s), "* * *", font=font(int(12 * s), bold=True), fill=red, anchor="mm")
    y += int(150 * s)
    dr.text((cx_r, y), d.signer, font=font(int(21 * s), bold=True), fill="black", anchor="ma")
    return img


def scan_image(d, rng, fmt="png"):
    img = render_page_image(d, rng, W=1000).convert("L")
    # light scanner artefacts: a gray band at the edge and a slight tilt
    img = img.rotate(rng.uniform(-0.6, 0.6), resample=Image.BICUBIC, fillcolor=255)
    b = io.BytesIO()
    if fmt == "png":
        img = img.point(lambda v: 0 if v < 150 else 255).convert("1")
        img.save(b, "PNG", optimize=True)
    else:
        img.save(b, "JPEG", quality=45, optimize=True)
    return b.getvalue()


def photo_image(d, rng):
    page = render_page_image(d, rng, W=820)
    W, H = 880, 1250
    bg = Image.new("RGB", (W, H), (118, 96, 74))
    dr = ImageDraw.Draw(bg)
    for i in range(0, H, 7):   # wood-ish table
        c = 100 + int(18 * ((i * 37) % 11) / 11)
        dr.line([(0, i), (W, i)], fill=(c + 20, c, c - 22), width=3)
    ang = rng.uniform(-3.5, 3.5)
    pg = page.rotate(ang, resample=Image.BICUBIC, expand=True, fillcolor=(118, 96, 74))
    mask = Image.new("L", page.size, 255).rotate(ang, resample=Image.BICUBIC, expand=True, fillcolor=0)
    ox, oy = (W - pg.size[0]) // 2 + rng.randrange(-15, 15), (H - pg.size[1]) // 2 + rng.randrange(-15, 15)
    bg.paste(pg, (ox, oy), mask)
    # uneven light
    shade = Image.new("L", (W, H), 0)
    sd = ImageDraw.Draw(shade)
    for k in range(12):
        sd.rectangle((0, int(H * k / 12), W, H), fill=int(5 * k))
    bg = Image.composite(Image.new("RGB", (W, H), (60, 50, 40)), bg, shade.point(lambda v: v))
    bg = bg.filter(ImageFilter.GaussianBlur(0.6))
    b = io.BytesIO()
    bg.save(b, "JPEG", quality=52, optimize=True)
    return b.getvalue()


def pdf_of_image(jpeg_or_png, when, kind="jpg"):
    pdf = FPDF(format="A4")
    pdf.set_creation_date(when.astimezone(UTC))
    pdf.set_producer("Canon iR-ADV C3520 PDF")
    pdf.set_creator("Canon")
    pdf.add_page()
    pdf.image(io.BytesIO(jpeg_or_png), x=0, y=0, w=210)
    return bytes(pdf.output())


# ---------------------------------------------------------------- MIME building (by hand, for control)
def b64lines(data, width=76):
    s = base64.b64encode(data).decode("ascii")
    return "\r\n".join(s[i:i + width] for i in range(0, len(s), width))


def enc_words_b(text, charset="UTF-8"):
    """RFC 2047 B words, each at most ~75 chars, never splitting a character."""
    words, cur = [], b""
    for ch in text:
        bb = ch.encode(charset)
        if len(cur) + len(bb) > 42:
            words.append(cur)
            cur = b""
        cur += bb
    if cur:
        words.append(cur)
    return ["=?%s?B?%s?=" % (charset, base64.b64encode(w).decode()) for w in words]


def enc_words_q(text, charset="utf-8"):
    words, cur = [], ""
    for ch in text:
        bb = ch.encode(charset)
        if ch == " ":
            q = "_"
        elif 33 <= ord(ch) < 127 and ch not in "=?_\"()<>,;:":
            q = ch
        else:
            q = "".join("=%02X" % c for c in bb)
        if len(cur) + len(q) > 60:
            words.append(cur)
            cur = ""
        cur += q
    if cur:
        words.append(cur)
    return ["=?%s?Q?%s?=" % (charset, w) for w in words]


def hdr_text(text, style="b"):
    """A header value as a real client would write it."""
    if all(ord(c) < 128 for c in text):
        return text
    if style == "q":
        return "\r\n ".join(enc_words_q(text))
    if style == "q1252":
        return "\r\n ".join(enc_words_q(text, "windows-1252"))
    return "\r\n ".join(enc_words_b(text))


def addr(display, mail, style="b"):
    if not display:
        return mail
    if all(ord(c) < 128 for c in display):
        if re.search(r"[^A-Za-z0-9 ]", display):
            return '"%s" <%s>' % (display, mail)
        return "%s <%s>" % (display, mail)
    return "%s <%s>" % (hdr_text(display, style), mail)


def fold(name, value):
    """Fold a plain header at spaces so no line passes 78 chars (encoded words are already split)."""
    line = name + ": " + value
    if len(line) <= 78 or "\r\n" in value:
        return line
    out, cur = [], ""
    for tok in re.split(r"(?<=[,;]) ", line):
        if cur and len(cur) + 1 + len(tok) > 76:
            out.append(cur)
            cur = " " + tok
        else:
            cur = (cur + " " + tok) if cur else tok
    out.append(cur)
    return "\r\n".join(out)


class Part:
    def __init__(self, headers, body):
        self.headers = headers       # list of header lines (str, already folded/encoded)
        self.body = body             # bytes (CRLF)

    def bytes(self):
        return ("\r\n".join(self.headers) + "\r\n\r\n").encode("utf-8") + self.body


def enc_cp1258(s):
    """Windows-1258 as old Outlook Express wrote it: base letters plus combining tone marks."""
    out = b""
    for ch in s:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        dd = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(x for x in dd if x not in "\u0300\u0301\u0303\u0309\u0323"))
        tone = "".join(x for x in dd if x in "\u0300\u0301\u0303\u0309\u0323")
        out += base.encode("cp1258") + tone.encode("cp1258")
    return out


def crlf(s):
    return s.replace("\r\n", "\n").replace("\n", "\r\n")


def text_part(text, subtype="plain", cte="base64", charset="UTF-8", fmt_flowed=False):
    text = crlf(text)
    ct = "Content-Type: text/%s; charset=\"%s\"" % (subtype, charset)
    if fmt_flowed:
        ct = "Content-Type: text/%s; charset=%s; format=flowed" % (subtype, charset)
    raw = enc_cp1258(text) if charset.lower() == "windows-1258" else text.encode(charset)
    if cte == "base64":
        body = b64lines(raw).encode()
    elif cte == "quoted-printable":
        body = quoprimime.body_encode(raw.decode("latin-1"), maxlinelen=76, eol="\r\n").encode("latin-1")
    elif cte == "8bit":
        body = raw
    else:
        cte = "7bit"
        body = raw
    return Part([ct, "Content-Transfer-Encoding: " + cte], body)


def attach_part(data, filename, ctype, style="gmail", inline_id=None):
    if style == "gmail":
        fn = hdr_text(filename) if any(ord(c) > 127 for c in filename) else filename
        h = ['Content-Type: %s; name="%s"' % (ctype, fn),
             'Content-Disposition: attachment; filename="%s"' % fn,
             "Content-Transfer-Encoding: base64"]
        if inline_id:
            h.append("Content-ID: <%s>" % inline_id)
        h.append("X-Attachment-Id: %s" % (inline_id or "f_" + hashlib.md5(data).hexdigest()[:9]))
    elif style == "outlook":
        fn_q = hdr_text(filename, "b")
        if any(ord(c) > 127 for c in filename):
            from urllib.parse import quote as _q
            disp = "Content-Disposition: attachment;\r\n\tfilename*=utf-8''%s;\r\n\tsize=%d" % (_q(filename, safe=""), len(data))
        else:
            disp = 'Content-Disposition: attachment;\r\n\tfilename="%s"; size=%d' % (filename, len(data))
        h = ['Content-Type: %s;\r\n\tname="%s"' % (ctype, fn_q), "Content-Description: %s" % fn_q, disp,
             "Content-Transfer-Encoding: base64"]
    elif style == "rfc2231":
        from urllib.parse import quote as _q
        h = ["Content-Type: %s" % ctype,
             "Content-Disposition: attachment; filename*=UTF-8''%s" % _q(filename, safe=""),
             "Content-Transfer-Encoding: base64"]
    elif style == "legacy1252":
        # an old client naming a TCVN3/VNI file name in windows-1252
        fn = "\r\n ".join(enc_words_q(filename, "windows-1252"))
        h = ['Content-Type: %s; name="%s"' % (ctype, fn),
             'Content-Disposition: attachment; filename="%s"' % fn,
             "Content-Transfer-Encoding: base64"]
    elif style == "iphone":
        fn = hdr_text(filename) if any(ord(c) > 127 for c in filename) else filename
        h = ['Content-Type: %s;\r\n\tname="%s"' % (ctype, fn),
             'Content-Disposition: attachment;\r\n\tfilename="%s"' % fn,
             "Content-Transfer-Encoding: base64"]
    else:
        raise ValueError(style)
    return Part(h, b64lines(data).encode())


def multipart(subtype, parts, boundary):
    body = b""
    for p in parts:
        body += b"--" + boundary.encode() + CRLF + p.bytes() + CRLF
    body += b"--" + boundary.encode() + b"--" + CRLF
    return Part(['Content-Type: multipart/%s; boundary="%s"' % (subtype, boundary)], body)


def rfc822_part(msg_bytes, filename=None):
    h = ["Content-Type: message/rfc822"]
    if filename:
        h.append('Content-Disposition: attachment; filename="%s"' % filename)
    return Part(h, msg_bytes)


CTYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png", "doc": "application/msword",
          "zip": "application/zip"}


def ctype_of(fn):
    return CTYPES[fn.rsplit(".", 1)[1].lower()]


def html_of(text):
    import html as _h
    out, depth = [], 0
    for line in text.split("\n"):
        q = 0
        while line.startswith(">"):
            line = line[1:].lstrip(" ") if line.startswith("> ") or line == ">" else line[1:]
            q += 1
        while depth < q:
            out.append('<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid '
                       'rgb(204,204,204);padding-left:1ex">')
            depth += 1
        while depth > q:
            out.append("</blockquote>")
            depth -= 1
        out.append("<div>%s</div>" % (_h.escape(line) if line else "<br>"))
    out += ["</blockquote>"] * depth
    return '<div dir="ltr">' + "".join(out) + "</div>"


# ---------------------------------------------------------------- envelopes
MR = random.Random(SEED + 7)     # randomness for ids, boundaries, server names
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def rstr(n, alphabet=_ALNUM):
    return "".join(MR.choice(alphabet) for _ in range(n))


def rhex(n):
    return "".join(MR.choice("0123456789abcdef") for _ in range(n))


def uuid_up():
    h = rhex(32).upper()
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def client_for(mail, phone=False):
    dom = mail.split("@")[1]
    if dom == "longbien.edu.vn":
        return "zimbra"
    if dom in ("mayducgiang.com.vn", "bvducgiang.vn", "outlook.com"):
        return "outlook"
    if dom.startswith("yahoo"):
        return "yahoo-phone" if phone else "yahoo"
    if phone:
        return MR.choice(["iphone", "iphone", "samsung", "android"])
    return "gmail"


def message_id(client, mail, t):
    dom = mail.split("@")[1]
    if client in ("gmail", "android", "samsung-gmail"):
        return "<CA%s%s@mail.gmail.com>" % (MR.choice("BDEFGHJKLMNOP"), rstr(MR.randrange(40, 48), _ALNUM + "_+=-"))
    if client == "iphone":
        return "<%s@%s>" % (uuid_up(), dom if dom != "gmail.com" else "gmail.com")
    if client == "samsung":
        return "<%s.%s@email.android.com>" % (rstr(8).lower(), rstr(10).lower())
    if client == "outlook":
        srv = "SG2PR0%dMB%04d" % (MR.randrange(1, 7), MR.randrange(1000, 9999))
        return "<%s%s@%s.apcprd0%d.prod.outlook.com>" % (srv, rstr(16).upper(), srv, MR.randrange(1, 7))
    if client.startswith("yahoo"):
        return "<%d.%d.%d@mail.yahoo.com>" % (MR.randrange(10 ** 8, 10 ** 9), MR.randrange(10 ** 6, 10 ** 7),
                                             int(t.timestamp() * 1000))
    if client == "zimbra":
        return "<%d.%d.%d.JavaMail.zimbra@longbien.edu.vn>" % (MR.randrange(10 ** 6, 10 ** 7), MR.randrange(10 ** 6, 10 ** 7),
                                                             int(t.timestamp() * 1000))
    if client == "thunderbird":
        return "<%s-%s-%s@%s>" % (rhex(8), rhex(4), rhex(12), dom)
    return "<%s@%s>" % (rstr(20), dom)


def boundary_for(client, kind="mixed"):
    if client in ("gmail", "android"):
        return "000000000000" + rhex(16)
    if client == "iphone":
        return "Apple-Mail-" + uuid_up()
    if client == "samsung":
        return "--_com.samsung.android.email_%d%d" % (MR.randrange(10 ** 8, 10 ** 9), MR.randrange(10 ** 5, 10 ** 6))
    if client == "outlook":
        return "_%03d_SG2PR0%dMB%04d%s_" % (MR.randrange(0, 10), MR.randrange(1, 7), MR.randrange(1000, 9999), rstr(12).upper())
    if client.startswith("yahoo"):
        return "----=_Part_%d_%d.%d" % (MR.randrange(10 ** 6, 10 ** 7), MR.randrange(10 ** 8, 10 ** 9), MR.randrange(10 ** 12, 10 ** 13))
    if client == "zimbra":
        return "=_" + rhex(8) + "-" + rhex(4) + "-" + rhex(4) + "-" + rhex(4) + "-" + rhex(12)
    if client == "thunderbird":
        return "------------" + rstr(24)
    return "=_b" + rhex(24)


def received_chain(arrival, mail, client, spoof=None):
    """Gmail's headers on arrival. The first Received line is the arrival instant."""
    dom = mail.split("@")[1]
    H = ["Delivered-To: " + FED]
    H.append("Received: by 2002:a05:%s:%s:%s:%s:0:0:0:0 with SMTP id %scsp%d%s;\r\n        %s" % (
        rhex(4), rhex(3), rhex(2), rhex(1), rstr(2).lower(), MR.randrange(10 ** 6, 10 ** 7), rstr(3).lower(), pt_stamp(arrival)))
    t1 = arrival - dt.timedelta(seconds=1)
    H.append("X-Received: by 2002:a17:90a:%s:: with SMTP id %s.%d.%d;\r\n        %s" % (
        rhex(4), rstr(2).lower(), MR.randrange(100, 999), int(arrival.timestamp() * 1000) % 10 ** 13, pt_stamp(t1)))
    H.append("Return-Path: <%s>" % (spoof["envelope"] if spoof else mail))
    if spoof:
        H.append("Received: from %s (%s [%s])\r\n        by mx.google.com with ESMTP id %s\r\n        for <%s>;\r\n        %s" % (
            spoof["host"], spoof["host"], spoof["ip"], rstr(20).lower(), FED, pt_stamp(t1)))
        H.append("Received-SPF: softfail (google.com: domain of transitioning %s does not designate %s as permitted "
                 "sender) client-ip=%s;" % (spoof["envelope"], spoof["ip"], spoof["ip"]))
        H.append("Authentication-Results: mx.google.com;\r\n       spf=softfail (google.com: domain of transitioning %s "
                 "does not designate %s as permitted sender) smtp.mailfrom=%s;\r\n       dmarc=fail (p=NONE sp=QUARANTINE "
                 "dis=NONE) header.from=%s" % (spoof["envelope"], spoof["ip"], spoof["envelope"], dom))
        return H
    t1 = t1.astimezone(PT)
    if dom == "gmail.com":
        n = MR.randrange(20, 99)
        H.append("Received: from mail-sor-f%d.google.com (mail-sor-f%d.google.com. [209.85.220.%d])\r\n        by mx.google.com "
                 "with SMTPS id %s.%d.%d.%02d.%02d.%02d.%02d.%02d.%02d\r\n        for <%s>\r\n        (Google Transport "
                 "Security);\r\n        %s" % (n, n, n, rstr(12).lower(), MR.randrange(100, 999), t1.year, t1.month, t1.day,
                                                 t1.hour, t1.minute, t1.second, 0, FED, pt_stamp(t1)))
        ip = "209.85.220.%d" % n
        H.append("Received-SPF: pass (google.com: domain of %s designates %s as permitted sender) client-ip=%s;" % (mail, ip, ip))
        H.append("Authentication-Results: mx.google.com;\r\n       dkim=pass header.i=@gmail.com header.s=20161025 "
                 "header.b=%s;\r\n       spf=pass (google.com: domain of %s designates %s as permitted sender) "
                 "smtp.mailfrom=%s;\r\n       dmarc=pass (p=NONE sp=QUARANTINE dis=NONE) header.from=gmail.com" % (
                     rstr(8), mail, ip, mail))
        H.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n        d=gmail.com; s=20161025;\r\n        "
                 "h=mime-version:from:date:message-id:subject:to;\r\n        bh=%s=;\r\n        b=%s\r\n         %s==" % (
                     rstr(43), rstr(70), rstr(60)))
        return H
    if dom == "longbien.edu.vn":
        host, ip = "mail.longbien.edu.vn", "113.190.232.%d" % MR.randrange(2, 250)
    elif dom.startswith("yahoo"):
        host = "sonic3%02d-%d.consmr.mail.sg3.yahoo.com" % (MR.randrange(0, 99), MR.randrange(10, 40))
        ip = "106.10.242.%d" % MR.randrange(2, 250)
    elif client == "outlook":
        host = "mail-sgaapc01on20%02d.outbound.protection.outlook.com" % MR.randrange(10, 99)
        ip = "40.107.215.%d" % MR.randrange(2, 250)
    else:
        host, ip = "mail." + dom, "123.30.%d.%d" % (MR.randrange(1, 250), MR.randrange(2, 250))
    H.append("Received: from %s (%s. [%s])\r\n        by mx.google.com with ESMTPS id %s.%d.%d.%02d.%02d\r\n        for <%s>\r\n"
             "        (version=TLS1_2 cipher=ECDHE-ECDSA-AES128-GCM-SHA256 bits=128/128);\r\n        %s" % (
                 host, host, ip, rstr(12).lower(), MR.randrange(100, 999), t1.year, t1.month, t1.day, FED, pt_stamp(t1)))
    H.append("Received-SPF: pass (google.com: domain of %s designates %s as permitted sender) client-ip=%s;" % (mail, ip, ip))
    H.append("Authentication-Results: mx.google.com;\r\n       dkim=pass header.i=@%s;\r\n       spf=pass (google.com: domain "
             "of %s designates %s as permitted sender) smtp.mailfrom=%s;\r\n       dmarc=pass (p=NONE sp=NONE dis=NONE) "
             "header.from=%s" % (dom, mail, ip, mail, dom))
    if dom == "longbien.edu.vn":
        t2 = arrival - dt.timedelta(seconds=3)
        H.append("Received: from localhost (localhost [127.0.0.1])\r\n\tby mail.longbien.edu.vn (Postfix) with ESMTP id %s;\r\n"
                 "\t%s (+07)" % (rhex(10).upper(), rfc_date(t2, HN)))
    return H


def mailer_headers(client):
    return {
        "iphone": ["X-Mailer: iPhone Mail (%s)" % MR.choice(["18D52", "18E199", "19A346", "19B74", "19F77", "20A362"])],
        "outlook": ["X-Mailer: Microsoft Outlook 16.0", "Thread-Index: " + rstr(30) + "==", "Content-Language: vi"],
        "yahoo": ["X-Mailer: WebService/1.1.%d YMailNorrin" % MR.randrange(17000, 19999)],
        "yahoo-phone": ["X-Mailer: WebService/1.1.%d YMailAndroidMobile" % MR.randrange(17000, 19999)],
        "zimbra": ["X-Mailer: Zimbra 8.8.15_GA_3869 (ZimbraWebClient - GC89 (Win)/8.8.15_GA_3869)",
                   "Thread-Index: " + rstr(20)],
        "thunderbird": ["User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:78.0) Gecko/20100101 Thunderbird/78.8.0",
                        "Content-Language: vi"],
        "samsung": ["X-Mailer: Samsung Email 6.1.%d" % MR.randrange(10, 99)],
    }.get(client, [])


def body_structure(client, text, atts, html=True, cte=None, charset=None, html_only=False):
    """Builds the MIME body as the given client would."""
    if html_only:
        parts = [text_part(html_of(text), "html", cte or "quoted-printable", charset or "UTF-8")]
        parts += [attach_part(a[1], a[0], ctype_of(a[0]), a[2] if len(a) > 2 else "gmail") for a in atts]
        return multipart("mixed", parts, boundary_for(client)) if atts else parts[0]
    def mixed(parts):
        return multipart("mixed", parts, boundary_for(client)) if len(parts) > 1 else parts[0]
    if client == "iphone":
        main, _, foot = text.rpartition("\n\n")
        if not atts:
            return text_part(text, cte=cte or "quoted-printable", charset="utf-8")
        parts = [text_part(main + "\n\n", cte=cte or "quoted-printable", charset="utf-8")]
        parts += [attach_part(a[1], a[0], ctype_of(a[0]), a[2] if len(a) > 2 else "iphone") for a in atts]
        parts.append(text_part("\n\n" + foot, cte=cte or "quoted-printable", charset="utf-8"))
        return multipart("mixed", parts, boundary_for(client))
    if client == "thunderbird":
        parts = [text_part(text, cte=cte or "8bit", charset="UTF-8", fmt_flowed=True)]
        parts += [attach_part(a[1], a[0], ctype_of(a[0]), a[2] if len(a) > 2 else "rfc2231") for a in atts]
        return mixed(parts)
    style = {"outlook": "outlook", "zimbra": "gmail", "yahoo": "gmail", "yahoo-phone": "gmail"}.get(client, "gmail")
    default_cte = "quoted-printable" if client in ("outlook", "zimbra", "yahoo", "yahoo-phone") else "base64"
    charset = charset or ("utf-8" if client in ("outlook", "zimbra", "yahoo", "yahoo-phone") else "UTF-8")
    plain = text_part(text, cte=cte or default_cte, charset=charset)
    if html:
        alt = multipart("alternative", [plain, text_part(html_of(text), "html", cte or default_cte, charset)],
                        boundary_for(client))
    else:
        alt = plain
    parts = [alt] + [attach_part(a[1], a[0], ctype_of(a[0]), a[2] if len(a) > 2 else style) for a in atts]
    return mixed(parts)


def assemble(env):
    """env: dict with arrival, from_disp, from_mail, to, cc, subject, subject_style, date, msgid, client,
    body(Part), in_reply_to, references, extra, spoof."""
    H = received_chain(env["arrival"], env.get("envelope", env["from_mail"]), env["client"], env.get("spoof"))
    H += env.get("extra_top", [])
    H.append("MIME-Version: 1.0")
    H.append("From: " + addr(env.get("from_disp"), env["from_mail"], env.get("addr_style", "b")))
    if env.get("reply_to"):
        H.append("Reply-To: " + env["reply_to"])
    d = env.get("date_str") or rfc_date(env["date"], env.get("date_tz", HN))
    H.append("Date: " + d)
    H.append("Message-ID: " + env["msgid"])
    if env.get("in_reply_to"):
        H.append("In-Reply-To: " + env["in_reply_to"])
        H.append(fold("References", env.get("references") or env["in_reply_to"]))
    if env.get("subject") is not None:
        H.append("Subject: " + hdr_text(env["subject"], env.get("subject_style", "b")))
    to = env.get("to") or (addr(env.get("to_name", "LĐLĐ quận Long Biên"), FED) if env.get("to_disp", True) else FED)
    H.append(fold("To", to))
    if env.get("cc"):
        H.append(fold("Cc", env["cc"]))
    H += mailer_headers(env["client"])
    H += env.get("extra", [])
    body = env["body"]
    raw = ("\r\n".join(H) + "\r\n").encode("utf-8") + body.bytes()
    return raw


# ---------------------------------------------------------------- the federation's own mail (quoted by replies)
ANN = {}


def _ann(key, t, subject, body):
    ANN[key] = {"time": t, "subject": subject, "body": body, "msgid": "<CAF%s@mail.gmail.com>" % rstr(44, _ALNUM + "_=-")}


_SIGN_FED = "Ban Tổ chức - LĐLĐ quận Long Biên\nĐT: 024 3872 5186 - Email: ldllongbien@gmail.com"
_ann("plan2021", hn(2021, 1, 12, 8, 15, 40),
     "V/v triển khai Kế hoạch công tác dân vận năm 2021 và chế độ báo cáo",
     "Kính gửi: Ban Chấp hành các Công đoàn cơ sở trực thuộc\n\n"
     "Thực hiện Kế hoạch số 01/KH-LĐLĐ ngày 12/01/2021 về thực hiện công tác dân vận và phong trào thi đua "
     "\"Dân vận khéo\" năm 2021, LĐLĐ quận Long Biên đề nghị các CĐCS:\n"
     "1. Đăng ký ít nhất 01 mô hình \"Dân vận khéo\" năm 2021 (theo mẫu phiếu đăng ký gửi kèm), gửi về LĐLĐ quận "
     "chậm nhất ngày 22/02/2021.\n"
     "2. Thực hiện chế độ báo cáo định kỳ:\n"
     "- Báo cáo quý I: gửi trước ngày 15/3/2021;\n"
     "- Báo cáo sơ kết 6 tháng đầu năm: gửi trước ngày 15/6/2021;\n"
     "- Báo cáo quý III (9 tháng): gửi trước ngày 15/9/2021;\n"
     "- Báo cáo tổng kết năm 2021: gửi trước ngày 15/12/2021.\n"
     "3. Các đơn vị chưa gửi báo cáo tổng kết năm 2020 đề nghị gửi bổ sung ngay.\n\n"
     "Báo cáo gửi qua thư điện tử ldllongbien@gmail.com (file Word hoặc bản scan có chữ ký, đóng dấu).\n\n"
     "Trân trọng./.\n" + _SIGN_FED)
_ann("rem2020y", hn(2020, 12, 1, 9, 2, 11),
     "Nhắc gửi báo cáo tổng kết công tác dân vận năm 2020",
     "Kính gửi: Các CĐCS trực thuộc\n\nLĐLĐ quận đề nghị các CĐCS gửi báo cáo tổng kết công tác dân vận năm 2020 "
     "trước ngày 15/12/2020. Nội dung gồm: kết quả năm 2020, đánh giá mô hình \"Dân vận khéo\" đã thực hiện và "
     "dự kiến đăng ký mô hình năm 2021.\n\nTrân trọng!\n" + _SIGN_FED)
_ann("remq1_2021", hn(2021, 3, 1, 8, 40, 5),
     "Nhắc: báo cáo công tác dân vận quý I/2021",
     "Kính gửi các đồng chí Chủ tịch CĐCS,\n\nĐề nghị các đơn vị gửi báo cáo kết quả công tác dân vận quý I/2021 "
     "trước ngày 15/3/2021. Các đơn vị chưa gửi phiếu đăng ký mô hình \"Dân vận khéo\" năm 2021 đề nghị gửi kèm.\n"
     "Lưu ý: báo cáo 6 tháng gửi trước 15/6/2021.\n\nTrân trọng!\n" + _SIGN_FED)
_ann("remh1_2021", hn(2021, 6, 1, 14, 10, 0),
     "V/v báo cáo sơ kết 6 tháng đầu năm 2021",
     "Kính gửi: Các CĐCS\n\nLĐLĐ quận đề nghị các đơn vị gửi báo cáo sơ kết 6 tháng đầu năm 2021 trước ngày "
     "15/6/2021. Một số đơn vị chưa gửi báo cáo quý I, đề nghị gửi bổ sung.\n\nTrân trọng!\n" + _SIGN_FED)
_ann("remq3_2021", hn(2021, 9, 6, 9, 0, 30),
     "Đề nghị gửi báo cáo quý III/2021",
     "Kính gửi các CĐCS,\n\nDo ảnh hưởng của dịch Covid-19, LĐLĐ quận đề nghị các đơn vị gửi báo cáo quý III "
     "(9 tháng) năm 2021 qua email trước ngày 15/9/2021, không cần gửi bản giấy.\nBáo cáo tổng kết năm gửi trước "
     "15/12/2021.\n\nTrân trọng!\n" + _SIGN_FED)
_ann("remy_2021", hn(2021, 12, 1, 8, 5, 0),
     "Hướng dẫn báo cáo tổng kết công tác dân vận năm 2021",
     "Kính gửi: Các CĐCS trực thuộc\n\nĐề nghị các đơn vị gửi báo cáo tổng kết công tác dân vận năm 2021 và "
     "phương hướng năm 2022 trước ngày 15/12/2021; trong báo cáo đánh giá kết quả mô hình \"Dân vận khéo\" đã "
     "đăng ký đầu năm.\n\nTrân trọng!\n" + _SIGN_FED)
_ann("plan2022", hn(2022, 1, 10, 8, 30, 0),
     "Triển khai công tác dân vận năm 2022",
     "Kính gửi: Ban Chấp hành các CĐCS\n\nNăm 2022 các CĐCS tiếp tục duy trì mô hình \"Dân vận khéo\" đã đăng "
     "ký và thực hiện chế độ báo cáo:\n- Quý I: trước 15/3/2022;\n- 6 tháng: trước 15/6/2022;\n"
     "- Quý III: trước 15/9/2022;\n- Tổng kết năm: trước 15/12/2022.\n\nTrân trọng./.\n" + _SIGN_FED)
_ann("remq1_2022", hn(2022, 3, 2, 10, 20, 0),
     "Nhắc gửi báo cáo quý I năm 2022",
     "Kính gửi các CĐCS,\n\nĐề nghị các đơn vị gửi báo cáo quý I/2022 trước ngày 15/3/2022.\n\nTrân trọng!\n" + _SIGN_FED)
_ann("remq3_2022", hn(2022, 9, 5, 8, 45, 0),
     "Báo cáo 9 tháng năm 2022",
     "Kính gửi các CĐCS,\n\nĐề nghị gửi báo cáo 9 tháng năm 2022 trước ngày 15/9/2022. Đơn vị nào chưa gửi báo "
     "cáo 6 tháng đề nghị gửi bổ sung.\n\nTrân trọng!\n" + _SIGN_FED)
_ann("remy_2022", hn(2022, 12, 1, 8, 0, 0),
     "Báo cáo tổng kết năm 2022",
     "Kính gửi các CĐCS,\n\nĐề nghị gửi báo cáo tổng kết công tác dân vận năm 2022 trước ngày 15/12/2022.\n\n"
     "Trân trọng!\n" + _SIGN_FED)


# ---------------------------------------------------------------- building cases
CR = random.Random(SEED + 11)     # randomness for case content
CASES = []

CONFUSABLE = {"TH04", "TH05", "TH06", "HC01", "DN22", "TH07", "TH08", "TH09", "TH10", "TH11", "TH12", "TH13", "HC04",
              "TH14", "TH15", "HC09", "TH16", "TH17", "TH18", "HC14", "TH19", "TH20", "TH21", "HC11", "DN04", "DN05",
              "TH22", "TH23", "TH24", "TH25", "HC12", "DN08", "DN09", "DN01", "DN02", "DN03", "TH29", "TH30", "HC19",
              "HC03", "TH31", "TH32", "HC06", "HC15", "DN14", "DN15", "DN23", "DN24", "TH01", "TH02", "TH03",
              "TH34", "HC02", "DN16", "TH36", "TH37", "HC07", "DN07"}


class Case:
    def __init__(self, **kw):
        self.tags = []
        self.note = ""
        self.counts = 1
        self.union = None
        self.obl = None
        self.resend_of = None
        self.evidence = set()
        self.__dict__.update(kw)
        CASES.append(self)


def uname(u, form, rng):
    """How a person names the union in a mail."""
    ab = rng.choice(u.abbrevs)
    if form == "full":
        s = rng.choice(["CĐCS ", "Công đoàn cơ sở "]) + u.full
    elif form == "abbr":
        s = ab
    else:
        s = rng.choice(["CĐCS ", "CĐ ", "Công đoàn ", "CĐCS "]) + ab
    if form == "caps":
        s = s.upper()
    elif form == "nodiac":
        s = nodiac(s)
    elif form == "nodiac-caps":
        s = nodiac(s).upper()
    return s


GENERIC_SUBJ = ["Gửi LĐLĐ", "Báo cáo", "báo cáo", "Gửi báo cáo", "V/v gửi báo cáo", "Báo cáo công tác dân vận",
                "gui bao cao", "Kính gửi LĐLĐ quận", "Gửi Ban Tổ chức LĐLĐ quận", "BC", "Công đoàn gửi báo cáo",
                "Gửi file", "V/v báo cáo theo Kế hoạch", "Gui LDLD quan Long Bien", "File báo cáo"]
GENERIC_SUBJ_DVK = ["Gửi LĐLĐ", "Gửi phiếu", "Đăng ký", "gui LDLD", "V/v đăng ký theo Kế hoạch 01", "Gửi file",
                    "Phiếu đăng ký"]


def typo(s, rng):
    subs = [("báo cáo", "bào cáo"), ("báo cáo", "báo ccáo"), ("Báo cáo", "Bao cáo"), ("tháng", "thang"),
            ("quý", "qúy"), ("năm", "nắm"), ("Báo cáo", "Báo cáo "), ("đăng ký", "đăng kí"), ("6 tháng", "6 thág")]
    rng.shuffle(subs)
    for a, b in subs:
        if a in s:
            return s.replace(a, b, 1)
    return s + "."


def make_subject(u, obl, style, rng, nm=None):
    pw = period_words(obl, rng.randrange(4))
    pw = pw[0].upper() + pw[1:]
    short = pw + ((" - " if rng.random() < 0.6 else " ") + nm if nm else "")
    if style == "formal":
        return "V/v gửi " + period_words(obl, rng.randrange(3)) + (" - " + nm if nm else "")
    if style == "short":
        return short
    if style == "caps":
        return short.upper()
    if style == "nodiac":
        return nodiac(short).lower() if rng.random() < 0.6 else nodiac(short)
    if style == "nodiac-caps":
        return nodiac(short).upper()
    if style == "typo":
        return typo(short, rng)
    if style == "generic":
        g = rng.choice(GENERIC_SUBJ_DVK if obl == "dvk-2021" else GENERIC_SUBJ)
        return g + (" - " + nm if nm else "")
    if style == "empty":
        return None
    raise ValueError(style)


TITLES = {"chair": ["Chủ tịch CĐCS", "Chủ tịch Công đoàn", "CT CĐCS", "Chủ tịch CĐ"],
          "clerk": ["Kế toán CĐ", "Ủy viên BCH CĐCS", "Phó Chủ tịch CĐCS", "Thư ký CĐ", "UV BCH - Kế toán"]}


def signature(p, role, org, rng, style=None):
    st = style if style is not None else rng.randrange(6)
    title = rng.choice(TITLES[role])
    if org and re.match(r"^(CĐ|CD|Công đoàn|Cong doan|CÔNG ĐOÀN|CONG DOAN)", org):
        title = re.sub(r" (CĐCS|CĐ|Công đoàn)$", "", title)
    if not org:
        return [p["name"] + "\nĐT: " + p["phone"], p["given"], "Trân trọng,\n" + p["name"],
                p["name"] + "\n" + p["phone"], "--\n" + p["name"] + "\n" + title + "\nĐT: " + p["phone"], p["given"]][st % 6]
    if st % 6 == 0:
        return "--\n%s\n%s %s\nĐT: %s" % (p["name"], title, org, p["phone"])
    if st % 6 == 1:
        return "Trân trọng,\n%s\n%s\n%s" % (p["name"], org, p["phone"])
    if st % 6 == 2:
        return "%s - %s - %s" % (p["given"], org, p["phone"].replace(" ", ""))
    if st % 6 == 3:
        return "%s\n%s - %s\nMobile: %s" % (p["name"].upper(), title, org, p["phone"].replace(" ", "."))
    if st % 6 == 4:
        return "Người gửi: %s (%s)\n%s" % (p["name"], title, org)
    return "--\n%s\n%s\n%s" % (p["name"], org, p["phone"])


PHONE_FOOT = {"iphone": "Gửi từ iPhone của tôi", "samsung": "Được gửi từ điện thoại Samsung Galaxy của tôi.",
              "yahoo-phone": "Sent from Yahoo Mail on Android", "android": None}


def person_disp(p, rng):
    parts = p["name"].split()
    return rng.choice([p["name"], parts[-1] + " " + parts[0], nodiac(parts[-1] + " " + parts[0]), nodiac(p["name"]),
                       " ".join(parts[-2:]), None, p["name"]])


def official_disp(u, mail, rng):
    if mail.endswith("longbien.edu.vn"):
        return rng.choice(["Trường " + u.full.split("Trường ")[-1] if "Trường" in u.full else u.core,
                           nodiac(u.core), None])
    return rng.choice([nodiac("Cong doan " + rng.choice(u.abbrevs)), "CĐCS " + u.abbrevs[0], None, u.full,
                       "Công Đoàn " + u.abbrevs[-1]])


def pick_time(obl, rng, late=False, days_before=(0, 16)):
    dl = deadline(obl)
    for _ in range(100):
        if late:
            base = dl + dt.timedelta(days=rng.randrange(0, 28))
        else:
            base = dl - dt.timedelta(days=rng.randrange(days_before[0], days_before[1]) + 1)
        if obl == "dvk-2021" and hn(2021, 2, 10) <= base < hn(2021, 2, 17):
            continue        # Tết Tân Sửu
        h = rng.choice([7, 8, 8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 15, 16, 16, 17, 20, 21, 22])
        t = base.replace(hour=h, minute=rng.randrange(60), second=rng.randrange(60))
        if (not late and t < dl) or (late and t >= dl + dt.timedelta(hours=7)):
            return t
    raise RuntimeError("time")


def filename_for(u, obl, kind, style, rng, nm=None, when=None):
    y = obl_year(obl)
    p = obl_period(obl)
    ext = {"docx": "docx", "tcvn3": "docx", "vni": "docx", "pdf": "pdf", "scan-pdf": "pdf", "scan-png": "png",
           "photo": "jpg", "xlsx": "xlsx", "xlsx-noname": "xlsx", "scan-jpg": "jpg"}[kind]
    when = when or hn(y, 3, 1)
    if style == "generic" or (style == "plain" and kind in ("photo", "scan-png", "scan-jpg", "scan-pdf") and rng.random() < 0.7):
        if kind == "photo":
            return rng.choice(["IMG_%s_%s.jpg" % (when.strftime("%Y%m%d"), when.strftime("%H%M%S")),
                               "z%d_%s.jpg" % (rng.randrange(10 ** 12, 10 ** 13), rhex(32)),
                               "IMG_%04d.JPG" % rng.randrange(1000, 9999),
                               "received_%d.jpeg" % rng.randrange(10 ** 14, 10 ** 15)]).replace(".jpeg", ".jpg")
        if kind == "scan-png":
            return rng.choice(["Scan_%s.png" % when.strftime("%Y%m%d"), "image001.png", "Screenshot_%s-%s.png" % (
                when.strftime("%Y%m%d"), when.strftime("%H%M%S"))])
        if kind == "scan-jpg":
            return "Scan%04d.jpg" % rng.randrange(1, 200)
        if kind == "scan-pdf":
            return rng.choice(["Scan%04d.pdf" % rng.randrange(1, 200), "CamScanner %s.pdf" % when.strftime("%m-%d-%Y %H.%M"),
                               "doc%08d.pdf" % rng.randrange(10 ** 7, 10 ** 8), "SCAN_%s.pdf" % when.strftime("%Y%m%d")])
        if ext == "xlsx":
            return rng.choice(["DK DVK.xlsx", "Book1.xlsx", "mau dang ky.xlsx", "Phieu DK (1).xlsx"])
        return rng.choice(["mau bao cao (da sua).%s", "Document1.%s", "New Microsoft Word Document.%s", "BC.%s",
                           "bao cao.%s", "Báo cáo.%s", "BC (1).%s", "file gui LDLD.%s"]) % ext
    if p == "dvk":
        base = rng.choice(["DK DVK", "Phieu dang ky DVK 2021", "Đăng ký mô hình DVK", "DANG KY DAN VAN KHEO 2021",
                           "dk mo hinh dvk"])
    else:
        base = {"q1": ["BC quy 1", "Báo cáo quý I năm %d" % y, "BC QUY I %d" % y, "bao cao quy 1 nam %d" % y,
                       "BC 3 thang dau nam %d" % y],
                "h1": ["BC 6 thang", "Báo cáo sơ kết 6 tháng %d" % y, "BC 6 THANG DAU NAM %d" % y,
                       "bao cao 6 thang %d" % y, "BC quy II %d" % y],
                "q3": ["BC quy 3", "Báo cáo 9 tháng năm %d" % y, "BC QUY III %d" % y, "bao cao 9 thang %d" % y],
                "y": ["BC tong ket nam %d" % y, "Báo cáo năm %d" % y, "BC NAM %d" % y, "bao cao tong ket %d" % y,
                      "BC quy IV va ca nam %d" % y]}[p]
        base = rng.choice(base)
    if style == "union" and nm:
        sep = rng.choice([" - ", "_", " "])
        base = base + sep + nm
    return base + "." + ext


def render_attachment(d, kind, when, rng, author="Admin"):
    if kind == "docx":
        return render_docx(d, None, author, when)
    if kind == "tcvn3":
        return render_docx(d, "tcvn3", author, when)
    if kind == "vni":
        return render_docx(d, "vni", author, when)
    if kind == "pdf":
        return render_pdf_text(d, when)
    if kind == "xlsx":
        return render_xlsx(d, when, True, author)
    if kind == "xlsx-noname":
        return render_xlsx(d, when, False, author)
    if kind == "scan-png":
        return scan_image(d, rng, "png")
    if kind == "scan-jpg":
        return scan_image(d, rng, "jpg")
    if kind == "scan-pdf":
        return pdf_of_image(scan_image(d, rng, "jpg"), when)
    if kind == "photo":
        return photo_image(d, rng)
    raise ValueError(kind)


def activity_photo(rng, label):
    """A small picture of an activity (not a report)."""
    img = Image.new("RGB", (480, 320), (rng.randrange(90, 200), rng.randrange(90, 200), rng.randrange(90, 200)))
    dr = ImageDraw.Draw(img)
    for _ in range(14):
        x, y = rng.randrange(480), rng.randrange(320)
        r_ = rng.randrange(10, 45)
        dr.ellipse((x - r_, y - r_, x + r_, y + r_), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    dr.rectangle((0, 270, 480, 320), fill=(200, 30, 30))
    dr.text((240, 295), label, font=font(18, bold=True), fill="white", anchor="mm")
    b = io.BytesIO()
    img.save(b, "JPEG", quality=50)
    return b.getvalue()


def main_text(u, obl, style, rng, org=None, generic=False):
    if generic:
        pw = rng.choice(["phiếu đăng ký", "file đăng ký của đơn vị", "bản đăng ký"]) if obl == "dvk-2021" else \
            rng.choice(["báo cáo", "báo cáo của đơn vị", "file báo cáo", "báo cáo theo kế hoạch", "báo cáo định kỳ"])
    else:
        pw = period_words(obl, rng.randrange(4))
    o = org or rng.choice(["đơn vị", "đơn vị em", "chúng tôi", "BCH CĐCS"])
    O = o[0].upper() + o[1:]
    st = style
    if st == "formal":
        return rng.choice([
            "Kính gửi: Liên đoàn Lao động quận Long Biên.\n\n%s trân trọng gửi %s (file đính kèm).\nĐề nghị LĐLĐ quận tổng hợp./." % (O, pw),
            "Kính gửi: LĐLĐ quận Long Biên\n\nThực hiện Kế hoạch của LĐLĐ quận, %s gửi %s. Đồng chí vui lòng nhận file đính kèm.\n\nTrân trọng!" % (o, pw),
            "Kính gửi Ban Tổ chức LĐLĐ quận Long Biên,\n\n%s xin gửi %s theo file đính kèm.\nTrân trọng cảm ơn!" % (O, pw)])
    if st == "casual":
        return rng.choice([
            "Em chào chị ạ,\nEm gửi %s của %s ạ. Chị nhận giúp em nhé.\nEm cảm ơn!" % (pw, o),
            "Chào LĐLĐ quận,\n%s gửi %s, có gì sai sót mong chị góp ý ạ." % (O, pw),
            "Dạ em chào chị Thu,\nEm gửi chị %s ạ. Em cảm ơn chị!" % pw + ("" if not org else "\n(%s)" % org),
            "Chị Thu ơi, em gửi %s của %s nhé chị." % (pw, o)])
    if st == "short":
        return rng.choice(["Em gửi %s ạ." % pw, "Gửi chị %s" % pw, "%s gửi %s." % (O, pw), "em gửi %s ạ" % pw])
    if st == "nodiac":
        return nodiac(rng.choice(["Kinh gui LDLD quan Long Bien,\n%s gui %s. Em cam on a." % (O, pw),
                                  "Em chao chi, em gui %s cua %s a." % (pw, o),
                                  "Gui LDLD quan %s cua %s." % (pw, o)]))
    if st == "none":
        return ""
    raise ValueError(st)


def resend_text(obl, kind, rng, prev_when):
    pw = period_words(obl, rng.randrange(3))
    d = prev_when.astimezone(HN)
    return {
        "gui-lai": rng.choice(["Em gửi lại %s (bản đã sửa số liệu) ạ. Chị dùng bản này giúp em." % pw,
                               "Đơn vị gửi lại %s do file gửi ngày %d/%d bị lỗi font." % (pw, d.day, d.month)]),
        "bo-sung": "Đơn vị gửi bổ sung bản scan có chữ ký, đóng dấu của %s đã gửi ngày %d/%d/%d." % (pw, d.day, d.month, d.year),
        "ban-word": "Đơn vị gửi bổ sung bản Word của %s (hôm %d/%d đã gửi ảnh chụp từ điện thoại)." % (pw, d.day, d.month),
        "dinh-chinh": "Đính chính: %s gửi ngày %d/%d có nhầm số liệu đoàn viên, đề nghị LĐLĐ quận thay bằng bản này." % (pw, d.day, d.month),
    }[kind]


def fmt_from(disp, mail):
    return ("%s <%s>" % (disp, mail)) if disp else "<%s>" % mail


def forwarded_block(style, orig):
    """orig: dict(from_disp, from_mail, time, subject, to, body)."""
    t = orig["time"]
    if style == "gmail-vi":
        hdr = ["---------- Forwarded message ---------", "Từ: " + fmt_from(orig["from_disp"], orig["from_mail"]),
               "Date: " + gmail_quote_line(t, "").replace("Vào ", "").replace("  đã viết:", "").replace(" đã viết:", ""),
               "Subject: " + (orig["subject"] or ""), "To: " + orig.get("to", "<%s>" % FED)]
    elif style == "gmail-vi2":
        hdr = ["---------- Thư đã chuyển tiếp ----------", "Từ: " + fmt_from(orig["from_disp"], orig["from_mail"]),
               "Ngày: " + gmail_quote_line(t, "").replace("Vào ", "").replace("  đã viết:", "").replace(" đã viết:", ""),
               "Chủ đề: " + (orig["subject"] or ""), "Tới: " + orig.get("to", "<%s>" % FED)]
    elif style == "gmail-en":
        tt = t.astimezone(HN)
        hdr = ["---------- Forwarded message ---------", "From: " + fmt_from(orig["from_disp"], orig["from_mail"]),
               "Date: %s, %s %d, %d at %d:%02d %s" % (WD_EN[tt.weekday()], MON_EN[tt.month - 1], tt.day, tt.year,
                                                     (tt.hour % 12) or 12, tt.minute, "AM" if tt.hour < 12 else "PM"),
               "Subject: " + (orig["subject"] or ""), "To: " + orig.get("to", "<%s>" % FED)]
    elif style == "outlook-vi":
        hdr = ["________________________________", "Từ: " + fmt_from(orig["from_disp"], orig["from_mail"]),
               "Đã gửi: " + outlook_sent_vi(t), "Đến: " + orig.get("to", FED), "Chủ đề: " + (orig["subject"] or "")]
    elif style == "outlook-en":
        hdr = ["-----Original Message-----", "From: " + fmt_from(orig["from_disp"], orig["from_mail"]),
               "Sent: " + outlook_sent_en(t), "To: " + orig.get("to", FED), "Subject: " + (orig["subject"] or "")]
    else:
        raise ValueError(style)
    return "\n".join(hdr) + "\n\n" + orig["body"]


def reply_block(style, prev):
    """prev: dict(from_disp, from_mail, time, subject, body, to)."""
    if style == "gmail":
        return gmail_quote_line(prev["time"], fmt_from(prev["from_disp"], prev["from_mail"])) + "\n" + quote(prev["body"])
    if style == "gmail-en":
        return gmail_quote_line_en(prev["time"], fmt_from(prev["from_disp"], prev["from_mail"])) + "\n" + quote(prev["body"])
    if style == "outlook-vi":
        return forwarded_block("outlook-vi", prev)
    if style == "outlook-en":
        return forwarded_block("outlook-en", prev)
    if style == "iphone":
        t = prev["time"].astimezone(HN)
        return "Vào %d thg %d, %d, lúc %02d:%02d, %s đã viết:\n\n" % (t.day, t.month, t.year, t.hour, t.minute,
                                                                     fmt_from(prev["from_disp"], prev["from_mail"])) + quote(prev["body"])
    raise ValueError(style)


def ann_as_prev(key):
    a = ANN[key]
    return {"from_disp": "LĐLĐ Long Biên", "from_mail": FED, "time": a["time"], "subject": a["subject"],
            "body": a["body"], "msgid": a["msgid"], "to": "LĐLĐ Long Biên <%s>" % FED}


def case_as_prev(c):
    return {"from_disp": c.env.get("from_disp"), "from_mail": c.env["from_mail"], "time": c.env["date"],
            "subject": c.env.get("subject"), "body": c.body_text_own, "msgid": c.env["msgid"], "to": FED}


def _norm(s):
    s = nodiac(s).lower()
    s = re.sub(r"[^a-z0-9&]+", " ", s)
    return " " + " ".join(s.split()) + " "


def union_forms(u):
    f = set(u.abbrevs) | {u.full, u.core}
    if u.kind == "ubnd":
        f |= {"phường " + u.place, "P. " + u.place}
    if u.kind in SCHOOL_SHORT:
        f |= {SCHOOL_SHORT[u.kind] + " " + u.place, SCHOOL_FULL[u.kind] + " " + u.place}
    return sorted({_norm(x) for x in f}, key=len, reverse=True)


def names_union(text, u):
    t = _norm(text)
    return any(f in t for f in union_forms(u))


def report(code, obl, **o):
    """One report submission. Keyword options (all optional):
    when / late / days_before  arrival instant
    sender: 'off' | 'off2' | 'chair' | 'clerk' | dict(disp, mail, person, role)
    phone: bool      client: force a client
    subj: style or ('raw', text);  subj_name: bool (name the union in the subject)
    body: style or ('raw', text);  body_name: bool
    sig_org: bool (signature names the union);  sig_style
    nform: form of the union's name in the mail ('full','cd','abbr','caps','nodiac','nodiac-caps')
    att: attachment kind or None; fname: 'union'|'plain'|'generic'|('raw', name); fname_style
    title_style, lh, doc_time, date (Date header), date_str, extra_atts, cc, cte, html
    reply: dict(prev=..., style=..., prefix=...) ; resend: (case, kind)
    tags, note"""
    rng = CR
    u = UBY[code]
    when = o.get("when") or pick_time(obl, rng, o.get("late", False), o.get("days_before", (0, 16)))
    # sender
    snd = o.get("sender", "off")
    phone = o.get("phone", False)
    if isinstance(snd, dict):
        mail, person, role = snd["mail"], snd.get("person"), snd.get("role", "clerk")
        disp = snd.get("disp")
        official = mail in u.emails
    elif snd in ("off", "off2"):
        mail = u.emails[0 if snd == "off" else 1]
        person, role = (u.chair, "chair") if rng.random() < 0.5 else (u.clerk, "clerk")
        disp = o["disp"] if "disp" in o else official_disp(u, mail, rng)
        official = True
    else:
        person, role = (u.chair, "chair") if snd == "chair" else (u.clerk, "clerk")
        mail = u.chair_mail if snd == "chair" else u.clerk_mail
        disp = o["disp"] if "disp" in o else person_disp(person, rng)
        official = False
    client = o.get("client") or client_for(mail, phone)
    nform = o.get("nform") or rng.choice(["cd", "cd", "abbr", "full", "caps", "nodiac"])
    # who names the union where
    if official:
        defaults = dict(subj_name=rng.random() < 0.5, body_name=rng.random() < 0.4, sig_org=rng.random() < 0.6)
    else:
        pick = rng.choice(["sig", "subj", "file", "body", "sig+subj", "letterhead", "sig+file", "subj+file"])
        defaults = dict(subj_name="subj" in pick, body_name="body" in pick, sig_org="sig" in pick,
                        fname="union" if "file" in pick else None)
    subj_name = o.get("subj_name", defaults["subj_name"])
    body_name = o.get("body_name", defaults["body_name"])
    sig_org = o.get("sig_org", defaults["sig_org"])
    fname_style = o.get("fname") or defaults.get("fname") or rng.choice(["plain", "plain", "generic"])
    c = Case(union=code, obl=obl)
    c.tags = list(o.get("tags", []))
    c.note = o.get("note", "")
    c.official = official
    ev = c.evidence
    if official:
        ev.add("address")
    # the document
    att = o.get("att", "docx")
    doc_time = o.get("doc_time") or (when - dt.timedelta(days=rng.choice([0, 0, 0, 1, 1, 2, 3]), hours=rng.randrange(0, 5)))
    short = att in ("photo", "scan-png", "scan-jpg", "scan-pdf")
    d = make_report(u, obl, rng, doc_time, o.get("title_style"), o.get("lh"), short=short) if att else None
    c.doc = d
    atts = []
    if att and att != "inline":
        nm_file = uname(u, o.get("fname_nform") or rng.choice(["abbr", "nodiac", "abbr", "nodiac-caps"]), rng) \
            if fname_style == "union" else None
        if isinstance(fname_style, tuple):
            fn = fname_style[1]
        else:
            fn = filename_for(u, obl, att, fname_style, rng, nm_file, when)
        if o.get("fname_enc") == "tcvn3":
            fn = to_tcvn3(fn)
        elif o.get("fname_enc") == "vni":
            fn = to_vni(fn)
        blob = render_attachment(d, att, doc_time, rng, author=o.get("author", rng.choice(
            ["Admin", "HP", "Windows User", "Ke toan", "User", "Microsoft Office User", "DELL"])))
        atts.append((fn, blob, o["att_style"]) if o.get("att_style") else (fn, blob))
        c.fname = fn
        c.fname_style = fname_style
        if att != "xlsx-noname":
            ev.add("letterhead")
    for extra in o.get("extra_atts", []):
        atts.append(extra)
    # subject
    nm_subj = uname(u, o.get("subj_nform") or nform, rng) if subj_name else None
    subj = o.get("subj", "short")
    if isinstance(subj, tuple):
        subject = subj[1]
    else:
        subject = make_subject(u, obl, subj, rng, nm_subj)
    # body
    org_body = uname(u, o.get("body_nform") or ("nodiac" if o.get("body") == "nodiac" else nform), rng) if body_name else None
    body = o.get("body", "formal" if official else rng.choice(["casual", "short", "casual", "formal"]))
    if isinstance(body, tuple):
        main = body[1]
    else:
        main = main_text(u, obl, body, rng, org_body, generic=o.get("generic_body", False))
    if o.get("resend"):
        prev, kind = o["resend"]
        c.resend_of = prev
        if kind != "raw":
            main = resend_text(obl, kind, rng, prev.arrival) + ("\n\n" + main if o.get("resend_keep_main") else "")
    if att == "inline":
        main = main + "\n\n" + "\n".join([d.title[0] + " " + d.title[1]] + d.paras[1:5]) if d else main
        if body_name or sig_org:
            pass
    org_sig = uname(u, o.get("sig_nform") or rng.choice(["cd", "abbr", "full", nform]), rng) if sig_org else None
    sig = o["sig_raw"] if "sig_raw" in o else signature(person, role, org_sig, rng, o.get("sig_style"))
    parts = [p for p in (main, sig) if p]
    foot = PHONE_FOOT.get(client) if phone else None
    if client == "iphone" and not phone:
        foot = "Gửi từ iPhone của tôi"
    own = "\n\n".join(parts)
    text = own + ("\n\n" + foot if foot else "")
    # reply / forward context
    env = {}
    if o.get("reply"):
        rp = o["reply"]
        prev = rp["prev"]
        pref = rp.get("prefix", "Re: ")
        if rp.get("keep_subject", True) and prev.get("subject") is not None:
            base = re.sub(r"^(Re|RE|TL|Fwd|FW): ", "", prev["subject"])
            subject = pref + base
        text = text + "\n\n" + reply_block(rp.get("style", "gmail"), prev)
        env["in_reply_to"] = prev["msgid"]
        env["references"] = prev["msgid"]
        c.tags.append("reply")
    c.body_text_own = own
    c.atts = atts
    c.subj_style = subj if isinstance(subj, str) else "raw"
    c.body_style = body if isinstance(body, str) else "raw"
    c.generic_body = o.get("generic_body", False)
    c.nform = nform
    c.arrival = when
    date = o.get("date") or (when - dt.timedelta(seconds=rng.randrange(2, 40)))
    cte = o.get("cte")
    env.update({"arrival": when, "from_disp": disp, "from_mail": mail, "subject": subject, "date": date,
                "date_str": o.get("date_str"), "msgid": message_id(client, mail, date), "client": client,
                "subject_style": o.get("subject_style", "q" if client in ("outlook", "zimbra") else "b"),
                "cc": o.get("cc"), "to": o.get("to")})
    env["body"] = o.get("body_part") or body_structure(client, text, atts, html=o.get("html", client not in (
        "iphone", "thunderbird", "samsung")), cte=cte, charset=o.get("charset"), html_only=o.get("html_only", False))
    if client.startswith("yahoo"):
        env["date_tz"] = UTC
    env.update(o.get("env", {}))
    c.env = env
    c.text = text
    c.subject = subject
    c.client = client
    c.att = att
    c.phone = phone
    c.nm = {"subj": nm_subj, "body": org_body, "sig": org_sig}
    c.sender_kind = o.get("sender_kind") or ("official" if official else ("phone" if phone else "personal"))
    for where, txt in (("subject", subject), ("body", main), ("signature", sig), ("file", getattr(c, "fname", None))):
        if txt and names_union(txt, u):
            ev.add(where)
    c.sig = sig
    c.main = main
    if not ev:
        raise RuntimeError("no evidence of union for %s %s" % (code, obl))
    return c


def bare_message(env):
    """The message as the sender's client stored it (for message/rfc822 forwards and bounces)."""
    H = ["MIME-Version: 1.0", "From: " + addr(env.get("from_disp"), env["from_mail"]),
         "Date: " + (env.get("date_str") or rfc_date(env["date"])), "Message-ID: " + env["msgid"]]
    if env.get("subject") is not None:
        H.append("Subject: " + hdr_text(env["subject"]))
    H.append("To: " + (env.get("to") or addr("LĐLĐ quận Long Biên", FED)))
    return ("\r\n".join(H) + "\r\n").encode("utf-8") + env["body"].bytes()


def forward(orig, when, by, note_text, style="gmail-vi", prefix="Fwd: ", tags=(), note="", as_rfc822=False,
            client=None, date=None, orig_to=None, subject=None):
    """Re-send orig (a report Case built only for this) as a forward by `by` = dict(disp, mail, person, role, org)."""
    CASES.remove(orig)
    c = Case(union=orig.union, obl=orig.obl)
    c.tags = list(tags)
    c.note = note
    c.evidence = set(orig.evidence) - {"address"}
    c.official = by["mail"] in UBY[orig.union].emails
    if c.official:
        c.evidence.add("address")
    client = client or client_for(by["mail"])
    sig = by["sig_raw"] if "sig_raw" in by else signature(by["person"], by.get("role", "chair"), by.get("org"), CR, by.get("sig_style"))
    od = {"from_disp": orig.env.get("from_disp"), "from_mail": orig.env["from_mail"], "time": orig.env["date"],
          "subject": orig.env.get("subject"), "body": orig.text, "to": orig_to or "<%s>" % FED}
    own = "\n\n".join(x for x in (note_text, sig) if x)
    if as_rfc822:
        text = own
    else:
        text = own + "\n\n" + forwarded_block(style, od)
    subj = subject or (prefix + (orig.env.get("subject") or ""))
    date = date or (when - dt.timedelta(seconds=CR.randrange(2, 30)))
    env = {"arrival": when, "from_disp": by.get("disp"), "from_mail": by["mail"], "subject": subj, "date": date,
           "msgid": message_id(client, by["mail"], date), "client": client,
           "subject_style": "q" if client in ("outlook", "zimbra") else "b"}
    if as_rfc822:
        oenv = dict(orig.env)
        if orig_to:
            oenv["to"] = orig_to
        inner = bare_message(oenv)
        env["body"] = multipart("mixed", [text_part(text, cte="base64"), rfc822_part(inner)], boundary_for(client))
    else:
        env["body"] = body_structure(client, text, orig.atts, html=client not in ("iphone", "thunderbird"))
    c.env = env
    c.text = text
    c.subject = subj
    c.client = client
    c.att = orig.att
    c.atts = orig.atts
    c.fname = getattr(orig, "fname", None)
    c.fname_style = getattr(orig, "fname_style", None)
    c.doc = orig.doc
    c.arrival = when
    c.body_text_own = own
    c.phone = False
    c.sender_kind = "forward"
    c.nm = orig.nm
    c.subj_style = "raw"
    c.body_style = "raw"
    c.generic_body = False
    c.nform = orig.nform
    c.orig = orig
    c.tags.append("forward")
    return c


def noise(kind, when, mail, disp, subject, text, *, client=None, union=None, atts=(), extra=(), tags=(), note="",
          reply_to_ann=None, date=None, body_part=None, spoof=None, msgid=None, to=None, reply_to=None):
    client = client or client_for(mail)
    c = Case(union=union, obl=None, counts=0)
    c.tags = ["noise-" + kind] + list(tags)
    c.note = note
    date = date or (when - dt.timedelta(seconds=CR.randrange(1, 30)))
    env = {"arrival": when, "from_disp": disp, "from_mail": mail, "subject": subject, "date": date,
           "msgid": msgid or message_id(client, mail, date), "client": client, "extra": list(extra), "spoof": spoof,
           "subject_style": "q" if client in ("outlook", "zimbra") else "b", "to": to, "reply_to": reply_to}
    if spoof:
        env["envelope"] = spoof["envelope"]
    if reply_to_ann:
        a = ANN[reply_to_ann]
        env["in_reply_to"] = a["msgid"]
        env["references"] = a["msgid"]
    env["body"] = body_part or body_structure(client, text, list(atts), html=client not in ("iphone", "thunderbird"))
    c.env = env
    c.text = text
    c.subject = subject
    c.client = client
    c.arrival = when
    c.atts = list(atts)
    c.sender_kind = "noise"
    c.att = None
    return c


# ---------------------------------------------------------------- the hand-made cases
def P(code, who="chair"):
    u = UBY[code]
    p = u.chair if who == "chair" else u.clerk
    return {"mail": u.chair_mail if who == "chair" else u.clerk_mail, "person": p, "role": who,
            "disp": person_disp(p, CR)}


def specials():
    S = {}
    # ---------------- dvk-2021
    S["dvk_ngt"] = report("TH09", "dvk-2021", when=hn(2021, 1, 25, 9, 12, 3), sender="off", att="xlsx", fname="plain",
                          subj="short", subj_name=True, body="formal", note="official address, xlsx registration table")
    report("TH08", "dvk-2021", when=hn(2021, 2, 22, 23, 57, 40), sender=P("TH08"), phone=True, client="iphone",
           subj="empty", body="none", sig_raw="", att="photo", fname="generic", subj_name=False, body_name=False, sig_org=False,
           tags=["boundary", "letterhead-only", "no-subject"],
           note="iPhone, no subject, no text; only the photographed letterhead names TH Ái Mộ B (not A); 2 min before the DVK deadline")
    report("HC01", "dvk-2021", when=hn(2021, 2, 23, 0, 2, 15), date=hn(2021, 2, 22, 23, 59, 2), sender="off", att="docx",
           subj="formal", subj_name=True, tags=["boundary", "date-mismatch"],
           note="Date header 22/02 23:59 but Gmail received it 23/02 00:02 Hanoi: late by arrival")
    report("DN09", "dvk-2021", when=hn(2021, 2, 3, 10, 41, 9), sender=P("DN09", "clerk"), att="xlsx-noname",
           fname=("raw", "DK DVK - Cty CP Gach op lat Thach Ban.xlsx"), subj=("raw", "Gửi phiếu"), body=("raw", "Em gửi phiếu đăng ký ạ."),
           subj_name=False, body_name=False, sig_org=False, tags=["file-name-only"],
           note="personal address, sheet has no union name: only the file name says Gạch ốp lát Thạch Bàn (not Điện tử Thạch Bàn)")
    report("HC14", "dvk-2021", when=hn(2021, 2, 5, 15, 20, 44), sender="off", att="inline",
           subj=("raw", "ĐĂNG KÝ MÔ HÌNH DÂN VẬN KHÉO NĂM 2021 - CĐCS UBND PHƯỜNG VIỆT HƯNG"), body="formal", body_name=True,
           tags=["inline", "subj-caps"], note="registration typed in the body, no attachment")
    report("TH01", "dvk-2021", when=hn(2021, 2, 1, 8, 30, 10), sender="off", att="docx", subj="short", subj_name=False,
           note="school domain (Zimbra), quoted-printable")
    report("TH03", "dvk-2021", when=hn(2021, 2, 19, 21, 14, 2), sender=P("TH03"), att="docx", subj="nodiac", subj_name=True,
           subj_nform="abbr", body="casual", sig_org=True, sig_nform="abbr", tags=["confusable"],
           note="MN Hoa Sen (not Hoa Sữa) from a personal address, subject without diacritics")
    report("DN02", "dvk-2021", when=hn(2021, 2, 8, 14, 2, 50), sender=P("DN02"), att="docx",
           subj=("raw", "Đăng ký DVK - Cty TNHH MTV Thời trang Đức Giang"), body="formal", sig_org=True,
           tags=["parent-letterhead", "name-subject"],
           note="letterhead top line is the parent CÔNG TY CP MAY ĐỨC GIANG; the union is the subsidiary (line 2, subject)")
    report("TH05", "dvk-2021", when=hn(2021, 1, 29, 16, 5, 31), sender="off", att="docx", body="formal",
           reply={"prev": ann_as_prev("plan2021"), "style": "gmail"}, tags=["quoted-other"],
           note="reply to the federation's plan mail, whose quote lists all reports; attachment is the DVK registration")
    report("TH06", "dvk-2021", when=hn(2021, 2, 18, 10, 10, 10), sender=P("TH06", "clerk"), att="scan-pdf", fname="generic",
           subj="generic", subj_name=False, body="short", generic_body=True, sig_org=True, sig_nform="abbr",
           tags=["title-only", "confusable"], note="generic subject and file name; scan PDF title says DVK; signature says THCS Bồ Đề")
    report("HC19", "dvk-2021", when=hn(2021, 2, 9, 11, 0, 5), sender="off2", att="docx", subj="formal", subj_name=True,
           note="second registered address (hospital domain, Outlook, Q-encoded subject)")
    shared = {"mail": "ketoan.saidong@gmail.com", "person": make_person(random.Random(5), True), "role": "clerk"}
    shared["disp"] = "Ke toan " + nodiac(shared["person"]["given"])
    S["dvk_dn05"] = report("DN05", "dvk-2021", when=hn(2021, 2, 4, 9, 45, 0), sender=shared, att="xlsx",
                           subj="short", subj_name=True, subj_nform="abbr", body="casual", body_name=False, sig_org=True,
                           tags=["shared-sender", "confusable"], note="an accountant's address used for two Sài Đồng companies; this one is Cty TNHH Dịch vụ Sài Đồng")
    report("DN04", "dvk-2021", when=hn(2021, 2, 4, 9, 52, 30), sender=shared, att="xlsx",
           subj="short", subj_name=True, subj_nform="abbr", body="casual", sig_org=True,
           tags=["shared-sender", "confusable"], note="same personal address 7 min later, this time for Cty CP XD và PT Sài Đồng")
    report("TH20", "dvk-2021", when=hn(2021, 2, 20, 9, 31, 0), sender=P("TH20"), att="vni", subj=("raw", "Dang ky DVK THCS Sai Dong"),
           body="short", sig_org=False, tags=["legacy-vni", "confusable"], note="VNI-Times encoded docx")
    report("TH30", "dvk-2021", when=hn(2021, 3, 2, 8, 5, 12), sender=P("TH30"), att="docx", body="casual", body_name=True,
           reply={"prev": ann_as_prev("remq1_2021"), "style": "gmail"}, tags=["quoted-other", "subj-misleading"],
           note="reply to the Q1 reminder, but the attachment and text are the (late) DVK registration")
    S["dvk_ngt_resend"] = report("TH09", "dvk-2021", when=hn(2021, 2, 24, 14, 3, 0), sender="off", att="xlsx",
                                 subj=("raw", "Gửi lại phiếu đăng ký DVK - THCS Ngô Gia Tự"), resend=(S["dvk_ngt"], "gui-lai"),
                                 tags=["resend"], note="resend after the deadline; the first version (25/01) was on time")

    report("HC13", "dvk-2021", when=hn(2021, 2, 2, 14, 25, 0), sender="off", att="xlsx", fname=("raw", "DK DVK.xlsx"),
           subj=("raw", "Gửi LĐLĐ"), body="formal", generic_body=True, tags=["title-only"],
           note="generic subject and text; the spreadsheet's title says it is the DVK registration")

    # ---------------- report-2020-y
    report("HC09", "report-2020-y", when=hn(2020, 12, 9, 10, 20, 0), sender=P("HC09"), att="docx", title_style=1,
           subj=("raw", "BC quý IV/2020 - CĐ UBND P. Phúc Đồng"), tags=["quarter-iv"], note="'quý IV' means the annual report")
    report("TH17", "report-2020-y", when=hn(2020, 12, 10, 16, 45, 0), sender="off", att="tcvn3",
           subj=("raw", "bao cao tong ket nam 2020"), tags=["legacy-tcvn3"], note="TCVN3 (.VnTime/.VnTimeH) docx")
    S["dn11_2020"] = report("DN11", "report-2020-y", when=hn(2021, 1, 8, 9, 5, 0), sender=P("DN11"), att="docx",
                            subj=("raw", "Báo cáo tổng kết năm"), body="casual", sig_org=True, fname="plain",
                            tags=["year-from-document"], note="subject has no year; document is the 2020 annual report; late (January)")
    report("TH22", "report-2020-y", when=hn(2020, 12, 7, 14, 0, 0), sender="off", att="docx", body="formal",
           reply={"prev": ann_as_prev("rem2020y"), "style": "gmail"}, tags=["quoted-other"],
           note="reply to the reminder, which mentions the 2021 DVK registration")
    report("HC20", "report-2020-y", when=hn(2020, 12, 16, 8, 12, 0), sender="off", att="pdf", subj="formal", subj_name=True,
           note="one day late")
    report("TH32", "report-2020-y", when=hn(2020, 12, 14, 23, 50, 30), sender=P("TH32"), phone=True, client="android",
           att="docx", subj="short", body="short", sig_org=True, tags=["boundary"], note="Received stamp is 14 Dec 08:50 PST = 23:50 Hanoi: on time")
    report("TH12", "report-2020-y", when=hn(2020, 12, 15, 0, 20, 0), sender="off", att="docx", subj="short",
           tags=["boundary"], note="Received stamp shows Mon 14 Dec 09:20 PST, that is 15/12 00:20 Hanoi: late")
    report("DN14", "report-2020-y", when=hn(2021, 1, 13, 10, 2, 0), sender="off", att="docx", body="formal", body_name=True,
           reply={"prev": ann_as_prev("plan2021"), "style": "gmail"}, tags=["quoted-other"],
           note="reply to the 2021 plan (which lists DVK and all 2021 reports) carrying the overdue 2020 annual report")
    report("HC04", "report-2020-y", when=hn(2020, 12, 11, 15, 30, 0), sender=P("HC04", "clerk"), att="scan-pdf", fname="generic",
           subj="generic", subj_name=True, body="short", generic_body=True, tags=["title-only"])
    report("DN11", "report-2020-y", when=hn(2021, 1, 11, 14, 15, 0), sender=P("DN11"), att="scan-pdf", fname="generic",
           subj=("raw", "Bổ sung bản scan BC năm 2020"), resend=(S["dn11_2020"], "bo-sung"), sig_org=True,
           tags=["resend"], note="signed scan of the report first sent 08/01 (late), so still late")

    # ---------------- report-2021-q1
    S["q1_pd"] = report("TH15", "report-2021-q1", when=hn(2021, 3, 14, 23, 58, 30), sender="off", att="docx",
                        subj=("raw", "BC quý I/2021 - CĐCS THCS Phúc Đồng"), body="formal", tags=["boundary"],
                        note="Received stamp 14 Mar 09:58 PDT (US DST began that day) = 23:58 Hanoi: on time")
    S["q1_gb"] = report("HC05", "report-2021-q1", when=hn(2021, 3, 15, 0, 1, 30), date=hn(2021, 3, 14, 23, 59, 50),
                        sender="off", att="docx", subj="short", subj_name=True, tags=["boundary", "date-mismatch"],
                        note="Received 'Sun, 14 Mar 2021 10:01:30 -0700' = 15/03 00:01 Hanoi: late; Date header says 23:59")
    S["q1_gt"] = report("TH11", "report-2021-q1", when=hn(2021, 3, 9, 20, 40, 0), sender=P("TH11"), att="docx",
                        subj=("raw", "bao cao quy 1 thcs gia thuy"), body="nodiac", body_name=False, sig_org=False,
                        tags=["confusable", "subj-nodiac"], note="THCS Gia Thụy (not TH / MN Gia Thụy) from a personal address")
    report("DN06", "report-2021-q1", when=hn(2021, 3, 11, 9, 0, 0), sender="off", att="docx", fname="generic",
           subj=("raw", "Gửi LĐLĐ"), body="formal", generic_body=True, tags=["title-only"])
    report("HC06", "report-2021-q1", when=hn(2021, 3, 12, 10, 30, 0), sender=P("HC06", "clerk"), att="docx", subj="short",
           subj_name=False, body="casual", sig_org=True, sig_nform="full", tags=["confusable"],
           note="UBND phường Long Biên (the ward), not the district UBND office")
    report("HC15", "report-2021-q1", when=hn(2021, 3, 10, 14, 0, 0), sender="off", att="pdf", subj="formal", subj_name=True,
           tags=["confusable"])
    S["q1_am"] = report("TH07", "report-2021-q1", when=hn(2021, 3, 8, 7, 50, 0), sender=P("TH07"), phone=True, client="iphone", att="photo",
           fname="generic", subj="empty", body=("raw", "Em gửi bc ạ"), subj_name=False, sig_org=False, sig_raw="",
           tags=["letterhead-only", "no-subject", "confusable"], note="photo only; letterhead says TH Ái Mộ A")
    report("TH07", "report-2021-q1", when=hn(2021, 3, 16, 10, 5, 0), sender="off", att="docx",
           subj=("raw", "Bổ sung BC quý I - TH Ái Mộ A (bản Word)"), resend=(S["q1_am"], "ban-word"),
           tags=["resend", "resend-other-address", "confusable"],
           note="Word version from the registered address of the report photographed on 08/03 from a phone: on time by the first")
    report("DN13", "report-2021-q1", when=hn(2021, 4, 2, 9, 15, 0), sender=P("DN13", "clerk"), att="docx", subj="short",
           subj_name=True, note="late (April)")
    report("TH36", "report-2021-q1", when=hn(2021, 3, 16, 8, 3, 0), date=hn(2021, 3, 12, 16, 40, 0), sender="off", att="docx",
           doc_time=hn(2021, 3, 12, 15, 0), subj="formal", tags=["date-mismatch", "docdate-before"],
           note="Date header and document date 12/03, but it reached Gmail 16/03: late")
    report("HC05", "report-2021-q1", when=hn(2021, 3, 16, 9, 20, 0), sender="off", att="docx",
           subj=("raw", "Gửi lại BC quý I - UBND phường Giang Biên"), resend=(S["q1_gb"], "gui-lai"), tags=["resend"],
           note="resend of the version that arrived 00:01 on 15/03, so late")
    report("TH11", "report-2021-q1", when=hn(2021, 3, 17, 10, 0, 0), sender=P("TH11"), att="scan-pdf", fname="generic",
           subj=("raw", "bo sung ban scan bc quy 1"), resend=(S["q1_gt"], "bo-sung"), sig_org=True, sig_nform="nodiac",
           tags=["resend"], note="signed scan of the 09/03 report: counts, on time by the first version")
    report("DN20", "report-2021-q1", when=hn(2021, 3, 5, 9, 40, 0), sender="off", client="outlook", att="docx", subj="formal",
           body="formal", body_name=True, cte="quoted-printable",
           charset="windows-1258", tags=["cp1258"], note="text in windows-1258 with combining tone marks")
    report("TH28", "report-2021-q1", when=hn(2021, 3, 13, 21, 5, 0), sender=P("TH28", "clerk"), phone=True, client="samsung",
           att="scan-png", subj=("raw", "BC QUY I THPT LY THUONG KIET"), body="short", sig_org=False,
           tags=["subj-nodiac-caps"])

    # ---------------- report-2021-h1
    report("TH15", "report-2021-h1", when=hn(2021, 6, 10, 15, 20, 0), sender="off", att="docx",
           body=("raw", "Em gửi tiếp báo cáo sơ kết 6 tháng đầu năm 2021 của đơn vị ạ."),
           reply={"prev": case_as_prev(S["q1_pd"]), "style": "gmail"}, tags=["quoted-other", "subj-misleading"],
           note="'Re:' of the Q1 thread; text and document are the 6-month report")
    report("TH19", "report-2021-h1", when=hn(2021, 6, 15, 7, 45, 0), date=hn(2021, 6, 14, 16, 30, 0), sender="off", att="docx",
           doc_time=hn(2021, 6, 14, 9, 0), subj="formal", tags=["date-mismatch", "docdate-before"],
           note="written and dated 14/06 but received 15/06 07:45: late")
    report("HC10", "report-2021-h1", when=hn(2021, 6, 8, 10, 0, 0), sender="off2", att="docx", title_style=2,
           subj=("raw", "Báo cáo quý II năm 2021"), body="formal", body_name=True, tags=["quarter-ii"],
           note="'quý II' = 6-month report; second registered address")
    report("TH08", "report-2021-h1", when=hn(2021, 6, 11, 20, 30, 0), sender=P("TH08", "clerk"), att="docx",
           subj=("raw", "BC 6 thang - TH Ai Mo B"), body="short", tags=["confusable", "subj-nodiac"])
    report("DN15", "report-2021-h1", when=hn(2021, 6, 9, 9, 9, 0), sender=P("DN15"), att="pdf", subj="short", body="casual",
           sig_org=True, sig_nform="abbr", tags=["parent-letterhead", "confusable"],
           note="letterhead top line is the parent company; the union is Xí nghiệp Môi trường số 2")
    report("HC23", "report-2021-h1", when=hn(2021, 6, 7, 14, 0, 0), sender="off", att="vni", fname=("raw", "Báo cáo 6 tháng.docx"),
           fname_enc="vni", subj="formal", tags=["legacy-vni", "legacy-filename"], note="VNI document, file name in VNI too")
    report("HC24", "report-2021-h1", when=hn(2021, 6, 11, 9, 30, 0), sender="off", client="thunderbird", att="pdf",
           subj="short", tags=["8bit"])
    report("HC16", "report-2021-h1", when=hn(2021, 6, 14, 23, 59, 10), sender="off", att="docx", subj="short",
           tags=["boundary"], note="23:59 Hanoi on 14/06: on time")
    report("DN18", "report-2021-h1", when=hn(2021, 7, 7, 10, 0, 0), sender="off", att="docx",
           subj=("raw", "BÁO CÁO 6 THÁNG ĐẦU NĂM 2021"), tags=["subj-caps"], note="late (July)")
    report("TH33", "report-2021-h1", when=hn(2021, 6, 4, 13, 10, 0), sender=P("TH33"), client="yahoo", att="docx",
           subj="short", subj_name=True, body="casual", html_only=True, tags=["html-only"],
           note="Yahoo, body only as text/html")
    report("DN12", "report-2021-h1", when=hn(2021, 6, 3, 8, 50, 0), sender="off", att="docx", body="formal",
           reply={"prev": ann_as_prev("remh1_2021"), "style": "gmail"}, tags=["quoted-other"],
           note="reply to the 6-month reminder, whose quote also mentions the Q1 report")

    report("TH18", "report-2021-h1", when=hn(2021, 6, 12, 9, 40, 0), sender=P("TH18", "clerk"), att="tcvn3",
           fname=("raw", "Báo cáo 6 tháng.docx"), fname_enc="tcvn3", att_style="legacy1252", subj=("raw", "BC MN Viet Hung"),
           body="short", generic_body=True, sig_org=True, sig_nform="abbr",
           tags=["legacy-tcvn3", "legacy-filename"], note="TCVN3 document and a TCVN3 file name sent as a windows-1252 encoded word")

    # ---------------- report-2021-q3
    report("HC11", "report-2021-q3", when=hn(2021, 9, 10, 9, 0, 0), sender="off", att="docx", body="formal",
           reply={"prev": ann_as_prev("remq3_2021"), "style": "gmail"}, tags=["quoted-other"],
           note="reply to the Q3 reminder, which also mentions the annual report")
    mover = {"mail": "dohoa.gv1986@gmail.com", "person": {"name": "Đỗ Thị Hoa", "given": "Hoa", "phone": "0983 114 726",
                                                           "female": True, "fam": "Đỗ"}, "role": "chair", "disp": "Đỗ Hoa"}
    report("TH14", "report-2021-q3", when=hn(2021, 9, 8, 16, 40, 0), sender=mover, att="docx", subj="short", subj_name=True,
           subj_nform="abbr", body="casual", sig_org=True, tags=["sender-moved"],
           note="this personal address reports for TH Phúc Đồng in 2021 and for TH Việt Hưng in 2022")
    report("HC03", "report-2021-q3", when=hn(2021, 9, 13, 10, 0, 0), sender=P("HC03"), att="docx",
           subj=("raw", "BAO CAO QUY III CD UBND P DUC GIANG"), body="short", sig_org=False, tags=["subj-nodiac-caps", "abbrev"])
    report("DN16", "report-2021-q3", when=hn(2021, 9, 9, 11, 11, 0), sender="off", att="docx",
           fname=("raw", "Báo cáo quý III.docx"), fname_enc="tcvn3", att_style="legacy1252", subj="generic",
           generic_body=True, body="formal",
           tags=["legacy-filename"], note="file name in TCVN3 (windows-1252 encoded word); docx in Unicode")
    report("TH25", "report-2021-q3", when=hn(2021, 9, 10, 10, 5, 0), sender=P("TH25"), att="docx", subj="short", subj_name=True,
           tags=["confusable"], note="THPT Thạch Bàn")
    report("TH22", "report-2021-q3", when=hn(2021, 9, 13, 15, 0, 0), sender="off", att="pdf", subj="short",
           tags=["confusable"], note="THCS Thạch Bàn")
    report("HC13", "report-2021-q3", when=hn(2021, 9, 20, 9, 0, 0), sender=P("HC13", "clerk"), att="docx", subj="formal",
           subj_name=True, subj_nform="abbr", note="late")
    report("TH10", "report-2021-q3", when=hn(2021, 9, 12, 19, 30, 0), sender=P("TH10"), phone=True, client="iphone",
           att="photo", subj=("raw", "BC quý 3 - TH Ngô Gia Tự"), body="short", sig_org=False,
           tags=["confusable"], note="TH (primary) Ngô Gia Tự, not THCS Ngô Gia Tự")

    # ---------------- report-2021-y
    S["y21_cva"] = report("TH26", "report-2021-y", when=hn(2021, 12, 14, 23, 59, 0), sender="off", att="docx", subj="short",
                          tags=["boundary"], note="Received 'Tue, 14 Dec 2021 08:59:00 -0800 (PST)': on time")
    report("TH26", "report-2021-y", when=hn(2021, 12, 15, 8, 5, 0), sender="off", att="scan-pdf", fname="generic",
           subj=("raw", "Gửi lại BC năm 2021 (bản có chữ ký)"), resend=(S["y21_cva"], "bo-sung"), tags=["resend"],
           note="signed scan next morning; the first version arrived 23:59 on 14/12, so on time")
    S["y21_ck"] = report("HC02", "report-2021-y", when=hn(2021, 12, 10, 9, 30, 0), sender="off", att="docx", title_style=1,
                         subj=("raw", "Báo cáo quý IV năm 2021"), tags=["quarter-iv"])
    report("HC02", "report-2021-y", when=hn(2021, 12, 20, 10, 0, 0), sender="off", att="docx", title_style=1,
           subj=("raw", "Đính chính báo cáo quý IV năm 2021"), resend=(S["y21_ck"], "dinh-chinh"), tags=["resend"],
           note="correction after the deadline; first version on time")
    hs = report("TH03", "report-2021-y", when=hn(2021, 12, 6, 20, 0, 0), sender=P("TH03"), att="docx",
                subj="short", subj_name=True, subj_nform="abbr", body="casual", sig_org=True, to=STAFF["mail"])
    forward(hs, hn(2021, 12, 7, 8, 15, 0), {"mail": STAFF["mail"], "disp": STAFF["name"],
                                             "person": {"name": STAFF["name"], "given": "Thu", "phone": STAFF["phone"]},
                                             "sig_raw": "--\n%s\n%s\nĐT: %s" % (STAFF["name"], STAFF["title"], STAFF["phone"])},
            "Chuyển hộp thư chung: báo cáo năm của MN Hoa Sen gửi nhầm vào mail cá nhân của chị.", style="gmail-vi",
            orig_to="Nguyễn Thị Thu <%s>" % STAFF["mail"], tags=["forward-by-staff", "confusable"],
            note="federation staff forwards MN Hoa Sen's report that reached her personal address: credit MN Hoa Sen")
    fw = report("DN03", "report-2021-y", when=hn(2021, 12, 8, 14, 0, 0), sender="off", att="docx", subj="short",
                subj_name=True, to="ldldlongbien@gmail.com")
    forward(fw, hn(2021, 12, 9, 8, 30, 0), {"mail": UBY["DN03"].emails[0], "disp": "CĐCS Cty CP ĐT&TM Đức Giang",
                                             "person": UBY["DN03"].chair, "role": "chair", "org": "Cty CP ĐT&TM Đức Giang"},
            "Gửi lại LĐLĐ quận, hôm qua đơn vị gõ nhầm địa chỉ email.", style="outlook-en", prefix="FW: ", client="outlook",
            orig_to="ldldlongbien@gmail.com", tags=["forward-own"],
            note="the union forwards its own mail that first went to a mistyped address (never reached the inbox)")
    f2 = report("HC21", "report-2021-y", when=hn(2021, 12, 3, 9, 0, 0), sender=P("HC21", "clerk"), att="docx",
                subj="short", subj_name=True, to=UBY["HC21"].emails[0])
    forward(f2, hn(2021, 12, 3, 10, 20, 0), {"mail": UBY["HC21"].emails[0], "disp": "BQLDA quan Long Bien",
                                              "person": UBY["HC21"].chair, "role": "chair", "org": "BQLDA quận Long Biên"},
            "Kính gửi LĐLĐ quận,\nBan QLDA gửi báo cáo năm 2021 (thư của đồng chí kế toán đính kèm).", as_rfc822=True,
            tags=["forward-rfc822"], note="the original mail travels as a message/rfc822 attachment")
    report("TH37", "report-2021-y", when=hn(2022, 1, 6, 9, 0, 0), sender=P("TH37"), att="docx", subj="short",
           subj_name=True, body="casual", tags=["year-boundary"], note="annual report of 2021 sent in January 2022: late")

    # ---------------- report-2022-q1
    S["q1_22_tb"] = report("HC12", "report-2022-q1", when=hn(2022, 3, 9, 10, 0, 0), sender="off", att="docx",
                           subj=("raw", "BC quý I/2022 - CĐCS phường Thạch Bàn"))
    report("TH05", "report-2022-q1", when=hn(2022, 3, 10, 9, 20, 0), sender={"mail": UBY["TH06"].emails[0],
                                                                            "person": UBY["TH06"].clerk, "role": "clerk",
                                                                            "disp": "Truong THCS Bo De"},
           att="docx", subj=("raw", "Gửi hộ BC quý I/2022 trường TH Bồ Đề"),
           body=("raw", "Kính gửi LĐLĐ quận,\nEm gửi hộ báo cáo quý I/2022 của CĐCS Trường Tiểu học Bồ Đề do hộp thư "
                        "của trường TH đang bị lỗi."), sig_org=False,
           sender_kind="other-union", tags=["on-behalf", "confusable"], note="sent from THCS Bồ Đề's registered address on behalf of TH Bồ Đề: credit TH Bồ Đề")
    report("TH16", "report-2022-q1", when=hn(2022, 3, 11, 16, 0, 0), sender=mover, att="docx", subj="short",
           subj_name=True, subj_nform="abbr", body="casual", sig_org=True, tags=["sender-moved"],
           note="same personal address that sent TH Phúc Đồng's report in 2021; now signs for TH Việt Hưng")
    report("TH31", "report-2022-q1", when=hn(2022, 3, 15, 0, 0, 40), sender="off", att="docx", subj="short",
           tags=["boundary"], note="Received 'Mon, 14 Mar 2022 10:00:40 -0700 (PDT)' = 15/03 00:00:40 Hanoi: late")
    report("DN07", "report-2022-q1", when=hn(2022, 3, 7, 8, 0, 0), sender="off", att="docx", body="formal",
           reply={"prev": ann_as_prev("remq1_2022"), "style": "gmail"}, tags=["quoted-other"])
    report("HC08", "report-2022-q1", when=hn(2022, 4, 5, 19, 0, 0), sender=P("HC08"), phone=True, client="iphone", att="photo",
           subj=("raw", "Bc quy 1 UBND P. Ngọc Thụy"), body="short", tags=["abbrev"], note="late (April), photo from a phone")
    p21 = P("DN21", "clerk")
    S["q1_22_dn21"] = report("DN21", "report-2022-q1", when=hn(2022, 3, 4, 10, 0, 0), sender=p21, att="pdf",
                             subj="nodiac-caps", subj_name=True, sig_org=True, tags=["subj-nodiac-caps"])
    report("DN21", "report-2022-q1", when=hn(2022, 3, 4, 15, 20, 0), sender=p21, att="docx",
           body=("raw", "File PDF sáng nay bị lỗi không mở được, em gửi lại bản Word ạ."), sig_org=False,
           reply={"prev": case_as_prev(S["q1_22_dn21"]), "style": "gmail"}, resend=(S["q1_22_dn21"], "raw"),
           tags=["resend"], note="reply to its own morning mail with the same report as Word")

    report("DN18", "report-2022-q1", when=hn(2022, 3, 8, 10, 30, 0), sender="off", att="tcvn3", subj="nodiac",
           subj_name=True, tags=["legacy-tcvn3"])

    # ---------------- report-2022-h1
    sub = report("DN02", "report-2022-h1", when=hn(2022, 6, 8, 15, 0, 0), sender=P("DN02", "clerk"), att="docx",
                 subj="short", subj_name=True, to=UBY["DN01"].emails[1],
                 body=("raw", "Em gửi báo cáo 6 tháng năm 2022 của công đoàn Cty Thời trang, nhờ anh chị chuyển "
                              "LĐLĐ quận giúp em ạ."))
    forward(sub, hn(2022, 6, 9, 8, 40, 0), {"mail": UBY["DN01"].emails[1], "disp": "Cong doan May Duc Giang",
                                             "person": UBY["DN01"].chair, "role": "chair", "org": "Cty CP May Đức Giang"},
            "Kính gửi LĐLĐ quận,\nCông đoàn Công ty CP May Đức Giang chuyển báo cáo 6 tháng năm 2022 của CĐCS Công ty "
            "TNHH MTV Thời trang Đức Giang (đơn vị thành viên, chưa có email đăng ký).", style="outlook-vi",
            prefix="FW: ", client="outlook", orig_to="cd@mayducgiang.com.vn",
            tags=["forward-other-union", "confusable"], note="parent company forwards its subsidiary's report: credit DN02")
    report("TH13", "report-2022-h1", when=hn(2022, 7, 4, 9, 0, 0), sender="off", att="docx", subj="short",
           tags=["confusable"], note="late (July)")
    report("HC12", "report-2022-h1", when=hn(2022, 6, 13, 9, 30, 0), sender="off", att="docx",
           body=("raw", "Đơn vị gửi báo cáo 6 tháng đầu năm 2022."), reply={"prev": case_as_prev(S["q1_22_tb"]), "style": "gmail"},
           tags=["quoted-other", "subj-misleading"], note="reply in the Q1/2022 thread carrying the 6-month report")
    report("HC22", "report-2022-h1", when=hn(2022, 6, 10, 14, 0, 0), sender=P("HC22", "clerk"), att="tcvn3",
           fname=("raw", "BC 6 tháng 2022.docx"), fname_enc="tcvn3", subj="generic", body="short", generic_body=True,
           sig_org=True, tags=["legacy-tcvn3", "legacy-filename", "title-only"])
    report("TH39", "report-2022-h1", when=hn(2022, 6, 6, 10, 0, 0), sender="off", att="docx", title_style=2,
           subj=("raw", "báo cáo quý II/2022"), tags=["quarter-ii"])

    report("HC20", "report-2022-h1", when=hn(2022, 6, 9, 15, 10, 0), sender="off", att="vni", subj="generic",
           generic_body=True, body="formal", tags=["legacy-vni", "title-only"],
           note="generic subject and text; the VNI-encoded document title says 6 tháng")

    # ---------------- report-2022-q3
    report("HC17", "report-2022-q3", when=hn(2022, 9, 8, 9, 0, 0), sender="off", att="docx", body="formal",
           reply={"prev": ann_as_prev("remq3_2022"), "style": "gmail"}, tags=["quoted-other"])
    report("TH21", "report-2022-q3", when=hn(2022, 9, 13, 21, 0, 0), date=hn(2022, 9, 16, 21, 0, 5), sender=P("TH21"),
           phone=True, client="iphone", att="photo", subj="short", subj_name=True, body="short",
           tags=["date-mismatch"], note="phone clock wrong: Date header 16/09, Gmail received 13/09: on time")
    report("DN10", "report-2022-q3", when=hn(2022, 9, 12, 10, 0, 0), sender=P("DN10"), att="vni", subj="short",
           subj_name=True, tags=["legacy-vni"])
    report("DN23", "report-2022-q3", when=hn(2022, 9, 15, 0, 3, 0), sender="off", att="docx", subj="short",
           tags=["boundary", "confusable"], note="Received 'Wed, 14 Sep 2022 10:03:00 -0700 (PDT)': late")
    report("DN24", "report-2022-q3", when=hn(2022, 9, 9, 15, 0, 0), sender=P("DN24"), att="docx", subj="short",
           subj_name=False, body="casual", sig_org=True, sig_nform="abbr", tags=["confusable"],
           note="Long Biên Xanh (TNHH), not Cty CP TMDV Long Biên")

    # ---------------- report-2022-y
    S["y22_bh"] = report("HC25", "report-2022-y", when=hn(2022, 12, 9, 9, 0, 0), sender="off", att="docx", title_style=1,
                         subj=("raw", "BC quý IV năm 2022 - BHXH Long Biên"), tags=["quarter-iv"])
    report("HC25", "report-2022-y", when=hn(2022, 12, 19, 9, 0, 0), sender="off", att="scan-pdf", title_style=1,
           subj=("raw", "Gửi lại BC quý IV năm 2022 (bản có dấu)"), resend=(S["y22_bh"], "gui-lai"), tags=["resend"],
           note="resend after the deadline, first on time")
    report("TH04", "report-2022-y", when=hn(2022, 12, 12, 10, 0, 0), sender="off", att="scan-pdf",
           fname=("raw", "Scan0012.pdf"), subj=("raw", "Gửi LĐLĐ"), body="formal", generic_body=True, tags=["title-only"])
    report("DN12", "report-2022-y", when=hn(2023, 1, 5, 9, 0, 0), sender="off", att="docx", subj="short",
           tags=["year-boundary"], note="annual report of 2022 sent in January 2023: late")
    report("HC18", "report-2022-y", when=hn(2022, 12, 14, 23, 58, 0), sender="off", att="pdf", subj="short",
           tags=["boundary"], note="Received 'Wed, 14 Dec 2022 08:58:00 -0800 (PST)': on time")
    report("DN11", "report-2022-y", when=hn(2022, 12, 7, 9, 0, 0), sender=P("DN11", "clerk"), att="docx",
           subj=("raw", "BAO CAO TONG KET NAM 2022 CDCS CTY CP DUOC PHAM LONG BIEN"), tags=["subj-nodiac-caps"])
    return S


def blank_template():
    d = Doc()
    d.left = ["LĐLĐ QUẬN LONG BIÊN", "CĐCS ......................"]
    d.so = "Số: ..../ĐK-CĐCS"
    d.date_line = "Long Biên, ngày ..... tháng ..... năm 2021"
    d.title = ["PHIẾU ĐĂNG KÝ", "Mô hình \"Dân vận khéo\" năm 2021 (MẪU)"]
    d.paras = ["1. Tên mô hình: ..........................................", "2. Lĩnh vực: ..........................",
               "3. Người phụ trách: ...................................", "4. Thời gian thực hiện: ........................"]
    d.table = None
    d.sign_title = ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH"]
    d.signer = "(ký, ghi rõ họ tên, đóng dấu)"
    d.noi_nhan = ["Nơi nhận:", "- LĐLĐ quận (b/c);", "- Lưu."]
    return d


def bounce_part(orig_bytes, rcpt, when, reason):
    b1 = "000000000000" + rhex(16)
    txt = ("** Địa chỉ không tìm thấy **\n\nKhông gửi được thư của bạn đến %s vì không tìm thấy địa chỉ hoặc địa chỉ "
           "không thể nhận thư.\n\nPhản hồi từ máy chủ từ xa là:\n%s\n" % (rcpt, reason))
    ds = ("Reporting-MTA: dns; googlemail.com\r\nArrival-Date: %s\r\n\r\nFinal-Recipient: rfc822; %s\r\n"
          "Action: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; %s\r\nLast-Attempt-Date: %s\r\n" % (
              pt_stamp(when - dt.timedelta(seconds=3)), rcpt, reason, pt_stamp(when)))
    alt = multipart("alternative", [text_part(txt, cte="quoted-printable"),
                                    text_part(html_of(txt), "html", "quoted-printable")], "000000000000" + rhex(16))
    parts = [alt, Part(["Content-Type: message/delivery-status"], ds.encode()), rfc822_part(orig_bytes)]
    p = multipart("report", parts, b1)
    p.headers = ['Content-Type: multipart/report; boundary="%s"; report-type=delivery-status' % b1]
    return p


def noise_cases(S):
    N = []
    # the federation's own announcement arriving in its own inbox (To: itself, unions in Bcc)
    a = ANN["plan2021"]
    tpl = render_docx(blank_template(), None, "LDLD Long Bien", a["time"])
    N.append(noise("own", a["time"] + dt.timedelta(seconds=4), FED, "LĐLĐ Long Biên", a["subject"], a["body"],
                   atts=[("Phieu dang ky DVK 2021 (mau).docx", tpl)], msgid=a["msgid"],
                   note="the federation's own plan mail (to itself, unions in Bcc) with the blank DVK form"))
    a = ANN["plan2022"]
    N.append(noise("own", a["time"] + dt.timedelta(seconds=3), FED, "LĐLĐ Long Biên", a["subject"], a["body"],
                   msgid=a["msgid"], note="the federation's 2022 plan mail, lists every report"))
    # own copy: staff archive-forwarding a union's report to the shared inbox
    src = [c for c in CASES if c.union == "TH22" and c.obl == "report-2021-q3"][0]
    body = ("Lưu hồ sơ quý III.\n\n" + forwarded_block("gmail-vi", {"from_disp": src.env.get("from_disp"),
                                                                     "from_mail": src.env["from_mail"],
                                                                     "time": src.env["date"], "subject": src.subject,
                                                                     "body": src.text}))
    N.append(noise("own", hn(2021, 9, 16, 8, 2, 0), FED, "LĐLĐ Long Biên", "Fwd: " + (src.subject or ""), body,
                   atts=src.atts, union="TH22", to=FED,
                   note="the federation forwards a report it already received to itself for filing: a copy, not a submission"))
    # auto-replies
    N.append(noise("autoreply", hn(2021, 1, 12, 8, 16, 30), UBY["TH26"].emails[0], "CĐCS THCS Chu Văn An",
                   "Trả lời tự động: " + ANN["plan2021"]["subject"],
                   "Cảm ơn thầy/cô đã gửi thư. Tôi đang đi công tác đến hết ngày 20/01/2021, sẽ phản hồi sau.\n"
                   "Trân trọng!", union="TH26", reply_to_ann="plan2021",
                   extra=["Auto-Submitted: auto-replied", "X-Autoreply: yes", "Precedence: auto_reply"],
                   note="vacation auto-reply to the plan mail"))
    N.append(noise("autoreply", hn(2021, 3, 1, 8, 41, 0), UBY["DN01"].emails[1], "Cong doan May Duc Giang",
                   "Automatic reply: " + ANN["remq1_2021"]["subject"],
                   "Tôi sẽ vắng mặt đến ngày 08/3/2021. Mọi việc về báo cáo quý I xin liên hệ đồng chí Phó Chủ tịch "
                   "công đoàn.\nI am out of office until 08/03/2021.", union="DN01", client="outlook",
                   reply_to_ann="remq1_2021",
                   extra=["Auto-Submitted: auto-generated", "X-Auto-Response-Suppress: All",
                          "X-MS-Exchange-Inbox-Rules-Loop: cd@mayducgiang.com.vn"],
                   note="Outlook out-of-office reply mentioning the Q1 report"))
    N.append(noise("autoreply", hn(2022, 12, 1, 8, 0, 50), UBY["TH31"].emails[0], "Truong TH Long Bien",
                   "Re: " + ANN["remy_2022"]["subject"],
                   "Đây là thư trả lời tự động. Nhà trường đã nhận được thư và sẽ gửi báo cáo tổng kết năm 2022 "
                   "đúng hạn.", union="TH31", client="zimbra", reply_to_ann="remy_2022",
                   extra=["Auto-Submitted: auto-replied (vacation)", "X-Zimbra-Auto-Reply: yes"],
                   note="auto-reply whose subject and text name the annual report"))
    # bounces of the federation's own outgoing mail
    inner = {"from_disp": "LĐLĐ Long Biên", "from_mail": FED, "date": hn(2021, 3, 16, 9, 0, 0),
             "msgid": "<CAF%s@mail.gmail.com>" % rstr(40), "subject": "Re: Báo cáo quý I năm 2021 - THCS Gia Thụy",
             "to": "thcsgiathuy@longbien.edu.vn"}
    inner["body"] = text_part("Đã nhận báo cáo quý I của đơn vị. Cảm ơn đồng chí!\n\n" + gmail_quote_line(
        hn(2021, 3, 9, 20, 40), "thcsgiathuy@longbien.edu.vn") + "\n> Em gửi báo cáo quý I năm 2021 ạ.")
    N.append(noise("bounce", hn(2021, 3, 16, 9, 0, 8), "mailer-daemon@googlemail.com", "Mail Delivery Subsystem",
                   "Delivery Status Notification (Failure)", "",
                   body_part=bounce_part(bare_message(inner), "thcsgiathuy@longbien.edu.vn", hn(2021, 3, 16, 9, 0, 8),
                                         "550 5.1.1 <thcsgiathuy@longbien.edu.vn>: Recipient address rejected: User unknown"),
                   extra=["Auto-Submitted: auto-replied"], note="bounce of the federation's reply; the returned text names a Q1 report"))
    inner2 = {"from_disp": "LĐLĐ Long Biên", "from_mail": FED, "date": ANN["plan2022"]["time"], "msgid": ANN["plan2022"]["msgid"],
              "subject": ANN["plan2022"]["subject"], "to": "nhuathuongthanh.cd@gmail.com"}
    inner2["body"] = text_part(ANN["plan2022"]["body"])
    N.append(noise("bounce", hn(2022, 1, 10, 8, 30, 20), "mailer-daemon@googlemail.com", "Mail Delivery Subsystem",
                   "Delivery Status Notification (Failure)", "",
                   body_part=bounce_part(bare_message(inner2), "nhuathuongthanh.cd@gmail.com", hn(2022, 1, 10, 8, 30, 20),
                                         "550 5.2.1 The email account that you tried to reach is disabled."),
                   extra=["Auto-Submitted: auto-replied"], note="bounce from a dissolved union's address"))
    # newsletters / lists
    lst = ["List-Id: Ban tin Cong doan Thu do <bantin-ldldhn.googlegroups.com>",
           "List-Unsubscribe: <mailto:bantin-ldldhn+unsubscribe@googlegroups.com>", "Precedence: list",
           "Mailing-list: list bantin-ldldhn@googlegroups.com; contact bantin-ldldhn+owners@googlegroups.com"]
    for when, subj, txt in [
        (hn(2021, 6, 18, 7, 0, 0), "Bản tin Công đoàn Thủ đô số 12/2021: Sơ kết 6 tháng phong trào \"Dân vận khéo\"",
         "BẢN TIN CÔNG ĐOÀN THỦ ĐÔ - SỐ 12/2021\n\n- LĐLĐ thành phố sơ kết 6 tháng đầu năm 2021 phong trào thi đua "
         "\"Dân vận khéo\": 1.245 mô hình được đăng ký.\n- Hướng dẫn các LĐLĐ quận, huyện tổng hợp báo cáo quý III.\n\n"
         "Bạn nhận được thư này vì đã đăng ký nhận bản tin."),
        (hn(2021, 12, 20, 7, 0, 0), "Bản tin số 24/2021 - Tổng kết năm 2021",
         "BẢN TIN CÔNG ĐOÀN THỦ ĐÔ - SỐ 24/2021\n\nTổng kết công tác công đoàn năm 2021; biểu dương 50 mô hình "
         "\"Dân vận khéo\" tiêu biểu; kế hoạch báo cáo quý I năm 2022.\n\nHủy đăng ký: gửi thư tới địa chỉ unsubscribe."),
        (hn(2022, 3, 21, 7, 0, 0), "[Bản tin LĐLĐ Hà Nội] Báo cáo quý I/2022 của các cấp công đoàn",
         "Thông tin nhanh: LĐLĐ thành phố đề nghị các LĐLĐ quận, huyện gửi báo cáo quý I/2022 trước 25/3/2022.\n\n"
         "Bạn nhận được thư này vì là thành viên nhóm bantin-ldldhn.")]:
        N.append(noise("list", when, "bantin-ldldhn@googlegroups.com", "Công đoàn Thủ đô", subj, txt, extra=lst,
                       reply_to="bantin@congdoanhanoi.org.vn", note="newsletter of LĐLĐ Hà Nội via a list"))
    # spam
    N.append(noise("spam", hn(2021, 4, 7, 3, 12, 0), "hotro.vaynhanh24h@gmail.com", "Vay Nhanh 24h",
                   "Vay tín chấp lãi suất 0% - duyệt trong 15 phút", "Chỉ cần CMND, giải ngân trong ngày. Liên hệ Zalo 0899xxx.",
                   note="loan spam"))
    zipb = io.BytesIO()
    with zipfile.ZipFile(zipb, "w") as z:
        zi = zipfile.ZipInfo("Bao_cao_quy_I.pdf.exe", date_time=(2021, 3, 10, 1, 0, 0))
        z.writestr(zi, b"MZ" + bytes(200))
    N.append(noise("spam", hn(2021, 3, 10, 2, 40, 0), "accounts@global-trade-invoices.com", "Accounting Dept",
                   "Báo cáo quý I", "Dear customer,\nPlease find attached the quarterly report and invoice. Open the "
                   "attachment to view.\n\nRegards", atts=[("Bao_cao_quy_I.zip", zipb.getvalue())],
                   note="malware spam with a report-like subject from an unknown sender"))
    N.append(noise("spam", hn(2022, 5, 20, 11, 0, 0), "khoahoc@kynangvanphong.vn", "Kỹ Năng Văn Phòng",
                   "Khóa học: Viết báo cáo tổng kết năm chuẩn Nghị định 30",
                   "Ưu đãi 50% khóa học soạn thảo văn bản hành chính, báo cáo 6 tháng, báo cáo năm.\nĐăng ký ngay!",
                   note="course advertisement naming reports"))
    # questions from unions
    N.append(noise("question", hn(2021, 6, 2, 9, 15, 0), UBY["TH15"].emails[0], "Cong doan THCS Phuc Dong",
                   "Hỏi mẫu báo cáo 6 tháng",
                   "Chị ơi cho em hỏi mẫu báo cáo 6 tháng năm 2021 có thay đổi gì so với báo cáo quý I không ạ? "
                   "Hạn nộp là 15/6 phải không chị?\nEm cảm ơn.", union="TH15", note="question, no report"))
    u = UBY["DN12"]
    N.append(noise("question", hn(2021, 9, 13, 16, 0, 0), u.clerk_mail, person_disp(u.clerk, CR), "BAO CAO QUY 3",
                   "Chị ơi, đơn vị em chưa tổng hợp xong số liệu quý III, cho em xin gia hạn đến 20/9 được không ạ?\n\n"
                   + signature(u.clerk, "clerk", "Cty CP Thực phẩm Phúc Lợi", CR, 0), union="DN12",
                   note="subject says the Q3 report but it asks for an extension; nothing attached"))
    u = UBY["HC22"]
    N.append(noise("question", hn(2021, 2, 2, 10, 0, 0), u.chair_mail, person_disp(u.chair, CR), "xin mau dang ky DVK",
                   "Chào chị, Ban QL chợ chưa nhận được mẫu phiếu đăng ký mô hình Dân vận khéo, chị gửi lại giúp em "
                   "với ạ.\n\n" + signature(u.chair, "chair", "Ban QL chợ quận", CR, 1), union="HC22",
                   note="asks for the DVK form"))
    # unknown organisations
    for core, when, obl, subj, left, to_note in [
        ("Trường THCS Đặng Xá", hn(2021, 3, 11, 9, 0, 0), "report-2021-q1", "Báo cáo quý I - THCS Đặng Xá",
         ["LĐLĐ HUYỆN GIA LÂM", "CĐCS TRƯỜNG THCS ĐẶNG XÁ"], "a school union of Gia Lâm district (sent to the wrong federation)"),
        ("Công ty TNHH TM Hưng Thịnh", hn(2021, 6, 9, 14, 0, 0), "report-2021-h1", "Bao cao 6 thang Cty TNHH TM Hung Thinh",
         ["LĐLĐ QUẬN LONG BIÊN", "CĐCS CÔNG TY TNHH TM HƯNG THỊNH"], "a company that is not in the directory"),
        ("UBND phường Hoàng Văn Thụ", hn(2021, 12, 10, 10, 0, 0), "report-2021-y", "V/v gửi báo cáo năm 2021",
         ["LĐLĐ QUẬN HOÀNG MAI", "CĐCS UBND PHƯỜNG HOÀNG VĂN THỤ"], "ward union of Hoàng Mai district")]:
        fake = Union("X", "hcsn", "hc", core, "")
        fake.chair = make_person(CR)
        d = make_report(fake, obl, CR, when - dt.timedelta(days=1))
        d.left = left
        other = "huyện Gia Lâm" if "GIA LÂM" in left[0] else "quận Hoàng Mai" if "HOÀNG MAI" in left[0] else "quận Long Biên"
        d.paras[0] = d.paras[0].replace("quận Long Biên", other)
        d.noi_nhan[1] = "- LĐLĐ %s (b/c);" % other
        p = fake.chair
        mail = personal_address(CR, p)
        txt = "Kính gửi: LĐLĐ %s\n\nĐơn vị gửi báo cáo (file đính kèm).\n\n" % other + signature(p, "chair", "CĐCS " + core, CR, 0)
        N.append(noise("unknown-org", when, mail, person_disp(p, CR), subj, txt,
                       atts=[(nodiac(subj).replace("/", "-") + ".docx", render_docx(d, None, "Admin", when))],
                       note=to_note))
    # spoofed
    N.append(noise("spoofed", hn(2021, 9, 14, 2, 10, 0), UBY["TH09"].emails[0], "CĐCS THCS Ngô Gia Tự",
                   "Báo cáo quý III - vui lòng xem trực tuyến",
                   "Kính gửi LĐLĐ,\nBáo cáo quý III đã được tải lên hệ thống. Vui lòng đăng nhập để xem: "
                   "http://docs-viewer-online.top/login?u=ldllongbien\n\nTrân trọng",
                   spoof={"envelope": "mailer@docs-viewer-online.top", "host": "vps46.hostingvn.top", "ip": "45.119.82.17"},
                   reply_to="baocao.online.2021@proton.me", client="gmail",
                   note="forged From of THCS Ngô Gia Tự: SPF softfail/DMARC fail, foreign server, credential-phishing link, no report"))
    N.append(noise("spoofed", hn(2022, 6, 12, 1, 30, 0), FED, "LĐLĐ Long Biên", "Cảnh báo: hộp thư sắp đầy",
                   "Hộp thư ldllongbien@gmail.com đã dùng 99% dung lượng. Xác minh tại http://gmail-verify-account.xyz "
                   "để không mất báo cáo 6 tháng của các đơn vị.",
                   spoof={"envelope": "no-reply@gmail-verify-account.xyz", "host": "mx1.gmail-verify-account.xyz",
                          "ip": "185.234.219.40"}, client="gmail", note="forged From of the federation itself, phishing"))
    # a registration for 2022 (no such obligation)
    u = UBY["TH27"]
    d = make_report(u, "dvk-2021", CR, hn(2022, 1, 20, 9, 0))
    d.title = ["PHIẾU ĐĂNG KÝ", "Mô hình \"Dân vận khéo\" năm 2022"]
    d.paras = [x.replace("năm 2021", "năm 2022").replace("/2021", "/2022").replace("tháng 3/2021", "tháng 3/2022")
               for x in d.paras]
    d.paras[0] = d.paras[0].replace("01/KH-LĐLĐ ngày 12/01/2021", "03/KH-LĐLĐ ngày 10/01/2022")
    d.table[1][4] = "03-11/2022"
    N.append(noise("other-year", hn(2022, 1, 20, 9, 30, 0), u.emails[0], "Cong doan THPT Nguyen Gia Thieu",
                   "Đăng ký mô hình Dân vận khéo năm 2022",
                   "Kính gửi LĐLĐ quận,\nCĐCS Trường THPT Nguyễn Gia Thiều gửi phiếu đăng ký mô hình \"Dân vận khéo\" "
                   "năm 2022.\n\nTrân trọng!", union="TH27",
                   atts=[("DK DVK 2022.docx", render_docx(d, None, "Admin", hn(2022, 1, 20, 9, 0)))],
                   note="a DVK registration for 2022: no obligation asks for it; must not be taken as dvk-2021"))
    # a union's acknowledgement of a reminder
    u = UBY["HC13"]
    prev = ann_as_prev("remy_2021")
    N.append(noise("ack", hn(2021, 12, 1, 9, 10, 0), u.emails[0], "CD phuong Thuong Thanh", "Re: " + prev["subject"],
                   "Dạ, đơn vị đã nhận được hướng dẫn, sẽ gửi báo cáo đúng hạn ạ.\n\n" + reply_block("gmail", prev),
                   union="HC13", reply_to_ann="remy_2021", note="acknowledgement quoting the reminder, nothing attached"))
    # a mail that forgot its attachment, and the real one 25 minutes later
    u = UBY["TH24"]
    pm = P("TH24", "clerk")
    miss = noise("missing-attachment", hn(2021, 9, 11, 20, 5, 0), pm["mail"], pm["disp"], "BC quý III - TH Thạch Bàn B",
                 "Em gửi báo cáo quý III ạ.\n\n" + signature(u.clerk, "clerk", "TH Thạch Bàn B", CR, 2), union="TH24",
                 note="says it sends the Q3 report but nothing is attached (the next mail carries it)")
    N.append(miss)
    report("TH24", "report-2021-q3", when=hn(2021, 9, 11, 20, 31, 0), sender=pm, att="docx",
           subj=("raw", "Re: BC quý III - TH Thạch Bàn B"), body=("raw", "Em quên đính kèm file, em gửi lại ạ."),
           sig_org=True, sig_nform="abbr", tags=["after-empty", "confusable"],
           note="the first real submission (the previous mail had no attachment)")
    return N


# ---------------------------------------------------------------- the rest, drawn at random (seeded)
TARGETS = {"dvk-2021": 21, "report-2020-y": 10, "report-2021-q1": 19, "report-2021-h1": 17, "report-2021-q3": 15,
           "report-2021-y": 15, "report-2022-q1": 12, "report-2022-h1": 12, "report-2022-q3": 12, "report-2022-y": 12}
REMINDER = {"report-2021-q1": "remq1_2021", "report-2021-h1": "remh1_2021", "report-2021-q3": "remq3_2021",
            "report-2021-y": "remy_2021", "report-2022-q1": "remq1_2022", "report-2022-q3": "remq3_2022",
            "report-2022-y": "remy_2022", "report-2020-y": "rem2020y", "dvk-2021": "plan2021"}


def wchoice(rng, pairs):
    tot = sum(w for _, w in pairs)
    x = rng.random() * tot
    for v, w in pairs:
        x -= w
        if x < 0:
            return v
    return pairs[-1][0]


def random_cases():
    rng = CR
    used = collections.Counter(c.union for c in CASES if c.union)
    have = collections.Counter(c.obl for c in CASES if c.counts == 1)
    done = {(c.union, c.obl) for c in CASES if c.counts == 1}
    for obl in OBLS:
        for _ in range(TARGETS[obl] - have[obl]):
            pool = [u for u in ACTIVE if (u.code, obl) not in done]
            m = min(used[u.code] for u in pool)
            pool = [u for u in pool if used[u.code] <= m + 1]
            u = rng.choice(pool)
            done.add((u.code, obl))
            used[u.code] += 1
            late = rng.random() < 0.13
            if u.emails:
                sk = wchoice(rng, [("off", 22), ("off2", 4 if len(u.emails) > 1 else 0), ("chair", 22), ("clerk", 20),
                                   ("phone", 32)])
            else:
                sk = wchoice(rng, [("chair", 35), ("clerk", 30), ("phone", 35)])
            phone = sk == "phone"
            if phone:
                sk = rng.choice(["chair", "clerk"])
            if phone:
                att = wchoice(rng, [("photo", 45), ("scan-png", 12), ("docx", 30), ("pdf", 8), ("scan-jpg", 5)])
                subj = wchoice(rng, [("empty", 18), ("short", 35), ("nodiac", 25), ("generic", 12), ("typo", 10)])
                body = wchoice(rng, [("short", 55), ("none", 20), ("nodiac", 25)])
            else:
                att = wchoice(rng, [("docx", 45), ("pdf", 17), ("scan-pdf", 12), ("scan-png", 4), ("photo", 5),
                                    ("tcvn3", 4), ("vni", 3)])
                subj = wchoice(rng, [("short", 28), ("formal", 15), ("generic", 18), ("caps", 8), ("nodiac", 12),
                                     ("nodiac-caps", 6), ("typo", 6), ("empty", 3 if sk != "off" else 0)])
                body = wchoice(rng, [("formal", 55), ("casual", 20), ("short", 20), ("nodiac", 5)]) if sk.startswith("off") \
                    else wchoice(rng, [("formal", 20), ("casual", 40), ("short", 30), ("nodiac", 10)])
            if obl == "dvk-2021" and att in ("docx", "pdf") and rng.random() < 0.55:
                att = "xlsx"
            generic_body = subj in ("generic", "empty") and rng.random() < 0.6
            o = dict(late=late, sender=sk, phone=phone, att=att, subj=subj, body=body, generic_body=generic_body)
            if generic_body:
                o["fname"] = "generic" if rng.random() < 0.7 else "plain"
            if not u.emails and subj in ("generic", "empty") and att.startswith("xlsx"):
                att = o["att"] = "xlsx"
            if not phone and not late and rng.random() < 0.1 and obl in REMINDER:
                key = REMINDER[obl]
                a = ANN[key]
                dl = deadline(obl)
                if a["time"] < dl - dt.timedelta(days=2):
                    o["when"] = a["time"] + (dl - a["time"]) * rng.uniform(0.2, 0.9)
                    o["reply"] = {"prev": ann_as_prev(key), "style": rng.choice(["gmail", "gmail", "outlook-vi"]),
                                  "prefix": rng.choice(["Re: ", "Re: ", "TL: "])}
                    o["tags"] = ["quoted-other"]
            report(u.code, obl, **o)


# ---------------------------------------------------------------- tags, output
REPORT_WORDS = re.compile(r"quy|qúy|3 thang|6 thang|6 thág|9 thang|tong ket|nam 20\d\d|/20\d\d|dvk|dan van kheo|dang ky|"
                          r"dang ki|so ket|bc nam|bao cao nam", re.I)


def names_report(text):
    return bool(text) and bool(REPORT_WORDS.search(nodiac(text).lower()))


def first_version(c):
    while c.resend_of is not None:
        c = c.resend_of
    return c


def auto_tags(c):
    t = list(c.tags)
    if c.counts:
        u = UBY[c.union]
        if c.sender_kind in ("official", "personal", "phone"):
            t.append(c.sender_kind)
        if not c.official:
            for e in sorted(c.evidence - {"address"}):
                t.append("name-" + e)
            if c.evidence <= {"letterhead"} and "letterhead-only" not in t:
                t.append("letterhead-only")
            shown = " ".join(x for x in (c.subject, getattr(c, "main", ""), getattr(c, "sig", ""), c.fname) if x)
            mentions = [m for m in (c.nm or {}).values() if m and m in shown]
            if any(_norm(u.full) not in _norm(m) for m in mentions):
                t.append("abbrev")
            if c.union in CONFUSABLE and "confusable" not in t:
                t.append("confusable")
        t.append({"docx": "docx", "pdf": "pdf-text", "scan-pdf": "scan", "scan-png": "scan", "scan-jpg": "scan",
                  "photo": "photo", "xlsx": "xlsx", "xlsx-noname": "xlsx", "tcvn3": "legacy-tcvn3", "vni": "legacy-vni",
                  "inline": "inline"}[c.att])
        st = {"generic": "subj-generic", "empty": "no-subject", "caps": "subj-caps", "nodiac": "subj-nodiac",
              "nodiac-caps": "subj-nodiac-caps", "typo": "subj-typo"}.get(c.subj_style)
        if st:
            t.append(st)
        if c.subject is None and "no-subject" not in t:
            t.append("no-subject")
        own_subject = c.subject
        if own_subject and re.match(r"^(Re|RE|TL|Fwd|FW): ", own_subject) and ("reply" in t or "forward" in t):
            own_subject = ""
        if not (names_report(own_subject) or names_report(c.main if hasattr(c, "main") else c.body_text_own)
                or names_report(c.fname or "")) and "title-only" not in t:
            t.append("title-only")
        y = obl_year(c.obl)
        if y != 2021:
            t.append("y%d" % y)
        if c.resend_of is not None and "resend" not in t:
            t.append("resend")
        if not c.on_time:
            t.append("late")
        if c.client in ("outlook", "zimbra", "yahoo", "yahoo-phone", "iphone") and c.att != "inline":
            t.append("qp")
    seen, out = set(), []
    for x in t:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def write_all():
    out = HERE
    md = os.path.join(out, "maildir")
    if os.path.exists(md):
        shutil.rmtree(md)
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(md, sub))
    cases = sorted(CASES, key=lambda c: (c.arrival.timestamp(), c.env["msgid"]))
    rows = []
    for i, c in enumerate(cases):
        if c.counts:
            c.on_time = 1 if first_version(c).arrival < deadline(c.obl) else 0
        else:
            c.on_time = ""
        raw = assemble(c.env)
        fn = "%d.%03d.ldlb-inbox" % (int(c.arrival.timestamp()), i)
        with open(os.path.join(md, "new", fn), "wb") as f:
            f.write(raw)
        c.file = fn
        rows.append(c)
    for c in rows:
        c.final_tags = auto_tags(c)
    with open(os.path.join(out, "expected.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "message_id", "union_code", "obligation", "on_time", "counts", "tags", "note"])
        for c in rows:
            note = c.note
            if c.counts and c.resend_of is not None:
                note = (note + "; " if note else "") + "first version: " + first_version(c).file
            w.writerow([c.file, c.env["msgid"], c.union or "", c.obl or "", c.on_time, c.counts,
                        ";".join(c.final_tags), note])
    with open(os.path.join(out, "unions.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "bloc", "emails", "active"])
        for u in UNIONS:
            w.writerow([u.code, u.name, u.bloc, ";".join(u.emails), "yes" if u.active else "no"])
    return rows


def main():
    S = specials()
    noise_cases(S)
    global N_HAND
    N_HAND = len(CASES)
    random_cases()
    rows = write_all()
    write_about(rows)
    n = len(rows)
    print("messages:", n, "reports:", sum(1 for c in rows if c.counts), "noise:", sum(1 for c in rows if not c.counts))


def write_about(rows):
    rep = [c for c in rows if c.counts]
    noi = [c for c in rows if not c.counts]
    by_obl = collections.OrderedDict((o, [0, 0, 0]) for o in OBLS)
    for c in rep:
        by_obl[c.obl][0] += 1
        by_obl[c.obl][1 if c.on_time else 2] += 1
    tagc = collections.Counter(t for c in rows for t in c.final_tags)
    size = sum(os.path.getsize(os.path.join(HERE, "maildir", "new", c.file)) for c in rows)
    L = ["# Blind evaluation set A", "",
         "Mail of the inbox ldllongbien@gmail.com (LĐLĐ quận Long Biên), written without looking at the program.",
         "Emphasis of this set: senders on phones and personal addresses that the directory does not know (the union",
         "is named only in a signature, subject, file name or letterhead, often abbreviated, in capitals or without",
         "diacritics), generic subjects where only the document title tells which report, replies and forwards whose",
         "quoted text names other reports, photos and scans of signed pages, TCVN3/VNI legacy text, and reports of",
         "2020 and 2022 beside 2021.", "",
         "## Files", "",
         "- `gen.py` — the generator (seed %d; rerunning gives byte-identical output)." % SEED,
         "- `unions.csv` — %d unions (%d active); codes HCnn (hcsn), DNnn (dn), THnn (th)." % (len(UNIONS), len(ACTIVE)),
         "- `maildir/new/<epoch>.<NNN>.ldlb-inbox` — %d raw RFC 5322 messages (CRLF); `<epoch>` is the arrival instant" % len(rows),
         "  (the first `Received:` header, written by Gmail in US Pacific time), NNN the order of arrival; `cur/` and",
         "  `tmp/` are empty. Total size %.1f MB." % (size / 1e6),
         "- `expected.csv` — one row per file. `counts=1`: credit `union_code`/`obligation`; `on_time` compares the",
         "  arrival instant with the deadline (Hanoi time), for a resend the first version's arrival decides (the note",
         "  names the first version's file). `counts=0`: must never be credited; `union_code` is filled when the mail",
         "  plainly comes from (or is about) a member union, empty otherwise; `obligation` and `on_time` are empty.",
         "", "## Mix", "",
         "%d messages: %d reports (counts=1) and %d noise (counts=0)." % (len(rows), len(rep), len(noi)), "",
         "| obligation | reports | on time | late |", "|---|---|---|---|"]
    for o, (a, b, c_) in by_obl.items():
        L.append("| %s | %d | %d | %d |" % (o, a, b, c_))
    L += ["", "| tag | messages |", "|---|---|"]
    for t, n in sorted(tagc.items(), key=lambda x: (-x[1], x[0])):
        L.append("| %s | %d |" % (t, n))
    L += ["", "## Tags", "",
          "- sender: `official` (a registered address), `personal` (an address the directory does not know), `phone`",
          "  (personal address from a phone: iPhone/Samsung/Android footers, photos, short or no text), `forward`",
          "  (`forward-own`, `forward-other-union`, `forward-by-staff`, `forward-rfc822`), `on-behalf`, `shared-sender`",
          "  (one personal address used for two unions), `sender-moved` (one personal address, different unions by year).",
          "- where the union is named when the address is not registered: `name-subject`, `name-body`, `name-signature`,",
          "  `name-file`, `name-letterhead`; `letterhead-only` / `file-name-only` when nothing else names it; `abbrev`",
          "  (Cty, CP, Tr., P., MN/TH, BHXH, ...); `confusable` (a union with a near twin: TH/THCS/MN of one ward, A/B,",
          "  company vs subsidiary, ward vs district office); `parent-letterhead` (the letterhead's first line is a",
          "  parent company).",
          "- which report: `title-only` (neither subject, text nor file name says which report: only the document",
          "  title), `quoted-other` (quoted or forwarded text names other reports), `subj-misleading` (a Re: subject",
          "  of another report), `quarter-ii` / `quarter-iv` (quý II = 6 months, quý IV = annual), `year-from-document`,",
          "  `year-boundary`, `subj-generic`, `no-subject`, `subj-caps`, `subj-nodiac`, `subj-nodiac-caps`, `subj-typo`.",
          "- attachment: `docx`, `pdf-text`, `xlsx`, `scan` (PNG/JPG or image-only PDF), `photo` (JPEG of a signed",
          "  page on a table), `inline` (registration typed in the body), `legacy-tcvn3` / `legacy-vni` (.VnTime/.VnTimeH",
          "  or VNI-Times text in a docx), `legacy-filename` (file name in TCVN3/VNI, as a windows-1252 encoded word).",
          "- encoding: `qp` (quoted-printable text), `cp1258` (windows-1258 with combining tone marks), `8bit`,",
          "  `html-only`.",
          "- time: `late`, `boundary` (within minutes of a deadline; Gmail's Pacific-time stamp often shows the",
          "  previous day), `date-mismatch` (Date header far from arrival), `docdate-before`, `resend`, `after-empty`,",
          "  `y2020`, `y2022`.",
          "- noise: `noise-own` (the federation's own mail and copies), `noise-autoreply`, `noise-bounce`, `noise-list`,",
          "  `noise-spam`, `noise-question`, `noise-unknown-org`, `noise-spoofed`, `noise-other-year` (a DVK",
          "  registration for 2022), `noise-missing-attachment`, `noise-ack`.",
          "", "## How it was made", "",
          "%d cases are written by hand in `specials()` and `noise_cases()` (boundaries, forwards, legacy" % N_HAND,
          "encodings, confusable names, resends, noise); the rest are drawn by `random_cases()` with a fixed seed",
          "over senders, subjects, bodies and attachment kinds, each union at most once per obligation apart from",
          "resends. Documents are real files: docx (python-docx, letterhead as a two-column table, title in capitals",
          "over two lines, body that also mentions other periods: 'phương hướng quý II', 'so với quý I', 'năm 2022'),",
          "xlsx (openpyxl), text PDF (fpdf2 + DejaVu), scans and photos (Pillow + DejaVu, with a stamp and a",
          "signature), image PDFs. TCVN3 and VNI tables are implemented in `gen.py`. Arrival instants are in the first",
          "`Received:` header (Gmail, Pacific time with PST/PDT), the `Date:` header is the sender's clock.",
          "", "## Judgement calls a reviewer may want to look at", "",
          "- A forward credits the union whose report it is: by the parent company (DN01 forwards DN02), by the",
          "  federation's own staff from her personal address (MN Hoa Sen), by the union itself after a mistyped",
          "  address (DN03; the first mail never reached the inbox), and as a message/rfc822 attachment (HC21).",
          "  The federation forwarding to itself a report it already had is `noise-own` (counts=0).",
          "- `on-behalf`: THCS Bồ Đề's registered address sends TH Bồ Đề's report: credited to TH Bồ Đề.",
          "- A mail that announces a report but has no attachment is counts=0 (`noise-missing-attachment`); the",
          "  next mail 26 minutes later is the first submission, not a resend.",
          "- A resend may come from another address of the same union (phone photo first, Word file from the",
          "  registered address later); on_time follows the first version.",
          "- A DVK registration for 2022 is counts=0: the only DVK obligation is 2021.",
          "- Schools' letterheads often start with 'PHÒNG GD&ĐT QUẬN LONG BIÊN' (the superior, which is also a union",
          "  in the directory, HC26) and subsidiaries' with the parent company: the issuer is the next line.",
          "- Bodies of reports mention other periods on purpose ('phương hướng quý II' in a Q1 report, 'so với quý I'",
          "  in a 6-month report, 'năm 2022' in the 2021 annual report).",
          "- Gmail's `Received:` stamps are Pacific time; for deadline cases the stamp's calendar day is often the",
          "  day before the Hanoi day. Yahoo senders' `Date:` is in +0000.",
          "- Display names and subjects longer than ~40 bytes are split into several RFC 2047 words, as Gmail does;",
          "  Python's `email.policy.default` keeps a stray space between such words inside a From display name",
          "  (`compat32` + `decode_header` does not).",
          "- The Maildir suffix `ldlb-inbox` is a fixed host tag and carries no information about the case.",
          "", "Every case was checked to be decidable from the mail alone: the union is named by a registered address or",
          "somewhere a person can read (signature, subject, body, file name, letterhead of the attachment) and the",
          "report by the subject, the text or the document's title. `check.py` parses every message back with",
          "Python's email package, opens every attachment and checks expected.csv against the maildir.", ""]
    with open(os.path.join(HERE, "ABOUT.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(L))


if __name__ == "__main__":
    main()
