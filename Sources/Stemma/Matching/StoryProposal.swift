import Collation
import Foundation

/// Which story an edition given without one belongs to, and which edition it was edited from.
public struct StoryProposal: Sendable, Equatable {
    /// The story: a matched one, or a new slug.
    public let story: String
    /// The proposed parent: the most similar edition of that story from another source dated on
    /// or before this one (nil for a new story, or when there is none).
    public let derivedFrom: String?
    /// The best confirmed match, when the edition joined an existing story.
    public let matched: EditionMatch?
    /// Editions of the same day not taken as the parent because they credit this edition's
    /// source (and it does not credit theirs): they more likely derive from it.
    public var passedOver: [EditionMatch] = []
    /// Whether the matched story records this edition from this source already (an update, or
    /// the same commit or import run again).
    public var alreadyRecorded = false

    /// A valid story id to prepare a draft with before its story is known; never committed. An
    /// import item with this story is one given without a story.
    public static let placeholder = "stemma-unassigned"

    /// `pending` with this story, and this parent unless it already has one.
    public func applied(to pending: PendingEdition) throws -> PendingEdition {
        var metadata = pending.metadata
        metadata.story = story
        if metadata.derivedFrom == nil { metadata.derivedFrom = derivedFrom }
        return try pending.withMetadata(metadata)
    }
}

extension Corpus {
    /// The story for `pending` (prepared with `StoryProposal.placeholder`): the story of its best
    /// match if at least `MatchPolicy.attachAligned` of its sentences align to one of that story's
    /// editions, else a new story named from its date and title or first words (see `StorySlug`).
    /// `matching: false` always makes a new story.
    public func proposeStory(for pending: PendingEdition, matching: Bool = true) throws -> StoryProposal {
        try proposeStory(for: pending, matching: matching, taken: { _ in false }, texts: CandidateTexts { try self.text(of: $0) })
    }

    /// The candidates a story proposal weighs: a candidate whose estimate leaves no hope of
    /// `attachContained` (`MatchPolicy.minimumContainment`) is left out, so never aligned.
    func proposalCandidates(for query: QueryText, in index: MatchIndex, pending: PendingMatches? = nil) throws -> ScoredCandidates {
        try candidates(for: query, in: index, pending: pending, minimumContainment: MatchPolicy.minimumContainment)
    }

