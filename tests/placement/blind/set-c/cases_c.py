"""Resends, boundaries, 2020 annual, DVK registrations, legacy encoding, and noise."""
from common import (CASES, add, spec_for, render, PERSONAL, PHONE_SIG, signer, body_name, letterhead, title_for)
from data import U
from mime import hn, make_msgid, gmail_quote_intro, quote, HN, INBOX
from legacy import tcvn3
from datetime import timedelta, timezone
import docs

UTC = timezone.utc


def _m(frm, subject, arrival, body, atts, date=None, **kw):
    n = len(CASES) + 3000
    m = dict(from_name=frm[0], from_addr=frm[1], subject=subject, arrival=arrival,
             date=date if date is not None else arrival - timedelta(seconds=4 + n % 30), body=body,
             attachments=atts, msgid=make_msgid(n))
    m.update(kw)
    return m


def reg(code, i=0):
    return (body_name(code), U(code)["emails"][i])


def std_body(code, what):
    return "Kính gửi: LĐLĐ quận Long Biên\n%s gửi %s.\n\nTrân trọng!\n%s" % (body_name(code), what, signer(len(CASES)))


# ---------------------------------------------------------------- resends
def resends():
    rows = [
        # code, obl, arrival, subject, kind, note, on_time of first version
        ("LBCG309", "report-2021-q1", hn(2021, 3, 16, 10, 0), "Gửi lại báo cáo quý I (bản word)", "docx", 1,
         "resend of photo sent 08/03/2021"),
        ("LBCD214", "report-2021-q3", hn(2021, 9, 20, 14, 30), "Bổ sung báo cáo 9 tháng năm 2021", "pdf", 1,
         "first version came 13/09 from a personal address"),
        ("LBCG330", "report-2022-h1", hn(2022, 6, 22, 9, 15), "Đính chính báo cáo sơ kết 6 tháng", "docx", 0,
         "first version (20/06) already late"),
        ("LBCH109", "report-2022-h1", hn(2022, 6, 14, 8, 5), "gui lai ban word bao cao 6 thang", "docx", 1,
         "resend of scan of 13/06"),
        ("LBCG307", "report-2022-y", hn(2022, 12, 17, 9, 40), "Gửi lại báo cáo tổng kết năm 2022", "docx", 0,
         "first version forwarded by UBND phường Giang Biên on 16/12 (late)"),
    ]
    for i, (code, obl, arr, subj, kind, ot, note) in enumerate(rows):
        spec = spec_for(code, obl, arr, sign_i=i + 4)
        if "Đính chính" in subj:
            spec["title"] = spec["title"] + ["(Bản đính chính)"]
        atts = [("BC (gui lai).%s" % ("pdf" if kind == "pdf" else "docx"), render(spec, kind, 700 + i), None)]
        add(_m(reg(code), subj, arr, std_body(code, "lại báo cáo (bản đã chỉnh sửa)"), atts), code, obl,
            "resend" + (";registered" if code != "LBCD214" else ";registered;first-from-personal"), note, on_time=ot)


# ---------------------------------------------------------------- boundaries / late
def boundaries():
    rows = [
        # code, obl, arrival, date header, subject, note
        ("LBCG317", "report-2021-q1", hn(2021, 3, 14, 23, 59, 50), hn(2021, 3, 15, 0, 1, 12), "BC quý I",
         "arrived 23:59:50 on 14/03; sender clock fast (Date 00:01 on 15/03)"),
        ("LBCH117", "report-2021-h1", hn(2021, 6, 15, 0, 0, 30), hn(2021, 6, 14, 23, 58, 2), "Báo cáo 6 tháng đầu năm 2021",
         "Date header 23:58 on 14/06 but arrived 00:00:30 on 15/06"),
        ("LBCG346", "report-2022-q3", hn(2022, 9, 15, 0, 5), hn(2022, 9, 15, 0, 4).astimezone(UTC), "Bao cao quy III nam 2022",
         "arrived 00:05 Hanoi on 15/09 (17:05 UTC on 14/09), Date header in UTC"),
        ("LBCD203", "report-2021-y", hn(2021, 12, 14, 23, 59), hn(2021, 12, 14, 23, 58, 40).astimezone(UTC), "Báo cáo năm 2021",
         "arrived 23:59 Hanoi on 14/12 (16:59 UTC), Date header in UTC"),
        ("LBCH116", "report-2022-q1", hn(2022, 4, 2, 10, 20), hn(2022, 4, 2, 10, 19), "BC quý I/2022 (gửi chậm)",
         "two weeks late"),
    ]
    for i, (code, obl, arr, date, subj, note) in enumerate(rows):
        spec = spec_for(code, obl, arr, sign_i=i + 9)
        atts = [("BC.docx" if i % 2 == 0 else "bao cao.pdf", render(spec, "docx" if i % 2 == 0 else "pdf", 800 + i), None)]
        add(_m(reg(code), subj, arr, std_body(code, "báo cáo"), atts, date=date), code, obl,
            "boundary;date-differs" if i < 4 else "late", note)


