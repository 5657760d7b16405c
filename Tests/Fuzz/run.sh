#!/usr/bin/env bash
# Builds the fuzz targets under libFuzzer (with AddressSanitizer) and runs each for a bounded time.
# Usage: bash Tests/Fuzz/run.sh [SECONDS_PER_TARGET] [TARGET…]   (default 300 s; targets: collation manifest)
# Findings land in bench-data/fuzz/<target>/ (crash-*, with the input); replay one with the normally
# built target: .build/debug/stemma-fuzz-<target> FILE.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-300}; shift || true
TARGETS=${*:-collation manifest}
OUT=bench-data/fuzz
mkdir -p "$OUT"
for target in $TARGETS; do
  # lld: gold fails on the duplicate entry point with an internal error.
  swift build -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld \
    --product "stemma-fuzz-$target" > "$OUT/build-$target.log" 2>&1 || { echo "fuzz build failed: see $OUT/build-$target.log" >&2; exit 1; }
  mkdir -p "$OUT/$target/corpus"
  # What fuzzing found before (fixed since) seeds the corpus, so it is tried again first.
  cp Tests/Fuzz/findings/"$target"-* "$OUT/$target/corpus/" 2>/dev/null || true
  # Seeds: the sample pair (A 0xFF B) when ../shared is there, and a few small texts.
  if [ -d ../shared/samples ] && [ "$target" = collation ]; then
    { cat ../shared/samples/vna-*.txt; printf '\377'; cat ../shared/samples/vns-*.txt; } > "$OUT/$target/corpus/sample-pair"
  fi
  printf 'Hanoi (VNA) \342\200\223 Vietnam and Laos agreed.\377HA N\341\273\230I \342\200\224 Vi\341\273\207t Nam and Laos agreed. \342\200\224 VNS' > "$OUT/$target/corpus/seed-1"
  printf '{"text": "date 2024-05-02 Hanoi (VNA) \\u2013 Talks.", "story": "s", "source": "VNA"}\n{"path": "a.txt"}\n' > "$OUT/$target/corpus/seed-2"
  echo "== stemma-fuzz-$target, $SECONDS_EACH s"
  (cd "$OUT/$target" && "$OLDPWD/.build-fuzz/release/stemma-fuzz-$target" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
     -max_len=65536 corpus 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)|ERROR|SUMMARY|Test unit written" || true)
  ls "$OUT/$target"/crash-* 2>/dev/null && { echo "findings in $OUT/$target"; exit 1; } || echo "no findings"
done
