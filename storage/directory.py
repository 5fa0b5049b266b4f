"""The union directory: import (CSV / XLSX), export, and the view the ingest rules need.

An import is all or nothing: a file with any bad row is refused whole, every bad row listed
with its row number (as a spreadsheet shows it: the header is row 1) and its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from config.calendar import BLOCS
from storage import audit
from storage.models import Union, UnionAddress
from storage.spreadsheet import write_xlsx

if TYPE_CHECKING:  # pandas costs ~50 MB and 0.4 s: loaded only when a file is read or written
    import pandas as pd

REQUIRED_COLUMNS = ("code", "name", "bloc", "emails", "active")
OPTIONAL_COLUMNS = ("aliases", "active_from")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_TRUE = {"1", "true", "yes", "y", "x", "co", "có", "active", ""}
_FALSE = {"0", "false", "no", "n", "khong", "không", "inactive"}


class DirectoryError(ValueError):
    """The file was refused; ``problems`` lists (row, reason) for every bad row."""

    def __init__(self, message: str, problems: Sequence[tuple[int, str]] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)

    def __str__(self) -> str:
        lines = [super().__str__()]
        lines += [f"  row {row}: {reason}" for row, reason in self.problems]
        return "\n".join(lines)


@dataclass
class UnionRow:
    """One valid row of an import file."""

    row: int
    code: str
    name: str
    bloc: str
    emails: list[str]
    active: bool
    aliases: list[str] = field(default_factory=list)
    active_from: date | None = None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or XLSX file as text cells (nothing guessed into numbers or dates)."""
    import pandas as pd

    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        elif suffix in (".csv", ".txt"):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        else:
            raise DirectoryError(f"{path}: unsupported file type {suffix!r}; use .csv or .xlsx")
    except FileNotFoundError:
        raise DirectoryError(f"{path}: no such file") from None
    except (ValueError, OSError) as exc:
        raise DirectoryError(f"{path}: cannot read it ({exc})") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame


def _split(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,\n]", cell) if part.strip()]


