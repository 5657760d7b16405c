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

    /// A valid story id to prepare a draft with before its story is known; never committed.
    public static let placeholder = "unassigned"

    /// `pending` with this story, and this parent unless it already has one.
    public func applied(to pending: PendingEdition, name: String) throws -> PendingEdition {
        var metadata = pending.metadata
        metadata.story = story
        if metadata.derivedFrom == nil { metadata.derivedFrom = derivedFrom }
        return try PendingEdition(bytes: pending.bytes, metadata: metadata, name: name, maxBytes: max(pending.bytes.count, 1))
    }
}

extension Corpus {
    /// The story for `pending` (prepared with `StoryProposal.placeholder`): the story of its best
    /// match if at least `MatchPolicy.attachAligned` of its sentences align to one of that story's
    /// editions, else a new story named from its date and title or first words (see `StorySlug`).
    /// `matching: false` always makes a new story. `taken` are story ids in use that the corpus
    /// does not know yet (earlier items of the same import).
    public func proposeStory(for pending: PendingEdition, matching: Bool = true, taken: Set<String> = []) throws -> StoryProposal {
        let m = pending.metadata
        if matching, let best = try match(pending.bytes, limit: MatchPolicy.confirmed).first, best.aligned >= MatchPolicy.attachAligned {
            return StoryProposal(story: best.story, derivedFrom: try proposedParent(for: pending, in: best.story), matched: best)
        }
        let index = try index()
        let story = StorySlug.make(date: m.date, title: m.title, text: pending.bytes) { candidate in
            taken.contains(candidate) || ((try? !index.editions(story: candidate).isEmpty) ?? true)
        }
        return StoryProposal(story: story, derivedFrom: nil, matched: nil)
    }

    /// The edition of `story` from another source, dated on or before `pending`, to which most of
    /// its sentences align (then the closest date): where the desk most likely started.
    func proposedParent(for pending: PendingEdition, in story: String) throws -> String? {
        let m = pending.metadata
        let sentences = MatchPolicy.sentenceCount(pending.bytes)
        var best: (edition: String, aligned: Double, date: String)? = nil
        for e in try index().editions(story: story) where e.metadata.source != m.source && e.metadata.date <= m.date && e.edition != pending.edition {
            let aligned = MatchPolicy.aligned(try text(of: e.edition), pending.bytes, querySentences: sentences)
            if let b = best, b.aligned > aligned || (b.aligned == aligned && b.date >= e.metadata.date) { continue }
            best = (e.edition, aligned, e.metadata.date)
        }
        guard let best, best.aligned > 0 else { return nil }
        return best.edition
    }
}

/// A readable id for a new story: its date and the first words of its title (or, without one, of
/// its first sentence), folded as search folds them (`SearchFold`) and kept to a-z and 0-9, then
/// `-2`, `-3`… until it is unused.
public enum StorySlug {
    static let words = 6
    static let maxLength = 64

    public static func make(date: String, title: String?, text: [UInt8], isTaken: (String) -> Bool) -> String {
        let base = self.base(date: date, title: title, text: text)
        if !isTaken(base) { return base }
        var n = 2
        while isTaken("\(base)-\(n)") { n += 1 }
        return "\(base)-\(n)"
    }

    static func base(date: String, title: String?, text: [UInt8]) -> String {
        let words = slugWords(title ?? "")
        let chosen = words.isEmpty ? slugWords(firstSentence(text)) : words
        var slug = date
        for word in chosen.prefix(Self.words) where slug.count + 1 + word.count <= maxLength { slug += "-" + word }
        return slug
    }

    static func slugWords(_ text: String) -> [String] {
        SearchFold.key(text).split { !(("a"..."z").contains($0) || ("0"..."9").contains($0)) }.map(String.init)
    }

    static func firstSentence(_ text: [UInt8]) -> String {
        let segmented = Segmenter.segment(text)
        guard let unit = segmented.units.first(where: { $0.kind == .sentence }) else { return "" }
        return segmented.text(unit.range)
    }
}
