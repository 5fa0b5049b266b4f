from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from ldl.app import App
from storage.directory import DirectoryError, export_unions, import_unions, learn_address
from storage.models import AuditEvent, Union, UnionAddress
from tests.conftest import SAMPLE_DIRECTORY

HEADER = "code,name,bloc,emails,active\n"


def csv(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "unions.csv"
    path.write_text(header + body, "utf-8")
    return path


def count_unions(app: App) -> int:
    with app.sessions() as s:
        return s.scalar(select(func.count()).select_from(Union)) or 0


def test_import_sample_and_upsert(app: App, tmp_path: Path) -> None:
    with app.sessions.begin() as s:
        first = import_unions(s, SAMPLE_DIRECTORY)
    assert first.created == 34 and first.updated == 0
    with app.sessions.begin() as s:
        again = import_unions(s, SAMPLE_DIRECTORY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 34)
    path = csv(tmp_path, "TH01,Công đoàn Trường Mầm non Hoa Sữa (mới),th,"
                         "new.hoasua@gmail.com;cdmnhoasua@gmail.com,1\n")
    with app.sessions.begin() as s:
        third = import_unions(s, path)
    assert (third.created, third.updated) == (0, 1)
    with app.sessions() as s:
        union = s.scalars(select(Union).where(Union.code == "TH01")).one()
        assert union.name.endswith("(mới)")
        assert {a.address for a in union.addresses} == {"new.hoasua@gmail.com",
                                                        "cdmnhoasua@gmail.com"}
        assert s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == "unions.import")) == 3
    assert count_unions(app) == 34


@pytest.mark.parametrize(
    ("body", "row", "reason"),
    [
        ("A1,Union A,dn,a@x.vn,1\nA1,Union B,dn,b@x.vn,1\n", 3, "duplicate code 'A1'"),
        ("A1,Union A,dn,not-an-address,1\n", 2, "malformed address 'not-an-address'"),
        ("A1,Union A,army,a@x.vn,1\n", 2, "unknown bloc 'army'"),
        ("A1,Union A,dn,a@x.vn,1\nA2,Union B,th,A@x.vn,1\n", 3,
         "address a@x.vn is also claimed by A1"),
        ("A1,,dn,a@x.vn,1\n", 2, "empty name"),
        ("A1,Union A,dn,a@x.vn,perhaps\n", 2, "active 'perhaps'"),
    ],
)
def test_bad_row_refuses_whole_file(app: App, tmp_path: Path, body: str, row: int,
                                    reason: str) -> None:
    good = "G1,Good union,hcsn,good@x.vn,1\n"
    path = csv(tmp_path, good + body)
    with pytest.raises(DirectoryError) as err, app.sessions.begin() as s:
        import_unions(s, path)
    assert (row + 1, ) == tuple(r for r, why in err.value.problems if reason in why)[:1]
    assert f"row {row + 1}" in str(err.value)
    assert count_unions(app) == 0  # nothing half-imported, not even the good row


def test_every_bad_row_is_listed(app: App, tmp_path: Path) -> None:
    path = csv(tmp_path, "A1,U,army,a@x.vn,1\nA2,U,dn,bad@,1\nA3,U,dn,c@x.vn,1\n")
    with pytest.raises(DirectoryError) as err, app.sessions.begin() as s:
        import_unions(s, path)
    assert sorted({r for r, _ in err.value.problems}) == [2, 3]


def test_address_held_by_another_union_in_store(app: App, tmp_path: Path) -> None:
    with app.sessions.begin() as s:
        import_unions(s, csv(tmp_path, "A1,Union A,dn,a@x.vn,1\n"))
    with pytest.raises(DirectoryError, match="belongs to union A1"), app.sessions.begin() as s:
        import_unions(s, csv(tmp_path, "B1,Union B,dn,a@x.vn,1\n"))
    # moving an address between two unions of the same file is allowed
    with app.sessions.begin() as s:
        import_unions(s, csv(tmp_path, "A1,Union A,dn,a2@x.vn,1\nB1,Union B,dn,a@x.vn,1\n"))
    with app.sessions() as s:
        owner = s.scalar(select(Union.code).join(UnionAddress)
                         .where(UnionAddress.address == "a@x.vn"))
    assert owner == "B1"


def test_missing_columns(app: App, tmp_path: Path) -> None:
    path = csv(tmp_path, "A1,Union A\n", header="code,name\n")
    with pytest.raises(DirectoryError, match="missing column.*bloc, emails, active"), \
            app.sessions.begin() as s:
        import_unions(s, path)


def test_xlsx_optional_columns_and_export_round_trip(app: App, tmp_path: Path) -> None:
    frame = pd.DataFrame([
        {"code": "D1", "name": "Công đoàn Công ty TNHH Điện tử Thạch Bàn", "bloc": "dn",
         "emails": "cd1@x.vn; cd1b@x.vn", "active": "yes", "aliases": "Điện tử TB",
         "active_from": "10/05/2021"},
    ])
    path = tmp_path / "d.xlsx"
    frame.to_excel(path, index=False)
    with app.sessions.begin() as s:
        assert import_unions(s, path).created == 1
    out = tmp_path / "out.csv"
    with app.sessions() as s:
        assert export_unions(s, out) == 1
    exported = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert exported.loc[0, "active_from"] == "2021-05-10"
    assert exported.loc[0, "emails"] == "cd1@x.vn;cd1b@x.vn"
    with app.sessions.begin() as s:
        assert import_unions(s, out).unchanged == 1


def test_learned_address_survives_reimport(app: App, tmp_path: Path) -> None:
    path = csv(tmp_path, "A1,Union A,dn,a@x.vn,1\n")
    with app.sessions.begin() as s:
        import_unions(s, path)
    with app.sessions.begin() as s:
        union = s.scalars(select(Union)).one()
        assert learn_address(s, union, "Chair.A@gmail.com")
    with app.sessions.begin() as s:
        import_unions(s, path)
    with app.sessions() as s:
        assert {a.address for a in s.scalars(select(UnionAddress))} == {"a@x.vn",
                                                                       "chair.a@gmail.com"}
