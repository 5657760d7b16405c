// stemma-bench: in-process timings of the collation engine, for Benchmarks/run.sh.
//   stemma-bench pair A B [ROUNDS]     median milliseconds per collation of one pair
//   stemma-bench batch PAIRS.tsv [T] [R] pairs per second over a tab-separated list of file pairs,
//                                      on T threads (default 1; the engine is pure, so pairs run in parallel),
//                                      R rounds (default 3; the first runs with a cold fold cache)
//   stemma-bench stages PAIRS.tsv      time per pair spent in each public stage (segment, normalize, align, rest)
//   stemma-bench tokenize PAIRS.tsv    tokenizer throughput over every text of the pair list
//   stemma-bench tokenize-ab PAIRS.tsv   the tokenizer's 64-byte block path against its one-at-a-time path, alternating
//   stemma-bench lexicon-memory PAIRS.tsv [fresh]   peak memory with one lexicon (or a fresh one per pair)
//   stemma-bench digest PAIRS.tsv      every change of every pair, one per line (to check a change to the engine)
//   stemma-bench scale A B             time per collation for growing prefixes of a long pair
//   stemma-bench log CORPUS STORY...   median in-process time of opening the corpus and logging a story
//   stemma-bench blame GENDIR [N]      blame of N 5-edition chains of a gen_corpus.py folder vs their 4 Collator calls each
//   stemma-bench blame-corpus CORPUS REF...   Corpus.blame vs the Collator calls on the same links
//   stemma-bench summaries CORPUS      summary-cache fill rate from empty, then cached per-story graph+summaries
import Collation
import Foundation
import Stemma

func read(_ path: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("stemma-bench: cannot read \(path)\n".utf8)); exit(1)
    }
    return [UInt8](data)
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// This thread's CPU time for `body`: unlike wall time, not inflated by other processes.
func cpu(_ body: () -> Void) -> Double {
    var t0 = timespec(), t1 = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0); body(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1)
    return Double(t1.tv_sec - t0.tv_sec) + Double(t1.tv_nsec - t0.tv_nsec) / 1e9
}

func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }

let args = CommandLine.arguments
switch args.count > 1 ? args[1] : "" {
case "pair" where args.count >= 4:
    let a = read(args[2]), b = read(args[3])
    let rounds = args.count > 4 ? Int(args[4]) ?? 200 : 200
    var sink = 0
    for _ in 0..<20 { sink &+= Collator.collate(a, b).changes.count }
    let times = (0..<rounds).map { _ in seconds { sink &+= Collator.collate(a, b).changes.count } }
    print(String(format: "stemma pair: median %.3f ms over %d rounds (%d changes)", median(times) * 1000, rounds, sink / (rounds + 20)))
case "batch" where args.count >= 3:
    let pairs = String(decoding: read(args[2]), as: UTF8.self).split(separator: "\n").map { line -> ([UInt8], [UInt8]) in
        let parts = line.split(separator: "\t")
        return (read(String(parts[0])), read(String(parts[1])))
    }
    let threads = args.count > 3 ? max(1, Int(args[3]) ?? 1) : 1
    // Rounds after the first run with the process-wide fold cache warm; one round is a cold pass.
    let roundCount = args.count > 4 ? max(1, Int(args[4]) ?? 3) : 3
    var rounds: [Double] = []
    for _ in 0..<roundCount {
        rounds.append(seconds {
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                var sink = 0
                for k in stride(from: t, to: pairs.count, by: threads) { sink &+= Collator.collate(pairs[k].0, pairs[k].1).changes.count }
                if sink < 0 { print(sink) } // keeps the work from being optimised away
            }
        })
    }
    let t = median(rounds)
    print(String(format: "stemma batch (%d thread%@, %@): %d pairs, median %.3f s, %.0f pairs/s (best round %.0f)", threads, threads == 1 ? "" : "s",
                 roundCount == 1 ? "one cold pass" : "median of \(roundCount) rounds", pairs.count, t, Double(pairs.count) / t,
                 Double(pairs.count) / rounds.min()!))
