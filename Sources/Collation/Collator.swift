import Foundation

/// The result of comparing two texts: every change, labelled, with the aligned rows and a summary.
public struct Collation: Sendable {
    public let a: [UInt8]
    public let b: [UInt8]
    /// Sorted by position in A, then in B; non-overlapping; A with each `a` range replaced by
    /// B's bytes in `b` is exactly B.
    public let changes: [Change]
    /// Units side by side, in B's order where they pair (for side-by-side views).
    public let rows: [AlignedRow]
    public let summary: CollationSummary
    /// The units (sentences and boilerplate, with byte ranges and paragraph numbers) the aligner
    /// worked with, in text order; `alignment` says how they correspond.
    public let unitsA: [TextUnit]
    public let unitsB: [TextUnit]

    // What `alignment` is built from: the aligner's walk, what each step produced, and the word
    // counts per unit (all made anyway; kept rather than thrown away).
    let steps: [UnitAlignment.Step]
    let outcomes: [StepOutcome]
    let movedPairs: [(a: Int, b: Int, score: Double)]
    let wordCountsA: [Int]
    let wordCountsB: [Int]

    public func aText(_ c: Change) -> String { String(decoding: a[c.a], as: UTF8.self) }
    public func bText(_ c: Change) -> String { String(decoding: b[c.b], as: UTF8.self) }
}

/// The collation engine: tokenize → normalize → align → analyse. Rendering is separate
/// (`Renderers`). Thread-safe, and its result depends only on the two texts: the only state kept
/// between calls is a pool of workspaces, whose lexicons remember token keys and classifications,
/// never results.
public enum Collator {
    /// The longest text the engine compares, 1 GiB − 1 bytes: a token keeps its end offset in
    /// 30 bits (`Token`), word offsets are 32-bit, and token and word indices are `Int32` (a text
    /// holds at most one token per byte).
    public static let maxTextBytes = (1 << 30) - 1
    /// `maxTextBytes` for a message: "1 GiB".
    public static var maxTextSize: String { "\((maxTextBytes + 1) >> 30) GiB" }
    /// Bumped whenever the engine's results change (labels, alignment, counts): anything that
    /// keeps results derived from it (the summary cache) discards them when this differs.
    public static let version = 2

    public static func collate(_ a: [UInt8], _ b: [UInt8]) -> Collation {
        workspaces.borrow { collate(a, b, in: $0) }
    }

    /// As `collate(_:_:)`, with a lexicon the caller owns and uses on one thread at a time.
    public static func collate(_ a: [UInt8], _ b: [UInt8], lexicon: Lexicon) -> Collation {
        collate(a, b, in: CollationWorkspace(lexicon: lexicon))
    }

    /// As `collate(_:_:)`, in a workspace the caller owns and uses on one thread at a time.
    public static func collate(_ a: [UInt8], _ b: [UInt8], in workspace: CollationWorkspace) -> Collation {
        let table = KeyTable(lexicon: workspace.lexicon)
        let sa = Segmenter.segment(a), sb = Segmenter.segment(b)
        let exact = ExactPairs(sa, sb)
        let na = Normalizer.normalize(sa, keys: table, skipping: exact.partnerOfA)
        let nb = Normalizer.normalize(sb, keys: table, skipping: exact.partnerOfB, partnerWordCounts: na.wordCountOfUnit)
        let alignment = SentenceAligner.align(na, nb, exact: exact, scratch: &workspace.alignerScratch)
        var analyser = Analyser(na, nb, table: table, exactPartnerOfA: exact.partnerOfA)
        // The work lists move in and back out, so they stay uniquely referenced.
        swap(&analyser.scratch, &workspace.analyserScratch)
        swap(&analyser.marks, &workspace.analyserMarks)
        analyser.run(alignment)
        swap(&analyser.scratch, &workspace.analyserScratch)
        swap(&analyser.marks, &workspace.analyserMarks)
        let changes = analyser.changes
        // Counted by linear search over the few classes seen: hashing each change costs more.
        var counted: [(cls: ChangeClass, count: Int)] = []
        counted.reserveCapacity(ChangeClass.allCases.count)
        func count(_ c: Change) {
            if let k = counted.firstIndex(where: { $0.cls == c.changeClass }) { counted[k].count += 1 } else { counted.append((c.changeClass, 1)) }
        }
        // A move counts once (its insertion half), and what changed inside it by kind and class.
        for c in changes {
            if c.move != nil && c.b.isEmpty { continue } // the old place of a move
            count(c)
            for inner in c.inner { count(inner) }
        }
        var kinds = [ChangeKind: Int](minimumCapacity: ChangeKind.allCases.count)
        var classes = [ChangeClass: Int](minimumCapacity: counted.count)
        for (cls, count) in counted { kinds[cls.kind, default: 0] += count; classes[cls] = count }
        // Similarity is over the story's own words: boilerplate (headers, captions, bylines) is left out.
        func storyWords(_ t: NormalizedText) -> Int {
            var count = 0
            for (u, unit) in t.units.enumerated() where unit.kind == .sentence { count += t.wordCountOfUnit[u] }
            return count
        }
        let words = storyWords(na) + storyWords(nb)
        var summary = CollationSummary(similarity: words == 0 ? 1 : min(1, Double(analyser.matchedWords) / Double(words)),
                                       kinds: kinds, classes: classes)
        let s = analyser.sentences
        summary.sentencesUnchanged = s.unchanged; summary.sentencesAccidentalOnly = s.accidentalOnly
        summary.sentencesReworded = s.reworded; summary.sentencesSplit = s.split; summary.sentencesMerged = s.merged
        summary.sentencesAdded = s.added; summary.sentencesDeleted = s.deleted; summary.sentencesMoved = s.moved
        return Collation(a: a, b: b, changes: changes, rows: analyser.rows, summary: summary,
                         unitsA: na.units, unitsB: nb.units, steps: alignment.steps, outcomes: analyser.outcomes,
                         movedPairs: alignment.movedPairs, wordCountsA: na.wordCountOfUnit, wordCountsB: nb.wordCountOfUnit)
    }

    public static func collate(_ a: String, _ b: String) -> Collation { collate(Array(a.utf8), Array(b.utf8)) }
}

/// Workspaces for `Collator.collate`: each call takes one nobody else is using, so threads never
/// share one, and gives it back warm for the next call.
private let workspaces = WorkspacePool()

private final class WorkspacePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [CollationWorkspace] = []

    func borrow<R>(_ body: (CollationWorkspace) -> R) -> R {
        lock.lock()
        let workspace = idle.popLast() ?? CollationWorkspace()
        lock.unlock()
        defer { lock.lock(); idle.append(workspace); lock.unlock() }
        return body(workspace)
    }
}
