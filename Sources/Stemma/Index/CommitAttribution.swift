import Git

/// Which commits recorded each record path: the first that added it (the row's `first_commit`
/// and its place in the order) and the one that wrote its current version (the row's commit).
///
/// One walk over the commits, oldest first. A commit Stemma wrote names its one edition in
/// its trailers (`Story`, `Source`, `Edition`), so its path is known from the message alone
/// and no diff is needed; one tree look-up tells whether, and in which version, it holds that
/// record. Any other commit (a merge, a plain `git commit`, a commit without trailers) is
/// diffed against its first parent. A merge's diff shows the other side's editions as added,
/// but their own commits come earlier in the walk (parents first), so they keep those: a merge
/// is named only for what it added or changed itself.
enum CommitAttribution {
    struct Origin {
        /// Position in the walk: rows are numbered in this order.
        let order: Int
        let commit: String
        let time: Int64
        let offsetMinutes: Int

        init(order: Int, commit: Commit) {
            self.order = order
            self.commit = commit.id.hex
            time = commit.committer.time
            offsetMinutes = Int(commit.committer.offsetMinutes)
        }
    }

    /// The commit that first added a record, and the one that wrote the version it has now.
    struct Attribution {
        var first: Origin
        var writer: Origin
    }

    /// Attributions of `records` (path → the record's current blob) among the commits reachable
    /// from `tip` and not from `hiding`. Paths no walked commit added or changed are left out
    /// (the caller names `tip` for them).
    static func find(_ records: [String: ObjectID], in repository: Repository, from tip: ObjectID,
                     hiding: [ObjectID]) throws -> [String: Attribution] {
        var found: [String: Attribution] = [:]
        guard !records.isEmpty else { return found }
        var storyFolders: [String: String] = [:]
        var order = 0
        func note(_ path: String, _ blob: ObjectID, _ origin: Origin) {
            guard let current = records[path] else { return }
            if found[path] == nil { found[path] = Attribution(first: origin, writer: origin) }
            if blob == current { found[path]!.writer = origin }
        }
        try repository.walkCommits(from: tip, hiding: hiding) { id in
            let commit = try repository.commit(id)
            order += 1
            let origin = Origin(order: order, commit: commit)
            if commit.parents.count == 1, let path = trailerPath(commit.message, folders: &storyFolders) {
                if records[path] != nil, let entry = try repository.treeEntry(in: commit.tree, path: path) { note(path, entry.id, origin) }
                return true
            }
            let parentTree = try commit.parents.first.map { try repository.commit($0).tree }
            for delta in try repository.diffTrees(parentTree, commit.tree) where delta.status == .added || delta.status == .modified {
                if let blob = delta.newID { note(delta.path, blob, origin) }
            }
            return true
        }
        return found
    }

    /// The record path a Stemma commit message names in its trailers, or nil. Reads only the
    /// message's last paragraph, byte by byte: `Trailers.parse` builds every key and value as a
    /// String, and that was a third of an index rebuild; this takes the same `Key: value` lines.
    private static func trailerPath(_ message: String, folders: inout [String: String]) -> String? {
        var story: Substring?, source: Substring?, edition: Substring?
        let utf8 = message.utf8
        // The last paragraph: after the last blank line.
        var start = utf8.startIndex
        var previousWasNewline = false
        for i in utf8.indices {
            if utf8[i] == 10 {
                if previousWasNewline { start = utf8.index(after: i) }
                previousWasNewline = true
            } else { previousWasNewline = false }
        }
        guard start != utf8.startIndex else { return nil }
        for line in message[start...].split(separator: "\n") {
            guard let colon = line.utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            let key = line[..<colon]
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            switch key {
            case "Story": story = value
            case "Source": source = value
            case "Edition": edition = value
            default: break
            }
        }
        guard let story, let source, let edition, edition.utf8.count == 40 else { return nil }
        let storyID = String(story)
        let folder = folders[storyID] ?? CorpusLayout.storyFolder(storyID)
        folders[storyID] = folder
        return "\(folder)/\(source).\(edition).json"
    }
}
