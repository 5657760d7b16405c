import CLibGit2

/// Bulk mode's own object writing. `git_odb_write` first "freshens" an object: it asks every
/// backend whether the object exists, touches the loose file and, on a miss, rescans the pack
/// folder — two directory scans and a failed `utimensat` for every new object (measured: a
/// quarter of import time in the kernel). New objects of an import are new by construction,
/// so they go straight into the pack being written; trees and commits are serialised here in
/// git's own formats.
extension Repository {
    /// Writes raw object bytes into the pack being written (bulk mode; otherwise a blob is
    /// written the ordinary way). `deltaKey` names the chain of versions an object may be stored
    /// as a delta against (a folder path for trees, a story for texts). `knownID` skips hashing
    /// when the caller already hashed these very bytes as this kind (an import hashes each text
    /// once, while preparing it).
    @discardableResult
    public func writeRaw(_ kind: ObjectKind, _ bytes: [UInt8], deltaKey: String? = nil, knownID: ObjectID? = nil) throws -> ObjectID {
        guard isBulk else { return try writeBlob(bytes) }
        let id = knownID ?? SHA1.objectID(kind, bytes)
        guard packedIDs.insert(id).inserted else { return id } // a pack holds each object once
        try currentPack().add(id: id, kind: kind, bytes: bytes, deltaKey: deltaKey)
        return id
    }

    /// A commit object in git's format, written with `writeRaw`.
    public func writeCommitRaw(tree: ObjectID, parents: [ObjectID], message: String, author: Signature, committer: Signature) throws -> ObjectID {
        func person(_ s: Signature) -> String {
            let sign = s.offsetMinutes < 0 ? "-" : "+"
            let m = abs(Int(s.offsetMinutes))
            let hh = m / 60 < 10 ? "0\(m / 60)" : "\(m / 60)", mm = m % 60 < 10 ? "0\(m % 60)" : "\(m % 60)"
            return "\(s.name) <\(s.email)> \(s.time) \(sign)\(hh)\(mm)"
        }
        var text = "tree \(tree.hex)\n"
        for p in parents { text += "parent \(p.hex)\n" }
        text += "author \(person(author))\ncommitter \(person(committer))\n\n\(message)"
        return try writeRaw(.commit, Array(text.utf8))
    }
}

/// Edits a tree by folder path for a bulk import, serialising new trees itself and keeping the
/// upper levels (up to `cacheDepth` folders deep) parsed in memory between commits, so each
/// edition costs a handful of small tree writes and no re-parsing of the fan-out trees.
/// Deeper folders written since the last finished pack are kept too, because the pack being
/// written cannot be read yet; `finishPack()` lets them go.
public final class BulkTreeEditor {
    private let repository: Repository
    public private(set) var root: ObjectID?
    private let cacheDepth: Int
    private var cache: [String: [TreeEntry]] = [:]
    private var deepFolders: [String] = []

    public init(repository: Repository, root: ObjectID?, cacheDepth: Int = 4) {
        self.repository = repository; self.root = root; self.cacheDepth = cacheDepth
    }

    /// The entry `name` in `folder` (slash-separated, "" for the root), or nil.
    public func entry(in folder: String, named name: String) throws -> TreeEntry? {
        guard let entries = try entries(ofFolder: folder) else { return nil }
        return entries.first { $0.name == name }
    }

    /// Puts blobs into `folder` (creating folders as needed) and writes the new root.
    @discardableResult
    public func upsertBlobs(in folder: String, _ files: [(name: String, id: ObjectID)]) throws -> ObjectID {
        let parts = folder.split(separator: "/").map(String.init)
        var paths = [""]
        for part in parts { paths.append(paths.last!.isEmpty ? part : paths.last! + "/" + part) }
        // Bottom-up: the leaf gets the files, each parent the new id of its child.
        var childName: String? = nil
        var childID: ObjectID? = nil
        for level in stride(from: paths.count - 1, through: 0, by: -1) {
            var entries = try entries(ofFolder: paths[level]) ?? []
            if level == paths.count - 1 {
                for file in files { Self.upsert(&entries, TreeEntry(name: file.name, id: file.id, kind: .blob)) }
            } else {
                Self.upsert(&entries, TreeEntry(name: childName!, id: childID!, kind: .tree))
            }
            let id = try repository.writeRaw(.tree, Self.serialise(entries), deltaKey: "/" + paths[level])
            if level > cacheDepth && cache.updateValue(entries, forKey: paths[level]) == nil {
                deepFolders.append(paths[level])
            } else {
                cache[paths[level]] = entries
            }
            childName = level > 0 ? parts[level - 1] : nil
            childID = id
        }
        root = childID
        return childID!
    }

    /// Finishes the repository's pack (`Repository.finishPack()`) and lets go of the folders
    /// below `cacheDepth`, which are readable from that pack now. Done here, not by the caller,
    /// so the two cannot be separated.
    @discardableResult
    public func finishPack() throws -> Int {
        let bytes = try repository.finishPack()
        for folder in deepFolders { cache.removeValue(forKey: folder) }
        deepFolders.removeAll(keepingCapacity: true)
        return bytes
    }

    private func entries(ofFolder path: String) throws -> [TreeEntry]? {
        if let cached = cache[path] { return cached }
        guard let root else { return nil }
        let id: ObjectID
        if path.isEmpty {
            id = root
        } else {
            let slash = path.lastIndex(of: "/")
            let parent = slash.map { String(path[..<$0]) } ?? ""
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            guard let entry = try entries(ofFolder: parent)?.first(where: { $0.name == name }), entry.kind == .tree else { return nil }
            id = entry.id
        }
        let entries = try repository.treeEntries(id)
        if path.split(separator: "/").count <= cacheDepth { cache[path] = entries }
        return entries
    }

    /// Git orders tree entries by name bytes, a folder's name compared as if it ended in "/".
    static func orderKey(_ e: TreeEntry) -> [UInt8] { Array(e.name.utf8) + (e.kind == .tree ? [47] : []) }

    static func upsert(_ entries: inout [TreeEntry], _ new: TreeEntry) {
        if let i = entries.firstIndex(where: { $0.name == new.name }) { entries[i] = new; return }
        let key = orderKey(new)
        let at = entries.firstIndex { orderKey($0).lexicographicallyPrecedes(key) == false } ?? entries.count
        entries.insert(new, at: at)
    }

    private static let treeMode = Array("40000 ".utf8), blobMode = Array("100644 ".utf8)

    static func serialise(_ entries: [TreeEntry]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * 48)
        for e in entries {
            out.append(contentsOf: e.kind == .tree ? treeMode : blobMode)
            out.append(contentsOf: e.name.utf8)
            out.append(0)
            e.id.append(to: &out)
        }
        return out
    }
}
