"""Shared helpers for case modules: deadlines, letterheads, report specs, attachments."""
import random
from datetime import timedelta
from data import U, body_name, mail_of, strip_diac
from mime import hn, HN
import docs

CASES = []  # each: dict(msg=..., exp=dict(union, obl, counts, tags, note))


def deadline(obl):
    """Instant from which a submission is late (Hanoi time)."""
    if obl == "dvk-2021":
        return hn(2021, 2, 23, 0, 0)
    _, y, p = obl.split("-")
    mo = {"q1": 3, "h1": 6, "q3": 9, "y": 12}[p]
    return hn(int(y), mo, 15, 0, 0)


def add(msg, union, obl, tags, note, counts=1, on_time=None):
    if counts and on_time is None:
        on_time = 1 if msg["arrival"] < deadline(obl) else 0
    tl = []
    for t in tags.split(";"):
        if t and t not in tl:
            tl.append(t)
    if counts and on_time == 0 and "late" not in tl:
        tl.append("late")
    tags = ";".join(tl)
    CASES.append(dict(msg=msg, exp=dict(union=union or "", obl=obl or "", counts=counts,
                                        on_time="" if on_time is None else on_time,
                                        tags=tags, note=note)))


def up(s):
    return s.upper()


def abbrev(s):
    for a, b in (("TRƯỜNG MẦM NON", "TRƯỜNG MN"), ("TRƯỜNG TIỂU HỌC", "TRƯỜNG TH"),
                 ("Trường Mầm non", "Trường MN"), ("Trường Tiểu học", "Trường TH"),
                 ("CÔNG TY", "CTY"), ("Công ty", "Cty"), ("CƠ KHÍ", "CK"), ("Cơ khí", "CK"),
                 ("TRUNG TÂM", "TT"), ("Trung tâm", "TT")):
        s = s.replace(a, b)
    return s


def letterhead(code, style="std"):
    n = up(body_name(code))
    if style == "std":
        return ["LĐLĐ QUẬN LONG BIÊN", "CĐCS " + n]
    if style == "split":
        return ["LĐLĐ QUẬN LONG BIÊN", "CÔNG ĐOÀN CƠ SỞ", n]
    if style == "phong":
        return ["PHÒNG GD&ĐT QUẬN LONG BIÊN", n]
    if style == "ubnd":
        return ["UBND QUẬN LONG BIÊN", n]
    if style == "abbr":
        return ["LĐLĐ Q. LONG BIÊN", "CĐCS " + abbrev(n)]
    if style == "cd":
        return ["LĐLĐ QUẬN LONG BIÊN", "CÔNG ĐOÀN " + n]
    raise ValueError(style)


PERIOD = {"q1": "quý I", "h1": "6 tháng đầu năm", "q3": "9 tháng", "y": "năm"}


def title_for(obl, variant=0):
    if obl == "dvk-2021":
        return ["PHIẾU ĐĂNG KÝ", "Mô hình \"Dân vận khéo\" năm 2021"]
    _, y, p = obl.split("-")
    t = {
        "q1": ["BÁO CÁO", "Kết quả thực hiện công tác dân vận quý I năm %s" % y],
        "h1": ["BÁO CÁO", "Sơ kết 6 tháng đầu năm %s thực hiện Kế hoạch công tác dân vận" % y],
        "q3": ["BÁO CÁO", "Kết quả thực hiện công tác dân vận 9 tháng năm %s" % y],
        "y": ["BÁO CÁO", "Tổng kết công tác dân vận, mô hình \"Dân vận khéo\" năm %s" % y],
    }[p]
    if variant == 1:
        t = {"q1": ["BÁO CÁO QUÝ I NĂM %s" % y, "Về công tác dân vận và phong trào \"Dân vận khéo\""],
             "h1": ["BÁO CÁO", "Kết quả công tác dân vận quý II và 6 tháng đầu năm %s" % y],
             "q3": ["BÁO CÁO", "Kết quả công tác dân vận quý III năm %s" % y],
             "y": ["BÁO CÁO TỔNG KẾT NĂM %s" % y, "Công tác dân vận - Dân vận khéo"]}[p]
    return t


def report_date(obl, arrival):
    d = arrival - timedelta(days=random.Random(str(arrival)).randint(0, 3))
    return "Long Biên, ngày %d tháng %d năm %d" % (d.day, d.month, d.year)


