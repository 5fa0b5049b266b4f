"""A triage decision teaches the directory the names a union writes for itself."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ingest.document import AttachmentDoc, MessageDoc, UnionEntry
from ingest.learn import aliases_to_learn
from ldl.app import App
from storage.models import Message, Union
from tests.conftest import Ldl
from tests.ingest.builders import build_message, make_docx
from tests.ingest.test_pipeline import at, maildir, received

DIRECTORY = (
    UnionEntry("DN07", "Công đoàn Công ty CP Đầu tư và Phát triển Nhà số 3", "dn",
               ("handico3.cd@gmail.com",)),
    UnionEntry("MN01", "Công đoàn Trường Mầm non Hoa Sữa", "th", ()),
    UnionEntry("MN02", "Công đoàn Trường Mầm non Hoa Mai", "th", ()),
)
LETTERHEAD = ("TỔNG CÔNG TY ĐẦU TƯ PHÁT TRIỂN NHÀ HÀ NỘI\nCĐCS HANDICO 3\nSố: 04/BC-CĐ\n"
              "BÁO CÁO\nKết quả quý I năm 2021\nI. Tình hình\n")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def doc(text: str, subject: str = "bc", body: str = "") -> MessageDoc:
    return MessageDoc(subject=subject, from_addr="x@gmail.com", body_text=body,
                      attachments=[AttachmentDoc("bc.docx", DOCX, b"x", text=text)])


def test_the_letterhead_issuer_is_learnt() -> None:
    assert aliases_to_learn(doc(LETTERHEAD), DIRECTORY[0], DIRECTORY) == ["CĐCS HANDICO 3"]


def test_a_name_that_already_finds_the_union_is_not_learnt() -> None:
    text = "LĐLĐ QUẬN LONG BIÊN\nCĐCS TRƯỜNG MN HOA SỮA\nBÁO CÁO QUÝ I\n"
    assert aliases_to_learn(doc(text), DIRECTORY[1], DIRECTORY) == []


def test_a_name_of_another_union_is_never_learnt() -> None:
    """Staff credit Hoa Sữa for a mail whose letterhead says Hoa Mai (a relayed report)."""
    text = "LĐLĐ QUẬN LONG BIÊN\nCĐCS TRƯỜNG MN HOA MAI\nBÁO CÁO QUÝ I\n"
    assert aliases_to_learn(doc(text), DIRECTORY[1], DIRECTORY) == []


def test_the_subject_tail_and_a_signature_line() -> None:
    got = aliases_to_learn(doc("", subject="BC quý I - CĐ Handico số 3",
                               body="Em gửi ạ\nNguyễn Thị A\nKế toán CĐ Cty Handico 3"),
                           DIRECTORY[0], DIRECTORY)
    assert got == ["CĐ Handico số 3", "Kế toán CĐ Cty Handico 3"]


def _report(sender: str, when: tuple[int, ...], msgid: str) -> bytes:
    data = make_docx(["TỔNG CÔNG TY ĐẦU TƯ PHÁT TRIỂN NHÀ HÀ NỘI", "CĐCS HANDICO 3",
                      "Số: 04/BC-CĐ", "BÁO CÁO", "Kết quả thực hiện kế hoạch quý I năm 2021",
                      "I. Tình hình chung"])
    raw = build_message("gui bao cao", sender, body="Em gửi báo cáo ạ.",
                        attachments=[("BC.docx", data, DOCX)], date=at(*when),
                        message_id=f"<{msgid}>")
    return received(raw, at(*when))


def test_assign_teaches_the_name_and_the_next_mail_places_itself(
        ldl: Ldl, app: App, tmp_path: Path) -> None:
    csv = tmp_path / "unions.csv"
    csv.write_text("code,name,bloc,emails,active\n"
                   "DN07,Công đoàn Công ty CP Đầu tư và Phát triển Nhà số 3,dn,,yes\n"
                   "MN01,Công đoàn Trường Mầm non Hoa Sữa,th,,yes\n", encoding="utf-8")
    assert ldl("unions", "import", str(csv)).exit_code == 0
    first = maildir(tmp_path / "one", [_report("ketoan.a@gmail.com", (2021, 3, 8, 9, 0), "a@x")])
    assert ldl("ingest", "--from", str(first)).exit_code == 0
    with app.sessions() as s:
        assert s.scalar(select(Message.status).where(Message.message_id == "a@x")) == "triaged"
    shown = ldl("triage", "show", "a@x")
    assert "unknown-sender" in shown.output
    assert "why: the sender's address is not in the directory" in shown.output

    done = ldl("triage", "assign", "a@x", "DN07", "--obligation", "report-2021-q1")
    assert done.exit_code == 0, done.output
    with app.sessions() as s:
        union = s.scalar(select(Union).where(Union.code == "DN07"))
        assert union is not None and "CĐCS HANDICO 3" in (union.aliases or [])

    # another officer of the same union, from another personal address
    second = maildir(tmp_path / "two", [_report("chutich.b@gmail.com", (2021, 6, 9, 9, 0),
                                               "b@x")])
    assert ldl("ingest", "--from", str(second)).exit_code == 0
    with app.sessions() as s:
        msg = s.scalar(select(Message).where(Message.message_id == "b@x"))
        assert msg is not None and msg.status == "credited", msg.status_reason


def test_triage_show_says_what_the_machine_would_do() -> None:
    from ingest.triage import explain
    from storage.models import TriageItem

    item = TriageItem(reason="ambiguous: MN01, MN02",
                      candidates=[{"union": "MN01", "score": 0.9},
                                  {"union": "MN02", "score": 0.88}],
                      evidence=[{"rule": "suggested", "obligation": "report-2021-q1",
                                 "confidence": 0.95}])
    lines = explain(item)
    assert lines[0].startswith("why: two unions fit about equally well")
    assert lines[0].endswith("(MN01, MN02)")
    assert lines[1] == "best guess: MN01 (score 0.9) for report-2021-q1"
    assert lines[2] == ("to accept it: ldl triage assign MESSAGE MN01 "
                        "--obligation report-2021-q1")


def test_a_question_is_suggested_for_dismissal_not_credit() -> None:
    from ingest.triage import explain
    from storage.models import TriageItem

    item = TriageItem(reason="obligation-uncertain: a question, nothing submitted",
                      candidates=[{"union": "MN01", "score": 1.0}],
                      evidence=[{"rule": "suggested", "obligation": "report-2021-q1"}])
    assert explain(item)[-1].startswith("most likely not a report")
