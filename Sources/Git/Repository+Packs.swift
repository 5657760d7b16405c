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

    /// Writes every object written since the last flush to one new packfile with its index
    /// (delta-compressed, on up to `threads` threads) and empties the memory store.
    /// Returns the pack's size in bytes (0 when there was nothing to write).
    ///
    /// Only the objects this repository wrote are packed: libgit2's own `git_mempack_dump`
    /// walks each commit's whole tree, which grows with the corpus and re-packs what is on disk.
    @discardableResult
    public func flushInMemoryObjects(threads: UInt32 = 2) throws -> Int {
        guard let mempack, !unflushed.isEmpty else { return 0 }
        var builder: OpaquePointer?
        try check(git_packbuilder_new(&builder, pointer), "git_packbuilder_new")
        defer { git_packbuilder_free(builder) }
        _ = git_packbuilder_set_threads(builder, threads)
        for (id, name) in unflushed {
            var oid = id.gitOID
            try check(git_packbuilder_insert(builder, &oid, name), "git_packbuilder_insert(\(id))")
        }
        // Build the pack in memory and hand it to the object database's pack writer (an indexer
        // stream): measured twice as fast as git_packbuilder_write, which indexes object by object
        // through small writes and mappings of the file it is writing.
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try check(git_packbuilder_write_buf(&buffer, builder), "git_packbuilder_write_buf")
        var writer: UnsafeMutablePointer<git_odb_writepack>?
        try check(git_odb_write_pack(&writer, odb, nil, nil), "git_odb_write_pack")
        guard let writer else { throw lastError(code: -1, operation: "git_odb_write_pack") }
        defer { writer.pointee.free(writer) }
        var stats = git_indexer_progress()
        try check(writer.pointee.append(writer, buffer.ptr, buffer.size, &stats), "git_odb_writepack.append")
        try check(writer.pointee.commit(writer, &stats), "git_odb_writepack.commit")
        let size = buffer.size
        unflushed.removeAll(keepingCapacity: true)
        try check(git_mempack_reset(mempack), "git_mempack_reset")
        // The pack backend only scans for new packs on a miss; make it see this one now.
        try check(git_odb_refresh(odb), "git_odb_refresh")
        return size
    }
}
