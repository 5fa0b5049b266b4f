"""Kinds 1-3: personal sender + letterhead only; forwarding by another union; photos/scans."""
from common import (CASES, add, spec_for, render, PERSONAL, PHONE_SIG, signer, body_name, mail_of, letterhead)
from data import U, strip_diac
from mime import hn, make_msgid, fwd_block, outlook_quote
from datetime import timedelta


def _m(frm, subject, arrival, body, atts, date=None, **kw):
    n = len(CASES) + 1000
    m = dict(from_name=frm[0], from_addr=frm[1], subject=subject, arrival=arrival,
             date=date or (arrival - timedelta(seconds=7 + n % 50)), body=body, attachments=atts,
             msgid=make_msgid(n))
    m.update(kw)
    return m


# ---------------------------------------------------------------- kind 1
K1 = [
    # code, obl, arrival, layout, letterhead style, subject, body, filename, extra tags
    ("LBCG304", "report-2021-q1", hn(2021, 3, 9, 15, 12), "docx", "std", "Báo cáo quý I",
     "Kính gửi: LĐLĐ quận Long Biên\n\nEm gửi báo cáo quý I ạ.\nEm cảm ơn!", "BC quy 1.docx", ""),
    ("LBCG316", "report-2021-h1", hn(2021, 6, 11, 10, 40), "docx-paras", "std", "bao cao 6 thang",
     "Em gui bao cao 6 thang dau nam, nho chi nhan giup em a.\n\n" + PHONE_SIG[0], "bao cao 6 thang 2021.docx", "nodiac;phone"),
    ("LBCD214", "report-2021-q3", hn(2021, 9, 13, 16, 5), "pdf-merged", "std", "Gửi LĐLĐ",
     "Kính gửi LĐLĐ quận,\nTôi gửi file báo cáo đính kèm.\n\nTrân trọng.", "BC.pdf", "pdf-merged"),
    ("LBCG321", "report-2021-y", hn(2021, 12, 8, 9, 30), "docx", "split", "V/v báo cáo",
     "Kính gửi: Liên đoàn Lao động quận Long Biên\nĐồng chí vui lòng nhận báo cáo đính kèm.\n\nThơm\n0912 447 318", "Bao cao tong ket.docx", "split-cdcs"),
    ("LBCG311", "report-2022-q1", hn(2022, 3, 10, 14, 20), "docx", "phong", "BC",
     "Chị ơi em gửi báo cáo ạ", "BC quý 1 2022.docx", "letterhead-phong"),
    ("LBCG337", "report-2022-h1", hn(2022, 6, 14, 21, 47), "pdf", "ubnd", "gui bao cao",
     "Kinh gui LDLD quan Long Bien. Em gui bao cao.\n" + PHONE_SIG[1], "scan_bc.pdf", "letterhead-ubnd;nodiac;phone"),
    ("LBCD207", "report-2022-q3", hn(2022, 9, 7, 8, 55), "docx-paras", "abbr", "Báo cáo 9 tháng",
     "Kính gửi: LĐLĐ quận Long Biên\nEm là kế toán, em gửi báo cáo 9 tháng ạ.\nMận", "BC 9T.docx", "abbrev"),
    ("LBCG340", "report-2022-y", hn(2022, 12, 2, 11, 11), "pdf-merged", "split", "",
     "Em gửi LĐLĐ quận báo cáo tổng kết ạ.", "Tong ket.pdf", "pdf-merged;split-cdcs;empty-subject"),
    ("LBCH105", "report-2021-q1", hn(2021, 3, 16, 9, 2), "docx", "abbr", "Báo cáo dân vận",
     "Kính gửi LĐLĐ quận Long Biên\nXin lỗi vì gửi muộn, em gửi báo cáo ạ.\n\nTrịnh Hữu Phước", "bao cao DVK.docx", "abbrev;late"),
    ("LBCG335", "report-2022-q1", hn(2022, 3, 3, 17, 25), "docx", "phong", "BÁO CÁO QUÝ I",
     "Em gửi báo cáo.\n--\nKim Oanh\nĐT: 0983 115 602", "baocao.docx", "letterhead-phong;caps-subject"),
    ("LBCD209", "report-2021-h1", hn(2021, 6, 4, 13, 14), "pdf", "cd", "BC 6 thang",
     "Dear anh/chị,\nEm gửi báo cáo 6 tháng đầu năm của đơn vị.\nBest regards,\nMai Anh", "Report_H1.pdf", ""),
    ("LBCG318", "report-2021-q3", hn(2021, 9, 14, 23, 59, 20), "docx-paras", "split", "bc quy 3",
     "Em gửi báo cáo quý III ạ, em xin lỗi vì gửi muộn trong đêm.", "BC Q3.docx", "split-cdcs;boundary"),
]