    /// As `proposeStory(for:matching:)`, with story ids in use that the corpus index does not know
    /// yet (`taken`: earlier items of the same import) and texts not in the object store yet
    /// (`texts`; a candidate whose text it cannot give is passed over). `quick` lets a decisive
    /// estimate stand without aligning (`MatchPolicy.decisiveScore`); `candidates`, when given, are
    /// the query's already (`proposalCandidates`); `records`, when given, is the corpus index as
    /// the caller reads it (an import, as of some checkpoint); `recordedHere`: whether the caller
    /// is writing this record (story, source, edition), which `records` may not show yet.
    func proposeStory(for pending: PendingEdition, matching: Bool, quick: Bool = false, candidates given: ScoredCandidates? = nil,
                      records known: CorpusIndex? = nil, taken: (String) -> Bool,
                      recordedHere: (String, String, String) -> Bool = { _, _, _ in false }, texts: CandidateTexts) throws -> StoryProposal {
        let m = pending.metadata
        // Segmented once, for the candidates and a new story's slug alike.
        let query = matching ? given?.query ?? QueryText(pending.bytes) : nil
        if let query {
            let candidates = try given ?? proposalCandidates(for: query, in: matchIndex())
            // Each story's candidates, in the order of their best estimate.
            var order: [String] = []
            var byStory: [String: [(entry: MatchEntry, score: Double, containment: Double)]] = [:]
            for c in candidates.scored {
                if byStory[c.entry.story] == nil { order.append(c.entry.story) }
                byStory[c.entry.story, default: []].append(c)
            }
            // Only when a candidate is aligned: a decisive estimate needs none.
            var aligner: QueryAligner? = nil
            var containedShares: [String: Double] = [:]
            var alignedShares: [String: Double] = [:]
            /// The share of the query's shingles the candidate has (nil: its text is not to be had).
            func contained(_ e: MatchEntry) throws -> Double? {
                if let known = containedShares[e.edition] { return known }
                if aligner == nil { aligner = QueryAligner(candidates.query) }
                // Ruled out by the samples: no text to read, nothing to shingle. Below the gate
                // it is never aligned; 0 stands for 'under `attachContained`'.
                if let sample = texts.sample(of: e.edition), aligner!.rulesOut(sampled: sample) {
                    containedShares[e.edition] = 0
                    return 0
                }
                guard let shingles = try texts.shingles(of: e.edition) else { return nil }
                let share = aligner!.contained(shingles: shingles)
                containedShares[e.edition] = share
                return share
            }
            /// Both shares; `aligned` only where `contained` leaves the candidate a chance of being
            /// `confirmed` (the cheaper test first), unless `always`.
            func align(_ e: MatchEntry, always: Bool = false) throws -> (aligned: Double, contained: Double)? {
                guard let held = try contained(e) else { return nil }
                if let known = alignedShares[e.edition] { return (known, held) }
                guard always || held >= MatchPolicy.attachContained else { return (0, held) }
                guard let text = try texts.text(of: e.edition) else { return nil }
                let share = aligner!.aligned(text)
                alignedShares[e.edition] = share
                return (share, held)
            }
            func found(_ c: (entry: MatchEntry, score: Double, containment: Double), _ shares: (aligned: Double, contained: Double)?) -> EditionMatch {
                EditionMatch(edition: c.entry.edition, story: c.entry.story, source: c.entry.source, date: c.entry.date, score: c.score,
                             aligned: shares?.aligned, contained: shares?.contained)
            }
            var best: EditionMatch? = nil
            // The best estimate of each story (candidates are ranked by containment, not score).
            let bestScores = order.map { story in byStory[story]!.max { $0.score < $1.score }! }.sorted { $0.score > $1.score }
            if quick, let top = bestScores.first, top.score >= MatchPolicy.decisiveScore,
               bestScores.count < 2 || bestScores[1].score <= top.score - MatchPolicy.decisiveMargin {
                best = found(top, nil)
            } else {
                for story in order.prefix(MatchPolicy.storiesConfirmed) {
                    let c = byStory[story]![0]
                    // Candidates come best estimate first: once one is confirmed, a story estimated
                    // well below what it holds (by more than the estimate's noise) cannot beat it.
                    if let b = best, let held = b.contained, c.containment < held - MatchPolicy.decisiveMargin { break }
                    guard let shares = try align(c.entry) else { continue }
                    let candidate = found(c, shares)
                    guard candidate.confirmed else { continue }
                    if best == nil || candidate.ranksAbove(best!) { best = candidate }
                }
            }
            if let best {
                let records = try known ?? index()
                // The story already records this edition from this source: this is an update (the
                // same commit or import run again), and the record's derivation stays as it is.
                let indexed = try records.recordAndChildren(story: best.story, source: m.source, edition: pending.edition)
                if indexed.recorded || recordedHere(best.story, m.source, pending.edition) {
                    return StoryProposal(story: best.story, derivedFrom: nil, matched: best, alreadyRecorded: true)
                }
                /// Whether `candidate` derives, at any remove, from this edition (its bytes may be
                /// recorded under another source): as a parent it would close a cycle. Only if some
                /// record names this edition as its parent: almost never, and one look-up says so.
                let hasChildren = indexed.hasChildren
                func derivesFromThis(_ candidate: String) -> Bool {
                    hasChildren && (try? Derivation.checkNoCycle(edition: pending.edition, parent: candidate) { id in
                        try records.editions(idPrefix: id).filter { $0.edition == id }.compactMap(\.metadata.derivedFrom)
                    }) == nil
                }
                /// Whether `e`, of the same day, credits this edition's source while this one does
                /// not credit its own (a paper crediting the agency's copy or photo): the paper is
                /// the agency's edition's child, whichever was recorded first.
                func creditsThis(_ e: MatchEntry) throws -> Bool {
                    guard e.date == m.date, let theirs = try texts.credits(of: e.edition) else { return false }
                    return theirs.contains(m.source) && !candidates.query.credits.contains(e.source)
                }
                // The parent: of the story's candidates, one from another source dated on or before
                // this edition, the best match as `EditionMatch.ranksAbove` has it; by estimate
                // alone where the story was taken on its estimate.
                var passedOver: [EditionMatch] = []
                let eligible = try byStory[best.story]!.filter {
                    guard $0.entry.source != m.source && $0.entry.date <= m.date && $0.entry.edition != pending.edition
                          && !derivesFromThis($0.entry.edition) else { return false }
                    if try creditsThis($0.entry) { passedOver.append(found($0, nil)); return false }
                    return true
                }
                var parent: EditionMatch? = nil
                for c in eligible.prefix(MatchPolicy.storiesConfirmed) {
                    var shares: (aligned: Double, contained: Double)? = nil
                    if best.aligned != nil {
                        guard let known = try align(c.entry, always: true) else { continue }
                        shares = known
                    }
                    let candidate = found(c, shares)
                    if parent == nil || candidate.ranksAbove(parent!) { parent = candidate }
                }
                return StoryProposal(story: best.story, derivedFrom: parent?.edition, matched: best, passedOver: passedOver)
            }
        }
        let index = try known ?? index()
        let firstSentence = { query?.firstSentence ?? StorySlug.firstSentence(Segmenter.segment(pending.bytes)) }
        let story = StorySlug.make(date: m.date, title: m.title, firstSentence: firstSentence) { candidate in
            taken(candidate) || ((try? index.hasStory(candidate)) ?? true)
        }
        return StoryProposal(story: story, derivedFrom: nil, matched: nil)
    }
}

/// A readable id for a new story: its date and the first words of its title (or, without one, of
/// its first sentence), folded as search folds them (`SearchFold`) and kept to a-z and 0-9, then
/// `-2`, `-3`… until it is unused.
public enum StorySlug {
    static let words = 6
    static let maxLength = 64

    public static func make(date: String, title: String?, text: [UInt8], isTaken: (String) -> Bool) -> String {
        make(date: date, title: title, firstSentence: { firstSentence(Segmenter.segment(text)) }, isTaken: isTaken)
    }

    /// `firstSentence`: the text's, asked for only without a title's words.
    static func make(date: String, title: String?, firstSentence: () -> String, isTaken: (String) -> Bool) -> String {
        let base = self.base(date: date, title: title, firstSentence: firstSentence)
        if !isTaken(base) { return base }
        var n = 2
        while isTaken("\(base)-\(n)") { n += 1 }
        return "\(base)-\(n)"
    }

    static func base(date: String, title: String?, firstSentence: () -> String) -> String {
        let words = slugWords(title ?? "")
        let chosen = words.isEmpty ? slugWords(firstSentence()) : words
        var slug = date
        for word in chosen.prefix(Self.words) where slug.count + 1 + word.count <= maxLength { slug += "-" + word }
        return slug
    }

    static func slugWords(_ text: String) -> [String] {
        SearchFold.key(text).split { !(("a"..."z").contains($0) || ("0"..."9").contains($0)) }.map(String.init)
    }

    static func firstSentence(_ segmented: SegmentedText) -> String {
        guard let unit = segmented.units.first(where: { $0.kind == .sentence }) else { return "" }
        return segmented.text(unit.range)
    }
}
