import CLibGit2

/// Bulk writing: objects go straight into a packfile being written (`PackStream`), one pack
/// per `finishPack()`, instead of one loose file (and one fsync) per object, and without
/// holding them in memory until then.
extension Repository {
    /// Opens `path` for a bulk write: objects written with `writeRaw` and `writeCommitRaw` go
    /// into a new pack, readable once `finishPack()` returns. Until then they cannot be read
    /// back through this repository (`BulkTreeEditor` keeps what it needs itself).
    public static func openForBulkWrite(at path: String) throws -> Repository {
        let repository = try open(at: path)
        repository.isBulk = true
        // libgit2 keeps up to 256 MiB of parsed objects by default; a bulk write reads back only
        // a few trees, so a small cache keeps memory flat as the corpus grows.
        _ = stemma_git_set_cache_max_size(32 * 1024 * 1024)
        // Likewise for mapped pack windows (8 GiB by default): tree reads touch every pack.
        _ = stemma_git_set_mwindow_mapped_limit(64 * 1024 * 1024)
        return repository
    }

    /// Objects in the pack being written.
    public var pendingObjectCount: Int { pack?.objectCount ?? 0 }

    /// Completes the pack being written (deflated at `level`, level 1 by default: most of a
    /// pack is deltas, and level 6 made it only 3 % smaller) and makes its objects readable.
    /// Returns the pack's size in bytes (0 when nothing was written since the last one).
    @discardableResult
    public func finishPack() throws -> Int {
        guard let pack else { return 0 }
        self.pack = nil
        packedIDs.removeAll(keepingCapacity: true)
        let result = try pack.finish()
        // The pack backend only scans for new packs on a miss; make it see this one now.
        try check(git_odb_refresh(odb), "git_odb_refresh")
        return result.bytes
    }

    /// The pack new objects go into, started on first use.
    func currentPack(level: Int32 = 1) throws -> PackStream {
        if let pack { return pack }
        let started = try PackStream(folder: path + "objects/pack/", level: level)
        pack = started
        return started
    }
}
