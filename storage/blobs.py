"""Content-addressed bytes: a blob is stored once under its sha256, whoever refers to it."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import Blob, utcnow


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put_blob(session: Session, data: bytes, sha256: str | None = None) -> str:
    """Store ``data`` unless a blob with the same hash exists; returns the hash."""
    digest = sha256 or sha256_hex(data)
    exists = session.scalar(select(Blob.sha256).where(Blob.sha256 == digest))
    if exists is None:
        # another run may store the same bytes (an attachment two messages share) at the
        # same moment: the second insert does nothing instead of failing the transaction
        values = {"sha256": digest, "size": len(data), "data": data, "created_at": utcnow()}
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":
            session.execute(pg_insert(Blob).values(**values)
                            .on_conflict_do_nothing(index_elements=["sha256"]))
        elif dialect == "sqlite":
            session.execute(sqlite_insert(Blob).values(**values)
                            .on_conflict_do_nothing(index_elements=["sha256"]))
        else:
            session.add(Blob(**values))
            session.flush()
    return digest


def get_blob(session: Session, sha256: str) -> bytes:
    data = session.scalar(select(Blob.data).where(Blob.sha256 == sha256))
    if data is None:
        raise KeyError(f"no blob {sha256}")
    return bytes(data)