def kind1():
    for i, (code, obl, arr, kind, style, subj, body, fn, extra) in enumerate(K1):
        frm = PERSONAL[[0, 1, 2, 6, 4, 5, 7, 9, 8, 10, 12, 11][i]]
        spec = spec_for(code, obl, arr, style=style, sign_i=i)
        atts = [(fn, render(spec, kind, i), "2047")]
        tags = "personal-sender;letterhead-only;" + kind.replace("docx-paras", "docx-paras") + (";" + extra if extra else "")
        add(_m(frm, subj, arr, body, atts, body_enc="qp" if i % 4 == 1 else "b64"), code, obl, tags.strip(";"),
            "personal address not in directory; union only in letterhead (%s)" % style)


# ---------------------------------------------------------------- kind 2
def kind2():
    # (forwarder code, real code, obl, arrival, mode, subject, doc kind, fname)
    rows = [
        ("LBCH101", "LBCG301", "report-2021-q1", hn(2021, 3, 11, 10, 5), "fwd", "Fwd: BC quý I trường MN", "docx", "BC quy I MN.docx"),
        ("LBCH102", "LBCG304", "report-2021-q3", hn(2021, 9, 10, 15, 35), "direct", "Báo cáo quý III", "pdf", "BCQ3.pdf"),
        ("LBCH104", "LBCG307", "report-2022-y", hn(2022, 12, 16, 8, 20), "fwd", "Fwd: bao cao tong ket nam", "docx", "tongket2022.docx"),
        ("LBCD201", "LBCD202", "report-2021-h1", hn(2021, 6, 10, 9, 45), "direct", "V/v gửi báo cáo 6 tháng của Công ty con", "docx", "BC 6T - SD Thang Long.docx"),
        ("LBCD203", "LBCD204", "report-2022-q1", hn(2022, 3, 14, 16, 50), "fwd", "Fwd: Báo cáo quý I/2022", "pdf", "BC_Q1_2022.pdf"),
        ("LBCD215", "LBCD216", "report-2022-q3", hn(2022, 9, 12, 11, 0), "outlook", "TL: Báo cáo 9 tháng", "docx", "Bao cao 9 thang.docx"),
        ("LBCG319", "LBCG320", "report-2021-y", hn(2021, 12, 13, 14, 10), "direct", "Gửi hộ báo cáo năm trường TH Hoa Phượng B", "docx", "BC nam 2021.docx"),
        ("LBCG343", "LBCG344", "report-2022-h1", hn(2022, 6, 15, 7, 40), "fwd", "Fwd: BC so ket 6 thang", "pdf", "so ket 6 thang.pdf"),
        ("LBCG325", "LBCG326", "report-2021-q1", hn(2021, 3, 12, 20, 15), "direct", "Báo cáo quý I (gửi giúp)", "docx", "BC quy I.docx"),
        ("LBCH115", "LBCG313", "report-2022-q3", hn(2022, 9, 8, 10, 25), "fwd", "Fwd: Báo cáo 9 tháng năm 2022", "docx", "BC 9 thang MN.docx"),
    ]
    for i, (fc, rc, obl, arr, mode, subj, kind, fn) in enumerate(rows):
        fu, ru = U(fc), U(rc)
        spec = spec_for(rc, obl, arr, style="std" if i % 3 else "split", sign_i=i + 3)
        atts = [(fn, render(spec, kind, 100 + i), "2047")]
        fname = signer(i + 7)
        sign = "\n\n%s\nVăn phòng - %s" % (fname, fu["name"].replace("CĐCS ", ""))
        if mode == "fwd":
            orig_from = "%s <%s>" % (signer(i + 3), "gv.%s@gmail.com" % strip_diac(signer(i + 3)).lower().replace(" ", "")[:12])
            orig_dt = arr - timedelta(days=1, hours=2)
            inner = "Kính gửi văn phòng,\nNhờ văn phòng chuyển giúp báo cáo của %s lên LĐLĐ quận ạ." % body_name(rc)
            body = "Kính gửi LĐLĐ quận Long Biên,\nChúng tôi chuyển tiếp báo cáo của đơn vị bạn theo đề nghị." + sign + "\n\n" + \
                fwd_block(orig_dt, orig_from, subj.replace("Fwd: ", ""), to=fu["emails"][0], vn=i % 2 == 0, body=inner)
        elif mode == "outlook":
            inner = "Gửi anh chị Công ty mẹ,\nEm gửi báo cáo 9 tháng của %s, nhờ anh chị gửi giúp lên LĐLĐ quận." % body_name(rc)
            body = "Kính gửi LĐLĐ quận,\nCông ty gửi kèm báo cáo của đơn vị thành viên." + sign + "\n\n" + \
                outlook_quote(arr - timedelta(hours=5), "KT %s" % body_name(rc), "Báo cáo 9 tháng", to=fu["emails"][0], body=inner)
        else:
            body = "Kính gửi: LĐLĐ quận Long Biên\nĐơn vị chúng tôi gửi giúp báo cáo của %s (đơn vị chưa có địa chỉ gửi được).%s" % (
                body_name(rc) if i != 8 else "trường bạn", sign)
        tags = "forward-by-other-union;" + {"fwd": "forward", "outlook": "forward;outlook-quote", "direct": "sent-on-behalf"}[mode]
        if fc in ("LBCD201", "LBCD203", "LBCD215") or fc in ("LBCG319", "LBCG343", "LBCG325"):
            tags += ";confusable"
        add(_m((fu["name"].replace("CĐCS ", ""), fu["emails"][0]), subj, arr, body, atts), rc, obl, tags,
            "sent by %s's address; letterhead names %s" % (fc, rc))


