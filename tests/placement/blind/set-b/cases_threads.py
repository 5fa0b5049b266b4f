# -*- coding: utf-8 -*-
"""Gmail/Outlook threads carrying new reports under old subjects, forwards, resends, addenda."""
import hashlib
from cases_common import *
from gen_mail import hn, FED, quote_gmail, quote_outlook, fwd_gmail, quote_gmail_en
from gen_directory import U


def gmid(key, dom="mail.gmail.com"):
    h = hashlib.sha1(key.encode()).hexdigest()
    return "<CA%s+%s@%s>" % (h[:20].upper(), h[20:36], dom)


def short(code, what, k=1):
    return "%s\n\nEm gửi %s ạ.\n\n%s" % (kg(k), what, sig(code))


def build():
    # T1 UBND phường Long Biên: Q1 then H1 as a reply to the Q1 mail
    m1 = gmid("BH06-q1")
    t1 = short("BH06", "báo cáo kết quả công tác dân vận quý I năm 2021 của CĐCS UBND phường Long Biên")
    a1 = hn(2021, 3, 10, 9, 14)
    add({"client": "gmail", "mid": m1, "from": ("Cong doan phuong Long Bien", addr_of("BH06")), "arrival": a1,
         "subject": "Báo cáo quý I/2021",
         "text": t1, "attachments": [att_report("BH06", "report-2021-q1", d(2021, 3, 10), name="BC quy I-2021.docx")]},
        "BH06", "report-2021-q1", tags="thread")
    add({"client": "gmail", "mid": gmid("BH06-h1"), "in_reply_to": m1, "from": ("Cong doan phuong Long Bien", addr_of("BH06")),
         "arrival": hn(2021, 6, 10, 15, 2), "subject": "Re: Báo cáo quý I/2021",
         "text": "Em gửi tiếp báo cáo sơ kết 6 tháng đầu năm 2021 ạ.\n\n" + sig("BH06") + "\n\n" +
                 quote_gmail(a1, "Cong doan phuong Long Bien", addr_of("BH06"), t1),
         "attachments": [att_report("BH06", "report-2021-h1", d(2021, 6, 10), name="BC 6 thang 2021.docx")]},
        "BH06", "report-2021-h1", tags="thread;old-subject;quoted-other;reply",
        note="subject of the Q1 thread; new attachment is the 6-month report")

    # T2 UBND Ngọc Thụy: Q3 2021 sent as Outlook reply to the federation's H1 request
    req = ("Kính gửi các CĐCS,\nĐề nghị các đơn vị gửi báo cáo sơ kết 6 tháng đầu năm 2021 về LĐLĐ quận trước ngày 15/6/2021.\n"
           "Trân trọng!\nLĐLĐ quận Long Biên")
    add({"client": "outlook", "from": ("CD phuong Ngoc Thuy", addr_of("BH08")), "arrival": hn(2021, 9, 13, 10, 26),
         "subject": "TL: V/v báo cáo sơ kết 6 tháng đầu năm 2021",
         "text": "Kính gửi LĐLĐ quận,\nCĐCS UBND phường Ngọc Thụy gửi báo cáo quý III năm 2021 (báo cáo 9 tháng).\n\nTrân trọng,\n" +
                 sig("BH08") + "\n\n" + quote_outlook(hn(2021, 6, 1, 8, 0), "LĐLĐ quận Long Biên", FED[1], "các CĐCS",
                                                      "V/v báo cáo sơ kết 6 tháng đầu năm 2021", req),
         "attachments": [att_report("BH08", "report-2021-q3", d(2021, 9, 13), name="Bao cao quy III.docx")]},
        "BH08", "report-2021-q3", tags="thread;old-subject;quoted-other;outlook")

    # T3 MN Hoa Mai: annual 2021, then Q1 2022 as a forward of that old mail
    a = hn(2021, 12, 9, 14, 5)
    t = short("BM02", "báo cáo tổng kết công tác dân vận năm 2021 của trường MN Hoa Mai")
    add({"client": "gmail", "from": ("Truong MN Hoa Mai", addr_of("BM02")), "arrival": a,
         "subject": "Báo cáo tổng kết năm 2021", "text": t,
         "attachments": [att_report("BM02", "report-2021-y", d(2021, 12, 9), name="BC TK 2021.docx")]},
        "BM02", "report-2021-y", tags="school")
    add({"client": "gmail", "from": ("Truong MN Hoa Mai", addr_of("BM02")), "arrival": hn(2022, 3, 8, 8, 47),
         "subject": "Fwd: Báo cáo tổng kết năm 2021",
         "text": "Em gửi báo cáo quý I năm 2022 của trường MN Hoa Mai ạ.\n\n" +
                 fwd_gmail(a, "Truong MN Hoa Mai", addr_of("BM02"), "Báo cáo tổng kết năm 2021", FED[1], t),
         "attachments": [att_report("BM02", "report-2022-q1", d(2022, 3, 7), name="BC quy I 2022.docx")]},
        "BM02", "report-2022-q1", tags="school;thread;old-subject;forward-own;quoted-other")

    # T4 Môi trường đô thị: H1 2022 as a reply to the federation's Q1 announcement
    ann = fed_announce_text(2022, "báo cáo quý I năm 2022")
    add({"client": "gmail", "from": ("Cong doan Moi truong do thi LB", addr_of("BD10")), "arrival": hn(2022, 6, 14, 16, 40),
         "subject": "Re: [LĐLĐ Long Biên] Thông báo gửi báo cáo quý I năm 2022",
         "text": "Gửi LĐLĐ báo cáo 6 tháng đầu năm 2022 của Công đoàn Công ty CP Môi trường đô thị Long Biên.\n\n" + sig("BD10") + "\n\n" +
                 quote_gmail(hn(2022, 3, 1, 8, 0), "LĐLĐ quận Long Biên", FED[1], ann),
         "attachments": [att_report("BD10", "report-2022-h1", d(2022, 6, 14), name="BC 6T 2022 MTDT.docx")]},
        "BD10", "report-2022-h1", tags="thread;old-subject;quoted-other;reply")

    # T5 THCS Ngọc Lâm: one thread carrying Q1, H1 and Q3 2022
    m1, m2 = gmid("BC05-q1"), gmid("BC05-h1")
    a1, a2 = hn(2022, 3, 10, 10, 0), hn(2022, 6, 9, 9, 30)
    t1 = short("BC05", "báo cáo quý I năm 2022")
    add({"client": "gmail", "mid": m1, "from": ("THCS Ngoc Lam", addr_of("BC05")), "arrival": a1,
         "subject": "BC quý I", "text": t1,
         "attachments": [att_report("BC05", "report-2022-q1", d(2022, 3, 10), name="BC quy I.docx")]},
        "BC05", "report-2022-q1", tags="school;short-subject")
    t2 = "Em gửi báo cáo 6 tháng ạ.\n" + sig("BC05") + "\n\n" + quote_gmail(a1, "THCS Ngoc Lam", addr_of("BC05"), t1)
    add({"client": "gmail", "mid": m2, "in_reply_to": m1, "from": ("THCS Ngoc Lam", addr_of("BC05")), "arrival": a2,
         "subject": "Re: BC quý I", "text": t2,
         "attachments": [att_report("BC05", "report-2022-h1", d(2022, 6, 9), name="BC 6 thang.docx")]},
        "BC05", "report-2022-h1", tags="school;thread;old-subject;quoted-other;reply")
    add({"client": "gmail", "in_reply_to": m2, "references": m1 + " " + m2, "from": ("THCS Ngoc Lam", addr_of("BC05")),
         "arrival": hn(2022, 9, 13, 14, 20), "subject": "Re: BC quý I",
         "text": "Em gửi báo cáo quý III năm 2022 ạ.\n" + sig("BC05") + "\n\n" + quote_gmail(a2, "THCS Ngoc Lam", addr_of("BC05"), t2),
         "attachments": [att_report("BC05", "report-2022-q3", d(2022, 9, 13), name="BC quy III 2022.docx")]},
        "BC05", "report-2022-q3", tags="school;thread;old-subject;quoted-other;reply",
        note="quote contains the Q1 and the 6-month mails")

    # T6 UBND Phúc Lợi: Q3 2021 then "gửi lại bản có dấu"
    a = hn(2021, 9, 14, 21, 2)
    t = short("BH10", "báo cáo quý III năm 2021")
    m = gmid("BH10-q3")
    add({"client": "gmail", "mid": m, "from": ("CD phuong Phuc Loi", addr_of("BH10")), "arrival": a,
         "subject": "báo cáo quý III", "text": t,
         "attachments": [att_report("BH10", "report-2021-q3", d(2021, 9, 14), name="BC quy III.docx")]},
        "BH10", "report-2021-q3", tags="near-deadline")
    add({"client": "gmail", "in_reply_to": m, "from": ("CD phuong Phuc Loi", addr_of("BH10")), "arrival": hn(2021, 9, 16, 10, 9),
         "subject": "Re: báo cáo quý III",
         "text": "Em gửi lại bản có dấu ạ.\n\n" + sig("BH10") + "\n\n" + quote_gmail(a, "CD phuong Phuc Loi", addr_of("BH10"), t),
         "attachments": [att_report("BH10", "report-2021-q3", d(2021, 9, 14), kind="scan-jpg", name="BC quy III (co dau).jpg", seed=10)]},
        "BH10", "report-2021-q3", tags="resend;signed-copy;scan;reply",
        note="resend after deadline; first version on time")

    # T7 THCS Phúc Đồng: forgot the attachment, resent five minutes later
    add({"client": "roundcube", "from": ("THCS Phuc Dong", addr_of("BC07")), "arrival": hn(2021, 12, 14, 16, 0, 12),
         "subject": "Báo cáo tổng kết năm 2021",
         "text": "%s\n\nCông đoàn trường THCS Phúc Đồng gửi báo cáo tổng kết năm 2021.\n\n%s" % (kg(1), sig("BC07"))},
        "BC07", "", counts=0, tags="noise;noise-no-attachment;school",
        note="announces the report but carries no file; the real submission follows 5 minutes later")
    add({"client": "roundcube", "from": ("THCS Phuc Dong", addr_of("BC07")), "arrival": hn(2021, 12, 14, 16, 5, 40),
         "subject": "Báo cáo tổng kết năm 2021 (gửi lại kèm file)",
         "text": "%s\n\nEm xin lỗi, thư trước quên đính kèm. Em gửi lại báo cáo tổng kết năm 2021 ạ.\n\n%s" % (kg(1), sig("BC07")),
         "attachments": [att_report("BC07", "report-2021-y", d(2021, 12, 14), name="TK nam 2021.docx")]},
        "BC07", "report-2021-y", tags="school;resend")

    # T8 Trạm Y tế Bồ Đề: Q1 2022 then addendum after the deadline
    add({"client": "gmail", "from": ("Tram Y te Bo De", addr_of("BH15")), "arrival": hn(2022, 3, 14, 10, 0),
         "subject": "Báo cáo quý I năm 2022",
         "text": short("BH15", "báo cáo quý I năm 2022 của CĐCS Trạm Y tế phường Bồ Đề"),
         "attachments": [att_report("BH15", "report-2022-q1", d(2022, 3, 14), name="BC quy I.docx")]},
        "BH15", "report-2022-q1", tags="")
    add({"client": "gmail", "from": ("Tram Y te Bo De", addr_of("BH15")), "arrival": hn(2022, 3, 16, 8, 50),
         "subject": "Bổ sung số liệu báo cáo quý I",
         "text": short("BH15", "bổ sung số liệu vào báo cáo quý I năm 2022 (mục 2, 3), đề nghị LĐLĐ thay bản cũ"),
         "attachments": [att_report("BH15", "report-2022-q1", d(2022, 3, 16), name="BC quy I (bo sung).docx", seed=1,
                                    extra=["(Bổ sung) Số liệu đoàn viên tham gia tiêm chủng, trực chống dịch đã cập nhật đến 15/3/2022."])]},
        "BH15", "report-2022-q1", tags="resend;addendum", note="addendum after deadline; first version on time")

    # T9 Xe khách Gia Lâm: H1 2021 late, then "đính chính"
    add({"client": "gmail", "from": ("Cong doan Xe khach Gia Lam", addr_of("BD14")), "arrival": hn(2021, 6, 15, 9, 0),
         "subject": "BC 6 tháng đầu năm 2021",
         "text": short("BD14", "báo cáo sơ kết 6 tháng đầu năm 2021"),
         "attachments": [att_report("BD14", "report-2021-h1", d(2021, 6, 15), name="BC 6 thang dau nam.docx")]},
        "BD14", "report-2021-h1", tags="late")
    add({"client": "gmail", "from": ("Cong doan Xe khach Gia Lam", addr_of("BD14")), "arrival": hn(2021, 6, 15, 14, 2),
         "subject": "Đính chính BC 6 tháng đầu năm 2021",
         "text": short("BD14", "bản đính chính báo cáo 6 tháng (sửa số liệu mục I.2). Đề nghị LĐLĐ sử dụng bản này"),
         "attachments": [att_report("BD14", "report-2021-h1", d(2021, 6, 15), name="BC 6 thang (dinh chinh).docx", seed=2)]},
        "BD14", "report-2021-h1", tags="resend;correction;late")

    # T10 THPT Phúc Lợi: annual 2022 then a photo of the signed copy
    add({"client": "gmail", "from": ("CĐ THPT Phúc Lợi", addr_of("BP04")), "arrival": hn(2022, 12, 14, 22, 31),
         "subject": "Báo cáo tổng kết năm 2022",
         "text": short("BP04", "báo cáo tổng kết công tác dân vận năm 2022 (bản word, bản có dấu em gửi sau)"),
         "attachments": [att_report("BP04", "report-2022-y", d(2022, 12, 14), name="BC TK 2022.docx")]},
        "BP04", "report-2022-y", tags="school;near-deadline")
    add({"client": "android", "from": ("CĐ THPT Phúc Lợi", addr_of("BP04")), "arrival": hn(2022, 12, 19, 11, 3),
         "subject": "Gửi lại bản có dấu - BC tổng kết 2022",
         "text": "Em gửi lại bản có dấu ạ.\n\nSent from my Samsung Galaxy smartphone.",
         "attachments": [att_report("BP04", "report-2022-y", d(2022, 12, 14), kind="photo", name="20221219_110122.jpg", seed=44)]},
        "BP04", "report-2022-y", tags="school;resend;signed-copy;photo;phone")

    # T11 UBND Ngọc Lâm: annual 2020 resent because the file was broken
    add({"client": "outlook", "from": ("UBND phuong Ngoc Lam", addr_of("BH07")), "arrival": hn(2020, 12, 11, 15, 40),
         "subject": "V/v báo cáo tổng kết công tác dân vận năm 2020",
         "text": short("BH07", "báo cáo tổng kết công tác dân vận năm 2020", k=0),
         "attachments": [att_report("BH07", "report-2020-y", d(2020, 12, 11), name="BC TK 2020.docx")]},
        "BH07", "report-2020-y", tags="outlook;formal")
    add({"client": "outlook", "from": ("UBND phuong Ngoc Lam", addr_of("BH07")), "arrival": hn(2020, 12, 16, 9, 12),
         "subject": "Gửi lại báo cáo năm 2020 (file trước bị lỗi font)",
         "text": short("BH07", "lại báo cáo tổng kết năm 2020 dạng PDF do file trước bị lỗi font", k=0),
         "attachments": [att_report("BH07", "report-2020-y", d(2020, 12, 11), kind="pdf", name="BC TK 2020.pdf")]},
        "BH07", "report-2020-y", tags="outlook;resend")

    # T12 forwards by another union / person
    p = who("BT16")
    inner = "Nhờ Phòng chuyển giúp LĐLĐ quận báo cáo quý III của CĐ trường TH Giang Biên ạ.\n%s - Chủ tịch CĐ trường TH Giang Biên" % p["name"]
    add({"client": "roundcube", "from": ("Phong GD&DT Long Bien", addr_of("BH23")), "arrival": hn(2021, 9, 14, 8, 20),
         "subject": "Fwd: Báo cáo quý III TH Giang Biên",
         "text": "Kính chuyển LĐLĐ quận báo cáo của CĐ trường TH Giang Biên (trường chưa có hộp thư công đoàn).\n\n" +
                 fwd_gmail(hn(2021, 9, 13, 20, 11), p["name"], "hoa.thgiangbien@gmail.com", "Báo cáo quý III TH Giang Biên",
                           addr_of("BH23"), inner, lang="vi"),
         "attachments": [att_report("BT16", "report-2021-q3", d(2021, 9, 13), name="BC quy III - TH Giang Bien.docx")]},
        "BT16", "report-2021-q3", tags="school;forward;forward-by-other-union")
    p = who("BH27")
    add({"client": "outlook", "from": ("UBND phuong Phuc Dong", addr_of("BH09")), "arrival": hn(2022, 6, 13, 9, 2),
         "subject": "FW: BC 6 tháng Trạm Y tế Phúc Đồng",
         "text": "Kính gửi LĐLĐ quận,\nCĐCS UBND phường chuyển báo cáo sơ kết 6 tháng 2022 của CĐCS Trạm Y tế phường Phúc Đồng. "
                 "Báo cáo của CĐCS UBND phường sẽ gửi riêng.\n\n" + sig("BH09") + "\n\n" +
                 quote_outlook(hn(2022, 6, 12, 17, 0), p["name"], "tytphucdong.cd@gmail.com", addr_of("BH09"),
                               "BC 6 tháng Trạm Y tế Phúc Đồng", "Nhờ chị chuyển LĐLĐ quận giúp em.\n" + p["name"] + "\nCĐCS Trạm Y tế phường Phúc Đồng"),
         "attachments": [att_report("BH27", "report-2022-h1", d(2022, 6, 12), name="BC 6T TYT Phuc Dong.docx")]},
        "BH27", "report-2022-h1", tags="forward;forward-by-other-union;outlook",
        note="forwarded by UBND Phúc Đồng (BH09) whose own report is not in this message")
    p = who("BM05")
    add({"client": "gmail", "from": ("Cong doan phuong Ngoc Thuy", addr_of("BH08")), "arrival": hn(2022, 9, 9, 15, 45),
         "subject": "Fwd: bao cao quy 3 MN Ngoc Thuy",
         "text": "Chuyển LĐLĐ báo cáo quý III của trường MN Ngọc Thụy.\n\n" +
                 fwd_gmail(hn(2022, 9, 9, 11, 2), p["name"], "mnngocthuy.ketoan@gmail.com", "bao cao quy 3 MN Ngoc Thuy", addr_of("BH08"),
                           "Chi gui giup em bao cao quy 3 cua truong MN Ngoc Thuy len LDLD quan a.\n" + p["name"]),
         "attachments": [att_report("BM05", "report-2022-q3", d(2022, 9, 9), name="bc quy 3.docx")]},
        "BM05", "report-2022-q3", tags="school;forward;forward-by-other-union;nodiac")
    p, q = who("BC06"), who("BC06", 1)
    add({"client": "gmail", "from": (q["name"], "vuminh.thcsnt@gmail.com"), "arrival": hn(2021, 3, 13, 20, 30),
         "subject": "Fwd: bao cao quy I",
         "text": "Em chuyển báo cáo quý I/2021 của CĐ trường THCS Ngọc Thụy (cô %s nhờ gửi).\n\n" % p["name"] +
                 fwd_gmail(hn(2021, 3, 13, 19, 58), p["name"], "huongnt.ngocthuy@gmail.com", "bao cao quy I", "<%s>" % "vuminh.thcsnt@gmail.com",
                           "Em gui len LDLD giup chi nhe.\n" + sig("BC06", nd=True)),
         "attachments": [att_report("BC06", "report-2021-q1", d(2021, 3, 13), name="BC quy I.docx")]},
        "BC06", "report-2021-q1", tags="school;forward;forward-by-person;personal-addr")

    # T14 UBND Gia Thụy: Q3 then annual as a reply to the Q3 mail
    m = gmid("BH04-q3")
    a = hn(2021, 9, 10, 8, 40)
    t = short("BH04", "báo cáo công tác dân vận quý III năm 2021", k=0)
    add({"client": "roundcube", "mid": m, "from": ("UBND phuong Gia Thuy", addr_of("BH04")), "arrival": a,
         "subject": "Báo cáo quý III năm 2021", "text": t,
         "attachments": [att_report("BH04", "report-2021-q3", d(2021, 9, 10), name="BC QIII 2021.docx")]},
        "BH04", "report-2021-q3", tags="")
    add({"client": "roundcube", "in_reply_to": m, "from": ("UBND phuong Gia Thuy", addr_of("BH04")), "arrival": hn(2021, 12, 13, 16, 30),
         "subject": "Re: Báo cáo quý III năm 2021",
         "text": "Em gửi báo cáo tổng kết năm 2021 ạ.\n" + sig("BH04") + "\n\n" +
                 quote_gmail_en(a, "UBND phuong Gia Thuy", addr_of("BH04"), t),
         "attachments": [att_report("BH04", "report-2021-y", d(2021, 12, 13), name="BC TK nam 2021.docx")]},
        "BH04", "report-2021-y", tags="thread;old-subject;quoted-other;reply")

    # T15 replies to the federation's DVK announcement: one registers, one sends Q1 under that subject
    dv = ("Kính gửi các CĐCS,\nThực hiện Kế hoạch của Quận ủy, đề nghị các CĐCS đăng ký ít nhất 01 mô hình \"Dân vận khéo\" năm 2021, "
          "gửi về LĐLĐ quận trước ngày 22/02/2021.\nLĐLĐ quận Long Biên")
    add({"client": "gmail", "from": ("Van tai thuy Long Bien", addr_of("BD18")), "arrival": hn(2021, 2, 8, 9, 10),
         "subject": "TL: Thông báo V/v đăng ký mô hình Dân vận khéo năm 2021",
         "text": short("BD18", "phiếu đăng ký mô hình Dân vận khéo năm 2021") + "\n\n" +
                 quote_gmail(hn(2021, 1, 20, 8, 0), "LĐLĐ quận Long Biên", FED[1], dv),
         "attachments": [att_dvk("BD18", d(2021, 2, 8), name="Phieu dang ky DVK.docx")]},
        "BD18", "dvk-2021", tags="dvk;reply")
    add({"client": "gmail", "from": ("CDCS Dau tu Giang Bien", addr_of("BD22")), "arrival": hn(2021, 3, 12, 14, 48),
         "subject": "TL: Thông báo V/v đăng ký mô hình Dân vận khéo năm 2021",
         "text": short("BD22", "báo cáo quý I năm 2021 của Công đoàn Công ty CP Đầu tư Giang Biên") + "\n\n" +
                 quote_gmail(hn(2021, 1, 20, 8, 0), "LĐLĐ quận Long Biên", FED[1], dv),
         "attachments": [att_report("BD22", "report-2021-q1", d(2021, 3, 12), name="BC quy I 2021.docx")]},
        "BD22", "report-2021-q1", tags="thread;old-subject;quoted-other;reply",
        note="DVK subject, but the attachment is the Q1 report; no registration in this mail")

    # T16 MN Thạch Bàn: personal address first, resent from the school mailbox
    p = who("BM07")
    add({"client": "gmail", "from": (p["name"], "thachban.mn.ct@gmail.com"), "arrival": hn(2021, 9, 14, 12, 12),
         "subject": "BC quý III MN Thạch Bàn",
         "text": "Em gửi báo cáo quý III năm 2021 của CĐ trường MN Thạch Bàn ạ.\n" + sig("BM07"),
         "attachments": [att_report("BM07", "report-2021-q3", d(2021, 9, 14), name="BC quy III.docx")]},
        "BM07", "report-2021-q3", tags="school;personal-addr;by-name")
    add({"client": "roundcube", "from": ("Truong MN Thach Ban", addr_of("BM07")), "arrival": hn(2021, 9, 20, 9, 0),
         "subject": "Gửi lại BC quý III từ mail trường",
         "text": sbody_local("BM07", "lại báo cáo quý III năm 2021 từ hộp thư của trường (đã gửi từ mail cá nhân ngày 14/9)"),
         "attachments": [att_report("BM07", "report-2021-q3", d(2021, 9, 14), name="BC quy III.docx")]},
        "BM07", "report-2021-q3", tags="school;resend")

    # T17 Điện tử Sài Đồng B: revised H1 2022 replying to the federation's comments
    a = hn(2022, 6, 13, 11, 0)
    add({"client": "outlook365", "from": ("Union SDB Electronics", addr_of("BD09")), "arrival": a,
         "subject": "Báo cáo 6 tháng đầu năm 2022",
         "text": short("BD09", "báo cáo sơ kết 6 tháng đầu năm 2022", k=0),
         "attachments": [att_report("BD09", "report-2022-h1", d(2022, 6, 13), name="SDB_6M_2022.docx")]},
        "BD09", "report-2022-h1", tags="outlook")
    fb = ("Đề nghị đơn vị bổ sung số liệu đoàn viên tham gia mô hình Dân vận khéo và ký, đóng dấu báo cáo.\nLĐLĐ quận")
    add({"client": "outlook365", "from": ("Union SDB Electronics", addr_of("BD09")), "arrival": hn(2022, 6, 20, 10, 5),
         "subject": "RE: V/v góp ý báo cáo 6 tháng",
         "text": short("BD09", "báo cáo 6 tháng đầu năm 2022 đã sửa theo góp ý (bản có dấu)", k=0) + "\n\n" +
                 quote_outlook(hn(2022, 6, 16, 9, 0), "LĐLĐ quận Long Biên", FED[1], addr_of("BD09"), "V/v góp ý báo cáo 6 tháng", fb, lang="en"),
         "attachments": [att_report("BD09", "report-2022-h1", d(2022, 6, 20), kind="scan-pdf", name="SDB_6M_2022_signed.pdf")]},
        "BD09", "report-2022-h1", tags="outlook;resend;signed-copy;scan;reply")


def sbody_local(code, what):
    u = U(code)
    return "%s\n\nCông đoàn %s xin gửi %s.\n\nTrân trọng!\n\n%s" % (kg(1), u.short, what, sig(code))
