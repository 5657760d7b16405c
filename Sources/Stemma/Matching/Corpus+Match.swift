import Collation
import Foundation

/// One edition found like a query text: `score` is the shingle estimate (MinHash), `aligned` the
/// share of the query's sentences the collation engine aligned to this edition, `contained` the
/// share of the query's shingles the edition has (both nil only where an import took a decisive
/// estimate without aligning: see `MatchPolicy.decisiveScore`).
public struct EditionMatch: Sendable, Equatable {
    public let edition: String
    public let story: String
    public let source: String
    public let date: String
    public let score: Double
    public let aligned: Double?
    public let contained: Double?

    /// Whether the edition is like enough for the query to join its story (`MatchPolicy`).
    public var confirmed: Bool {
        guard let aligned, let contained else { return score >= MatchPolicy.decisiveScore }
        return aligned >= MatchPolicy.attachAligned && contained >= MatchPolicy.attachContained
    }

    /// Whether this is a better match than `other`: the larger share of the query's sentences
    /// aligned, then of its text held (a copy keeping a sentence word for word over one that
    /// rewords it), then the higher estimate. The estimate comes last: a Jaccard similarity, it
    /// favours a candidate near the query's length (a short reworded copy over a long original).
    public func ranksAbove(_ other: EditionMatch) -> Bool {
        (aligned ?? 0, contained ?? 0, score) > (other.aligned ?? 0, other.contained ?? 0, other.score)
    }
}

/// A query's LSH candidates with their estimates, best first: by the estimated share of the
/// query's shingles each has (so an abridged copy ranks by what it keeps of the story, not by how
/// much of the story it left out), then by Jaccard estimate, then by id (a stable order).
struct ScoredCandidates {
    let query: QueryText
    let scored: [(entry: MatchEntry, score: Double, containment: Double)]
}

extension Corpus {
    /// The matching index, caught up with `main` (rebuilt if missing or unusable).
    public func matchIndex() throws -> MatchIndex {
        if cachedMatchIndex == nil { cachedMatchIndex = try MatchIndex.open(for: self) }
        try cachedMatchIndex!.catchUp()
        return cachedMatchIndex!
    }

    /// `index`: the matching index, caught up (`matchIndex()`); `pending`: an import's records not
    /// in it yet, candidates as much as those in it; `minimumContainment`: those estimated to hold
    /// less of the query's shingles are left out.
    func candidates(for query: QueryText, in index: MatchIndex, excluding: String? = nil, pending: PendingMatches? = nil,
                    minimumContainment: Double = 0) throws -> ScoredCandidates {
        let sketch = query.sketch
        var scored = try index.candidates(sketch, pending: pending, minimumScore: MatchPolicy.minimumScore, minimumContainment: minimumContainment)
            .filter { $0.edition != excluding }.map { entry in
                let score = sketch.signature.similarity(entry.signature)
                return (entry: entry, score: score, containment: sketch.containment(in: entry, similarity: score))
            }
        scored.sort { ($0.containment, $0.score, -$0.entry.id) > ($1.containment, $1.score, -$1.entry.id) }
        return ScoredCandidates(query: query, scored: scored)
    }

    /// The `limit` editions most like `text`, best first: those `confirmed` first, then as
    /// `EditionMatch.ranksAbove` orders them. Candidates
    /// come from the LSH bands; the best of them by estimate (`limit`, and at least
    /// `MatchPolicy.confirmed`) are aligned with the query. `excluding` leaves one edition out
    /// (the query itself, when it is an edition). Writes nothing but derived data.
    public func match(_ text: [UInt8], limit: Int = 10, excluding: String? = nil) throws -> [EditionMatch] {
        let query = QueryText(text)
        let candidates = try self.candidates(for: query, in: matchIndex(), excluding: excluding)
        let aligner = QueryAligner(query)
        let chosen = Array(candidates.scored.prefix(max(limit, MatchPolicy.confirmed)))
        let texts = try chosen.map { try self.text(of: $0.entry.edition) }
        let contained = texts.map { aligner.contained($0) }
        // Aligning is the costly part. Those whose shingles leave them a chance of being confirmed
        // go first; if they alone fill the list, the others would all be listed after them (the
        // confirmed come first) and are not aligned at all.
        var aligned = [Double?](repeating: nil, count: chosen.count)
        var confirmed = 0
        for i in chosen.indices where contained[i] >= MatchPolicy.attachContained {
            aligned[i] = aligner.aligned(texts[i])
            if aligned[i]! >= MatchPolicy.attachAligned { confirmed += 1 }
        }
        if confirmed < limit {
            for i in chosen.indices where aligned[i] == nil { aligned[i] = aligner.aligned(texts[i]) }
        }
        var found: [EditionMatch] = []
        for (i, c) in chosen.enumerated() {
            guard let share = aligned[i] else { continue }
            found.append(EditionMatch(edition: c.entry.edition, story: c.entry.story, source: c.entry.source, date: c.entry.date,
                                      score: c.score, aligned: share, contained: contained[i]))
        }
        found.sort { $0.confirmed != $1.confirmed ? $0.confirmed : $0.ranksAbove($1) }
        return Array(found.prefix(limit))
    }
}

