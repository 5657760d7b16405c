#!/usr/bin/env python3
"""synthetic_manifest.py N > manifest.jsonl — N short editions (~350 bytes) for scale runs.

Story k has one VNA edition and two VNS editions derived from it (derived_from "STORY:VNA"),
so N editions make N/3 stories. Used for the 10^6 line of docs/PERFORMANCE.md, where the
shared generator would take over an hour:
  python3 Benchmarks/synthetic_manifest.py 1000000 > bench-data/synthetic1m.jsonl
  stemma init bench-data/st1m && stemma import bench-data/synthetic1m.jsonl --corpus bench-data/st1m --keep-going
"""
import json
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
random.seed(1)
words = ("the ministry said on monday that exports of rice coffee and seafood rose in the first "
         "quarter while imports of machinery fell").split()
out = sys.stdout
for i in range(n):
    story = "s%06d" % (i // 3)
    line = {"text": f"Story {story} edition {i}. " + " ".join(random.choice(words) for _ in range(40)).capitalize() + ".\n",
            "story": story, "source": "VNA" if i % 3 == 0 else "VNS",
            "date": "2020-%02d-%02d" % (1 + (i // 3) % 12, 1 + (i // 3) % 28)}
    if i % 3:
        line["derived_from"] = f"{story}:VNA"
    out.write(json.dumps(line) + "\n")
