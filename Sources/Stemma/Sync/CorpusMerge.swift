import Git

/// One edition that both sides changed in different ways since they last agreed: the same
/// record path with two contents (or changed on one side and removed on the other).
public struct RecordConflict: Sendable, Equatable {
    /// The record's path in the tree (`stories/…/<SOURCE>.<edition>.json`).
    public let path: String
    /// This corpus's version and the remote's, nil where that side removed the edition.
    public let ours: [UInt8]?
    public let theirs: [UInt8]?
}

/// How `pull` settles conflicting records. Nothing is ever dropped silently: without a choice
/// a conflict stops the pull, and either choice keeps the other version in history (the merge
/// commit has both sides as parents).
public enum ConflictResolution: String, Sendable { case none, ours, theirs }

/// The three-way merge of two corpus trees. Paths are content-addressed (the edition id is in
/// the file name), so editions recorded on either side are different paths and merge as a
/// plain union; only a record edited on both sides (or edited on one and removed on the other)
/// conflicts. An edition's text and record move together: a conflict on either is decided for both.
struct CorpusMerge {
    let repository: Repository

    struct Result {
        /// The merged tree, or nil when conflicts stopped the merge.
        var tree: ObjectID?
        var conflicts: [RecordConflict]
        /// Editions (record paths) the merge brings in from their side.
        var editionsFromTheirs: Int
    }

    func merge(base: ObjectID?, ours: ObjectID, theirs: ObjectID, resolution: ConflictResolution) throws -> Result {
        let ourChanges = try changes(from: base, to: ours)
        let theirChanges = try changes(from: base, to: theirs)
        // Group their changes by edition, so a text and its record are decided together.
        var byEdition: [String: [TreeDelta]] = [:]
        for delta in theirChanges.values { byEdition[Self.editionKey(delta.path), default: []].append(delta) }
        let ourEditions = Set(ourChanges.keys.map(Self.editionKey))

        var updates: [TreeUpdate] = []
        var conflicts: [RecordConflict] = []
        var fromTheirs = 0
        for (key, deltas) in byEdition.sorted(by: { $0.key < $1.key }) {
            let clashing = ourEditions.contains(key) && deltas.contains { ourChanges[$0.path]?.newID != $0.newID }
            if clashing {
                let recordPath = deltas.first { $0.path.hasSuffix(".json") }?.path ?? deltas[0].path
                let ourSide = ourChanges[recordPath]
                conflicts.append(RecordConflict(path: recordPath,
                                                ours: try bytes(ourSide == nil ? try unchanged(base, recordPath) : ourSide!.newID),
                                                theirs: try bytes(theirChanges[recordPath]?.newID)))
            }
            guard !clashing || resolution == .theirs else { continue }
            for delta in deltas {
                if let ourSide = ourChanges[delta.path], ourSide.newID == delta.newID { continue } // the same change on both sides
                updates.append(TreeUpdate(path: delta.path, action: delta.newID.map { .upsertBlob($0) } ?? .remove))
                // New to this corpus only if our side did not add it too (then theirs edits ours).
                if delta.status == .added && delta.path.hasSuffix(".json") && ourChanges[delta.path] == nil { fromTheirs += 1 }
            }
            // Taking their edition means taking all of it: our change to a file they left alone goes back to the base.
            if clashing {
                for path in ourChanges.keys where Self.editionKey(path) == key && theirChanges[path] == nil {
                    updates.append(TreeUpdate(path: path, action: try unchanged(base, path).map { .upsertBlob($0) } ?? .remove))
                }
            }
        }
        if !conflicts.isEmpty && resolution == .none {
            return Result(tree: nil, conflicts: conflicts, editionsFromTheirs: fromTheirs)
        }
        let tree = updates.isEmpty ? ours : try repository.updateTree(ours, updates)
        return Result(tree: tree, conflicts: conflicts, editionsFromTheirs: fromTheirs)
    }

    /// Blob changes from `base` (nil: nothing) to `tree`, by path.
    private func changes(from base: ObjectID?, to tree: ObjectID) throws -> [String: TreeDelta] {
        var out: [String: TreeDelta] = [:]
        for delta in try repository.diffTrees(base, tree) { out[delta.path] = delta }
        return out
    }

    /// The blob at `path` in the base tree (what a side that did not change it still has).
    private func unchanged(_ base: ObjectID?, _ path: String) throws -> ObjectID? {
        guard let base else { return nil }
        return try repository.treeEntry(in: base, path: path)?.id
    }

    private func bytes(_ id: ObjectID?) throws -> [UInt8]? { try id.map { try repository.blobBytes($0) } }

    /// `stories/…/<SOURCE>.<edition>` for an edition's files; the path itself for anything else.
    static func editionKey(_ path: String) -> String {
        guard path.hasPrefix(CorpusLayout.storiesFolder + "/") else { return path }
        if path.hasSuffix(".json") { return String(path.dropLast(5)) }
        if path.hasSuffix(".txt") { return String(path.dropLast(4)) }
        return path
    }
}
