"""TCVN3 (ABC) encoder for .VnTime / .VnTimeH fonts (implemented from the published table)."""
import unicodedata

_LOW = dict(zip(
    "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵ",
    "µ¶·¸¹¨»¼½¾Æ©ÇÈÉÊË®ÌÎÏÐÑªÒÓÔÕÖ×ØÜÝÞßáâãä«åæçèé¬êëìíîïñòóô\xadõö÷øùúûüýþ"))
_UP_BASE = {"Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§"}


def tcvn3(s):
    out = []
    for ch in unicodedata.normalize("NFC", s):
        if ch in _LOW:
            out.append(_LOW[ch])
        elif ch in _UP_BASE:
            out.append(_UP_BASE[ch])
        elif ch.lower() in _LOW and ch != ch.lower():
            # toned capitals: TCVN3 has no slot; documents use the lowercase code in a .VnTimeH font
            out.append(_LOW[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


if __name__ == "__main__":
    assert len(_LOW) == 67, len(_LOW)
    print(tcvn3("Báo cáo quý I năm 2021 - Trường Tiểu học Đàm Văn Lễ"))
