# -*- coding: utf-8 -*-
"""Messages that must never be credited."""
import gen_docs as D
from cases_common import *
from gen_mail import hn, FED, quote_gmail, quote_outlook
from gen_directory import U

AUTO = ["Auto-Submitted: auto-replied", "X-Autoreply: yes"]
LIST_HANOI = ["List-Id: Ban tin Cong doan Thu do <bantin.congdoanhanoi.org.vn>",
              "List-Unsubscribe: <mailto:unsubscribe@congdoanhanoi.org.vn?subject=unsubscribe>",
              "Precedence: bulk"]


def template_content(title2, dvk=False):
    c = {"left": ["LĐLĐ QUẬN LONG BIÊN", "CĐCS ......................", "Số: ..../BC-CĐCS"],
         "right": D.QUOC_HIEU, "place_date": "Long Biên, ngày .... tháng .... năm ......",
         "title": ["PHIẾU ĐĂNG KÝ" if dvk else "BÁO CÁO", title2],
         "paras": ["(Mẫu kèm theo Công văn của LĐLĐ quận Long Biên - các CĐCS điền nội dung)",
                   "I. KẾT QUẢ THỰC HIỆN", "1. Công tác tuyên truyền: ..............................",
                   "2. Kết quả thực hiện mô hình \"Dân vận khéo\": ..............................",
                   "II. PHƯƠNG HƯỚNG, NHIỆM VỤ", ".............................................."],
         "sign": ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "", "(Ký, ghi rõ họ tên, đóng dấu)"], "recv": []}
    return c


