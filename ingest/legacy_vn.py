"""Legacy Vietnamese 8-bit font encodings (TCVN3/ABC and VNI) back to Unicode.

Before Unicode, Vietnamese Word documents were typed in fonts that drew Vietnamese letters
at the code points of Latin-1 symbols: TCVN 5712:1993 "VN3" (the ABC fonts, ".VnTime",
".VnArial"; ".VnTimeH" and the other fonts ending in "H" draw every letter as a capital)
and VNI for Windows ("VNI-Times"), where a letter is a base letter followed by a byte for
its marks.  Opened anywhere but on the old machine, or named in a file name, the bytes are
read as windows-1252 and "Báo cáo" arrives as "B¸o c¸o" (TCVN3) or "Baùo caùo" (VNI).
The rules would find no Vietnamese word in them, so such text is converted here first.

Converting Latin-1 text that is *not* legacy would ruin it ("café" would become "cafộ"),
so the detector is conservative: it splits a line into words and counts the words whose
conversion is a well-formed Vietnamese syllable while the word as written is not one
("B¸o" -> "Báo"), against the words whose conversion is malformed ("café" -> "cafộ").
Unicode Vietnamese never votes for a conversion (its words are already syllables), and
English, French, German or code either have no Latin-1 letters or produce malformed
syllables.  Pure functions only; nothing here reads files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

TCVN3 = "tcvn3"
VNI = "vni"
ENCODING_NAMES = {TCVN3: "TCVN3 (ABC, .VnTime)", VNI: "VNI (VNI-Windows)"}

# --------------------------------------------------------------------------- the tables

# TCVN 5712:1993 VN3, as the windows-1252 characters its bytes are read as -> Unicode.
# VN3 has the complete lower-case alphabet and the seven upper-case base letters; capitals
# with tone marks exist only by drawing the lower-case codes in an "H" font.
_TCVN3_PAIRS = (
    "¡Ă ¢Â £Ê ¤Ô ¥Ơ ¦Ư §Đ ¨ă ©â ªê «ô ¬ơ \u00adư ®đ "
    "µà ¶ả ·ã ¸á ¹ạ »ằ ¼ẳ ½ẵ ¾ắ Æặ Çầ Èẩ Éẫ Êấ Ëậ "
    "Ìè Îẻ Ïẽ Ðé Ñẹ Òề Óể Ôễ Õế Öệ ×ì Øỉ Üĩ Ýí Þị "
    "ßò áỏ âõ ãó äọ åồ æổ çỗ èố éộ êờ ëở ìỡ íớ îợ "
    "ïù ñủ òũ óú ôụ õừ öử ÷ữ øứ ùự úỳ ûỷ üỹ ýý þỵ"
)
TCVN3_TABLE: dict[str, str] = {pair[0]: pair[1] for pair in _TCVN3_PAIRS.split(" ")}

# VNI for Windows: letters that are one byte...
VNI_LETTERS: dict[str, str] = {
    "ñ": "đ", "Ñ": "Đ", "ö": "ư", "Ö": "Ư", "ô": "ơ", "Ô": "Ơ",
    "í": "í", "Í": "Í", "ì": "ì", "Ì": "Ì", "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ",
    "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ",
}
_GRAVE, _ACUTE, _TILDE, _HOOK, _DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
# ... and the byte after a base letter that carries its marks (lower-case form; the
# upper-case form, used after capitals, is its .upper()).
VNI_MARKS: dict[str, str] = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRCUMFLEX, "á": _CIRCUMFLEX + _ACUTE, "à": _CIRCUMFLEX + _GRAVE,
    "å": _CIRCUMFLEX + _HOOK, "ã": _CIRCUMFLEX + _TILDE, "ä": _CIRCUMFLEX + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE, "ú": _BREVE + _HOOK,
    "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}
_VNI_MARK_OF: dict[str, str] = {**VNI_MARKS, **{k.upper(): v for k, v in VNI_MARKS.items()}}
_TONES = frozenset(_GRAVE + _ACUTE + _TILDE + _HOOK + _DOT)
# Which base letters take which marks: tones go on any vowel, the circumflex on a e o,
# the breve on a only.  (i and y with tones are single bytes in VNI, but "yù" is used.)
_TONE_BASES = frozenset("aeiouyơưAEIOUYƠƯ")
_CIRCUMFLEX_BASES = frozenset("aeoAEO")
_BREVE_BASES = frozenset("aA")


def _vni_combine(base: str, marks: str) -> str | None:
    """base + VNI marks as one NFC letter, or None when the marks do not go on that base."""
    shape = marks.rstrip("".join(_TONES))
    if shape == _CIRCUMFLEX and base not in _CIRCUMFLEX_BASES:
        return None
    if shape == _BREVE and base not in _BREVE_BASES:
        return None
    if not shape and base not in _TONE_BASES:
        return None
    return unicodedata.normalize("NFC", base + marks)


# --------------------------------------------------------------------------- decoders


def decode_tcvn3(text: str, *, capitals: bool = False) -> str:
    """TCVN3 text (read as windows-1252) in Unicode; ``capitals`` for ".VnTimeH" fonts."""
    out = text.translate(_TCVN3_TRANS)
    return out.upper() if capitals else out


_TCVN3_TRANS = str.maketrans(TCVN3_TABLE)


def decode_vni(text: str) -> str:
    """VNI-Windows text (read as windows-1252) in Unicode.

    A mark byte after a letter that can carry it is combined with it; anywhere else it is
    left as it is (it was then not VNI, and the detector will have said so).
    """
    return _decode_vni(text)[0]


def _decode_vni(text: str) -> tuple[str, int]:
    """The VNI reading and how many mark bytes had no letter to go on."""
    out: list[str] = []
    orphans = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        base = VNI_LETTERS.get(ch, ch)
        if i + 1 < n and text[i + 1] in _VNI_MARK_OF and base in _TONE_BASES | _BREVE_BASES:
            combined = _vni_combine(base, _VNI_MARK_OF[text[i + 1]])
            if combined is not None:
                out.append(combined)
                i += 2
                continue
        if ch in _VNI_MARK_OF and ch not in VNI_LETTERS:
            orphans += 1
        out.append(base)
        i += 1
    return "".join(out), orphans


def font_encoding(font: str | None) -> tuple[str, bool] | None:
    """(encoding, capitals) of a legacy Vietnamese font name, None for any other font.

    ".VnTime", ".VnArial", ".VnTimeH" (capitals) are TCVN3 (ABC); "VNI-Times",
    "VNI-Helve" are VNI.  Font names are compared without case and spaces.
    """
    if not font:
        return None
    name = font.strip()
    if name.lower().startswith(".vn"):
        return TCVN3, name.endswith("H")
    if re.match(r"(?i)vni[- _]", name):
        return VNI, False
    return None


# --------------------------------------------------------------------------- syllables

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ONSETS = ("ngh", "ng", "gh", "gi", "ch", "kh", "nh", "ph", "qu", "th", "tr",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "r", "s", "t", "v", "x", "")
# Vowel groups (toneless) that end a syllable: no final consonant may follow.
_OPEN_NUCLEI = _words(
    "ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưi ưu ưa ua oai oay oeo iêu yêu uây uôi uya "
    "uyu ươi ươu")
# Vowel groups that need a final consonant.
_CLOSED_NUCLEI = _words("ă â iê yê uô ươ uâ oă uyê oo")
# Vowel groups that may stand alone or take a final consonant.
_FREE_NUCLEI = _words("a e ê i o ô ơ u ư y oa oe uê uy uơ")
_CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "")
_STOP_CODAS = frozenset(("c", "ch", "p", "t"))
_VOWELS = frozenset("aăâeêioôơuưy")


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True when ``word`` is a well-formed Vietnamese syllable (any case, one tone at most).

    Spelling rules, not a dictionary: onset, vowel group and final consonant must be ones
    Vietnamese has, "c"/"k", "g"/"gh" and "ng"/"ngh" must agree with the vowel, a
    syllable closed by c, ch, p or t takes only the acute or the dot below, and the tone
    sits on the vowel that carries it ("hào", never "haò"; both "hoà" and "hòa").
    """
    letters: list[str] = []
    tone, tone_at = "", -1
    for ch in unicodedata.normalize("NFC", word.lower()):
        parts = unicodedata.normalize("NFD", ch)
        marks = [m for m in parts if m in _TONES]
        if marks:
            if tone or len(marks) > 1:
                return False
            tone = marks[0]
            tone_at = len(letters) - 1 if parts == marks[0] else len(letters)
        rest = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES))
        if rest:
            letters.append(rest)
    bare = "".join(letters)
    if not bare or len(bare) != len(letters) or any(
            not ("a" <= ch <= "z" or ch in "đăâêôơư") or ch in "fjwz" for ch in bare):
        return False
    return any(_rhyme_ok(onset, bare[len(onset):], tone, tone_at - len(onset))
               for onset in _ONSETS if bare.startswith(onset))


