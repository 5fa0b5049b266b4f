"""Every .xlsx the product writes goes through here: its cells are data, never formulas.

A union's name or code comes from people (the directory, a sender's mail), and a value
such as ``=HYPERLINK("http://...")`` or ``=cmd|' /C calc'!A0`` written as a formula would run
in the federation's Excel when the digest or an export is opened.  openpyxl (and pandas'
``to_excel`` over it) turns any string that starts with ``=`` into a formula, so the
writers do not hand it strings directly: :func:`write_xlsx` stores every string as a text
cell, and marks the ones that start like a formula (``=``, ``+``, ``-``, ``@``, tab, CR)
with Excel's quote prefix, so they stay text even when a person edits the cell.  The text
itself is unchanged: an export can be edited and imported again as it is.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    import pandas as pd

#: What spreadsheet programs read as the start of a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# characters XML 1.0 cannot carry (openpyxl refuses the whole file for one of them)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_BAD = re.compile(r"[\\/?*\[\]:]")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def cell_text(value: str) -> str:
    """``value`` as a cell can hold it: no XML-illegal control characters, at most the
    32,767 characters Excel keeps."""
    return _ILLEGAL.sub("\ufffd", value)[:32767]


def sheet_title(name: str) -> str:
    return _SHEET_TITLE_BAD.sub("_", name)[:31] or "Sheet"


def write_xlsx(target: Path | BinaryIO, sheets: Sequence[tuple[str, pd.DataFrame]]) -> None:
    """One sheet per (title, frame): a bold header row, then the frame's rows as values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for title, frame in sheets:
        sheet = book.create_sheet(sheet_title(title))
        for col, name in enumerate(frame.columns, start=1):
            cell = sheet.cell(row=1, column=col)
            _put(cell, str(name))
            cell.font = bold
        for row, values in enumerate(frame.itertuples(index=False, name=None), start=2):
            for col, value in enumerate(values, start=1):
                _put(sheet.cell(row=row, column=col), value)
    book.save(target)


def xlsx_bytes(sheets: Sequence[tuple[str, pd.DataFrame]]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    return buffer.getvalue()


def _put(cell: Any, value: object) -> None:
    import pandas as pd

    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return  # None, NaN, NaT, pd.NA: an empty cell
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # a numpy scalar from pandas
    if isinstance(value, bool | int | float | datetime | date):
        cell.value = value
        return
    text = cell_text(str(value))
    cell.value = text
    cell.data_type = "s"  # openpyxl made "=..." a formula: text it is
    if looks_like_formula(text):
        cell.quotePrefix = True