# ---------------------------------------------------------------- 2020 annual
def annual2020():
    rows = [
        ("LBCG310", hn(2020, 12, 10, 9, 30), "reg", "Báo cáo tổng kết năm 2020", "docx", "annual-2020"),
        ("LBCH108", hn(2021, 1, 6, 14, 0), "reg", "Báo cáo tổng kết năm 2020", "pdf", "annual-2020"),
        ("LBCG332", hn(2020, 12, 14, 22, 0), "reg", "BC quý IV", "docx", "annual-2020;quy-iv"),
        ("LBCG315", hn(2021, 1, 12, 16, 45), 17, "bao cao", "docx", "annual-2020;personal-sender;letterhead-only;nodiac"),
    ]
    for i, (code, arr, mode, subj, kind, tags) in enumerate(rows):
        extra = ["Phương hướng, nhiệm vụ năm 2021: tiếp tục đăng ký mô hình \"Dân vận khéo\" năm 2021."]
        spec = spec_for(code, "report-2020-y", arr, sign_i=i + 11, extra=extra,
                        title_variant=1 if code == "LBCG332" else 0)
        atts = [("BC tong ket 2020.%s" % kind, render(spec, kind, 900 + i), None)]
        if mode == "reg":
            frm, body = reg(code), std_body(code, "báo cáo tổng kết năm")
        else:
            frm, body = PERSONAL[mode], "Em gui bao cao a.\n" + PHONE_SIG[2]
        add(_m(frm, subj, arr, body, atts), code, "report-2020-y", tags, "annual report of 2020")


# ---------------------------------------------------------------- DVK registrations
def dvk():
    # xlsx registration table
    code, arr = "LBCG328", hn(2021, 2, 5, 10, 15)
    x = docs.xlsx_bytes(["LĐLĐ QUẬN LONG BIÊN", "CĐCS TRƯỜNG TIỂU HỌC ĐÀM VĂN LỄ",
                         "BẢNG ĐĂNG KÝ MÔ HÌNH \"DÂN VẬN KHÉO\" NĂM 2021"],
                        ["STT", "Tên mô hình", "Lĩnh vực", "Người phụ trách", "Thời gian"],
                        [[1, "Cổng trường an toàn giao thông", "Văn hóa - xã hội", "Chủ tịch CĐCS", "3-12/2021"],
                         [2, "Tủ sách đoàn viên", "Văn hóa - xã hội", "Phó Chủ tịch", "4-11/2021"]])
    add(_m(reg(code), "DK DVK", arr, std_body(code, "bảng đăng ký mô hình Dân vận khéo năm 2021"),
           [("DK DVK.xlsx", x, None)]), code, "dvk-2021", "dvk;xlsx", "registration table")
    for i, (code, arr, mode, subj, kind, tags) in enumerate([
        ("LBCD206", hn(2021, 2, 22, 23, 40), "reg", "Phiếu đăng ký Dân vận khéo", "docx", "dvk;boundary"),
        ("LBCH104", hn(2021, 2, 23, 8, 0), "reg", "Đăng ký mô hình DVK 2021", "pdf", "dvk"),
        ("LBCG341", hn(2021, 1, 28, 15, 5), 18, "DK DVK", "docx", "dvk;personal-sender;letterhead-only"),
    ]):
        spec = spec_for(code, "dvk-2021", arr, sign_i=i + 2, num="Số: %02d/ĐK-CĐ" % (i + 3))
        atts = [("Phieu DK DVK.%s" % kind, render(spec, kind, 950 + i), None)]
        frm = reg(code) if mode == "reg" else PERSONAL[mode]
        body = std_body(code, "phiếu đăng ký") if mode == "reg" else "Em gửi phiếu đăng ký ạ.\n" + PHONE_SIG[0]
        add(_m(frm, subj, arr, body, atts), code, "dvk-2021", tags, "DVK registration")


# ---------------------------------------------------------------- legacy
def legacy():
    for i, (code, obl, arr, subj) in enumerate([
            ("LBCG328", "report-2021-h1", hn(2021, 6, 7, 9, 0), "bao cao 6 thang"),
            ("LBCD217", "report-2021-q3", hn(2021, 9, 10, 10, 30), "BC quy III")]):
        spec = spec_for(code, obl, arr, sign_i=i + 6)
        spec["right"] = list(docs.MOTTO)
        enc = {k: ([tcvn3(x) for x in v] if isinstance(v, list) else tcvn3(v)) for k, v in spec.items()}
        data = docs.docx_bytes(enc, "table", font=".VnTime")
        add(_m(reg(code), subj, arr, "Kinh gui LDLD quan Long Bien\nDon vi gui bao cao (font .VnTime).", [("BC.docx", data, None)]),
            code, obl, "legacy-encoding;tcvn3;nodiac", "document text in TCVN3 (.VnTime)")


