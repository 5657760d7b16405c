import CLibGit2
#if canImport(Glibc)
import Glibc
#endif

/// One change to a tree, by path: the unit `Repository.updateTree` applies.
public struct TreeUpdate: Sendable {
    public enum Action: Sendable { case upsertBlob(ObjectID), remove }
    public let path: String
    public let action: Action
    public init(path: String, action: Action) { self.path = path; self.action = action }
}

/// One entry of a tree, copied out of libgit2.
public struct TreeEntry: Sendable, Equatable {
    public let name: String
    public let id: ObjectID
    public let kind: ObjectKind
}

extension Repository {
    /// Writes the tree that is `base` with `updates` applied, and returns its id.
    ///
    /// Cost: only the trees on the updated paths are rewritten (one per path level), so the
    /// work per call depends on the depth and width of those folders, not on the whole tree.
    public func updateTree(_ base: ObjectID?, _ updates: [TreeUpdate]) throws -> ObjectID {
        precondition(!isBulk, "a bulk-write repository edits trees with BulkTreeEditor")
        // No baseline means the empty tree; libgit2 accepts NULL for it, so none is written.
        var tree: OpaquePointer?
        if let base {
            var baseOID = base.gitOID
            try check(git_tree_lookup(&tree, pointer, &baseOID), "git_tree_lookup(\(base))")
        }
        defer { git_tree_free(tree) }

        // libgit2 wants C strings that live for the call: keep them in one buffer we free here.
        let cPaths = updates.map { strdup($0.path)! }
        defer { cPaths.forEach { free($0) } }
        var cUpdates = [git_tree_update]()
        cUpdates.reserveCapacity(updates.count)
        for (update, path) in zip(updates, cPaths) {
            var entry = git_tree_update()
            entry.path = UnsafePointer(path)
            switch update.action {
            case .upsertBlob(let id):
                entry.action = GIT_TREE_UPDATE_UPSERT
                entry.id = id.gitOID
                entry.filemode = GIT_FILEMODE_BLOB
            case .remove:
                entry.action = GIT_TREE_UPDATE_REMOVE
            }
            cUpdates.append(entry)
        }
        var out = git_oid()
        try check(git_tree_create_updated(&out, pointer, tree, cUpdates.count, &cUpdates), "git_tree_create_updated")
        return ObjectID(out)
    }

    /// The entry at `path` (slash-separated) below tree `root`, or nil when there is none.
    public func treeEntry(in root: ObjectID, path: String) throws -> TreeEntry? {
        var rootOID = root.gitOID
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &rootOID), "git_tree_lookup(\(root))")
        defer { git_tree_free(tree) }
        var entry: OpaquePointer?
        let result = git_tree_entry_bypath(&entry, tree, path)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_tree_entry_bypath(\(path))")
        defer { git_tree_entry_free(entry) }
        return TreeEntry(name: String(cString: git_tree_entry_name(entry)),
                         id: ObjectID(git_tree_entry_id(entry).pointee),
                         kind: ObjectKind(git_tree_entry_type(entry)))
    }

    /// The entries of tree `id`, in git's order.
    public func treeEntries(_ id: ObjectID) throws -> [TreeEntry] {
        var oid = id.gitOID
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &oid), "git_tree_lookup(\(id))")
        defer { git_tree_free(tree) }
        let count = git_tree_entrycount(tree)
        var out = [TreeEntry]()
        out.reserveCapacity(count)
        for i in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, i) else { continue } // owned by the tree
            out.append(TreeEntry(name: String(cString: git_tree_entry_name(entry)),
                                 id: ObjectID(git_tree_entry_id(entry).pointee),
                                 kind: ObjectKind(git_tree_entry_type(entry))))
        }
        return out
    }
}