def _rhyme_ok(onset: str, rhyme: str, tone: str, tone_at: int) -> bool:
    if not rhyme:
        return onset == "gi" and (not tone or tone_at == -1)  # "gì": the tone is on i
    for coda in _CODAS:
        if coda and not rhyme.endswith(coda):
            continue
        nucleus = rhyme[: len(rhyme) - len(coda)] if coda else rhyme
        if not nucleus or any(ch not in _VOWELS for ch in nucleus):
            continue
        if coda:
            if nucleus not in _FREE_NUCLEI and nucleus not in _CLOSED_NUCLEI:
                continue
            if nucleus == "oo" and coda not in ("ng", "c"):  # "xoong", "moóc"
                continue
        elif nucleus not in _FREE_NUCLEI and nucleus not in _OPEN_NUCLEI:
            continue
        if coda in _STOP_CODAS and tone not in ("", _ACUTE, _DOT):
            continue
        if tone and tone_at not in _tone_places(nucleus, coda):
            continue
        if not _onset_agrees(onset, nucleus):
            continue
        return True
    return False


def _tone_places(nucleus: str, coda: str) -> tuple[int, ...]:
    """Where in the vowel group the tone mark may sit."""
    shaped = [i for i, ch in enumerate(nucleus) if ch in "ăâêôơư"]
    if shaped:
        return (shaped[-1],)  # "người", "thuở", "khuyến"
    if len(nucleus) == 1:
        return (0,)
    if coda:
        return (len(nucleus) - 1,)  # "toán", "huýt"
    if nucleus in ("oa", "oe", "uy"):
        return (0, 1)  # old and new style: "hoà"/"hòa", "thuỷ"/"thủy"
    return (1,) if len(nucleus) == 3 else (0,)  # "ngoài", "khuỷu"; "cái", "của"


