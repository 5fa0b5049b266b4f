"""The normal forms: every spelling people use must fold to the same text."""

from __future__ import annotations

import re
import unicodedata

import pytest

from ingest.textnorm import (
    expand_topic,
    fold,
    loose_pattern,
    name_key,
    own_text,
    split_compound,
    split_subject,
    strip_subject_prefixes,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Báo cáo Quý I/2021", "bao cao quy i 2021"),
        ("BÁO CÁO QUÝ I", "bao cao quy i"),
        ("bao cao quy i", "bao cao quy i"),
        ("Đăng ký mô hình", "dang ky mo hinh"),
        ("ĐĂNG KÝ", "dang ky"),
        ("Công đoàn   Trường\tMN  Hoa Sữa", "cong doan truong mn hoa sua"),
        ("Q.1 - CĐCS; (bổ sung)!", "q 1 cdcs bo sung"),
        ("DK_DVK_2021", "dk dvk 2021"),
        ("Nguyễn Thị Hường", "nguyen thi huong"),
        ("", ""),
        ("  ...  ", ""),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_fold_accepts_decomposed_input() -> None:
    """Mail from macOS often carries NFD text: it must fold like NFC text."""
    nfd = unicodedata.normalize("NFD", "Sơ kết 6 tháng đầu năm")
    assert nfd != "Sơ kết 6 tháng đầu năm"
    assert fold(nfd) == "so ket 6 thang dau nam"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BaoCaoQuy1", "Bao Cao Quy 1"),
        ("DVK2021", "DVK 2021"),
        ("MNHoaSua", "MN Hoa Sua"),
        ("BáoCáoQuýI", "Báo Cáo Quý I"),
        ("6T", "6 T"),
        ("THCS", "THCS"),
    ],
)
def test_split_compound(text: str, expected: str) -> None:
    assert split_compound(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CĐCS Trường Tiểu học Ngọc Lâm", "tieu hoc ngoc lam"),
        ("CDCS truong TH Ngoc Lam", "tieu hoc ngoc lam"),
        ("CĐ trường TH Ngọc Lâm", "tieu hoc ngoc lam"),
        ("CD TH Ngọc Lâm", "tieu hoc ngoc lam"),
        ("Công đoàn cơ sở Trường Tiểu học Ngọc Lâm", "tieu hoc ngoc lam"),
        ("Công đoàn Tiểu học Ngọc Lâm", "tieu hoc ngoc lam"),
        ("THCS Ngọc Lâm", "trung hoc co so ngoc lam"),
        ("Trường Trung học cơ sở Ngọc Lâm", "trung hoc co so ngoc lam"),
        ("THPT Nguyễn Gia Thiều", "trung hoc pho thong nguyen gia thieu"),
        ("MN Hoa Sữa", "mam non hoa sua"),
        ("Trường Mầm non Hoa Sữa", "mam non hoa sua"),
        ("UBND P. Ngọc Lâm", "uy ban nhan dan phuong ngoc lam"),
        ("Ủy ban nhân dân phường Ngọc Lâm", "uy ban nhan dan phuong ngoc lam"),
        ("Cty CP Xây dựng ABC", "cong ty co phan xay dung abc"),
        ("Công ty TNHH MTV Điện", "cong ty trach nhiem huu han mot thanh vien dien"),
        ("Cty TNHH ABC", "cong ty trach nhiem huu han abc"),
    ],
)
def test_name_key_expands_abbreviations_and_drops_fillers(text: str, expected: str) -> None:
    assert name_key(text) == expected


def test_name_key_keeps_school_levels_apart() -> None:
    keys = {name_key(n) for n in ("TH Ngọc Lâm", "THCS Ngọc Lâm", "MN Ngọc Lâm")}
    assert len(keys) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BC quý 1", "bao cao quy 1"),
        ("ĐK DVK", "dang ky dan van kheo"),
        ("DK dvk", "dang ky dan van kheo"),
        ("CĐCS", "cong doan co so"),
        ("BC TK năm", "bao cao tong ket nam"),
        ("BC TH KH", "bao cao th ke hoach"),  # TH is not expanded: it may be "thực hiện"
    ],
)
def test_expand_topic(text: str, expected: str) -> None:
    assert expand_topic(text) == expected


