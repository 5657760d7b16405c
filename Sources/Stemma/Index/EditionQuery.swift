import Collation

/// What `stemma find` asks the index: every condition given must hold.
public struct EditionQuery: Sendable, Equatable {
    public var story: String?
    public var source: String?
    /// Publication dates from and to (inclusive), `YYYY-MM-DD`.
    public var from: String?
    public var to: String?
    /// A full edition id: the editions derived from it.
    public var derivedFrom: String?
    /// Text the title must contain, ignoring case and diacritics (`SearchFold`, the collation engine's folds).
    public var titleContains: String?

    public init(story: String? = nil, source: String? = nil, from: String? = nil, to: String? = nil,
                derivedFrom: String? = nil, titleContains: String? = nil) {
        self.story = story; self.source = source; self.from = from; self.to = to
        self.derivedFrom = derivedFrom; self.titleContains = titleContains
    }

    /// Throws `.user` for malformed conditions.
    public func validate() throws {
        if let story { try EditionMetadata.validateStory(story) }
        if let source { try EditionMetadata.validateSource(source) }
        for date in [from, to].compactMap({ $0 }) { try EditionMetadata.validateDate(date) }
        if let from, let to, from > to { throw StemmaError.user("--from \(from) is after --to \(to)") }
    }
}

/// What a search found, and whether it stopped at its limit with more left.
public struct FoundEditions: Sendable, Equatable {
    public var editions: [LoggedEdition]
    public var truncated: Bool
}

extension Corpus {
    /// Editions matching `query`, newest first, at most `limit` of them (nil: all).
    /// `derivedFrom` may be any edition reference.
    public func find(_ query: EditionQuery, limit: Int?) throws -> FoundEditions {
        var query = query
        try query.validate()
        if let parent = query.derivedFrom { query.derivedFrom = try resolve(parent).edition }
        // One more than asked tells whether the limit cut anything off.
        let probe = limit.map { $0 < Int.max ? $0 + 1 : $0 } ?? Int.max
        var found: [LoggedEdition]
        if let title = query.titleContains {
            // The index compares bytes; folding is the collation engine's, so the title is matched here.
            query.titleContains = nil
            found = try index().find(query, limit: Int.max).filter { $0.metadata.title.map { SearchFold.contains($0, title) } ?? false }
            if found.count > probe { found.removeLast(found.count - probe) }
        } else {
            found = try index().find(query, limit: probe)
        }
        let truncated = limit.map { found.count > $0 } ?? false
        if truncated { found.removeLast(found.count - limit!) }
        return FoundEditions(editions: found, truncated: truncated)
    }

    /// Editions matching `query`, newest first, at most `limit`.
    public func find(_ query: EditionQuery, limit: Int = 1_000) throws -> [LoggedEdition] {
        try find(query, limit: Optional(limit)).editions
    }
}
