#!/usr/bin/env python3
"""provenance_manifest.py DIR > chains.jsonl — an import manifest of ../shared/bench/gen_corpus.py's
corpus DIR in which each story's editions form a derivation chain (edition n derives from n-1,
named by its full edition id, the git blob id of its bytes), for the provenance benchmarks:
  python3 ../shared/bench/gen_corpus.py --out bench-data/prov --stories 2000 --editions 5
  python3 Benchmarks/provenance_manifest.py bench-data/prov > bench-data/prov/chains.jsonl
  stemma init bench-data/prov-corpus && stemma import bench-data/prov/chains.jsonl --corpus bench-data/prov-corpus
"""
import hashlib
import json
import os
import sys

base = os.path.abspath(sys.argv[1])
rows = [json.loads(line) for line in open(os.path.join(base, "manifest.jsonl"))]
rows.sort(key=lambda r: (r["edition"], r["story"]))  # every parent before its children
last = {}
for r in rows:
    path = os.path.join(base, r["path"])
    data = open(path, "rb").read()
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    item = {"story": r["story"], "source": r["source"], "date": r["date"], "path": path}
    if r["story"] in last:
        item["derived_from"] = last[r["story"]]
    last[r["story"]] = blob
    print(json.dumps(item))
