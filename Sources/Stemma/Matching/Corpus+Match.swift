import Collation
import Foundation

/// One edition found like a query text: `score` is the shingle estimate (MinHash), `aligned` the
/// share of the query's sentences the collation engine aligned to this edition.
public struct EditionMatch: Sendable, Equatable {
    public let edition: String
    public let story: String
    public let source: String
    public let date: String
    public let score: Double
    public let aligned: Double
}

extension Corpus {
    /// The matching index, caught up with `main` (rebuilt if missing or unusable).
    public func matchIndex() throws -> MatchIndex {
        if cachedMatchIndex == nil { cachedMatchIndex = try MatchIndex.open(for: self) }
        try cachedMatchIndex!.catchUp()
        return cachedMatchIndex!
    }

    /// The `limit` editions most like `text`, best first (by aligned share, then score). Candidates
    /// come from the LSH bands, the best `confirming` of them by score are aligned with the query.
    /// `excluding` leaves one edition out (the query itself, when it is an edition). Writes nothing
    /// but derived data.
    public func match(_ text: [UInt8], limit: Int = 10, excluding: String? = nil) throws -> [EditionMatch] {
        try match(text, limit: limit, excluding: excluding) { try self.text(of: $0) }
    }

    /// As `match(_:limit:excluding:)`, reading candidates' texts through `textOf` (an import
    /// reads the texts it has not flushed yet from memory); a candidate it returns nil for is skipped.
    func match(_ text: [UInt8], limit: Int, excluding: String?, textOf: (String) throws -> [UInt8]?) throws -> [EditionMatch] {
        let index = try matchIndex()
        let signature = MinHash(shingles: Shingles.of(text))
        var scored = try index.candidates(signature).filter { $0.edition != excluding }.map { ($0, signature.similarity($0.signature)) }
        // Best estimate first; ties by id so the order is stable.
        scored.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.id < $1.0.id }
        let confirming = max(limit, MatchPolicy.confirmed)
        let querySentences = MatchPolicy.sentenceCount(text)
        var texts: [String: [UInt8]] = [:]
        var found: [EditionMatch] = []
        for (entry, score) in scored.prefix(confirming) where score >= MatchPolicy.minimumScore {
            guard let other = try texts[entry.edition] ?? textOf(entry.edition) else { continue }
            texts[entry.edition] = other
            found.append(EditionMatch(edition: entry.edition, story: entry.story, source: entry.source, date: entry.date,
                                      score: score, aligned: MatchPolicy.aligned(other, text, querySentences: querySentences)))
        }
        found.sort { $0.aligned != $1.aligned ? $0.aligned > $1.aligned : $0.score > $1.score }
        return Array(found.prefix(limit))
    }
}

/// The rules that turn similarity into a decision, in one place.
public enum MatchPolicy {
    /// How many candidates, best estimate first, are aligned with the query.
    static let confirmed = 8
    /// Candidates estimated below this share of shingles are not worth aligning.
    static let minimumScore = 0.05
    /// An edition belongs to a story when at least this share of its sentences align to one of the story's editions.
    public static let attachAligned = 0.5

    /// Sentences of the query (not boilerplate).
    static func sentenceCount(_ text: [UInt8]) -> Int {
        Segmenter.segment(text).units.reduce(0) { $0 + ($1.kind == .sentence ? 1 : 0) }
    }

    /// The share of `query`'s sentences the engine aligns to `other`: those it did not have to add.
    static func aligned(_ other: [UInt8], _ query: [UInt8], querySentences: Int) -> Double {
        guard querySentences > 0 else { return 0 }
        let summary = Collator.collate(other, query).summary
        return max(0, Double(querySentences - summary.sentencesAdded) / Double(querySentences))
    }
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
