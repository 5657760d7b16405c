import Foundation

/// What an import's writer tells its matcher at a checkpoint (`ImportMatcher.checkpointed`).
struct WrittenCheckpoint: Sendable {
    /// The last line the checkpoint holds: the matcher, ahead of the writer, has matched later ones.
    let throughLine: Int
    /// The lines since the checkpoint before that the writer wrote as new records.
    let created: Set<Int>
    /// The records the checkpoint wrote, new and updated.
    let rows: [LoggedEdition]
    /// The commits `main` moved from and to.
    let from: String?
    let to: String
}

/// Story matching during a bulk import, for items given without a story. Items of the same import
/// count as matches: once the import has needed a match, every edition it is to write is kept in
/// memory with its band keys (`PendingMatches`) until the checkpoint that puts it in the object
/// store, where all of them go into the matching index in one transaction, on a thread of its own
/// (`MatchIndex.beginCheckpoint`): they stay pending until it is done. Each text is
/// segmented and shingled once (`QueryText`), for its query and its stored signature alike.
///
/// It runs ahead of the import's writer (`MatchingStage`), so it cannot wait to be told what was
/// written: an item counts as written when it is handed over (`willWrite`) unless it is recorded
/// already, and each checkpoint says which items it holds and which of them it wrote as new.
final class ImportMatcher {
    private let corpus: Corpus
    private var index: MatchIndex?
    /// The corpus index, which the import's writer brings up to date at each checkpoint (a
    /// connection of the matcher's own: it may show a checkpoint before the matcher takes it in,
    /// so whether a record is there is asked of `pending` as well).
    private var records: CorpusIndex?
    /// To be written since the last checkpoint, once the index is in use, and the line of each.
    private var pending = PendingMatches()
    private var pendingLines: [Int] = []
    /// A record the writer is to write at `line`, not sketched.
    private struct Noted {
        let line: Int
        let metadata: EditionMetadata
        let text: [UInt8]
        let edition: String
    }
    /// To be written since the last checkpoint, before the first match (sketched only if one comes).
    private var waiting: [Noted] = []
    /// To be written since the last checkpoint as updates, once the index is in use: should the
    /// writer find one new after all (another writer removed it meanwhile), it is stored too.
    private var updating: [Noted] = []
    /// Stories this import writes to, which the corpus index may not know yet.
    private var stories = Set<String>()
    /// The item just matched, so noting it does not shingle it again.
    private var lastMatch: PreparedMatch?
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

    /// `item` with its story (and parent) chosen, if it was given without one, and whether that
    /// story records it already (nil: it came with its story, this does not look). `prepared`: its
    /// `prepare`, if done already.
    func assign(_ item: PendingEdition, prepared ahead: PreparedMatch? = nil) throws -> (item: PendingEdition, recorded: Bool?) {
        guard item.metadata.story == StoryProposal.placeholder else { return (item, nil) }
        let index = try activeIndex()
        let match = ahead.flatMap { $0.edition == item.edition ? $0 : nil } ?? PreparedMatch(item)
        let candidates = try corpus.proposalCandidates(for: match.query, in: index, pending: pending)
        lastMatch = match
        let proposal = try corpus.proposeStory(for: item, matching: true, quick: true, candidates: candidates, records: records,
                                               taken: { self.stories.contains($0) },
                                               recordedHere: { self.pending.holds(story: $0, source: $1, edition: $2) }, texts: texts)
        if proposal.matched == nil { newStories += 1 } else { matched += 1 }
        if !proposal.passedOver.isEmpty { creditedByCandidate += 1 }
        if proposal.alreadyRecorded { alreadyRecorded += 1 }
        return (try proposal.applied(to: item), proposal.alreadyRecorded)
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

    /// Notes an item the writer is to write next, as the record `values` (its lines folded):
    /// unless that record is in the corpus already (`recorded`: the writer updates it or leaves
    /// it), the items after it find it among the candidates.
    func willWrite(_ item: PendingEdition, as values: EditionMetadata, line: Int, recorded: Bool) {
        stories.insert(values.story)
        let match = lastMatch.flatMap { $0.edition == item.edition ? $0 : nil }
        lastMatch = nil
        let noted = Noted(line: line, metadata: values, text: item.bytes, edition: item.edition)
        if recorded || pending.holds(story: values.story, source: values.source, edition: item.edition) {
            if index != nil { updating.append(noted) }
            return
        }
        guard index != nil else { waiting.append(noted); return }
        let query = match?.query ?? QueryText(item.bytes)
        texts.note(item.edition, shingles: query.shingles, sample: query.sample, credits: query.credits)
        pending.add(values, edition: item.edition, text: item.bytes, sketch: query.sketch)
        pendingLines.append(line)
    }

    /// The writer's checkpoint `c` has moved `main`: the new records it holds go into the matching
    /// index, if one is in use (those of the items matched since go on pending), with the dates
    /// of those it updated.
    func checkpointed(_ c: WrittenCheckpoint) throws {
        waiting.removeAll { $0.line <= c.throughLine } // the matching index catches up on these when opened
        defer { updating.removeAll { $0.line <= c.throughLine } }
        guard let index else { return }
        let ahead = pendingLines.count - (pendingLines.lastIndex { $0 <= c.throughLine }.map { $0 + 1 } ?? 0)
        let later = pending.removeLast(ahead)
        let laterLines = pendingLines.suffix(ahead)
        pendingLines.removeLast(ahead)
        var stored: [PendingMatches.Item] = []
        var storedKeys = Set<String>()
        for (item, line) in zip(pending.items, pendingLines) where c.created.contains(line) {
            stored.append(item)
            storedKeys.insert(MatchIndex.recordKey(item.metadata.story, item.metadata.source, item.entry.edition))
        }
        let storedAll = stored.count == pending.items.count
        for u in updating where u.line <= c.throughLine && c.created.contains(u.line) {
            stored.append(PendingMatches.Item(u.metadata, edition: u.edition, text: u.text, sketch: TextSketch(u.text), id: 0))
            storedKeys.insert(MatchIndex.recordKey(u.metadata.story, u.metadata.source, u.edition))
        }
        let updated = c.rows.filter { !storedKeys.contains(MatchIndex.recordKey($0.metadata.story, $0.metadata.source, $0.edition)) }
        try index.beginCheckpoint(stored, updated: updated, from: c.from, to: c.to)
        pending.storing = nil // the checkpoint before, which `beginCheckpoint` waited for: stored
        // Until the index has them, candidates as pending ones: those stored, and no others.
        var storing = pending
        if !storedAll {
            storing = PendingMatches(firstID: pending.firstID)
            for item in stored { storing.add(item) }
        }
        let next = PendingMatches(firstID: pending.nextID, storing: storing)
        for item in later { next.add(item) }
        pending = next
        pendingLines = Array(laterLines)
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
        let records = try corpus.index()
        self.records = records
        // Those the corpus index has already (a checkpoint not taken in yet) are stored by the
        // catch-up: asked first, so that none is neither stored nor pending.
        let unseen = try waiting.filter { try records.record(story: $0.metadata.story, source: $0.metadata.source, edition: $0.edition) == nil }
        waiting.removeAll()
        let opened = try corpus.matchIndex()
        for noted in unseen {
            pending.add(noted.metadata, edition: noted.edition, text: noted.text, sketch: TextSketch(noted.text))
            pendingLines.append(noted.line)
        }
        index = opened
        return opened
    }
}
