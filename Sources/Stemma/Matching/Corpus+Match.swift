import Collation
import Foundation

/// One edition found like a query text: `score` is the shingle estimate (MinHash), `aligned` the
/// share of the query's sentences the collation engine aligned to this edition (nil only where an
/// import took a decisive estimate without aligning: see `MatchPolicy.decisiveScore`).
public struct EditionMatch: Sendable, Equatable {
    public let edition: String
    public let story: String
    public let source: String
    public let date: String
    public let score: Double
    public let aligned: Double?
}

/// A query's LSH candidates with their estimates, best first (ties by id, so the order is stable).
struct ScoredCandidates {
    let signature: MinHash
    let scored: [(entry: MatchEntry, score: Double)]
}

extension Corpus {
    /// The matching index, caught up with `main` (rebuilt if missing or unusable).
    public func matchIndex() throws -> MatchIndex {
        if cachedMatchIndex == nil { cachedMatchIndex = try MatchIndex.open(for: self) }
        try cachedMatchIndex!.catchUp()
        return cachedMatchIndex!
    }

    func candidates(for text: [UInt8], excluding: String? = nil) throws -> ScoredCandidates {
        let signature = MinHash(shingles: Shingles.of(text))
        var scored = try matchIndex().candidates(signature).filter { $0.edition != excluding }
            .map { (entry: $0, score: signature.similarity($0.signature)) }
            .filter { $0.score >= MatchPolicy.minimumScore }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.entry.id < $1.entry.id }
        return ScoredCandidates(signature: signature, scored: scored)
    }

    /// The `limit` editions most like `text`, best first (by aligned share, then score). Candidates
    /// come from the LSH bands; the best of them by estimate (`limit`, and at least
    /// `MatchPolicy.confirmed`) are aligned with the query. `excluding` leaves one edition out
    /// (the query itself, when it is an edition). Writes nothing but derived data.
    public func match(_ text: [UInt8], limit: Int = 10, excluding: String? = nil) throws -> [EditionMatch] {
        let candidates = try self.candidates(for: text, excluding: excluding)
        let aligner = QueryAligner(text)
        var found: [EditionMatch] = []
        for (entry, score) in candidates.scored.prefix(max(limit, MatchPolicy.confirmed)) {
            found.append(EditionMatch(edition: entry.edition, story: entry.story, source: entry.source, date: entry.date,
                                      score: score, aligned: aligner.aligned(try self.text(of: entry.edition))))
        }
        found.sort { ($0.aligned ?? 0, $0.score) > ($1.aligned ?? 0, $1.score) }
        return Array(found.prefix(limit))
    }
}

/// Aligns one query with candidates, counting its sentences once.
struct QueryAligner {
    let query: [UInt8]
    let sentences: Int

    init(_ query: [UInt8]) {
        self.query = query
        sentences = Segmenter.segment(query).units.reduce(0) { $0 + ($1.kind == .sentence ? 1 : 0) }
    }

    /// The share of the query's sentences the engine aligns to `other`: those it did not have to
    /// add (paired unchanged or changed, split, merged or moved).
    func aligned(_ other: [UInt8]) -> Double {
        guard sentences > 0 else { return 0 }
        let summary = Collator.collate(other, query).summary
        return max(0, Double(sentences - summary.sentencesAdded) / Double(sentences))
    }
}

/// The rules that turn similarity into a decision, in one place.
public enum MatchPolicy {
    /// How many candidates, best estimate first, `match` aligns with the query.
    static let confirmed = 8
    /// How many stories, best estimate first, a story proposal aligns (its best edition each).
    static let storiesConfirmed = 3
    /// Candidates estimated below this share of shingles are not worth aligning.
    static let minimumScore = 0.05
    /// An edition belongs to a story when at least this share of its sentences align to one of the story's editions.
    public static let attachAligned = 0.5
    /// In an import, a best estimate this high, with no other story within `decisiveMargin` of
    /// it, is taken without aligning: with 40 hashes the estimate's standard error is under 0.08,
    /// so the two texts share at least ~45 % of their 24-byte shingles, which no two stories
    /// of the generator or the hard set do (see PERFORMANCE.md). `commit` always aligns.
    static let decisiveScore = 0.6
    static let decisiveMargin = 0.3
}

extension Corpus {
    /// Tells the matching index about an edition just committed, so the next match finds it
    /// without comparing every record. Only an index already in use is kept up: a corpus that
    /// never matches never builds one.
    public func noteCommitted(_ outcome: CommitOutcome, text: [UInt8]) throws {
        guard outcome.action != .unchanged else { return }
        if cachedMatchIndex == nil {
            guard FileManager.default.fileExists(atPath: path + "/" + MatchIndex.fileName) else { return }
            cachedMatchIndex = try MatchIndex.open(for: self)
        }
        try cachedMatchIndex!.noteCommitted(outcome.metadata, edition: outcome.edition, text: text, commit: outcome.commit)
    }
}