case "stages" where args.count >= 3:
    // Where a comparison's time goes: the public stages timed one after another over the batch.
    let pairs = String(decoding: read(args[2]), as: UTF8.self).split(separator: "\n").map { line -> ([UInt8], [UInt8]) in
        let parts = line.split(separator: "\t")
        return (read(String(parts[0])), read(String(parts[1])))
    }
    let lexicon = Lexicon()
    var tokenize = 0.0, segment = 0.0, normalize = 0.0, align = 0.0, total = 0.0
    for round in 0..<3 {
        var tk = 0.0, s = 0.0, n = 0.0, al = 0.0, t = 0.0
        for (a, b) in pairs {
            tk += seconds { _ = Tokenizer.tokenize(a); _ = Tokenizer.tokenize(b) }
            var sa: SegmentedText? = nil, sb: SegmentedText? = nil
            s += seconds { sa = Segmenter.segment(a); sb = Segmenter.segment(b) }
            let table = KeyTable(lexicon: lexicon)
            var na: NormalizedText? = nil, nb: NormalizedText? = nil
            n += seconds { na = Normalizer.normalize(sa!, keys: table); nb = Normalizer.normalize(sb!, keys: table) }
            al += seconds { _ = SentenceAligner.align(na!, nb!) }
            t += seconds { _ = Collator.collate(a, b) }
        }
        if round > 0 { tokenize += tk; segment += s; normalize += n; align += al; total += t }
    }
    let per = { (x: Double) in String(format: "%.1f µs", x / Double(2 * pairs.count) * 1e6) }
    print("per pair: tokenize \(per(tokenize))  segment (with tokenize) \(per(segment))  normalize \(per(normalize))  align \(per(align))  rest \(per(total - segment - normalize - align))  total \(per(total))")
case "tokenize" where args.count >= 3:
    let texts = String(decoding: read(args[2]), as: UTF8.self).split(separator: "\n").flatMap { $0.split(separator: "\t").map { read(String($0)) } }
    var count = 0
    let t = seconds { for _ in 0..<20 { for x in texts { count &+= Tokenizer.tokenize(x).count } } }
    let bytes = texts.reduce(0) { $0 + $1.count }
    print(String(format: "tokenize: %.1f MB/s, %.1f ns/token, %d tokens per text", Double(bytes * 20) / t / 1e6, t * 1e9 / Double(count), count / 20 / texts.count))
case "tokenize-ab" where args.count >= 3:
    // The tokenizer's block path against its one-token-at-a-time path, alternating text by text
    // in one process, so that both see the same machine.
    let texts = String(decoding: read(args[2]), as: UTF8.self).split(separator: "\n").flatMap { $0.split(separator: "\t").map { read(String($0)) } }
    var blocks = 0.0, single = 0.0, count = 0
    for x in texts { count &+= Tokenizer.tokenizeOneAtATime(x).count &+ Tokenizer.tokenize(x).count } // warm (class tables)
    for _ in 0..<20 {
        for x in texts {
            single += seconds { count &+= Tokenizer.tokenizeOneAtATime(x).count }
            blocks += seconds { count &+= Tokenizer.tokenize(x).count }
        }
    }
    let bytes = Double(20 * texts.reduce(0) { $0 + $1.count })
    print(String(format: "tokenize: blocks %.1f ns/byte, one at a time %.1f ns/byte: %.3fx (%d)", blocks * 1e9 / bytes, single * 1e9 / bytes, single / blocks, count & 1))
case "lexicon-memory" where args.count >= 3:
    // Peak memory of collating a pair list one pair at a time with one lexicon (or, with
    // `fresh`, a new lexicon per pair): the difference is what the lexicon keeps.
    let fresh = args.count > 3 && args[3] == "fresh"
    let lexicon = Lexicon()
    var count = 0
    for line in String(decoding: read(args[2]), as: UTF8.self).split(separator: "\n") {
        let parts = line.split(separator: "\t")
        count &+= Collator.collate(read(String(parts[0])), read(String(parts[1])), lexicon: fresh ? Lexicon() : lexicon).changes.count
    }
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM") }.map(String.init) ?? "?"
    print("lexicon-memory (\(fresh ? "fresh lexicon per pair" : "one lexicon")): \(lexicon.count) texts held, \(peak), \(count) changes")
