import CLibGit2

/// The blobs a tree holds, read once from the top (for rebuilding derived data from a tree
/// rather than from every commit that built it).
extension Repository {
    /// Calls `body` with the full path and id of every blob below tree `root`, in git's order.
    public func forEachBlob(in root: ObjectID, _ body: (String, ObjectID) -> Void) throws {
        var oid = root.gitOID
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &oid), "git_tree_lookup(\(root))")
        defer { git_tree_free(tree) }
        try withoutActuallyEscaping(body) { body in
            let visitor = BlobVisitor(body)
            _ = try withExtendedLifetime(visitor) {
                try check(git_tree_walk(tree, GIT_TREEWALK_PRE, { folder, entry, payload in
                    guard let entry, git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return 0 }
                    let visitor = Unmanaged<BlobVisitor>.fromOpaque(payload!).takeUnretainedValue()
                    let name = String(cString: git_tree_entry_name(entry))
                    visitor.body((folder.map { String(cString: $0) } ?? "") + name, ObjectID(git_tree_entry_id(entry).pointee))
                    return 0
                }, Unmanaged.passUnretained(visitor).toOpaque()), "git_tree_walk(\(root))")
            }
        }
    }
}

/// Carries the Swift closure through libgit2's C callback.
private final class BlobVisitor {
    let body: (String, ObjectID) -> Void
    init(_ body: @escaping (String, ObjectID) -> Void) { self.body = body }
}
