import Git

/// What one of the corpus's commits recorded, read from its trailers (see `Trailers`).
public struct RecordingCommit: Sendable, Equatable {
    public let commit: String
    public let subject: String
    /// The edition the commit recorded, when it recorded one (the corpus's first commit records none).
    public let edition: String?
    public let story: String?
    public let source: String?
}

extension Corpus {
    /// The commit an abbreviated commit id (7 to 40 hex digits) names, with the edition it recorded; nil when no single
    /// commit matches. So a user who gives a commit id where an edition is wanted can be told which
    /// edition that commit recorded.
    public func recordingCommit(_ prefix: String) throws -> RecordingCommit? {
        let lower = prefix.lowercased()
        guard lower.count >= 7 else { return nil } // as short as edition ids may be abbreviated, no shorter
        guard let id = try gitCall({ try repository.commitID(prefix: lower) }) else { return nil }
        let commit = try gitCall { try repository.commit(id) }
        let trailers = Dictionary(Trailers.parse(commit.message), uniquingKeysWith: { a, _ in a })
        let subject = commit.message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return RecordingCommit(commit: id.hex, subject: subject, edition: trailers["Edition"], story: trailers["Story"], source: trailers["Source"])
    }
}
