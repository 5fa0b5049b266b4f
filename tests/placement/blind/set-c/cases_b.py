"""Kinds 4-6: replies under an old thread; bodies mentioning other periods; confusable unions."""
from common import (CASES, add, spec_for, render, PERSONAL, PHONE_SIG, signer, body_name)
from data import U
from mime import hn, make_msgid, gmail_quote_intro, quote, outlook_quote, INBOX
from datetime import timedelta

FED = "LĐLĐ quận Long Biên <ldllongbien@gmail.com>"


def _m(frm, subject, arrival, body, atts, **kw):
    n = len(CASES) + 2000
    m = dict(from_name=frm[0], from_addr=frm[1], subject=subject, arrival=arrival,
             date=arrival - timedelta(seconds=5 + n % 40), body=body, attachments=atts, msgid=make_msgid(n))
    m.update(kw)
    return m


ANNOUNCE = ("Kính gửi: Ban Chấp hành các CĐCS trực thuộc\n\n"
            "LĐLĐ quận Long Biên đề nghị các CĐCS thực hiện báo cáo công tác dân vận năm 2022 như sau:\n"
            "- Báo cáo quý I: trước ngày 15/3/2022\n- Báo cáo sơ kết 6 tháng: trước ngày 15/6/2022\n"
            "- Báo cáo 9 tháng: trước ngày 15/9/2022\n- Báo cáo tổng kết năm: trước ngày 15/12/2022\n\n"
            "Trân trọng!\nVăn phòng LĐLĐ quận Long Biên")


# ---------------------------------------------------------------- kind 4
def kind4():
    rows = [
        # code, obl carried, arrival, subject, old quoted subject-ish text, kind, fname
        ("LBCG303", "report-2021-h1", hn(2021, 6, 10, 9, 12), "Re: BC quý I",
         "Gửi đồng chí báo cáo quý I năm 2021 của đơn vị.", "docx", "BC so ket 6 thang.docx"),
        ("LBCG308", "report-2021-q3", hn(2021, 9, 14, 22, 10), "Re: bao cao 6 thang",
         "Em gui bao cao 6 thang dau nam 2021 a.", "docx", "BC 9 thang 2021.docx"),
        ("LBCH107", "report-2021-y", hn(2021, 12, 9, 14, 45), "RE: V/v báo cáo quý III",
         "Trung tâm gửi báo cáo kết quả công tác dân vận quý III năm 2021.", "pdf", "BC tong ket 2021.pdf"),
        ("LBCD205", "report-2022-q1", hn(2022, 3, 8, 10, 30), "Re: [LĐLĐ Long Biên] Thông báo lịch nộp báo cáo năm 2022",
         None, "docx", "BC quy I-2022.docx"),
        ("LBCG312", "report-2022-q1", hn(2022, 3, 9, 16, 0), "TL: BC quý I năm 2021",
         "Em gửi báo cáo quý I năm 2021.", "docx", "BC quy I.docx"),
        ("LBCG330", "report-2022-h1", hn(2022, 6, 20, 8, 40), "Re: Re: BC quý I",
         "Em gửi báo cáo quý I/2022 ạ.", "pdf", "so ket 6 thang 2022.pdf"),
        ("LBCH103", "report-2022-q1", hn(2022, 3, 14, 23, 30), "Re: Báo cáo tổng kết năm 2021",
         "Công đoàn cơ quan gửi báo cáo tổng kết năm 2021.", "docx", "BC quý 1.docx"),
        ("LBCD206", "report-2022-y", hn(2022, 12, 12, 9, 5), "Re: bc 9 thang",
         "Gửi LĐLĐ báo cáo 9 tháng năm 2022 của Công ty.", "docx", "BC nam 2022.docx"),
        ("LBCG338", "report-2022-q3", hn(2022, 9, 5, 15, 20), "Re: BC quý I",
         "Em gửi báo cáo quý I năm 2022.", "pdf", "BC quy III.pdf"),
    ]
    for i, (code, obl, arr, subj, oldtext, kind, fn) in enumerate(rows):
        u = U(code)
        spec = spec_for(code, obl, arr, style="std", sign_i=i + 2, title_variant=(i + 1) % 2)
        atts = [(fn if i != 4 else "BC quy I (1).docx", render(spec, kind, 400 + i), "2047")]
        me = "%s <%s>" % (body_name(code), u["emails"][0])
        if oldtext is None:
            old = arr - timedelta(days=40)
            qbody = gmail_quote_intro(old, FED) + "\n" + quote(ANNOUNCE)
            body = "Kính gửi LĐLĐ quận,\nĐơn vị gửi báo cáo đính kèm.\n\n%s\n\n%s" % (signer(i), qbody)
            tag = "reply-thread;quoted-other;reply-to-announcement"
        else:
            old = arr - timedelta(days=88 + i)
            fed_reply = arr - timedelta(days=86 + i)
            inner = "LĐLĐ quận đã nhận được báo cáo. Trân trọng cảm ơn!\n\n" + gmail_quote_intro(old, me) + "\n" + quote(oldtext)
            intro = "Kính gửi LĐLĐ quận Long Biên,\nĐơn vị gửi báo cáo tiếp theo (file đính kèm).\n\n%s\n%s" % (signer(i), "Chủ tịch CĐCS" if i % 2 else "")
            if code == "LBCH107":
                body = intro + "\n\n" + outlook_quote(fed_reply, FED, subj[4:], to=u["emails"][0], body=inner)
            else:
                body = intro + "\n\n" + gmail_quote_intro(fed_reply, FED) + "\n" + quote(inner)
            tag = "reply-thread;quoted-other;subject-other-report"
        if code == "LBCG312":
            tag += ";subject-other-year"
        add(_m((body_name(code), u["emails"][0]), subj, arr, body, atts,
               headers=[("In-Reply-To", make_msgid("old%d" % i)), ("References", make_msgid("old%d" % i))]),
            code, obl, tag, "old thread subject names another report; attachment title decides")


