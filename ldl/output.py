"""Print records as a table for people, or CSV / JSON for scripts."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

FORMATS = ("table", "csv", "json")


def _cell(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def render(records: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str) -> str:
    rows = [[_cell(r.get(c)) for c in columns] for r in records]
    if fmt == "json":
        return json.dumps([dict(zip(columns, row, strict=True)) for row in rows],
                          ensure_ascii=False, indent=2, default=str)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return buf.getvalue().rstrip("\n")
    return table(rows, columns)


def table(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> str:
    text = [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in text)]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
            for r in text]
    return "\n".join([line.rstrip(), sep, *body])


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"