@pytest.mark.parametrize(
    ("subject", "kinds", "rest"),
    [
        ("Re: BC quý 1", ("reply",), "BC quý 1"),
        ("RE: BC quý 1", ("reply",), "BC quý 1"),
        ("re BC quý 1", ("reply",), "BC quý 1"),
        ("Fwd: BC quý 1", ("forward",), "BC quý 1"),
        ("FWD:BC quý 1", ("forward",), "BC quý 1"),
        ("Fw: BC quý 1", ("forward",), "BC quý 1"),
        ("FW: BC quý 1", ("forward",), "BC quý 1"),
        ("TL: BC quý 1", ("reply",), "BC quý 1"),
        ("TL BC quý 1", ("reply",), "BC quý 1"),
        ("Trả lời: BC quý 1", ("reply",), "BC quý 1"),
        ("Tra loi: BC quý 1", ("reply",), "BC quý 1"),
        ("Chuyển tiếp: BC quý 1", ("forward",), "BC quý 1"),
        ("Re[2]: BC quý 1", ("reply",), "BC quý 1"),
        ("Re: Fwd: TL: BC quý 1", ("reply", "forward", "reply"), "BC quý 1"),
        ("RE: FW: Re: Fwd: BC", ("reply", "forward", "reply", "forward"), "BC"),
        ("[SPAM] BC quý 1", ("spam",), "BC quý 1"),
        ("***SPAM*** BC quý 1", ("spam",), "BC quý 1"),
        ("[External] Re: BC", ("external", "reply"), "BC"),
        ("TR: BC quý 1", ("forward",), "BC quý 1"),
        ("Fwd:", ("forward",), ""),
        # not prefixes
        ("Review báo cáo", (), "Review báo cáo"),
        ("Trường MN Hoa Sữa", (), "Trường MN Hoa Sữa"),
        ("Tr Mầm non", (), "Tr Mầm non"),
        ("[CĐCS Ngọc Lâm] BC quý 1", (), "[CĐCS Ngọc Lâm] BC quý 1"),
        ("Fwdd: x", (), "Fwdd: x"),
    ],
)
def test_split_subject(subject: str, kinds: tuple[str, ...], rest: str) -> None:
    assert split_subject(subject) == (kinds, rest)
    assert strip_subject_prefixes(subject) == rest


@pytest.mark.parametrize("raw", ["Tên mô hình", "TÊN MÔ HÌNH", "Ten mo hinh", "ten  mo hinh"])
def test_loose_pattern_matches_with_or_without_diacritics(raw: str) -> None:
    assert re.search(loose_pattern("ten mo hinh"), f"1. {raw}: X", re.IGNORECASE)


def test_loose_pattern_does_not_match_other_words() -> None:
    assert not re.search(loose_pattern("ten mo hinh"), "Tên đơn vị", re.IGNORECASE)


@pytest.mark.parametrize(
    "attribution",
    [
        "Vào Th 2, 15 thg 3, 2021 vào lúc 10:00 LĐLĐ Long Biên <ldllongbien@gmail.com> đã viết:",
        "On Mon, Mar 15, 2021 at 10:00 AM LDLD <ldllongbien@gmail.com> wrote:",
    ],
)
def test_own_text_cuts_the_quoted_original(attribution: str) -> None:
    body = f"Em gửi lại báo cáo.\n{attribution}\nĐề nghị các CĐCS nộp báo cáo quý 1"
    assert own_text(body) == "Em gửi lại báo cáo."


def test_own_text_drops_quoted_lines_and_keeps_forwards() -> None:
    body = (
        "Chuyển tiếp báo cáo\n> trích dẫn\n---------- Forwarded message ---------\n"
        "From: A <a@b.c>\nNội dung"
    )
    kept = own_text(body)
    assert "trích dẫn" not in kept
    assert "From: A <a@b.c>" in kept and "Nội dung" in kept
