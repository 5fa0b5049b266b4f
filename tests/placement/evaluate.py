"""Placement figures on an evaluation corpus: how often the machine credits the right union
and obligation on mail it was not written from.

A corpus is a folder with ``maildir/``, ``unions.csv`` and ``expected.csv`` (one row per
message: ``file,message_id,union_code,obligation,on_time,counts,tags,note``; ``counts=1``
must be credited to that union and obligation, ``counts=0`` never credited).  The corpus is
run through the real command line (``ldl init``, ``ldl unions import``, ``ldl ingest
--from``) into a fresh SQLite store, as a new user would, and the store is read back.

    python -m tests.placement.evaluate tests/placement/blind/set-a [more corpora] [--json F]

prints, per corpus and in total: placed right, left to triage, false credits by kind (wrong
union, wrong obligation, noise credited, two credits for one report), on-time errors, the
figures per obligation and per tag, and the calibration of the credit confidence (share
right per confidence band).  Exit status 1 when a floor given with ``--min-right``,
``--max-triage`` or ``--max-false`` is not met.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CONFIDENCE_BANDS: tuple[float, ...] = (0.0, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)


@dataclass(frozen=True)
class Expected:
    """One row of ``expected.csv``."""

    file: str
    message_id: str
    union_code: str
    obligation: str
    on_time: str
    counts: bool
    tags: tuple[str, ...]
    note: str

    @property
    def later_version(self) -> bool:
        """A resend or duplicate: its timeliness is its first version's, not its own."""
        return any(t.startswith(("resend", "duplicate")) and not t.endswith("-first")
                   for t in self.tags)


@dataclass(frozen=True)
class Credit:
    union_code: str
    obligation: str
    on_time: bool
    confidence: float


@dataclass
class Outcome:
    """What the store says of one message."""

    status: str = "missing"  # credited | triaged | ignored | quarantined | new | missing
    reason: str = ""
    credits: list[Credit] = field(default_factory=list)


def norm_id(value: str) -> str:
    return (value or "").strip().strip("<>").strip()


def read_expected(path: Path) -> list[Expected]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Expected(r["file"], norm_id(r["message_id"]), (r.get("union_code") or "").strip(),
                     (r.get("obligation") or "").strip(), (r.get("on_time") or "").strip(),
                     (r.get("counts") or "").strip() == "1",
                     tuple(t for t in (r.get("tags") or "").split(";") if t),
                     r.get("note") or "")
            for r in csv.DictReader(fh)
        ]


def run_corpus(corpus: Path, workdir: Path, ldl: str) -> Path:
    """Ingest ``corpus`` with the real command line into a fresh SQLite store; its path."""
    db = workdir / "ldl.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LDL_")}
    env.update(LDL_DATA_DIR=str(workdir / "data"), LDL_DATABASE_URL=f"sqlite:///{db}",
               LDL_RECEIPTS__ENABLED="false", LDL_CONFIG="")
    (workdir / "data").mkdir(parents=True, exist_ok=True)
    for args in (["init"], ["unions", "import", str(corpus / "unions.csv")],
                 ["ingest", "--from", str(corpus / "maildir")]):
        done = subprocess.run([ldl, *args], env=env, cwd=workdir, capture_output=True,
                              text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"ldl {' '.join(args)} failed ({done.returncode}): "
                               f"{done.stderr.strip() or done.stdout.strip()}")
    return db


def read_outcomes(db: Path) -> dict[str, Outcome]:
    """Every stored message's fate and credits, by Message-ID."""
    out: dict[str, Outcome] = {}
    with sqlite3.connect(db) as conn:
        for mid, status, reason in conn.execute(
                "SELECT message_id, status, status_reason FROM messages"):
            out.setdefault(norm_id(mid), Outcome(status, reason or ""))
        for mid, reason in conn.execute(
                "SELECT m.message_id, t.reason FROM triage_items t "
                "JOIN messages m ON m.id = t.message_id"):
            out[norm_id(mid)].reason = reason or out[norm_id(mid)].reason
        rows = conn.execute(
            "SELECT m.message_id, u.code, s.obligation_key, "
            "CASE WHEN m.received_at < o.due_at THEN 1 ELSE 0 END, s.confidence "
            "FROM submissions s JOIN messages m ON m.id = s.message_id "
            "JOIN unions u ON u.id = s.union_id JOIN obligations o ON o.key = s.obligation_key "
            "WHERE s.counted")
        for mid, code, key, on_time, confidence in rows:
            out.setdefault(norm_id(mid), Outcome("credited")).credits.append(
                Credit(code, key, bool(on_time), float(confidence or 0.0)))
    return out


