#!/usr/bin/env python3
"""match_eval.py - precision/recall of story assignment (stdlib only).

  match_eval.py assign MANIFEST FIND_JSON     an import without stories (FIND_JSON: stemma find --json --limit 0)
                                              against the manifest's true stories
  match_eval.py propose QUERIES BENCH CORPUS  each query through 'stemma-bench propose' (the decision commit makes
                                              without --story, nothing written)
  match_eval.py queries QUERIES STEMMA CORPUS  each query through 'stemma match --json': attached when the best
                                              match aligns >= 0.5 of its sentences and has >= 0.35 of its shingles; reports process times

assign: an edition whose true story has an earlier edition should join that edition's story
(a true positive when it does); the first edition of a story should start a new one (a false
positive when it joins another story's). precision = tp / (tp + fp), recall = tp / should-attach.
"""
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time

ATTACH = 0.5
CONTAINED = 0.35  # MatchPolicy: what commit and import without a story require


def assign(manifest, found):
    base = os.path.dirname(manifest)
    truth = []
    for line in open(manifest):
        o = json.loads(line)
        data = open(os.path.join(base, o["path"]), "rb").read()
        truth.append((hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest(), o["story"]))
    assigned = {}
    for e in json.load(open(found)):
        assigned.setdefault(e["edition"], e["story"])
    first_of = {}
    cluster_of = {}  # assigned story -> true story of the edition that started it
    tp = fp = should = 0
    confusions = []
    for eid, story in truth:
        a = assigned.get(eid)
        if story not in first_of:
            first_of[story] = eid
            if a in cluster_of and cluster_of[a] != story:
                fp += 1
                confusions.append(("joined-another", eid[:12], story, cluster_of[a]))
            cluster_of.setdefault(a, story)
            continue
        should += 1
        if a == assigned.get(first_of[story]):
            tp += 1
        elif a in cluster_of:
            fp += 1
            confusions.append(("wrong-story", eid[:12], story, cluster_of[a]))
        else:
            confusions.append(("missed", eid[:12], story, a))
    print(json.dumps({"editions": len(truth), "stories": len(first_of), "should_attach": should, "tp": tp, "fp": fp,
                      "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
                      "recall": round(tp / should, 4) if should else 1.0}))
    for c in confusions[:50]:
        print(*c)


class Tally:
    """Per kind of query: how many, attached to their true story (tp), to another (fp), how many
    should attach, and the misses; printed the same way for every scorer."""

    def __init__(self):
        self.by_kind = {}

    def add(self, q, attached, *detail):
        k = self.by_kind.setdefault(q["kind"], {"n": 0, "tp": 0, "fp": 0, "should": 0, "confusions": []})
        k["n"] += 1
        k["should"] += q["expect"] is not None
        if attached is not None and attached == q["expect"]:
            k["tp"] += 1
        elif attached is not None:
            k["fp"] += 1
        if attached != q["expect"]:
            k["confusions"].append((os.path.basename(q["path"]), q["expect"], attached) + detail)

    def report(self, **extra):
        tp = sum(k["tp"] for k in self.by_kind.values()); fp = sum(k["fp"] for k in self.by_kind.values())
        should = sum(k["should"] for k in self.by_kind.values())
        for name, k in self.by_kind.items():
            print(f"{name:20s} n={k['n']:3d} tp={k['tp']:3d} fp={k['fp']:3d} should={k['should']:3d}")
            for c in k["confusions"]:
                print("   ", *c)
        print(json.dumps({"queries": sum(k["n"] for k in self.by_kind.values()),
                          "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
                          "recall": round(tp / should, 4) if should else 1.0, **extra}))


def queries(path, stemma, corpus):
    tally = Tally()
    times = []
    for line in open(path):
        q = json.loads(line)
        t0 = time.perf_counter()
        out = subprocess.run([stemma, "match", q["path"], "--json", "-n", "3", "--corpus", corpus], capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
        found = json.loads(out.stdout)
        best = found[0] if found else None
        attached = best["story"] if best and best["aligned"] >= ATTACH and best["contained"] >= CONTAINED else None
        tally.add(q, attached, best and best["aligned"], best and best["score"])
    tally.report(match_ms_median=round(statistics.median(times) * 1000, 1),
                 match_ms_p90=round(sorted(times)[int(len(times) * 0.9)] * 1000, 1))


def propose(path, bench, corpus):
    qs = [json.loads(line) for line in open(path)]
    out = subprocess.run([bench, "propose", corpus] + [q["path"] for q in qs], capture_output=True, check=True, text=True).stdout
    decided = {}
    for line in out.splitlines():
        f = line.split("\t")
        decided[f[0]] = f[2] if f[1] == "matched" else None
    tally = Tally()
    for q in qs:
        tally.add(q, decided.get(q["path"]))
    tally.report()


if __name__ == "__main__":
    {"assign": assign, "queries": queries, "propose": propose}[sys.argv[1]](*sys.argv[2:])
