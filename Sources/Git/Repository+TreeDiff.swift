import CLibGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Repository {
    /// The blobs that differ between tree `old` (nil: the empty tree) and tree `new`, with their
    /// paths, in git's tree order — what `git diff-tree -r` lists.
    ///
    /// Both trees are walked in step and only subtrees whose ids differ are entered, so a commit
    /// that changes one story folder costs one pass over the root's entries and one over that
    /// folder's. `git_diff_tree_to_tree` gives the same answer but builds a diff object, iterators
    /// and a path buffer per entry on the way, and took milliseconds a commit at 2,500 folders:
    /// `verify` and every history walk pay this once per commit.
    public func diffTrees(_ old: ObjectID?, _ new: ObjectID) throws -> [TreeDelta] {
        try diffTrees(old, new, onNewTree: nil)
    }

    /// `diffTrees`, also calling `onNewTree` with each subtree of `new` it enters that `old` lacks
    /// (same path, another id, or a path `old` does not have): with the blobs added or modified,
    /// every object of `new` that `old` does not hold, which is what a push sends for a commit.
    func diffTrees(_ old: ObjectID?, _ new: ObjectID, onNewTree: ((ObjectID) -> Void)?) throws -> [TreeDelta] {
        var out: [TreeDelta] = []
        try withTree(old) { oldTree in
            try withTree(new) { newTree in try compare(oldTree, newTree, prefix: "", into: &out, newTrees: onNewTree) }
        }
        return out
    }

    /// Runs `body` with tree `id` looked up (nil for nil), freeing it after.
    private func withTree<T>(_ id: ObjectID?, _ body: (OpaquePointer?) throws -> T) throws -> T {
        guard let id else { return try body(nil) }
        var oid = id.gitOID
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &oid), "git_tree_lookup(\(id))")
        defer { git_tree_free(tree) }
        return try body(tree)
    }

    private func compare(_ old: OpaquePointer?, _ new: OpaquePointer?, prefix: String, into out: inout [TreeDelta],
                         newTrees: ((ObjectID) -> Void)?) throws {
        let oldCount = old.map { git_tree_entrycount($0) } ?? 0
        let newCount = new.map { git_tree_entrycount($0) } ?? 0
        var i = 0, j = 0
        while i < oldCount || j < newCount {
            // Entries are owned by their trees, which outlive this loop.
            let a = i < oldCount ? git_tree_entry_byindex(old, i) : nil
            let b = j < newCount ? git_tree_entry_byindex(new, j) : nil
            let order: Int32
            if let a, let b { order = Self.gitOrder(a, b) } else { order = a == nil ? 1 : -1 }
            if order == 0, let a, let b {
                i += 1; j += 1
                let sameID = git_oid_cmp(git_tree_entry_id(a), git_tree_entry_id(b)) == 0
                if sameID && git_tree_entry_filemode(a) == git_tree_entry_filemode(b) { continue }
                let path = prefix + String(cString: git_tree_entry_name(a))
                if git_tree_entry_type(a) == GIT_OBJECT_TREE {
                    let newID = ObjectID(git_tree_entry_id(b).pointee)
                    newTrees?(newID)
                    try withTree(ObjectID(git_tree_entry_id(a).pointee)) { oldSub in
                        try withTree(newID) { newSub in try compare(oldSub, newSub, prefix: path + "/", into: &out, newTrees: newTrees) }
                    }
                } else {
                    out.append(TreeDelta(status: .modified, path: path, oldID: ObjectID(git_tree_entry_id(a).pointee),
                                         newID: ObjectID(git_tree_entry_id(b).pointee)))
                }
            } else if order < 0, let a {
                i += 1
                try oneSided(a, prefix: prefix, added: false, into: &out, newTrees: newTrees)
            } else if let b {
                j += 1
                try oneSided(b, prefix: prefix, added: true, into: &out, newTrees: newTrees)
            }
        }
    }

    /// An entry only one tree has: a blob added or deleted, or every blob below a subtree.
    private func oneSided(_ entry: OpaquePointer, prefix: String, added: Bool, into out: inout [TreeDelta],
                          newTrees: ((ObjectID) -> Void)?) throws {
        let path = prefix + String(cString: git_tree_entry_name(entry))
        let id = ObjectID(git_tree_entry_id(entry).pointee)
        if git_tree_entry_type(entry) == GIT_OBJECT_TREE {
            if added { newTrees?(id) }
            try withTree(id) { tree in
                try added ? compare(nil, tree, prefix: path + "/", into: &out, newTrees: newTrees)
                    : compare(tree, nil, prefix: path + "/", into: &out, newTrees: nil)
            }
        } else {
            out.append(TreeDelta(status: added ? .added : .deleted, path: path, oldID: added ? nil : id, newID: added ? id : nil))
        }
    }

    /// git's order of tree entries: by name, a subtree's name read as if it ended in "/".
    private static func gitOrder(_ a: OpaquePointer, _ b: OpaquePointer) -> Int32 {
        let nameA = git_tree_entry_name(a)!, nameB = git_tree_entry_name(b)!
        let lengthA = strlen(nameA), lengthB = strlen(nameB)
        let common = min(lengthA, lengthB)
        let bytes = memcmp(nameA, nameB, common)
        if bytes != 0 { return bytes }
        func next(_ name: UnsafePointer<CChar>, _ length: Int, _ entry: OpaquePointer) -> UInt8 {
            if length > common { return UInt8(bitPattern: name[common]) }
            return git_tree_entry_type(entry) == GIT_OBJECT_TREE ? UInt8(ascii: "/") : 0
        }
        let c = next(nameA, lengthA, a), d = next(nameB, lengthB, b)
        return c < d ? -1 : c > d ? 1 : 0
    }
}