# ---------------------------------------------------------------- kind 3
def kind3():
    rows = [
        # code, obl, arrival, kind, subject(None=absent), n pages, body
        ("LBCG309", "report-2021-q1", hn(2021, 3, 8, 7, 15), "jpg", None, 2, ""),
        ("LBCH111", "report-2021-h1", hn(2021, 6, 9, 10, 2), "scan", "Scan", 1, "Scanned by CamScanner"),
        ("LBCG329", "report-2021-q3", hn(2021, 9, 15, 6, 48), "jpg", "Gửi LĐLĐ quận", 1, PHONE_SIG[0]),
        ("LBCD212", "report-2021-y", hn(2021, 12, 10, 15, 33), "scan", "tai lieu", 1, ""),
        ("LBCG342", "report-2022-q1", hn(2022, 3, 11, 9, 9), "jpg", "", 1, "Em gửi ạ"),
        ("LBCH109", "report-2022-h1", hn(2022, 6, 13, 16, 27), "scan", "Scan0012", 1, "Scan0012.pdf"),
        ("LBCG336", "report-2022-q3", hn(2022, 9, 9, 12, 1), "jpg", "(không có tiêu đề)", 2, PHONE_SIG[3]),
        ("LBCD217", "report-2022-y", hn(2022, 12, 14, 17, 44), "scan", "Gui LDLD", 1, "Gui anh chi file scan."),
        ("LBCG327", "report-2022-q1", hn(2022, 3, 15, 8, 3), "scan", None, 1, ""),
        ("LBCH118", "report-2021-q1", hn(2021, 3, 12, 10, 59), "jpg", "Fw:", 1, "Gửi từ điện thoại Samsung Galaxy"),
    ]
    for i, (code, obl, arr, kind, subj, pages, body) in enumerate(rows):
        u = U(code)
        spec = spec_for(code, obl, arr, style="std" if i % 2 else "split", sign_i=i + 5, title_variant=i % 2)
        atts = []
        if kind == "jpg":
            for p in range(pages):
                sp = dict(spec)
                if p == 1:  # second page: rest of body + signature
                    sp = dict(left=[], right=[" "], no="", place="", title=[],
                              body=["III. KIẾN NGHỊ, ĐỀ XUẤT: không."], sign=spec["sign"])
                elif pages == 2:
                    sp["sign"] = []
                ts = arr - timedelta(minutes=3 - p)
                atts.append(("IMG_%s_%s.jpg" % (ts.strftime("%Y%m%d"), ts.strftime("%H%M%S")), render(sp, "jpg", 200 + i * 3 + p), None))
        else:
            atts.append(("%s.pdf" % (subj if subj and subj.startswith("Scan") else "Scan_%s" % arr.strftime("%Y%m%d%H%M")),
                         render(spec, "scan", 300 + i), None))
        tags = ("photo" if kind == "jpg" else "scan") + ";generic-subject" + (";no-subject" if subj is None else "")
        if code == "LBCG329" or code == "LBCG327":
            tags += ";boundary;late"
        if u["emails"] and len(u["emails"]) > 1 and i == 8:
            em = u["emails"][1]
            tags += ";second-address"
        else:
            em = u["emails"][0]
        add(_m(("", em) if i % 3 == 0 else (body_name(code), em), subj, arr, body, atts), code, obl, tags,
            "registered address; obligation only in the image title")
