import CLibGit2
#if canImport(Glibc)
import Glibc
#endif

/// Bulk writing: objects collect in memory (libgit2's mempack backend) and go to disk as one
/// packfile per `flushInMemoryObjects()`, instead of one loose file (and one fsync) per object.
///
/// Ownership: the mempack backend belongs to this repository's object database from the moment
/// it is added; the database frees it with the repository. Use a dedicated `Repository` for a
/// bulk write and let it go when done.
extension Repository {
    /// Opens `path` with an in-memory object store in front of the on-disk one: every object
    /// written through the returned repository stays in memory until `flushInMemoryObjects()`.
    public static func openForBulkWrite(at path: String) throws -> Repository {
        let repository = try open(at: path)
        var backend: UnsafeMutablePointer<git_odb_backend>?
        try check(git_mempack_new(&backend), "git_mempack_new")
        let result = git_odb_add_backend(repository.odb, backend, 1_000)
        if result < 0 {
            backend?.pointee.free(backend) // not added: still ours to free
            try check(result, "git_odb_add_backend(mempack)")
        }
        repository.mempack = backend
        // libgit2 keeps up to 256 MiB of parsed objects by default; a bulk write reads back only
        // the trees it just wrote, so a small cache keeps memory flat as the corpus grows.
        _ = stemma_git_set_cache_max_size(32 * 1024 * 1024)
        // Likewise for mapped pack windows (8 GiB by default): tree reads touch every pack.
        _ = stemma_git_set_mwindow_mapped_limit(64 * 1024 * 1024)
        return repository
    }

    /// Writes every object written since the last flush as one new packfile with its index
    /// (deflated at `level` on all cores, trees and story texts delta-compressed against their
    /// previous version), then empties the memory store. Both files are written under
    /// temporary names and renamed into place, the index last, so a reader never sees half a
    /// pack. Returns the pack's size in bytes (0 when there was nothing to write).
    /// Level 1 by default: most of a pack is deltas, and level 6 made it only 3 % smaller.
    @discardableResult
    public func flushInMemoryObjects(level: Int32 = 1) throws -> Int {
        guard let mempack, !unflushed.isEmpty else { return 0 }
        let output = PackWriter.pack(unflushed, level: level)
        let folder = path + "objects/pack/"
        let packFile = folder + "pack-" + output.name + ".pack", indexFile = folder + "pack-" + output.name + ".idx"
        try writeFileAtomically(packFile, output.pack)
        try writeFileAtomically(indexFile, output.index)
        unflushed.removeAll(keepingCapacity: true)
        unflushedIDs.removeAll(keepingCapacity: true)
        unflushedBytes = 0
        deltaChains.removeAll(keepingCapacity: true)
        try check(git_mempack_reset(mempack), "git_mempack_reset")
        // The pack backend only scans for new packs on a miss; make it see this one now.
        try check(git_odb_refresh(odb), "git_odb_refresh")
        return output.pack.count
    }

    private func writeFileAtomically(_ file: String, _ bytes: [UInt8]) throws {
        let temporary = file + ".tmp-\(getpid())"
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o444)
        guard fd >= 0 else { throw GitError(code: -1, errorClass: 2, message: "cannot create \(temporary): \(String(cString: strerror(errno)))", operation: "open") }
        var written = 0
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n <= 0 { return false }
                written += n
            }
            return fsync(fd) == 0
        }
        Glibc.close(fd)
        guard ok, rename(temporary, file) == 0 else {
            unlink(temporary)
            throw GitError(code: -1, errorClass: 2, message: "cannot write \(file): \(String(cString: strerror(errno)))", operation: "write")
        }
    }
}