def build():
    # ---------------- auto-replies
    add({"client": "outlook", "from": ("UBND phuong Gia Thuy", addr_of("BH04")), "arrival": hn(2021, 3, 2, 8, 1),
         "subject": "Trả lời tự động: V/v đôn đốc gửi báo cáo quý I năm 2021", "headers": AUTO + ["X-Auto-Response-Suppress: All"],
         "text": "Trả lời tự động: Tôi đang nghỉ phép đến hết ngày 05/3/2021. Việc gấp xin liên hệ văn phòng UBND phường Gia Thụy. Trân trọng."},
        "BH04", "", counts=0, tags="noise;noise-autoreply")
    add({"client": "outlook365", "from": ("Công đoàn PC Long Biên", addr_of("BD15")), "arrival": hn(2022, 6, 2, 9, 0, 4),
         "subject": "Automatic reply: [LĐLĐ Long Biên] Nhắc gửi báo cáo sơ kết 6 tháng đầu năm 2022",
         "headers": ["Auto-Submitted: auto-generated", "X-MS-Exchange-Inbox-Rules-Loop: %s" % addr_of("BD15")],
         "text": "I am out of the office until 06/06/2022. / Tôi đang đi công tác đến 06/6/2022, sẽ gửi báo cáo 6 tháng khi về."},
        "BD15", "", counts=0, tags="noise;noise-autoreply")
    add({"client": "gmail", "from": ("THCS Ngoc Lam", addr_of("BC05")), "arrival": hn(2021, 12, 1, 8, 30),
         "subject": "Re: V/v gửi báo cáo tổng kết năm 2021", "headers": AUTO,
         "text": "Cảm ơn thầy/cô đã gửi thư. Trường THCS Ngọc Lâm đã nhận được và sẽ phản hồi sớm nhất.\n(Thư trả lời tự động)"},
        "BC05", "", counts=0, tags="noise;noise-autoreply;school")

    # ---------------- bounces
    add({"client": "gmail", "from": ("Mail Delivery Subsystem", "mailer-daemon@googlemail.com"), "return_path": "",
         "arrival": hn(2021, 9, 1, 8, 2, 5), "subject": "Delivery Status Notification (Failure)", "headers": ["Auto-Submitted: auto-replied"],
         "html": False, "benc": "8bit",
         "text": "** Không gửi được thư đến cdcs.thcsnguyengiathieu@gmail.com **\n\nĐịa chỉ không tìm thấy. "
                 "The email account that you tried to reach does not exist.\n\n----- Original message -----\n"
                 "From: LĐLĐ quận Long Biên <ldllongbien@gmail.com>\nSubject: V/v gửi báo cáo quý III năm 2021\n\n"
                 "Đề nghị các CĐCS gửi báo cáo quý III năm 2021 trước ngày 15/9/2021."},
        "", "", counts=0, tags="noise;noise-bounce")
    add({"client": "roundcube", "from": ("Mail Delivery System", "MAILER-DAEMON@longbien.edu.vn"), "return_path": "",
         "arrival": hn(2022, 3, 2, 10, 0, 30), "subject": "Undelivered Mail Returned to Sender", "html": False, "benc": "7bit",
         "headers": ["Auto-Submitted: auto-replied"],
         "text": "This is the mail system at host mail.longbien.edu.vn.\n\nI'm sorry to have to inform you that your message could not\n"
                 "be delivered to one or more recipients.\n\n<mnhoahong@longbien.edu.vn>: mailbox disabled\n\n"
                 "Subject: [LDLD Long Bien] Thong bao gui bao cao quy I nam 2022"},
        "", "", counts=0, tags="noise;noise-bounce")

    # ---------------- lists / newsletters
    add({"client": "other", "from": ("Công đoàn Thủ đô", "bantin@congdoanhanoi.org.vn"), "arrival": hn(2021, 3, 5, 7, 0),
         "headers": LIST_HANOI, "subject": "Bản tin Công đoàn Thủ đô số 09/2021: Các cấp công đoàn đẩy mạnh phong trào \"Dân vận khéo\"",
         "text": "LĐLĐ thành phố Hà Nội - Bản tin tuần\n\n- LĐLĐ quận Long Biên tổng kết công tác năm 2020\n"
                 "- Hướng dẫn đăng ký mô hình Dân vận khéo năm 2021\n- Báo cáo quý I: các LĐLĐ quận, huyện gửi trước 20/3\n\n"
                 "Để hủy nhận bản tin, trả lời thư này với tiêu đề unsubscribe."},
        "", "", counts=0, tags="noise;noise-list")
    add({"client": "other", "from": ("LĐLĐ thành phố Hà Nội", "vanphong@congdoanhanoi.org.vn"), "arrival": hn(2022, 6, 3, 14, 0),
         "headers": ["List-Id: <ldld-quanhuyen.congdoanhanoi.org.vn>", "Precedence: list"],
         "subject": "Hướng dẫn báo cáo sơ kết 6 tháng đầu năm 2022",
         "text": "Kính gửi: LĐLĐ các quận, huyện, thị xã\n\nLĐLĐ Thành phố hướng dẫn nội dung báo cáo sơ kết 6 tháng đầu năm 2022 "
                 "công tác dân vận (đề cương kèm theo). Thời hạn gửi về Ban Tuyên giáo trước ngày 20/6/2022.\n\nVăn phòng LĐLĐ TP Hà Nội",
         "attachments": [att_content(template_content("Sơ kết công tác dân vận 6 tháng đầu năm 2022 (đề cương)"), "docx", "De cuong BC 6 thang 2022.docx")]},
        "", "", counts=0, tags="noise;noise-list;template")
    add({"client": "other", "from": ("Ban Dân vận Quận ủy Long Biên", "bandanvan.longbien@gmail.com"), "arrival": hn(2021, 12, 20, 9, 0),
         "src": ("mail-sor-f41.google.com", "209.85.220.41"),
         "headers": ["List-Id: <danvan-longbien.googlegroups.com>", "Precedence: list",
                     "Mailing-list: list danvan-longbien@googlegroups.com; contact danvan-longbien+owners@googlegroups.com"],
         "subject": "[danvan-longbien] Kết quả xét chọn mô hình Dân vận khéo năm 2021",
         "text": "Ban Dân vận Quận ủy thông báo kết quả xét chọn 25 mô hình \"Dân vận khéo\" tiêu biểu năm 2021, trong đó có mô hình "
                 "của CĐCS Trường THCS Ngô Gia Tự, CĐCS UBND phường Bồ Đề.\n\n--\nYou received this message because you are subscribed to the Google Groups \"danvan-longbien\" group."},
        "", "", counts=0, tags="noise;noise-list")
    add({"client": "other", "from": ("Công đoàn Thủ đô", "bantin@congdoanhanoi.org.vn"), "arrival": hn(2022, 12, 9, 7, 0),
         "headers": LIST_HANOI, "subject": "Bản tin Công đoàn Thủ đô số 49/2022",
         "text": "- Tổng kết công tác năm 2022, triển khai nhiệm vụ năm 2023\n- Báo cáo tổng kết năm của các CĐCS: lưu ý thời hạn 15/12\n\n"
                 "Để hủy nhận bản tin, trả lời thư này với tiêu đề unsubscribe."},
        "", "", counts=0, tags="noise;noise-list")

    # ---------------- questions from unions
    add({"client": "gmail", "from": ("Truong MN Hoa Mai", addr_of("BM02")), "arrival": hn(2021, 3, 3, 10, 12),
         "subject": "Cho em hỏi mẫu báo cáo quý I",
         "text": "Chị ơi cho em hỏi mẫu báo cáo quý I năm nay có khác năm ngoái không ạ? Em tìm không thấy file mẫu. Em cảm ơn.\n" + sig("BM02")},
        "BM02", "", counts=0, tags="noise;noise-question;school")
    add({"client": "roundcube", "from": ("TH Ngoc Lam", addr_of("BT07")), "arrival": hn(2022, 6, 6, 15, 30),
         "subject": "Hỏi hạn nộp báo cáo 6 tháng",
         "text": "Kính gửi LĐLĐ quận,\nCho em hỏi hạn nộp báo cáo sơ kết 6 tháng là ngày 15/6 hay 20/6 ạ? Báo cáo quý I trường em đã gửi rồi ạ.\n" + sig("BT07")},
        "BT07", "", counts=0, tags="noise;noise-question;school")
    ann = fed_announce_text(2021, "báo cáo quý I năm 2021")
    add({"client": "gmail", "from": ("CĐCS THCS Ngô Gia Tự", addr_of("BC01")), "arrival": hn(2021, 3, 12, 9, 0),
         "subject": "Re: V/v đôn đốc gửi báo cáo quý I năm 2021",
         "text": "Dạ trường em đã gửi báo cáo quý I hôm 11/3 từ mail trường rồi ạ, chị kiểm tra giúp em với.\n" + sig("BC01") + "\n\n" +
                 quote_gmail(hn(2021, 3, 11, 16, 0), "LĐLĐ quận Long Biên", FED[1], ann)},
        "BC01", "", counts=0, tags="noise;noise-question;quoted-other;school")
    add({"client": "outlook", "from": ("Cong doan XD9", addr_of("BD08")), "arrival": hn(2022, 9, 12, 16, 0),
         "subject": "V/v xin gia hạn nộp báo cáo quý III",
         "text": "Kính gửi LĐLĐ quận,\nDo đơn vị đang thi công công trình ngoài tỉnh, Công đoàn Công ty xin gia hạn nộp báo cáo quý III năm 2022 "
                 "đến ngày 20/9/2022.\nTrân trọng.\n" + sig("BD08")},
        "BD08", "", counts=0, tags="noise;noise-question;extension-request")

    # ---------------- the federation's own mail copied back
    add({"client": "gmail", "from": FED, "to": [FED], "arrival": hn(2022, 9, 1, 8, 0),
         "subject": "V/v gửi báo cáo quý III năm 2022",
         "text": fed_announce_text(2022, "báo cáo quý III năm 2022") + "\n\n(Gửi kèm mẫu báo cáo)",
         "attachments": [att_content(template_content("Kết quả thực hiện công tác dân vận quý III năm 2022"), "docx", "Mau BC quy III.docx")]},
        "", "", counts=0, tags="noise;noise-federation;template")
    add({"client": "gmail", "from": FED, "to": [FED], "arrival": hn(2021, 1, 20, 8, 0, 3),
         "subject": "Thông báo V/v đăng ký mô hình Dân vận khéo năm 2021",
         "text": "Kính gửi các CĐCS,\nThực hiện Kế hoạch của Quận ủy, đề nghị các CĐCS đăng ký ít nhất 01 mô hình \"Dân vận khéo\" năm 2021, "
                 "gửi về LĐLĐ quận trước ngày 22/02/2021 (mẫu kèm theo).\nLĐLĐ quận Long Biên",
         "attachments": [att_xlsx([("", "", "", "", "")], "MẪU ĐĂNG KÝ MÔ HÌNH \"DÂN VẬN KHÉO\" NĂM 2021", name="Mau DK DVK.xlsx",
                                  subtitle="Đơn vị: ..............")]},
        "", "", counts=0, tags="noise;noise-federation;template")
    add({"client": "gmail", "from": FED, "to": [("Ban Dân vận Quận ủy", "bandanvan.longbien@gmail.com")], "cc": [FED],
         "arrival": hn(2021, 3, 22, 10, 0), "subject": "Báo cáo tổng hợp công tác dân vận quý I/2021 - LĐLĐ quận Long Biên",
         "text": "Kính gửi Ban Dân vận Quận ủy,\nLĐLĐ quận gửi báo cáo tổng hợp công tác dân vận quý I/2021 (tổng hợp từ 85 CĐCS).\nTrân trọng!",
         "attachments": [att_content({"left": ["QUẬN ỦY LONG BIÊN", "LĐLĐ QUẬN LONG BIÊN", "Số: 18/BC-LĐLĐ"], "right": D.QUOC_HIEU,
                                      "place_date": "Long Biên, ngày 22 tháng 03 năm 2021",
                                      "title": ["BÁO CÁO", "Tổng hợp kết quả công tác dân vận quý I năm 2021 của các CĐCS"],
                                      "paras": ["Tổng số CĐCS đã báo cáo: 85/96. Một số đơn vị gửi chậm: ...", "I. KẾT QUẢ", "..."],
                                      "sign": ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "", "Nguyễn Văn Quang"], "recv": []},
                                     "docx", "BC tong hop quy I-2021.docx")]},
        "", "", counts=0, tags="noise;noise-federation")
    add({"client": "outlook", "from": ("Cong doan Chi cuc Thue Long Bien", addr_of("BH22")), "arrival": hn(2021, 3, 16, 8, 20),
         "subject": "Đã đọc: V/v gửi báo cáo quý I năm 2021",
         "headers": ["Auto-Submitted: auto-replied"],
         "text": "Thư của bạn\n\nĐến: Cong doan Chi cuc Thue Long Bien\nChủ đề: V/v gửi báo cáo quý I năm 2021\nĐã gửi: 01/03/2021 08:00\n\nđã được đọc vào 16/03/2021 08:20."},
        "BH22", "", counts=0, tags="noise;noise-receipt")

    # ---------------- spam, unknown organisations, spoofing
    add({"client": "other", "from": ("Vay Nhanh 24h", "khuyenmai@vaynhanh24h.top"), "arrival": hn(2021, 6, 9, 3, 12),
         "subject": "Hỗ trợ vay tiêu dùng lãi suất 0% cho cán bộ công đoàn",
         "text": "Chỉ cần CMND, giải ngân trong 15 phút. Liên hệ ngay: 0888.xxx.xxx"},
        "", "", counts=0, tags="noise;noise-spam")
    add({"client": "other", "from": ("Quản trị hệ thống", "admin@mail-longbien-support.com"), "arrival": hn(2022, 3, 4, 2, 30),
         "subject": "Cảnh báo: Hộp thư ldllongbien@gmail.com sắp đầy",
         "text": "Hộp thư của bạn đã vượt quá dung lượng. Nhấp vào liên kết sau để xác minh tài khoản trong 24 giờ: http://gmail-verify.example/"},
        "", "", counts=0, tags="noise;noise-spam;phishing")
    add({"client": "gmail", "from": ("CDCS Cty TNHH Minh Phat Hung Yen", "congdoanminhphat.hy@gmail.com"), "arrival": hn(2022, 3, 10, 9, 40),
         "subject": "Báo cáo quý I năm 2022",
         "text": "Kính gửi LĐLĐ huyện Văn Lâm,\nCĐCS Công ty TNHH Minh Phát gửi báo cáo quý I năm 2022.\nTrân trọng.\nNguyễn Thị Hiền - Chủ tịch CĐCS",
         "attachments": [att_content({"left": ["LĐLĐ HUYỆN VĂN LÂM", "CĐCS CÔNG TY TNHH MINH PHÁT", "Số: 03/BC-CĐCS"], "right": D.QUOC_HIEU,
                                      "place_date": "Văn Lâm, ngày 10 tháng 03 năm 2022",
                                      "title": ["BÁO CÁO", "Kết quả hoạt động công đoàn quý I năm 2022"],
                                      "paras": ["I. KẾT QUẢ", "Công đoàn đã tổ chức ..."], "sign": ["TM. BCH", "CHỦ TỊCH", "", "Nguyễn Thị Hiền"], "recv": []},
                                     "docx", "BC quy I 2022.docx")]},
        "", "", counts=0, tags="noise;noise-unknown-org", note="union of another province, wrong recipient")
    add({"client": "roundcube", "from": ("THCS Dang Thai Mai", "thcsdangthaimai@gialam.edu.vn"), "arrival": hn(2021, 12, 10, 10, 10),
         "subject": "Báo cáo tổng kết năm 2021",
         "text": "Kính gửi LĐLĐ huyện Gia Lâm,\nCông đoàn trường THCS Đặng Thai Mai (huyện Gia Lâm) gửi báo cáo tổng kết năm 2021.\nTrân trọng!"},
        "", "", counts=0, tags="noise;noise-unknown-org;school", note="school of another district, no attachment")
    add({"client": "other", "from": ("CĐCS THCS Ngô Gia Tự", addr_of("BC01")), "return_path": "bounce-7731@mailer.hostvn-bulk.ru",
         "src": ("vps-4471.hostvn-bulk.ru", "185.212.44.71"), "arrival": hn(2022, 6, 8, 1, 15),
         "pre_headers": ["Authentication-Results: mx.google.com;\r\n       spf=fail (google.com: domain of bounce-7731@mailer.hostvn-bulk.ru "
                         "does not designate 185.212.44.71 as permitted sender) smtp.mailfrom=bounce-7731@mailer.hostvn-bulk.ru;\r\n"
                         "       dmarc=fail (p=NONE sp=QUARANTINE dis=NONE) header.from=gmail.com"],
         "subject": "Báo cáo 6 tháng - xem file đính kèm",
         "text": "Vui lòng xem báo cáo tại liên kết: http://drive-docs-share.example/bc6thang (đăng nhập bằng tài khoản Gmail để xem)."},
        "", "", counts=0, tags="noise;noise-spoofed", note="forged From of BC01, SPF/DMARC fail, phishing link")
    add({"client": "other", "from": FED, "return_path": "noreply@secure-mail-update.example",
         "src": ("mail.secure-mail-update.example", "45.14.226.9"), "arrival": hn(2022, 12, 2, 23, 40),
         "pre_headers": ["Authentication-Results: mx.google.com;\r\n       spf=fail smtp.mailfrom=noreply@secure-mail-update.example;\r\n"
                         "       dmarc=fail (p=NONE sp=QUARANTINE dis=NONE) header.from=gmail.com"],
         "subject": "Cập nhật danh sách CĐCS nộp báo cáo năm 2022",
         "text": "Các đơn vị chưa nộp báo cáo tổng kết năm 2022 vui lòng tải biểu mẫu tại http://bieu-mau-ldld.example/ và đăng nhập để xác nhận."},
        "", "", counts=0, tags="noise;noise-spoofed;noise-federation", note="forged federation address")

    # ---------------- things from known unions that are not an obligation
    add({"client": "gmail", "from": ("Cong doan Cap nuoc Long Bien", addr_of("BD21")), "arrival": hn(2022, 1, 18, 10, 0),
         "subject": "Báo cáo quyết toán tài chính công đoàn năm 2021",
         "text": mb_local("BD21", "báo cáo quyết toán thu, chi tài chính công đoàn năm 2021"),
         "attachments": [att_xlsx([("CĐCS Công ty CP Cấp nước Long Biên", "Thu kinh phí công đoàn 2%", "Tài chính", "", "")],
                                  "BÁO CÁO QUYẾT TOÁN TÀI CHÍNH CÔNG ĐOÀN NĂM 2021", name="Quyet toan 2021.xlsx", sheet="QT2021")]},
        "BD21", "", counts=0, tags="noise;other-report", note="financial settlement, not a report of the dân vận plan")
    add({"client": "roundcube", "from": ("MN Hoa Sua", addr_of("BM01")), "arrival": hn(2022, 2, 16, 9, 5),
         "subject": "Đăng ký mô hình Dân vận khéo năm 2022",
         "text": mb_local("BM01", "đăng ký mô hình Dân vận khéo năm 2022"),
         "attachments": [att_dvk("BM01", d(2022, 2, 16), year=2022, name="DK DVK 2022.docx", seed=22)]},
        "BM01", "", counts=0, tags="noise;other-year;dvk;school", note="registration for 2022; only dvk-2021 is an obligation")


def mb_local(code, what):
    u = U(code)
    return "%s\n\n%s gửi %s.\n\nTrân trọng!\n\n%s" % (kg(1), u.name, what, sig(code))
