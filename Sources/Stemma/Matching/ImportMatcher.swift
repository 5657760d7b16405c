import Foundation

/// Story matching during a bulk import, for items given without a story. Items of the same import
/// count as matches: once the import has needed a match, every edition it writes is kept in
/// memory with its band keys (`PendingMatches`) until the checkpoint that puts it in the object
/// store, where all of them go into the matching index in one transaction, on a thread of its own
/// (`MatchIndex.beginCheckpoint`): they stay pending until it is done. Each text is
/// segmented and shingled once (`QueryText`), for its query and its stored signature alike.
final class ImportMatcher {
    private let corpus: Corpus
    private var index: MatchIndex?
    /// The corpus index, which the import keeps up to date at its checkpoints.
    private var records: CorpusIndex?
    /// Written since the last checkpoint, once the index is in use.
    private var pending = PendingMatches()
    /// Written since the last checkpoint, before the first match (sketched only if one comes).
    private var waiting: [PendingEdition] = []
    /// Stories this import has written to, which the corpus index may not know yet.
    private var stories = Set<String>()
    /// The items just matched, so writing them does not shingle them again.
    private var prepared: [String: PreparedMatch] = [:]
    /// Candidates' texts and shingles, read once for the whole import.
    private var texts: CandidateTexts!
    private(set) var matched = 0
    private(set) var newStories = 0
    /// Items whose same-day candidate parent credits their source (`StoryProposal.passedOver`).
    private(set) var creditedByCandidate = 0
    /// Matched items the story they matched records already (`StoryProposal.alreadyRecorded`).
    private(set) var alreadyRecorded = 0

    init(corpus: Corpus) {
        self.corpus = corpus
        texts = CandidateTexts { [unowned self] edition in self.pending.text(of: edition) ?? (try? self.corpus.text(of: edition)) }
    }

    /// What `assign` needs of an item, if it has no story: its text's part, which the reader
    /// threads work out ahead.
    static func prepare(_ item: PendingEdition) -> PreparedMatch? {
        guard item.metadata.story == StoryProposal.placeholder else { return nil }
        return PreparedMatch(item)
    }

    /// `item` with its story (and parent) chosen, if it was given without one. `prepared`: its
    /// `prepare`, if done already.
    func assign(_ item: PendingEdition, prepared ahead: PreparedMatch? = nil) throws -> PendingEdition {
        guard item.metadata.story == StoryProposal.placeholder else { return item }
        let index = try activeIndex()
        let match = ahead.flatMap { $0.edition == item.edition ? $0 : nil } ?? PreparedMatch(item)
        let candidates = try corpus.proposalCandidates(for: match.query, in: index, pending: pending)
        prepared[item.edition] = match
        let proposal = try corpus.proposeStory(for: item, matching: true, quick: true, candidates: candidates, records: records,
                                               taken: { self.stories.contains($0) }, texts: texts)
        if proposal.matched == nil { newStories += 1 } else { matched += 1 }
        if !proposal.passedOver.isEmpty { creditedByCandidate += 1 }
        if proposal.alreadyRecorded { alreadyRecorded += 1 }
        return try proposal.applied(to: item)
    }

    /// What matching did, for the user; nil when every item had a story.
    var summary: String? {
        guard matched + newStories > 0 else { return nil }
        let recorded = alreadyRecorded > 0 ? " (\(alreadyRecorded) of them recorded there already)" : ""
        var line = "\(matched + newStories) item(s) without a story: \(matched) joined the story they matched\(recorded), \(newStories) started a new one"
        if creditedByCandidate > 0 {
            line += "; \(creditedByCandidate) not derived from an edition of the same day that credits their source (it more likely derives from them)"
        }
        return line
    }

    /// Notes an edition the import has just written.
    func written(_ item: PendingEdition) throws {
        stories.insert(item.metadata.story)
        if index == nil { waiting.append(item); return }
        let match = prepared.removeValue(forKey: item.edition)
        let query = match?.query ?? QueryText(item.bytes)
        texts.note(item.edition, shingles: query.shingles, sample: query.sample, credits: query.credits)
        pending.add(item.metadata, edition: item.edition, text: item.bytes, sketch: query.sketch)
    }

    /// The checkpoint that wrote `rows` (new and updated records) has moved `main` from `from` to
    /// `to`: what was written goes into the matching index, if one is in use.
    func checkpointed(_ rows: [LoggedEdition], from: String?, to: String) throws {
        defer { waiting.removeAll(keepingCapacity: true); prepared.removeAll(keepingCapacity: true) }
        guard let index else { return }
        let updated = rows.filter { !pending.contains(story: $0.metadata.story, source: $0.metadata.source, edition: $0.edition) }
        try index.beginCheckpoint(pending.items, updated: updated, from: from, to: to)
        pending.storing = nil // the checkpoint before, which `beginCheckpoint` waited for: stored
        pending = PendingMatches(firstID: pending.nextID, storing: pending)
    }

    /// Takes in the last checkpoint's write, if it is done: before each item, outside the item's
    /// own errors (a write that cannot be made stops the import, it is not the item's fault).
    func takeStoredCheckpoint() throws {
        if let index { _ = try index.finishCheckpoint(waiting: false) }
    }

    /// Waits until the matching index holds every checkpoint: the import's last step.
    func finish() throws {
        if let index { _ = try index.finishCheckpoint(waiting: true) }
    }

    /// The matching index, caught up, with this import's editions so far beside it.
    private func activeIndex() throws -> MatchIndex {
        if let index { return index }
        let opened = try corpus.matchIndex()
        records = try corpus.index()
        for item in waiting { pending.add(item.metadata, edition: item.edition, text: item.bytes, sketch: TextSketch(item.bytes)) }
        waiting.removeAll()
        index = opened
        return opened
    }
}
