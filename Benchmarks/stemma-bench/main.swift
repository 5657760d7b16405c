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
//   stemma-bench moves DIR [N]         moved sentences against their lower bound over N generated real-shaped
//                                      pairs of each shape (TestSupport.RealShapedPages), written to DIR with DIR/pairs.tsv
//   stemma-bench changed-bytes PAIRS.tsv   bytes changed on both sides, white-space-only changes left out
//   stemma-bench propose CORPUS FILE...   the story `commit` without --story would give each file (nothing is written):
//                                      one line each, FILE, the story, whether it matched, the proposed parent
//   stemma-bench worst [MAX_MIB]       CPU time per byte of generated pairs of 200 KB, 1, 4 and 16 MiB (or up to MAX_MIB),
//                                      many short sentences and few long ones, against the 200 KB figure
//   stemma-bench worst MIB once short|long   one collation of that size and shape (for callgrind)
//   stemma-bench blame GENDIR [N]      blame of N 5-edition chains of a gen_corpus.py folder vs their 4 Collator calls each
//   stemma-bench blame-corpus CORPUS REF...   Corpus.blame vs the Collator calls on the same links
//   stemma-bench summaries CORPUS      summary-cache fill rate from empty, then cached per-story graph+summaries
//   stemma-bench sketch MANIFEST [N]   CPU time per text of what matching works out of each text (segmenting,
//                                      shingling, the MinHash signature) over the first N texts of a manifest
import Collation
import Foundation
import Stemma
import TestSupport

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
case "moves" where args.count >= 3:
    let folder = args[2], count = args.count > 3 ? Int(args[3]) ?? 40 : 40
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var byShape: [String: (pairs: Int, reported: Int, bound: Int, spurious: Int)] = [:]
    var list = ""
    for (n, pair) in RealShapedPages.pairs(count: count).enumerated() {
        let a = "\(folder)/\(n)-a.txt", b = "\(folder)/\(n)-b.txt"
        _ = FileManager.default.createFile(atPath: a, contents: Data(pair.a.utf8))
        _ = FileManager.default.createFile(atPath: b, contents: Data(pair.b.utf8))
        list += "\(a)\t\(b)\n"
        let moved = Collator.collate(pair.a, pair.b).summary.sentencesMoved
        let bound = MoveBound.lowerBound(pair.a, pair.b)
        var row = byShape[pair.shape.rawValue, default: (0, 0, 0, 0)]
        row.pairs += 1; row.reported += moved; row.bound += bound; row.spurious += bound == 0 && moved > 0 ? 1 : 0
        byShape[pair.shape.rawValue] = row
    }
    _ = FileManager.default.createFile(atPath: folder + "/pairs.tsv", contents: Data(list.utf8))
    print("shape\tpairs\tmoved\tbound\tpairs with moves but bound 0")
    var total = (reported: 0, bound: 0, spurious: 0)
    for (shape, row) in byShape.sorted(by: { $0.key < $1.key }) {
        print("\(shape)\t\(row.pairs)\t\(row.reported)\t\(row.bound)\t\(row.spurious)")
        total.reported += row.reported; total.bound += row.bound; total.spurious += row.spurious
    }
    print(String(format: "all\t%d\t%d\t%d\t%d\tratio %.2f", byShape.values.reduce(0) { $0 + $1.pairs }, total.reported, total.bound,
                 total.spurious, total.bound == 0 ? 0 : Double(total.reported) / Double(total.bound)))
case "changed-bytes" where args.count >= 3:
    var total = 0, pairs = 0
    for line in String(decoding: read(args[2]), as: UTF8.self).split(separator: "\n") {
        let parts = line.split(separator: "\t")
        let c = Collator.collate(read(String(parts[0])), read(String(parts[1])))
        for change in c.changes where change.changeClass != .whitespace { total += change.a.count + change.b.count }
        pairs += 1
    }
    print("stemma changed bytes: \(total) over \(pairs) pairs")
