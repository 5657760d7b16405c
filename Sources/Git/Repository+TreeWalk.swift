import CLibGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The blobs a tree holds, read once from the top (for rebuilding derived data from a tree
/// rather than from every commit that built it).
extension Repository {
    /// Calls `body` with the full path and id of every blob below tree `root`, in git's order;
    /// with `suffix`, only of blobs whose name ends with it (the others cost no String).
    public func forEachBlob(in root: ObjectID, suffix: String = "", _ body: (String, ObjectID) -> Void) throws {
        var oid = root.gitOID
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &oid), "git_tree_lookup(\(root))")
        defer { git_tree_free(tree) }
        try withoutActuallyEscaping(body) { body in
            let visitor = BlobVisitor(body, suffix: Array(suffix.utf8))
            _ = try withExtendedLifetime(visitor) {
                try check(git_tree_walk(tree, GIT_TREEWALK_PRE, { folder, entry, payload in
                    guard let entry, git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return 0 }
                    let visitor = Unmanaged<BlobVisitor>.fromOpaque(payload!).takeUnretainedValue()
                    let name = git_tree_entry_name(entry)!
                    guard visitor.wants(name) else { return 0 }
                    visitor.body(visitor.folder(folder) + String(cString: name), ObjectID(git_tree_entry_id(entry).pointee))
                    return 0
                }, Unmanaged.passUnretained(visitor).toOpaque()), "git_tree_walk(\(root))")
            }
        }
    }
}

/// Carries the Swift closure through libgit2's C callback.
private final class BlobVisitor {
    let body: (String, ObjectID) -> Void
    let suffix: [UInt8]
    /// The last folder seen, as libgit2 gave it and as a String: its entries come one after another.
    private var lastFolder: [CChar] = [0]
    private var lastFolderString = ""

    init(_ body: @escaping (String, ObjectID) -> Void, suffix: [UInt8]) { self.body = body; self.suffix = suffix }

    func wants(_ name: UnsafePointer<CChar>) -> Bool {
        guard !suffix.isEmpty else { return true }
        let count = strlen(name)
        guard count >= suffix.count else { return false }
        return memcmp(name + (count - suffix.count), suffix, suffix.count) == 0
    }

    func folder(_ folder: UnsafePointer<CChar>?) -> String {
        guard let folder else { return "" }
        if strcmp(folder, lastFolder) != 0 {
            lastFolder = Array(UnsafeBufferPointer(start: folder, count: strlen(folder) + 1))
            lastFolderString = String(cString: folder)
        }
        return lastFolderString
    }
}
