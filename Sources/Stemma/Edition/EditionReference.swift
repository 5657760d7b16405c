/// A way to name an edition on the command line.
///
/// - `5f2c8e1` … full id: an edition id, abbreviated to at least 7 hex digits;
/// - `STORY:SOURCE`: the newest edition of STORY from SOURCE;
/// - `STORY:SOURCE~N`: the N-th edition before that one.
/// - `REF^`: the edition REF derives from (its `derived_from`); `REF^^` and `REF^N` walk N steps.
public indirect enum EditionReference: Equatable, Sendable {
    case id(prefix: String)
    case story(String, source: String, back: Int)
    case parent(of: EditionReference, generations: Int)

    public init(parsing text: String) throws {
        // Parent steps come last (`wei:VNS~1^2^`): count them, then parse what they follow.
        if let caret = text.firstIndex(of: "^") {
            var generations = 0
            for step in text[caret...].split(separator: "^", omittingEmptySubsequences: false).dropFirst() {
                guard let n = step.isEmpty ? 1 : Int(step), n >= 0, step.allSatisfy(\.isASCII) else {
                    throw StemmaError.user("bad edition reference '\(printable(text))': '^' takes a number, as in REF^2")
                }
                generations += n
            }
            self = .parent(of: try EditionReference(parsing: String(text[..<caret])), generations: generations)
            return
        }
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
        case .parent(let child, let generations):
            var edition = try child.resolve(in: index)
            for step in 0..<generations {
                let m = edition.metadata
                let name = "\(edition.edition.prefix(10)) (\(m.story):\(m.source) \(m.date))"
                guard let parentID = m.derivedFrom else {
                    let walked = step == 0 ? "" : "\(step) generation\(step == 1 ? "" : "s") up, "
                    throw StemmaError.user("\(walked)edition \(name) has no parent: it derives from no edition")
                }
                guard let parent = try index.parent(of: edition) else {
                    throw StemmaError.user("edition \(name) derives from \(parentID), which is not in this corpus")
                }
                edition = parent
            }
            return edition
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

extension CorpusIndex {
    /// The record `edition` derives from, or nil when it derives from none or its parent is not
    /// in the corpus. An edition id recorded under several stories prefers the child's story.
    public func parent(of edition: LoggedEdition) throws -> LoggedEdition? {
        guard let id = edition.metadata.derivedFrom else { return nil }
        return Self.parent(of: edition, among: try editions(idPrefix: id).filter { $0.edition == id })
    }

    /// Of the records of `child`'s parent edition, the one that is its parent: the child's story's.
    static func parent(of child: LoggedEdition, among records: [LoggedEdition]) -> LoggedEdition? {
        records.first { $0.metadata.story == child.metadata.story } ?? records.first
    }
}
