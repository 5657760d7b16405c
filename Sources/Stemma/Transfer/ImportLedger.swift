import Git

/// What the lines of an import have recorded so far, for the lines after them: `derived_from`
/// names an edition of an earlier line exactly as it names one of the corpus (any
/// `EditionReference`), and no line may close a cycle through earlier lines. Kept compact
/// (ids as `ObjectID`, dates as integers): one entry per record the import touches.
struct ImportLedger {
    let index: CorpusIndex

    struct Entry {
        /// `story:source`, hashed: with the edition id it names the record.
        let group: Int
        var date: Int32
        /// The line's place in the import: later lines sort as later records.
        var order: Int32
        var parent: ObjectID?
    }

    /// The first record of each edition id this import has recorded, and any others (the same
    /// bytes in another story or from another source: rare, so kept apart to save an array each).
    private var entries: [ObjectID: Entry] = [:]
    private var moreEntries: [ObjectID: [Entry]] = [:]
    /// The editions this import has recorded for each `story:source`.
    private var bySource: [String: [ObjectID]] = [:]

    init(index: CorpusIndex) { self.index = index }

    static func group(story: String, source: String) -> Int { (story + ":" + source).hashValue }
    /// `YYYY-MM-DD` as the integer YYYYMMDD (a validated date: digits and two dashes).
    static func dateNumber(_ date: String) -> Int32 {
        date.utf8.reduce(0) { n, c in c >= 48 && c <= 57 ? n &* 10 &+ Int32(c - 48) : n }
    }

    /// Every record this import has for an edition id.
    private func records(of edition: ObjectID) -> [Entry] {
        guard let first = entries[edition] else { return [] }
        return [first] + (moreEntries[edition] ?? [])
    }

    /// The record this import has for the key, if any.
    func entry(edition: ObjectID, story: String, source: String) -> Entry? {
        guard let first = entries[edition] else { return nil }
        let group = Self.group(story: story, source: source)
        return first.group == group ? first : moreEntries[edition]?.first { $0.group == group }
    }

    /// Whether an earlier line recorded this key (same bytes, story and source).
    func hasRecord(edition: ObjectID, story: String, source: String) -> Bool {
        entry(edition: edition, story: story, source: source) != nil
    }

    /// Notes the record a line leaves, with the date and parent it now has.
    mutating func note(edition: ObjectID, story: String, source: String, date: Int32, parent: ObjectID?, order: Int) {
        let group = Self.group(story: story, source: source)
        let entry = Entry(group: group, date: date, order: Int32(truncatingIfNeeded: order), parent: parent)
        if entries[edition]?.group == group {
            entries[edition] = entry
            return
        }
        if let i = moreEntries[edition]?.firstIndex(where: { $0.group == group }) {
            moreEntries[edition]![i] = entry
            return
        }
        if entries[edition] == nil { entries[edition] = entry } else { moreEntries[edition, default: []].append(entry) }
        bySource[story + ":" + source, default: []].append(edition)
    }

    /// Resolves a `derived_from` reference against the corpus and the lines before this one.
    func resolve(_ reference: String, for location: String) throws -> String {
        do {
            return try resolve(try EditionReference(parsing: reference))
        } catch StemmaError.user(let message) {
            throw StemmaError.user("\(location): derived_from \(reference): \(message)")
        }
    }

    private func resolve(_ reference: EditionReference) throws -> String {
        switch reference {
        case .parent(let child, let generations):
            // REF^N: up the derivation, through this import's lines first, then the corpus.
            var edition = try resolve(child)
            for _ in 0..<generations {
                let parent: String?
                if let id = ObjectID(hex: edition), let entry = entries[id] {
                    parent = entry.parent?.hex
                } else {
                    parent = try index.editions(idPrefix: edition).first?.metadata.derivedFrom
                }
                guard let parent else { throw StemmaError.user("edition \(edition.prefix(10)) has no parent: it derives from no edition") }
                edition = parent
            }
            return edition
        case .id(let prefix):
            if prefix.utf8.count == 40, let id = ObjectID(hex: prefix), entries[id] != nil { return prefix }
            var ids = Set(try index.editions(idPrefix: prefix).map(\.edition))
            if prefix.utf8.count < 40 { for id in entries.keys where id.hex.hasPrefix(prefix) { ids.insert(id.hex) } }
            guard let only = ids.first else {
                throw StemmaError.user("no edition matches '\(prefix)' in the corpus or on the lines before this one")
            }
            guard ids.count == 1 else {
                throw StemmaError.user("edition reference '\(prefix)' is ambiguous: \(ids.sorted().prefix(10).map { String($0.prefix(12)) }.joined(separator: ", "))")
            }
            return only
        case .story(let story, let source, let back):
            let group = Self.group(story: story, source: source)
            let mine = bySource[story + ":" + source] ?? []
            let re = Set(mine)
            // Newest first, as `EditionReference` orders the corpus's: by date, then by the order
            // recorded (every line of this import after every record already in the corpus).
            var candidates: [(date: Int32, order: Int64, edition: String)] = []
            for (i, e) in try index.editions(story: story, source: source).enumerated() {
                guard let id = ObjectID(hex: e.edition), !re.contains(id) else { continue }
                candidates.append((Self.dateNumber(e.metadata.date), -Int64(i), e.edition))
            }
            for id in mine {
                guard let entry = records(of: id).first(where: { $0.group == group }) else { continue }
                candidates.append((entry.date, Int64(Int32.max) + Int64(entry.order), id.hex))
            }
            candidates.sort { ($0.date, $0.order) > ($1.date, $1.order) }
            guard !candidates.isEmpty else {
                var sources = Set(try index.editions(story: story).map(\.metadata.source))
                for key in bySource.keys where key.hasPrefix(story + ":") { sources.insert(String(key.dropFirst(story.count + 1))) }
                let known = sources.isEmpty ? "no edition of \(story) at all"
                    : "there are \(sources.sorted().map { "\(story):\($0)" }.joined(separator: ", "))"
                throw StemmaError.user("looked for an edition of \(story) from \(source) in the corpus and on the lines before this one: none (\(known))")
            }
            guard back < candidates.count else {
                throw StemmaError.user("\(story):\(source)~\(back) does not exist: \(candidates.count) edition(s) of \(story) from \(source) in the corpus and on the lines before this one")
            }
            return candidates[back].edition
        }
    }

    /// Throws when `edition` derived from `parent` would close a cycle through the corpus's
    /// records or this import's (a record this import rewrote counts with its new parent).
    func checkNoCycle(edition: String, parent: String) throws {
        try Derivation.checkNoCycle(edition: edition, parent: parent) { id in
            guard let oid = ObjectID(hex: id) else { return [] }
            let mine = records(of: oid)
            var parents = mine.compactMap { $0.parent?.hex }
            let rewritten = Set(mine.map(\.group))
            for e in try index.editions(idPrefix: id) where e.edition == id {
                if !rewritten.contains(Self.group(story: e.metadata.story, source: e.metadata.source)), let p = e.metadata.derivedFrom {
                    parents.append(p)
                }
            }
            return parents
        }
    }
}
