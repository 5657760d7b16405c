#if canImport(Glibc)
import Glibc
#endif

/// Unfinished packs (`objects/pack/tmp_pack_stemma_*`) must not outlive the import writing them.
///
/// A writer holds an exclusive `flock` on its temporary pack from before its first byte until
/// it renames it, so a file that is unlocked and not empty belongs to a process that is gone
/// (killed, or crashed): the next bulk write removes it. SIGINT and SIGTERM remove the packs
/// this process is writing before it dies of the signal, as it would have without the handler.
///
/// A writer killed after renaming its pack but before its index was in place leaves a
/// `pack-*.pack` without its `.idx` (which neither git nor libgit2 can read, so nothing refers
/// to its objects) or a half-written `pack-*.idx.tmp-*`; those are removed once a minute old,
/// long after any writer still at work would have finished them.
public enum PackCleanup {
    static let prefix = "tmp_pack_stemma_"
    static let unfinishedIndexInfix = ".idx.tmp-"

    /// Removes unfinished packs whose writer is gone; returns how many files. An empty file is
    /// only removed once it is a minute old: its writer may be between creating and locking it.
    @discardableResult
    public static func removeAbandonedPacks(inRepository path: String) -> Int {
        let folder = (path.hasSuffix("/") ? path : path + "/") + "objects/pack/"
        guard let dir = opendir(folder) else { return 0 }
        defer { closedir(dir) }
        var removed = 0
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name.hasPrefix("pack-") {
                if isUnindexedOrHalfIndexed(name, in: folder), olderThanAMinute(folder + name), unlink(folder + name) == 0 { removed += 1 }
                continue
            }
            guard name.hasPrefix(prefix) else { continue }
            let file = folder + name
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue } // its writer is still at work
            var info = stat()
            guard fstat(fd, &info) == 0 else { continue }
            if info.st_size == 0 && time(nil) - info.st_mtim.tv_sec < 60 { continue }
            if unlink(file) == 0 { removed += 1 }
        }
        return removed
    }

    /// `pack-X.pack` with no `pack-X.idx` beside it, or a `pack-X.idx.tmp-…` file.
    static func isUnindexedOrHalfIndexed(_ name: String, in folder: String) -> Bool {
        if name.contains(unfinishedIndexInfix) { return true }
        guard name.hasSuffix(".pack") else { return false }
        return access(folder + name.dropLast(5) + ".idx", F_OK) != 0
    }

    static func olderThanAMinute(_ file: String) -> Bool {
        var info = stat()
        return stat(file, &info) == 0 && time(nil) - info.st_mtim.tv_sec >= 60
    }

    /// Installs SIGINT and SIGTERM handlers that remove this process's unfinished packs, then
    /// let the signal take its default course (the exit status still says which signal).
    public static func removePacksOnInterrupt() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { received in
                for slot in 0..<PackCleanup.slotCount {
                    if let path = PackCleanup.slots[slot] { unlink(path) }
                }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    // The paths of the packs being written, as C strings a signal handler may read without
    // allocating. Only the writing thread changes them.
    static let slotCount = 8
    nonisolated(unsafe) static var slots = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: slotCount).initialized()

    static func register(_ path: String) -> Int? {
        for slot in 0..<slotCount where slots[slot] == nil {
            slots[slot] = strdup(path)
            return slot
        }
        return nil
    }

    static func unregister(_ slot: Int?) {
        guard let slot, let path = slots[slot] else { return }
        slots[slot] = nil
        free(path)
    }
}

private extension UnsafeMutablePointer where Pointee == UnsafeMutablePointer<CChar>? {
    func initialized() -> Self {
        initialize(repeating: nil, count: PackCleanup.slotCount)
        return self
    }
}
