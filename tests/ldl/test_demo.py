"""`ldl demo`: the README's first command, run as a newcomer runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_demo_runs_in_its_folder_and_shows_the_product(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LDL_")}
    folder = tmp_path / "demo"
    proc = subprocess.run([sys.executable, "-m", "ldl", "demo", str(folder)], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "ingest: fetched 62, new 62" in out and "errors 0" in out
    assert "reminders:" in out and "(after-1)" in out
    assert "weekly digest 2021-W11" in out
    assert "report-2021-q1" in out and "missing" in out and "on_time" in out
    html = Path(out.split("open in a browser: ")[1].split()[0])
    xlsx = Path(out.split("spreadsheet:")[1].split()[0])
    assert html.is_file() and xlsx.is_file()
    made = {p.name for p in tmp_path.iterdir()}
    assert made == {"demo"}  # everything it makes stays in its folder
    assert {p.name for p in folder.iterdir()} == {"unions.csv", "inbox", "ldl-data"}
    emls = list((folder / "ldl-data" / "outbox").glob("*.eml"))
    assert any("remind_" in p.name for p in emls) and any("digest_" in p.name for p in emls)
    again = subprocess.run([sys.executable, "-m", "ldl", "demo", str(folder)], env=env,
                           cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "new 0, duplicates 62" in again.stdout
    assert "sent 0" in again.stdout  # nothing goes out twice
