import Foundation

/// Story matching during a bulk import, for items given without a story. Items of the same import
/// count as matches: every edition written goes into the matching index as it is written (once
/// the import has needed a match), and its text is kept in memory until the checkpoint that puts
/// it in the object store.
final class ImportMatcher {
    private let corpus: Corpus
    private var index: MatchIndex?
    /// Texts written since the last checkpoint, by edition id: not readable from git yet.
    private var unflushed: [String: [UInt8]] = [:]
    /// Written since the last checkpoint and not in the matching index yet (before the first match).
    private var waiting: [(EditionMetadata, String)] = []
    /// Stories this import has written to, which the corpus index may not know yet.
    private var stories = Set<String>()
    /// Sketches of the items just matched, so writing them does not shingle them again.
    private var sketches: [String: TextSketch] = [:]
    private(set) var matched = 0
    private(set) var newStories = 0

    init(corpus: Corpus) { self.corpus = corpus }

    /// `pending` with its story (and parent) chosen, if it was given without one.
    func assign(_ pending: PendingEdition, location: String) throws -> PendingEdition {
        guard pending.metadata.story == StoryProposal.placeholder else { return pending }
        _ = try activeIndex()
        let candidates = try corpus.candidates(for: pending.bytes)
        sketches[pending.edition] = candidates.sketch
        let proposal = try corpus.proposeStory(for: pending, matching: true, quick: true, candidates: candidates,
                                               taken: { self.stories.contains($0) }) { edition in
            if let text = self.unflushed[edition] { return text }
            return try? self.corpus.text(of: edition)
        }
        if proposal.matched == nil { newStories += 1 } else { matched += 1 }
        return try proposal.applied(to: pending, name: location)
    }

    /// What matching did, for the user; nil when every item had a story.
    var summary: String? {
        guard matched + newStories > 0 else { return nil }
        return "\(matched + newStories) item(s) without a story: \(matched) joined the story they matched, \(newStories) started a new one"
    }

    /// Notes an edition the import has just written.
    func written(_ pending: PendingEdition) throws {
        stories.insert(pending.metadata.story)
        unflushed[pending.edition] = pending.bytes
        if let index {
            try index.addPending(pending.metadata, edition: pending.edition, text: pending.bytes,
                                 sketch: sketches.removeValue(forKey: pending.edition))
        } else {
            waiting.append((pending.metadata, pending.edition))
        }
    }

    /// The editions written so far are on main now. (Other writers' editions reach the matching
    /// index by its catch-up, which `Corpus.matchIndex()` runs at every use.)
    func checkpointed() {
        unflushed.removeAll(keepingCapacity: true)
        waiting.removeAll(keepingCapacity: true)
        index?.pendingLanded()
    }

    /// The matching index, caught up, with this import's editions so far in it.
    private func activeIndex() throws -> MatchIndex {
        if let index { return index }
        let opened = try corpus.matchIndex()
        for (metadata, edition) in waiting {
            if let text = unflushed[edition] { try opened.addPending(metadata, edition: edition, text: text) }
        }
        waiting.removeAll()
        index = opened
        return opened
    }
}