def _parse_date(cell: str) -> date:
    cell = cell.strip().split(" ")[0]
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(cell, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"active_from {cell!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def _parse_row(index: int, record: dict[str, str]) -> tuple[UnionRow | None, list[str]]:
    errors: list[str] = []
    code = record.get("code", "").strip()
    name = " ".join(record.get("name", "").split())
    bloc = record.get("bloc", "").strip().lower()
    if not code:
        errors.append("empty code")
    if not name:
        errors.append("empty name")
    if bloc not in BLOCS:
        errors.append(f"unknown bloc {bloc!r} (allowed: {', '.join(BLOCS)})")
    emails = [e.lower() for e in _split(record.get("emails", ""))]
    errors += [f"malformed address {e!r}" for e in emails if not _EMAIL.match(e)]
    active_cell = record.get("active", "").strip().lower()
    if active_cell not in _TRUE | _FALSE:
        errors.append(f"active {active_cell!r} is not yes/no (1/0, true/false)")
    active_from = None
    if record.get("active_from", "").strip():
        try:
            active_from = _parse_date(record["active_from"])
        except ValueError as exc:
            errors.append(str(exc))
    if errors:
        return None, errors
    return UnionRow(row=index, code=code, name=name, bloc=bloc, emails=emails,
                    active=active_cell not in _FALSE, active_from=active_from,
                    aliases=_split(record.get("aliases", ""))), []


def parse_rows(frame: pd.DataFrame) -> list[UnionRow]:
    """Validate every row; raise :class:`DirectoryError` listing all the bad ones."""
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise DirectoryError(f"missing column(s): {', '.join(missing)} "
                             f"(expected {','.join(REQUIRED_COLUMNS)}[,aliases,active_from])")
    problems: list[tuple[int, str]] = []
    rows: list[UnionRow] = []
    for i, record in enumerate(frame.to_dict("records")):
        parsed, errors = _parse_row(i + 2, {k: str(v) for k, v in record.items()})
        problems += [(i + 2, e) for e in errors]
        if parsed:
            rows.append(parsed)
    problems += _duplicates(rows)
    if problems:
        raise DirectoryError(f"refused: {len({r for r, _ in problems})} bad row(s), "
                             "nothing imported", sorted(problems))
    return rows


def _duplicates(rows: Iterable[UnionRow]) -> list[tuple[int, str]]:
    problems: list[tuple[int, str]] = []
    codes: dict[str, int] = {}
    owners: dict[str, tuple[int, str]] = {}
    for r in rows:
        if r.code in codes:
            problems.append((r.row, f"duplicate code {r.code!r} (first on row {codes[r.code]})"))
        codes.setdefault(r.code, r.row)
        for e in r.emails:
            first = owners.get(e)
            if first and first[1] != r.code:
                problems.append((r.row, f"address {e} is also claimed by {first[1]} "
                                        f"(row {first[0]})"))
            owners.setdefault(e, (r.row, r.code))
    return problems


def _conflicts_with_store(session: Session, rows: Sequence[UnionRow]) -> list[tuple[int, str]]:
    """Addresses the file gives to one union that the store keeps for another."""
    in_file = {r.code for r in rows}
    wanted = {e: r for r in rows for e in r.emails}
    if not wanted:
        return []
    held = session.execute(
        select(UnionAddress.address, UnionAddress.source, Union.code)
        .join(Union).where(UnionAddress.address.in_(list(wanted)))
    ).all()
    problems = []
    for address, source, owner in held:
        row = wanted[address]
        if owner != row.code and (owner not in in_file or source == "learned"):
            problems.append((row.row, f"address {address} belongs to union {owner} "
                                      "in the directory"))
    return problems


def import_unions(session: Session, path: Path) -> ImportResult:
    """Upsert the unions of ``path`` by code, all or nothing."""
    rows = parse_rows(read_table(path))
    problems = _conflicts_with_store(session, rows)
    if problems:
        raise DirectoryError(f"refused: {len(problems)} bad row(s), nothing imported", problems)
    existing = {u.code: u for u in session.scalars(
        select(Union).options(selectinload(Union.addresses)))}
    result = ImportResult()
    # Free the directory addresses of updated unions first, so an address may move
    # between two unions of the same file.
    for r in rows:
        union = existing.get(r.code)
        if union is not None:
            union.addresses = [a for a in union.addresses
                               if a.source == "learned" or a.address in r.emails]
    session.flush()
    for r in rows:
        union = existing.get(r.code)
        if union is None:
            union = Union(code=r.code, name=r.name, bloc=r.bloc, active=r.active,
                          active_from=r.active_from, aliases=r.aliases, addresses=[])
            session.add(union)
            result.created += 1
            changed = True
        else:
            values = {"name": r.name, "bloc": r.bloc, "active": r.active,
                      "active_from": r.active_from, "aliases": r.aliases}
            changed = any(getattr(union, k) != v for k, v in values.items())
            for k, v in values.items():
                setattr(union, k, v)
        have = {a.address for a in union.addresses}
        for e in r.emails:
            if e not in have:
                union.addresses.append(UnionAddress(address=e, source="directory"))
                changed = True
        if union.id is not None:
            if changed:
                result.updated += 1
            else:
                result.unchanged += 1
    session.flush()
    audit.record(session, "unions.import", str(path), created=result.created,
                 updated=result.updated, unchanged=result.unchanged)
    return result


def list_unions(session: Session, bloc: str | None = None) -> list[Union]:
    query = select(Union).options(selectinload(Union.addresses)).order_by(Union.bloc, Union.code)
    if bloc:
        query = query.where(Union.bloc == bloc)
    return list(session.scalars(query))


def unions_frame(unions: Sequence[Union]) -> pd.DataFrame:
    """The directory in the import format, so an export can be edited and re-imported."""
    import pandas as pd

    return pd.DataFrame(
        [{"code": u.code, "name": u.name, "bloc": u.bloc,
          "emails": ";".join(a.address for a in u.addresses),
          "active": "1" if u.active else "0",
          "aliases": ";".join(u.aliases or []),
          "active_from": u.active_from.isoformat() if u.active_from else ""}
         for u in unions],
        columns=[*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS],
    )


def export_unions(session: Session, path: Path) -> int:
    frame = unions_frame(list_unions(session))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        write_xlsx(path, [("unions", frame)])  # names and codes as text, never formulas
    else:
        frame.to_csv(path, index=False)
    return len(frame)


def learn_alias(session: Session, union: Union, alias: str) -> bool:
    """Teach the directory a name ``union`` uses for itself (from a triage decision)."""
    alias = " ".join(alias.split())
    if not alias or alias in (union.aliases or []):
        return False
    union.aliases = [*(union.aliases or []), alias]  # a new list: JSON columns track assignment
    session.flush()
    return True


def learn_address(session: Session, union: Union, address: str) -> bool:
    """Teach the directory that ``address`` mails for ``union`` (from a triage decision)."""
    address = address.strip().lower()
    if not address or not _EMAIL.match(address):
        return False
    existing = session.scalar(select(UnionAddress).where(UnionAddress.address == address))
    if existing is not None:
        return False
    union.addresses.append(UnionAddress(address=address, source="learned"))
    session.flush()
    return True