/// Aligns one query with candidates, counting its sentences once.
struct QueryAligner {
    let query: [UInt8]
    let sentences: Int

    let shingles: ShingleSet
    let sample: ShingleSample

    init(_ query: QueryText) {
        self.query = query.bytes
        sentences = query.sentences
        shingles = ShingleSet(query.shingles)
        sample = query.sample
    }

    /// Whether the candidate whose shingles `theirs` samples surely holds less than
    /// `MatchPolicy.attachContained` of the query's: the share of the query's sample it holds is
    /// more than three standard errors below it (a sample of 100 values: under 0.21), and the
    /// sample is large enough to say so (`MatchPolicy.smallestSample`).
    func rulesOut(sampled theirs: ShingleSample) -> Bool {
        let n = sample.values.count
        guard n >= MatchPolicy.smallestSample else { return false }
        let p = MatchPolicy.attachContained
        return Double(sample.shared(with: theirs)) / Double(n) < p - 3 * (p * (1 - p) / Double(n)).squareRoot()
    }

    init(_ query: [UInt8]) { self.init(QueryText(query)) }

    /// The share of the query's shingles that `other` has too.
    func contained(_ other: [UInt8]) -> Double { contained(shingles: Shingles.of(other)) }

    /// The share of the query's shingles among `other`, a text's distinct shingles (each found in
    /// the query's set: the candidate's need no set of their own).
    func contained(shingles other: [UInt64]) -> Double {
        guard !shingles.isEmpty else { return 0 }
        return Double(other.reduce(0) { $0 + (shingles.contains($1) ? 1 : 0) }) / Double(shingles.count)
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
    static let storiesConfirmed = 5
    /// Candidates estimated below this share of shingles are not worth aligning.
    static let minimumScore = 0.05
    /// A story proposal aligns no candidate whose estimated share of the query's shingles is below
    /// this. Joining needs 0.35; the estimate of a true 0.35 between texts of equal size falls this
    /// low one time in fifteen (1.5 standard errors of a 40-value signature), but texts of one
    /// story hold far more (≥ 0.76 on the benchmarks, 0.43 for the VNS sample), while unrelated
    /// texts sharing two or three stock-phrase minima are estimated at 0.1–0.15: at 0.12 an import
    /// aligned up to five of them for every edition that starts a new story.
    static let minimumContainment = 0.2
    /// An edition belongs to a story when at least this share of its sentences align to one of
    /// the story's editions, and that edition has at least `attachContained` of its shingles.
    /// Alignment alone is not enough: news is written from stock sentences ('The meeting was
    /// attended by representatives of 50 provinces…'), and a text pieced together from five
    /// stories' sentences can have most of them paired, as changed, with one of them. The
    /// shingles tell a shared sentence from a shared template: on the benchmarks, texts of the
    /// story keep ≥ 0.76 of their shingles, others ≤ 0.31; the real VNS re-edit keeps 0.43 of
    /// the VNA wire's.
    public static let attachAligned = 0.5
    public static let attachContained = 0.35
    /// A query whose shingle sample (`ShingleSample`, an eighth of them) is smaller than this is
    /// too short for the sample to rule a candidate out: its exact share is counted.
    static let smallestSample = 40
    /// In an import, a best estimate this high, with no other story within `decisiveMargin` of
    /// it, is taken without aligning: with 40 hashes the estimate's standard error is under 0.08,
    /// so the two texts share at least ~26 % of their 24-byte shingles (3 standard errors), and no
    /// two different stories of the generator or the hard set are estimated above 0.15 (see
    /// PERFORMANCE.md). `commit` always aligns.
    static let decisiveScore = 0.5
    static let decisiveMargin = 0.3
}

extension Corpus {
    /// Tells the matching index about an edition just committed, so the next match finds it
    /// without comparing every record. Only an index already in use is kept up: a corpus that
    /// never matches never builds one. The edition is committed whatever happens here: a failure
    /// is a warning, and the index catches up the next time it is used.
    public func noteCommitted(_ outcome: CommitOutcome, text: [UInt8]) {
        guard outcome.action != .unchanged else { return }
        do {
            if cachedMatchIndex == nil {
                guard FileManager.default.fileExists(atPath: path + "/" + MatchIndex.fileName) else { return }
                cachedMatchIndex = try MatchIndex.open(for: self)
            }
            try cachedMatchIndex!.noteCommitted(outcome.metadata, edition: outcome.edition, text: text, commit: outcome.commit)
        } catch {
            warn("the matching index was not updated (\(error)); it catches up when next used")
        }
    }
}
