#!/usr/bin/env bash
# Moves and changed bytes (issue: moves only where order cannot be kept).
#  1. Moved sentences reported by the engine against a lower bound computed without it
#     (MoveBound in Tests/TestSupport), over generated real-shaped page pairs.
#  2. Total changed bytes (both sides, white-space-only changes left out) against
#     `git diff --no-index --word-diff=porcelain` on the same pairs: the generated set and
#     1,000 pairs of ../shared/bench (when present).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product stemma-bench >/dev/null
BENCH=.build/release/stemma-bench
WORK=${WORK:-$(mktemp -d)}
$BENCH moves "$WORK/pages" 40

git_changed_bytes() { # PAIRS.tsv: bytes on git's -/+ lines that are not white space alone
  local total=0
  while IFS=$'\t' read -r a b; do
    n=$(git diff --no-index --word-diff=porcelain "$a" "$b" | awk '/^(---|\+\+\+) /{next} /^[-+]/{t=substr($0,2); if (t ~ /[^ \t]/) n+=length(t)} END{print n+0}' LC_ALL=C)
    total=$((total + n))
  done < "$1"
  echo "$total"
}
echo "generated pages: $($BENCH changed-bytes "$WORK/pages/pairs.tsv"); git word-diff: $(git_changed_bytes "$WORK/pages/pairs.tsv")"
if [ -d ../shared/bench ]; then
  python3 ../shared/bench/gen_corpus.py --out "$WORK/bench" --stories 1000 --editions 2-2 >/dev/null
  python3 ../shared/bench/make_pairs.py "$WORK/bench" 1000 > "$WORK/bench-pairs.tsv"
  echo "shared/bench pairs: $($BENCH changed-bytes "$WORK/bench-pairs.tsv"); git word-diff: $(git_changed_bytes "$WORK/bench-pairs.tsv")"
fi
