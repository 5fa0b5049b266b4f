"""Noise: machine mail, lists, our own mail, higher bodies and spam are recognised."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from ingest.document import AttachmentDoc, MessageDoc
from ingest.noise import detect_noise

OWN = ("ldllongbien@gmail.com",)
HIGHER = ("ldld.hanoi.gov.vn", "tuyengiao.quanuy@gmail.com", "@quanuylongbien.gov.vn")


def msg(
    subject: str = "Báo cáo quý 1", from_addr: str = "mnhoasua@gmail.com",
    headers: dict[str, str] | None = None, attachments: Sequence[AttachmentDoc] = (),
) -> MessageDoc:
    return MessageDoc(
        subject=subject, from_addr=from_addr,
        headers={k.lower(): [v] for k, v in (headers or {}).items()},
        attachments=list(attachments),
    )


def reason(doc: MessageDoc) -> str | None:
    verdict = detect_noise(doc, own_addresses=OWN, higher_bodies=HIGHER)
    if verdict is None:
        return None
    assert verdict.evidence, "a verdict must say why"
    assert all(e.rule == verdict.reason for e in verdict.evidence)
    return verdict.reason


@pytest.mark.parametrize(
    "doc",
    [
        msg(headers={"Auto-Submitted": "auto-replied"}),
        msg(headers={"Auto-Submitted": "auto-generated"}),
        msg(headers={"Auto-Submitted": "auto-notified"}),
        msg(headers={"X-Autoreply": "yes"}),
        msg(headers={"X-Autorespond": "Out of office"}),
        msg(headers={"Precedence": "auto_reply"}),
        msg(headers={"Precedence": "junk"}),
        msg("Out of Office: Báo cáo quý 1"),
        msg("Automatic reply: Nhắc nộp báo cáo quý 1"),
        msg("Trả lời tự động: Nhắc nộp báo cáo"),
        msg("Tra loi tu dong: Nhac nop bao cao"),
        msg("Read: Báo cáo quý 1"),
        msg("Báo cáo", headers={
            "Content-Type": "multipart/report; report-type=disposition-notification; b=x"}),
    ],
)
def test_auto_reply(doc: MessageDoc) -> None:
    assert reason(doc) == "auto-reply"


def test_auto_submitted_no_is_human_mail() -> None:
    assert reason(msg(headers={"Auto-Submitted": "no"})) is None


@pytest.mark.parametrize(
    "doc",
    [
        msg("Báo cáo", headers={
            "Content-Type": 'multipart/report; report-type="delivery-status"; boundary="b"'}),
        msg("Báo cáo", headers={
            "Content-Type": "multipart/report; report-type=delivery-status; boundary=b"}),
        msg("Báo cáo", from_addr="mailer-daemon@googlemail.com"),
        msg("Báo cáo", from_addr="MAILER-DAEMON@mail.abc.vn"),
        msg("Báo cáo", from_addr="postmaster@hanoi.gov.vn"),
        msg("Delivery Status Notification (Failure)", from_addr="x@y.vn"),
        msg("Undeliverable: Nhắc nộp báo cáo quý 1", from_addr="x@y.vn"),
        msg("Mail delivery failed: returning message to sender", from_addr="x@y.vn"),
        msg("Báo cáo", attachments=[AttachmentDoc("details.txt", "message/delivery-status", b"x")]),
        # a bounce is auto-submitted too, but called a bounce
        msg("Undelivered Mail Returned to Sender", headers={"Auto-Submitted": "auto-replied"}),
    ],
)
def test_bounce(doc: MessageDoc) -> None:
    assert reason(doc) == "bounce"


@pytest.mark.parametrize(
    "doc",
    [
        msg(headers={"List-Id": "<bantin.congdoan.vn>"}),
        msg(headers={"List-Unsubscribe": "<mailto:unsubscribe@news.vn>"}),
        msg(headers={"Precedence": "bulk"}),
        msg(headers={"Precedence": "list"}),
        # a newsletter that speaks of "báo cáo quý 1" is still a newsletter
        msg("Bản tin: hướng dẫn báo cáo quý 1 năm 2021", from_addr="news@baolaodong.vn",
            headers={"List-Unsubscribe": "<https://baolaodong.vn/unsub>"}),
    ],
)
def test_mailing_list(doc: MessageDoc) -> None:
    assert reason(doc) == "mailing-list"


@pytest.mark.parametrize("address", ["ldllongbien@gmail.com", "LDLLongBien@Gmail.com"])
def test_own_address(address: str) -> None:
    assert reason(msg("Nhắc nộp báo cáo quý 1", from_addr=address)) == "own-address"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("vanphong@ldld.hanoi.gov.vn", "higher-body"),
        ("a@mail.ldld.hanoi.gov.vn", "higher-body"),
        ("tuyengiao.quanuy@gmail.com", "higher-body"),
        ("TuyenGiao.QuanUy@gmail.com", "higher-body"),
        ("vp@quanuylongbien.gov.vn", "higher-body"),
        ("x@fakeldld.hanoi.gov.vn", None),
        ("x@ldld.hanoi.gov.vn.evil.com", None),
        ("other@gmail.com", None),
    ],
)
def test_higher_body(address: str, expected: str | None) -> None:
    assert reason(msg("Công văn về việc báo cáo quý 1", from_addr=address)) == expected


def test_higher_body_newsletter_is_called_higher_body() -> None:
    doc = msg("Bản tin LĐLĐ TP", from_addr="bantin@ldld.hanoi.gov.vn",
              headers={"List-Id": "<bantin.ldld.hanoi.gov.vn>"})
    assert reason(doc) == "higher-body"


@pytest.mark.parametrize(
    "doc",
    [
        msg(headers={"X-Spam-Flag": "YES"}),
        msg(headers={"X-Spam-Status": "Yes, score=7.1 required=5.0"}),
        msg("[SPAM] Báo cáo quý 1"),
        msg("***SPAM*** Trúng thưởng"),
        msg("Re: [SPAM] hello"),
    ],
)
def test_spam(doc: MessageDoc) -> None:
    assert reason(doc) == "spam"


@pytest.mark.parametrize(
    "doc",
    [
        msg(),
        msg(headers={"X-Spam-Status": "No, score=0.1"}),
        msg(headers={"X-Spam-Flag": "NO"}),
        msg("Re: Báo cáo quý 1 (trả lời)"),
        msg("TL: Nhắc nộp báo cáo", headers={"Content-Type": "multipart/mixed; boundary=x"}),
        msg("Báo cáo thư tự động", from_addr="daemon.fan@gmail.com"),
    ],
)
def test_union_mail_is_not_noise(doc: MessageDoc) -> None:
    assert reason(doc) is None


def test_no_higher_bodies_configured() -> None:
    doc = msg(from_addr="vanphong@ldld.hanoi.gov.vn")
    assert detect_noise(doc, own_addresses=OWN) is None
