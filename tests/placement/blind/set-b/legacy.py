# -*- coding: utf-8 -*-
"""Legacy Vietnamese 8-bit encodings (TCVN3/ABC and VNI-Windows), written from memory,
as Unicode strings of the code points a Windows-1252 font would show, plus nodiac helper."""
import unicodedata

# ---- TCVN3 (ABC): one byte per letter. Lower case table; capitals with tone marks do not
# exist in the normal font (one uses the .VnTimeH font with the lower-case codes).
_TCVN3_LOWER = {
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ă": 0xA8, "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "â": 0xA9, "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "đ": 0xAE,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ê": 0xAA, "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ô": 0xAB, "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ơ": 0xAC, "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ư": 0xAD, "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}
_TCVN3_UPPER = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}


def to_tcvn3(s):
    out = []
    for ch in s:
        if ch in _TCVN3_UPPER:
            out.append(chr(_TCVN3_UPPER[ch]))
        elif ch in _TCVN3_LOWER:
            out.append(chr(_TCVN3_LOWER[ch]))
        elif ch.lower() in _TCVN3_LOWER:  # capital with tone: no code, lower-case code used
            out.append(chr(_TCVN3_LOWER[ch.lower()]))
        else:
            out.append(ch)
    return "".join(out)


def from_tcvn3(s):
    rev = {chr(v): k for k, v in _TCVN3_LOWER.items()}
    rev.update({chr(v): k for k, v in _TCVN3_UPPER.items()})
    return "".join(rev.get(c, c) for c in s)


# ---- VNI-Windows: base letter followed by a mark byte.
_VNI_TONE_L = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_TONE_U = {"\u0301": "Ù", "\u0300": "Ø", "\u0309": "Û", "\u0303": "Õ", "\u0323": "Ï"}
# circumflex + tone and breve + tone have their own combined mark bytes
_VNI_CIRC_L = {None: "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_CIRC_U = {None: "Â", "\u0301": "Á", "\u0300": "À", "\u0309": "Å", "\u0303": "Ã", "\u0323": "Ä"}
_VNI_BREV_L = {None: "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_BREV_U = {None: "Ê", "\u0301": "É", "\u0300": "È", "\u0309": "Ú", "\u0303": "Ü", "\u0323": "Ë"}
_VNI_I_L = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
_VNI_I_U = {"\u0301": "Í", "\u0300": "Ì", "\u0309": "Æ", "\u0303": "Ó", "\u0323": "Ò"}


def to_vni(s):
    out = []
    for ch in s:
        if ch == "đ":
            out.append("ñ")
            continue
        if ch == "Đ":
            out.append("Ñ")
            continue
        dec = unicodedata.normalize("NFD", ch)
        base, marks = dec[0], dec[1:]
        if not marks or not base.isalpha():
            out.append(ch)
            continue
        up = base.isupper()
        tone = None
        mod = None
        for m in marks:
            if m in ("\u0302", "\u0306", "\u031b"):
                mod = m
            else:
                tone = m
        if base in "iI" and mod is None:
            out.append((_VNI_I_U if up else _VNI_I_L)[tone])
            continue
        if base in "yY" and tone == "\u0323":
            out.append("Î" if up else "î")
            continue
        if mod == "\u031b":  # horn: ơ -> ô, ư -> ö, then tone byte
            out.append(("Ô" if up else "ô") if base in "oO" else ("Ö" if up else "ö"))
            if tone:
                out.append((_VNI_TONE_U if up else _VNI_TONE_L)[tone])
            continue
        out.append(base)
        if mod == "\u0302":
            out.append((_VNI_CIRC_U if up else _VNI_CIRC_L)[tone])
        elif mod == "\u0306":
            out.append((_VNI_BREV_U if up else _VNI_BREV_L)[tone])
        elif tone:
            out.append((_VNI_TONE_U if up else _VNI_TONE_L)[tone])
    return "".join(out)


def nodiac(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


if __name__ == "__main__":
    t = "Báo cáo công tác dân vận quý I năm 2021 - Trường THCS Ngô Gia Tự, Đức Giang, Ủy ban"
    print(to_tcvn3(t))
    print(from_tcvn3(to_tcvn3(t)))
    print(to_vni(t))
    print(nodiac(t))
    print(to_tcvn3("BÁO CÁO".lower()))