# ---------------------------------------------------------------- kind 5
def kind5():
    rows = [
        ("LBCG314", "report-2021-q3", hn(2021, 9, 13, 10, 0), "BC", "docx",
         ["Tiếp theo kết quả sơ kết 6 tháng đầu năm 2021, trong quý III đơn vị tiếp tục duy trì mô hình.",
          "Dự kiến quý IV năm 2021 sẽ tổ chức tổng kết, đánh giá mô hình."]),
        ("LBCH110", "report-2021-y", hn(2021, 12, 6, 9, 0), "Gửi báo cáo", "pdf",
         ["So với năm 2020, số đoàn viên tham gia các hoạt động tăng 12%.",
          "Kết quả 9 tháng đầu năm 2021 đã được báo cáo tại Báo cáo số 11/BC-CĐ."]),
        ("LBCD211", "report-2022-h1", hn(2022, 6, 8, 14, 0), "bao cao", "docx",
         ["Quý I năm 2022 đơn vị đã báo cáo tại Báo cáo số 04/BC-CĐ ngày 10/3/2022.",
          "So với cùng kỳ năm 2021, công tác dân vận có nhiều chuyển biến."]),
        ("LBCG331", "report-2021-q1", hn(2021, 3, 5, 11, 30), "Báo cáo", "docx-paras",
         ["Trên cơ sở kết quả tổng kết năm 2020, đơn vị xây dựng kế hoạch năm 2021.",
          "Phương hướng 6 tháng đầu năm 2021: tập trung hoàn thiện mô hình Dân vận khéo."]),
        ("LBCG345", "report-2022-y", hn(2022, 12, 9, 16, 15), "Gửi LĐLĐ quận", "pdf",
         ["Năm 2021 đơn vị được LĐLĐ quận tặng Giấy khen; năm 2022 tiếp tục phát huy.",
          "Kế hoạch quý I năm 2023: tổ chức Hội nghị cán bộ, viên chức."]),
        ("LBCH112", "report-2022-q3", hn(2022, 9, 14, 8, 20), "BC dan van", "docx",
         ["Kết quả 6 tháng đầu năm 2022 đã được sơ kết; báo cáo này bổ sung kết quả quý III.",
          "Năm 2021 đơn vị có 02 mô hình Dân vận khéo được công nhận."]),
        ("LBCG323", "report-2021-h1", hn(2021, 6, 3, 10, 45), "BC quý II", "docx",
         ["Quý I năm 2021 đơn vị tổ chức tốt phong trào; trong quý II tiếp tục triển khai.",
          "Phương hướng 6 tháng cuối năm 2021 và quý III năm 2021."]),
        ("LBCH114", "report-2022-q1", hn(2022, 3, 1, 9, 50), "Báo cáo DVK", "pdf",
         ["Năm 2021 Ban quản lý chợ đã triển khai mô hình \"Chợ văn minh\"; sang năm 2022 tiếp tục nhân rộng.",
          "Chỉ tiêu cả năm 2022: 100% hộ kinh doanh được tuyên truyền."]),
        ("LBCG306", "report-2021-y", hn(2021, 12, 15, 0, 0, 40), "BAO CAO NAM", "docx",
         ["Trong quý IV năm 2021 đơn vị hoàn thành các chỉ tiêu; kết quả 9 tháng đã báo cáo.",
          "Phương hướng năm 2022: duy trì mô hình."]),
    ]
    for i, (code, obl, arr, subj, kind, extra) in enumerate(rows):
        u = U(code)
        spec = spec_for(code, obl, arr, style=("std", "split", "cd")[i % 3], sign_i=i + 8, extra=extra,
                        title_variant=1 if code in ("LBCG323", "LBCG306") else 0)
        atts = [("%s.%s" % (subj.replace(" ", "_") or "BC", "pdf" if kind == "pdf" else "docx"), render(spec, kind, 500 + i), None)]
        body = "Kính gửi: LĐLĐ quận Long Biên\n%s gửi báo cáo (file đính kèm).\n\nTrân trọng." % body_name(code)
        tags = "body-other-periods;" + kind
        if code == "LBCG306":
            tags += ";boundary"
        add(_m((body_name(code), u["emails"][0]), subj, arr, body, atts, subj_enc="Q"), code, obl, tags,
            "document body mentions other periods/years; title decides")