def _onset_agrees(onset: str, nucleus: str) -> bool:
    front = nucleus[0] in "eêiy"
    if onset in ("k", "gh", "ngh"):
        return front
    if onset in ("c", "ng"):
        return not front
    if onset == "q":
        return False
    return not (onset == "qu" and nucleus[0] in "uư")


# --------------------------------------------------------------------------- detection

# TCVN3 codes that are not letters in windows-1252: never inside a real word.
_TCVN3_SYMBOLS = frozenset(ch for ch in TCVN3_TABLE if ch < "\u00c0" or ch in "×÷")
_LATIN1_HIGH = re.compile(r"[\u00a1-\u00ff]")
# Letters that no windows-1252 reading of legacy bytes can produce: a line holding them is
# (at least partly) real Unicode Vietnamese.
_UNICODE_ONLY_VI = re.compile(
    r"[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0"
    r"\u1ea0-\u1ef9\u0300-\u036f]")


@dataclass(frozen=True)
class Votes:
    """How a stretch of text reads in one legacy encoding.

    Words for are counted once each: "Bö" three times in a German text is one word.
    """

    encoding: str
    for_words: frozenset[str] = frozenset()  # malformed as written, well-formed converted
    against: int = 0  # words changed by the conversion into something malformed
    strong_words: frozenset[str] = frozenset()  # "for" words other text hardly has ("vµ")
    sole_words: frozenset[str] = frozenset()  # "for" words enough on their own ("B¸o", "C§")

    @property
    def for_(self) -> int:
        return len(self.for_words)

    @property
    def strong(self) -> int:
        return len(self.strong_words)

    def __add__(self, other: Votes) -> Votes:
        return Votes(self.encoding, self.for_words | other.for_words,
                     self.against + other.against, self.strong_words | other.strong_words,
                     self.sole_words | other.sole_words)

    def sure(self) -> bool:
        """Enough on its own: at most a third as many words against as for, and

        * a word no real text has ("B¸o": a symbol inside a word, "C§" for "CĐ") with
          another word for or nothing against; else
        * TCVN3: two words for, one of them telling ("vµ"); Albanian "të në" is not;
        * VNI: two different words for.  VNI has no symbols, and single words of other
          languages read as VNI ("aún", "Töm", "où").
        """
        if self.for_ < 1 or self.for_ < 3 * self.against:
            return False
        if self.sole_words and (self.for_ >= 2 or self.against == 0):
            return True
        if self.encoding == VNI:
            return self.for_ >= 2
        return self.for_ >= 2 and self.strong >= 1

    def decisive(self) -> bool:
        """So clear for a whole text that a line with nothing against follows it."""
        return self.for_ >= 3 and self.for_ >= 10 * self.against

    def likely(self) -> bool:
        """Enough when the document (or its font) already says this encoding."""
        return self.for_ >= 1 and self.for_ > 2 * self.against


