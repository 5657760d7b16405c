/// What `stemma find` asks the index: every condition given must hold.
public struct EditionQuery: Sendable, Equatable {
    public var story: String?
    public var source: String?
    /// Publication dates from and to (inclusive), `YYYY-MM-DD`.
    public var from: String?
    public var to: String?
    /// A full edition id: the editions derived from it.
    public var derivedFrom: String?
    /// Case-insensitive text the title must contain (ASCII case folding).
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

extension Corpus {
    /// Editions matching `query`, newest first. `derivedFrom` may be any edition reference.
    public func find(_ query: EditionQuery, limit: Int = 1_000) throws -> [LoggedEdition] {
        var query = query
        try query.validate()
        if let parent = query.derivedFrom { query.derivedFrom = try resolve(parent).edition }
        return try index().find(query, limit: limit)
    }
}
