"""Union directory for set-c (invented names) + text helpers."""
import unicodedata

# code, full name, bloc, emails(list), active
# Code scheme: "LBC" + bloc letter (H/D/G) + 3 digits.
UNIONS = []


def _add(code, name, bloc, emails, active=True):
    UNIONS.append(dict(code=code, name=name, bloc=bloc, emails=emails, active=active))


# ---- hcsn ----
_add("LBCH101", "CĐCS Cơ quan UBND phường Thạch Bàn", "hcsn", ["cdubndthachban@gmail.com"])
_add("LBCH102", "CĐCS Cơ quan UBND phường Cự Khối", "hcsn", ["congdoan.ubndcukhoi@gmail.com"])
_add("LBCH103", "CĐCS Cơ quan UBND phường Phúc Lợi", "hcsn", ["cdcs.phucloi.ub@gmail.com", "vanphong.phucloi@longbien.gov.vn"])
_add("LBCH104", "CĐCS Cơ quan UBND phường Giang Biên", "hcsn", ["ubnd.giangbien.cd@gmail.com"])
_add("LBCH105", "CĐCS Trạm Y tế phường Sài Đồng", "hcsn", ["tytsaidong.cd@gmail.com"])
_add("LBCH106", "CĐCS Trạm Y tế phường Ngọc Lâm", "hcsn", [])
_add("LBCH107", "CĐCS Trung tâm Văn hóa - Thông tin và Thể thao quận Long Biên", "hcsn", ["cdvhtt.longbien@gmail.com"])
_add("LBCH108", "CĐCS Ban Quản lý dự án đầu tư xây dựng quận Long Biên", "hcsn", ["cdbqlda.lb@gmail.com"])
_add("LBCH109", "CĐCS Kho bạc Nhà nước Long Biên", "hcsn", ["congdoankbnnlb@gmail.com"])
_add("LBCH110", "CĐCS Chi cục Thuế quận Long Biên", "hcsn", ["cd.chicucthue.lb@gmail.com"])
_add("LBCH111", "CĐCS Bệnh viện Đa khoa Đức Giang", "hcsn", ["congdoan.bvdkducgiang@gmail.com"])
_add("LBCH112", "CĐCS Trung tâm Y tế quận Long Biên", "hcsn", ["cdcs.ttytlongbien@gmail.com"])
_add("LBCH113", "CĐCS Đội Quản lý trật tự đô thị quận Long Biên", "hcsn", ["doiqltt.cd@gmail.com"], active=False)
_add("LBCH114", "CĐCS Ban Quản lý chợ Phúc Đồng", "hcsn", ["bqlchophucdong@gmail.com"])
_add("LBCH115", "CĐCS Cơ quan UBND phường Việt Hưng", "hcsn", ["cdcq.viethung@gmail.com"])
_add("LBCH116", "CĐCS Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên quận Long Biên", "hcsn", ["gdnn.gdtx.lb.cd@gmail.com"])
_add("LBCH117", "CĐCS Cơ quan UBND phường Thượng Thanh", "hcsn", ["cd.ubthuongthanh@gmail.com"])
_add("LBCH118", "CĐCS Bảo hiểm xã hội quận Long Biên", "hcsn", ["congdoan.bhxhlb@gmail.com"])
# ---- dn ----
_add("LBCD201", "CĐCS Công ty CP Cơ khí Sông Đuống", "dn", ["congdoan@cokhisongduong.vn"])
_add("LBCD202", "CĐCS Công ty TNHH MTV Cơ khí Sông Đuống Thăng Long", "dn", ["cd.sdthanglong@gmail.com"])
_add("LBCD203", "CĐCS Tổng công ty May Hồng Lam", "dn", ["congdoan@mayhonglam.com.vn"])
_add("LBCD204", "CĐCS Công ty TNHH May Hồng Lam Gia Lâm", "dn", ["cdcs.hlgialam@gmail.com"])
_add("LBCD205", "CĐCS Công ty CP Dược phẩm Bình Minh Xanh", "dn", ["cd.duocbinhminhxanh@gmail.com"])
_add("LBCD206", "CĐCS Công ty CP Vận tải Hành khách Long Biên", "dn", ["congdoan.vantailb@gmail.com"])
_add("LBCD207", "CĐCS Công ty TNHH Bao bì Tân Khải", "dn", ["baobitankhai.cd@gmail.com"])
_add("LBCD208", "CĐCS Công ty CP Xây lắp Điện Thạch Cầu", "dn", [])
_add("LBCD209", "CĐCS Công ty CP Thực phẩm Ngọc Hà Việt", "dn", ["cdcs.ngochaviet@gmail.com"])
_add("LBCD210", "CĐCS Công ty CP Thực phẩm Ngọc Hà Việt - Chi nhánh Sài Đồng", "dn", ["nhv.saidong.cd@gmail.com"])
_add("LBCD211", "CĐCS Công ty TNHH Điện tử Kiều Phong", "dn", ["congdoankieuphong@gmail.com"])
_add("LBCD212", "CĐCS Công ty CP Môi trường Đô thị Bồ Đề", "dn", ["moitruongbode.cd@gmail.com"])
_add("LBCD213", "CĐCS Công ty CP Nhựa Phúc Thịnh", "dn", ["cd.nhuaphucthinh@gmail.com"], active=False)
_add("LBCD214", "CĐCS Công ty TNHH Kỹ thuật Hải Đăng", "dn", ["haidang.kt.cd@gmail.com"])
_add("LBCD215", "CĐCS Công ty CP Đầu tư Lâm Viên", "dn", ["congdoan@lamvien.vn"])
_add("LBCD216", "CĐCS Công ty TNHH MTV Lâm Viên Dịch vụ", "dn", ["cd.lamviendv@gmail.com"])
_add("LBCD217", "CĐCS Công ty CP In Bao bì Đông Trù", "dn", ["indongtru.cd@gmail.com"])
_add("LBCD218", "CĐCS Hợp tác xã Dịch vụ Nông nghiệp Cự Khối", "dn", [])
# ---- th (schools) ----
_s = [
    ("LBCG301", "CĐCS Trường Mầm non Thạch Bàn", ["cdmnthachban@gmail.com"]),
    ("LBCG302", "CĐCS Trường Tiểu học Thạch Bàn", ["cd.ththachban@longbien.edu.vn"]),
    ("LBCG303", "CĐCS Trường THCS Thạch Bàn", ["cdcs.thcsthachban@gmail.com"]),
    ("LBCG304", "CĐCS Trường Mầm non Cự Khối", ["mncukhoi.congdoan@gmail.com"]),
    ("LBCG305", "CĐCS Trường Tiểu học Cự Khối", ["cdthcukhoi@gmail.com"]),
    ("LBCG306", "CĐCS Trường THCS Cự Khối", ["thcscukhoi.cd@longbien.edu.vn"]),
    ("LBCG307", "CĐCS Trường Mầm non Giang Biên", ["cdmngiangbien@gmail.com"]),
    ("LBCG308", "CĐCS Trường Tiểu học Giang Biên", ["congdoan.thgiangbien@gmail.com"]),
    ("LBCG309", "CĐCS Trường THCS Giang Biên", ["cdcs.thcsgiangbien@gmail.com"]),
    ("LBCG310", "CĐCS Trường Mầm non Phúc Lợi", ["cdmnphucloi@gmail.com"]),
    ("LBCG311", "CĐCS Trường Tiểu học Phúc Lợi", ["thphucloi.cd@longbien.edu.vn"]),
    ("LBCG312", "CĐCS Trường THCS Phúc Lợi", ["cd.thcsphucloi@gmail.com"]),
    ("LBCG313", "CĐCS Trường Mầm non Việt Hưng", ["mnviethung.cd@gmail.com"]),
    ("LBCG314", "CĐCS Trường Tiểu học Việt Hưng", ["cdthviethung@gmail.com"]),
    ("LBCG315", "CĐCS Trường Mầm non Thượng Thanh", ["cdcs.mnthuongthanh@gmail.com"]),
    ("LBCG316", "CĐCS Trường THCS Thượng Thanh", ["thcsthuongthanh.cd@gmail.com"]),
    ("LBCG317", "CĐCS Trường Tiểu học Sài Đồng", ["cdthsaidong@gmail.com"]),
    ("LBCG318", "CĐCS Trường THCS Sài Đồng", ["cdcs.thcssaidong@longbien.edu.vn"]),
    ("LBCG319", "CĐCS Trường Tiểu học Hoa Phượng A", ["cd.hoaphuonga@gmail.com"]),
    ("LBCG320", "CĐCS Trường Tiểu học Hoa Phượng B", ["cd.hoaphuongb@gmail.com"]),
    ("LBCG321", "CĐCS Trường Mầm non Bằng Lăng A", ["mnbanglanga.cd@gmail.com"]),
    ("LBCG322", "CĐCS Trường Mầm non Bằng Lăng B", ["mnbanglangb.cd@gmail.com"]),
    ("LBCG323", "CĐCS Trường THCS Nguyễn Khắc Viện", ["cdcs.nkvien@gmail.com"]),
    ("LBCG324", "CĐCS Trường Tiểu học Nguyễn Khắc Viện", ["cd.thnkv@gmail.com"]),
    ("LBCG325", "CĐCS Trường Mầm non Cánh Diều", ["mncanhdieu.cd@gmail.com"]),
    ("LBCG326", "CĐCS Trường Mầm non Cánh Diều Xanh", ["cd.canhdieuxanh@gmail.com"]),
    ("LBCG327", "CĐCS Trường THCS Trần Khánh Dư", ["cdcs.tkdu@longbien.edu.vn", "congdoantkd@gmail.com"]),
    ("LBCG328", "CĐCS Trường Tiểu học Đàm Văn Lễ", ["cdthdamvanle@gmail.com"]),
    ("LBCG329", "CĐCS Trường THPT Lê Văn Thiêm", ["congdoan.levanthiem@gmail.com"]),
    ("LBCG330", "CĐCS Trường Mầm non Hoa Súng", ["mnhoasung.lb@gmail.com"]),
    ("LBCG331", "CĐCS Trường Mầm non Ngọc Thụy", ["cdmnngocthuy@gmail.com"]),
    ("LBCG332", "CĐCS Trường Tiểu học Ngọc Thụy", ["cd.thngocthuy@gmail.com"]),
    ("LBCG333", "CĐCS Trường THCS Ngọc Thụy", []),
    ("LBCG334", "CĐCS Trường Mầm non Đức Giang", ["cdmnducgiang@gmail.com"]),
    ("LBCG335", "CĐCS Trường Tiểu học Đức Giang", ["thducgiang.cd@longbien.edu.vn"]),
    ("LBCG336", "CĐCS Trường THCS Đức Giang", ["cdcs.thcsducgiang@gmail.com"]),
    ("LBCG337", "CĐCS Trường Mầm non Phúc Đồng", ["cdmnphucdong@gmail.com"]),
    ("LBCG338", "CĐCS Trường THCS Phúc Đồng", ["cd.thcsphucdong@gmail.com"]),
    ("LBCG339", "CĐCS Trường Tiểu học Gia Thụy", ["cdthgiathuy@gmail.com"]),
    ("LBCG340", "CĐCS Trường Mầm non Gia Thụy", ["mngiathuy.cd@gmail.com"]),
    ("LBCG341", "CĐCS Trường THCS Lý Thái Tông", ["cdcs.lythaitong@gmail.com"], ),
    ("LBCG342", "CĐCS Trường Mầm non Sơn Ca", ["mnsonca.lb.cd@gmail.com"]),
    ("LBCG343", "CĐCS Trường Tiểu học Long Biên A", ["cd.thlongbiena@gmail.com"]),
    ("LBCG344", "CĐCS Trường Tiểu học Long Biên B", ["cd.thlongbienb@gmail.com"]),
    ("LBCG345", "CĐCS Trường Mầm non Bồ Đề", ["cdmnbode@gmail.com"]),
    ("LBCG346", "CĐCS Trường THCS Bồ Đề", ["cdcs.thcsbode@gmail.com"]),
]
for c, n, e in _s:
    _add(c, n, "th", e)
# a few inactive / empty
_add("LBCG347", "CĐCS Trường Mầm non tư thục Chồi Non Xanh", "th", ["choinonxanh.cd@gmail.com"], active=False)
_add("LBCD219", "CĐCS Công ty TNHH Thương mại Vĩnh Hằng Phát", "dn", [], active=False)

BY_CODE = {u["code"]: u for u in UNIONS}


def U(code):
    return BY_CODE[code]


def mail_of(code, i=0):
    return BY_CODE[code]["emails"][i]


def strip_diac(s):
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def body_name(code):
    """Name without the leading 'CĐCS '."""
    n = BY_CODE[code]["name"]
    return n[5:] if n.startswith("CĐCS ") else n


def write_csv(path):
    import csv
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "bloc", "emails", "active"])
        for u in UNIONS:
            w.writerow([u["code"], u["name"], u["bloc"], ";".join(u["emails"]), "yes" if u["active"] else "no"])


if __name__ == "__main__":
    import collections
    print(len(UNIONS), collections.Counter(u["bloc"] for u in UNIONS))
    allm = [m for u in UNIONS for m in u["emails"]]
    assert len(allm) == len(set(allm)), "dup email"
    assert len(BY_CODE) == len(UNIONS)
    print("ok")
