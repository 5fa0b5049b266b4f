# -*- coding: utf-8 -*-
"""Directory of grassroots unions (CĐCS) of LĐLĐ quận Long Biên, invented for set-b.

Code scheme: B<bloc letter><2 digits>  (BH = hcsn, BD = dn, BM/BT/BC/BP = school MN/TH/THCS/THPT)
"""
import csv

# (code, short name used in mail, full name, bloc, emails, active)
_U = [
    # ---- hcsn -------------------------------------------------------------
    ("BH01", "UBND phường Bồ Đề", "hcsn", "cdcs.ubndbode@gmail.com", "yes"),
    ("BH02", "UBND phường Cự Khối", "hcsn", "ubnd_pcukhoi_longbien@hanoi.gov.vn", "yes"),
    ("BH03", "UBND phường Đức Giang", "hcsn", "congdoanducgiang@gmail.com;ubnd_pducgiang_longbien@hanoi.gov.vn", "yes"),
    ("BH04", "UBND phường Gia Thụy", "hcsn", "ubnd_pgiathuy_longbien@hanoi.gov.vn", "yes"),
    ("BH05", "UBND phường Giang Biên", "hcsn", "", "yes"),
    ("BH06", "UBND phường Long Biên", "hcsn", "cdcs.pLongbien@gmail.com", "yes"),
    ("BH07", "UBND phường Ngọc Lâm", "hcsn", "ubnd_pngoclam_longbien@hanoi.gov.vn", "yes"),
    ("BH08", "UBND phường Ngọc Thụy", "hcsn", "congdoanngocthuy2020@gmail.com", "yes"),
    ("BH09", "UBND phường Phúc Đồng", "hcsn", "ubnd_pphucdong_longbien@hanoi.gov.vn", "yes"),
    ("BH10", "UBND phường Phúc Lợi", "hcsn", "cdphucloi@gmail.com", "yes"),
    ("BH11", "UBND phường Sài Đồng", "hcsn", "ubnd_psaidong_longbien@hanoi.gov.vn", "yes"),
    ("BH12", "UBND phường Thạch Bàn", "hcsn", "cdcsthachban@gmail.com", "yes"),
    ("BH13", "UBND phường Thượng Thanh", "hcsn", "ubnd_pthuongthanh_longbien@hanoi.gov.vn", "yes"),
    ("BH14", "UBND phường Việt Hưng", "hcsn", "", "yes"),
    ("BH15", "Trạm Y tế phường Bồ Đề", "hcsn", "tramytebode@gmail.com", "yes"),
    ("BH16", "Trạm Y tế phường Thạch Bàn", "hcsn", "tytthachban@gmail.com", "no"),
    ("BH17", "Trung tâm Y tế quận Long Biên", "hcsn", "congdoan.ttytlongbien@gmail.com", "yes"),
    ("BH18", "Bệnh viện Đa khoa Đức Giang", "hcsn", "congdoan@bvducgiang.vn;vanphongcd.bvdg@gmail.com", "yes"),
    ("BH19", "Ban Quản lý dự án đầu tư xây dựng quận Long Biên", "hcsn", "bqlda_longbien@hanoi.gov.vn", "yes"),
    ("BH20", "Trung tâm Văn hóa - Thông tin và Thể thao quận Long Biên", "hcsn", "ttvhttlongbien@gmail.com", "yes"),
    ("BH21", "Kho bạc Nhà nước Long Biên", "hcsn", "congdoan.kbnnlb@gmail.com", "yes"),
    ("BH22", "Chi cục Thuế quận Long Biên", "hcsn", "cdcs.ccthuelb@gmail.com", "yes"),
    ("BH23", "Phòng Giáo dục và Đào tạo quận Long Biên", "hcsn", "pgd_longbien@longbien.edu.vn", "yes"),
    ("BH24", "Ban Quản lý chợ Long Biên", "hcsn", "", "yes"),
    ("BH25", "Đội Quản lý trật tự xây dựng đô thị quận Long Biên", "hcsn", "doiqltxd.lb@gmail.com", "yes"),
    ("BH26", "Trung tâm Phát triển quỹ đất quận Long Biên", "hcsn", "cdttptqd.longbien@gmail.com", "yes"),
    ("BH27", "Trạm Y tế phường Phúc Đồng", "hcsn", "", "yes"),
    ("BH28", "Bảo hiểm xã hội quận Long Biên", "hcsn", "cdbhxhlongbien@gmail.com", "yes"),
    # ---- dn ----------------------------------------------------------------
    ("BD01", "Công ty CP May Đức Giang Long Biên", "dn", "congdoan@mayducgianglb.com.vn", "yes"),
    ("BD02", "Xí nghiệp May số 2 - Công ty CP May Đức Giang Long Biên", "dn", "cd.xnmay2@gmail.com", "yes"),
    ("BD03", "Công ty CP Đầu tư và Phát triển Sài Đồng", "dn", "congdoan@saidonginvest.vn", "yes"),
    ("BD04", "Công ty TNHH MTV Dịch vụ Sài Đồng", "dn", "cdcs.dvsaidong@gmail.com", "yes"),
    ("BD05", "Công ty CP Cơ khí Đức Giang", "dn", "cokhiducgiang.cd@gmail.com", "yes"),
    ("BD06", "Công ty TNHH Bao bì Phúc Lợi", "dn", "", "yes"),
    ("BD07", "Công ty CP Nhựa Thượng Thanh", "dn", "cdcs@nhuathuongthanh.vn", "yes"),
    ("BD08", "Công ty CP Xây dựng số 9 Long Biên", "dn", "congdoanxd9lb@gmail.com", "yes"),
    ("BD09", "Công ty TNHH Điện tử Sài Đồng B", "dn", "union@saidongb-elec.com", "yes"),
    ("BD10", "Công ty CP Môi trường đô thị Long Biên", "dn", "cdmoitruonglb@gmail.com", "yes"),
    ("BD11", "Công ty CP Thương mại Ngọc Lâm", "dn", "", "yes"),
    ("BD12", "Công ty TNHH Dược phẩm Gia Thụy", "dn", "congdoan.duocgiathuy@gmail.com", "yes"),
    ("BD13", "Công ty CP Gạch men Cự Khối", "dn", "cd.gachcukhoi@gmail.com", "no"),
    ("BD14", "Công ty CP Xe khách Gia Lâm", "dn", "cdxekhachgialam@gmail.com", "yes"),
    ("BD15", "Công ty Điện lực Long Biên", "dn", "congdoan.pclongbien@evnhanoi.vn", "yes"),
    ("BD16", "Công ty CP Thực phẩm Việt Hưng", "dn", "thucphamviethung.cd@gmail.com", "yes"),
    ("BD17", "Công ty TNHH Thực phẩm Việt Hưng Xanh", "dn", "", "yes"),
    ("BD18", "Công ty CP Vận tải Thủy Long Biên", "dn", "vantaithuylb@gmail.com", "yes"),
    ("BD19", "Công ty CP Kính Phúc Đồng", "dn", "kinhphucdong.cd@gmail.com", "yes"),
    ("BD20", "Công ty TNHH Kỹ thuật Thạch Bàn", "dn", "", "yes"),
    ("BD21", "Công ty CP Cấp nước Long Biên", "dn", "congdoan@capnuoclongbien.vn", "yes"),
    ("BD22", "Công ty CP Đầu tư Giang Biên", "dn", "cdcsgiangbien.jsc@gmail.com", "yes"),
    # ---- th (schools) -------------------------------------------------------
    ("BM01", "Trường MN Hoa Sữa", "th", "mnhoasua@longbien.edu.vn", "yes"),
    ("BM02", "Trường MN Hoa Mai", "th", "mnhoamai@longbien.edu.vn", "yes"),
    ("BM03", "Trường MN Bồ Đề", "th", "mnbode@longbien.edu.vn;cdmnbode@gmail.com", "yes"),
    ("BM04", "Trường MN Gia Thụy", "th", "mngiathuy@longbien.edu.vn", "yes"),
    ("BM05", "Trường MN Ngọc Thụy", "th", "", "yes"),
    ("BM06", "Trường MN Phúc Đồng", "th", "mnphucdong@longbien.edu.vn", "yes"),
    ("BM07", "Trường MN Thạch Bàn", "th", "mnthachban@longbien.edu.vn", "yes"),
    ("BM08", "Trường MN Việt Hưng", "th", "mnviethung@longbien.edu.vn", "yes"),
    ("BM09", "Trường MN Hoa Thủy Tiên", "th", "mnhoathuytien@longbien.edu.vn", "yes"),
    ("BM10", "Trường MN Ánh Sao", "th", "", "yes"),
    ("BM11", "Trường MN Sài Đồng", "th", "mnsaidong@longbien.edu.vn", "yes"),
    ("BM12", "Trường MN Hoa Hồng", "th", "mnhoahong@longbien.edu.vn", "no"),
    ("BT01", "Trường TH Ái Mộ A", "th", "thaimoa@longbien.edu.vn", "yes"),
    ("BT02", "Trường TH Ái Mộ B", "th", "thaimob@longbien.edu.vn", "yes"),
    ("BT03", "Trường TH Ái Mộ", "th", "thaimo@longbien.edu.vn", "no"),
    ("BT04", "Trường TH Bồ Đề", "th", "thbode@longbien.edu.vn", "yes"),
    ("BT05", "Trường TH Đức Giang", "th", "thducgiang@longbien.edu.vn", "yes"),
    ("BT06", "Trường TH Gia Thụy", "th", "thgiathuy@longbien.edu.vn", "yes"),
    ("BT07", "Trường TH Ngọc Lâm", "th", "thngoclam@longbien.edu.vn", "yes"),
    ("BT08", "Trường TH Ngọc Thụy", "th", "", "yes"),
    ("BT09", "Trường TH Phúc Đồng", "th", "thphucdong@longbien.edu.vn", "yes"),
    ("BT10", "Trường TH Thạch Bàn A", "th", "ththachbana@longbien.edu.vn", "yes"),
    ("BT11", "Trường TH Thạch Bàn B", "th", "ththachbanb@longbien.edu.vn", "yes"),
    ("BT12", "Trường TH Sài Đồng", "th", "thsaidong@longbien.edu.vn", "yes"),
    ("BT13", "Trường TH Việt Hưng", "th", "thviethung@longbien.edu.vn", "yes"),
    ("BT14", "Trường TH Long Biên", "th", "thlongbien@longbien.edu.vn", "yes"),
    ("BT15", "Trường TH Cự Khối", "th", "thcukhoi@longbien.edu.vn", "yes"),
    ("BT16", "Trường TH Giang Biên", "th", "", "yes"),
    ("BT17", "Trường TH Thượng Thanh", "th", "ththuongthanh@longbien.edu.vn", "yes"),
    ("BT18", "Trường TH Đoàn Khuê", "th", "thdoankhue@longbien.edu.vn", "yes"),
    ("BC01", "Trường THCS Ngô Gia Tự", "th", "cdcs.thcsngogiatu@gmail.com;thcsngogiatu@longbien.edu.vn", "yes"),
    ("BC02", "Trường THCS Bồ Đề", "th", "thcsbode@longbien.edu.vn", "yes"),
    ("BC03", "Trường THCS Đức Giang", "th", "thcsducgiang@longbien.edu.vn", "yes"),
    ("BC04", "Trường THCS Gia Thụy", "th", "thcsgiathuy@longbien.edu.vn", "yes"),
    ("BC05", "Trường THCS Ngọc Lâm", "th", "thcsngoclam@longbien.edu.vn", "yes"),
    ("BC06", "Trường THCS Ngọc Thụy", "th", "", "yes"),
    ("BC07", "Trường THCS Phúc Đồng", "th", "thcsphucdong@longbien.edu.vn", "yes"),
    ("BC08", "Trường THCS Thạch Bàn", "th", "thcsthachban@longbien.edu.vn", "yes"),
    ("BC09", "Trường THCS Sài Đồng", "th", "thcssaidong@longbien.edu.vn", "yes"),
    ("BC10", "Trường THCS Việt Hưng", "th", "thcsviethung@longbien.edu.vn", "yes"),
    ("BC11", "Trường THCS Long Biên", "th", "thcslongbien@longbien.edu.vn", "yes"),
    ("BC12", "Trường THCS Cự Khối", "th", "thcscukhoi@longbien.edu.vn", "yes"),
    ("BC13", "Trường THCS Giang Biên", "th", "thcsgiangbien@longbien.edu.vn", "yes"),
    ("BC14", "Trường THCS Thượng Thanh", "th", "thcsthuongthanh@longbien.edu.vn", "yes"),
    ("BC15", "Trường THCS Chu Văn An", "th", "thcschuvanan@longbien.edu.vn", "yes"),
    ("BC16", "Trường THCS Nguyễn Gia Thiều", "th", "thcsnguyengiathieu@longbien.edu.vn", "yes"),
    ("BP01", "Trường THPT Nguyễn Gia Thiều", "th", "congdoan.thptngt@gmail.com", "yes"),
    ("BP02", "Trường THPT Lý Thường Kiệt", "th", "cdthptltk@gmail.com", "yes"),
    ("BP03", "Trường THPT Thạch Bàn", "th", "", "yes"),
    ("BP04", "Trường THPT Phúc Lợi", "th", "thptphucloi.cd@gmail.com", "yes"),
]


