#!/usr/bin/env bash
# Provenance benchmarks (docs/PERFORMANCE.md, "Provenance"): blame vs its Collator calls, the summary
# cache's fill rate, and `stemma log STORY --graph` with summaries as a whole process, at each size.
# Usage: bash Benchmarks/provenance.sh [--sizes "10000 100000"]   (needs ../shared/bench; data in bench-data/)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH=${STEMMA_SHARED:-$ROOT/../shared}/bench
DATA=${BENCH_DATA:-$ROOT/bench-data}
SIZES="10000"
[ "${1:-}" = "--sizes" ] && SIZES=$2
mkdir -p "$DATA"
swift build -c release --static-swift-stdlib --scratch-path "$ROOT/.build-static" >/dev/null
STEMMA=$ROOT/.build-static/release/stemma
BENCHBIN=$ROOT/.build-static/release/stemma-bench
echo "# machine: $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
for n in $SIZES; do
  gen=$DATA/prov$n corpus=$DATA/prov$n-corpus
  [ -d "$gen" ] || python3 "$BENCH/gen_corpus.py" --out "$gen" --stories $((n / 5)) --editions 5 >/dev/null
  [ -f "$gen/chains.jsonl" ] || python3 Benchmarks/provenance_manifest.py "$gen" > "$gen/chains.jsonl"
  [ -d "$corpus" ] || { "$STEMMA" init "$corpus" >/dev/null; "$STEMMA" import "$gen/chains.jsonl" --corpus "$corpus" --quiet; }
  echo "## $n editions"
  [ "$n" = "${SIZES%% *}" ] && "$BENCHBIN" blame "$gen" 200
  "$BENCHBIN" blame-corpus "$corpus" $(for s in 17 123 456 789 1011; do printf 'vn%07d:VNS ' $s; done)
  "$BENCHBIN" summaries "$corpus"
  # Whole process, cached: median of 15 runs per story over 5 stories.
  python3 - "$STEMMA" "$corpus" <<'PY'
import statistics, subprocess, sys, time
stemma, corpus = sys.argv[1], sys.argv[2]
times = []
for s in (17, 123, 456, 789, 1011):
    for _ in range(15):
        t = time.perf_counter()
        subprocess.run([stemma, "log", "vn%07d" % s, "--graph", "--corpus", corpus], stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
print("log --graph (whole process, cached summaries): median %.1f ms over %d runs" % (statistics.median(times) * 1000, len(times)))
PY
done
