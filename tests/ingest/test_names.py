"""Union names found by their distinctive words, with type words as confirmation."""

from __future__ import annotations

import pytest

from ingest.names import (
    Vocabulary,
    canonical_segments,
    find_name,
    name_parts,
    segments,
)

DIRECTORY = [
    "Công đoàn cơ sở UBND phường Đức Giang",
    "Công đoàn Trường Mầm non Đức Giang",
    "Công đoàn Trường THCS Đức Giang",
    "Công đoàn Công ty CP May Đức Giang",
    "Công đoàn Công ty TNHH MTV May Đức Giang 2",
    "Công đoàn Tổng công ty Đức Giang",
    "Công đoàn Trường Mầm non Long Biên",
    "Công đoàn Trường THCS Phúc Đồng",
    "Công đoàn Trường THCS Sài Đồng",
    "Công đoàn Trạm Y tế phường Phúc Lợi",
    "Công đoàn cơ sở UBND phường Phúc Lợi",
    "Công đoàn Trường THCS Ngô Gia Tự",
]
VOCAB = Vocabulary(DIRECTORY)


def score(name: str, text: str) -> float:
    segs = segments(text)
    found = find_name(name_parts(name), segs, canonical_segments(segs, VOCAB), VOCAB)
    return found.score if found else 0.0


def best(text: str) -> tuple[str, float, float]:
    ranked = sorted(((score(n, text), n) for n in DIRECTORY), reverse=True)
    return ranked[0][1], ranked[0][0], ranked[1][0]


@pytest.mark.parametrize(("text", "want"), [
    ("Em gửi BC quý I của Trường MN Đức Giang ạ", "Công đoàn Trường Mầm non Đức Giang"),
    ("CĐ UBND P. Đức Giang", "Công đoàn cơ sở UBND phường Đức Giang"),
    ("CDCS CONG TY CP MAY DUC GIANG", "Công đoàn Công ty CP May Đức Giang"),
    ("Cty May Đức Giang 2", "Công đoàn Công ty TNHH MTV May Đức Giang 2"),
    ("chủ tịch cđcs Trường THCS Phúc Đồng", "Công đoàn Trường THCS Phúc Đồng"),
    ("Trạm y tế P. Phúc Lợi", "Công đoàn Trạm Y tế phường Phúc Lợi"),
    ("Truong Ngo Gia Tu", "Công đoàn Trường THCS Ngô Gia Tự"),  # unique name: level optional
    ("TRUONG THCS PHUC DOONG", "Công đoàn Trường THCS Phúc Đồng"),  # a slip of the key
])
def test_the_distinctive_words_decide(text: str, want: str) -> None:
    name, top, runner_up = best(text)
    assert name == want
    assert top >= 0.85 > runner_up


def test_the_federation_is_not_a_union() -> None:
    text = "LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN\nCĐCS TRƯỜNG MN ĐỨC GIANG"
    assert score("Công đoàn Trường Mầm non Long Biên", text) < 0.6
    assert score("Công đoàn Trường Mầm non Đức Giang", text) >= 0.9


@pytest.mark.parametrize("text", ["Trường Đức Giang", "Đức Giang"])
def test_a_shared_place_name_needs_its_kind(text: str) -> None:
    assert score("Công đoàn Trường Mầm non Đức Giang", text) < 0.6
    assert score("Công đoàn cơ sở UBND phường Đức Giang", text) < 0.6


def test_two_schools_named_together_are_both_found() -> None:
    text = "BC quý I - CĐ MN Đức Giang và THCS Đức Giang"
    assert score("Công đoàn Trường Mầm non Đức Giang", text) >= 0.9
    assert score("Công đoàn Trường THCS Đức Giang", text) >= 0.9


def test_a_word_inside_a_type_phrase_names_nobody() -> None:
    assert score("Công đoàn Trường THCS Sài Đồng", "hoạt động công đoàn") < 0.6