case "digest" where args.count >= 3:
    // Every change and summary over a pair list, one line each: diff two runs' output to check
    // that an optimisation changed nothing.
    for line in String(decoding: read(args[2]), as: UTF8.self).split(separator: "\n") {
        let parts = line.split(separator: "\t")
        let c = Collator.collate(read(String(parts[0])), read(String(parts[1])))
        let s = c.summary
        print(String(format: "pair %@ %.6f %d/%d/%d/%d/%d", String(parts[0]), s.similarity, s.sentencesUnchanged, s.sentencesChanged,
                     s.sentencesAdded, s.sentencesDeleted, s.sentencesMoved))
        for ch in c.changes { print("  \(ch.changeClass.rawValue) \(ch.a) \(ch.b) \(ch.move.map(String.init) ?? "-")") }
        print("  rows \(c.rows.count)")
    }
case "scale" where args.count >= 4:
    let a = read(args[2]), b = read(args[3])
    for size in [5_000, 20_000, 50_000, 100_000, 200_000] where size <= min(a.count, b.count) {
        // Cut at a paragraph break so both prefixes hold the same part of the story.
        func cut(_ x: [UInt8]) -> [UInt8] {
            var end = size
            while end < x.count - 1, !(x[end] == 10 && x[end + 1] == 10) { end += 1 }
            return Array(x[..<end])
        }
        let pa = cut(a), pb = cut(b)
        let times = (0..<5).map { _ in seconds { _ = Collator.collate(pa, pb) } }
        print(String(format: "stemma scale: %7d bytes  %8.2f ms  %.2f µs/byte", pa.count, median(times) * 1000, median(times) * 1e6 / Double(pa.count)))
    }
case "log" where args.count >= 4:
    var times: [Double] = []
    var found = 0
    for _ in 0..<5 {
        for story in args[3...] {
            times.append(seconds {
                if let corpus = try? Corpus.open(at: args[2]), let log = try? corpus.log(story: story) { found = log.count }
            })
        }
    }
    print(String(format: "stemma log in-process: median %.2f ms over %d look-ups (last story: %d editions)", median(times) * 1000, times.count, found))
case "blame" where args.count >= 3:
    // Blame of the last edition of each 5-edition chain of a gen_corpus.py folder, against the k = 4
    // Collator calls it is made of (the same pairs), in-process, interleaved over rounds.
    let manifest = String(decoding: read(args[2] + "/manifest.jsonl"), as: UTF8.self)
    var byStory: [String: [(Int, String)]] = [:]
    for line in manifest.split(separator: "\n") {
        guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let story = o["story"] as? String, let n = o["edition"] as? Int, let path = o["path"] as? String else { continue }
        byStory[story, default: []].append((n, args[2] + "/" + path))
    }
    let limit = args.count > 3 ? Int(args[3]) ?? 200 : 200
    let chains = byStory.keys.sorted().compactMap { byStory[$0]!.count == 5 ? byStory[$0]!.sorted { $0.0 < $1.0 }.map { read($0.1) } : nil }.prefix(limit)
    // Thread CPU time (`cpu`), chain by chain alternating, so other processes on the machine
    // (and drift in its load) weigh on both sides alike.
    var collateTimes: [Double] = [], blameTimes: [Double] = []
    var lines = 0
    for _ in 0..<7 {
        var c = 0.0, b = 0.0
        for t in chains {
            c += cpu { for k in 0..<4 { lines &+= Collator.collate(t[k], t[k + 1]).changes.count } }
            b += cpu { lines &+= SentenceBlame.blame(texts: t, collations: (0..<4).map { Collator.collate(t[$0], t[$0 + 1]) }).count }
        }
        collateTimes.append(c); blameTimes.append(b)
    }
    let c = median(collateTimes), b = median(blameTimes)
    print(String(format: "blame: %d chains of 5 editions; 4 Collator calls each %.3f ms, blame %.3f ms per chain (thread CPU time): %.3f× (median of 7 rounds)",
                 chains.count, c * 1000 / Double(chains.count), b * 1000 / Double(chains.count), b / c))
