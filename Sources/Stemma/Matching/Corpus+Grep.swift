import Collation
import Foundation

/// An edition that contains a searched phrase, with the units (sentences, or a caption or
/// byline) that contain it, in text order.
public struct GrepHit: Sendable, Equatable {
    public let edition: String
    public let story: String
    public let source: String
    public let date: String
    public let sentences: [String]
}

/// A phrase as text search reads it: its words as `SearchFold.words` gives them (case,
/// diacritics, typography and spelling folded), found where they stand together in a sentence,
/// written apart or together as house styles write compounds (`Vietnam`, `Việt Nam`). FTS5 finds
/// the editions that may have it (`MatchIndex.candidateQuery`); the same fold then picks out the
/// sentences that have it.
public struct SearchPhrase: Sendable, Equatable {
    public let words: [String]

    public init(_ pattern: String) throws {
        words = SearchFold.words(pattern)
        guard !words.isEmpty else { throw StemmaError.user("'\(pattern)' has no letters or digits to search for") }
    }

    /// Whether `text` has the phrase.
    func occurs(in text: String) -> Bool { SearchFold.containsPhrase(SearchFold.words(text), words) }
}

extension Corpus {
    /// Editions containing `pattern` as a phrase (ignoring case and diacritics), newest first, at
    /// most `limit` (0: all), with the sentences that contain it. Only the derived index is written: the
    /// first search after records were added folds their texts into it (`onSearchIndexProgress`).
    public func grep(_ pattern: String, story: String? = nil, source: String? = nil, limit: Int = 0) throws -> [GrepHit] {
        let phrase = try SearchPhrase(pattern)
        if let story {
            try EditionMetadata.validateStory(story)
            if try index().editions(story: story).isEmpty { throw StemmaError.user("no story '\(story)' in this corpus") }
        }
        if let source { try EditionMetadata.validateSource(source) }
        var hits: [GrepHit] = []
        for entry in try matchIndex().search(words: phrase.words, story: story, source: source, limit: 0, onProgress: onSearchIndexProgress) {
            let segmented = Segmenter.segment(try text(of: entry.edition))
            let sentences = segmented.units.map { segmented.text($0.range) }.filter(phrase.occurs(in:))
            // A phrase that runs across two sentences is in the words but in no sentence: not a hit.
            guard !sentences.isEmpty else { continue }
            hits.append(GrepHit(edition: entry.edition, story: entry.story, source: entry.source, date: entry.date, sentences: sentences))
            if limit > 0 && hits.count == limit { break }
        }
        // Looked for only when nothing was found: the source has no index of its own to ask.
        if hits.isEmpty, let source, try !index().hasSource(source) { throw StemmaError.user("no edition from source '\(source)' in this corpus") }
        return hits
    }
}