# Letters of Latin scripts (Vietnamese among them) and combining marks: a word is a run of
# these; digits, fractions, punctuation and other scripts separate words.
_LETTERS = r"A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0300-\u036f"


@lru_cache(maxsize=4)
def _tokens_of(encoding: str) -> re.Pattern[str]:
    """Words: runs of letters (and for TCVN3, its symbols), not "c«" of "»%c«" (a format
    placeholder in guillemets), "l«" of "»-l«" (an option) nor "n" of an escape "\\n"."""
    chars = _LETTERS
    if encoding == TCVN3:
        chars += re.escape("".join(sorted(_TCVN3_SYMBOLS)))
    return re.compile(rf"(?<![%\\{chars}])(?<!(?<![{_LETTERS}])-)[{chars}]+")


@lru_cache(maxsize=65536)
def _vote(word: str, encoding: str, skip_valid: bool = False) -> tuple[int, int, int, str]:
    """(for, against, strength, converted) for one word; strength 1 for a telling word,
    2 for one that is enough on its own (see :meth:`Votes.sure`).

    ``skip_valid``: a word that is a syllable as written casts no vote against (in a line
    that holds real Unicode Vietnamese, such words are simply Unicode).
    """
    if encoding == VNI:
        converted, orphans = _decode_vni(word)
        if orphans:
            return 0, 0 if skip_valid and is_syllable(word) else 1, 0, converted
    else:
        converted = decode_tcvn3(word)
    if converted == word or len(word) < 2:
        return 0, 0, 0, converted
    if _is_abbreviation(converted):  # "C§" -> "CĐ", "c®" -> "cđ": sure when Đ appears
        return (1, 0, 2, converted) if "đ" in converted.lower() else (0, 0, 0, converted)
    if not is_syllable(converted):
        return 0, 0 if skip_valid and is_syllable(word) else 1, 0, converted
    if is_syllable(word):
        return 0, 0, 0, converted
    if encoding == TCVN3:
        if any(ch in _TCVN3_SYMBOLS for ch in word):
            # a symbol inside a word; two characters ("¡C") could be another charset's
            return 1, 0, 2 if len(word) >= 3 else 1, converted
        # a capital inside a small word ("tiÕp", "NguyÔn"): the VN3 codes of ế, ễ ...
        # are capitals of windows-1252; only Latin letters otherwise ("të": Albanian?)
        if not _INNER_CAPITAL.search(word):
            return 1, 0, 0, converted
        return 1, 0, 2 if len(word) >= 4 else 1, converted
    # a VNI reading with a letter Latin-1 cannot hold ("ñoaøn" -> "đoàn"); with two
    # codes in one word ("Ñöùc" -> "Đức"), no other language reads so
    if not any(ch > "\u00ff" for ch in converted):
        return 1, 0, 0, converted
    return 1, 0, 2 if sum(not ch.isascii() for ch in word) >= 2 else 1, converted


