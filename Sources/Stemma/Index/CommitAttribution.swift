import Git

/// Which commits recorded each record path: the first that added it (the row's `first_commit`
/// and its place in the order) and the one that wrote its current version (the row's commit).
///
/// One walk over the commits, oldest first. A commit Stemma wrote names its one edition in
/// its trailers (`Story`, `Source`, `Edition`), so its path is known from the message alone
/// and no diff is needed. Any other commit (a merge, a plain `git commit`, a commit without
/// trailers) is diffed against its first parent. A merge's diff shows the other side's editions
/// as added, but their own commits come earlier in the walk (parents first), so they keep those:
/// a merge is named only for what it added or changed itself.
///
/// Every commit that changes a record is thus a candidate for it, in walk order. A record with
/// one candidate (almost all of them: one `Add` commit each) was added and last written by that
/// commit, so its tree is not read. Only a record with several (updated, removed and re-added,
/// merged) has its version looked up in each candidate's tree: the first that holds it added
/// it, the last that holds its current version wrote it.
enum CommitAttribution {
    struct Origin {
        /// Position in the walk: rows are numbered in this order.
        let order: Int
        let commit: String
        let time: Int64
        let offsetMinutes: Int

        init(order: Int, commit: CommitSummary) {
            self.order = order
            self.commit = commit.id.hex
            time = commit.committerTime
            offsetMinutes = commit.committerOffsetMinutes
        }

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

    /// A commit that changed a record: the blob it wrote when a diff said so, else (a trailer
    /// commit) the tree to read it from if it is needed.
    private struct Candidate {
        let origin: Origin
        let blob: ObjectID?
        let tree: ObjectID
    }

    /// Attributions of `records` (path → the record's current blob) among the commits reachable
    /// from `tip` and not from `hiding`. Paths no walked commit added or changed are left out
    /// (the caller names `tip` for them).
    static func find(_ records: [String: ObjectID], in repository: Repository, from tip: ObjectID,
                     hiding: [ObjectID]) throws -> [String: Attribution] {
        guard !records.isEmpty else { return [:] }
        var candidates: [String: [Candidate]] = [:]
        var storyFolders: [String: String] = [:]
        var order = 0
        try repository.walkCommitSummaries(from: tip, hiding: hiding) { commit in
            order += 1
            let origin = Origin(order: order, commit: commit)
            if commit.parents.count == 1, let path = trailerPath(commit.trailerParagraph, folders: &storyFolders) {
                if records[path] != nil { candidates[path, default: []].append(Candidate(origin: origin, blob: nil, tree: commit.tree)) }
                return
            }
            let parentTree = try commit.parents.first.map { try repository.commit($0).tree }
            for delta in try repository.diffTrees(parentTree, commit.tree) where delta.status == .added || delta.status == .modified {
                if records[delta.path] != nil, let blob = delta.newID {
                    candidates[delta.path, default: []].append(Candidate(origin: origin, blob: blob, tree: commit.tree))
                }
            }
        }
        var found: [String: Attribution] = [:]
        found.reserveCapacity(candidates.count)
        for (path, list) in candidates {
            if list.count == 1 { found[path] = Attribution(first: list[0].origin, writer: list[0].origin); continue }
            // The version each candidate holds (none: a removal), read only where the walk did not say.
            let held = try list.compactMap { candidate -> (origin: Origin, blob: ObjectID)? in
                let blob = try candidate.blob ?? repository.treeEntry(in: candidate.tree, path: path)?.id
                return blob.map { (candidate.origin, $0) }
            }
            guard let first = held.first else { continue }
            found[path] = Attribution(first: first.origin, writer: held.last { $0.blob == records[path] }?.origin ?? first.origin)
        }
        return found
    }

    /// The record path a Stemma commit's trailers name (`paragraph` is its message's last), or
    /// nil. Takes the same `Key: value` lines as `Trailers.parse`, comparing bytes: `Trailers.parse`
    /// builds every key and value as a String, and Character comparisons of Substrings were
    /// themselves a tenth of an index rebuild.
    private static func trailerPath(_ paragraph: String?, folders: inout [String: String]) -> String? {
        guard let paragraph else { return nil }
        let bytes = paragraph.utf8
        var story: Substring.UTF8View?, source: Substring.UTF8View?, edition: Substring.UTF8View?
        var lineStart = bytes.startIndex
        while lineStart < bytes.endIndex {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            defer { lineStart = lineEnd < bytes.endIndex ? bytes.index(after: lineEnd) : lineEnd }
            if lineStart == lineEnd { continue }
            let line = paragraph[lineStart..<lineEnd].utf8
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            let key = line[..<colon]
            let value = line[line.index(after: colon)...].drop { $0 == UInt8(ascii: " ") }
            if key.elementsEqual("Story".utf8) { story = value }
            else if key.elementsEqual("Source".utf8) { source = value }
            else if key.elementsEqual("Edition".utf8) { edition = value }
        }
        guard let story, let source, let edition, edition.count == 40 else { return nil }
        let storyID = String(Substring(story))
        let folder = folders[storyID] ?? CorpusLayout.storyFolder(storyID)
        folders[storyID] = folder
        return "\(folder)/\(Substring(source)).\(Substring(edition)).json"
    }
}
