"""Finding a union's name in what people write: the distinctive words decide.

People name their union in many ways: "CĐ UBND P. Bồ Đề", "CĐCS Tr. THCS Ngọc Lâm",
"Cty CP May Đức Giang", "MN Hoa Sữa", in capitals, without diacritics.  What tells two
unions apart is the proper name (the ward, the person, the brand: "Bồ Đề", "Ngô Gia Tự",
"May Đức Giang 2"); the words saying what kind of body it is ("công đoàn", "UBND phường",
"trường mầm non", "công ty cổ phần") are shared by dozens of unions.  So a name is split
into its *type* phrases and its *distinctive* words, and a mention is:

* the distinctive words, in order and next to each other, in one segment of text (a comma,
  a line end or a bracket ends a segment), with spelling slips forgiven;
* judged by how much of the distinctive run of the text they cover ("May Đức Giang" is not
  "Tổng công ty Đức Giang", nor "May Đức Giang 2");
* confirmed or contradicted by the type words written just before them: "Trường MN Đức
  Giang" is not "UBND phường Đức Giang", and a school level never matches another level.

The federation's own name ("LĐLĐ quận Long Biên") is in nearly every letterhead and
greeting; it is masked first, so it never makes "Trường Mầm non Long Biên" the sender.
Everything here is a pure function of the text and the directory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from ingest.textnorm import name_key

# Type phrases, in name_key form (abbreviations already spelled out), longest first.
TYPE_PHRASES: tuple[str, ...] = tuple(sorted({
    "uy ban nhan dan", "hoi dong nhan dan", "phuong", "quan", "huyen", "xa", "thi tran",
    "cong ty co phan", "cong ty trach nhiem huu han", "trach nhiem huu han",
    "mot thanh vien", "co phan", "cong ty", "tong cong ty", "chi nhanh",
    "trung tam", "benh vien", "tram y te", "tram", "mam non", "mau giao", "tieu hoc",
    "trung hoc co so", "trung hoc pho thong", "lien cap", "chi cuc", "kho bac nha nuoc",
    "kho bac", "ban quan ly", "co quan", "van phong", "phong", "doi", "hop tac xa",
    "cong doan co so", "cong doan", "truong", "don vi", "cdcs", "ban chap hanh",
    "va",  # "Giáo dục và Đào tạo" is also written "GD&ĐT": "và" is no part of a name
}, key=lambda p: (-len(p.split()), p)))
# A body named after its district ("Cơ quan UBND quận Long Biên") shares its distinctive
# words with every letterhead of the district ("PHÒNG GD&ĐT QUẬN LONG BIÊN"): its mention
# must carry its own kind of body as well.
DISTRICT_WORDS: frozenset[str] = frozenset({"quan", "huyen"})
PLACE_TYPE_WORDS: frozenset[str] = frozenset({"phuong", "quan", "huyen", "xa", "thi", "tran"})
FILLER_TYPES: frozenset[str] = frozenset({"cong doan", "cong doan co so", "truong", "co quan",
                                          "don vi", "cdcs", "ban chap hanh", "va"})
TYPE_WORDS: frozenset[str] = frozenset(w for p in TYPE_PHRASES for w in p.split())
# What kind of body a type phrase says: two kinds conflict unless one contains the other
# ("school" contains "school:mn"; "company" is every kind of company).
KINDS: dict[str, str] = {
    "mam non": "school:mn", "mau giao": "school:mn", "tieu hoc": "school:th",
    "trung hoc co so": "school:thcs", "trung hoc pho thong": "school:thpt",
    "lien cap": "school:lc", "truong": "school",
    "uy ban nhan dan": "gov", "hoi dong nhan dan": "gov",
    "cong ty co phan": "company", "cong ty trach nhiem huu han": "company",
    "trach nhiem huu han": "company", "mot thanh vien": "company", "co phan": "company",
    "cong ty": "company", "tong cong ty": "company", "chi nhanh": "company",
    "tram y te": "health", "benh vien": "health", "kho bac nha nuoc": "treasury",
    "kho bac": "treasury", "chi cuc": "bureau", "hop tac xa": "cooperative",
}
# Any labour federation's own name (never a grassroots union), in name_key form.
FEDERATION_RE = re.compile(
    r"\blien doan lao dong(?: (?:quan|huyen|thi xa|thanh pho|tinh)(?: \w+){1,2}| viet nam)?\b"
)
SEGMENT_RE = re.compile(r"[,;:()\[\]|/\\\n\r\t\"“”«»]+|\s[-–—]\s")
TYPE_LOOKBACK = 7  # tokens before a mention where its type words are looked for
TYPO_RATIO = 85  # two words this similar (0..100) are the same word misspelt
MIN_TYPO_LENGTH = 4  # shorter words must match exactly ("mot" is not "moc")
CONFLICT_FACTOR = 0.5
PLACE_NAME_OWNERS = 3  # names carrying the same place before it stops telling them apart
TYPE_WEIGHT = 0.1  # how much agreeing (or missing) type words move a score


@dataclass(frozen=True)
class NameParts:
    """A union's name split into its type phrases and distinctive words."""

    types: frozenset[str]
    distinct: tuple[str, ...]


