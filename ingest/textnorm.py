"""Vietnamese-aware normal forms for matching what people really type.

Union secretaries write the same thing many ways: with or without diacritics, in any case,
with abbreviations ("CĐ trường TH Ngọc Lâm", "BC quy 1"), behind reply/forward prefixes
("Re: Fwd: TL: ...").  Every rule compares text through :func:`fold` (and, for union names,
:func:`name_key`) so that those variations collapse to one form.  Nothing here knows about
obligations or unions: it is vocabulary and string plumbing only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

# Letters that Unicode does not decompose into "base + combining mark".
_UNDECOMPOSABLE = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ø": "o", "Ø": "O"})
_NON_WORD = re.compile(r"[\W_]+")

# Abbreviations that name the kind of a union or organisation.  Used by :func:`name_key`,
# where "TH" can only mean "tiểu học".  Keys and values are folded text.
NAME_ABBREVIATIONS: Mapping[str, str] = {
    "cdcs": "cong doan co so",
    "cd": "cong doan",
    "bch": "ban chap hanh",
    "ldld": "lien doan lao dong",
    "th": "tieu hoc",
    "thcs": "trung hoc co so",
    "thpt": "trung hoc pho thong",
    "mn": "mam non",
    "mg": "mau giao",
    "gd": "giao duc",
    "gddt": "giao duc dao tao",
    "gd dt": "giao duc dao tao",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "cp": "co phan",
    "tnhh": "trach nhiem huu han",
    "mtv": "mot thanh vien",
    "cty": "cong ty",
    "xd": "xay dung",
    "tt": "trung tam",
    "bv": "benh vien",
    "p": "phuong",
    "q": "quan",
    "tr": "truong",
    "ub": "uy ban",
    "bql": "ban quan ly",
    "qlda": "quan ly du an",
    "dtxd": "dau tu xay dung",
    "ttyt": "trung tam y te",
    "yt": "y te",
    "htx": "hop tac xa",
    "kbnn": "kho bac nha nuoc",
    "pgd": "phong giao duc",
    "pgddt": "phong giao duc dao tao",
    "cn": "chi nhanh",
    "dv": "dich vu",
    "tm": "thuong mai",
    "sx": "san xuat",
    "vt": "van tai",
    "vh": "van hoa",
    "tdtt": "the duc the thao",
    "dl": "du lich",
    "ct": "cong ty",
}

# Words that every union name may or may not carry ("CĐCS Trường ..."): dropped from keys so
# that "Trường Tiểu học Ngọc Lâm" and "CĐ TH Ngọc Lâm" compare equal.  Longest first.
NAME_FILLERS: tuple[str, ...] = ("cong doan co so", "cong doan", "truong")

# Abbreviations of report vocabulary, used when classifying.  "TH" is absent on purpose: in a
# subject it means "thực hiện" as often as "tiểu học".
TOPIC_ABBREVIATIONS: Mapping[str, str] = {
    "bc": "bao cao",
    "dk": "dang ky",
    "dvk": "dan van kheo",
    "cdcs": "cong doan co so",
    "cd": "cong doan",
    "kh": "ke hoach",
    "tk": "tong ket",
}

# Reply / forward prefixes of subjects, folded, with what they mean.  These may be followed by
# a colon or just a space ("Re Báo cáo", "TL: ...").
SUBJECT_PREFIXES: Mapping[str, str] = {
    "re": "reply",
    "tl": "reply",
    "tra loi": "reply",
    "fwd": "forward",
    "fw": "forward",
    "chuyen tiep": "forward",
}

# Foreign-client prefixes that only count with a colon ("TR:" but not "Tr Mầm non").
SUBJECT_PREFIXES_COLON: Mapping[str, str] = {
    "aw": "reply",
    "sv": "reply",
    "tr": "forward",
    "wg": "forward",
}

# Tags that filters put in front of subjects ("[SPAM]", "***SPAM***", "[External]").
SUBJECT_TAGS: Mapping[str, str] = {
    "spam": "spam",
    "suspected spam": "spam",
    "possible spam": "spam",
    "external": "external",
    "ext": "external",
    "bulk": "bulk",
}

# Lines that introduce the quoted original of a reply (everything below is not the author's).
_REPLY_ATTRIBUTION_ENDINGS: tuple[str, ...] = ("wrote", "da viet", "viet")


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese (and other Latin) diacritics, keeping case: "Đăng ký" -> "Dang ky"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """The comparison form: no diacritics, đ->d, lower case, punctuation as single spaces.

    "Báo cáo Quý I/2021 - CĐ Trường MN Hoa Sữa" -> "bao cao quy i 2021 cd truong mn hoa sua".
    """
    return " ".join(_NON_WORD.sub(" ", strip_diacritics(text).lower()).split())


def split_compound(text: str) -> str:
    """Split CamelCase and letter/digit runs, as in file names: "BaoCaoQuy1" -> "Bao Cao Quy 1".

    Uppercase runs stay whole ("THCS"), and "MNHoaSua" becomes "MN Hoa Sua".
    """
    out: list[str] = []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if prev and _is_boundary(prev, ch, nxt):
            out.append(" ")
        out.append(ch)
    return "".join(out)


def _is_boundary(prev: str, ch: str, nxt: str) -> bool:
    if prev.isalpha() and ch.isdigit() or prev.isdigit() and ch.isalpha():
        return True
    if prev.islower() and ch.isupper():
        return True
    return prev.isupper() and ch.isupper() and nxt.islower()


def _compile_table(table: Mapping[str, str]) -> dict[tuple[str, ...], tuple[str, ...]]:
    return {tuple(k.split()): tuple(v.split()) for k, v in table.items()}


_NAME_TABLE = _compile_table(NAME_ABBREVIATIONS)
_TOPIC_TABLE = _compile_table(TOPIC_ABBREVIATIONS)


def expand_tokens(
    tokens: list[str], table: Mapping[tuple[str, ...], tuple[str, ...]]
) -> list[str]:
    """Replace abbreviations token by token, longest match first ("gd dt" before "gd")."""
    longest = max((len(k) for k in table), default=1)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            repl = table.get(tuple(tokens[i:i + size]))
            if repl is not None:
                out.extend(repl)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def expand_topic(text: str) -> str:
    """Fold and spell out report abbreviations: "BC quý 1 ĐK DVK" -> "bao cao quy 1 dang ky ..."."""
    return " ".join(expand_tokens(fold(text).split(), _TOPIC_TABLE))


def _drop_phrases(tokens: list[str], phrases: Iterable[str]) -> list[str]:
    out = list(tokens)
    for phrase in phrases:
        words = phrase.split()
        n = len(words)
        i = 0
        while i + n <= len(out):
            if out[i:i + n] == words:
                del out[i:i + n]
            else:
                i += 1
    return out


def name_key(text: str) -> str:
    """The form in which union names are compared.

    Abbreviations are spelled out (TH, THCS, MN, CĐ, UBND, CP, TNHH, P. ...) and the words every
    name may or may not carry ("công đoàn cơ sở", "công đoàn", "trường") are dropped, so
    "CĐCS Trường Tiểu học Ngọc Lâm" and "CD truong TH Ngoc Lam" both give "tieu hoc ngoc lam",
    while "THCS Ngọc Lâm" gives "trung hoc co so ngoc lam": the school level stays in the key.
    """
    tokens = expand_tokens(fold(split_compound(text)).split(), _NAME_TABLE)
    return " ".join(_drop_phrases(tokens, NAME_FILLERS))


def _fold_classes() -> dict[str, str]:
    """For every ASCII letter, the regex class of all Latin letters that fold to it."""
    members: dict[str, set[str]] = {}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = fold(ch)
        if len(base) == 1 and base.isascii() and base.isalpha():
            variants = {v for v in (ch, ch.lower(), ch.upper()) if len(v) == 1}
            members.setdefault(base, {base, base.upper()}).update(variants)
    return {base: "[" + "".join(sorted(chars)) + "]" for base, chars in members.items()}


_FOLD_CLASSES = _fold_classes()


def loose_pattern(phrase: str) -> str:
    """A regex matching ``phrase`` in raw text with or without diacritics, any spacing.

    Used where the raw text must be kept (a model title), so matching on :func:`fold` output
    is not possible: ``loose_pattern("ten mo hinh")`` matches "Tên mô hình" and "TEN MO HINH".
    """
    parts: list[str] = []
    for word in fold(phrase).split():
        parts.append("".join(_FOLD_CLASSES.get(ch, re.escape(ch)) for ch in word))
    return r"\s+".join(parts)


def _prefix_regex(table: Mapping[str, str], colon_required: bool) -> re.Pattern[str]:
    body = "|".join(loose_pattern(a) for a in sorted(table, key=len, reverse=True))
    end = r"[:：]\s*" if colon_required else r"(?:[:：]\s*|\s+|$)"
    return re.compile(rf"^\s*(?P<p>{body})\s*(?:\[\d+\]|\(\d+\))?\s*{end}", re.IGNORECASE)


def _tag_regex(table: Mapping[str, str]) -> re.Pattern[str]:
    body = "|".join(loose_pattern(t) for t in sorted(table, key=len, reverse=True))
    return re.compile(
        rf"^\s*(?:\[\s*(?P<a>{body})\s*\]|\*{{1,3}}\s*(?P<b>{body})\s*\*{{1,3}}|"
        rf"\(\s*(?P<c>{body})\s*\))\s*",
        re.IGNORECASE,
    )


_PREFIX_RES: tuple[tuple[re.Pattern[str], Mapping[str, str]], ...] = (
    (_prefix_regex(SUBJECT_PREFIXES, colon_required=False), SUBJECT_PREFIXES),
    (_prefix_regex(SUBJECT_PREFIXES_COLON, colon_required=True), SUBJECT_PREFIXES_COLON),
)
_TAG_RE = _tag_regex(SUBJECT_TAGS)


def split_subject(subject: str) -> tuple[tuple[str, ...], str]:
    """Peel reply/forward prefixes and filter tags off a subject, however many are stacked.

    Returns what was peeled, as meanings in order ("reply", "forward", "spam", ...), and the
    rest.  "Re: Fwd: TL: [SPAM] BC quý 1" -> (("reply", "forward", "reply", "spam"), "BC quý 1").
    A prefix needs a colon or a space after it, so "Review ..." or "Trường ..." are untouched.
    """
    kinds: list[str] = []
    rest = subject.strip()
    while rest:
        tag = _TAG_RE.match(rest)
        if tag:
            word = tag.group("a") or tag.group("b") or tag.group("c") or ""
            kinds.append(SUBJECT_TAGS[" ".join(fold(word).split())])
            rest = rest[tag.end():]
            continue
        peeled = _peel_prefix(rest)
        if peeled is None:
            break
        kinds.append(peeled[0])
        rest = peeled[1]
    return tuple(kinds), rest.strip()


def _peel_prefix(subject: str) -> tuple[str, str] | None:
    for regex, table in _PREFIX_RES:
        found = regex.match(subject)
        if found:
            return table[fold(found.group("p"))], subject[found.end():]
    return None


def strip_subject_prefixes(subject: str) -> str:
    """The subject without its reply/forward prefixes and filter tags."""
    return split_subject(subject)[1]


def own_text(body: str) -> str:
    """The author's own part of a reply: quoted lines (">") and the quoted original are cut.

    A forwarded message is kept whole: what was forwarded is the content being sent.
    """
    kept: list[str] = []
    for line in body.splitlines():
        if line.lstrip().startswith(">"):
            continue
        folded = fold(line)
        if line.rstrip().endswith(":") and folded.endswith(_REPLY_ATTRIBUTION_ENDINGS) and (
            folded.startswith(("on ", "vao ", "luc ")) or "@" in line
        ):
            break
        kept.append(line)
    return "\n".join(kept)


QUOTE_HEADER_LABELS: tuple[str, ...] = ("from", "tu", "nguoi gui", "de", "von")
QUOTE_DATE_LABELS: tuple[str, ...] = ("sent", "da gui", "date", "ngay", "gui luc", "envoye")
QUOTE_MARKERS: tuple[str, ...] = ("original message", "thu goc", "tin nhan goc")


def _label(line: str) -> str:
    head = line.lstrip(" >*").split(":", 1)
    return fold(head[0]).strip(" *") if len(head) == 2 else ""


def reply_text(body: str) -> str:
    """The author's own words of a reply: :func:`own_text`, also cut at the header block an
    Outlook-style client puts above the quoted message ("From: / Sent: / To: / Subject:",
    "Từ: / Đã gửi: / Đến: / Chủ đề:") or its "-----Original Message-----" line.

    Only for replies: in a forward that block introduces the content being sent.
    """
    lines = own_text(body).splitlines()
    for i, line in enumerate(lines):
        folded = fold(line).strip(" -_=")
        if folded in QUOTE_MARKERS:
            return "\n".join(lines[:i])
        if _label(line) in QUOTE_HEADER_LABELS and any(
                _label(nxt) in QUOTE_DATE_LABELS for nxt in lines[i + 1:i + 4]):
            return "\n".join(lines[:i])
    return "\n".join(lines)


def nonempty_lines(text: str) -> list[str]:
    """The lines of ``text`` that carry something, stripped."""
    return [ln.strip() for ln in text.splitlines() if ln.strip()]