case "blame-corpus" where args.count >= 4:
    // Corpus.blame (index look-ups, git reads, collations, attribution) vs the same k collations on texts in memory.
    guard let corpus = try? Corpus.open(at: args[2]) else { print("no corpus"); exit(1) }
    let editions = args[3...].compactMap { try? corpus.resolve($0) }
    let chains = editions.compactMap { try? corpus.ancestry(of: $0).chain.map { try corpus.text(of: $0.edition) } }
    var whole: [Double] = [], engine: [Double] = []
    for _ in 0..<7 {
        var w = 0.0, e = 0.0
        for (edition, t) in zip(editions, chains) {
            w += cpu { _ = try? corpus.blame(edition) }
            e += cpu { for k in t.indices.dropLast() { _ = Collator.collate(t[k], t[k + 1]) } }
        }
        whole.append(w); engine.append(e)
    }
    var ancestry: [Double] = [], reads: [Double] = []
    for _ in 0..<7 {
        ancestry.append(cpu { for e in editions { _ = try? corpus.ancestry(of: e) } })
        reads.append(cpu { for e in editions { _ = try? corpus.ancestry(of: e).chain.map { try corpus.text(of: $0.edition) } } })
    }
    print(String(format: "blame-corpus: of it, the ancestry walk (index) %.3f ms, ancestry and reading the texts %.3f ms per edition",
                 median(ancestry) * 1000 / Double(editions.count), median(reads) * 1000 / Double(editions.count)))
    let links = chains.map { $0.count - 1 }.reduce(0, +)
    print(String(format: "blame-corpus: %d editions, %d links; Corpus.blame %.3f ms per edition, the Collator calls alone %.3f ms (thread CPU time): %.3f×",
                 editions.count, links, median(whole) * 1000 / Double(editions.count), median(engine) * 1000 / Double(editions.count), median(whole) / median(engine)))
case "summaries" where args.count >= 3:
    // Cache fill from empty (as after an import, or after the file was deleted), then cached look-ups per story.
    guard let corpus = try? Corpus.open(at: args[2]) else { print("no corpus"); exit(1) }
    _ = try corpus.index()
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: args[2] + "/" + SummaryCache.fileName + suffix) }
    var filled = 0
    let fill = seconds { filled = (try? corpus.fillSummaryCache()) ?? -1 }
    print(String(format: "summaries: filled %d in %.2f s = %.0f editions/s", filled, fill, Double(filled) / fill))
    let again = seconds { filled = (try? corpus.fillSummaryCache()) ?? -1 }
    print(String(format: "summaries: a fill with nothing missing (the pass over index and cache) %.3f s, %d computed", again, filled))
    let stories = try corpus.stories().map(\.story)
    var rng = SystemRandomNumberGenerator()
    let sample = (0..<200).map { _ in stories[Int(rng.next() % UInt64(stories.count))] }
    var times: [Double] = []
    for story in sample { times.append(seconds { if let log = try? corpus.log(story: story) { _ = try? corpus.changes(of: DerivationGraph(log).nodes) } }) }
    print(String(format: "summaries: cached graph + summaries of one story in-process, median %.3f ms over %d stories", median(times) * 1000, sample.count))
default:
    FileHandle.standardError.write(Data("usage: stemma-bench pair A B [ROUNDS] | batch PAIRS.tsv [T] | scale A B | log CORPUS STORY... | blame GENDIR [N] | blame-corpus CORPUS REF... | summaries CORPUS\n".utf8))
    exit(2)
}