def _type_at(tokens: Sequence[str], i: int) -> tuple[str, int] | None:
    """The type phrase starting at ``tokens[i]`` and its length, if any."""
    for phrase in TYPE_PHRASES:
        words = phrase.split()
        if tuple(tokens[i:i + len(words)]) == tuple(words):
            return phrase, len(words)
    return None


def split_name(key: str) -> NameParts:
    """Type phrases and distinctive words of a name already in :func:`name_key` form."""
    tokens = key.split()
    types: set[str] = set()
    distinct: list[str] = []
    i = 0
    while i < len(tokens):
        found = _type_at(tokens, i)
        if found is not None:
            types.add(found[0])
            i += found[1]
        else:
            distinct.append(tokens[i])
            i += 1
    if not distinct:  # a name made only of type words ("Công đoàn Kho bạc") is its own mark
        return NameParts(frozenset(), tuple(tokens))
    return NameParts(frozenset(types), tuple(distinct))


@lru_cache(maxsize=8192)
def name_parts(name: str) -> NameParts:
    return split_name(name_key(name))


def has_distinct_words(text: str) -> bool:
    """Whether ``text`` names some body, not only kinds ("CÔNG ĐOÀN CƠ SỞ" alone does not)."""
    return any(not all(type_mask(seg)) for seg in segments(text))


def kind_only(text: str) -> bool:
    """A line that says only what kind of body it is ("TRẠM Y TẾ"), not a union filler."""
    tokens = name_key(text).split()
    return bool(tokens) and all(type_mask(tokens)) and bool(kinds_of(types_in(tokens)))


def place_of(text: str) -> str:
    """The place a line names, without its kind: "UBND PHƯỜNG PHÚC ĐỒNG" -> "phuong phuc
    dong" (ward and district words are kept: they say where, not what)."""
    tokens = name_key(text).split()
    mask = type_mask(tokens)
    kept = [t for t, m in zip(tokens, mask, strict=True)
            if not m or t in PLACE_TYPE_WORDS]
    return " ".join(kept)


def types_in(tokens: Sequence[str]) -> set[str]:
    """The type phrases written in a run of tokens."""
    text = f" {' '.join(tokens)} "
    return {p for p in TYPE_PHRASES if f" {p} " in text}


def segments(text: str) -> list[tuple[str, ...]]:
    """The text cut where punctuation or a line ends a name, each part in name_key form,
    with the federation's own name masked."""
    out: list[tuple[str, ...]] = []
    for part in SEGMENT_RE.split(text):
        key = FEDERATION_RE.sub(" | ", name_key(part))
        for piece in key.split("|"):
            tokens = tuple(piece.split())
            if tokens:
                out.append(tokens)
    return out


class Vocabulary:
    """The distinctive words of a directory, and how to read a text's words as them."""

    def __init__(self, names: Iterable[str]) -> None:
        words: set[str] = set()
        self._owners: dict[tuple[str, ...], int] = {}
        for name in names:
            distinct = name_parts(name).distinct
            words.update(distinct)
            self._owners[distinct] = self._owners.get(distinct, 0) + 1
        self.words = frozenset(words)
        self._choices = sorted(w for w in words if len(w) >= MIN_TYPO_LENGTH - 1)
        self._keys = [f" {name_key(n)} " for n in names]

    @lru_cache(maxsize=8192)  # noqa: B019 - one vocabulary per directory, kept for the run
    def place_name(self, distinct: tuple[str, ...]) -> bool:
        """Whether these distinctive words are a place many names of the directory carry
        ("Long Biên": the district's own bodies, its ward, its schools): a mention of the
        place alone names none of them."""
        phrase = f" {' '.join(distinct)} "
        return sum(phrase in key for key in self._keys) >= PLACE_NAME_OWNERS

    def shared(self, distinct: tuple[str, ...]) -> bool:
        """Whether several names of the directory have these distinctive words."""
        return self._owners.get(distinct, 0) > 1

    @lru_cache(maxsize=65536)  # noqa: B019 - one vocabulary per directory, kept for the run
    def canonical(self, token: str) -> str:
        """The directory word ``token`` is (a misspelling of), else ``token`` itself."""
        if (token in self.words or token in TYPE_WORDS or len(token) < MIN_TYPO_LENGTH
                or not self._choices):
            return token
        found = process.extractOne(token, self._choices, scorer=fuzz.ratio,
                                   score_cutoff=TYPO_RATIO)
        return found[0] if found else token


@dataclass(frozen=True)
class Mention:
    """Where and how well a union's name was found in one segment."""

    score: float  # 0..1
    window: str