class Union:
    def __init__(self, code, short, bloc, emails, active):
        self.code = code
        self.short = short          # e.g. "Trường THCS Ngô Gia Tự"
        self.name = "CĐCS " + short  # full union name as in the directory
        self.bloc = bloc
        self.emails = [e for e in emails.split(";") if e]
        self.active = active

    @property
    def email(self):
        return self.emails[0] if self.emails else None

    def __repr__(self):
        return "<%s %s>" % (self.code, self.short)


UNIONS = [Union(*t) for t in _U]
BY_CODE = {u.code: u for u in UNIONS}


def U(code):
    return BY_CODE[code]


def write_csv(path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "bloc", "emails", "active"])
        for u in UNIONS:
            w.writerow([u.code, u.name, u.bloc, ";".join(u.emails), u.active])


# People: chair / accountant names for signatures (deterministic per union).
_SURN = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Đinh"]
_MID_F = ["Thị", "Thị Thu", "Thị Minh", "Thị Thanh", "Thị Hồng", "Ngọc", "Thu"]
_MID_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Tiến", "Xuân"]
_GIV_F = ["Hà", "Lan", "Hương", "Hằng", "Nga", "Thủy", "Huyền", "Mai", "Loan", "Yến", "Oanh", "Dung", "Phương", "Trang"]
_GIV_M = ["Hùng", "Dũng", "Tuấn", "Sơn", "Thắng", "Cường", "Long", "Nam", "Hải", "Bình", "Khánh"]


def person(code, role=0):
    """Deterministic person for union `code`; role 0 = chair, 1 = secretary/accountant."""
    h = sum(ord(c) * (i + 3) for i, c in enumerate(code)) + 17 * role
    female = (h % 3 != 0) if code[1] in "MTC" else (h % 2 == 0)
    s = _SURN[h % len(_SURN)]
    if female:
        m = _MID_F[(h // 3) % len(_MID_F)]
        g = _GIV_F[(h // 7) % len(_GIV_F)]
    else:
        m = _MID_M[(h // 3) % len(_MID_M)]
        g = _GIV_M[(h // 7) % len(_GIV_M)]
    phone = "09%d%02d%02d%03d" % (h % 10, (h * 7) % 100, (h * 13) % 100, (h * 31) % 1000)
    return {"name": "%s %s %s" % (s, m, g), "female": female, "phone": phone[:10]}


if __name__ == "__main__":
    from collections import Counter
    print(len(UNIONS), Counter(u.bloc for u in UNIONS), Counter(u.active for u in UNIONS))
    assert len(set(u.code for u in UNIONS)) == len(UNIONS)
    for u in UNIONS[:3] + UNIONS[-3:]:
        print(u.code, u.name, person(u.code), person(u.code, 1))
