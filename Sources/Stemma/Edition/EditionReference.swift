/// A way to name an edition on the command line.
///
/// - `5f2c8e1` … full id: an edition id, abbreviated to at least 7 hex digits;
/// - `STORY:SOURCE`: the newest edition of STORY from SOURCE;
/// - `STORY:SOURCE~N`: the N-th edition before that one.
public enum EditionReference: Equatable, Sendable {
    case id(prefix: String)
    case story(String, source: String, back: Int)

    public init(parsing text: String) throws {
        if let colon = text.firstIndex(of: ":") {
            let story = String(text[..<colon])
            var rest = String(text[text.index(after: colon)...])
            var back = 0
            if let tilde = rest.firstIndex(of: "~") {
                let n = rest[rest.index(after: tilde)...]
                guard let value = n.isEmpty ? 1 : Int(n), value >= 0 else {
                    throw StemmaError.user("bad edition reference '\(printable(text))': '~' takes a number, as in STORY:SOURCE~2")
                }
                back = value
                rest = String(rest[..<tilde])
            }
            try EditionMetadata.validateStory(story)
            try EditionMetadata.validateSource(rest)
            self = .story(story, source: rest, back: back)
            return
        }
        let lower = text.lowercased()
        guard lower.count >= 7, lower.count <= 40, lower.utf8.allSatisfy(isLowerHex) else {
            throw StemmaError.user("bad edition reference '\(printable(text))': expected an edition id (7-40 hex digits) or STORY:SOURCE[~N]")
        }
        self = .id(prefix: lower)
    }

    /// The record this reference names; throws `.user` for unknown or ambiguous references.
    public func resolve(in index: CorpusIndex) throws -> LoggedEdition {
        switch self {
        case .id(let prefix):
            let matches = try index.editions(idPrefix: prefix)
            let ids = Array(Set(matches.map(\.edition))).sorted()
            guard let first = matches.first else { throw StemmaError.user("no edition matches '\(prefix)'") }
            if ids.count > 1 {
                let list = matches.prefix(10).map { "\($0.edition.prefix(12)) (\($0.metadata.story):\($0.metadata.source) \($0.metadata.date))" }
                throw StemmaError.user("edition reference '\(prefix)' is ambiguous: \(list.joined(separator: ", "))")
            }
            return first
        case .story(let story, let source, let back):
            let editions = try index.editions(story: story, source: source)
            if editions.isEmpty {
                let all = try index.editions(story: story)
                if all.isEmpty { throw StemmaError.user("no story '\(story)' in this corpus") }
                let sources = Array(Set(all.map(\.metadata.source))).sorted().map { "\(story):\($0)" }
                throw StemmaError.user("story '\(story)' has no edition from \(source); candidates: \(sources.joined(separator: ", "))")
            }
            guard back < editions.count else {
                throw StemmaError.user("\(story):\(source)~\(back) does not exist: \(story) has \(editions.count) edition(s) from \(source)")
            }
            return editions[back]
        }
    }
}
