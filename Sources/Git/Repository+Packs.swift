import CLibGit2

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
        return repository
    }

    /// Writes every object held in memory to one new packfile (with its index) and empties the
    /// memory store. Returns the pack's size in bytes (0 when there was nothing to write).
    @discardableResult
    public func flushInMemoryObjects() throws -> Int {
        guard let mempack else { return 0 }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try check(git_mempack_dump(&buffer, pointer, mempack), "git_mempack_dump")
        let size = buffer.size
        // A pack with no objects is a 12-byte header and a 20-byte checksum.
        if size > 32 {
            var writer: UnsafeMutablePointer<git_odb_writepack>?
            try check(git_odb_write_pack(&writer, odb, nil, nil), "git_odb_write_pack")
            guard let writer else { throw lastError(code: -1, operation: "git_odb_write_pack") }
            defer { writer.pointee.free(writer) }
            var stats = git_indexer_progress()
            try check(writer.pointee.append(writer, buffer.ptr, size, &stats), "git_odb_writepack.append")
            try check(writer.pointee.commit(writer, &stats), "git_odb_writepack.commit")
        }
        try check(git_mempack_reset(mempack), "git_mempack_reset")
        return size > 32 ? size : 0
    }
}
