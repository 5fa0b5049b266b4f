# -*- coding: utf-8 -*-
"""School mail (longbien.edu.vn and Gmail), confusable school names, DVK registrations."""
from cases_common import *
from gen_mail import hn
from gen_directory import U
from legacy import nodiac


def sbody(code, what, k=1, thanks="Trân trọng cảm ơn!", role=0):
    u = U(code)
    return "%s\n\nCông đoàn %s xin gửi %s.\n\n%s\n\n%s" % (kg(k), u.short, what, thanks, sig(code, role))


def sfrom(code, i=0):
    u = U(code)
    return (u.short.replace("Trường ", "Truong ") if i == 0 else "", u.emails[i])


def build():
    # ---------------- DVK 2021 registrations by schools
    add({"client": "gmail", "from": ("CĐCS THCS Ngô Gia Tự", addr_of("BC01")), "arrival": hn(2021, 2, 3, 10, 12),
         "subject": "Đăng ký mô hình Dân vận khéo năm 2021",
         "text": sbody("BC01", "bảng đăng ký mô hình \"Dân vận khéo\" năm 2021 của nhà trường"),
         "attachments": [att_xlsx([dvk_row("BC01")], "BẢNG ĐĂNG KÝ MÔ HÌNH \"DÂN VẬN KHÉO\" NĂM 2021",
                                  subtitle="CĐCS Trường THCS Ngô Gia Tự")]},
        "BC01", "dvk-2021", tags="school;xlsx;dvk")
    add({"client": "roundcube", "from": sfrom("BM01"), "arrival": hn(2021, 2, 5, 14, 40),
         "subject": "DK DVK - MN Hoa Sua",
         "text": sbody("BM01", "đăng ký mô hình Dân vận khéo năm 2021 (file excel đính kèm)"),
         "attachments": [att_xlsx([dvk_row("BM01"), dvk_row("BM01", 3)], "ĐĂNG KÝ MÔ HÌNH DÂN VẬN KHÉO NĂM 2021",
                                  name="DK DVK MN Hoa Sua.xlsx", subtitle="Đơn vị: Trường Mầm non Hoa Sữa")]},
        "BM01", "dvk-2021", tags="school;xlsx;dvk")
    add({"client": "roundcube", "from": sfrom("BT04"), "arrival": hn(2021, 2, 19, 9, 3),
         "subject": "Phiếu đăng ký Dân vận khéo",
         "text": sbody("BT04", "phiếu đăng ký mô hình \"Dân vận khéo\" năm 2021"),
         "attachments": [att_dvk("BT04", d(2021, 2, 19), name="Phieu DK DVK 2021.docx")]},
        "BT04", "dvk-2021", tags="school;dvk")
    # THCS Đức Giang 23:50 on the last day vs TH Đức Giang next morning
    add({"client": "gmail", "from": ("Nguyen Thi Thu Mai", "thumai.thcsdg@gmail.com"), "arrival": hn(2021, 2, 22, 23, 50, 31),
         "subject": "DK dan van kheo THCS Duc Giang",
         "text": "Kính gửi LĐLĐ quận,\nEm gửi bảng đăng ký DVK năm 2021 của CĐ trường THCS Đức Giang ạ. Em xin lỗi gửi muộn.\n\n"
                 "Nguyễn Thị Thu Mai - UV BCH CĐ trường THCS Đức Giang",
         "attachments": [att_xlsx([dvk_row("BC03")], "ĐĂNG KÝ MÔ HÌNH DÂN VẬN KHÉO 2021", name="DK DVK.xlsx",
                                  subtitle="Trường THCS Đức Giang")]},
        "BC03", "dvk-2021", tags="school;xlsx;dvk;boundary;personal-addr;by-name;confusable",
        note="23:50 on 22/02 Hanoi = on time")
    add({"client": "roundcube", "from": sfrom("BT05"), "arrival": hn(2021, 2, 23, 7, 15, 4),
         "subject": "Đăng ký DVK 2021 - TH Đức Giang",
         "text": sbody("BT05", "bảng đăng ký mô hình Dân vận khéo năm 2021"),
         "attachments": [att_xlsx([dvk_row("BT05")], "ĐĂNG KÝ MÔ HÌNH DÂN VẬN KHÉO 2021", name="DK DVK TH DG.xlsx",
                                  subtitle="Trường Tiểu học Đức Giang")]},
        "BT05", "dvk-2021", tags="school;xlsx;dvk;late;confusable")
    add({"client": "roundcube", "from": sfrom("BM09"), "arrival": hn(2021, 1, 28, 15, 30),
         "subject": "Phiếu đăng ký mô hình Dân vận khéo năm 2021 - MN Hoa Thủy Tiên",
         "text": sbody("BM09", "phiếu đăng ký mô hình Dân vận khéo năm 2021 (bản có chữ ký, dấu)"),
         "attachments": [att_dvk("BM09", d(2021, 1, 27), kind="pdf", name="phieu dang ky DVK.pdf")]},
        "BM09", "dvk-2021", tags="school;dvk;pdf")
    add({"client": "roundcube", "from": sfrom("BC15"), "arrival": hn(2021, 2, 10, 8, 2),
         "subject": "Đăng ký Dân vận khéo",
         "text": sbody("BC15", "bảng đăng ký 02 mô hình \"Dân vận khéo\" năm 2021 của trường THCS Chu Văn An"),
         "attachments": [att_xlsx([dvk_row("BC15"), dvk_row("BC15", 5)], "ĐĂNG KÝ MÔ HÌNH \"DÂN VẬN KHÉO\" NĂM 2021",
                                  name="CVA - dang ky DVK.xlsx", subtitle="Trường THCS Chu Văn An - quận Long Biên")]},
        "BC15", "dvk-2021", tags="school;xlsx;dvk")
    add({"client": "roundcube", "html": False, "benc": "8bit", "from": ("", addr_of("BC09")), "arrival": hn(2021, 2, 18, 16, 44),
         "subject": "DVK", "text": "",
         "attachments": [att_xlsx([dvk_row("BC09")], "Đăng ký mô hình Dân vận khéo năm 2021", name="Book1.xlsx", sheet="Sheet1")]},
        "BC09", "dvk-2021", tags="school;xlsx;dvk;empty-body;title-only",
        note="no body; sender address and xlsx identify THCS Sài Đồng")
    add({"client": "gmail", "from": ("Cong doan THPT Ly Thuong Kiet", addr_of("BP02")), "arrival": hn(2021, 2, 20, 20, 5),
         "subject": "Đăng ký mô hình DVK năm 2021",
         "text": "Kính gửi: LĐLĐ quận Long Biên\n\nCĐCS Trường THPT Lý Thường Kiệt đăng ký mô hình \"Dân vận khéo\" năm 2021 như sau:\n"
                 "- Tên mô hình: \"Nhà giáo mẫu mực đồng hành cùng học sinh khó khăn\"\n- Lĩnh vực: Giáo dục\n"
                 "- Người phụ trách: đ/c %s, Chủ tịch CĐCS\n- Thời gian: tháng 3 - tháng 12/2021\n\nTrân trọng.\n\n%s"
                 % (who("BP02")["name"], sig("BP02"))},
        "BP02", "dvk-2021", tags="school;dvk;inline-body", note="registration written in the body, no attachment")

    # ---------------- annual 2020: TH Việt Hưng vs THCS Việt Hưng
    add({"client": "roundcube", "from": sfrom("BT13"), "arrival": hn(2020, 12, 14, 16, 2),
         "subject": "Báo cáo tổng kết công tác dân vận năm 2020",
         "text": sbody("BT13", "báo cáo tổng kết công tác dân vận năm 2020"),
         "attachments": [att_report("BT13", "report-2020-y", d(2020, 12, 14), name="BC tong ket DV 2020.docx")]},
        "BT13", "report-2020-y", tags="school;confusable")
    add({"client": "roundcube", "from": sfrom("BC10"), "arrival": hn(2020, 12, 15, 9, 0, 20),
         "subject": "Báo cáo tổng kết năm 2020",
         "text": sbody("BC10", "báo cáo tổng kết công tác dân vận năm 2020"),
         "attachments": [att_report("BC10", "report-2020-y", d(2020, 12, 14), name="BC tong ket nam 2020.docx")]},
        "BC10", "report-2020-y", tags="school;confusable;late")

    # ---------------- Q1 2021: Ái Mộ A / B
    add({"client": "roundcube", "from": sfrom("BC01", 1), "arrival": hn(2021, 3, 11, 10, 20),
         "subject": "BC quý I",
         "text": sbody("BC01", "báo cáo công tác dân vận quý I năm 2021"),
         "attachments": [att_report("BC01", "report-2021-q1", d(2021, 3, 11), name="BC quy 1.docx")]},
        "BC01", "report-2021-q1", tags="school;second-address;short-subject")
    add({"client": "roundcube", "from": sfrom("BT01"), "arrival": hn(2021, 3, 12, 15, 0),
         "subject": "Báo cáo quý I năm 2021 - TH Ái Mộ A",
         "text": sbody("BT01", "báo cáo kết quả công tác dân vận quý I năm 2021"),
         "attachments": [att_report("BT01", "report-2021-q1", d(2021, 3, 12), name="BC Q1 2021 Ai Mo A.docx")]},
        "BT01", "report-2021-q1", tags="school;confusable;a-b")
    p = who("BT02")
    add({"client": "iphone", "from": (p["name"], "lan.thaimob@gmail.com"), "arrival": hn(2021, 3, 15, 7, 31),
         "subject": "Bc quý 1 Ái Mộ B",
         "text": "Em gửi báo cáo quý 1 của CĐ trường Tiểu học Ái Mộ B ạ.\n%s\n\nGửi từ iPhone của tôi" % p["name"],
         "attachments": [att_report("BT02", "report-2021-q1", d(2021, 3, 14), name="BC quy I AMB.docx")]},
        "BT02", "report-2021-q1", tags="school;confusable;a-b;personal-addr;phone;late")

    # ---------------- H1 2021: old inactive TH Ái Mộ mailbox used by Ái Mộ A; Gia Thụy MN/TH/THCS
    add({"client": "roundcube", "from": ("Truong TH Ai Mo", addr_of("BT03")), "arrival": hn(2021, 6, 8, 9, 41),
         "subject": "Báo cáo sơ kết 6 tháng",
         "text": sbody("BT01", "báo cáo sơ kết công tác dân vận 6 tháng đầu năm 2021 (trường dùng lại hộp thư cũ của TH Ái Mộ)"),
         "attachments": [att_report("BT01", "report-2021-h1", d(2021, 6, 8), name="So ket 6 thang - Ai Mo A.docx")]},
        "BT01", "report-2021-h1", tags="school;old-address;confusable;a-b",
        note="sent from the address of the inactive union BT03; content is TH Ái Mộ A")
    add({"client": "roundcube", "from": sfrom("BC04"), "arrival": hn(2021, 6, 10, 11, 2),
         "subject": "Báo cáo 6 tháng đầu năm 2021",
         "text": sbody("BC04", "báo cáo sơ kết 6 tháng đầu năm 2021 công tác dân vận"),
         "attachments": [att_report("BC04", "report-2021-h1", d(2021, 6, 10), name="BC 6 thang.docx")]},
        "BC04", "report-2021-h1", tags="school;confusable")
    add({"client": "roundcube", "from": sfrom("BT06"), "arrival": hn(2021, 6, 11, 14, 22),
         "subject": "Báo cáo 6 tháng đầu năm 2021",
         "text": sbody("BT06", "báo cáo sơ kết 6 tháng đầu năm 2021 công tác dân vận"),
         "attachments": [att_report("BT06", "report-2021-h1", d(2021, 6, 11), name="BC 6 thang.docx")]},
        "BT06", "report-2021-h1", tags="school;confusable")
    add({"client": "roundcube", "benc": "7bit", "html": False, "from": sfrom("BM04"), "arrival": hn(2021, 6, 14, 16, 55),
         "subject": "bao cao 6 thang MN Gia Thuy",
         "text": nodiac(sbody("BM04", "bao cao so ket 6 thang dau nam 2021")),
         "attachments": [att_report("BM04", "report-2021-h1", d(2021, 6, 14), name="bao cao 6 thang.docx")]},
        "BM04", "report-2021-h1", tags="school;confusable;nodiac")

    # ---------------- Q3 2021: THCS vs THPT Nguyễn Gia Thiều
    add({"client": "gmail", "from": ("Công đoàn THPT Nguyễn Gia Thiều", addr_of("BP01")), "arrival": hn(2021, 9, 9, 10, 8),
         "subject": "Báo cáo quý III/2021",
         "text": sbody("BP01", "báo cáo kết quả thực hiện công tác dân vận quý III năm 2021"),
         "attachments": [att_report("BP01", "report-2021-q3", d(2021, 9, 9), name="BC quy III.docx")]},
        "BP01", "report-2021-q3", tags="school;confusable")
    add({"client": "roundcube", "from": sfrom("BC16"), "arrival": hn(2021, 9, 13, 13, 37),
         "subject": "Báo cáo quý III/2021",
         "text": sbody("BC16", "báo cáo kết quả thực hiện công tác dân vận quý III năm 2021"),
         "attachments": [att_report("BC16", "report-2021-q3", d(2021, 9, 13), name="BC quy III.docx")]},
        "BC16", "report-2021-q3", tags="school;confusable")

    # ---------------- annual 2021: photo from phone, two attachments
    add({"client": "iphone", "from": ("MN Phuc Dong", addr_of("BM06")), "arrival": hn(2021, 12, 10, 10, 16),
         "subject": "Báo cáo năm 2021",
         "text": "Trường MN Phúc Đồng gửi báo cáo tổng kết năm 2021 ạ.\n\nGửi từ iPhone của tôi",
         "attachments": [att_report("BM06", "report-2021-y", d(2021, 12, 10), kind="photo", name="IMG_20211210_101522.jpg", seed=6)]},
        "BM06", "report-2021-y", tags="school;phone;photo")
    add({"client": "roundcube", "from": sfrom("BC12"), "arrival": hn(2021, 12, 8, 15, 12),
         "subject": "Báo cáo tổng kết công tác dân vận năm 2021",
         "text": sbody("BC12", "báo cáo tổng kết năm 2021 (file word và bản scan có dấu)"),
         "attachments": [att_report("BC12", "report-2021-y", d(2021, 12, 8), name="BC tong ket 2021.docx"),
                         att_report("BC12", "report-2021-y", d(2021, 12, 8), kind="scan-jpg", name="BC tong ket 2021 (scan).jpg", seed=12)]},
        "BC12", "report-2021-y", tags="school;scan;two-attachments")

    # ---------------- Q1/H1 2022: Thạch Bàn family
    add({"client": "roundcube", "from": sfrom("BT11"), "arrival": hn(2022, 3, 9, 9, 51),
         "subject": "Báo cáo quý I năm 2022 - TH Thạch Bàn B",
         "text": sbody("BT11", "báo cáo công tác dân vận quý I năm 2022"),
         "attachments": [att_report("BT11", "report-2022-q1", d(2022, 3, 9), name="BC Q1-2022.docx")]},
        "BT11", "report-2022-q1", tags="school;confusable;a-b")
    p = who("BP03")
    add({"client": "gmail", "from": (p["name"], "phuong.thptthachban@gmail.com"), "arrival": hn(2022, 3, 13, 22, 10),
         "subject": "gửi báo cáo quý I",
         "text": "Kính gửi LĐLĐ quận Long Biên,\nCông đoàn trường THPT Thạch Bàn gửi báo cáo quý I năm 2022.\n\n%s" % sig("BP03"),
         "attachments": [att_report("BP03", "report-2022-q1", d(2022, 3, 13), name="BC quy I - THPT Thach Ban.docx")]},
        "BP03", "report-2022-q1", tags="school;confusable;personal-addr;by-name")
    add({"client": "roundcube", "from": sfrom("BT10"), "arrival": hn(2022, 6, 13, 10, 30),
         "subject": "Báo cáo sơ kết 6 tháng năm 2022 - TH Thạch Bàn A",
         "text": sbody("BT10", "báo cáo sơ kết 6 tháng đầu năm 2022"),
         "attachments": [att_report("BT10", "report-2022-h1", d(2022, 6, 13), name="So ket 6T 2022.docx")]},
        "BT10", "report-2022-h1", tags="school;confusable;a-b")
    add({"client": "roundcube", "from": sfrom("BC14"), "arrival": hn(2022, 6, 10, 8, 30),
         "subject": "Báo cáo sơ kết học kỳ II và 6 tháng đầu năm 2022",
         "text": sbody("BC14", "báo cáo sơ kết 6 tháng đầu năm 2022 thực hiện công tác dân vận (kết thúc học kỳ II năm học 2021-2022)"),
         "attachments": [att_report("BC14", "report-2022-h1", d(2022, 6, 10), name="BC so ket 6 thang 2022.docx")]},
        "BC14", "report-2022-h1", tags="school;body-other-period")

    # ---------------- Q3 2022: Bồ Đề family; TH Long Biên (qp)
    add({"client": "gmail", "from": ("MN Bo De", addr_of("BM03", 1)), "arrival": hn(2022, 9, 7, 14, 0),
         "subject": "Báo cáo quý III - MN Bồ Đề",
         "text": sbody("BM03", "báo cáo quý III năm 2022"),
         "attachments": [att_report("BM03", "report-2022-q3", d(2022, 9, 7), name="BC quy III MNBD.docx")]},
        "BM03", "report-2022-q3", tags="school;second-address;confusable")
    add({"client": "roundcube", "from": sfrom("BT04"), "arrival": hn(2022, 9, 12, 16, 20),
         "subject": "Báo cáo quý III năm 2022",
         "text": sbody("BT04", "báo cáo quý III năm 2022"),
         "attachments": [att_report("BT04", "report-2022-q3", d(2022, 9, 12), name="BC quy III.docx")]},
        "BT04", "report-2022-q3", tags="school;confusable")
    add({"client": "roundcube", "from": sfrom("BC02"), "arrival": hn(2022, 9, 16, 9, 12),
         "subject": "Báo cáo quý III năm 2022 (gửi chậm)",
         "text": sbody("BC02", "báo cáo quý III năm 2022. Nhà trường xin lỗi vì gửi chậm"),
         "attachments": [att_report("BC02", "report-2022-q3", d(2022, 9, 15), name="BC quy III.docx")]},
        "BC02", "report-2022-q3", tags="school;confusable;late")
    add({"client": "roundcube", "benc": "qp", "from": sfrom("BT14"), "arrival": hn(2022, 9, 14, 11, 11),
         "subject": "Báo cáo 9 tháng năm 2022",
         "text": sbody("BT14", "báo cáo kết quả công tác dân vận 9 tháng năm 2022"),
         "attachments": [att_report("BT14", "report-2022-q3", d(2022, 9, 14), variant=1, name="BC 9 thang.docx")]},
        "BT14", "report-2022-q3", tags="school;qp")

    # ---------------- annual 2022: THCS Long Biên (vs UBND phường Long Biên), MN / TH Sài Đồng
    add({"client": "roundcube", "from": sfrom("BC11"), "arrival": hn(2022, 12, 6, 10, 45),
         "subject": "Báo cáo tổng kết năm 2022 - THCS Long Biên",
         "text": sbody("BC11", "báo cáo tổng kết công tác dân vận năm 2022"),
         "attachments": [att_report("BC11", "report-2022-y", d(2022, 12, 6), name="TK 2022.docx")]},
        "BC11", "report-2022-y", tags="school;confusable")
    add({"client": "roundcube", "from": sfrom("BM11"), "arrival": hn(2022, 12, 12, 15, 33),
         "subject": "Báo cáo năm 2022 MN Sài Đồng",
         "text": sbody("BM11", "báo cáo công tác dân vận năm 2022"),
         "attachments": [att_report("BM11", "report-2022-y", d(2022, 12, 12), kind="scan-pdf", name="Scan_20221212.pdf")]},
        "BM11", "report-2022-y", tags="school;scan;confusable")
    add({"client": "roundcube", "from": sfrom("BT12"), "arrival": hn(2022, 12, 16, 8, 4),
         "subject": "Báo cáo năm 2022 TH Sài Đồng",
         "text": sbody("BT12", "báo cáo tổng kết công tác dân vận năm 2022"),
         "attachments": [att_report("BT12", "report-2022-y", d(2022, 12, 15), name="BC nam 2022.docx")]},
        "BT12", "report-2022-y", tags="school;confusable;late")
