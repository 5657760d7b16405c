#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One Stemma transfer at a time into a repository, and nothing left behind by one that was killed.
///
/// libgit2 writes a pack it receives (a fetch, or a push into a repository on a local path) to
/// `objects/pack/pack_git2_<random>` and renames it once complete. A process killed before that
/// leaves the file behind, as large as what had arrived, and nothing ever removes it (git names
/// its own `tmp_pack_*` and cleans up after itself). A Stemma transfer holds an exclusive `flock`
/// on `stemma-transfer.lock` in the repository while it runs, so one that has the lock knows any
/// `pack_git2_*` file there was left by a transfer that is gone, and removes it. The kernel drops
/// the lock of a killed process, so a lock is never stale. (Another libgit2 program fetching
/// into the same repository at the same moment is not provided for.)
public final class TransferLock {
    public static let fileName = "stemma-transfer.lock"
    static let libgit2PackPrefix = "pack_git2_"

    private let descriptor: Int32
    /// Unfinished packs removed on taking the lock.
    public private(set) var removedPacks = 0

    /// Takes the lock of the repository at `path` (its git folder), waiting while another Stemma
    /// transfer holds it; nil when the lock file cannot be made there (a read-only repository,
    /// which no transfer can write to either).
    public init?(repository path: String) {
        let folder = path.hasSuffix("/") ? path : path + "/"
        let fd = open(folder + Self.fileName, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { close(fd); return nil }
        }
        descriptor = fd
        removedPacks = Self.removeUnfinishedPacks(in: folder + "objects/pack/")
    }

    deinit { close(descriptor) } // releases the flock

    private static func removeUnfinishedPacks(in folder: String) -> Int {
        guard let dir = opendir(folder) else { return 0 }
        defer { closedir(dir) }
        var removed = 0
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name.hasPrefix(libgit2PackPrefix) && unlink(folder + name) == 0 { removed += 1 }
        }
        return removed
    }
}
