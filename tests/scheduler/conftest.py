"""Shared fixtures for the scheduler tests: the 2021 calendar, the packaged policy, servers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from config.calendar import ObligationSpec, load_calendar
from scheduler.policy import ReminderPolicy
from tests.smtp_server import SmtpTestServer, TlsPair, self_signed_tls

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="session")
def specs() -> dict[str, ObligationSpec]:
    return {spec.key: spec for spec in load_calendar().specs_for_years([2021])}


@pytest.fixture(scope="session")
def q1(specs: dict[str, ObligationSpec]) -> ObligationSpec:
    """Due "trước ngày 15/03/2021": late from Mon 15/03 00:00; 13-14/03 is a weekend."""
    return specs["report-2021-q1"]


@pytest.fixture(scope="session")
def policy() -> ReminderPolicy:
    return ReminderPolicy.load()


@pytest.fixture
def smtp_server() -> Iterator[SmtpTestServer]:
    with SmtpTestServer() as server:
        yield server


@pytest.fixture(scope="session")
def tls_pair(tmp_path_factory: pytest.TempPathFactory) -> TlsPair:
    pair = self_signed_tls(Path(tmp_path_factory.mktemp("tls")))
    if pair is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    return pair
