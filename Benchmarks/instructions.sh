#!/usr/bin/env bash
# Instructions per warm collation of one pair, counted by callgrind: unlike times on a shared
# machine these repeat exactly, so they show whether a change to the engine made it cheaper.
# Usage: bash Benchmarks/instructions.sh [PAIRS.tsv] [N]   (default: the first 300 benchmark pairs)
# The difference between 2 rounds and 1 round over the same pairs is the warm cost: the first
# round also fills the lexicon and pays for starting the process.
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS=${1:-bench-data/pairs.tsv}
N=${2:-300}
command -v valgrind >/dev/null || { echo "instructions.sh needs valgrind (apt-get install valgrind)" >&2; exit 1; }
[ -f "$PAIRS" ] || { echo "no pair list at $PAIRS: run 'make bench' once to generate it" >&2; exit 1; }
swift build -c release --static-swift-stdlib --scratch-path .build-static >/dev/null
BIN=.build-static/release/stemma-bench
SUBSET=$(mktemp); trap 'rm -f "$SUBSET" "$SUBSET".cg' EXIT
head -n "$N" "$PAIRS" > "$SUBSET"
count() { valgrind --tool=callgrind --callgrind-out-file="$SUBSET.cg" "$BIN" batch "$SUBSET" 1 "$1" 2>&1 | sed -n 's/.*refs: *//p' | tr -d ,; }
one=$(count 1); two=$(count 2)
pairs=$(wc -l < "$SUBSET")
echo "stemma collation: $(( (two - one) / pairs )) instructions per warm pair ($pairs pairs from $PAIRS)"