def _runs(distinct: Sequence[str], tokens: Sequence[str]) -> Iterable[tuple[int, int, int]]:
    """(start in tokens, start in name, length) of every in-order, contiguous match."""
    for i in range(len(tokens)):
        for j in range(len(distinct)):
            n = 0
            while (i + n < len(tokens) and j + n < len(distinct)
                   and tokens[i + n] == distinct[j + n]):
                n += 1
            if n:
                yield i, j, n


def type_mask(tokens: Sequence[str]) -> list[bool]:
    """Which tokens belong to a type phrase ("uy ban nhan dan", "mam non", "quan X Y" ...)."""
    mask = [False] * len(tokens)
    i = 0
    while i < len(tokens):
        found = _type_at(tokens, i)
        if found is None:
            i += 1
            continue
        for k in range(i, i + found[1]):
            mask[k] = True
        i += found[1]
    return mask


def _text_run(tokens: Sequence[str], mask: Sequence[bool], start: int, end: int,
              vocab: Vocabulary) -> int:
    """How many distinctive directory words stand in the run around a match (its context).

    ``start:end`` is the match in ``tokens``; the run grows over directory words and stops
    at anything else, type words included ("TH Ngọc Lâm và THCS Ngọc Lâm" is two names).
    """
    lo, hi = start, end
    known = vocab.words
    while lo > 0 and tokens[lo - 1] in known and not mask[lo - 1]:
        lo -= 1
    while hi < len(tokens) and tokens[hi] in known and not mask[hi]:
        hi += 1
    return sum(1 for k in range(lo, hi) if not mask[k])


def _type_prefix(tokens: Sequence[str], mask: Sequence[bool], start: int) -> list[str]:
    """The type words written right before a mention ("CĐ Trường MN" of "... Hoa Sữa")."""
    lo = start
    while lo > 0 and mask[lo - 1] and start - lo < TYPE_LOOKBACK:
        lo -= 1
    return list(tokens[lo:start])


def kinds_of(types: Iterable[str]) -> set[str]:
    return {KINDS[t] for t in types if t in KINDS}


def _compatible(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ":") or b.startswith(a + ":")


def _type_factor(parts: NameParts, before: Sequence[str], shared: bool,
                 place: bool = False) -> float:
    """How the type words written before a mention agree with the name's: 0.5..1.

    ``shared``: other unions of the directory have the same distinctive words (the ward's
    kindergarten, primary and lower secondary schools), so the kind must be written.
    ``place``: the distinctive words are a place many bodies carry ("Kho bạc Nhà nước Long
    Biên" and every "..., Long Biên, ngày ..."), so the body's own type words must be.
    """
    written = kinds_of(types_in(before))
    mine = kinds_of(parts.types)
    own_types = parts.types - DISTRICT_WORDS - FILLER_TYPES
    if (parts.types & DISTRICT_WORDS or place) and not own_types <= types_in(before):
        return CONFLICT_FACTOR  # "quận Long Biên" alone is the district, not this body
    if written and mine and not any(_compatible(a, b) for a in written for b in mine):
        return CONFLICT_FACTOR
    if shared and mine and not any(a == b for a in written for b in mine):
        return CONFLICT_FACTOR
    if not mine or not written:
        return 1.0 - TYPE_WEIGHT / 2
    agree = len(parts.types & types_in(before)) / len(parts.types)
    return 1.0 - TYPE_WEIGHT + TYPE_WEIGHT * agree


def canonical_segments(segs: Sequence[tuple[str, ...]],
                       vocab: Vocabulary) -> list[tuple[str, ...]]:
    """Segments with each word read as the directory word it misspells."""
    return [tuple(vocab.canonical(t) for t in seg) for seg in segs]


def find_name(parts: NameParts, segs: Sequence[tuple[str, ...]],
              canon: Sequence[tuple[str, ...]], vocab: Vocabulary) -> Mention | None:
    """The best mention of a name in a text's segments (``canon``: their canonical form)."""
    best: Mention | None = None
    d = parts.distinct
    for seg, tokens in zip(segs, canon, strict=True):
        if d[0] not in tokens and not any(t in tokens for t in d):
            continue
        mask = type_mask(tokens)
        # type words between distinctive ones ("Y tế quận Long Biên") do not break a name;
        # a name made only of type words is matched word for word
        keep = [k for k, masked in enumerate(mask) if not masked or not parts.types]
        core = [tokens[k] for k in keep]
        for i, _j, n in _runs(d, core):
            run = _text_run(tokens, mask if parts.types else [False] * len(tokens),
                            keep[i], keep[i + n - 1] + 1, vocab)
            f1 = 2.0 * n / (len(d) + max(run, n))
            if n < len(d):
                f1 *= n / len(d)  # part of a name ("Đồng" of "Sài Đồng") is little evidence
            start, end = keep[i], keep[i + n - 1] + 1
            before = _type_prefix(tokens, mask, start)
            score = f1 * _type_factor(parts, before, vocab.shared(parts.distinct),
                                      vocab.place_name(parts.distinct))
            if best is None or score > best.score:
                best = Mention(score, " ".join(seg[max(0, start - 3):end]))
    return best
