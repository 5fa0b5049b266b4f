# -*- coding: utf-8 -*-
"""Deterministic generator of evaluation set-b. Run: venv/bin/python gen.py"""
import csv
import os
import random
import shutil
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen_directory
from gen_mail import build, hn
import cases_common
import cases_formal
import cases_school
import cases_threads
import cases_misc
import cases_noise

OUT = os.path.dirname(os.path.abspath(__file__))
SEED = 20210222
MODULES = [cases_formal, cases_school, cases_threads, cases_misc, cases_noise]
MONTH = {"q1": 3, "h1": 6, "q3": 9, "y": 12}


def deadline(obl):
    if obl == "dvk-2021":
        return hn(2021, 2, 23, 0, 0, 0)
    _, y, p = obl.split("-")
    return hn(int(y), MONTH[p], 15, 0, 0, 0)


def main():
    cases_common.CASES.clear()
    for m in MODULES:
        m.build()
    cases = cases_common.CASES
    # deterministic per-case rng (order of registration is fixed)
    built = []
    for i, c in enumerate(cases):
        rng = random.Random("%d|%d" % (SEED, i))
        a = c["spec"]["arrival"]
        if a.second == 0 and 6 <= a.hour <= 22:  # far from midnight deadlines: add real-looking seconds
            c["spec"]["arrival"] = a.replace(second=rng.randint(1, 59))
        mid, raw = build(c["spec"], rng)
        built.append((c, mid, raw))
    # first arrival per (union, obligation) among credited messages
    first = {}
    for c, _, _ in built:
        if c["counts"] == 1:
            k = (c["union"], c["obl"])
            a = c["spec"]["arrival"]
            if k not in first or a < first[k]:
                first[k] = a
    built.sort(key=lambda t: t[0]["spec"]["arrival"])
    md = os.path.join(OUT, "maildir")
    if os.path.exists(md):
        shutil.rmtree(md)
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(md, sub))
    rows = []
    mids = set()
    for n, (c, mid, raw) in enumerate(built):
        assert mid not in mids, mid
        mids.add(mid)
        epoch = int(c["spec"]["arrival"].timestamp())
        fn = "%d.%03d.setb" % (epoch, n + 1)
        with open(os.path.join(md, "new", fn), "wb") as f:
            f.write(raw)
        if c["counts"] == 1:
            assert c["union"] and c["obl"], c
            assert gen_directory.U(c["union"]).active == "yes", c["union"]
            on_time = "1" if first[(c["union"], c["obl"])] < deadline(c["obl"]) else "0"
        else:
            on_time = ""
        if c["union"]:
            gen_directory.U(c["union"])  # must exist
        rows.append([fn, mid, c["union"], c["obl"] if c["counts"] == 1 else c["obl"], on_time,
                     str(c["counts"]), c["tags"], c["note"]])
    with open(os.path.join(OUT, "expected.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["file", "message_id", "union_code", "obligation", "on_time", "counts", "tags", "note"])
        w.writerows(rows)
    gen_directory.write_csv(os.path.join(OUT, "unions.csv"))
    write_about(rows)
    print("messages:", len(rows), "reports:", sum(r[5] == "1" for r in rows))


def write_about(rows):
    tags = Counter(t for r in rows for t in r[6].split(";") if t)
    obls = Counter(r[3] for r in rows if r[5] == "1")
    late = Counter(r[3] for r in rows if r[5] == "1" and r[4] == "0")
    n_rep = sum(r[5] == "1" for r in rows)
    size = sum(os.path.getsize(os.path.join(OUT, "maildir", "new", r[0])) for r in rows)
    L = ["# Evaluation set B", "",
         "%d messages: %d credited reports (counts=1), %d never-credit messages (counts=0). "
         "Maildir size %.1f MB. Directory: %d unions (unions.csv)." %
         (len(rows), n_rep, len(rows) - n_rep, size / 1e6, len(gen_directory.UNIONS)), ""]
    L += open(os.path.join(OUT, "ABOUT_text.md"), encoding="utf-8").read().splitlines()
    L += ["", "## Credited messages per obligation (late = on_time 0)", "",
          "| obligation | messages | late |", "|---|---|---|"]
    for k in sorted(obls):
        L.append("| %s | %d | %d |" % (k, obls[k], late[k]))
    L += ["", "## Tags", "", "| tag | messages |", "|---|---|"]
    for k, v in sorted(tags.items(), key=lambda t: (-t[1], t[0])):
        L.append("| %s | %d |" % (k, v))
    with open(os.path.join(OUT, "ABOUT.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
