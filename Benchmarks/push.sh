#!/usr/bin/env bash
# Push and clone of an imported corpus against git, in the same run (docs/PERFORMANCE.md,
# "Index rebuild, verify, push and clone"): `stemma push` over git:// vs `git push` of the same
# repository to the same `git daemon`, then `stemma clone` vs `git clone --bare` over git:// and
# from a path. Rounds are interleaved (stemma, git, git, stemma, …) so load drifts alike; every
# push goes to a fresh empty bare repository, and each one pushed by stemma is checked with
# `git fsck --strict` and `rev-list --objects` against the corpus.
# Usage: bash Benchmarks/push.sh CORPUS [ROUNDS]   (CORPUS is only read: it is copied first)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SOURCE=${1:?usage: Benchmarks/push.sh CORPUS [ROUNDS]}
ROUNDS=${2:-2}
STEMMA=$ROOT/.build/release/stemma
swift build -c release --product stemma >/dev/null
WORK=$(mktemp -d "${TMPDIR:-/tmp}/stemma-push-bench.XXXXXX")
DAEMON=
cleanup() { [ -n "$DAEMON" ] && kill "$DAEMON" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
cp -a "$SOURCE" "$WORK/corpus"
CORPUS=$WORK/corpus
mkdir -p "$WORK/served"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
git daemon --listen=127.0.0.1 --port="$PORT" --reuseaddr --export-all --enable=receive-pack \
  --base-path="$WORK/served" "$WORK/served" >/dev/null 2>&1 &
DAEMON=$!
git init -q --bare --initial-branch=main "$WORK/served/ready.git"
for _ in $(seq 50); do git ls-remote "git://127.0.0.1:$PORT/ready.git" >/dev/null 2>&1 && break; sleep 0.1; done

seconds() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }; python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$s" "$(date +%s.%N)"; }
fresh() { rm -rf "$WORK/served/$1.git"; git init -q --bare --initial-branch=main "$WORK/served/$1.git"; }
bytes() { du -sb "$WORK/served/$1.git/objects" | cut -f1; }

echo "# $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(git --version), libgit2 $(pkg-config --modversion libgit2 2>/dev/null || echo '?')"
echo "# corpus: $(git --git-dir "$CORPUS" rev-list --count main) commits, $(git --git-dir "$CORPUS" count-objects -v | awk '/^in-pack/ {p=$2} /^count/ {l=$2} END {print p " packed and " l " loose objects"}')"
git --git-dir "$CORPUS" remote remove bench >/dev/null 2>&1 || true
"$STEMMA" remote add bench "git://127.0.0.1:$PORT/s.git" --corpus "$CORPUS"

stemma_push() { fresh s; seconds "$STEMMA" push bench --corpus "$CORPUS"; }
git_push() { fresh g; seconds git --git-dir "$CORPUS" push -q "git://127.0.0.1:$PORT/g.git" main; }
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then s=$(stemma_push); g=$(git_push); else g=$(git_push); s=$(stemma_push); fi
  git --git-dir "$WORK/served/s.git" fsck --strict --no-dangling >/dev/null 2>&1 || { echo "fsck failed on the pushed repository" >&2; exit 1; }
  [ "$(git --git-dir "$WORK/served/s.git" rev-list --objects main | sort | md5sum)" = "$(git --git-dir "$CORPUS" rev-list --objects main | sort | md5sum)" ] \
    || { echo "the pushed repository's objects differ from the corpus's" >&2; exit 1; }
  echo "push git://  round $round: stemma $s s, git $g s, ratio $(python3 -c "print('%.2f' % ($s / $g))"); received: stemma $(bytes s), git $(bytes g) bytes; load $(cut -d' ' -f1 /proc/loadavg)"
done

# Clones of what git pushed (a repository git packed itself), over git:// and from a path.
for round in $(seq "$ROUNDS"); do
  rm -rf "$WORK/c1" "$WORK/c2" "$WORK/c3" "$WORK/c4"
  if [ $((round % 2)) = 1 ]; then
    s=$(seconds "$STEMMA" clone "git://127.0.0.1:$PORT/g.git" "$WORK/c1"); g=$(seconds git clone -q --bare "git://127.0.0.1:$PORT/g.git" "$WORK/c2")
  else
    g=$(seconds git clone -q --bare "git://127.0.0.1:$PORT/g.git" "$WORK/c2"); s=$(seconds "$STEMMA" clone "git://127.0.0.1:$PORT/g.git" "$WORK/c1")
  fi
  echo "clone git:// round $round: stemma $s s, git $g s, ratio $(python3 -c "print('%.2f' % ($s / $g))")"
  if [ $((round % 2)) = 1 ]; then
    s=$(seconds "$STEMMA" clone "$CORPUS" "$WORK/c3"); g=$(seconds git clone -q --bare "$CORPUS" "$WORK/c4")
  else
    g=$(seconds git clone -q --bare "$CORPUS" "$WORK/c4"); s=$(seconds "$STEMMA" clone "$CORPUS" "$WORK/c3")
  fi
  echo "clone path   round $round: stemma $s s, git $g s, ratio $(python3 -c "print('%.2f' % ($s / $g))")"
done
