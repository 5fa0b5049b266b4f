"""Public real-world and malformed messages go through the whole pipeline without a crash.

The corpus lives beside the project (../shared/corpus/realworld, or $LDL_REALWORLD_CORPUS);
where it is absent this test is skipped: it is extra coverage, not a server.
"""

from __future__ import annotations

import hashlib
import mailbox
import os
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from ingest.pipeline import Pipeline
from ingest.sources.files import open_path_source
from ingest.store import message_id_of
from ldl.app import App
from storage.models import Message

CORPUS = Path(os.environ.get("LDL_REALWORLD_CORPUS",
                             Path(__file__).resolve().parents[3] / "shared" / "corpus"
                             / "realworld"))


def corpus_files() -> list[Path]:
    skip = {"MANIFEST.tsv", "SOURCES.md", ".gitattributes"}
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name not in skip
                  and "LICENSE" not in p.name)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_realworld_corpus_is_stored_and_placed(app: App, tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"no real-world corpus at {CORPUS}")
    files = corpus_files()
    assert len(files) > 500
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    for path in files:
        box.add(path.read_bytes())
    summary = Pipeline(app.sessions, app.settings, app.calendar).ingest(
        open_path_source(tmp_path / "Maildir"))
    print(f"\nreal-world corpus: {len(files)} files: {summary.line()}")
    assert summary.fetched == len(files)
    assert summary.new + summary.duplicates == len(files)
    with app.sessions() as s:
        stored = s.scalars(select(Message)).all()
        by_sha = {m.sha256 for m in stored}
        by_id = {m.message_id for m in stored if m.message_id}
        for path in files:  # every file is stored, or is the same message as one stored
            raw = path.read_bytes()
            header = raw.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
            msgid = None
            for line in header.splitlines():
                if line.lower().startswith(b"message-id:"):
                    msgid = message_id_of(line.split(b":", 1)[1].decode("latin-1"))
                    break
            assert hashlib.sha256(raw).hexdigest() in by_sha or msgid in by_id, path
        outcomes = Counter(m.status for m in stored)
        print(f"outcomes: {dict(outcomes)}")
        assert set(outcomes) <= {"credited", "triaged", "ignored", "quarantined"}
        assert all(m.error for m in stored if m.status == "quarantined")
        assert all(m.status_reason for m in stored if m.status == "ignored")
