#!/usr/bin/env python3
"""match_hard.py - harder story-matching cases built from a gen_corpus.py corpus (stdlib only).

  match_hard.py BASE_DIR OTHER_DIR OUT_DIR [--per-kind N]

BASE_DIR is the corpus the queries are matched against (its manifest.jsonl knows the true
stories); OTHER_DIR a corpus made with another seed (gen_corpus.py --seed 43), whose stories
use the same templates, vocabulary and dates but are other stories. Writes OUT_DIR/queries.jsonl:
{"path", "kind", "expect"} with expect the true story, or null where a new story is right.

Kinds
  abridged     the first 30 % of a wire edition's paragraphs (at least two)
  reordered    every paragraph of an edition, shuffled
  new-lead     an edition whose first two paragraphs are replaced by two of another story's
  abridged-reordered  half the paragraphs, shuffled
  same-day     a story of OTHER_DIR dated the same day as a BASE_DIR story: same topics, not the same story
  mixed        one paragraph from each of five BASE_DIR stories of one day: belongs to none
"""
import json
import os
import random
import sys


def paragraphs(text):
    return [p for p in text.split("\n\n") if p.strip()]


def main():
    base, other, out = sys.argv[1:4]
    per = int(sys.argv[sys.argv.index("--per-kind") + 1]) if "--per-kind" in sys.argv else 50
    rng = random.Random(17)
    rows = [json.loads(l) for l in open(os.path.join(base, "manifest.jsonl"))]
    def read(d, r):
        return open(os.path.join(d, r["path"]), encoding="utf-8").read()
    by_story = {}
    for r in rows:
        by_story.setdefault(r["story"], []).append(r)
    stories = sorted(by_story)
    os.makedirs(out, exist_ok=True)
    queries = []
    def emit(kind, n, text, expect):
        path = os.path.join(out, f"{kind}-{n:03d}.txt")
        open(path, "w", encoding="utf-8").write(text)
        queries.append({"path": path, "kind": kind, "expect": expect})
    picks = rng.sample(stories, per * 4)
    for n, s in enumerate(picks[:per]):
        ps = paragraphs(read(base, by_story[s][0]))
        emit("abridged", n, "\n\n".join(ps[:max(2, int(len(ps) * 0.3))]), s)
    for n, s in enumerate(picks[per:2 * per]):
        ps = paragraphs(read(base, rng.choice(by_story[s])))
        rng.shuffle(ps)
        emit("reordered", n, "\n\n".join(ps), s)
    for n, s in enumerate(picks[2 * per:3 * per]):
        ps = paragraphs(read(base, rng.choice(by_story[s])))
        donor = paragraphs(read(base, by_story[rng.choice(stories)][0]))
        emit("new-lead", n, "\n\n".join(donor[:2] + ps[2:]), s)
    for n, s in enumerate(picks[3 * per:4 * per]):
        ps = paragraphs(read(base, rng.choice(by_story[s])))
        half = ps[:max(2, len(ps) // 2)]
        rng.shuffle(half)
        emit("abridged-reordered", n, "\n\n".join(half), s)
    base_dates = {}
    for r in rows:
        base_dates.setdefault(r["date"], set()).add(r["story"])
    others = [json.loads(l) for l in open(os.path.join(other, "manifest.jsonl"))]
    same_day = [r for r in others if r["date"] in base_dates]
    for n, r in enumerate(rng.sample(same_day, min(per, len(same_day)))):
        emit("same-day", n, read(other, r), None)
    days = [d for d, ss in base_dates.items() if len(ss) >= 5]
    for n in range(per):
        day = rng.choice(days)
        chosen = rng.sample(sorted(base_dates[day]), 5)
        parts = []
        for s in chosen:
            ps = paragraphs(read(base, by_story[s][0]))
            parts.append(ps[min(1, len(ps) - 1)])
        emit("mixed", n, "\n\n".join(parts), None)
    with open(os.path.join(out, "queries.jsonl"), "w") as f:
        for q in queries:
            f.write(json.dumps(q) + "\n")
    print(f"{len(queries)} queries in {out}")


if __name__ == "__main__":
    main()