def body_for(code, obl, extra=None):
    n = body_name(code)
    if obl == "dvk-2021":
        return ["Căn cứ Kế hoạch của LĐLĐ quận Long Biên về triển khai phong trào thi đua \"Dân vận khéo\" năm 2021, "
                "Ban Chấp hành CĐCS %s đăng ký mô hình như sau:" % n,
                "1. Tên mô hình: \"Đoàn viên chung tay xây dựng nơi làm việc xanh - sạch - đẹp\".",
                "2. Thời gian thực hiện: từ tháng 3 đến tháng 11 năm 2021.",
                "3. Người phụ trách: Chủ tịch CĐCS."]
    _, y, p = obl.split("-")
    per = {"q1": "quý I năm %s" % y, "h1": "6 tháng đầu năm %s" % y,
           "q3": "9 tháng năm %s" % y, "y": "năm %s" % y}[p]
    out = ["Thực hiện Kế hoạch công tác dân vận và phong trào thi đua \"Dân vận khéo\" của LĐLĐ quận Long Biên, "
           "Ban Chấp hành CĐCS %s báo cáo kết quả thực hiện %s như sau:" % (n, per),
           "I. KẾT QUẢ THỰC HIỆN",
           "1. Công tác tuyên truyền: tổ chức quán triệt đến 100% đoàn viên; phối hợp với chuyên môn duy trì nền nếp sinh hoạt.",
           "2. Mô hình \"Dân vận khéo\": tiếp tục duy trì mô hình đã đăng ký, huy động đoàn viên tham gia các hoạt động xã hội, từ thiện."]
    if extra:
        out += extra
    out += ["II. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
            "Tiếp tục bám sát kế hoạch, nâng cao chất lượng hoạt động, thực hiện tốt công tác dân vận tại đơn vị."]
    return out


SIGNERS = ["Nguyễn Thị Thu Hằng", "Trần Văn Khải", "Lê Thị Minh Nguyệt", "Phạm Thị Lan Anh", "Đỗ Quang Vinh",
           "Vũ Thị Hồng Nhung", "Hoàng Thị Bích Ngọc", "Bùi Văn Tuấn", "Ngô Thị Kim Dung", "Đặng Thị Thanh Xuân",
           "Phan Thị Hải Yến", "Tạ Minh Đức", "Lương Thị Mai Phương", "Kiều Thị Ánh Tuyết", "Dương Văn Sơn"]


def signer(i):
    return SIGNERS[i % len(SIGNERS)]


def spec_for(code, obl, arrival, style="std", num=None, title_variant=0, extra=None, sign_i=0, left=None, title=None):
    r = random.Random(code + obl)
    return dict(left=left or letterhead(code, style),
                no=num or "Số: %02d/BC-CĐ" % r.randint(2, 40),
                place=report_date(obl, arrival),
                title=title or title_for(obl, title_variant),
                body=body_for(code, obl, extra),
                sign=["TM. BAN CHẤP HÀNH", "CHỦ TỊCH", signer(sign_i)])


def render(spec, kind, seed=0):
    if kind == "docx":
        return docs.docx_bytes(spec, "table")
    if kind == "docx-paras":
        return docs.docx_bytes(spec, "paras")
    if kind == "pdf":
        return docs.pdf_bytes(spec)
    if kind == "pdf-merged":
        return docs.pdf_bytes(spec, merged=True)
    if kind == "jpg":
        return docs.jpg_bytes(spec, seed, photo=True)
    if kind == "scan":
        return docs.scan_pdf_bytes(spec, seed)
    raise ValueError(kind)


PERSONAL = [("Nguyễn Thu Hà", "thuha.nguyen85@gmail.com"), ("Trần Minh Tâm", "minhtam.tran1979@gmail.com"),
            ("Lê Hồng Vân", "hongvanle.gv@gmail.com"), ("Phạm Bảo Ngọc", "ngocpham.ketoan@gmail.com"),
            ("Đỗ Thị Liên", "lienthido72@yahoo.com.vn"), ("Vũ Quốc Huy", "huyvq.89@gmail.com"),
            ("Hà Thị Thơm", "thomha1990@gmail.com"), ("Nguyễn Thị Mận", "mannguyen.mn@gmail.com"),
            ("Trịnh Hữu Phước", "phuoctrinh.huu@gmail.com"), ("", "bichthuy2208@gmail.com"),
            ("Kim Oanh", "kimoanh.lb@gmail.com"), ("Chu Văn Lực", "lucchuvan@outlook.com"),
            ("Mai Anh", "maianh.tran0312@gmail.com"), ("Quách Thị Gấm", "gamquach@gmail.com"),
            ("Tô Hải Đăng", "haidang.to@gmail.com"), ("Lã Thị Huệ", "huela.thhp@gmail.com"),
            ("Nguyễn Văn Thắng", "thang.nv.nkv@gmail.com"), ("Hồ Thị Nga", "ngaho1968@yahoo.com"),
            ("Thầy Toàn", "toan.gv1975@gmail.com")]

PHONE_SIG = ["Gửi từ iPhone của tôi", "Sent from my Samsung Galaxy smartphone.", "Gửi từ điện thoại Samsung Galaxy", "Sent from my iPhone"]
