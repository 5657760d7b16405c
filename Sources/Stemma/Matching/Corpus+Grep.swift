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

/// A phrase as text search reads it: words of letters and digits, folded by `SearchFold` (case,
/// diacritics, typography), so `viet nam` is the phrase of `Việt Nam`. FTS5 finds the editions
/// that have every word; the same words, split the same way, then pick out the sentences that have them in a row.
public struct SearchPhrase: Sendable, Equatable {
    public let words: [String]

    public init(_ pattern: String) throws {
        words = Self.words(pattern)
        guard !words.isEmpty else { throw StemmaError.user("'\(pattern)' has no letters or digits to search for") }
    }

    static func words(_ text: String) -> [String] {
        SearchFold.key(text).split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// An FTS5 query for editions with every word (each in double quotes; a word holds no quote,
    /// so nothing to escape). Whether they stand in a row is checked in the text (`occurs`).
    var query: String { words.map { "\"" + $0 + "\"" }.joined(separator: " AND ") }

    /// Whether `text` has the words in a row.
    func occurs(in text: String) -> Bool {
        let found = Self.words(text)
        guard found.count >= words.count else { return false }
        for start in 0...(found.count - words.count) where found[start] == words[0] {
            if found[start..<(start + words.count)].elementsEqual(words) { return true }
        }
        return false
    }
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
        var hits: [GrepHit] = []
        for entry in try matchIndex().search(phrase: phrase.query, story: story, source: source, limit: 0, onProgress: onSearchIndexProgress) {
            let segmented = Segmenter.segment(try text(of: entry.edition))
            let sentences = segmented.units.map { segmented.text($0.range) }.filter(phrase.occurs(in:))
            // A phrase that runs across two sentences is in the words but in no sentence: not a hit.
            guard !sentences.isEmpty else { continue }
            hits.append(GrepHit(edition: entry.edition, story: entry.story, source: entry.source, date: entry.date, sentences: sentences))
            if limit > 0 && hits.count == limit { break }
        }
        return hits
    }
}