_INNER_CAPITAL = re.compile(r"[a-z][\u00c0-\u00de]")


def _is_abbreviation(word: str) -> bool:
    """Consonants only, in one case, as in "CĐ", "LĐLĐ", "cđ": no vowel to check by."""
    return (len(word) >= 2 and (word.isupper() or word.islower())
            and all(ch.isascii() and ch.isalpha() or ch in "đĐ" for ch in word)
            and not any(ch in "aeiouy" for ch in word.lower()))


def score(text: str, encoding: str) -> Votes:
    """The votes of every word of ``text`` for reading it as ``encoding``.

    In a line that also holds letters only Unicode has (ư, ạ, đ ...), the words already
    well-formed as written do not vote against: they are the Unicode part of the line.
    """
    skip_valid = bool(_UNICODE_ONLY_VI.search(text))
    for_words: set[str] = set()
    strong_words: set[str] = set()
    sole_words: set[str] = set()
    against = 0
    for word in _tokens_of(encoding).findall(text):
        if not word.isascii():
            f, a, s, _ = _vote(word, encoding, skip_valid)
            against += a
            if f:
                for_words.add(word.lower())
            if s:
                strong_words.add(word.lower())
            if s == 2:
                sole_words.add(word.lower())
    return Votes(encoding, frozenset(for_words), against, frozenset(strong_words),
                 frozenset(sole_words))


def detect(text: str) -> str | None:
    """The legacy encoding ``text`` is surely in (its words, taken together), else None."""
    if not _LATIN1_HIGH.search(text):
        return None
    best = max((score(text, enc) for enc in (TCVN3, VNI)), key=lambda v: (v.for_, -v.against))
    return best.encoding if best.sure() else None


def _fix_words(line: str, encoding: str) -> str:
    """Only the words that vote for ``encoding`` converted: for lines that mix real Unicode
    Vietnamese with a legacy run, where an ambiguous word is left as written."""
    def repl(match: re.Match[str]) -> str:
        word = match.group()
        if not _LATIN1_HIGH.search(word):
            return word
        f, _, _, converted = _vote(word, encoding)
        return _fix_case(word, converted, encoding) if f else word
    return _tokens_of(encoding).sub(repl, line)


def _fix_line(line: str, encoding: str) -> str:
    def repl(match: re.Match[str]) -> str:
        word = match.group()
        return word if word.isascii() else _fix_case(word, _vote(word, encoding)[3], encoding)
    return _tokens_of(encoding).sub(repl, line)


def _fix_case(word: str, converted: str, encoding: str) -> str:
    """TCVN3 has no capitals with tone marks: a word typed in capitals ("B¸O C¸O" in an H
    font) is given its capitals back ("BÁO CÁO")."""
    if encoding != TCVN3:
        return converted
    cased = [ch for ch in word if ch.isascii() and ch.isalpha()]
    if len(cased) >= 2 and all(ch.isupper() for ch in cased):
        return converted.upper()
    return converted


