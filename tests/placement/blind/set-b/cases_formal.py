# -*- coding: utf-8 -*-
"""Formal Outlook mail from agencies (hcsn) and companies (dn)."""
from cases_common import *
from gen_mail import quote_outlook, hn, FED
from gen_directory import U


def fbody(code, what, role=0, k=0, extra="", attach_note=True):
    u = U(code)
    t = "%s\n\n%s trân trọng gửi %s.\n" % (kg(k), u.name, what)
    if extra:
        t += extra + "\n"
    if attach_note:
        t += "(Có văn bản gửi kèm theo)\n"
    t += "\nTrân trọng./.\n\n" + sig(code, role)
    return t


def build():
    # F1 UBND Bồ Đề, Q1 2021, formal subject with number
    a = hn(2021, 3, 9, 15, 20, 11)
    add({"client": "outlook", "from": sender("BH01", "CĐCS UBND phường Bồ Đề"), "arrival": a,
         "subject": "V/v báo cáo kết quả công tác dân vận quý I năm 2021",
         "text": fbody("BH01", "Báo cáo số 05/BC-CĐCS ngày 09/3/2021 về kết quả thực hiện công tác dân vận quý I năm 2021"),
         "attachments": [att_report("BH01", "report-2021-q1", d(2021, 3, 9), number="05/BC-CĐCS",
                                    name="BC so 05-BC-CDCS quy I.docx")]},
        "BH01", "report-2021-q1", tags="formal;outlook")

    # F2 UBND Cự Khối, H1 2021, scanned PDF
    a = hn(2021, 6, 11, 10, 2, 40)
    add({"client": "outlook", "from": ("UBND phường Cự Khối", addr_of("BH02")), "arrival": a,
         "subject": "V/v báo cáo sơ kết 6 tháng đầu năm 2021 công tác dân vận",
         "text": fbody("BH02", "báo cáo sơ kết 6 tháng đầu năm 2021 thực hiện công tác dân vận (bản scan có dấu)", k=1),
         "attachments": [att_report("BH02", "report-2021-h1", d(2021, 6, 10), kind="scan-pdf", name="Scan0012.pdf")]},
        "BH02", "report-2021-h1", tags="formal;outlook;scan")

    # F3 Bệnh viện Đức Giang, Q3 2021, subject gives only the number; period only in the document
    a = hn(2021, 9, 14, 16, 45, 3)
    add({"client": "outlook", "from": ("Van phong Cong doan BVDK Duc Giang", addr_of("BH18", 1)), "arrival": a,
         "subject": "V/v gửi Báo cáo số 27/BC-CĐCS",
         "text": fbody("BH18", "Báo cáo số 27/BC-CĐCS ngày 14/9/2021 của Ban Chấp hành Công đoàn Bệnh viện", role=1),
         "attachments": [att_report("BH18", "report-2021-q3", d(2021, 9, 14), number="27/BC-CĐCS", variant=1,
                                    name="27-BC-CDCS.pdf", kind="pdf", role=1)]},
        "BH18", "report-2021-q3", tags="formal;outlook;title-only;second-address",
        note="period only in the PDF title (9 tháng năm 2021)")

    # F4 Kho bạc, annual 2020, text pdf
    a = hn(2020, 12, 10, 9, 12, 0)
    add({"client": "outlook", "from": ("Công đoàn Kho bạc Nhà nước Long Biên", addr_of("BH21")), "arrival": a,
         "subject": "V/v Báo cáo tổng kết công tác dân vận năm 2020",
         "text": fbody("BH21", "Báo cáo tổng kết công tác dân vận năm 2020 và phương hướng năm 2021"),
         "attachments": [att_report("BH21", "report-2020-y", d(2020, 12, 9), kind="pdf", name="BC tong ket 2020.pdf")]},
        "BH21", "report-2020-y", tags="formal;outlook;pdf")

    # F5 Chi cục Thuế, annual 2021 written as "quý IV"
    a = hn(2021, 12, 13, 14, 30, 9)
    add({"client": "outlook365", "from": ("Cong doan Chi cuc Thue Long Bien", addr_of("BH22")), "arrival": a,
         "subject": "V/v báo cáo công tác dân vận quý IV/2021",
         "text": fbody("BH22", "báo cáo kết quả công tác dân vận quý IV và cả năm 2021"),
         "attachments": [att_report("BH22", "report-2021-y", d(2021, 12, 13), variant=1, name="BC quy IV-2021.docx")]},
        "BH22", "report-2021-y", tags="formal;outlook;alias-q4")

    # F6 May Đức Giang Long Biên, "quý II" = 6 tháng
    a = hn(2021, 6, 14, 17, 58, 30)
    add({"client": "outlook", "from": ("Cong doan Cong ty CP May Duc Giang Long Bien", addr_of("BD01")), "arrival": a,
         "subject": "V/v báo cáo quý II năm 2021",
         "text": fbody("BD01", "báo cáo kết quả thực hiện công tác dân vận quý II năm 2021 (sơ kết 6 tháng)"),
         "attachments": [att_report("BD01", "report-2021-h1", d(2021, 6, 14), variant=1, name="BC quy II 2021.docx")]},
        "BD01", "report-2021-h1", tags="formal;outlook;alias-q2;near-deadline")

    # F7 subsidiary XN May số 2 (parent named in body)
    a = hn(2021, 6, 12, 8, 41, 2)
    add({"client": "outlook", "from": ("XN May 2", addr_of("BD02")), "arrival": a,
         "subject": "Báo cáo 6 tháng - CĐCS XN May số 2",
         "text": fbody("BD02", "báo cáo sơ kết 6 tháng đầu năm 2021 của CĐCS Xí nghiệp May số 2 (đơn vị thành viên Công ty CP May Đức Giang Long Biên, "
                               "báo cáo của Công ty do Công đoàn Công ty gửi riêng)"),
         "attachments": [att_report("BD02", "report-2021-h1", d(2021, 6, 11), name="XN2 - so ket 6 thang.docx")]},
        "BD02", "report-2021-h1", tags="formal;outlook;subsidiary;confusable")

    # F8 Sài Đồng invest Q1 2022
    a = hn(2022, 3, 11, 11, 5, 0)
    add({"client": "outlook", "from": ("Cong doan SDI", addr_of("BD03")), "arrival": a,
         "subject": "V/v báo cáo quý I/2022",
         "text": fbody("BD03", "báo cáo công tác dân vận quý I/2022"),
         "attachments": [att_report("BD03", "report-2022-q1", d(2022, 3, 11), variant=1, name="SDI_BC_Q1_2022.docx")]},
        "BD03", "report-2022-q1", tags="formal;outlook")

    # F9 parent forwards subsidiary's report -> credit subsidiary
    a = hn(2022, 3, 14, 9, 20, 0)
    inner = ("Kính gửi Công đoàn Công ty CP ĐT&PT Sài Đồng,\n\nCĐCS Công ty TNHH MTV Dịch vụ Sài Đồng gửi báo cáo quý I/2022, "
             "nhờ Công đoàn Công ty chuyển LĐLĐ quận giúp.\n\n" + sig("BD04"))
    add({"client": "outlook", "from": ("Cong doan SDI", addr_of("BD03")), "arrival": a,
         "subject": "FW: BC quý I CĐCS Cty Dịch vụ Sài Đồng",
         "text": "Kính gửi LĐLĐ quận,\n\nCông đoàn Công ty chuyển báo cáo quý I/2022 của CĐCS Công ty TNHH MTV Dịch vụ Sài Đồng "
                 "(đơn vị thành viên). Báo cáo của Công ty mẹ đã gửi ngày 11/3.\n\nTrân trọng,\n" + sig("BD03", 1) + "\n\n" +
                 quote_outlook(hn(2022, 3, 13, 16, 2), who("BD04")["name"], addr_of("BD04"), "Cong doan SDI <%s>" % addr_of("BD03"),
                               "BC quý I CĐCS Cty Dịch vụ Sài Đồng", inner),
         "attachments": [att_report("BD04", "report-2022-q1", d(2022, 3, 13), name="BC Q1 2022 - DV Sai Dong.docx")]},
        "BD04", "report-2022-q1", tags="formal;forward;subsidiary;forward-by-other-union")

    # F10 Điện lực, H1 2022, late by a few minutes
    a = hn(2022, 6, 15, 8, 10, 44)
    add({"client": "outlook365", "from": ("Công đoàn PC Long Biên", addr_of("BD15")), "arrival": a,
         "subject": "V/v báo cáo sơ kết 6 tháng đầu năm 2022",
         "text": fbody("BD15", "báo cáo sơ kết công tác dân vận 6 tháng đầu năm 2022", k=3),
         "attachments": [att_report("BD15", "report-2022-h1", d(2022, 6, 14), kind="pdf", name="PCLB_BC6T_2022.pdf")]},
        "BD15", "report-2022-h1", tags="formal;outlook;late")

    # F11 Cấp nước, Q3 2022, body compares with last year
    a = hn(2022, 9, 8, 15, 3, 0)
    add({"client": "outlook", "from": ("Cong doan Cap nuoc Long Bien", addr_of("BD21")), "arrival": a,
         "subject": "V/v báo cáo kết quả thực hiện công tác dân vận 9 tháng năm 2022",
         "text": fbody("BD21", "báo cáo kết quả thực hiện công tác dân vận 9 tháng năm 2022"),
         "attachments": [att_report("BD21", "report-2022-q3", d(2022, 9, 8), variant=1,
                                    extra=["So với cùng kỳ năm 2021 và so với 6 tháng đầu năm 2022, số đoàn viên tham gia mô hình tăng 12%."],
                                    name="BC 9 thang 2022.docx")]},
        "BD21", "report-2022-q3", tags="formal;outlook;body-other-period")

    # F12 Nhựa Thượng Thanh, vague subject, title only in attachment
    a = hn(2021, 3, 12, 10, 14, 0)
    add({"client": "outlook", "from": ("CDCS Nhua Thuong Thanh", addr_of("BD07")), "arrival": a,
         "subject": "V/v: Báo cáo",
         "text": fbody("BD07", "báo cáo theo Kế hoạch của LĐLĐ quận (file đính kèm)", k=1, attach_note=False),
         "attachments": [att_report("BD07", "report-2021-q1", d(2021, 3, 12), name="Bao cao CD.docx")]},
        "BD07", "report-2021-q1", tags="formal;outlook;title-only")

    # F13 TT Văn hóa: annual 2022, title mentions 2023
    a = hn(2022, 12, 7, 16, 20, 0)
    add({"client": "outlook", "from": ("TTVH-TT-TT Long Bien", addr_of("BH20")), "arrival": a,
         "subject": "V/v gửi báo cáo tổng kết công tác dân vận năm 2022",
         "text": fbody("BH20", "báo cáo tổng kết công tác dân vận năm 2022 và phương hướng, nhiệm vụ năm 2023"),
         "attachments": [att_report("BH20", "report-2022-y", d(2022, 12, 7), name="TK dan van 2022.docx")]},
        "BH20", "report-2022-y", tags="formal;outlook;body-other-period")

    # F14 TTYT quận, all caps subject, quoted-printable body
    a = hn(2022, 3, 10, 9, 0, 5)
    add({"client": "outlook", "benc": "qp", "from": ("Cong doan TTYT quan Long Bien", addr_of("BH17")), "arrival": a,
         "subject": "V/V BÁO CÁO QUÝ I NĂM 2022",
         "text": fbody("BH17", "BÁO CÁO KẾT QUẢ CÔNG TÁC DÂN VẬN QUÝ I NĂM 2022"),
         "attachments": [att_report("BH17", "report-2022-q1", d(2022, 3, 9), name="BAO CAO QUY I.docx")]},
        "BH17", "report-2022-q1", tags="formal;outlook;caps;qp")

    # F15 Phòng GD&ĐT: hcsn union on the school domain
    a = hn(2021, 9, 13, 14, 11, 0)
    add({"client": "roundcube", "from": ("Phong GD&DT Long Bien", addr_of("BH23")), "arrival": a,
         "subject": "V/v gửi báo cáo công tác dân vận quý III",
         "text": fbody("BH23", "báo cáo công tác dân vận quý III năm 2021 của Công đoàn cơ quan Phòng Giáo dục và Đào tạo"),
         "attachments": [att_report("BH23", "report-2021-q3", d(2021, 9, 13), name="PGD - BC quy III.docx")]},
        "BH23", "report-2021-q3", tags="formal;edu-domain")

    # F16 BQLDA from a personal gmail address, Outlook client
    p = who("BH19", 1)
    a = hn(2022, 9, 12, 17, 35, 0)
    add({"client": "outlook", "from": (p["name"], "hoangthuy.bqlda@gmail.com"), "arrival": a,
         "subject": "V/v báo cáo quý III năm 2022 - Công đoàn Ban QLDA",
         "text": fbody("BH19", "báo cáo kết quả công tác dân vận quý III năm 2022 của Công đoàn Ban Quản lý dự án đầu tư xây dựng quận Long Biên", role=1),
         "attachments": [att_report("BH19", "report-2022-q3", d(2022, 9, 12), role=1, name="BQLDA BC Q3.docx")]},
        "BH19", "report-2022-q3", tags="formal;outlook;personal-addr;by-name")

    # F17 Cơ khí Đức Giang: annual 2020 sent in January 2021 (late)
    a = hn(2021, 1, 6, 8, 55, 0)
    add({"client": "outlook", "from": ("Cong doan Co khi Duc Giang", addr_of("BD05")), "arrival": a,
         "subject": "V/v báo cáo tổng kết năm 2020",
         "text": fbody("BD05", "báo cáo tổng kết công tác dân vận năm 2020. Đơn vị xin lỗi vì gửi chậm do cuối năm tập trung sản xuất"),
         "attachments": [att_report("BD05", "report-2020-y", d(2021, 1, 5), name="Tong ket 2020.docx")]},
        "BD05", "report-2020-y", tags="formal;outlook;late")

    # F18 Xây dựng số 9: number in subject
    a = hn(2021, 9, 10, 10, 30, 0)
    add({"client": "outlook", "from": ("Cong doan XD9", addr_of("BD08")), "arrival": a,
         "subject": "V/v báo cáo số 12/BC-CĐCS ngày 10/9/2021 về kết quả công tác dân vận quý III",
         "text": fbody("BD08", "Báo cáo số 12/BC-CĐCS ngày 10/9/2021"),
         "attachments": [att_report("BD08", "report-2021-q3", d(2021, 9, 10), number="12/BC-CĐCS", name="12-BC-CDCS.docx")]},
        "BD08", "report-2021-q3", tags="formal;outlook")

    # F19 UBND Đức Giang from its second (gov) address
    a = hn(2022, 12, 9, 15, 0, 0)
    add({"client": "roundcube", "from": ("UBND phuong Duc Giang", addr_of("BH03", 1)), "arrival": a,
         "subject": "V/v báo cáo tổng kết năm 2022 (CĐCS UBND phường Đức Giang)",
         "text": fbody("BH03", "báo cáo tổng kết công tác dân vận năm 2022"),
         "attachments": [att_report("BH03", "report-2022-y", d(2022, 12, 9), kind="scan-pdf", name="SKM_C22812090.pdf")]},
        "BH03", "report-2022-y", tags="formal;second-address;scan")

    # F20 BHXH, H1 2022, text pdf
    a = hn(2022, 6, 10, 16, 47, 0)
    add({"client": "outlook365", "from": ("CĐCS BHXH quận Long Biên", addr_of("BH28")), "arrival": a,
         "subject": "V/v báo cáo sơ kết công tác dân vận 6 tháng đầu năm 2022",
         "text": fbody("BH28", "báo cáo sơ kết 6 tháng đầu năm 2022"),
         "attachments": [att_report("BH28", "report-2022-h1", d(2022, 6, 10), kind="pdf", name="BHXH-BC6T.pdf")]},
        "BH28", "report-2022-h1", tags="formal;outlook;pdf")

    # F21 Dược Gia Thụy: annual 2021 at 23:40 on the 14th
    a = hn(2021, 12, 14, 23, 40, 12)
    add({"client": "outlook", "from": ("Cong doan Duoc pham Gia Thuy", addr_of("BD12")), "arrival": a,
         "subject": "V/v báo cáo năm",
         "text": fbody("BD12", "báo cáo tổng kết công tác dân vận năm 2021"),
         "attachments": [att_report("BD12", "report-2021-y", d(2021, 12, 14), kind="pdf", name="BC nam 2021.pdf")]},
        "BD12", "report-2021-y", tags="formal;outlook;boundary")

    # F22 UBND Phúc Đồng: H1 2021 whose body compares with quý I
    a = hn(2021, 6, 9, 9, 45, 0)
    add({"client": "outlook", "from": ("UBND phuong Phuc Dong", addr_of("BH09")), "arrival": a,
         "subject": "V/v báo cáo sơ kết 6 tháng công tác dân vận năm 2021",
         "text": fbody("BH09", "báo cáo sơ kết 6 tháng đầu năm 2021. Kết quả quý I đơn vị đã báo cáo ngày 10/3/2021, nay tổng hợp chung trong báo cáo 6 tháng"),
         "attachments": [att_report("BH09", "report-2021-h1", d(2021, 6, 9),
                                    extra=["So với quý I năm 2021, số lượt đoàn viên tham gia các hoạt động tăng 20%."], name="BC 6T 2021.docx")]},
        "BH09", "report-2021-h1", tags="formal;outlook;body-other-period")

    # F23 Thực phẩm Việt Hưng vs Việt Hưng Xanh (the latter from a personal address)
    a = hn(2022, 3, 10, 10, 0, 0)
    add({"client": "outlook", "from": ("Cong doan TP Viet Hung", addr_of("BD16")), "arrival": a,
         "subject": "V/v báo cáo quý I năm 2022",
         "text": fbody("BD16", "báo cáo quý I năm 2022"),
         "attachments": [att_report("BD16", "report-2022-q1", d(2022, 3, 10), name="BC quy I 2022.docx")]},
        "BD16", "report-2022-q1", tags="formal;outlook;confusable")
    p = who("BD17")
    a = hn(2022, 3, 14, 21, 3, 0)
    add({"client": "gmail", "from": (p["name"], "tranhuong.vhx@gmail.com"), "arrival": a,
         "subject": "Báo cáo quý I năm 2022 - CĐCS Cty TNHH Thực phẩm Việt Hưng Xanh",
         "text": "Kính gửi LĐLĐ quận Long Biên,\nCông đoàn Công ty TNHH Thực phẩm Việt Hưng Xanh gửi báo cáo quý I năm 2022 "
                 "(đơn vị chưa có email công đoàn, em gửi bằng mail cá nhân).\n\n" + sig("BD17"),
         "attachments": [att_report("BD17", "report-2022-q1", d(2022, 3, 14), name="BC quy I 2022.docx")]},
        "BD17", "report-2022-q1", tags="personal-addr;by-name;confusable")

    # F24 Kính Phúc Đồng: reply to the federation reminder that lists every report
    a = hn(2022, 12, 12, 8, 30, 0)
    rem = fed_announce_text(2022, "báo cáo tổng kết năm 2022")
    add({"client": "outlook", "from": ("Cong doan Kinh Phuc Dong", addr_of("BD19")), "arrival": a,
         "subject": "RE: V/v đôn đốc gửi báo cáo tổng kết năm 2022",
         "text": fbody("BD19", "báo cáo tổng kết công tác dân vận năm 2022") + "\n\n" +
                 quote_outlook(hn(2022, 12, 5, 9, 0), "LĐLĐ quận Long Biên", FED[1], "cac CDCS",
                               "V/v đôn đốc gửi báo cáo tổng kết năm 2022", rem, lang="en"),
         "attachments": [att_report("BD19", "report-2022-y", d(2022, 12, 12), name="BC TK 2022 - Kinh PD.docx")]},
        "BD19", "report-2022-y", tags="formal;outlook;quoted-other;reply")

    # F25 UBND Thượng Thanh: Date header on the 14th, arrival on the 15th (late by arrival)
    a = hn(2022, 9, 15, 8, 5, 30)
    add({"client": "outlook", "from": ("UBND phuong Thuong Thanh", addr_of("BH13")), "arrival": a,
         "date": hn(2022, 9, 14, 17, 30, 2),
         "subject": "V/v báo cáo công tác dân vận quý III năm 2022",
         "text": fbody("BH13", "báo cáo công tác dân vận quý III năm 2022"),
         "attachments": [att_report("BH13", "report-2022-q3", d(2022, 9, 14), name="BC quy III 2022.docx")]},
        "BH13", "report-2022-q3", tags="formal;outlook;date-differs;late",
        note="Date header 14/9 17:30 but arrived 15/9 08:05 (outbox); late by arrival")
