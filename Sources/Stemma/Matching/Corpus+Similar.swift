import Foundation

/// Two editions in different stories that share text: re-used wire copy, or a story filed twice.
public struct SimilarPair: Sendable, Equatable {
    public struct Side: Sendable, Equatable {
        public let edition: String
        public let story: String
        public let source: String
        public let date: String
    }
    /// The earlier edition (by date, then id) and the later one.
    public let a: Side
    public let b: Side
    /// The shingle estimate (MinHash) of the text they share.
    public let score: Double
    /// The share of `b`'s sentences the collation engine aligns to `a`.
    public let aligned: Double
}

extension Corpus {
    /// Every pair of editions in different stories whose shingle estimate is at least `minimum`,
    /// best first. Pairs come from the LSH bands (editions sharing a band), so the work grows
    /// with the pairs that share text, not with the square of the corpus.
    public func similar(minimum: Double) throws -> [SimilarPair] {
        let index = try matchIndex()
        var entries: [Int64: MatchEntry] = [:]
        try index.forEachEntry { entries[$0.id] = $0 }
        var seen = Set<UInt64>()
        var pairs: [(MatchEntry, MatchEntry, Double)] = []
        try index.forEachBandGroup { group in
            for i in 0..<group.count {
                for j in (i + 1)..<group.count {
                    guard let x = entries[group[i]], let y = entries[group[j]], x.story != y.story else { continue }
                    let key = UInt64(UInt32(truncatingIfNeeded: min(x.id, y.id))) << 32 | UInt64(UInt32(truncatingIfNeeded: max(x.id, y.id)))
                    guard seen.insert(key).inserted else { continue }
                    let score = x.signature.similarity(y.signature)
                    if score >= minimum { pairs.append(x.date < y.date || (x.date == y.date && x.edition <= y.edition) ? (x, y, score) : (y, x, score)) }
                }
            }
        }
        func side(_ e: MatchEntry) -> SimilarPair.Side { .init(edition: e.edition, story: e.story, source: e.source, date: e.date) }
        var texts: [String: [UInt8]] = [:]
        func text(_ edition: String) throws -> [UInt8] {
            if let t = texts[edition] { return t }
            let t = try self.text(of: edition)
            texts[edition] = t
            return t
        }
        var result: [SimilarPair] = []
        for (a, b, score) in pairs {
            let bText = try text(b.edition)
            let aligned = QueryAligner(bText).aligned(try text(a.edition))
            result.append(SimilarPair(a: side(a), b: side(b), score: score, aligned: aligned))
        }
        result.sort { ($0.score, $0.aligned, $1.a.edition, $1.b.edition) > ($1.score, $1.aligned, $0.a.edition, $0.b.edition) }
        return result
    }
}