def fix_legacy(text: str, hint: str | None = None) -> tuple[str, str | None]:
    """``text`` with its legacy-encoded lines (or words) in Unicode NFC, and the encoding
    converted from (None when nothing was converted).

    The whole text votes first: when it is surely in one encoding (or ``hint`` says so,
    e.g. from a document's fonts), each line that leans that way is converted.  Otherwise
    only lines that are sure on their own are.  A line that also holds letters only real
    Unicode can have (ư, ạ, đ ...) is a mixed line: just its voting words are converted.
    """
    if not text or not _LATIN1_HIGH.search(text) or (hint is None and not _any_for(text)):
        return text, None
    lines = text.split("\n")
    per_line = [{enc: score(line, enc) for enc in (TCVN3, VNI)}
                if _LATIN1_HIGH.search(line) else None for line in lines]
    totals = {enc: sum((v[enc] for v in per_line if v), Votes(enc)) for enc in (TCVN3, VNI)}
    document = hint
    if document is None:
        best = max(totals.values(), key=lambda v: (v.for_, -v.against))
        document = best.encoding if best.sure() else None
    # A line may be sure of an encoding the text as a whole reads against (a German text
    # with "Bö" in one line): the whole text has the last word.
    allowed = {enc for enc, v in totals.items() if v.for_ > v.against or enc == hint}
    # Only a text wholly in a legacy encoding (no letter that only Unicode has) converts
    # lines whose words read well both ways: in a Unicode text, "Tôi" is Unicode.
    pure = not _UNICODE_ONLY_VI.search(text)
    decisive = pure and document is not None and (
        document == hint or totals[document].decisive())
    used: str | None = None
    out = []
    for line, votes in zip(lines, per_line, strict=True):
        if votes is None:
            out.append(line)
            continue
        mixed = bool(_UNICODE_ONLY_VI.search(line))
        encoding = _line_encoding(votes, document, allowed, mixed)
        if encoding is None and decisive and not mixed and votes[str(document)].against == 0:
            encoding = document  # "Sôn" alone reads well both ways: the text decides
        if encoding is None:
            out.append(line)
            continue
        fixed = _fix_words(line, encoding) if mixed else _fix_line(line, encoding)
        if fixed != line:
            used = used or encoding
            line = fixed
        out.append(line)
    if used is None:
        return text, None
    return unicodedata.normalize("NFC", "\n".join(out)), used


def _any_for(text: str) -> bool:
    """Does any word of ``text`` vote for a legacy reading?  Most texts have none: this
    looks at each distinct word once, so they are let through quickly."""
    for encoding in (TCVN3, VNI):
        words = {w for w in _tokens_of(encoding).findall(text) if not w.isascii()}
        if any(_vote(word, encoding)[0] for word in words):
            return True
    return False


def _line_encoding(votes: dict[str, Votes], document: str | None, allowed: set[str],
                   mixed: bool) -> str | None:
    """The encoding a line is converted from, if any.  A mixed line (with letters only
    Unicode has) needs a word no real text has: Romanian "În" is not TCVN3 "ẻn"."""
    candidates = [v for v in votes.values() if v.strong or not mixed]
    if any(v.encoding == document and v.likely() for v in candidates):
        return document
    sure = [v for v in candidates if v.sure() and v.encoding in allowed]
    if not sure:
        return None
    return max(sure, key=lambda v: (v.for_, -v.against)).encoding


def fix_runs(runs: Iterable[tuple[str, str | None]]) -> str:
    """A paragraph's runs (text, font name) joined, each run in a legacy font converted.

    The font is the strongest evidence there is: no detection is needed, and an "H" font
    means capitals.  Runs in other fonts are kept as they are.  Neighbouring runs in the
    same encoding are decoded together, since Word may split a VNI letter from its mark.
    """
    groups: list[tuple[tuple[str, bool] | None, str]] = []
    for text, font in runs:
        legacy = font_encoding(font)
        if groups and groups[-1][0] == legacy:
            groups[-1] = (legacy, groups[-1][1] + text)
        else:
            groups.append((legacy, text))
    parts = []
    for legacy, text in groups:
        if legacy is None:
            parts.append(text)
        elif legacy[0] == TCVN3:
            parts.append(decode_tcvn3(text, capitals=legacy[1]))
        else:
            parts.append(decode_vni(text))
    return unicodedata.normalize("NFC", "".join(parts))