# ---------------------------------------------------------------- noise
def noise():
    N = lambda m, tags, note, union="": add(m, union, "", tags, note, counts=0)
    ann = ("Kính gửi: Ban Chấp hành các CĐCS trực thuộc\nĐề nghị các CĐCS gửi báo cáo quý I, sơ kết 6 tháng, 9 tháng "
           "và tổng kết năm 2022 đúng hạn (trước ngày 15 của tháng 3, 6, 9, 12).\nVăn phòng LĐLĐ quận Long Biên")
    # 1 autoreply
    N(_m(reg("LBCG316"), "Trả lời tự động: [LĐLĐ Long Biên] Thông báo lịch nộp báo cáo năm 2022", hn(2022, 1, 10, 8, 1),
         "Tôi đang nghỉ phép đến hết ngày 20/01/2022. Thư của bạn sẽ được trả lời sau.\n(Trả lời tự động)", [],
         headers=[("Auto-Submitted", "auto-replied"), ("X-Autoreply", "yes")]), "noise-autoreply", "vacation auto-reply", union="LBCG316")
    # 2 bounce
    N(_m(("Mail Delivery Subsystem", "mailer-daemon@googlemail.com"), "Delivery Status Notification (Failure)",
         hn(2022, 1, 10, 8, 3), "Không gửi được thư đến cd.thnkv_old@gmail.com vì không tìm thấy địa chỉ.\n\n"
         "----- Original message -----\nSubject: [LĐLĐ Long Biên] Thông báo lịch nộp báo cáo năm 2022\n\n" + ann, [],
         return_path="", headers=[("Auto-Submitted", "auto-replied")]), "noise-bounce", "bounce of the federation's announcement")
    # 3 newsletter
    N(_m(("LĐLĐ Thành phố Hà Nội", "bantin@congdoanhanoi.org.vn"), "Bản tin Công đoàn Thủ đô số 12/2021",
         hn(2021, 3, 12, 7, 0), "Bản tin tháng 3: các LĐLĐ quận, huyện đẩy mạnh báo cáo quý I, mô hình Dân vận khéo...\n"
         "Hủy đăng ký: https://congdoanhanoi.org.vn/unsub", [],
         headers=[("List-Id", "<bantin.congdoanhanoi.org.vn>"), ("List-Unsubscribe", "<https://congdoanhanoi.org.vn/unsub>"),
                  ("Precedence", "bulk")]), "noise-list", "newsletter of LĐLĐ Hà Nội")
    # 4 spam
    N(_m(("Hỗ trợ vay vốn", "vaynhanh247@mail-offer.top"), "VAY TIEN NHANH 50 TRIEU - GIAI NGAN TRONG NGAY",
         hn(2021, 6, 12, 3, 14), "Ho tro vay von khong the chap, lai suat 0%. Lien he Zalo 09xx.", [],
         sender_host="mail.mail-offer.top"), "noise-spam", "spam")
    # 5 federation's own announcement copy
    N(_m(("LĐLĐ quận Long Biên", INBOX), "[LĐLĐ Long Biên] Thông báo lịch nộp báo cáo năm 2022", hn(2022, 1, 10, 8, 0),
         ann, [("Thong bao lich bao cao 2022.pdf", docs.pdf_bytes(dict(left=["LĐLĐ QUẬN LONG BIÊN"], no="Số: 02/TB-LĐLĐ",
                place="Long Biên, ngày 10 tháng 1 năm 2022", title=["THÔNG BÁO", "Lịch nộp báo cáo công tác dân vận năm 2022"],
                body=[ann], sign=["TM. BAN THƯỜNG VỤ"])), None)], to="cdcs-longbien@googlegroups.com", headers=[("Bcc", INBOX)]),
      "noise-own", "the federation's own announcement (copy)")
    # 6 federation reply copy
    N(_m(("LĐLĐ quận Long Biên", INBOX), "Re: BC quý I", hn(2021, 3, 10, 9, 0),
         "LĐLĐ quận đã nhận báo cáo quý I của đơn vị. Trân trọng!\n\n" + gmail_quote_intro(hn(2021, 3, 10, 8, 0), "Trường Tiểu học Thạch Bàn <cd.ththachban@longbien.edu.vn>")
         + "\n" + quote("Gửi báo cáo quý I."), [], to="cd.ththachban@longbien.edu.vn"), "noise-own;quoted-other",
      "the federation's own reply")
    # 7 question
    N(_m(reg("LBCG313"), "cho em hỏi mẫu báo cáo 6 tháng", hn(2022, 6, 6, 10, 0),
         "Chị ơi cho em hỏi mẫu báo cáo sơ kết 6 tháng năm nay có thay đổi không ạ? Em cảm ơn.", []),
      "noise-question", "question, no report", union="LBCG313")
    # 8 unknown org
    sp = dict(left=["LĐLĐ HUYỆN GIA LÂM", "CĐCS CÔNG TY TNHH HÒA BÌNH XANH"], no="Số: 03/BC-CĐ",
              place="Gia Lâm, ngày 8 tháng 3 năm 2022", title=title_for("report-2022-q1"),
              body=["CĐCS Công ty TNHH Hòa Bình Xanh báo cáo kết quả quý I năm 2022."], sign=["CHỦ TỊCH", "Lò Văn Hưởng"])
    N(_m(("Hòa Bình Xanh", "congdoan.hoabinhxanh@gmail.com"), "Báo cáo quý I năm 2022", hn(2022, 3, 8, 14, 0),
         "Kính gửi LĐLĐ huyện Gia Lâm,\nCông ty gửi báo cáo quý I.", [("BC quy I.docx", docs.docx_bytes(sp), None)]),
      "noise-unknown-org", "union of another district, not in directory")
    # 9 spoofed
    N(_m(reg("LBCG318"), "Báo cáo quý I - xem tài liệu", hn(2022, 3, 12, 2, 40),
         "Bạn có 1 tài liệu được chia sẻ: BAO_CAO_QUY_I.pdf\nĐăng nhập để xem: http://docs-share-view.xyz/login?u=ldllongbien",
         [], return_path="bounce@docs-share-view.xyz", sender_host="vps-51-77-12-9.docs-share-view.xyz",
         pre_headers=[("Authentication-Results", "mx.google.com;\r\n       spf=fail (google.com: domain of bounce@docs-share-view.xyz does not designate 51.77.12.9 as permitted sender) smtp.mailfrom=bounce@docs-share-view.xyz;\r\n       dmarc=fail (p=NONE) header.from=longbien.edu.vn")],
         headers=[("Reply-To", "share-docs@docs-share-view.xyz")]), "noise-spoofed", "phishing with forged From of a registered address")
    # 10 finance report (not the dan van plan)
    code = "LBCH110"
    fs = dict(left=letterhead(code), no="Số: 06/BC-TC", place="Long Biên, ngày 5 tháng 4 năm 2021",
              title=["BÁO CÁO", "Quyết toán thu, chi tài chính công đoàn quý I năm 2021"],
              body=["Tổng thu kinh phí công đoàn quý I: 45.200.000 đồng; tổng chi: 38.750.000 đồng."], sign=["CHỦ TỊCH", signer(3)])
    N(_m(reg(code), "Báo cáo quý I", hn(2021, 4, 5, 9, 0), std_body(code, "báo cáo quyết toán tài chính quý I"),
         [("QT tai chinh Q1.pdf", docs.pdf_bytes(fs), None)]), "noise-other-report",
      "finance report, not a report of the dân vận plan", union=code)
    # 11 unattributable
    ua = dict(left=["LĐLĐ QUẬN LONG BIÊN", "CĐCS ........................"], no="Số: ..../BC-CĐ",
              place="Long Biên, ngày .... tháng 3 năm 2021", title=title_for("report-2021-q1"),
              body=["Ban Chấp hành CĐCS ............ báo cáo kết quả quý I năm 2021 như sau: ..."], sign=["CHỦ TỊCH"])
    N(_m(PERSONAL[14], "bc quy 1", hn(2021, 3, 11, 21, 0), "em gửi ạ\n" + PHONE_SIG[3], [("mau bao cao (da sua).docx", docs.docx_bytes(ua), None)]),
      "noise-unattributable;personal-sender", "blank template from unknown personal address; no union named anywhere")
    # 12 city federation directive (no list-id)
    N(_m(("Văn phòng LĐLĐ TP Hà Nội", "vanphong@congdoanhanoi.org.vn"), "V/v hướng dẫn báo cáo sơ kết 6 tháng đầu năm 2021",
         hn(2021, 5, 28, 15, 0), "Kính gửi: LĐLĐ các quận, huyện, thị xã\nLĐLĐ Thành phố hướng dẫn báo cáo sơ kết 6 tháng...", []),
      "noise-upper-level", "directive from the city federation")
    # 13 read receipt
    N(_m(reg("LBCG336"), "Đã đọc: [LĐLĐ Long Biên] Thông báo lịch nộp báo cáo năm 2022", hn(2022, 1, 10, 9, 30),
         "Thư của bạn gửi tới cdcs.thcsducgiang@gmail.com đã được đọc lúc 10/01/2022 09:30.", [],
         headers=[("Auto-Submitted", "auto-replied")]), "noise-autoreply;read-receipt", "read receipt", union="LBCG336")
