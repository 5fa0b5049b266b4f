"""The title block of a document: letterhead above, title, then the body."""

from __future__ import annotations

import pytest

from ingest.title import document_title, letterhead_lines, read_title_block

REPORT = """LĐLĐ QUẬN LONG BIÊN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
CĐCS TRƯỜNG THCS NGỌC LÂM | Độc lập - Tự do - Hạnh phúc
Số: 05/BC-CĐ | Long Biên, ngày 10 tháng 3 năm 2021
BÁO CÁO
Kết quả thực hiện Kế hoạch công tác dân vận quý I năm 2021
Căn cứ Kế hoạch số 12/KH-LĐLĐ ngày 05/01/2021, so với 6 tháng đầu năm 2020 ...
I. ĐẶC ĐIỂM TÌNH HÌNH
"""

FORM = """CÔNG ĐOÀN CƠ SỞ
UBND PHƯỜNG BỒ ĐỀ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Bồ Đề, ngày 18 tháng 02 năm 2021
PHIẾU ĐĂNG KÝ
MÔ HÌNH "DÂN VẬN KHÉO" NĂM 2021
Tên mô hình: Chung tay vì phường xanh
Nội dung sơ kết 6 tháng sẽ báo cáo sau.
"""


def test_report_title_over_two_lines() -> None:
    block = read_title_block(REPORT)
    assert block.title == ("BÁO CÁO Kết quả thực hiện Kế hoạch công tác dân vận quý I năm "
                           "2021")
    assert block.letterhead == ("LĐLĐ QUẬN LONG BIÊN", "CĐCS TRƯỜNG THCS NGỌC LÂM",
                                "Số: 05/BC-CĐ")


def test_form_title_stops_before_the_body() -> None:
    assert document_title(FORM) == 'PHIẾU ĐĂNG KÝ MÔ HÌNH "DÂN VẬN KHÉO" NĂM 2021'
    assert letterhead_lines(FORM)[:2] == ("CÔNG ĐOÀN CƠ SỞ", "UBND PHƯỜNG BỒ ĐỀ")


@pytest.mark.parametrize("text", [
    "", "Kính gửi chị, em gửi báo cáo ạ.\nCảm ơn chị",
    "Số liệu | 12 | 13\nTổng | 25",
])
def test_no_title(text: str) -> None:
    assert document_title(text) == ""


def test_title_without_diacritics() -> None:
    text = "CONG DOAN TRUONG MN HOA SUA\nBAO CAO SO KET 6 THANG DAU NAM 2021\nI. Ket qua"
    assert document_title(text) == "BAO CAO SO KET 6 THANG DAU NAM 2021"