# ---------------------------------------------------------------- kind 6
def kind6():
    rows = [
        # code, obl, arrival, sender mode ('reg' or personal index), subject, body-sig, kind
        ("LBCG302", "report-2021-q1", hn(2021, 3, 10, 8, 0), "reg", "BC quý I - Tiểu học Thạch Bàn", "", "docx"),
        ("LBCG301", "report-2021-y", hn(2021, 12, 14, 10, 10), "reg", "Báo cáo năm MN Thạch Bàn", "", "pdf"),
        ("LBCG305", "report-2022-h1", hn(2022, 6, 9, 20, 5), 3, "BC 6 tháng",
         "Phạm Bảo Ngọc\nChủ tịch CĐ Trường Tiểu học Cự Khối\nĐT: 0904 228 915", "docx"),
        ("LBCG320", "report-2022-q3", hn(2022, 9, 11, 9, 30), "reg", "BC quý 3 - TH Hoa Phượng B", "", "docx"),
        ("LBCG319", "report-2022-q1", hn(2022, 3, 7, 15, 45), 15, "BC quy I", "", "docx"),
        ("LBCG322", "report-2021-h1", hn(2021, 6, 14, 16, 30), "reg", "Báo cáo sơ kết", "", "pdf"),
        ("LBCG321", "report-2022-q3", hn(2022, 9, 16, 10, 0), "reg", "Báo cáo 9 tháng năm 2022", "", "docx"),
        ("LBCD201", "report-2021-q1", hn(2021, 3, 13, 11, 20), "reg", "Báo cáo quý I/2021 - Công ty CP Cơ khí Sông Đuống",
         "Ghi chú: báo cáo này không bao gồm Công ty TNHH MTV Cơ khí Sông Đuống Thăng Long (đơn vị đã báo cáo riêng).", "docx"),
        ("LBCD210", "report-2021-y", hn(2021, 12, 3, 14, 0), "reg", "BC tổng kết năm 2021 - Chi nhánh Sài Đồng", "", "pdf"),
        ("LBCG324", "report-2021-q3", hn(2021, 9, 6, 19, 20), 16, "bc quy 3", "", "docx"),
        ("LBCG326", "report-2022-h1", hn(2022, 6, 2, 8, 30), "reg", "BC 6 thang", "", "docx"),
        ("LBCG344", "report-2021-q1", hn(2021, 3, 9, 9, 45), "reg", "Báo cáo quý I", "", "docx"),
    ]
    for i, (code, obl, arr, mode, subj, sig, kind) in enumerate(rows):
        u = U(code)
        style = "abbr" if i % 4 == 1 else "std"
        spec = spec_for(code, obl, arr, style=style, sign_i=i + 1)
        atts = [("%s.%s" % ("Bao cao" if i % 2 else "BC", "pdf" if kind == "pdf" else "docx"), render(spec, kind, 600 + i), None)]
        if mode == "reg":
            frm = (body_name(code), u["emails"][0])
            body = "Kính gửi: LĐLĐ quận Long Biên\nĐơn vị gửi báo cáo.\n" + (("\n" + sig) if sig else "")
            tags = "confusable;registered"
        else:
            frm = PERSONAL[mode]
            body = "Kính gửi LĐLĐ quận\nEm gửi báo cáo ạ.\n\n" + (sig or PHONE_SIG[i % 4])
            tags = "confusable;personal-sender;" + ("by-name-signature" if sig else "letterhead-only")
        add(_m(frm, subj, arr, body, atts), code, obl, tags, "sibling/similar-named union exists")