case "worst":
    let maxMiB = args.count > 2 ? Double(args[2]) ?? 16 : 16
    // A text of about `size` bytes and its edited copy: every 7th sentence re-spelt, every 50th
    // dropped, a new one every 40th, and a block of 5 moved from the first tenth to the middle.
    func pair(size: Int, sentenceWords: Int) -> ([UInt8], [UInt8]) {
        var rng = SeededRandom(seed: UInt64(size + sentenceWords))
        let words = ["officials", "reported", "cooperation", "Vietnam", "rice", "exports", "grew", "in", "the", "province", "after",
                     "talks", "with", "partners", "on", "Monday", "and", "new", "projects", "were", "approved", "by", "council"]
        var a: [String] = [], b: [String] = []
        var bytes = 0, k = 0
        while bytes < size {
            var sentence = "Item \(k)"
            for _ in 0..<sentenceWords { sentence += " " + words[Int(rng.next() % UInt64(words.count))] }
            sentence += "."
            a.append(sentence); bytes += sentence.utf8.count + 1; k += 1
            if k % 50 == 0 { continue }
            b.append(k % 7 == 0 ? sentence.replacingOccurrences(of: "Vietnam", with: "Việt Nam").replacingOccurrences(of: "cooperation", with: "co-operation") : sentence)
            if k % 40 == 0 { b.append("A new sentence \(k) was added here.") }
        }
        if b.count > 20 { let block = Array(b[(b.count / 10)..<(b.count / 10 + 5)]); b.removeSubrange((b.count / 10)..<(b.count / 10 + 5)); b.insert(contentsOf: block, at: b.count / 2) }
        func text(_ sentences: [String]) -> [UInt8] {
            var out = "", n = 0
            for s in sentences { out += s; n += 1; out += n % 5 == 0 ? "\n\n" : " " }
            return Array(out.utf8)
        }
        return (text(a), text(b))
    }
    // `stemma-bench worst MiB once short|long`: one collation of that size and shape, nothing
    // timed (for callgrind, whose instruction counts show the work per byte without the cache).
    if args.count > 4, args[3] == "once" {
        let (a, b) = pair(size: Int(maxMiB * Double(1 << 20)), sentenceWords: args[4] == "long" ? 5_000 : 6)
        print("stemma worst once: \(Collator.collate(a, b).changes.count) changes, \(a.count + b.count) bytes")
        exit(0)
    }
    // The sizes of a shape take turns, round after round, so a change in the machine's load
    // falls on all of them alike; this thread's CPU time (page faults included) is the figure,
    // wall time is printed beside it.
    for (shape, words) in [("short sentences", 6), ("long sentences", 5_000)] {
        let sizes = [200_000, 1 << 20, 4 << 20, 16 << 20].filter { Double($0) <= maxMiB * Double(1 << 20) }
        let pairs = sizes.map { pair(size: $0, sentenceWords: words) }
        for (a, b) in pairs { _ = Collator.collate(a, b) } // warm the lexicon
        var cpuTimes = [[Double]](repeating: [], count: sizes.count), wallTimes = cpuTimes
        for _ in 0..<9 {
            for (k, (a, b)) in pairs.enumerated() {
                var t = 0.0
                wallTimes[k].append(seconds { t = cpu { _ = Collator.collate(a, b) } })
                cpuTimes[k].append(t)
            }
        }
        var base: Double? = nil
        for (k, (a, b)) in pairs.enumerated() {
            let perByte = median(cpuTimes[k]) * 1e9 / Double(a.count + b.count)
            if base == nil { base = perByte }
            print(String(format: "stemma worst: %@ %6.1f MiB  %8.1f ms CPU (%.1f wall)  %.2f ns/byte  %.2f× the 200 KB figure", shape, Double(a.count) / Double(1 << 20),
                         median(cpuTimes[k]) * 1000, median(wallTimes[k]) * 1000, perByte, perByte / base!))
        }
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
case "sketch" where args.count >= 3:
    let base = (args[2] as NSString).deletingLastPathComponent
    let limit = args.count > 3 ? Int(args[3]) ?? 2_000 : 2_000
    let texts = String(decoding: read(args[2]), as: UTF8.self).split(separator: "\n").prefix(limit).compactMap { line -> [UInt8]? in
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let path = object["path"] as? String else { return nil }
        return read(base + "/" + path)
    }
    var segment = 0.0, shingle = 0.0, sign = 0.0, count = 0
    for round in 0..<4 {
        for text in texts {
            var segmented: SegmentedText? = nil, shingles: [UInt64] = []
            let s = cpu { segmented = Segmenter.segment(text) }
            let h = cpu { shingles = Shingles.of(segmented!) }
            let m = cpu { count &+= Int(MinHash(shingles: shingles).values[0] & 1) }
            if round > 0 { segment += s; shingle += h; sign += m } // the first round fills the fold memo
        }
    }
    let per = { (x: Double) in String(format: "%.1f µs", x / Double(3 * texts.count) * 1e6) }
    print("per text (\(texts.count)): segment \(per(segment))  shingles \(per(shingle))  signature \(per(sign)) (\(count & 1))")
case "propose" where args.count >= 4:
    guard let corpus = try? Corpus.open(at: args[2]) else { FileHandle.standardError.write(Data("stemma-bench: no corpus at \(args[2])\n".utf8)); exit(1) }
    for file in args[3...] {
        // Source and date given, so any text will do; the date is after every edition's, so any can be the parent.
        let draft = EditionDraft(bytes: read(file), name: file, story: StoryProposal.placeholder, source: "QUERY", date: "2099-01-01")
        do {
            let (pending, _) = try corpus.prepare(draft)
            let p = try corpus.proposeStory(for: pending)
            print("\(file)\t\(p.matched == nil ? "new" : "matched")\t\(p.story)\t\(p.derivedFrom ?? "-")")
        } catch {
            print("\(file)\terror\t\(error)\t-")
        }
    }
default:
    FileHandle.standardError.write(Data("usage: stemma-bench pair A B [ROUNDS] | batch PAIRS.tsv [T] | scale A B | log CORPUS STORY... | blame GENDIR [N] | blame-corpus CORPUS REF... | summaries CORPUS\n".utf8))
    exit(2)
}
