# -*- coding: utf-8 -*-
"""Deadlines, Date vs arrival, no subject, phone/nodiac, legacy encodings, more DVK, other periods."""
import datetime as dt
from zoneinfo import ZoneInfo
from cases_common import *
from gen_mail import hn, FED, fwd_gmail
from gen_directory import U
from legacy import nodiac, to_tcvn3, to_vni

UTC = dt.timezone.utc


def mb(code, what, k=1):
    u = U(code)
    return "%s\n\n%s gửi %s.\n\nTrân trọng!\n\n%s" % (kg(k), u.name, what, sig(code))


def build():
    # ---------------- legacy encodings
    add({"client": "outlook", "from": ("UBND phuong Sai Dong", addr_of("BH11")), "arrival": hn(2021, 2, 9, 10, 40),
         "subject": "Đăng ký mô hình Dân vận khéo năm 2021",
         "text": mb("BH11", "phiếu đăng ký mô hình Dân vận khéo năm 2021"),
         "attachments": [att_dvk("BH11", d(2021, 2, 9), name="Phieu DK DVK.docx", legacy="tcvn3")]},
        "BH11", "dvk-2021", tags="dvk;legacy-encoding;tcvn3;outlook", note="docx text in TCVN3 (.VnTime)")
    p = who("BD20")
    add({"client": "gmail", "from": (p["name"], "kythuatthachban.cd@gmail.com"), "arrival": hn(2021, 2, 22, 17, 2),
         "subject": "Dang ky DVK - Cty Ky thuat Thach Ban",
         "text": nodiac("Kính gửi LĐLĐ quận,\nCông đoàn Công ty TNHH Kỹ thuật Thạch Bàn gửi phiếu đăng ký Dân vận khéo năm 2021.\n\n" + sig("BD20")),
         "benc": "7bit", "html": False,
         "attachments": [att_dvk("BD20", d(2021, 2, 22), name="DK DVK 2021.docx", legacy="vni")]},
        "BD20", "dvk-2021", tags="dvk;legacy-encoding;vni;personal-addr;by-name;nodiac")
    add({"client": "outlook", "from": ("CDCS UBND phuong Thach Ban", addr_of("BH12")), "arrival": hn(2021, 3, 11, 14, 18),
         "subject": "Báo cáo quý I năm 2021", "text": mb("BH12", "báo cáo công tác dân vận quý I năm 2021"),
         "fenc": "2047",
         "attachments": [dict(att_report("BH12", "report-2021-q1", d(2021, 3, 11)), name=to_tcvn3("Báo cáo quý I năm 2021.docx"),
                              charset="windows-1252")]},
        "BH12", "report-2021-q1", tags="legacy-filename;tcvn3;outlook", note="file name typed in TCVN3")
    p = who("BD06", 1)
    add({"client": "gmail", "from": (p["name"], "baobiphucloi.ketoan@gmail.com"), "arrival": hn(2021, 12, 13, 9, 25),
         "subject": "bao cao nam 2021 cong doan cty bao bi phuc loi",
         "text": "Em gửi báo cáo năm 2021 của Công đoàn Công ty TNHH Bao bì Phúc Lợi ạ.\n" + sig("BD06", 1),
         "attachments": [att_report("BD06", "report-2021-y", d(2021, 12, 13), name="BC nam 2021.docx", legacy="tcvn3", role=1)]},
        "BD06", "report-2021-y", tags="legacy-encoding;tcvn3;personal-addr;by-name")
    p = who("BM10")
    add({"client": "gmail", "from": (p["name"], "anhsao.mamnon@gmail.com"), "arrival": hn(2022, 6, 14, 15, 10),
         "subject": "Báo cáo 6 tháng MN Ánh Sao",
         "text": "Kính gửi LĐLĐ quận,\nTrường MN Ánh Sao gửi báo cáo sơ kết 6 tháng đầu năm 2022 ạ.\n\n" + sig("BM10"),
         "attachments": [att_report("BM10", "report-2022-h1", d(2022, 6, 14), name=to_vni("Báo cáo 6 tháng.docx"), legacy="vni")]},
        "BM10", "report-2022-h1", tags="school;legacy-encoding;vni;legacy-filename;personal-addr;by-name")

    # ---------------- deadline boundaries / Date header vs arrival
    add({"client": "gmail", "from": ("Doi QLTTXD Long Bien", addr_of("BH25")), "arrival": hn(2021, 3, 14, 23, 59, 40),
         "subject": "BC quý I 2021 - Đội QLTTXDĐT",
         "text": mb("BH25", "báo cáo quý I năm 2021"),
         "attachments": [att_report("BH25", "report-2021-q1", d(2021, 3, 14), name="BC quy I.docx")]},
        "BH25", "report-2021-q1", tags="boundary", note="23:59:40 on 14/3 Hanoi")
    add({"client": "gmail", "from": ("TT PTQD Long Bien", addr_of("BH26")), "arrival": hn(2021, 3, 15, 0, 0, 20),
         "date": hn(2021, 3, 14, 23, 59, 51),
         "subject": "Báo cáo quý I/2021", "text": mb("BH26", "báo cáo quý I năm 2021"),
         "attachments": [att_report("BH26", "report-2021-q1", d(2021, 3, 14), name="BC quy I 2021.pdf", kind="pdf")]},
        "BH26", "report-2021-q1", tags="boundary;date-differs;late", note="Date 23:59:51, arrival 00:00:20 on 15/3")
    p = who("BD11")
    add({"client": "thunderbird", "from": (p["name"], "thuongmaingoclam.cd@gmail.com"), "arrival": hn(2022, 12, 15, 0, 0, 5),
         "date": dt.datetime(2022, 12, 14, 16, 59, 58, tzinfo=UTC),
         "subject": "Báo cáo tổng kết năm 2022 - CĐ Công ty CP Thương mại Ngọc Lâm", "html": False, "benc": "8bit",
         "text": "Kính gửi LĐLĐ quận Long Biên,\nCông đoàn Công ty CP Thương mại Ngọc Lâm gửi báo cáo tổng kết năm 2022.\n\n" + sig("BD11"),
         "attachments": [att_report("BD11", "report-2022-y", d(2022, 12, 14), name="TK 2022.docx")]},
        "BD11", "report-2022-y", tags="boundary;tz;late;personal-addr;by-name;8bit",
        note="Date in +0000 (16:59:58Z = 23:59:58 Hanoi); arrival 00:00:05 Hanoi on 15/12 (Received shows 14 Dec PST)")
    add({"client": "thunderbird", "from": ("TH Ngoc Lam", addr_of("BT07")), "arrival": hn(2022, 6, 14, 23, 58, 2),
         "date": dt.datetime(2022, 6, 14, 16, 57, 50, tzinfo=UTC), "html": False,
         "subject": "Báo cáo 6 tháng đầu năm 2022", "text": mb("BT07", "báo cáo sơ kết 6 tháng đầu năm 2022"),
         "attachments": [att_report("BT07", "report-2022-h1", d(2022, 6, 14), name="BC 6 thang 2022.docx")]},
        "BT07", "report-2022-h1", tags="school;boundary;tz", note="16:58Z = 23:58 Hanoi, on time")
    add({"client": "roundcube", "from": ("THCS Giang Bien", addr_of("BC13")), "arrival": hn(2021, 2, 23, 0, 3, 10),
         "date": hn(2021, 2, 22, 23, 58, 0),
         "subject": "Đăng ký DVK năm 2021", "text": mb("BC13", "bảng đăng ký mô hình Dân vận khéo năm 2021"),
         "attachments": [att_xlsx([dvk_row("BC13")], "ĐĂNG KÝ MÔ HÌNH DÂN VẬN KHÉO NĂM 2021", name="DK DVK.xlsx",
                                  subtitle="CĐCS Trường THCS Giang Biên")]},
        "BC13", "dvk-2021", tags="school;xlsx;dvk;boundary;date-differs;late")
    add({"client": "outlook", "from": ("Cong doan Co khi Duc Giang", addr_of("BD05")), "arrival": hn(2021, 2, 22, 16, 30),
         "date": hn(2021, 2, 25, 8, 14, 0),
         "subject": "V/v đăng ký mô hình Dân vận khéo", "text": mb("BD05", "phiếu đăng ký mô hình \"Dân vận khéo\" năm 2021", k=0),
         "attachments": [att_dvk("BD05", d(2021, 2, 22), name="DK DVK - CK Duc Giang.docx")]},
        "BD05", "dvk-2021", tags="dvk;date-differs;outlook", note="sender clock wrong: Date 25/02, arrival 22/02 16:30")
    p = who("BH24")
    add({"client": "gmail", "from": (p["name"], "bqlcholongbien.vp@gmail.com"), "arrival": hn(2022, 9, 15, 9, 10),
         "date": hn(2022, 9, 10, 16, 2), "subject": "Báo cáo quý III - BQL chợ Long Biên",
         "text": "Kính gửi LĐLĐ quận,\nCĐCS Ban Quản lý chợ Long Biên gửi báo cáo quý III năm 2022.\n\n" + sig("BH24"),
         "attachments": [att_report("BH24", "report-2022-q3", d(2022, 9, 10), name="BC quy III 2022.docx")]},
        "BH24", "report-2022-q3", tags="date-differs;late;personal-addr;by-name",
        note="Date 10/9 (draft written earlier) but arrived 15/9 09:10")
    add({"client": "roundcube", "from": ("TH Phuc Dong", addr_of("BT09")), "arrival": hn(2021, 6, 12, 9, 40),
         "date": dt.datetime(2021, 1, 1, 7, 3, 11, tzinfo=UTC),
         "subject": "Báo cáo sơ kết 6 tháng đầu năm 2021", "text": mb("BT09", "báo cáo sơ kết 6 tháng đầu năm 2021"),
         "attachments": [att_report("BT09", "report-2021-h1", d(2021, 6, 12), name="BC 6 thang.docx")]},
        "BT09", "report-2021-h1", tags="school;date-differs", note="Date header reset to 1/1/2021")

    # ---------------- no subject / "gui LDLD"
    add({"client": "roundcube", "from": ("", addr_of("BT17")), "arrival": hn(2021, 9, 8, 15, 22),
         "subject": None, "text": "",
         "attachments": [att_report("BT17", "report-2021-q3", d(2021, 9, 8), name="BC quy III - TH Thuong Thanh.docx")]},
        "BT17", "report-2021-q3", tags="school;no-subject;empty-body;title-only")
    add({"client": "gmail", "from": ("MN Viet Hung", addr_of("BM08")), "arrival": hn(2022, 3, 7, 10, 55),
         "subject": "gui LDLD", "text": "gui LDLD",
         "attachments": [att_report("BM08", "report-2022-q1", d(2022, 3, 7), kind="scan-pdf", name="Scan0031.pdf")]},
        "BM08", "report-2022-q1", tags="school;gui-ldld;scan;title-only")
    p = who("BH05")
    add({"client": "gmail", "from": (p["name"], "giangbien.cdcs.2019@gmail.com"), "arrival": hn(2021, 6, 11, 16, 16),
         "subject": "", "text": "Gửi LĐLĐ quận báo cáo của CĐCS UBND phường Giang Biên.\n" + p["name"],
         "attachments": [att_report("BH05", "report-2021-h1", d(2021, 6, 11), kind="pdf", name="CDCS Giang Bien.pdf")]},
        "BH05", "report-2021-h1", tags="empty-subject;personal-addr;by-name;title-only")
    add({"client": "iphone", "from": ("Truong TH Doan Khue", addr_of("BT18")), "arrival": hn(2022, 9, 12, 8, 31),
         "subject": "gui LDLD", "text": "\n\nGửi từ iPhone của tôi",
         "attachments": [att_report("BT18", "report-2022-q3", d(2022, 9, 12), kind="photo", name="IMG_20220912_0830.jpg", seed=18)]},
        "BT18", "report-2022-q3", tags="school;gui-ldld;photo;phone;title-only")
    add({"client": "roundcube", "from": ("THCS Thach Ban", addr_of("BC08")), "arrival": hn(2021, 12, 10, 14, 1),
         "subject": "Fwd:", "text": "",
         "attachments": [att_report("BC08", "report-2021-y", d(2021, 12, 10), name="tong ket.docx")]},
        "BC08", "report-2021-y", tags="school;no-subject;empty-body;title-only")

    # ---------------- phone / nodiac / forwards by a person
    p = who("BH14")
    add({"client": "gmail", "from": ("Nguyen Van Hai (LDLD Long Bien)", "hai.ldldlongbien@gmail.com"), "arrival": hn(2022, 3, 11, 17, 20),
         "subject": "Fwd: BC quy 1 UBND Viet Hung",
         "text": "Chuyển vào hòm thư chung: báo cáo quý I/2022 của CĐCS UBND phường Việt Hưng (đơn vị chưa có email, "
                 "đ/c %s gửi nhờ qua mail cá nhân).\n\n" % p["name"] +
                 fwd_gmail(hn(2022, 3, 11, 16, 0), p["name"], "viethung.ubnd.cd@gmail.com", "BC quy 1 UBND Viet Hung",
                           "hai.ldldlongbien@gmail.com", "Anh Hải chuyển giúp em báo cáo quý 1 nhé.\n" + sig("BH14")),
         "attachments": [att_report("BH14", "report-2022-q1", d(2022, 3, 11), name="BC quy 1 - UBND Viet Hung.docx")]},
        "BH14", "report-2022-q1", tags="forward;forward-by-person;by-name")
    add({"client": "android", "from": ("TH Cu Khoi", addr_of("BT15")), "arrival": hn(2021, 12, 14, 7, 2),
         "subject": "bc nam", "text": "Em gui bc nam 2021 a\n\nSent from my Samsung Galaxy smartphone.", "benc": "7bit",
         "attachments": [att_report("BT15", "report-2021-y", d(2021, 12, 13), kind="photo", name="20211214_070012.jpg", seed=15)]},
        "BT15", "report-2021-y", tags="school;phone;photo;nodiac;short-subject")
    add({"client": "roundcube", "from": ("THCS Chu Van An", addr_of("BC15")), "arrival": hn(2022, 6, 13, 15, 44),
         "subject": "BAO CAO SO KET 6 THANG DAU NAM 2022", "benc": "7bit", "html": False,
         "text": nodiac(mb("BC15", "bao cao so ket 6 thang dau nam 2022")),
         "attachments": [att_report("BC15", "report-2022-h1", d(2022, 6, 13), name="BAO CAO 6 THANG.docx")]},
        "BC15", "report-2022-h1", tags="school;nodiac;caps")
    add({"client": "gmail", "from": ("CDCS UBND phuong Bo De", addr_of("BH01")), "arrival": hn(2021, 6, 14, 11, 9),
         "subject": "bc 6 thang", "text": "gui chi bao cao 6 thang a\n" + who("BH01")["name"], "benc": "7bit",
         "attachments": [att_report("BH01", "report-2021-h1", d(2021, 6, 14), kind="scan-png", name="scan 6 thang.png")]},
        "BH01", "report-2021-h1", tags="nodiac;scan;short-subject")

    # ---------------- bodies mentioning other periods; misleading subjects
    add({"client": "roundcube", "from": ("TH Thuong Thanh", addr_of("BT17")), "arrival": hn(2022, 12, 8, 10, 5),
         "subject": "Báo cáo", "text": mb("BT17", "báo cáo (file đính kèm)"),
         "attachments": [att_report("BT17", "report-2022-y", d(2022, 12, 8), name="Bao cao.docx",
                                    extra=["So với năm 2021 và kết quả tổng kết năm 2020, phong trào có nhiều chuyển biến; "
                                           "6 tháng đầu năm 2022 đã hoàn thành 70% chỉ tiêu."])]},
        "BT17", "report-2022-y", tags="school;title-only;body-other-period")
    add({"client": "roundcube", "from": ("THCS Duc Giang", addr_of("BC03")), "arrival": hn(2021, 3, 9, 9, 19),
         "subject": "Báo cáo dân vận khéo", "text": mb("BC03", "báo cáo kết quả công tác dân vận, Dân vận khéo quý I năm 2021"),
         "attachments": [att_report("BC03", "report-2021-q1", d(2021, 3, 9), variant=1, name="BC DVK quy I.docx",
                                    extra=["Mô hình \"Dân vận khéo\" đã đăng ký tháng 02/2021 được triển khai từ đầu quý."])]},
        "BC03", "report-2021-q1", tags="school;subject-misleading;body-other-period",
        note="subject says Dân vận khéo but it is the Q1 report, not a registration")
    add({"client": "roundcube", "from": ("TH Viet Hung", addr_of("BT13")), "arrival": hn(2021, 3, 12, 8, 3),
         "subject": "Báo cáo 3 tháng đầu năm 2021", "text": mb("BT13", "báo cáo công tác dân vận 3 tháng đầu năm 2021"),
         "attachments": [att_report("BT13", "report-2021-q1", d(2021, 3, 12), variant=2, name="BC 3 thang.docx",
                                    extra=["Tiếp tục phát huy kết quả tổng kết năm 2020, nhà trường ..."])]},
        "BT13", "report-2021-q1", tags="school;alias-3thang;body-other-period")
    add({"client": "outlook", "from": ("UBND phường Cự Khối", addr_of("BH02")), "arrival": hn(2022, 6, 9, 14, 0),
         "subject": "V/v sơ kết 6 tháng thực hiện Kế hoạch công tác dân vận năm 2022",
         "text": mb("BH02", "báo cáo sơ kết 6 tháng thực hiện Kế hoạch công tác dân vận năm 2022", k=0),
         "attachments": [att_report("BH02", "report-2022-h1", d(2022, 6, 9), variant=2, name="So ket 6 thang 2022.docx",
                                    extra=["So với 6 tháng đầu năm 2021, số mô hình Dân vận khéo tăng từ 01 lên 02."])]},
        "BH02", "report-2022-h1", tags="formal;outlook;body-other-period")
    add({"client": "outlook", "from": ("Cong doan Cong ty CP May Duc Giang Long Bien", addr_of("BD01")), "arrival": hn(2022, 9, 13, 10, 10),
         "subject": "BC 9 thang", "text": mb("BD01", "báo cáo công tác dân vận 9 tháng năm 2022", k=0),
         "attachments": [att_report("BD01", "report-2022-q3", d(2022, 9, 13), variant=1, name="BC 9T 2022.docx")]},
        "BD01", "report-2022-q3", tags="outlook;alias-9thang;confusable")

    # ---------------- more DVK registrations
    add({"client": "outlook", "from": ("Cong doan SDI", addr_of("BD03")), "arrival": hn(2021, 2, 2, 9, 0),
         "subject": "V/v đăng ký mô hình Dân vận khéo năm 2021", "text": mb("BD03", "bảng đăng ký 02 mô hình Dân vận khéo năm 2021", k=0),
         "attachments": [att_xlsx([dvk_row("BD03"), dvk_row("BD03", 2)], "CÔNG ĐOÀN CÔNG TY CP ĐẦU TƯ VÀ PHÁT TRIỂN SÀI ĐỒNG - ĐĂNG KÝ MÔ HÌNH DÂN VẬN KHÉO 2021",
                                  name="SDI - DK DVK 2021.xlsx")]},
        "BD03", "dvk-2021", tags="dvk;xlsx;outlook;formal")
    add({"client": "gmail", "from": ("Cong doan TTYT quan Long Bien", addr_of("BH17")), "arrival": hn(2021, 2, 1, 15, 10),
         "subject": "Đăng ký DVK", "text": mb("BH17", "đăng ký mô hình Dân vận khéo năm 2021"),
         "attachments": [att_xlsx([dvk_row("BH17")], "BẢNG ĐĂNG KÝ MÔ HÌNH DÂN VẬN KHÉO NĂM 2021", name="DK DVK.xlsx",
                                  subtitle="Trung tâm Y tế quận Long Biên")]},
        "BH17", "dvk-2021", tags="dvk;xlsx")
    add({"client": "gmail", "from": ("TTVH TT TT Long Bien", addr_of("BH20")), "arrival": hn(2021, 2, 15, 14, 0),
         "subject": "Phiếu đăng ký Dân vận khéo (bản có dấu)", "text": mb("BH20", "phiếu đăng ký mô hình Dân vận khéo năm 2021 (bản scan)"),
         "attachments": [att_dvk("BH20", d(2021, 2, 15), kind="scan-jpg", name="Scan_DVK_0215.jpg", seed=20)]},
        "BH20", "dvk-2021", tags="dvk;scan")
    add({"client": "roundcube", "from": ("MN Bo De", addr_of("BM03")), "arrival": hn(2021, 2, 24, 9, 50),
         "subject": "Đăng ký Dân vận khéo MN Bồ Đề (muộn)", "text": mb("BM03", "đăng ký Dân vận khéo năm 2021, xin lỗi vì gửi muộn"),
         "attachments": [att_xlsx([dvk_row("BM03")], "ĐĂNG KÝ MÔ HÌNH DÂN VẬN KHÉO NĂM 2021", name="DK DVK MN Bo De.xlsx")]},
        "BM03", "dvk-2021", tags="school;dvk;xlsx;late")
    add({"client": "roundcube", "from": ("TH Doan Khue", addr_of("BT18")), "arrival": hn(2021, 2, 22, 10, 0),
         "subject": "Phiếu đăng ký mô hình Dân vận khéo", "text": mb("BT18", "phiếu đăng ký mô hình Dân vận khéo năm 2021"),
         "attachments": [att_dvk("BT18", d(2021, 2, 22), name="mau dang ky (da sua).docx")]},
        "BT18", "dvk-2021", tags="school;dvk")
    add({"client": "roundcube", "from": ("THCS Nguyen Gia Thieu", addr_of("BC16")), "arrival": hn(2021, 2, 17, 13, 30),
         "subject": "Danh sách đăng ký mô hình Dân vận khéo", "text": mb("BC16", "danh sách đăng ký mô hình Dân vận khéo năm 2021"),
         "attachments": [att_xlsx([dvk_row("BC16"), dvk_row("BC16", 4)], "DANH SÁCH ĐĂNG KÝ MÔ HÌNH \"DÂN VẬN KHÉO\" NĂM 2021",
                                  name="DS dang ky DVK.xlsx", subtitle="Trường THCS Nguyễn Gia Thiều")]},
        "BC16", "dvk-2021", tags="school;dvk;xlsx;confusable")
    add({"client": "roundcube", "from": ("UBND phuong Thuong Thanh", addr_of("BH13")), "arrival": hn(2021, 2, 4, 11, 25),
         "subject": "V/v đăng ký mô hình Dân vận khéo năm 2021", "text": mb("BH13", "phiếu đăng ký mô hình Dân vận khéo năm 2021", k=0),
         "attachments": [att_dvk("BH13", d(2021, 2, 4), kind="pdf", name="DK DVK 2021.pdf")]},
        "BH13", "dvk-2021", tags="dvk;pdf;formal")
    add({"client": "outlook", "from": ("Cong doan Cap nuoc Long Bien", addr_of("BD21")), "arrival": hn(2021, 2, 22, 23, 59, 59),
         "subject": "V/v đăng ký Dân vận khéo 2021", "text": mb("BD21", "bảng đăng ký mô hình Dân vận khéo năm 2021", k=0),
         "attachments": [att_xlsx([dvk_row("BD21")], "ĐĂNG KÝ MÔ HÌNH DÂN VẬN KHÉO NĂM 2021", name="DK DVK CNLB.xlsx")]},
        "BD21", "dvk-2021", tags="dvk;xlsx;boundary;outlook", note="23:59:59 on 22/02 = on time")
