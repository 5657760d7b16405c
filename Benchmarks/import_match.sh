#!/usr/bin/env bash
# Import with matching (no `story` in the manifest) against import with stories, in pairs on the
# same machine: which runs first alternates, and each run starts on a fresh corpus with every text
# read once just before (the page cache may have let some go: the run meeting them cold paid for
# the disk), after `sync` and a pause (a run right after another pays for its writeback). Prints
# wall and CPU ratios.
# Usage: bash Benchmarks/import_match.sh [THOUSANDS_OF_STORIES...] — default: 3 (3,000 stories, 10^4 editions)
#        ROUNDS=4 bash Benchmarks/import_match.sh 3 30      (30: 10^5 editions)
# Needs ../shared/bench/gen_corpus.py. Writes data under bench-data/match/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
GEN=${STEMMA_SHARED:-$ROOT/../shared}/bench/gen_corpus.py
DATA=${BENCH_DATA:-$ROOT/bench-data}/match
ROUNDS=${ROUNDS:-3}
[ -f "$GEN" ] || { echo "needs $GEN (the shared workload generator)" >&2; exit 1; }
swift build -c release --static-swift-stdlib --scratch-path "$ROOT/.build-static" --product stemma >/dev/null
STEMMA=$ROOT/.build-static/release/stemma
mkdir -p "$DATA"
for thousands in "${@:-3}"; do
  set_dir=$DATA/g$thousands
  if [ ! -f "$set_dir/nostory.jsonl" ]; then
    python3 "$GEN" --out "$set_dir" --stories $((thousands * 1000)) --editions 2-5 >/dev/null
    python3 -c 'import json,sys
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as o:
    for line in f:
        d = json.loads(line); d.pop("story", None); o.write(json.dumps(d) + "\n")' "$set_dir/manifest.jsonl" "$set_dir/nostory.jsonl"
  fi
  echo "# $(wc -l < "$set_dir/manifest.jsonl") editions, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
  for r in $(seq 1 "$ROUNDS"); do
    order="stories matching"; [ $((r % 2)) = 0 ] && order="matching stories"
    for kind in $order; do
      corpus=$DATA/corpus-$kind
      rm -rf "$corpus"; "$STEMMA" init "$corpus" >/dev/null
      find "$set_dir/texts" -type f -print0 | xargs -0 cat >/dev/null; sync; sleep 3
      manifest=$set_dir/manifest.jsonl; [ $kind = matching ] && manifest=$set_dir/nostory.jsonl
      /usr/bin/time -f "%e %U %S" -o "$DATA/time-$kind" "$STEMMA" -C "$corpus" import "$manifest" --quiet >/dev/null 2>&1
    done
    read -r ws us ss < "$DATA/time-stories"; read -r wm um sm < "$DATA/time-matching"
    python3 -c 'import sys
ws, us, ss, wm, um, sm = map(float, sys.argv[2:])
print(f"round {sys.argv[1]}: with stories {ws:.2f} s ({us + ss:.1f} s CPU), matching {wm:.2f} s ({um + sm:.1f} s CPU): "
      f"{ws / wm * 100:.0f} % of the wall rate, {(us + ss) / (um + sm) * 100:.0f} % of the CPU rate")' "$r" $ws $us $ss $wm $um $sm
  done
done