@dataclass
class Figures:
    """The comparison of a corpus's truth with the store."""

    name: str
    reports: int = 0
    right: int = 0
    triaged: int = 0
    missing: int = 0
    on_time_wrong: int = 0
    noise: int = 0
    false_kinds: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)  # one line per report not placed right
    by_obligation: dict[str, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter))
    by_tag: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    calibration: dict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    @property
    def false_credits(self) -> int:
        return sum(self.false_kinds.values())

    @property
    def right_share(self) -> float:
        return self.right / self.reports if self.reports else 1.0

    @property
    def triage_share(self) -> float:
        return self.triaged / self.reports if self.reports else 0.0

    def add(self, other: Figures) -> None:
        for name in ("reports", "right", "triaged", "missing", "on_time_wrong", "noise"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.false_kinds.update(other.false_kinds)
        self.failures += [f"{other.name}/{f}" for f in other.failures]
        for mine, theirs in ((self.by_obligation, other.by_obligation),
                             (self.by_tag, other.by_tag), (self.calibration, other.calibration)):
            for key, counter in theirs.items():
                mine[key].update(counter)  # type: ignore[index]

    def as_dict(self) -> dict[str, object]:
        return {
            "corpus": self.name, "reports": self.reports, "right": self.right,
            "right_share": round(self.right_share, 4), "triaged": self.triaged,
            "triage_share": round(self.triage_share, 4), "missing": self.missing,
            "false_credits": self.false_credits, "false_by_kind": dict(self.false_kinds),
            "on_time_wrong": self.on_time_wrong, "noise": self.noise,
            "by_obligation": {k: dict(v) for k, v in sorted(self.by_obligation.items())},
            "by_tag": {k: dict(v) for k, v in sorted(self.by_tag.items())},
            "calibration": {_band_label(b): dict(v) for b, v in sorted(self.calibration.items())},
        }


def _band(confidence: float) -> int:
    for i in range(len(CONFIDENCE_BANDS) - 1):
        if confidence < CONFIDENCE_BANDS[i + 1]:
            return i
    return len(CONFIDENCE_BANDS) - 2


def _band_label(band: int) -> str:
    low, high = CONFIDENCE_BANDS[band], min(CONFIDENCE_BANDS[band + 1], 1.0)
    return f"{low:.2f}-{high:.2f}"


def score(name: str, expected: Sequence[Expected], outcomes: dict[str, Outcome]) -> Figures:
    fig = Figures(name)
    for exp in expected:
        got = outcomes.get(exp.message_id, Outcome())
        if len(got.credits) > 1:
            fig.false_kinds["two credits for one message"] += len(got.credits) - 1
        if not exp.counts:
            fig.noise += 1
            if got.credits:
                fig.false_kinds["noise credited"] += 1
                fig.failures.append(f"{exp.file} noise credited to "
                                    f"{got.credits[0].union_code}/{got.credits[0].obligation} "
                                    f"[{';'.join(exp.tags)}]")
            continue
        fig.reports += 1
        verdict = _judge(exp, got, fig)
        fig.by_obligation[exp.obligation][verdict] += 1
        for tag in exp.tags:
            fig.by_tag[tag][verdict] += 1
        if verdict != "right":
            credit = got.credits[0] if got.credits else None
            what = (f"got {credit.union_code}/{credit.obligation}" if credit
                    else f"{got.status}: {got.reason}")
            fig.failures.append(f"{exp.file} want {exp.union_code}/{exp.obligation} {what} "
                                f"[{';'.join(exp.tags)}]")
    return fig


def _judge(exp: Expected, got: Outcome, fig: Figures) -> str:
    """right | triage | missing | wrong-union | wrong-obligation, with the counters kept."""
    if not got.credits:
        if got.status == "missing":
            fig.missing += 1
            return "missing"
        fig.triaged += 1
        return "triage"
    first = got.credits[0]
    correct = first.union_code == exp.union_code and first.obligation == exp.obligation
    fig.calibration[_band(first.confidence)]["right" if correct else "wrong"] += 1
    if first.union_code != exp.union_code:
        fig.false_kinds["wrong union"] += 1
        return "wrong-union"
    if first.obligation != exp.obligation:
        fig.false_kinds["wrong obligation"] += 1
        return "wrong-obligation"
    fig.right += 1
    if exp.on_time and not exp.later_version and first.on_time != (exp.on_time == "1"):
        fig.on_time_wrong += 1
    return "right"


def report(fig: Figures, verbose: bool = False) -> str:
    lines = [
        f"{fig.name}: placed right {fig.right}/{fig.reports} ({fig.right_share:.1%}), "
        f"to triage {fig.triaged} ({fig.triage_share:.1%}), false credits {fig.false_credits}"
        + (f" ({', '.join(f'{k} {n}' for k, n in sorted(fig.false_kinds.items()))})"
           if fig.false_credits else "")
        + f", on-time wrong {fig.on_time_wrong}, not stored {fig.missing}, noise {fig.noise}",
    ]
    if verbose:
        lines.append("  per obligation: " + "; ".join(
            f"{k} {v['right']}/{sum(v.values())}" for k, v in sorted(fig.by_obligation.items())))
        weak = sorted(((k, v) for k, v in fig.by_tag.items() if v["right"] < sum(v.values())),
                      key=lambda kv: kv[1]["right"] / sum(kv[1].values()))
        lines.append("  tags below 100%: " + ("; ".join(
            f"{k} {v['right']}/{sum(v.values())}" for k, v in weak) or "none"))
        lines.append("  calibration (confidence band: right/credited): " + "; ".join(
            f"{_band_label(b)} {v['right']}/{v['right'] + v['wrong']}"
            for b, v in sorted(fig.calibration.items())))
        lines += [f"  {f}" for f in fig.failures]
    return "\n".join(lines)


def evaluate(corpora: Iterable[Path], ldl: str, keep: bool = False) -> list[Figures]:
    results = []
    for corpus in corpora:
        workdir = Path(tempfile.mkdtemp(prefix="ldl-eval-"))
        try:
            db = run_corpus(corpus, workdir, ldl)
            results.append(score(corpus.name, read_expected(corpus / "expected.csv"),
                                 read_outcomes(db)))
        finally:
            if keep:
                print(f"store kept in {workdir}", file=sys.stderr)
            else:
                shutil.rmtree(workdir, ignore_errors=True)
    return results


def total(results: Sequence[Figures]) -> Figures:
    all_ = Figures("total")
    for fig in results:
        all_.add(fig)
    return all_


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--ldl", default=shutil.which("ldl") or "ldl")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every failure")
    parser.add_argument("--keep", action="store_true", help="keep the stores")
    parser.add_argument("--min-right", type=float, default=0.0)
    parser.add_argument("--max-triage", type=float, default=1.0)
    parser.add_argument("--max-false", type=int, default=10**9)
    args = parser.parse_args(argv)
    ldl = shutil.which(args.ldl) or args.ldl
    results = evaluate([c.resolve() for c in args.corpora], str(Path(ldl).resolve()), args.keep)
    overall = total(results)
    for fig in [*results, overall] if len(results) > 1 else results:
        print(report(fig, args.verbose))
    if args.json:
        args.json.write_text(json.dumps([f.as_dict() for f in [*results, overall]],
                                        ensure_ascii=False, indent=2), encoding="utf-8")
    ok = (overall.right_share >= args.min_right and overall.triage_share <= args.max_triage
          and overall.false_credits <= args.max_false)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
