import CLibGit2
import Foundation

/// Checks of the object store itself, for `stemma verify`: git's own guarantees, recomputed.
extension Repository {
    /// Reads object `id` in full. libgit2 recomputes the id of what it read (strict hash
    /// verification is on by default), so a damaged loose file or pack entry throws here.
    public func verifyObject(_ id: ObjectID) throws {
        var oid = id.gitOID
        var object: OpaquePointer?
        try check(git_odb_read(&object, odb, &oid), "git_odb_read(\(id))")
        git_odb_object_free(object)
    }

    /// Each packfile and pack index whose closing SHA-1 does not match its contents (any byte
    /// changed anywhere in it, even in objects nothing reads), by file name, with what is wrong.
    public func damagedPackFiles() -> [(file: String, problem: String)] {
        let folder = path + (path.hasSuffix("/") ? "" : "/") + "objects/pack/"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        var out: [(String, String)] = []
        for name in names where name.hasSuffix(".pack") || name.hasSuffix(".idx") {
            if let problem = Self.checksumProblem(folder + name) { out.append(("objects/pack/" + name, problem)) }
        }
        return out
    }

    /// Nil when the file's last 20 bytes are the SHA-1 of everything before them.
    private static func checksumProblem(_ file: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: file) else { return "cannot be read" }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), size >= 20 else { return "too short to be a pack file" }
        try? handle.seek(toOffset: 0)
        var sha = SHA1()
        var remaining = Int(size) - 20
        while remaining > 0 {
            guard let chunk = try? handle.read(upToCount: min(remaining, 1 << 20)), !chunk.isEmpty else { return "cannot be read" }
            chunk.withUnsafeBytes { sha.update($0) }
            remaining -= chunk.count
        }
        guard let trailer = try? handle.read(upToCount: 20) else { return "cannot be read" }
        return sha.finish() == [UInt8](trailer) ? nil : "checksum mismatch: the file was changed after git wrote it"
    }
}
